"""Mutation testing of a rule family: the changes to the law its scenarios would miss.

A *mutant* is the family with one small change made where the law is written (a rule's
definition in its version file, a repeal, an annulment): a conclusion changed, a fact
test deleted, a value added to or removed from a test, an override or a reading
dependency removed, a repeal or an annulment dropped. It is built in memory with
``attrs.evolve`` on the immutable IR; every version that inherits the changed definition
carries the change. Nothing is written, nothing runs in another process.

Each mutant is classified exactly:

* **killed**: at least one scenario expectation fails against it (the failing ones are
  named). A scenario noticed the change, whatever it noticed: the outcome, the winning
  rules, the facts still needed or the contested points;
* **equivalent**: no expectation fails and the outcome of every possible situation is
  the same as the original's, under every combination of readings and in every state of
  knowledge of the annulments. Often the sign of a redundant condition;
* **survived**: no expectation fails, yet some possible situation changes outcome. The
  report gives the region (a minimal set of conditions) where it changes, an example,
  and a proposed scenario: that situation with the *original's* answer as the
  expectation. The answer is only the current rule's: an analyst checks it against the
  law before adding it.

How it stays fast. The scenario expectations are evaluated once against the original
(that run is timed: the reference of the benchmark). A mutant can only change the
decision on an expectation whose version it changes, and only through a changed rule
whose condition is not false on the expectation's facts (three-valued, so a partial
situation counts too): a rule whose condition fails never wins, sets nothing aside and
is consulted for no contested point. Only those expectations are evaluated again, in
process, against the mutant. Equivalence is decided on decision diagrams in one shared
manager, where equal functions are the same node: the readings of the contested points
and the state of knowledge are variables of the diagram (``@point``, ``@known``), so one
diagram per version covers every combination at once, and a survivor's region says
which readings and knowledge it needs.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from disclosure._analysis.expectations import UNDETERMINED, Answer, problems
from disclosure._analysis.regions import Region, semantic_diff
from disclosure._decide.evaluate import evaluate_in
from disclosure._decide.verdict import contested_points
from disclosure._edge import parse_date
from disclosure._engines.mdd import MDD
from disclosure._engines.prepared import PreparedVersion, prepare, rules_for_readings
from disclosure._engines.symbolic import SymbolicRuleset, build_outcome
from disclosure._formats import render
from disclosure._ir.conditions import (
    TRUE,
    All,
    Any_,
    Condition,
    FactTest,
    Not,
    condition_facts,
    evaluate_condition,
    evaluate_condition_3v,
)
from disclosure._ir.defeasibility import combine_conclusions, settle
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Family, Rule, Version
from disclosure._ir.text import Text
from disclosure._ir.vocabulary import DATE_FACT, Fact, Vocabulary
from disclosure._load.bundled import bundled_family
from disclosure.errors import DisclosureError, MutationError, did_you_mean

if TYPE_CHECKING:
    from disclosure._decide.decision import Decision
    from disclosure._load.scenarios import Expectation, Scenario, ScenarioFile

__all__ = [
    "MUTATE_SCHEMA",
    "OPERATORS",
    "Difference",
    "Killer",
    "Mutant",
    "MutantResult",
    "MutationReport",
    "mutants_of",
    "mutate",
    "read_allow_list",
]

MUTATE_SCHEMA = "disclosure.mutate/1"

#: The mutation operators, in the order mutants are listed, with what each does.
OPERATORS: Mapping[str, str] = {
    "conclusion": "a rule's conclusion changed to each other outcome",
    "delete-test": "one fact test deleted from a rule's condition",
    "add-value": "one value added to a fact test's list",
    "remove-value": "one value removed from a fact test's list",
    "drop-override": "one rule removed from what a rule overrides",
    "drop-reading": "a rule's dependency on a reading of a contested point removed",
    "drop-repeal": "a version's repeal of a rule dropped: the rule stays in force",
    "drop-annulment": "a court's annulment of a rule dropped",
}

Status = Literal["equivalent", "killed", "survived"]

#: the variable of the state of knowledge in the extended diagrams, and its first value
KNOWN = "@known"
ENACTED = "enacted"

Step: TypeAlias = tuple[str, int]  # ("all", i), ("any", i), ("not", 0)


# --------------------------------------------------------------------------- results


@attrs.frozen
class Mutant:
    """One change to the law.

    ``id`` is stable across runs (it names the allow-list's entries): the version whose
    file holds the changed text, the rule, the operator and what was changed, e.g.
    ``2013-01-01:cp458bis_vulnerable_victim:delete-test:when.all[1]``. ``versions`` are
    the versions whose rules the change reaches (those inheriting the definition).
    """

    id: str
    operator: str
    version: str
    rule: str
    description: str
    versions: tuple[str, ...]
    location: str | None = None
    origin: str | None = None


@attrs.frozen
class Killer:
    """A scenario expectation that fails against a mutant (or against the original)."""

    file: str
    line: int | None
    scenario: str
    expectation: str
    problems: tuple[str, ...]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@attrs.frozen
class Difference:
    """Where a surviving mutant changes the law, and the scenario that would notice.

    ``readings`` and ``known_on`` say under which law the difference shows (the readings
    the outcome depends on there are named; ``known_on`` is ``None`` for the version as
    enacted). ``conditions`` (fact -> allowed values) is a minimal region of that law where
    the outcome changes from ``original`` to ``mutant``; ``situations`` counts the possible
    situations in it and ``changed`` those whose outcome changes under that law in all.
    ``proposal`` is a scenario in the scenario-file format, its expectation the
    original's answer: to be checked against the law before it is added.
    """

    version: str
    known_on: dt.date | None
    readings: Mapping[str, str]
    conditions: Mapping[str, frozenset[Any]]
    situations: int
    changed: int
    example: Mapping[str, Any]
    original: str
    mutant: str
    proposal: Mapping[str, Any]


@attrs.frozen
class MutantResult:
    """A mutant and its class: killed (by ``killed_by``), equivalent, or survived (with
    its ``difference``); ``allowed`` is the allow-list's reason for a known survivor."""

    mutant: Mutant
    status: Status
    killed_by: tuple[Killer, ...] = ()
    difference: Difference | None = None
    allowed: str | None = None


@attrs.frozen
class MutationReport:
    """Every mutant of a family with its class, and what the run measured.

    ``score`` is the share of the mutants that change the law (killed or survived) that
    the scenarios kill; allowed survivors count as survivors. ``scenario_seconds`` is the
    time this run took to evaluate every scenario expectation once against the original:
    the reference for ``seconds``, the whole run.
    """

    family: str
    results: tuple[MutantResult, ...]
    operators: tuple[str, ...]
    versions: tuple[str, ...]
    scenario_files: tuple[str, ...]
    expectations: int
    failing: tuple[Killer, ...]
    stale_allowances: tuple[str, ...]
    seconds: float = attrs.field(eq=False)
    scenario_seconds: float = attrs.field(eq=False)

    def _count(self, status: Status) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def killed(self) -> int:
        return self._count("killed")

    @property
    def survived(self) -> int:
        return self._count("survived")

    @property
    def equivalent(self) -> int:
        return self._count("equivalent")

    @property
    def allowed(self) -> int:
        """Survivors the allow-list explains."""
        return sum(1 for r in self.results if r.status == "survived" and r.allowed is not None)

    @property
    def unexplained(self) -> tuple[MutantResult, ...]:
        """Survivors the allow-list does not explain."""
        return tuple(r for r in self.results if r.status == "survived" and r.allowed is None)

    @property
    def score(self) -> float:
        """Killed / (killed + survived); 1.0 when no mutant changes the law."""
        relevant = self.killed + self.survived
        return self.killed / relevant if relevant else 1.0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "mutants": len(self.results),
            "killed": self.killed,
            "survived": self.survived,
            "allowed": self.allowed,
            "equivalent": self.equivalent,
        }

    def result(self, mutant_id: str) -> MutantResult:
        for result in self.results:
            if result.mutant.id == mutant_id:
                return result
        raise KeyError(mutant_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data, layout :data:`MUTATE_SCHEMA` (see the reference)."""
        found: dict[str, Any] = render("mutation", "dict", self)
        return found

    def to_json(self) -> str:
        text: str = render("mutation", "json", self)
        return text

    def to_text(self) -> str:
        text: str = render("mutation", "text", self)
        return text

    def to_markdown(self) -> str:
        text: str = render("mutation", "markdown", self)
        return text

    def proposals(self) -> str:
        """The proposed scenarios of the survivors the allow-list does not explain, as a
        scenario file (each expectation the original's answer, each source to write)."""
        text: str = render("mutation", "scenarios", self)
        return text


# --------------------------------------------------------------------------- conditions


def _tests(
    condition: Condition, path: tuple[Step, ...] = ()
) -> Iterator[tuple[tuple[Step, ...], FactTest]]:
    """Every fact test of a condition, with its path."""
    if isinstance(condition, FactTest):
        yield path, condition
    elif isinstance(condition, Not):
        yield from _tests(condition.item, (*path, ("not", 0)))
    else:
        key = "all" if isinstance(condition, All) else "any"
        for index, item in enumerate(condition.items):
            yield from _tests(item, (*path, (key, index)))


def _path_text(path: tuple[Step, ...]) -> str:
    return "when" + "".join(".not" if key == "not" else f".{key}[{i}]" for key, i in path)


def _edit(
    condition: Condition, path: tuple[Step, ...], change: Callable[[FactTest], Condition | None]
) -> Condition | None:
    """The condition with the test at ``path`` changed; ``None`` from ``change`` deletes
    the test (and a ``not`` around it) from the list that holds it."""
    if not path:
        assert isinstance(condition, FactTest)
        return change(condition)
    (key, index), rest = path[0], path[1:]
    if key == "not":
        assert isinstance(condition, Not)
        inner = _edit(condition.item, rest, change)
        return None if inner is None else Not(inner)
    assert isinstance(condition, All | Any_)
    items = list(condition.items)
    replaced = _edit(items[index], rest, change)
    if replaced is None:
        del items[index]
    else:
        items[index] = replaced
    return All(items) if isinstance(condition, All) else Any_(items)


def _replacement(new: Condition, _old: FactTest) -> Condition:
    return new


def _show_value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _show_test(test: FactTest, domain: Sequence[Any]) -> str:
    """A fact test as it reads in a ruleset file (``fact: value``, ``fact in [...]``,
    ``fact not in [...]``, whichever is shortest)."""
    chosen = [v for v in domain if v in test.values]
    others = [v for v in domain if v not in test.values]
    if len(chosen) == 1:
        return f"{test.fact}: {_show_value(chosen[0])}"
    if others and len(others) < len(chosen):
        return f"{test.fact} not in [{', '.join(map(_show_value, others))}]"
    return f"{test.fact} in [{', '.join(map(_show_value, chosen))}]"


# --------------------------------------------------------------------------- mutants


@attrs.frozen
class _Change:
    """A mutant and how to make it from the original family."""

    mutant: Mutant
    build: Callable[[Family], Family] = attrs.field(eq=False, repr=False)


def _definitions(family: Family) -> dict[str, dict[str, str]]:
    """Version id -> rule id -> id of the version whose file defines the rule as it is
    there (the version that added or last replaced it)."""
    definer: dict[str, dict[str, str]] = {}
    for version in family.versions:
        parent = definer.get(version.extends, {}) if version.extends else {}
        own = set(version.added) | set(version.replaced)
        definer[version.id] = {
            rule_id: version.id if rule_id in own or rule_id not in parent else parent[rule_id]
            for rule_id in version.rule_ids
        }
    return definer


def _mutant_hash(version: Version, mutant_id: str) -> str:
    """A content hash for a mutated version: the original's and the change, so that a
    mutant never shares a prepared form with the original or another mutant."""
    return hashlib.sha256(f"{version.content_hash}|{mutant_id}".encode()).hexdigest()


def _with_rule(family: Family, *, holders: tuple[str, ...], rule: Rule, mutant_id: str) -> Family:
    versions = []
    for version in family.versions:
        if version.id in holders:
            rules = tuple(rule if r.id == rule.id else r for r in version.rules)
            version = attrs.evolve(
                version, rules=rules, content_hash=_mutant_hash(version, mutant_id)
            )
        versions.append(version)
    return attrs.evolve(family, versions=tuple(versions))


def _rule_changes(
    family: Family, sites: frozenset[str], operators: frozenset[str]
) -> Iterator[_Change]:
    """The mutants of each rule definition made in a version of ``sites``."""
    definer = _definitions(family)
    domains = family.vocabulary.domains
    for version in family.versions:
        if version.id not in sites:
            continue
        for rule in version.rules:
            if definer[version.id][rule.id] != version.id:
                continue
            holders = tuple(
                v.id for v in family.versions if definer[v.id].get(rule.id) == version.id
            )
            for operator, detail, location, description, changed in _rule_mutations(
                rule, domains, operators
            ):
                mutant_id = ":".join(
                    part for part in (version.id, rule.id, operator, detail) if part
                )
                mutant = Mutant(
                    id=mutant_id,
                    operator=operator,
                    version=version.id,
                    rule=rule.id,
                    description=f"{rule.id}: {description}",
                    versions=holders,
                    location=location,
                    origin=rule.origin,
                )
                yield _Change(
                    mutant,
                    functools.partial(
                        _with_rule, holders=holders, rule=changed, mutant_id=mutant_id
                    ),
                )


def _rule_mutations(
    rule: Rule, domains: Mapping[str, tuple[Any, ...]], operators: frozenset[str]
) -> Iterator[tuple[str, str, str | None, str, Rule]]:
    """(operator, id detail, location, description, changed rule) for one rule."""
    if "conclusion" in operators:
        for outcome in Outcome:
            if outcome is not rule.conclusion:
                yield (
                    "conclusion",
                    outcome.value,
                    "then",
                    f"concludes {outcome.value} instead of {rule.conclusion.value}",
                    attrs.evolve(rule, conclusion=outcome),
                )
    tests = list(_tests(rule.when))
    for path, test in tests:
        where = _path_text(path)
        shown = _show_test(test, domains[test.fact])
        if "delete-test" in operators:
            when = _edit(rule.when, path, lambda _: None)
            yield (
                "delete-test",
                where,
                where,
                f"`{shown}` deleted",
                attrs.evolve(rule, when=TRUE if when is None else when),
            )
        domain = domains[test.fact]
        if isinstance(domain[0], bool):
            continue  # a bool test has no list: a value more or less is deleting it
        for operator, values in (
            ("add-value", [v for v in domain if v not in test.values]),
            ("remove-value", [v for v in domain if v in test.values]),
        ):
            if operator not in operators:
                continue
            for value in values:
                widened = (
                    test.values | {value} if operator == "add-value" else test.values - {value}
                )
                if not widened or len(widened) == len(domain):
                    continue  # true of no value, or of all (that is delete-test)
                new = FactTest(test.fact, widened)
                when = _edit(rule.when, path, functools.partial(_replacement, new))
                assert when is not None
                verb = "added to" if operator == "add-value" else "removed from"
                yield (
                    operator,
                    f"{where}:{_show_value(value)}",
                    where,
                    f"{_show_value(value)} {verb} `{shown}`",
                    attrs.evolve(rule, when=when),
                )
    if "drop-override" in operators:
        for target in rule.overrides:
            yield (
                "drop-override",
                target,
                "overrides",
                f"no longer overrides {target}",
                attrs.evolve(rule, overrides=tuple(t for t in rule.overrides if t != target)),
            )
    if "drop-reading" in operators and rule.reading is not None:
        readings = ", ".join(sorted(rule.reading.readings))
        yield (
            "drop-reading",
            "",
            "reading",
            f"applies under every reading of {rule.reading.point} (not only {readings})",
            attrs.evolve(rule, reading=None),
        )


def _inheritors(family: Family, start: Version, rule_id: str) -> tuple[str, ...]:
    """``start`` and the versions that inherit its state of ``rule_id`` (through
    ``extends``, until a version adds, replaces or repeals it)."""
    found = [start.id]
    for version in family.versions:
        if version.extends in found and rule_id not in (
            *version.added,
            *version.replaced,
            *version.repealed,
        ):
            found.append(version.id)
    return tuple(found)


def _restored(version: Version, parent: Version, rule: Rule) -> tuple[Rule, ...]:
    """``version``'s rules with ``rule`` back where the parent had it."""
    order = parent.rule_ids
    after = set(order[order.index(rule.id) + 1 :])
    rules = list(version.rules)
    index = next((i for i, r in enumerate(rules) if r.id in after), len(rules))
    rules.insert(index, rule)
    return tuple(rules)


def _without_repeal(family: Family, *, version: Version, rule_id: str, mutant_id: str) -> Family:
    assert version.extends is not None
    parent = family.version(version.extends)
    rule = parent.rule(rule_id)
    holders = _inheritors(family, version, rule_id)
    return attrs.evolve(
        family,
        versions=tuple(
            attrs.evolve(
                current,
                rules=_restored(current, parent, rule),
                repealed=tuple(r for r in current.repealed if r != rule_id),
                content_hash=_mutant_hash(current, mutant_id),
            )
            if current.id in holders
            else current
            for current in family.versions
        ),
    )


def _without_annulment(family: Family, *, version: Version, index: int) -> Family:
    annulments = version.annulments[:index] + version.annulments[index + 1 :]
    changed = attrs.evolve(version, annulments=annulments)
    return attrs.evolve(
        family, versions=tuple(changed if v is version else v for v in family.versions)
    )


def _version_changes(
    family: Family, sites: frozenset[str], operators: frozenset[str]
) -> Iterator[_Change]:
    """The mutants of each repeal and annulment made in a version of ``sites``."""
    for version in family.versions:
        if version.id not in sites:
            continue
        if "drop-repeal" in operators and version.extends is not None:
            for rule_id in version.repealed:
                mutant_id = f"{version.id}:{rule_id}:drop-repeal"
                yield _Change(
                    Mutant(
                        id=mutant_id,
                        operator="drop-repeal",
                        version=version.id,
                        rule=rule_id,
                        description=f"{rule_id}: no longer repealed by version {version.name}",
                        versions=_inheritors(family, version, rule_id),
                        location="repeal",
                        origin=version.source_file,
                    ),
                    functools.partial(
                        _without_repeal, version=version, rule_id=rule_id, mutant_id=mutant_id
                    ),
                )
        if "drop-annulment" in operators:
            for index, annulment in enumerate(version.annulments):
                holders = tuple(v.id for v in family.versions if annulment.rule in v.rule_ids)
                yield _Change(
                    Mutant(
                        id=f"{version.id}:{annulment.rule}:drop-annulment",
                        operator="drop-annulment",
                        version=version.id,
                        rule=annulment.rule,
                        description=(
                            f"{annulment.rule}: no longer annulled "
                            f"({annulment.source.label}, {annulment.decided_on})"
                        ),
                        versions=holders,
                        location="annul",
                        origin=version.source_file,
                    ),
                    functools.partial(_without_annulment, version=version, index=index),
                )


def _sites(family: Family, versions: Iterable[str] | None) -> list[str]:
    """The ids of the versions named (all when ``None``), in the family's order."""
    if versions is None:
        return [v.id for v in family.versions]
    named = {family.version(name).id for name in versions}
    return [v.id for v in family.versions if v.id in named]


def mutants_of(
    family: Family,
    versions: Iterable[str] | None = None,
    operators: Iterable[str] | None = None,
) -> list[_Change]:
    """Every mutant of ``family`` made in ``versions`` (ids or aliases; default all)
    with ``operators`` (default all), in a stable order."""
    chosen = _operators(operators)
    sites = frozenset(_sites(family, versions))
    changes = [*_rule_changes(family, sites, chosen), *_version_changes(family, sites, chosen)]
    order = {name: index for index, name in enumerate(OPERATORS)}
    position = {v.id: i for i, v in enumerate(family.versions)}
    return sorted(changes, key=lambda c: (position[c.mutant.version], order[c.mutant.operator]))


def _operators(operators: Iterable[str] | None) -> frozenset[str]:
    if operators is None:
        return frozenset(OPERATORS)
    if isinstance(operators, str):
        operators = [operators]
    chosen = []
    for name in operators:
        if name not in OPERATORS:
            hint = did_you_mean(name, OPERATORS)
            raise MutationError(
                f"unknown mutation operator {name!r}; operators: {', '.join(OPERATORS)}"
                + (f"; did you mean {hint!r}?" if hint else "")
            )
        chosen.append(name)
    if not chosen:
        raise MutationError(f"no mutation operator chosen; operators: {', '.join(OPERATORS)}")
    return frozenset(chosen)


# --------------------------------------------------------------------------- scenarios


@attrs.frozen(eq=False)
class _Case:
    """One scenario expectation, and the law the original decides it under: the
    version, the law as known (``None``: as enacted), the readings, the validated facts
    (without the date) and, on a complete situation, the rules of the original that
    apply."""

    file: ScenarioFile
    scenario: Scenario
    expectation: Expectation
    version: str = ""
    known_on: dt.date | None = None
    readings: Mapping[str, str] = attrs.field(factory=dict)
    situation: Mapping[str, Any] = attrs.field(factory=dict)
    applies: Mapping[str, bool] | None = None

    def killer(self, problems: Sequence[str]) -> Killer:
        return Killer(
            file=str(self.file.path),
            line=self.expectation.line or self.scenario.line,
            scenario=self.scenario.name,
            expectation=self.expectation.label,
            problems=tuple(problems),
        )


def _load_stage() -> Any:
    """The ruleset and scenario-file readers, imported when first needed (as the rest of
    the library does), so that importing disclosure never imports the YAML and JSON
    Schema machinery."""
    from disclosure._load import loader, scenarios

    return loader, scenarios


def _scenario_paths(scenarios: Any) -> list[Path]:
    if scenarios is None:
        default = Path("tests") / "scenarios"
        if not default.is_dir():
            raise MutationError(
                "no scenario files: give scenarios= (a folder or files), or run where "
                "tests/scenarios is"
            )
        scenarios = default
    items = [scenarios] if isinstance(scenarios, str | os.PathLike) else list(scenarios)
    paths: list[Path] = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            paths.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        elif path.is_file():
            paths.append(path)
        else:
            raise MutationError(f"{path}: no such scenario file or folder")
    return paths


def _read_scenarios(paths: Sequence[Path], family: Family) -> list[ScenarioFile]:
    """The scenario files among ``paths`` that are about ``family`` (by its id)."""
    read = _load_stage()[1].read_scenario_file
    found = []
    for path in paths:
        parsed = read(path)
        if parsed is not None and parsed.family.id == family.id:
            found.append(parsed)
    return found


def _check(family: Family, case: _Case) -> tuple[Decision | None, list[str]]:
    """The decision of ``family`` on the case, as the scenario plugin makes it (on the
    compiled engine), and what it fails (an error of the library is a failure)."""
    scenario, expectation = case.scenario, case.expectation
    try:
        decision = evaluate_in(
            family,
            dict(scenario.facts),
            on=expectation.on,
            known_on=expectation.known_on,
            version=expectation.version,
            readings={**scenario.readings, **expectation.readings},
        )
    except DisclosureError as error:
        return None, [f"{type(error).__name__}: {error}"]
    return decision, problems(case.expectation, Answer.of(decision))


def _answer(
    rules: Sequence[Rule],
    situation: Mapping[str, Any],
    readings: Mapping[str, str],
    applies: Mapping[str, bool] | None,
    prepared: Callable[[], PreparedVersion],
    contested: bool = True,
) -> Answer:
    """The answer of the law whose rules in effect are ``rules`` (a version with the
    annulments known applied) on a validated situation, as :func:`disclosure.evaluate`
    gives it: on a complete situation, which rules apply settles the outcome and the
    winners (a conflict or a gap is an error); on a partial one, the outcomes its
    possible completions may have and the facts still needed come from the decision
    diagram. ``applies`` are the rules known to apply on a complete situation (the
    others' conditions are evaluated); ``prepared`` makes the prepared form, when it is
    needed (a partial situation, or the contested points when ``contested``)."""
    in_play = rules_for_readings(tuple(rules), readings)
    missing: tuple[str, ...] = ()
    if applies is not None:
        status: Mapping[str, bool | None] = {
            rule.id: applies[rule.id]
            if applies.get(rule.id) is not None
            else evaluate_condition(rule.when, situation)
            for rule in rules
        }
        settlement = settle(in_play, {r.id for r in in_play if status[r.id]})
        if settlement.outcome is None:
            what = "two winners conflict" if settlement.conflict else "no rule applies"
            return Answer(f"error: {what} ({', '.join(settlement.conflict)})")
        outcome: Outcome | None = settlement.outcome
        form = None
    else:
        form = prepared()
        status = form.compiled.match(situation)
        settlement = settle(in_play, {r.id for r in in_play if status[r.id] is True})
        possible, missing = form.open_outcomes(situation, readings)
        outcome = possible[0] if len(possible) == 1 and not missing else None
    points: frozenset[str] = frozenset()
    if contested:
        form = form or prepared()
        found = contested_points(form, situation, status, readings, outcome, applies is not None)
        points = frozenset(dependency.point for dependency in found)
    winners = settlement.winners if outcome is not None else ()
    return Answer(
        outcome=outcome.value if outcome is not None else UNDETERMINED,
        winners=tuple(rule.id for rule in winners),
        missing=missing,
        contested=points,
        # the sanctions the winners bring (their penalties, citations, warnings and the
        # answer as known on the date of the facts are left unchecked here)
        sanctions=tuple(dict.fromkeys(s for rule in winners for s in rule.sanctions)),
    )


def _cases(family: Family, files: Sequence[ScenarioFile]) -> tuple[list[_Case], list[Killer], int]:
    """Every expectation decided by the original: those it meets, those it fails
    (named, and left out: they would kill every mutant), and how many in all."""
    cases: list[_Case] = []
    failing: list[Killer] = []
    total = 0
    names = set(family.vocabulary.domains)
    for parsed in files:
        for scenario in parsed.scenarios:
            for expectation in scenario.expectations:
                total += 1
                case = _Case(parsed, scenario, expectation)
                decision, failed = _check(family, case)
                if decision is None or failed:
                    failing.append(case.killer(failed))
                    continue
                receipt = decision.receipt
                situation = {k: v for k, v in decision.facts.items() if k != DATE_FACT}
                applies = None
                if names <= situation.keys():
                    version = family.version(receipt.version)
                    applies = {
                        rule.id: evaluate_condition(rule.when, situation) for rule in version.rules
                    }
                cases.append(
                    attrs.evolve(
                        case,
                        version=receipt.version,
                        known_on=receipt.known_on,
                        readings=dict(receipt.readings),
                        situation=situation,
                        applies=applies,
                    )
                )
    return cases, failing, total


def _in_effect(family: Family, version: Version, known_on: dt.date | None) -> dict[str, Rule]:
    annulled = (
        {a.rule for a in family.annulled_as_known(version, known_on)}
        if known_on is not None
        else set()
    )
    return {rule.id: rule for rule in version.rules if rule.id not in annulled}


def _killer(
    family: Family,
    mutant_family: Family,
    groups: Mapping[tuple[str, dt.date | None], Sequence[_Case]],
    versions: Sequence[str],
) -> Killer | None:
    """The first case the mutant fails, if any.

    Only the cases of a version the mutant changes are looked at, and of those only the
    ones where a changed rule's condition is not false (three-valued): a rule whose
    condition fails wins nothing, sets nothing aside and is consulted for no contested
    point, so the decision's checked parts stay the original's. The mutant's prepared
    forms are made for this mutant only and dropped with it."""
    for (version_id, known_on), group in groups.items():
        if version_id not in versions:
            continue
        version = mutant_family.version(version_id)
        before = _in_effect(family, family.version(version_id), known_on)
        after = _in_effect(mutant_family, version, known_on)
        changed = [
            rule_id
            for rule_id in dict.fromkeys([*before, *after])
            if before.get(rule_id) is not after.get(rule_id)
        ]
        if not changed:
            continue
        differing = [
            rule
            for rule_id in changed
            for rule in (before.get(rule_id), after.get(rule_id))
            if rule is not None
        ]
        rules = tuple(after.values())
        made: list[PreparedVersion] = []

        def prepared(
            version: Version = version,
            rules: tuple[Rule, ...] = rules,
            made: list[PreparedVersion] = made,
        ) -> PreparedVersion:
            if not made:
                annulled = frozenset(r.id for r in version.rules) - {r.id for r in rules}
                made.append(PreparedVersion(mutant_family, version, annulled))
            return made[0]

        for case in group:
            if not any(
                evaluate_condition_3v(rule.when, case.situation) is not False for rule in differing
            ):
                continue
            applies = (
                {k: v for k, v in case.applies.items() if k not in changed}
                if case.applies is not None
                else None
            )
            answer = _answer(
                rules,
                case.situation,
                case.readings,
                applies,
                prepared,
                contested=bool(case.expectation.contested),
            )
            failed = problems(case.expectation, answer)
            if failed:
                return case.killer(failed)
    return None


# --------------------------------------------------------------------------- the symbolic law


def _terminal(value: Any) -> str:
    if isinstance(value, Outcome):
        return value.value
    return str(value)


class _Space:
    """The family's versions as decision diagrams over the facts, the reading of each
    contested point (``@point``) and the state of knowledge of the annulments
    (``@known``: ``enacted``, or known on an annulment's date), all in one manager: two
    versions of the law decide alike in every possible situation, under every reading
    and in every state of knowledge, exactly when their diagrams are the same node.

    The extra variables come after the facts in the order (the diagrams are smaller so:
    only a few rules read them). Diagrams are remembered by the rules they are built
    from, so a version that holds the same rules as another (or as a mutant of another)
    is built once."""

    def __init__(self, family: Family) -> None:
        self.family = family
        self.reading_var = {point.id: f"@{point.id}" for point in family.contested}
        dates = sorted({annulment.decided_on for annulment in family.annulments})
        self.knowledge: tuple[str, ...] = (ENACTED, *(d.isoformat() for d in dates))
        extra = [
            Fact(self.reading_var[point.id], "enum", point.reading_ids, point.question)
            for point in family.contested
        ]
        if len(self.knowledge) > 1:
            meaning = Text.same("the law as enacted, or as known on an annulment's date")
            extra.append(Fact(KNOWN, "enum", self.knowledge, meaning))
        self.extra = tuple(fact.name for fact in extra)
        self.facts = tuple(family.vocabulary.domains)
        self.vocabulary = Vocabulary(
            facts=(*family.vocabulary.facts, *extra), impossible=family.vocabulary.impossible
        )
        self.manager = MDD.for_vocabulary(self.vocabulary, (*self.facts, *self.extra))
        with self.manager.lock:
            self.possible = self.manager.not_(
                self.manager.disjunction(
                    self.manager.condition(item.when) for item in self.vocabulary.impossible
                )
            )
        # (rule ids and objects, annulled per state) -> (the rules, their diagram)
        self._built: dict[tuple[Any, ...], tuple[tuple[Rule, ...], SymbolicRuleset]] = {}

    def known_on(self, state: str) -> dt.date | None:
        return None if state == ENACTED else parse_date(state, "a state of knowledge")

    def same_where_possible(self, a: Condition, b: Condition) -> bool:
        """Whether two conditions hold in exactly the same possible situations."""
        manager = self.manager
        with manager.lock:
            return bool(
                manager.and_(manager.condition(a), self.possible)
                == manager.and_(manager.condition(b), self.possible)
            )

    def outcome(self, family: Family, version: Version) -> SymbolicRuleset:
        annulled = tuple(
            frozenset(
                a.rule for a in family.annulled_as_known(version, _day(state))
            )
            for state in self.knowledge[1:]
        )
        key = (tuple(map(id, version.rules)), annulled)
        found = self._built.get(key)
        if found is None:
            rules = [self._extended(rule, annulled) for rule in version.rules]
            diagram = build_outcome(self.vocabulary, rules, manager=self.manager)
            found = self._built[key] = (version.rules, diagram)
        return found[1]

    def _extended(self, rule: Rule, annulled: Sequence[frozenset[str]]) -> Rule:
        """The rule with its reading and its annulments as conditions on the extra
        variables."""
        parts: list[Condition] = [rule.when]
        if rule.reading is not None:
            readings: frozenset[Any] = rule.reading.readings
            parts.append(FactTest(self.reading_var[rule.reading.point], readings))
        gone = [
            state for state, ids in zip(self.knowledge[1:], annulled, strict=True) if rule.id in ids
        ]
        if gone:
            alive: frozenset[Any] = frozenset(s for s in self.knowledge if s not in gone)
            parts.append(FactTest(KNOWN, alive))
        return rule if len(parts) == 1 else attrs.evolve(rule, when=All(parts), reading=None)

    def original(self, version_id: str) -> SymbolicRuleset:
        return self.outcome(self.family, self.family.version(version_id))

    def split(self, assignment: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str], str]:
        """An assignment of the variables as (facts, readings, knowledge)."""
        facts = {name: assignment[name] for name in self.facts if name in assignment}
        readings = {
            point: assignment[var] for point, var in self.reading_var.items() if var in assignment
        }
        return facts, readings, assignment.get(KNOWN, ENACTED)


def _equivalent_condition(space: _Space, family: Family, mutant: Family, change: _Change) -> bool:
    """Whether the mutant only rewrites a rule's condition into one that holds in the
    same possible situations (then no outcome can change: a cheap, sufficient test)."""
    if change.mutant.operator not in ("delete-test", "add-value", "remove-value"):
        return False
    version = change.mutant.version
    before = family.version(version).rule(change.mutant.rule)
    after = mutant.version(version).rule(change.mutant.rule)
    return space.same_where_possible(before.when, after.when)


def _region_key(space: _Space, region: Region) -> tuple[int, int, int, int]:
    """Expressible first (the original gives an outcome), then fewest conditions on
    facts, fewest on readings and knowledge, most situations."""
    on_facts = sum(1 for name in region.conditions if name in space.facts)
    return (
        0 if isinstance(region.outcome_a, Outcome) else 1,
        on_facts,
        len(region.conditions) - on_facts,
        -region.size,
    )


def _differ(a: Any, b: Any) -> bool:
    return bool(a != b)


def _choose_terms(
    space: _Space, original: SymbolicRuleset, mutant: SymbolicRuleset
) -> dict[str, Any]:
    """Readings and a state of knowledge under which the two differ somewhere: each
    default reading and the law as enacted wherever that is possible (walks of one
    diagram of where they differ; no region is computed)."""
    manager = space.manager
    differs = manager.apply(_differ, original.outcome, mutant.outcome, key="mutate-differs")
    preferred: dict[str, Any] = {
        space.reading_var[point.id]: point.default for point in space.family.contested
    }
    if KNOWN in space.extra:
        preferred[KNOWN] = ENACTED

    def somewhere(terms: Mapping[str, Any]) -> bool:
        within = {name: (value,) for name, value in terms.items()}
        return True in manager.terminals(differs, within=within)

    if somewhere(preferred):
        return preferred
    example = manager.example(differs, lambda value: value is True)
    assert example is not None  # the caller found them different
    terms = {name: example[name] for name in space.extra}
    for name in space.extra:
        trial = {**terms, name: preferred[name]}
        if somewhere(trial):
            terms = trial
    return terms


def _single(ruleset: SymbolicRuleset, partial: Mapping[str, Any]) -> Any:
    found = ruleset.possible_outcomes(partial)
    return next(iter(found)) if len(found) == 1 else None


def _read_by(family: Family, mutant: Family, change: Mutant, version_id: str) -> set[str]:
    """The facts the changed rule reads, in the original and in the mutant."""
    found: set[str] = set()
    for side in (family, mutant):
        rules = {rule.id: rule for rule in side.version(version_id).rules}
        if change.rule in rules:
            found |= condition_facts(rules[change.rule].when)
    return found


def _difference(
    space: _Space, change: _Change, family: Family, mutant_family: Family, version_id: str
) -> Difference:
    """Where the mutant decides ``version_id`` otherwise, and the proposed scenario."""
    original = space.original(version_id)
    mutant = space.outcome(mutant_family, mutant_family.version(version_id))
    terms = _choose_terms(space, original, mutant)
    there = semantic_diff(original, mutant, where=terms, max_regions=1)
    region = min(there.regions, key=lambda r: _region_key(space, r))
    example = dict(region.example)
    a, b = original.outcome_of(example), mutant.outcome_of(example)
    # leave out the facts that change neither side's answer, so that the scenario shows
    # what matters; the region's facts and those the changed rule reads are kept
    kept = set(region.conditions) | _read_by(family, mutant_family, change.mutant, version_id)
    partial = dict(example)
    for name in reversed(space.facts):
        if name in kept:
            continue
        trial = {k: v for k, v in partial.items() if k != name}
        if _single(original, trial) == a and _single(mutant, trial) == b:
            partial = trial
    facts, chosen, state = space.split(partial)
    named = {}
    for point in space.family.contested:
        var = space.reading_var[point.id]
        flips = [
            {**partial, var: other} for other in point.reading_ids if other != chosen[point.id]
        ]
        if chosen[point.id] != point.default or any(
            _single(original, flip) != a or _single(mutant, flip) != b for flip in flips
        ):
            named[point.id] = chosen[point.id]
    version = family.version(version_id)
    known_on = space.known_on(state)
    proposal = _proposal(change.mutant, version, facts, named, known_on, a, family)
    return Difference(
        version=version_id,
        known_on=known_on,
        readings=named,
        conditions={k: v for k, v in region.narrowed.items() if k in space.facts},
        situations=region.size,
        changed=sum(there.totals.values()),
        example=space.split(example)[0],
        original=_terminal(a),
        mutant=_terminal(b),
        proposal=proposal,
    )


def _answer_to(family: Family, proposal: Mapping[str, Any]) -> Answer:
    """The answer of the original ``family`` to a proposed scenario (its prepared forms
    are the library's, cached)."""
    (expect,) = proposal["expect"]
    version = family.version(expect["version"])
    known_on = parse_date(expect.get("known_on"), "known_on")
    rules = tuple(_in_effect(family, version, known_on).values())
    annulled = frozenset(version.rule_ids) - {rule.id for rule in rules}
    readings = {point.id: point.default for point in family.contested}
    readings.update(proposal.get("readings", {}))
    situation = family.vocabulary.validate(proposal["facts"])
    complete = set(family.vocabulary.domains) <= situation.keys()
    return _answer(
        rules,
        situation,
        readings,
        {} if complete else None,
        lambda: prepare(family, version, annulled),
        contested=False,
    )


def _proposal(
    mutant: Mutant,
    version: Version,
    facts: Mapping[str, Any],
    readings: Mapping[str, str],
    known_on: dt.date | None,
    outcome: Any,
    family: Family,
) -> dict[str, Any]:
    """The proposed scenario: the situation with the original's answer and the rules
    that give it."""
    expect: dict[str, Any] = {"version": version.name}
    if known_on is not None:
        expect["known_on"] = known_on.isoformat()
    scenario: dict[str, Any] = {
        "name": f"guards {mutant.id}",
        "source": "to check: the article, the brief's section and the [S#] sources this "
        "answer rests on",
        "note": f"proposed by disclosure mutate: {mutant.description}",
        "facts": dict(facts),
    }
    if readings:
        scenario["readings"] = dict(readings)
    scenario["expect"] = [expect]
    answer = _answer_to(family, scenario)
    if answer.outcome != outcome.value:  # pragma: no cover - the diagrams say otherwise
        raise AssertionError(f"{mutant.id}: the original gives {answer.outcome}, not {outcome}")
    expect["outcome"] = outcome.value
    # the winners, when they give the outcome (on a partial situation, the outcome may
    # rest on facts the vocabulary implies, the winners on those given only)
    conclusions = {version.rule(rule_id).conclusion for rule_id in answer.winners}
    if answer.winners and combine_conclusions(conclusions) is outcome:
        expect["basis"] = list(answer.winners)
    return scenario


# --------------------------------------------------------------------------- allow-list


def read_allow_list(source: str | os.PathLike[str] | Mapping[str, str]) -> dict[str, str]:
    """Mutant id -> the reason it may survive, from a mapping or a YAML file::

        allow:
          - mutant: 2017-09-01:cic46bis1_p3_council_member:drop-reading
            reason: why no scenario can settle it

    A reason is required: an allowance says why the law leaves the change unsettled.
    """
    if isinstance(source, Mapping):
        entries: Any = [{"mutant": k, "reason": v} for k, v in source.items()]
        where = "allow"
    else:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import YAMLError

        path = Path(source)
        where = str(path)
        try:
            data = YAML(typ="safe", pure=True).load(path.read_text("utf-8"))
        except OSError as error:
            raise MutationError(
                f"{path}: cannot read the allow-list: {error.strerror or error}"
            ) from None
        except YAMLError as error:
            raise MutationError(f"{path}: the allow-list is not valid YAML: {error}") from None
        if data is None:
            data = {"allow": []}  # an empty file: nothing allowed
        if not isinstance(data, Mapping) or set(data) != {"allow"}:
            raise MutationError(f"{path}: an allow-list is a mapping with one key, 'allow'")
        entries = data["allow"] or []
    if not isinstance(entries, list):
        raise MutationError(f"{where}: 'allow' must be a list of {{mutant, reason}} entries")
    allowed: dict[str, str] = {}
    for index, entry in enumerate(entries):
        if (
            not isinstance(entry, Mapping)
            or set(entry) != {"mutant", "reason"}
            or not isinstance(entry["mutant"], str)
            or not isinstance(entry["reason"], str)
            or not entry["reason"].strip()
        ):
            raise MutationError(
                f"{where}: allow[{index}] must give a mutant id and a non-empty reason"
            )
        if entry["mutant"] in allowed:
            raise MutationError(f"{where}: allow[{index}]: {entry['mutant']} is listed twice")
        allowed[entry["mutant"]] = " ".join(entry["reason"].split())
    return allowed


# --------------------------------------------------------------------------- the run


def _family(family_or_path: Family | str | os.PathLike[str] | None) -> Family:
    if isinstance(family_or_path, Family):
        return family_or_path
    if family_or_path is None:
        return bundled_family()
    loaded: Family = _load_stage()[0].load_family(family_or_path)
    return loaded


def mutate(
    family_or_path: Family | str | os.PathLike[str] | None = None,
    *,
    scenarios: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    versions: str | Iterable[str] | None = None,
    operators: str | Iterable[str] | None = None,
    allow: str | os.PathLike[str] | Mapping[str, str] | None = None,
) -> MutationReport:
    """Mutation testing: which small changes to the law would the scenarios miss?

    Each mutant is the family with one change made where the law is written (see
    :data:`OPERATORS`), built in memory. It is *killed* when a scenario expectation
    fails against it, *equivalent* when no possible situation changes outcome under
    any reading or state of knowledge, and *survived* otherwise: then the report gives
    the region where the outcome changes and a proposed scenario with the original's
    answer, to check against the law before adding it.

    :param family_or_path: a :class:`~disclosure.Family`, or the folder of one; the
        bundled family by default.
    :param scenarios: scenario files, or folders searched for them (``*.yaml``); only
        the files about this family count. Default: ``tests/scenarios``.
    :param versions: mutate only what these versions' files write (ids or aliases);
        default: every version.
    :param operators: the mutation operators to apply (names of :data:`OPERATORS`);
        default: all of them.
    :param allow: an allow-list (a YAML file, or a mapping of mutant id to reason) of
        survivors known and explained; they still count in the score.
    :raises MutationError: an unknown operator, no scenario file about the family, a
        malformed allow-list; a bad family or version raises its own error.
    """
    started = time.perf_counter()
    family = _family(family_or_path)
    if isinstance(versions, str):
        versions = [versions]
    changes = mutants_of(family, versions, operators)
    allowances = read_allow_list(allow) if allow is not None else {}
    paths = _scenario_paths(scenarios)
    files = _read_scenarios(paths, family)
    if not files:
        raise MutationError(
            f"no scenario file about family {family.id} among {len(paths)} file(s) given"
        )
    clock = time.perf_counter()
    cases, failing, total = _cases(family, files)
    scenario_seconds = time.perf_counter() - clock
    groups: dict[tuple[str, dt.date | None], list[_Case]] = {}
    for case in cases:
        groups.setdefault((case.version, case.known_on), []).append(case)
    space: _Space | None = None
    results = []
    for change in changes:
        mutant = change.mutant
        mutant_family = change.build(family)
        killer = _killer(family, mutant_family, groups, mutant.versions)
        if killer is not None:
            results.append(MutantResult(mutant, "killed", killed_by=(killer,)))
            continue
        space = space or _Space(family)
        if _equivalent_condition(space, family, mutant_family, change):
            results.append(MutantResult(mutant, "equivalent"))
            continue
        # the version whose file holds the change first: it most likely differs there
        ordered = sorted(mutant.versions, key=lambda v: v != mutant.version)
        differing = next(
            (
                version_id
                for version_id in ordered
                if space.outcome(mutant_family, mutant_family.version(version_id)).outcome
                != space.original(version_id).outcome
            ),
            None,
        )
        if differing is None:
            results.append(MutantResult(mutant, "equivalent"))
            continue
        difference = _difference(space, change, family, mutant_family, differing)
        results.append(
            MutantResult(
                mutant, "survived", difference=difference, allowed=allowances.get(mutant.id)
            )
        )
    generated = {change.mutant.id for change in changes}
    survivors = {r.mutant.id for r in results if r.status == "survived"}
    complete = versions is None and operators is None
    stale = tuple(
        mutant_id
        for mutant_id in allowances
        if mutant_id not in survivors and (mutant_id in generated or complete)
    )
    return MutationReport(
        family=family.id,
        results=tuple(results),
        operators=tuple(name for name in OPERATORS if name in _operators(operators)),
        versions=tuple(_sites(family, versions)),
        scenario_files=tuple(str(parsed.path) for parsed in files),
        expectations=total,
        failing=tuple(failing),
        stale_allowances=stale,
        seconds=time.perf_counter() - started,
        scenario_seconds=scenario_seconds,
    )


def _day(state: str) -> dt.date:
    """A state of knowledge other than as enacted: its day."""
    day = parse_date(state, "a state of knowledge")
    assert day is not None
    return day
