"""Bulk evaluation (disclosure._decide.bulk): order, errors in place, agreement with evaluate,
streaming in constant memory, versions chosen by each situation's date, compare, impact.

No test here is timed: tests/benchmarks/ measures speed."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import tracemalloc
import types
from collections import Counter
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import disclosure
from disclosure._decide import bulk as _bulk
from disclosure._decide.bulk import BulkError, compare_many, evaluate_many, impact
from disclosure.ir import Situation
from disclosure.properties import durable_available
from disclosure.strategies import invalid_values, partial_situations, situations

from support import FAMILY as MINI
from support import budget, situation

BELGIAN = disclosure.load()
VERSION_NAMES = [version.name for version in BELGIAN.versions]


def expected(facts: Any, family: disclosure.Family, index: int, detail: str, **terms: Any) -> Any:
    """What evaluate says of one situation, in evaluate_many's terms."""
    try:
        decision = disclosure.evaluate(facts, family=family, **terms)
    except disclosure.DisclosureError as error:
        return BulkError(index, type(error).__name__, str(error))
    return decision.outcome if detail == "outcome" else decision


def expected_all(items: list[Any], family: disclosure.Family, detail: str, **terms: Any) -> list:
    return [expected(s, family, i, detail, **terms) for i, s in enumerate(items)]


MIXED = [
    situation(),
    situation(info="medical"),
    {"learned": True, "channel": "request"},  # incomplete
    situation(learned=1),  # 1 is not true
    {**situation(), "requestor": "police"},  # unknown fact
    situation(authority="judge"),  # outside the domain
    situation(channel="own_initiative", authority="court"),  # impossible
    situation(date="2012-05-01"),
    situation(date="1990-01-01"),  # before the first version
    situation(date="not a date"),
    "not a mapping",
    situation(authority="police"),
    situation(info=["admin"]),  # unhashable
    situation(learned=None),  # explicit null: not known
]


@pytest.mark.parametrize("detail", ["outcome", "decision"])
@pytest.mark.parametrize(
    "terms",
    [{}, {"version": "new"}, {"on": "2012-03-04"}, {"version": "old", "known_on": "2020-01-01"}],
    ids=["by-date", "version", "on", "version-known-on"],
)
@pytest.mark.parametrize("chunk_size", [1, 3, 1024])
def test_results_keep_the_order_and_errors_stand_in_place(
    detail: str, terms: dict[str, Any], chunk_size: int
) -> None:
    items = MIXED * 3  # the second and third rounds hit the tables filled by the first
    results = list(
        evaluate_many(items, detail=detail, family=MINI, chunk_size=chunk_size, **terms)  # type: ignore[call-overload]
    )
    assert results == expected_all(items, MINI, detail, **terms)
    errors = [r for r in results if isinstance(r, BulkError)]
    assert errors, "the mixed list has bad situations"
    # each error stands for the item at its index: evaluating that item alone raises it
    for error in errors:
        with pytest.raises(disclosure.DisclosureError) as raised:
            disclosure.evaluate(items[error.index], family=MINI, **terms)
        assert (error.error_type, error.message) == (type(raised.value).__name__, str(raised.value))
    assert [r.index for r in errors] == [
        i for i, r in enumerate(results) if isinstance(r, BulkError)
    ]


@pytest.mark.parametrize("detail", ["outcome", "decision"])
def test_a_bool_fact_given_as_a_number_is_an_error_even_after_its_key_is_known(
    detail: str,
) -> None:
    # 1 == True and hash(1) == hash(True): a table hit alone would accept it
    items = [situation(), situation(learned=1), situation(learned=1.0), situation(learned=0)]
    results = list(evaluate_many(items * 300, version="new", detail=detail, family=MINI))  # type: ignore[call-overload]
    assert results == expected_all(items * 300, MINI, detail, version="new")
    assert not isinstance(results[0], BulkError)
    assert all(isinstance(r, BulkError) for i, r in enumerate(results) if i % 4)


def test_an_unknown_fact_is_an_error_even_when_the_others_are_known() -> None:
    items = [situation(), {**situation(), "extra": "x"}] * 600
    results = list(evaluate_many(items, version="new", detail="outcome", family=MINI))
    assert all(isinstance(r, disclosure.Outcome) for r in results[::2])
    assert all(
        isinstance(r, BulkError) and "unknown fact 'extra'" in r.message for r in results[1::2]
    )


def test_other_mappings_and_situation_objects_are_accepted() -> None:
    facts = {
        "holder": "cpas_staff",
        "learned_through_profession": True,
        "channel": "request",
        "authority": "procureur_du_roi",
        "request_form": "written_reasoned",
        "offence": "terrorist_offence",
        "information": "administrative",
        "serious_indications": False,
        "danger": "none",
        "only_means": False,
        "safe_to_act": True,
        "victim_vulnerable": False,
        "consultation_basis": "none",
        "consultation_purpose": "none",
    }
    typed = Situation(**{k: v for k, v in facts.items() if k in attrs.fields_dict(Situation)})
    items = [facts, types.MappingProxyType(facts), typed] * 2
    got = list(evaluate_many(items, version="terrorism-2017"))
    assert got == expected_all(items, BELGIAN, "decision", version="terrorism-2017")


@budget(0.6, slow_generation=True)
@given(
    st.lists(situations(BELGIAN), min_size=1, max_size=40),
    st.sampled_from(VERSION_NAMES),
    st.sampled_from(["outcome", "decision"]),
)
def test_complete_situations_get_what_evaluate_gives(
    items: list[dict[str, Any]], version: str, detail: str
) -> None:
    got = list(evaluate_many(items * 2, version=version, detail=detail, chunk_size=7))  # type: ignore[call-overload]
    assert got == expected_all(items * 2, BELGIAN, detail, version=version)


@budget(0.4, slow_generation=True)
@given(
    st.lists(situations(BELGIAN), min_size=1, max_size=30),
    st.sampled_from([None, "2018-06-01", "2024-01-15"]),
    st.sampled_from([None, "2018-06-01", "2026-06-01"]),
)
def test_undated_decisions_under_on_and_known_on_are_evaluate_s(
    items: list[dict[str, Any]], on: str | None, known_on: str | None
) -> None:
    """Undated situations take the chunk path that builds decisions in one comprehension;
    with ``on`` each decision's facts carry that date, as evaluate's do."""
    terms = {"on": on, "known_on": known_on} if on else {"version": "prior"}
    got = list(evaluate_many(items * 2, detail="decision", chunk_size=5, **terms))
    assert got == expected_all(items * 2, BELGIAN, "decision", **terms)


@budget(0.4, slow_generation=True)
@given(
    st.lists(partial_situations(BELGIAN), min_size=1, max_size=20),
    st.sampled_from(VERSION_NAMES),
    st.sampled_from(["outcome", "decision"]),
)
def test_partial_situations_get_what_evaluate_gives(
    items: list[dict[str, Any]], version: str, detail: str
) -> None:
    got = list(evaluate_many(items, version=version, detail=detail))  # type: ignore[call-overload]
    assert got == expected_all(items, BELGIAN, detail, version=version)


@budget(0.4, slow_generation=True)
@given(
    st.lists(
        st.tuples(situations(BELGIAN), invalid_values(BELGIAN), st.booleans()),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from(["outcome", "decision"]),
)
def test_invalid_situations_get_the_error_evaluate_raises(
    drawn: list[tuple[dict[str, Any], tuple[str, Any], bool]], detail: str
) -> None:
    items = [{**s, bad[0]: bad[1]} if spoil else s for s, bad, spoil in drawn]
    got = list(evaluate_many(items * 2, version="prior", detail=detail))  # type: ignore[call-overload]
    assert got == expected_all(items * 2, BELGIAN, detail, version="prior")


DATES = st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2027, 12, 31))


@budget(0.4, slow_generation=True)
@given(
    st.lists(st.tuples(situations(BELGIAN), DATES, st.sampled_from(["iso", "date"])), max_size=25),
    st.sampled_from(["outcome", "decision"]),
    st.sampled_from([None, "2018-06-01", "2026-01-01"]),
)
def test_each_situation_is_evaluated_under_the_law_of_its_date(
    drawn: list[tuple[dict[str, Any], dt.date, str]], detail: str, known_on: str | None
) -> None:
    items = [
        {"date": day.isoformat() if form == "iso" else day, **facts} for facts, day, form in drawn
    ]
    got = list(evaluate_many(items, detail=detail, known_on=known_on, chunk_size=5))  # type: ignore[call-overload]
    assert got == expected_all(items, BELGIAN, detail, known_on=known_on)


def test_the_date_picks_the_version_and_stays_in_the_decision() -> None:
    dated = [situation(date=day) for day in ("2005-06-01", "2012-06-01", "2016-06-01")]
    decisions = list(evaluate_many(dated * 2, family=MINI))
    assert [d.receipt.version for d in decisions] == ["2000-01-01", "2010-01-01", "2015-01-01"] * 2
    assert [d.facts["date"] for d in decisions[3:]] == [
        dt.date(2005, 6, 1),
        dt.date(2012, 6, 1),
        dt.date(2016, 6, 1),
    ]
    outcomes = list(evaluate_many(dated, detail="outcome", family=MINI))
    assert outcomes == [d.outcome for d in decisions[:3]]


def test_decisions_on_equal_facts_carry_each_situation_s_own_facts_and_date() -> None:
    first, second = situation(date="2011-01-01"), situation(date="2012-02-02")
    a, b = evaluate_many([first, second], family=MINI)
    assert isinstance(a, disclosure.Decision)
    assert isinstance(b, disclosure.Decision)
    assert a.trace == b.trace  # one settlement
    assert a.facts["date"] == dt.date(2011, 1, 1)
    assert b.facts["date"] == dt.date(2012, 2, 2)
    assert a.receipt.on == dt.date(2011, 1, 1)
    assert b.receipt.on == dt.date(2012, 2, 2)
    assert a.facts is not b.facts
    b.facts["channel"] = "changed"  # type: ignore[index]
    assert a.facts["channel"] == "request"


def test_a_disagreeing_date_and_on_is_the_error_evaluate_raises() -> None:
    items = [situation(date="2012-01-01"), situation(date="2012-03-04"), situation()]
    got = list(evaluate_many(items, on="2012-03-04", detail="outcome", family=MINI))
    assert got == expected_all(items, MINI, "outcome", on="2012-03-04")
    assert isinstance(got[0], BulkError)
    assert got[0].error_type == "FactError"


def huge() -> Iterator[dict[str, Any]]:
    """An endless stream of situations: materialising it would never end."""
    pool = [situation(), situation(info="medical"), situation(authority="court")]
    for i in itertools.count():
        yield dict(pool[i % len(pool)])


@pytest.mark.parametrize("detail", ["outcome", "decision"])
def test_an_endless_stream_is_consumed_lazily(detail: str) -> None:
    results = evaluate_many(huge(), version="new", detail=detail, family=MINI)  # type: ignore[call-overload]
    first = list(itertools.islice(results, 3000))
    assert len(first) == 3000


def test_memory_stays_flat_over_a_long_stream() -> None:
    def peak(count: int) -> int:
        stream = evaluate_many(huge(), version="new", detail="outcome", family=MINI)
        tracemalloc.start()
        try:
            for _ in itertools.islice(stream, count):
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(5_000)  # fill the tables first
    small, large = peak(10_000), peak(200_000)
    # 200,000 situations materialised would take tens of megabytes
    assert large < small + 1_000_000


def test_results_come_before_the_next_situation_is_read_with_chunk_size_1() -> None:
    read: list[int] = []

    def source() -> Iterator[dict[str, Any]]:
        for i in range(5):
            read.append(i)
            yield situation()

    for i, _ in enumerate(
        evaluate_many(source(), version="new", detail="outcome", family=MINI, chunk_size=1)
    ):
        assert read == list(range(i + 1))


def test_tables_stay_bounded_and_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_bulk, "MAX_OUTCOMES", 2)
    monkeypatch.setattr(_bulk, "MAX_DECISIONS", 2)
    monkeypatch.setattr(_bulk, "MAX_DATES", 2)
    _bulk._tables.clear()
    _bulk._plans.clear()
    items = [
        situation(date=f"2012-01-0{day}", info=info, authority=authority)
        for day in range(1, 8)
        for info in ("admin", "medical")
        for authority in ("prosecutor", "court", "police")
    ] * 2
    for detail in ("outcome", "decision"):
        got = list(evaluate_many(items, detail=detail, family=MINI, chunk_size=5))  # type: ignore[call-overload]
        assert got == expected_all(items, MINI, detail)
    assert sum(len(table.outcomes) for table in _bulk._tables.values()) <= 2
    _bulk._tables.clear()
    _bulk._plans.clear()


def test_threads_share_the_tables_and_agree() -> None:
    items = MIXED * 200
    want = expected_all(items, MINI, "outcome", version="new")
    found: list[list[Any]] = []

    def run() -> None:
        found.append(list(evaluate_many(items, version="new", detail="outcome", family=MINI)))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [want] * 4


@pytest.mark.skipif(not durable_available(), reason="durable_rules unavailable")
@budget(0.1, slow_generation=True)
@given(st.lists(situations(BELGIAN), min_size=1, max_size=8), st.sampled_from(VERSION_NAMES))
def test_the_durable_engine_gives_the_same_outcomes(
    items: list[dict[str, Any]], version: str
) -> None:
    got = list(evaluate_many(items, version=version, detail="outcome", engine="durable"))
    assert got == expected_all(items, BELGIAN, "outcome", version=version, engine="durable")


@pytest.mark.parametrize(
    ("terms", "error"),
    [
        ({"version": "nope"}, disclosure.VersionError),
        ({"engine": "rete"}, disclosure.EngineError),
        ({"readings": {"police_scope": "maybe"}}, disclosure.ReadingError),
        ({"on": "someday"}, disclosure.FactError),
        ({"detail": "everything"}, disclosure.DisclosureError),
        ({"chunk_size": 0}, disclosure.DisclosureError),
    ],
)
def test_bad_arguments_raise_at_once(terms: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        evaluate_many(huge(), family=MINI, **terms)


def test_readings_are_those_of_evaluate() -> None:
    items = [situation(authority="police"), situation()]
    for reading in ("strict", "broad"):
        got = list(
            evaluate_many(items, version="new", readings={"police_scope": reading}, family=MINI)
        )
        assert got == expected_all(
            items, MINI, "decision", version="new", readings={"police_scope": reading}
        )


# -- compare and impact -------------------------------------------------------------------


@budget(0.3, slow_generation=True)
@given(
    st.lists(situations(BELGIAN), min_size=1, max_size=30),
    st.lists(st.sampled_from(VERSION_NAMES), min_size=2, max_size=3),
    st.sampled_from([None, "2026-01-01"]),
)
def test_compare_gives_each_version_s_outcome(
    items: list[dict[str, Any]], versions: list[str], known_on: str | None
) -> None:
    got = list(compare_many(items * 2, versions, known_on=known_on, chunk_size=9))
    for index, row in enumerate(got):
        facts = (items * 2)[index]
        assert row == tuple(
            disclosure.evaluate(facts, version=v, known_on=known_on).outcome for v in versions
        )


def test_compare_puts_errors_in_place_and_names_the_version() -> None:
    items = [situation(), situation(authority="judge"), situation(date="2012-01-01")]
    got = list(compare_many(items, ["old", "new"], family=MINI))
    assert got[0] == (
        disclosure.evaluate(items[0], version="old", family=MINI).outcome,
        disclosure.evaluate(items[0], version="new", family=MINI).outcome,
    )
    assert isinstance(got[1], BulkError)
    assert got[1].index == 1
    assert not isinstance(got[2], BulkError)


def test_impact_counts_every_pair_of_outcomes() -> None:
    items = [
        situation(),
        situation(info="medical"),
        situation(authority="court"),
        situation(authority="x"),
    ] * 25
    result = impact(items, "old", "new", family=MINI)
    pairs: Counter[tuple[str, str]] = Counter()
    for facts in items:
        try:
            before = disclosure.evaluate(facts, version="old", family=MINI).outcome
            after = disclosure.evaluate(facts, version="new", family=MINI).outcome
        except disclosure.DisclosureError:
            continue
        pairs[
            (before.value if before else "undetermined", after.value if after else "undetermined")
        ] += 1
    assert dict(result.counts) == dict(pairs)
    assert result.errors == 25
    assert result.total == 100
    assert result.evaluated == 75
    assert result.changed == sum(n for (a, b), n in pairs.items() if a != b)
    assert sum(row.share for row in result.rows) == pytest.approx(1.0)
    assert result.rows[0].count == max(pairs.values())
    assert result.to_dict()["changed"] == result.changed


def test_impact_over_a_sample_agrees_with_compare() -> None:
    from disclosure._decide.sampler import sample_situations

    sample = list(sample_situations(BELGIAN, 3000, seed=5))
    result = impact(sample, "pre-2017", "terrorism-2017")
    rows = list(compare_many(sample, ["pre-2017", "terrorism-2017"]))
    changed = [r for r in rows if not isinstance(r, BulkError) and r[0] != r[1]]
    assert result.total == len(sample)
    assert result.changed == len(changed) > 0
