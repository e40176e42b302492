"""Rerunnable benchmark: memory and rate of the durable_rules backend over many matches.

    python tests/benchmarks/durable_memory.py                  # 100,000 matches
    python tests/benchmarks/durable_memory.py --count 20000    # a shorter run
    python tests/benchmarks/durable_memory.py --complete 1.0   # complete situations only

Runs ``DurableMatcher.match`` on one ruleset (a version of the bundled law) over a cycle
of generated situations, complete and partial, and prints the resident memory (RSS) every
``--every`` matches with the rate of that stretch: a flat RSS after the first stretch
means no growth (every durable session is deleted, nothing accumulates). Rates are given
per second of wall time and per second of this process's CPU time (steadier on a busy
machine).
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from typing import Any

from disclosure._engines.durable import DurableMatcher
from disclosure._load.loader import load_family
from disclosure.ir import Family


def rss_mib() -> float:
    """Resident memory now (Linux), else the peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def situations(family: Family, count: int, complete: float, seed: int) -> list[dict[str, Any]]:
    """Possible situations; a share ``complete`` give every fact, the others about 70%."""
    rng = random.Random(seed)
    domains = family.vocabulary.domains
    found: list[dict[str, Any]] = []
    while len(found) < count:
        keep = 1.0 if rng.random() < complete else 0.7
        facts = {
            name: rng.choice(values) for name, values in domains.items() if rng.random() < keep
        }
        if family.vocabulary.is_possible(facts):
            found.append(facts)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="matches to run")
    parser.add_argument("--every", type=int, default=10_000, help="report every N matches")
    parser.add_argument("--version", default=None, help="version id or alias (default: last)")
    parser.add_argument("--complete", type=float, default=0.5, help="share of complete situations")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    family = load_family()
    version = family.version(args.version) if args.version else family.versions[-1]
    matcher = DurableMatcher(
        f"{family.id}/{version.id}/{version.content_hash}",
        version.rules,
        family.vocabulary.domains,
    )
    cycle = situations(family, 1_000, args.complete, args.seed)
    print(
        f"{family.id} {version.id} ({version.name}): {len(version.rules)} rules, "
        f"{args.count:,} matches, {args.complete:.0%} complete situations"
    )
    print(f"{'matches':>9}  {'RSS MiB':>8}  {'growth':>7}  {'matches/s':>9}  {'per CPU s':>9}")
    start, cpu_start = time.perf_counter(), time.process_time()
    stretch, cpu_stretch = start, cpu_start
    first_rss: float | None = None
    for done in range(1, args.count + 1):
        matcher.match(cycle[done % len(cycle)])
        if done % args.every == 0 or done == args.count:
            now, cpu_now = time.perf_counter(), time.process_time()
            rss = rss_mib()
            first_rss = rss if first_rss is None else first_rss
            matches = done % args.every or args.every
            print(
                f"{done:>9,}  {rss:>8.1f}  {rss - first_rss:>+7.1f}  "
                f"{matches / (now - stretch):>9,.0f}  {matches / (cpu_now - cpu_stretch):>9,.0f}"
            )
            stretch, cpu_stretch = now, cpu_now
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(
        f"overall: {args.count / wall:,.0f} matches/s, {args.count / cpu:,.0f} per CPU second; "
        f"RSS growth after the first stretch: {rss_mib() - (first_rss or 0):+.1f} MiB"
    )


if __name__ == "__main__":
    main()
