"""The evaluation pipeline on a tiny IR family: conditions, settlement, time, decisions."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disclosure import (
    ConflictError,
    FactError,
    Outcome,
    ReadingError,
    VersionError,
)
from disclosure._analysis.compare import compare_in, parse_side
from disclosure._decide.evaluate import evaluate_in
from disclosure._ir.conditions import compile_condition, compile_condition_3v, to_positive
from disclosure.ir import (
    All,
    Any_,
    Condition,
    Not,
    combine_conclusions,
    evaluate_condition,
    evaluate_condition_3v,
    settle,
)

from support import (
    FAMILY,
    MEDICAL,
    NOT_ENGAGED,
    REQUEST,
    SECRET,
    TESTIMONY,
    VOCABULARY,
    fact_test,
    rule,
    situation,
)

DOMAINS = VOCABULARY.domains


def conditions() -> st.SearchStrategy[Condition]:
    tests = st.sampled_from(sorted(DOMAINS)).flatmap(
        lambda fact: st.sets(st.sampled_from(DOMAINS[fact]), max_size=3).map(
            lambda values: fact_test(fact, *values)
        )
    )
    return st.recursive(
        tests,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3).map(lambda items: All(tuple(items))),
            st.lists(inner, max_size=3).map(lambda items: Any_(tuple(items))),
            inner.map(Not),
        ),
        max_leaves=8,
    )


def complete_situations() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({f: st.sampled_from(v) for f, v in DOMAINS.items()})


def partial_situations() -> st.SearchStrategy[dict[str, Any]]:
    return complete_situations().flatmap(
        lambda s: st.sets(st.sampled_from(sorted(s))).map(
            lambda drop: {k: v for k, v in s.items() if k not in drop}
        )
    )


# -- conditions -----------------------------------------------------------------------


@given(conditions(), complete_situations())
def test_compiled_condition_equals_interpreted(condition: Condition, facts: dict[str, Any]) -> None:
    assert compile_condition(condition)(facts) == evaluate_condition(condition, facts)


@given(conditions(), partial_situations())
def test_compiled_three_valued_equals_interpreted(
    condition: Condition, facts: dict[str, Any]
) -> None:
    assert compile_condition_3v(condition)(facts) == evaluate_condition_3v(condition, facts)


@given(conditions(), complete_situations(), st.booleans())
def test_positive_form_is_equivalent_and_has_no_negation(
    condition: Condition, facts: dict[str, Any], negate: bool
) -> None:
    positive = to_positive(condition, DOMAINS, negate)
    assert evaluate_condition(positive, facts) == (evaluate_condition(condition, facts) != negate)
    assert "Not(" not in repr(positive)


@given(conditions(), partial_situations())
def test_three_valued_is_sound(condition: Condition, facts: dict[str, Any]) -> None:
    """A definite three-valued answer holds for every completion of the situation."""
    value = evaluate_condition_3v(condition, facts)
    if value is None:
        return
    missing = [f for f in DOMAINS if f not in facts]
    completions: list[dict[str, Any]] = [dict(facts)]
    for fact in missing:
        completions = [{**c, fact: v} for c in completions for v in DOMAINS[fact]]
    assert all(evaluate_condition(condition, c) == value for c in completions)


# -- settlement -----------------------------------------------------------------------


def test_exception_overrides_principle() -> None:
    result = settle((SECRET, TESTIMONY), {"secret", "testimony"})
    assert [r.id for r in result.winners] == ["testimony"]
    assert result.overridden == {"secret": "testimony"}
    assert result.outcome is Outcome.PERMITTED


def test_exception_to_exception_restores_the_prohibition() -> None:
    result = settle((SECRET, REQUEST, MEDICAL), {"secret", "request", "medical_excluded"})
    # medical_excluded sets request aside, so request can no longer set the secret aside
    assert {r.id for r in result.winners} == {"secret", "medical_excluded"}
    assert result.outcome is Outcome.FORBIDDEN


def test_obligation_implies_permission() -> None:
    assert combine_conclusions([Outcome.OBLIGED, Outcome.PERMITTED]) is Outcome.OBLIGED


@pytest.mark.parametrize(
    "conclusions",
    [
        [Outcome.FORBIDDEN, Outcome.PERMITTED],
        [Outcome.NOT_APPLICABLE, Outcome.OBLIGED],
        [Outcome.FORBIDDEN, Outcome.OBLIGED, Outcome.PERMITTED],
    ],
)
def test_disagreement_is_no_outcome(conclusions: list[Outcome]) -> None:
    assert combine_conclusions(conclusions) is None


def test_unordered_disagreement_is_a_conflict() -> None:
    loose = rule("loose", fact_test("learned", True), Outcome.PERMITTED)
    result = settle((SECRET, loose), {"secret", "loose"})
    assert result.conflict == ("secret", "loose")
    assert result.outcome is None


def test_no_applicable_rule_is_a_gap() -> None:
    assert settle((SECRET,), set()).is_gap


# -- time -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2000, 1, 1), "2000-01-01"),
        (dt.date(2009, 12, 31), "2000-01-01"),
        (dt.date(2010, 1, 1), "2010-01-01"),
        (dt.date(2014, 12, 31), "2010-01-01"),
        (dt.date(2015, 1, 1), "2015-01-01"),
        (dt.date(2030, 1, 1), "2015-01-01"),
    ],
)
def test_version_on_both_sides_of_each_boundary(on: dt.date, expected: str) -> None:
    assert FAMILY.version_on(on).id == expected


def test_date_before_every_version_is_a_version_error_naming_the_versions() -> None:
    with pytest.raises(VersionError, match=r"before the first version.*2000-01-01"):
        FAMILY.version_on(dt.date(1999, 12, 31))


def test_a_version_not_yet_known_does_not_govern() -> None:
    # 2010-01-01 was known from 2009-06-01: before that, the old law seemed to go on
    assert FAMILY.version_on(dt.date(2010, 6, 1), known_on=dt.date(2009, 1, 1)).id == "2000-01-01"
    assert FAMILY.version_on(dt.date(2010, 6, 1), known_on=dt.date(2009, 6, 1)).id == "2010-01-01"


def test_unknown_version_name_suggests_the_closest() -> None:
    with pytest.raises(VersionError, match="did you mean 'new'"):
        FAMILY.version("nwe")


def test_a_version_object_must_be_one_of_the_family_s() -> None:
    import disclosure

    own = FAMILY.versions[0]
    assert FAMILY.version(own) is own
    foreign = disclosure.load().version("prior")
    with pytest.raises(VersionError, match="not one of the versions of"):
        FAMILY.version(foreign)
    with pytest.raises(VersionError, match="not one of the versions of"):
        evaluate_in(FAMILY, situation(), version=foreign)


# -- decisions ------------------------------------------------------------------------


def test_obligation_with_trace_basis_and_receipt() -> None:
    decision = evaluate_in(FAMILY, situation(), on="2012-05-01", known_on="2012-06-01")
    assert decision.outcome is Outcome.OBLIGED
    assert decision.winners == ("request",)
    assert decision.rule_trace("secret").status == "overridden"
    assert decision.rule_trace("secret").overridden_by == "request"
    assert decision.rule_trace("testimony").status == "not_applicable"
    assert decision.rule_trace("testimony").failed is not None
    assert decision.rule_trace("testimony").failed.fact == "channel"
    assert decision.receipt.version == "2010-01-01"
    assert decision.receipt.known_on == dt.date(2012, 6, 1)
    assert len(decision.receipt.content_sha256) == 64


def test_retroactive_annulment_depends_on_when_the_law_is_known() -> None:
    before = evaluate_in(FAMILY, situation(), on="2012-05-01", known_on="2014-01-01")
    after = evaluate_in(FAMILY, situation(), on="2012-05-01", known_on="2016-01-01")
    assert before.outcome is Outcome.OBLIGED
    assert after.outcome is Outcome.FORBIDDEN
    assert after.rule_trace("request").status == "annulled"
    assert after.receipt.annulled == ("request",)


def test_named_version_is_taken_as_enacted_unless_known_on_is_given() -> None:
    enacted = evaluate_in(FAMILY, situation(), version="new")
    today = evaluate_in(FAMILY, situation(), version="new", known_on="2016-01-01")
    assert enacted.outcome is Outcome.OBLIGED
    assert enacted.receipt.as_enacted
    assert today.outcome is Outcome.FORBIDDEN


def test_sanctions_come_from_the_winning_rules() -> None:
    decision = evaluate_in(
        FAMILY, situation(channel="own_initiative", authority="police"), version="new"
    )
    assert decision.outcome is Outcome.FORBIDDEN
    assert [s.id for s in decision.sanctions] == ["penalty"]
    assert decision.sanctions[0].trigger == "disclose"


def test_contested_point_names_the_other_reading() -> None:
    facts = situation(channel="own_initiative", authority="police")
    strict = evaluate_in(FAMILY, facts, version="old")
    broad = evaluate_in(FAMILY, facts, version="old", readings={"police_scope": "broad"})
    assert strict.outcome is Outcome.FORBIDDEN
    assert broad.outcome is Outcome.PERMITTED
    (point,) = strict.contested
    assert point.point == "police_scope"
    assert point.reading == "strict"
    assert point.alternatives == {"broad": Outcome.PERMITTED}
    assert strict.rule_trace("police_request").status == "other_reading"


def test_a_decision_that_does_not_touch_a_contested_point_names_none() -> None:
    assert evaluate_in(FAMILY, situation(), version="new").contested == ()


def test_unknown_reading_is_a_reading_error() -> None:
    with pytest.raises(ReadingError, match="did you mean 'broad'"):
        evaluate_in(FAMILY, situation(), version="old", readings={"police_scope": "braod"})
    with pytest.raises(ReadingError, match="unknown contested point"):
        evaluate_in(FAMILY, situation(), version="old", readings={"polise": "broad"})


def test_conflicting_rules_raise_conflict_error_naming_both() -> None:
    loose = rule("loose", fact_test("learned", True), Outcome.PERMITTED)
    broken = FAMILY.versions[0].__class__(
        id="x",
        title=FAMILY.title,
        valid_from=dt.date(2000, 1, 1),
        valid_until=None,
        rules=(SECRET, NOT_ENGAGED, loose),
        sanctions={},
        side_obligations={},
    )
    family = FAMILY.__class__(
        id="broken",
        title=FAMILY.title,
        vocabulary=VOCABULARY,
        contested=(),
        sources={},
        versions=(broken,),
    )
    with pytest.raises(ConflictError) as info:
        evaluate_in(family, situation(), version="x")
    assert info.value.rules == ("secret", "loose")


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"lerned": True}, "did you mean 'learned'"),
        ({"channel": "requets"}, "did you mean 'request'"),
        ({"learned": "yes"}, "must be true or false"),
        ({"channel": "own_initiative", "authority": "court"}, "impossible combination"),
        ({"date": "2012-13-01"}, "ISO date"),
    ],
)
def test_bad_facts_are_fact_errors_that_say_what_would_be_right(
    facts: dict[str, Any], message: str
) -> None:
    with pytest.raises(FactError, match=message):
        evaluate_in(FAMILY, facts, version="old")


def test_date_fact_and_on_must_agree() -> None:
    with pytest.raises(FactError, match="disagree"):
        evaluate_in(FAMILY, {**situation(), "date": "2012-01-01"}, on="2013-01-01")


def test_decision_json_round_trips_and_names_its_schema() -> None:
    decision = evaluate_in(FAMILY, situation(), version="new")
    data = json.loads(decision.to_json())
    assert data["schema"] == "disclosure.decision/1"
    assert data["outcome"] == "obliged"
    assert {entry["rule"]: entry["status"] for entry in data["trace"]}["secret"] == "overridden"
    assert data["receipt"]["as_enacted"] is True


@pytest.mark.parametrize(
    ("lang", "word"), [("fr", "OBLIGÉ"), ("nl", "VERPLICHT"), ("en", "OBLIGED")]
)
def test_explanation_in_three_languages(lang: str, word: str) -> None:
    text = evaluate_in(FAMILY, situation(), version="new").explain(lang)
    assert text.startswith(word)
    assert "request" in text


# -- compare --------------------------------------------------------------------------


def test_compare_names_what_differs_and_the_rules_that_make_it_differ() -> None:
    comparison = compare_in(FAMILY, situation(), ["old", "new"])
    assert comparison.outcomes == {"old": Outcome.FORBIDDEN, "new": Outcome.OBLIGED}
    (contrast,) = comparison.contrasts
    assert contrast.differences["outcome"] == ("forbidden", "obliged")
    changed = {c.rule: (c.before, c.after) for c in contrast.rules}
    assert changed["request"] == ("absent", "applied")
    assert changed["secret"] == ("applied", "overridden")


def test_compare_shows_a_retroactive_annulment_with_known_on_sides() -> None:
    comparison = compare_in(FAMILY, situation(), ["new@2014-01-01", "new@2016-01-01"])
    assert list(comparison.outcomes.values()) == [Outcome.OBLIGED, Outcome.FORBIDDEN]
    assert {c.rule: c.after for c in comparison.contrasts[0].rules}["request"] == "annulled"


def test_side_with_a_bad_date_is_a_version_error() -> None:
    with pytest.raises(VersionError, match="ISO date"):
        parse_side("new@yesterday")


def test_comparison_renders_as_markdown_table() -> None:
    text = compare_in(FAMILY, situation(), ["old", "new"]).to_markdown()
    assert "| `old` |" in text
    assert "`request`" in text
