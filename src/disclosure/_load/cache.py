"""A cache of parsed and validated ruleset documents, so that a new process loading the
same files skips YAML parsing and schema validation (most of a CLI command's start-up).

What is cached is one document's plain data (dicts, lists, strings, numbers, booleans,
``None``) and the line of every node, as JSON: a cache file can never run code, and only
a document that parsed and validated without error is ever written, so every error still
comes from the real path, with the same message and line.

An entry's name is its key: the SHA-256 of the file's exact bytes, of the JSON Schema that
validated it, of the load stage's sources, the library and ruamel.yaml versions and the cache
format. Its first line is a header (the format, the key, the SHA-256 of the rest); the rest
is the document. An entry whose header does not match its key, whose content does not match
its checksum, that is not this process's user's, or that does not hold plain data is
ignored.

Where: ``DISCLOSURE_CACHE_DIR``, else ``$XDG_CACHE_HOME/disclosure``, else
``~/.cache/disclosure``; ``DISCLOSURE_CACHE=0`` (or ``off``, ``false``, ``no``) turns it off.
Any problem with the cache (missing, unwritable, corrupt, full disk) is ignored: loading
then takes the real path, and never fails or changes because of the cache.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.resources
import json
import math
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from disclosure._version import __version__

__all__ = ["cache_dir", "get", "put", "shaping_sources"]

#: Bumped whenever what an entry holds, or how it is written, changes.
FORMAT = 1

_OFF = frozenset({"0", "off", "false", "no"})

DocPath = tuple[str | int, ...]
Lines = dict[DocPath, int]


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when the cache is turned off."""
    if os.environ.get("DISCLOSURE_CACHE", "").strip().lower() in _OFF:
        return None
    explicit = os.environ.get("DISCLOSURE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "disclosure"
    return Path.home() / ".cache" / "disclosure"


def shaping_sources() -> tuple[Path, ...]:
    """The source files of every module that shapes a cached document: all the modules of
    the load stage (this folder), sorted by name. Moving or splitting the loader inside
    the stage keeps invalidating the cache; what the load stage imports from the IR does
    not shape the plain data that is cached."""
    return tuple(sorted(Path(__file__).resolve().parent.glob("*.py"), key=lambda p: p.name))


@functools.cache
def _salt(kind: str) -> bytes:
    """What every key of a ``kind`` document depends on besides the file: the cache format,
    the library version, the parser's version, the source of every module of the load
    stage (a development checkout keeps its version number while the loader changes) and
    the schema."""
    import ruamel.yaml

    schema = importlib.resources.files("disclosure").joinpath("schema", f"{kind}.schema.json")
    sources = hashlib.sha256()
    for path in shaping_sources():
        sources.update(path.name.encode() + b"\0")
        try:
            sources.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:  # pragma: no cover - installed without sources
            sources.update(b"?")
    parts = [
        f"disclosure-load-cache/{FORMAT}".encode(),
        __version__.encode(),
        str(getattr(ruamel.yaml, "__version__", "")).encode(),
        kind.encode(),
        hashlib.sha256(schema.read_bytes()).hexdigest().encode(),
        sources.hexdigest().encode(),
    ]
    return b"\0".join(parts)


def _key(raw: bytes, kind: str) -> str:
    digest = hashlib.sha256(_salt(kind))
    digest.update(b"\0")
    digest.update(hashlib.sha256(raw).digest())
    return digest.hexdigest()


def get(raw: bytes, kind: str) -> tuple[Any, Lines] | None:
    """The cached data and lines of a document whose bytes are ``raw``, validated against
    the ``kind`` schema; ``None`` when there is no usable entry (never raises)."""
    try:
        folder = cache_dir()
        if folder is None:
            return None
        key = _key(raw, kind)
        return _read_entry(folder / f"{key}.json", key)
    except Exception:  # the cache must never make loading fail
        return None


def put(raw: bytes, kind: str, data: Any, lines: Mapping[DocPath, int]) -> None:
    """Remember a document that parsed and validated without error (never raises; a
    document that is not plain data, a folder that cannot be written, ... are skipped)."""
    try:
        folder = cache_dir()
        if folder is None or not _plain(data, 0):
            return
        key = _key(raw, kind)
        body = json.dumps(
            {"data": data, "lines": [[list(path), line] for path, line in lines.items()]},
            ensure_ascii=False,
            allow_nan=False,
            separators=(",", ":"),
        ).encode("utf-8")
        header = json.dumps(
            {
                "format": FORMAT,
                "key": key,
                "version": __version__,
                "sha256": hashlib.sha256(body).hexdigest(),
            },
            separators=(",", ":"),
        ).encode("utf-8")
        _write_atomic(folder, f"{key}.json", header + b"\n" + body)
    except Exception:  # the cache must never make loading fail
        return


def _read_entry(path: Path, key: str) -> tuple[Any, Lines] | None:
    try:
        with path.open("rb") as handle:
            if hasattr(os, "geteuid") and os.fstat(handle.fileno()).st_uid != os.geteuid():
                return None
            content = handle.read()
    except OSError:
        return None
    head, newline, body = content.partition(b"\n")
    if not newline:
        return None
    header = json.loads(head)
    if (
        not isinstance(header, dict)
        or header.get("format") != FORMAT
        or header.get("key") != key
        or header.get("version") != __version__
        or header.get("sha256") != hashlib.sha256(body).hexdigest()
    ):
        return None
    entry = json.loads(body)
    if not isinstance(entry, dict) or set(entry) != {"data", "lines"}:
        return None
    lines = _decode_lines(entry["lines"])
    data = entry["data"]
    if lines is None or not _plain(data, 0):
        return None
    return data, lines


def _decode_lines(raw: Any) -> Lines | None:
    if not isinstance(raw, list):
        return None
    lines: Lines = {}
    for item in raw:
        if not (isinstance(item, list) and len(item) == 2):
            return None
        path, line = item
        if not (isinstance(path, list) and type(line) is int):
            return None
        if not all(type(part) is str or type(part) is int for part in path):
            return None
        lines[tuple(path)] = line
    return lines


#: Deeper than the loader ever builds (it refuses documents nested deeper than 100).
_MAX_DEPTH = 200


def _plain(value: Any, depth: int) -> bool:
    """Whether JSON holds ``value`` exactly: dicts with string keys, lists, strings, ints,
    finite floats, booleans, ``None`` (no tuple, date, NaN, ... that would come back as
    something else)."""
    if depth > _MAX_DEPTH:
        return False
    kind = type(value)
    if kind is dict:
        return all(type(k) is str and _plain(v, depth + 1) for k, v in value.items())
    if kind is list:
        return all(_plain(item, depth + 1) for item in value)
    if kind is float:
        return math.isfinite(value)
    return value is None or kind in (str, int, bool)


def _write_atomic(folder: Path, name: str, content: bytes) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temporary, folder / name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
