"""Benchmark: ``disclosure.mutate`` on the bundled Belgian law, every operator, against
the project's scenario files, beside its reference: the time the same run took to
evaluate every scenario expectation once.

    python tests/benchmarks/bench_mutate.py             # a cold run and 3 warm runs
    python tests/benchmarks/bench_mutate.py --repeat 5
    python tests/benchmarks/bench_mutate.py --quick     # a smoke run (one operator)

The *cold* run is a fresh Python process: importing the library and loading the family
are timed apart, then ``mutate`` builds every mutant, checks the scenarios and the
decision diagrams from nothing. The *warm* runs repeat it in this process (the
original's prepared forms and the loaded scenario families are cached; every mutant is
built and classified again). Each run prints its own reference, the scenarios evaluated
once (``MutationReport.scenario_seconds``), measured inside that run.

Not a test: nothing is asserted about time. The bar (issue 14): the whole family, every
operator, classified in under 30 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import disclosure

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
ALLOW = Path(__file__).resolve().parents[1] / "mutation-allow.yaml"

_COLD = r"""
import json, sys, time
started = time.perf_counter()
import disclosure
imported = time.perf_counter()
family = disclosure.load()
loaded = time.perf_counter()
operators = json.loads(sys.argv[2]) or None
allow = sys.argv[3] or None
report = disclosure.mutate(family, scenarios=sys.argv[1], operators=operators, allow=allow)
done = time.perf_counter()
print(json.dumps({"import": imported - started, "load": loaded - imported,
                  "mutate": done - loaded, "scenarios": report.scenario_seconds,
                  "counts": report.counts, "score": report.score}))
"""


def cold(operators: list[str] | None, allow: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _COLD, str(SCENARIOS), json.dumps(operators), allow],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="warm runs (default 3)")
    parser.add_argument("--quick", action="store_true", help="one operator, one warm run")
    args = parser.parse_args()
    operators = ["conclusion"] if args.quick else None
    repeat = 1 if args.quick else args.repeat
    allow = str(ALLOW) if ALLOW.is_file() else ""

    first = cold(operators, allow)
    counts = first["counts"]
    print(
        f"disclosure mutate, bundled law, {'conclusion only' if args.quick else 'every operator'}"
    )
    print(
        f"mutants {counts['mutants']}: {counts['killed']} killed, {counts['survived']} survived "
        f"({counts['allowed']} allowed), {counts['equivalent']} equivalent; "
        f"score {first['score']:.3f}"
    )
    print()
    print("| run | mutate (s) | scenarios evaluated once, same run (s) | ratio |")
    print("|---|---|---|---|")
    print(
        f"| cold process (import {first['import']:.2f} s, load {first['load']:.2f} s apart) "
        f"| {first['mutate']:.2f} | {first['scenarios']:.3f} "
        f"| {first['mutate'] / first['scenarios']:.0f}x |"
    )
    family = disclosure.load()
    warm = []
    for index in range(repeat):
        started = time.perf_counter()
        report = disclosure.mutate(
            family, scenarios=SCENARIOS, operators=operators, allow=allow or None
        )
        seconds = time.perf_counter() - started
        warm.append((seconds, report.scenario_seconds))
        print(
            f"| warm {index + 1} | {seconds:.2f} | {report.scenario_seconds:.3f} "
            f"| {seconds / report.scenario_seconds:.0f}x |"
        )
    if len(warm) > 1:
        median = statistics.median(s for s, _ in warm)
        reference = statistics.median(r for _, r in warm)
        print(f"| warm, median of {len(warm)} | {median:.2f} | {reference:.3f} | |")


if __name__ == "__main__":
    main()
