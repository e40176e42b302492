"""Hypothesis strategies for small random vocabularies and rulesets, and brute-force
references over them: shared by the tests of the symbolic form and of the semantic diff.

Vocabularies have 2-5 facts with domains of 2-4 values and optional impossible
combinations; rulesets have 3-10 rules with random structured conditions, random acyclic
overrides and random conclusions.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from disclosure._engines.symbolic import GAP, IMPOSSIBLE, Conflict
from disclosure.ir import TRUE as ALWAYS
from disclosure.ir import (
    All,
    Any_,
    Citation,
    Condition,
    Fact,
    FactTest,
    Impossible,
    Not,
    Outcome,
    Rule,
    Text,
    Vocabulary,
    evaluate_condition,
    settle,
)

TEXT = Text.same("test")
SOURCE = Citation(act="Test act", article="1", date=dt.date(2000, 1, 1))


# -- generators (shared with test_regions.py) ---------------------------------------------


def make_fact(name: str, size: int) -> Fact:
    if size == 2 and name.endswith(("0", "3")):
        return Fact(name, "bool", (False, True), TEXT)
    return Fact(name, "enum", tuple(f"{name}_{i}" for i in range(size)), TEXT)


@st.composite
def conditions(draw: st.DrawFn, facts: Sequence[Fact], depth: int = 2) -> Condition:
    fact = draw(st.sampled_from(facts))
    test = FactTest(fact.name, draw(st.sets(st.sampled_from(fact.values), max_size=3)))
    if depth == 0:
        return test
    kind = draw(st.sampled_from(["test", "test", "all", "any", "not"]))
    if kind == "test":
        return test
    if kind == "not":
        return Not(draw(conditions(facts, depth - 1)))
    items = draw(st.lists(conditions(facts, depth - 1), min_size=0, max_size=3))
    return All(items) if kind == "all" else Any_(items)


@st.composite
def vocabularies(draw: st.DrawFn, max_facts: int = 5, max_size: int = 4) -> Vocabulary:
    count = draw(st.integers(2, max_facts))
    facts = tuple(
        make_fact(f"f{i}", draw(st.integers(2, max_size), label=f"size f{i}")) for i in range(count)
    )
    impossible = tuple(
        Impossible(f"imp{i}", draw(conditions(facts, 1)), TEXT)
        for i in range(draw(st.integers(0, 2)))
    )
    return Vocabulary(facts, impossible)


@st.composite
def rulesets(
    draw: st.DrawFn, vocabulary: Vocabulary, min_rules: int = 3, max_rules: int = 10
) -> tuple[Rule, ...]:
    facts = vocabulary.condition_facts
    count = draw(st.integers(min_rules, max_rules))
    # overrides follow a random rank, so that they are acyclic but not in list order
    rank = draw(st.permutations(range(count)))
    rules = []
    for i in range(count):
        lower = [j for j in range(count) if rank[j] < rank[i]]
        targets = draw(st.lists(st.sampled_from(lower), unique=True, max_size=3)) if lower else []
        when = ALWAYS if draw(st.integers(0, 9)) == 0 else draw(conditions(facts))
        rules.append(
            Rule(
                id=f"r{i}",
                summary=TEXT,
                source=SOURCE,
                when=when,
                conclusion=draw(st.sampled_from(list(Outcome))),
                overrides=tuple(f"r{j}" for j in targets),
            )
        )
    return tuple(rules)


def situations(vocabulary: Vocabulary) -> Iterator[dict[str, Any]]:
    names = [f.name for f in vocabulary.condition_facts]
    for values in itertools.product(*(f.values for f in vocabulary.condition_facts)):
        yield dict(zip(names, values, strict=True))


def brute_outcome(
    vocabulary: Vocabulary, rules: Sequence[Rule], situation: Mapping[str, Any]
) -> Any:
    """The outcome by the one shared definition (settle), as a diagram terminal."""
    if not vocabulary.is_possible(situation):
        return IMPOSSIBLE
    applicable = [rule.id for rule in rules if evaluate_condition(rule.when, situation)]
    settlement = settle(rules, applicable)
    if settlement.is_gap:
        return GAP
    if settlement.conflict:
        return Conflict(settlement.conflict)
    return settlement.outcome


def brute_table(vocabulary: Vocabulary, rules: Sequence[Rule]) -> list[tuple[dict[str, Any], Any]]:
    return [(s, brute_outcome(vocabulary, rules, s)) for s in situations(vocabulary)]


@st.composite
def partials(draw: st.DrawFn, vocabulary: Vocabulary) -> dict[str, Any]:
    facts = draw(st.lists(st.sampled_from(vocabulary.condition_facts), unique_by=lambda f: f.name))
    return {f.name: draw(st.sampled_from(f.values)) for f in facts}


def completions(
    table: Sequence[tuple[dict[str, Any], Any]], partial: Mapping[str, Any]
) -> list[tuple[dict[str, Any], Any]]:
    """Possible completions of a partial situation, with their outcome."""
    return [
        (s, o)
        for s, o in table
        if o is not IMPOSSIBLE and all(s[f] == v for f, v in partial.items())
    ]


def settles(rows: Sequence[tuple[dict[str, Any], Any]], facts: Sequence[str]) -> bool:
    seen: dict[tuple[Any, ...], Any] = {}
    for situation, outcome in rows:
        key = tuple(situation[f] for f in facts)
        if seen.setdefault(key, outcome) != outcome:
            return False
    return True


def expected_entropy(rows: Sequence[tuple[dict[str, Any], Any]], fact: str) -> float:
    groups: dict[Any, Counter[Any]] = {}
    for situation, outcome in rows:
        groups.setdefault(situation[fact], Counter())[outcome] += 1
    total = len(rows)
    return (
        -sum(c * math.log2(c / sum(g.values())) for g in groups.values() for c in g.values())
        / total
    )


# -- the outcome function ------------------------------------------------------------------


def rule(rule_id: str, when: Condition, conclusion: Outcome, *overrides: str) -> Rule:
    return Rule(
        id=rule_id,
        summary=TEXT,
        source=SOURCE,
        when=when,
        conclusion=conclusion,
        overrides=overrides,
    )


def tied_vocabulary() -> Vocabulary:
    """``channel`` and ``form`` are tied: a request has a written form, a report none."""
    facts = (
        Fact("channel", "enum", ("request", "report"), TEXT),
        Fact("form", "enum", ("written", "none"), TEXT),
        Fact("other", "bool", (False, True), TEXT),
    )
    impossible = (
        Impossible("a", All([FactTest("channel", {"request"}), FactTest("form", {"none"})]), TEXT),
        Impossible(
            "b", All([FactTest("channel", {"report"}), FactTest("form", {"written"})]), TEXT
        ),
    )
    return Vocabulary(facts, impossible)
