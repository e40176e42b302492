"""``disclosure versions``: the versions of the law, readable in an 80-column terminal."""

from __future__ import annotations

import json
import shutil
import textwrap
from typing import Any

import click

import disclosure
from disclosure import Family, VersionInfo
from disclosure._cli.common import family_option, format_option, load_family

__all__ = ["versions_command", "versions_document", "versions_text"]

_HEADS = ("id", "alias", "in force", "known from", "confidence")


def _row(version: VersionInfo) -> tuple[str, ...]:
    until = version.valid_until.isoformat() if version.valid_until else "open"
    return (
        version.id,
        ", ".join(version.aliases),
        f"{version.valid_from.isoformat()} .. {until}",
        version.known_from.isoformat(),
        version.confidence,
    )


def versions_text(family_id: str, infos: list[VersionInfo], width: int) -> str:
    """The versions as a table of short columns, each version's title wrapped beneath
    its row, within ``width`` columns (titles are wrapped, never cut)."""
    rows = [_row(v) for v in infos]
    widths = [max(len(cell) for cell in column) for column in zip(_HEADS, *rows, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip()

    out = [f"{family_id}: versions of the law", line(_HEADS)]
    wrap = max(min(width, 100), 40)  # the indent included
    for info, row in zip(infos, rows, strict=True):
        out.append(line(row))
        out.extend(textwrap.wrap(info.title, wrap, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(out)


def versions_document(family: Family) -> list[dict[str, Any]]:
    """The versions as JSON-ready data, as ``disclosure versions --format json`` prints
    them (and the service's ``/v1/versions`` answers)."""
    return [
        {
            "id": v.id,
            "aliases": list(v.aliases),
            "valid_from": v.valid_from.isoformat(),
            "valid_until": v.valid_until.isoformat() if v.valid_until else None,
            "known_from": v.known_from.isoformat(),
            "confidence": v.confidence,
            "title": v.title,
        }
        for v in disclosure.versions(family)
    ]


@click.command("versions")
@family_option
@format_option("text", "json")
def versions_command(rulesets: str | None, fmt: str) -> None:
    """List the versions of the law with their dates, aliases and confidence."""
    family = load_family(rulesets)
    infos = disclosure.versions(family)
    if fmt == "json":
        click.echo(json.dumps(versions_document(family), indent=2, ensure_ascii=False))
        return
    width = shutil.get_terminal_size((80, 24)).columns
    click.echo(versions_text(family.id, infos, width))
