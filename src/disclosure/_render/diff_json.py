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
from disclosure._render.diff_common import (
    annulment_of,
    basis_of,
    citation_dict,
    delta_rule,
    fact_order,
    plain_of,
    provision_rows,
    region_ids,
    sorted_values,
    totals_of,
)
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
    }


@register("diff", "json")
def diff_to_json(diff: Diff, lang: str = "en") -> str:
    """The JSON layout as text (ids as the ruleset writes them)."""
    return json.dumps(diff_to_dict(diff, lang), indent=2, ensure_ascii=False)
