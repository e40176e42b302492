"""Why a rule does not apply: the first condition that fails, as data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from disclosure._conditions import All, Any_, Condition, FactTest, Not, evaluate_condition_3v

__all__ = ["FailedTest", "first_failure", "missing_in"]


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
