"""Scenario files: legal situations with the outcomes expected of a rule family.

A scenario file is YAML (1.2, plain data) validated by the published JSON Schema
``disclosure/schema/scenario.schema.json`` (print it with ``disclosure schema scenario``),
then checked against the family it names: facts and values of its vocabulary, versions,
readings, rule ids, facts and contested points. Every error names the file, the line and
the path in the document, with a did-you-mean for a misspelt name. The format is
documented in ``docs/reference/scenario-format.md``; the pytest plugin
(:mod:`disclosure._pytest_plugin`) turns each expectation into a test.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from disclosure._edge import parse_date
from disclosure._ir.outcome import UNDETERMINED, Outcome
from disclosure._ir.readings import resolve_readings
from disclosure._ir.ruleset import Family
from disclosure._load.bundled import bundled_family
from disclosure._load.loader import Document, load_family, read_document, validate_document
from disclosure.errors import DisclosureError, FactError, RulesetError, did_you_mean, excerpt

__all__ = [
    "DEFAULT_PATTERNS",
    "OUTCOMES",
    "SAME",
    "UNDETERMINED",
    "Expectation",
    "Scenario",
    "ScenarioFile",
    "ScenarioFileError",
    "read_scenario_file",
]

DEFAULT_PATTERNS = ("scenarios/*.yaml", "*.scenarios.yaml")
OUTCOMES = (*(outcome.value for outcome in Outcome), UNDETERMINED)
#: ``known_then``: the outcome as known on the date of the facts does not differ
SAME = "same"  # (also disclosure._analysis.expectations.SAME)


class ScenarioFileError(RulesetError):
    """A scenario file is malformed: it names the file, the line and the path in it."""


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
    #: sanction ids among the decision's sanctions; ``()``: it lists none; ``None``: unchecked
    sanctions: tuple[str, ...] | None = None
    #: a text the English penalty of one of the decision's sanctions contains
    penalty: str | None = None
    #: citations, each to match one of the basis on every key given
    cites: tuple[Mapping[str, Any], ...] = ()
    #: a text one of the decision's (English) warnings contains
    warning: str | None = None
    #: the outcome as known on the date of the facts (or ``same``)
    known_then: str | None = None

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

    def __init__(self, path: Path, document: Document) -> None:
        self.path = path
        self.file = str(path)
        self.data = document.data
        self.document = document

    def line(self, *at: str | int) -> int | None:
        return self.document.line(tuple(at))

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


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


def _date(reader: _Reader, value: Any, at: Path_, where: str) -> dt.date:
    """A date by the one date parser (a day of the calendar, ``YYYY-MM-DD``)."""
    try:
        found = parse_date(value)
    except FactError:
        found = None
    if found is None:
        raise reader.error(f"expected an ISO date (YYYY-MM-DD), not {excerpt(value)}", at, where)
    return found


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
                found = load_family(folder)
            else:
                found = bundled_family()
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
    data only: no tags, bounded depth and size, dates kept as ISO text); ``None`` for an
    empty file."""
    try:
        empty = not path.read_text("utf-8-sig").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioFileError(f"cannot read the file: {error}", file=str(path)) from None
    if empty:
        return None
    try:
        document = read_document(path, "a scenario file")
    except RulesetError as error:
        raise _as_scenario_error(error, path) from None
    return _Reader(path, document)


def _as_scenario_error(error: RulesetError, path: Path) -> ScenarioFileError:
    return ScenarioFileError(
        error.reason, file=str(path), line=error.line, path=error.path, suggestion=error.suggestion
    )


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
    try:
        validate_document(reader.document, "scenario")
    except RulesetError as error:
        raise _as_scenario_error(error, path) from None
    family = _family(reader, document["family"])
    raw_scenarios = document["scenarios"]
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
    name, source, facts = raw["name"], raw["source"], raw["facts"]
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
    outcome = raw["outcome"]
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
        sanctions=_sanctions(reader, family, version, raw, at, where),
        penalty=raw.get("penalty"),
        cites=_cites(reader, raw.get("cites", ()), (*at, "cites"), f"{where}.cites"),
        warning=raw.get("warning"),
        known_then=raw.get("known_then"),
    )


def _sanctions(
    reader: _Reader, family: Family, version: str | None, raw: Any, at: Path_, where: str
) -> tuple[str, ...] | None:
    """The sanctions an expectation names (``()`` for ``[]``; ``None`` when absent)."""
    if "sanctions" not in raw:
        return None
    value = raw["sanctions"]
    names = (value,) if isinstance(value, str) else tuple(value)
    versions = [family.version(version)] if version is not None else family.versions
    known = tuple(dict.fromkeys(s for v in versions for s in v.sanctions))
    for name in names:
        if name not in known:
            raise reader.error(
                f"sanctions names unknown sanction {name!r}",
                (*at, "sanctions"),
                f"{where}.sanctions",
                did_you_mean(name, known),
            )
    return names


def _cites(reader: _Reader, raw: Any, at: Path_, where: str) -> tuple[Mapping[str, Any], ...]:
    """The citations an expectation names, their dates read and their values as the IR
    writes them (article and paragraph as text)."""
    found = []
    for index, item in enumerate(raw):
        cite: dict[str, Any] = {}
        for key, value in item.items():
            if key == "date":
                cite[key] = _date(reader, value, (*at, index, key), f"{where}[{index}].{key}")
            elif key == "general_knowledge":
                cite[key] = bool(value)
            else:
                cite[key] = str(value)
        found.append(cite)
    return tuple(found)
