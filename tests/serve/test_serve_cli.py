"""``disclosure serve`` on the command line: it starts, answers on 127.0.0.1, with workers
and a token, logs without facts, and says which extra to install when it is missing."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest
from click.testing import CliRunner

from disclosure.cli import cli, main

from serve_support import example

SECRET = "Zq-client-confided-7781"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(*options: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``disclosure serve`` in a process of its own; stopped (by its pid) at the end."""
    port = free_port()
    command = [sys.executable, "-m", "disclosure.cli", "serve", "--port", str(port), *options]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx2.get(f"{url}/static/icon.svg", timeout=2)
                break
            except httpx2.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    out = process.communicate(timeout=10)[0]
                    raise AssertionError(f"the service did not start:\n{out}") from None
                time.sleep(0.2)
        yield url, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:  # pragma: no cover
                process.kill()
                process.wait(timeout=10)


def test_serve_answers_on_loopback_and_logs_no_fact() -> None:
    facts = example("prosecutor-written-request")
    with serving("--log-level", "debug") as (url, process):
        with httpx2.Client(base_url=url, timeout=30) as http:
            answer = http.post("/v1/evaluate", json={"facts": facts})
            assert answer.status_code == 200
            assert answer.json()["outcome"] == "obliged"
            assert "server" not in answer.headers
            http.post("/v1/evaluate", json={"facts": {**facts, "information": SECRET}})
            http.post("/v1/evaluate", json={"facts": {SECRET: 1}})
            http.get("/v1/diff", params={"a": SECRET, "b": "prior"})
            http.get(f"/v1/{SECRET}")
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=30)[0]
    assert "Uvicorn running on http://127.0.0.1:" in output
    assert '"POST /v1/evaluate" 200' in output
    assert SECRET not in output
    assert "terrorist_offence" not in output
    assert "procureur_du_roi" not in output


def test_serve_with_workers_and_a_token(tmp_path: Path) -> None:
    token = "a-token-of-the-cpas-0123456789"
    path = tmp_path / "token"
    path.write_text(token, "utf-8")
    with (
        serving("--workers", "2", "--token-file", str(path)) as (url, _),
        httpx2.Client(base_url=url, timeout=30) as http,
    ):
        assert http.get("/healthz").status_code == 401
        bearer = {"Authorization": f"Bearer {token}"}
        answers = {http.get("/healthz", headers=bearer).status_code for _ in range(8)}
        assert answers == {200}
        body = {"facts": example("police-phone-call")}
        answer = http.post("/v1/evaluate", json=body, headers=bearer)
        assert answer.json()["outcome"] == "forbidden"


def test_a_bad_token_file_stops_the_command_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "token"
    path.write_text("short", "utf-8")
    with pytest.raises(SystemExit) as stop:
        main(["serve", "--token-file", str(path)])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("disclosure: error: the token file")
    assert len(err.strip().splitlines()) == 1


def test_without_the_extra_the_command_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn now fails
    with pytest.raises(SystemExit) as stop:
        main(["serve"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "pip install 'disclosure[serve]'" in err
    assert len(err.strip().splitlines()) == 1


def test_the_command_line_works_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI imports the service only when `serve` runs."""
    code = (
        "import sys; sys.modules['starlette'] = None; sys.modules['uvicorn'] = None\n"
        "from disclosure.cli import main\n"
        "main(['versions', '--format', 'json'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert '"prior"' in done.stdout


def test_help_says_the_defaults() -> None:
    result: Any = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for text in ("127.0.0.1", "--workers", "--token-file", "--max-body", "--timeout"):
        assert text in result.output


def test_loopback_addresses_are_recognised() -> None:
    """Listening elsewhere without a token prints a warning."""
    from disclosure._cli.serve import is_loopback

    assert is_loopback("127.0.0.1")
    assert is_loopback("::1")
    assert is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    assert not is_loopback("192.168.1.10")
