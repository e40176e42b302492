"""The ``disclosure`` command line: the library's functions for the terminal and for
scripts (``--format json``).

This module is the public entry point: the :data:`cli` group and :func:`main`. Each
command lives in its own module of :mod:`disclosure._cli`; they share one edge for
their input (:mod:`disclosure._edge`) and one failure path (:mod:`disclosure._cli.failure`):
whatever goes wrong ends in one line on standard error and an exit status (0 done, 1 some
batch lines failed or defects found, 2 could not run, 130 interrupted), never a
traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

import disclosure
from disclosure._cli.failure import run

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(disclosure.__version__, prog_name="disclosure")
def cli() -> None:
    """Professional-secrecy law as versioned rulesets: evaluate, compare, diff, check.

    Exit status: 0 done; 1 some batch lines failed (each reported in place) or check
    found defects; 2 the command could not run (one line on standard error says why);
    130 interrupted."""


def _register_commands() -> None:
    """Commands that live in their own modules (one job each)."""
    from disclosure._cli.batch import batch_command
    from disclosure._cli.check import check_command
    from disclosure._cli.compare import compare_command
    from disclosure._cli.diff import diff_command
    from disclosure._cli.evaluate import evaluate_command
    from disclosure._cli.mutate import mutate_command
    from disclosure._cli.sample import sample_command
    from disclosure._cli.schema import schema_command
    from disclosure._cli.serve import serve_command
    from disclosure._cli.timeline import timeline_command
    from disclosure._cli.versions import versions_command
    from disclosure._cli.vocabulary import vocabulary_command

    for command in (
        versions_command,
        vocabulary_command,
        evaluate_command,
        compare_command,
        schema_command,
        diff_command,
        check_command,
        batch_command,
        sample_command,
        timeline_command,
        mutate_command,
        serve_command,
    ):
        cli.add_command(command)


_register_commands()


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the command line and exit with its status (see the module)."""
    sys.exit(run(cli, argv))


if __name__ == "__main__":  # pragma: no cover
    main()
