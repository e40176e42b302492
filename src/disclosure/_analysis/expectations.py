"""Whether a decision meets a scenario's expectation: the one definition of the checks,
shared by the scenario plugin (a failing test) and mutation testing (a killed mutant).

An expectation checks four things of an answer: the outcome (its value, ``undetermined``,
or the library's error), that the expected rules are among the winners, that the expected
facts are among those still needed, and that the decision depends on the expected
contested points. It may also check what the legal review of December 2026 added (issue
15): the sanctions at stake, a penalty's text, the dates of the citations, a warning, and
the answer as known on the date of the facts. An answer that does not hold those parts
(mutation testing's fast answers) leaves those checks out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from disclosure._decide.decision import Decision
from disclosure._ir.outcome import UNDETERMINED
from disclosure._ir.ruleset import Citation

if TYPE_CHECKING:
    # a type only: importing the scenario reader would import the YAML machinery
    from disclosure._load.scenarios import Expectation

__all__ = ["SAME", "UNDETERMINED", "Answer", "problems"]

#: ``known_then``: the outcome as known on the date of the facts does not differ
SAME = "same"


@attrs.frozen
class Answer:
    """The parts of a decision a scenario expectation checks: the outcome (its value,
    ``undetermined``, or the library's error), the winning rules, the facts still
    needed and the contested points it depends on."""

    outcome: str
    winners: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    contested: frozenset[str] = frozenset()
    #: the parts below are ``None`` when the answer does not hold them (then unchecked):
    #: the sanctions at stake, their English penalties, the basis' citations, the
    #: (English) warnings, and the outcome as known on the date of the facts (``same``
    #: when it does not differ)
    sanctions: tuple[str, ...] | None = None
    penalties: tuple[str, ...] | None = None
    basis: tuple[Citation, ...] | None = None
    warnings: tuple[str, ...] | None = None
    known_then: str | None = None

    @classmethod
    def of(cls, decision: Decision) -> Answer:
        then = decision.known_then
        return cls(
            outcome=decision.outcome.value if decision.outcome is not None else UNDETERMINED,
            winners=decision.winners,
            missing=decision.missing_facts,
            contested=frozenset(dependency.point for dependency in decision.contested),
            sanctions=tuple(sanction.id for sanction in decision.sanctions),
            penalties=tuple(s.penalty.en for s in decision.sanctions if s.penalty is not None),
            basis=decision.basis,
            warnings=decision.warnings,
            known_then=SAME
            if then is None
            else (then.outcome.value if then.outcome is not None else UNDETERMINED),
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
    problems.extend(_review_problems(expectation, answer))
    return problems


def _review_problems(expectation: Expectation, answer: Answer) -> list[str]:
    """The checks of sanctions, penalties, citations, warnings and the answer as known on
    the date of the facts, on an answer that holds those parts."""
    problems = []
    listed = answer.sanctions
    if listed is not None and expectation.sanctions is not None:
        if expectation.sanctions == () and listed:
            problems.append(f"expected no sanction at stake; sanctions: {', '.join(listed)}")
        absent = [s for s in expectation.sanctions if s not in listed]
        if absent:
            problems.append(
                f"expected {', '.join(absent)} among the sanctions; sanctions: "
                + (", ".join(listed) or "none")
            )
    if (
        expectation.penalty is not None
        and answer.penalties is not None
        and not any(expectation.penalty in penalty for penalty in answer.penalties)
    ):
        problems.append(f"expected a sanction whose penalty says {expectation.penalty!r}")
    if answer.basis is not None:
        for cite in expectation.cites:
            if not any(_cites(cite, citation) for citation in answer.basis):
                shown = ", ".join(f"{key}={value}" for key, value in cite.items())
                basis = "; ".join(f"{c.label} ({c.date})" for c in answer.basis) or "none"
                problems.append(f"expected a basis citing {shown}; basis: {basis}")
    if (
        expectation.warning is not None
        and answer.warnings is not None
        and not any(expectation.warning in warning for warning in answer.warnings)
    ):
        problems.append(f"expected a warning saying {expectation.warning!r}")
    if (
        expectation.known_then is not None
        and answer.known_then is not None
        and answer.known_then != expectation.known_then
    ):
        problems.append(
            "expected the answer as known on the date of the facts to be "
            f"{expectation.known_then}, got {answer.known_then}"
        )
    return problems


def _cites(cite: Mapping[str, Any], citation: Citation) -> bool:
    return all(getattr(citation, key) == value for key, value in cite.items())
