"""``disclosure check [PATH]``: the checker for the terminal and for CI.

Exit codes: 0 clean (warnings allowed, unless ``--strict``), 1 defects found, 2 bad input
(the family cannot be loaded, or a bad option): see :mod:`disclosure._cli.failure`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from disclosure._cli.common import format_option
from disclosure._cli.failure import (
    EXIT_COULD_NOT_RUN,
    EXIT_OK,
    EXIT_SOME_FAILED,
    fail,
)
from disclosure.errors import DisclosureError

__all__ = ["EXIT_BAD_INPUT", "EXIT_CLEAN", "EXIT_DEFECTS", "check_command"]

EXIT_CLEAN = EXIT_OK
EXIT_DEFECTS = EXIT_SOME_FAILED
EXIT_BAD_INPUT = EXIT_COULD_NOT_RUN


@click.command("check")
@click.argument("path", required=False, metavar="[PATH]")
@format_option("text", "json")
@click.option("--strict", is_flag=True, help="Warnings (e.g. missing citations) fail too.")
@click.option(
    "--method",
    type=click.Choice(["symbolic", "exhaustive"]),
    default="symbolic",
    show_default=True,
    help="How the fact space is covered: symbolic, or exhaustive (small vocabularies only).",
)
@click.pass_context
def check_command(
    context: click.Context, path: str | None, fmt: str, strict: bool, method: str
) -> None:
    """Check a rule family (the bundled one by default) for defects.

    Exact over every possible situation, for every version, annulment state and
    combination of readings: conflicts and gaps (with an example situation), dead rules,
    rules always overridden, overrides, readings, sanctions and sources that name nothing,
    cycles of overrides, missing citations (warnings) and texts missing a language.

    Exit code: 0 clean, 1 defects found, 2 bad input.
    """
    from disclosure._analysis.check import check_family
    from disclosure._api import default_family, load

    if path is not None and not Path(path).is_dir():
        if Path(path).exists():
            fail(f"{path}: a file, not a rule family folder")
        fail(f"{path}: no such rule family folder")
    try:
        family = load(path) if path is not None else default_family()
        report = check_family(
            family,
            method="exhaustive" if method == "exhaustive" else "symbolic",
            path=path,
        )
    except DisclosureError as error:
        fail(str(error))
    except RecursionError:
        fail(f"{path or 'the bundled family'}: a condition is nested too deeply to analyse")
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(report.to_text())
    context.exit(report.exit_code(strict))
