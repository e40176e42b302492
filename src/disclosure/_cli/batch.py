"""``disclosure batch``: evaluate a file of situations, one result per input line.

JSON Lines or CSV in, JSON Lines or CSV out, streamed: memory does not grow with the
file. What the command guarantees about its output:

* one record per input line, in order: its outcome, or its error (a line that cannot be
  parsed, too long, too deep, not UTF-8 or not an object, becomes an error record, and
  the run goes on);
* exit status 0 when every line was evaluated, 1 when some failed (one line on standard
  error says how many), 2 when the command could not run (an unreadable input, a bad CSV
  header, bad options: checked before any line is read), 130 when interrupted;
* a file output (``-o FILE``) is written to a temporary file beside it and renamed over
  it on success: a failed or interrupted run leaves the earlier FILE untouched and no
  partial file; an output that is the input (same path, link or hard link) is refused.

The readers and writers are in :mod:`disclosure._cli.batch_io`; repeated lines are
answered by :mod:`disclosure._decide.lines`; the evaluation is bulk's
(:mod:`disclosure._decide.bulk`).
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import chain, repeat
from operator import itemgetter
from typing import IO, Any

import click

from disclosure._cli.batch_io import (
    CsvReader,
    JsonLinesReader,
    LongLine,
    Row,
    Writer,
    outcome_value,
)
from disclosure._cli.common import (
    family_option,
    known_on_option,
    load_family,
    on_option,
    reading_option,
    readings_input,
    version_option,
)
from disclosure._cli.failure import EXIT_SOME_FAILED, fail, say
from disclosure._cli.output import PATH_SHOWN, atomic_file, refuse_own_input, target_of
from disclosure._decide.bulk import (
    BulkError,
    Comparer,
    ImpactCounter,
    Plan,
    comparer_for,
    plan_for,
)
from disclosure._decide.decision import Decision
from disclosure._decide.lines import RememberedLines
from disclosure._edge import Limits, current_limits, dumps, facts_problem, parse_lines
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Family
from disclosure.errors import DisclosureError, InputError, excerpt

__all__ = ["batch_command", "show_progress"]

#: lines read, parsed and evaluated together
CHUNK = 512
#: bytes of JSON Lines read together on the path of remembered lines (about 700 lines)
BLOCK = 1 << 18
#: what starts each output line (its number is formatted in)
_HEAD = b'{"line":%d'


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


def show_progress(enabled: bool | None) -> bool:
    """Whether to show a progress bar: as asked, else only when standard error is a
    terminal (never under CI or a dumb terminal)."""
    if enabled is not None:
        return enabled
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty()


@click.command("batch", short_help="Evaluate a file of situations.")
@click.argument("input_path", metavar="INPUT")
@click.option(
    "-o",
    "--output",
    default="-",
    metavar="FILE",
    help="Output file, replaced only when the run succeeds (default: standard output).",
)
@click.option(
    "--input-format",
    type=click.Choice(["jsonl", "csv"]),
    default=None,
    help="Input format: jsonl or csv (default: csv for a .csv file, else jsonl).",
)
@click.option(
    "--output-format",
    type=click.Choice(["jsonl", "csv"]),
    default=None,
    help="Output format: jsonl or csv (default: csv for a .csv output file, else jsonl).",
)
@version_option
@on_option
@known_on_option
@reading_option
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
    help="Also give each line's outcome under versions A and B (ids or aliases), and "
    "print an impact table.",
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
@family_option
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
    is printed at the end, on stderr when the results go to stdout.

    Exit status: 0 every line evaluated; 1 some lines failed (each has its error record
    in place); 2 the command could not run; 130 interrupted. An output file is replaced
    only when the run succeeds, and never by its own input."""
    family = load_family(rulesets)
    limits = current_limits()
    readings = readings_input(reading_pairs)
    refuse_own_input(input_path, output)
    if output != "-":
        target_of(output)  # its folder exists, it is no folder: before any line is read
    plan = plan_for(
        family, version=version, on=on, known_on=known_on, readings=readings, engine="compiled"
    )
    comparer: Comparer | None = None
    compared: list[str] = []
    if compare is not None:
        compared = [name.strip() for name in compare.split(",") if name.strip()]
        if len(compared) != 2:
            fail(f"--compare takes two versions, A,B; not {excerpt(compare)}")
        comparer = comparer_for(family, compared, known_on, readings, "compiled")
    in_fmt = _input_format(input_path, input_format)
    out_fmt = _input_format(output, output_format)
    with _input(input_path) as source:
        reader: JsonLinesReader | CsvReader
        if in_fmt == "csv":
            reader = CsvReader(source, family.vocabulary, limits, id_field)
            reader.read_header()  # a bad header: refused before any output
        else:
            reader = JsonLinesReader(source, limits)
        with _output(output) as target:
            writer = Writer(target, out_fmt, detail, compared, id_field is not None)
            batch = _Batch(family, plan, comparer, writer, detail, id_field, limits)
            _run(batch, reader, in_fmt, _input_size(source), progress)
            writer.close()
    summary, impact = batch.summary, batch.impact
    summary_stream = sys.stderr if output == "-" else sys.stdout
    _print_summary(summary, impact.result() if impact else None, summary_stream)
    if id_field is not None and batch.ids_seen == 0 and summary.lines:
        say(f"warning: no line has the field {excerpt(id_field)} that --id-field names")
    errors = sum(summary.errors.values())
    if errors:
        kinds = ", ".join(f"{kind} {count:,}" for kind, count in summary.errors.most_common())
        where = "the output" if output == "-" else excerpt(output, PATH_SHOWN)
        say(
            f"{errors:,} of {summary.lines:,} lines could not be evaluated ({kinds}); each "
            f"has its error record in place in {where}"
        )
        raise click.exceptions.Exit(EXIT_SOME_FAILED)


def _run(
    batch: _Batch,
    reader: JsonLinesReader | CsvReader,
    in_fmt: str,
    size: int | None,
    progress: bool | None,
) -> None:
    bar = _Bar(size) if show_progress(progress) else None
    reader.measure = bar is not None
    # the law, its tables and the command's own objects are long-lived: moved out of the
    # cyclic garbage collector's sight, its full collections do not walk them again and
    # again (a fifth of the time of a long batch)
    gc.freeze()
    try:
        if isinstance(reader, JsonLinesReader) and batch.fast:
            line = 1
            for item in reader.blocks(BLOCK):
                if type(item) is LongLine:
                    batch.long_line(line, item)
                    line += 1
                    advance = item.length
                else:
                    text, ended = item  # type: ignore[misc]
                    line += batch.process_block(text, ended, line)
                    advance = len(text)
                if bar is not None:
                    bar.advance(advance)
        for items, lines, consumed in reader.chunks(CHUNK):  # nothing left after blocks
            if in_fmt == "csv":
                batch.process(items, lines)
            else:
                batch.process_lines(items, lines)
            if bar is not None:
                bar.advance(consumed)
    finally:
        gc.unfreeze()
        if bar is not None:
            bar.stop()


@contextlib.contextmanager
def _input(path: str) -> Iterator[IO[bytes]]:
    """The input, read in binary: standard input for ``-``, else the file (closed at
    the end); one that cannot be opened stops the command."""
    if path == "-":
        yield sys.stdin.buffer
        return
    try:
        stream = open(path, "rb", buffering=1 << 20)  # noqa: SIM115
    except IsADirectoryError:
        fail(f"cannot read {excerpt(path, PATH_SHOWN)}: it is a folder, not a file")
    except OSError as error:
        fail(f"cannot read {excerpt(path, PATH_SHOWN)}: {error.strerror or error}")
    with stream:
        yield stream


@contextlib.contextmanager
def _output(path: str) -> Iterator[IO[bytes]]:
    """Standard output for ``-``, else a file replaced only when the run succeeds."""
    if path == "-":
        stream = sys.stdout.buffer
        yield stream
        stream.flush()
        return
    try:
        with atomic_file(path) as stream:
            yield stream
    except OSError as error:
        if error.filename is not None:
            raise
        shown = excerpt(path, PATH_SHOWN)
        fail(f"cannot write {shown}: {error.strerror or error}; {shown} is left as it was")


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


class _Batch:
    """Evaluates chunks of situations and writes their lines; counts for the summary.

    The common case (outcomes to JSON Lines, no error in the chunk) is written without a
    Python loop per line: every possible ending of a line (its outcome and version, and
    the compared outcomes) is prepared once, and a chunk's lines are joined from them."""

    def __init__(
        self,
        family: Family,
        plan: Plan,
        comparer: Comparer | None,
        writer: Writer,
        detail: str,
        id_field: str | None,
        limits: Limits,
    ) -> None:
        self.limits = limits
        self.ids_seen = 0
        self.plan = plan
        self.comparer = comparer
        self.writer = writer
        self.detail = detail
        self.id_field = id_field
        self.summary = _Summary()
        self.impact = ImpactCounter(*comparer.names) if comparer is not None else None
        self.fast = detail == "outcome" and writer.fmt == "jsonl" and id_field is None
        outcomes = (*Outcome, None)
        close = b"}\n" if comparer is None else b""
        self.ends: dict[str | None, dict[int, bytes]] = {
            version.id: {
                id(o): b","
                + dumps({"outcome": outcome_value(o), "version": version.id})[1:-1]
                + close
                for o in outcomes
            }
            for version in family.versions
        }
        names = comparer.names if comparer is not None else []
        self.compare_ends = {
            (id(a), id(b)): b',"compare":'
            + dumps(dict(zip(names, (outcome_value(a), outcome_value(b)), strict=False)))
            + b"}\n"
            for a in outcomes
            for b in outcomes
        }
        self.lines = (
            RememberedLines(plan, comparer, self.ends, self.compare_ends, limits)
            if self.fast
            else None
        )

    def process(self, situations: list[Any], lines: Sequence[int]) -> None:
        """Evaluate and write a chunk of situations (or parse failures)."""
        start = self.summary.lines
        self.summary.lines += len(situations)
        ids: list[Any] = []
        if self.id_field is not None:
            ids = self._ids(situations)
        results, versions, comparisons = self._evaluate(situations, start)
        self._emit(situations, lines, ids, results, versions, comparisons)

    def _ids(self, situations: list[Any]) -> list[Any]:
        """Each situation's ``--id-field`` value, taken out of its facts (an id longer
        than a value may be makes its line an error)."""
        field = self.id_field
        ids = [s.pop(field, None) if type(s) is dict else None for s in situations]
        self.ids_seen += len(ids) - ids.count(None)
        limit = self.limits.max_value_length
        for offset, value in enumerate(ids):
            if isinstance(value, str) and len(value) > limit:
                ids[offset] = None
                situations[offset] = InputError(
                    f"the id {excerpt(value)} is longer than the limit of {limit:,} characters "
                    "(set DISCLOSURE_MAX_VALUE_LENGTH to raise it)"
                )
        return ids

    def process_lines(self, raw: list[bytes | LongLine], lines: Sequence[int]) -> None:
        """Parse, evaluate and write a chunk of JSON Lines."""
        if list(map(type, raw)).count(bytes) == len(raw):
            self.process(parse_lines(raw, self.limits), lines)  # type: ignore[arg-type]
            return
        parsed = parse_lines([b"{}" if type(x) is LongLine else x for x in raw], self.limits)  # type: ignore[misc]
        for offset, item in enumerate(raw):
            if type(item) is LongLine:
                parsed[offset] = item.error(self.limits)
        self.process(parsed, lines)

    def long_line(self, line: int, long: LongLine) -> None:
        """Write the error record of a line longer than the limit."""
        self.process([long.error(self.limits)], range(line, line + 1))

    def process_block(self, text: bytes, ended: bool, first: int) -> int:
        """Evaluate and write a block of JSON Lines (see :meth:`_JsonLinesReader.blocks`)
        whose first line is line ``first``; its count of lines. From the lines already seen
        when it can (see :class:`_Lines`), else in chunks of :data:`CHUNK` lines."""
        if self.lines is not None:
            tails = self.lines.endings(text)
            if tails:
                count = len(tails)
                self.writer.stream.write(
                    (_HEAD + _HEAD.join(tails)) % tuple(range(first, first + count))
                )
                self._count(tails)
                self.summary.lines += count
                return count
        raw = list(map(bytes.__add__, text[1:].split(b"\n"), repeat(b"\n")))
        if not ended:
            raw[-1] = raw[-1][:-1]
        for offset in range(0, len(raw), CHUNK):
            part = raw[offset : offset + CHUNK]
            self.process_lines(part, range(first + offset, first + offset + len(part)))  # type: ignore[arg-type]
        return len(raw)

    def _count(self, tails: list[bytes]) -> None:
        """Count a block written from remembered lines for the summary (and the impact
        table), as :meth:`_write_fast` counts a chunk."""
        assert self.lines is not None
        by_outcome, by_version, pairs = self.lines.tally(tails)
        summary = self.summary
        outcomes = summary.outcomes
        for outcome in _OUTCOMES:
            outcomes[id(outcome)] += by_outcome.get(id(outcome), 0)
        for version, number in by_version.items():
            summary.versions[version] += number
        if self.impact is not None:
            for pair, number in pairs:
                self.impact.add_many(repeat(pair[0], number), repeat(pair[1], number))

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
            row = Row(line)
            if ids:
                row.id = ids[offset]
            situation = situations[offset]
            if isinstance(situation, DisclosureError):
                row.error = (type(situation).__name__, str(situation))
            elif type(result) is BulkError:
                # a limit broken says more than the vocabulary's refusal of the value
                problem = facts_problem(situation, self.limits)
                row.error = (
                    (type(problem).__name__, str(problem))
                    if problem is not None
                    else (result.error_type, result.message)
                )
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
