"""Output that cannot be written (issue 12): a closed pipe (``disclosure ... | head -1``)
or a full disk ends every command with one line on standard error and a non-zero exit
status, never a traceback.

Every command runs in-process with a standard output that fails as a full disk or a
closed pipe does; a few also run as real subprocesses writing to ``/dev/full`` and to a
pipe whose reader has gone, where the interpreter's own flush at exit is covered too.
"""

from __future__ import annotations

import errno
import io
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from edge_support import GOOD_JSONL, MAX_MESSAGE, excerpt

from disclosure.cli import main

MINI = str(Path(__file__).parent.parent / "fixtures" / "mini")
SCRIPT = Path(sys.executable).parent / "disclosure"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "disclosure.cli"]

FACT = ("--fact", "holder=cpas_staff", "--fact", "channel=request")
#: every command, with arguments that make it write to standard output
COMMANDS: dict[str, tuple[str, ...]] = {
    "help": ("--help",),
    "version": ("--version",),
    "versions": ("versions",),
    "versions-json": ("versions", "--format", "json"),
    "vocabulary": ("vocabulary",),
    "vocabulary-json": ("vocabulary", "--format", "json"),
    "evaluate": ("evaluate", *FACT),
    "evaluate-json": ("evaluate", *FACT, "--format", "json"),
    "compare": ("compare", *FACT, "--versions", "prior,terrorism-2017"),
    "compare-md": ("compare", *FACT, "--versions", "prior,terrorism-2017", "--format", "md"),
    "diff": ("diff", "prior", "terrorism-2017"),
    "diff-html": ("diff", "prior", "terrorism-2017", "--format", "html"),
    "check": ("check", MINI),
    "check-json": ("check", MINI, "--format", "json"),
    "timeline": ("timeline",),
    "timeline-svg": ("timeline", "--format", "svg"),
    "batch": ("batch", "-"),
    "batch-csv": ("batch", "-", "--output-format", "csv"),
    "sample": ("sample", "--n", "50"),
    "schema": ("schema", "family"),
}


class _Failing(io.RawIOBase):
    """A standard output whose every write fails with ``error``."""

    def __init__(self, error: int) -> None:
        self.error = error

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        raise OSError(self.error, "simulated")


def run_into(argv: tuple[str, ...], error: int) -> tuple[int, list[str]]:
    runner = CliRunner()
    with runner.isolation(input=GOOD_JSONL) as (_, err, _):
        failing = _Failing(error)
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(failing), encoding="utf-8")
        code = 0
        try:
            main(list(argv))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
        except BaseException as raised:  # what a user would see as a traceback
            pytest.fail(
                f"disclosure {' '.join(argv)}: a traceback "
                f"({type(raised).__name__}: {excerpt(str(raised))})",
                pytrace=False,
            )
        lines = err.getvalue().decode("utf-8", "replace").splitlines()
    return code, [line for line in lines if line.strip()]


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EPIPE], ids=["full-disk", "closed-pipe"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_ends_in_one_line_when_its_output_fails(name: str, error: int) -> None:
    code, lines = run_into(COMMANDS[name], error)
    assert code != 0, lines
    assert len(lines) == 1, lines
    assert lines[0].startswith("disclosure: "), lines
    assert len(lines[0]) <= MAX_MESSAGE


SUBPROCESS_COMMANDS = ["versions", "evaluate-json", "diff", "batch"]


@pytest.mark.parametrize("name", SUBPROCESS_COMMANDS)
def test_a_full_disk(name: str) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*COMMAND, *COMMANDS[name]],
            input=GOOD_JSONL,
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    lines = [line for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    assert done.returncode != 0, lines
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0]


@pytest.mark.parametrize("name", SUBPROCESS_COMMANDS)
def test_a_closed_pipe(name: str) -> None:
    process = subprocess.Popen(
        [*COMMAND, *COMMANDS[name]],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()  # the reader is gone before anything is written (| head -0)
    _, stderr = process.communicate(GOOD_JSONL, timeout=120)
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    assert process.returncode != 0, lines
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0]
