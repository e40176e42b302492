"""The envelope of a request: which fields it may have and of what JSON type.

Only the shape is checked here (an object, a string, a list of strings); the values are
read by the parsers every door shares: dates by :func:`disclosure._edge.parse_date`, the
lengths and nesting of facts by :func:`disclosure._edge.facts_problem`, facts, versions
and readings by :func:`disclosure.evaluate` and the others, whose typed errors
:mod:`disclosure._serve.errors` turns into JSON paths.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from disclosure._edge import current_limits, facts_problem, json_kind, parse_date
from disclosure._serve.errors import ApiError, bad_request, member, said
from disclosure._serve.limits import input_refusal
from disclosure.errors import FactError, did_you_mean, excerpt

__all__ = [
    "LANGUAGES",
    "MAX_VERSIONS",
    "check_fields",
    "date_field",
    "facts_field",
    "lang_field",
    "readings_field",
    "string_field",
    "versions_field",
]

LANGUAGES = ("fr", "nl", "en")
#: the most versions one comparison may name
MAX_VERSIONS = 32


def check_fields(body: Any, allowed: Sequence[str], facts: Sequence[str] = ()) -> Mapping[str, Any]:
    """``body`` as an object with no field but ``allowed``. A fact name at the top level
    is pointed to ``$.facts``."""
    if not isinstance(body, dict):
        raise bad_request(
            f"the body must be a JSON object with the fields {', '.join(allowed)}, "
            f"not {json_kind(body)}",
            "$",
        )
    for key in body:
        if key not in allowed:
            if key in facts:
                example = json.dumps({"facts": {key: "..."}})
                reason = f"unknown field; facts go inside $.facts: {example}"
                raise bad_request(reason, member("$", key), "unknown_field")
            hint = did_you_mean(key, allowed)
            error = bad_request(
                "unknown field" + ("" if hint else f"; fields: {', '.join(allowed)}"),
                member("$", key),
                "unknown_field",
            )
            error.suggestion = hint
            error.allowed = list(allowed)
            raise error
    return body


def facts_field(body: Mapping[str, Any]) -> dict[str, Any]:
    if "facts" not in body:
        raise bad_request(
            'the facts are missing: give them as {"facts": {"holder": "cpas_staff", ...}} '
            "(an empty object when none is known yet)",
            "$.facts",
            "missing_field",
        )
    facts = body["facts"]
    if not isinstance(facts, dict):
        raise bad_request(
            f"the facts must be an object of fact names to values, not {json_kind(facts)}",
            "$.facts",
        )
    problem = facts_problem(facts, current_limits())
    if problem is not None:  # a name or a value beyond its length, or nested too deep
        raise input_refusal(problem, "$.facts")
    return facts


def string_field(body: Mapping[str, Any], name: str, path: str | None = None) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise bad_request(
            f"must be a non-empty string, not {excerpt(value)}", path or member("$", name)
        )
    return value


def date_field(body: Mapping[str, Any], name: str, path: str | None = None) -> dt.date | None:
    """An ISO date (``YYYY-MM-DD``, a day of the calendar) or null, read by the one date
    parser; ``path`` names it in an error (``$.NAME`` by default)."""
    try:
        return parse_date(body.get(name), name)
    except FactError as error:
        raise ApiError(422, "bad_value", said(error), path=path or member("$", name)) from None


def readings_field(body: Mapping[str, Any]) -> dict[str, str]:
    readings = body.get("readings")
    if readings is None:
        return {}
    if not isinstance(readings, dict):
        raise bad_request(
            f"the readings must be an object of contested points to readings, "
            f"not {json_kind(readings)}",
            "$.readings",
        )
    for point, reading in readings.items():
        if not isinstance(reading, str):
            raise bad_request(
                f"a reading is a string, not {json_kind(reading)}", member("$.readings", point)
            )
    return readings


def lang_field(body: Mapping[str, Any]) -> str | None:
    lang = body.get("lang")
    if lang is None:
        return None
    if lang not in LANGUAGES:
        raise ApiError(
            422,
            "bad_value",
            f"{excerpt(lang)} is not a language of the service; languages: fr, nl, en",
            path="$.lang",
            allowed=list(LANGUAGES),
        )
    return str(lang)


def versions_field(body: Mapping[str, Any]) -> list[str] | None:
    """The versions to compare (``None``: every version)."""
    versions = body.get("versions")
    if versions is None:
        return None
    if not isinstance(versions, list) or not versions:
        raise bad_request(
            "the versions must be a non-empty list of version ids or aliases "
            f'(e.g. ["prior", "terrorism-2017@2018-06-01"]), not {excerpt(versions)}',
            "$.versions",
        )
    if len(versions) > MAX_VERSIONS:
        raise bad_request(f"at most {MAX_VERSIONS} versions at once", "$.versions")
    for index, spec in enumerate(versions):
        if not isinstance(spec, str) or not spec:
            raise bad_request(
                f"a version is a non-empty string, not {excerpt(spec)}", f"$.versions[{index}]"
            )
    return versions
