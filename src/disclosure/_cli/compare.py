"""``disclosure compare``: one situation under several versions, with what differs."""

from __future__ import annotations

import click

import disclosure
from disclosure._cli.common import (
    engine_option,
    fact_option,
    facts_argument,
    family_option,
    format_option,
    known_on_option,
    lang_option,
    load_family,
    reading_option,
    readings_input,
    situation_input,
)

__all__ = ["compare_command"]


@click.command("compare")
@facts_argument
@fact_option
@click.option(
    "--versions",
    "version_list",
    default=None,
    metavar="A,B[@DATE],...",
    help="Versions to compare, by id or alias (A@DATE: as known on DATE, YYYY-MM-DD or "
    "today); default: every version.",
)
@known_on_option
@reading_option
@engine_option
@lang_option
@family_option
@format_option("text", "json", "md")
def compare_command(
    facts_file: str | None,
    fact_pairs: tuple[str, ...],
    version_list: str | None,
    known_on: str | None,
    reading_pairs: tuple[str, ...],
    engine: str,
    lang: str,
    rulesets: str | None,
    fmt: str,
) -> None:
    """One situation under several versions, with what differs and why."""
    family = load_family(rulesets)
    facts = situation_input(family, facts_file, fact_pairs)
    sides = [v.strip() for v in version_list.split(",") if v.strip()] if version_list else None
    comparison = disclosure.compare(
        facts,
        sides,
        known_on=known_on,
        readings=readings_input(reading_pairs),
        engine=engine,
        family=family,
    )
    if fmt == "json":
        click.echo(comparison.to_json())
    elif fmt == "md":
        click.echo(comparison.to_markdown(lang), nl=False)
    else:
        click.echo(comparison.explain(lang))
