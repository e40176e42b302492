"""The symbolic form of a ruleset, on decision diagrams (:mod:`disclosure._engines.mdd`).

* :func:`build_outcome` encodes a ruleset's defeasibility (the one definition of
  :mod:`disclosure._ir.defeasibility`) exactly: the outcome of every possible situation,
  :data:`IMPOSSIBLE` for the combinations the vocabulary excludes, and per rule where it
  applies and where it wins;
* :class:`SymbolicRuleset` answers the outcome of a situation, the outcomes a partial
  situation may still have, the facts still needed to settle it, and exact counts;
* :mod:`disclosure._analysis.regions` computes the semantic diff of two rulesets on it.
"""

from __future__ import annotations

import enum
import functools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeAlias

import attrs

from disclosure._engines.mdd import FALSE, MDD, Diagram, Node
from disclosure._ir.conditions import Condition, FactTest, Not, condition_facts
from disclosure._ir.defeasibility import combine_conclusions, override_cycle
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Rule
from disclosure._ir.vocabulary import Vocabulary
from disclosure.errors import FactError, RulesetError

__all__ = [
    "GAP",
    "IMPOSSIBLE",
    "Conflict",
    "Marker",
    "OutcomeTerminal",
    "SymbolicRuleset",
    "build_outcome",
    "choose_order",
    "suggest_order",
    "terminal_sort_key",
]


class Marker(enum.Enum):
    """Terminals of an outcome diagram that are not an :class:`Outcome`."""

    #: no rule wins: the ruleset says nothing (a defect of the ruleset)
    GAP = "gap"
    #: the vocabulary declares the combination impossible
    IMPOSSIBLE = "impossible"

    def __str__(self) -> str:
        return self.value


GAP = Marker.GAP
IMPOSSIBLE = Marker.IMPOSSIBLE


@attrs.frozen
class Conflict:
    """Winning rules whose conclusions cannot be reconciled (a defect of the ruleset).

    ``rules`` are the ids of every winner, in the ruleset's order, as
    :func:`disclosure._ir.defeasibility.settle` reports them.
    """

    rules: tuple[str, ...]

    def __str__(self) -> str:
        return "conflict(" + ", ".join(self.rules) + ")"


#: The value of an outcome diagram on one situation.
OutcomeTerminal: TypeAlias = Outcome | Conflict | Marker


def terminal_sort_key(value: object) -> tuple[int, str]:
    """A total order on outcome terminals (outcomes, then conflicts, gap, impossible), for
    deterministic listings."""
    if isinstance(value, Outcome):
        return (0, f"{list(Outcome).index(value):02d}")
    if isinstance(value, Conflict):
        return (1, "\x00".join(value.rules))
    if value is GAP:
        return (2, "")
    if value is IMPOSSIBLE:
        return (3, "")
    return (4, repr(value))


def suggest_order(vocabulary: Vocabulary, rules: Iterable[Rule]) -> tuple[str, ...]:
    """A cheap variable-order heuristic: the facts tested by the most rules (and
    impossibility declarations) first, ties in vocabulary order.

    Facts that most rules read then sit at the top of the diagram, where the broad
    principles of the law split the space, and the facts of narrow exceptions sit below.
    """
    uses: Counter[str] = Counter()
    for rule in rules:
        uses.update(condition_facts(rule.when))
    for impossible in vocabulary.impossible:
        uses.update(condition_facts(impossible.when))
    names = tuple(vocabulary.domains)
    return tuple(sorted(names, key=lambda name: (-uses[name], names.index(name))))


def _tested_in_order(condition: Condition) -> Iterable[str]:
    """The facts a condition tests, in the order they appear (with repeats)."""
    if isinstance(condition, FactTest):
        yield condition.fact
    elif isinstance(condition, Not):
        yield from _tested_in_order(condition.item)
    else:
        for item in condition.items:
            yield from _tested_in_order(item)


def _first_appearance(vocabulary: Vocabulary, rules: Sequence[Rule]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for rule in rules:
        seen.update(dict.fromkeys(_tested_in_order(rule.when)))
    for impossible in vocabulary.impossible:
        seen.update(dict.fromkeys(_tested_in_order(impossible.when)))
    seen.update(dict.fromkeys(vocabulary.domains))
    return tuple(name for name in seen if name in vocabulary.domains)


def choose_order(
    vocabulary: Vocabulary,
    rules: Sequence[Rule],
    candidates: Iterable[Sequence[str]] | None = None,
) -> tuple[str, ...]:
    """The variable order, among ``candidates``, that gives the smallest outcome diagram
    for ``rules`` (each candidate is built once: the cost of a few builds).

    Default candidates: the vocabulary's order (a human order: who, how, what, often the
    best), :func:`suggest_order`, and the order in which facts first appear in the rules
    taken principles first and exceptions first. No order is best for every ruleset;
    measured, each of these wins on some (the diagram size can differ fourfold).
    """
    rules = tuple(rules)
    if candidates is None:
        principles_first = list(reversed(_override_order(rules)))
        candidates = (
            tuple(vocabulary.domains),
            suggest_order(vocabulary, rules),
            _first_appearance(vocabulary, principles_first),
            _first_appearance(vocabulary, principles_first[::-1]),
        )
    best: tuple[int, tuple[str, ...]] | None = None
    for candidate in dict.fromkeys(tuple(c) for c in candidates):
        size = build_outcome(vocabulary, rules, order=candidate).node_count
        if best is None or size < best[0]:
            best = (size, candidate)
    if best is None:
        raise ValueError("no candidate order given")
    return best[1]


def _possible_node(manager: MDD, vocabulary: Vocabulary) -> Node:
    return manager.not_(
        manager.disjunction(manager.condition(item.when) for item in vocabulary.impossible)
    )


def _override_order(rules: Sequence[Rule]) -> list[Rule]:
    """The rules with every rule after all the rules that override it; a cycle among the
    given rules is a :class:`RulesetError`."""
    cycle = override_cycle(rules)
    if cycle is not None:
        raise RulesetError("overrides form a cycle: " + " overrides ".join(cycle))
    ids = {rule.id for rule in rules}
    overriders: dict[str, list[str]] = {rule.id: [] for rule in rules}
    for rule in rules:
        for target in rule.overrides:
            if target in ids:
                overriders[target].append(rule.id)
    by_id = {rule.id: rule for rule in rules}
    ordered: list[Rule] = []
    state: dict[str, int] = {}  # 1: in progress, 2: done
    for start in rules:
        if state.get(start.id) == 2:
            continue
        stack: list[tuple[str, int]] = [(start.id, 0)]
        state[start.id] = 1
        while stack:
            rule_id, index = stack[-1]
            above = overriders[rule_id]
            if index < len(above):
                stack[-1] = (rule_id, index + 1)
                nxt = above[index]
                if state.get(nxt) is None:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                stack.pop()
                state[rule_id] = 2
                ordered.append(by_id[rule_id])
    return ordered


@attrs.frozen(eq=False)
class SymbolicRuleset:
    """The symbolic form of one (already filtered) set of rules over a vocabulary.

    ``outcome`` maps every situation to an :data:`OutcomeTerminal`: an :class:`Outcome`,
    a :class:`Conflict` naming the winners, :data:`GAP` when no rule wins, or
    :data:`IMPOSSIBLE` where the vocabulary excludes the combination. ``applies`` and
    ``wins`` give, per rule id, the boolean diagrams of where the rule applies and where
    it wins (applies and is not set aside), over all situations, possible or not.
    """

    vocabulary: Vocabulary
    rules: tuple[Rule, ...]
    manager: MDD
    outcome: Node
    possible: Node
    applies: Mapping[str, Node]
    wins: Mapping[str, Node]

    @property
    def order(self) -> tuple[str, ...]:
        """The variable order of the diagrams."""
        return self.manager.names

    @property
    def node_count(self) -> int:
        """Number of nodes of the outcome diagram."""
        return self.manager.node_count(self.outcome)

    @property
    def diagram(self) -> Diagram:
        """The outcome diagram with its manager."""
        return Diagram(self.manager, self.outcome)

    def _fixed(self, partial: Mapping[str, Any] | None) -> dict[str, Any]:
        """The facts of a (partial) situation the diagrams range over: the date (never
        tested by a condition) and facts given as None are left out."""
        fixed: dict[str, Any] = {}
        for fact, value in (partial or {}).items():
            if value is None or (fact in self.vocabulary and self.vocabulary[fact].is_date):
                continue
            level = self.manager._level_of(fact)
            self.manager._position(level, value)
            fixed[fact] = value
        return fixed

    def outcome_of(self, situation: Mapping[str, Any]) -> OutcomeTerminal:
        """The outcome of a situation (:data:`IMPOSSIBLE` for an impossible one).

        A partial situation has an outcome when all its completions, possible or not,
        share it; otherwise the :class:`FactError` names the first missing fact tested on
        its path (see :meth:`needed_facts` for the questions to ask).
        """
        fixed = self._fixed(situation)
        try:
            result: OutcomeTerminal = self.manager.evaluate(self.outcome, fixed)
        except FactError:
            within = {fact: (value,) for fact, value in fixed.items()}
            reached = self.manager.terminals(self.outcome, within=within)
            if len(reached) != 1:
                raise
            (result,) = reached
        return result

    def possible_outcomes(self, partial: Mapping[str, Any] | None = None) -> frozenset[Any]:
        """The outcomes of the possible completions of a partial situation
        (:data:`IMPOSSIBLE` left out; empty if no completion is possible)."""
        within = {fact: (value,) for fact, value in self._fixed(partial).items()}
        return self.manager.terminals(self.outcome, within=within) - {IMPOSSIBLE}

    def restrict(self, partial: Mapping[str, Any]) -> Diagram:
        """The outcome diagram with the facts of ``partial`` set, in a fresh manager whose
        variables are the facts left unknown (so counts are over completions)."""
        fixed = self._fixed(partial)
        scratch = MDD(
            (name, domain)
            for name, domain in zip(self.manager.names, self.manager.domains, strict=True)
            if name not in fixed
        )
        return Diagram(scratch, scratch.copy_from(self.manager, self.outcome, fixed))

    def needed_facts(self, partial: Mapping[str, Any] | None = None) -> tuple[str, ...]:
        """The facts still needed to settle the outcome of a partial situation, best next
        question first; empty when the possible completions all have one outcome.

        Definition (checked against brute force by the tests). Over the possible
        completions of ``partial``, a set S of unknown facts *settles* the outcome when
        any two possible completions that agree on S have the same outcome. The result is
        a minimal settling set: its facts settle the outcome, and none of them can be left
        out (each is needed given the others). So a fact that cannot change the answer is
        never asked; a fact on which the outcome depends directly (two possible
        completions differing only in it have different outcomes) is always asked; and
        when impossible combinations tie facts together (one answer implies the other),
        only one of them is asked.

        Among the minimal settling sets, the one chosen keeps the most informative facts:
        facts are ranked by the expected entropy of the outcome once the fact is known
        (every possible completion counted alike; lower is better, ties in variable
        order), and the least informative ones are dropped first while the rest still
        settles. The result is listed in that rank.
        """
        restricted = self.restrict(partial or {})
        scratch, root = restricted.manager, restricted.root
        outcomes = scratch.terminals(root) - {IMPOSSIBLE}
        if len(outcomes) <= 1:
            return ()
        candidates = scratch.support(root)
        entropies = _expected_entropies(scratch, root)
        rank = {fact: (entropies[scratch._level_of(fact)], i) for i, fact in enumerate(candidates)}
        ordered = sorted(candidates, key=rank.__getitem__)

        def singleton(value: Any) -> frozenset[Any]:
            return frozenset() if value is IMPOSSIBLE else frozenset((value,))

        def union(a: frozenset[Any], b: frozenset[Any]) -> frozenset[Any]:
            return a | b

        current = scratch.map(singleton, root, key="singleton")
        kept: list[str] = []
        for fact in reversed(ordered):
            without = scratch.abstract(current, fact, union, key="union")
            if all(len(values) <= 1 for values in scratch.terminals(without)):
                current = without
            else:
                kept.append(fact)
        return tuple(sorted(kept, key=rank.__getitem__))

    def tally(self, where: Mapping[str, Any] | None = None) -> dict[OutcomeTerminal, int]:
        """Outcome -> exact number of possible situations (inside ``where``)."""
        counts = self.manager.tally(self.outcome, within=where)
        counts.pop(IMPOSSIBLE, None)
        return counts

    def count(
        self,
        predicate: Callable[[OutcomeTerminal], bool] | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> int:
        """Exact number of possible situations (inside ``where``) whose outcome satisfies
        ``predicate`` (default: every possible situation)."""
        return sum(
            n for value, n in self.tally(where).items() if predicate is None or predicate(value)
        )

    def example(
        self,
        predicate: Callable[[OutcomeTerminal], bool] | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """One possible, complete situation (inside ``where``) whose outcome satisfies
        ``predicate``, or None."""
        return self.manager.example(
            self.outcome,
            lambda value: value is not IMPOSSIBLE and (predicate is None or predicate(value)),
            within=where,
        )

    def dead_rules(self) -> tuple[str, ...]:
        """Rules that apply in no possible situation."""
        manager = self.manager
        return tuple(
            rule.id
            for rule in self.rules
            if manager.count(self.applies[rule.id], care=self.possible) == 0
        )

    def never_winning_rules(self) -> tuple[str, ...]:
        """Rules that apply in some possible situation but are set aside in all of them."""
        manager = self.manager
        return tuple(
            rule.id
            for rule in self.rules
            if manager.count(self.applies[rule.id], care=self.possible) > 0
            and manager.count(self.wins[rule.id], care=self.possible) == 0
        )


def _expected_entropies(manager: MDD, root: Node) -> list[float]:
    """Per level: the expected entropy (bits) of the outcome over the possible
    assignments once that level's fact is known, every possible assignment counted alike.

    One forward-backward pass over the diagram: ``ahead[n]`` counts the assignments of
    the levels above ``n`` that lead to it, ``below[n]`` the assignments from ``n`` down
    per terminal; an edge from ``n`` to ``k`` carries, for the fact at ``n``'s level and
    for each fact it skips, ``ahead[n] * below[k]`` times the skipped widths.
    """
    levels = manager.levels
    level_of = manager._level
    kids_of = manager._kids
    widths = [len(domain) for domain in manager.domains]
    prefix = [1]
    for width in widths:
        prefix.append(prefix[-1] * width)
    order = sorted(_reachable(manager, root), key=level_of.__getitem__)
    ahead: dict[Node, int] = dict.fromkeys(order, 0)
    ahead[root] = prefix[level_of[root]]
    for n in order:
        level = level_of[n]
        if level < levels:
            for kid in kids_of[n]:
                ahead[kid] += ahead[n] * (prefix[level_of[kid]] // prefix[level + 1])
    below: dict[Node, dict[Node, int]] = {}
    for n in reversed(order):
        level = level_of[n]
        if level == levels:
            below[n] = {} if manager._value[n] is IMPOSSIBLE else {n: 1}
            continue
        counts: dict[Node, int] = {}
        for kid in kids_of[n]:
            factor = prefix[level_of[kid]] // prefix[level + 1]
            for terminal, c in below[kid].items():
                counts[terminal] = counts.get(terminal, 0) + c * factor
        below[n] = counts
    marginals: list[list[dict[Node, int]]] = [[{} for _ in range(w)] for w in widths]

    def add(level: int, position: int | None, weight: int, counts: dict[Node, int]) -> None:
        for i in range(widths[level]) if position is None else (position,):
            cell = marginals[level][i]
            for terminal, c in counts.items():
                cell[terminal] = cell.get(terminal, 0) + c * weight

    top = level_of[root]
    for level in range(top):  # facts above the root: every value alike
        add(level, None, prefix[top] // widths[level], below[root])
    for n in order:
        level = level_of[n]
        if level == levels:
            continue
        for i, kid in enumerate(kids_of[n]):
            span = prefix[level_of[kid]] // prefix[level + 1]
            add(level, i, ahead[n] * span, below[kid])
            for skipped in range(level + 1, level_of[kid]):
                add(skipped, None, ahead[n] * span // widths[skipped], below[kid])
    entropies = []
    for cells in marginals:
        total = 0
        weighted = 0.0
        for cell in cells:
            n = sum(cell.values())
            if n:
                total += n
                weighted -= sum(c * math.log2(c / n) for c in cell.values() if c)
        entropies.append(weighted / total if total else 0.0)
    return entropies


def _reachable(manager: MDD, root: Node) -> set[Node]:
    seen: set[Node] = set()
    stack = [root]
    while stack:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack.extend(manager._kids[n])
    return seen


def _add_kind(kind: Outcome, found: frozenset[Outcome], wins: bool) -> frozenset[Outcome]:
    return found | {kind} if wins else found


def _name_winner(rule_id: str, outcome: Any, wins: bool) -> Any:
    if wins and isinstance(outcome, Conflict):
        return Conflict((*outcome.rules, rule_id))
    return outcome


def _is_conflict(value: Any) -> bool:
    return isinstance(value, Conflict)


def build_outcome(
    vocabulary: Vocabulary,
    rules: Sequence[Rule],
    order: Sequence[str] | None = None,
    manager: MDD | None = None,
) -> SymbolicRuleset:
    """The symbolic form of ``rules`` (those in force for the question: the caller has
    already left out rules excluded by the chosen readings or annulled).

    Encodes :func:`disclosure._ir.defeasibility.settle` exactly: a rule wins where it applies
    and no rule overriding it wins (``win(r) = app(r) and not any(win(s) for s overriding
    r)``); the winners' conclusions combine as :func:`combine_conclusions` does; no
    winner is :data:`GAP`; winners that cannot be reconciled are a :class:`Conflict`
    naming every winner; impossible situations are :data:`IMPOSSIBLE`.

    ``order`` is the variable order (default: vocabulary order; see
    :func:`suggest_order`); ``manager`` lets several rulesets share one manager (it must
    range over the vocabulary's condition facts). Overrides of rules not in ``rules`` are
    ignored; a cycle of overrides is a :class:`RulesetError`.
    """
    rules = tuple(rules)
    if manager is None:
        manager = MDD.for_vocabulary(vocabulary, order)
    with manager.lock:
        possible = _possible_node(manager, vocabulary)
        applies = {rule.id: manager.condition(rule.when) for rule in rules}
        overriders: dict[str, list[str]] = {rule.id: [] for rule in rules}
        for rule in rules:
            for target in rule.overrides:
                if target in overriders:
                    overriders[target].append(rule.id)
        wins: dict[str, Node] = {}
        for rule in _override_order(rules):
            defeated = manager.disjunction(wins[s] for s in overriders[rule.id])
            wins[rule.id] = manager._and(applies[rule.id], manager._not(defeated))

        # Conclusions that win, as a set per situation, then combined.
        kinds: Node = manager.terminal(frozenset())
        for kind in Outcome:
            region = manager.disjunction(wins[r.id] for r in rules if r.conclusion is kind)
            if region != FALSE:
                kinds = manager._apply(
                    functools.partial(_add_kind, kind),
                    kinds,
                    region,
                    manager._op(("add-kind", kind)),
                )

        def combine(found: frozenset[Outcome]) -> OutcomeTerminal:
            if not found:
                return GAP
            combined = combine_conclusions(found)
            return Conflict(()) if combined is None else combined

        outcome = manager._map(combine, kinds, manager._op("combine"))
        # Name every winner where they conflict, in the rules' order.
        conflicts = manager._map(_is_conflict, outcome, manager._op("is-conflict"))
        if conflicts != FALSE:
            for rule in rules:
                if manager._and(wins[rule.id], conflicts) == FALSE:
                    continue
                outcome = manager._apply(
                    functools.partial(_name_winner, rule.id),
                    outcome,
                    wins[rule.id],
                    manager._op(("name-winner", rule.id)),
                )
        outcome = manager._ite(possible, outcome, manager.terminal(IMPOSSIBLE))
        manager.clear_caches()
    return SymbolicRuleset(
        vocabulary=vocabulary,
        rules=rules,
        manager=manager,
        outcome=outcome,
        possible=possible,
        applies=applies,
        wins=wins,
    )
