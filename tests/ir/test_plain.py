"""plain() is the canonical JSON's data without the round trip through text: the same
values, with the keys in the same order, for decisions drawn from every version (the
JSON layouts and content hashes rest on it)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import disclosure
from disclosure._ir.ruleset import canonical_json, plain
from disclosure.strategies import partial_situations

from support import budget

FAMILY = disclosure.load()


def ordered(value: Any) -> Any:
    """``value`` with every mapping as a list of its items, so that == compares order."""
    if isinstance(value, dict):
        return [(key, ordered(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [ordered(item) for item in value]
    return value


@budget(0.5, slow_generation=True)
@given(partial_situations(FAMILY), st.sampled_from([v.id for v in FAMILY.versions]))
def test_plain_is_the_canonical_json_data_in_its_order(facts: dict[str, Any], version: str) -> None:
    decision = disclosure.evaluate(facts, version=version, known_on=dt.date.today())
    assert ordered(plain(decision)) == ordered(json.loads(canonical_json(decision)))
    as_dict = decision.to_dict()
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert as_dict["facts"] == json.loads(canonical_json(decision.facts))
