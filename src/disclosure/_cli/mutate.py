"""``disclosure mutate [PATH]``: the changes to the law the scenarios would miss.

Exit codes: 0 the mutation score is at least ``--min-score`` (or none was asked), 1 it
is below, 2 bad input (the family, the scenario files, an option or the allow-list).
A standalone command; ``cli.py`` registers it in the ``disclosure`` group, whose entry
point turns a :class:`~disclosure.DisclosureError` or a click error into one line on
standard error and exit status 2.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from disclosure._analysis.mutate import OPERATORS, mutate
from disclosure._cli.output import output_option, write_output
from disclosure._formats import render

__all__ = ["EXIT_BAD_INPUT", "EXIT_BELOW", "EXIT_OK", "mutate_command"]

EXIT_OK = 0
EXIT_BELOW = 1
EXIT_BAD_INPUT = 2


def _write_proposals(text: str, target: Path, inputs: list[Path]) -> None:
    """Write the proposed scenarios through a temporary file renamed on success, never
    over a scenario file the run read."""
    resolved = target.resolve()
    if any(resolved == path.resolve() for path in inputs):
        raise click.BadParameter(
            f"{target} is one of the scenario files read; write the proposals to a new file",
            param_hint="'--proposals'",
        )
    folder = resolved.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=".proposals-", suffix=".yaml", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, resolved)
    except OSError as error:
        raise click.ClickException(f"cannot write {target}: {error.strerror or error}") from None
    click.echo(f"wrote {target}", err=True)


@click.command("mutate")
@click.argument("path", required=False, metavar="[PATH]")
@click.option(
    "--scenarios",
    "scenarios",
    multiple=True,
    metavar="DIR|FILE",
    help="Scenario files, or folders holding them (repeatable). Default: tests/scenarios.",
)
@click.option(
    "--version",
    "versions",
    multiple=True,
    metavar="V",
    help="Mutate only what this version's file writes (id or alias; repeatable).",
)
@click.option(
    "--operator",
    "operators",
    multiple=True,
    type=click.Choice(list(OPERATORS)),
    help="A mutation operator to apply (repeatable). Default: all.",
)
@click.option(
    "--allow",
    "allow",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="An allow-list of survivors known and explained (YAML).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "md"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--min-score",
    "min_score",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    metavar="X",
    help="Exit 1 when the mutation score is below X (0 to 1).",
)
@click.option(
    "--proposals",
    "proposals",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Also write the survivors' proposed scenarios to FILE, as a scenario file.",
)
@output_option
def mutate_command(
    path: str | None,
    scenarios: tuple[str, ...],
    versions: tuple[str, ...],
    operators: tuple[str, ...],
    allow: Path | None,
    fmt: str,
    min_score: float | None,
    proposals: Path | None,
    output: Path | None,
) -> None:
    """Mutation testing: which small changes to the law would the scenarios miss?

    Each mutant is the rule family (the bundled one, or the folder PATH) with one change
    where the law is written: a conclusion changed, a fact test deleted, a value added
    to or removed from a test, an override or a reading dependency removed, a repeal or
    an annulment dropped. It is killed when a scenario expectation fails against it,
    equivalent when no possible situation changes outcome under any reading or state of
    knowledge, survived otherwise: then the region where the law changes is shown, with
    a proposed scenario whose expectation is the original's answer, to check against
    the law before adding it.

    The score is killed / (killed + survived). Exit code: 0 at or above --min-score, 1
    below, 2 bad input.
    """
    if path is not None and not Path(path).exists():
        raise click.BadParameter(f"{path}: no such rule family folder", param_hint="'PATH'")
    report = mutate(
        path,
        scenarios=list(scenarios) or None,
        versions=list(versions) or None,
        operators=list(operators) or None,
        allow=allow,
    )
    text = render("mutation", {"md": "markdown"}.get(fmt, fmt), report)
    if proposals is not None:
        _write_proposals(
            render("mutation", "scenarios", report),
            proposals,
            [Path(p) for p in report.scenario_files],
        )
    write_output(text, output)
    if min_score is not None and report.score < min_score:
        click.echo(
            f"disclosure mutate: score {report.score:.3f} is below --min-score {min_score}",
            err=True,
        )
        sys.exit(EXIT_BELOW)
