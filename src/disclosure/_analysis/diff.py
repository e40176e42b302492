"""The difference between two versions of the law: structural and semantic.

*Structural*: which rules were added, removed, changed (and in what: condition,
conclusion, overrides, reading, citation, summaries...), which were only renamed or
reworded without a change of meaning, what changed in the version's metadata.

*Semantic*: every region of the fact space where the outcome differs, exactly, from the
symbolic form (see :mod:`disclosure._analysis.regions`), each with the rules that give each side's
outcome on an example situation.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, cast

import attrs

from disclosure._analysis.compare import Side, parse_side
from disclosure._analysis.regions import SemanticDiff, semantic_diff
from disclosure._decide.evaluate import check_known, evaluate_in
from disclosure._edge import parse_date
from disclosure._engines.mdd import MDD
from disclosure._engines.prepared import PreparedVersion, prepare
from disclosure._engines.symbolic import Conflict
from disclosure._formats import render
from disclosure._ir.outcome import Outcome
from disclosure._ir.readings import resolve_readings
from disclosure._ir.ruleset import Family, Rule, Version, canonical_json
from disclosure.errors import DisclosureError, FactError, RulesetError, did_you_mean

__all__ = [
    "DIFF_SCHEMA",
    "Diff",
    "DiffRegion",
    "DiffSide",
    "RuleDelta",
    "diff_in",
    "terminal_name",
]

DIFF_SCHEMA = "disclosure.diff/1"

DeltaKind = Literal["added", "removed", "changed", "renamed", "reworded", "annulled"]

_RULE_FIELDS = (
    "when",
    "conclusion",
    "overrides",
    "reading",
    "source",
    "summary",
    "duty_bearer",
    "addressees",
    "sanctions",
    "side_obligations",
    "confidence",
    "note",
)
_VERSION_FIELDS = (
    "title",
    "valid_from",
    "valid_until",
    "known_from",
    "confidence",
    "confidence_note",
    "aliases",
)


def terminal_name(value: Any) -> str:
    """An outcome terminal as a short name: an outcome's value, ``conflict``, ``gap``."""
    if isinstance(value, Outcome):
        return value.value
    if isinstance(value, Conflict):
        return "conflict(" + ",".join(value.rules) + ")"
    return str(getattr(value, "value", value)).lower()


@attrs.frozen
class DiffSide:
    """One side of a diff: a version of a family, as known on a date (``None``: as
    enacted), under chosen readings."""

    family: Family = attrs.field(repr=False, eq=False)
    version: Version = attrs.field(repr=False, eq=False)
    label: str
    known_on: dt.date | None
    readings: Mapping[str, str]
    annulled: tuple[str, ...]

    @property
    def content_hash(self) -> str:
        return self.version.content_hash


@attrs.frozen
class RuleDelta:
    """A rule that differs between the sides.

    ``kind``: ``added`` / ``removed``; ``changed`` (``fields`` lists what, as
    (before, after) in canonical form); ``renamed`` (same content, new id: ``before_id``);
    ``reworded`` (its condition was rewritten without a change of meaning);
    ``annulled`` (present in the version but removed by a known annulment on one side).
    ``meaning_changed`` says whether the rule's own condition or conclusion changed what
    it decides.
    """

    rule: str
    kind: DeltaKind
    fields: Mapping[str, tuple[Any, Any]] = attrs.field(factory=dict)
    meaning_changed: bool = True
    before_id: str | None = None
    citation: str | None = None


@attrs.frozen
class DiffRegion:
    """A region of the fact space where the sides answer differently, with the rules that
    give each side's outcome on the region's example situation."""

    conditions: Mapping[str, frozenset[Any]]
    size: int
    example: Mapping[str, Any]
    outcome_a: Any
    outcome_b: Any
    basis_a: tuple[str, ...]
    basis_b: tuple[str, ...]
    citations_a: tuple[str, ...]
    citations_b: tuple[str, ...]

    @property
    def outcomes(self) -> tuple[str, str]:
        return terminal_name(self.outcome_a), terminal_name(self.outcome_b)


@attrs.frozen
class Diff:
    """Structural and semantic difference between two versions."""

    a: DiffSide
    b: DiffSide
    rules: tuple[RuleDelta, ...]
    metadata: Mapping[str, tuple[Any, Any]]
    provisions: Mapping[str, tuple[Any, Any]]
    regions: tuple[DiffRegion, ...]
    totals: Mapping[tuple[str, str], int]
    where: Mapping[str, frozenset[Any]]
    compared: int
    seconds: float = attrs.field(eq=False)

    @property
    def changed(self) -> int:
        """Number of possible situations whose outcome differs."""
        return sum(self.totals.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (layout :data:`DIFF_SCHEMA`, documented in docs/reference)."""
        return cast("dict[str, Any]", render("diff", "dict", self))

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_text(self, lang: str = "en") -> str:
        return cast(str, render("diff", "text", self, lang))

    def to_markdown(self, lang: str = "en") -> str:
        return cast(str, render("diff", "markdown", self, lang))

    def to_html(self, lang: str = "en") -> str:
        return cast(str, render("diff", "html", self, lang))


# -- sides ---------------------------------------------------------------------------


def _load_side(spec: Any, family: Family) -> tuple[Family, Version, dt.date | None, str]:
    """A side named by a version (id/alias, ``name@date``), a :class:`Version`, or a path
    to a family folder (its last version) or to a version file in one."""
    if isinstance(spec, Version):
        return family, spec, None, spec.name
    if isinstance(spec, Side):
        version = family.version(spec.version)
        return family, version, spec.known_on, spec.label
    text = str(spec)
    path = Path(text.partition("@")[0])
    if path.name in ("family.yaml", "family.yml"):  # the family file names its folder
        path = path.parent
    if path.suffix in (".yaml", ".yml") or path.is_dir():
        from disclosure._load.loader import load_family

        root = path.parent.parent if path.suffix in (".yaml", ".yml") else path
        loaded = load_family(root)
        if path.is_dir():
            version = loaded.versions[-1]
        else:
            matches = [
                v
                for v in loaded.versions
                if v.source_file and Path(v.source_file).name == path.name
            ]
            if not matches:
                raise RulesetError(f"{path}: not a version file of the family at {root}")
            version = matches[0]
        side = parse_side(f"{version.id}@{text.partition('@')[2]}" if "@" in text else version.id)
        return loaded, version, side.known_on, text
    side = parse_side(text)
    version = family.version(side.version)
    return family, version, side.known_on, side.label


def _where(family: Family, where: Mapping[str, Any] | None) -> dict[str, frozenset[Any]]:
    result: dict[str, frozenset[Any]] = {}
    vocabulary = family.vocabulary
    for fact, allowed in (where or {}).items():
        if fact not in vocabulary or vocabulary[fact].is_date:
            names = [f.name for f in vocabulary.condition_facts]
            raise FactError(
                f"cannot restrict on {fact!r}; facts: {', '.join(names)}",
                fact=str(fact),
                suggestion=did_you_mean(fact, names),
            )
        values = (
            [allowed]
            if isinstance(allowed, str | bool) or not hasattr(allowed, "__iter__")
            else list(allowed)
        )
        checked = [vocabulary.validate({fact: value})[fact] for value in values]
        result[fact] = frozenset(checked)
    return result


# -- structural ----------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    return json.loads(canonical_json(value))


def _rule_fields(a: Rule, b: Rule) -> dict[str, tuple[Any, Any]]:
    return {
        name: (_canonical(getattr(a, name)), _canonical(getattr(b, name)))
        for name in _RULE_FIELDS
        if _canonical(getattr(a, name)) != _canonical(getattr(b, name))
    }


def _same_meaning(a: Rule, b: Rule, family: Family) -> bool:
    """Whether two conditions hold on exactly the same situations."""
    manager = MDD.for_vocabulary(family.vocabulary)
    with manager.lock:
        return bool(manager.condition(a.when) == manager.condition(b.when))


def structural_rules(a: PreparedVersion, b: PreparedVersion) -> tuple[RuleDelta, ...]:
    """Rule by rule, what differs between the two sides."""
    rules_a = {rule.id: rule for rule in a.version.rules}
    rules_b = {rule.id: rule for rule in b.version.rules}
    deltas: list[RuleDelta] = []
    removed = [rid for rid in rules_a if rid not in rules_b]
    added = [rid for rid in rules_b if rid not in rules_a]
    renamed: dict[str, str] = {}
    for new_id in added:
        for old_id in removed:
            if old_id not in renamed.values() and not _rule_fields(
                rules_a[old_id], rules_b[new_id]
            ):
                renamed[new_id] = old_id
                break
    for rid in removed:
        if rid not in renamed.values():
            deltas.append(RuleDelta(rid, "removed", citation=rules_a[rid].source.label))
    for rid, rule in rules_b.items():
        if rid in renamed:
            deltas.append(
                RuleDelta(
                    rid,
                    "renamed",
                    meaning_changed=False,
                    before_id=renamed[rid],
                    citation=rule.source.label,
                )
            )
        elif rid not in rules_a:
            deltas.append(RuleDelta(rid, "added", citation=rule.source.label))
        else:
            fields = _rule_fields(rules_a[rid], rule)
            if not fields:
                continue
            reworded = set(fields) == {"when"} and _same_meaning(rules_a[rid], rule, a.family)
            meaning = not reworded and bool(
                {"when", "conclusion", "overrides", "reading"} & set(fields)
            )
            deltas.append(
                RuleDelta(
                    rid,
                    "reworded" if reworded else "changed",
                    fields=fields,
                    meaning_changed=meaning,
                    citation=rule.source.label,
                )
            )
    for rid in sorted(set(a.annulled) ^ set(b.annulled)):
        deltas.append(
            RuleDelta(rid, "annulled", fields={"annulled": (rid in a.annulled, rid in b.annulled)})
        )
    return tuple(deltas)


def _metadata(a: Version, b: Version) -> dict[str, tuple[Any, Any]]:
    return {
        name: (_canonical(getattr(a, name)), _canonical(getattr(b, name)))
        for name in _VERSION_FIELDS
        if _canonical(getattr(a, name)) != _canonical(getattr(b, name))
    }


def _provisions(a: Version, b: Version) -> dict[str, tuple[Any, Any]]:
    found: dict[str, tuple[Any, Any]] = {}
    for kind in ("sanctions", "side_obligations"):
        before, after = getattr(a, kind), getattr(b, kind)
        for pid in dict.fromkeys([*before, *after]):
            old = _canonical(before[pid]) if pid in before else None
            new = _canonical(after[pid]) if pid in after else None
            if old != new:
                found[f"{kind}.{pid}"] = (old, new)
    return found


# -- semantic ------------------------------------------------------------------------


def _basis(side: DiffSide, example: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    try:
        decision = evaluate_in(
            side.family,
            example,
            version=side.version,
            known_on=side.known_on,
            readings=side.readings,
        )
    except DisclosureError:  # a conflict or gap on this side: the region's outcome says so
        return (), ()
    return decision.winners, tuple(c.label for c in decision.basis)


def diff_in(
    family: Family,
    a: Any,
    b: Any,
    *,
    where: Mapping[str, Any] | None = None,
    readings: Mapping[str, str] | None = None,
    known_on: Any = None,
) -> Diff:
    """See :func:`disclosure.diff`."""
    started = time.perf_counter()
    sides = []
    for spec in (a, b):
        side_family, version, side_known, label = _load_side(spec, family)
        if side_known is None and known_on is not None:
            side_known = parse_date(known_on, "known_on", today=True)
        check_known(side_family, side_known, version)  # no version unknown on its date
        chosen = resolve_readings(side_family, readings)
        annulled = (
            frozenset(x.rule for x in side_family.annulled_as_known(version, side_known))
            if side_known is not None
            else frozenset()
        )
        prepared = prepare(side_family, version, annulled)
        sides.append(
            (
                prepared,
                DiffSide(side_family, version, label, side_known, chosen, tuple(sorted(annulled))),
            )
        )
    (prep_a, side_a), (prep_b, side_b) = sides
    if side_a.family.vocabulary != side_b.family.vocabulary:
        raise RulesetError(
            f"{side_a.label} and {side_b.label} do not share a vocabulary: a semantic diff "
            "compares versions of one rule family"
        )
    restriction = _where(side_a.family, where)
    semantic: SemanticDiff = semantic_diff(
        prep_a.symbolic(side_a.readings), prep_b.symbolic(side_b.readings), restriction
    )
    regions = []
    for region in semantic.regions:
        basis_a, cite_a = _basis(side_a, region.example)
        basis_b, cite_b = _basis(side_b, region.example)
        regions.append(
            DiffRegion(
                conditions=dict(region.conditions),
                size=region.size,
                example=dict(region.example),
                outcome_a=region.outcome_a,
                outcome_b=region.outcome_b,
                basis_a=basis_a,
                basis_b=basis_b,
                citations_a=cite_a,
                citations_b=cite_b,
            )
        )
    totals = {(terminal_name(x), terminal_name(y)): n for (x, y), n in semantic.totals.items()}
    return Diff(
        a=side_a,
        b=side_b,
        rules=structural_rules(prep_a, prep_b),
        metadata=_metadata(side_a.version, side_b.version),
        provisions=_provisions(side_a.version, side_b.version),
        regions=tuple(regions),
        totals=totals,
        where=dict(semantic.where),
        compared=semantic.compared,
        seconds=time.perf_counter() - started,
    )
