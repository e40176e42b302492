"""Where a command's output goes: standard output, or a file written whole or not at all.

A file is written to a temporary file beside it (same folder, so same file system) and
renamed over it only when the command succeeds: a failed or interrupted run leaves the
earlier file untouched and no partial file behind. A command never writes over its own
input (the same path, a symbolic link to it, or a hard link).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import click

from disclosure._cli.failure import fail
from disclosure.errors import excerpt

#: characters of a file's path shown in a message
PATH_SHOWN = 200

__all__ = [
    "PATH_SHOWN",
    "atomic_file",
    "output_option",
    "refuse_own_input",
    "target_of",
    "write_output",
]

#: ``-o/--output FILE``: the report goes to FILE instead of standard output
output_option = click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Write to FILE instead of standard output (FILE is replaced only on success).",
)


def target_of(path: str | os.PathLike[str]) -> Path:
    """The file an output path writes: a symbolic link is followed (the file it points
    to is replaced, not the link); its folder must exist."""
    target = Path(os.path.realpath(path))
    if target.is_dir():
        fail(f"cannot write {excerpt(str(path), PATH_SHOWN)}: it is a folder")
    if not target.parent.is_dir():
        folder = excerpt(str(target.parent), PATH_SHOWN)
        fail(f"cannot write {excerpt(str(path), PATH_SHOWN)}: no folder {folder}")
    return target


def refuse_own_input(source: str, output: str) -> None:
    """Refuse an output that is the input (same file by path, link or hard link)."""
    if source == "-" or output == "-":
        return
    try:
        same = os.path.samefile(source, output)
    except OSError:  # one of them does not exist (yet)
        same = os.path.realpath(source) == os.path.realpath(output)
    if same:
        fail(
            f"the output {excerpt(output, PATH_SHOWN)} is the input "
            f"{excerpt(source, PATH_SHOWN)}: writing it would destroy the input; choose "
            "another output file"
        )


def _mode(target: Path) -> int:
    """The permissions the output gets: the earlier file's, else the default for a new
    file under the process's umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary stream whose bytes replace ``path`` when the block ends normally; on any
    exception (a failure, an interrupt) the temporary file is removed and ``path`` is
    left as it was."""
    target = target_of(path)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
        )
    except OSError as error:
        fail(f"cannot write {excerpt(str(path), PATH_SHOWN)}: {error.strerror or error}")
    done = False
    try:
        with os.fdopen(handle, "wb", buffering=1 << 20) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode(target))
        os.replace(temporary, target)
        done = True
    finally:
        if not done:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def write_output(text: str, output: Path | None) -> None:
    """Print ``text``, or write it to ``output`` (whole, or not at all) and say so on
    standard error."""
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        with atomic_file(output) as stream:
            stream.write(text.encode("utf-8"))
    except OSError as error:
        fail(f"cannot write {excerpt(str(output), PATH_SHOWN)}: {error.strerror or error}")
    click.echo(f"wrote {output}", err=True)
