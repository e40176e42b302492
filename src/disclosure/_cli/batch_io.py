"""The batch's readers and writers: JSON Lines and CSV in, JSON Lines and CSV out.

Every reader reads with the edge's size cap (:mod:`disclosure._edge`): a line longer than
the limit is skipped without being kept (its length is counted) and becomes an error
record; no line is ever read whole and then checked. Values of CSV cells are read by the
one value parser (:func:`disclosure._edge.parse_text_value`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import IO, Any

from disclosure._cli.sample import csv_text
from disclosure._decide.decision import Decision
from disclosure._edge import Limits, dumps, parse_text_value
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import canonical_json
from disclosure._ir.ruleset import plain as plain_data
from disclosure._ir.vocabulary import Vocabulary
from disclosure.errors import FactError, InputError, did_you_mean, excerpt

__all__ = [
    "CsvReader",
    "Decisions",
    "JsonLinesReader",
    "LongLine",
    "Row",
    "Writer",
    "outcome_value",
]


# -- reading --------------------------------------------------------------------------------


class LongLine:
    """A line longer than the size limit, in place of its bytes (which were skipped)."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length

    def error(self, limits: Limits) -> InputError:
        """Its error record."""
        return InputError(
            f"a line of {self.length:,} bytes, more than the limit of "
            f"{limits.max_input_bytes:,} bytes (set DISCLOSURE_MAX_INPUT_BYTES to raise it)",
            setting="DISCLOSURE_MAX_INPUT_BYTES",
        )


def _split_long(block: bytes, cap: int) -> Iterator[tuple[bytes, bool] | LongLine]:
    """A block (as :meth:`JsonLinesReader.blocks` yields it) that holds a line longer than
    ``cap``: its runs of ordinary lines as blocks, and a :class:`LongLine` for each long
    one."""
    run: list[bytes] = []
    for line in block[1:].split(b"\n"):
        if len(line) > cap:
            if run:
                yield b"\n" + b"\n".join(run), True
                run = []
            yield LongLine(len(line))
        else:
            run.append(line)
    if run:
        yield b"\n" + b"\n".join(run), True


class JsonLinesReader:
    """Blocks, or chunks of lines, of a JSON Lines stream, each line at most
    ``limits.max_input_bytes`` long (a longer one comes as a :class:`LongLine`)."""

    def __init__(self, stream: IO[bytes], limits: Limits) -> None:
        self.stream = stream
        self.limits = limits
        self.line = 0
        self.measure = False

    def _read(self) -> Any:
        # read1 returns what a pipe holds: between two reads the interpreter runs, and a
        # Ctrl-C that came meanwhile is not left waiting behind a blocking read
        return getattr(self.stream, "read1", self.stream.read)

    def lines(self) -> Iterator[bytes | LongLine]:
        """Each line (with its newline), or a :class:`LongLine`."""
        readline = self.stream.readline
        cap = self.limits.max_input_bytes
        while line := readline(cap + 1):
            if len(line) <= cap or line.endswith(b"\n"):
                yield line
                continue
            length = len(line)
            while (rest := readline(cap + 1)) and not rest.endswith(b"\n"):
                length += len(rest)
            yield LongLine(length + max(len(rest) - 1, 0))

    def chunks(self, size: int) -> Iterator[tuple[list[bytes | LongLine], range, int]]:
        """Chunks of ``size`` lines, their line numbers and (when measured) their size."""
        lines = self.lines()
        while chunk := list(islice(lines, size)):
            first = self.line + 1
            self.line += len(chunk)
            consumed = (
                sum(x.length if isinstance(x, LongLine) else len(x) for x in chunk)
                if self.measure
                else 0
            )
            yield chunk, range(first, self.line + 1), consumed

    def blocks(self, size: int) -> Iterator[tuple[bytes, bool] | LongLine]:
        """The stream in blocks of whole lines of about ``size`` bytes, each preceded by a
        ``\\n`` and without the ``\\n`` that ends its last line, with whether that line
        has one (only the last line of the stream may lack it); a line longer than the
        limit comes alone as a :class:`LongLine`, its bytes skipped. Lines are split at
        ``\\n`` only, as iterating the stream does."""
        read = self._read()
        cap = self.limits.max_input_bytes
        size = min(size, cap + 1)
        data = b"\n"
        while more := read(size):
            data += more
            cut = data.rfind(b"\n")
            if cut:  # else a line longer than a block: read on
                block, data = data[:cut], data[cut:]
                if len(block) > cap:
                    yield from _split_long(block, cap)
                else:
                    yield block, True
            if len(data) > cap + 1:  # the line being read is too long: skip to its end
                length = len(data) - 1
                while True:
                    more = read(size)
                    at = more.find(b"\n")
                    if at < 0:
                        length += len(more)
                        if not more:
                            yield LongLine(length)
                            return
                        continue
                    yield LongLine(length + at)
                    data = more[at:]
                    break
        if len(data) > 1:
            yield data, False


#: the mark of a text that was not UTF-8 (decoded with ``surrogateescape``)
_NOT_UTF8 = "not UTF-8 text; save the file as UTF-8"


class CsvReader:
    """Chunks of situations from a CSV stream with a header row of fact names (checked
    before any row is read). Empty cells are facts not given; other cells are read by the
    one value parser (``null`` is unknown; ``true``/``false`` for a yes/no fact)."""

    def __init__(
        self,
        stream: IO[bytes],
        vocabulary: Vocabulary,
        limits: Limits,
        id_field: str | None = None,
    ) -> None:
        self.stream = stream
        self.vocabulary = vocabulary
        self.limits = limits
        self.id_field = id_field
        self.long: dict[int, int] = {}  # physical line -> length, of lines too long
        self.physical = 0
        self.consumed = 0
        self.position = 0
        self.measure = False
        csv.field_size_limit(max(limits.max_input_bytes, 1 << 17))
        self.reader = csv.reader(self._text_lines())
        self.header: list[str] | None = None

    def _text_lines(self) -> Iterator[str]:
        readline = self.stream.readline
        cap = self.limits.max_input_bytes
        while raw := readline(cap + 1):
            if self.physical == 0 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            self.physical += 1
            self.consumed += len(raw)
            if len(raw) > cap and not raw.endswith(b"\n"):
                length = len(raw)
                while (rest := readline(cap + 1)) and not rest.endswith(b"\n"):
                    length += len(rest)
                self.consumed += length - len(raw) + len(rest)
                self.long[self.physical] = length + max(len(rest) - 1, 0)
                raw = b"\n"  # an empty row in its place: its error record says why
            yield raw.decode("utf-8", "surrogateescape")

    def read_header(self) -> list[str]:
        """The header row, checked: every column names a fact of the vocabulary (or the
        ``--id-field``), once; refused with an :class:`InputError` otherwise."""
        try:
            header = next(self.reader)
        except StopIteration:
            header = []
        except csv.Error as error:
            raise InputError(f"line 1: not valid CSV: {error}") from None
        if 1 in self.long:
            raise LongLine(self.long[1]).error(self.limits)
        names = [name.strip() for name in header]
        seen: set[str] = set()
        for position, name in enumerate(names, start=1):
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                raise InputError(f"the header (line 1) is {_NOT_UTF8}") from None
            if not name:
                raise InputError(f"column {position} of the header has no name")
            if len(name) > self.limits.max_name_length:
                raise InputError(
                    f"the header names {excerpt(name)}, longer than the limit of "
                    f"{self.limits.max_name_length:,} characters (set "
                    "DISCLOSURE_MAX_NAME_LENGTH to raise it)"
                )
            if name in seen:
                raise InputError(f"the header names {excerpt(name)} twice")
            seen.add(name)
            if name != self.id_field and name not in self.vocabulary:
                known = self.vocabulary.names
                hint = did_you_mean(name, known)
                raise InputError(
                    f"the header names an unknown fact, {excerpt(name)}"
                    + (
                        f"; did you mean {hint!r}?"
                        if hint
                        else f"; known facts: {', '.join(known)}"
                    )
                )
        self.header = names
        return names

    def _row(self, row: list[str]) -> Any:
        header = self.header
        assert header is not None
        if len(row) != len(header):
            return InputError(f"{len(row)} fields where the header has {len(header)}")
        situation: dict[str, Any] = {}
        try:
            for name, cell in zip(header, row, strict=True):
                if not cell.strip():
                    continue
                try:
                    cell.encode("utf-8")
                except UnicodeEncodeError:
                    return InputError(_NOT_UTF8)
                if name == self.id_field:
                    situation[name] = cell
                else:
                    situation[name] = parse_text_value(
                        self.vocabulary, name, cell, limits=self.limits
                    )
        except (InputError, FactError) as error:
            return error
        return situation

    def chunks(self, size: int) -> Iterator[tuple[list[Any], list[int], int]]:
        """Chunks of ``size`` situations (or errors in their place), with the line each
        ends on and (when measured) the bytes they took."""
        if self.header is None:
            self.read_header()
        reader = self.reader
        while True:
            situations: list[Any] = []
            lines: list[int] = []
            for _ in range(size):
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    situations.append(InputError(f"not valid CSV: {error}"))
                else:
                    long = self.long.get(reader.line_num)
                    if long is not None:
                        situations.append(LongLine(long).error(self.limits))
                    elif not row:
                        situations.append(InputError("an empty line"))
                    else:
                        situations.append(self._row(row))
                lines.append(reader.line_num)
            if not situations:
                return
            yield situations, lines, self.consumed - self.position
            self.position = self.consumed


# -- writing --------------------------------------------------------------------------------


class Row:
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


def outcome_value(outcome: Outcome | None) -> str | None:
    return outcome.value if outcome is not None else None


class Decisions:
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
        if (
            template.facts == decision.facts
            and template.receipt == decision.receipt
            and template.known_then == decision.known_then
        ):
            return plain
        receipt = plain["receipt"]
        return {
            **plain,
            "facts": plain_data(decision.facts),
            "receipt": {**receipt, "on": plain_data(decision.receipt.on)},
            "known_then": json.loads(canonical_json(decision.known_then)),
            # the labels name the values given: redone with the facts
            "labels": decision.labels(),
        }


class Writer:
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
        self.decisions = Decisions()
        self._fragments: dict[tuple[int, str | None], bytes] = {}
        if fmt == "csv":
            # a text UTF-8 cannot hold (a lone surrogate in an id) is written escaped
            self.text = io.TextIOWrapper(
                stream,
                encoding="utf-8",
                errors="backslashreplace",
                newline="",
                write_through=False,
            )
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
            text = dumps({"outcome": outcome_value(outcome), "version": version})[1:]
            found = self._fragments[key] = b"," + text + b"\n"
        return found

    def write(self, rows: list[Row]) -> None:
        if self.fmt == "csv":
            self._write_csv(rows)
        else:
            self.stream.write(b"".join(map(self._jsonl, rows)))

    def _jsonl(self, row: Row) -> bytes:
        head = b'{"line":%d' % row.line
        if self.with_id:
            head += b',"id":' + dumps(row.id)
        if row.error is not None:
            return head + b"," + dumps({"error": row.error[0], "message": row.error[1]})[1:] + b"\n"
        if row.decision is not None:
            plain = self.decisions.to_dict(row.decision)
            body = {"version": row.version, **plain}
        elif row.compare is None:
            return head + self._fragment(row.outcome, row.version)
        else:
            body = {"outcome": outcome_value(row.outcome), "version": row.version}
        if row.compare is not None:
            body["compare"] = {
                name: outcome_value(o) for name, o in zip(self.compare, row.compare, strict=True)
            }
        return head + b"," + dumps(body)[1:] + b"\n"

    def _write_csv(self, rows: list[Row]) -> None:
        for row in rows:
            cells: list[Any] = [row.line, *([csv_text(row.id)] if self.with_id else [])]
            if row.error is not None:
                cells += ["", ""]
                if self.detail == "decision":
                    cells += ["", "", "", ""]
                cells += [""] * len(self.compare)
                cells += list(row.error)
            else:
                cells += [outcome_value(row.outcome) or "", row.version or ""]
                if self.detail == "decision":
                    decision = row.decision
                    assert decision is not None
                    cells += [
                        ";".join(decision.winners),
                        ";".join(c.label for c in decision.basis),
                        decision.duty_bearer or "",
                        ";".join(decision.missing_facts),
                    ]
                cells += [outcome_value(o) or "" for o in row.compare or ()]
                cells += ["", ""]
            self.csv.writerow(cells)

    def close(self) -> None:
        if self.fmt == "csv":
            self.text.flush()
            self.text.detach()
        self.stream.flush()
