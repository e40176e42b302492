"""The pytest plugin: scenario files (legal situations with their expected outcomes) as
tests.

Registered as the ``disclosure`` entry point of ``pytest11``, so installing the library is
enough. It collects the files matching the ``disclosure_scenarios`` ini option (glob
patterns matched against the end of the path; default ``scenarios/*.yaml`` and
``*.scenarios.yaml``) and makes one test item per expectation of each scenario, run on
every engine available (the compiled evaluator and durable_rules). A failure names the
file and line, the scenario and its source, the expectation, the decision and the rule
trace. The format is documented in ``docs/reference/scenario-format.md``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

import pytest

from disclosure._analysis.expectations import Answer
from disclosure._analysis.expectations import problems as expectation_problems
from disclosure._decide.decision import Decision
from disclosure._ir.ruleset import Family
from disclosure._load.scenarios import (
    DEFAULT_PATTERNS,
    Expectation,
    Scenario,
    ScenarioFile,
    ScenarioFileError,
    read_scenario_file,
)
from disclosure.errors import DisclosureError

__all__ = [
    "DEFAULT_PATTERNS",
    "Expectation",
    "Scenario",
    "ScenarioFailure",
    "ScenarioFile",
    "ScenarioFileError",
    "engines",
    "evaluate_expectation",
    "read_scenario_file",
]


#: the mutation-testing option (``--disclosure-mutation``) lives in its own module
pytest_plugins = ("disclosure._pytest_mutation",)


class ScenarioFailure(AssertionError):
    """A scenario expectation that the law, as encoded, does not meet."""


# --------------------------------------------------------------------------- running


def engines() -> tuple[str, ...]:
    """The engines every expectation runs on: both, unless durable_rules is unavailable."""
    from disclosure._engines.durable import durable_available

    return ("compiled", "durable") if durable_available() else ("compiled",)


def evaluate_expectation(
    family: Family, scenario: Scenario, expectation: Expectation, engine: str = "compiled"
) -> Decision:
    """The decision the expectation is about (errors of the library propagate)."""
    from disclosure._decide.evaluate import evaluate_in

    return evaluate_in(
        family,
        dict(scenario.facts),
        on=expectation.on,
        known_on=expectation.known_on,
        version=expectation.version,
        readings={**scenario.readings, **expectation.readings},
        engine=engine,
    )


def _describe_decision(decision: Decision) -> list[str]:
    receipt = decision.receipt
    name = f"{receipt.version}" + (f" ({', '.join(receipt.aliases)})" if receipt.aliases else "")
    known = f"as known on {receipt.known_on}" if receipt.known_on else "as enacted"
    lines = [f"decided under version {name}, {known}"]
    if receipt.annulled:
        lines.append(f"annulled as known then: {', '.join(receipt.annulled)}")
    lines.append("trace:")
    width = max((len(entry.rule) for entry in decision.trace), default=0)
    for entry in decision.trace:
        lines.append(f"  {entry.rule.ljust(width)}  {entry.status:<15} {entry.reason}")
    return lines


def _show_facts(facts: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in facts.items()) or "(none)"


class ScenarioFileCollector(pytest.File):
    """A scenario file: one item per expectation of each scenario."""

    def collect(self) -> Iterator[pytest.Item]:
        try:
            parsed = read_scenario_file(self.path)
        except ScenarioFileError as error:
            raise self.CollectError(f"invalid scenario file: {error}") from None
        if parsed is None:
            return
        for scenario in parsed.scenarios:
            labels = [expectation.label for expectation in scenario.expectations]
            for expectation, label in zip(scenario.expectations, labels, strict=True):
                if labels.count(label) > 1:
                    label += f" #{expectation.index + 1}"
                yield ScenarioItem.from_parent(
                    self,
                    name=f"{scenario.name} [{label}]",
                    parsed=parsed,
                    scenario=scenario,
                    expectation=expectation,
                )


class ScenarioItem(pytest.Item):
    """One expectation of one scenario, checked on every available engine."""

    def __init__(
        self,
        *,
        parsed: ScenarioFile,
        scenario: Scenario,
        expectation: Expectation,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.parsed = parsed
        self.scenario = scenario
        self.expectation = expectation

    def runtest(self) -> None:
        reports: list[tuple[str, list[str], list[str]]] = []
        for engine in engines():
            try:
                decision = evaluate_expectation(
                    self.parsed.family, self.scenario, self.expectation, engine
                )
            except DisclosureError as error:
                reports.append((engine, [f"{type(error).__name__}: {error}"], []))
                continue
            _record(self.config, self.parsed.family, decision)
            problems = expectation_problems(self.expectation, Answer.of(decision))
            if problems:
                reports.append((engine, problems, _describe_decision(decision)))
        if reports:
            raise ScenarioFailure(self._failure_text(reports))

    def _failure_text(self, reports: list[tuple[str, list[str], list[str]]]) -> str:
        scenario, expectation = self.scenario, self.expectation
        lines = [
            f"{self.path}:{expectation.line or scenario.line or '?'}: "
            f"scenario {scenario.name!r} failed",
            f"  source: {scenario.source}",
            f"  expectation {expectation.index + 1} ({expectation.label}): "
            f"outcome {expectation.outcome}"
            + (f", basis {', '.join(expectation.basis)}" if expectation.basis else ""),
            f"  facts: {_show_facts(self.scenario.facts)}",
        ]
        readings = {**scenario.readings, **expectation.readings}
        if readings:
            lines.append(f"  readings: {_show_facts(readings)}")
        same = len(reports) > 1 and all(r[1:] == reports[0][1:] for r in reports)
        shown = [(" and ".join(r[0] for r in reports), *reports[0][1:])] if same else reports
        for engine, problems, details in shown:
            lines.append(f"  [{engine}]")
            lines.extend(f"    {problem}" for problem in problems)
            lines.extend(f"    {detail}" for detail in details)
        return "\n".join(lines)

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | Any:
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.expectation.line or self.scenario.line
        return self.path, (line - 1 if line else None), f"scenario: {self.name}"


# --------------------------------------------------------------------------- hooks

_exercised_key = pytest.StashKey[dict[tuple[str, str], set[str]]]()
_families_key = pytest.StashKey[dict[str, Family]]()


def _record(config: pytest.Config, family: Family, decision: Decision) -> None:
    exercised: dict[tuple[str, str], set[str]] = config.stash.setdefault(
        _exercised_key, defaultdict(set)
    )
    config.stash.setdefault(_families_key, {})[family.id] = family
    exercised[(decision.receipt.family, decision.receipt.version)].update(decision.winners)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "disclosure_scenarios",
        type="linelist",
        default=list(DEFAULT_PATTERNS),
        help="glob patterns of scenario files for the disclosure plugin, matched against "
        "the end of the path (default: scenarios/*.yaml *.scenarios.yaml)",
    )


def _matches(path: Path, patterns: Sequence[str]) -> bool:
    pure = PurePath(path)
    return any(pure.match(pattern) for pattern in patterns)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    patterns = parent.config.getini("disclosure_scenarios")
    if _matches(file_path, patterns):
        collector: pytest.Collector = ScenarioFileCollector.from_parent(parent, path=file_path)
        return collector
    return None


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """After a run with scenario items: how many rules of each version they exercised
    (a rule is exercised when it is among the winners of an expectation)."""
    exercised = config.stash.get(_exercised_key, None)
    families = config.stash.get(_families_key, {})
    if not exercised:
        return
    terminalreporter.write_sep("-", "disclosure scenarios: rules exercised")
    for family in families.values():
        for version in family.versions:
            rules = exercised.get((family.id, version.id), set())
            terminalreporter.write_line(
                f"{family.id} {version.name}: {len(rules & set(version.rule_ids))}"
                f"/{len(version.rules)} rules among the winners of a scenario"
            )
