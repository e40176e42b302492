"""Settling which applicable rules prevail: the law's shape of principle and exceptions.

The one definition every backend shares (the symbolic form encodes the same one):

* an applicable rule is *set aside* when an applicable rule that is not itself set aside
  overrides it (``overrides`` is acyclic, so this is well founded);
* the rules left standing are the *winners*; their conclusions give the outcome;
* ``OBLIGED`` with ``PERMITTED`` gives ``OBLIGED`` (an obligation implies permission);
  any other disagreement is a conflict; no winner at all is a gap.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import attrs

from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Rule

__all__ = ["Settlement", "combine_conclusions", "find_cycle", "override_cycle", "settle"]


@attrs.frozen
class Settlement:
    """The result of settling a set of applicable rules."""

    winners: tuple[Rule, ...]
    #: applicable rule id -> id of the winning-or-standing rule that set it aside
    overridden: dict[str, str]
    outcome: Outcome | None
    #: ids of the winners whose conclusions cannot be reconciled (empty when none)
    conflict: tuple[str, ...] = ()

    @property
    def is_gap(self) -> bool:
        return not self.winners


def combine_conclusions(conclusions: Collection[Outcome]) -> Outcome | None:
    """The outcome of a set of winning conclusions, or ``None`` if they conflict or are
    empty."""
    kinds = set(conclusions)
    if len(kinds) == 1:
        return next(iter(kinds))
    if kinds == {Outcome.OBLIGED, Outcome.PERMITTED}:
        return Outcome.OBLIGED
    return None


def settle(rules: Sequence[Rule], applicable: Collection[str]) -> Settlement:
    """Settle the ``applicable`` rules (ids) among ``rules`` (the version's, in order)."""
    by_id = {rule.id: rule for rule in rules if rule.id in applicable}
    overriders: dict[str, list[str]] = {rule_id: [] for rule_id in by_id}
    for rule in by_id.values():
        for target in rule.overrides:
            if target in overriders:
                overriders[target].append(rule.id)

    defeated_by: dict[str, str | None] = {}

    def standing_overrider(rule_id: str) -> str | None:
        if rule_id not in defeated_by:
            defeated_by[rule_id] = next(
                (s for s in overriders[rule_id] if standing_overrider(s) is None), None
            )
        return defeated_by[rule_id]

    winners = tuple(rule for rule in by_id.values() if standing_overrider(rule.id) is None)
    overridden = {rid: by for rid, by in defeated_by.items() if by is not None}
    outcome = combine_conclusions([rule.conclusion for rule in winners])
    conflict: tuple[str, ...] = ()
    if winners and outcome is None:
        conflict = tuple(rule.id for rule in winners)
    return Settlement(winners=winners, overridden=overridden, outcome=outcome, conflict=conflict)


def find_cycle(edges: Mapping[str, Sequence[str]]) -> list[str] | None:
    """The first cycle of a directed graph, as ``[a, b, ..., a]``, or ``None``.

    Depth-first from each node in the mapping's order, following each node's edges in
    their order; an edge to a node that is not a key of ``edges`` is ignored. The one
    cycle search of the library: the loader, the checker and the symbolic form use it."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in edges:
        if state.get(start):
            continue
        path = [start]
        stack = [iter(edges[start])]
        state[start] = 1
        while stack:
            following = next(stack[-1], None)
            if following is None:
                state[path.pop()] = 2
                stack.pop()
            elif following not in edges or state.get(following) == 2:
                continue
            elif state.get(following) == 1:
                return [*path[path.index(following) :], following]
            else:
                state[following] = 1
                path.append(following)
                stack.append(iter(edges[following]))
    return None


def override_cycle(rules: Sequence[Rule]) -> list[str] | None:
    """A cycle of ``overrides`` among ``rules`` (``[a, b, ..., a]``: a overrides b ...),
    or ``None``; overrides of rules not given are ignored. Settling needs none: a rule
    cannot, through others, set aside itself."""
    return find_cycle({rule.id: rule.overrides for rule in rules})
