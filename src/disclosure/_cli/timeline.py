"""``disclosure timeline``: the versions of the law, what each changed, the annulments.

A standalone click command, registered on the ``disclosure`` group by :mod:`disclosure.cli`.
"""

from __future__ import annotations

from pathlib import Path

import click

from disclosure._cli.common import load_family
from disclosure._cli.output import output_option, write_output
from disclosure._render.timeline_svg import timeline_svg
from disclosure._render.timeline_text import timeline_text

__all__ = ["timeline_command"]


@click.command("timeline")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "svg"]),
    default="text",
    show_default=True,
    help="text for the terminal; svg: a self-contained picture (no network resources).",
)
@output_option
@click.option(
    "--versions",
    "version_list",
    default=None,
    metavar="A,B,...",
    help="Only these versions (ids or aliases); the ones between are shown as a gap.",
)
@click.option(
    "--width",
    type=click.IntRange(min=480),
    default=880,
    show_default=True,
    metavar="PIXELS",
    help="Width of the SVG picture, in pixels (at least 480).",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "nl", "en"]),
    default="en",
    show_default=True,
    help="Language of the words of the timeline.",
)
@click.option(
    "--rulesets",
    "rulesets",
    metavar="PATH",
    default=None,
    help="A rule family folder (default: the bundled Belgian law).",
)
def timeline_command(
    fmt: str,
    output: Path | None,
    version_list: str | None,
    width: int,
    lang: str,
    rulesets: str | None,
) -> None:
    """Show the versions of the law on a timeline: dates, what each version added,
    replaced or repealed, the retroactive annulment, the versions of low confidence."""
    family = load_family(rulesets)
    chosen = [v.strip() for v in version_list.split(",") if v.strip()] if version_list else None
    if fmt == "svg":
        text = timeline_svg(family, chosen, width=width, lang=lang)
    else:
        text = timeline_text(family, chosen, lang) + "\n"
    write_output(text, output)
