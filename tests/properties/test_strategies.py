"""disclosure.strategies: possible situations only, every one reachable, readable shrinks."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import Phase, given, settings
from hypothesis import find as hypothesis_find
from hypothesis import strategies as st

import disclosure
from disclosure.ir import All, Fact, FactTest, Impossible, Text, Vocabulary
from disclosure.strategies import invalid_values, partial_situations, situations, versions

from support import FAMILY, budget

T = Text.same
QUICK = settings(phases=[Phase.generate, Phase.shrink], database=None)


def find(strategy: st.SearchStrategy[Any], condition: Any) -> Any:
    """The minimal example (Hypothesis's explain phase is skipped: it only slows this)."""
    return hypothesis_find(strategy, condition, settings=QUICK)


# ``kind`` = "x" is impossible with every value of ``form``: a generator that draws fact
# by fact and only checks impossibilities already certain would paint itself into a corner.
TRAP = Vocabulary(
    facts=(
        Fact("date", "date", (), T("date")),
        Fact("kind", "enum", ("x", "y", "z"), T("kind")),
        Fact("flag", "bool", (False, True), T("flag")),
        Fact("form", "enum", ("p", "q"), T("form")),
    ),
    impossible=(
        Impossible("x_p", All((FactTest("kind", {"x"}), FactTest("form", {"p"}))), T("no")),
        Impossible("x_q", All((FactTest("kind", {"x"}), FactTest("form", {"q"}))), T("no")),
        Impossible(
            "z_true_q",
            All((FactTest("kind", {"z"}), FactTest("flag", {True}), FactTest("form", {"q"}))),
            T("no"),
        ),
    ),
)


def possible(vocabulary: Vocabulary) -> set[tuple[tuple[str, Any], ...]]:
    names = tuple(vocabulary.domains)
    return {
        tuple(zip(names, values, strict=True))
        for values in itertools.product(*vocabulary.domains.values())
        if vocabulary.is_possible(dict(zip(names, values, strict=True)))
    }


def test_every_possible_situation_and_only_those_are_drawn() -> None:
    seen: set[tuple[tuple[str, Any], ...]] = set()

    # a fixed count: that 300 derandomized draws reach all 7 situations is what is tested
    @settings(max_examples=300, derandomize=True, database=None)
    @given(situations(TRAP))
    def collect(situation: dict[str, Any]) -> None:
        assert TRAP.is_possible(situation)
        assert list(situation) == ["kind", "flag", "form"]
        seen.add(tuple(situation.items()))

    collect()
    assert seen == possible(TRAP)
    assert len(seen) == 7  # 12 combinations, 4 with x and 1 with z/True/q impossible


@budget(2)
@given(situations(disclosure.load()))
def test_belgian_situations_are_complete_and_possible(situation: dict[str, Any]) -> None:
    family = disclosure.load()
    assert set(situation) == set(family.vocabulary.domains)
    family.vocabulary.validate(situation)  # raises FactError if impossible


def test_shrinks_to_the_first_values_in_vocabulary_order() -> None:
    assert find(situations(TRAP), lambda s: s["flag"]) == {"kind": "y", "flag": True, "form": "p"}
    assert find(partial_situations(TRAP), lambda s: True) == {}
    assert find(partial_situations(TRAP), lambda s: "form" in s) == {"form": "p"}


def test_where_restricts_the_sub_space_and_always_gives_its_facts() -> None:
    where = {"kind": ["z", "y"], "form": "q"}

    @settings(database=None)
    @given(situations(TRAP, where), partial_situations(TRAP, where))
    def check(complete: dict[str, Any], partial: dict[str, Any]) -> None:
        for drawn in (complete, partial):
            assert drawn["kind"] in ("z", "y")
            assert drawn["form"] == "q"
            assert TRAP.is_possible(drawn)
        assert not (complete["kind"] == "z" and complete["flag"])

    check()


def test_where_on_the_date_adds_the_date_first() -> None:
    drawn = find(situations(TRAP, {"date": ["2018-05-02", dt.date(2019, 1, 1)]}), lambda s: True)
    assert drawn == {"date": dt.date(2018, 5, 2), "kind": "y", "flag": False, "form": "p"}


def test_partial_situations_can_always_be_completed() -> None:
    complete = possible(TRAP)

    @settings(budget(2), database=None)
    @given(partial_situations(TRAP))
    def check(partial: dict[str, Any]) -> None:
        assert any(all(dict(c)[k] == v for k, v in partial.items()) for c in complete)
        assert partial.get("kind") != "x"

    check()


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ({"knd": "y"}, "did you mean 'kind'"),
        ({"kind": "w"}, "cannot be 'w'"),
        ({"flag": "yes"}, "must be true or false"),
        ({"kind": "x"}, "no possible situation satisfies"),
        ({"kind": []}, "no value for 'kind'"),
    ],
)
def test_bad_where_is_a_fact_error(where: dict[str, Any], message: str) -> None:
    with pytest.raises(disclosure.FactError, match=message):
        situations(TRAP, where)


@budget(3)
@given(situations(FAMILY), invalid_values(FAMILY))
def test_invalid_values_are_rejected_with_a_fact_error(
    situation: dict[str, Any], bad: tuple[str, Any]
) -> None:
    name, value = bad
    with pytest.raises(disclosure.FactError) as caught:
        disclosure.evaluate({**situation, name: value}, version="new", family=FAMILY)
    assert caught.value.fact == name or "impossible" not in str(caught.value)
    assert str(caught.value)


def test_invalid_values_cover_each_kind_of_mistake() -> None:
    drawn: list[tuple[str, Any]] = []

    # a fixed count: that 300 derandomized draws cover each kind of mistake is what is tested
    @settings(max_examples=300, database=None, derandomize=True)
    @given(invalid_values(TRAP))
    def collect(bad: tuple[str, Any]) -> None:
        drawn.append(bad)

    collect()
    names = {name for name, _ in drawn}
    assert names - set(TRAP.names), "no unknown fact name drawn"
    assert any(name == "flag" and isinstance(value, str) for name, value in drawn)
    assert any(name == "date" for name, _ in drawn)
    assert any(name == "kind" and isinstance(value, list) for name, value in drawn)
    for name, value in drawn:
        with pytest.raises(disclosure.FactError):
            TRAP.validate({name: value})


def test_versions_draws_names_of_the_family_oldest_first() -> None:
    assert find(versions(FAMILY), lambda name: True) == "old"
    assert find(versions(FAMILY), lambda name: FAMILY.version(name).valid_until is None) == (
        "annulled"
    )


def test_a_version_or_its_name_stands_for_the_bundled_family() -> None:
    bundled = disclosure.load()
    for source in ("prior", bundled.version("prior")):
        drawn = find(situations(source), lambda s: True)
        assert set(drawn) == set(bundled.vocabulary.domains)
    with pytest.raises(disclosure.VersionError):
        situations("no-such-version")
    with pytest.raises(disclosure.DisclosureError, match="not a version of the bundled"):
        situations(FAMILY.versions[0])


def test_drawn_strategies_compose_with_hypothesis() -> None:
    pair = st.tuples(versions(FAMILY), situations(FAMILY, {"learned": True}))
    name, situation = find(pair, lambda p: p[1]["channel"] == "hearing")
    assert name == "old"
    assert situation == {
        "learned": True,
        "channel": "hearing",
        "authority": "prosecutor",
        "info": "admin",
    }
