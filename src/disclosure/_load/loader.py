"""The loader: rule family folders (YAML 1.2) -> validated documents -> the IR.

The only module that reads ruleset files. Stages, each a small function:

1. read a file's YAML 1.2 as a stream of parser events and build plain data from them
   (dicts, lists, strings, numbers, booleans), remembering the line of every node: no
   constructor ever runs and any explicit tag is refused, so nothing in a file can run code;
2. validate each document against its JSON Schema (``disclosure/schema/*.schema.json``);
3. build the family's vocabulary, contested points and sources, then each version file
   into a draft (rules with checked conditions and references);
4. check the timeline (ids, aliases, dates, ``extends``) and resolve every version, in
   ``extends`` order, into a complete :class:`~disclosure._ir.ruleset.Version`.

Every problem is a :class:`~disclosure.errors.RulesetError` naming the file, the line, the
path in the document (``add[2].when.all[1].fact``; indexes count from 0) and what would be
right.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import itertools
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import attrs
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import ScalarNode

from disclosure._edge import parse_date
from disclosure._ir.conditions import All, Any_, Condition, FactTest, Not
from disclosure._ir.defeasibility import override_cycle
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import (
    Act,
    Annulment,
    Citation,
    ContestedPoint,
    Family,
    Provision,
    Reading,
    ReadingTest,
    Rule,
    Version,
    content_hash,
)
from disclosure._ir.text import Text
from disclosure._ir.vocabulary import DATE_FACT, Fact, Impossible, Vocabulary
from disclosure._load import cache as _load_cache
from disclosure.errors import RulesetError, did_you_mean

if TYPE_CHECKING:  # jsonschema is imported when a document is validated (not from the cache)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

__all__ = [
    "BUNDLED_FAMILY",
    "Document",
    "SchemaKind",
    "bundled_family_path",
    "load_family",
    "load_schema",
    "read_document",
    "validate_document",
]

#: The rule family shipped with the library.
BUNDLED_FAMILY = "be-professional-secrecy"

SchemaKind = Literal["family", "version", "scenario"]
_SCHEMA_KINDS: tuple[SchemaKind, ...] = ("family", "version", "scenario")

#: A document holding more nodes than this (aliases expanded) is refused.
_MAX_NODES = 200_000
#: Nor may it nest deeper than this (validation and the IR are recursive).
_MAX_DEPTH = 100

_YAML_1_1_WORDS = frozenset({"yes", "no", "on", "off", "y", "n"})

PathKey = str | int
DocPath = tuple[PathKey, ...]
T = TypeVar("T")


# --------------------------------------------------------------------------- locations


def _format_path(path: Iterable[PathKey]) -> str:
    """``("add", 2, "when")`` -> ``add[2].when``."""
    text = ""
    for key in path:
        if isinstance(key, int):
            text += f"[{key}]"
        else:
            text = f"{text}.{key}" if text else str(key)
    return text


@attrs.frozen
class _Where:
    """A place in a ruleset file."""

    file: str
    line: int | None
    path: str

    @property
    def origin(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


def _error(where: _Where, message: str, suggestion: str | None = None) -> RulesetError:
    return RulesetError(
        message, file=where.file, line=where.line, path=where.path or None, suggestion=suggestion
    )


@attrs.frozen
class Document:
    """One file's plain data and the (1-based) line of every node, by path.

    A mapping entry's line is the line of its key; a list item's, the line it starts on.
    """

    file: str
    data: Any
    lines: Mapping[DocPath, int] = attrs.field(repr=False)

    def line(self, path: DocPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor that exists."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    def where(self, *path: PathKey) -> _Where:
        return _Where(self.file, self.line(path), _format_path(path))


@attrs.frozen
class _Located(Generic[T]):
    """A value built from a document, and where it was written."""

    value: T
    doc: Document
    path: DocPath

    def at(self, *sub: PathKey) -> _Where:
        return self.doc.where(*self.path, *sub)


# --------------------------------------------------------------------------- reading YAML


def _read_bytes(path: Path, file: str, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise RulesetError(f"missing {what}", file=file) from None
    except IsADirectoryError:
        raise RulesetError(f"expected {what}, found a folder", file=file) from None
    except OSError as exc:
        raise RulesetError(f"cannot read {what}: {exc.strerror or exc}", file=file) from None


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise RulesetError(
            f"not UTF-8 text (byte {raw[exc.start]:#04x}); save the file as UTF-8",
            file=file,
            line=line,
        ) from None


def _yaml_error(exc: MarkedYAMLError, file: str) -> RulesetError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "syntax error"
    message = f"invalid YAML: {problem}"
    if exc.context and exc.problem and exc.context_mark is not None:
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    return RulesetError(message, file=file, line=None if mark is None else mark.line + 1)


def _integer(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    bases = {"0x": 16, "0o": 8, "0b": 2}
    base = bases.get(digits[:2].lower(), 10)
    return sign * int(digits[2:] if base != 10 else digits, base)


def _real(text: str) -> float:
    lowered = text.lower().replace("_", "")
    if lowered.lstrip("+-") == ".inf":
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    return float(lowered)


def _scalar_value(kind: str, text: str) -> Any:
    """A plain scalar's value, by the YAML 1.2 type its text resolves to; dates stay text
    (ISO, checked by the schema)."""
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() == "true"
    if kind == "int":
        return _integer(text)
    if kind == "float":
        return _real(text)
    return text


@attrs.define
class _Frame:
    """A mapping or list being filled."""

    container: dict[str, Any] | list[Any]
    path: DocPath
    anchor: str | None
    first_node: int
    key: str | None = None
    key_line: int = 0


@attrs.define
class _TreeBuilder:
    """Plain data (dict, list, str, int, float, bool, None) from a stream of YAML events,
    and the line of every node.

    Working on events, not on composed or constructed objects, nothing from the file is
    ever turned into a Python object but plain data. It refuses what a ruleset file may not
    hold: explicit tags, a YAML version other than 1.2, several documents, keys that are
    not plain scalars, merge keys, duplicate keys, and documents nested too deep or that
    aliases expand too large.
    """

    file: str
    resolver: Any
    lines: dict[DocPath, int] = attrs.Factory(dict)
    root: Any = None
    documents: int = 0
    nodes: int = 0
    stack: list[_Frame] = attrs.Factory(list)
    anchors: dict[str, tuple[Any, int]] = attrs.Factory(dict)

    def feed(self, event: Any) -> None:
        line = event.start_mark.line + 1
        if isinstance(event, DocumentStartEvent):
            self._start_document(event, line)
        elif isinstance(event, MappingStartEvent | SequenceStartEvent):
            self._refuse_tag(event, line)
            self._open({} if isinstance(event, MappingStartEvent) else [], event.anchor, line)
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            self._close()
        elif isinstance(event, ScalarEvent):
            self._refuse_tag(event, line)
            self._scalar(event, line)
        elif isinstance(event, AliasEvent):
            self._alias(event, line)

    def _here(self) -> DocPath:
        """The path of the node being read."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        return frame.path if frame.key is None else (*frame.path, frame.key)

    def _fail(self, message: str, line: int, path: DocPath | None = None) -> RulesetError:
        at = self._here() if path is None else path
        return RulesetError(message, file=self.file, line=line, path=_format_path(at) or None)

    def _start_document(self, event: DocumentStartEvent, line: int) -> None:
        self.documents += 1
        if self.documents > 1:
            raise self._fail(
                "a ruleset file holds one YAML document; remove the '---' that starts another",
                line,
            )
        if event.version not in (None, (1, 2)):
            major, minor = event.version
            raise self._fail(
                f"'%YAML {major}.{minor}' directive: ruleset files are YAML 1.2; "
                "remove the directive",
                line,
            )

    def _refuse_tag(self, event: Any, line: int) -> None:
        if event.tag is not None:
            shown = str(event.tag).replace("tag:yaml.org,2002:", "!!")
            raise self._fail(
                f"explicit tag {shown!r} is not allowed: ruleset files hold plain data "
                "only (mappings, lists, strings, numbers, true/false, dates); remove the tag",
                line,
            )

    def _count(self, size: int, line: int) -> None:
        self.nodes += size
        if self.nodes > _MAX_NODES:
            raise self._fail(
                f"document too large: more than {_MAX_NODES} nodes once aliases are expanded",
                line,
            )

    def _expects_key(self) -> bool:
        if not self.stack:
            return False
        frame = self.stack[-1]
        return isinstance(frame.container, dict) and frame.key is None

    def _place(self, value: Any, line: int) -> DocPath:
        """Put a (non-key) value where it belongs; its path."""
        if not self.stack:
            self.root = value
            path: DocPath = ()
            self.lines[path] = line
            return path
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            frame.container.append(value)
            self.lines[path] = line
            return path
        assert frame.key is not None
        path = (*frame.path, frame.key)
        frame.container[frame.key] = value
        self.lines[path] = frame.key_line
        frame.key = None
        return path

    def _take_key(self, key: str, line: int) -> None:
        frame = self.stack[-1]
        assert isinstance(frame.container, dict)
        if key in frame.container:
            first = self.lines.get((*frame.path, key))
            raise self._fail(
                f"duplicate key {key!r} (first at line {first}); each key may appear once",
                line,
                (*frame.path, key),
            )
        frame.key, frame.key_line = key, line

    def _open(self, container: dict[str, Any] | list[Any], anchor: str | None, line: int) -> None:
        if self._expects_key():
            raise self._fail("a key must be a plain name, not a list or a mapping", line)
        if len(self.stack) >= _MAX_DEPTH:
            raise self._fail(
                f"nested too deeply: more than {_MAX_DEPTH} levels", line, self.stack[6].path
            )
        self._count(1, line)
        path = self._place(container, line)
        self.stack.append(_Frame(container, path, anchor, self.nodes))

    def _unpaired(self, text: str, line: int) -> str:
        """Text with surrogate-pair escapes (as ``json.dumps`` writes ``\\ud83d\\ude00``)
        joined into the character they encode; a lone surrogate is refused."""
        if not any("\ud800" <= char <= "\udfff" for char in text):
            return text
        try:
            return text.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            raise self._fail(
                "text contains a lone surrogate escape (\\ud800-\\udfff): write the "
                "character itself, or a complete surrogate pair",
                line,
            ) from None

    def _close(self) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (frame.container, self.nodes - frame.first_node + 1)

    def _scalar(self, event: ScalarEvent, line: int) -> None:
        text = self._unpaired(str(event.value), line)
        kind = str(self.resolver.resolve(ScalarNode, text, event.implicit)).rsplit(":", 1)[-1]
        self._count(1, line)
        value = _scalar_value(kind, text)
        if self._expects_key():
            if kind == "merge":
                raise self._fail("merge keys ('<<') are not supported; write the keys out", line)
            value = text
            self._take_key(text, line)
        else:
            self._place(value, line)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)

    def _alias(self, event: AliasEvent, line: int) -> None:
        if event.anchor not in self.anchors:
            inside = any(frame.anchor == event.anchor for frame in self.stack)
            why = "refers to a node that contains it" if inside else "names no anchor before it"
            raise self._fail(f"alias *{event.anchor} {why}", line)
        value, size = self.anchors[event.anchor]
        self._count(size, line)
        if self._expects_key():
            if isinstance(value, dict | list):
                raise self._fail("a key must be a plain name, not a list or a mapping", line)
            self._take_key(str(value), line)
        else:
            self._place(value, line)


def read_document(path: Path, what: str) -> Document:
    """A YAML file's plain data and the line of every node (YAML 1.2, plain data only: no
    tags, bounded depth and size, dates kept as ISO text), not yet validated. ``what`` names
    the expected content in errors ("a scenario file")."""
    file = str(path)
    return _parse_document(_read_bytes(path, file, what), file, what)


def validate_document(document: Document, kind: SchemaKind) -> None:
    """Check ``document`` against the ``kind`` JSON Schema; a :class:`RulesetError` names
    the file, line and path of the first defect, with a did-you-mean for a misspelt key."""
    _validate(document, kind)


def _parse_document(raw: bytes, file: str, what: str) -> Document:
    text = _decode(raw, file)
    yaml = YAML(typ="safe", pure=True)
    builder = _TreeBuilder(file, yaml.resolver)
    try:
        for event in yaml.parse(text):
            builder.feed(event)
    except MarkedYAMLError as exc:
        raise _yaml_error(exc, file) from None
    except YAMLError as exc:
        raise RulesetError(f"invalid YAML: {exc}", file=file) from None
    if builder.root is None:
        raise RulesetError(
            f"empty file; expected {what}: a mapping that starts with 'format: 1'",
            file=file,
            line=1,
        )
    return Document(file, builder.root, builder.lines)


@attrs.frozen
class _Source:
    """A ruleset file read, from the cache of validated documents (``cached``) or parsed."""

    document: Document
    raw: bytes
    cached: bool


def _read_source(path: Path, what: str, kind: SchemaKind) -> _Source:
    """A ruleset file's document: from the cache when these exact bytes already parsed and
    validated against the ``kind`` schema (see :mod:`disclosure._load.cache`), else parsed
    (raising the parse errors of :func:`_read_document`)."""
    file = str(path)
    raw = _read_bytes(path, file, what)
    hit = _load_cache.get(raw, kind)
    if hit is not None:
        data, lines = hit
        return _Source(Document(file, data, lines), raw, cached=True)
    return _Source(_parse_document(raw, file, what), raw, cached=False)


def _validated(source: _Source, kind: SchemaKind) -> Document:
    """The source's document, validated against the ``kind`` schema (a cached document
    already was); a document read for the first time is remembered once valid."""
    document = source.document
    if not source.cached:
        _validate(document, kind)
        _load_cache.put(source.raw, kind, document.data, document.lines)
    return document


# --------------------------------------------------------------------------- schemas


def load_schema(kind: SchemaKind) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a ruleset file: ``"family"`` (``family.yaml``)
    or ``"version"`` (``versions/*.yaml``), as a new dict."""
    if kind not in _SCHEMA_KINDS:
        raise RulesetError(f"unknown schema {kind!r}; expected one of: {', '.join(_SCHEMA_KINDS)}")
    resource = importlib.resources.files("disclosure").joinpath("schema", f"{kind}.schema.json")
    schema: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    return schema


@functools.cache
def _validator(kind: SchemaKind) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = load_schema(kind)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@functools.cache
def _condition_schema_ids(kind: SchemaKind) -> frozenset[int]:
    """Identities of the condition definition's own subschemas (not its properties'):
    errors raised by them get the condition's help text."""
    found: set[int] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            found.add(id(value))
            for key, item in value.items():
                if key != "properties":
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(_validator(kind).schema.get("$defs", {}).get("condition", {}))
    return frozenset(found)


_CONDITION_HELP = (
    "a condition is exactly one of {fact: F, is: V}, {fact: F, in: [V, ...]}, "
    "{fact: F, not_in: [V, ...]}, {all: [C, ...]}, {any: [C, ...]}, {not: C}"
)

_JSON_TYPES = {
    "object": "a mapping (key: value)",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing (null)",
}

#: keys required only in some cases (``if`` / ``then``): the key whose value requires them
#: (errors point at it), and why
_WHEN_REQUIRED = {
    "note": ("confidence", "a rule whose confidence is not high needs a note saying why"),
    "confidence_note": (
        "confidence",
        "a version whose confidence is not high needs a confidence_note saying why",
    ),
    "values": ("type", "an enum fact lists its values"),
}


def _validate(document: Document, kind: SchemaKind) -> None:
    from jsonschema.exceptions import best_match

    try:
        errors = list(_validator(kind).iter_errors(document.data))
    except RecursionError:
        raise RulesetError("nested too deeply to validate", file=document.file) from None
    error = best_match(errors)
    if error is not None:
        raise _schema_error(document, _prefer_unknown_key(error, errors), kind)


def _prefer_unknown_key(
    error: ValidationError, errors: Sequence[ValidationError]
) -> ValidationError:
    """A missing key and an unknown key in the same mapping are most often one misspelling:
    report the unknown key (with its did-you-mean)."""
    if error.validator != "required":
        return error
    for other in errors:
        if other.validator == "additionalProperties" and other.absolute_path == error.absolute_path:
            return other
    return error


def _schema_error(document: Document, error: ValidationError, kind: SchemaKind) -> RulesetError:
    path: DocPath = tuple(error.absolute_path)
    if (
        id(error.schema) in _condition_schema_ids(kind)
        and error.validator != "additionalProperties"
    ):
        instance = error.instance
        if not isinstance(instance, dict):
            got = f"; got {_show(instance)}"
        else:
            got = f"; got keys: {', '.join(instance)}" if instance else "; got an empty mapping"
        return _error(document.where(*path), _CONDITION_HELP + got)
    message, extra, suggestion = _describe(error)
    return _error(document.where(*path, *extra), message, suggestion)


def _describe(error: ValidationError) -> tuple[str, DocPath, str | None]:
    """What is wrong and what would be right; a sub-path (a key) and a suggestion."""
    validator, expected, instance = error.validator, error.validator_value, error.instance
    schema: Any = error.schema
    if "propertyNames" in error.absolute_schema_path:
        form = _form(schema)
        return f"key {instance!r} is not a valid name: {form}", (instance,), None
    if validator == "additionalProperties":
        return _unknown_keys(instance, schema)
    if validator == "required":
        return _missing_key(error)
    if validator == "type":
        kinds = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_JSON_TYPES.get(k, k) for k in kinds)
        return f"expected {wanted}, got {_show(instance)}", (), None
    if validator == "enum":
        allowed = ", ".join(str(v) for v in expected)
        suggestion = did_you_mean(instance, expected) if isinstance(instance, str) else None
        return f"{_show(instance)} is not allowed here; expected one of: {allowed}", (), suggestion
    if validator == "const" and tuple(error.absolute_path) == ("format",):
        return (
            f"unsupported format {_show(instance)}; this library reads format: {expected}",
            (),
            None,
        )
    if validator == "const":
        return f"expected {expected!r}, got {_show(instance)}", (), None
    if validator in ("pattern", "format"):
        return f"{instance!r} is not valid here: {_form(schema)}", (), None
    if validator in ("minItems", "minLength", "minProperties"):
        return f"empty or too short: at least {expected} expected", (), None
    if validator == "uniqueItems":
        return f"the list repeats an item ({_duplicate(instance)!r}); list each once", (), None
    return error.message, (), None


def _form(schema: Any) -> str:
    if isinstance(schema, dict) and schema.get("format") == "date":
        return "expected a date written YYYY-MM-DD"
    if isinstance(schema, dict) and schema.get("pattern") == "^https?://":
        return "expected a web address starting with https:// or http://"
    description = schema.get("description") if isinstance(schema, dict) else None
    return str(description or "unexpected form")


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"{value!r}"
    return str(value)


def _duplicate(items: Sequence[Any]) -> Any:
    seen: list[Any] = []
    for item in items:
        if item in seen:
            return item
        seen.append(item)
    return None


def _unknown_keys(instance: Any, schema: Any) -> tuple[str, DocPath, str | None]:
    known = list(schema.get("properties", {}))
    unknown = [key for key in instance if key not in known]
    key = unknown[0]
    allowed = ", ".join(k for k in known if k != "$schema")
    return f"unknown key {key!r}; allowed keys: {allowed}", (key,), did_you_mean(key, known)


def _missing_key(error: ValidationError) -> tuple[str, DocPath, str | None]:
    instance, schema = error.instance, error.schema
    missing = next(key for key in error.validator_value if key not in instance)
    if list(error.absolute_schema_path)[-2:] == ["then", "required"]:
        trigger, why = _WHEN_REQUIRED.get(missing, ("", "required here"))
        at: DocPath = (trigger,) if trigger in instance else ()
        return f"missing key {missing!r}: {why}", at, None
    spec = schema.get("properties", {}).get(missing, {}) if isinstance(schema, dict) else {}
    description = spec.get("description") if isinstance(spec, dict) else None
    hint = f": {description.rstrip('.')}" if description else ""
    return f"missing required key {missing!r}{hint}", (), None


# --------------------------------------------------------------------------- values


def _text(raw: Mapping[str, str]) -> Text:
    return Text(fr=raw["fr"], nl=raw["nl"], en=raw["en"])


def _optional_text(raw: Mapping[str, str] | None) -> Text | None:
    return None if raw is None else _text(raw)


def _date(value: Any) -> dt.date:
    """A date from YAML (ISO text the schema checked) or, if a caller built the data, a
    date object: by the one date parser."""
    found = parse_date(value)
    if found is None:  # pragma: no cover - the schema requires a value here
        raise RulesetError("a date is missing")
    return found


def _optional_date(value: Any) -> dt.date | None:
    return None if value is None else _date(value)


def _check_authorities(
    doc: Document, path: DocPath, raw: Sequence[str], sources: Mapping[str, Any]
) -> tuple[str, ...]:
    for index, source_id in enumerate(raw):
        if source_id not in sources:
            known = f": {', '.join(sources)}" if len(sources) <= 12 else f" ({len(sources)})"
            raise _error(
                doc.where(*path, index),
                f"unknown research source {source_id!r}: not under `sources` in family.yaml; "
                f"add it there or cite a listed source{known}",
            )
    return tuple(raw)


def _citation(
    doc: Document, path: DocPath, raw: Mapping[str, Any], sources: Mapping[str, Any]
) -> Citation:
    paragraph = raw.get("paragraph")
    return Citation(
        act=raw["act"],
        article=str(raw["article"]),
        date=_date(raw["date"]),
        paragraph=None if paragraph is None else str(paragraph),
        url=raw.get("url"),
        authorities=_check_authorities(
            doc, (*path, "authorities"), raw.get("authorities", ()), sources
        ),
        note=raw.get("note"),
        general_knowledge=bool(raw.get("general_knowledge", False)),
    )


def _check_unique(doc: Document, path: DocPath, ids: Sequence[str], what: str) -> None:
    first: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in first:
            earlier = doc.line((*path, first[item_id]))
            raise _error(
                doc.where(*path, index, "id"),
                f"duplicate {what} id {item_id!r} (first at line {earlier}); ids must be unique",
            )
        first[item_id] = index


# --------------------------------------------------------------------------- the family file


@attrs.frozen
class _FamilyParts:
    """What family.yaml gives: everything a version file is read against."""

    id: str
    title: Text
    vocabulary: Vocabulary
    contested: tuple[ContestedPoint, ...]
    sources: Mapping[str, Mapping[str, str]]
    acts: Mapping[str, Act] = attrs.field(factory=dict)


def _build_family_parts(doc: Document) -> _FamilyParts:
    data = doc.data
    sources = {key: dict(value) for key, value in data.get("sources", {}).items()}
    vocabulary = _build_vocabulary(doc, data["vocabulary"])
    contested = _build_contested(doc, data.get("contested", []), sources)
    acts = {
        name: Act(name=_text(spec["name"]), gloss=spec.get("gloss"))
        for name, spec in data.get("acts", {}).items()
    }
    return _FamilyParts(data["id"], _text(data["title"]), vocabulary, contested, sources, acts)


def _build_vocabulary(doc: Document, raw: Mapping[str, Any]) -> Vocabulary:
    facts = tuple(_build_fact(doc, name, spec) for name, spec in raw["facts"].items())
    plain = Vocabulary(facts=facts)
    entries = raw.get("impossible", [])
    path: DocPath = ("vocabulary", "impossible")
    _check_unique(doc, path, [entry["id"] for entry in entries], "impossible combination")
    impossible = tuple(
        Impossible(
            id=entry["id"],
            when=_condition(doc, (*path, index, "when"), entry["when"], plain),
            reason=_text(entry["reason"]),
        )
        for index, entry in enumerate(entries)
    )
    return Vocabulary(facts=facts, impossible=impossible)


_DOMAINS: Mapping[str, tuple[Any, ...]] = {"bool": (False, True), "date": ()}


def _build_fact(doc: Document, name: str, spec: Mapping[str, Any]) -> Fact:
    path: DocPath = ("vocabulary", "facts", name)
    kind = spec["type"]
    if kind != "enum" and "values" in spec:
        raise _error(
            doc.where(*path, "values"),
            f"fact {name!r} has type {kind}: only an enum fact lists values; "
            "remove `values` or make it `type: enum`",
        )
    if name == DATE_FACT and kind != "date":
        raise _error(doc.where(*path, "type"), f"the fact {DATE_FACT!r} must have type date")
    values: tuple[Any, ...] = _DOMAINS[kind] if kind in _DOMAINS else tuple(spec["values"])
    return Fact(
        name=name,
        kind=kind,
        values=values,
        meaning=_text(spec["meaning"]),
        value_meanings=_value_meanings(doc, path, kind, values, spec.get("value_meanings", {})),
        label=_optional_text(spec.get("label")),
        value_labels=_value_meanings(
            doc, path, kind, values, spec.get("value_labels", {}), "value_labels"
        ),
    )


def _value_meanings(
    doc: Document,
    path: DocPath,
    kind: str,
    values: tuple[Any, ...],
    raw: Mapping[str, Any],
    key_name: str = "value_meanings",
) -> dict[Any, Text]:
    """A fact's ``value_meanings`` (or ``value_labels``): value -> text, each key a value
    of the fact."""
    result: dict[Any, Text] = {}
    for key, text in raw.items():
        value: Any = {"true": True, "false": False}.get(key, key) if kind == "bool" else key
        if value not in values:
            allowed = ", ".join(_show_value(v) for v in values) or "none (a date fact)"
            raise _error(
                doc.where(*path, key_name, key),
                f"{key!r} is not a value of fact {path[-1]!r}; its values: {allowed}",
                did_you_mean(key, [_show_value(v) for v in values]),
            )
        result[value] = _text(text)
    return result


def _show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _build_contested(
    doc: Document, raw: Sequence[Mapping[str, Any]], sources: Mapping[str, Any]
) -> tuple[ContestedPoint, ...]:
    _check_unique(doc, ("contested",), [point["id"] for point in raw], "contested point")
    return tuple(
        _build_point(doc, ("contested", index), point, sources) for index, point in enumerate(raw)
    )


def _build_point(
    doc: Document, path: DocPath, raw: Mapping[str, Any], sources: Mapping[str, Any]
) -> ContestedPoint:
    readings_path: DocPath = (*path, "readings")
    _check_unique(doc, readings_path, [r["id"] for r in raw["readings"]], "reading")
    readings = tuple(
        Reading(
            id=reading["id"],
            summary=_text(reading["summary"]),
            authorities=_check_authorities(
                doc, (*readings_path, index, "authorities"), reading.get("authorities", ()), sources
            ),
            label=_optional_text(reading.get("label")),
        )
        for index, reading in enumerate(raw["readings"])
    )
    ids = [reading.id for reading in readings]
    if raw["default"] not in ids:
        raise _error(
            doc.where(*path, "default"),
            f"default reading {raw['default']!r} is not one of the point's readings: "
            + ", ".join(ids),
            did_you_mean(raw["default"], ids),
        )
    return ContestedPoint(
        id=raw["id"],
        question=_text(raw["question"]),
        readings=readings,
        default=raw["default"],
        brief_ref=raw.get("brief_ref"),
        label=_optional_text(raw.get("label")),
    )


# --------------------------------------------------------------------------- conditions


def _condition(
    doc: Document, path: DocPath, raw: Mapping[str, Any], vocabulary: Vocabulary
) -> Condition:
    """The IR of a schema-valid condition, checked against the vocabulary."""
    # ``Any``: mypy's attrs plugin cannot solve the generic ``tuple`` converter of ``items``
    if "all" in raw:
        items: Any = _conditions(doc, (*path, "all"), raw["all"], vocabulary)
        return All(items)
    if "any" in raw:
        items = _conditions(doc, (*path, "any"), raw["any"], vocabulary)
        return Any_(items)
    if "not" in raw:
        return Not(_condition(doc, (*path, "not"), raw["not"], vocabulary))
    return _fact_test(doc, path, raw, vocabulary)


def _conditions(
    doc: Document, path: DocPath, raw: Sequence[Mapping[str, Any]], vocabulary: Vocabulary
) -> tuple[Condition, ...]:
    return tuple(_condition(doc, (*path, i), item, vocabulary) for i, item in enumerate(raw))


def _fact_test(
    doc: Document, path: DocPath, raw: Mapping[str, Any], vocabulary: Vocabulary
) -> FactTest:
    fact = _tested_fact(doc, (*path, "fact"), raw["fact"], vocabulary)
    if "is" in raw:
        _check_value(doc, (*path, "is"), fact, raw["is"])
        return FactTest(fact.name, {raw["is"]})
    key = "in" if "in" in raw else "not_in"
    for index, value in enumerate(raw[key]):
        _check_value(doc, (*path, key, index), fact, value)
    chosen = frozenset(raw[key])
    if key == "not_in":
        chosen = frozenset(fact.values) - chosen
    return FactTest(fact.name, chosen)


def _tested_fact(doc: Document, path: DocPath, name: str, vocabulary: Vocabulary) -> Fact:
    if name not in vocabulary:
        testable = [fact.name for fact in vocabulary.condition_facts]
        raise _error(
            doc.where(*path),
            f"unknown fact {name!r}; known facts: {', '.join(testable)}",
            did_you_mean(name, testable),
        )
    fact = vocabulary[name]
    if fact.is_date:
        raise _error(
            doc.where(*path),
            f"the date fact {name!r} cannot be tested: time is expressed by versions "
            "(valid_from / valid_until)",
        )
    return fact


def _check_value(doc: Document, path: DocPath, fact: Fact, value: Any) -> None:
    if fact.kind == "bool":
        if not isinstance(value, bool):
            hint = ""
            if isinstance(value, str) and value.lower() in _YAML_1_1_WORDS:
                hint = f" (YAML 1.2 reads {value!r} as text)"
            raise _error(
                doc.where(*path),
                f"fact {fact.name!r} is true or false, not {value!r}{hint}; write true or false",
            )
        return
    if isinstance(value, bool) or value not in fact.values:
        raise _error(
            doc.where(*path),
            f"{_show(value)} is not a value of fact {fact.name!r}; allowed values: "
            + ", ".join(str(v) for v in fact.values),
            did_you_mean(value, fact.values) if isinstance(value, str) else None,
        )


# --------------------------------------------------------------------------- version files


@attrs.frozen
class _Draft:
    """One version file, read and checked on its own, not yet resolved."""

    doc: Document
    id: str
    aliases: tuple[str, ...]
    title: Text
    valid_from: dt.date
    valid_until: dt.date | None
    known_from: dt.date | None
    extends: str | None
    confidence: Any
    confidence_note: Text | None
    sanctions: tuple[_Located[Provision], ...]
    side_obligations: tuple[_Located[Provision], ...]
    add: tuple[_Located[Rule], ...]
    replace: tuple[_Located[Rule], ...]
    repeal: tuple[_Located[str], ...]
    annul: tuple[_Located[Annulment], ...]


def _build_draft(doc: Document, family: _FamilyParts) -> _Draft:
    data = doc.data
    return _Draft(
        doc=doc,
        id=str(data["id"]),
        aliases=tuple(data.get("aliases", ())),
        title=_text(data["title"]),
        valid_from=_date(data["valid_from"]),
        valid_until=_optional_date(data.get("valid_until")),
        known_from=_optional_date(data.get("known_from")),
        extends=None if data.get("extends") is None else str(data["extends"]),
        confidence=data.get("confidence", "high"),
        confidence_note=_optional_text(data.get("confidence_note")),
        sanctions=_provisions(doc, "sanctions", family),
        side_obligations=_provisions(doc, "side_obligations", family),
        add=_rules(doc, "add", family),
        replace=_rules(doc, "replace", family),
        repeal=tuple(
            _Located(rule_id, doc, ("repeal", i))
            for i, rule_id in enumerate(data.get("repeal", ()))
        ),
        annul=tuple(
            _Located(_annulment(doc, ("annul", i), raw, family), doc, ("annul", i))
            for i, raw in enumerate(data.get("annul", ()))
        ),
    )


def _provisions(doc: Document, key: str, family: _FamilyParts) -> tuple[_Located[Provision], ...]:
    return tuple(
        _Located(
            Provision(
                id=provision_id,
                summary=_text(raw["summary"]),
                source=_citation(doc, (key, provision_id, "source"), raw["source"], family.sources),
                trigger=raw.get("trigger"),
                penalty=_optional_text(raw.get("penalty")),
                label=_optional_text(raw.get("label")),
            ),
            doc,
            (key, provision_id),
        )
        for provision_id, raw in doc.data.get(key, {}).items()
    )


def _rules(doc: Document, key: str, family: _FamilyParts) -> tuple[_Located[Rule], ...]:
    return tuple(
        _Located(_rule(doc, (key, index), raw, family), doc, (key, index))
        for index, raw in enumerate(doc.data.get(key, ()))
    )


def _rule(doc: Document, path: DocPath, raw: Mapping[str, Any], family: _FamilyParts) -> Rule:
    reading = raw.get("reading")
    return Rule(
        id=raw["id"],
        summary=_text(raw["summary"]),
        source=_citation(doc, (*path, "source"), raw["source"], family.sources),
        when=_condition(doc, (*path, "when"), raw["when"], family.vocabulary),
        conclusion=Outcome(raw["then"]),
        overrides=tuple(raw.get("overrides", ())),
        reading=None
        if reading is None
        else _reading_test(doc, (*path, "reading"), reading, family),
        duty_bearer=raw.get("duty_bearer"),
        addressees=tuple(raw.get("addressees", ())),
        sanctions=tuple(raw.get("sanctions", ())),
        side_obligations=tuple(raw.get("side_obligations", ())),
        confidence=raw.get("confidence", "high"),
        note=_optional_text(raw.get("note")),
        origin=doc.where(*path).origin,
        label=_optional_text(raw.get("label")),
    )


def _reading_test(
    doc: Document, path: DocPath, raw: Mapping[str, Any], family: _FamilyParts
) -> ReadingTest:
    points = {point.id: point for point in family.contested}
    point = points.get(raw["point"])
    if point is None:
        raise _error(
            doc.where(*path, "point"),
            f"unknown contested point {raw['point']!r}; family.yaml `contested` lists: "
            + (", ".join(points) or "none"),
            did_you_mean(raw["point"], points),
        )
    for index, reading_id in enumerate(raw["in"]):
        if reading_id not in point.reading_ids:
            raise _error(
                doc.where(*path, "in", index),
                f"unknown reading {reading_id!r} of contested point {point.id!r}; its readings: "
                + ", ".join(point.reading_ids),
                did_you_mean(reading_id, point.reading_ids),
            )
    return ReadingTest(point.id, raw["in"])


def _annulment(
    doc: Document, path: DocPath, raw: Mapping[str, Any], family: _FamilyParts
) -> Annulment:
    return Annulment(
        rule=raw["rule"],
        decided_on=_date(raw["decided_on"]),
        source=_citation(doc, (*path, "source"), raw["source"], family.sources),
        retroactive=raw.get("retroactive", True),
        summary=_optional_text(raw.get("summary")),
    )


# --------------------------------------------------------------------------- the timeline


def _order_versions(drafts: Sequence[_Draft]) -> tuple[_Draft, ...]:
    """The drafts ordered by ``valid_from``, after checking ids, dates and ``extends``."""
    by_name = _index_names(drafts)
    for draft in drafts:
        _check_dates(draft)
    ordered = tuple(sorted(drafts, key=lambda d: d.valid_from))
    _check_overlaps(ordered)
    for draft in ordered:
        _check_extends_known(draft, by_name)
    for draft in ordered:
        _check_extends_cycle(draft, by_name)
    for index, draft in enumerate(ordered):
        _check_extends_order(draft, index, ordered, by_name)
    return ordered


def _index_names(drafts: Sequence[_Draft]) -> dict[str, _Draft]:
    """Every id and alias -> its version; two versions may not share one."""
    by_name: dict[str, _Draft] = {}
    for draft in drafts:
        names = [(draft.id, ("id",))] + [(a, ("aliases", i)) for i, a in enumerate(draft.aliases)]
        for name, path in names:
            other = by_name.get(name)
            if other is not None and other is not draft:
                raise _error(
                    draft.doc.where(*path),
                    f"{name!r} already names the version of {other.doc.file}; "
                    "version ids and aliases must be unique in a family",
                )
            by_name[name] = draft
    return by_name


def _check_dates(draft: _Draft) -> None:
    if draft.id != draft.valid_from.isoformat():
        raise _error(
            draft.doc.where("id"),
            f"version id {draft.id!r} differs from valid_from {draft.valid_from}; "
            f'a version\'s id is its start date: id: "{draft.valid_from}"',
        )
    if draft.valid_until is not None and draft.valid_until < draft.valid_from:
        raise _error(
            draft.doc.where("valid_until"),
            f"valid_until {draft.valid_until} is before valid_from {draft.valid_from}; "
            "valid_until is the last day the version governs, on or after valid_from",
        )


def _check_overlaps(ordered: Sequence[_Draft]) -> None:
    for before, after in itertools.pairwise(ordered):
        if before.valid_until is None or before.valid_until >= after.valid_from:
            last_day = after.valid_from - dt.timedelta(days=1)
            until = "has no end" if before.valid_until is None else f"ends {before.valid_until}"
            key = "id" if before.valid_until is None else "valid_until"
            raise _error(
                before.doc.where(key),
                f"version {before.id} {until}, overlapping version {after.id} "
                f"({after.doc.file}) that starts {after.valid_from}; "
                f"set valid_until: {last_day}",
            )


def _check_extends_known(draft: _Draft, by_name: Mapping[str, _Draft]) -> None:
    if draft.extends is not None and draft.extends not in by_name:
        raise _error(
            draft.doc.where("extends"),
            f"extends unknown version {draft.extends!r}; versions: " + ", ".join(by_name),
            did_you_mean(draft.extends, by_name),
        )


def _check_extends_cycle(draft: _Draft, by_name: Mapping[str, _Draft]) -> None:
    chain = [draft]
    current = draft
    while current.extends is not None:
        current = by_name[current.extends]
        if current is draft:
            cycle = " -> ".join(d.id for d in [*chain, draft])
            raise _error(draft.doc.where("extends"), f"extends forms a cycle: {cycle}")
        if current in chain:
            return  # a cycle that does not pass through this draft: reported for its own
        chain.append(current)


def _check_extends_order(
    draft: _Draft, index: int, ordered: Sequence[_Draft], by_name: Mapping[str, _Draft]
) -> None:
    if draft.extends is None:
        if index > 0:
            previous = ordered[index - 1]
            raise _error(
                draft.doc.where("id"),
                f"version {draft.id} extends nothing, but only the first version "
                f'({ordered[0].id}) may; add extends: "{previous.id}"',
            )
        return
    parent = by_name[draft.extends]
    if parent.valid_from >= draft.valid_from:
        raise _error(
            draft.doc.where("extends"),
            f"version {draft.id} extends version {parent.id}, which does not start earlier; "
            "a version amends an earlier one",
        )


# --------------------------------------------------------------------------- resolution


@attrs.frozen
class _Resolved:
    """A version resolved against the one it extends, its values still located."""

    draft: _Draft
    parent: _Resolved | None
    rules: tuple[_Located[Rule], ...]
    sanctions: Mapping[str, _Located[Provision]]
    side_obligations: Mapping[str, _Located[Provision]]

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(located.value.id for located in self.rules)


def _resolve_all(ordered: Sequence[_Draft]) -> tuple[_Resolved, ...]:
    resolved: dict[str, _Resolved] = {}
    names = {name: d.id for d in ordered for name in (d.id, *d.aliases)}
    for draft in ordered:
        parent = None if draft.extends is None else resolved[names[draft.extends]]
        resolved[draft.id] = _resolve(draft, parent)
    return tuple(resolved[draft.id] for draft in ordered)


def _resolve(draft: _Draft, parent: _Resolved | None) -> _Resolved:
    _check_amendment(draft, parent)
    replacements = {located.value.id: located for located in draft.replace}
    repealed = {located.value for located in draft.repeal}
    inherited = parent.rules if parent is not None else ()
    rules = (
        tuple(
            replacements.get(located.value.id, located)
            for located in inherited
            if located.value.id not in repealed
        )
        + draft.add
    )
    resolved = _Resolved(
        draft=draft,
        parent=parent,
        rules=rules,
        sanctions=_merge(parent.sanctions if parent else {}, draft.sanctions),
        side_obligations=_merge(parent.side_obligations if parent else {}, draft.side_obligations),
    )
    _check_references(resolved)
    _check_override_cycles(resolved)
    _check_annulments(resolved)
    return resolved


def _merge(
    inherited: Mapping[str, _Located[Provision]], own: Iterable[_Located[Provision]]
) -> dict[str, _Located[Provision]]:
    merged = dict(inherited)
    merged.update((located.value.id, located) for located in own)
    return merged


def _check_amendment(draft: _Draft, parent: _Resolved | None) -> None:
    """add / replace / repeal name rules that are new / inherited / inherited, once each."""
    inherited = parent.rule_ids if parent is not None else ()
    seen: dict[str, _Located[Any]] = {}
    for located in draft.add:
        rule_id = located.value.id
        _check_first_mention(rule_id, located, seen)
        if rule_id in inherited:
            assert parent is not None
            raise _error(
                located.at("id"),
                f"rule {rule_id!r} already exists in version {parent.draft.id} "
                f"({parent.draft.doc.file}); use replace to change it, or choose a new id",
            )
    changed: list[tuple[str, str, _Located[Any], _Where]] = [
        ("replace", r.value.id, r, r.at("id")) for r in draft.replace
    ]
    changed += [("repeal", r.value, r, r.at()) for r in draft.repeal]
    for key, rule_id, located, where in changed:
        _check_first_mention(rule_id, located, seen)
        if rule_id not in inherited:
            raise _error(
                where, _not_inherited(rule_id, key, draft, parent), did_you_mean(rule_id, inherited)
            )


def _check_first_mention(
    rule_id: str, located: _Located[Any], seen: dict[str, _Located[Any]]
) -> None:
    earlier = seen.get(rule_id)
    if earlier is not None:
        where = located.at("id") if located.path[0] != "repeal" else located.at()
        raise _error(
            where,
            f"duplicate rule id {rule_id!r}: already in {_format_path(earlier.path)} "
            f"(line {earlier.at().line}); a version names each rule once in add, replace "
            "and repeal",
        )
    seen[rule_id] = located


def _not_inherited(rule_id: str, key: str, draft: _Draft, parent: _Resolved | None) -> str:
    if parent is None:
        return (
            f"cannot {key} rule {rule_id!r}: version {draft.id} extends nothing; "
            "list its rules under add"
        )
    return (
        f"cannot {key} rule {rule_id!r}: it is not a rule of version {parent.draft.id} "
        "(the version this one extends)"
    )


def _check_references(resolved: _Resolved) -> None:
    """Rules name rules, sanctions and side obligations that exist in the resolved version."""
    version_id = resolved.draft.id
    ids = resolved.rule_ids
    for located in resolved.rules:
        rule = located.value
        for index, target in enumerate(rule.overrides):
            if target not in ids:
                raise _error(
                    located.at("overrides", index),
                    f"rule {rule.id!r} overrides {target!r}, which is not a rule of version "
                    f"{version_id}{_inherited_note(located, resolved)}",
                    did_you_mean(target, ids),
                )
        for key, known in (
            ("sanctions", resolved.sanctions),
            ("side_obligations", resolved.side_obligations),
        ):
            for index, name in enumerate(getattr(rule, key)):
                if name not in known:
                    listing = ", ".join(known) or "none"
                    raise _error(
                        located.at(key, index),
                        f"unknown {key.replace('_', ' ')[:-1]} {name!r} in version {version_id}; "
                        f"defined: {listing}",
                        did_you_mean(name, known),
                    )


def _inherited_note(located: _Located[Rule], resolved: _Resolved) -> str:
    if located.doc is resolved.draft.doc:
        return ""
    return f" ({resolved.draft.doc.file} inherits the rule; repeal or replace it there)"


def _check_override_cycles(resolved: _Resolved) -> None:
    cycle = override_cycle([located.value for located in resolved.rules])
    if cycle is not None:
        located = next(r for r in resolved.rules if r.value.id == cycle[0])
        index = located.value.overrides.index(cycle[1])
        raise _error(
            located.at("overrides", index),
            f"overrides form a cycle in version {resolved.draft.id}: "
            + " -> ".join(cycle)
            + "; a rule cannot, through others, set aside itself",
        )


def _check_annulments(resolved: _Resolved) -> None:
    earlier: set[str] = set()
    ancestor = resolved.parent
    while ancestor is not None:
        earlier.update(ancestor.rule_ids)
        ancestor = ancestor.parent
    for located in resolved.draft.annul:
        rule_id = located.value.rule
        if rule_id not in earlier:
            raise _error(
                located.at("rule"),
                f"annuls rule {rule_id!r}, which is in no earlier version; "
                "a court annuls a rule that was in force",
                did_you_mean(rule_id, earlier),
            )
        if rule_id in resolved.rule_ids:
            raise _error(
                located.at("rule"),
                f"annulled rule {rule_id!r} is still in version {resolved.draft.id}; "
                f"repeal it here too (repeal: [{rule_id}])",
            )


# --------------------------------------------------------------------------- the IR


def _to_version(resolved: _Resolved, vocabulary: Vocabulary) -> Version:
    draft = resolved.draft
    version = Version(
        id=draft.id,
        title=draft.title,
        valid_from=draft.valid_from,
        valid_until=draft.valid_until,
        rules=tuple(located.value for located in resolved.rules),
        sanctions={key: located.value for key, located in resolved.sanctions.items()},
        side_obligations={key: located.value for key, located in resolved.side_obligations.items()},
        aliases=draft.aliases,
        extends=None if resolved.parent is None else resolved.parent.draft.id,
        known_from=draft.known_from,
        confidence=draft.confidence,
        confidence_note=draft.confidence_note,
        annulments=tuple(located.value for located in draft.annul),
        added=tuple(located.value.id for located in draft.add),
        replaced=tuple(located.value.id for located in draft.replace),
        repealed=tuple(located.value for located in draft.repeal),
        source_file=draft.doc.file,
    )
    return attrs.evolve(version, content_hash=content_hash(version, vocabulary))


# --------------------------------------------------------------------------- the folder


def bundled_family_path() -> Path:
    """The folder of the bundled rule family: the copy inside the installed package if
    there is one (a wheel), else the one in the source checkout."""
    packaged = Path(__file__).resolve().parents[1] / "_bundled_rulesets" / BUNDLED_FAMILY
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rulesets" / BUNDLED_FAMILY


def _check_folder(root: Path) -> None:
    if root.is_dir():
        return
    if root.is_file():
        raise RulesetError(
            f"expected a rule family folder (holding family.yaml and versions/), got a file; "
            f"pass its folder: {root.parent}",
            file=str(root),
        )
    raise RulesetError(
        "no rule family folder here; expected a folder holding family.yaml and versions/",
        file=str(root),
    )


def _version_files(root: Path) -> list[Path]:
    folder = root / "versions"
    if not folder.is_dir():
        raise RulesetError(
            "missing versions folder; a rule family holds versions/<id>.yaml beside family.yaml",
            file=str(folder),
        )
    try:
        files = sorted(
            path
            for path in folder.iterdir()
            if path.suffix in (".yaml", ".yml") and not path.name.startswith(".")
        )
    except OSError as exc:
        raise RulesetError(
            f"cannot list versions: {exc.strerror or exc}", file=str(folder)
        ) from None
    if not files:
        raise RulesetError(
            "no version files; expected at least one versions/<id>.yaml", file=str(folder)
        )
    return files


def load_family(path: str | os.PathLike[str] | None = None) -> Family:
    """Load, validate and resolve a rule family folder.

    ``path`` is a folder holding ``family.yaml`` (vocabulary, contested points, research
    sources) and ``versions/*.yaml`` (one file per version, each an amendment of the one it
    extends); ``None`` loads the bundled family (``be-professional-secrecy``).

    Files are YAML 1.2 checked against the JSON Schemas of :func:`load_schema`, then for
    consistency: facts and values of conditions, rule, sanction, contested-point and
    source references, ``extends`` chains, dates and overlaps, annulments. Every version
    is resolved into a complete :class:`~disclosure._ir.ruleset.Version` (with its content
    hash); versions are ordered by ``valid_from``.

    Raises :class:`~disclosure.errors.RulesetError` naming the file, line and path of the
    first problem found. Nothing in a file is ever executed.
    """
    root = bundled_family_path() if path is None else Path(path)
    _check_folder(root)
    family_source = _read_source(root / "family.yaml", "the family file (family.yaml)", "family")
    family_doc = _validated(family_source, "family")
    version_sources = [
        _read_source(file, "a version file", "version") for file in _version_files(root)
    ]
    version_docs = [_validated(source, "version") for source in version_sources]
    parts = _build_family_parts(family_doc)
    drafts = [_build_draft(doc, parts) for doc in version_docs]
    resolved = _resolve_all(_order_versions(drafts))
    return Family(
        id=parts.id,
        title=parts.title,
        vocabulary=parts.vocabulary,
        contested=parts.contested,
        sources=parts.sources,
        versions=tuple(_to_version(r, parts.vocabulary) for r in resolved),
        root=str(root),
        acts=parts.acts,
    )
