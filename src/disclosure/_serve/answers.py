"""What the service answers: the library's JSON layouts, their provenance in headers, and
the few things only a service adds (the typed next question, the vocabulary for a form).

The decision, comparison and diff documents are the library's own (``to_dict()``: the
layouts ``disclosure.decision/1``, ``disclosure.comparison/1``, ``disclosure.diff/1``),
and the versions and the vocabulary are what ``disclosure versions --format json`` and
``disclosure vocabulary --format json`` print, so an answer over HTTP is the answer of
the library and of the command line. The service adds members beside them, never
changes theirs: ``next_question`` (and ``explanation`` when a language is asked for).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from starlette.responses import Response

import disclosure
from disclosure._edge import dumps

__all__ = [
    "PROVENANCE",
    "JSONAnswer",
    "dumps",
    "next_question",
    "provenance",
]

#: the provenance headers: what answered, so a client can log it without the question
PROVENANCE = (
    "Disclosure-Library-Version",
    "Disclosure-Ruleset",
    "Disclosure-Version",
    "Disclosure-Content-SHA256",
)

_YES_NO = {
    True: {"fr": "oui", "nl": "ja", "en": "yes"},
    False: {"fr": "non", "nl": "nee", "en": "no"},
}


class JSONAnswer(Response):
    """A JSON response, encoded once, never cached by a shared cache (answers carry
    confidential facts)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)


def provenance(receipts: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The provenance headers of an answer from the receipts (as in the JSON layouts) of
    its decisions or diff sides, in order; several are separated by commas."""
    items = list(receipts)
    if not items:
        return {}
    return {
        "Disclosure-Ruleset": ", ".join(dict.fromkeys(str(r["family"]) for r in items)),
        "Disclosure-Version": ", ".join(str(r["version"]) for r in items),
        "Disclosure-Content-SHA256": ", ".join(str(r["content_sha256"]) for r in items),
    }


def _value_label(fact: Any, value: Any) -> dict[str, str]:
    if isinstance(value, bool):
        return dict(_YES_NO[value])
    meaning = fact.value_meanings.get(value)
    if meaning is not None:
        text: dict[str, str] = meaning.as_dict()
        return text
    plain = str(value).replace("_", " ")
    return {"fr": plain, "nl": plain, "en": plain}


def _question(fact: Any) -> dict[str, Any]:
    return {
        "fact": fact.name,
        "type": fact.kind,
        "question": fact.meaning.as_dict(),
        "values": [{"value": v, "label": _value_label(fact, v)} for v in fact.values],
    }


def next_question(decision: Mapping[str, Any], family: disclosure.Family) -> dict[str, Any] | None:
    """The question the answer still depends on most, typed for a form: the fact, its
    question and its values with labels in fr/nl/en, and the rules that wait for it
    (``None`` when the decision is determined). From the decision's ``missing_facts``,
    never from a fixed order: a fact that cannot change the outcome is never asked."""
    missing = decision.get("missing_facts") or []
    if decision.get("determined") or not missing:
        return None
    name = missing[0]
    question = _question(family.vocabulary[name])
    question["needed_by"] = [
        {"rule": entry["rule"], "citation": entry["citation"], "summary": entry["summary"]}
        for entry in decision["trace"]
        if entry["status"] == "unknown" and name in entry["missing"]
    ]
    question["then"] = list(missing[1:])
    return question
