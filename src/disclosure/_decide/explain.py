"""Why a rule does not apply: the first condition that fails, as data."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from disclosure._ir.conditions import (
    All,
    Any_,
    Condition,
    FactTest,
    Not,
    compile_condition,
    evaluate_condition_3v,
)

__all__ = ["FailedTest", "compile_first_failure", "first_failure", "missing_in"]


@attrs.frozen
class FailedTest:
    """A fact test that fails: ``fact`` has ``actual``, the rule needs one of
    ``expected`` (or, when ``negated``, none of them)."""

    fact: str
    actual: Any
    expected: tuple[Any, ...]
    negated: bool = False

    def describe(self) -> str:
        values = ", ".join(_show(v) for v in self.expected)
        actual = _show(self.actual)
        if self.negated:
            return f"{self.fact} is {actual}, which the rule excludes ({values})"
        if len(self.expected) == 1:
            return f"{self.fact} is {actual}, the rule needs {values}"
        return f"{self.fact} is {actual}, the rule needs one of {values}"


def _show(value: Any) -> str:
    """Values as a ruleset file writes them (true/false, not True/False)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _sorted(values: frozenset[Any]) -> tuple[Any, ...]:
    return tuple(sorted(values, key=lambda v: (str(type(v)), str(v))))


def first_failure(
    condition: Condition, situation: Mapping[str, Any], negated: bool = False
) -> FailedTest | None:
    """The first fact test that makes ``condition`` false on ``situation`` (``None`` if it
    is not false). Under ``any``, every branch fails: the first branch's reason is given."""
    value = evaluate_condition_3v(condition, situation)
    if value is not negated:
        return None
    if isinstance(condition, FactTest):
        return FailedTest(
            condition.fact, situation[condition.fact], _sorted(condition.values), negated
        )
    if isinstance(condition, Not):
        return first_failure(condition.item, situation, not negated)
    # a failing All (or a holding Any under negation) fails through one item;
    # a failing Any (or a holding All under negation) fails through all: report the first
    for item in condition.items:
        reason = first_failure(item, situation, negated)
        if reason is not None:
            return reason
    return None


#: the test that fails first, and whether it fails by holding (under a negation)
Failure = tuple[FactTest, bool]


def compile_first_failure(
    condition: Condition, negated: bool = False
) -> Callable[[Mapping[str, Any]], Failure | None]:
    """A closure giving, on a situation with every fact ``condition`` reads, what
    :func:`first_failure` reports (its test and ``negated``), or ``None`` when the
    condition does not fail. Its :class:`FailedTest` is then
    ``failed_test(test, negated, situation)``."""
    holds = compile_condition(condition)
    if isinstance(condition, FactTest):
        found = (condition, negated)
        return lambda s: found if holds(s) is negated else None
    if isinstance(condition, Not):
        # the item fails under the opposite flag exactly when the negation fails
        return compile_first_failure(condition.item, not negated)
    items = tuple(compile_first_failure(item, negated) for item in condition.items)

    def first(s: Mapping[str, Any]) -> Failure | None:
        if holds(s) is not negated:
            return None
        for item in items:
            reason = item(s)
            if reason is not None:
                return reason
        return None  # pragma: no cover - a failing connective fails through an item

    return first


def failed_test(test: FactTest, negated: bool, situation: Mapping[str, Any]) -> FailedTest:
    """The :class:`FailedTest` of ``test`` failing on ``situation``."""
    return FailedTest(test.fact, situation[test.fact], _sorted(test.values), negated)


def missing_in(condition: Condition, situation: Mapping[str, Any]) -> tuple[str, ...]:
    """Facts the condition reads that the situation does not give, in reading order."""
    found: list[str] = []

    def walk(node: Condition) -> None:
        if isinstance(node, FactTest):
            if node.fact not in situation and node.fact not in found:
                found.append(node.fact)
        elif isinstance(node, Not):
            walk(node.item)
        else:
            assert isinstance(node, All | Any_)
            for item in node.items:
                walk(item)

    walk(condition)
    return tuple(found)
