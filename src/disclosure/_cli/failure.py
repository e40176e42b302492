"""The one failure path of the command line, and its exit codes.

Every command runs through :func:`run`: whatever goes wrong ends in one line on standard
error and an exit status, never a traceback.

====  ===================================================================================
code  meaning
====  ===================================================================================
0     done (``batch``: every line evaluated; ``check``: no defect)
1     ``batch``: some lines could not be evaluated, each reported in its place;
      ``check``: defects found
2     the command could not run: bad input or options, an unreadable file, an output
      that cannot be written (a full disk, a closed pipe)
130   interrupted (Ctrl-C)
====  ===================================================================================

An unexpected exception (a bug) also ends in one line, exit 2; set
``DISCLOSURE_TRACEBACK=1`` to see the traceback instead.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Sequence
from typing import IO, Any, NoReturn

import click

from disclosure.errors import DisclosureError, excerpt

__all__ = [
    "EXIT_COULD_NOT_RUN",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_SOME_FAILED",
    "CommandError",
    "fail",
    "run",
    "say",
]

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_COULD_NOT_RUN = 2
EXIT_INTERRUPTED = 130

PROG = "disclosure"
#: errors of a stream that cannot take more output (the output failed, not the command)
_OUTPUT_ERRORS = frozenset(
    {errno.EPIPE, errno.ENOSPC, errno.EFBIG, errno.EIO, errno.EDQUOT, errno.ECONNRESET}
)


class CommandError(click.ClickException):
    """A command could not run: its one line of explanation (exit 2), shown the same
    when the command is invoked alone (by click's test runner, say)."""

    exit_code = EXIT_COULD_NOT_RUN

    def show(self, file: IO[Any] | None = None) -> None:
        say(f"error: {self.format_message()}")


def fail(message: str) -> NoReturn:
    """Stop the command: ``disclosure: error: MESSAGE`` on standard error, exit 2."""
    raise CommandError(message)


def say(message: str) -> None:
    """One line on standard error, ``disclosure: MESSAGE``; never raises (standard error
    itself may be gone)."""
    line = f"{PROG}: {' '.join(message.split())}\n"
    try:
        stream = sys.stderr
        stream.write(line)
        stream.flush()
    except (OSError, ValueError, AttributeError):
        pass


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's own flush at
    exit cannot fail a second time on output that cannot be written."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, sys.stdout.fileno())
        finally:
            os.close(null)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _flush_stdout() -> None:
    stream = sys.stdout
    if stream is not None:
        stream.flush()


def _usage(error: click.UsageError) -> str:
    message = error.format_message()
    if error.ctx is not None:
        message += f" (see '{error.ctx.command_path} --help')"
    return message


def run(group: click.Group, argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and give its exit code,
    every failure reported in one line (see the module's documentation)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        try:
            with group.make_context(PROG, args) as context:
                group.invoke(context)
            code = EXIT_OK
        except click.exceptions.Exit as stop:
            code = stop.exit_code
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
        _flush_stdout()
        return code
    except (KeyboardInterrupt, click.Abort):
        say("interrupted")
        return EXIT_INTERRUPTED
    except click.UsageError as error:
        say(f"error: {_usage(error)}")
        return EXIT_COULD_NOT_RUN
    except click.ClickException as error:
        say(f"error: {error.format_message()}")
        return error.exit_code if error.exit_code else EXIT_COULD_NOT_RUN
    except DisclosureError as error:
        say(f"error: {error}")
        return EXIT_COULD_NOT_RUN
    except OSError as error:
        if error.errno in _OUTPUT_ERRORS and error.filename is None:
            _silence_stdout()
            say(f"error: cannot write the output: {error.strerror or error}")
        else:
            where = f" ({error.filename})" if error.filename else ""
            say(f"error: {error.strerror or error}{where}")
        return EXIT_COULD_NOT_RUN
    except Exception as error:  # a bug: one line all the same, unless asked for more
        if os.environ.get("DISCLOSURE_TRACEBACK"):
            raise
        say(
            f"error: internal error ({type(error).__name__}: {excerpt(str(error))}); "
            "set DISCLOSURE_TRACEBACK=1 to see where, and please report it"
        )
        return EXIT_COULD_NOT_RUN
