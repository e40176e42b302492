"""Every rule of every bundled version is exercised by a scenario.

A rule is *exercised* when it is among the winners of at least one scenario expectation
evaluated on that version (by name, or by the dates that select it). The scenario files
are those the plugin collects under ``tests/`` (``scenarios/*.yaml``,
``*.scenarios.yaml``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

import disclosure
from disclosure._pytest_plugin import (
    DEFAULT_PATTERNS,
    ScenarioFile,
    evaluate_expectation,
    read_scenario_file,
)

TESTS = Path(__file__).resolve().parents[1]


def scenario_files() -> list[ScenarioFile]:
    paths = sorted(
        path
        for path in TESTS.rglob("*.yaml")
        if any(path.match(pattern) for pattern in DEFAULT_PATTERNS)
    )
    parsed = [read_scenario_file(path) for path in paths]
    return [p for p in parsed if p is not None]


def exercised(files: list[ScenarioFile], family_id: str) -> tuple[dict[str, set[str]], int]:
    """Version id -> rules among the winners of some expectation; and the count of
    expectations evaluated."""
    winners: dict[str, set[str]] = defaultdict(set)
    count = 0
    for parsed in files:
        if parsed.family.id != family_id:
            continue
        for scenario in parsed.scenarios:
            for expectation in scenario.expectations:
                decision = evaluate_expectation(parsed.family, scenario, expectation)
                winners[decision.receipt.version].update(decision.winners)
                count += 1
    return winners, count


def uncovered(family: disclosure.Family, winners: dict[str, set[str]]) -> dict[str, list[str]]:
    return {
        version.name: missing
        for version in family.versions
        if (missing := [r for r in version.rule_ids if r not in winners.get(version.id, set())])
    }


def test_every_rule_of_every_version_is_exercised_by_a_scenario(
    record_property: Callable[[str, object], None], capsys: pytest.CaptureFixture[str]
) -> None:
    family = disclosure.load()
    files = scenario_files()
    assert files, "no scenario file found under tests/"
    winners, expectations = exercised(files, family.id)
    total = sum(len(version.rules) for version in family.versions)
    missing = uncovered(family, winners)
    covered = total - sum(len(rules) for rules in missing.values())
    scenarios = sum(len(p.scenarios) for p in files if p.family.id == family.id)
    summary = (
        f"{scenarios} scenarios, {expectations} expectations in {len(files)} files; "
        f"rules exercised: {covered}/{total} (rule x version)"
    )
    record_property("scenario_coverage", summary)
    with capsys.disabled():
        print(f"\n{summary}")
    assert not missing, "rules exercised by no scenario, by version: " + "; ".join(
        f"{version}: {', '.join(rules)}" for version, rules in missing.items()
    )


def test_the_coverage_test_can_fail() -> None:
    """The check itself: with the expectations of one version left out, its rules that
    only that version's expectations exercised are reported."""
    family = disclosure.load()
    winners, _ = exercised(scenario_files(), family.id)
    first = family.versions[0]
    assert uncovered(family, {**winners, first.id: set()}) == {first.name: list(first.rule_ids)}
