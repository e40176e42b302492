"""The ``disclosure batch`` and ``disclosure sample`` commands.

``batch`` evaluates a file of situations (JSON Lines or CSV) and writes one result per
input line, streamed: memory does not grow with the file. ``sample`` writes realistic
synthetic situations to try it on. Both are plain :mod:`click` commands
(:data:`batch_command`, :data:`sample_command`) that the ``disclosure`` group registers.

JSON is read and written with orjson when it is installed (about four times faster than
the standard library on these lines), else with :mod:`json`.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, islice, repeat
from operator import itemgetter
from typing import IO, Any, NoReturn

import click

from disclosure._decide.bulk import (
    MAX_DATES,
    BulkError,
    ImpactCounter,
    _Comparer,
    _comparer,
    _Plan,
    _plan,
    _Table,
    positions,
)
from disclosure._decide.decision import Decision
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Family, _plain
from disclosure._ir.vocabulary import DATE_FACT, Vocabulary
from disclosure.errors import DisclosureError

try:  # pragma: no cover - depends on the environment
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None  # type: ignore[assignment]

__all__ = ["batch_command", "sample_command", "sample_situations"]

#: lines read, parsed and evaluated together
CHUNK = 512
#: bytes of JSON Lines read together on the path of remembered lines (about 700 lines)
BLOCK = 1 << 18
#: distinct lines (without their date) remembered with their results (about 750 bytes
#: each): when full, they are forgotten
MAX_LINES = 1 << 16
EXIT_BAD_INPUT = 2

# -- JSON ---------------------------------------------------------------------------------

if _orjson is not None:
    _loads: Callable[[bytes], Any] = _orjson.loads
    JSON_LIBRARY = "orjson"

    def _dumps(value: Any) -> bytes:
        return _orjson.dumps(value)

else:  # pragma: no cover - exercised only without orjson
    _loads = json.loads
    JSON_LIBRARY = "json"

    def _dumps(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _fail(message: str) -> NoReturn:
    raise click.UsageError(message)


# -- sample ------------------------------------------------------------------------------

# Relative weights of each fact's values in the synthetic population (see the help of
# `disclosure sample` and docs/how-to/batch-impact-analysis.md). A value of the vocabulary
# not listed here gets weight 1; a fact not listed is drawn uniformly.
_WEIGHTS: dict[str, dict[Any, float]] = {
    "holder": {
        "cpas_staff": 70,
        "social_security_staff": 15,
        "other_professional": 10,
        "cpas_council_member": 5,
    },
    "learned_through_profession": {True: 95, False: 5},
    "channel": {"request": 75, "hearing": 10, "own_initiative": 8, "case_consultation": 7},
    "offence": {
        "other_offence": 40,
        "terrorist_offence": 25,
        "none": 15,
        "offence_against_vulnerable": 10,
        "radicalisation_only": 10,
    },
    "information": {
        "administrative": 50,
        "social_report": 20,
        "confidence": 15,
        "medical": 10,
        "other": 5,
    },
    "danger": {"none": 85, "grave_imminent": 10, "serious_risk_to_others": 5},
    "safe_to_act": {True: 80, False: 20},
}
# weights that depend on the channel
_BY_CHANNEL: dict[str, dict[str, dict[Any, float]]] = {
    "request": {
        "authority": {
            "procureur_du_roi": 45,
            "police": 30,
            "investigating_judge": 8,
            "administrative_authority": 8,
            "federal_prosecutor": 5,
            "police_delegated_by_judge": 4,
        },
        "request_form": {"written_reasoned": 50, "oral": 30, "written_unreasoned": 20},
    },
    "hearing": {
        "authority": {
            "trial_court": 40,
            "investigating_judge": 30,
            "police": 20,
            "police_delegated_by_judge": 5,
            "parliamentary_inquiry": 5,
        },
        "request_form": {"written_reasoned": 60, "written_unreasoned": 20, "oral": 20},
    },
    "own_initiative": {
        "authority": {"procureur_du_roi": 60, "police": 35, "administrative_authority": 5},
        "request_form": {"none": 1},
    },
    "case_consultation": {
        "authority": {"none": 70, "police": 15, "procureur_du_roi": 15},
        "request_form": {"none": 1},
        "consultation_basis": {"statute": 60, "prosecutor_authorisation": 25, "none": 15},
        "consultation_purpose": {
            "terrorism_prevention": 40,
            "integrity": 30,
            "criminal_organisation": 15,
            "other": 15,
        },
    },
}
_OUTSIDE_CONSULTATION: dict[str, dict[Any, float]] = {
    "consultation_basis": {"none": 1},
    "consultation_purpose": {"none": 1},
}
# P(serious_indications) by offence, P(victim_vulnerable) by offence, P(only_means) by danger
_SERIOUS_INDICATIONS = {"terrorist_offence": 0.6, "radicalisation_only": 0.0}
_VULNERABLE = {"offence_against_vulnerable": 0.8}
#: years of dates drawn before the second version starts (the first one may be ancient)
_YEARS_BEFORE = 4


_RESOLUTION = 256  # weights are quantised to 1/256: one random byte draws one value


def _byte_table(values: Sequence[Any], weights: Mapping[Any, float] | None) -> list[Any]:
    """A list of 256 values, each appearing in proportion to its weight (largest
    remainders; every positive weight gets at least one slot), so that a random byte
    draws a value. Values without a weight are never drawn; no weights (or none for any
    value) means uniform."""
    pairs = [(v, float(weights.get(v, 0))) for v in values] if weights else []
    if not any(w > 0 for _, w in pairs):
        pairs = [(v, 1.0) for v in values]
    pairs = [(v, w) for v, w in pairs if w > 0]
    total = sum(w for _, w in pairs)
    exact = [w * _RESOLUTION / total for _, w in pairs]
    slots = [max(1, int(x)) for x in exact]
    order = sorted(range(len(pairs)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    index = 0
    while sum(slots) < _RESOLUTION:
        slots[order[index % len(order)]] += 1
        index += 1
    while sum(slots) > _RESOLUTION:
        largest = max(range(len(slots)), key=lambda i: slots[i])
        slots[largest] -= 1
    table: list[Any] = []
    for (value, _), count in zip(pairs, slots, strict=True):
        table.extend([value] * count)
    return table


def _chance(probability: float) -> list[bool]:
    true = round(probability * _RESOLUTION)
    return [True] * true + [False] * (_RESOLUTION - true)


class _Sampler:
    """Draws possible situations of a vocabulary with the documented weights: one random
    byte per fact, looked up in a table of 256 values."""

    def __init__(self, family: Family, seed: int, today: dt.date) -> None:
        self.vocabulary: Vocabulary = family.vocabulary
        self.rng = random.Random(seed)
        facts = self.vocabulary.condition_facts
        self.names = [fact.name for fact in facts]
        position = {name: i for i, name in enumerate(self.names)}
        self.tables = [_byte_table(fact.values, _WEIGHTS.get(fact.name)) for fact in facts]
        count = len(self.names)
        # channel-specific facts: (position, table per channel), each with its own byte
        self.channel = position.get("channel")
        self.specific: list[tuple[int, int, dict[Any, list[Any]]]] = []
        if self.channel is not None:
            specific_names = sorted(
                {name for table in _BY_CHANNEL.values() for name in table}
                | set(_OUTSIDE_CONSULTATION)
            )
            for name in specific_names:
                if name not in position:
                    continue
                per_channel = {}
                for value in self.vocabulary["channel"].values:
                    merged: dict[str, dict[Any, float]] = {
                        **_OUTSIDE_CONSULTATION,
                        **_BY_CHANNEL.get(value, {}),
                    }
                    weights = merged.get(name)
                    per_channel[value] = _byte_table(self.vocabulary[name].values, weights)
                self.specific.append((position[name], count, per_channel))
                count += 1
        # facts drawn with a probability that depends on another fact's value
        self.conditional: list[tuple[int, int, int, dict[Any, list[bool]], list[bool]]] = []
        for name, given, chances, default in (
            ("serious_indications", "offence", _SERIOUS_INDICATIONS, 0.03),
            ("victim_vulnerable", "offence", _VULNERABLE, 0.1),
            ("only_means", "danger", {"none": 0.0}, 0.5),
        ):
            if name in position and given in position and self.vocabulary[name].kind == "bool":
                tables = {value: _chance(p) for value, p in chances.items()}
                self.conditional.append(
                    (position[name], position[given], count, tables, _chance(default))
                )
                count += 1
        self.bytes = count
        self.possible: dict[tuple[Any, ...], bool] = {}
        self.dated = DATE_FACT in self.vocabulary
        versions = family.versions
        start = versions[0].valid_from
        if len(versions) > 1:
            second = versions[1].valid_from
            start = max(start, second.replace(year=second.year - _YEARS_BEFORE))
        last = versions[-1]
        end = max(today, last.valid_until or last.valid_from)
        self.days = [
            dt.date.fromordinal(day).isoformat()
            for day in range(start.toordinal(), end.toordinal() + 1)
        ]

    def _draw_values(self) -> list[Any]:
        noise = self.rng.randbytes(self.bytes)
        values = list(map(list.__getitem__, self.tables, noise))
        if self.channel is not None:
            channel = values[self.channel]
            for at, byte, tables in self.specific:
                values[at] = tables[channel][noise[byte]]
        for at, given, byte, tables, default in self.conditional:
            values[at] = tables.get(values[given], default)[noise[byte]]
        return values

    def _is_possible(self, values: list[Any]) -> bool:
        key = tuple(values)
        found = self.possible.get(key)
        if found is None:
            if len(self.possible) >= 1 << 16:
                self.possible.clear()
            situation = dict(zip(self.names, values, strict=True))
            found = self.possible[key] = self.vocabulary.is_possible(situation)
        return found

    def draw(self) -> dict[str, Any]:
        """One possible situation, its facts in vocabulary order (the date first)."""
        for _ in range(1000):
            values = self._draw_values()
            if self._is_possible(values):
                break
        else:  # the weights do not fit this vocabulary: fall back to uniform draws
            for _ in range(100_000):
                values = [self.rng.choice(self.vocabulary[n].values) for n in self.names]
                if self._is_possible(values):
                    break
            else:
                raise DisclosureError("no possible situation found by sampling this vocabulary")
        if not self.dated:
            return dict(zip(self.names, values, strict=True))
        situation = {DATE_FACT: self.days[int(self.rng.random() * len(self.days))]}
        situation.update(zip(self.names, values, strict=True))
        return situation


def sample_situations(
    family: Family, n: int, seed: int = 0, *, today: dt.date | None = None
) -> Iterator[dict[str, Any]]:
    """``n`` realistic synthetic situations of ``family`` (see ``disclosure sample
    --help`` for the distribution), reproducible from ``seed``; only combinations the
    vocabulary deems possible. ``today`` (default: today) bounds the dates."""
    sampler = _Sampler(family, seed, today or dt.date.today())
    for _ in range(n):
        yield sampler.draw()


def _json_fragment(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _jsonl_lines(situations: Iterable[dict[str, Any]]) -> Iterator[str]:
    fragments: dict[tuple[str, Any], str] = {}
    for situation in situations:
        parts = []
        for name, value in situation.items():
            fragment = fragments.get((name, value)) if name != DATE_FACT else None
            if fragment is None:
                fragment = f"{_json_fragment(name)}:{_json_fragment(value)}"
                if name != DATE_FACT:
                    fragments[(name, value)] = fragment
            parts.append(fragment)
        yield "{" + ",".join(parts) + "}\n"


_SAMPLE_HELP = """Write N realistic synthetic situations (JSON Lines, or CSV for a .csv
file or --format csv) to try `disclosure batch` on.

\b
The population (weights are relative; documented in docs/how-to):
- holder: CPAS staff 70, social security staff 15, other professional 10,
  CPAS council member 5; learned through the profession 95%;
- channel: request 75, hearing 10, own initiative 8, case consultation 7;
- a request comes from the procureur du Roi 45, police 30, investigating judge 8,
  administrative authority 8, federal prosecutor 5, police delegated by a judge 4,
  written and reasoned 50, oral 30, written unreasoned 20;
- a hearing: trial court 40, investigating judge 30, police 20, delegated police 5,
  parliamentary inquiry 5; own initiative: to the procureur 60, police 35,
  administrative authority 5; a case consultation has a statutory basis 60,
  a prosecutor's authorisation 25, none 15, and a purpose (terrorism prevention 40,
  integrity 30, criminal organisation 15, other 15);
- offence: other 40, terrorist 25, none 15, against a vulnerable person 10,
  radicalisation only 10; serious indications of terrorism 60% for a terrorist offence,
  never for radicalisation only, 3% otherwise; vulnerable victim 80% for an offence
  against a vulnerable person, 10% otherwise;
- information: administrative 50, social report 20, confidence 15, medical 10, other 5;
- danger: none 85, grave and imminent 10, serious risk to others 5; disclosure the only
  means 50% when there is a danger; safe to act 80%;
- date: uniform from four years before the second version to today, so every version
  of the law is represented in proportion to how long it governed.

Combinations the vocabulary declares impossible are never written (a draw that hits
one is drawn again). The same --seed gives the same file."""


@click.command("sample", help=_SAMPLE_HELP, short_help="Write synthetic situations.")
@click.option("--n", "count", type=click.IntRange(min=0), default=1000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("-o", "--output", default="-", metavar="FILE", help="Output file (default: stdout).")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default=None, help="Output format."
)
@click.option("--rulesets", metavar="PATH", default=None, help="A rule family folder.")
def sample_command(
    count: int, seed: int, output: str, fmt: str | None, rulesets: str | None
) -> None:
    family = _family(rulesets)
    fmt = fmt or ("csv" if output.lower().endswith(".csv") else "jsonl")
    situations = sample_situations(family, count, seed)
    with _open_text_output(output) as stream:
        if fmt == "jsonl":
            for chunk in _batches(_jsonl_lines(situations), CHUNK):
                stream.write("".join(chunk))
        else:
            writer = csv.writer(stream, lineterminator="\n")
            names = list(family.vocabulary.names)
            writer.writerow(names)
            for situation in situations:
                writer.writerow([_csv_text(situation.get(name)) for name in names])


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _family(path: str | None) -> Family:
    import disclosure

    return disclosure.load(path) if path else disclosure.load()


class _Closing:
    """A context manager that closes a stream unless it is a standard one."""

    def __init__(self, stream: Any, close: bool) -> None:
        self.stream = stream
        self.close = close

    def __enter__(self) -> Any:
        return self.stream

    def __exit__(self, *exc: object) -> None:
        if self.close:
            self.stream.close()
        else:
            self.stream.flush()


def _open_text_output(path: str) -> _Closing:
    if path == "-":
        return _Closing(sys.stdout, close=False)
    try:
        return _Closing(open(path, "w", encoding="utf-8", newline=""), close=True)
    except OSError as error:
        _fail(f"cannot write {path}: {error.strerror or error}")


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


# -- batch: reading ----------------------------------------------------------------------


class _ParseFailure:
    """An input line that is not a situation: why, in place of its facts."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def _parse_json_line(line: bytes) -> Any:
    try:
        return _loads(line)
    except ValueError as error:
        if not line.strip():
            return _ParseFailure("empty line")
        return _ParseFailure(f"not valid JSON: {error}")


class _JsonLinesReader:
    """Chunks of (situations, line numbers, bytes read) from a JSON Lines stream."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.line = 0
        self.measure = False

    def chunks(self, size: int) -> Iterator[tuple[list[bytes], range, int]]:
        for lines in _batches(self.stream, size):
            first = self.line + 1
            self.line += len(lines)
            yield lines, range(first, self.line + 1), sum(map(len, lines)) if self.measure else 0

    def blocks(self, size: int) -> Iterator[tuple[bytes, bool]]:
        """The stream in blocks of whole lines of about ``size`` bytes, each preceded by a
        ``\\n`` and without the ``\\n`` that ends its last line, with whether that line has
        one (only the last line of the stream may lack it). Lines are split at ``\\n``
        only, as iterating the stream does."""
        read = self.stream.read
        data = b"\n"
        while more := read(size):
            data += more
            cut = data.rfind(b"\n")
            if cut:  # else a line longer than a block: read on
                yield data[:cut], True
                data = data[cut:]
        if len(data) > 1:
            yield data, False


#: put between the lines of a chunk to parse them as one JSON array: a string made by an
#: escape, which no line can produce since a chunk with a backslash is not parsed this way
_SEPARATOR = b',"\\u001e",'
_SEPARATED = "\x1e"


def _parse_lines(lines: list[bytes]) -> list[Any]:
    """Each line's situation, or a :class:`_ParseFailure` in its place.

    A chunk without a backslash is parsed as one JSON array with a separator between the
    lines, about a quarter faster than line by line. The separator is a string no line can
    hold (it needs an escape), so when the array has the separator between every two
    elements, each line held exactly one value; otherwise (a bad line, a line with two
    values...) each line is parsed alone."""
    count = len(lines)
    if b"\\" not in b"".join(lines):  # a scan for one byte: faster than counting
        try:
            parsed = _loads(b"[" + _SEPARATOR.join(lines) + b"]")
        except ValueError:
            parsed = None
        if (
            type(parsed) is list
            and len(parsed) == 2 * count - 1
            and parsed[1::2].count(_SEPARATED) == count - 1
        ):
            return parsed[::2]
    try:
        return list(map(_loads, lines))
    except ValueError:
        return [_parse_json_line(line) for line in lines]


class _CsvReader:
    """Chunks of situations from a CSV stream with a header row of fact names. Empty cells
    are facts not given; ``true``/``false`` become booleans for the vocabulary's bool
    facts."""

    def __init__(self, stream: IO[bytes], vocabulary: Vocabulary) -> None:
        self.text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        self.reader = csv.reader(self.text)
        self.bools = {fact.name for fact in vocabulary.facts if fact.kind == "bool"}
        self.position = 0
        self.measure = False

    def _row(self, header: list[str], row: list[str]) -> Any:
        if len(row) != len(header):
            return _ParseFailure(f"{len(row)} fields where the header has {len(header)}")
        situation: dict[str, Any] = {}
        for name, cell in zip(header, row, strict=True):
            if cell == "":
                continue
            if name in self.bools:
                lowered = cell.strip().lower()
                situation[name] = (
                    True if lowered == "true" else False if lowered == "false" else cell
                )
            else:
                situation[name] = cell
        return situation

    def chunks(self, size: int) -> Iterator[tuple[list[Any], list[int], int]]:
        try:
            header = next(self.reader)
        except StopIteration:
            return
        except csv.Error as error:
            _fail(f"line 1: not valid CSV: {error}")
        header = [name.strip() for name in header]
        while True:
            situations: list[Any] = []
            lines: list[int] = []
            for _ in range(size):
                try:
                    row = next(self.reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    situations.append(_ParseFailure(f"not valid CSV: {error}"))
                else:
                    situations.append(
                        self._row(header, row) if row else _ParseFailure("empty line")
                    )
                lines.append(self.reader.line_num)
            if not situations:
                return
            position = self.text.buffer.tell() if self.text.buffer.seekable() else 0
            yield situations, lines, max(position - self.position, 0)
            self.position = position


# -- batch: writing ----------------------------------------------------------------------


class _Row:
    """What one output line says."""

    __slots__ = ("compare", "decision", "error", "id", "line", "outcome", "version")

    def __init__(self, line: int) -> None:
        self.line = line
        self.id: Any = None
        self.outcome: Outcome | None = None
        self.version: str | None = None
        self.decision: Decision | None = None
        self.error: tuple[str, str] | None = None
        self.compare: tuple[Outcome | None, ...] | None = None


def _value(outcome: Outcome | None) -> str | None:
    return outcome.value if outcome is not None else None


class _Decisions:
    """JSON-ready decisions, serialised once per distinct template (a decision's JSON is
    tens of kilobytes: its trace cites and summarises every rule). Only the parts that
    differ between situations with the same key (facts, the receipt's date) are redone,
    the same way :meth:`Decision.to_dict` renders them."""

    def __init__(self) -> None:
        self._cache: dict[int, tuple[Decision, dict[str, Any]]] = {}

    def to_dict(self, decision: Decision) -> dict[str, Any]:
        key = id(decision.trace)  # decisions rebuilt from one template share its trace
        found = self._cache.get(key)
        if found is None or found[0].trace is not decision.trace:
            if len(self._cache) >= 4096:
                self._cache.clear()
            plain = decision.to_dict()
            self._cache[key] = (decision, plain)
            return plain
        template, plain = found
        if template.facts == decision.facts and template.receipt == decision.receipt:
            return plain
        receipt = plain["receipt"]
        return {
            **plain,
            "facts": _plain(decision.facts),
            "receipt": {**receipt, "on": _plain(decision.receipt.on)},
        }


class _Writer:
    """Writes result rows as JSON Lines or CSV."""

    def __init__(
        self,
        stream: IO[bytes],
        fmt: str,
        detail: str,
        compare: Sequence[str],
        with_id: bool,
    ) -> None:
        self.stream = stream
        self.fmt = fmt
        self.detail = detail
        self.compare = list(compare)
        self.with_id = with_id
        self.decisions = _Decisions()
        self._fragments: dict[tuple[int, str | None], bytes] = {}
        if fmt == "csv":
            self.text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
            self.csv = csv.writer(self.text, lineterminator="\n")
            header = ["line", *(["id"] if with_id else []), "outcome", "version"]
            if detail == "decision":
                header += ["winners", "basis", "duty_bearer", "missing_facts"]
            header += [f"outcome@{name}" for name in self.compare]
            header += ["error", "message"]
            self.csv.writerow(header)

    def _fragment(self, outcome: Outcome | None, version: str | None) -> bytes:
        key = (id(outcome), version)
        found = self._fragments.get(key)
        if found is None:
            text = _dumps({"outcome": _value(outcome), "version": version})[1:]
            found = self._fragments[key] = b"," + text + b"\n"
        return found

    def write(self, rows: list[_Row]) -> None:
        if self.fmt == "csv":
            self._write_csv(rows)
        else:
            self.stream.write(b"".join(map(self._jsonl, rows)))

    def _jsonl(self, row: _Row) -> bytes:
        head = b'{"line":%d' % row.line
        if self.with_id:
            head += b',"id":' + _dumps(row.id)
        if row.error is not None:
            return (
                head + b"," + _dumps({"error": row.error[0], "message": row.error[1]})[1:] + b"\n"
            )
        if row.decision is not None:
            plain = self.decisions.to_dict(row.decision)
            body = {"version": row.version, **plain}
        elif row.compare is None:
            return head + self._fragment(row.outcome, row.version)
        else:
            body = {"outcome": _value(row.outcome), "version": row.version}
        if row.compare is not None:
            body["compare"] = {
                name: _value(o) for name, o in zip(self.compare, row.compare, strict=True)
            }
        return head + b"," + _dumps(body)[1:] + b"\n"

    def _write_csv(self, rows: list[_Row]) -> None:
        for row in rows:
            cells: list[Any] = [row.line, *([_csv_text(row.id)] if self.with_id else [])]
            if row.error is not None:
                cells += ["", ""]
                if self.detail == "decision":
                    cells += ["", "", "", ""]
                cells += [""] * len(self.compare)
                cells += list(row.error)
            else:
                cells += [_value(row.outcome) or "", row.version or ""]
                if self.detail == "decision":
                    decision = row.decision
                    assert decision is not None
                    cells += [
                        ";".join(decision.winners),
                        ";".join(c.label for c in decision.basis),
                        decision.duty_bearer or "",
                        ";".join(decision.missing_facts),
                    ]
                cells += [_value(o) or "" for o in row.compare or ()]
                cells += ["", ""]
            self.csv.writerow(cells)

    def close(self) -> None:
        if self.fmt == "csv":
            self.text.flush()
            self.text.detach()
        self.stream.flush()


# -- batch: the command ------------------------------------------------------------------


class _Summary:
    """Counts for the summary printed at the end."""

    def __init__(self) -> None:
        self.lines = 0
        self.errors: Counter[str] = Counter()
        # every outcome, seen or not (in this order when counts tie): the summary does not
        # depend on how the lines were grouped
        self.outcomes: Counter[int] = Counter(dict.fromkeys(map(id, _OUTCOMES), 0))
        self.versions: Counter[str | None] = Counter()
        self.started = time.perf_counter()


def _input_format(path: str, given: str | None) -> str:
    if given:
        return given
    return "csv" if path.lower().endswith(".csv") else "jsonl"


def _show_progress(enabled: bool | None) -> bool:
    if enabled is not None:
        return enabled
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty()


@click.command("batch", short_help="Evaluate a file of situations.")
@click.argument("input_path", metavar="INPUT")
@click.option("-o", "--output", default="-", metavar="FILE", help="Output file (default: stdout).")
@click.option(
    "--input-format",
    type=click.Choice(["jsonl", "csv"]),
    default=None,
    help="Input format (default: by extension; JSON Lines unless .csv).",
)
@click.option(
    "--output-format",
    type=click.Choice(["jsonl", "csv"]),
    default=None,
    help="Output format (default: by extension of -o; JSON Lines unless .csv).",
)
@click.option("--version", "version", default=None, help="A version id or alias for every line.")
@click.option("--on", default=None, metavar="DATE", help="Date of the facts for every line (ISO).")
@click.option("--known-on", default=None, metavar="DATE", help="Law as known on this date.")
@click.option(
    "--reading", "reading_pairs", multiple=True, metavar="POINT=READING", help="A reading."
)
@click.option(
    "--detail",
    type=click.Choice(["outcome", "decision"]),
    default="outcome",
    show_default=True,
    help="outcome: outcome and version per line (fast); decision: the full decision.",
)
@click.option(
    "--compare",
    "compare",
    default=None,
    metavar="A,B",
    help="Also give each line's outcome under versions A and B, and print an impact table.",
)
@click.option(
    "--id-field",
    default=None,
    metavar="NAME",
    help="An input field that identifies the line: copied to the output, not evaluated.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="A progress bar (default: only when stderr is a terminal, never under CI).",
)
@click.option("--rulesets", metavar="PATH", default=None, help="A rule family folder.")
def batch_command(
    input_path: str,
    output: str,
    input_format: str | None,
    output_format: str | None,
    version: str | None,
    on: str | None,
    known_on: str | None,
    reading_pairs: tuple[str, ...],
    detail: str,
    compare: str | None,
    id_field: str | None,
    progress: bool | None,
    rulesets: str | None,
) -> None:
    """Evaluate every situation of INPUT (JSON Lines, or CSV with a header row of fact
    names; - for standard input) and write one line per input line: its line number and
    outcome, or its error. Memory stays flat however long the file.

    Each line is evaluated under the law in force on its `date` (today if it has none),
    or under --version / --on for every line. A summary (counts by outcome, errors, rate)
    is printed at the end, on stderr when the results go to stdout."""
    family = _family(rulesets)
    readings = {}
    for pair in reading_pairs:
        point, sep, reading = pair.partition("=")
        if not sep:
            _fail(f"--reading {pair!r} must look like point=reading")
        readings[point.strip()] = reading.strip()
    plan = _plan(
        family, version=version, on=on, known_on=known_on, readings=readings, engine="compiled"
    )
    comparer: _Comparer | None = None
    compared: list[str] = []
    if compare is not None:
        compared = [name.strip() for name in compare.split(",") if name.strip()]
        if len(compared) != 2:
            _fail(f"--compare takes two versions, A,B; not {compare!r}")
        comparer = _comparer(family, compared, known_on, readings, "compiled")
    in_fmt = _input_format(input_path, input_format)
    out_fmt = _input_format(output, output_format)
    source = _open_input(input_path)
    target = _open_binary_output(output)
    summary_stream = sys.stderr if output == "-" else sys.stdout
    writer = _Writer(target, out_fmt, detail, compared, id_field is not None)
    batch = _Batch(family, plan, comparer, writer, detail, id_field)
    reader: _JsonLinesReader | _CsvReader = (
        _CsvReader(source, family.vocabulary) if in_fmt == "csv" else _JsonLinesReader(source)
    )
    size = _input_size(source)
    bar = _progress(size) if _show_progress(progress) else None
    reader.measure = bar is not None
    # the law, its tables and the command's own objects are long-lived: moved out of the
    # cyclic garbage collector's sight, its full collections do not walk them again and
    # again (a fifth of the time of a long batch)
    gc.freeze()
    try:
        if isinstance(reader, _JsonLinesReader) and batch.fast:
            line = 1
            for text, ended in reader.blocks(BLOCK):
                line += batch.process_block(text, ended, line)
                if bar is not None:
                    bar.advance(len(text))
        for items, lines, consumed in reader.chunks(CHUNK):  # nothing left after blocks
            if in_fmt == "csv":
                batch.process(items, lines)
            else:
                batch.process_lines(items, lines)  # type: ignore[arg-type]
            if bar is not None:
                bar.advance(consumed)
    finally:
        gc.unfreeze()
        if bar is not None:
            bar.stop()
        writer.close()
        if input_path != "-":
            source.close()
        if output != "-":
            target.close()
    summary, impact = batch.summary, batch.impact
    _print_summary(summary, impact.result() if impact else None, summary_stream)


def _open_input(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb", buffering=1 << 20)
    except OSError as error:
        _fail(f"cannot read {path}: {error.strerror or error}")


def _open_binary_output(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdout.buffer
    try:
        return open(path, "wb", buffering=1 << 20)
    except OSError as error:
        _fail(f"cannot write {path}: {error.strerror or error}")


def _input_size(stream: IO[bytes]) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size or None
    except (OSError, ValueError, io.UnsupportedOperation):
        return None


class _Bar:
    def __init__(self, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self.progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("evaluating", total=total)
        self.progress.start()

    def advance(self, amount: int) -> None:
        self.progress.advance(self.task, amount)

    def stop(self) -> None:
        self.progress.stop()


def _progress(total: int | None) -> _Bar:
    return _Bar(total)


class _Batch:
    """Evaluates chunks of situations and writes their lines; counts for the summary.

    The common case (outcomes to JSON Lines, no error in the chunk) is written without a
    Python loop per line: every possible ending of a line (its outcome and version, and
    the compared outcomes) is prepared once, and a chunk's lines are joined from them."""

    def __init__(
        self,
        family: Family,
        plan: _Plan,
        comparer: _Comparer | None,
        writer: _Writer,
        detail: str,
        id_field: str | None,
    ) -> None:
        self.plan = plan
        self.comparer = comparer
        self.writer = writer
        self.detail = detail
        self.id_field = id_field
        self.summary = _Summary()
        self.impact = ImpactCounter(*comparer.names) if comparer is not None else None
        self.fast = detail == "outcome" and writer.fmt == "jsonl" and id_field is None
        self.lines = _Lines(self) if self.fast else None
        outcomes = (*Outcome, None)
        close = b"}\n" if comparer is None else b""
        self.ends: dict[str | None, dict[int, bytes]] = {
            version.id: {
                id(o): b"," + _dumps({"outcome": _value(o), "version": version.id})[1:-1] + close
                for o in outcomes
            }
            for version in family.versions
        }
        names = comparer.names if comparer is not None else []
        self.compare_ends = {
            (id(a), id(b)): b',"compare":'
            + _dumps(dict(zip(names, (_value(a), _value(b)), strict=False)))
            + b"}\n"
            for a in outcomes
            for b in outcomes
        }

    def process(self, situations: list[Any], lines: Sequence[int]) -> None:
        """Evaluate and write a chunk of situations (or parse failures)."""
        start = self.summary.lines
        self.summary.lines += len(situations)
        ids: list[Any] = []
        if self.id_field is not None:
            field = self.id_field
            ids = [s.pop(field, None) if type(s) is dict else None for s in situations]
        results, versions, comparisons = self._evaluate(situations, start)
        self._emit(situations, lines, ids, results, versions, comparisons)

    def process_lines(self, raw: list[bytes], lines: range) -> None:
        """Parse, evaluate and write a chunk of JSON Lines."""
        self.process(_parse_lines(raw), lines)

    def process_block(self, text: bytes, ended: bool, first: int) -> int:
        """Evaluate and write a block of JSON Lines (see :meth:`_JsonLinesReader.blocks`)
        whose first line is line ``first``; its count of lines. From the lines already seen
        when it can (see :class:`_Lines`), else in chunks of :data:`CHUNK` lines."""
        if self.lines is not None:
            count = self.lines.write(text, first)
            if count:
                self.summary.lines += count
                return count
        raw = list(map(bytes.__add__, text[1:].split(b"\n"), repeat(b"\n")))
        if not ended:
            raw[-1] = raw[-1][:-1]
        for offset in range(0, len(raw), CHUNK):
            part = raw[offset : offset + CHUNK]
            self.process_lines(part, range(first + offset, first + offset + len(part)))
        return len(raw)

    def _evaluate(
        self, situations: list[Any], start: int
    ) -> tuple[list[Any], list[str | None], list[Any] | None]:
        if self.detail == "decision":
            plan = self.plan
            results: list[Any] = [plan.decision_one(s, start + i) for i, s in enumerate(situations)]
            versions: list[str | None] = [
                r.receipt.version if type(r) is Decision else None for r in results
            ]
        else:
            results, versions = self.plan.outcome_chunk_versions(situations, start)
        comparisons = self.comparer.chunk(situations, start) if self.comparer is not None else None
        return results, versions, comparisons

    def _emit(
        self,
        situations: list[Any],
        lines: Sequence[int],
        ids: list[Any],
        results: list[Any],
        versions: list[str | None],
        comparisons: list[Any] | None,
    ) -> None:
        if self.fast and self._write_fast(results, versions, comparisons, lines):
            return
        self._write_rows(situations, lines, ids, results, versions, comparisons)

    def _write_fast(
        self,
        results: list[Any],
        versions: list[str | None],
        comparisons: list[Any] | None,
        lines: Sequence[int],
    ) -> bool:
        if list(map(type, results)).count(BulkError) or not isinstance(lines, range):
            return False
        try:
            tails = list(
                map(dict.__getitem__, map(self.ends.__getitem__, versions), map(id, results))
            )
            heads = list(map(b'{"line":%d'.__mod__, lines))
            if comparisons is None:
                parts = zip(heads, tails, strict=True)
            else:
                if list(map(type, comparisons)).count(BulkError):
                    return False
                before = list(map(_first, comparisons))
                after = list(map(_second, comparisons))
                compared = list(
                    map(
                        self.compare_ends.__getitem__,
                        zip(map(id, before), map(id, after), strict=True),
                    )
                )
                parts = zip(heads, tails, compared, strict=True)  # type: ignore[assignment]
        except KeyError:  # a version without a line ending: the general path
            return False
        self.writer.stream.write(b"".join(chain.from_iterable(parts)))
        summary = self.summary
        outcomes = summary.outcomes
        for outcome in _OUTCOMES:  # list.count: one identity test per line
            outcomes[id(outcome)] += results.count(outcome)
        for version in set(versions):
            summary.versions[version] += versions.count(version)
        if comparisons is not None and self.impact is not None:
            self.impact.add_many(before, after)
        return True

    def _write_rows(
        self,
        situations: list[Any],
        lines: Sequence[int],
        ids: list[Any],
        results: list[Any],
        versions: list[str | None],
        comparisons: list[Any] | None,
    ) -> None:
        summary = self.summary
        rows = []
        for offset, (line, result) in enumerate(zip(lines, results, strict=True)):
            row = _Row(line)
            if ids:
                row.id = ids[offset]
            situation = situations[offset]
            if type(situation) is _ParseFailure:
                row.error = ("ParseError", situation.message)
            elif type(result) is BulkError:
                row.error = (result.error_type, result.message)
            else:
                if type(result) is Decision:
                    row.decision = result
                    row.outcome = result.outcome
                else:
                    row.outcome = result
                row.version = versions[offset]
                if comparisons is not None:
                    compared = comparisons[offset]
                    if type(compared) is BulkError:
                        row.error = (compared.error_type, compared.message)
                    else:
                        row.compare = compared
            if row.error is not None:
                summary.errors[row.error[0]] += 1
                if self.impact is not None:
                    self.impact.errors += 1
            else:
                summary.outcomes[id(row.outcome)] += 1
                summary.versions[row.version] += 1
                if self.impact is not None and row.compare is not None:
                    self.impact.add_many((row.compare[0],), (row.compare[1],))
            rows.append(row)
        self.writer.write(rows)


_first = itemgetter(0)
_second = itemgetter(1)
_OUTCOMES: tuple[Outcome | None, ...] = (*Outcome, None)

#: what starts every line of a block that the path of remembered lines takes
_DATED = b'\n{"date":"'
#: cuts a block into ``[b"", date, rest, date, rest...]``: each line's ten characters
#: after ``{"date":"`` and the rest of the line (one C call, no slicing per line). A line
#: the pattern does not cut at stays in the rest before it, which then holds a newline
#: and ``"date"``: it is never remembered, and a block with one takes the usual path
_SPLIT_DATED = re.compile(rb'\n\{"date":"(.{10})', re.DOTALL).split
_DATE_VALUE = re.compile(rb"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HEAD = b'{"line":%d'
#: tables remembered beyond one per version (other terms: another ``known_on``...)
_EXTRA_TABLES = 2


class _Lines:
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
    and the date, placed once per distinct value as :meth:`_Plan.place_date` places it,
    picks the table. A block without ``"date"`` remembers whole lines (the same bytes are
    the same situation). Anything else (a line not seen yet, an unknown date, a result
    that is an error) is evaluated the usual way; a block with an error, a backslash or
    another shape is left to the usual path whole.

    What is remembered is plain bytes and tuples of strings, which the cyclic garbage
    collector does not track: the end of the output line (outcome, version, compared
    outcomes; ``%`` doubled, since a block is written with one ``%`` formatting of its
    line numbers) in a dict per table, and the line's key and compared outcomes. Memory
    is bounded: :data:`MAX_LINES` lines, :data:`MAX_DATES` dates."""

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        self.plan = batch.plan
        self.comparer = batch.comparer
        self.capacity = max(1, len(batch.plan.family.versions) + _EXTRA_TABLES)
        # every value of every enum fact is a str: see _settle
        self.plain = all(
            isinstance(value, str)
            for fact in batch.plan.vocabulary.condition_facts
            if fact.kind != "bool"
            for value in fact.values
        )
        # rest of a line -> (key, end of the line for the compared outcomes, or b"")
        self.keys: dict[bytes, tuple[tuple[Any, ...], bytes]] = {}
        # per table (slot 0: no table): rest of a line -> end of its output line
        self.ends: list[dict[bytes, bytes]] = [{}]
        self.tables: list[_Table | None] = [None]
        # per table: outcome -> end of its output lines without compared outcomes
        self.leaves: list[dict[Any, bytes]] = [{}]
        self.slots: dict[_Table, int] = {}
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

    def slot_of(self, table: _Table) -> int:
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
            ends = self.batch.ends.get(version)
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
        found = self.batch.compare_ends[(id(pair[0]), id(pair[1]))]
        self.pairs[found] = pair
        return found

    # -- a block

    def write(self, text: bytes, first: int) -> int:
        """Write the results of a block of lines (as :meth:`_JsonLinesReader.blocks` gives
        it) and give their count; 0 (nothing written, nothing counted) if it must take the
        usual path."""
        if b"\\" in text:
            return 0
        if text.startswith(_DATED):
            parts = _SPLIT_DATED(text)
            if parts[0]:
                return 0
            tails = self._dated(parts[1::2], parts[2::2])
        elif b'"date"' not in text:
            tails = self._undated(text[1:].split(b"\n"))
        else:
            return 0
        if tails is None:
            return 0
        count = len(tails)
        self.batch.writer.stream.write(
            (_HEAD + _HEAD.join(tails)) % tuple(range(first, first + count))
        )
        self._count(tails)
        return count

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
        diagram, as :meth:`_Plan.outcome_of` does; any other is evaluated the usual way."""
        situations = _parse_lines(lines)
        if list(map(type, situations)).count(_ParseFailure):
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

    def _count(self, tails: list[bytes]) -> None:
        """Count a written block for the summary (and the impact table), as
        :meth:`_Batch._write_fast` does."""
        summary = self.batch.summary
        impact = self.batch.impact
        by_outcome: dict[int, int] = {}
        by_version: dict[str, int] = {}
        info = self.info
        for tail, number in Counter(tails).items():
            outcome, version, pair = info[tail]
            by_outcome[id(outcome)] = by_outcome.get(id(outcome), 0) + number
            by_version[version] = by_version.get(version, 0) + number
            if impact is not None and pair is not None:
                impact.add_many(repeat(pair[0], number), repeat(pair[1], number))
        outcomes = summary.outcomes
        for outcome in _OUTCOMES:
            outcomes[id(outcome)] += by_outcome.get(id(outcome), 0)
        for version, number in by_version.items():
            summary.versions[version] += number


_UNSEEN = object()
_dict_get: Callable[[Any, Any], Any] = dict.get


def _percent(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%" if total else "-"


def _print_summary(summary: _Summary, impact: Any, stream: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    elapsed = time.perf_counter() - summary.started
    console = Console(file=stream, highlight=False, soft_wrap=True)
    errors = sum(summary.errors.values())
    evaluated = summary.lines - errors
    rate = summary.lines / elapsed if elapsed > 0 else 0.0
    console.print(
        f"{summary.lines:,} lines: {evaluated:,} evaluated, {errors:,} errors "
        f"in {elapsed:.2f} s ({rate:,.0f} lines/s)"
    )
    labels = {id(o): (o.value if o is not None else "undetermined") for o in (*Outcome, None)}
    if evaluated:
        parts = [
            f"{labels[key]} {count:,} ({_percent(count, evaluated)})"
            for key, count in summary.outcomes.most_common()
        ]
        console.print("outcomes: " + ", ".join(parts))
        versions = [f"{name} {count:,}" for name, count in summary.versions.most_common() if name]
        if versions:
            console.print("versions: " + ", ".join(versions))
    if errors:
        console.print("errors: " + ", ".join(f"{k} {n:,}" for k, n in summary.errors.most_common()))
    if impact is not None:
        table = Table(title=f"impact: {impact.before} → {impact.after}")
        table.add_column(impact.before)
        table.add_column(impact.after)
        table.add_column("situations", justify="right")
        table.add_column("share", justify="right")
        for row in impact.rows:
            style = "bold" if row.changed else None
            table.add_row(
                row.before, row.after, f"{row.count:,}", f"{100 * row.share:.1f}%", style=style
            )
        console.print(table)
        console.print(
            f"changed: {impact.changed:,} of {impact.evaluated:,} "
            f"({_percent(impact.changed, impact.evaluated)})"
        )
