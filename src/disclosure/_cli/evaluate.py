"""``disclosure evaluate``: the law's answer on one situation, with its reasons."""

from __future__ import annotations

import click
from rich.console import Console

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
    on_option,
    reading_option,
    readings_input,
    situation_input,
    version_option,
)
from disclosure._decide.decision import Decision
from disclosure._render.labels import outcome_label

__all__ = ["evaluate_command"]

_COLOURS = {
    "obliged": "bold yellow",
    "permitted": "bold green",
    "forbidden": "bold red",
    "not_applicable": "bold blue",
}


@click.command("evaluate")
@facts_argument
@fact_option
@on_option
@known_on_option
@version_option
@reading_option
@engine_option
@lang_option
@family_option
@format_option("text", "json")
def evaluate_command(
    facts_file: str | None,
    fact_pairs: tuple[str, ...],
    on: str | None,
    known_on: str | None,
    version: str | None,
    reading_pairs: tuple[str, ...],
    engine: str,
    lang: str,
    rulesets: str | None,
    fmt: str,
) -> None:
    """Evaluate a situation: the outcome, its basis, duties, sanctions and trace.

    The facts come from FACTS.json (- for standard input), from --fact pairs, or both
    (the pairs complete or override the file)."""
    family = load_family(rulesets)
    facts = situation_input(family, facts_file, fact_pairs)
    decision = disclosure.evaluate(
        facts,
        on=on,
        known_on=known_on,
        version=version,
        readings=readings_input(reading_pairs),
        engine=engine,
        family=family,
    )
    if fmt == "json":
        click.echo(decision.to_json())
    else:
        print_decision(decision, lang)


def print_decision(decision: Decision, lang: str) -> None:
    """A decision for the terminal: its outcome in colour, then its explanation."""
    console = Console(highlight=False, soft_wrap=True)
    colour = _COLOURS.get(decision.outcome.value if decision.outcome else "", "bold magenta")
    _, _, rest = decision.explain(lang).partition("\n")
    console.print(f"[{colour}]{outcome_label(decision.outcome, lang)}[/]")
    console.print(rest, markup=False)
