"""A batch never loses data (issue 12): a real Ctrl-C (SIGINT) sent to a running
``disclosure batch`` ends it with exit status 130 and one line on standard error, leaves
the output of an earlier run untouched and leaves no partial file behind; so does a run
that fails because its output cannot be written (a full disk, simulated with a file size
limit).

These tests start the installed ``disclosure`` command in a subprocess, as a user would.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from edge_support import GOOD_JSONL, MAX_MESSAGE

SCRIPT = Path(sys.executable).parent / "disclosure"
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "disclosure.cli"]
EARLIER = b'{"line":1,"outcome":"obliged","version":"an earlier run"}\n'
#: time allowed for the command to start (import, load the law) and reach its loop
START = 60.0

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals and limits")


def as_at_a_terminal() -> None:
    """In the child, before it runs: Ctrl-C does what it does at a terminal. A process
    started in the background by a shell without job control (as CI may start the tests)
    has SIGINT ignored, and a child inherits that; the command rightly leaves an ignored
    SIGINT ignored, so the test restores the default a user's terminal gives."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = START) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def others(folder: Path, *known: str) -> list[Path]:
    """Files in ``folder`` besides ``known``: a temporary output being written."""
    return [path for path in folder.iterdir() if path.name not in known]


def run_started(folder: Path, *known: str) -> Callable[[], bool]:
    """Whether the batch has begun writing: a new file in the output's folder (its
    temporary output), or the output itself touched (as a batch that writes in place
    does)."""

    def started() -> bool:
        return bool(others(folder, *known)) or (folder / "out.jsonl").read_bytes() != EARLIER

    return started


def one_line(stderr: bytes) -> str:
    lines = [line for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    assert len(lines) == 1, stderr.decode("utf-8", "replace")[-2000:]
    assert "Traceback" not in lines[0]
    assert len(lines[0]) <= MAX_MESSAGE
    return lines[0]


def test_ctrl_c_while_the_batch_waits_for_input(tmp_path: Path) -> None:
    output = tmp_path / "out.jsonl"
    output.write_bytes(EARLIER)
    process = subprocess.Popen(
        [*COMMAND, "batch", "-", "-o", str(output)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        preexec_fn=as_at_a_terminal,
    )
    try:
        assert process.stdin is not None
        process.stdin.write(GOOD_JSONL * 100)
        process.stdin.flush()
        wait_for(run_started(tmp_path, "out.jsonl"), "the batch to start")
        time.sleep(0.3)  # let it block on its input: the signal comes while it waits
        process.send_signal(signal.SIGINT)
        process.wait(timeout=START)
    finally:
        if process.poll() is None:
            process.kill()
        stderr = process.stderr.read() if process.stderr is not None else b""
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert process.returncode == 130, stderr.decode("utf-8", "replace")[-2000:]
    assert "interrupt" in one_line(stderr).lower()
    assert output.read_bytes() == EARLIER
    assert others(tmp_path, "out.jsonl") == []


def test_ctrl_c_in_the_middle_of_a_long_batch(tmp_path: Path) -> None:
    """Lines keep coming and results keep being written when the signal comes."""
    output = tmp_path / "out.jsonl"
    output.write_bytes(EARLIER)
    process = subprocess.Popen(
        [*COMMAND, "batch", "-", "-o", str(output)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        preexec_fn=as_at_a_terminal,
    )
    stop = threading.Event()

    def feed() -> None:
        assert process.stdin is not None
        try:
            while not stop.is_set():
                process.stdin.write(GOOD_JSONL * 2_000)
                process.stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:

        def written() -> bool:
            # a megabyte of results written (to a temporary file, or in place)
            paths = [output, *others(tmp_path, "out.jsonl")]
            return max(path.stat().st_size for path in paths) > 1 << 20

        wait_for(written, "a megabyte of results")
        process.send_signal(signal.SIGINT)
        process.wait(timeout=START)
    finally:
        stop.set()
        if process.poll() is None:
            process.kill()
            process.wait()
        feeder.join(timeout=10)
        stderr = process.stderr.read() if process.stderr is not None else b""
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
    assert process.returncode == 130, stderr.decode("utf-8", "replace")[-2000:]
    one_line(stderr)
    assert output.read_bytes() == EARLIER
    assert others(tmp_path, "out.jsonl") == []


def _limit_file_size(size: int) -> Callable[[], None]:
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write beyond fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def test_a_batch_whose_output_cannot_be_written_loses_nothing(tmp_path: Path) -> None:
    """The disk fills up half-way (a file size limit): one line, a non-zero exit, the
    earlier output untouched and no partial file."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(GOOD_JSONL * 20_000)  # 60,000 lines: several megabytes of results
    output = tmp_path / "out.jsonl"
    output.write_bytes(EARLIER)
    done = subprocess.run(
        [*COMMAND, "batch", str(source), "-o", str(output)],
        capture_output=True,
        cwd=tmp_path,
        timeout=START * 2,
        preexec_fn=_limit_file_size(1 << 20),
        check=False,
    )
    assert done.returncode == 2, done.stderr.decode("utf-8", "replace")[-2000:]
    one_line(done.stderr)
    assert output.read_bytes() == EARLIER
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_a_successful_batch_replaces_the_earlier_output(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(GOOD_JSONL)
    output = tmp_path / "out.jsonl"
    output.write_bytes(EARLIER)
    done = subprocess.run(
        [*COMMAND, "batch", str(source), "-o", str(output)],
        capture_output=True,
        cwd=tmp_path,
        timeout=START * 2,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    assert len(output.read_bytes().splitlines()) == 3
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]
