"""The cache of parsed and validated ruleset documents (``disclosure._load.cache``).

Every test points the cache at its own empty folder. A warm cache must give exactly what
the real path gives (the same family, the same errors with the same lines), be used (the
YAML parser and the schema are not touched), and any problem with it must be ignored.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from disclosure._load import cache as _load_cache
from disclosure._load import loader as _loader
from disclosure._load.loader import bundled_family_path, load_family
from disclosure.errors import RulesetError
from disclosure.ir import Family

from support import MINI

NEW = "versions/2010-01-01.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, turned on."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("DISCLOSURE_CACHE_DIR", str(folder))
    monkeypatch.delenv("DISCLOSURE_CACHE", raising=False)
    return folder


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the mini family, free to edit."""
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    return root


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def uncached(path: Path | None) -> Family:
    """The family loaded with the cache turned off."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DISCLOSURE_CACHE", "0")
        return load_family(path)


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, parsing or validating a document fails the test."""

    def refuse(*args: Any) -> Any:
        raise AssertionError("parsed or validated although the cache holds the document")

    monkeypatch.setattr(_loader, "_parse_document", refuse)
    monkeypatch.setattr(_loader, "_validate", refuse)


def load_error(root: Path) -> RulesetError:
    with pytest.raises(RulesetError) as info:
        load_family(root)
    return info.value


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


# --------------------------------------------------------------------------- same result


@pytest.mark.parametrize("path", [None, MINI], ids=["bundled", "mini"])
def test_warm_load_equals_cold_and_uncached(
    cache: Path, monkeypatch: pytest.MonkeyPatch, path: Path | None
) -> None:
    cold = load_family(path)
    root = bundled_family_path() if path is None else path
    files = 1 + len(list((root / "versions").glob("*.yaml")))
    assert len(entries(cache)) == files
    no_parsing(monkeypatch)
    warm = load_family(path)
    assert warm == cold
    assert [v.content_hash for v in warm.versions] == [v.content_hash for v in cold.versions]
    monkeypatch.undo()
    assert uncached(path) == warm


def test_documents_round_trip_exactly(cache: Path) -> None:
    """Data (types, key order) and lines come back as the parser built them."""
    for name in ("family.yaml", "versions/2000-01-01.yaml", NEW):
        path = MINI / name
        kind = "family" if name == "family.yaml" else "version"
        source = _loader._read_source(path, "a file", kind)
        assert not source.cached
        parsed = _loader._validated(source, kind)
        again = _loader._read_source(path, "a file", kind)
        assert again.cached
        assert again.document == parsed
        assert json.dumps(again.document.data) == json.dumps(parsed.data)  # key order
        assert list(again.document.lines.items()) == list(parsed.lines.items())
        assert types(again.document.data) == types(parsed.data)


def types(value: Any) -> Any:
    if isinstance(value, dict):
        return [(type(k).__name__, k, types(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [types(item) for item in value]
    return type(value).__name__, value


def test_anchors_and_aliases_load_the_same_from_the_cache(cache: Path, mini: Path) -> None:
    edit(
        mini,
        NEW,
        "    then: obliged\n    overrides: [secret]\n    duty_bearer",
        "    then: &t obliged\n    overrides: [secret]\n    duty_bearer",
    )
    edit(
        mini,
        NEW,
        "    then: obliged\n    overrides: [secret]\n    reading",
        "    then: *t\n    overrides: [secret]\n    reading",
    )
    cold = load_family(mini)
    assert load_family(mini) == cold == uncached(mini)


def test_only_plain_json_data_is_cached(cache: Path) -> None:
    lines = {(): 1}
    for value in ({"a": float("nan")}, {"a": (1, 2)}, {1: "a"}, {"a": object()}):
        _load_cache.put(b"x", "version", value, lines)
    assert entries(cache) == []
    value = {"b": [1, 1.0, -0.0, 1e300, True, None, "\u2028é😀"], "a": {}}
    _load_cache.put(b"x", "version", value, lines)
    hit = _load_cache.get(b"x", "version")
    assert hit is not None
    assert types(hit[0]) == types(value)
    assert list(hit[0]) == ["b", "a"]


# --------------------------------------------------------------------------- keys


def test_editing_one_byte_misses_the_cache(
    cache: Path, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_family(mini)
    before = set(entries(cache))
    edit(mini, NEW, "Fine for refusing", "Fine for refusinG")
    parsed: list[str] = []
    real = _loader._parse_document

    def spy(raw: bytes, file: str, what: str) -> Any:
        parsed.append(Path(file).name)
        return real(raw, file, what)

    monkeypatch.setattr(_loader, "_parse_document", spy)
    family = load_family(mini)
    assert parsed == ["2010-01-01.yaml"]
    assert family.version("new").sanctions["refusal_fine"].summary.en == "Fine for refusinG"
    assert len(set(entries(cache)) - before) == 1


def test_the_key_depends_on_the_version_and_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = (MINI / NEW).read_bytes()
    key = _load_cache._key(raw, "version")
    assert key != _load_cache._key(raw, "family")
    monkeypatch.setattr(_load_cache, "__version__", "99.0")
    _load_cache._salt.cache_clear()
    try:
        assert _load_cache._key(raw, "version") != key
    finally:
        monkeypatch.undo()
        _load_cache._salt.cache_clear()
    assert _load_cache._key(raw, "version") == key


def test_a_change_to_any_module_of_the_load_stage_invalidates_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Regression (layout issue): the salt hashed the loader by its file name, so moving or
    splitting the loader would have stopped invalidating cached documents silently."""
    sources = _load_cache.shaping_sources()
    folder = Path(_load_cache.__file__).resolve().parent
    assert {path.name for path in sources} == {path.name for path in folder.glob("*.py")}
    assert {"loader.py", "cache.py"} <= {path.name for path in sources}
    raw = (MINI / NEW).read_bytes()
    _load_cache._salt.cache_clear()
    key = _load_cache._key(raw, "version")
    real_read_bytes = Path.read_bytes
    for changed in sources:

        def edited(path: Path, changed: Path = changed) -> bytes:
            content = real_read_bytes(path)
            return content + b"\n# edited\n" if path == changed else content

        monkeypatch.setattr(Path, "read_bytes", edited)
        _load_cache._salt.cache_clear()
        try:
            assert _load_cache._key(raw, "version") != key, changed.name
        finally:
            monkeypatch.undo()
            _load_cache._salt.cache_clear()
    assert _load_cache._key(raw, "version") == key


# --------------------------------------------------------------------------- bad caches


def corrupt_variants(content: bytes) -> dict[str, bytes]:
    head, _, body = content.partition(b"\n")
    header = json.loads(head)
    foreign = dict(header, version="0.0.0-foreign")
    other_format = dict(header, format=_load_cache.FORMAT + 1)
    flipped = body.replace(b'"Fine for refusing"', b'"Fine for refusinG"')
    assert flipped != body
    return {
        "empty": b"",
        "truncated": content[: len(content) // 2],
        "no body": head,
        "garbage": b"\x00\xff not json at all",
        "json error": head + b"\n{",
        "content changed": head + b"\n" + flipped,
        "foreign version": json.dumps(foreign).encode() + b"\n" + body,
        "other format": json.dumps(other_format).encode() + b"\n" + body,
        "list header": b"[]\n" + body,
        "wrong shape": head + b"\n[]",
    }


def test_corrupt_entries_are_ignored(cache: Path, mini: Path) -> None:
    expected = load_family(mini)
    raw = (mini / NEW).read_bytes()
    entry = cache / f"{_load_cache._key(raw, 'version')}.json"
    good = entry.read_bytes()
    for name, content in corrupt_variants(good).items():
        entry.write_bytes(content)
        assert _load_cache.get(raw, "version") is None, name
        assert load_family(mini) == expected, name
        assert entry.read_bytes() == good, name  # rewritten by the real path


def test_an_entry_under_another_key_is_ignored(cache: Path, mini: Path) -> None:
    """A file holding another document's entry (copied, renamed) does not match its key."""
    expected = load_family(mini)
    family_raw = (mini / "family.yaml").read_bytes()
    version_raw = (mini / NEW).read_bytes()
    family_entry = cache / f"{_load_cache._key(family_raw, 'family')}.json"
    version_entry = cache / f"{_load_cache._key(version_raw, 'version')}.json"
    shutil.copyfile(family_entry, version_entry)
    assert _load_cache.get(version_raw, "version") is None
    assert load_family(mini) == expected


def test_a_foreign_library_version_is_a_miss(
    cache: Path, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = load_family(mini)
    count = len(entries(cache))
    monkeypatch.setattr(_load_cache, "__version__", "99.0")
    _load_cache._salt.cache_clear()
    try:
        assert _load_cache.get((mini / NEW).read_bytes(), "version") is None
        assert load_family(mini) == expected
        assert len(entries(cache)) == 2 * count
    finally:
        monkeypatch.undo()
        _load_cache._salt.cache_clear()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anyway")
def test_an_unwritable_cache_folder_is_fine(cache: Path, mini: Path) -> None:
    cache.mkdir()
    cache.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert load_family(mini) == uncached(mini)
        assert entries(cache) == []
    finally:
        cache.chmod(stat.S_IRWXU)


def test_a_permission_error_is_fine(
    cache: Path, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unwritable and unreadable, as a non-root user would find it (root ignores modes)."""

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(_load_cache.tempfile, "mkstemp", denied)
    expected = uncached(mini)
    assert load_family(mini) == expected
    assert entries(cache) == []
    monkeypatch.undo()
    monkeypatch.setenv("DISCLOSURE_CACHE_DIR", str(cache))
    load_family(mini)
    for entry in entries(cache):  # entries that cannot be read (nor replaced)
        entry.unlink()
        entry.mkdir()
    assert load_family(mini) == expected


def test_a_cache_folder_that_is_a_file_is_fine(
    tmp_path: Path, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("DISCLOSURE_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("DISCLOSURE_CACHE", raising=False)
    assert load_family(mini) == uncached(mini)


def test_failing_writes_are_ignored(
    cache: Path, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk (or any error while writing) loses the entry, never the load, and leaves
    no temporary file behind."""

    def full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_load_cache.os, "replace", full)
    assert load_family(mini) == uncached(mini)
    assert list(cache.iterdir()) == []


def test_an_entry_is_replaced_atomically(cache: Path, mini: Path) -> None:
    load_family(mini)
    assert [p.name for p in cache.iterdir() if p.name.startswith(".tmp-")] == []


@pytest.mark.parametrize("value", ["0", "off", "OFF"])
def test_turned_off_writes_nothing(
    cache: Path, mini: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("DISCLOSURE_CACHE", value)
    load_family(mini)
    load_family(None)
    assert not cache.exists()


def test_where_the_cache_lives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DISCLOSURE_CACHE", raising=False)
    monkeypatch.setenv("DISCLOSURE_CACHE_DIR", str(tmp_path / "explicit"))
    assert _load_cache.cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("DISCLOSURE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _load_cache.cache_dir() == tmp_path / "xdg" / "disclosure"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert _load_cache.cache_dir() == tmp_path / "home" / ".cache" / "disclosure"


def test_the_test_session_never_uses_the_real_cache() -> None:
    folder = os.environ.get("DISCLOSURE_CACHE_DIR", "")
    assert "disclosure-test-cache-" in folder


# --------------------------------------------------------------------------- errors


def test_an_invalid_file_is_never_cached_and_fails_the_same(cache: Path, mini: Path) -> None:
    edit(
        mini,
        NEW,
        "then: obliged\n    overrides: [secret]\n    duty_bearer",
        "then: maybe\n    overrides: [secret]\n    duty_bearer",
    )
    first = load_error(mini)
    assert "maybe" in str(first)
    version_raw = (mini / NEW).read_bytes()
    assert _load_cache.get(version_raw, "version") is None
    second = load_error(mini)
    assert str(second) == str(first)
    assert (second.file, second.line, second.path) == (first.file, first.line, first.path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DISCLOSURE_CACHE", "0")
        assert str(load_error(mini)) == str(first)


def test_yaml_errors_are_the_same_with_a_warm_cache(cache: Path, mini: Path) -> None:
    load_family(mini)  # everything cached
    edit(mini, NEW, "aliases: [new]", "aliases: [new")
    first = load_error(mini)
    assert "invalid YAML" in first.reason
    assert str(load_error(mini)) == str(first)


def test_errors_found_after_validation_keep_their_lines(
    cache: Path, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unknown fact passes the schema (so the document is cached) and is found while
    building: from the cache, it is reported at the same file, line and path."""
    edit(mini, NEW, "- {fact: request_form, is: written}", "- {fact: request_fomr, is: written}")
    cold = load_error(mini)
    assert "unknown fact 'request_fomr'" in cold.reason
    assert cold.line is not None
    assert cold.file == str(mini / NEW)
    lines = (mini / NEW).read_text(encoding="utf-8").splitlines()
    assert "request_fomr" in lines[cold.line - 1]
    assert _load_cache.get((mini / NEW).read_bytes(), "version") is not None
    no_parsing(monkeypatch)
    warm = load_error(mini)
    assert str(warm) == str(cold)
    assert (warm.file, warm.line, warm.path, warm.suggestion) == (
        cold.file,
        cold.line,
        cold.path,
        cold.suggestion,
    )


def test_a_second_process_uses_the_cache(cache: Path, mini: Path) -> None:
    """What the CLI gains: a new process reads the entries another one wrote."""
    code = (
        "import sys\n"
        "from disclosure._load import loader as _loader\n"
        "parsed = []\n"
        "real = _loader._parse_document\n"
        "_loader._parse_document = lambda *a: parsed.append(a[1]) or real(*a)\n"
        "_loader.load_family(sys.argv[1])\n"
        "print(len(parsed))\n"
    )
    env = dict(os.environ, DISCLOSURE_CACHE_DIR=str(cache))
    env.pop("DISCLOSURE_CACHE", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(mini)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs == ["3", "0"]
