"""``disclosure check [PATH]``: the checker for the terminal and for CI.

Exit codes: 0 clean (warnings allowed, unless ``--strict``), 1 defects found, 2 bad input
(the family cannot be loaded, or a bad option). A standalone command; ``cli.py`` registers
it in the ``disclosure`` group.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from disclosure.errors import DisclosureError

__all__ = ["EXIT_BAD_INPUT", "EXIT_CLEAN", "EXIT_DEFECTS", "check_command"]

EXIT_CLEAN = 0
EXIT_DEFECTS = 1
EXIT_BAD_INPUT = 2


def _fail(message: str) -> NoReturn:
    click.echo(f"disclosure: error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@click.command("check")
@click.argument("path", required=False, metavar="[PATH]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--strict", is_flag=True, help="Warnings (e.g. missing citations) fail too.")
@click.option(
    "--method",
    type=click.Choice(["symbolic", "exhaustive"]),
    default="symbolic",
    show_default=True,
    help="How the fact space is covered (exhaustive: small vocabularies only).",
)
def check_command(path: str | None, fmt: str, strict: bool, method: str) -> None:
    """Check a rule family (the bundled one by default) for defects.

    Exact over every possible situation, for every version, annulment state and
    combination of readings: conflicts and gaps (with an example situation), dead rules,
    rules always overridden, overrides, readings, sanctions and sources that name nothing,
    cycles of overrides, missing citations (warnings) and texts missing a language.

    Exit code: 0 clean, 1 defects found, 2 bad input.
    """
    from disclosure._analysis.check import check_family
    from disclosure._api import default_family, load

    if path is not None and not Path(path).exists():
        _fail(f"{path}: no such rule family folder")
    try:
        family = load(path) if path is not None else default_family()
        report = check_family(
            family,
            method="exhaustive" if method == "exhaustive" else "symbolic",
            path=path,
        )
    except DisclosureError as error:
        _fail(str(error))
    except RecursionError:
        _fail(f"{path or 'the bundled family'}: a condition is nested too deeply to analyse")
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(report.to_text())
    sys.exit(report.exit_code(strict))
