"""Benchmark: ``disclosure.diff`` between consecutive versions of the Belgian law.

For each consecutive pair of versions (and the annulment as known in 2018 vs today) the
script times the diff *cold*, in a fresh Python process (importing the library and loading
the bundled family are timed apart; the diff then builds both versions' decision diagrams
from nothing), and *warm*, repeated in this process once the versions are prepared (the
diagrams are cached; the semantic diff, the regions and each region's basis are computed
again every time). It prints the number of regions, the situations whose outcome changes
and those compared.

    python tests/benchmarks/bench_diff_belgian.py
    python tests/benchmarks/bench_diff_belgian.py --repeat 20
    python tests/benchmarks/bench_diff_belgian.py --where authority=procureur_du_roi

Not a test: nothing is asserted about time. The vocabulary has 20,736,000 raw combinations
of facts, 1,267,200 of them possible.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import subprocess
import sys
import time
from typing import Any

import disclosure

_COLD = r"""
import json, sys, time
started = time.perf_counter()
import disclosure
imported = time.perf_counter()
disclosure.load()
loaded = time.perf_counter()
where = json.loads(sys.argv[3]) or None
result = disclosure.diff(sys.argv[1], sys.argv[2], where=where)
done = time.perf_counter()
print(json.dumps({"import": imported - started, "load": loaded - imported,
                  "diff": done - loaded, "regions": len(result.regions)}))
"""


def pairs() -> list[tuple[str, str]]:
    names = [v.aliases[0] if v.aliases else v.id for v in disclosure.versions()]
    found = list(itertools.pairwise(names))
    found.append(("terrorism-2017@2018-06-01", "terrorism-2017@today"))
    return found


def cold(a: str, b: str, where: dict[str, Any] | None) -> dict[str, Any]:
    """One diff in a fresh process: nothing prepared, nothing cached."""
    done = subprocess.run(
        [sys.executable, "-c", _COLD, a, b, json.dumps(where or {})],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def warm(a: str, b: str, where: dict[str, Any] | None, repeat: int) -> list[float]:
    disclosure.diff(a, b, where=where)  # prepare both versions
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        disclosure.diff(a, b, where=where)
        times.append(time.perf_counter() - started)
    return times


def parse_where(pairs_: list[str]) -> dict[str, list[Any]] | None:
    where: dict[str, list[Any]] = {}
    for pair in pairs_:
        fact, _, values = pair.partition("=")
        where[fact] = [
            {"true": True, "false": False}.get(v.lower(), v) for v in values.split(",") if v
        ]
    return where or None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10, help="warm runs per pair")
    parser.add_argument("--where", action="append", default=[], metavar="FACT=V1,V2")
    args = parser.parse_args()
    where = parse_where(args.where)
    family = disclosure.load()
    print(
        f"disclosure {disclosure.__version__}, Python {sys.version.split()[0]}; "
        f"{family.vocabulary.raw_size:,} raw combinations" + (f"; where {where}" if where else "")
    )
    header = (
        f"{'a -> b':<52} {'regions':>7} {'changed':>8} {'compared':>10} {'rules':>5}  "
        f"{'import':>7} {'load':>6} {'cold diff':>9}  {'warm median':>11} {'warm min':>8}"
    )
    print(header)
    print("-" * len(header))
    for a, b in pairs():
        first = cold(a, b, where)
        times = warm(a, b, where, args.repeat)
        result = disclosure.diff(a, b, where=where)
        assert first["regions"] == len(result.regions)
        print(
            f"{a + ' -> ' + b:<52} {len(result.regions):>7} {result.changed:>8,} "
            f"{result.compared:>10,} {len(result.rules):>5}  "
            f"{first['import']:>6.2f}s {first['load']:>5.2f}s {first['diff']:>8.3f}s  "
            f"{statistics.median(times):>10.3f}s {min(times):>7.3f}s"
        )


if __name__ == "__main__":
    main()
