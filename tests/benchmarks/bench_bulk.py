"""Rerunnable benchmark of bulk evaluation (issue 6): every figure beside its reference,
measured in the same run, as a ratio, plus memory.

    python tests/benchmarks/bench_bulk.py                 # the full run (several minutes)
    python tests/benchmarks/bench_bulk.py --quick         # a smoke run (seconds)
    python tests/benchmarks/bench_bulk.py --n 200000 --memory-lines 1000000,2000000
    python tests/benchmarks/bench_bulk.py --only outcome,decision

Figures (targets of issue 6 in brackets):

1. ``outcome``: ``evaluate_many(detail="outcome")`` on complete situations under a fixed
   version, against a plain dict lookup keyed by the tuple of fact values
   (``table[itemgetter(*facts)(s)]`` in a generator) over the same situations
   [>= 1,000,000/s and >= 70% of the reference]; also with situations read from JSON,
   with each situation's date choosing the version, and the first (cold) pass.
2. ``decision``: ``evaluate_many(detail="decision")`` [>= 100,000/s], first pass and
   next passes, against ``disclosure.evaluate`` one at a time.
3. ``durable``: ``disclosure.evaluate(engine="durable")`` one situation at a time
   [>= 15,000/s], and the durable matcher alone, against durable_rules' own ceiling (a
   one-rule ruleset driven through its public ``Host.post``, one event at a time), its C
   core driven directly, and our matcher on a one-rule ruleset.
4. ``batch``: ``disclosure batch`` on a JSON Lines file of ``--batch-lines`` lines, total
   time against the time the same JSON library takes to parse the file [<= 2x].
5. ``memory``: peak RSS of ``disclosure batch`` on ``--memory-lines`` (default 1M and 10M
   lines, streamed through a pipe from ``disclosure sample``) [within 20 MB].
6. ``diff``: ``disclosure.diff`` of two Belgian versions [< 1 s].

Speeds are best-of-``--repeat`` runs, each measurement interleaved with its reference so
that both see the same machine load. Nothing is asserted: this prints.
"""

from __future__ import annotations

import argparse
import collections
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

import disclosure
from disclosure._cli.sample import jsonl_lines
from disclosure._decide import bulk as _bulk
from disclosure._decide.bulk import evaluate_many
from disclosure._decide.sampler import sample_situations
from disclosure._edge import JSON_LIBRARY
from disclosure._edge import loads as _loads
from disclosure._engines.prepared import prepare

ROWS: list[tuple[str, str, str, str, str]] = []
FIXED = "terrorism-2017"

#: runs the CLI commands whether or not the `disclosure` group registers them yet, and
#: reports the process's own peak RSS (VmHWM: ru_maxrss would include the parent's, which
#: a child inherits through fork and keeps across exec)
RUNNER = (
    "import sys\n"
    "import importlib\n"
    "module = importlib.import_module('disclosure._cli.' + sys.argv[1])\n"
    "command = getattr(module, sys.argv[1] + '_command')\n"
    "try:\n"
    "    command.main(sys.argv[2:], prog_name='disclosure ' + sys.argv[1], standalone_mode=False)\n"
    "finally:\n"
    "    peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
    "    sys.stderr.write(f'peak-rss-kib: {peak[0].split()[1]}\\n')\n"
)
PEAK = "peak-rss-kib: "


def peak_of(output: str, fallback: float) -> float:
    """The peak RSS (MiB) a child reported, else ``fallback``."""
    for line in output.splitlines():
        if line.startswith(PEAK):
            return int(line[len(PEAK) :]) / 1024
    return fallback


def command(name: str, *args: str) -> list[str]:
    return [sys.executable, "-c", RUNNER, name, *args]


def consume(iterable: Iterable[Any]) -> None:
    collections.deque(iterable, maxlen=0)


def timed(run: Callable[[], Any]) -> float:
    gc.collect()
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def best_pair(
    mine: Callable[[], Any], reference: Callable[[], Any], repeat: int
) -> tuple[float, float, float]:
    """Best times of ``mine`` and ``reference``, run alternately, and the median ratio
    of the pairs (reference time / my time)."""
    pairs = []
    for _ in range(repeat):
        pairs.append((timed(mine), timed(reference)))
    ratios = [ref / own for own, ref in pairs]
    return min(p[0] for p in pairs), min(p[1] for p in pairs), statistics.median(ratios)


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s" if seconds > 0 else "inf"


def record(figure: str, measured: str, reference: str, ratio: str, target: str) -> None:
    ROWS.append((figure, measured, reference, ratio, target))
    print(f"  {figure}: {measured}  | reference {reference}  | ratio {ratio}  [{target}]")
    sys.stdout.flush()


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def key_of(family: disclosure.Family) -> Callable[[Any], tuple[Any, ...]]:
    return itemgetter(*(fact.name for fact in family.vocabulary.condition_facts))


def undated(situations: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for situation in situations:
        situation = dict(situation)
        del situation["date"]
        found.append(situation)
    return found


# -- 1. outcome ----------------------------------------------------------------------------


def bench_outcome(family: disclosure.Family, n: int, repeat: int) -> None:
    print(f"\n1. detail='outcome', fixed version {FIXED}, {n:,} complete situations")
    dated = list(sample_situations(family, n, seed=1))
    situations = undated(dated)
    key = key_of(family)
    distinct = len({key(s) for s in situations})
    print(f"  ({distinct:,} distinct situations; RSS {rss_mib():,.0f} MiB)")

    def mine(items: list[dict[str, Any]], **terms: Any) -> Callable[[], None]:
        return lambda: consume(evaluate_many(items, detail="outcome", family=family, **terms))

    _bulk._tables.clear()
    cold = timed(mine(situations, version=FIXED))
    outcomes = list(evaluate_many(situations, version=FIXED, detail="outcome", family=family))
    table = {key(s): o for s, o in zip(situations, outcomes, strict=True)}

    def reference(items: list[dict[str, Any]]) -> Callable[[], None]:
        def lookups() -> Iterator[Any]:
            get = table.__getitem__
            for situation in items:
                yield get(key(situation))

        return lambda: consume(lookups())

    own, ref, ratio = best_pair(mine(situations, version=FIXED), reference(situations), repeat)
    record(
        "outcome, fixed version",
        rate(n, own),
        f"dict lookup {rate(n, ref)}",
        f"{ratio:.2f} (best/best {ref / own:.2f})",
        ">= 1,000,000/s, ratio >= 0.70",
    )
    record(
        "outcome, first pass (empty tables)",
        rate(n, cold),
        f"dict lookup {rate(n, ref)}",
        f"{ref / cold:.2f}",
        "-",
    )
    bare = min(timed(lambda: [table[key(s)] for s in situations]) for _ in range(repeat))
    record("plain list comprehension of lookups", rate(n, bare), "-", "-", "(context)")

    # situations as read from JSON: fresh strings, not the interned ones of the sampler
    parsed = [_loads(line) for line in jsonl_lines(situations)]
    own, ref, ratio = best_pair(mine(parsed, version=FIXED), reference(parsed), repeat)
    record(
        "outcome, fixed version, situations parsed from JSON",
        rate(n, own),
        f"dict lookup {rate(n, ref)}",
        f"{ratio:.2f}",
        "ratio >= 0.70",
    )
    del parsed

    # each situation's date chooses the version
    consume(evaluate_many(dated, detail="outcome", family=family))
    by_date = collections.defaultdict(dict)
    for situation, outcome in zip(
        dated, evaluate_many(dated, detail="outcome", family=family), strict=True
    ):
        by_date[situation["date"]][key(situation)] = outcome
    date_of = itemgetter("date")

    def dated_reference() -> None:
        def lookups() -> Iterator[Any]:
            for situation in dated:
                yield by_date[date_of(situation)][key(situation)]

        consume(lookups())

    own, ref, ratio = best_pair(mine(dated), dated_reference, repeat)
    record(
        "outcome, version chosen by each date",
        rate(n, own),
        f"two dict lookups {rate(n, ref)}",
        f"{ratio:.2f}",
        "-",
    )
    print(f"  (RSS {rss_mib():,.0f} MiB)")


# -- 2. decision ---------------------------------------------------------------------------


def bench_decision(family: disclosure.Family, n: int, repeat: int) -> None:
    print(f"\n2. detail='decision', fixed version {FIXED}, {n:,} complete situations")
    situations = undated(sample_situations(family, n, seed=2))
    distinct = len({key_of(family)(s) for s in situations})
    print(f"  ({distinct:,} distinct situations)")
    # preparing the version (its decision diagram, compiled tests) happens once per
    # process: timed apart, on other situations, so the first pass times the tables
    from disclosure._engines.prepared import _cache

    _bulk._tables.clear()
    _bulk._plans.clear()
    _cache.clear()
    warmup = undated(sample_situations(family, 100, seed=99))
    prepare = timed(
        lambda: consume(evaluate_many(warmup, version=FIXED, detail="decision", family=family))
    )
    print(f"  (preparing {FIXED} once per process, 100 situations: {prepare:.2f} s)")
    _bulk._tables.clear()
    _bulk._plans.clear()
    for prepared in _cache.values():
        prepared.forget("decision_maker")
    cold = timed(
        lambda: consume(evaluate_many(situations, version=FIXED, detail="decision", family=family))
    )
    warm = min(
        timed(
            lambda: consume(
                evaluate_many(situations, version=FIXED, detail="decision", family=family)
            )
        )
        for _ in range(repeat)
    )
    few = situations[: max(n // 50, 200)]
    one_by_one = timed(lambda: [disclosure.evaluate(s, version=FIXED, family=family) for s in few])
    record(
        "decision, first pass (empty tables)",
        rate(n, cold),
        f"evaluate one by one {rate(len(few), one_by_one)}",
        f"{(n / cold) / (len(few) / one_by_one):.1f}x",
        ">= 100,000/s",
    )
    record(
        "decision, next passes",
        rate(n, warm),
        f"evaluate one by one {rate(len(few), one_by_one)}",
        f"{(n / warm) / (len(few) / one_by_one):.1f}x",
        ">= 100,000/s",
    )
    first = list(evaluate_many(situations[:2000], version=FIXED, detail="decision", family=family))
    # the tables this call used, reached through its plan (clearing _bulk._tables does
    # not reach the plans that still hold them)
    table = next(
        placed[0]
        for plan in _bulk._plans.values()
        for placed in plan.by_date.values()
        if placed[0].version_id == family.version(FIXED).id
    )
    print(
        f"  ({len(first)} decisions checked; {len(table.decisions):,} decisions held "
        f"(cap {_bulk.MAX_DECISIONS:,}); RSS {rss_mib():,.0f} MiB)"
    )


# -- 3. durable ----------------------------------------------------------------------------


class _DurableCeiling:
    """durable_rules on its own, without our wrapper: a ruleset of one rule of one test,
    fed one event at a time into one session, each event firing the rule once.

    ``public`` goes through durable's Python host (``Host.post``, the rule's action a
    Python function that does nothing; the host's timer threads are not started): what a
    durable user gets. ``core`` drives durable's C core directly, as our matcher does
    (``assert_event``, then ``start_action_for_state`` / ``complete_and_start_action``
    until no action is left), on a JSON text prepared in advance: the engine alone.
    """

    def __init__(self) -> None:
        import json

        from durable import engine

        class QuietHost(engine.Host):  # type: ignore[misc]
            def _run(self) -> None:  # no timer threads
                return None

        def action(closure: Any) -> None:
            return None

        self.event = {"sid": "1", "holder": "cpas_staff"}
        rule = {"all": [{"m": {"holder": "cpas_staff"}}]}
        self.host = QuietHost()
        self.host.register_rulesets({"bench_ceiling_public": {"r": {**rule, "run": action}}})
        self.core = engine.durable_rules_engine
        self.handle = self.core.create_ruleset("bench_ceiling_core", json.dumps({"r": rule}))
        self.text = json.dumps(self.event)

    def public(self, n: int) -> None:
        post, event = self.host.post, self.event
        for _ in range(n):
            post("bench_ceiling_public", dict(event))

    def core_direct(self, n: int) -> None:
        core, handle, text = self.core, self.handle, self.text
        for _ in range(n):
            _, state = core.assert_event(handle, text)
            if core.start_action_for_state(handle, state) is None:
                raise RuntimeError("the ceiling's rule did not fire")
            while core.complete_and_start_action(handle, state) is not None:
                pass


def bench_durable(family: disclosure.Family, n: int, repeat: int = 3) -> None:
    from disclosure._engines.durable import DurableMatcher, durable_available
    from disclosure._ir.outcome import Outcome
    from disclosure._ir.ruleset import Rule
    from disclosure.ir import FactTest

    print(f"\n3. the durable_rules engine, one situation at a time ({n:,} situations)")
    if not durable_available():
        print("  durable_rules is not available on this Python: skipped")
        return
    situations = undated(sample_situations(family, n, seed=3))
    version = family.version(FIXED)
    prepared = prepare(family, version, frozenset())
    matcher = prepared.durable()
    matcher.match(situations[0])
    base = version.rules[0]
    trivial = Rule(
        id="ceiling",
        summary=base.summary,
        source=base.source,
        when=FactTest("holder", frozenset({"cpas_staff"})),
        conclusion=Outcome.FORBIDDEN,
    )
    ceiling = DurableMatcher("bench-ceiling", (trivial,), family.vocabulary.domains)
    ceiling.match(situations[0])
    durable = _DurableCeiling()
    durable.public(10)
    durable.core_direct(10)
    disclosure.evaluate(situations[0], version=FIXED, engine="durable", family=family)
    runs: dict[str, Callable[[], Any]] = {
        "whole": lambda: [
            disclosure.evaluate(s, version=FIXED, engine="durable", family=family)
            for s in situations
        ],
        "alone": lambda: [matcher.match(s) for s in situations],
        "bare": lambda: [ceiling.match(s) for s in situations],
        "public": lambda: durable.public(n),
        "core": lambda: durable.core_direct(n),
    }
    times: dict[str, list[float]] = collections.defaultdict(list)
    for _ in range(repeat):  # interleaved: every figure sees the same machine load
        for name, run in runs.items():
            times[name].append(timed(run))
    best = {name: min(found) for name, found in times.items()}
    own = f"durable's own ceiling {rate(n, best['public'])}"
    record(
        "durable: disclosure.evaluate(engine='durable')",
        rate(n, best["whole"]),
        own,
        f"{best['public'] / best['whole']:.2f}",
        ">= 15,000/s",
    )
    record(
        "durable: the matcher alone (Belgian version)",
        rate(n, best["alone"]),
        own,
        f"{best['public'] / best['alone']:.2f}",
        "-",
    )
    record(
        "durable: the matcher alone (Belgian version), against the C core",
        rate(n, best["alone"]),
        f"durable's C core ceiling {rate(n, best['core'])}",
        f"{best['core'] / best['alone']:.2f}",
        "-",
    )
    record(
        "durable: the matcher on a one-rule ruleset (wrapper ceiling)",
        rate(n, best["bare"]),
        own,
        f"{best['public'] / best['bare']:.2f}",
        "-",
    )
    record(
        "durable's own ceiling: one rule, Host.post one event at a time",
        rate(n, best["public"]),
        f"C core driven directly {rate(n, best['core'])}",
        f"{best['core'] / best['public']:.2f}",
        "-",
    )


# -- 4. batch ------------------------------------------------------------------------------


#: in a smoke run, commands run in forked children (no interpreter start, no reloading of
#: the law): fast, but their peak RSS includes what they inherit
FORK = False


def _forked(name: str, args: list[str], stdin_fd: int | None, stdout_fd: int) -> int:
    """Run a CLI command in a forked child; its pid."""
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        if stdin_fd is not None:
            os.dup2(stdin_fd, 0)
        os.dup2(stdout_fd, 1)
        os.dup2(stdout_fd, 2)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = sys.stdout
        import importlib

        module = importlib.import_module(f"disclosure._cli.{name}")
        try:
            getattr(module, name + "_command").main(args, standalone_mode=False)
        finally:
            with open("/proc/self/status", encoding="ascii") as status:
                peak = [line for line in status if line.startswith("VmHWM:")]
            sys.stderr.write(f"{PEAK}{peak[0].split()[1]}\n")
    except BaseException as error:  # report anything, exit non-zero
        print(f"{type(error).__name__}: {error}")
        code = 1
    finally:
        sys.stdout.flush()
        os._exit(code)


def run_command(name: str, args: list[str], stdin: Any = None) -> tuple[float, float, str]:
    """Wall time, peak RSS (MiB) and output of ``disclosure <name> <args>``: a new
    process, or a forked child in a smoke run."""
    if not FORK:
        return run_child(command(name, *args), stdin=stdin)
    started = time.perf_counter()
    read, write = os.pipe()
    pid = _forked(name, args, stdin.fileno() if stdin is not None else None, write)
    os.close(write)
    with os.fdopen(read, encoding="utf-8") as stream:
        output = stream.read()
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{name} {args} failed:\n{output}")
    return time.perf_counter() - started, peak_of(output, usage.ru_maxrss / 1024), output


def write_sample(path: Path, lines: int) -> None:
    run_command("sample", ["--n", str(lines), "--seed", "4", "-o", str(path)])


def parse_time(path: Path) -> float:
    def parse() -> None:
        loads = _loads
        with open(path, "rb", buffering=1 << 20) as stream:
            for line in stream:
                loads(line)

    return timed(parse)


def run_child(args: list[str], stdin: Any = None) -> tuple[float, float, str]:
    """Wall time, peak RSS (MiB) and stderr+stdout of a child process."""
    started = time.perf_counter()
    child = subprocess.Popen(
        args, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if child.returncode:
        raise SystemExit(f"{args[3:]} failed ({child.returncode}):\n{output}")
    return elapsed, peak_of(output, usage.ru_maxrss / 1024), output


def bench_batch(lines: int, folder: Path, repeat: int) -> None:
    print(f"\n4. disclosure batch on {lines:,} lines of JSON Lines ({JSON_LIBRARY})")
    path = folder / "situations.jsonl"
    write_sample(path, lines)
    size = path.stat().st_size
    out = folder / "results.jsonl"
    # each run of the command followed by a parse of the same file, so that both see the
    # same load; the best of each
    runs, parses = [], []
    for _ in range(repeat):
        runs.append(run_command("batch", [str(path), "-o", str(out)]))
        parses.append(parse_time(path))
    wall, peak, output = min(runs)
    parse = min(parses)
    pairs = ", ".join(
        f"{run[0]:.2f}/{seconds:.2f}" for run, seconds in zip(runs, parses, strict=True)
    )
    print(f"  (each run / parse, seconds: {pairs})")
    inside = float(output.split(" in ")[1].split(" s")[0]) if " in " in output else wall
    # the start of the process: interpreter, imports, loading the rule family
    start_wall = (
        0.0
        if FORK
        else run_child(
            [sys.executable, "-c", "import disclosure, disclosure._cli.batch; disclosure.load()"]
        )[0]
    )
    print(f"  ({size / 2**20:,.0f} MiB; summary: {output.strip().splitlines()[0]})")
    if FORK:
        print(
            "  (smoke run: commands run in forked children; their peak RSS includes the parent's)"
        )
    # the machine's speed drifts between runs: the median of each run's own ratio to the
    # parse that follows it, beside the best against the best
    paired = statistics.median(run[0] / seconds for run, seconds in zip(runs, parses, strict=True))
    record(
        "batch: total time of the command",
        f"{wall:.2f} s",
        f"{JSON_LIBRARY} parse {parse:.2f} s",
        f"{wall / parse:.2f}x best/best (median of pairs {paired:.2f}x)",
        "<= 2x",
    )
    record(
        "batch: reading, evaluating, writing (start-up excluded)",
        f"{inside:.2f} s",
        f"{JSON_LIBRARY} parse {parse:.2f} s",
        f"{inside / parse:.2f}x",
        "<= 2x",
    )
    record(
        "batch: start-up (Python, imports, loading the law)", f"{start_wall:.2f} s", "-", "-", "-"
    )
    record("batch: peak memory", f"{peak:,.0f} MiB", "-", "-", "-")
    path.unlink()
    out.unlink()


# -- 5. memory -----------------------------------------------------------------------------


def bench_memory(sizes: list[int]) -> None:
    print(f"\n5. peak memory of disclosure batch, streamed from disclosure sample: {sizes}")
    peaks = []
    for lines in sizes:
        sample_args = ["--n", str(lines), "--seed", "5"]
        if FORK:
            read, write = os.pipe()
            producer_pid = _forked("sample", sample_args, None, write)
            os.close(write)
            with os.fdopen(read, "rb") as pipe:
                wall, peak, _ = run_command("batch", ["-", "-o", os.devnull], stdin=pipe)
            os.waitpid(producer_pid, 0)
        else:
            producer = subprocess.Popen(
                command("sample", *sample_args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
            )
            wall, peak, _ = run_command("batch", ["-", "-o", os.devnull], stdin=producer.stdout)
            assert producer.stdout is not None
            producer.stdout.close()
            producer.wait()
        peaks.append(peak)
        record(f"memory: peak RSS, {lines:,} lines", f"{peak:,.1f} MiB", "-", "-", f"{wall:.0f} s")
    if len(peaks) > 1:
        record(
            f"memory: {sizes[-1]:,} lines vs {sizes[0]:,}",
            f"{peaks[-1] - peaks[0]:+,.1f} MiB",
            f"{peaks[0]:,.1f} MiB",
            f"{peaks[-1] / peaks[0]:.3f}",
            "within 20 MB",
        )


# -- 6. diff -------------------------------------------------------------------------------


def bench_diff(family: disclosure.Family) -> None:
    print("\n6. semantic diff of two Belgian versions")
    diff = getattr(disclosure, "diff", None)
    if diff is None:
        print("  disclosure.diff is not available yet: skipped")
        return
    for a, b in (("prior", "terrorism-2017"), ("terrorism-2017", "post-annulment")):
        seconds = timed(lambda a=a, b=b: diff(a, b))
        record(
            f"diff {a} -> {b} (first, symbolic forms built)",
            f"{seconds:.3f} s",
            "1 s",
            f"{seconds:.2f}",
            "< 1 s",
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000, help="situations in-process")
    parser.add_argument("--decision-n", type=int, default=300_000)
    parser.add_argument("--durable-n", type=int, default=5_000)
    parser.add_argument("--batch-lines", type=int, default=1_000_000)
    parser.add_argument("--memory-lines", default="1000000,10000000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="outcome,decision,durable,batch,memory,diff")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    args = parser.parse_args()
    if args.quick:
        global FORK
        FORK = True
        args.n, args.decision_n, args.durable_n = 5_000, 2_000, 50
        args.batch_lines, args.memory_lines, args.repeat = 3_000, "1000,3000", 2
    only = set(args.only.split(","))
    family = disclosure.load()
    print(
        f"bulk benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
        f"JSON: {JSON_LIBRARY}, load average {os.getloadavg()[0]:.2f}"
    )
    if "outcome" in only:
        bench_outcome(family, args.n, args.repeat)
    if "decision" in only:
        bench_decision(family, args.decision_n, max(2, args.repeat // 2))
    if "durable" in only:
        bench_durable(family, args.durable_n)
    with tempfile.TemporaryDirectory() as folder:
        if "batch" in only:
            bench_batch(args.batch_lines, Path(folder), args.repeat)
    if "memory" in only:
        bench_memory([int(size) for size in args.memory_lines.split(",")])
    if "diff" in only:
        bench_diff(family)
    print(f"\nsummary (load average now {os.getloadavg()[0]:.2f})")
    print("| figure | measured | reference | ratio | target |")
    print("|---|---|---|---|---|")
    for row in ROWS:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
