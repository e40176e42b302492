"""Errors over HTTP: a status, the JSON path of what was wrong, and one short sentence.

Every refusal is an :class:`ApiError`, answered as::

    {"error": {"status": 422, "type": "unknown_fact", "path": "$.facts.holdr",
               "message": "$.facts.holdr: unknown fact; did you mean 'holder'?",
               "suggestion": "holder", "allowed": [...]}}

Library errors (:class:`disclosure.DisclosureError`) are translated by
:func:`from_library`, which finds the JSON path from the error's structured fields
(``fact``, ``suggestion``, ``allowed``) and the request, never from a stack. Messages
quote at most a short excerpt of an offending value (:func:`disclosure.errors.excerpt`,
as every door does).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

import disclosure
from disclosure.errors import (
    ConflictError,
    DisclosureError,
    FactError,
    GapError,
    ReadingError,
    VersionError,
    did_you_mean,
    excerpt,
)

__all__ = [
    "ApiError",
    "RequestPaths",
    "bad_request",
    "from_library",
    "member",
    "said",
]

#: characters of a name shown as such in a path (a longer one is quoted, cut)
LONGEST_NAME = 40

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


#: the longest library message passed on (one that quotes a long value is cut)
LONGEST_MESSAGE = 600


def said(error: Exception) -> str:
    """A library error's message, cut when it quotes a long value."""
    text = str(error)
    if len(text) <= LONGEST_MESSAGE:
        return text
    return f"{text[: LONGEST_MESSAGE - 1]}… ({len(text):,} characters)"


def member(path: str, key: object) -> str:
    """The JSON path of ``key`` in the object at ``path`` (``$.facts`` + ``holder`` ->
    ``$.facts.holder``; a key that is not a plain name is quoted in brackets)."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    text = str(key)
    if _NAME.match(text) and len(text) <= LONGEST_NAME:
        return f"{path}.{text}"
    return f"{path}[{excerpt(text)}]"


class ApiError(Exception):
    """A request refused with ``status``: ``kind`` (a stable machine name), the JSON
    ``path`` of what was wrong (``None`` when the request as a whole is), the ``reason``,
    and, where they help, a ``suggestion`` and the ``allowed`` values."""

    def __init__(
        self,
        status: int,
        kind: str,
        reason: str,
        *,
        path: str | None = None,
        suggestion: str | None = None,
        allowed: Sequence[Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.kind = kind
        self.reason = reason
        self.path = path
        self.suggestion = suggestion
        self.allowed = list(allowed) if allowed is not None else None
        self.headers = dict(headers or {})
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.path}: {self.reason}" if self.path else self.reason
        if self.suggestion is not None and "did you mean" not in text:
            text += f"; did you mean {self.suggestion!r}?"
        return text

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "status": self.status,
            "type": self.kind,
            "path": self.path,
            "message": self.message,
        }
        if self.suggestion is not None:
            error["suggestion"] = self.suggestion
        if self.allowed is not None:
            error["allowed"] = self.allowed
        return {"error": error}


def bad_request(reason: str, path: str | None = None, kind: str = "bad_request") -> ApiError:
    return ApiError(400, kind, reason, path=path)


@attrs.frozen
class RequestPaths:
    """Where the parts of a request were, to name them in an error: the facts object (and
    the facts given), the field that names a version, the ``(path, spec)`` of each version
    named in a list or a query, the date fields, and the readings given (``None``: not in
    this request)."""

    facts: str | None = "$.facts"
    facts_given: Mapping[str, Any] = attrs.field(factory=dict)
    version: str | None = None
    version_name: str | None = None
    versions: Sequence[tuple[str, str]] = ()
    on: str | None = None
    known_on: str | None = None
    readings: Mapping[str, str] = attrs.field(factory=dict)


def _listing(values: Iterable[Any], limit: int = 12) -> str:
    items = [excerpt(v) if not isinstance(v, str) else v for v in values]
    shown = ", ".join(items[:limit])
    return shown + (f", … ({len(items)} in all)" if len(items) > limit else "")


def _fact_error(error: FactError, family: disclosure.Family, where: RequestPaths) -> ApiError:
    vocabulary = family.vocabulary
    facts_path = where.facts or "$"
    name = error.fact
    if name is not None and name not in vocabulary:
        return ApiError(
            422,
            "unknown_fact",
            "unknown fact" + ("" if error.suggestion else f"; facts: {_listing(vocabulary.names)}"),
            path=member(facts_path, name),
            suggestion=error.suggestion,
            allowed=list(vocabulary.names),
        )
    if name is not None and name in where.facts_given:
        value = where.facts_given[name]
        fact = vocabulary[name]
        if fact.kind == "date" and where.on is not None and str(error).startswith("the date fact"):
            reason = said(error)  # the date fact and "on" disagree: the library says how
        elif fact.kind == "date":
            reason = f"{excerpt(value)} is not an ISO date (YYYY-MM-DD)"
        elif fact.kind == "bool":
            reason = f"{excerpt(value)} is not true or false"
        else:
            reason = f"{excerpt(value)} is not a value of {name}" + (
                "" if error.suggestion else f"; values: {_listing(fact.values)}"
            )
        allowed = None if fact.kind == "date" else list(fact.values)
        return ApiError(
            422,
            "bad_value",
            reason,
            path=member(facts_path, name),
            suggestion=error.suggestion,
            allowed=allowed,
        )
    if name is None and "impossible combination" in str(error):
        return ApiError(422, "impossible_facts", said(error), path=facts_path)
    return ApiError(422, "bad_value", said(error), path=facts_path)


def _version_error(error: VersionError, family: disclosure.Family, where: RequestPaths) -> ApiError:
    names = [v.id for v in family.versions] + [a for v in family.versions for a in v.aliases]
    if where.version is not None:
        hint = did_you_mean(where.version_name, names) if where.version_name else None
        return ApiError(
            422,
            "unknown_version",
            said(error),
            path=where.version,
            suggestion=hint,
            allowed=names,
        )
    for path, spec in where.versions:
        name = spec.partition("@")[0]
        if name not in names:
            return ApiError(
                422,
                "unknown_version",
                f"unknown version {excerpt(name)}; versions: {', '.join(names)}",
                path=path,
                suggestion=did_you_mean(name, names),
                allowed=names,
            )
    dated = [path for path, spec in where.versions if "@" in spec]
    if dated:  # every name is known: the date after @ is at fault
        return ApiError(422, "unknown_version", said(error), path=dated[0])
    # no version governs the date of the facts (before the first, or in a gap)
    day: str | None = where.on
    if day is None and where.facts is not None and "date" in where.facts_given:
        day = member(where.facts, "date")
    return ApiError(422, "no_version", said(error), path=day)


def _reading_error(error: ReadingError, family: disclosure.Family, where: RequestPaths) -> ApiError:
    points = {point.id: point for point in family.contested}
    for point_id, reading in where.readings.items():
        path = member("$.readings", point_id)
        if point_id not in points:
            return ApiError(
                422,
                "unknown_reading",
                "unknown contested point",
                path=path,
                suggestion=did_you_mean(point_id, points),
                allowed=list(points),
            )
        if reading not in points[point_id].reading_ids:
            ids = points[point_id].reading_ids
            return ApiError(
                422,
                "unknown_reading",
                f"{excerpt(reading)} is not a reading of {point_id}; readings: {', '.join(ids)}",
                path=path,
                suggestion=did_you_mean(reading, ids),
                allowed=list(ids),
            )
    return ApiError(422, "unknown_reading", said(error), path="$.readings")


def from_library(
    error: DisclosureError, family: disclosure.Family, where: RequestPaths
) -> ApiError:
    """The HTTP refusal for a library error raised while answering a request."""
    if isinstance(error, FactError):
        return _fact_error(error, family, where)
    if isinstance(error, VersionError):
        return _version_error(error, family, where)
    if isinstance(error, ReadingError):
        return _reading_error(error, family, where)
    if isinstance(error, ConflictError | GapError):
        # a defect of the ruleset met on this situation: the server's fault, said plainly
        return ApiError(500, "ruleset_defect", said(error))
    return ApiError(422, "invalid", said(error))
