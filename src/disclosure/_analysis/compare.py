"""One situation under several versions of the law, with a contrastive explanation."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

import attrs

from disclosure._decide.decision import Decision, RuleTrace
from disclosure._decide.evaluate import evaluate_in
from disclosure._edge import parse_date
from disclosure._formats import render
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Family, Version, canonical_json
from disclosure.errors import FactError, VersionError, excerpt

__all__ = ["COMPARISON_SCHEMA", "Comparison", "Contrast", "Side", "compare_in", "parse_side"]

COMPARISON_SCHEMA = "disclosure.comparison/1"


@attrs.frozen
class Side:
    """A version of the law as known on a date (``None``: as enacted)."""

    version: str
    known_on: dt.date | None = None

    @property
    def label(self) -> str:
        return self.version if self.known_on is None else f"{self.version}@{self.known_on}"


def parse_side(spec: str | Side | Version) -> Side:
    """``"terrorism-2017"`` or ``"terrorism-2017@2018-06-01"`` (as known on that date;
    ``@today`` for today)."""
    if isinstance(spec, Side):
        return spec
    if isinstance(spec, Version):
        return Side(spec.id)
    name, _, when = str(spec).partition("@")
    if not when:
        return Side(name)
    try:
        return Side(name, parse_date(when, "the part after @", today=True))
    except FactError as error:
        raise VersionError(f"{excerpt(spec)}: {error}") from None


@attrs.frozen
class RuleChange:
    """A rule whose fate differs between two sides."""

    rule: str
    before: str  # trace status on side a ("absent" when the version lacks it)
    after: str
    citation_label: str
    summary_en: str


@attrs.frozen
class Contrast:
    """Why side ``b`` answers differently from side ``a``: what differs, and the rules
    that make it differ."""

    a: str
    b: str
    differences: Mapping[str, tuple[Any, Any]]
    rules: tuple[RuleChange, ...]

    @property
    def same(self) -> bool:
        return not self.differences


@attrs.frozen
class Comparison:
    """A situation's decisions under several sides, and the contrasts between neighbours."""

    facts: Mapping[str, Any]
    sides: tuple[Side, ...]
    decisions: tuple[Decision, ...]
    contrasts: tuple[Contrast, ...]

    def decision(self, label: str) -> Decision:
        for side, decision in zip(self.sides, self.decisions, strict=True):
            if side.label == label or side.version == label:
                return decision
        raise KeyError(label)

    @property
    def outcomes(self) -> dict[str, Outcome | None]:
        return {s.label: d.outcome for s, d in zip(self.sides, self.decisions, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": COMPARISON_SCHEMA,
            "facts": json.loads(canonical_json(self.facts)),
            "sides": [
                {"label": s.label, "decision": d.to_dict()}
                for s, d in zip(self.sides, self.decisions, strict=True)
            ],
            "contrasts": json.loads(canonical_json(self.contrasts)),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def explain(self, lang: str = "en") -> str:
        return cast(str, render("comparison", "text", self, lang))

    def to_markdown(self, lang: str = "en") -> str:
        return cast(str, render("comparison", "markdown", self, lang))


_ASPECTS = ("outcome", "duty_bearer", "addressees", "sanctions", "side_obligations", "winners")


def _aspect(decision: Decision, aspect: str) -> Any:
    if aspect == "outcome":
        return decision.outcome.value if decision.outcome else None
    if aspect in ("sanctions", "side_obligations"):
        return tuple(item.id for item in getattr(decision, aspect))
    return getattr(decision, aspect)


def contrast(label_a: str, a: Decision, label_b: str, b: Decision) -> Contrast:
    """What differs between two decisions on the same situation, and which rules."""
    differences = {
        aspect: (_aspect(a, aspect), _aspect(b, aspect))
        for aspect in _ASPECTS
        if _aspect(a, aspect) != _aspect(b, aspect)
    }
    trace_a = {t.rule: t for t in a.trace}
    trace_b = {t.rule: t for t in b.trace}
    changes = []
    for rule_id in dict.fromkeys([*trace_a, *trace_b]):
        before, after = trace_a.get(rule_id), trace_b.get(rule_id)
        status_a = before.status if before else "absent"
        status_b = after.status if after else "absent"
        decisive = "applied" in (status_a, status_b)
        if status_a != status_b and decisive:
            entry: RuleTrace = after or before  # type: ignore[assignment]
            changes.append(
                RuleChange(
                    rule=rule_id,
                    before=status_a,
                    after=status_b,
                    citation_label=entry.citation.label,
                    summary_en=entry.summary.en,
                )
            )
    return Contrast(a=label_a, b=label_b, differences=differences, rules=tuple(changes))


def compare_in(
    family: Family,
    facts: Any,
    versions: Sequence[str | Side | Version] | None = None,
    *,
    known_on: Any = None,
    readings: Mapping[str, str] | None = None,
    engine: str = "compiled",
) -> Comparison:
    """See :func:`disclosure.compare`."""
    specs = [parse_side(v) for v in versions] if versions else [Side(v.id) for v in family.versions]
    if known_on is not None:
        day = parse_date(known_on, "known_on", today=True)
        specs = [s if s.known_on is not None else Side(s.version, day) for s in specs]
    sides = tuple(Side(family.version(s.version).name, s.known_on) for s in specs)
    situation = dict(facts) if isinstance(facts, Mapping) else facts
    if isinstance(situation, dict):
        situation.pop("date", None)  # each side is a named version: the date does not select
    decisions = tuple(
        evaluate_in(
            family,
            situation,
            version=s.version,
            known_on=s.known_on,
            readings=readings,
            engine=engine,
        )
        for s in sides
    )
    contrasts = tuple(
        contrast(sides[i].label, decisions[i], sides[i + 1].label, decisions[i + 1])
        for i in range(len(sides) - 1)
    )
    return Comparison(
        facts=dict(decisions[0].facts) if decisions else {},
        sides=sides,
        decisions=decisions,
        contrasts=contrasts,
    )
