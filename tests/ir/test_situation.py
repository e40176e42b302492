"""disclosure.Situation mirrors the bundled vocabulary, so it cannot drift from it."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import disclosure
from disclosure import FactError, Situation


def test_situation_has_exactly_the_facts_and_domains_of_the_bundled_vocabulary() -> None:
    vocabulary = disclosure.load().vocabulary
    fields = {f.name: f for f in attrs.fields(Situation)}
    assert list(fields) == list(vocabulary.names)
    for fact in vocabulary.condition_facts:
        for value in fact.values:
            Situation(**{fact.name: value})  # every value of the domain is accepted
        if fact.kind == "enum":
            with pytest.raises(FactError, match="allowed values"):
                Situation(**{fact.name: "not_a_value"})


def test_misspelt_value_is_a_fact_error_with_a_suggestion() -> None:
    with pytest.raises(FactError, match="did you mean 'procureur_du_roi'"):
        Situation(authority="procureur_du_rio")


@given(st.builds(Situation))
def test_any_buildable_situation_is_accepted_by_evaluate_or_rejected_with_a_fact_error(
    situation: Situation,
) -> None:
    try:
        decision = disclosure.evaluate(situation, version="post-annulment")
    except FactError:
        return  # an impossible combination: rejected with a clear error
    assert decision.facts == {k: v for k, v in situation.as_facts().items() if k != "date"}
