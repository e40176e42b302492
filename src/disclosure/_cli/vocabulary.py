"""``disclosure vocabulary``: the facts a situation may give, their values and meanings,
and the contested points with their readings, in French, Dutch or English (text), or all
three (JSON)."""

from __future__ import annotations

import json
import shutil
import textwrap
from typing import Any

import click

from disclosure._cli.common import family_option, format_option, lang_option, load_family
from disclosure._ir.ruleset import Family
from disclosure._ir.vocabulary import Fact

__all__ = ["vocabulary_command", "vocabulary_document", "vocabulary_text"]


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _kind(fact: Fact) -> str:
    if fact.kind == "date":
        return "a date, YYYY-MM-DD"
    if fact.kind == "bool":
        return "true or false"
    return "one of"


def vocabulary_document(family: Family) -> dict[str, Any]:
    """The vocabulary as a JSON-ready document: every fact with its type, meaning and
    values (with their meanings where the family gives them) in the three languages,
    and the contested points with their readings."""
    facts = []
    for fact in family.vocabulary.facts:
        values = [
            {
                "value": value,
                "meaning": meaning.as_dict()
                if (meaning := fact.value_meanings.get(value))
                else None,
            }
            for value in fact.values
        ]
        facts.append(
            {
                "name": fact.name,
                "type": fact.kind,
                **({"format": "YYYY-MM-DD"} if fact.kind == "date" else {}),
                "meaning": fact.meaning.as_dict(),
                "values": values,
            }
        )
    contested = [
        {
            "id": point.id,
            "question": point.question.as_dict(),
            "default": point.default,
            "readings": [
                {"id": reading.id, "summary": reading.summary.as_dict()}
                for reading in point.readings
            ],
        }
        for point in family.contested
    ]
    return {
        "family": family.id,
        "unknown": "leave a fact out, or give it as null",
        "facts": facts,
        "contested": contested,
    }


def vocabulary_text(family: Family, lang: str, width: int) -> str:
    """The vocabulary for a terminal of ``width`` columns, in ``lang``."""
    width = max(min(width, 100), 40)
    indent = "    "

    def wrapped(text: str, first: str = indent, rest: str = indent) -> list[str]:
        return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest)

    out = [
        f"{family.id}: the facts of a situation ({lang})",
        *textwrap.wrap(
            "A fact left out, or given as null, is unknown; the answer then says whether "
            "it is needed.",
            width,
        ),
    ]
    for fact in family.vocabulary.facts:
        out += ["", f"{fact.name} ({_kind(fact)})", *wrapped(fact.meaning[lang])]
        if fact.kind == "enum":
            column = max(len(_value_text(v)) for v in fact.values) + 2
            for value in fact.values:
                name = _value_text(value)
                meaning = fact.value_meanings.get(value)
                if meaning is None:
                    out.append(f"{indent}- {name}")
                    continue
                out += wrapped(
                    meaning[lang],
                    first=f"{indent}- {name.ljust(column)}",
                    rest=" " * (len(indent) + 2 + column),
                )
    if family.contested:
        out += ["", "Contested points (--reading POINT=READING; the default first):"]
        for point in family.contested:
            readings = sorted(point.reading_ids, key=lambda r: r != point.default)
            out += ["", f"{point.id}: {', '.join(readings)}", *wrapped(point.question[lang])]
    return "\n".join(out)


@click.command("vocabulary")
@family_option
@lang_option
@format_option("text", "json")
def vocabulary_command(rulesets: str | None, lang: str, fmt: str) -> None:
    """The facts a situation may give, their values and meanings, and the contested
    points with their readings (text in one language; JSON in all three)."""
    family = load_family(rulesets)
    if fmt == "json":
        click.echo(json.dumps(vocabulary_document(family), indent=2, ensure_ascii=False))
        return
    click.echo(vocabulary_text(family, lang, shutil.get_terminal_size((80, 24)).columns))
