"""``disclosure check``: find the defects of a rule family before its users do.

Structural checks read the IR: overrides, readings, sanctions and sources that name
nothing, cycles of overrides, tests of unknown facts or values, duplicate rules, missing
citations, texts missing a language. Semantic checks are exact over the whole fact space:
every possible complete situation (the vocabulary's impossible combinations excluded), for
every version, in every state of its annulments (as enacted, and as known after each
annulment that removes some of its rules), under every combination of the readings of the
contested points its rules depend on:

* a *conflict*: two applicable rules, neither overriding the other, that disagree;
* a *gap*: no rule applies;
* a *dead rule*: its condition holds in no possible situation;
* a rule *always overridden*: it applies somewhere, but never wins;
* an *idle override*: a rule overrides one with which it never applies (a warning).

Two methods give the same findings: ``symbolic`` (decision diagrams, fast on large
vocabularies; the default) and ``exhaustive`` (enumerates every situation; small
vocabularies only; the tests hold the two equal).

Readings: the combinations are taken over the *classes* of readings of each point: two
readings that put the same rules in play behave identically, so one stands for both. The
full product of classes is checked (conflicts can arise only when two points' readings
meet); only when it would exceed ``max_combinations`` are the points taken one at a time
(the others at their default), and the report says so.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from disclosure._engines.compiled import CompiledMatcher
from disclosure._engines.prepared import rules_for_readings
from disclosure._ir.conditions import All, Any_, Condition, FactTest, Not, evaluate_condition
from disclosure._ir.defeasibility import override_cycle, settle
from disclosure._ir.ruleset import Citation, Family, Rule, Version
from disclosure._ir.text import LANGUAGES, Text
from disclosure.errors import DisclosureError, did_you_mean

__all__ = ["CHECK_SCHEMA", "CheckReport", "Defect", "VersionSummary", "check_family"]

#: identifies the JSON layout of :meth:`CheckReport.to_dict`
CHECK_SCHEMA = "disclosure.check/1"

Severity = Literal["error", "warning"]
Method = Literal["symbolic", "exhaustive"]

#: Above this many possible situations, the exhaustive method refuses to run.
EXHAUSTIVE_LIMIT = 200_000

#: Every kind of defect, with its severity.
KINDS: dict[str, Severity] = {
    "conflict": "error",
    "gap": "error",
    "dead_rule": "error",
    "always_overridden": "error",
    "override_cycle": "error",
    "unknown_override": "error",
    "unknown_reading": "error",
    "bad_default_reading": "error",
    "unknown_provision": "error",
    "unknown_source": "error",
    "unknown_fact": "error",
    "unknown_value": "error",
    "duplicate_rule": "error",
    "unknown_annulment": "error",
    "missing_translation": "error",
    "general_knowledge_confidence": "error",
    "missing_citation": "warning",
    "missing_label": "warning",
    "idle_override": "warning",
    "unused_point": "warning",
}


@attrs.frozen
class Defect:
    """One defect found.

    For conflicts and gaps: ``situation`` is an example and ``count`` the exact number of
    possible situations concerned, under ``readings`` (the readings chosen other than the
    defaults: pass them to :func:`disclosure.evaluate` to reproduce it) and ``state``
    (which annulments were applied); the defect occurs under ``combinations`` of the
    ``of_combinations`` combinations of readings checked."""

    kind: str
    message: str
    version: str | None = None
    rules: tuple[str, ...] = ()
    state: str | None = None
    readings: Mapping[str, str] | None = None
    situation: Mapping[str, Any] | None = None
    count: int | None = None
    combinations: int | None = None
    of_combinations: int | None = None
    location: str | None = None

    @property
    def severity(self) -> Severity:
        return KINDS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "version": self.version,
            "rules": list(self.rules),
            "state": self.state,
            "readings": dict(self.readings) if self.readings is not None else None,
            "situation": _json_situation(self.situation),
            "count": self.count,
            "combinations": self.combinations,
            "of_combinations": self.of_combinations,
            "location": self.location,
        }


@attrs.frozen
class VersionSummary:
    """What was checked of one version."""

    id: str
    name: str
    rules: int
    possible_situations: int | None
    reading_combinations: int
    readings_strategy: str
    states: tuple[str, ...]
    checked: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "rules": self.rules,
            "possible_situations": self.possible_situations,
            "reading_combinations": self.reading_combinations,
            "readings_strategy": self.readings_strategy,
            "states": list(self.states),
            "semantics_checked": self.checked,
        }


@attrs.frozen
class CheckReport:
    """The findings of :func:`check_family`."""

    family: str
    path: str | None
    method: str
    versions: tuple[VersionSummary, ...]
    defects: tuple[Defect, ...]

    @property
    def errors(self) -> tuple[Defect, ...]:
        return tuple(d for d in self.defects if d.severity == "error")

    @property
    def warnings(self) -> tuple[Defect, ...]:
        return tuple(d for d in self.defects if d.severity == "warning")

    @property
    def ok(self) -> bool:
        """No error (warnings allowed)."""
        return not self.errors

    def exit_code(self, strict: bool = False) -> int:
        """0 clean, 1 defects (errors; warnings too when ``strict``)."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def kinds(self) -> set[str]:
        return {defect.kind for defect in self.defects}

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": CHECK_SCHEMA,
            "family": self.family,
            "path": self.path,
            "method": self.method,
            "exact": True,
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "versions": [v.to_dict() for v in self.versions],
            "defects": [d.to_dict() for d in self.defects],
        }

    def to_text(self) -> str:
        lines = [
            f"disclosure check: {self.family}" + (f" ({self.path})" if self.path else ""),
            f"method: {self.method}, exact over every possible situation",
        ]
        for v in self.versions:
            size = (
                f"{v.possible_situations:,} possible situations"
                if v.possible_situations is not None
                else "semantics not checked"
            )
            lines.append(
                f"  version {v.id}"
                + (f" ({v.name})" if v.name != v.id else "")
                + f": {v.rules} rules, {size}, {v.reading_combinations} reading "
                f"combination(s) ({v.readings_strategy}), {len(v.states)} state(s): "
                + ", ".join(v.states)
            )
        for title, found in (("errors", self.errors), ("warnings", self.warnings)):
            if not found:
                continue
            lines.append(f"{title} ({len(found)}):")
            for defect in found:
                lines.append(f"  [{defect.kind}] {_where(defect)}{defect.message}")
                if defect.situation is not None:
                    lines.append(f"      e.g. {_show(defect.situation)}")
        verdict = "ok" if self.ok else "defects found"
        lines.append(f"{verdict}: {len(self.errors)} error(s), {len(self.warnings)} warning(s)")
        return "\n".join(lines)


def _where(defect: Defect) -> str:
    parts = []
    if defect.version is not None:
        parts.append(f"version {defect.version}")
    if defect.state is not None and defect.state != "as enacted":
        parts.append(defect.state)
    if defect.readings is not None and (defect.of_combinations or 1) > 1:
        parts.append(
            "readings " + ", ".join(f"{k}={v}" for k, v in defect.readings.items())
            if defect.readings
            else "default readings"
        )
    return "; ".join(parts) + ": " if parts else ""


def _show(situation: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in situation.items())


def _json_situation(situation: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if situation is None:
        return None
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in situation.items()}


# --------------------------------------------------------------------------- entry point


def check_family(
    family: Family,
    *,
    method: Method = "symbolic",
    max_combinations: int = 4096,
    path: str | None = None,
) -> CheckReport:
    """Check a loaded family; see the module's documentation for what is found."""
    if method not in ("symbolic", "exhaustive"):
        raise DisclosureError(f"unknown check method {method!r}; methods: symbolic, exhaustive")
    defects: list[Defect] = []
    defects += _family_checks(family)
    summaries = []
    cited: set[tuple[str, Citation]] = set()
    for version in family.versions:
        structural, sound = _version_checks(family, version, cited)
        defects += structural
        summary, semantic = _semantic_checks(family, version, sound, method, max_combinations)
        summaries.append(summary)
        defects += semantic
    return CheckReport(
        family=family.id,
        path=path,
        method=method,
        versions=tuple(summaries),
        defects=tuple(defects),
    )


# --------------------------------------------------------------------------- structure


def _texts(family: Family) -> Iterable[tuple[str, str | None, Text | None]]:
    """(location, version, text) for every multilingual text of the family."""
    yield "family title", None, family.title
    for fact in family.vocabulary.facts:
        yield f"fact {fact.name} meaning", None, fact.meaning
        yield f"fact {fact.name} label", None, fact.label
        for value, text in fact.value_meanings.items():
            yield f"fact {fact.name} value {value} meaning", None, text
        for value, text in fact.value_labels.items():
            yield f"fact {fact.name} value {value} label", None, text
    for impossible in family.vocabulary.impossible:
        yield f"impossible combination {impossible.id} reason", None, impossible.reason
    for point in family.contested:
        yield f"contested point {point.id} question", None, point.question
        yield f"contested point {point.id} label", None, point.label
        for reading in point.readings:
            yield f"reading {point.id}={reading.id} summary", None, reading.summary
            yield f"reading {point.id}={reading.id} label", None, reading.label
    for version in family.versions:
        yield "title", version.id, version.title
        yield "confidence note", version.id, version.confidence_note
        for rule in version.rules:
            yield f"rule {rule.id} summary", version.id, rule.summary
            yield f"rule {rule.id} note", version.id, rule.note
        for kind, provisions in (
            ("sanction", version.sanctions),
            ("side obligation", version.side_obligations),
        ):
            for provision in provisions.values():
                yield f"{kind} {provision.id} summary", version.id, provision.summary
                yield f"{kind} {provision.id} penalty", version.id, provision.penalty
        for annulment in version.annulments:
            yield f"annulment of {annulment.rule} summary", version.id, annulment.summary


def _label_checks(family: Family) -> list[Defect]:
    """A fact, an enum value, a contested point or reading, a rule, a sanction or a side
    obligation without a short label, or an act cited without its names per language:
    French and Dutch decisions would show its id instead (a warning)."""
    found: list[tuple[str, str | None, str]] = []
    for fact in family.vocabulary.facts:
        if fact.label is None:
            found.append((f"fact {fact.name}", None, f"fact {fact.name} has no label"))
        if fact.kind == "enum":
            bare = [str(v) for v in fact.values if v not in fact.value_labels]
            if bare:
                found.append(
                    (
                        f"fact {fact.name}",
                        None,
                        f"values of fact {fact.name} without a label: {', '.join(bare)}",
                    )
                )
    for point in family.contested:
        if point.label is None:
            found.append(
                (f"contested point {point.id}", None, f"contested point {point.id} has no label")
            )
        bare = [r.id for r in point.readings if r.label is None]
        if bare:
            found.append(
                (
                    f"contested point {point.id}",
                    None,
                    f"readings of {point.id} without a label: {', '.join(bare)}",
                )
            )
    seen: set[tuple[str, str]] = set()
    acts: set[str] = set()
    for version in family.versions:
        items = [("rule", rule.id, rule.label, rule.source) for rule in version.rules] + [
            (kind, p.id, p.label, p.source)
            for kind, provisions in (
                ("sanction", version.sanctions),
                ("side obligation", version.side_obligations),
            )
            for p in provisions.values()
        ]
        for kind, item_id, text, source in items:
            acts.add(source.act)
            if text is None and (kind, item_id) not in seen:
                seen.add((kind, item_id))
                found.append((f"{kind} {item_id}", version.id, f"{kind} {item_id} has no label"))
        acts.update(a.source.act for a in version.annulments)
    for act in sorted(acts - set(family.acts)):
        found.append(
            (
                f"act {act}",
                None,
                f"act {act!r} is cited but has no names per language under `acts`",
            )
        )
    return [
        Defect(
            "missing_label",
            message + " (French and Dutch texts would show the id)",
            version=owner,
            location=location,
        )
        for location, owner, message in found
    ]


def _family_checks(family: Family) -> list[Defect]:
    defects: list[Defect] = _label_checks(family)
    seen: set[tuple[str, str | None]] = set()
    for location, owner, text in _texts(family):
        if text is None:
            continue
        missing = [lang for lang in LANGUAGES if not str(getattr(text, lang, "") or "").strip()]
        if missing and (location, owner) not in seen:
            seen.add((location, owner))
            defects.append(
                Defect(
                    "missing_translation",
                    f"{location} has no text in {', '.join(missing)}",
                    version=owner,
                    location=location,
                )
            )
    used_points = {
        rule.reading.point for v in family.versions for rule in v.rules if rule.reading is not None
    }
    for point in family.contested:
        if point.default not in point.reading_ids:
            defects.append(
                Defect(
                    "bad_default_reading",
                    f"contested point {point.id} defaults to {point.default!r}, which is not "
                    f"one of its readings ({', '.join(point.reading_ids)})",
                    location=f"contested point {point.id}",
                )
            )
        if point.id not in used_points:
            defects.append(
                Defect(
                    "unused_point",
                    f"no rule of any version depends on contested point {point.id}",
                    location=f"contested point {point.id}",
                )
            )
    all_rules = {rule.id for v in family.versions for rule in v.rules}
    for version in family.versions:
        for annulment in version.annulments:
            if annulment.rule not in all_rules:
                defects.append(
                    Defect(
                        "unknown_annulment",
                        f"annuls {annulment.rule!r}, a rule of no version"
                        + _hint(annulment.rule, all_rules),
                        version=version.id,
                        rules=(annulment.rule,),
                    )
                )
    return defects


def _hint(name: str, candidates: Iterable[str]) -> str:
    suggestion = did_you_mean(name, list(candidates))
    return f"; did you mean {suggestion!r}?" if suggestion else ""


def _citation_defects(
    family: Family,
    version: Version,
    where: str,
    citation: Citation,
    cited: set[tuple[str, Citation]],
) -> list[Defect]:
    """Defects of a citation, reported once for a rule or provision that later versions
    inherit unchanged."""
    if (where, citation) in cited:
        return []
    cited.add((where, citation))
    defects = []
    lacking = [
        what
        for what, present in (
            ("an official url", citation.url),
            ("authorities", citation.authorities),
        )
        if not present
    ]
    if lacking:
        defects.append(
            Defect(
                "missing_citation",
                f"{where} cites {citation.label} without {' or '.join(lacking)}",
                version=version.id,
                location=where,
            )
        )
    for source in citation.authorities:
        if source not in family.sources:
            defects.append(
                Defect(
                    "unknown_source",
                    f"{where} cites research source {source!r}, which the family does not list"
                    + _hint(source, family.sources),
                    version=version.id,
                    location=where,
                )
            )
    return defects


def _condition_defects(
    family: Family, version: Version, rule: Rule, condition: Condition
) -> list[Defect]:
    domains = family.vocabulary.domains
    defects = []
    for test in _tests(condition):
        if test.fact not in domains:
            defects.append(
                Defect(
                    "unknown_fact",
                    f"rule {rule.id} tests unknown fact {test.fact!r}" + _hint(test.fact, domains),
                    version=version.id,
                    rules=(rule.id,),
                )
            )
            continue
        outside = sorted(repr(v) for v in test.values if v not in domains[test.fact])
        if outside:
            defects.append(
                Defect(
                    "unknown_value",
                    f"rule {rule.id} tests {test.fact} for {', '.join(outside)}, outside its "
                    f"domain ({', '.join(str(v) for v in domains[test.fact])})",
                    version=version.id,
                    rules=(rule.id,),
                )
            )
    return defects


def _tests(condition: Condition) -> Iterable[FactTest]:
    stack = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, FactTest):
            yield node
        elif isinstance(node, Not):
            stack.append(node.item)
        elif isinstance(node, All | Any_):
            stack.extend(node.items)


def _version_checks(
    family: Family, version: Version, cited: set[tuple[str, Citation]]
) -> tuple[list[Defect], bool]:
    """Structural defects of a version, and whether its semantics can be analysed."""
    defects: list[Defect] = []
    sound = True
    ids = [rule.id for rule in version.rules]
    for rule_id in sorted({i for i in ids if ids.count(i) > 1}):
        defects.append(
            Defect(
                "duplicate_rule",
                f"two rules are named {rule_id}",
                version=version.id,
                rules=(rule_id,),
            )
        )
        sound = False
    points = {point.id: point for point in family.contested}
    for rule in version.rules:
        if rule.source.general_knowledge and rule.confidence == "high":
            defects.append(
                Defect(
                    "general_knowledge_confidence",
                    f"rule {rule.id} cites {rule.source.label} as resting on general knowledge "
                    "but has confidence high; give it confidence medium or low, with a note "
                    "saying why",
                    version=version.id,
                    rules=(rule.id,),
                )
            )
        for target in rule.overrides:
            if target not in ids:
                defects.append(
                    Defect(
                        "unknown_override",
                        f"rule {rule.id} overrides {target!r}, which is not a rule of this "
                        "version" + _hint(target, ids),
                        version=version.id,
                        rules=(rule.id,),
                    )
                )
        if rule.reading is not None:
            point = points.get(rule.reading.point)
            if point is None:
                defects.append(
                    Defect(
                        "unknown_reading",
                        f"rule {rule.id} depends on contested point {rule.reading.point!r}, "
                        "which the family does not declare" + _hint(rule.reading.point, points),
                        version=version.id,
                        rules=(rule.id,),
                    )
                )
            else:
                unknown = sorted(r for r in rule.reading.readings if r not in point.reading_ids)
                if unknown or not rule.reading.readings:
                    defects.append(
                        Defect(
                            "unknown_reading",
                            f"rule {rule.id} depends on reading(s) "
                            f"{', '.join(unknown) or '(none)'} of {point.id}, which has only "
                            f"{', '.join(point.reading_ids)}",
                            version=version.id,
                            rules=(rule.id,),
                        )
                    )
        for kind, ids_named, known in (
            ("sanction", rule.sanctions, version.sanctions),
            ("side obligation", rule.side_obligations, version.side_obligations),
        ):
            for name in ids_named:
                if name not in known:
                    defects.append(
                        Defect(
                            "unknown_provision",
                            f"rule {rule.id} names {kind} {name!r}, which this version does "
                            "not define" + _hint(name, known),
                            version=version.id,
                            rules=(rule.id,),
                        )
                    )
        conditions = _condition_defects(family, version, rule, rule.when)
        if any(d.kind == "unknown_fact" for d in conditions):
            sound = False
        defects += conditions
        defects += _citation_defects(family, version, f"rule {rule.id}", rule.source, cited)
    for kind, provisions in (
        ("sanction", version.sanctions),
        ("side obligation", version.side_obligations),
    ):
        for provision in provisions.values():
            defects += _citation_defects(
                family, version, f"{kind} {provision.id}", provision.source, cited
            )
    cycle = override_cycle(version.rules)
    if cycle is not None:
        defects.append(
            Defect(
                "override_cycle",
                "overrides form a cycle: " + " overrides ".join(cycle),
                version=version.id,
                rules=tuple(dict.fromkeys(cycle)),
            )
        )
        sound = False
    return defects, sound


# --------------------------------------------------------------------------- semantics


def _states(family: Family, version: Version) -> list[tuple[str, frozenset[str]]]:
    """The annulment states a version can be evaluated in: as enacted, and as known from
    each annulment that removes some of its rules."""
    states = [("as enacted", frozenset[str]())]
    seen = {frozenset[str]()}
    for day in sorted({a.decided_on for a in family.annulments}):
        annulled = frozenset(a.rule for a in family.annulled_as_known(version, day))
        if annulled not in seen:
            seen.add(annulled)
            states.append(
                (f"as known from {day} (annulled: {', '.join(sorted(annulled))})", annulled)
            )
    return states


def _reading_combinations(
    family: Family, rules: Sequence[Rule], limit: int
) -> tuple[list[dict[str, str]], str]:
    """The combinations of readings to check (each a full assignment, defaults filled in)
    and how they were chosen."""
    defaults = {point.id: point.default for point in family.contested}
    classes: dict[str, list[str]] = {}
    for point in family.contested:
        dependent = [r for r in rules if r.reading is not None and r.reading.point == point.id]
        if not dependent:
            continue
        groups: dict[frozenset[str], list[str]] = {}
        for reading in point.reading_ids:
            enabled = frozenset(r.id for r in dependent if reading in r.reading.readings)  # type: ignore[union-attr]
            groups.setdefault(enabled, []).append(reading)
        representatives = [
            point.default if point.default in group else group[0] for group in groups.values()
        ]
        if len(representatives) > 1:
            classes[point.id] = representatives
    total = math.prod(len(r) for r in classes.values())
    if total <= limit:
        combos = [
            {**defaults, **dict(zip(classes, choice, strict=True))}
            for choice in itertools.product(*classes.values())
        ]
        strategy = "every combination" if classes else "no contested point"
        return combos, strategy
    combos = [dict(defaults)]
    for point_id, representatives in classes.items():
        for reading in representatives:
            if reading != defaults[point_id]:
                combos.append({**defaults, point_id: reading})
    return combos, f"one point at a time ({total} combinations exceed {limit})"


def _chosen(readings: Mapping[str, str], family: Family) -> dict[str, str]:
    """The readings other than the defaults (what reproduces the combination)."""
    return {
        point.id: readings[point.id]
        for point in family.contested
        if readings.get(point.id, point.default) != point.default
    }


@attrs.define
class _Finding:
    """Aggregates one conflict or gap over reading combinations and states."""

    kind: str
    rules: tuple[str, ...]
    states: list[str]
    readings: dict[str, str]
    situation: dict[str, Any]
    count: int
    combinations: int = 1


class _Analysis:
    """What one (state, readings) pass yields: conflicts and gaps with examples and counts,
    and which rules applied or won somewhere."""

    def __init__(self) -> None:
        self.conflicts: dict[tuple[str, ...], tuple[int, dict[str, Any]]] = {}
        self.gap: tuple[int, dict[str, Any]] | None = None
        self.won: set[str] = set()


def _equal_to(wanted: object) -> Callable[[object], bool]:
    def test(value: object) -> bool:
        return bool(value == wanted)

    return test


def _symbolic_pass(family: Family, rules: tuple[Rule, ...], manager: Any) -> _Analysis:
    from disclosure._engines.symbolic import GAP, Conflict, build_outcome

    symbolic = build_outcome(family.vocabulary, rules, manager=manager)
    analysis = _Analysis()
    for terminal, count in symbolic.tally().items():
        if not (isinstance(terminal, Conflict) or terminal is GAP):
            continue
        example = symbolic.example(_equal_to(terminal))
        assert example is not None
        ordered = {name: example[name] for name in family.vocabulary.domains}
        if isinstance(terminal, Conflict):
            analysis.conflicts[terminal.rules] = (count, ordered)
        else:
            analysis.gap = (count, ordered)
    for rule in rules:
        if symbolic.manager.count(symbolic.wins[rule.id], care=symbolic.possible) > 0:
            analysis.won.add(rule.id)
    return analysis


def _exhaustive_pass(
    rules: tuple[Rule, ...], situations: Sequence[dict[str, Any]], facts: Sequence[str]
) -> _Analysis:
    matcher = CompiledMatcher(rules, facts)
    analysis = _Analysis()
    conflicts: dict[tuple[str, ...], list[Any]] = {}
    gap: list[Any] | None = None
    for situation in situations:
        settlement = settle(rules, set(matcher.applicable(situation)))
        if settlement.conflict:
            found = conflicts.setdefault(settlement.conflict, [0, situation])
            found[0] += 1
        elif settlement.outcome is None:
            if gap is None:
                gap = [0, situation]
            gap[0] += 1
        analysis.won.update(rule.id for rule in settlement.winners)
    analysis.conflicts = {k: (v[0], v[1]) for k, v in conflicts.items()}
    analysis.gap = (gap[0], gap[1]) if gap is not None else None
    return analysis


def _possible_situations(family: Family) -> list[dict[str, Any]]:
    vocabulary = family.vocabulary
    if vocabulary.raw_size > EXHAUSTIVE_LIMIT:
        raise DisclosureError(
            f"the exhaustive method enumerates {vocabulary.raw_size:,} combinations, over its "
            f"limit of {EXHAUSTIVE_LIMIT:,}: use the symbolic method"
        )
    names = tuple(vocabulary.domains)
    result = []
    for values in itertools.product(*vocabulary.domains.values()):
        situation = dict(zip(names, values, strict=True))
        if vocabulary.is_possible(situation):
            result.append(situation)
    return result


def _semantic_checks(
    family: Family, version: Version, sound: bool, method: Method, limit: int
) -> tuple[VersionSummary, list[Defect]]:
    states = _states(family, version)
    in_play_anywhere = rules_for_readings(version.rules, {})  # those with no reading test
    combos_all, strategy = _reading_combinations(family, version.rules, limit)
    if not sound:
        return (
            VersionSummary(
                version.id,
                version.name,
                len(version.rules),
                None,
                len(combos_all),
                strategy,
                tuple(label for label, _ in states),
                False,
            ),
            [],
        )
    vocabulary = family.vocabulary
    defects: list[Defect] = []
    findings: dict[tuple[str, tuple[str, ...]], _Finding] = {}
    won: set[str] = set()
    in_play: set[str] = {rule.id for rule in in_play_anywhere}
    combinations: dict[str, int] = {}
    situations: list[dict[str, Any]] = []
    manager: Any = None
    possible_count: int
    if method == "exhaustive":
        situations = _possible_situations(family)
        possible_count = len(situations)
    else:
        from disclosure._engines.mdd import MDD
        from disclosure._engines.symbolic import suggest_order

        manager = MDD.for_vocabulary(vocabulary, suggest_order(vocabulary, version.rules))
        possible_count = _count_possible(family, manager)
    for label, annulled in states:
        effective = tuple(rule for rule in version.rules if rule.id not in annulled)
        combos, _ = _reading_combinations(family, effective, limit)
        combinations[label] = len(combos)
        for readings in combos:
            rules = rules_for_readings(effective, readings)
            in_play.update(rule.id for rule in rules)
            if method == "exhaustive":
                analysis = _exhaustive_pass(rules, situations, tuple(vocabulary.domains))
            else:
                analysis = _symbolic_pass(family, rules, manager)
            won |= analysis.won
            shown = _chosen(readings, family)
            found: list[tuple[str, tuple[str, ...], tuple[int, dict[str, Any]]]] = [
                ("conflict", key, value) for key, value in analysis.conflicts.items()
            ]
            if analysis.gap is not None:
                found.append(("gap", (), analysis.gap))
            for kind, key, (count, example) in found:
                # one finding per defect, over every state and combination; the example,
                # count and readings are those of the first state and combination
                finding = findings.get((kind, key))
                if finding is None:
                    findings[(kind, key)] = _Finding(kind, key, [label], shown, example, count)
                elif label == finding.states[0]:
                    finding.combinations += 1
                elif label not in finding.states:
                    finding.states.append(label)
    for finding in findings.values():
        defects.append(_finding_defect(version, finding, combinations[finding.states[0]]))
    applies = _applicability(family, version, method, manager, situations)
    for rule in version.rules:
        if rule.id not in in_play:
            continue  # depends on a reading that does not exist: reported structurally
        if applies[rule.id] == 0:
            defects.append(
                Defect(
                    "dead_rule",
                    f"rule {rule.id} never applies: its condition holds in no possible situation",
                    version=version.id,
                    rules=(rule.id,),
                )
            )
        elif rule.id not in won:
            overriders = [r.id for r in version.rules if rule.id in r.overrides]
            defects.append(
                Defect(
                    "always_overridden",
                    f"rule {rule.id} applies in {applies[rule.id]:,} possible situations but "
                    f"is set aside in every one (by {', '.join(overriders) or '?'}), under "
                    "every reading and annulment state",
                    version=version.id,
                    rules=(rule.id,),
                )
            )
    ids = set(version.rule_ids)
    for rule in version.rules:
        for target in rule.overrides:
            if (
                target in ids
                and _together(family, version, rule.id, target, method, manager, situations) == 0
            ):
                defects.append(
                    Defect(
                        "idle_override",
                        f"rule {rule.id} overrides {target}, but the two never apply together "
                        "in a possible situation",
                        version=version.id,
                        rules=(rule.id, target),
                    )
                )
    summary = VersionSummary(
        version.id,
        version.name,
        len(version.rules),
        possible_count,
        len(combos_all),
        strategy,
        tuple(label for label, _ in states),
        True,
    )
    return summary, defects


def _finding_defect(version: Version, finding: _Finding, total_combos: int) -> Defect:
    count = f"{finding.count:,} possible situation" + ("s" if finding.count != 1 else "")
    if total_combos <= 1:
        scope = ""
    elif finding.combinations == total_combos:
        scope = f" (under all {total_combos} combinations of readings checked)"
    else:
        scope = (
            f" (under {finding.combinations} of the {total_combos} combinations of readings "
            "checked; the count and example are for the readings shown)"
        )
    if finding.kind == "gap":
        message = f"no rule applies in {count}{scope}"
    else:
        rules = version.rules
        conclusions = ", ".join(
            f"{rule_id}: {next(r.conclusion.value for r in rules if r.id == rule_id)}"
            for rule_id in finding.rules
        )
        message = (
            f"rules {' and '.join(finding.rules)} apply together and none overrides the "
            f"others, with conclusions that disagree ({conclusions}), in {count}{scope}"
        )
    return Defect(
        finding.kind,
        message,
        version=version.id,
        rules=finding.rules,
        state=" and ".join(finding.states),
        readings=finding.readings,
        situation=finding.situation,
        count=finding.count,
        combinations=finding.combinations,
        of_combinations=total_combos,
    )


def _count_possible(family: Family, manager: Any) -> int:
    from disclosure._engines.mdd import TRUE

    possible = manager.not_(
        manager.disjunction(manager.condition(item.when) for item in family.vocabulary.impossible)
    )
    count: int = manager.count(TRUE, care=possible)
    return count


def _applicability(
    family: Family,
    version: Version,
    method: Method,
    manager: Any,
    situations: Sequence[dict[str, Any]],
) -> dict[str, int]:
    """Rule id -> number of possible situations where its condition holds."""
    if method == "exhaustive":
        matcher = CompiledMatcher(version.rules, tuple(family.vocabulary.domains))
        counts = dict.fromkeys(version.rule_ids, 0)
        for situation in situations:
            for rule_id in matcher.applicable(situation):
                counts[rule_id] += 1
        return counts
    possible = manager.not_(
        manager.disjunction(manager.condition(item.when) for item in family.vocabulary.impossible)
    )
    return {
        rule.id: int(manager.count(manager.condition(rule.when), care=possible))
        for rule in version.rules
    }


def _together(
    family: Family,
    version: Version,
    first: str,
    second: str,
    method: Method,
    manager: Any,
    situations: Sequence[dict[str, Any]],
) -> int:
    a, b = version.rule(first).when, version.rule(second).when
    if method == "exhaustive":
        return sum(1 for s in situations if evaluate_condition(a, s) and evaluate_condition(b, s))
    possible = manager.not_(
        manager.disjunction(manager.condition(item.when) for item in family.vocabulary.impossible)
    )
    node = manager.and_(manager.condition(a), manager.condition(b))
    return int(manager.count(node, care=possible))
