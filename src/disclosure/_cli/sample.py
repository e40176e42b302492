"""``disclosure sample``: write realistic synthetic situations to try the batch on (the
population is :mod:`disclosure._decide.sampler`'s)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO, Any

import click

from disclosure._cli.common import family_option, load_family
from disclosure._cli.output import atomic_file
from disclosure._decide.sampler import sample_situations
from disclosure._ir.vocabulary import DATE_FACT

__all__ = ["csv_text", "jsonl_lines", "sample_command"]

#: situations written together
CHUNK = 512


def _json_fragment(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def jsonl_lines(situations: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Situations as JSON Lines, compact (each distinct fact and value written once)."""
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


def csv_text(value: Any) -> str:
    """A value as a CSV cell: empty for unknown, ``true``/``false`` for a yes/no fact."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@contextlib.contextmanager
def _text_output(path: str) -> Iterator[IO[str]]:
    """Standard output, or a file written whole or not at all, as text."""
    if path == "-":
        stream = sys.stdout
        yield stream
        stream.flush()
        return
    with atomic_file(path) as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="")
        yield text
        text.flush()
        text.detach()


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
@click.option(
    "--n",
    "count",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    metavar="N",
    help="How many situations to write.",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    metavar="N",
    help="Random seed, a whole number: the same seed gives the same situations.",
)
@click.option(
    "-o",
    "--output",
    default="-",
    metavar="FILE",
    help="Output file, replaced only on success (default: standard output).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    default=None,
    help="Output format: jsonl or csv (default: csv for a .csv file, else jsonl).",
)
@family_option
def sample_command(
    count: int, seed: int, output: str, fmt: str | None, rulesets: str | None
) -> None:
    family = load_family(rulesets)
    fmt = fmt or ("csv" if output.lower().endswith(".csv") else "jsonl")
    situations = sample_situations(family, count, seed)
    with _text_output(output) as stream:
        if fmt == "jsonl":
            for chunk in _batches(jsonl_lines(situations), CHUNK):
                stream.write("".join(chunk))
        else:
            writer = csv.writer(stream, lineterminator="\n")
            names = list(family.vocabulary.names)
            writer.writerow(names)
            for situation in situations:
                writer.writerow([csv_text(situation.get(name)) for name in names])
