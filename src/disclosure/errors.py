"""Every error the library raises.

One root, :class:`DisclosureError`; each subclass also inherits the closest builtin so
that callers may catch the familiar type (``except ValueError`` still works). Errors carry
structured data (``file``, ``line``, ``path``, ``suggestion``...) besides their message, so
that programs can act on them and people can read them.
"""

from __future__ import annotations

import difflib
import reprlib
from collections.abc import Iterable
from typing import Any

__all__ = [
    "ConflictError",
    "DisclosureError",
    "EngineError",
    "FactError",
    "GapError",
    "InputError",
    "MutationError",
    "ReadingError",
    "RulesetError",
    "VersionError",
    "did_you_mean",
    "excerpt",
]

#: the longest name that gets a did-you-mean (a longer one is no typo of a short name)
_MAX_SUGGESTED = 100
#: characters of an offending text shown in a message, and of any other value's repr
EXCERPT = 24
_REPR = reprlib.Repr()
_REPR.maxstring = EXCERPT + 2
_REPR.maxother = EXCERPT + 2
_REPR.maxlevel = 1
_REPR.maxlong = EXCERPT
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 4


def did_you_mean(name: object, candidates: Iterable[object]) -> str | None:
    """The candidate closest to ``name``, if one is close enough to be a likely typo."""
    text = str(name) if not isinstance(name, str) else name
    if len(text) > _MAX_SUGGESTED:
        return None
    names = [str(c) for c in candidates]
    matches = difflib.get_close_matches(text, names, n=1, cutoff=0.6)
    return matches[0] if matches else None


def excerpt(value: object, limit: int = EXCERPT) -> str:
    """An offending value as a message quotes it: its ``repr`` when short, else the start
    of it with its length, ``'xxxxxxxx…' (30,000,000 characters)``. Always one line (the
    ``repr`` escapes newlines and control characters), and bounded whatever the value,
    so a message stays short however large the input; every error quotes through it.
    ``limit`` is the number of characters of a text shown (more for a file's path)."""
    if isinstance(value, str | bytes):
        if len(value) <= limit:
            return repr(value)
        head = repr(value[:limit])  # ends with its closing quote
        unit = "characters" if isinstance(value, str) else "bytes"
        return f"{head[:-1]}…{head[-1]} ({len(value):,} {unit})"
    try:
        shown = _REPR.repr(value)
    except Exception:  # a value whose repr fails: name its type
        return f"<{type(value).__name__}>"
    return shown if len(shown) <= 3 * EXCERPT else f"{shown[: 3 * EXCERPT]}…"


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


class InputError(DisclosureError, ValueError):
    """An input document cannot be read as what it should be: not UTF-8 text, not JSON,
    not a JSON object where one is expected, ambiguous (a key given twice), a number that
    JSON does not have (``NaN``, ``Infinity``), or beyond a documented limit (size,
    nesting, length of a name or value: see the command-line reference, "Limits").

    ``source`` names the input (a file, ``-`` for standard input, ``line 12``...);
    ``setting`` names the environment variable that raises the limit it broke, if any.
    """

    def __init__(
        self, message: str, *, source: str | None = None, setting: str | None = None
    ) -> None:
        self.source = source
        self.setting = setting
        self.reason = message
        text = f"{source}: {message}" if source else message
        super().__init__(text, source=source, setting=setting)


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
