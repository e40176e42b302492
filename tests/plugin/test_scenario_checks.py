"""The scenario keys added for the legal review of December 2026 (issue 15): sanctions,
penalty, cites, warning and known_then."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import PLUGIN, plugin_autoloaded

PLUGIN_ARGS = () if plugin_autoloaded() else ("-p", PLUGIN)

REPORT = (
    "{holder: cpas_staff, learned_through_profession: true, channel: own_initiative, "
    "authority: procureur_du_roi, request_form: none, offence: terrorist_offence, "
    "information: confidence, serious_indications: true, danger: none, only_means: false, "
    "safe_to_act: true, victim_vulnerable: false, consultation_basis: none, "
    "consultation_purpose: none}"
)
REQUEST = (
    REPORT.replace("own_initiative", "request")
    .replace("request_form: none", "request_form: written_reasoned")
    .replace("information: confidence", "information: administrative")
)

GOOD = f"""\
family: be-professional-secrecy
scenarios:
  - name: a 2018 declaration under §3
    source: "brief §11.1"
    facts: {REPORT}
    expect:
      - {{on: 2018-10-08, outcome: forbidden, sanctions: [], known_then: obliged}}
      - {{on: 2018-10-08, known_on: 2018-10-08, outcome: obliged, known_then: same}}
      - {{on: 2018-10-08, readings: {{p3_reliance: exposed}}, outcome: forbidden,
          sanctions: [cp458_penalty]}}
  - name: the prosecutor's request
    source: "brief §11.5, §11.8"
    facts: {REQUEST}
    expect:
      - {{on: 2024-03-12, outcome: obliged, penalty: "EUR 208 to 80,000",
          cites: [{{article: 46bis/1, paragraph: "§1", date: 2017-05-17}}]}}
      - {{on: 2026-05-04, outcome: obliged, warning: "What low confidence means here"}}
"""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(
        *PLUGIN_ARGS, "-p", "no:cacheprovider", "-p", "no:hypothesispytest", *args
    )


def write(pytester: pytest.Pytester, text: str) -> Path:
    path = pytester.path / "scenarios" / "review.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def test_the_new_keys_pass_when_the_decision_meets_them(pytester: pytest.Pytester) -> None:
    write(pytester, GOOD)
    result = run(pytester)
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "sanctions: [], known_then",
            "sanctions: [cp458_penalty], known_then",
            "*expected cp458_penalty among the sanctions; sanctions: none*",
        ),
        (
            "sanctions: [cp458_penalty]}",
            "sanctions: []}",
            "*expected no sanction at stake; sanctions: cp458_penalty*",
        ),
        (
            "known_then: obliged",
            "known_then: same",
            "*expected the answer as known on the date of the facts to be same, got obliged*",
        ),
        ("known_then: same", "known_then: forbidden", "*to be forbidden, got same*"),
        (
            '"EUR 208 to 80,000"',
            '"EUR 26 to 80"',
            "*expected a sanction whose penalty says 'EUR 26 to 80'*",
        ),
        (
            "date: 2017-05-17",
            "date: 2017-05-18",
            "*expected a basis citing article=46bis/1, paragraph=§1, date=2017-05-18; basis: *",
        ),
        (
            '"What low confidence means here"',
            '"all verified"',
            "*expected a warning saying 'all verified'*",
        ),
    ],
)
def test_a_failed_check_says_what_was_expected_and_what_came(
    pytester: pytest.Pytester, old: str, new: str, message: str
) -> None:
    assert old in GOOD
    write(pytester, GOOD.replace(old, new, 1))
    result = run(pytester)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([message])


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "sanctions: [cp458_penalty]",
            "sanctions: [cp458_penalti]",
            "*unknown sanction 'cp458_penalti'*did you mean 'cp458_penalty'?",
        ),
        (
            "known_then: obliged",
            "known_then: oblige",
            "*known_then: 'oblige' is not allowed here*did you mean 'obliged'?",
        ),
        (
            "cites: [{article",
            "cites: [{artcle",
            "*cites?0?.artcle: unknown key 'artcle'*did you mean 'article'?",
        ),
        (
            "cites: [{article",
            "cites: [46bis/1, {article",
            "*cites?0?: expected a mapping (key: value), got '46bis/1'",
        ),
        ('penalty: "EUR 208 to 80,000"', "penalty: 208", "*penalty: expected a string, got 208"),
    ],
)
def test_a_bad_value_of_a_new_key_is_a_collection_error(
    pytester: pytest.Pytester, old: str, new: str, message: str
) -> None:
    assert old in GOOD
    path = write(pytester, GOOD.replace(old, new, 1))
    result = run(pytester)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines([f"*invalid scenario file: {path}:{message}"])
