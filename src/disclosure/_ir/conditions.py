"""Structured conditions: ``all`` / ``any`` / ``not`` over fact tests.

Conditions are data, never code: they can be evaluated (two- or three-valued), analysed
(which facts they read), negated into a form without ``not`` (every domain is finite), and
compiled by each backend. A fact test is true when the fact's value is one of a set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeAlias

import attrs

__all__ = [
    "TRUE",
    "All",
    "Any_",
    "Condition",
    "FactTest",
    "Not",
    "compile_condition",
    "compile_condition_3v",
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


# -- compiled to closures (the fast path of the compiled evaluator and of the vocabulary's
# impossibility checks) --------------------------------------------------------------------

Situation = Mapping[str, Any]
Predicate = Callable[[Situation], bool]
Predicate3 = Callable[[Situation], "bool | None"]


def compile_condition(condition: Condition) -> Predicate:
    """A closure deciding ``condition`` on a situation that gives every fact it reads."""
    if isinstance(condition, FactTest):
        fact, values = condition.fact, condition.values
        if len(values) == 1:
            (only,) = tuple(values)
            return lambda s: s[fact] == only
        return lambda s: s[fact] in values
    if isinstance(condition, Not):
        inner = compile_condition(condition.item)
        return lambda s: not inner(s)
    parts = tuple(compile_condition(item) for item in condition.items)
    if len(parts) == 1:
        return parts[0]
    # plain loops: about twice as fast as all()/any() over a generator
    if isinstance(condition, All):

        def every(s: Situation) -> bool:
            for part in parts:  # noqa: SIM110 - all() over a generator is slower
                if not part(s):
                    return False
            return True

        return every

    def some(s: Situation) -> bool:
        for part in parts:  # noqa: SIM110 - any() over a generator is slower
            if part(s):
                return True
        return False

    return some


def compile_condition_3v(condition: Condition) -> Predicate3:
    """A closure giving Kleene's three-valued truth of ``condition`` on a partial
    situation."""
    if isinstance(condition, FactTest):
        fact, values = condition.fact, condition.values

        def test(s: Situation) -> bool | None:
            return s[fact] in values if fact in s else None

        return test
    if isinstance(condition, Not):
        inner = compile_condition_3v(condition.item)

        def negation(s: Situation) -> bool | None:
            value = inner(s)
            return None if value is None else not value

        return negation
    parts = tuple(compile_condition_3v(item) for item in condition.items)
    decisive = isinstance(condition, Any_)  # the value that settles the connective

    def connective(s: Situation) -> bool | None:
        unknown = False
        for part in parts:
            value = part(s)
            if value is decisive:
                return decisive
            if value is None:
                unknown = True
        return None if unknown else not decisive

    return connective
