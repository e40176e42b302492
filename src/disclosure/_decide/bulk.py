"""Bulk evaluation: many situations, streamed, at about the speed of a dict lookup.

The outcome of a situation under a fixed version of the law, readings and annulments is a
pure function of its facts. So each distinct situation is settled once (validated, matched
by the compiled evaluator, settled) and remembered in a table keyed by the tuple of its
fact values in vocabulary order; every later situation with the same facts is a dict hit.
A hit also proves the values valid (only validated keys are ever stored), so validation
shrinks to the checks a hit cannot make:

* the situation is a plain ``dict`` giving every fact of the vocabulary, and at most the
  ``date`` besides (its size says so: no unknown fact can hide);
* the values of the ``bool`` facts are ``True`` or ``False`` themselves (``1 == True`` and
  ``hash(1) == hash(True)``, so a hit cannot tell them apart);
* the ``date``, when given, maps (through a second table keyed by the raw value) to the
  version it selects.

Situations are read in chunks and these checks run over a whole chunk at once through
C-level ``map`` calls; any chunk, or any situation, that fails one of them takes the
careful path, which is :func:`disclosure.evaluate`'s own pipeline. Tables are bounded (they
are emptied when full), so memory does not grow with the number of situations.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, count, islice, repeat
from operator import contains, countOf, itemgetter
from typing import Any, Literal, TypeAlias, cast, overload

import attrs

from disclosure._decide.decision import (
    Decision,
    Receipt,
    Template,
    decision_from,
    decisions_from,
    template_of,
)
from disclosure._decide.decision_maker import DecisionMaker, decision_maker
from disclosure._decide.evaluate import (
    Spans,
    check_engine,
    check_known,
    choose_version,
    date_of_facts,
    decide,
    known_then,
    prepared_then,
    resolve_readings,
    situation_from,
    version_as_known,
)
from disclosure._edge import parse_date
from disclosure._engines.prepared import PreparedVersion, prepare, rules_for_readings
from disclosure._ir.defeasibility import settle
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Family, Version
from disclosure._ir.vocabulary import DATE_FACT, key_getter
from disclosure._load.bundled import bundled_family as default_family
from disclosure.errors import DisclosureError

__all__ = [
    "MAX_DATES",
    "BulkComparison",
    "BulkDecision",
    "BulkError",
    "BulkOutcome",
    "Comparer",
    "Impact",
    "ImpactCounter",
    "ImpactRow",
    "Plan",
    "Table",
    "compare_many",
    "comparer_for",
    "evaluate_many",
    "impact",
    "plan_for",
    "positions",
]

Detail = Literal["decision", "outcome"]
DETAILS: tuple[str, ...] = ("decision", "outcome")

#: situations read ahead and checked together on the outcome path
DEFAULT_CHUNK = 1024
#: situations remembered in all the tables of outcomes together (about 230 bytes each):
#: when the budget is spent the largest table is emptied, so memory is bounded however
#: many versions, dates and situations come by
MAX_OUTCOMES = 1 << 17
#: a table of decisions is emptied when it holds this many situations (about 300 bytes
#: each: a key and a reference to a template shared with equal decisions)
MAX_DECISIONS = 1 << 16
#: raw ``date`` values remembered per call
MAX_DATES = 1 << 16
#: tables kept across calls (one per version, annulments, readings, engine, known_on)
MAX_TABLES = 64


@attrs.frozen
class BulkError:
    """A situation that could not be evaluated, in its place in the stream.

    ``index`` is its 0-based position in the input, ``error_type`` the class name of the
    :class:`disclosure.DisclosureError` it raised (``"FactError"``, ``"VersionError"``...)
    and ``message`` that error's message.
    """

    index: int
    error_type: str
    message: str

    @classmethod
    def from_error(cls, index: int, error: DisclosureError) -> BulkError:
        """The error result of the situation at ``index`` that raised ``error``."""
        return cls(index, type(error).__name__, str(error))


#: one item of ``evaluate_many(..., detail="outcome")``: the outcome (``None`` when facts it
#: depends on are missing), or the error of a bad situation
BulkOutcome: TypeAlias = Outcome | BulkError | None
#: one item of ``evaluate_many(..., detail="decision")``
BulkDecision: TypeAlias = Decision | BulkError

_dict_get: Callable[[Any, Any], Any] = dict.get
_STR_OR_BOOL = (str, bool)
_NO_DATE = object()  # the raw date of a situation that gives none
_MISS = object()


class Table:
    """What is known of one version under fixed annulments, readings, engine and
    ``known_on``: outcomes and decisions of the situations seen, by key. Shared by every
    call (and thread) that evaluates under the same terms; dict operations are atomic."""

    def __init__(
        self,
        prepared: PreparedVersion,
        readings: dict[str, str],
        engine: str,
        known_on: dt.date | None,
    ) -> None:
        self.prepared = prepared
        self.readings = readings
        self.engine = engine
        self.known_on = known_on
        self.in_play = rules_for_readings(prepared.rules, readings)
        version = prepared.version
        ids = set(version.rule_ids)
        #: whether the law this table reads may differ from the law as known on an earlier
        #: day (a rule of its version is annulled, or it was published after it began)
        self.may_differ = any(a.rule in ids for a in prepared.family.annulments) or (
            (version.known_from or version.valid_from) > version.valid_from
        )
        self.outcomes: dict[tuple[Any, ...], Outcome | None] = {}
        self.decisions: dict[tuple[Any, ...], Template] = {}
        self._maker: DecisionMaker | None = None
        self._walker: Any = None  # the outcome diagram as nested (position, branches)
        self._lock = threading.Lock()

    def walk(self, key: tuple[Any, ...]) -> Outcome | None:
        """The outcome of a complete, checked key read from the ruleset's decision diagram
        (a few dict lookups), or ``None`` when the key is not a possible situation with an
        outcome (an unknown value, an impossible combination, a gap or a conflict: the
        careful path then raises the right error)."""
        node = self._walker
        if node is None:
            node = self._build_walker()
        try:
            while type(node) is tuple:
                node = node[1][key[node[0]]]
        except (KeyError, TypeError, IndexError):
            return None
        return node if type(node) is Outcome else None

    def _build_walker(self) -> Any:
        """Compile the outcome diagram (see :mod:`disclosure._engines.symbolic`) into nested
        tuples ``(position of the fact in the key, {value: child})`` with outcomes at the
        leaves. Only for the compiled engine: the durable one is asked itself."""
        with self._lock:
            if self._walker is not None:
                return self._walker
            walker: Any = _NO_WALKER
            if self.engine == "compiled":
                try:
                    symbolic = self.prepared.symbolic(self.readings)
                except (ImportError, DisclosureError, ValueError):  # pragma: no cover
                    symbolic = None
                if symbolic is not None:
                    walker = _compile_diagram(symbolic.manager, symbolic.outcome, self.positions)
            self._walker = walker
            return walker

    @property
    def positions(self) -> dict[str, int]:
        """Each condition fact's position in a key."""
        facts = self.prepared.family.vocabulary.condition_facts
        return {fact.name: index for index, fact in enumerate(facts)}

    def store(self, key: tuple[Any, ...], outcome: Outcome | None) -> None:
        """Remember an outcome, within the budget shared by every table
        (:data:`MAX_OUTCOMES`): when it is spent, the largest table is emptied."""
        global _outcomes_held
        if _outcomes_held >= MAX_OUTCOMES:
            _make_room()
        outcomes = self.outcomes
        size = len(outcomes)
        outcomes[key] = outcome
        _outcomes_held += len(outcomes) - size

    @property
    def version_id(self) -> str:
        """The id of the table's version."""
        return self.prepared.version.id

    def _applicable(self, situation: Mapping[str, Any]) -> set[str]:
        if self.engine == "durable":
            status = self.prepared.durable().match(situation)
            return {rule_id for rule_id, holds in status.items() if holds is True}
        return set(self.prepared.compiled.applicable(situation))

    def outcome(
        self, key: tuple[Any, ...], situation: dict[str, Any], on: dt.date | None
    ) -> Outcome | None:
        """The outcome of a validated situation (without its date) whose key is ``key``."""
        found = self.outcomes.get(key, _MISS)
        if found is not _MISS:
            return found  # type: ignore[return-value]
        outcome: Outcome | None
        if self.prepared.compiled.is_complete(situation):
            settlement = settle(self.in_play, self._applicable(situation))
            outcome = settlement.outcome
            if settlement.conflict or outcome is None:
                # a defect of the ruleset: let the one pipeline raise its own error
                outcome = self._decide(situation, on).outcome
        else:
            outcome = self._decide(situation, on).outcome
        self.store(key, outcome)
        return outcome

    def decision(
        self, key: tuple[Any, ...], situation: dict[str, Any], on: dt.date | None
    ) -> Decision:
        """The decision on a validated situation (without its date) whose key is ``key``."""
        template = self.decisions.get(key)
        if template is None:
            found = self._decide(situation, on)
            if None not in key:  # only complete situations: fast hits then need no check
                self.remember(key, template_of(found))
            return found
        facts = dict(situation)
        if on is not None:
            facts[DATE_FACT] = on
        return self.rebuild(template, facts, on)

    def template(self, key: tuple[Any, ...]) -> Template:
        """The template of the decision on a complete, possible situation (checked by the
        caller) with ``key``, assembled from shared parts, and remembered."""
        template = self.maker.template(key)
        self.remember(key, template)
        return template

    def remember(self, key: tuple[Any, ...], template: Template) -> None:
        """Remember a template, at most :data:`MAX_DECISIONS` per table."""
        if len(self.decisions) >= MAX_DECISIONS:
            self.decisions.clear()
        self.decisions[key] = template

    def rebuild(self, template: Template, facts: dict[str, Any], on: dt.date | None) -> Decision:
        """``template``'s decision for a situation with ``facts``: the same (immutable,
        shared) parts, with its own facts and a receipt with its own date."""
        return decision_from(template, facts, self.receipt(on))

    def receipt(self, on: dt.date | None) -> Receipt:
        """The receipt of the table's decisions on situations dated ``on``."""
        return self.maker.receipt(on, self.known_on, self.engine)

    @property
    def maker(self) -> DecisionMaker:
        """The table's decision maker (see :mod:`disclosure._decide.decision_maker`)."""
        maker = self._maker
        if maker is None:
            maker = self._maker = decision_maker(self.prepared, self.readings)
        return maker

    def _decide(self, situation: dict[str, Any], on: dt.date | None) -> Decision:
        return decide(self.prepared, situation, dict(self.readings), self.engine, on, self.known_on)


_NO_WALKER = "no diagram"  # a leaf that is no Outcome: every walk falls back


def _compile_diagram(manager: Any, root: int, positions: Mapping[str, int]) -> Any:
    built: dict[int, Any] = {}

    def build(node: int) -> Any:
        found = built.get(node)
        if found is None:
            if manager.is_terminal(node):
                found = manager.value(node)
            else:
                fact = manager.variable(node)
                domain = manager.domains[manager.names.index(fact)]
                branches = {
                    value: build(child)
                    for value, child in zip(domain, manager.children(node), strict=True)
                }
                found = (positions[fact], branches)
            built[node] = found
        return found

    return build(root)


_tables: dict[tuple[Any, ...], Table] = {}
_tables_lock = threading.Lock()
_outcomes_held = 0  # outcomes in the tables (approximate under threads; recounted)


def _make_room() -> None:
    """Recount the outcomes held, and empty the largest table if the budget is spent."""
    global _outcomes_held
    tables = list(_tables.values())
    held = sum(len(table.outcomes) for table in tables)
    if held >= MAX_OUTCOMES and tables:
        largest = max(tables, key=lambda table: len(table.outcomes))
        held -= len(largest.outcomes)
        largest.outcomes.clear()
    _outcomes_held = held


def _table(
    prepared: PreparedVersion, readings: dict[str, str], engine: str, known_on: dt.date | None
) -> Table:
    key = (prepared, tuple(sorted(readings.items())), engine, known_on)
    with _tables_lock:
        found = _tables.get(key)
        if found is None:
            if len(_tables) >= MAX_TABLES:
                _tables.clear()
            found = _tables[key] = Table(prepared, readings, engine, known_on)
        return found


class Plan:
    """The terms of one bulk call (family, version or dates, readings, engine) and the
    fast paths through its tables."""

    def __init__(
        self,
        family: Family,
        *,
        version: str | Version | None,
        on: Any,
        known_on: Any,
        readings: Mapping[str, str] | None,
        engine: str,
    ) -> None:
        check_engine(engine)
        self.family = family
        self.vocabulary = family.vocabulary
        self.engine = engine
        self.on = parse_date(on, "on")
        self.known_on = parse_date(known_on, "known_on")
        self.version = (
            version_as_known(family, version, self.known_on) if version is not None else None
        )
        self.readings = resolve_readings(family, readings)
        self.today = dt.date.today()
        if self.version is None:
            # terms no situation can meet are refused at once: a known_on before any
            # version was known, an on= no version governs
            check_known(family, self.known_on or self.today)
            if self.on is not None:
                choose_version(family, version=None, on=self.on, known_on=self.known_on)
        facts = self.vocabulary.condition_facts
        self.names = tuple(fact.name for fact in facts)
        self.size = len(self.names)
        self.dated = DATE_FACT in self.vocabulary
        self.key_of = key_getter(self.names)
        self.date_of = itemgetter(DATE_FACT)
        self.bool_columns = tuple(
            itemgetter(index) for index, fact in enumerate(facts) if fact.kind == "bool"
        )
        self.canonical = tuple({value: value for value in fact.values} for fact in facts)
        self.domains = tuple(frozenset(fact.values) for fact in facts)
        # raw date value (or _NO_DATE) -> (table, date of the facts), filled on first sight
        self.by_date: dict[Any, tuple[Table, dt.date | None]] = {}
        # the same, to the table's outcomes directly (one map() call on the fast path)
        self.outcomes_by_date: dict[Any, dict[tuple[Any, ...], Outcome | None]] = {}
        # and to the id of the version
        self.version_by_date: dict[Any, str] = {}
        # what resolve learnt: the versions' spans per known_on, the table per version
        self.spans: dict[dt.date, Spans] = {}
        self.tables: dict[tuple[int, dt.date | None], tuple[Version, Table]] = {}
        # (id of a table, date of the facts) -> (that table, the table of the law as known
        # on that date when it differs, else None): see earlier_table
        self.earlier: dict[tuple[int, dt.date], tuple[Table, Table | None]] = {}

    # -- the careful path: evaluate's own pipeline -------------------------------------

    def resolve(self, fact_date: dt.date | None) -> tuple[Table, dt.date | None]:
        """The table and the date of the facts for a situation dated ``fact_date``, as
        :func:`disclosure.evaluate` chooses them."""
        version, on, known = choose_version(
            self.family,
            version=self.version,
            on=date_of_facts(fact_date, self.on),
            known_on=self.known_on,
            today=self.today,
            spans=self.spans_as_known,
        )
        found = self.tables.get((id(version), known))
        if found is None or found[0] is not version:
            annulled = (
                frozenset(a.rule for a in self.family.annulled_as_known(version, known))
                if known is not None
                else frozenset()
            )
            prepared = prepare(self.family, version, annulled)
            found = (version, _table(prepared, self.readings, self.engine, known))
            if len(self.tables) >= MAX_DATES:
                self.tables.clear()
            self.tables[(id(version), known)] = found
        return found[1], on

    def spans_as_known(self, known: dt.date) -> Spans:
        """The versions' spans as known on ``known`` (see :meth:`Family.spans`),
        remembered."""
        spans = self.spans.get(known)
        if spans is None:
            if len(self.spans) >= MAX_DATES:
                self.spans.clear()
            spans = self.spans[known] = self.family.spans(known)
        return spans

    def careful(
        self, situation: Any
    ) -> tuple[Table, tuple[Any, ...], dict[str, Any], dt.date | None]:
        """Validate a situation and place it: its table, canonical key, validated facts
        (without the date) and date of the facts. Raises the error evaluate would."""
        facts = situation_from(situation)
        valid = self.vocabulary.validate(facts)
        fact_date = valid.pop(DATE_FACT, None)
        table, on = self.resolve(fact_date)
        key = tuple(
            canon.get(valid.get(name))
            for name, canon in zip(self.names, self.canonical, strict=True)
        )
        if type(situation) is dict:
            raw = situation.get(DATE_FACT, _NO_DATE) if self.dated else _NO_DATE
            self._remember(raw, table, on)
        return table, key, valid, on

    def in_domains(self, key: tuple[Any, ...]) -> bool:
        """Whether every value of a checked key is in its fact's domain, as validation
        would accept it (the decision diagram tests only the facts its path needs)."""
        try:
            return all(map(contains, self.domains, key)) and all(
                map(isinstance, key, repeat(_STR_OR_BOOL))
            )
        except TypeError:  # unhashable
            return False

    def _remember(self, raw: Any, table: Table, on: dt.date | None) -> None:
        """Remember where situations with this raw date value go."""
        try:
            if raw not in self.by_date:
                if len(self.by_date) >= MAX_DATES:
                    self.by_date.clear()
                    self.outcomes_by_date.clear()
                    self.version_by_date.clear()
                self.by_date[raw] = (table, on)
                self.outcomes_by_date[raw] = table.outcomes
                self.version_by_date[raw] = table.version_id
        except TypeError:  # an unhashable date value is not remembered
            pass

    def place_date(self, raw: Any) -> None:
        """Place a raw date value seen for the first time, without a situation; one that
        is not a date, or that no version governs, is left to the careful path."""
        try:
            valid = self.vocabulary.validate({DATE_FACT: raw}) if raw is not _NO_DATE else {}
            table, on = self.resolve(valid.get(DATE_FACT))
        except (DisclosureError, TypeError):
            return
        self._remember(raw, table, on)

    def quick_key(self, situation: Any) -> tuple[tuple[Any, ...], Any] | None:
        """``(key, raw date)`` of a situation the fast path can take, else ``None``."""
        if type(situation) is not dict:
            return None
        size = len(situation)
        if size == self.size:
            raw = _NO_DATE
        elif size == self.size + 1 and self.dated and DATE_FACT in situation:
            raw = situation[DATE_FACT]
        else:
            return None
        try:
            key = self.key_of(situation)
        except KeyError:
            return None
        for column in self.bool_columns:
            if type(column(key)) is not bool:
                return None
        return key, raw

    # -- outcomes -----------------------------------------------------------------------

    def outcome_one(self, situation: Any, index: int) -> BulkOutcome:
        """The outcome of one situation (or its error)."""
        quick = self.quick_key(situation)
        if quick is not None:
            return self.outcome_of(situation, quick[0], quick[1], index)
        return self.outcome_carefully(situation, index)

    def outcome_of(self, situation: Any, key: tuple[Any, ...], raw: Any, index: int) -> BulkOutcome:
        """The outcome of a situation whose key passed the fast path's checks: from the
        table, else from the decision diagram, else carefully."""
        try:
            placed = self.by_date.get(raw)
            if placed is not None:
                table = placed[0]
                found = table.outcomes.get(key, _MISS)
                if found is not _MISS:
                    return found  # type: ignore[return-value]
                outcome = table.walk(key) if self.in_domains(key) else None
                if outcome is not None:
                    # stored with the vocabulary's own strings: few, and hot in the
                    # cache when later keys are compared with them
                    table.store(tuple(map(_dict_get, self.canonical, key)), outcome)
                    return outcome
        except TypeError:  # unhashable values: the careful path names them
            pass
        return self.outcome_carefully(situation, index)

    def outcome_carefully(self, situation: Any, index: int) -> BulkOutcome:
        """The outcome of one situation by evaluate's own pipeline (or its error)."""
        try:
            table, key, valid, on = self.careful(situation)
            return table.outcome(key, valid, on)
        except DisclosureError as error:
            return BulkError.from_error(index, error)

    def chunk_keys(self, chunk: list[Any]) -> tuple[list[tuple[Any, ...]], list[Any] | None] | None:
        """The keys (and raw dates) of a chunk whose situations all pass the fast path's
        checks, or ``None``. Each check is one C-level ``map`` over the chunk."""
        count = len(chunk)
        if list(map(type, chunk)).count(dict) != count:
            return None
        sizes = list(map(len, chunk))
        dates: list[Any] | None = None
        try:
            if sizes.count(self.size) != count:
                if not (self.dated and sizes.count(self.size + 1) == count):
                    return None
                dates = list(map(self.date_of, chunk))
            keys = list(map(self.key_of, chunk))
        except KeyError:
            return None
        for column in self.bool_columns:
            # countOf consumes the map without building a list: a quarter faster
            if countOf(map(type, map(column, keys)), bool) != count:
                return None
        return keys, dates

    def chunk_outcomes(
        self, keys: list[tuple[Any, ...]], dates: list[Any] | None
    ) -> list[Any] | None:
        """Outcomes looked up for checked keys (``None`` where not yet known), or ``None``
        when some date is not yet known."""
        try:
            if dates is None:
                outcomes = self.outcomes_by_date.get(_NO_DATE)
                if outcomes is None:
                    self.place_date(_NO_DATE)
                    outcomes = self.outcomes_by_date.get(_NO_DATE)
                if outcomes is None:
                    return None
                return list(map(outcomes.get, keys))
            get = self.outcomes_by_date.get
            tables = list(map(get, dates))
            if None in tables:
                for raw, table in zip(dates, tables, strict=True):
                    if table is None:
                        self.place_date(raw)
                tables = list(map(get, dates))
            return list(map(_dict_get, tables, keys))
        except TypeError:  # an unknown date (None table), or unhashable values
            return None

    def outcome_chunk(self, chunk: list[Any], start: int) -> list[BulkOutcome]:
        """The outcomes (or errors) of a chunk of situations, ``start`` being the index of
        its first one."""
        checked = self.chunk_keys(chunk)
        if checked is not None:
            found = self._outcomes_checked(chunk, start, *checked)
            if found is not None:
                return found
        outcome_one = self.outcome_one
        return [outcome_one(situation, start + i) for i, situation in enumerate(chunk)]

    def _outcomes_checked(
        self, chunk: list[Any], start: int, keys: list[tuple[Any, ...]], dates: list[Any] | None
    ) -> list[BulkOutcome] | None:
        """The outcomes (or errors) of a chunk whose keys passed the fast path's checks, or
        ``None`` when its dates are not all placed."""
        found = self.chunk_outcomes(keys, dates)
        if found is not None and None in found:  # not yet in the tables (or undetermined)
            outcome_of = self.outcome_of
            for offset, outcome in enumerate(found):
                if outcome is None:
                    found[offset] = outcome_of(
                        chunk[offset],
                        keys[offset],
                        dates[offset] if dates is not None else _NO_DATE,
                        start + offset,
                    )
        return found

    def outcome_chunk_versions(
        self, chunk: list[Any], start: int
    ) -> tuple[list[BulkOutcome], list[str | None]]:
        """The outcomes (or errors) of a chunk, and the id of the version each situation
        was evaluated under (``None`` where it could not be placed)."""
        checked = self.chunk_keys(chunk)
        if checked is not None:
            found = self._outcomes_checked(chunk, start, *checked)
            if found is not None:
                dates = checked[1]
                if self.version is not None:
                    versions: list[str | None] = [self.version.id] * len(chunk)
                else:
                    raws = dates if dates is not None else repeat(_NO_DATE, len(chunk))
                    versions = list(map(self.version_by_date.get, raws))
                    if None in versions:
                        versions = self.version_ids(chunk)
                return found, versions
        outcome_one = self.outcome_one
        found = [outcome_one(situation, start + i) for i, situation in enumerate(chunk)]
        return found, self.version_ids(chunk)

    def version_ids(self, situations: Sequence[Any]) -> list[str | None]:
        """The id of the version each situation was evaluated under (``None`` for one that
        could not be placed), once :meth:`outcome_chunk` has seen them."""
        if self.version is not None:
            return [self.version.id] * len(situations)
        found: list[str | None] = []
        by_date = self.by_date
        for situation in situations:
            placed = None
            if type(situation) is dict:
                raw = situation.get(DATE_FACT, _NO_DATE) if self.dated else _NO_DATE
                try:
                    placed = by_date.get(raw)
                except TypeError:
                    placed = None
            if placed is None:
                try:
                    placed = self.careful(situation)[0], None
                except DisclosureError:
                    placed = None
            found.append(placed[0].version_id if placed is not None else None)
        return found

    # -- decisions ----------------------------------------------------------------------

    def earlier_table(self, table: Table, on: dt.date | None) -> Table | None:
        """The table of the law as known on the date of the facts ``on``, for decisions of
        ``table`` that read it as known later, when what was known differs (see
        :func:`~disclosure._decide.evaluate.prepared_then`); else ``None``."""
        known = table.known_on
        if not table.may_differ or on is None or known is None or known <= on:
            return None
        found = self.earlier.get((id(table), on))
        if found is None or found[0] is not table:
            version = self.version
            prepared = prepared_then(self.family, version, table.prepared, on, known)
            earlier = (
                _table(prepared, self.readings, self.engine, on) if prepared is not None else None
            )
            if len(self.earlier) >= MAX_DATES:
                self.earlier.clear()
            found = self.earlier[(id(table), on)] = (table, earlier)
        return found[1]

    def with_earlier(
        self,
        found: Decision,
        earlier: Table,
        key: tuple[Any, ...],
        situation: dict[str, Any] | None,
        on: dt.date | None,
    ) -> Decision:
        """``found`` with the answer as the law was known on the date of the facts when it
        differs (as :func:`disclosure.evaluate` gives it). ``situation``: the validated
        facts without the date, or ``None`` for a complete situation with a checked
        ``key``."""
        key = tuple(map(_dict_get, self.canonical, key))
        if situation is None:
            situation = dict(zip(self.names, key, strict=True))
        if earlier.outcome(key, situation, on) == found.outcome:
            return found  # the same answer either way: nothing to add
        contrast = known_then(found, earlier.decision(key, situation, on))
        return found if contrast is None else attrs.evolve(found, known_then=contrast)

    def template_of_new(self, table: Table, key: tuple[Any, ...]) -> Template | None:
        """The template of a situation not seen before whose key passed the fast path's
        checks, when its values are in their domains and the decision diagram proves it
        possible with an outcome (else ``None``: the careful path decides)."""
        if table.engine != "compiled" or not self.in_domains(key) or table.walk(key) is None:
            return None
        try:
            return table.template(tuple(map(_dict_get, self.canonical, key)))
        except DisclosureError:  # pragma: no cover - the diagram excludes gaps and conflicts
            return None

    def decision_chunk(self, chunk: list[Any], start: int) -> list[BulkDecision]:
        """The decisions (or errors) on a chunk of situations, ``start`` being the index
        of its first one: the fast path's checks run over the whole chunk at once."""
        checked = self.chunk_keys(chunk)
        if checked is None:
            return [self.decision_one(s, start + i) for i, s in enumerate(chunk)]
        keys, dates = checked
        if dates is None:
            undated = self._undated_decisions(chunk, keys)
            if undated is not None:
                return undated
        raws = dates if dates is not None else repeat(_NO_DATE, len(chunk))
        found: list[BulkDecision] = []
        receipts: dict[Any, Receipt] = {}
        earliers: dict[Any, Table | None] = {}
        by_date = self.by_date
        # raws may be an endless repeat: the chunk bounds the loop
        for offset, (situation, key, raw) in enumerate(zip(chunk, keys, raws, strict=False)):
            try:
                placed = by_date.get(raw)
                if placed is None:
                    self.place_date(raw)
                    placed = by_date.get(raw)
                template = None
                if placed is not None:
                    table = placed[0]
                    template = table.decisions.get(key) or self.template_of_new(table, key)
            except TypeError:  # unhashable values: the careful path names them
                template = None
            if template is None:
                found.append(self.decision_one(situation, start + offset))
                continue
            on = placed[1]  # type: ignore[index]
            facts = dict(situation)  # (only complete keys are remembered: no None here)
            if dates is not None:
                facts.pop(DATE_FACT, None)
            if on is not None:
                facts[DATE_FACT] = on
            receipt = receipts.get(placed)
            if receipt is None:
                receipt = receipts[placed] = table.receipt(on)
                earliers[placed] = self.earlier_table(table, on)
            made: BulkDecision = decision_from(template, facts, receipt)
            earlier = earliers[placed]
            if earlier is not None:
                try:
                    made = self.with_earlier(made, earlier, key, None, on)  # type: ignore[arg-type]
                except DisclosureError as error:
                    made = BulkError.from_error(start + offset, error)
            found.append(made)
        return found

    def _undated_decisions(
        self, chunk: list[Any], keys: list[tuple[Any, ...]]
    ) -> list[BulkDecision] | None:
        """The decisions on a checked chunk of situations without a date, all under one
        table, built with C-level ``map`` calls and one comprehension; ``None`` when one
        of them needs more (the caller's loop then takes each in turn)."""
        placed = self.by_date.get(_NO_DATE)
        if placed is None:
            self.place_date(_NO_DATE)
            placed = self.by_date.get(_NO_DATE)
            if placed is None:
                return None
        table, on = placed
        if self.earlier_table(table, on) is not None:
            return None  # the caller's loop adds the answer as known on the date
        try:
            templates = list(map(table.decisions.get, keys))
        except TypeError:  # unhashable values
            return None
        if None in templates:
            for offset in positions(templates, None):
                template = self.template_of_new(table, keys[offset])
                if template is None:
                    return None
                templates[offset] = template
        facts = list(map(dict, chunk))
        if on is not None:
            for each in facts:
                each[DATE_FACT] = on
        receipt = table.receipt(on)
        filled = cast(list[Template], templates)
        return cast(list[BulkDecision], decisions_from(filled, facts, receipt))

    def decision_one(self, situation: Any, index: int) -> BulkDecision:
        """The decision on one situation (or its error)."""
        quick = self.quick_key(situation)
        if quick is not None:
            key, raw = quick
            placed = template = None
            try:
                placed = self.by_date.get(raw)
                template = placed[0].decisions.get(key) if placed is not None else None
            except TypeError:  # unhashable values: the careful path names them
                pass
            if placed is not None and template is None:
                template = self.template_of_new(placed[0], key)
            if placed is not None and template is not None:
                table, on = placed
                facts = dict(situation)  # (only complete keys are remembered: no None)
                if raw is not _NO_DATE:
                    facts.pop(DATE_FACT, None)
                if on is not None:
                    facts[DATE_FACT] = on
                made = table.rebuild(template, facts, on)
                earlier = self.earlier_table(table, on)
                if earlier is not None:
                    try:
                        made = self.with_earlier(made, earlier, key, None, on)
                    except DisclosureError as error:
                        return BulkError.from_error(index, error)
                return made
        try:
            table, key, valid, on = self.careful(situation)
            made = table.decision(key, valid, on)
            earlier = self.earlier_table(table, on)
            if earlier is not None:
                made = self.with_earlier(made, earlier, key, valid, on)
            return made
        except DisclosureError as error:
            return BulkError.from_error(index, error)


_plans: dict[tuple[Any, ...], Plan] = {}
_plans_lock = threading.Lock()


def plan_for(
    family: Family,
    *,
    version: str | Version | None,
    on: Any,
    known_on: Any,
    readings: Mapping[str, str] | None,
    engine: str,
) -> Plan:
    """The plan for these terms, shared by the calls that use the same ones: what it
    learnt of each raw date value (its version) stays learnt."""
    try:
        key: tuple[Any, ...] | None = (
            id(family),
            version,
            on,
            known_on,
            tuple(sorted((readings or {}).items())),
            engine,
            dt.date.today(),
        )
        hash(key)
    except TypeError:  # unhashable terms: a plan of its own
        key = None
    with _plans_lock:
        found = _plans.get(key) if key is not None else None
        if found is not None and found.family is family:
            return found
    made = Plan(family, version=version, on=on, known_on=known_on, readings=readings, engine=engine)
    if key is not None:
        with _plans_lock:
            if len(_plans) >= MAX_TABLES:
                _plans.clear()
            _plans[key] = made
    return made


def positions(items: list[Any], value: Any) -> Iterator[int]:
    """The positions of ``value`` in ``items`` (found by ``list.index``, in C)."""
    index = items.index
    at = -1
    try:
        while True:
            at = index(value, at + 1)
            yield at
    except ValueError:
        return


def _chunks(situations: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(situations)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _outcome_stream(plan: Plan, situations: Iterable[Any], size: int) -> Iterator[BulkOutcome]:
    # every chunk but the last is full, so chunk i starts at i * size; chain() hands out
    # the items of each chunk's list at C speed (a generator's yield costs a frame resume
    # per item), and still reads the next chunk only when this one is used up
    chunks = _chunks(situations, size)
    return chain.from_iterable(map(plan.outcome_chunk, chunks, count(0, size)))


def _decision_stream(plan: Plan, situations: Iterable[Any], size: int) -> Iterator[BulkDecision]:
    chunks = _chunks(situations, size)
    return chain.from_iterable(map(plan.decision_chunk, chunks, count(0, size)))


def _check_chunk(chunk_size: int) -> None:
    if not isinstance(chunk_size, int) or isinstance(chunk_size, bool) or chunk_size < 1:
        raise DisclosureError(f"chunk_size must be a positive integer, not {chunk_size!r}")


@overload
def evaluate_many(
    situations: Iterable[Any],
    *,
    version: str | Version | None = ...,
    on: Any = ...,
    known_on: Any = ...,
    readings: Mapping[str, str] | None = ...,
    detail: Literal["outcome"],
    engine: str = ...,
    family: Family | None = ...,
    chunk_size: int = ...,
) -> Iterator[BulkOutcome]: ...


@overload
def evaluate_many(
    situations: Iterable[Any],
    *,
    version: str | Version | None = ...,
    on: Any = ...,
    known_on: Any = ...,
    readings: Mapping[str, str] | None = ...,
    detail: Literal["decision"] = ...,
    engine: str = ...,
    family: Family | None = ...,
    chunk_size: int = ...,
) -> Iterator[BulkDecision]: ...


def evaluate_many(
    situations: Iterable[Any],
    *,
    version: str | Version | None = None,
    on: Any = None,
    known_on: Any = None,
    readings: Mapping[str, str] | None = None,
    detail: Detail = "decision",
    engine: str = "compiled",
    family: Family | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> Iterator[BulkOutcome] | Iterator[BulkDecision]:
    """Evaluate many situations, streamed: one result per situation, in order.

    ``situations`` is any iterable of situations (mappings, or
    :class:`disclosure.Situation`); it is consumed lazily and memory stays constant
    however many there are. The terms are those of :func:`disclosure.evaluate`: the
    version is ``version`` if given, else the one in force on ``on`` or on each
    situation's ``date`` (today when it has none), as known on ``known_on``.

    ``detail="decision"`` (default) yields a :class:`disclosure.Decision` per situation,
    equal to what :func:`disclosure.evaluate` returns (decisions on situations with the
    same facts share their immutable parts). ``detail="outcome"`` yields only the
    :class:`disclosure.Outcome` (``None`` when facts it depends on are missing): the fast
    path, for impact analyses over millions of situations. Either way it reads
    ``chunk_size`` situations ahead; pass ``chunk_size=1`` to get each result before the
    next situation is read.

    A situation that cannot be evaluated yields a :class:`BulkError` in its place (its
    index, error type and message); nothing is dropped or reordered. Bad arguments (an
    unknown version, engine or reading, a malformed ``on``) raise at once.
    """
    if detail not in DETAILS:
        raise DisclosureError(f"unknown detail {detail!r}; details: {', '.join(DETAILS)}")
    _check_chunk(chunk_size)
    plan = plan_for(
        family or default_family(),
        version=version,
        on=on,
        known_on=known_on,
        readings=readings,
        engine=engine,
    )
    if detail == "outcome":
        return _outcome_stream(plan, situations, chunk_size)
    return _decision_stream(plan, situations, chunk_size)


#: one item of :func:`compare_many`: the outcome under each version, or the error
BulkComparison: TypeAlias = tuple[Outcome | None, ...] | BulkError


class Comparer:
    """Outcomes of the same situations under several named versions, sharing the fast
    path's checks."""

    def __init__(self, plans: list[Plan]) -> None:
        self.plans = plans
        self.names = [plan.version.name for plan in plans if plan.version is not None]

    def one(self, situation: Any, index: int) -> BulkComparison:
        """The outcomes of one situation under each version, or its error."""
        results = [plan.outcome_one(situation, index) for plan in self.plans]
        errors = [
            (n, r) for n, r in zip(self.names, results, strict=True) if isinstance(r, BulkError)
        ]
        if not errors:
            return tuple(results)  # type: ignore[arg-type]
        name, first = errors[0]
        if len(errors) == len(results) and len({e.message for _, e in errors}) == 1:
            return first
        return BulkError(index, first.error_type, f"under {name}: {first.message}")

    def chunk(self, chunk: list[Any], start: int) -> list[BulkComparison]:
        """The outcomes of a chunk under each version, ``start`` being its first index."""
        checked = self.plans[0].chunk_keys(chunk)
        if checked is not None:
            columns = [plan.chunk_outcomes(*checked) for plan in self.plans]
            if all(column is not None and None not in column for column in columns):
                return list(zip(*columns, strict=True))
        one = self.one
        return [one(situation, start + i) for i, situation in enumerate(chunk)]


def comparer_for(
    family: Family,
    versions: Sequence[str | Version],
    known_on: Any,
    readings: Mapping[str, str] | None,
    engine: str,
) -> Comparer:
    """The comparer of situations under each of ``versions`` (named, each as known on
    ``known_on`` or as enacted), sharing the plans of other calls with the same terms."""
    if isinstance(versions, str) or len(versions) < 1:
        raise DisclosureError("versions must be a sequence of version ids or aliases")
    return Comparer(
        [
            plan_for(
                family, version=v, on=None, known_on=known_on, readings=readings, engine=engine
            )
            for v in versions
        ]
    )


def compare_many(
    situations: Iterable[Any],
    versions: Sequence[str | Version],
    *,
    known_on: Any = None,
    readings: Mapping[str, str] | None = None,
    engine: str = "compiled",
    family: Family | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> Iterator[BulkComparison]:
    """The outcome of each situation under each of ``versions`` (ids or aliases), streamed:
    one tuple of outcomes (in the order of ``versions``) per situation, or a
    :class:`BulkError` in its place. Each version is taken as enacted, or as known on
    ``known_on`` when given (a retroactive annulment known by then removes its rule). A
    situation's ``date`` is checked but does not choose the version."""
    _check_chunk(chunk_size)
    comparer = comparer_for(family or default_family(), versions, known_on, readings, engine)

    def stream() -> Iterator[BulkComparison]:
        start = 0
        for chunk in _chunks(situations, chunk_size):
            yield from comparer.chunk(chunk, start)
            start += len(chunk)

    return stream()


def _label(outcome: Outcome | None) -> str:
    return outcome.value if outcome is not None else "undetermined"


@attrs.frozen
class ImpactRow:
    """One line of an impact table: how many situations went from ``before`` to
    ``after`` (outcome values, or ``"undetermined"``), and their share of the situations
    evaluated."""

    before: str
    after: str
    count: int
    share: float

    @property
    def changed(self) -> bool:
        """Whether the outcome differs between the two versions."""
        return self.before != self.after


@attrs.frozen
class Impact:
    """What changing from one version of the law to another does to a population of
    situations: counts by pair of outcomes."""

    before: str
    after: str
    counts: Mapping[tuple[str, str], int]
    errors: int = 0

    @property
    def evaluated(self) -> int:
        """Situations evaluated under both versions."""
        return sum(self.counts.values())

    @property
    def total(self) -> int:
        """Situations read, errors included."""
        return self.evaluated + self.errors

    @property
    def changed(self) -> int:
        """Situations whose outcome differs between the two versions."""
        return sum(n for (a, b), n in self.counts.items() if a != b)

    @property
    def rows(self) -> tuple[ImpactRow, ...]:
        """One row per pair of outcomes seen, most frequent first (changed pairs before
        unchanged ones of the same count)."""
        evaluated = self.evaluated or 1
        ordered = sorted(
            self.counts.items(), key=lambda item: (-item[1], item[0][0] == item[0][1], item[0])
        )
        return tuple(ImpactRow(a, b, n, n / evaluated) for (a, b), n in ordered)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "before": self.before,
            "after": self.after,
            "total": self.total,
            "evaluated": self.evaluated,
            "errors": self.errors,
            "changed": self.changed,
            "rows": [attrs.asdict(row) for row in self.rows],
        }


class ImpactCounter:
    """Counts pairs of outcomes as they stream by; :meth:`result` gives the
    :class:`Impact`. Counting is by identity (outcomes are singletons), which keeps it out
    of :class:`enum.Enum`'s Python-level hashing."""

    def __init__(self, before: str, after: str) -> None:
        self.before = before
        self.after = after
        self.errors = 0
        self._counts: Counter[tuple[int, int]] = Counter()
        self._labels = {id(o): _label(o) for o in (*Outcome, None)}

    def add_many(self, befores: Iterable[Outcome | None], afters: Iterable[Outcome | None]) -> None:
        """Count pairs (``befores[i]``, ``afters[i]``)."""
        self._counts.update(zip(map(id, befores), map(id, afters), strict=True))

    def result(self) -> Impact:
        """The :class:`Impact` of the pairs counted so far."""
        labels = self._labels
        counts: dict[tuple[str, str], int] = {}
        for (a, b), n in self._counts.items():
            pair = (labels[a], labels[b])
            counts[pair] = counts.get(pair, 0) + n
        return Impact(self.before, self.after, counts, self.errors)


def impact(
    situations: Iterable[Any],
    before: str | Version,
    after: str | Version,
    *,
    known_on: Any = None,
    readings: Mapping[str, str] | None = None,
    family: Family | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> Impact:
    """How many of ``situations`` a change from version ``before`` to version ``after``
    would change, and how: counts by pair of outcomes (see :class:`Impact`). Bad
    situations are counted in ``Impact.errors``."""
    _check_chunk(chunk_size)
    comparer = comparer_for(
        family or default_family(), (before, after), known_on, readings, "compiled"
    )
    counter = ImpactCounter(*comparer.names)
    start = 0
    for chunk in _chunks(situations, chunk_size):
        rows = comparer.chunk(chunk, start)
        start += len(chunk)
        good = [row for row in rows if not isinstance(row, BulkError)]
        counter.errors += len(rows) - len(good)
        counter.add_many((row[0] for row in good), (row[1] for row in good))
    return counter.result()
