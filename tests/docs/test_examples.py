"""The example situations of docs/examples/ stay valid, and say what the docs say.

Each file is a plain fact file that the CLI reads. Every one evaluates without error under
both engines, with the same answer; a few have their outcome pinned here, each citing the
legal brief's source for it (shared/legal/brief.md, §10 lists the [S#]).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import disclosure
from disclosure import Outcome
from disclosure.cli import cli

from support import ROOT

EXAMPLES = ROOT / "docs" / "examples"
FILES = sorted(EXAMPLES.glob("*.json"))


def facts_of(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    return loaded


def durable_available() -> bool:
    from disclosure._engines.durable import durable_available as available

    return available()


def test_there_is_one_example_per_typical_case() -> None:
    names = {path.stem for path in FILES}
    assert {
        "prosecutor-written-request",
        "police-phone-call",
        "trial-court-hearing",
        "case-consultation-458ter",
        "child-in-danger-458bis",
        "own-initiative-report-2018",
        "medical-data-request",
        "partial-intake",
    } <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_example_is_a_plain_fact_file(path: Path) -> None:
    facts = json.loads(path.read_text("utf-8"))
    assert isinstance(facts, dict)
    vocabulary = disclosure.load().vocabulary
    assert set(facts) <= set(vocabulary.names), sorted(set(facts) - set(vocabulary.names))
    assert "date" in facts, "examples give the date of the facts, so their answer is stable"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_example_evaluates_the_same_under_both_engines(path: Path) -> None:
    facts = json.loads(path.read_text("utf-8"))
    compiled = disclosure.evaluate(facts, engine="compiled")
    if not durable_available():
        pytest.skip("durable_rules cannot be imported here (Python 3.13+?)")
    durable = disclosure.evaluate(facts, engine="durable")
    assert durable.outcome == compiled.outcome
    assert durable.winners == compiled.winners
    assert durable.missing_facts == compiled.missing_facts
    assert [t.status for t in durable.trace] == [t.status for t in compiled.trace]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_example_runs_on_the_command_line(path: Path) -> None:
    result = CliRunner().invoke(cli, ["evaluate", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["schema"] == "disclosure.decision/1"


def test_every_example_is_described_in_the_examples_readme() -> None:
    text = (EXAMPLES / "README.md").read_text("utf-8")
    described = set(re.findall(r"\]\(([\w-]+\.json)\)", text))
    assert described == {path.name for path in FILES}


# -- outcomes, each with its source in the brief -------------------------------------------


def test_prosecutor_written_request_obliges_the_institution() -> None:
    # Brief §3.1, §4.2, §7 rule 6: written, reasoned request of the procureur du Roi,
    # terrorist offence, administrative information -> OBLIGED, the institution [S2], [S6].
    decision = disclosure.evaluate(facts_of("prosecutor-written-request"))
    assert decision.outcome is Outcome.OBLIGED
    assert decision.duty_bearer == "institution"
    assert decision.addressees == ("procureur_du_roi",)
    assert "keep_request_secret" in {o.id for o in decision.side_obligations}


def test_police_phone_call_keeps_the_secret() -> None:
    # Brief §2.3, §7 rule 2: a police request is no exception; police are not empowered
    # by art. 46bis/1 -> FORBIDDEN [S15], [S78], [S2].
    assert disclosure.evaluate(facts_of("police-phone-call")).outcome is Outcome.FORBIDDEN


def test_trial_court_hearing_permits_without_obliging() -> None:
    # Brief §2.2, §7 rule 2: testimony in court is a permission to speak, not a duty
    # [S77], [S40].
    assert disclosure.evaluate(facts_of("trial-court-hearing")).outcome is Outcome.PERMITTED


def test_case_consultation_with_a_statutory_basis_permits() -> None:
    # Brief §5.1, §7 rule 5: art. 458ter, from 3 Aug 2017 -> PERMITTED, no duty [S48], [S50].
    assert disclosure.evaluate(facts_of("case-consultation-458ter")).outcome is Outcome.PERMITTED


def test_child_in_danger_may_be_reported_to_the_prosecutor_only() -> None:
    # Brief §2.2, §7 rule 4: art. 458bis -> PERMITTED, to the procureur du Roi only
    # [S53], [S54].
    decision = disclosure.evaluate(facts_of("child-in-danger-458bis"))
    assert decision.outcome is Outcome.PERMITTED
    assert decision.addressees == ("procureur_du_roi",)


def test_own_initiative_report_of_2018_depends_on_when_the_law_is_known() -> None:
    # Brief §4.1: §3 annulled by judgment 44/2019 of 14 Mar 2019, retroactively: as known
    # in 2018 the duty to declare applied, as known after the judgment it never existed
    # [S3], [S10], [S11].
    facts = facts_of("own-initiative-report-2018")
    then = disclosure.evaluate(facts, known_on="2018-06-15")
    assert then.outcome is Outcome.OBLIGED
    assert then.duty_bearer == "staff_member"
    now = disclosure.evaluate(facts, known_on="2019-03-14")
    assert now.outcome is Outcome.FORBIDDEN
    assert "cic46bis1_p3_report" in now.receipt.annulled


def test_medical_data_stay_secret_under_46bis1() -> None:
    # Brief §3.3, §7 rule 6: medical information is excluded from the administrative
    # information the prosecutor may require -> FORBIDDEN [S2], [S35].
    assert disclosure.evaluate(facts_of("medical-data-request")).outcome is Outcome.FORBIDDEN


def test_federal_prosecutor_request_names_the_contested_point() -> None:
    # Brief §8 U3 and §11.2: the text names the procureur du Roi; by default the federal
    # prosecutor may use 46bis/1 (he exercises the public action in terrorism cases), the
    # strict reading stays the alternative [S37].
    facts = facts_of("federal-prosecutor-request")
    decision = disclosure.evaluate(facts)
    assert decision.outcome is Outcome.OBLIGED
    assert [point.point for point in decision.contested] == ["federal_prosecutor"]
    strict = disclosure.evaluate(facts, readings={"federal_prosecutor": "excluded"})
    assert strict.outcome is Outcome.FORBIDDEN


def test_partial_intake_asks_for_the_missing_facts() -> None:
    # Design: missing facts the answer depends on make it undetermined and are named.
    decision = disclosure.evaluate(facts_of("partial-intake"))
    assert decision.outcome is None
    assert decision.missing_facts
    assert len(decision.possible_outcomes) > 1
