"""Rerunnable benchmark: one evaluation at a time on each engine, and memory over many.

    python tests/benchmarks/bench_evaluate.py            # 100,000 evaluations per engine
    python tests/benchmarks/bench_evaluate.py --quick    # a smoke run

Prints evaluations per second for each engine and the resident memory (RSS) every tenth
of the run: flat figures mean no growth.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from typing import Any

import disclosure
from disclosure.ir import Family


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def situations(family: Family, count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    domains = family.vocabulary.domains
    found: list[dict[str, Any]] = []
    while len(found) < count:
        facts = {name: rng.choice(values) for name, values in domains.items()}
        if family.vocabulary.is_possible(facts):
            found.append(facts)
    return found


def run(engine: str, total: int, family: Family) -> None:
    pool = situations(family, 1_000, seed=7)
    versions = [v.id for v in family.versions]
    step = max(total // 10, 1)
    print(f"engine={engine}: {total:,} evaluations")
    start_rss = rss_mib()
    started = time.perf_counter()
    for i in range(total):
        disclosure.evaluate(
            pool[i % len(pool)], version=versions[i % len(versions)], engine=engine, family=family
        )
        if (i + 1) % step == 0:
            print(f"  after {i + 1:>9,}: RSS {rss_mib():8.1f} MiB")
    elapsed = time.perf_counter() - started
    print(
        f"  rate: {total / elapsed:,.0f} evaluations/s; RSS growth {rss_mib() - start_rss:+.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="a smoke run (1,000)")
    parser.add_argument("--engine", choices=["compiled", "durable", "both"], default="both")
    args = parser.parse_args()
    total = 1_000 if args.quick else args.n
    family = disclosure.load()
    # warm up: preparing a version (compiling, registering) is a one-off cost
    for version in family.versions:
        for engine in ("compiled", "durable"):
            disclosure.evaluate(
                situations(family, 1, 1)[0], version=version.id, engine=engine, family=family
            )
    for engine in ["compiled", "durable"] if args.engine == "both" else [args.engine]:
        run(engine, total, family)


if __name__ == "__main__":
    main()
