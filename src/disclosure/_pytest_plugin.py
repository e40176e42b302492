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

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

import attrs
import pytest

from disclosure._api import default_family
from disclosure._decide.decision import Decision
from disclosure._decide.evaluate import resolve_readings
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Family
from disclosure.errors import DisclosureError, RulesetError, did_you_mean

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

DEFAULT_PATTERNS = ("scenarios/*.yaml", "*.scenarios.yaml")
UNDETERMINED = "undetermined"
OUTCOMES = (*(outcome.value for outcome in Outcome), UNDETERMINED)

_FILE_KEYS = ("family", "description", "scenarios")
_SCENARIO_KEYS = ("name", "source", "facts", "readings", "note", "expect")
_EXPECT_KEYS = (
    "version",
    "on",
    "known_on",
    "readings",
    "outcome",
    "basis",
    "missing",
    "contested",
    "note",
)


class ScenarioFileError(RulesetError):
    """A scenario file is malformed: it names the file, the line and the path in it."""


class ScenarioFailure(AssertionError):
    """A scenario expectation that the law, as encoded, does not meet."""


@attrs.frozen
class Expectation:
    """One expected answer of a scenario: under a version or on a date."""

    index: int
    line: int | None
    outcome: str
    version: str | None = None
    on: dt.date | None = None
    known_on: dt.date | None = None
    readings: Mapping[str, str] = attrs.field(factory=dict)
    basis: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    contested: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        parts = []
        if self.version is not None:
            parts.append(self.version)
        if self.on is not None:
            parts.append(f"on {self.on}")
        if self.known_on is not None:
            parts.append(f"known on {self.known_on}")
        if self.readings:
            parts.append(", ".join(f"{k}={v}" for k, v in self.readings.items()))
        return "; ".join(parts) or "on the date fact"


@attrs.frozen
class Scenario:
    """A situation with its source and its expected answers."""

    name: str
    source: str
    facts: Mapping[str, Any]
    readings: Mapping[str, str]
    expectations: tuple[Expectation, ...]
    line: int | None
    note: str | None = None


@attrs.frozen
class ScenarioFile:
    """A parsed and validated scenario file, with the family it is about."""

    path: Path
    family: Family
    scenarios: tuple[Scenario, ...]
    description: str | None = None


# --------------------------------------------------------------------------- reading


Path_ = tuple[str | int, ...]


class _Reader:
    """Plain data of a scenario file, the line of every node, and errors that name them."""

    def __init__(self, path: Path, data: Any, lines: Any) -> None:
        self.path = path
        self.file = str(path)
        self.data = data
        self._lines = lines

    def line(self, *at: str | int) -> int | None:
        found = self._lines(tuple(at))
        return int(found) if found is not None else None

    def error(
        self, message: str, at: Path_, where: str, suggestion: str | None = None
    ) -> ScenarioFileError:
        return ScenarioFileError(
            message,
            file=self.file,
            line=self.line(*at),
            path=where or None,
            suggestion=suggestion,
        )

    def keys(self, node: Any, allowed: Sequence[str], at: Path_, where: str, what: str) -> None:
        if not isinstance(node, Mapping):
            raise self.error(f"{what} must be a mapping, not {_kind(node)}", at, where)
        for key in node:
            if key not in allowed:
                raise self.error(
                    f"unknown key {key!r} in {what}; allowed keys: {', '.join(allowed)}",
                    (*at, key),
                    where,
                    did_you_mean(key, allowed),
                )


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


def _date(reader: _Reader, value: Any, at: Path_, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise reader.error(f"expected an ISO date (YYYY-MM-DD), not {value!r}", at, where)


def _names(reader: _Reader, value: Any, at: Path_, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise reader.error(f"expected a name or a list of names, not {_kind(value)}", at, where)


_families: dict[str, Family] = {}
_families_lock = threading.Lock()


def _family(reader: _Reader, reference: Any) -> Family:
    at: Path_ = ("family",)
    if not isinstance(reference, str) or not reference:
        raise reader.error(
            "'family' must name the bundled family or give a folder relative to this file",
            at,
            "family",
        )
    folder = (reader.path.parent / reference).resolve()
    key = str(folder) if folder.is_dir() else reference
    with _families_lock:
        found = _families.get(key)
        if found is not None:
            return found
        try:
            if folder.is_dir():
                from disclosure._load.loader import load_family

                found = load_family(folder)
            else:
                found = default_family()
                if found.id != reference:
                    raise reader.error(
                        f"unknown family {reference!r}: neither the bundled family "
                        f"({found.id}) nor a folder relative to this file ({folder})",
                        at,
                        "family",
                        did_you_mean(reference, [found.id]),
                    )
        except ScenarioFileError:
            raise
        except DisclosureError as error:
            raise reader.error(f"cannot load family {reference!r}: {error}", at, "family") from None
        _families[key] = found
        return found


def _read(path: Path) -> _Reader | None:
    """The file's plain data, read by the ruleset loader's YAML reader (YAML 1.2, plain
    data only: no tags, bounded depth and size, dates kept as ISO text)."""
    from disclosure._load.loader import _read_document

    try:
        empty = not path.read_text("utf-8-sig").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioFileError(f"cannot read the file: {error}", file=str(path)) from None
    if empty:
        return None
    try:
        document = _read_document(path, "a scenario file")
    except ScenarioFileError:
        raise
    except RulesetError as error:
        raise ScenarioFileError(
            error.reason, file=str(path), line=error.line, path=error.path
        ) from None
    return _Reader(path, document.data, document.line)


def read_scenario_file(path: str | Path) -> ScenarioFile | None:
    """Parse and validate a scenario file (and load the family it names); ``None`` for a
    YAML file that is not one (empty, or its top level has neither ``family`` nor
    ``scenarios``).

    Raises :class:`ScenarioFileError` naming the file, line and place for anything wrong:
    invalid YAML, an unknown key (with a did-you-mean), an unknown fact, value, version,
    reading, rule or outcome, a duplicate scenario name.
    """
    path = Path(path)
    reader = _read(path)
    if reader is None:
        return None
    document = reader.data
    if not isinstance(document, Mapping) or not ({"family", "scenarios"} & set(document)):
        return None  # not a scenario file (a file of another tool under scenarios/)
    reader.keys(document, _FILE_KEYS, (), "", "a scenario file")
    for required in ("family", "scenarios"):
        if required not in document:
            raise reader.error(f"missing key {required!r}", (), "")
    family = _family(reader, document["family"])
    raw_scenarios = document["scenarios"]
    if not isinstance(raw_scenarios, list) or not raw_scenarios:
        raise reader.error("'scenarios' must be a non-empty list", ("scenarios",), "scenarios")
    scenarios: list[Scenario] = []
    seen: dict[str, int | None] = {}
    for index, raw in enumerate(raw_scenarios):
        at: Path_ = ("scenarios", index)
        scenario = _scenario(reader, family, raw, at, f"scenarios[{index}]")
        if scenario.name in seen:
            raise reader.error(
                f"duplicate scenario name {scenario.name!r} (first at line {seen[scenario.name]})",
                (*at, "name"),
                f"scenarios[{index}].name",
            )
        seen[scenario.name] = scenario.line
        scenarios.append(scenario)
    description = document.get("description")
    return ScenarioFile(
        path=path,
        family=family,
        scenarios=tuple(scenarios),
        description=str(description) if description is not None else None,
    )


def _scenario(reader: _Reader, family: Family, raw: Any, at: Path_, where: str) -> Scenario:
    if isinstance(raw, Mapping) and isinstance(raw.get("name"), str):
        where = f"{where} ({raw['name'].strip()!r})"
    reader.keys(raw, _SCENARIO_KEYS, at, where, "a scenario")
    for required in ("name", "source", "facts", "expect"):
        if required not in raw:
            raise reader.error(f"scenario is missing {required!r}", at, where)
    name = raw["name"]
    if not isinstance(name, str) or not name.strip():
        raise reader.error("'name' must be a non-empty text", (*at, "name"), f"{where}.name")
    source = raw["source"]
    if not isinstance(source, str) or not source.strip():
        raise reader.error(
            "'source' must say what the expectation rests on (e.g. the article or the brief's §)",
            (*at, "source"),
            f"{where}.source",
        )
    facts = raw["facts"]
    if not isinstance(facts, Mapping):
        raise reader.error(
            f"'facts' must be a mapping, not {_kind(facts)}", (*at, "facts"), f"{where}.facts"
        )
    facts = dict(facts)
    try:
        family.vocabulary.validate(facts)
    except DisclosureError as error:
        fact = getattr(error, "fact", None)
        place: Path_ = (
            (*at, "facts", fact)
            if isinstance(fact, str) and fact in facts
            else (
                *at,
                "facts",
            )
        )
        raise reader.error(str(error), place, f"{where}.facts") from None
    readings = _readings(
        reader, family, raw.get("readings"), (*at, "readings"), f"{where}.readings"
    )
    expect = raw["expect"]
    if not isinstance(expect, list) or not expect:
        raise reader.error("'expect' must be a non-empty list", (*at, "expect"), f"{where}.expect")
    expectations = tuple(
        _expectation(
            reader, family, item, index, (*at, "expect", index), f"{where}.expect[{index}]", facts
        )
        for index, item in enumerate(expect)
    )
    note = raw.get("note")
    return Scenario(
        name=name.strip(),
        source=source.strip(),
        facts=facts,
        readings=readings,
        expectations=expectations,
        line=reader.line(*at),
        note=str(note) if note is not None else None,
    )


def _readings(reader: _Reader, family: Family, raw: Any, at: Path_, where: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping) or not all(isinstance(v, str) for v in raw.values()):
        raise reader.error("'readings' must map contested points to readings", at, where)
    readings = {str(k): str(v) for k, v in raw.items()}
    try:
        resolve_readings(family, readings)
    except DisclosureError as error:
        raise reader.error(str(error), at, where) from None
    return readings


def _expectation(
    reader: _Reader,
    family: Family,
    raw: Any,
    index: int,
    at: Path_,
    where: str,
    facts: Mapping[str, Any],
) -> Expectation:
    reader.keys(raw, _EXPECT_KEYS, at, where, "an expectation")
    if "outcome" not in raw:
        raise reader.error(
            f"expectation is missing 'outcome' (one of {', '.join(OUTCOMES)})", at, where
        )
    outcome = raw["outcome"]
    if outcome not in OUTCOMES:
        raise reader.error(
            f"unknown outcome {outcome!r}; outcomes: {', '.join(OUTCOMES)}",
            (*at, "outcome"),
            f"{where}.outcome",
            did_you_mean(outcome, OUTCOMES),
        )
    version = raw.get("version")
    if version is not None:
        version = str(version)
        try:
            family.version(version)
        except DisclosureError as error:
            raise reader.error(str(error), (*at, "version"), f"{where}.version") from None
    on = _date(reader, raw["on"], (*at, "on"), f"{where}.on") if "on" in raw else None
    known_on = (
        _date(reader, raw["known_on"], (*at, "known_on"), f"{where}.known_on")
        if "known_on" in raw
        else None
    )
    if version is None and on is None and facts.get("date") is None:
        raise reader.error(
            "say which law applies: give 'version', 'on' or a 'date' fact", at, where
        )
    readings = _readings(
        reader, family, raw.get("readings"), (*at, "readings"), f"{where}.readings"
    )
    basis = _names(reader, raw["basis"], (*at, "basis"), f"{where}.basis") if "basis" in raw else ()
    candidates = (
        family.version(version).rule_ids
        if version is not None
        else tuple(dict.fromkeys(r for v in family.versions for r in v.rule_ids))
    )
    for rule_id in basis:
        if rule_id not in candidates:
            raise reader.error(
                f"basis names unknown rule {rule_id!r}"
                + (f" of version {version}" if version is not None else ""),
                (*at, "basis"),
                f"{where}.basis",
                did_you_mean(rule_id, candidates),
            )
    missing = (
        _names(reader, raw["missing"], (*at, "missing"), f"{where}.missing")
        if "missing" in raw
        else ()
    )
    for fact in missing:
        if fact not in family.vocabulary.domains:
            raise reader.error(
                f"missing names unknown fact {fact!r}",
                (*at, "missing"),
                f"{where}.missing",
                did_you_mean(fact, family.vocabulary.domains),
            )
    if missing and outcome != UNDETERMINED:
        raise reader.error(
            "'missing' only makes sense with outcome: undetermined",
            (*at, "missing"),
            f"{where}.missing",
        )
    contested = (
        _names(reader, raw["contested"], (*at, "contested"), f"{where}.contested")
        if "contested" in raw
        else ()
    )
    points = [point.id for point in family.contested]
    for point in contested:
        if point not in points:
            raise reader.error(
                f"contested names unknown point {point!r}",
                (*at, "contested"),
                f"{where}.contested",
                did_you_mean(point, points),
            )
    return Expectation(
        index=index,
        line=reader.line(*at),
        outcome=outcome,
        version=version,
        on=on,
        known_on=known_on,
        readings=readings,
        basis=basis,
        missing=missing,
        contested=contested,
    )


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


def _problems(expectation: Expectation, decision: Decision) -> list[str]:
    problems = []
    got = decision.outcome.value if decision.outcome is not None else UNDETERMINED
    if got != expectation.outcome:
        problems.append(f"expected outcome {expectation.outcome}, got {got}")
    absent = [rule for rule in expectation.basis if rule not in decision.winners]
    if absent:
        problems.append(
            f"expected {', '.join(absent)} among the winning rules; winners: "
            + (", ".join(decision.winners) or "none")
        )
    not_needed = [fact for fact in expectation.missing if fact not in decision.missing_facts]
    if not_needed:
        problems.append(
            f"expected {', '.join(not_needed)} among the facts still needed; still needed: "
            + (", ".join(decision.missing_facts) or "none")
        )
    depended = {dependency.point for dependency in decision.contested}
    unnamed = [point for point in expectation.contested if point not in depended]
    if unnamed:
        problems.append(
            f"expected the decision to depend on contested point(s) {', '.join(unnamed)}; "
            "it depends on: " + (", ".join(sorted(depended)) or "none")
        )
    return problems


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
            problems = _problems(self.expectation, decision)
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
