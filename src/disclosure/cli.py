"""The ``disclosure`` command line: the library's functions for the terminal and for
scripts (``--format json``). Bad input gives one line on stderr and exit code 2."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.table import Table

import disclosure
from disclosure._decide.decision import Decision
from disclosure._ir.ruleset import Family
from disclosure._render.labels import outcome_label
from disclosure.errors import DisclosureError

__all__ = ["main"]

EXIT_BAD_INPUT = 2
EXIT_DEFECTS = 1


def _fail(message: str) -> NoReturn:
    click.echo(f"disclosure: error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _family(path: str | None) -> Family:
    return disclosure.load(path) if path else disclosure.load()


def _parse_value(text: str) -> Any:
    lowered = text.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    if lowered in ("null", "none", ""):
        return None
    return text.strip()


def _parse_pairs(pairs: Sequence[str], what: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            _fail(f"{what} {pair!r} must look like name=value")
        name, _, value = pair.partition("=")
        result[name.strip()] = _parse_value(value)
    return result


def read_facts(source: str | None, pairs: Sequence[str]) -> dict[str, Any]:
    """Facts from a JSON file (``-``: standard input) and ``--fact name=value`` pairs."""
    facts: dict[str, Any] = {}
    if source is not None:
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text("utf-8")
        except OSError as error:
            _fail(f"cannot read facts from {source}: {error.strerror or error}")
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as error:
            _fail(f"{source}:{error.lineno}: facts are not valid JSON: {error.msg}")
        if not isinstance(loaded, dict):
            _fail(f"{source}: facts must be a JSON object of fact names to values")
        facts.update(loaded.get("facts", loaded) if "facts" in loaded else loaded)
    facts.update(_parse_pairs(pairs, "--fact"))
    return facts


common_family = click.option(
    "--rulesets",
    "rulesets",
    metavar="PATH",
    default=None,
    help="A rule family folder (default: the bundled Belgian law).",
)
common_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)


#: options shared by the commands that take a situation (evaluate, compare)
facts_argument = click.argument("facts_file", required=False, metavar="[FACTS.json|-]")
fact_option = click.option(
    "--fact", "fact_pairs", multiple=True, metavar="NAME=VALUE", help="A fact."
)
known_on_option = click.option(
    "--known-on", default=None, metavar="DATE", help="Law as known on this date."
)
reading_option = click.option(
    "--reading", "reading_pairs", multiple=True, metavar="POINT=READING", help="A reading."
)
engine_option = click.option(
    "--engine", type=click.Choice(["compiled", "durable"]), default="compiled"
)
lang_option = click.option(
    "--lang", type=click.Choice(["fr", "nl", "en"]), default="en", show_default=True
)


def situation_input(
    facts_file: str | None, fact_pairs: Sequence[str], reading_pairs: Sequence[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The facts and readings a command was given; a command given no facts fails."""
    if facts_file is None and not fact_pairs:
        _fail("give the facts: a JSON file, - for standard input, or --fact name=value")
    facts = read_facts(facts_file, fact_pairs)
    readings = {k: str(v) for k, v in _parse_pairs(reading_pairs, "--reading").items()}
    return facts, readings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(disclosure.__version__, prog_name="disclosure")
def cli() -> None:
    """Professional-secrecy law as versioned rulesets: evaluate, compare, diff, check."""


@cli.command("versions")
@common_family
@common_format
def versions_command(rulesets: str | None, fmt: str) -> None:
    """List the versions of the law with their dates, aliases and confidence."""
    family = _family(rulesets)
    infos = disclosure.versions(family)
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "id": v.id,
                        "aliases": list(v.aliases),
                        "valid_from": v.valid_from.isoformat(),
                        "valid_until": v.valid_until.isoformat() if v.valid_until else None,
                        "known_from": v.known_from.isoformat(),
                        "confidence": v.confidence,
                        "title": v.title,
                    }
                    for v in infos
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    table = Table(title=f"{family.id}: versions of the law")
    for column in ("id", "aliases", "from", "until", "known from", "confidence", "title"):
        table.add_column(column)
    for v in infos:
        table.add_row(
            v.id,
            ", ".join(v.aliases),
            v.valid_from.isoformat(),
            v.valid_until.isoformat() if v.valid_until else "open",
            v.known_from.isoformat(),
            v.confidence,
            v.title,
        )
    _console().print(table)


@cli.command("evaluate")
@facts_argument
@fact_option
@click.option("--on", default=None, metavar="DATE", help="Date of the facts (ISO).")
@known_on_option
@click.option("--version", "version", default=None, help="A version id or alias.")
@reading_option
@engine_option
@lang_option
@common_family
@common_format
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
    """Evaluate a situation: the outcome, its basis, duties, sanctions and trace."""
    facts, readings = situation_input(facts_file, fact_pairs, reading_pairs)
    family = _family(rulesets)
    decision = disclosure.evaluate(
        facts,
        on=on,
        known_on=known_on,
        version=version,
        readings=readings,
        engine=engine,
        family=family,
    )
    if fmt == "json":
        click.echo(decision.to_json())
    else:
        _print_decision(decision, lang)


@cli.command("compare")
@facts_argument
@fact_option
@click.option(
    "--versions",
    "version_list",
    default=None,
    metavar="A,B[@DATE],...",
    help="Versions to compare (ids or aliases; A@DATE: as known on DATE). Default: all.",
)
@known_on_option
@reading_option
@engine_option
@lang_option
@common_family
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True
)
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
    facts, readings = situation_input(facts_file, fact_pairs, reading_pairs)
    sides = [v.strip() for v in version_list.split(",") if v.strip()] if version_list else None
    comparison = disclosure.compare(
        facts,
        sides,
        known_on=known_on,
        readings=readings,
        engine=engine,
        family=_family(rulesets),
    )
    if fmt == "json":
        click.echo(comparison.to_json())
    elif fmt == "md":
        click.echo(comparison.to_markdown(lang), nl=False)
    else:
        click.echo(comparison.explain(lang))


def _print_decision(decision: Decision, lang: str) -> None:
    console = _console()
    colour = {
        "obliged": "bold yellow",
        "permitted": "bold green",
        "forbidden": "bold red",
        "not_applicable": "bold blue",
    }.get(decision.outcome.value if decision.outcome else "", "bold magenta")
    text = decision.explain(lang)
    _, _, rest = text.partition("\n")
    console.print(f"[{colour}]{outcome_label(decision.outcome, lang)}[/]")
    console.print(rest, markup=False)


@cli.command("schema")
@click.argument("kind", type=click.Choice(["family", "version", "diff"]))
def schema_command(kind: str) -> None:
    """Print a published JSON Schema: of family.yaml, of a version file, or of diff output."""
    from importlib import resources

    text = (
        resources.files("disclosure").joinpath("schema", f"{kind}.schema.json").read_text("utf-8")
    )
    click.echo(text, nl=not text.endswith("\n"))


def _register_commands() -> None:
    """Commands that live in their own modules (one job each)."""
    from disclosure._cli.batch import batch_command, sample_command
    from disclosure._cli.check import check_command
    from disclosure._cli.diff import diff_command
    from disclosure._cli.timeline import timeline_command

    for command in (diff_command, check_command, batch_command, sample_command, timeline_command):
        cli.add_command(command)


_register_commands()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI, turning every library error into one line and exit 2."""
    try:
        cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except click.exceptions.Abort:
        _fail("aborted")
    except click.ClickException as error:
        _fail(error.format_message())
    except DisclosureError as error:
        _fail(str(error))


if __name__ == "__main__":  # pragma: no cover
    main()
