"""``disclosure diff A B``: what changed between two versions of the law.

A standalone click command, registered on the ``disclosure`` group by
:mod:`disclosure.cli`. Bad input raises a :class:`~disclosure.DisclosureError` or a click
error; the ``disclosure`` entry point turns either into one line on standard error and
exit status 2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

import disclosure
from disclosure._cli.output import output_option, write_output

__all__ = ["diff_command", "parse_readings", "parse_where"]

FORMATS = ("text", "json", "md", "html")


def _value(text: str) -> Any:
    """A fact value as typed: ``true``/``false`` are booleans, anything else a name (so
    ``none``, a value of several facts, stays the string ``"none"``)."""
    lowered = text.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    return text.strip()


def parse_where(pairs: Sequence[str]) -> dict[str, list[Any]]:
    """``["authority=procureur_du_roi", "information=administrative,other"]`` ->
    ``{"authority": ["procureur_du_roi"], "information": ["administrative", "other"]}``.

    Raises :class:`click.BadParameter` for a malformed pair or a fact given twice; the
    facts and values themselves are checked against the vocabulary by the diff."""
    where: dict[str, list[Any]] = {}
    for pair in pairs:
        fact, sep, values = pair.partition("=")
        fact = fact.strip()
        items = [v for v in (part.strip() for part in values.split(",")) if v]
        if not sep or not fact or not items:
            raise click.BadParameter(
                f"{pair!r} must look like fact=value or fact=value1,value2",
                param_hint="'--where'",
            )
        if fact in where:
            raise click.BadParameter(
                f"{fact!r} is given twice; give its values once: {fact}=value1,value2",
                param_hint="'--where'",
            )
        where[fact] = [_value(v) for v in items]
    return where


def parse_readings(pairs: Sequence[str]) -> dict[str, str]:
    """``["federal_prosecutor=included"]`` -> ``{"federal_prosecutor": "included"}``."""
    readings: dict[str, str] = {}
    for pair in pairs:
        point, sep, reading = pair.partition("=")
        if not sep or not point.strip() or not reading.strip():
            raise click.BadParameter(
                f"{pair!r} must look like POINT=READING", param_hint="'--reading'"
            )
        readings[point.strip()] = reading.strip()
    return readings


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
    help="Take both sides as the law was known on DATE (ISO; 'today'), unless a side names "
    "its own date (A@DATE).",
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
    where = parse_where(where_pairs)
    readings = parse_readings(reading_pairs)
    family = disclosure.load(rulesets) if rulesets else disclosure.load()
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
    """``--known-on`` as a date (``today`` for today), or a clear error."""
    if text is None:
        return None
    if text.strip().lower() == "today":
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not an ISO date (YYYY-MM-DD) or 'today'", param_hint="'--known-on'"
        ) from None
