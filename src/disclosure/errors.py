"""Every error the library raises.

One root, :class:`DisclosureError`; each subclass also inherits the closest builtin so
that callers may catch the familiar type (``except ValueError`` still works). Errors carry
structured data (``file``, ``line``, ``path``, ``suggestion``...) besides their message, so
that programs can act on them and people can read them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

__all__ = [
    "ConflictError",
    "DisclosureError",
    "EngineError",
    "FactError",
    "GapError",
    "MutationError",
    "ReadingError",
    "RulesetError",
    "VersionError",
    "did_you_mean",
]


def did_you_mean(name: object, candidates: Iterable[object]) -> str | None:
    """The candidate closest to ``name``, if one is close enough to be a likely typo."""
    names = [str(c) for c in candidates]
    matches = difflib.get_close_matches(str(name), names, n=1, cutoff=0.6)
    return matches[0] if matches else None


class DisclosureError(Exception):
    """Root of every error raised by ``disclosure``."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class RulesetError(DisclosureError, ValueError):
    """A ruleset file or folder is malformed, inconsistent or refers to unknown names.

    ``file``, ``line`` (1-based, when known) and ``path`` (e.g. ``rules[3].when``) say
    where; ``suggestion`` gives the likely intended name for a misspelling.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        path: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.path = path
        self.suggestion = suggestion
        self.reason = message
        where = ""
        if file is not None:
            where = file if line is None else f"{file}:{line}"
        if path:
            where = f"{where} {path}" if where else path
        text = f"{where}: {message}" if where else message
        if suggestion is not None and "did you mean" not in message:
            text += f"; did you mean {suggestion!r}?"
        super().__init__(text, file=file, line=line, path=path, suggestion=suggestion)


class FactError(DisclosureError, ValueError):
    """A situation names an unknown fact, gives a value outside a fact's domain, or
    describes an impossible combination of facts."""

    def __init__(
        self,
        message: str,
        *,
        fact: str | None = None,
        value: object = None,
        allowed: tuple[object, ...] | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.fact = fact
        self.value = value
        self.allowed = allowed
        self.suggestion = suggestion
        text = message
        if suggestion is not None and "did you mean" not in message:
            text += f"; did you mean {suggestion!r}?"
        super().__init__(text, fact=fact, value=value, allowed=allowed, suggestion=suggestion)


class VersionError(DisclosureError, LookupError):
    """No version of the law matches: unknown id or alias, or a date before every version
    or in a gap between versions."""


class ReadingError(DisclosureError, LookupError):
    """A reading was chosen for an unknown contested point, or an unknown reading."""


class ConflictError(DisclosureError, RuntimeError):
    """Two applicable rules, neither overriding the other, reach incompatible conclusions.

    This is a defect of the ruleset, never silently resolved. ``rules`` names them.
    """

    def __init__(self, message: str, *, rules: tuple[str, ...] = (), **details: Any) -> None:
        self.rules = rules
        super().__init__(message, rules=rules, **details)


class GapError(DisclosureError, RuntimeError):
    """A complete situation to which no rule applies: a defect of the ruleset."""


class EngineError(DisclosureError, RuntimeError):
    """The rules engine failed or is unavailable (e.g. durable_rules on Python 3.13+)."""


class MutationError(DisclosureError, ValueError):
    """``mutate`` was given something it cannot use: an unknown operator, no scenario
    files about the family, a malformed allow-list."""
