"""The semantic diff's regions against brute-force enumeration: an exact cover of the
possible situations that differ, each region prime, the cover irredundant, sizes, examples
and totals exact."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from disclosure._analysis.regions import Region, _cover, diff_regions, diff_totals, semantic_diff
from disclosure._engines.mdd import MDD
from disclosure._engines.symbolic import IMPOSSIBLE, build_outcome, suggest_order
from disclosure.errors import FactError
from disclosure.ir import All, Fact, FactTest, Impossible, Outcome, Vocabulary

from random_rulesets import (
    ALWAYS,
    TEXT,
    brute_table,
    rule,
    rulesets,
    tied_vocabulary,
    vocabularies,
)
from support import budget

FAST = budget(1, slow_generation=True)
SLOW = budget(20, slow_generation=True)


@st.composite
def wheres(draw: st.DrawFn, vocabulary: Vocabulary) -> dict[str, frozenset[Any]] | None:
    if draw(st.booleans()):
        return None
    facts = draw(st.lists(st.sampled_from(vocabulary.condition_facts), unique_by=lambda f: f.name))
    return {f.name: frozenset(draw(st.sets(st.sampled_from(f.values), min_size=1))) for f in facts}


@st.composite
def diff_cases(draw: st.DrawFn) -> tuple[Any, ...]:
    vocabulary = draw(vocabularies())
    rules_a = draw(rulesets(vocabulary))
    if draw(st.booleans()):
        rules_b = draw(rulesets(vocabulary))
    else:  # a small amendment of a: the usual case of two versions of the law
        kept = [r for r in rules_a if draw(st.integers(0, 4))]
        added = draw(rulesets(vocabulary, min_rules=0, max_rules=2))
        ids = [r.id for r in kept]
        added = tuple(
            attrs.evolve(
                r,
                id=r.id + "x",
                overrides=tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)))
                if ids
                else (),
            )
            for r in added
        )
        rules_b = (*kept, *added)
    names = [f.name for f in vocabulary.condition_facts]
    order = draw(st.none() | st.permutations(names).map(tuple))
    order_b = draw(st.none() | st.permutations(names).map(tuple))
    return vocabulary, rules_a, rules_b, order, order_b, draw(wheres(vocabulary))


def inside(situation: Mapping[str, Any], cube: Mapping[str, Any] | None) -> bool:
    return all(situation[f] in values for f, values in (cube or {}).items())


def check_diff(
    vocabulary: Vocabulary,
    rules_a: Sequence[Any],
    rules_b: Sequence[Any],
    order: tuple[str, ...] | None,
    order_b: tuple[str, ...] | None,
    where: Mapping[str, frozenset[Any]] | None,
) -> None:
    a = build_outcome(vocabulary, rules_a, order=order)
    b = build_outcome(vocabulary, rules_b, order=order_b)
    result = semantic_diff(a, b, where)
    table_a = brute_table(vocabulary, rules_a)
    table_b = brute_table(vocabulary, rules_b)
    every = [
        (s, oa, ob) for (s, oa), (_, ob) in zip(table_a, table_b, strict=True) if inside(s, where)
    ]
    possible = [(s, oa, ob) for s, oa, ob in every if oa is not IMPOSSIBLE]
    assert all((oa is IMPOSSIBLE) == (ob is IMPOSSIBLE) for _, oa, ob in every)
    differing = [(s, oa, ob) for s, oa, ob in possible if oa != ob]
    # totals, exact
    assert result.compared == len(possible)
    assert result.truncated == ()
    assert dict(result.totals) == dict(Counter((oa, ob) for _, oa, ob in differing))
    assert result.changed == len(differing)
    assert diff_totals(a, b, where) == dict(result.totals)
    assert diff_regions(a, b, where) == list(result.regions)

    domains = vocabulary.domains
    by_pair: dict[tuple[Any, Any], list[Region]] = {}
    for region in result.regions:
        by_pair.setdefault((region.outcome_a, region.outcome_b), []).append(region)
        assert region.outcome_a != region.outcome_b
        assert IMPOSSIBLE not in (region.outcome_a, region.outcome_b)
        # conditions: non-empty, within the domain, never the whole domain
        for fact, values in region.conditions.items():
            assert values
            assert values < frozenset(domains[fact])
        # the example: complete, possible, inside where and the region, with the pair
        example = dict(region.example)
        assert set(example) == set(domains)
        assert region.contains(example)
        assert (example, region.outcome_a, region.outcome_b) in [
            (s, oa, ob) for s, oa, ob in differing
        ]
        # exactness: every possible situation of the cube has the pair (so lies in where)
        members = [
            (s, oa, ob) for s, oa, ob in _possible_rows(table_a, table_b) if region.contains(s)
        ]
        assert all(inside(s, where) for s, _, _ in members)
        assert all((oa, ob) == (region.outcome_a, region.outcome_b) for _, oa, ob in members)
        assert region.size == len(members) > 0
        # narrowed: the same facts, only the values possible members take
        assert set(region.narrowed) == set(region.conditions)
        for fact, values in region.narrowed.items():
            assert values == {s[fact] for s, _, _ in members}
    assert set(by_pair) == set(result.totals)

    for pair, regions in by_pair.items():
        target = [s for s, oa, ob in differing if (oa, ob) == pair]
        # the cover is exact
        for situation in target:
            assert any(region.contains(situation) for region in regions), situation
        # irredundant: each region covers a situation no other region of the pair covers
        for region in regions:
            others = [r for r in regions if r is not region]
            assert any(
                region.contains(s) and not any(r.contains(s) for r in others) for s in target
            ), region
        # prime: widening any condition by one value takes in a possible situation outside
        # the pair's set, or a situation outside where
        for region in regions:
            for fact, values in domains.items():
                allowed = region.conditions.get(fact, frozenset(values))
                for value in set(values) - allowed:
                    wider = {**region.conditions, fact: allowed | {value}}
                    assert any(
                        inside(s, wider)
                        and (not inside(s, where) or (oa is not IMPOSSIBLE and (oa, ob) != pair))
                        for s, oa, ob in _all_rows(table_a, table_b)
                    ), (region, fact, value)


def _all_rows(table_a: Sequence[Any], table_b: Sequence[Any]) -> list[tuple[Any, Any, Any]]:
    return [(s, oa, ob) for (s, oa), (_, ob) in zip(table_a, table_b, strict=True)]


def _possible_rows(table_a: Sequence[Any], table_b: Sequence[Any]) -> list[tuple[Any, Any, Any]]:
    return [row for row in _all_rows(table_a, table_b) if row[1] is not IMPOSSIBLE]


@FAST
@given(diff_cases())
def test_regions_are_an_exact_minimal_cover(case: Any) -> None:
    check_diff(*case)


@pytest.mark.slow
@SLOW
@given(diff_cases())
def test_regions_are_an_exact_minimal_cover_many(case: Any) -> None:
    check_diff(*case)


@st.composite
def boolean_functions(draw: st.DrawFn) -> tuple[Any, ...]:
    """Random on-sets and don't-care sets over small multi-valued domains: richer than the
    functions rulesets give, so the cover has to drop redundant primes."""
    domains = draw(st.lists(st.integers(2, 3), min_size=2, max_size=4))
    points = list(itertools.product(*(range(d) for d in domains)))
    kinds = draw(st.lists(st.sampled_from("o.o.d"), min_size=len(points), max_size=len(points)))
    on = {p for p, k in zip(points, kinds, strict=True) if k == "o"}
    dont_care = {p for p, k in zip(points, kinds, strict=True) if k == "d"}
    return domains, points, on, dont_care


def check_cover(domains: list[int], points: list[Any], on: set[Any], dont_care: set[Any]) -> None:
    manager = MDD((f"v{i}", tuple(range(d))) for i, d in enumerate(domains))

    def diagram(chosen: set[Any]) -> int:
        return manager.disjunction(
            manager.cube({f"v{i}": v for i, v in enumerate(p)}) for p in sorted(chosen)
        )

    on_node = diagram(on)
    cubes, complete = _cover(manager, on_node, manager.or_(on_node, diagram(dont_care)))
    assert complete

    def members(cube: Any) -> set[Any]:
        return {p for p in points if all(c is None or v in c for c, v in zip(cube, p, strict=True))}

    covered: set[Any] = set()
    for cube, size in cubes:
        inside = members(cube)
        assert inside <= on | dont_care  # exact
        assert size == len(inside & on) > 0
        covered |= inside
        for level, allowed in enumerate(cube):  # prime
            assert allowed is None or 0 < len(allowed) < domains[level]
            for value in set(range(domains[level])) - set(allowed or range(domains[level])):
                wider = (*cube[:level], (*allowed, value), *cube[level + 1 :])
                assert not members(wider) <= on | dont_care
    assert on <= covered
    for cube, _ in cubes:  # irredundant
        others = set().union(*(members(c) for c, _ in cubes if c is not cube))
        assert (members(cube) & on) - others


@budget(3)
@given(boolean_functions())
def test_cover_of_any_function_is_exact_prime_irredundant(case: Any) -> None:
    check_cover(*case)


# -- examples ------------------------------------------------------------------------------


def test_identical_rulesets_have_no_region() -> None:
    vocabulary = tied_vocabulary()
    rules = (rule("s", ALWAYS, Outcome.FORBIDDEN),)
    a = build_outcome(vocabulary, rules)
    b = build_outcome(vocabulary, rules, order=suggest_order(vocabulary, rules)[::-1])
    result = semantic_diff(a, b)
    assert result.regions == ()
    assert result.changed == 0
    assert result.compared == 4  # two of the 8 raw combinations of channel/form possible


def test_impossible_situations_are_dont_cares_never_counted() -> None:
    vocabulary = tied_vocabulary()
    a = build_outcome(vocabulary, (rule("s", ALWAYS, Outcome.FORBIDDEN),))
    b = build_outcome(
        vocabulary,
        (
            rule("s", ALWAYS, Outcome.FORBIDDEN),
            rule("o", FactTest("channel", {"request"}), Outcome.OBLIGED, "s"),
        ),
    )
    (region,) = diff_regions(a, b)
    # form is tied to channel: naming it would be redundant, so the prime drops it
    assert dict(region.conditions) == {"channel": frozenset({"request"})}
    assert region.size == 2  # other: False / True; form is forced to written
    assert (region.outcome_a, region.outcome_b) == (Outcome.FORBIDDEN, Outcome.OBLIGED)
    assert region.example["form"] == "written"


def test_where_restricts_the_comparison_and_the_regions() -> None:
    vocabulary = Vocabulary(
        (
            Fact("who", "enum", ("prosecutor", "police", "none"), TEXT),
            Fact("offence", "enum", ("terrorist", "other"), TEXT),
            Fact("written", "bool", (False, True), TEXT),
        )
    )
    a = build_outcome(vocabulary, (rule("s", ALWAYS, Outcome.FORBIDDEN),))
    b = build_outcome(
        vocabulary,
        (
            rule("s", ALWAYS, Outcome.FORBIDDEN),
            rule("o", FactTest("offence", {"terrorist"}), Outcome.OBLIGED, "s"),
        ),
    )
    assert diff_totals(a, b) == {(Outcome.FORBIDDEN, Outcome.OBLIGED): 6}
    result = semantic_diff(a, b, where={"who": "prosecutor"})
    assert result.compared == 4
    assert dict(result.totals) == {(Outcome.FORBIDDEN, Outcome.OBLIGED): 2}
    (region,) = result.regions
    assert dict(region.conditions) == {
        "who": frozenset({"prosecutor"}),
        "offence": frozenset({"terrorist"}),
    }
    assert dict(result.where) == {"who": frozenset({"prosecutor"})}
    with pytest.raises(FactError):
        semantic_diff(a, b, where={"whom": "police"})
    with pytest.raises(FactError):
        semantic_diff(a, b, where={"who": "judge"})


def test_overlapping_primes_are_reported_with_exact_totals() -> None:
    # two overlapping primes: their sizes add up to more than the exact total
    vocabulary = Vocabulary(
        tuple(Fact(name, "enum", ("0", "1", "2"), TEXT) for name in ("x", "y", "z"))
    )
    a = build_outcome(vocabulary, (rule("s", ALWAYS, Outcome.FORBIDDEN),))
    when = [
        FactTest("x", {"1", "2"}),
        FactTest("y", {"0", "1"}),
    ]
    b = build_outcome(
        vocabulary,
        (
            rule("s", ALWAYS, Outcome.FORBIDDEN),
            rule("p", when[0], Outcome.PERMITTED, "s"),
            rule("q", when[1], Outcome.PERMITTED, "s"),
        ),
    )
    result = semantic_diff(a, b)
    assert sorted((dict(r.conditions) for r in result.regions), key=str) == sorted(
        [{"x": frozenset({"1", "2"})}, {"y": frozenset({"0", "1"})}], key=str
    )
    assert sum(r.size for r in result.regions) == 18 + 18
    assert result.totals[(Outcome.FORBIDDEN, Outcome.PERMITTED)] == 27 - 3  # x=0 and y=2
    assert result.truncated == ()
    # a bound on the regions: the largest first, the pair flagged, the totals exact
    bounded = semantic_diff(a, b, max_regions=1)
    assert len(bounded.regions) == 1
    assert bounded.regions[0] in result.regions
    assert bounded.truncated == ((Outcome.FORBIDDEN, Outcome.PERMITTED),)
    assert bounded.totals == result.totals
    assert semantic_diff(a, b, max_regions=2) == result


def test_narrowed_conditions_leave_out_impossible_values() -> None:
    vocabulary = Vocabulary(
        (
            Fact("channel", "enum", ("request", "own_initiative"), TEXT),
            Fact("form", "enum", ("written", "oral", "none"), TEXT),
        ),
        (
            Impossible(
                "request without form",
                All([FactTest("channel", {"request"}), FactTest("form", {"none"})]),
                TEXT,
            ),
            Impossible(
                "report with a form",
                All(
                    [FactTest("channel", {"own_initiative"}), FactTest("form", {"written", "oral"})]
                ),
                TEXT,
            ),
        ),
    )
    secret = rule("s", ALWAYS, Outcome.FORBIDDEN)
    written = All([FactTest("channel", {"request"}), FactTest("form", {"written"})])
    a = build_outcome(vocabulary, (secret,))
    b = build_outcome(vocabulary, (secret, rule("o", written, Outcome.OBLIGED, "s")))
    (region,) = diff_regions(a, b)
    # prime: 'none' only makes impossible situations, so the prime takes it in
    assert dict(region.conditions) == {
        "channel": frozenset({"request"}),
        "form": frozenset({"written", "none"}),
    }
    assert dict(region.narrowed) == {
        "channel": frozenset({"request"}),
        "form": frozenset({"written"}),
    }
    assert region.size == 1
