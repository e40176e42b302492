"""The edge: one parser per kind of input that enters from outside, shared by the
library, the command line, the batch and the service, so that the same text means the
same thing at every door (issue 12 and the design's "Edges" contract).

* values: :func:`parse_text_value` reads a fact's value from text (``--fact`` pairs, CSV
  cells): ``null`` is unknown, ``true``/``false`` are a yes/no fact's values, and any
  other text is itself (``none`` is a value of several facts, never "unknown"); JSON
  documents carry their own types. :func:`parse_fact_pairs` and
  :func:`parse_reading_pairs` read ``NAME=VALUE`` options.
* dates: :func:`parse_date`, the one date parser (a day of the calendar, ``YYYY-MM-DD``).
* documents: :func:`read_input` reads a file or standard input with a size cap (never
  whole, then checked), :func:`parse_facts_document` turns its bytes into facts
  (UTF-8, a byte-order mark allowed; JSON with no key given twice, no ``NaN`` or
  ``Infinity``, bounded nesting; a JSON object, or ``{"facts": {...}}``), and
  :func:`parse_lines` does the same for a chunk of JSON Lines, fast.
* limits: :class:`Limits`, read from the environment by :func:`current_limits`, so that
  memory stays bounded whatever arrives; each refusal says the limit and how to raise it.

Why a module of its own at the top of the package rather than in a stage folder: the
date parser serves the IR itself (a vocabulary validates a ``date`` fact given as text),
the decision stage (``on``, ``known_on``), the analyses (``A@DATE``) and the command
line, and the IR is the lowest stage; so the one parser sits below every stage, beside
:mod:`disclosure.errors`, the only module of the package it imports. It knows the
vocabulary only through what it reads of it (a fact's ``kind``), so any stage may import
it without a cycle.

Every error it raises is a :class:`disclosure.InputError` (a document that cannot be
read) or a :class:`disclosure.FactError` (a value that is no value of its fact), and
quotes an offending value as a short excerpt (:func:`disclosure.errors.excerpt`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any, NoReturn, Protocol

import attrs

from disclosure.errors import FactError, InputError, excerpt

try:  # pragma: no cover - depends on the environment
    import orjson as _orjson
except ImportError:  # pragma: no cover
    _orjson = None  # type: ignore[assignment]

__all__ = [
    "JSON_LIBRARY",
    "LIMIT_SETTINGS",
    "Limits",
    "current_limits",
    "decode_text",
    "dumps",
    "facts_problem",
    "json_kind",
    "loads",
    "parse_date",
    "parse_fact_pairs",
    "parse_facts_document",
    "parse_json",
    "parse_json_document",
    "parse_lines",
    "parse_pairs",
    "parse_reading_pairs",
    "parse_text_value",
    "read_input",
]


# -- limits ---------------------------------------------------------------------------------


@attrs.frozen
class Limits:
    """Bounds on what one input may hold, so that memory and time stay bounded whatever
    arrives. Each is raised by an environment variable (see :data:`LIMIT_SETTINGS`)."""

    #: bytes of one document: a facts file, a batch line, an HTTP request body
    max_input_bytes: int = 1 << 20
    #: levels of nesting of JSON arrays and objects
    max_depth: int = 32
    #: characters of a fact name
    max_name_length: int = 200
    #: characters of a value given as text
    max_value_length: int = 1_000


#: each limit's environment variable, and what it counts
LIMIT_SETTINGS: dict[str, tuple[str, str]] = {
    "max_input_bytes": ("DISCLOSURE_MAX_INPUT_BYTES", "bytes"),
    "max_depth": ("DISCLOSURE_MAX_DEPTH", "levels"),
    "max_name_length": ("DISCLOSURE_MAX_NAME_LENGTH", "characters"),
    "max_value_length": ("DISCLOSURE_MAX_VALUE_LENGTH", "characters"),
}


def current_limits(environ: Mapping[str, str] | None = None) -> Limits:
    """The limits in force: the defaults of :class:`Limits`, each raised (or lowered) by
    its environment variable, a positive whole number (``1_000_000`` allowed)."""
    environ = os.environ if environ is None else environ
    given: dict[str, int] = {}
    for field, (variable, unit) in LIMIT_SETTINGS.items():
        text = environ.get(variable)
        if text is None or not text.strip():
            continue
        try:
            number = int(text.strip().replace("_", ""))
        except ValueError:
            number = 0
        if number < 1:
            raise InputError(
                f"{variable} must be a positive whole number of {unit}, not {excerpt(text)}",
                setting=variable,
            )
        given[field] = number
    return Limits(**given)


def _beyond(
    what: str | None, field: str, limits: Limits, *, source: str | None = None
) -> InputError:
    variable, unit = LIMIT_SETTINGS[field]
    limit = getattr(limits, field)
    beyond = f"more than the limit of {limit:,} {unit} (set {variable} to raise it)"
    return InputError(f"{what}, {beyond}" if what else beyond, source=source, setting=variable)


# -- dates ----------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(
    value: object, what: str = "date", *, fact: str | None = None, today: bool = False
) -> dt.date | None:
    """The one date parser: ``None`` stays ``None`` (not given); a :class:`datetime.date`
    (a datetime's date) is itself; a text must be a day of the calendar written
    ``YYYY-MM-DD`` (``today`` too, where ``today=True``). Anything else is a
    :class:`FactError` naming ``what`` (``"on"``, ``"fact 'date'"``...)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if today and value.strip().lower() == "today":
            return dt.date.today()
        if len(value) == 10 and _ISO_DAY.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError as error:
                raise FactError(
                    f"{what} must be an ISO date (YYYY-MM-DD) of a day of the calendar; "
                    f"{value} is none ({error})",
                    fact=fact,
                    value=value,
                ) from None
    form = "an ISO date (YYYY-MM-DD)" + (" or 'today'" if today else "")
    raise FactError(f"{what} must be {form}, not {excerpt(value)}", fact=fact, value=value)


# -- values given as text -------------------------------------------------------------------


class _Fact(Protocol):
    @property
    def kind(self) -> str: ...


class _Vocabulary(Protocol):
    def __contains__(self, name: object) -> bool: ...

    def __getitem__(self, name: str) -> _Fact: ...


#: the text that means "not known" on every text door
NULL = "null"


def _check_name(name: str, limits: Limits, source: str | None = None) -> None:
    if len(name) > limits.max_name_length:
        raise _beyond(f"the fact name {excerpt(name)}", "max_name_length", limits, source=source)


def _check_text(name: str, text: str, limits: Limits, source: str | None = None) -> None:
    if len(text) > limits.max_value_length:
        raise _beyond(
            f"the value of {excerpt(name)}, {excerpt(text)}",
            "max_value_length",
            limits,
            source=source,
        )


def parse_text_value(
    vocabulary: _Vocabulary, name: str, text: str, *, limits: Limits | None = None
) -> Any:
    """The value that ``text`` gives the fact ``name`` on a text door (``--fact``, a CSV
    cell), before the vocabulary checks it: ``null`` (any case) is unknown (``None``);
    ``true`` and ``false`` (any case) are the values of a yes/no fact; any other text is
    the value itself, blanks around it removed (``none`` is a value of several facts).
    An empty text is no value: a :class:`FactError` that says to write ``null``."""
    limits = limits or current_limits()
    _check_name(name, limits)
    value = text.strip()
    _check_text(name, value, limits)
    if not value:
        raise FactError(
            f"fact {excerpt(name)} is given no value; give one, or null for unknown", fact=name
        )
    lowered = value.lower()
    if lowered == NULL:
        return None
    if lowered in ("true", "false") and name in vocabulary and vocabulary[name].kind == "bool":
        return lowered == "true"
    return value


def parse_pairs(pairs: Iterable[str], option: str, what: str = "NAME=VALUE") -> dict[str, str]:
    """``NAME=VALUE`` options as a mapping of names to their texts: a pair without ``=``
    or without a name, or a name given twice, is an :class:`InputError`."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(f"{option} {excerpt(pair)} must look like {what}")
        if name in found:
            raise InputError(f"{option} {excerpt(name)} is given twice; give it once")
        found[name] = text
    return found


def parse_fact_pairs(
    vocabulary: _Vocabulary, pairs: Iterable[str], *, limits: Limits | None = None
) -> dict[str, Any]:
    """``--fact NAME=VALUE`` options as facts (see :func:`parse_text_value`)."""
    limits = limits or current_limits()
    return {
        name: parse_text_value(vocabulary, name, text, limits=limits)
        for name, text in parse_pairs(pairs, "--fact").items()
    }


def parse_reading_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """``--reading POINT=READING`` options as readings of contested points (the points
    and readings are checked against the family when the readings are used)."""
    readings = parse_pairs(pairs, "--reading", "POINT=READING")
    for point, reading in readings.items():
        if not reading.strip():
            raise InputError(f"--reading {excerpt(point)} must look like POINT=READING")
    return {point: reading.strip() for point, reading in readings.items()}


# -- documents ------------------------------------------------------------------------------


def read_input(
    source: str, *, stdin: IO[bytes] | None = None, limits: Limits | None = None
) -> bytes:
    """The bytes of a file (``-``: standard input), read with a size cap: at most one byte
    more than :attr:`Limits.max_input_bytes` is ever read, and a larger input is an
    :class:`InputError` that says the limit and how to raise it."""
    limits = limits or current_limits()
    cap = limits.max_input_bytes
    if source == "-":
        if stdin is None:
            import sys

            stdin = sys.stdin.buffer
        data = stdin.read(cap + 1)
        if len(data) > cap:
            raise _beyond(None, "max_input_bytes", limits, source="standard input")
        return data
    try:
        with open(source, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > cap:
                raise _beyond(f"{size:,} bytes", "max_input_bytes", limits, source=source)
            data = stream.read(cap + 1)
    except FileNotFoundError:
        raise InputError("cannot read it: no such file", source=source) from None
    except IsADirectoryError:
        raise InputError("cannot read it: it is a folder, not a file", source=source) from None
    except OSError as error:
        raise InputError(f"cannot read it: {error.strerror or error}", source=source) from None
    if len(data) > cap:  # a file that grew, or a device that reports no size
        raise _beyond(None, "max_input_bytes", limits, source=source)
    return data


_WIDE = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode_text(raw: bytes, source: str | None = None) -> str:
    """UTF-8 text (a byte-order mark at the start is dropped, as most editors write
    one); UTF-16 or UTF-32, and bytes that are not UTF-8, are an :class:`InputError`
    that says where."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    for mark, name in _WIDE:
        if raw.startswith(mark):
            raise InputError(f"{name} text, not UTF-8; save it as UTF-8", source=source)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise InputError(
            f"not UTF-8 text (byte {raw[error.start]:#04x} on line {line}); save it as UTF-8",
            source=source,
        ) from None


class _Refused(Exception):
    """Raised from inside :func:`json.loads` (a key given twice, ``NaN``...)."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Refused(
                    f"the key {excerpt(key)} is given twice in one object: which one is meant "
                    "is ambiguous; give it once"
                )
            seen.add(key)
    return found


def _no_constant(name: str) -> NoReturn:
    raise _Refused(f"{name} is not a number JSON allows")


def json_kind(value: object) -> str:
    """What a JSON value is, for a message: ``an object``, ``a number``..."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return "a number"


def _depth(value: Any, limit: int) -> int:
    """The nesting of a parsed JSON value, counted up to ``limit + 1``."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level + 1) for child in item if isinstance(child, dict | list))
    return deepest


def _too_deep(limits: Limits, source: str | None) -> InputError:
    variable = LIMIT_SETTINGS["max_depth"][0]
    return InputError(
        f"nested deeper than the limit of {limits.max_depth:,} levels (set {variable} to raise it)",
        source=source,
        setting=variable,
    )


def parse_json(text: str, source: str | None = None, *, limits: Limits | None = None) -> Any:
    """A JSON text (decoded: see :func:`decode_text`) as Python values: no key given
    twice in an object (which of two would be meant is ambiguous), no ``NaN`` or
    ``Infinity``, nesting within :attr:`Limits.max_depth`; anything else is an
    :class:`InputError`."""
    limits = limits or current_limits()
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except _Refused as refused:
        raise InputError(str(refused), source=source) from None
    except RecursionError:
        raise _too_deep(limits, source) from None
    except json.JSONDecodeError as error:
        if not text.strip():
            raise InputError("empty: expected a JSON object", source=source) from None
        raise InputError(
            f"not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}",
            source=source,
        ) from None
    if isinstance(value, dict | list) and _depth(value, limits.max_depth) > limits.max_depth:
        raise _too_deep(limits, source)
    return value


def facts_problem(facts: Any, limits: Limits, source: str | None = None) -> InputError | None:
    """What makes parsed facts unacceptable whatever the vocabulary says (nesting beyond
    the limit, a name or a text value beyond its length limit), or ``None``."""
    if isinstance(facts, dict | list) and _depth(facts, limits.max_depth) > limits.max_depth:
        return _too_deep(limits, source)
    if not isinstance(facts, dict):
        return None
    try:
        for name, value in facts.items():
            _check_name(str(name), limits, source)
            if isinstance(value, str):
                _check_text(str(name), value, limits, source)
    except InputError as error:
        return error
    return None


#: the one key a facts document may wrap its facts in (as the service's request body does)
FACTS_KEY = "facts"


def parse_json_document(
    raw: bytes, source: str | None = None, *, limits: Limits | None = None
) -> Any:
    """Any JSON document from its bytes (an HTTP body, say), read as a facts document is:
    within the size limit, UTF-8, no key twice, no ``NaN``, bounded nesting. Its shape is
    the caller's to check (:func:`facts_problem` checks the lengths of facts in it)."""
    limits = limits or current_limits()
    if len(raw) > limits.max_input_bytes:
        raise _beyond(f"{len(raw):,} bytes", "max_input_bytes", limits, source=source)
    return parse_json(decode_text(raw, source), source, limits=limits)


def parse_facts_document(
    raw: bytes, source: str | None = None, *, limits: Limits | None = None
) -> dict[str, Any]:
    """Facts from the bytes of a JSON document: an object of fact names to values, or
    ``{"facts": {...}}``. The values are not checked against a vocabulary here (the
    library does that, the same for every door)."""
    limits = limits or current_limits()
    value = parse_json_document(raw, source, limits=limits)
    if not isinstance(value, dict):
        raise InputError(
            f"the facts must be a JSON object of fact names to values, not {json_kind(value)}",
            source=source,
        )
    if FACTS_KEY in value:
        others = [key for key in value if key != FACTS_KEY]
        if others:
            raise InputError(
                f"beside {FACTS_KEY!r}, the key {excerpt(others[0])} is not allowed: give the "
                "facts alone, or only a 'facts' object",
                source=source,
            )
        value = value[FACTS_KEY]
        if not isinstance(value, dict):
            raise InputError(
                f"'facts' must be a JSON object of fact names to values, not {json_kind(value)}",
                source=source,
            )
    problem = facts_problem(value, limits, source)
    if problem is not None:
        raise problem
    return value


# -- JSON Lines -----------------------------------------------------------------------------

if _orjson is not None:
    loads: Callable[[bytes], Any] = _orjson.loads
    JSON_LIBRARY = "orjson"

    def dumps(value: Any) -> bytes:
        """Compact JSON bytes (UTF-8); a text that UTF-8 cannot hold (a lone surrogate)
        is written escaped."""
        try:
            return _orjson.dumps(value)
        except TypeError:
            return json.dumps(value, separators=(",", ":")).encode("ascii")

else:  # pragma: no cover - exercised only without orjson
    loads = json.loads
    JSON_LIBRARY = "json"

    def dumps(value: Any) -> bytes:
        """Compact JSON bytes (UTF-8); a lone surrogate is written escaped."""
        try:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(value, separators=(",", ":")).encode("ascii")


#: put between the lines of a chunk to parse them as one JSON array: a string made by an
#: escape, which no line can produce since a chunk with a backslash is not parsed this way
_SEPARATOR = b',"\\u001e",'
_SEPARATED = "\x1e"
#: what ends every key of a compact object (no line without a backslash holds a quote
#: inside a string, so each of these ends a key)
_KEY_END = b'":'


def _careful_line(line: bytes, limits: Limits) -> Any:
    """One line by the document parser: its value, or the :class:`InputError` that says
    why it is none."""
    try:
        if len(line) > limits.max_input_bytes:
            raise _beyond(f"{len(line):,} bytes", "max_input_bytes", limits)
        text = decode_text(line).strip()
        if not text:
            raise InputError("an empty line: expected a JSON object of fact names to values")
        value = parse_json(text, limits=limits)
    except InputError as error:
        return error
    if not isinstance(value, dict):
        return InputError(
            f"a line must be a JSON object of fact names to values, not {json_kind(value)}"
        )
    return value


def _line(line: bytes, limits: Limits) -> Any:
    """One line by the fast parser, checked: an object whose keys are all different (its
    size is its count of key ends), else the document parser decides."""
    try:
        value = loads(line)
    except (ValueError, RecursionError):
        return _careful_line(line, limits)
    if type(value) is dict and len(value) == line.count(_KEY_END):
        return value
    return _careful_line(line, limits)


def parse_lines(lines: list[bytes], limits: Limits | None = None) -> list[Any]:
    """Each line's facts (a dict), or an :class:`InputError` in its place: the same
    rules as a facts document (one object per line, no key given twice, no ``NaN``,
    bounded nesting, valid UTF-8), at the speed of the fast JSON library.

    A chunk without a backslash is parsed as one JSON array with a separator between the
    lines, about a quarter faster than line by line. The separator is a string no line can
    hold (it needs an escape), so when the array has the separator between every two
    elements, each line held exactly one value. Every value an object and the count of
    key ends in the chunk equal to the count of their keys proves that no object gave a
    key twice (in a chunk without a backslash, no string holds a quote, so every ``":``
    ends a key; an object written with blanks before its colons, or nested, is left to
    the careful parser). Otherwise each line is parsed alone."""
    limits = limits or current_limits()
    count = len(lines)
    joined = b"".join(lines)
    if b"\\" not in joined:  # a scan for one byte: faster than counting
        try:
            parsed = loads(b"[" + _SEPARATOR.join(lines) + b"]")
        except (ValueError, RecursionError):
            parsed = None
        if (
            type(parsed) is list
            and len(parsed) == 2 * count - 1
            and parsed[1::2].count(_SEPARATED) == count - 1
        ):
            values = parsed[::2]
            if list(map(type, values)).count(dict) == count and sum(
                map(len, values)
            ) == joined.count(_KEY_END):
                return values
    return [_line(line, limits) for line in lines]
