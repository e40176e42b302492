"""Whether a decision meets a scenario's expectation: the one definition of the checks,
shared by the scenario plugin (a failing test) and mutation testing (a killed mutant).

An expectation checks four things of an answer: the outcome (its value, ``undetermined``,
or the library's error), that the expected rules are among the winners, that the expected
facts are among those still needed, and that the decision depends on the expected
contested points.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from disclosure._decide.decision import Decision
from disclosure._ir.outcome import UNDETERMINED

if TYPE_CHECKING:
    # a type only: importing the scenario reader would import the YAML machinery
    from disclosure._load.scenarios import Expectation

__all__ = ["UNDETERMINED", "Answer", "problems"]


@attrs.frozen
class Answer:
    """The parts of a decision a scenario expectation checks: the outcome (its value,
    ``undetermined``, or the library's error), the winning rules, the facts still
    needed and the contested points it depends on."""

    outcome: str
    winners: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    contested: frozenset[str] = frozenset()

    @classmethod
    def of(cls, decision: Decision) -> Answer:
        return cls(
            outcome=decision.outcome.value if decision.outcome is not None else UNDETERMINED,
            winners=decision.winners,
            missing=decision.missing_facts,
            contested=frozenset(dependency.point for dependency in decision.contested),
        )


def problems(expectation: Expectation, answer: Answer) -> list[str]:
    """What ``answer`` fails of ``expectation``, one sentence each (empty: it meets it)."""
    if answer.outcome.startswith("error: "):
        return [answer.outcome[len("error: ") :]]
    problems = []
    if answer.outcome != expectation.outcome:
        problems.append(f"expected outcome {expectation.outcome}, got {answer.outcome}")
    absent = [rule for rule in expectation.basis if rule not in answer.winners]
    if absent:
        problems.append(
            f"expected {', '.join(absent)} among the winning rules; winners: "
            + (", ".join(answer.winners) or "none")
        )
    needed = [fact for fact in expectation.missing if fact not in answer.missing]
    if needed:
        problems.append(
            f"expected {', '.join(needed)} among the facts still needed; still needed: "
            + (", ".join(answer.missing) or "none")
        )
    unnamed = [point for point in expectation.contested if point not in answer.contested]
    if unnamed:
        problems.append(
            f"expected the decision to depend on contested point(s) {', '.join(unnamed)}; "
            "it depends on: " + (", ".join(sorted(answer.contested)) or "none")
        )
    return problems
