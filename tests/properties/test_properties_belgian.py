"""The Belgian rulesets hold the properties of disclosure.properties, on situations drawn
by disclosure.strategies: the toolkit, used on the project's own law."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import disclosure
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
from disclosure.strategies import partial_situations, situations

from support import budget

FAMILY = disclosure.load()
VERSIONS = [version.name for version in FAMILY.versions]
NOT_TERRORISM = ["radicalisation_only", "offence_against_vulnerable", "other_offence", "none"]

needs_durable = pytest.mark.skipif(not durable_available(), reason="durable_rules unavailable")


readings = st.fixed_dictionaries(
    {point.id: st.sampled_from(point.reading_ids) for point in FAMILY.contested}
)


def test_the_bundled_family_has_the_five_versions() -> None:
    assert VERSIONS == ["pre-2017", "prior", "terrorism-2017", "post-annulment", "new-penal-code"]


@pytest.mark.parametrize("version", VERSIONS)
def test_total_and_conflict_free_under_every_reading(version: str) -> None:
    @budget(1.5, slow_generation=True)
    @given(situations(FAMILY), readings)
    def check(situation: dict[str, Any], chosen: dict[str, str]) -> None:
        check_total(FAMILY, situation, version=version, readings=chosen)
        check_no_conflict(FAMILY, situation, version=version, readings=chosen)

    check()


@pytest.mark.parametrize("version", VERSIONS)
def test_partial_situations_are_total_in_every_completion(version: str) -> None:
    for_all(
        check_total,
        FAMILY,
        complete=False,
        settings=budget(0.15, slow_generation=True),
        version=version,
    )()


@pytest.mark.parametrize("version", VERSIONS)
def test_deterministic(version: str) -> None:
    for_all(
        check_deterministic, FAMILY, settings=budget(0.4, slow_generation=True), version=version
    )()


@needs_durable
@pytest.mark.parametrize("version", VERSIONS)
def test_engines_agree(version: str) -> None:
    @budget(0.6, slow_generation=True)
    @given(situations(FAMILY), readings)
    def check(situation: dict[str, Any], chosen: dict[str, str]) -> None:
        check_engines_agree(FAMILY, situation, version=version, readings=chosen)

    check()


@needs_durable
@pytest.mark.parametrize("version", ["prior", "terrorism-2017"])
def test_engines_agree_on_partial_situations(version: str) -> None:
    @budget(0.1, slow_generation=True)
    @given(partial_situations(FAMILY))
    def check(situation: dict[str, Any]) -> None:
        check_engines_agree(FAMILY, situation, version=version)

    check()


@needs_durable
def test_durable_engine_is_deterministic_too() -> None:
    for_all(
        check_deterministic,
        FAMILY,
        settings=budget(0.15, slow_generation=True),
        version="terrorism-2017",
        engine="durable",
    )()


@pytest.mark.parametrize(
    ("before", "after", "where"),
    [
        # the 2017 law on terrorism (46bis/1) changes nothing outside terrorist offences
        # and serious indications of one
        ("prior", "terrorism-2017", {"offence": NOT_TERRORISM, "serious_indications": False}),
        # art. 458ter (3 Aug 2017) changes nothing outside case consultations
        ("pre-2017", "prior", {"channel": ["request", "hearing", "own_initiative"]}),
        # judgment 44/2019 annulled §3 only: nothing changes without serious indications
        ("terrorism-2017", "post-annulment", {"serious_indications": False}),
        # the new Code pénal: same outcomes as after the annulment (brief §5.4)
        ("post-annulment", "new-penal-code", None),
    ],
)
def test_amendments_change_nothing_outside_their_reach(
    before: str, after: str, where: dict[str, Any] | None
) -> None:
    for_all(
        check_unchanged_outside,
        FAMILY,
        where=where,
        settings=budget(1.2, slow_generation=True),
        a=before,
        b=after,
    )()


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("fact", "order"),
    [
        # necessity: disclosure being the only means never makes it less allowed
        ("only_means", None),
        # a graver danger never makes disclosure less allowed (necessity, 458bis, 422bis)
        ("danger", ["none", "serious_risk_to_others", "grave_imminent"]),
        # a vulnerable victim never makes disclosure less allowed (458bis)
        ("victim_vulnerable", None),
    ],
)
def test_monotone_where_the_secret_is_engaged(
    version: str, fact: str, order: list[str] | None
) -> None:
    for_all(
        check_monotone,
        FAMILY,
        where={"learned_through_profession": True},
        settings=budget(0.6, slow_generation=True),
        fact=fact,
        values=order,
        version=version,
    )()


def test_monotonicity_fails_across_the_engagement_of_the_secret() -> None:
    """A control: the property is not vacuous. Whether the secret is engaged at all
    (not_applicable vs the rest) is not on the forbidden < permitted < obliged scale."""
    situation = {
        "holder": "cpas_staff",
        "learned_through_profession": False,
        "channel": "request",
        "authority": "police",
        "request_form": "oral",
        "offence": "other_offence",
        "information": "confidence",
        "serious_indications": False,
        "danger": "none",
        "only_means": False,
        "safe_to_act": False,
        "victim_vulnerable": False,
        "consultation_basis": "none",
        "consultation_purpose": "none",
    }
    with pytest.raises(AssertionError, match="not ranked by the order"):
        check_monotone(FAMILY, situation, "learned_through_profession", version="prior")
