"""The ``-o/--output FILE`` option shared by the commands that write a report."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["output_option", "write_output"]

#: ``-o/--output FILE``: the report goes to FILE instead of standard output
output_option = click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    metavar="FILE",
    help="Write to FILE instead of standard output.",
)


def write_output(text: str, output: Path | None) -> None:
    """Print ``text``, or write it to ``output`` and say so on standard error; a file
    that cannot be written is a one-line error (exit 1), not a traceback."""
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror or error}") from None
    click.echo(f"wrote {output}", err=True)
