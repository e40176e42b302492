"""A diff as the JSON layout ``disclosure.diff/1`` (documented in
``docs/reference/diff-json.md``, checked by ``disclosure/schema/diff.schema.json``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from disclosure._analysis.diff import (
    DIFF_SCHEMA,
    Diff,
    DiffRegion,
    DiffSide,
    RuleDelta,
    terminal_name,
)
from disclosure._formats import register
from disclosure._ir.text import LANGUAGES
from disclosure._render.diff_common import (
    annulment_of,
    basis_of,
    citation_dict,
    delta_rule,
    fact_order,
    plain_of,
    provision_rows,
    region_ids,
    short_outcome,
    sorted_values,
    totals_of,
)
from disclosure._render.names import Names
from disclosure._version import __version__


def _side_dict(side: DiffSide) -> dict[str, Any]:
    version = side.version
    return {
        "label": side.label,
        "family": side.family.id,
        "version": version.id,
        "aliases": list(version.aliases),
        "title": version.title.as_dict(),
        "valid_from": version.valid_from.isoformat(),
        "valid_until": version.valid_until.isoformat() if version.valid_until else None,
        "known_from": (version.known_from or version.valid_from).isoformat(),
        "known_on": side.known_on.isoformat() if side.known_on else None,
        "as_enacted": side.known_on is None,
        "confidence": version.confidence,
        "readings": dict(sorted(side.readings.items())),
        "annulled": list(side.annulled),
        "content_sha256": side.content_hash,
    }


def _region_side(side: DiffSide, outcome: Any, winners: Sequence[str]) -> dict[str, Any]:
    return {
        "outcome": terminal_name(outcome),
        "winners": list(winners),
        "basis": [
            citation_dict(citation) if citation else None
            for _, citation, _ in basis_of(side, winners)
        ],
    }


def _region_dict(diff: Diff, region: DiffRegion, region_id: str) -> dict[str, Any]:
    return {
        "id": region_id,
        "conditions": {
            fact: plain_of(sorted_values(region.conditions[fact]))
            for fact in fact_order(diff, region.conditions)
        },
        "size": region.size,
        "example": {
            fact: plain_of(region.example[fact]) for fact in fact_order(diff, region.example)
        },
        "a": _region_side(diff.a, region.outcome_a, region.basis_a),
        "b": _region_side(diff.b, region.outcome_b, region.basis_b),
    }


def _delta_dict(diff: Diff, delta: RuleDelta) -> dict[str, Any]:
    rule = delta_rule(diff, delta)
    annulment = annulment_of(diff, delta)
    return {
        "rule": delta.rule,
        "kind": delta.kind,
        "meaning_changed": delta.meaning_changed,
        "before_id": delta.before_id,
        "summary": rule.summary.as_dict() if rule else None,
        "citation": citation_dict(rule.source) if rule else None,
        "fields": [{"field": name, "a": a, "b": b} for name, (a, b) in delta.fields.items()],
        "annulment": (
            {
                "decided_on": annulment.decided_on.isoformat(),
                "retroactive": annulment.retroactive,
                "citation": citation_dict(annulment.source),
                "summary": annulment.summary.as_dict() if annulment.summary else None,
            }
            if annulment
            else None
        ),
    }


@register("diff", "dict")
def diff_to_dict(diff: Diff, lang: str = "en") -> dict[str, Any]:
    """The diff as a JSON-ready dict, layout ``disclosure.diff/1``.

    Values of facts are JSON values (``true``/``false`` for booleans); a region's
    ``conditions`` map each constrained fact to its allowed values as a sorted list.
    """
    ids = region_ids(diff)
    return {
        "schema": DIFF_SCHEMA,
        "library_version": __version__,
        "sides": {"a": _side_dict(diff.a), "b": _side_dict(diff.b)},
        "where": {
            fact: plain_of(sorted_values(diff.where[fact])) for fact in fact_order(diff, diff.where)
        },
        "compared": diff.compared,
        "changed": diff.changed,
        "totals": [{"a": a, "b": b, "count": n} for a, b, n in totals_of(diff)],
        "regions": [
            _region_dict(diff, region, rid) for region, rid in zip(diff.regions, ids, strict=True)
        ],
        "rules": [_delta_dict(diff, delta) for delta in diff.rules],
        "metadata": [{"field": name, "a": a, "b": b} for name, (a, b) in diff.metadata.items()],
        "provisions": provision_rows(diff),
        "seconds": round(diff.seconds, 6),
        "labels": _labels(diff),
    }


def _value_key(value: Any) -> str:
    """A value as a key of ``labels.values``: a text as itself, else its JSON (``true``)."""
    return value if isinstance(value, str) else json.dumps(plain_of(value))


def _labels(diff: Diff) -> dict[str, Any]:
    """The names, in French, Dutch and English, of the ids the diff's JSON holds: the
    outcomes, the facts and values of its conditions and examples, and its rules (a rule
    named by the side that has it, b first)."""
    family = diff.b.family
    sides = [
        {lang: Names(side.family, lang, side.version.id) for lang in LANGUAGES}
        for side in (diff.b, diff.a)
    ]
    values: dict[str, set[Any]] = {}
    for mapping in (
        diff.where,
        *(region.conditions for region in diff.regions),
        *({k: {v} for k, v in region.example.items()} for region in diff.regions),
    ):
        for fact, allowed in mapping.items():
            values.setdefault(fact, set()).update(
                allowed if isinstance(allowed, frozenset | set) else {allowed}
            )
    facts = fact_order(diff, values)
    outcomes = {name for a, b, _ in totals_of(diff) for name in (a, b)}
    rules = dict.fromkeys(
        [
            *(rule for region in diff.regions for rule in (*region.basis_a, *region.basis_b)),
            *(delta.rule for delta in diff.rules),
        ]
    )

    def rule_names(rule: str) -> dict[str, str]:
        for names in sides:
            if names["en"].rule_source(rule) is not None:
                return {lang: each.rule(rule) for lang, each in names.items()}
        return dict.fromkeys(LANGUAGES, rule)

    first = sides[0]
    return {
        "outcomes": {
            name: {lang: short_outcome(name, lang) for lang in LANGUAGES}
            for name in sorted(outcomes)
        },
        "facts": {fact: {lang: first[lang].fact(fact) for lang in LANGUAGES} for fact in facts},
        "values": {
            fact: {
                _value_key(value): {lang: first[lang].value(fact, value) for lang in LANGUAGES}
                for value in sorted_values(values[fact])
                if fact != "date"
            }
            for fact in facts
            if family is not None and fact != "date"
        },
        "rules": {rule: rule_names(rule) for rule in rules},
    }


@register("diff", "json")
def diff_to_json(diff: Diff, lang: str = "en") -> str:
    """The JSON layout as text (ids as the ruleset writes them)."""
    return json.dumps(diff_to_dict(diff, lang), indent=2, ensure_ascii=False)
