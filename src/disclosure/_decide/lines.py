"""The path of remembered lines: a batch of JSON Lines in which lines repeat (as
synthetic populations and exports of case files do) is answered from the lines already
seen, without parsing or looking them up again.

It sits beside bulk evaluation (:mod:`disclosure._decide.bulk`), whose tables and plan it
reads, behind a small interface: :class:`RememberedLines` takes the batch's prepared
line endings (opaque bytes, one per outcome and version, and per pair of compared
outcomes), and :meth:`RememberedLines.endings` gives the ending of each line of a block,
or ``None`` when the block must take the usual path. The command line writes them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from itertools import repeat
from typing import Any

from disclosure._decide.bulk import (
    MAX_DATES,
    BulkError,
    Comparer,
    Plan,
    Table,
    positions,
)
from disclosure._edge import Limits, parse_lines
from disclosure._ir.outcome import Outcome

__all__ = ["MAX_LINES", "RememberedLines"]

#: distinct lines (without their date) remembered with their results (about 750 bytes
#: each): when full, they are forgotten
MAX_LINES = 1 << 16

#: what starts every line of a block that the path of remembered lines takes
_DATED = b'\n{"date":"'
#: cuts a block into ``[b"", date, rest, date, rest...]``: each line's ten characters
#: after ``{"date":"`` and the rest of the line (one C call, no slicing per line). A line
#: the pattern does not cut at stays in the rest before it, which then holds a newline
#: and ``"date"``: it is never remembered, and a block with one takes the usual path
_SPLIT_DATED = re.compile(rb'\n\{"date":"(.{10})', re.DOTALL).split
_DATE_VALUE = re.compile(rb"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: tables remembered beyond one per version (other terms: another ``known_on``...)
_EXTRA_TABLES = 2


class RememberedLines:
    """The lines already seen, without their date, each with its written result under
    each table it met: a repeated line is neither parsed nor looked up again.

    A block takes this path when it holds no backslash and each of its lines starts with
    ``{"date":"`` (as ``disclosure sample`` writes them): one ``bytes.split`` on
    ``\\n{"date":"`` then cuts it into its lines' parts, each the line's ten date
    characters followed by the rest of the line. The rest is remembered only for a line
    whose parse gave a situation the fast path takes, dated with exactly those ten
    characters (so the rest starts with the date's closing quote), and whose rest holds
    no other ``"date"``. Two lines with the same rest then differ only in the value of
    their date (without a backslash no string can hide a quote): they have the same facts,
    and the date, placed once per distinct value as :meth:`Plan.place_date` places it,
    picks the table. A block without ``"date"`` remembers whole lines (the same bytes are
    the same situation). Anything else (a line not seen yet, an unknown date, a result
    that is an error) is evaluated the usual way; a block with an error, a backslash or
    another shape is left to the usual path whole.

    What is remembered is plain bytes and tuples of strings, which the cyclic garbage
    collector does not track: the end of the output line (outcome, version, compared
    outcomes; ``%`` doubled, since a block is written with one ``%`` formatting of its
    line numbers) in a dict per table, and the line's key and compared outcomes. Memory
    is bounded: :data:`MAX_LINES` lines, :data:`MAX_DATES` dates."""

    def __init__(
        self,
        plan: Plan,
        comparer: Comparer | None,
        ends: Mapping[str | None, Mapping[int, bytes]],
        compare_ends: Mapping[tuple[int, int], bytes],
        limits: Limits,
    ) -> None:
        self.plan = plan
        self.comparer = comparer
        self.version_ends = ends
        self.compare_ends = compare_ends
        self.limits = limits
        self.capacity = max(1, len(plan.family.versions) + _EXTRA_TABLES)
        # every value of every enum fact is a str: see _settle
        self.plain = all(
            isinstance(value, str)
            for fact in plan.vocabulary.condition_facts
            if fact.kind != "bool"
            for value in fact.values
        )
        # rest of a line -> (key, end of the line for the compared outcomes, or b"")
        self.keys: dict[bytes, tuple[tuple[Any, ...], bytes]] = {}
        # per table (slot 0: no table): rest of a line -> end of its output line
        self.ends: list[dict[bytes, bytes]] = [{}]
        self.tables: list[Table | None] = [None]
        # per table: outcome -> end of its output lines without compared outcomes
        self.leaves: list[dict[Any, bytes]] = [{}]
        self.slots: dict[Table, int] = {}
        self.date_slots: dict[bytes, int] = {}  # 0: not placed (the usual path says why)
        self.date_ends: dict[bytes, dict[bytes, bytes]] = {}  # the same, to ends[slot]
        self.undated: dict[bytes, bytes] = {}
        self.tails: dict[tuple[Any, ...], bytes] = {}
        self.info: dict[bytes, tuple[Outcome | None, str, tuple[Any, ...] | None]] = {}
        self.pairs: dict[bytes, tuple[Any, ...]] = {}  # compared outcomes by line end
        self.resets = 0

    # -- tables and line endings

    def _forget(self) -> None:
        self.keys.clear()
        for ends in self.ends:
            ends.clear()

    def slot_of(self, table: Table) -> int:
        """The position of a table's line endings in :attr:`ends`."""
        slot = self.slots.get(table)
        if slot is None:
            if len(self.slots) >= self.capacity:
                self.resets += 1  # slots found before now may name other tables
                self._forget()
                self.date_slots.clear()
                self.date_ends.clear()
                self.slots.clear()
                del self.tables[1:], self.ends[1:], self.leaves[1:]
            slot = self.slots[table] = len(self.tables)
            self.tables.append(table)
            self.ends.append({})
            self.leaves.append({})
        return slot

    def date_slot(self, raw: bytes) -> int:
        """The slot of a date's table (0 when the date cannot be placed)."""
        slot = 0
        if _DATE_VALUE.fullmatch(raw):
            plan = self.plan
            date = raw.decode("ascii")
            plan.place_date(date)
            placed = plan.by_date.get(date)
            if placed is not None:
                slot = self.slot_of(placed[0])
        if len(self.date_slots) >= MAX_DATES:
            self.date_slots.clear()
            self.date_ends.clear()
        self.date_slots[raw] = slot
        self.date_ends[raw] = self.ends[slot]
        return slot

    def known_tail(self, slot: int, known: tuple[tuple[Any, ...], bytes]) -> bytes | None:
        """The end of the output line of a known line (its key and compared outcomes)
        under the table in ``slot``, from the table or its decision diagram; ``None`` if
        the usual path must evaluate it."""
        table = self.tables[slot]
        assert table is not None
        key, compared = known
        outcome = table.outcomes.get(key, _UNSEEN)
        if outcome is _UNSEEN:
            outcome = table.walk(key)  # (remembered here, not in the table)
            if outcome is None:
                return None
        if compared:
            return self.tail(outcome, table.version_id, compared)
        leaves = self.leaves[slot]
        found = leaves.get(outcome)
        if found is None:
            found = self.tail(outcome, table.version_id, b"")
            if found is not None:
                leaves[outcome] = found
        return found

    def tail(self, outcome: Any, version: Any, compared: bytes) -> bytes | None:
        """The end of an output line (``%`` doubled), shared by every line with the same
        outcome, version and compared outcomes; ``None`` if the usual path must write it."""
        key = (id(outcome), version, compared)
        found = self.tails.get(key)
        if found is None:
            ends = self.version_ends.get(version)
            if ends is None or id(outcome) not in ends:
                return None
            found = self.tails[key] = (ends[id(outcome)] + compared).replace(b"%", b"%%")
            self.info[found] = (outcome, version, self.pairs.get(compared))
        return found

    def compared(self, pair: tuple[Any, ...] | None) -> bytes:
        """The end of an output line for compared outcomes (``b""`` without
        ``--compare``)."""
        if pair is None:
            return b""
        found = self.compare_ends[(id(pair[0]), id(pair[1]))]
        self.pairs[found] = pair
        return found

    # -- a block

    def endings(self, text: bytes) -> list[bytes] | None:
        """The end of the output line of each line of a block (as the batch's reader
        gives it: each line preceded by a newline), in order, from the lines already seen
        when it can; ``None`` if the block must take the usual path."""
        if b"\\" in text:
            return None
        if text.startswith(_DATED):
            parts = _SPLIT_DATED(text)
            if parts[0]:
                return None
            return self._dated(parts[1::2], parts[2::2])
        if b'"date"' not in text:
            return self._undated(text[1:].split(b"\n"))
        return None

    def _dated(self, dates: list[bytes], rests: list[bytes]) -> list[bytes] | None:
        count = len(dates)
        by_date = map(self.date_ends.get, dates, repeat(self.ends[0], count))
        tails: list[Any] = list(map(_dict_get, by_date, rests))
        if None not in tails:
            return tails
        unseen = []
        resets = self.resets
        get_key = self.keys.get
        get_slot = self.date_slots.get
        slots: list[int] = [0] * count
        for index in positions(tails, None):
            date = dates[index]
            slot = get_slot(date)
            if slot is None:
                slot = self.date_slot(date)
            slots[index] = slot
            if slot:
                rest = rests[index]
                known = get_key(rest)
                if known is not None:  # a known situation under another table
                    tail = self.known_tail(slot, known)
                    if tail is not None:
                        tails[index] = self.ends[slot][rest] = tail
                        continue
            unseen.append(index)
        if not unseen:
            return tails
        lines = [b'{"date":"' + dates[index] + rests[index] for index in unseen]
        if self.resets != resets or any(b"\n" in line for line in lines):
            # slots found before tables were forgotten may name others; or a line does not
            # start with the date (only such a line can hold a newline: none is remembered)
            return None
        found = self._evaluate(
            lines,
            [slots[index] for index in unseen],
            [dates[index] for index in unseen],
        )
        if found is None:
            return None
        ends = self.ends
        keys = self.keys
        for index, (key, raw, tail, compared) in zip(unseen, found, strict=True):
            tails[index] = tail
            slot = slots[index]
            rest = rests[index]
            if (
                slot
                and key is not None
                and type(raw) is str
                and raw.encode("utf-8") == dates[index]
                and rest[:1] == b'"'
                and b'"date"' not in rest
            ):
                if rest not in keys:
                    if len(keys) >= MAX_LINES:
                        self._forget()
                    keys[rest] = (key, compared)
                ends[slot][rest] = tail
        return tails

    def _settle(
        self, keys: list[Any], raws: list[Any] | None, slots: list[int], dates: list[bytes]
    ) -> list[tuple[Any, Any, bytes, bytes]] | None:
        """The outcomes of checked keys from the tables their dates placed them in (the
        table, else its decision diagram after a domain check), or ``None`` if one of them
        needs the usual path (or the outcomes are compared)."""
        if raws is None or self.comparer is not None:
            return None
        plan = self.plan
        canonical = plan.canonical
        tables = self.tables
        found = []
        for raw_key, raw, slot, date in zip(keys, raws, slots, dates, strict=True):
            table = tables[slot]
            if table is None or type(raw) is not str or raw.encode("utf-8") != date:
                return None
            # each value's canonical twin, None if it has none: parsed from JSON, with its
            # bool facts checked to be bools and every enum value a str, a value has one
            # exactly when it is in its fact's domain, as validation requires (no str
            # equals a number; an unhashable value raises)
            try:
                key = tuple(map(_dict_get, canonical, raw_key))
            except TypeError:
                return None
            if None in key or not (self.plain or plan.in_domains(raw_key)):
                return None
            outcome = table.outcomes.get(key, _UNSEEN)
            if outcome is _UNSEEN:
                outcome = table.walk(key)  # (remembered here, not in the table)
                if outcome is None:
                    return None
            tail = self.tail(outcome, table.version_id, b"")
            if tail is None:
                return None
            found.append((key, raw, tail, b""))
        return found

    def _undated(self, lines: list[bytes]) -> list[bytes] | None:
        remembered = self.undated
        tails: list[Any] = list(map(remembered.get, lines))
        if None not in tails:
            return tails
        unseen = list(positions(tails, None))
        found = self._evaluate([lines[index] for index in unseen])
        if found is None:
            return None
        for index, (_, _, tail, _) in zip(unseen, found, strict=True):
            tails[index] = tail
            if len(remembered) >= MAX_LINES:
                remembered.clear()
            remembered[lines[index]] = tail
        return tails

    def _evaluate(
        self, lines: list[bytes], slots: list[int] | None = None, dates: list[bytes] | None = None
    ) -> list[tuple[Any, Any, bytes, bytes]] | None:
        """Each line's canonical key (``None`` if the fast path's checks do not take it)
        and raw date, output line end and end for the compared outcomes; ``None`` if any
        is an error or cannot be written here. Lines whose date was placed (``slots``,
        from their ten characters ``dates``) are looked up in their table or its decision
        diagram, as :meth:`Plan.outcome_of` does; any other is evaluated the usual way."""
        situations = parse_lines(lines, self.limits)
        if list(map(type, situations)).count(dict) != len(situations):
            return None
        plan = self.plan
        checked = plan.chunk_keys(situations)
        if checked is not None and slots is not None and dates is not None:
            found = self._settle(checked[0], checked[1], slots, dates)
            if found is not None:
                return found
        nothing: list[Any] = [None] * len(lines)
        if checked is not None:
            canonical = plan.canonical
            keys: list[Any] = [tuple(map(_dict_get, canonical, key)) for key in checked[0]]
            raws = checked[1] if checked[1] is not None else nothing
        else:  # some situation is not one the fast path takes: none is remembered
            keys = raws = nothing
        results, versions = plan.outcome_chunk_versions(situations, 0)
        if list(map(type, results)).count(BulkError):
            return None
        pairs: list[Any]
        if self.comparer is not None:
            pairs = self.comparer.chunk(situations, 0)
            if list(map(type, pairs)).count(BulkError):
                return None
        else:
            pairs = nothing
        found = []
        for key, raw, outcome, version, pair in zip(
            keys, raws, results, versions, pairs, strict=True
        ):
            compared = self.compared(pair)
            tail = self.tail(outcome, version, compared)
            if tail is None:
                return None
            found.append((key, raw, tail, compared))
        return found

    def tally(
        self, tails: list[bytes]
    ) -> tuple[dict[int, int], dict[str, int], list[tuple[tuple[Any, ...], int]]]:
        """What a block's line endings say, counted: lines by outcome (by the outcome's
        ``id``) and by version, and the pairs of compared outcomes with their counts."""
        by_outcome: dict[int, int] = {}
        by_version: dict[str, int] = {}
        pairs: list[tuple[tuple[Any, ...], int]] = []
        info = self.info
        for tail, number in Counter(tails).items():
            outcome, version, pair = info[tail]
            by_outcome[id(outcome)] = by_outcome.get(id(outcome), 0) + number
            by_version[version] = by_version.get(version, 0) + number
            if pair is not None:
                pairs.append((pair, number))
        return by_outcome, by_version, pairs


_UNSEEN = object()
_dict_get: Callable[[Any, Any], Any] = dict.get
