"""The symbolic form (decision diagrams) against brute-force enumeration.

Hypothesis generates small vocabularies (2-5 facts, domains of 2-4 values, optional
impossible combinations) and rulesets (3-10 rules, random structured conditions, random
acyclic overrides, random conclusions); every property is checked on every situation.
The generators live in ``random_rulesets.py``, shared with the semantic diff's tests.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import threading
from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disclosure._engines.mdd import FALSE, MDD, TRUE
from disclosure._engines.symbolic import (
    GAP,
    IMPOSSIBLE,
    Conflict,
    SymbolicRuleset,
    build_outcome,
    choose_order,
    suggest_order,
)
from disclosure.errors import DisclosureError, FactError, RulesetError
from disclosure.ir import TRUE as ALWAYS
from disclosure.ir import (
    All,
    Any_,
    Fact,
    FactTest,
    Not,
    Outcome,
    Rule,
    Vocabulary,
    evaluate_condition,
    settle,
)

from random_rulesets import (
    TEXT,
    brute_outcome,
    brute_table,
    completions,
    expected_entropy,
    partials,
    rule,
    rulesets,
    settles,
    tied_vocabulary,
    vocabularies,
)
from support import budget

FAST = budget(0.8, slow_generation=True)
SLOW = budget(20, slow_generation=True)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Vocabulary, tuple[Rule, ...], tuple[str, ...] | None]:
    vocabulary = draw(vocabularies())
    rules = draw(rulesets(vocabulary))
    names = [f.name for f in vocabulary.condition_facts]
    order = draw(st.none() | st.permutations(names).map(tuple))
    return vocabulary, rules, order


def check_outcome_function(
    vocabulary: Vocabulary, rules: tuple[Rule, ...], order: tuple[str, ...] | None
) -> None:
    symbolic = build_outcome(vocabulary, rules, order=order)
    table = brute_table(vocabulary, rules)
    for situation, expected in table:
        assert symbolic.outcome_of(situation) == expected, situation
    # per-rule diagrams
    manager = symbolic.manager
    for situation, outcome in table:
        applicable = [r.id for r in rules if evaluate_condition(r.when, situation)]
        winners = {r.id for r in settle(rules, applicable).winners}
        for each in rules:
            assert manager.evaluate(symbolic.applies[each.id], situation) == (each.id in applicable)
            assert manager.evaluate(symbolic.wins[each.id], situation) == (each.id in winners)
        assert manager.evaluate(symbolic.possible, situation) == (outcome is not IMPOSSIBLE)
    # exact counts
    expected_tally = Counter(o for _, o in table if o is not IMPOSSIBLE)
    assert symbolic.tally() == dict(expected_tally)
    assert symbolic.count() == sum(expected_tally.values())
    assert symbolic.count(lambda o: o is Outcome.FORBIDDEN) == expected_tally[Outcome.FORBIDDEN]
    example = symbolic.example(lambda o: isinstance(o, Conflict))
    if any(isinstance(o, Conflict) for o in expected_tally):
        assert example is not None
        assert isinstance(brute_outcome(vocabulary, rules, example), Conflict)
    else:
        assert example is None
    # dead and never-winning rules
    possible_rows = [(s, o) for s, o in table if o is not IMPOSSIBLE]
    dead = tuple(
        r.id for r in rules if not any(evaluate_condition(r.when, s) for s, _ in possible_rows)
    )
    assert symbolic.dead_rules() == dead
    winning = {
        w.id
        for s, _ in possible_rows
        for w in settle(rules, [r.id for r in rules if evaluate_condition(r.when, s)]).winners
    }
    assert symbolic.never_winning_rules() == tuple(
        r.id for r in rules if r.id not in dead and r.id not in winning
    )


@FAST
@given(cases())
def test_outcome_equals_settle_on_every_situation(case: Any) -> None:
    check_outcome_function(*case)


@pytest.mark.slow
@SLOW
@given(cases())
def test_outcome_equals_settle_on_every_situation_many(case: Any) -> None:
    check_outcome_function(*case)


@FAST
@given(st.data())
def test_partial_situations(data: st.DataObject) -> None:
    vocabulary, rules, order = data.draw(cases())
    symbolic = build_outcome(vocabulary, rules, order=order)
    table = brute_table(vocabulary, rules)
    partial = data.draw(partials(vocabulary))
    rows = completions(table, partial)
    assert symbolic.possible_outcomes(partial) == {o for _, o in rows}
    restricted = symbolic.restrict(partial)
    assert set(restricted.facts) == {f.name for f in vocabulary.condition_facts} - set(partial)
    assert restricted.count(lambda o: o is not IMPOSSIBLE) == len(rows)
    for situation, outcome in rows:
        assert restricted.evaluate(situation) == outcome
    # a partial situation has an outcome when the facts it leaves out are not tested on
    # its path: then every completion, possible or not, has that outcome
    every = {o for s, o in table if all(s[f] == v for f, v in partial.items())}
    if len(every) == 1:
        assert {symbolic.outcome_of(partial)} == every
    else:
        with pytest.raises(FactError) as info:
            symbolic.outcome_of(partial)
        assert info.value.details["fact"] not in partial


def check_needed_facts(data: st.DataObject) -> None:
    vocabulary, rules, order = data.draw(cases())
    symbolic = build_outcome(vocabulary, rules, order=order)
    table = brute_table(vocabulary, rules)
    partial = data.draw(partials(vocabulary))
    rows = completions(table, partial)
    needed = symbolic.needed_facts(partial)
    unknown = [f.name for f in vocabulary.condition_facts if f.name not in partial]
    assert len(set(needed)) == len(needed)
    assert set(needed) <= set(unknown)
    # empty exactly when the possible completions have one outcome (or none)
    assert (needed == ()) == (len({o for _, o in rows}) <= 1)
    # the needed facts settle the outcome ...
    assert settles(rows, needed)
    # ... and none of them could be left out
    for fact in needed:
        assert not settles(rows, [f for f in needed if f != fact]), (fact, needed)
    # a fact the outcome depends on directly is always asked
    for fact in unknown:
        if not settles(rows, [f for f in unknown if f != fact]):
            assert fact in needed
    # best question first: ranked by expected remaining entropy
    entropies = [expected_entropy(rows, fact) for fact in needed]
    assert all(a <= b + 1e-9 for a, b in itertools.pairwise(entropies)), entropies


@FAST
@given(st.data())
def test_needed_facts_match_their_definition(data: st.DataObject) -> None:
    check_needed_facts(data)


@pytest.mark.slow
@SLOW
@given(st.data())
def test_needed_facts_match_their_definition_many(data: st.DataObject) -> None:
    check_needed_facts(data)


# -- examples ------------------------------------------------------------------------------


def test_tied_facts_one_question_suffices() -> None:
    vocabulary = tied_vocabulary()
    rules = (
        rule("secret", ALWAYS, Outcome.FORBIDDEN),
        rule("answer", FactTest("channel", {"request"}), Outcome.OBLIGED, "secret"),
    )
    symbolic = build_outcome(vocabulary, rules)
    # changing channel alone always makes the situation impossible; still, one of the two
    # tied facts must be asked, and only one
    assert symbolic.needed_facts({}) == ("channel",)
    assert symbolic.needed_facts({"form": "written"}) == ()
    assert symbolic.possible_outcomes({"form": "none"}) == {Outcome.FORBIDDEN}
    assert symbolic.needed_facts({"channel": "report", "form": "written"}) == ()
    assert symbolic.possible_outcomes({"channel": "report", "form": "written"}) == set()


def test_xor_needs_both_facts() -> None:
    vocabulary = Vocabulary(
        (
            Fact("a", "bool", (False, True), TEXT),
            Fact("b", "bool", (False, True), TEXT),
            Fact("c", "enum", ("x", "y", "z"), TEXT),
        )
    )
    same = Any_(
        [
            All([FactTest("a", {True}), FactTest("b", {True})]),
            All([FactTest("a", {False}), FactTest("b", {False})]),
        ]
    )
    rules = (rule("base", ALWAYS, Outcome.FORBIDDEN), rule("x", same, Outcome.PERMITTED, "base"))
    symbolic = build_outcome(vocabulary, rules)
    assert symbolic.needed_facts({}) == ("a", "b")
    assert symbolic.needed_facts({"c": "y", "b": True}) == ("a",)


def test_conflict_names_every_winner_in_rule_order() -> None:
    vocabulary = Vocabulary((Fact("a", "bool", (False, True), TEXT),))
    rules = (
        rule("p", ALWAYS, Outcome.PERMITTED),
        rule("o", ALWAYS, Outcome.OBLIGED),
        rule("f", FactTest("a", {True}), Outcome.FORBIDDEN),
    )
    symbolic = build_outcome(vocabulary, rules)
    assert symbolic.outcome_of({"a": False}) is Outcome.OBLIGED
    assert symbolic.outcome_of({"a": True}) == Conflict(("p", "o", "f"))
    assert build_outcome(vocabulary, ()).outcome_of({"a": True}) is GAP


def test_override_cycle_is_a_ruleset_error() -> None:
    vocabulary = Vocabulary((Fact("a", "bool", (False, True), TEXT),))
    rules = (
        rule("x", ALWAYS, Outcome.PERMITTED, "z"),
        rule("y", ALWAYS, Outcome.FORBIDDEN, "x"),
        rule("z", ALWAYS, Outcome.FORBIDDEN, "y"),
    )
    with pytest.raises(RulesetError, match="cycle") as info:
        build_outcome(vocabulary, rules)
    assert isinstance(info.value, DisclosureError)
    # overrides of rules that are not given are ignored
    assert build_outcome(vocabulary, rules[1:]).outcome_of({"a": True}) is Outcome.FORBIDDEN


def test_bad_facts_are_fact_errors() -> None:
    vocabulary = tied_vocabulary()
    symbolic = build_outcome(vocabulary, (rule("s", FactTest("other", {True}), Outcome.FORBIDDEN),))
    with pytest.raises(FactError) as info:
        symbolic.outcome_of({"chanel": "request"})
    assert info.value.details["suggestion"] == "channel"
    with pytest.raises(FactError, match="allowed values"):
        symbolic.possible_outcomes({"channel": "email"})
    with pytest.raises(FactError, match="'other' is needed"):
        symbolic.outcome_of({"channel": "request", "form": "written"})
    # the date is never tested by a condition: ignored
    dated = Vocabulary((Fact("date", "date", (), TEXT), *vocabulary.facts), vocabulary.impossible)
    symbolic = build_outcome(dated, symbolic.rules)
    situation = {
        "date": dt.date(2020, 1, 1),
        "channel": "request",
        "form": "written",
        "other": True,
    }
    assert symbolic.outcome_of(situation) is Outcome.FORBIDDEN


# -- the manager ---------------------------------------------------------------------------


def test_hash_consing_gives_canonical_nodes() -> None:
    manager = MDD([("a", (0, 1, 2)), ("b", ("x", "y"))])
    left = manager.condition(Any_([FactTest("a", {0}), FactTest("a", {1, 2})]))
    assert left == TRUE
    one = manager.condition(Not(All([FactTest("a", {0}), FactTest("b", {"x"})])))
    two = manager.condition(Any_([FactTest("a", {1, 2}), FactTest("b", {"y"})]))
    assert one == two
    assert manager.and_(one, manager.not_(two)) == FALSE
    assert manager.terminal(1) != manager.terminal(True)
    assert manager.count(one) == 5
    assert manager.support(one) == ("a", "b")
    assert manager.example(manager.not_(one)) == {"a": 0, "b": "x"}
    assert manager.implies({"a": {1}}, one)
    assert not manager.implies({"b": "x"}, one)
    cube = manager.internal_cube({"a": {0, 1}, "b": "y"})
    assert manager.minus_cube(one, cube) == manager.and_(
        one, manager.not_(manager.cube({"a": {0, 1}, "b": "y"}))
    )


def test_copy_to_another_order_keeps_the_function() -> None:
    rnd = random.Random(7)
    variables = [(f"v{i}", tuple(range(rnd.randint(2, 4)))) for i in range(6)]
    source = MDD(variables)
    node = source.terminal("none")
    for i in range(8):
        cube = {
            name: rnd.sample(domain, rnd.randint(1, len(domain) - 1))
            for name, domain in rnd.sample(variables, 3)
        }
        node = source.ite(source.cube(cube), source.terminal(i), node)
    target = MDD(list(reversed(variables)))
    copied = target.copy_from(source, node)
    names = [name for name, _ in variables]
    for values in itertools.product(*(d for _, d in variables)):
        situation = dict(zip(names, values, strict=True))
        assert target.evaluate(copied, situation) == source.evaluate(node, situation)
    assert target.tally(copied) == source.tally(node)


def test_deep_diagrams_do_not_hit_the_recursion_limit() -> None:
    manager = MDD((f"f{i}", (0, 1, 2)) for i in range(300))
    parity = manager.terminal(0)
    for i in range(300):
        parity = manager.apply(
            lambda total, value: (total + value) % 2,
            parity,
            manager.ite(manager.test(f"f{i}", {1}), manager.terminal(1), manager.terminal(0)),
            key="parity",
        )
    assert manager.node_count(parity) == 1 + 2 * 299 + 2  # one node on top, two per level below
    assert manager.count(parity, lambda v: v == 1) == (3**300 - 1) // 2


def test_concurrent_building_and_reading() -> None:
    vocabulary = tied_vocabulary()
    rules = (
        rule("secret", ALWAYS, Outcome.FORBIDDEN),
        rule("answer", FactTest("channel", {"request"}), Outcome.OBLIGED, "secret"),
        rule("other", FactTest("other", {True}), Outcome.PERMITTED, "secret"),
    )
    manager = MDD.for_vocabulary(vocabulary)
    reference = build_outcome(vocabulary, rules)
    table = brute_table(vocabulary, rules)
    errors: list[BaseException] = []

    def work(seed: int) -> None:
        try:
            order = list(rules)
            random.Random(seed).shuffle(order)
            symbolic = build_outcome(vocabulary, order, manager=manager)
            for _ in range(50):
                for situation, expected in table:
                    assert symbolic.outcome_of(situation) == expected
                    assert reference.outcome_of(situation) == expected
                assert symbolic.needed_facts({}) == reference.needed_facts({})
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors


def test_suggest_order_puts_the_most_tested_facts_first() -> None:
    vocabulary = tied_vocabulary()  # its impossibilities test channel and form twice
    rules = (
        rule("a", FactTest("other", {True}), Outcome.FORBIDDEN),
        rule("b", All([FactTest("other", {True}), FactTest("form", {"none"})]), Outcome.PERMITTED),
        rule("c", FactTest("other", {False}), Outcome.FORBIDDEN),
        rule("d", FactTest("other", {False}), Outcome.FORBIDDEN),
    )
    assert suggest_order(vocabulary, rules) == ("other", "form", "channel")
    symbolic = build_outcome(vocabulary, rules, order=suggest_order(vocabulary, rules))
    assert symbolic.order == ("other", "form", "channel")
    with pytest.raises(ValueError, match="missing: channel"):
        build_outcome(vocabulary, rules, order=("other", "form"))


@budget(0.25)
@given(cases())
def test_choose_order_picks_the_smallest_candidate(case: Any) -> None:
    vocabulary, rules, order = case
    names = tuple(f.name for f in vocabulary.condition_facts)
    candidates = [names, names[::-1]] + ([order] if order else [])
    chosen = choose_order(vocabulary, rules, candidates)
    assert chosen in candidates
    sizes = [build_outcome(vocabulary, rules, order=c).node_count for c in candidates]
    assert build_outcome(vocabulary, rules, order=chosen).node_count == min(sizes)
    assert choose_order(vocabulary, rules) in {
        names,
        suggest_order(vocabulary, rules),
        *[tuple(p) for p in itertools.permutations(names)],
    }


def test_symbolic_ruleset_is_immutable() -> None:
    symbolic = build_outcome(tied_vocabulary(), ())
    assert isinstance(symbolic, SymbolicRuleset)
    with pytest.raises(AttributeError):
        symbolic.outcome = 3  # type: ignore[misc]
