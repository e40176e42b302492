"""The pytest plugin for scenario files, run inside pytest with ``pytester``."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import PLUGIN, plugin_autoloaded
from disclosure._pytest_plugin import read_scenario_file

from support import MINI, ROOT

MINI = (MINI).resolve()
PLUGIN_ARGS = () if plugin_autoloaded() else ("-p", PLUGIN)

GOOD = f"""\
family: {MINI}
scenarios:
  - name: a written request must be answered
    source: "Mini code art. 3 §1"
    facts: {{channel: request, request_form: written, danger: false}}
    expect:
      - {{version: new, outcome: obliged, basis: [duty_to_answer]}}
      - {{version: old, outcome: forbidden, basis: secret}}
      - {{on: 2010-01-01, outcome: obliged}}
  - name: an oral request, the form unknown
    source: "Mini code art. 3 §1; the contested point on oral requests"
    facts: {{channel: request, danger: false}}
    readings: {{oral_requests: binding}}
    expect:
      - {{version: new, outcome: undetermined, missing: [request_form]}}
      - {{version: new, readings: {{oral_requests: not_binding}}, outcome: undetermined}}
"""

FAILING = f"""\
family: {MINI}
scenarios:
  - name: a spontaneous report in grave danger
    source: "Mini code art. 2 (the duty to report)"
    facts: {{channel: own_initiative, request_form: none, danger: true}}
    expect:
      - {{version: old, outcome: obliged, basis: [report_duty]}}
      - {{on: 2005-06-01, known_on: 2011-01-01, outcome: obliged, basis: [report_duty]}}
"""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # Hypothesis's plugin is not needed inside, and importing it there costs seconds
    return pytester.runpytest(
        *PLUGIN_ARGS, "-p", "no:cacheprovider", "-p", "no:hypothesispytest", *args
    )


def write(pytester: pytest.Pytester, relative: str, text: str) -> Path:
    path = pytester.path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def test_one_item_per_expectation_on_every_engine(pytester: pytest.Pytester) -> None:
    write(pytester, "scenarios/mini.yaml", GOOD)
    result = run(pytester, "-v")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(
        [
            "*scenarios/mini.yaml::a written request must be answered ?new? PASSED*",
            "*scenarios/mini.yaml::a written request must be answered ?on 2010-01-01? PASSED*",
            "*an oral request, the form unknown ?new? PASSED*",
            "*an oral request, the form unknown ?new; oral_requests=not_binding? PASSED*",
            "*mini old: 1/4 rules among the winners of a scenario*",
            "*mini new: 1/5 rules among the winners of a scenario*",
        ]
    )


def test_a_failure_names_the_file_the_scenario_its_source_and_the_trace(
    pytester: pytest.Pytester,
) -> None:
    path = write(pytester, "law.scenarios.yaml", FAILING)
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            f"{path}:8: scenario 'a spontaneous report in grave danger' failed",
            "  source: Mini code art. 2 (the duty to report)",
            "  expectation 2 (on 2005-06-01; known on 2011-01-01): "
            "outcome obliged, basis report_duty",
            "  facts: channel=own_initiative, request_form=none, danger=True",
            "  ?compiled and durable?",
            "    expected outcome obliged, got permitted",
            "    expected report_duty among the winning rules; winners: necessity",
            "    decided under version 2000-01-01 (old), as known on 2011-01-01",
            "    annulled as known then: report_duty",
            "    trace:",
            "      secret * overridden * applies but is set aside by necessity",
            "      necessity * applied * applies: permitted",
            "      report_duty * annulled *",
        ]
    )


def test_each_engine_is_reported_when_only_one_is_available(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    import disclosure._pytest_plugin as plugin

    monkeypatch.setattr(plugin, "engines", lambda: ("compiled",))
    write(pytester, "law.scenarios.yaml", FAILING)
    result = run(pytester)
    result.stdout.fnmatch_lines(["  [[]compiled[]]"])
    result.stdout.no_fnmatch_line("*durable*")


def test_the_family_may_be_a_folder_relative_to_the_file(pytester: pytest.Pytester) -> None:
    shutil.copytree(MINI, pytester.path / "rules")
    write(pytester, "cases/scenarios/x.yaml", GOOD.replace(str(MINI), "../../rules"))
    run(pytester).assert_outcomes(passed=5)


def test_the_patterns_are_an_ini_option(pytester: pytest.Pytester) -> None:
    write(pytester, "cases/law.yaml", GOOD)
    run(pytester).assert_outcomes()  # not collected by the default patterns
    pytester.makeini("[pytest]\ndisclosure_scenarios = cases/*.yaml\n")
    run(pytester).assert_outcomes(passed=5)


def test_a_yaml_file_that_is_not_a_scenario_file_is_left_alone(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "scenarios/other-tool.yaml", "steps: [a, b]\n")
    write(pytester, "scenarios/mini.yaml", GOOD)
    run(pytester).assert_outcomes(passed=5)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    source:",
            "    sorce:",
            "*scenarios?0?.sorce: unknown key 'sorce'; allowed keys: name, source,*"
            "did you mean 'source'?",
        ),
        (
            "channel: request, request_form",
            "chanel: request, request_form",
            "*scenarios?0? ('a written request must be answered').facts*did you mean 'channel'?",
        ),
        (
            "outcome: obliged, basis: [duty",
            "outcome: oblige, basis: [duty",
            "*'oblige' is not allowed here; expected one of: obliged,*did you mean 'obliged'?",
        ),
        ("basis: [duty_to_answer]", "basis: [duty_to_anser]", "*did you mean 'duty_to_answer'?"),
        (
            "{version: new, outcome: obliged",
            "{version: newest, outcome: obliged",
            "*unknown version 'newest'*",
        ),
        ("oral_requests: binding}", "oral_requests: bindng}", "*unknown reading 'bindng'*"),
        ("missing: [request_form]", "missing: [request_from]", "*did you mean 'request_form'?"),
        (
            "{on: 2010-01-01, outcome",
            "{on: 2010-13-01, outcome",
            "*on: '2010-13-01' is not valid here: expected a date written YYYY-MM-DD*",
        ),
        (
            "{on: 2010-01-01, outcome: obliged}",
            "{outcome: obliged}",
            "*give 'version', 'on' or a 'date' fact*",
        ),
        (
            '    source: "Mini code art. 3 §1"\n',
            "",
            "*scenarios?0?: missing required key 'source': what the expectation rests on*",
        ),
        (
            "- {version: new, outcome: obliged",
            "- {version: new, outcome: obliged, when: x",
            "*expect?0?.when: unknown key 'when'; allowed keys: version, on, known_on,*",
        ),
    ],
)
def test_an_invalid_scenario_file_is_a_clear_collection_error(
    pytester: pytest.Pytester, old: str, new: str, message: str
) -> None:
    assert old in GOOD
    path = write(pytester, "scenarios/mini.yaml", GOOD.replace(old, new, 1))
    result = run(pytester)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines([f"*invalid scenario file: {path}:{message}"])
    result.stdout.no_fnmatch_line("*Traceback*")


def test_duplicate_names_and_broken_yaml(pytester: pytest.Pytester) -> None:
    lines = GOOD.splitlines(keepends=True)
    second = "".join(lines[2:9])  # the first scenario, again
    assert second.startswith("  - name: a written request")
    write(pytester, "scenarios/twice.yaml", GOOD + second)
    write(pytester, "scenarios/broken.yaml", "family: [unclosed\n")
    result = run(pytester)
    result.stdout.fnmatch_lines(
        ["*duplicate scenario name 'a written request must be answered' (first at line 3)*"]
    )
    result.stdout.fnmatch_lines(["*broken.yaml:*invalid YAML*"])


def test_reading_a_file_directly(tmp_path: Path) -> None:
    path = tmp_path / "s.scenarios.yaml"
    path.write_text(GOOD, "utf-8")
    parsed = read_scenario_file(path)
    assert parsed is not None
    assert [len(s.expectations) for s in parsed.scenarios] == [3, 2]
    assert parsed.scenarios[0].expectations[1].basis == ("secret",)
    assert parsed.scenarios[1].expectations[1].readings == {"oral_requests": "not_binding"}


def test_the_bundled_scenario_files_follow_the_published_schema() -> None:
    """What an analyst's editor checks (the JSON Schema alone) agrees with the plugin on
    the project's own scenario files, and a misspelt key is refused by both."""
    import json

    from jsonschema import Draft202012Validator
    from ruamel.yaml import YAML

    from disclosure._load.scenarios import read_scenario_file

    schema = json.loads(
        (ROOT / "src" / "disclosure" / "schema" / "scenario.schema.json").read_text("utf-8")
    )
    validator = Draft202012Validator(schema)
    yaml = YAML(typ="safe", pure=True)
    files = sorted((ROOT / "tests" / "scenarios").glob("*.yaml"))
    assert files
    for path in files:
        data = yaml.load(path.read_text("utf-8"))
        # YAML 1.2 dates arrive as dates here; the library reads them as ISO text
        text = json.loads(json.dumps(data, default=str))
        assert list(validator.iter_errors(text)) == [], path
        assert read_scenario_file(path) is not None
        text["scenarios"][0]["sorce"] = text["scenarios"][0].pop("source")
        assert list(validator.iter_errors(text)), path
