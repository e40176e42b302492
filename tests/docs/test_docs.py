"""The documentation runs: so that no example in it can rot.

* every ```python block of README.md and docs/**/*.md runs, the blocks of one page in
  sequence in one fresh namespace, in a scratch folder where ``docs/...`` and
  ``rulesets/...`` resolve to the repository's; a block right after a ``<!-- skip -->``
  line is not run;
* a ```text block right after an ``<!-- output -->`` line is what the block before it
  prints (doctest rules: ``...`` matches anything, whitespace is normalised);
* the how-to steps marked ``<!-- file: PATH -->`` (written) and ``<!-- run -->`` (a shell
  block, run with the package's ``disclosure`` on the PATH) run in order;
* every docstring example (``>>>``) of every module of the package passes;
* the JSON reference documents exactly the fields the code produces;
* the site builds with ``mkdocs build --strict`` (no warning), and what it generates from
  the code (vocabulary, timeline, CLI reference) is there;
* the README's first screen says what the library does and shows the two commands and a
  short Python example.
"""

from __future__ import annotations

import contextlib
import doctest
import importlib
import importlib.util
import io
import itertools
import os
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

import disclosure

from support import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"

#: The README's two commands, exactly: CI and users copy them.
MAIN_COMMAND = (
    "python3 -m venv .venv && . .venv/bin/activate && pip install . && "
    "disclosure evaluate docs/examples/prosecutor-written-request.json"
)
TEST_COMMAND = (
    'python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[test]" && python -m pytest'
)
#: How many source lines of the README count as its first screen.
FIRST_SCREEN = 40

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,})(?P<info>[\w+-]*)\s*$")
_MARKER = re.compile(r"^\s*<!--\s*(?P<name>skip|output|run|file)(?::\s*(?P<arg>\S+))?\s*-->\s*$")


@attrs.frozen
class Block:
    """A fenced code block of a Markdown page."""

    page: Path
    line: int  # 1-based line of the opening fence
    info: str
    code: str
    marker: str | None  # "skip", "output", "run" or "file" when the line before says so
    argument: str | None = None  # the path of a "file" marker


def fenced_blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a page, in order."""
    lines = page.read_text("utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        previous = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        marker = _MARKER.match(previous)
        indent, fence = opening.group("indent"), opening.group("fence")
        body: list[str] = []
        end = index + 1
        while end < len(lines) and lines[end].strip() != fence:
            text = lines[end]
            body.append(text[len(indent) :] if text.startswith(indent) else text.lstrip())
            end += 1
        if end == len(lines):
            raise AssertionError(f"{page}:{index + 1}: code block is never closed")
        blocks.append(
            Block(
                page=page,
                line=index + 1,
                info=opening.group("info").lower(),
                code="\n".join(body) + "\n",
                marker=marker.group("name") if marker else None,
                argument=marker.group("arg") if marker else None,
            )
        )
        index = end + 1
    return blocks


def _pages() -> list[Path]:
    return [README, *sorted(DOCS.rglob("*.md"))]


def _pages_with_python() -> list[Path]:
    return [p for p in _pages() if any(b.info == "python" for b in fenced_blocks(p))]


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


_CHECKER = doctest.OutputChecker()


def _matches(documented: str, printed: str) -> bool:
    """Doctest's comparison, with non-breaking spaces read as spaces (the text reports
    use them before units, and a reader cannot see the difference)."""
    printed = printed.replace("\u00a0", " ").replace("\u202f", " ")
    return _CHECKER.check_output(documented, printed, _FLAGS)


def _scratch(folder: Path) -> None:
    """A scratch folder where the docs' relative paths (``docs/examples/...``,
    ``rulesets/...``) work and files they write do not land in the repository."""
    for name in ("rulesets", "docs"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)


_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("page", _pages_with_python(), ids=_id)
def test_python_blocks_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _scratch(tmp_path)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    blocks = fenced_blocks(page)
    printed: str | None = None
    source = ""
    for block in blocks:
        if block.marker == "run":
            printed = None
            continue
        if block.marker == "output":
            where = f"{_id(page)}:{block.line}"
            if printed is None:
                continue  # it follows a shell step: checked by test_shell_steps_run
            expected = block.code
            if not _matches(expected, printed):
                pytest.fail(
                    f"{where}: the block at {source} prints something else.\n"
                    f"--- documented\n{expected}--- printed\n{printed}"
                )
            printed = None
            continue
        if block.info != "python" or block.marker == "skip":
            continue
        source = f"{_id(page)}:{block.line}"
        out = io.StringIO()
        code = compile(block.code, source, "exec")
        with contextlib.redirect_stdout(out):
            try:
                exec(code, namespace)
            except Exception as error:  # pragma: no cover - reported with the block
                pytest.fail(f"{source}: {type(error).__name__}: {error}\n{block.code}")
        printed = out.getvalue()


def _pages_with_shell() -> list[Path]:
    return [p for p in _pages() if any(b.marker in ("run", "file") for b in fenced_blocks(p))]


@pytest.mark.docs
@pytest.mark.parametrize("page", _pages_with_shell(), ids=_id)
def test_shell_steps_run(page: Path, tmp_path: Path) -> None:
    """The steps of a how-to, in order, in a scratch folder that sees the repository's
    ``rulesets/`` and ``docs/``: a block after ``<!-- file: PATH -->`` is written to
    PATH, a shell block after ``<!-- run -->`` runs (and must succeed), and an output
    block after it is what it printed."""
    if shutil.which("bash") is None:  # pragma: no cover
        pytest.skip("bash is not available")
    _scratch(tmp_path)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    printed: str | None = None
    source = ""
    for block in fenced_blocks(page):
        where = f"{_id(page)}:{block.line}"
        if block.marker == "file":
            assert block.argument, f"{where}: a file marker needs a path"
            target = tmp_path / block.argument
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.code, "utf-8")
        elif block.marker == "run":
            source = where
            result = subprocess.run(
                ["bash", "-c", block.code],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            printed = result.stdout + result.stderr
            assert result.returncode == 0, f"{where}: exit status {result.returncode}\n{printed}"
        elif block.marker == "output" and printed is not None and source:
            if not _matches(block.code, printed):
                pytest.fail(
                    f"{where}: the step at {source} prints something else.\n"
                    f"--- documented\n{block.code}--- printed\n{printed}"
                )
            printed = None
        elif block.info == "python" and block.marker != "skip":
            source = ""  # an output block after a python block is checked by the other test


def test_skip_marker_is_used_sparingly() -> None:
    skipped = [b for p in _pages() for b in fenced_blocks(p) if b.marker == "skip"]
    python = [b for p in _pages() for b in fenced_blocks(p) if b.info == "python"]
    assert len(skipped) * 5 <= len(python), [f"{_id(b.page)}:{b.line}" for b in skipped]


def test_output_blocks_follow_python_blocks() -> None:
    for page in _pages():
        blocks = fenced_blocks(page)
        for before, block in itertools.pairwise(blocks):
            if block.marker == "output":
                where = f"{_id(page)}:{block.line}"
                assert before.info == "python" or before.marker == "run", where
                assert before.marker != "skip", where


# -- docstrings ---------------------------------------------------------------------------


def _modules() -> list[str]:
    names = ["disclosure"]
    for info in pkgutil.walk_packages(disclosure.__path__, "disclosure."):
        names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=_FLAGS)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed"


# -- the site -----------------------------------------------------------------------------


@pytest.mark.docs
def test_site_builds_strict_with_generated_pages(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="mkdocs is not installed (the 'test' extra has it)")
    pytest.importorskip("mkdocstrings", reason="mkdocstrings is not installed")
    pytest.importorskip("mkdocs_click", reason="mkdocs-click is not installed")
    site = tmp_path / "site"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(ROOT / "mkdocs.yml"),
            "--site-dir",
            str(site),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "WARNING" not in log, log

    from disclosure._render.timeline_svg import timeline_svg

    family = disclosure.load()
    assert (site / "assets" / "timeline.svg").read_text("utf-8") == timeline_svg(family)
    vocabulary = (site / "reference" / "vocabulary" / "index.html").read_text("utf-8")
    for fact in family.vocabulary.facts:
        assert fact.name in vocabulary
        for value in fact.values:
            assert str(value).lower() in vocabulary
    for point in family.contested:
        assert point.id in vocabulary
    cli_page = (site / "reference" / "cli" / "index.html").read_text("utf-8")
    from disclosure.cli import cli

    for command in cli.commands:
        assert f"disclosure {command}" in cli_page, command
    assert "Sentinel" not in cli_page, "a click default leaks into the CLI reference"
    api_page = (site / "reference" / "api" / "index.html").read_text("utf-8")
    for name in disclosure.__all__:
        assert name in api_page, name
    errors_page = (DOCS / "reference" / "errors.md").read_text("utf-8")
    for name in dir(disclosure.errors):
        item = getattr(disclosure.errors, name)
        if isinstance(item, type) and issubclass(item, disclosure.DisclosureError):
            assert f"## `{name}`" in errors_page, f"errors.md does not document {name}"
    assert not list(site.rglob("hooks.py")), "the hooks must not be published"
    remote = re.compile(r"<(?:script|link)[^>]+(?:src|href)=\"(?:https?:)?//", re.IGNORECASE)
    for page in site.rglob("*.html"):
        assert not remote.search(page.read_text("utf-8")), f"{page}: loads a remote resource"


# -- the README ---------------------------------------------------------------------------


def test_readme_first_screen_shows_what_it_does_the_two_commands_and_python() -> None:
    lines = README.read_text("utf-8").splitlines()
    screen = "\n".join(lines[:FIRST_SCREEN])
    assert MAIN_COMMAND in screen
    assert TEST_COMMAND in screen
    assert "legal basis" in screen
    assert "not legal advice" in screen
    first_python = next(b for b in fenced_blocks(README) if b.info == "python")
    assert first_python.line + first_python.code.count("\n") <= FIRST_SCREEN
    code_lines = [line for line in first_python.code.splitlines() if line.strip()]
    assert len(code_lines) <= 6, code_lines


def test_readme_links_into_the_docs() -> None:
    text = README.read_text("utf-8")
    links = re.findall(r"\]\((docs/[^)#\s]+)", text)
    assert any(link.startswith("docs/tutorial/") for link in links)
    for link in links:
        assert (ROOT / link).exists(), f"README links to a missing file: {link}"


# -- the JSON reference -------------------------------------------------------------------


def _documented_keys(page: str = "json-schemas.md") -> dict[str, set[str]]:
    """The first column of each table announced by ``<!-- keys: NAME -->`` in a page of
    the reference."""
    lines = (DOCS / "reference" / page).read_text("utf-8").splitlines()
    found: dict[str, set[str]] = {}
    for index, line in enumerate(lines):
        marker = re.match(r"<!-- keys: (\w+) -->", line)
        if not marker:
            continue
        keys: set[str] = set()
        for row in lines[index + 3 :]:
            if not row.startswith("|"):
                break
            keys.update(re.findall(r"`(\w+)`", row.split("|")[1]))
        found[marker.group(1)] = keys
    return found


def _actual_keys() -> dict[str, set[str]]:
    import json

    examples = DOCS / "examples"
    facts = json.loads((examples / "prosecutor-written-request.json").read_text("utf-8"))
    decision = disclosure.evaluate(facts, known_on="2024-06-01").to_dict()
    federal = json.loads((examples / "federal-prosecutor-request.json").read_text("utf-8"))
    contested = disclosure.evaluate(federal).to_dict()["contested"]
    report = json.loads((examples / "own-initiative-report-2018.json").read_text("utf-8"))
    known_then = disclosure.evaluate(report).to_dict()["known_then"]
    failed = next(t["failed"] for t in decision["trace"] if t["failed"] is not None)
    comparison = disclosure.compare(facts, ["prior", "terrorism-2017"]).to_dict()
    contrast = comparison["contrasts"][0]
    return {
        "decision": set(decision),
        "citation": set(decision["basis"][0]),
        "sanction": set(decision["sanctions"][0]),
        "side_obligation": set(decision["side_obligations"][0]),
        "trace": set(decision["trace"][0]),
        "failed": set(failed),
        "contested": set(contested[0]),
        "known_then": set(known_then),
        "labels": set(decision["labels"]),
        "receipt": set(decision["receipt"]),
        "comparison": set(comparison),
        "side": set(comparison["sides"][0]),
        "contrast": set(contrast),
        "rule_change": set(contrast["rules"][0]),
    }


def test_json_reference_documents_every_field() -> None:
    documented = _documented_keys()
    actual = _actual_keys()
    for name, keys in actual.items():
        assert name in documented, f"json-schemas.md has no table for {name}"
        assert documented[name] == keys, (
            f"{name}: undocumented {sorted(keys - documented[name])}, "
            f"documented but absent {sorted(documented[name] - keys)}"
        )


def _actual_diff_keys() -> dict[str, set[str]]:
    diff = disclosure.diff("prior", "terrorism-2017").to_dict()
    annulment = disclosure.diff("terrorism-2017@2018-06-15", "terrorism-2017@2019-03-14")
    annulled = next(r for r in annulment.to_dict()["rules"] if r["annulment"] is not None)
    changed = next(r for r in diff["rules"] if r["fields"])
    region = diff["regions"][0]
    return {
        "diff": set(diff),
        "diff_side": set(diff["sides"]["a"]),
        "total": set(diff["totals"][0]),
        "region": set(region),
        "region_side": set(region["a"]),
        "diff_citation": set(region["b"]["basis"][0]),
        "rule_change": set(changed),
        "field_change": set(changed["fields"][0]),
        "annulment": set(annulled["annulment"]),
        "provision_change": set(diff["provisions"][0]),
    }


def test_diff_json_reference_documents_every_field() -> None:
    documented = _documented_keys("diff-json.md")
    for name, keys in _actual_diff_keys().items():
        assert name in documented, f"diff-json.md has no table for {name}"
        assert documented[name] == keys, (
            f"{name}: undocumented {sorted(keys - documented[name])}, "
            f"documented but absent {sorted(documented[name] - keys)}"
        )


def _hooks() -> object:
    spec = importlib.util.spec_from_file_location("docs_hooks", DOCS / "hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_blocks_render_from_the_bundled_family() -> None:
    """What the build hooks generate, checked without MkDocs: the vocabulary page names
    every fact, value, impossible combination and contested point; every placeholder of
    every page expands."""
    hooks: Any = _hooks()
    family = disclosure.load()
    page = hooks.render_vocabulary(family)
    for fact in family.vocabulary.facts:
        assert f"### `{fact.name}`" in page
        for value in fact.values:
            assert f"`{hooks._value(value)}`" in page
    for impossible in family.vocabulary.impossible:
        assert f"`{impossible.id}`" in page
    for point in family.contested:
        assert f"{{#point-{point.id}}}" in page
    for markdown_page in _pages():
        text = markdown_page.read_text("utf-8")
        expanded = hooks.expand_placeholders(text, family)
        assert "<!-- generated:" not in expanded, markdown_page
        assert "<!-- json-example:" not in expanded, markdown_page
