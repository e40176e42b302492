"""The facts a rule family reasons about, their domains, and the impossible combinations."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any, Literal

import attrs

from disclosure._edge import parse_date
from disclosure._ir.conditions import (
    Condition,
    compile_condition,
    compile_condition_3v,
    condition_facts,
    evaluate_condition_3v,
)
from disclosure._ir.text import Text
from disclosure.errors import FactError, did_you_mean, excerpt

__all__ = ["DATE_FACT", "Fact", "Impossible", "Vocabulary"]

FactKind = Literal["bool", "enum", "date"]

#: The fact that carries the situation's date. It selects the version of the law and is
#: never tested by a rule's condition.
DATE_FACT = "date"


@attrs.frozen
class Fact:
    """One fact of the vocabulary: its name, kind, possible values and meaning, and the
    short labels (of the fact, and of each value) that decisions and reports show."""

    name: str
    kind: FactKind
    values: tuple[Any, ...]
    meaning: Text
    value_meanings: Mapping[Any, Text] = attrs.field(factory=dict, eq=False, hash=False)
    label: Text | None = attrs.field(default=None, eq=False, hash=False)
    value_labels: Mapping[Any, Text] = attrs.field(factory=dict, eq=False, hash=False)

    @property
    def is_date(self) -> bool:
        return self.kind == "date"


_PLAIN_TYPES = (str, bool)


def key_getter(names: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of a situation's values for ``names`` (its key when they are the
    vocabulary's condition facts, in order)."""
    if len(names) >= 2:
        return itemgetter(*names)  # a C-level tuple of values
    return lambda situation: tuple(situation[name] for name in names)


#: complete combinations of the facts the impossibilities read, remembered as possible
_MAX_POSSIBLE = 1 << 16


class _ImpossibleChecks:
    """The impossible combinations compiled: three-valued tests for partial situations,
    two-valued ones for complete situations, and the combinations of the facts they read
    already found possible (a complete situation is then one set lookup)."""

    __slots__ = (
        "certain_without_facts",
        "key_of",
        "possible",
        "read",
        "three_valued",
        "two_valued",
    )

    def __init__(self, impossible: tuple[Impossible, ...]) -> None:
        self.three_valued = [compile_condition_3v(rule.when) for rule in impossible]
        self.two_valued = [compile_condition(rule.when) for rule in impossible]
        read = sorted({fact for rule in impossible for fact in condition_facts(rule.when)})
        self.read = frozenset(read)
        self.key_of = key_getter(read)
        self.possible: set[Any] = set()
        # whether a situation that gives none of the facts read is certainly impossible
        # (only a condition that reads no fact can make it so)
        self.certain_without_facts = any(test({}) is True for test in self.three_valued)


@attrs.frozen
class Impossible:
    """A combination of facts that cannot occur (e.g. a spontaneous report that answers a
    request). Exhaustive checks, diffs and strategies never produce one."""

    id: str
    when: Condition
    reason: Text


@attrs.frozen
class Vocabulary:
    """The facts of a rule family and the combinations of their values that cannot occur."""

    facts: tuple[Fact, ...]
    impossible: tuple[Impossible, ...] = ()
    _by_name: dict[str, Fact] = attrs.field(init=False, eq=False, hash=False, repr=False)
    # fact name -> the values accepted as they are, for enum and bool facts (see validate)
    _plain: dict[str, frozenset[Any]] = attrs.field(init=False, eq=False, hash=False, repr=False)
    # the impossible combinations compiled (one _ImpossibleChecks), built on first use
    _impossible_tests: list[Any] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {fact.name: fact for fact in self.facts})
        plain = {fact.name: frozenset(fact.values) for fact in self.facts if not fact.is_date}
        object.__setattr__(self, "_plain", plain)
        object.__setattr__(self, "_impossible_tests", [])

    def __getitem__(self, name: str) -> Fact:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(fact.name for fact in self.facts)

    @property
    def condition_facts(self) -> tuple[Fact, ...]:
        """The facts rules may test: all but the date."""
        return tuple(fact for fact in self.facts if not fact.is_date)

    @property
    def domains(self) -> dict[str, tuple[Any, ...]]:
        return {fact.name: fact.values for fact in self.condition_facts}

    @property
    def raw_size(self) -> int:
        """Number of combinations of values, impossible ones included."""
        return math.prod(len(fact.values) for fact in self.condition_facts)

    def validate(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        """Check a (possibly partial) situation and return it normalised.

        Raises :class:`FactError` for an unknown fact, a value outside its domain, or a
        combination the vocabulary declares impossible (when the given facts already make
        it certain).
        """
        if not isinstance(facts, Mapping):
            raise FactError(
                f"a situation must be a mapping of fact names to values, not {type(facts).__name__}"
            )
        result: dict[str, Any] = {}
        plain = self._plain
        for name, value in facts.items():
            # the common case first: an enum fact's str, a bool fact's True or False (the
            # type test keeps 1, equal to True, and str subclasses on the careful path)
            if type(value) in _PLAIN_TYPES and value in plain.get(name, ()):
                result[name] = value
                continue
            if name not in self._by_name:
                raise FactError(
                    f"unknown fact {excerpt(name)}; known facts: {', '.join(self.names)}",
                    fact=str(name),
                    value=value,
                    suggestion=did_you_mean(name, self.names),
                )
            if value is None:
                continue  # an explicit null means "not known", like an omitted fact
            fact = self._by_name[name]
            result[name] = self._normalise(fact, value)
        self.check_possible(result)
        return result

    def check_possible(self, situation: Mapping[str, Any]) -> None:
        """Raise :class:`FactError` if the facts given make an impossible combination
        certain."""
        checks = self._impossible_tests
        if not checks:
            checks.append(_ImpossibleChecks(self.impossible))
        check: _ImpossibleChecks = checks[0]
        if not check.certain_without_facts and check.read.isdisjoint(situation.keys()):
            return  # e.g. a date alone: no impossibility can be certain
        tests: Sequence[Callable[[Mapping[str, Any]], bool | None]]
        if self._plain.keys() <= situation.keys():  # complete: two-valued, remembered
            key = check.key_of(situation)
            if key in check.possible:
                return
            tests = check.two_valued
        else:
            key, tests = None, check.three_valued
        for rule, test in zip(self.impossible, tests, strict=True):
            if test(situation) is True:
                involved = ", ".join(
                    f"{name}={situation[name]!r}"
                    for name in sorted(condition_facts(rule.when))
                    if name in situation
                )
                raise FactError(
                    f"impossible combination of facts ({involved}): {rule.reason.en}",
                    fact=None,
                )
        if key is not None:
            if len(check.possible) >= _MAX_POSSIBLE:
                check.possible.clear()
            check.possible.add(key)

    def is_possible(self, situation: Mapping[str, Any]) -> bool:
        """Whether no impossibility is certain for this (possibly partial) situation."""
        return all(
            evaluate_condition_3v(rule.when, situation) is not True for rule in self.impossible
        )

    @staticmethod
    def _normalise(fact: Fact, value: Any) -> Any:
        if fact.kind == "date":
            return parse_date(value, f"fact {fact.name!r}", fact=fact.name)
        if fact.kind == "bool":
            if isinstance(value, bool):
                return value
            raise FactError(
                f"fact {fact.name!r} must be true or false, not {excerpt(value)}",
                fact=fact.name,
                value=value,
                allowed=(False, True),
            )
        if isinstance(value, str) and value in fact.values:
            return value
        raise FactError(
            f"fact {fact.name!r} cannot be {excerpt(value)}; allowed values: "
            + ", ".join(str(v) for v in fact.values),
            fact=fact.name,
            value=value,
            allowed=fact.values,
            suggestion=did_you_mean(value, fact.values) if isinstance(value, str) else None,
        )
