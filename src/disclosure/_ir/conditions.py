"""Structured conditions: ``all`` / ``any`` / ``not`` over fact tests.

Conditions are data, never code: they can be evaluated (two- or three-valued), analysed
(which facts they read), negated into a form without ``not`` (every domain is finite), and
compiled by each backend. A fact test is true when the fact's value is one of a set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

import attrs

__all__ = [
    "TRUE",
    "All",
    "Any_",
    "Condition",
    "FactTest",
    "Not",
    "condition_facts",
    "evaluate_condition",
    "evaluate_condition_3v",
    "to_positive",
]


@attrs.frozen
class FactTest:
    """True when ``situation[fact]`` is one of ``values``."""

    fact: str
    values: frozenset[Any] = attrs.field(converter=frozenset)


def _items(items: Iterable[Condition]) -> tuple[Condition, ...]:
    return tuple(items)


@attrs.frozen
class All:
    """True when every item is true (true when empty)."""

    items: tuple[Condition, ...] = attrs.field(converter=_items)


@attrs.frozen
class Any_:
    """True when at least one item is true (false when empty)."""

    items: tuple[Condition, ...] = attrs.field(converter=_items)


@attrs.frozen
class Not:
    """True when ``item`` is false."""

    item: Condition


Condition: TypeAlias = FactTest | All | Any_ | Not

TRUE: Condition = All(())


def condition_facts(condition: Condition) -> frozenset[str]:
    """The facts a condition reads."""
    if isinstance(condition, FactTest):
        return frozenset((condition.fact,))
    if isinstance(condition, Not):
        return condition_facts(condition.item)
    result: frozenset[str] = frozenset()
    for item in condition.items:
        result |= condition_facts(item)
    return result


def evaluate_condition(condition: Condition, situation: Mapping[str, Any]) -> bool:
    """Two-valued evaluation on a situation that gives every fact the condition reads."""
    if isinstance(condition, FactTest):
        return situation[condition.fact] in condition.values
    if isinstance(condition, All):
        return all(evaluate_condition(item, situation) for item in condition.items)
    if isinstance(condition, Any_):
        return any(evaluate_condition(item, situation) for item in condition.items)
    return not evaluate_condition(condition.item, situation)


def evaluate_condition_3v(condition: Condition, situation: Mapping[str, Any]) -> bool | None:
    """Kleene three-valued evaluation: ``None`` when missing facts leave it open."""
    if isinstance(condition, FactTest):
        if condition.fact not in situation:
            return None
        return situation[condition.fact] in condition.values
    if isinstance(condition, Not):
        inner = evaluate_condition_3v(condition.item, situation)
        return None if inner is None else not inner
    if isinstance(condition, All):
        unknown = False
        for item in condition.items:
            value = evaluate_condition_3v(item, situation)
            if value is False:
                return False
            if value is None:
                unknown = True
        return None if unknown else True
    unknown = False
    for item in condition.items:
        value = evaluate_condition_3v(item, situation)
        if value is True:
            return True
        if value is None:
            unknown = True
    return None if unknown else False


def to_positive(
    condition: Condition, domains: Mapping[str, tuple[Any, ...]], negate: bool = False
) -> Condition:
    """An equivalent condition without ``Not``: negations pushed down to the fact tests,
    where the complement is taken within the fact's (finite) domain.

    Backends that have no negation (or whose negation misbehaves on missing facts, as
    durable_rules' does) compile this form.
    """
    if isinstance(condition, FactTest):
        if not negate:
            return condition
        domain = domains[condition.fact]
        return FactTest(condition.fact, frozenset(v for v in domain if v not in condition.values))
    if isinstance(condition, Not):
        return to_positive(condition.item, domains, not negate)
    items = tuple(to_positive(item, domains, negate) for item in condition.items)
    conjunctive = isinstance(condition, All) != negate
    return All(items) if conjunctive else Any_(items)
