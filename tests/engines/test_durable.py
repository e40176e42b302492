"""The durable_rules backend: one test per durable_rules pitfall it wraps (each named after
the pitfall, each failing if the wrapper stopped avoiding it), thread safety, and agreement
with the three-valued evaluation of the conditions (Hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
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
from hypothesis import given
from hypothesis import strategies as st

from disclosure._engines import durable as _durable
from disclosure.errors import EngineError
from disclosure.ir import (
    TRUE,
    All,
    Any_,
    Citation,
    Condition,
    FactTest,
    Not,
    Outcome,
    Rule,
    Text,
    evaluate_condition_3v,
)

from support import budget

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
        sys.path[:0] = [{str(here.parent)!r}, {str(here.parent.parent)!r}]
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


def test_pitfall_session_cap_of_1024_so_one_session_is_reused() -> None:
    # durable raises MemoryError at the 1,025th live session: each ruleset has one, and
    # every situation's fact is retracted from it once its firings are taken
    rules = [
        rule("a", STAFF),
        rule("b", Not(PROFESSIONAL)),
        rule("c", Any_([REQUEST, All([Not(STAFF), FactTest("urgent", {True})])])),
    ]
    engine = matcher(*rules)
    situations = _situations(5_000, seed=7)
    for situation in situations:
        engine.match(situation)
    for situation in situations[:500]:  # still right after 5,000 situations
        expected = {r.id: evaluate_condition_3v(r.when, situation) for r in rules}
        assert engine.match(situation) == expected, situation
    core = _durable._core()
    handle = engine._registration.handle
    assert json.loads(core.get_facts(handle, _durable._SID)) == []  # nothing left behind
    assert json.loads(core.get_events(handle, _durable._SID)) == []


def test_pitfall_session_cap_so_the_session_is_reset_when_evaluation_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = matcher(rule("a", STAFF), rule("b", Not(PROFESSIONAL)))
    monkeypatch.setattr(_durable._Registration, "record", _explode)
    for _ in range(1_100):
        with pytest.raises(EngineError, match="exploded"):
            engine.match({"holder": "cpas_staff"})
    monkeypatch.undo()
    assert engine.match({"holder": "cpas_staff"}) == {"a": True, "b": None}
    assert engine.match({"professional": False}) == {"a": None, "b": True}


def test_a_fact_left_in_the_session_is_cleared_before_the_next_situation() -> None:
    run_in_subprocess(_check_fact_left_behind)


def _check_fact_left_behind() -> None:
    for warm in (False, True):
        engine = matcher(rule("a", STAFF))
        if warm:  # the session has run actions before
            assert engine.match({"holder": "other"}) == {"a": False}
        text, _ = engine._fact({"holder": "other"})
        core = _durable._core()
        with _durable._LOCK:  # as if an evaluation had stopped before the retraction
            core.assert_fact(engine._registration.handle, text)
        # durable refuses the next fact (same id): the session is emptied first; deleting
        # it before any action started in it would crash the process
        assert engine.match({"holder": "cpas_staff"}) == {"a": True}
        assert engine.match({"holder": "other"}) == {"a": False}


def test_pitfall_unanchored_pattern_loops_forever_so_every_pattern_is_anchored() -> None:
    # conditions made only of negations: in durable, a pattern of only negative or
    # existence tests matches the engine's own state document and never returns
    result = run_python(
        """
        import datetime as dt
        from disclosure._engines import durable as _durable
        from disclosure.ir import All, Any_, FactTest, Not
        from disclosure.ir import Outcome
        from disclosure.ir import Citation, Rule
        from disclosure.ir import Text

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


def test_pitfall_duplicate_firings_so_the_fails_guard_has_exclusive_branches() -> None:
    # "some fact of the rule is missing" as one branch per fact would match once per
    # missing fact; its branches say which fact is the first missing, so one is true
    engine = matcher(rule("all3", All([STAFF, PROFESSIONAL, REQUEST])))
    for situation in ({"holder": "other"}, {"channel": "hearing"}, {"professional": False}):
        run = engine.run(situation)
        assert run.applicability == {"all3": False}
        assert run.fired == ("all3$fails",)
        assert run.activations == 1, situation
    assert engine.run({"holder": "cpas_staff"}).applicability == {"all3": None}
    assert engine.run({"holder": "other", "professional": True, "channel": "request"}).fired == ()


def test_pitfall_exception_in_action_is_swallowed_so_it_is_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # durable's Python host catches what an action raises and only notes it in the
    # session state; the actions now run in our own loop, and what they raise is raised
    engine = matcher(rule("a", STAFF))
    monkeypatch.setattr(_durable._Registration, "record", _explode)
    with pytest.raises(EngineError, match=r"durable_rules failed: exploded"):
        engine.match({"holder": "cpas_staff"})
    monkeypatch.undo()
    assert engine.match({"holder": "cpas_staff"}) == {"a": True}


def test_an_interruption_in_an_action_is_raised_as_is_and_the_session_reset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = matcher(rule("a", STAFF))

    def interrupt(self: Any, message: str, firings: list[tuple[str, str]]) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_durable._Registration, "record", interrupt)
    with pytest.raises(KeyboardInterrupt):
        engine.match({"holder": "cpas_staff"})
    monkeypatch.undo()
    assert engine.match({"holder": "cpas_staff"}) == {"a": True}


def test_a_failure_of_the_engine_itself_is_an_engine_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = matcher(rule("a", STAFF))
    core = _durable._core()

    class Failing:
        """durable's core, whose ``complete_and_start_action`` fails ``times`` times."""

        def __init__(self, times: int) -> None:
            self.times = times

        def __getattr__(self, name: str) -> Any:
            return getattr(core, name)

        def complete_and_start_action(self, handle: int, state: int) -> Any:
            if self.times:
                self.times -= 1
                raise core.error("Could not complete and start action, error code: 303")
            return core.complete_and_start_action(handle, state)

    monkeypatch.setattr(_durable, "_core_module", Failing(1))
    with pytest.raises(EngineError, match=r"error code: 303 \(too many alpha nodes[^;]*$"):
        engine.match({"holder": "cpas_staff"})
    assert engine.match({"holder": "cpas_staff"}) == {"a": True}  # the session was reset
    monkeypatch.setattr(_durable, "_core_module", Failing(2))  # the reset fails too
    with pytest.raises(EngineError, match=r"error code: 303 .*; durable_rules could not reset"):
        engine.match({"holder": "cpas_staff"})
    monkeypatch.undo()
    assert engine.match({"holder": "cpas_staff"}) == {"a": True}


def test_a_firing_of_an_unknown_rule_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = matcher(rule("a", STAFF))
    core = _durable._core()

    class Garbled:
        def __getattr__(self, name: str) -> Any:
            return getattr(core, name)

        def start_action_for_state(self, handle: int, state: int) -> Any:
            started = core.start_action_for_state(handle, state)
            return started and (started[0], '{"nope":' + started[1][len('{"done":') :])

    monkeypatch.setattr(_durable, "_core_module", Garbled())
    with pytest.raises(EngineError, match="fired an unknown rule"):
        engine.match({"holder": "cpas_staff"})
    monkeypatch.undo()
    assert engine.match({"holder": "cpas_staff"}) == {"a": True}


def test_pitfall_default_host_starts_timer_threads_so_no_host_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine_module = _durable.require_durable()

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a durable Host was created")

    monkeypatch.setattr(engine_module.Host, "__init__", refuse)
    before = {thread.ident for thread in threading.enumerate()}
    engine = matcher(rule("a", STAFF))
    for _ in range(20):
        engine.match({"holder": "cpas_staff"})
    started = {thread.ident for thread in threading.enumerate()} - before
    assert started == set()


def test_pitfall_set_rulesets_mutates_its_argument_so_durable_gets_json_text() -> None:
    rules = (rule("a", STAFF), rule("b", Not(STAFF)))
    engine = matcher(*rules)
    # the definition is data (no actions: they run in our loop), and durable's copy of it
    # is JSON text: the registration's own is intact
    assert engine.definition == _durable._compile(rules, DOMAINS).definition
    assert json.loads(json.dumps(engine.definition)) == engine.definition
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
        from disclosure._engines import durable as _durable
        from disclosure.ir import FactTest
        from disclosure.ir import Outcome
        from disclosure.ir import Citation, Rule
        from disclosure.ir import Text
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


def test_pitfall_stack_of_64_nodes_are_shared_only_within_the_bound() -> None:
    run_in_subprocess(_check_stack_bound)


def _check_stack_bound() -> None:
    # n rules of the same two branches: the node of each branch has n successors, one
    # per rule (the node that joins its $or); with every test true, all are pushed
    situation = {"holder": "cpas_staff", "professional": True}
    overflows = []
    with mock.patch.object(_durable, "STACK_MARGIN", -1_000):  # share nodes whatever
        for count in (40, 58, 60, 61, 62, 63, 64, 70):
            rules = [rule(f"r{index}", Any_([STAFF, PROFESSIONAL])) for index in range(count)]
            engine = matcher(*rules)
            assert "route" not in json.dumps(engine.definition)
            bound = _durable._alpha_stack(engine.definition)
            assert bound >= count
            try:
                values = set(engine.match(situation).values())
            except EngineError as error:
                overflows.append((count, bound, str(error)))
            else:
                assert values == {True}
    assert overflows  # durable's stack overflowed: the bound said it could
    assert overflows[0][0] > 40
    for count, bound, message in overflows:
        assert "error code: 303" in message
        assert bound > _durable.STACK_SIZE, (count, bound)
    # by default, such a ruleset gets private prefixes instead, and works
    engine = matcher(*[rule(f"r{index}", Any_([STAFF, PROFESSIONAL])) for index in range(70)])
    assert "route" in json.dumps(engine.definition)
    assert set(engine.match(situation).values()) == {True}


def test_the_bundled_law_shares_nodes() -> None:
    # the fast layout (no private prefixes) fits every version of the bundled law
    import disclosure
    from disclosure._engines.prepared import prepare

    family = disclosure.load()
    for version in family.versions:
        prepared = prepare(family, version, frozenset())
        registration = _durable._compile(prepared.rules, family.vocabulary.domains)
        assert "route" not in json.dumps(registration.definition), version.id
        stack = _durable._alpha_stack(registration.definition)
        assert stack <= _durable.STACK_SIZE - _durable.STACK_MARGIN


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


def test_pitfall_16_patterns_per_rule_a_huge_all_is_merged_or_refused() -> None:
    # durable joins at most 16 patterns in a rule: a 17th aborts the process (free())
    run_in_subprocess(_check_huge_all)


def _check_huge_all() -> None:
    domains = {"channel": DOMAINS["channel"], **{f"f{i}": ("a", "b", "c") for i in range(40)}}
    hearing_or_request = FactTest("channel", {"hearing", "request"})
    # 513 tests of one fact: merged into one, the rule is small
    engine = matcher(
        rule("same", All([hearing_or_request] * 513)),
        rule("narrowing", All([hearing_or_request, FactTest("channel", {"hearing", "other"})])),
        rule("widening", Any_([REQUEST] * 300 + [FactTest("channel", {"hearing"})])),
        rule("empty", All([REQUEST, FactTest("channel", {"hearing"})])),
        domains=domains,
    )
    assert engine.match({"channel": "hearing"}) == {
        "same": True,
        "narrowing": True,
        "widening": True,
        "empty": False,
    }
    assert engine.match({"channel": "request"}) == {
        "same": True,
        "narrowing": False,
        "widening": True,
        "empty": False,
    }
    assert engine.match({}) == {"same": None, "narrowing": None, "widening": None, "empty": None}
    # 600 distinct groups of tests: more than 16 patterns, refused before durable sees it
    groups = [
        Any_([FactTest(f"f{i}", {"a"}), FactTest(f"f{j}", {"b"})])
        for i in range(40)
        for j in range(i + 1, 40)
    ][:600]
    with pytest.raises(EngineError, match="at most 16"):
        matcher(rule("huge", All(groups)), domains=domains)


def test_pitfall_import_fails_on_python_313_so_durable_is_imported_lazily() -> None:
    result = run_python(
        """
        import sys
        import disclosure._engines.durable as backend
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


@budget(1, slow_generation=True)
@given(
    whens=st.lists(conditions, min_size=1, max_size=4),
    situations=st.lists(situations_strategy, min_size=1, max_size=8),
)
def test_match_agrees_with_three_valued_evaluation(
    whens: list[Condition], situations: list[dict[str, Any]]
) -> None:
    _check_agreement(whens, situations)


@budget(0.6, slow_generation=True)
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


def _explode(self: Any, message: str, firings: list[tuple[str, str]]) -> None:
    """An action with a bug."""
    raise RuntimeError("exploded")


def _patterns(durable_rule: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for term in durable_rule["all"]:
        yield from term.values()
