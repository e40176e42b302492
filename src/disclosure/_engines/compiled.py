"""The compiled evaluator: each condition becomes a Python closure.

It gives, for every rule, the same three-valued applicability as the durable_rules
backend (``True`` holds, ``False`` fails, ``None`` facts missing leave it open), and a
two-valued fast path for complete situations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from disclosure._ir.conditions import compile_condition, compile_condition_3v
from disclosure._ir.ruleset import Rule

__all__ = ["CompiledMatcher"]

Situation = Mapping[str, Any]


class CompiledMatcher:
    """Applicability of every rule of a ruleset, by compiled closures."""

    def __init__(self, rules: Sequence[Rule], facts: Sequence[str]) -> None:
        self._ids = tuple(rule.id for rule in rules)
        self._facts = frozenset(facts)
        self._two_valued = tuple((rule.id, compile_condition(rule.when)) for rule in rules)
        self._three_valued = tuple((rule.id, compile_condition_3v(rule.when)) for rule in rules)

    def is_complete(self, situation: Situation) -> bool:
        return self._facts.issubset(situation)

    def match(self, situation: Situation) -> dict[str, bool | None]:
        """Three-valued applicability of each rule (by condition only)."""
        if self.is_complete(situation):
            return {rule_id: test(situation) for rule_id, test in self._two_valued}
        return {rule_id: test(situation) for rule_id, test in self._three_valued}

    def applicable(self, situation: Situation) -> list[str]:
        """Ids of the rules whose condition holds on a complete situation (fast path)."""
        return [rule_id for rule_id, test in self._two_valued if test(situation)]
