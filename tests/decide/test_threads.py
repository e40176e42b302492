"""Evaluation is thread-safe: 8 threads x 2,000 evaluations give the decisions one thread
gives, on both engines (durable_rules' C core is process-global and must be guarded)."""

from __future__ import annotations

import itertools
import threading
from typing import Any

import pytest

from disclosure._decide.evaluate import evaluate_in

from support import FAMILY, VOCABULARY

THREADS = 8
PER_THREAD = 2_000


def _situations() -> list[dict[str, Any]]:
    domains = VOCABULARY.domains
    names = sorted(domains)
    found = []
    for values in itertools.product(*(domains[n] for n in names)):
        facts = dict(zip(names, values, strict=True))
        if VOCABULARY.is_possible(facts):
            found.append(facts)
    return found


def _fingerprint(decision: Any) -> tuple[Any, ...]:
    return (
        decision.outcome,
        decision.winners,
        tuple(entry.status for entry in decision.trace),
        decision.receipt.version,
    )


@pytest.mark.parametrize("engine", ["compiled", "durable"])
def test_threads_give_the_same_decisions_as_one_thread(engine: str) -> None:
    situations = _situations()
    versions = [v.id for v in FAMILY.versions]
    work = [
        (situations[i % len(situations)], versions[i % len(versions)]) for i in range(PER_THREAD)
    ]
    expected = [
        _fingerprint(evaluate_in(FAMILY, facts, version=version, engine=engine))
        for facts, version in work
    ]
    results: dict[int, list[tuple[Any, ...]]] = {}
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            # each thread walks the same work in a different order, then restores it
            shift = index * 97 % len(work)
            order = work[shift:] + work[:shift]
            got = [
                _fingerprint(evaluate_in(FAMILY, facts, version=version, engine=engine))
                for facts, version in order
            ]
            results[index] = got[len(work) - shift :] + got[: len(work) - shift]
        except BaseException as error:  # reported below, with the thread that raised it
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(results) == THREADS
    for index in range(THREADS):
        assert results[index] == expected, f"thread {index} disagrees with one thread"
