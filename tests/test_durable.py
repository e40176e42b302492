"""The durable_rules backend: one test per durable_rules pitfall it wraps (each named after
the pitfall, each failing if the wrapper stopped avoiding it), thread safety, and agreement
with the three-valued evaluation of the conditions (Hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure import _durable
from disclosure._conditions import (
    TRUE,
    All,
    Any_,
    Condition,
    FactTest,
    Not,
    evaluate_condition_3v,
)
from disclosure._outcome import Outcome
from disclosure._ruleset import Citation, Rule
from disclosure._text import Text
from disclosure.errors import EngineError

pytestmark = pytest.mark.skipif(
    not _durable.durable_available(), reason="durable_rules does not import on this Python"
)

DOMAINS: dict[str, tuple[Any, ...]] = {
    "holder": ("cpas_staff", "council_member", "other"),
    "professional": (False, True),
    "channel": ("request", "hearing", "own_initiative", "consultation"),
    "urgent": (False, True),
}
SOURCE = Citation(act="Code pénal", article="458", date=dt.date(1867, 6, 8))
_keys = itertools.count()


def rule(rule_id: str, when: Condition) -> Rule:
    return Rule(rule_id, Text.same(rule_id), SOURCE, when, Outcome.PERMITTED)


def fresh_key(label: str = "test") -> str:
    """A key no other matcher of this process uses (rulesets are never unregistered)."""
    return f"{label}-{next(_keys)}"


def matcher(
    *rules: Rule, domains: Mapping[str, tuple[Any, ...]] = DOMAINS
) -> _durable.DurableMatcher:
    return _durable.DurableMatcher(fresh_key(), rules, domains)


def run_python(code: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter: a crash or a hang there cannot take the test
    session with it."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_in_subprocess(check: Callable[[], None]) -> None:
    """Run ``check``, a function of this module, in a fresh interpreter: where durable's
    stack overflows it may abort the process rather than raise."""
    here = Path(__file__)
    result = run_python(
        f"""
        import sys
        sys.path.insert(0, {str(here.parent)!r})
        import {here.stem}
        {here.stem}.{check.__name__}()
        """
    )
    assert result.returncode == 0, result.stderr[-3000:]


STAFF = FactTest("holder", {"cpas_staff"})
PROFESSIONAL = FactTest("professional", {True})
REQUEST = FactTest("channel", {"request"})


# --- the pitfalls -----------------------------------------------------------------------


def test_pitfall_post_consumes_event_so_assert_fact_is_used() -> None:
    # with post, the first rule to match consumes the event and the other never fires
    engine = matcher(rule("a", STAFF), rule("b", All([STAFF, PROFESSIONAL])), rule("c", STAFF))
    situation = {"holder": "cpas_staff", "professional": True}
    assert engine.match(situation) == {"a": True, "b": True, "c": True}
    assert set(engine.run(situation).fired) == {"a$holds", "b$holds", "c$holds"}


def test_pitfall_session_cap_of_1024_so_every_session_is_deleted() -> None:
    engine = matcher(rule("a", STAFF), rule("b", Not(PROFESSIONAL)))
    for index in range(1_100):  # durable raises MemoryError at the 1,025th live session
        situation = {"holder": "cpas_staff"} if index % 2 else {"professional": True}
        engine.match(situation)
    assert engine.match({"holder": "other", "professional": True}) == {"a": False, "b": False}


def test_pitfall_session_cap_so_a_session_is_deleted_even_when_evaluation_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = matcher(rule("a", STAFF))
    monkeypatch.setattr(engine._registration, "firings", _ExplodingFirings())
    for _ in range(1_100):
        with pytest.raises(EngineError):
            engine.match({"holder": "cpas_staff"})
    monkeypatch.undo()
    assert engine.match({"holder": "cpas_staff"}) == {"a": True}


def test_pitfall_unanchored_pattern_loops_forever_so_every_pattern_is_anchored() -> None:
    # conditions made only of negations: in durable, a pattern of only negative or
    # existence tests matches the engine's own state document and never returns
    result = run_python(
        """
        import datetime as dt
        from disclosure import _durable
        from disclosure._conditions import All, Any_, FactTest, Not
        from disclosure._outcome import Outcome
        from disclosure._ruleset import Citation, Rule
        from disclosure._text import Text

        source = Citation(act="x", article="1", date=dt.date(2000, 1, 1))
        conditions = {
            "not_staff": Not(FactTest("holder", {"cpas_staff"})),
            "not_any": Not(Any_([FactTest("holder", {"other"}), FactTest("urgent", {True})])),
            "not_nothing": Not(Any_([])),
            "not_everything": Not(FactTest("holder", {"cpas_staff", "other"})),
        }
        rules = [Rule(k, Text.same(k), source, c, Outcome.FORBIDDEN) for k, c in conditions.items()]
        domains = {"holder": ("cpas_staff", "other"), "urgent": (False, True)}
        engine = _durable.DurableMatcher("negations", rules, domains)
        print(engine.match({}))
        print(engine.match({"holder": "other", "urgent": False}))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "{'not_staff': None, 'not_any': None, 'not_nothing': True, 'not_everything': None}",
        "{'not_staff': True, 'not_any': False, 'not_nothing': True, 'not_everything': False}",
    ]
    engine = matcher(rule("not_staff", Not(STAFF)))
    for durable_rule in engine.definition.values():
        for pattern in _patterns(durable_rule):
            assert pattern["$and"][0] == {"anchor": 1}


def test_pitfall_missing_field_compares_false_so_open_conditions_give_none() -> None:
    # in durable, "holder != cpas_staff" is false when holder is missing: a naive
    # translation of Not(STAFF) would answer False where the answer is unknown
    engine = matcher(
        rule("not_staff", Not(STAFF)),
        rule("staff_and_professional", All([STAFF, PROFESSIONAL])),
        rule("staff_or_professional", Any_([STAFF, PROFESSIONAL])),
    )
    assert engine.match({}) == {
        "not_staff": None,
        "staff_and_professional": None,
        "staff_or_professional": None,
    }
    assert engine.match({"holder": "other"}) == {
        "not_staff": True,
        "staff_and_professional": False,  # false whatever ``professional`` is
        "staff_or_professional": None,
    }
    assert engine.match({"professional": True}) == {
        "not_staff": None,
        "staff_and_professional": None,
        "staff_or_professional": True,
    }


def test_pitfall_or_with_two_true_branches_fires_twice_so_firings_are_deduplicated() -> None:
    engine = matcher(rule("either", Any_([STAFF, PROFESSIONAL])))
    run = engine.run({"holder": "cpas_staff", "professional": True})
    assert run.activations == 2  # durable fired the rule once per true branch
    assert run.fired == ("either$holds",)
    assert run.applicability == {"either": True}


def test_pitfall_exception_in_action_is_swallowed_so_it_is_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = matcher(rule("a", STAFF))
    monkeypatch.setattr(engine._registration, "firings", _ExplodingFirings())
    with pytest.raises(EngineError, match=r"action failed inside durable_rules.*exploded"):
        engine.match({"holder": "cpas_staff"})


def test_pitfall_default_host_starts_timer_threads_so_none_is_started() -> None:
    before = {thread.ident for thread in threading.enumerate()}
    engine = matcher(rule("a", STAFF))
    for _ in range(20):
        engine.match({"holder": "cpas_staff"})
    started = {thread.ident for thread in threading.enumerate()} - before
    assert started == set()
    engine_module = _durable.require_durable()
    assert type(_durable._host)._run is not engine_module.Host._run


def test_pitfall_set_rulesets_mutates_its_argument_so_a_copy_is_registered() -> None:
    engine = matcher(rule("a", STAFF), rule("b", Not(STAFF)))
    assert all("run" in durable_rule for durable_rule in engine.definition.values())
    assert engine.match({"holder": "cpas_staff"}) == {"a": True, "b": False}


def test_pitfall_rulesets_cannot_be_unregistered_so_a_key_is_registered_once() -> None:
    rules = (rule("a", STAFF), rule("b", Not(STAFF)))
    key = fresh_key()
    first = _durable.DurableMatcher(key, rules, DOMAINS)
    second = _durable.DurableMatcher(key, rules, DOMAINS)  # durable would refuse the name
    assert second.ruleset_name == first.ruleset_name
    assert first.ruleset_name.replace("_", "").isalnum()
    assert second.match({"holder": "other"}) == {"a": False, "b": True}
    with pytest.raises(EngineError, match="already registered with different rules"):
        _durable.DurableMatcher(key, rules[:1], DOMAINS)
    other = matcher(*rules)  # another key: another registration
    assert other.ruleset_name != first.ruleset_name


def test_pitfall_list_value_segfaults_so_it_is_rejected_before_the_engine() -> None:
    result = run_python(
        """
        import datetime as dt
        from disclosure import _durable
        from disclosure._conditions import FactTest
        from disclosure._outcome import Outcome
        from disclosure._ruleset import Citation, Rule
        from disclosure._text import Text
        from disclosure.errors import EngineError

        source = Citation(act="x", article="1", date=dt.date(2000, 1, 1))
        rules = [Rule("a", Text.same("a"), source, FactTest("holder", {"x"}), Outcome.FORBIDDEN)]
        engine = _durable.DurableMatcher("lists", rules, {"holder": ("x", "y")})
        for value in (["x"], ("x",), {"x": 1}, 1, 1.5, None):
            try:
                engine.match({"holder": value})
            except EngineError as error:
                print(type(value).__name__, "refused:", error)
        print(engine.match({"holder": "x"}))
        """,
    )
    assert result.returncode == 0, result.stderr  # a segfault gives -11
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == [
        "list",
        "tuple",
        "dict",
        "int",
        "float",
        "NoneType",
    ]
    assert "only strings and booleans" in lines[0]
    assert lines[-1] == "{'a': True}"


def test_values_outside_the_domain_are_rejected() -> None:
    engine = matcher(rule("a", STAFF))
    with pytest.raises(EngineError, match="cannot be 'cpas'; allowed values: cpas_staff"):
        engine.match({"holder": "cpas"})
    with pytest.raises(EngineError, match="mapping"):
        engine.match([("holder", "cpas_staff")])  # type: ignore[arg-type]


def test_pitfall_more_than_64_sibling_matches_error_303_with_70_alternatives() -> None:
    values = tuple(f"v{index}" for index in range(100))
    domains = {**DOMAINS, "many": values}
    wide_in = FactTest("many", values[:70])  # 70 alternatives
    narrow_in = FactTest("many", values[:30])
    engine = matcher(rule("wide", wide_in), rule("narrow", narrow_in), domains=domains)
    for value in ("v0", "v29", "v30", "v69", "v70", "v99"):
        index = int(value[1:])
        assert engine.match({"many": value}) == {"wide": index < 70, "narrow": index < 30}


def test_pitfall_more_than_64_sibling_matches_error_303_with_shared_tests() -> None:
    run_in_subprocess(_check_shared_tests)


def _check_shared_tests() -> None:
    # 80 rules with the same alternatives: durable shares their nodes, and pushes the 80
    # continuations at once on its 64-entry stack (error 303), unless each is private
    rules = [rule(f"r{index}", Any_([STAFF, PROFESSIONAL])) for index in range(80)]
    engine = matcher(*rules)
    assert set(engine.match({"holder": "cpas_staff"}).values()) == {True}
    assert set(engine.match({"holder": "other", "professional": False}).values()) == {False}
    assert set(engine.match({"holder": "other"}).values()) == {None}


def test_pitfall_more_than_64_sibling_matches_error_303_with_70_true_branches() -> None:
    run_in_subprocess(_check_true_branches)


def _check_true_branches() -> None:
    domains = {f"b{index}": (False, True) for index in range(70)}
    tests = [FactTest(name, {True}) for name in domains]
    engine = matcher(rule("any", Any_(tests)), rule("all", All(tests)), domains=domains)
    everything = dict.fromkeys(domains, True)
    assert engine.match(everything) == {"any": True, "all": True}
    assert engine.match({**everything, "b69": False}) == {"any": True, "all": False}
    assert engine.match({"b0": False}) == {"any": None, "all": False}


def test_pitfall_32_expressions_per_pattern_error_113_conditions_are_split() -> None:
    # 20 tests of two values among four: 20 $or groups would overflow one pattern
    domains = {f"f{index}": ("a", "b", "c", "d", "e") for index in range(20)}
    tests = [FactTest(name, {"a", "b"}) for name in domains]
    engine = matcher(
        rule("all", All(tests)),
        rule("not_all", Not(All(tests))),
        rule("nested", Any_([All(tests[:10]), All(tests[10:])])),
        domains=domains,
    )
    everything = dict.fromkeys(domains, "a")
    assert engine.match(everything) == {"all": True, "not_all": False, "nested": True}
    one_off = {**everything, "f3": "e"}
    assert engine.match(one_off) == {"all": False, "not_all": True, "nested": True}
    assert engine.match({"f3": "e"}) == {"all": False, "not_all": True, "nested": None}
    assert len(engine.definition) > 8  # it took several durable rules


def test_pitfall_import_fails_on_python_313_so_durable_is_imported_lazily() -> None:
    result = run_python(
        """
        import sys
        import disclosure._durable as backend
        print("durable" in sys.modules, backend.durable_available(), "durable" in sys.modules)
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]


def test_unavailable_durable_raises_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_durable, "_engine_module", None)
    monkeypatch.setattr(_durable, "_import_failure", "ImportError: simulated")
    assert not _durable.durable_available()
    with pytest.raises(EngineError, match=r"not available on this Python .*use engine='compiled'"):
        _durable.DurableMatcher(fresh_key(), [rule("a", STAFF)], DOMAINS)


# --- semantics ---------------------------------------------------------------------------


def test_empty_all_is_true_and_empty_any_is_false() -> None:
    engine = matcher(
        rule("true", TRUE),
        rule("false", Any_([])),
        rule("not_true", Not(TRUE)),
        rule("whole_domain", FactTest("holder", DOMAINS["holder"])),
        rule("no_value", FactTest("holder", set())),
    )
    assert engine.match({}) == {
        "true": True,
        "false": False,
        "not_true": False,
        "whole_domain": None,  # unknown until the holder is known
        "no_value": None,  # as evaluate_condition_3v: a test of a missing fact is open
    }
    assert engine.match({"holder": "other"}) == {
        "true": True,
        "false": False,
        "not_true": False,
        "whole_domain": True,
        "no_value": False,
    }


def test_facts_no_rule_reads_are_ignored() -> None:
    engine = matcher(rule("a", STAFF))
    assert engine.match({"holder": "cpas_staff", "unrelated": "value"}) == {"a": True}


def test_a_rule_with_unknown_fact_is_an_engine_error() -> None:
    with pytest.raises(EngineError, match="fact 'requestor', which has no domain"):
        matcher(rule("a", FactTest("requestor", {"police"})))


def test_fact_names_cannot_clash_with_durable_fields() -> None:
    domains = {"sid": ("a", "b"), "id": ("a", "b"), "anchor": ("a", "b"), "odd name!": ("x",)}
    engine = matcher(
        rule("sid", FactTest("sid", {"a"})),
        rule("id", FactTest("id", {"b"})),
        rule("anchor", FactTest("anchor", {"a"})),
        rule("odd", FactTest("odd name!", {"x"})),
        domains=domains,
    )
    situation = {"sid": "a", "id": "a", "anchor": "b", "odd name!": "x"}
    assert engine.match(situation) == {"sid": True, "id": False, "anchor": False, "odd": True}


# --- thread safety -------------------------------------------------------------------------


def _situations(count: int, seed: int) -> list[dict[str, Any]]:
    """Complete and partial situations over :data:`DOMAINS`."""
    rng = random.Random(seed)
    return [
        {fact: rng.choice(values) for fact, values in DOMAINS.items() if rng.random() < 0.75}
        for _ in range(count)
    ]


def test_threads_give_the_results_of_one_thread() -> None:
    engine = matcher(
        rule("a", STAFF),
        rule("b", All([Not(STAFF), PROFESSIONAL, Any_([REQUEST, FactTest("urgent", {True})])])),
        rule("c", Not(All([REQUEST, FactTest("holder", {"other", "council_member"})]))),
        rule("d", Any_([Not(PROFESSIONAL), FactTest("channel", {"hearing", "consultation"})])),
    )
    situations = _situations(2_000, seed=2)
    expected = [engine.match(situation) for situation in situations]

    def evaluate_all(offset: int) -> list[dict[str, bool | None]]:
        # each thread walks the situations from its own starting point
        order = situations[offset:] + situations[:offset]
        results = [engine.match(situation) for situation in order]
        return results[len(situations) - offset :] + results[: len(situations) - offset]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(evaluate_all, range(0, 2_000, 250)))
    assert len(results) == 8
    for result in results:
        assert result == expected


# --- agreement with the three-valued evaluation (Hypothesis) ------------------------------


def _fact_tests() -> st.SearchStrategy[Condition]:
    return st.sampled_from(sorted(DOMAINS)).flatmap(
        lambda fact: st.sets(st.sampled_from(DOMAINS[fact])).map(
            lambda values: FactTest(fact, values)
        )
    )


conditions: st.SearchStrategy[Condition] = st.recursive(
    _fact_tests(),
    lambda inner: st.one_of(
        inner.map(Not),
        st.lists(inner, max_size=4).map(All),
        st.lists(inner, max_size=4).map(Any_),
    ),
    max_leaves=10,
)
situations_strategy = st.fixed_dictionaries(
    {}, optional={fact: st.sampled_from(values) for fact, values in DOMAINS.items()}
)


def _check_agreement(whens: Sequence[Condition], situations: Sequence[dict[str, Any]]) -> None:
    rules = [rule(f"rule-{index}", when) for index, when in enumerate(whens)]
    engine = matcher(*rules)
    for situation in situations:
        expected = {r.id: evaluate_condition_3v(r.when, situation) for r in rules}
        assert engine.match(situation) == expected, situation


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    whens=st.lists(conditions, min_size=1, max_size=4),
    situations=st.lists(situations_strategy, min_size=1, max_size=8),
)
def test_match_agrees_with_three_valued_evaluation(
    whens: list[Condition], situations: list[dict[str, Any]]
) -> None:
    _check_agreement(whens, situations)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    whens=st.lists(conditions, min_size=1, max_size=4),
    situations=st.lists(situations_strategy, min_size=1, max_size=8),
)
def test_match_agrees_when_conditions_are_split(
    whens: list[Condition], situations: list[dict[str, Any]]
) -> None:
    # tiny budgets force the splitting of conditions into several patterns and rules
    with (
        mock.patch.object(_durable, "MAX_PATTERN_GROUPS", 2),
        mock.patch.object(_durable, "MAX_PATTERN_WEIGHT", 3),
    ):
        _check_agreement(whens, situations)


# --- helpers ---------------------------------------------------------------------------


class _ExplodingFirings(dict[str, list[str]]):
    """Firings whose lookup fails, as an action's bug would: durable swallows the error."""

    def __getitem__(self, key: str) -> list[str]:
        raise RuntimeError("exploded")


def _patterns(durable_rule: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for term in durable_rule["all"]:
        yield from term.values()
