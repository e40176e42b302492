"""Smoke runs of the benchmark scripts (tests/benchmarks/): each runs with ``--quick``
(tiny sizes) and prints its figures. Their speed is not checked here: the benchmarks
measure it, and a timed assertion would only measure the machine."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parent
SCRIPTS = sorted(
    path.name for path in BENCHMARKS.glob("bench_*.py") if "--quick" in path.read_text("utf-8")
)
NUMBER = re.compile(r"\d[\d,.]*")

#: every figure bench_bulk.py prints, in its summary table
BULK_FIGURES = [
    "outcome, fixed version",
    "outcome, first pass (empty tables)",
    "outcome, fixed version, situations parsed from JSON",
    "outcome, version chosen by each date",
    "decision, first pass (empty tables)",
    "decision, next passes",
    "batch: total time of the command",
    "batch: reading, evaluating, writing (start-up excluded)",
    "batch: peak memory",
    "memory: peak RSS, 1,000 lines",
    "memory: peak RSS, 3,000 lines",
    "memory: 3,000 lines vs 1,000",
]


def run(script: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_bulk_benchmark_is_there() -> None:
    assert "bench_bulk.py" in SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_runs_quick_and_prints_figures(script: str) -> None:
    output = run(script)
    assert NUMBER.search(output), output
    if script != "bench_bulk.py":
        return
    rows = {
        cells[1].strip(): cells[2:]
        for cells in (line.split("|") for line in output.splitlines() if line.startswith("| "))
    }
    for figure in BULK_FIGURES:
        assert figure in rows, f"{figure!r} missing from:\n{output}"
        measured, reference = rows[figure][0], rows[figure][1]
        assert NUMBER.search(measured), (figure, measured)
        assert reference.strip(), (figure, reference)
