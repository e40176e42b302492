"""What the commands share: their common options (each saying what its values look
like), the rule family they read, and the facts and readings they are given, all read
through the one edge (:mod:`disclosure._edge`)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

import disclosure
from disclosure._cli.failure import fail
from disclosure._edge import (
    current_limits,
    parse_fact_pairs,
    parse_facts_document,
    parse_reading_pairs,
    read_input,
)
from disclosure._ir.ruleset import Family
from disclosure.errors import InputError

__all__ = [
    "engine_option",
    "fact_option",
    "facts_argument",
    "family_option",
    "format_option",
    "known_on_option",
    "lang_option",
    "load_family",
    "on_option",
    "reading_option",
    "readings_input",
    "situation_input",
    "version_option",
]

F = TypeVar("F", bound=Callable[..., Any])

family_option = click.option(
    "--rulesets",
    "rulesets",
    metavar="PATH",
    default=None,
    help="A rule family folder (default: the bundled Belgian law).",
)


def format_option(*formats: str, what: str = "Output format") -> Callable[[F], F]:
    """``--format`` with these choices (the first by default)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(formats)),
        default=formats[0],
        show_default=True,
        help=f"{what}: {', '.join(formats)}.",
    )


facts_argument = click.argument("facts_file", required=False, metavar="[FACTS.json|-]")
fact_option = click.option(
    "--fact",
    "fact_pairs",
    multiple=True,
    metavar="NAME=VALUE",
    help="A fact (repeatable), e.g. holder=cpas_staff: true or false for a yes/no fact, "
    "null for unknown; any other text is the value itself (none is a value, as in "
    "danger=none). The facts and their values: disclosure vocabulary.",
)
on_option = click.option(
    "--on",
    default=None,
    metavar="DATE",
    help="Date of the facts, YYYY-MM-DD (default: the 'date' fact, else today).",
)
known_on_option = click.option(
    "--known-on",
    default=None,
    metavar="DATE",
    help="The law as known on this day, YYYY-MM-DD (default: today; a version named "
    "with --version is taken as enacted).",
)
version_option = click.option(
    "--version",
    "version",
    default=None,
    metavar="ID|ALIAS",
    help="A version of the law, by id or alias, e.g. terrorism-2017 (see disclosure "
    "versions); default: the version in force on the date of the facts.",
)
reading_option = click.option(
    "--reading",
    "reading_pairs",
    multiple=True,
    metavar="POINT=READING",
    help="A reading of a contested point (repeatable), e.g. federal_prosecutor=included; "
    "the points and their readings: disclosure vocabulary.",
)
engine_option = click.option(
    "--engine",
    type=click.Choice(["compiled", "durable"]),
    default="compiled",
    show_default=True,
    help="compiled: the fast evaluator; durable: the durable_rules engine.",
)
lang_option = click.option(
    "--lang",
    type=click.Choice(["fr", "nl", "en"]),
    default="en",
    show_default=True,
    help="Language of the text: fr, nl or en.",
)


def load_family(path: str | None) -> Family:
    """The rule family at ``path``, or the bundled one."""
    return disclosure.load(path) if path else disclosure.load()


def situation_input(
    family: Family, facts_file: str | None, fact_pairs: Sequence[str]
) -> dict[str, Any]:
    """The facts a command was given: a JSON document (a file, ``-`` for standard
    input), completed or overridden by ``--fact`` pairs. A command given no facts
    fails."""
    if facts_file is None and not fact_pairs:
        fail("give the facts: a JSON file, - for standard input, or --fact NAME=VALUE")
    limits = current_limits()
    facts: dict[str, Any] = {}
    if facts_file is not None:
        source = "standard input" if facts_file == "-" else facts_file
        stdin = sys.stdin.buffer if facts_file == "-" else None
        raw = read_input(facts_file, stdin=stdin, limits=limits)
        facts.update(parse_facts_document(raw, source, limits=limits))
    facts.update(parse_fact_pairs(family.vocabulary, fact_pairs, limits=limits))
    return facts


def readings_input(reading_pairs: Sequence[str]) -> dict[str, str]:
    """The readings a command was given (``--reading POINT=READING``); a malformed pair
    is a usage error of ``--reading``."""
    try:
        return parse_reading_pairs(reading_pairs)
    except InputError as error:
        raise click.BadParameter(error.reason, param_hint="'--reading'") from None
