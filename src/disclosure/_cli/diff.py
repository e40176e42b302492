"""``disclosure diff A B``: what changed between two versions of the law.

A standalone click command, registered on the ``disclosure`` group by
:mod:`disclosure.cli`. Bad input raises a :class:`~disclosure.DisclosureError` or a click
error; the one failure path (:mod:`disclosure._cli.failure`) turns either into one line
on standard error and exit status 2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

import disclosure
from disclosure._cli.common import load_family, readings_input
from disclosure._cli.output import output_option, write_output
from disclosure._edge import parse_date, parse_text_value
from disclosure.errors import FactError, excerpt

__all__ = ["diff_command", "parse_where"]

FORMATS = ("text", "json", "md", "html")


def parse_where(pairs: Sequence[str], vocabulary: Any = None) -> dict[str, list[Any]]:
    """``["authority=procureur_du_roi", "information=administrative,other"]`` ->
    ``{"authority": ["procureur_du_roi"], "information": ["administrative", "other"]}``,
    each value read by the one value parser (``true``/``false`` for a yes/no fact).

    Raises :class:`click.BadParameter` for a malformed pair or a fact given twice; the
    facts and values themselves are checked against the vocabulary by the diff (the
    bundled family's vocabulary when none is given)."""
    vocabulary = vocabulary if vocabulary is not None else disclosure.load().vocabulary
    where: dict[str, list[Any]] = {}
    for pair in pairs:
        fact, sep, values = pair.partition("=")
        fact = fact.strip()
        items = [v for v in (part.strip() for part in values.split(",")) if v]
        if not sep or not fact or not items:
            raise click.BadParameter(
                f"{excerpt(pair)} must look like fact=value or fact=value1,value2",
                param_hint="'--where'",
            )
        if fact in where:
            raise click.BadParameter(
                f"{excerpt(fact)} is given twice; give its values once: {fact}=value1,value2",
                param_hint="'--where'",
            )
        where[fact] = [parse_text_value(vocabulary, fact, item) for item in items]
    return where


@click.command("diff")
@click.argument("version_a", metavar="A")
@click.argument("version_b", metavar="B")
@click.option(
    "--where",
    "where_pairs",
    multiple=True,
    metavar="FACT=VALUE[,VALUE...]",
    help="Compare only the situations where FACT has one of these values (repeatable).",
)
@click.option(
    "--reading",
    "reading_pairs",
    multiple=True,
    metavar="POINT=READING",
    help="A reading of a contested point, for both sides (repeatable).",
)
@click.option(
    "--known-on",
    default=None,
    metavar="DATE",
    help="Take both sides as the law was known on DATE (YYYY-MM-DD, or today), unless a "
    "side names its own date (A@DATE).",
)
@click.option(
    "--rulesets",
    "rulesets",
    metavar="PATH",
    default=None,
    help="A rule family folder in which A and B are named (default: the bundled Belgian law).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for the terminal, json (layout disclosure.diff/1), md to paste in a review, "
    "html: a self-contained report.",
)
@output_option
@click.option(
    "--lang",
    type=click.Choice(["fr", "nl", "en"]),
    default="en",
    show_default=True,
    help="Language of the report's texts (French, Dutch, English).",
)
def diff_command(
    version_a: str,
    version_b: str,
    where_pairs: tuple[str, ...],
    reading_pairs: tuple[str, ...],
    known_on: str | None,
    rulesets: str | None,
    fmt: str,
    output: Path | None,
    lang: str,
) -> None:
    """What changed between versions A and B of the law: the rules added, removed or
    changed, and every region of situations whose outcome differs, with its size, an
    example and each side's legal basis.

    A and B are version ids or aliases (prior, terrorism-2017...), optionally as known on a
    date (terrorism-2017@2018-06-01, terrorism-2017@today), or paths to a rule family
    folder (its last version) or to a version file in one, e.g. a copy an analyst edits.
    """
    family = load_family(rulesets)
    where = parse_where(where_pairs, family.vocabulary)
    readings = readings_input(reading_pairs)
    result = disclosure.diff(
        version_a,
        version_b,
        where=where or None,
        readings=readings or None,
        known_on=_known_on(known_on),
        family=family,
    )
    if fmt == "json":
        text = result.to_json() + "\n"
    elif fmt == "md":
        text = result.to_markdown(lang)
    elif fmt == "html":
        text = result.to_html(lang)
    else:
        text = result.to_text(lang)
    write_output(text, output)


def _known_on(text: str | None) -> dt.date | None:
    """``--known-on`` as a date (``today`` for today); a malformed one is a usage error."""
    try:
        return parse_date(text, "a date of knowledge", today=True)
    except FactError as error:
        raise click.BadParameter(str(error), param_hint="'--known-on'") from None
