"""``disclosure schema``: print a published JSON Schema."""

from __future__ import annotations

from importlib import resources

import click

__all__ = ["schema_command"]


@click.command("schema")
@click.argument("kind", type=click.Choice(["family", "version", "scenario", "diff"]))
def schema_command(kind: str) -> None:
    """Print a published JSON Schema: of family.yaml, of a version file, of a scenario file,
    or of diff output."""
    text = (
        resources.files("disclosure").joinpath("schema", f"{kind}.schema.json").read_text("utf-8")
    )
    click.echo(text, nl=not text.endswith("\n"))
