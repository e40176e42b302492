"""Friction a new user met (issue 12, point 5): a ``disclosure vocabulary`` command,
every option's help saying what its values look like, ``disclosure versions`` readable at
80 columns, the vocabulary reference readable in the repository, and the command-line
reference documenting exit codes, limits and what batch guarantees."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import click
import pytest
from edge_support import run_cli

import disclosure
from disclosure.cli import cli

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FAMILY = disclosure.load()


# -- disclosure vocabulary -------------------------------------------------------------


def test_vocabulary_lists_every_fact_with_its_values_and_meaning() -> None:
    ran = run_cli(["vocabulary"])
    assert ran.code == 0, ran.show()
    text = ran.stdout.decode("utf-8")
    for fact in FAMILY.vocabulary.facts:
        assert fact.name in text
        assert fact.meaning.en.split()[0] in text
        for value in fact.values:
            assert str(value).lower() in text.lower()


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_vocabulary_speaks_each_language(lang: str) -> None:
    ran = run_cli(["vocabulary", "--lang", lang])
    assert ran.code == 0, ran.show()
    text = " ".join(ran.stdout.decode("utf-8").split())  # meanings are wrapped
    for fact in FAMILY.vocabulary.facts:
        assert " ".join(fact.meaning[lang].split()) in text


def test_vocabulary_as_json_has_every_fact_value_and_meaning_in_three_languages() -> None:
    ran = run_cli(["vocabulary", "--format", "json"])
    assert ran.code == 0, ran.show()
    document = json.loads(ran.stdout)
    facts = {fact["name"]: fact for fact in document["facts"]}
    assert list(facts) == list(FAMILY.vocabulary.names)
    for fact in FAMILY.vocabulary.facts:
        shown = facts[fact.name]
        assert shown["type"] == fact.kind
        assert shown["meaning"] == {
            "fr": fact.meaning.fr,
            "nl": fact.meaning.nl,
            "en": fact.meaning.en,
        }
        assert [v["value"] for v in shown["values"]] == list(fact.values)
        for value in shown["values"]:
            meaning = fact.value_meanings.get(value["value"])
            if meaning is not None:
                assert value["meaning"]["fr"] == meaning.fr


# -- help --------------------------------------------------------------------------------


def _commands() -> list[tuple[str, click.Command]]:
    group: Any = cli
    return sorted(group.commands.items())


def _options() -> list[tuple[str, click.Option]]:
    found = []
    for name, command in _commands():
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_flag and not param.hidden:
                found.append((f"{name} {param.opts[-1]}", param))
    return found


@pytest.mark.parametrize(("where", "option"), _options(), ids=[w for w, _ in _options()])
def test_every_option_says_what_its_values_look_like(where: str, option: click.Option) -> None:
    assert option.help, f"{where} has no help"
    shows_values = isinstance(option.type, click.Choice) or (
        option.metavar is not None and option.metavar.upper() not in ("TEXT", "STRING")
    )
    assert shows_values, f"{where}: neither a choice nor a metavar that says what it takes"


def test_every_command_has_help() -> None:
    for name, command in _commands():
        assert (command.help or "").strip(), name


def test_fact_help_says_null_is_unknown_and_none_is_a_value() -> None:
    (option,) = [o for where, o in _options() if where == "evaluate --fact"]
    assert option.help is not None
    assert "null" in option.help
    assert "none" in option.help


def test_dates_say_their_form() -> None:
    for where, option in _options():
        if option.metavar == "DATE":
            assert option.help is not None
            assert "YYYY-MM-DD" in option.help or "ISO" in option.help, where


# -- versions at 80 columns --------------------------------------------------------------


def test_versions_is_readable_at_80_columns() -> None:
    ran = run_cli(["versions"], env={"COLUMNS": "80", "LINES": "50"})
    assert ran.code == 0, ran.show()
    lines = ran.stdout.decode("utf-8").splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    text = "\n".join(lines)
    assert "…" not in text
    for version in FAMILY.versions:
        assert version.id in text
        for alias in version.aliases:
            assert alias in text
        assert version.valid_from.isoformat() in text
    # a few lines per version, not a column of single words
    assert len(lines) <= 6 + 4 * len(FAMILY.versions), text


# -- the documentation in the repository ---------------------------------------------------


def _hooks() -> Any:
    spec = importlib.util.spec_from_file_location("docs_hooks_friction", DOCS / "hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_vocabulary_reference_is_in_the_repository_and_current() -> None:
    page = DOCS / "reference" / "vocabulary.md"
    assert page.exists(), "docs/reference/vocabulary.md is only in the built site"
    assert page.read_text("utf-8") == _hooks().render_vocabulary(FAMILY), (
        "docs/reference/vocabulary.md is out of date: regenerate it"
    )


LINK = re.compile(r"\]\(([^)#\s]*vocabulary\.md)(?:#[^)]*)?\)")


def test_links_to_the_vocabulary_reference_resolve_in_the_repository() -> None:
    pages = [ROOT / "README.md", *DOCS.rglob("*.md")]
    linked = 0
    for page in pages:
        for target in LINK.findall(page.read_text("utf-8")):
            linked += 1
            assert (page.parent / target).resolve().exists(), f"{page}: {target}"
    assert linked >= 2


def test_the_cli_reference_documents_exit_codes_limits_and_batch_guarantees() -> None:
    text = (DOCS / "reference" / "cli.md").read_text("utf-8")
    for code in ("0", "1", "2", "130"):
        assert re.search(rf"`{code}`", text), f"exit code {code}"
    for variable in (
        "DISCLOSURE_MAX_INPUT_BYTES",
        "DISCLOSURE_MAX_DEPTH",
        "DISCLOSURE_MAX_NAME_LENGTH",
        "DISCLOSURE_MAX_VALUE_LENGTH",
    ):
        assert variable in text, variable
    lowered = text.lower()
    for guarantee in ("temporary file", "renamed", "interrupted", "its own input"):
        assert guarantee in lowered, guarantee
