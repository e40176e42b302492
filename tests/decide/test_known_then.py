"""A decision whose outcome differs as known on the date of the facts and as known later
says so, with both answers (brief §11.1): evaluate, bulk and compare agree."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import disclosure
from disclosure import Outcome

from support import ROOT

EXAMPLES = ROOT / "docs" / "examples"


def _report() -> dict[str, object]:
    facts: dict[str, object] = json.loads(
        (EXAMPLES / "own-initiative-report-2018.json").read_text("utf-8")
    )
    return facts


def test_a_2018_declaration_as_known_today_carries_the_answer_as_known_in_2018() -> None:
    decision = disclosure.evaluate(_report())
    assert decision.outcome is Outcome.FORBIDDEN
    assert decision.winners == ("cic46bis1_p3_reliance",)
    assert decision.sanctions == ()  # no penalty for who obeyed §3 (reading no_liability)
    then = decision.known_then
    assert then is not None
    assert then.known_on == dt.date(2018, 6, 15)
    assert (then.version, then.aliases) == ("2017-09-01", ("terrorism-2017",))
    assert then.outcome is Outcome.OBLIGED
    assert then.winners == ("cic46bis1_p3_report",)
    assert [c.label for c in then.basis] == ["Code d'instruction criminelle, art. 46bis/1 §3"]
    assert "cic46bis1_p3_report" in then.annulled
    plain = decision.to_dict()["known_then"]
    assert plain["outcome"] == "obliged"
    assert plain["known_on"] == "2018-06-15"


def test_under_reading_exposed_the_penalty_is_at_stake_and_both_answers_are_given() -> None:
    decision = disclosure.evaluate(_report(), readings={"p3_reliance": "exposed"})
    assert decision.outcome is Outcome.FORBIDDEN
    assert [s.id for s in decision.sanctions] == ["cp458_penalty"]
    assert decision.known_then is not None
    assert decision.known_then.outcome is Outcome.OBLIGED


@pytest.mark.parametrize(
    "terms",
    [
        {"known_on": "2018-06-15"},  # as known on the date itself
        {"known_on": "2019-03-13"},  # before the judgment: §3 still stands
        {"version": "terrorism-2017"},  # a version named without known_on: as enacted
        {"version": "post-annulment"},
    ],
)
def test_no_second_answer_when_the_law_read_is_the_law_known_on_the_date(
    terms: dict[str, str],
) -> None:
    assert disclosure.evaluate(_report(), **terms).known_then is None  # type: ignore[arg-type]


@pytest.mark.parametrize("date", ["2016-05-02", "2017-08-20", "2019-03-14", "2024-03-12"])
def test_no_second_answer_outside_the_years_of_the_annulled_paragraph(date: str) -> None:
    assert disclosure.evaluate({**_report(), "date": date}).known_then is None


def test_the_same_outcome_either_way_gives_no_second_answer() -> None:
    # medical data were never covered by §3: forbidden as known then and now
    medical = {**_report(), "information": "medical"}
    decision = disclosure.evaluate(medical)
    assert decision.outcome is Outcome.FORBIDDEN
    assert decision.known_then is None


def test_a_named_version_read_as_known_later_carries_the_earlier_answer() -> None:
    decision = disclosure.evaluate(_report(), version="terrorism-2017", known_on="2024-01-01")
    assert decision.known_then is not None
    assert decision.known_then.outcome is Outcome.OBLIGED
    comparison = disclosure.compare(_report(), ["terrorism-2017@2018-06-15", "terrorism-2017"])
    assert comparison.decision("terrorism-2017@2018-06-15").known_then is None


def test_bulk_decisions_equal_evaluate_with_the_earlier_answer() -> None:
    report = _report()
    situations = [
        report,
        {**report, "date": "2018-01-10"},
        {**report, "date": "2019-05-01"},
        {**report, "information": "medical"},
        {k: v for k, v in report.items() if k != "danger"},  # partial
        {**report, "holder": "social_security_staff", "information": "administrative"},
    ] * 40
    expected = [disclosure.evaluate(s) for s in situations]
    found = list(disclosure.evaluate_many(situations))
    assert found == expected
    assert [d.known_then is not None for d in found[:6]] == [True, True, False, False, True, True]
    for chunk in (1, 7):
        again = list(disclosure.evaluate_many(situations, chunk_size=chunk))
        assert again == expected
    known = list(disclosure.evaluate_many(situations[:6], known_on="2020-01-01"))
    assert known == [disclosure.evaluate(s, known_on="2020-01-01") for s in situations[:6]]


def test_both_engines_give_the_same_earlier_answer() -> None:
    from disclosure._engines.durable import durable_available

    if not durable_available():
        pytest.skip("durable_rules is not available")
    compiled = disclosure.evaluate(_report())
    durable = disclosure.evaluate(_report(), engine="durable")
    assert durable.known_then == compiled.known_then
