"""The loader: YAML rule families -> validated IR, and every error it reports.

Error tests copy the mini family (tests/fixtures/mini) into a temporary folder, break one
thing, and check the error's file, line, path and message. Lines are looked up in the
edited text (the line holding a unique marker), so the tests say *which* line, not a number
that drifts when the fixture changes.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from disclosure import DisclosureError, Outcome
from disclosure._load.loader import SchemaKind, bundled_family_path, load_family, load_schema
from disclosure.errors import RulesetError
from disclosure.ir import All, FactTest, Not, ReadingTest, content_hash

from support import MINI, ROOT

FAMILY = "family.yaml"
OLD = "versions/2000-01-01.yaml"
NEW = "versions/2010-01-01.yaml"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the mini family, free to break."""
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    return root


def edit(root: Path, name: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``root/name``."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(root: Path, name: str, marker: str) -> int:
    """The 1-based line of ``root/name`` holding ``marker`` (which must be unique)."""
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if marker in line]
    assert len(found) == 1, f"{marker!r} is on lines {found} of {name}"
    return found[0]


def line_after(root: Path, name: str, start: str, marker: str) -> int:
    """The first line holding ``marker`` after the (unique) line holding ``start``."""
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    begin = line_of(root, name, start)
    return next(n for n, line in enumerate(lines, 1) if n > begin and marker in line)


def load_error(root: Path | str) -> RulesetError:
    with pytest.raises(RulesetError) as info:
        load_family(root)
    return info.value


def check(
    error: RulesetError,
    root: Path,
    name: str,
    *,
    line: int | None,
    path: str | None,
    message: str,
    suggestion: str | None = None,
) -> None:
    assert error.file == str(root / name)
    assert error.line == line
    assert error.path == path
    assert message in error.reason, error.reason
    assert error.suggestion == suggestion
    where = f"{root / name}:{line}" if line is not None else str(root / name)
    assert str(error).startswith(f"{where} {path}: " if path else f"{where}: ")


# --------------------------------------------------------------------------- the IR


def test_mini_family_builds_the_expected_ir() -> None:
    family = load_family(MINI)
    assert family.id == "mini"
    assert family.root == str(MINI)
    assert [f.name for f in family.vocabulary.facts] == [
        "date",
        "channel",
        "request_form",
        "danger",
    ]
    assert family.vocabulary["date"].values == ()
    assert family.vocabulary["danger"].values == (False, True)
    assert family.vocabulary["channel"].values == ("request", "hearing", "own_initiative")
    impossible = family.vocabulary.impossible[0]
    assert impossible.when == All(
        (FactTest("channel", {"own_initiative"}), FactTest("request_form", {"written", "oral"}))
    )
    assert family.contested[0].default == "not_binding"
    assert family.contested[0].reading_ids == ("binding", "not_binding")
    assert set(family.sources) == {"S1", "S2"}
    old = family.versions[0]
    assert (old.id, old.aliases, old.valid_from, old.valid_until) == (
        "2000-01-01",
        ("old",),
        dt.date(2000, 1, 1),
        dt.date(2009, 12, 31),
    )
    assert old.rule_ids == ("secret", "testimony", "necessity", "report_duty")
    assert old.extends is None
    assert old.rule("testimony").source.article == "1"
    assert old.rule("testimony").source.paragraph == "§2"
    assert old.rule("testimony").source.date == dt.date(1999, 6, 1)
    assert old.rule("secret").when == All(())
    assert old.rule("necessity").when == FactTest("danger", {True})
    assert old.rule("report_duty").origin == f"{MINI / OLD}:{line_of(MINI, OLD, 'id: report_duty')}"


def test_amendments_resolve_in_place_then_added() -> None:
    new = load_family(MINI).version("new")
    # inherited in order, the replacement in place, the repealed rule gone, then additions
    assert new.rule_ids == ("secret", "testimony", "necessity", "duty_to_answer", "oral_answer")
    assert (new.added, new.replaced, new.repealed) == (
        ("duty_to_answer", "oral_answer"),
        ("necessity",),
        ("report_duty",),
    )
    assert new.extends == "2000-01-01"
    assert new.valid_until is None
    assert new.known_from == dt.date(2009, 11, 15)
    assert new.confidence == "medium"
    assert new.rule("necessity").when == All(
        (FactTest("danger", {True}), Not(FactTest("channel", {"request"})))
    )
    origin = new.rule("necessity").origin
    assert origin is not None
    assert origin == f"{MINI / NEW}:{line_of(MINI, NEW, '  - id: necessity')}"
    oral = new.rule("oral_answer")
    assert oral.reading == ReadingTest("oral_requests", frozenset({"binding"}))
    assert oral.conclusion is Outcome.OBLIGED
    assert oral.confidence == "low"
    answer = new.rule("duty_to_answer")
    assert answer.sanctions == ("refusal_fine",)
    assert answer.duty_bearer == "institution"
    assert new.sanctions["refusal_fine"].trigger == "refuse"
    assert new.side_obligations["keep_request_secret"].trigger is None
    (annulment,) = new.annulments
    assert (annulment.rule, annulment.decided_on, annulment.retroactive) == (
        "report_duty",
        dt.date(2010, 3, 1),
        True,
    )


def test_versions_are_ordered_by_valid_from(mini: Path) -> None:
    # file names do not decide the order: valid_from does
    (mini / OLD).rename(mini / "versions" / "zz-first.yaml")
    assert [v.id for v in load_family(mini).versions] == ["2000-01-01", "2010-01-01"]


def test_not_in_takes_the_complement_in_the_domain() -> None:
    family = load_family(MINI)
    when = family.vocabulary.impossible[0].when
    assert isinstance(when, All)
    assert when.items[1] == FactTest("request_form", {"written", "oral"})


def test_hashes_are_stable_across_loads() -> None:
    first, second = load_family(MINI), load_family(MINI)
    assert [v.content_hash for v in first.versions] == [v.content_hash for v in second.versions]
    for version in first.versions:
        assert len(version.content_hash) == 64
        assert version.content_hash == content_hash(version, first.vocabulary)
    assert first.versions[0].content_hash != first.versions[1].content_hash


def test_hash_changes_when_a_rule_changes(mini: Path) -> None:
    before = load_family(MINI)
    edit(mini, OLD, "when: {fact: channel, is: hearing}", "when: {fact: channel, in: [hearing]}")
    same = load_family(mini)  # the same condition, written differently: the same hash
    assert [v.content_hash for v in same.versions] == [v.content_hash for v in before.versions]
    edit(mini, OLD, "when: {fact: channel, in: [hearing]}", "when: {fact: channel, is: request}")
    after = load_family(mini)
    # the rule is inherited, so both versions change
    assert after.versions[0].content_hash != before.versions[0].content_hash
    assert after.versions[1].content_hash != before.versions[1].content_hash


def test_hash_ignores_where_a_rule_was_written(mini: Path) -> None:
    before = load_family(MINI)
    edit(mini, OLD, "format: 1\n", "# a comment that moves every line down\nformat: 1\n")
    after = load_family(mini)
    assert after.versions[0].rule("secret").origin != before.versions[0].rule("secret").origin
    assert [v.content_hash for v in after.versions] == [v.content_hash for v in before.versions]


def test_dates_may_be_quoted_or_plain(mini: Path) -> None:
    edit(mini, OLD, "valid_from: 2000-01-01", 'valid_from: "2000-01-01"')
    edit(mini, OLD, 'id: "2000-01-01"', "id: 2000-01-01")
    version = load_family(mini).versions[0]
    assert (version.id, version.valid_from) == ("2000-01-01", dt.date(2000, 1, 1))


# --------------------------------------------------------------------------- YAML safety


def test_yaml_1_2_no_stays_a_string(mini: Path) -> None:
    edit(
        mini,
        FAMILY,
        "values: [written, oral, none]",
        "values: [written, oral, none, no, off, yes]",
    )
    family = load_family(mini)
    assert family.vocabulary["request_form"].values == (
        "written",
        "oral",
        "none",
        "no",
        "off",
        "yes",
    )


def test_yes_on_a_bool_fact_is_refused_with_a_hint(mini: Path) -> None:
    edit(mini, OLD, "when: {fact: danger, is: true}", "when: {fact: danger, is: yes}")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "is: yes"),
        path="add[2].when.is",
        message="fact 'danger' is true or false, not 'yes' (YAML 1.2 reads 'yes' as text)",
    )


def test_yaml_1_1_directive_is_refused(mini: Path) -> None:
    edit(mini, OLD, "format: 1\n", "%YAML 1.1\n---\nformat: 1\n")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "---"),
        path=None,
        message="'%YAML 1.1' directive: ruleset files are YAML 1.2",
    )


def test_explicit_python_tag_is_refused_and_never_run(mini: Path, tmp_path: Path) -> None:
    witness = tmp_path / "executed"
    edit(
        mini,
        OLD,
        "title: {fr: Ancien régime",
        f'note: !!python/object/apply:os.system ["touch {witness}"]\ntitle: {{fr: Ancien régime',
    )
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "!!python"),
        path="note",
        message="explicit tag '!!python/object/apply:os.system' is not allowed",
    )
    assert not witness.exists()


@pytest.mark.parametrize("tag", ["!!str", "!custom", "!"])
def test_every_explicit_tag_is_refused(mini: Path, tag: str) -> None:
    edit(mini, OLD, "then: forbidden", f"then: {tag} forbidden")
    error = load_error(mini)
    assert error.line == line_of(mini, OLD, "then: !")
    assert error.path == "add[0].then"
    assert "is not allowed: ruleset files hold plain data only" in error.reason


def test_merge_keys_are_refused(mini: Path) -> None:
    edit(mini, OLD, "  - id: secret\n", "  - <<: {then: forbidden}\n    id: secret\n")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "<<:"),
        path="add[0]",
        message="merge keys ('<<') are not supported",
    )


def test_alias_bombs_are_refused(mini: Path) -> None:
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    edit(mini, OLD, "format: 1\n", "format: 1\n" + "\n".join(bomb) + "\n")
    error = load_error(mini)
    assert error.file == str(mini / OLD)
    assert "document too large" in error.reason


def test_anchors_and_aliases_are_plain_data(mini: Path) -> None:
    edit(
        mini,
        OLD,
        "source: {act: Mini code, article: 1, date: 1999-06-01, authorities: [S1]}",
        "source: &code {act: Mini code, article: 1, date: 1999-06-01, authorities: [S1]}",
    )
    edit(mini, OLD, "source: {act: Mini code, article: 2, date: 1999-06-01}", "source: *code")
    version = load_family(mini).versions[0]
    assert version.rule("report_duty").source == version.rule("secret").source


def test_alias_inside_its_own_anchor_is_refused(mini: Path) -> None:
    edit(mini, OLD, "aliases: [old]", "aliases: &loop [old, *loop]")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "&loop"),
        path="aliases[1]",
        message="alias *loop refers to a node that contains it",
    )


def test_several_documents_are_refused(mini: Path) -> None:
    path = mini / OLD
    path.write_text(path.read_text(encoding="utf-8") + "---\nformat: 1\n", encoding="utf-8")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "---"),
        path=None,
        message="a ruleset file holds one YAML document",
    )


def test_duplicate_keys_are_refused(mini: Path) -> None:
    edit(mini, OLD, "    then: forbidden\n", "    then: forbidden\n    then: permitted\n")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(MINI, OLD, "then: forbidden") + 1,
        path="add[0].then",
        message=f"duplicate key 'then' (first at line {line_of(MINI, OLD, 'then: forbidden')})",
    )


def test_yaml_syntax_error_names_the_line(mini: Path) -> None:
    edit(
        mini,
        OLD,
        "    then: permitted\n    overrides: [secret]\n  - id: necessity",
        "    then: [permitted\n  - id: necessity",
    )
    error = load_error(mini)
    assert error.file == str(mini / OLD)
    assert error.reason.startswith("invalid YAML: ")
    assert error.line is not None
    assert error.line >= line_of(mini, OLD, "then: [permitted")


def test_non_utf8_file(mini: Path) -> None:
    path = mini / OLD
    path.write_bytes(path.read_bytes().replace("régime".encode(), "r\xe9gime".encode("latin-1")))
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(MINI, OLD, "title:"),
        path=None,
        message="not UTF-8 text (byte 0xe9)",
    )


def test_empty_file(mini: Path) -> None:
    (mini / OLD).write_text("# nothing here\n", encoding="utf-8")
    error = load_error(mini)
    check(error, mini, OLD, line=1, path=None, message="empty file; expected a version file")


def test_deep_nesting_is_refused_cleanly(mini: Path) -> None:
    nested = "{not: " * 150 + "{fact: danger, is: true}" + "}" * 150
    edit(mini, OLD, "when: {fact: danger, is: true}", f"when: {nested}")
    error = load_error(mini)
    assert error.file == str(mini / OLD)
    assert error.line == line_of(mini, OLD, "{not: {not:")
    assert "nested too deeply" in error.reason


def test_root_must_be_a_mapping(mini: Path) -> None:
    (mini / OLD).write_text("- format: 1\n", encoding="utf-8")
    error = load_error(mini)
    check(
        error, mini, OLD, line=1, path=None, message="expected a mapping (key: value), got a list"
    )


def test_condition_that_is_not_a_mapping(mini: Path) -> None:
    edit(mini, OLD, "when: {all: []}", "when: {all: [danger]}")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "when: {all: [danger]}"),
        path="add[0].when.all[0]",
        message="a condition is exactly one of {fact: F, is: V}",
    )
    assert error.reason.endswith("; got 'danger'")


# --------------------------------------------------------------------------- folders


def test_missing_folder(tmp_path: Path) -> None:
    error = load_error(tmp_path / "nowhere")
    assert error.file == str(tmp_path / "nowhere")
    assert "no rule family folder here" in error.reason


def test_a_file_instead_of_a_folder() -> None:
    error = load_error(MINI / FAMILY)
    assert error.file == str(MINI / FAMILY)
    assert f"pass its folder: {MINI}" in error.reason


def test_missing_family_file(mini: Path) -> None:
    (mini / FAMILY).unlink()
    error = load_error(mini)
    check(
        error, mini, FAMILY, line=None, path=None, message="missing the family file (family.yaml)"
    )


def test_missing_versions_folder(mini: Path) -> None:
    shutil.rmtree(mini / "versions")
    error = load_error(mini)
    check(error, mini, "versions", line=None, path=None, message="missing versions folder")


def test_no_version_files(mini: Path) -> None:
    for path in (mini / "versions").iterdir():
        path.unlink()
    error = load_error(mini)
    check(error, mini, "versions", line=None, path=None, message="no version files")


def test_errors_are_disclosure_errors_and_value_errors(tmp_path: Path) -> None:
    with pytest.raises(DisclosureError):
        load_family(tmp_path)
    with pytest.raises(ValueError, match="no rule family folder"):
        load_family(tmp_path / "nowhere")


def test_bundled_family_path_falls_back_to_the_checkout() -> None:
    repo = ROOT
    packaged = Path(load_family.__code__.co_filename).parent / "_bundled_rulesets"
    if not packaged.is_dir():
        assert bundled_family_path() == repo / "rulesets" / "be-professional-secrecy"
    else:  # an installed wheel
        assert bundled_family_path() == packaged / "be-professional-secrecy"


# --------------------------------------------------------------------------- schema errors


def test_summary_missing_a_language(mini: Path) -> None:
    edit(
        mini,
        OLD,
        "summary: {fr: Le secret, nl: Het geheim, en: The secret holds}",
        "summary: {fr: Le secret, nl: Het geheim}",
    )
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "summary: {fr: Le secret"),
        path="add[0].summary",
        message="missing required key 'en': The text in English",
    )


def test_unknown_key_with_did_you_mean(mini: Path) -> None:
    edit(
        mini,
        OLD,
        "    when: {fact: channel, is: hearing}",
        "    whne: {fact: channel, is: hearing}",
    )
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "whne:"),
        path="add[1].whne",
        message="unknown key 'whne'; allowed keys: id, source, summary, when, then",
        suggestion="when",
    )
    assert str(error).endswith("; did you mean 'when'?")


def test_conclusion_outside_the_enum(mini: Path) -> None:
    edit(mini, OLD, "then: forbidden", "then: forbiden")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "then: forbiden"),
        path="add[0].then",
        message="'forbiden' is not allowed here; expected one of: obliged, permitted, forbidden, "
        "not_applicable",
        suggestion="forbidden",
    )


def test_missing_required_key_says_what_it_is(mini: Path) -> None:
    edit(mini, OLD, "    then: forbidden\n", "")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "- id: secret"),
        path="add[0]",
        message="missing required key 'then': obliged (must disclose)",
    )


def test_invalid_date(mini: Path) -> None:
    edit(mini, OLD, "valid_until: 2009-12-31", "valid_until: 2009-02-30")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "valid_until:"),
        path="valid_until",
        message="'2009-02-30' is not valid here: expected a date written YYYY-MM-DD",
    )


def test_url_must_be_a_web_address(mini: Path) -> None:
    edit(mini, FAMILY, 'url: "https://example.org/code"', "url: example.org/code")
    error = load_error(mini)
    check(
        error,
        mini,
        FAMILY,
        line=line_of(mini, FAMILY, "url: example.org"),
        path="sources.S1.url",
        message="'example.org/code' is not valid here: expected a web address starting with "
        "https:// or http://",
    )


def test_wrong_format_number(mini: Path) -> None:
    edit(mini, FAMILY, "format: 1", "format: 2")
    error = load_error(mini)
    check(
        error,
        mini,
        FAMILY,
        line=2,
        path="format",
        message="unsupported format 2; this library reads format: 1",
    )


def test_bad_name_as_a_key(mini: Path) -> None:
    edit(mini, NEW, "  refusal_fine:\n", "  Refusal-Fine:\n")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "Refusal-Fine:"),
        path="sanctions.Refusal-Fine",
        message="key 'Refusal-Fine' is not a valid name: A name: lowercase letters",
    )


def test_malformed_condition_explains_the_forms(mini: Path) -> None:
    edit(
        mini,
        OLD,
        "when: {fact: channel, is: hearing}",
        "when: {fact: channel, is: hearing, in: [request]}",
    )
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "in: [request]"),
        path="add[1].when",
        message="a condition is exactly one of {fact: F, is: V}, {fact: F, in: [V, ...]}, "
        "{fact: F, not_in: [V, ...]}, {all: [C, ...]}, {any: [C, ...]}, {not: C}; "
        "got keys: fact, is, in",
    )


def test_condition_key_typo(mini: Path) -> None:
    edit(mini, OLD, "when: {fact: channel, is: hearing}", "when: {fact: channel, iss: hearing}")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "iss: hearing"),
        path="add[1].when.iss",
        message="unknown key 'iss'",
        suggestion="is",
    )


def test_confidence_without_a_note(mini: Path) -> None:
    edit(mini, NEW, "confidence_note: {fr: Exemple, nl: Voorbeeld, en: An example}\n", "")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "confidence: medium"),
        path="confidence",
        message="missing key 'confidence_note': a version whose confidence is not high needs",
    )


def test_rule_confidence_without_a_note(mini: Path) -> None:
    edit(mini, NEW, "    note: {fr: Discuté, nl: Betwist, en: Contested}\n", "")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "confidence: low"),
        path="add[1].confidence",
        message="missing key 'note': a rule whose confidence is not high needs a note",
    )


# --------------------------------------------------------------------------- conditions


def test_unknown_fact(mini: Path) -> None:
    edit(mini, OLD, "when: {fact: channel, is: hearing}", "when: {fact: chanel, is: hearing}")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "fact: chanel"),
        path="add[1].when.fact",
        message="unknown fact 'chanel'; known facts: channel, request_form, danger",
        suggestion="channel",
    )


def test_unknown_fact_in_an_impossible_combination(mini: Path) -> None:
    edit(mini, FAMILY, "{fact: request_form, not_in: [none]}", "{fact: form, not_in: [none]}")
    error = load_error(mini)
    check(
        error,
        mini,
        FAMILY,
        line=line_of(mini, FAMILY, "fact: form,"),
        path="vocabulary.impossible[0].when.all[1].fact",
        message="unknown fact 'form'",
    )


def test_value_outside_the_domain(mini: Path) -> None:
    edit(mini, NEW, "{fact: request_form, is: written}", "{fact: request_form, is: writen}")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "is: writen"),
        path="add[0].when.all[1].is",
        message="'writen' is not a value of fact 'request_form'; "
        "allowed values: written, oral, none",
        suggestion="written",
    )


def test_value_outside_the_domain_in_a_list(mini: Path) -> None:
    edit(mini, FAMILY, "not_in: [none]", "not_in: [nothing]")
    error = load_error(mini)
    check(
        error,
        mini,
        FAMILY,
        line=line_of(mini, FAMILY, "not_in: [nothing]"),
        path="vocabulary.impossible[0].when.all[1].not_in[0]",
        message="'nothing' is not a value of fact 'request_form'",
    )


def test_bool_value_on_an_enum_fact(mini: Path) -> None:
    edit(mini, OLD, "when: {fact: channel, is: hearing}", "when: {fact: channel, is: true}")
    error = load_error(mini)
    assert error.path == "add[1].when.is"
    assert "true is not a value of fact 'channel'" in error.reason


def test_testing_the_date_fact(mini: Path) -> None:
    edit(mini, OLD, "when: {fact: channel, is: hearing}", 'when: {fact: date, is: "2001-01-01"}')
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "fact: date"),
        path="add[1].when.fact",
        message="the date fact 'date' cannot be tested: time is expressed by versions",
    )


def test_values_on_a_bool_fact(mini: Path) -> None:
    edit(mini, FAMILY, "      type: bool\n", "      type: bool\n      values: [yes, no]\n")
    error = load_error(mini)
    check(
        error,
        mini,
        FAMILY,
        line=line_of(mini, FAMILY, "values: [yes, no]"),
        path="vocabulary.facts.danger.values",
        message="fact 'danger' has type bool: only an enum fact lists values",
    )


def test_value_meaning_of_an_unknown_value(mini: Path) -> None:
    edit(mini, FAMILY, "        own_initiative: {fr:", "        own_initiativ: {fr:")
    error = load_error(mini)
    check(
        error,
        mini,
        FAMILY,
        line=line_of(mini, FAMILY, "own_initiativ:"),
        path="vocabulary.facts.channel.value_meanings.own_initiativ",
        message="'own_initiativ' is not a value of fact 'channel'",
        suggestion="own_initiative",
    )


# --------------------------------------------------------------------------- rules


def test_duplicate_rule_ids(mini: Path) -> None:
    edit(mini, OLD, "  - id: testimony", "  - id: secret")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(MINI, OLD, "- id: testimony"),
        path="add[1].id",
        message="duplicate rule id 'secret': already in add[0] "
        f"(line {line_of(MINI, OLD, '- id: secret')})",
    )


def test_replace_of_a_rule_not_in_the_extended_version(mini: Path) -> None:
    edit(mini, NEW, "  - id: necessity", "  - id: necesity")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "id: necesity"),
        path="replace[0].id",
        message="cannot replace rule 'necesity': it is not a rule of version 2000-01-01",
        suggestion="necessity",
    )


def test_repeal_of_a_rule_not_in_the_extended_version(mini: Path) -> None:
    edit(mini, NEW, "repeal: [report_duty]", "repeal: [report_dutty]")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "repeal:"),
        path="repeal[0]",
        message="cannot repeal rule 'report_dutty'",
        suggestion="report_duty",
    )


def test_replace_in_the_first_version(mini: Path) -> None:
    edit(mini, OLD, "add:\n  - id: secret", "replace:\n  - id: secret")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "id: secret"),
        path="replace[0].id",
        message="cannot replace rule 'secret': version 2000-01-01 extends nothing; "
        "list its rules under add",
    )


def test_add_of_an_id_that_already_exists(mini: Path) -> None:
    edit(mini, NEW, "  - id: oral_answer", "  - id: testimony")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "id: testimony"),
        path="add[1].id",
        message="rule 'testimony' already exists in version 2000-01-01",
    )
    assert "use replace to change it" in error.reason


def test_replaced_and_repealed(mini: Path) -> None:
    edit(mini, NEW, "repeal: [report_duty]", "repeal: [report_duty, necessity]")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "repeal:"),
        path="repeal[1]",
        message="duplicate rule id 'necessity': already in replace[0]",
    )


def test_overrides_an_unknown_rule(mini: Path) -> None:
    edit(
        mini,
        OLD,
        "    then: permitted\n    overrides: [secret]\n  - id: necessity",
        "    then: permitted\n    overrides: [secrett]\n  - id: necessity",
    )
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "[secrett]"),
        path="add[1].overrides[0]",
        message="rule 'testimony' overrides 'secrett', which is not a rule of version 2000-01-01",
        suggestion="secret",
    )


def test_inherited_override_of_a_repealed_rule(mini: Path) -> None:
    # the inherited exceptions override 'secret': repealing it alone leaves them dangling;
    # the error points at the first of them, in the file that defines it
    edit(mini, NEW, "repeal: [report_duty]", "repeal: [report_duty, secret]")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_after(mini, OLD, "- id: testimony", "overrides: [secret]"),
        path="add[1].overrides[0]",
        message="rule 'testimony' overrides 'secret', which is not a rule of version 2010-01-01 "
        f"({mini / NEW} inherits the rule; repeal or replace it there)",
    )


def test_override_cycle_is_named(mini: Path) -> None:
    edit(
        mini,
        OLD,
        "    when: {all: []}\n    then: forbidden\n",
        "    when: {all: []}\n    then: forbidden\n    overrides: [testimony]\n",
    )
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "overrides: [testimony]"),
        path="add[0].overrides[0]",
        message="overrides form a cycle in version 2000-01-01: secret -> testimony -> secret",
    )


def test_self_override_is_a_cycle(mini: Path) -> None:
    edit(
        mini,
        OLD,
        "    when: {all: []}\n    then: forbidden\n",
        "    when: {all: []}\n    then: forbidden\n    overrides: [secret]\n",
    )
    error = load_error(mini)
    assert error.path == "add[0].overrides[0]"
    assert "secret -> secret" in error.reason


def test_unknown_sanction(mini: Path) -> None:
    edit(mini, NEW, "sanctions: [refusal_fine]", "sanctions: [refusal_fines]")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "[refusal_fines]"),
        path="add[0].sanctions[0]",
        message="unknown sanction 'refusal_fines' in version 2010-01-01; defined: refusal_fine",
        suggestion="refusal_fine",
    )


def test_unknown_side_obligation(mini: Path) -> None:
    edit(mini, NEW, "side_obligations: [keep_request_secret]", "side_obligations: [keep_secret]")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "[keep_secret]"),
        path="add[0].side_obligations[0]",
        message="unknown side obligation 'keep_secret' in version 2010-01-01",
        suggestion="keep_request_secret",
    )


def test_sanction_of_a_later_version_is_unknown_earlier(mini: Path) -> None:
    edit(
        mini,
        OLD,
        "    duty_bearer: staff_member\n",
        "    duty_bearer: staff_member\n    sanctions: [refusal_fine]\n",
    )
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "sanctions: [refusal_fine]"),
        path="add[3].sanctions[0]",
        message="unknown sanction 'refusal_fine' in version 2000-01-01; defined: none",
    )


# --------------------------------------------------------------------------- contested points


def test_reading_of_an_unknown_point(mini: Path) -> None:
    edit(mini, NEW, "point: oral_requests", "point: oral_request")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "point: oral_request"),
        path="add[1].reading.point",
        message="unknown contested point 'oral_request'; family.yaml `contested` lists: "
        "oral_requests",
        suggestion="oral_requests",
    )


def test_unknown_reading_id(mini: Path) -> None:
    edit(mini, NEW, "in: [binding]", "in: [bindng]")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "in: [bindng]"),
        path="add[1].reading.in[0]",
        message="unknown reading 'bindng' of contested point 'oral_requests'; its readings: "
        "binding, not_binding",
        suggestion="binding",
    )


def test_contested_default_not_among_readings(mini: Path) -> None:
    edit(mini, FAMILY, "default: not_binding", "default: non_binding")
    error = load_error(mini)
    check(
        error,
        mini,
        FAMILY,
        line=line_of(mini, FAMILY, "default:"),
        path="contested[0].default",
        message="default reading 'non_binding' is not one of the point's readings: binding, "
        "not_binding",
        suggestion="not_binding",
    )


def test_duplicate_reading_ids(mini: Path) -> None:
    edit(mini, FAMILY, "- id: not_binding", "- id: binding")
    error = load_error(mini)
    assert error.path == "contested[0].readings[1].id"
    assert "duplicate reading id 'binding'" in error.reason


# --------------------------------------------------------------------------- sources


def test_unknown_research_source_in_a_citation(mini: Path) -> None:
    edit(mini, OLD, "authorities: [S1]", "authorities: [S3]")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "[S3]"),
        path="add[0].source.authorities[0]",
        message="unknown research source 'S3': not under `sources` in family.yaml; "
        "add it there or cite a listed source: S1, S2",
    )


def test_unknown_research_source_of_a_reading(mini: Path) -> None:
    edit(mini, FAMILY, "authorities: [S2]", "authorities: [S22]")
    error = load_error(mini)
    check(
        error,
        mini,
        FAMILY,
        line=line_of(mini, FAMILY, "[S22]"),
        path="contested[0].readings[0].authorities[0]",
        message="unknown research source 'S22'",
    )


def test_unknown_research_source_of_an_annulment(mini: Path) -> None:
    edit(mini, NEW, "date: 2010-03-01, authorities: [S2]", "date: 2010-03-01, authorities: [S9]")
    error = load_error(mini)
    assert error.path == "annul[0].source.authorities[0]"
    assert error.line == line_of(mini, NEW, "[S9]")


# --------------------------------------------------------------------------- the timeline


def test_extends_an_unknown_version(mini: Path) -> None:
    edit(mini, NEW, 'extends: "2000-01-01"', 'extends: "2000-01-02"')
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "extends:"),
        path="extends",
        message="extends unknown version '2000-01-02'; versions: 2000-01-01, old, 2010-01-01, new",
        suggestion="2000-01-01",
    )


def test_extends_by_alias(mini: Path) -> None:
    edit(mini, NEW, 'extends: "2000-01-01"', "extends: old")
    assert load_family(mini).version("new").extends == "2000-01-01"


def test_extends_cycle_is_named(mini: Path) -> None:
    edit(mini, OLD, "aliases: [old]\n", 'aliases: [old]\nextends: "2010-01-01"\n')
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "extends:"),
        path="extends",
        message="extends forms a cycle: 2000-01-01 -> 2010-01-01 -> 2000-01-01",
    )


def test_a_later_version_without_extends(mini: Path) -> None:
    edit(mini, NEW, 'extends: "2000-01-01"\n', "")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, 'id: "'),
        path="id",
        message="version 2010-01-01 extends nothing, but only the first version (2000-01-01) "
        'may; add extends: "2000-01-01"',
    )


def test_extends_a_later_version(mini: Path) -> None:
    (mini / "versions" / "2020-01-01.yaml").write_text(
        'format: 1\nid: "2020-01-01"\ntitle: {fr: T, nl: T, en: T}\n'
        'valid_from: 2020-01-01\nextends: "2000-01-01"\n',
        encoding="utf-8",
    )
    edit(mini, NEW, 'extends: "2000-01-01"', 'extends: "2020-01-01"')
    edit(mini, NEW, "valid_from: 2010-01-01", "valid_from: 2010-01-01\nvalid_until: 2019-12-31")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "extends:"),
        path="extends",
        message="version 2010-01-01 extends version 2020-01-01, which does not start earlier",
    )


def test_two_versions_with_the_same_alias(mini: Path) -> None:
    edit(mini, NEW, "aliases: [new]", "aliases: [new, old]")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "aliases:"),
        path="aliases[1]",
        message=f"'old' already names the version of {mini / OLD}",
    )


def test_two_versions_with_the_same_id(mini: Path) -> None:
    shutil.copy(mini / OLD, mini / "versions" / "copy.yaml")
    edit(mini, "versions/copy.yaml", "aliases: [old]", "aliases: [copy]")
    error = load_error(mini)
    check(
        error,
        mini,
        "versions/copy.yaml",
        line=line_of(mini, "versions/copy.yaml", 'id: "'),
        path="id",
        message="'2000-01-01' already names the version of",
    )


def test_id_is_the_start_date(mini: Path) -> None:
    edit(mini, NEW, "valid_from: 2010-01-01", "valid_from: 2010-01-02")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, 'id: "'),
        path="id",
        message="version id '2010-01-01' differs from valid_from 2010-01-02",
    )


def test_valid_until_before_valid_from(mini: Path) -> None:
    edit(mini, OLD, "valid_until: 2009-12-31", "valid_until: 1999-12-31")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "valid_until:"),
        path="valid_until",
        message="valid_until 1999-12-31 is before valid_from 2000-01-01",
    )


def test_overlapping_versions(mini: Path) -> None:
    edit(mini, OLD, "valid_until: 2009-12-31", "valid_until: 2010-06-30")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, "valid_until:"),
        path="valid_until",
        message="version 2000-01-01 ends 2010-06-30, overlapping version 2010-01-01 "
        f"({mini / NEW}) that starts 2010-01-01; set valid_until: 2009-12-31",
    )


def test_open_ended_version_before_another_overlaps(mini: Path) -> None:
    edit(mini, OLD, "valid_until: 2009-12-31\n", "")
    error = load_error(mini)
    check(
        error,
        mini,
        OLD,
        line=line_of(mini, OLD, 'id: "'),
        path="id",
        message="version 2000-01-01 has no end, overlapping version 2010-01-01",
    )


def test_a_gap_between_versions_is_allowed(mini: Path) -> None:
    edit(mini, OLD, "valid_until: 2009-12-31", "valid_until: 2009-06-30")
    assert load_family(mini).versions[0].valid_until == dt.date(2009, 6, 30)


# --------------------------------------------------------------------------- annulments


def test_annul_a_rule_of_no_earlier_version(mini: Path) -> None:
    edit(mini, NEW, "  - rule: report_duty", "  - rule: report_dutie")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "rule: report_dutie"),
        path="annul[0].rule",
        message="annuls rule 'report_dutie', which is in no earlier version",
        suggestion="report_duty",
    )


def test_annul_a_rule_added_in_the_same_version(mini: Path) -> None:
    edit(mini, NEW, "  - rule: report_duty", "  - rule: oral_answer")
    error = load_error(mini)
    assert error.path == "annul[0].rule"
    assert "annuls rule 'oral_answer', which is in no earlier version" in error.reason


def test_annulled_rule_still_present(mini: Path) -> None:
    edit(mini, NEW, "repeal: [report_duty]\n", "")
    error = load_error(mini)
    check(
        error,
        mini,
        NEW,
        line=line_of(mini, NEW, "rule: report_duty"),
        path="annul[0].rule",
        message="annulled rule 'report_duty' is still in version 2010-01-01; repeal it here too",
    )


# --------------------------------------------------------------------------- the schemas


SCHEMA_DIR = ROOT / "src" / "disclosure" / "schema"


@pytest.mark.parametrize("kind", ["family", "version"])
def test_schema_is_a_valid_draft_2020_12_schema(kind: Any) -> None:
    schema = load_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema == json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


def _properties(node: Any, where: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "if":
                continue  # a condition on values, not a description of keys
            if key == "properties":
                found += [(f"{where}.{name}", spec) for name, spec in value.items()]
            found += _properties(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += _properties(item, f"{where}[{index}]")
    return found


@pytest.mark.parametrize("kind", ["family", "version"])
def test_every_property_has_a_title_and_a_description(kind: Any) -> None:
    schema = load_schema(kind)
    properties = _properties(schema)
    assert len(properties) > 20
    for where, spec in properties:
        assert isinstance(spec, dict), where
        assert spec.get("title"), where
        assert spec.get("description"), where


@pytest.mark.parametrize("kind", ["family", "version"])
def test_objects_forbid_unknown_keys(kind: Any) -> None:
    def objects(node: Any) -> list[dict[str, Any]]:
        found = []
        if isinstance(node, dict):
            if "properties" in node and node.get("type") == "object":
                found.append(node)
            for value in node.values():
                found += objects(value)
        elif isinstance(node, list):
            for item in node:
                found += objects(item)
        return found

    for spec in objects(load_schema(kind)):
        assert spec.get("additionalProperties") is False, spec.get("title")


def test_shared_definitions_are_the_same_in_both_schemas() -> None:
    family, version = load_schema("family")["$defs"], load_schema("version")["$defs"]
    shared = set(family) & set(version)
    assert {"condition", "text", "citation", "date", "name", "sourceId"} <= shared
    for name in shared:
        assert family[name] == version[name], name


def test_schema_enums_match_the_ir() -> None:
    rule = load_schema("version")["$defs"]["rule"]["properties"]
    assert rule["then"]["enum"] == [outcome.value for outcome in Outcome]
    assert rule["confidence"]["enum"] == ["high", "medium", "low"]
    assert rule["duty_bearer"]["enum"] == ["institution", "staff_member", "holder"]
    sanction = load_schema("version")["$defs"]["sanction"]["properties"]
    assert sanction["trigger"]["enum"] == ["disclose", "refuse", "reveal_request", "fail_to_act"]


def test_fixture_files_are_schema_valid_as_plain_yaml() -> None:
    # an editor validating the YAML with the schema sees what the loader sees
    yaml = YAML(typ="safe", pure=True)
    files: tuple[tuple[SchemaKind, list[Path]], ...] = (
        ("family", [MINI / FAMILY]),
        ("version", [MINI / OLD, MINI / NEW]),
    )
    for kind, paths in files:
        validator = Draft202012Validator(load_schema(kind))
        for path in paths:
            data = yaml.load(path.read_text(encoding="utf-8"))
            data = json.loads(json.dumps(data, default=str))
            assert list(validator.iter_errors(data)) == [], path


def test_unknown_schema_kind() -> None:
    with pytest.raises(RulesetError, match="unknown schema 'rules'"):
        load_schema("rules")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the bundled family


def test_bundled_family_loads_when_present() -> None:
    if not (bundled_family_path() / "family.yaml").is_file():
        pytest.skip("the bundled family is not written yet")
    family = load_family()
    assert family.id == "be-professional-secrecy"
    assert family.versions


def test_lone_surrogate_escape_is_a_ruleset_error_with_its_line(tmp_path: Path) -> None:
    """Found by fuzzing: a lone surrogate escape crashed the content hash."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    version = folder / "versions" / "2000-01-01.yaml"
    text = version.read_text("utf-8").replace(
        "summary: {fr: Le secret,", 'summary: {fr: "Le secret \\ud83d",'
    )
    version.write_text(text, "utf-8")
    with pytest.raises(RulesetError, match="lone surrogate") as info:
        load_family(folder)
    assert info.value.file is not None
    assert info.value.file.endswith("2000-01-01.yaml")
    assert info.value.line is not None
