"""Decisions assembled from shared parts (disclosure._decide.decision_maker) are exactly the
decisions the general pipeline builds from scratch, for every version, choice of readings
and state of annulments; and an engine that disagrees with the tables is explained on its
own terms, not overruled."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import disclosure
from disclosure._decide import decision_maker as _decision_maker
from disclosure._decide.decision import TEMPLATE_FIELDS, decision_from, template_of
from disclosure._decide.decision_maker import DecisionMaker, decision_maker
from disclosure._decide.evaluate import _decide_in_general, decide
from disclosure._decide.sampler import sample_situations
from disclosure._engines.prepared import prepare
from disclosure.ir import resolve_readings
from disclosure.properties import durable_available
from disclosure.strategies import situations

from support import FAMILY as MINI
from support import ROOT, budget

BELGIAN = disclosure.load()
AFTER_ANNULMENT = dt.date(2020, 1, 1)
EXAMPLE = ROOT / "docs/examples/prosecutor-written-request.json"


def every_reading(family: disclosure.Family) -> list[dict[str, str]]:
    points = family.contested
    return [
        dict(zip((p.id for p in points), choice, strict=True))
        for choice in itertools.product(*(p.reading_ids for p in points))
    ]


def terms(family: disclosure.Family) -> list[tuple[Any, ...]]:
    """(version, annulled rules) for each version as enacted and as known today."""
    found = []
    for version in family.versions:
        found.append((version, frozenset()))
        annulled = frozenset(a.rule for a in family.annulled_as_known(version, AFTER_ANNULMENT))
        if annulled:
            found.append((version, annulled))
    return found


BELGIAN_TERMS = terms(BELGIAN)
BELGIAN_READINGS = every_reading(BELGIAN)


def both_ways(
    family: disclosure.Family,
    version: Any,
    annulled: frozenset[str],
    readings: dict[str, str],
    facts: dict[str, Any],
    on: dt.date | None = None,
) -> tuple[Any, Any]:
    prepared = prepare(family, version, annulled)
    chosen = resolve_readings(family, readings)
    valid = family.vocabulary.validate(facts)
    valid.pop("date", None)
    known = AFTER_ANNULMENT if annulled else None
    fast = outcome_or_error(decide, prepared, dict(valid), chosen, "compiled", on, known)
    general = outcome_or_error(
        _decide_in_general, prepared, dict(valid), chosen, "compiled", on, known
    )
    return fast, general


def outcome_or_error(decide: Any, *args: Any) -> Any:
    """The decision, or the error raised (type and message): a ruleset with a gap or a
    conflict must fail the same way on both paths."""
    try:
        return decide(*args)
    except disclosure.DisclosureError as error:
        return type(error), str(error)


@budget(3, slow_generation=True)
@given(
    st.sampled_from(BELGIAN_TERMS),
    st.sampled_from(BELGIAN_READINGS),
    situations(BELGIAN),
    st.sampled_from([None, dt.date(2019, 5, 1)]),
)
def test_assembled_decisions_equal_decisions_built_from_scratch(
    placed: tuple[Any, frozenset[str]], readings: dict[str, str], facts: dict[str, Any], on: Any
) -> None:
    version, annulled = placed
    fast, general = both_ways(BELGIAN, version, annulled, readings, facts, on)
    assert isinstance(fast, disclosure.Decision)  # the Belgian law has no gap or conflict
    assert fast == general
    assert fast.to_dict() == general.to_dict()


@budget(1, slow_generation=True)
@given(st.data())
def test_the_same_holds_for_another_family(data: st.DataObject) -> None:
    version, annulled = data.draw(st.sampled_from(terms(MINI)))
    readings = data.draw(st.sampled_from(every_reading(MINI)))
    facts = data.draw(situations(MINI))
    fast, general = both_ways(MINI, version, annulled, readings, facts)
    assert fast == general


def test_situations_with_the_same_signature_share_their_parts() -> None:
    prepared = prepare(BELGIAN, BELGIAN.version("terrorism-2017"), frozenset())
    readings = resolve_readings(BELGIAN, None)
    maker: DecisionMaker = decision_maker(prepared, readings)
    by_signature: dict[tuple[int, ...], dict[str, Any]] = {}
    pair = None
    for facts in sample_situations(BELGIAN, 500, seed=5):
        facts.pop("date")
        signature = maker.signature(maker.key_of(facts))
        seen = by_signature.setdefault(signature, facts)
        if seen != facts:
            pair = (seen, facts)
            break
    assert pair is not None, "500 situations and no two alike: the sample has changed"
    first, second = (disclosure.evaluate(f, version="terrorism-2017") for f in pair)
    assert first.facts != second.facts
    assert first.trace is second.trace  # one template, shared
    assert second == _decide_in_general(prepared, dict(pair[1]), readings, "compiled", None, None)


def prepared_example() -> dict[str, Any]:
    facts: dict[str, Any] = json.loads(EXAMPLE.read_text())
    facts.pop("date", None)
    return facts


def test_tables_stay_bounded_and_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_decision_maker, "MAX_LOCAL", 3)
    monkeypatch.setattr(_decision_maker, "MAX_TEMPLATES", 2)
    monkeypatch.setattr(_decision_maker, "MAX_VERDICTS", 2)
    version = BELGIAN.version("post-annulment")
    prepared = prepare(BELGIAN, version, frozenset())
    maker = DecisionMaker(prepared, resolve_readings(BELGIAN, None))
    sample = list(sample_situations(BELGIAN, 60, seed=3))
    for facts in sample + sample:
        valid = BELGIAN.vocabulary.validate(facts)
        valid.pop("date", None)
        general = _decide_in_general(prepared, valid, dict(maker.readings), "compiled", None, None)
        template = maker.template(maker.key_of(valid))
        assert decision_from(template, valid, general.receipt) == general
    assert all(len(table) <= 3 for table in maker._tables)
    assert len(maker._templates) <= 2


@pytest.mark.skipif(not durable_available(), reason="durable_rules is not installed")
def test_an_engine_that_disagrees_is_explained_on_its_own_terms(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    version = BELGIAN.version("terrorism-2017")
    prepared = prepare(BELGIAN, version, frozenset())
    facts = prepared_example()
    honest = disclosure.evaluate(facts, version="terrorism-2017", engine="durable")
    durable = prepared.durable()
    real_match = durable.match
    dropped = honest.winners[0]

    def forgetful(situation: Any) -> dict[str, bool | None]:
        answer = dict(real_match(situation))
        answer[dropped] = False  # the engine "misses" the winning rule
        return answer

    monkeypatch.setattr(durable, "match", forgetful)
    try:
        told = disclosure.evaluate(facts, version="terrorism-2017", engine="durable")
    except disclosure.DisclosureError:
        return  # without that rule the ruleset has a gap here: the error says so
    assert dropped not in told.winners
    assert told.rule_trace(dropped).status == "not_applicable"


def test_the_template_is_derived_from_the_decision_fields() -> None:
    """Regression (layout issue): the order of a decision's fields was written in four
    places. A template holds every field but the facts, the receipt and the answer as
    known on the date of the facts (which depends on that date), in attrs' order, and a
    decision rebuilt from it is equal field by field."""
    fields = [field.name for field in attrs.fields(disclosure.Decision)]
    own = ("facts", "receipt", "known_then")
    assert list(TEMPLATE_FIELDS) == [name for name in fields if name not in own]
    example = json.loads(EXAMPLE.read_text("utf-8"))
    for facts in (example, {"holder": "cpas_staff"}):
        decision = disclosure.evaluate(facts, version="terrorism-2017")
        template = template_of(decision)
        fields = [field.name for field in attrs.fields(disclosure.Decision)]
        held = dict(zip(fields, template, strict=True))
        assert {name: held.pop(name) for name in TEMPLATE_FIELDS} == {
            name: getattr(decision, name) for name in TEMPLATE_FIELDS
        }
        assert set(held.values()) == {None}  # the decision's own fields are left out
        assert decision_from(template, decision.facts, decision.receipt) == decision
