"""disclosure.properties: each check passes on a sound family and fails, with a readable
message and the counter-example, on a deliberately broken one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import settings

import disclosure
from disclosure import properties
from disclosure._engines.prepared import PreparedVersion
from disclosure.ir import All, Outcome
from disclosure.properties import (
    check_deterministic,
    check_engines_agree,
    check_monotone,
    check_no_conflict,
    check_total,
    check_unchanged_outside,
    durable_available,
    for_all,
)

from support import CLEAN, CLEAN_RULES, LEARNED, budget, family, is_, version, with_rules
from support import clean_rule as rule

FEW = settings(budget(0.4), database=None)
SITUATION = {"learned": True, "channel": "request", "authority": "prosecutor", "info": "admin"}
GAPPY = family(version(rules=[r for r in CLEAN_RULES if r.id != "not_engaged"]))
CONFLICTED = with_rules(
    rule(
        "hearing_medical",
        All(
            (LEARNED, is_("channel", "hearing"), is_("authority", "court"), is_("info", "medical"))
        ),
        Outcome.FORBIDDEN,
    )
)
needs_durable = pytest.mark.skipif(not durable_available(), reason="durable_rules unavailable")


@pytest.mark.parametrize(
    "check", [check_deterministic, check_total, check_no_conflict, check_engines_agree]
)
def test_every_check_holds_on_the_clean_family(check: Any) -> None:
    if check is check_engines_agree and not durable_available():
        pytest.skip("durable_rules unavailable")
    for_all(check, CLEAN, settings=FEW, version="2000-01-01")()
    for_all(check, CLEAN, complete=False, settings=FEW, version="2000-01-01")()


def test_total_fails_on_a_gap_with_the_situation() -> None:
    situation = {**SITUATION, "learned": False}
    with pytest.raises(AssertionError) as caught:
        check_total(GAPPY, situation, version="2000-01-01")
    message = str(caught.value)
    assert message.startswith("not total: a gap: no rule applies")
    assert "situation: learned=False, channel=request, authority=prosecutor, info=admin" in message
    assert "GapError" in message


def test_total_fails_on_a_partial_situation_one_of_whose_completions_is_a_gap() -> None:
    check_total(GAPPY, {"learned": True}, version="2000-01-01")  # every completion answered
    with pytest.raises(AssertionError) as caught:
        check_total(GAPPY, {"channel": "hearing"}, version="2000-01-01")
    message = str(caught.value)
    assert "a possible completion of this partial situation has gap" in message
    assert "completion: learned=False, channel=hearing" in message


def test_for_all_finds_the_gap_and_shrinks_it() -> None:
    with pytest.raises(
        AssertionError, match="learned=False, channel=request, authority=prosecutor"
    ):
        for_all(check_total, GAPPY, settings=FEW, version="2000-01-01")()


def test_no_conflict_fails_naming_both_rules() -> None:
    situation = {"learned": True, "channel": "hearing", "authority": "court", "info": "medical"}
    with pytest.raises(AssertionError) as caught:
        check_no_conflict(CONFLICTED, situation, version="2000-01-01")
    message = str(caught.value)
    assert "ConflictError" in message
    assert "testimony: permitted" in message
    assert "hearing_medical: forbidden" in message
    check_no_conflict(GAPPY, {**situation, "learned": False}, version="2000-01-01")  # a gap


def test_no_conflict_checks_every_completion_of_a_partial_situation() -> None:
    with pytest.raises(AssertionError, match="conflict in a possible completion"):
        check_no_conflict(CONFLICTED, {"channel": "hearing"}, version="2000-01-01")
    check_no_conflict(CONFLICTED, {"channel": "request"}, version="2000-01-01")


def test_no_conflict_follows_the_readings() -> None:
    police = rule(
        "police_medical",
        All((LEARNED, is_("authority", "police"), is_("info", "medical"))),
        Outcome.FORBIDDEN,
    )
    fam = with_rules(police)
    situation = {"learned": True, "channel": "request", "authority": "police", "info": "medical"}
    check_no_conflict(fam, situation, version="2000-01-01")
    with pytest.raises(AssertionError, match="police_medical"):
        check_no_conflict(fam, situation, version="2000-01-01", readings={"police_scope": "broad"})


@needs_durable
def test_engines_agree_fails_when_one_engine_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    real = PreparedVersion.durable

    class Flipped:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def match(self, situation: Mapping[str, Any]) -> dict[str, bool | None]:
            status = self.inner.match(situation)
            return {**status, "testimony": not status["testimony"]}

    monkeypatch.setattr(PreparedVersion, "durable", lambda self: Flipped(real(self)))
    with pytest.raises(AssertionError) as caught:
        check_engines_agree(CLEAN, SITUATION, version="2000-01-01")
    message = str(caught.value)
    assert message.startswith("the engines disagree")
    assert "compiled: obliged" in message
    assert "testimony: compiled not_applicable, durable" in message


def test_deterministic_fails_when_answers_differ(monkeypatch: pytest.MonkeyPatch) -> None:
    real = properties.evaluate
    calls = {"n": 0}

    def flaky(facts: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        readings = {"police_scope": "broad"} if calls["n"] > 1 else None
        return real(facts, **{**kwargs, "readings": readings})

    monkeypatch.setattr(properties, "evaluate", flaky)
    with pytest.raises(AssertionError, match="not deterministic"):
        check_deterministic(CLEAN, SITUATION, version="2000-01-01")


def test_unchanged_outside_compares_inside_where_only() -> None:
    later = version(
        "2010-01-01",
        [r for r in CLEAN_RULES if r.id != "request"],
        start=disclosure.load().versions[0].valid_from.replace(year=2010),
        extends="2000-01-01",
    )
    first = version(end=later.valid_from.replace(year=2009, month=12, day=31))
    fam = family(first, later)
    outside = {"channel": ["hearing", "own_initiative"]}
    assert check_unchanged_outside(
        fam,
        {**SITUATION, "channel": "hearing", "authority": "court"},
        "2000-01-01",
        "2010-01-01",
        where=outside,
    )
    assert not check_unchanged_outside(fam, SITUATION, "2000-01-01", "2010-01-01", where=outside)
    with pytest.raises(AssertionError) as caught:
        check_unchanged_outside(fam, SITUATION, "2000-01-01", "2010-01-01")
    message = str(caught.value)
    assert "2000-01-01 and 2010-01-01 differ inside where={}" in message
    assert "2000-01-01: obliged" in message
    assert "2010-01-01: forbidden" in message
    for_all(
        check_unchanged_outside, fam, where=outside, settings=FEW, a="2000-01-01", b="2010-01-01"
    )()
    with pytest.raises(AssertionError):
        for_all(check_unchanged_outside, fam, settings=FEW, a="2000-01-01", b="2010-01-01")()


def test_monotone_passes_rising_and_fails_falling() -> None:
    # a court hearing: the secret (forbidden) gives way to testimony (permitted)
    situation = {"learned": True, "channel": "hearing", "authority": "police", "info": "admin"}
    values = ["police", "court"]
    assert check_monotone(CLEAN, situation, "authority", values=values, version="2000-01-01") == [
        ("police", Outcome.FORBIDDEN),
        ("court", Outcome.PERMITTED),
    ]
    with pytest.raises(AssertionError, match="the outcome goes down from authority='court'"):
        check_monotone(CLEAN, situation, "authority", values=values[::-1], version="2000-01-01")
    check_monotone(
        CLEAN, situation, "authority", values=values[::-1], decreasing=True, version="2000-01-01"
    )


def test_monotone_fails_on_outcomes_the_order_does_not_rank() -> None:
    with pytest.raises(AssertionError, match="not ranked by the order"):
        check_monotone(CLEAN, SITUATION, "learned", version="2000-01-01")
    order = [Outcome.NOT_APPLICABLE, Outcome.FORBIDDEN, Outcome.PERMITTED, Outcome.OBLIGED]
    check_monotone(CLEAN, SITUATION, "learned", order=order, version="2000-01-01")


def test_monotone_skips_values_that_make_the_situation_impossible() -> None:
    situation = {**SITUATION, "channel": "hearing", "authority": "court"}
    seen = check_monotone(
        CLEAN,
        situation,
        "channel",
        values=["own_initiative", "request", "hearing"],
        version="2000-01-01",
    )
    assert [value for value, _ in seen] == ["request", "hearing"]


def test_input_errors_propagate_as_disclosure_errors() -> None:
    with pytest.raises(disclosure.FactError):
        check_total(CLEAN, {**SITUATION, "colour": "red"}, version="2000-01-01")
    with pytest.raises(disclosure.VersionError):
        check_no_conflict(CLEAN, SITUATION, version="1999")
    with pytest.raises(disclosure.FactError):
        check_monotone(CLEAN, SITUATION, "colour", version="2000-01-01")
