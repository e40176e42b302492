"""``disclosure.diff`` and ``disclosure.compare`` end to end: the structural diff on small
families an analyst edits, the semantic diff's exactness (against ``evaluate`` on every
situation of small families, and on sampled and enumerated situations of the Belgian law),
the ``where`` restriction, the JSON layout against its schema and its documentation, the
text and Markdown renderings, and the ``disclosure diff`` command.

The symbolic engine's own exactness on generated rulesets (Hypothesis against brute
force) is tested in ``test_regions.py``; here the whole pipeline is: versions named by id,
alias, date or path, readings, annulments as known on a date, the basis of each side.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import random
import re
import shutil
from collections import Counter
from collections.abc import Iterator, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

import disclosure
from disclosure import DisclosureError, FactError, Outcome, ReadingError, VersionError
from disclosure._analysis.diff import Diff, DiffRegion, terminal_name
from disclosure._cli.diff import diff_command, parse_where
from disclosure._decide.bulk import evaluate_many
from disclosure._decide.evaluate import evaluate_in
from disclosure._render.diff_common import condition_text, conditions_text
from disclosure.ir import Family

from support import FAMILY as IR_FAMILY
from support import MINI, ROOT

EXAMPLES = ROOT / "docs" / "examples"
BELGIAN_PAIRS = [
    ("pre-2017", "prior"),
    ("prior", "terrorism-2017"),
    ("terrorism-2017", "post-annulment"),
    ("post-annulment", "new-penal-code"),
]


# -- helpers -------------------------------------------------------------------------------


def inside(situation: Mapping[str, Any], conditions: Mapping[str, Any]) -> bool:
    return all(situation[fact] in values for fact, values in conditions.items())


def every_situation(family: Family) -> Iterator[dict[str, Any]]:
    """Every possible complete situation of a (small) family's vocabulary."""
    vocabulary = family.vocabulary
    names = [f.name for f in vocabulary.condition_facts]
    for values in itertools.product(*(f.values for f in vocabulary.condition_facts)):
        situation = dict(zip(names, values, strict=True))
        if vocabulary.is_possible(situation):
            yield situation


def side_outcome(family: Family, spec: str, situation: Mapping[str, Any], **kw: Any) -> str:
    """The outcome name of ``situation`` under a side named ``version[@date]``, through
    ``evaluate`` (a conflict or a gap by the name the diff gives it)."""
    name, _, when = spec.partition("@")
    known = None if not when else dt.date.today() if when == "today" else when
    try:
        decision = evaluate_in(family, situation, version=name, known_on=known, **kw)
    except disclosure.ConflictError as error:
        return "conflict(" + ",".join(error.rules) + ")"
    except disclosure.GapError:
        return "gap"
    assert decision.outcome is not None
    return decision.outcome.value


def check_exact(
    diff: Diff,
    situations: list[dict[str, Any]],
    outcomes_a: list[str],
    outcomes_b: list[str],
    *,
    complete: bool,
) -> None:
    """Each situation differs exactly when it lies in a region, and then in regions of its
    own pair only. With ``complete`` (every possible situation of ``where`` given), the
    totals and ``compared`` are also the counts."""
    differing: Counter[tuple[str, str]] = Counter()
    for situation, a, b in zip(situations, outcomes_a, outcomes_b, strict=True):
        containing = [r for r in diff.regions if inside(situation, r.conditions)]
        if a != b:
            differing[(a, b)] += 1
            assert containing, (situation, a, b)
        assert all(r.outcomes == (a, b) for r in containing), (situation, a, b, containing)
    if complete:
        assert diff.compared == len(situations)
        assert dict(diff.totals) == dict(differing)
        for region in diff.regions:
            assert region.size == sum(1 for s in situations if inside(s, region.conditions))


def copy_mini(tmp_path: Path, name: str = "mini") -> Path:
    target = tmp_path / name
    shutil.copytree(MINI, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """An analyst's edit of a ruleset file: replace one passage (which must be there)."""
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new), "utf-8")


def kinds(diff: Diff) -> dict[str, str]:
    return {delta.rule: delta.kind for delta in diff.rules}


# -- structural diff on the mini family ----------------------------------------------------


def test_mini_old_to_new_lists_every_kind_of_rule_change() -> None:
    family = disclosure.load(MINI)
    result = disclosure.diff("old", "new", family=family)
    assert kinds(result) == {
        "necessity": "changed",
        "report_duty": "removed",
        "duty_to_answer": "added",
        "oral_answer": "added",
    }
    necessity = next(d for d in result.rules if d.rule == "necessity")
    assert necessity.meaning_changed
    assert set(necessity.fields) >= {"when", "summary", "source"}
    assert set(result.metadata) >= {"valid_from", "valid_until", "confidence", "aliases"}
    assert set(result.provisions) == {
        "sanctions.refusal_fine",
        "side_obligations.keep_request_secret",
    }
    assert result.provisions["sanctions.refusal_fine"][0] is None


def test_mini_semantic_diff_is_exact_on_every_situation() -> None:
    family = disclosure.load(MINI)
    situations = list(every_situation(family))
    for a, b in itertools.permutations(["old", "new"], 2):
        for readings in ({}, {"oral_requests": "binding"}):
            result = disclosure.diff(a, b, family=family, readings=readings)
            outcomes_a = [side_outcome(family, a, s, readings=readings) for s in situations]
            outcomes_b = [side_outcome(family, b, s, readings=readings) for s in situations]
            check_exact(result, situations, outcomes_a, outcomes_b, complete=True)
            assert result.regions


def test_renamed_rule_is_shown_as_such_and_changes_no_outcome(tmp_path: Path) -> None:
    edited = copy_mini(tmp_path)
    version = edited / "versions" / "2010-01-01.yaml"
    edit(version, "  - id: duty_to_answer\n", "  - id: answer_written_request\n")
    result = disclosure.diff(str(MINI / "versions" / "2010-01-01.yaml"), str(version))
    (delta,) = result.rules
    assert (delta.rule, delta.kind, delta.before_id) == (
        "answer_written_request",
        "renamed",
        "duty_to_answer",
    )
    assert not delta.meaning_changed
    assert result.regions == ()
    assert result.changed == 0
    assert "answer_written_request" in result.to_text()
    assert "duty_to_answer" in result.to_text()


def test_reworded_condition_keeps_its_meaning(tmp_path: Path) -> None:
    edited = copy_mini(tmp_path)
    version = edited / "versions" / "2010-01-01.yaml"
    edit(
        version,
        "        - {not: {fact: channel, is: request}}",
        "        - {fact: channel, in: [hearing, own_initiative]}",
    )
    result = disclosure.diff(str(MINI / "versions" / "2010-01-01.yaml"), str(version))
    (delta,) = result.rules
    assert (delta.rule, delta.kind, delta.meaning_changed) == ("necessity", "reworded", False)
    assert set(delta.fields) == {"when"}
    assert result.regions == ()


def test_condition_rewritten_with_another_meaning_is_a_change(tmp_path: Path) -> None:
    edited = copy_mini(tmp_path)
    version = edited / "versions" / "2010-01-01.yaml"
    edit(
        version,
        "        - {not: {fact: channel, is: request}}",
        "        - {fact: channel, in: [hearing]}",
    )
    original = str(MINI / "versions" / "2010-01-01.yaml")
    result = disclosure.diff(original, str(version))
    (delta,) = result.rules
    assert (delta.rule, delta.kind, delta.meaning_changed) == ("necessity", "changed", True)
    # own-initiative reports in danger lose the permission of necessity
    assert result.regions
    for region in result.regions:
        assert region.conditions["channel"] == frozenset({"own_initiative"})
        assert region.conditions["danger"] == frozenset({True})
        assert region.outcomes == ("permitted", "forbidden")
        assert region.basis_a == ("necessity",)
        assert region.basis_b == ("secret",)
    edited_family = disclosure.load(edited)
    original_family = disclosure.load(MINI)
    situations = list(every_situation(original_family))
    check_exact(
        result,
        situations,
        [side_outcome(original_family, "new", s) for s in situations],
        [side_outcome(edited_family, "new", s) for s in situations],
        complete=True,
    )


def test_citation_and_summary_changes_do_not_change_meaning(tmp_path: Path) -> None:
    edited = copy_mini(tmp_path)
    version = edited / "versions" / "2010-01-01.yaml"
    edit(
        version,
        "en: Answer a written request}",
        "en: Answer a written request of the prosecutor}",
    )
    edit(
        version,
        'source: {act: Mini code, article: 3, paragraph: "§1", date: 2009-06-01, '
        "authorities: [S1]}",
        'source: {act: Mini code, article: 3, paragraph: "§1bis", date: 2009-06-01, '
        'authorities: [S1], url: "https://example.org/code#3"}',
    )
    result = disclosure.diff(str(MINI / "versions" / "2010-01-01.yaml"), str(version))
    (delta,) = result.rules
    assert delta.kind == "changed"
    assert not delta.meaning_changed
    assert set(delta.fields) == {"summary", "source"}
    assert result.regions == ()
    entry = result.to_dict()["rules"][0]
    assert entry["citation"]["url"] == "https://example.org/code#3"
    assert {f["field"] for f in entry["fields"]} == {"summary", "source"}


def test_conclusion_and_overrides_changes_are_changes_of_meaning(tmp_path: Path) -> None:
    edited = copy_mini(tmp_path)
    version = edited / "versions" / "2010-01-01.yaml"
    # the analyst makes an oral request binding for everyone, and drops its reading
    edit(version, "    reading: {point: oral_requests, in: [binding]}\n", "")
    result = disclosure.diff(str(MINI / "versions" / "2010-01-01.yaml"), str(version))
    (delta,) = result.rules
    assert (delta.rule, delta.kind, delta.meaning_changed) == ("oral_answer", "changed", True)
    assert set(delta.fields) == {"reading"}
    (region,) = result.regions
    assert region.outcomes == ("forbidden", "obliged")
    assert region.conditions["request_form"] == frozenset({"oral"})
    assert region.basis_b == ("oral_answer",)


def test_two_family_folders_compare_their_last_versions(tmp_path: Path) -> None:
    edited = copy_mini(tmp_path)
    version = edited / "versions" / "2010-01-01.yaml"
    # the analyst keeps report_duty: no repeal, no annulment
    edit(version, "repeal: [report_duty]\n", "")
    text = version.read_text("utf-8")
    version.write_text(text[: text.index("annul:")], "utf-8")
    result = disclosure.diff(str(MINI), str(edited))
    assert result.a.label == str(MINI)
    assert result.b.label == str(edited)
    assert kinds(result) == {"report_duty": "added"}
    assert result.regions
    assert all(r.outcomes == ("permitted", "obliged") for r in result.regions)
    assert all(r.conditions["channel"] == frozenset({"own_initiative"}) for r in result.regions)
    assert all(r.basis_b == ("report_duty",) for r in result.regions)


def test_a_family_file_names_its_folder() -> None:
    result = disclosure.diff(str(MINI / "family.yaml"), str(MINI / "versions" / "2010-01-01.yaml"))
    assert result.a.version.id == "2010-01-01"
    assert result.rules == ()
    assert result.regions == ()


def test_a_side_from_another_vocabulary_is_refused(tmp_path: Path) -> None:
    edited = copy_mini(tmp_path)
    edit(
        edited / "family.yaml",
        "values: [written, oral, none]",
        "values: [written, oral, fax, none]",
    )
    with pytest.raises(disclosure.RulesetError, match="do not share a vocabulary"):
        disclosure.diff(str(MINI), str(edited))


# -- the whole pipeline on the IR family: readings, known_on, annulments --------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("old", "new"),
        ("new", "old"),
        ("new", "annulled"),
        ("old", "annulled"),
        ("new@2014-06-01", "new@2016-01-01"),
        ("new@2016-01-01", "annulled"),
    ],
)
@pytest.mark.parametrize("readings", [{}, {"police_scope": "broad"}])
def test_ir_family_diff_is_exact_on_every_situation(
    a: str, b: str, readings: dict[str, str]
) -> None:
    result = disclosure.diff(a, b, family=IR_FAMILY, readings=readings)
    situations = list(every_situation(IR_FAMILY))
    outcomes_a = [side_outcome(IR_FAMILY, a, s, readings=readings) for s in situations]
    outcomes_b = [side_outcome(IR_FAMILY, b, s, readings=readings) for s in situations]
    check_exact(result, situations, outcomes_a, outcomes_b, complete=True)
    for region in result.regions:
        # the basis is the rules that win on the example, on each side; none for a defect
        for spec, outcome, winners in (
            (a, region.outcomes[0], region.basis_a),
            (b, region.outcomes[1], region.basis_b),
        ):
            if outcome.startswith(("conflict", "gap")):
                assert winners == ()
                continue
            name, _, when = spec.partition("@")
            decision = evaluate_in(
                IR_FAMILY, region.example, version=name, known_on=when or None, readings=readings
            )
            assert decision.winners == winners


def test_defects_of_a_ruleset_are_shown_as_outcomes_of_their_own() -> None:
    """Under the broad reading the IR family's new version has a conflict (police_request
    and medical_excluded, unordered): a region says so, in every format."""
    result = disclosure.diff("old", "new", family=IR_FAMILY, readings={"police_scope": "broad"})
    conflict = "conflict(police_request,medical_excluded)"
    (region,) = [r for r in result.regions if r.outcomes[1] == conflict]
    assert region.basis_b == ()
    assert not list(_validator().iter_errors(result.to_dict()))
    assert "permitted -> conflict (police_request,medical_excluded): 1 situation\n" in (
        result.to_text()
    )
    assert "b (new): police_request [Test Code, police_request]; medical_excluded" in (
        result.to_text()
    )
    assert "conflict (police_request,medical_excluded)" in result.to_markdown()
    assert 'class="outcome o-conflict"' in result.to_html()


def test_annulment_as_known_on_a_date_is_a_structural_change() -> None:
    result = disclosure.diff("new@2014-06-01", "new@2016-01-01", family=IR_FAMILY)
    assert kinds(result) == {"request": "annulled"}
    assert result.b.annulled == ("request",)
    assert result.a.annulled == ()
    entry = result.to_dict()["rules"][0]
    assert entry["annulment"]["decided_on"] == "2015-01-01"
    assert entry["annulment"]["citation"]["article"] == "judgment"
    assert {r.outcomes for r in result.regions} == {("obliged", "forbidden")}


def test_where_restricts_the_regions_and_the_totals_on_the_ir_family() -> None:
    where = {"channel": ["request", "hearing"], "info": "medical"}
    result = disclosure.diff("old", "new", family=IR_FAMILY, where=where)
    assert result.where == {
        "channel": frozenset({"request", "hearing"}),
        "info": frozenset({"medical"}),
    }
    situations = [s for s in every_situation(IR_FAMILY) if inside(s, result.where)]
    check_exact(
        result,
        situations,
        [side_outcome(IR_FAMILY, "old", s) for s in situations],
        [side_outcome(IR_FAMILY, "new", s) for s in situations],
        complete=True,
    )
    for region in result.regions:
        for fact, allowed in result.where.items():
            assert region.conditions[fact] <= allowed


# -- the Belgian law -----------------------------------------------------------------------


def _domains(family: Family) -> dict[str, tuple[Any, ...]]:
    return dict(family.vocabulary.domains)


def _random_possible(rng: random.Random, family: Family, fixed: Mapping[str, Any]) -> Any:
    """A random possible situation with the given facts' values drawn from ``fixed``
    (fact -> allowed values); ``None`` if none is found quickly."""
    domains = _domains(family)
    for _ in range(200):
        situation = {
            fact: rng.choice(sorted(fixed[fact], key=str) if fact in fixed else values)
            for fact, values in domains.items()
        }
        if family.vocabulary.is_possible(situation):
            return situation
    return None


def _belgian_samples(rng: random.Random, family: Family, result: Diff) -> list[dict[str, Any]]:
    """Uniform possible situations, situations inside each region, and the neighbours of
    each region's example (one fact changed): the boundary where a wrong region shows."""
    samples = [s for s in (_random_possible(rng, family, {}) for _ in range(500)) if s]
    domains = _domains(family)
    for region in result.regions:
        inner = (_random_possible(rng, family, region.conditions) for _ in range(12))
        samples.extend(s for s in inner if s)
        for fact, values in domains.items():
            for value in values:
                if value != region.example[fact]:
                    neighbour = {**region.example, fact: value}
                    if family.vocabulary.is_possible(neighbour):
                        samples.append(neighbour)
    return samples


@pytest.mark.parametrize(
    ("a", "b"), [*BELGIAN_PAIRS, ("terrorism-2017@2018-06-01", "terrorism-2017@today")]
)
def test_belgian_regions_agree_with_evaluate_on_sampled_situations(a: str, b: str) -> None:
    family = disclosure.load()
    result = disclosure.diff(a, b)
    rng = random.Random(f"{a}->{b}")
    samples = _belgian_samples(rng, family, result)
    assert len(samples) >= 400
    outcomes_a = [side_outcome(family, a, s) for s in samples]
    outcomes_b = [side_outcome(family, b, s) for s in samples]
    check_exact(result, samples, outcomes_a, outcomes_b, complete=False)
    if result.regions:  # the samples did reach both sides of the boundary
        assert any(x != y for x, y in zip(outcomes_a, outcomes_b, strict=True))
        assert any(x == y for x, y in zip(outcomes_a, outcomes_b, strict=True))


#: sub-spaces small enough to enumerate (tens of thousands of situations each), chosen
#: where the versions differ
BELGIAN_SUBSPACES: list[dict[str, Any]] = [
    {
        "learned_through_profession": [True],
        "authority": ["procureur_du_roi"],
        "channel": ["request", "own_initiative"],
        "consultation_basis": ["none"],
        "consultation_purpose": ["none"],
    },
    {
        "learned_through_profession": [True],
        "channel": ["case_consultation"],
        "holder": ["cpas_staff", "other_professional"],
        "offence": ["terrorist_offence", "none"],
        "information": ["administrative", "confidence"],
        "danger": ["none"],
        "victim_vulnerable": [False],
    },
]


@functools.cache
def _enumerate(index: int) -> list[dict[str, Any]]:
    """Every possible situation of ``BELGIAN_SUBSPACES[index]``."""
    family = disclosure.load()
    where = BELGIAN_SUBSPACES[index]
    domains = _domains(family)
    names = list(domains)
    choices = [where.get(name, domains[name]) for name in names]
    every = (dict(zip(names, values, strict=True)) for values in itertools.product(*choices))
    return [s for s in every if family.vocabulary.is_possible(s)]


@functools.cache
def _bulk_outcomes(index: int, spec: str) -> list[str]:
    """The outcomes of the situations of a sub-space under a side, by the bulk evaluator
    (compiled matcher and settlement: independent of the decision diagrams)."""
    situations = _enumerate(index)
    name, _, when = spec.partition("@")
    known = None if not when else dt.date.today() if when == "today" else when
    found = []
    for item in evaluate_many(situations, version=name, known_on=known, detail="outcome"):
        assert isinstance(item, Outcome), item
        found.append(item.value)
    return found


@pytest.mark.parametrize(
    "index", range(len(BELGIAN_SUBSPACES)), ids=["request-report", "consultation"]
)
@pytest.mark.parametrize(
    ("a", "b"), [*BELGIAN_PAIRS, ("terrorism-2017@2018-06-01", "terrorism-2017@today")]
)
def test_belgian_totals_equal_brute_force_counts_in_a_subspace(a: str, b: str, index: int) -> None:
    where = BELGIAN_SUBSPACES[index]
    result = disclosure.diff(a, b, where=where)
    check_exact(
        result,
        _enumerate(index),
        _bulk_outcomes(index, a),
        _bulk_outcomes(index, b),
        complete=True,
    )
    for region in result.regions:
        for fact, allowed in result.where.items():
            assert region.conditions[fact] <= allowed


def test_where_regions_are_the_unrestricted_diff_seen_inside_the_subspace() -> None:
    everything = disclosure.diff("prior", "terrorism-2017")
    only = disclosure.diff("prior", "terrorism-2017", where={"authority": "procureur_du_roi"})
    assert only.where == {"authority": frozenset({"procureur_du_roi"})}
    assert 0 < only.compared < everything.compared
    assert only.changed <= everything.changed
    for pair, count in only.totals.items():
        assert count <= everything.totals[pair]
    for region in only.regions:
        # the federal prosecutor may use 46bis/1 by default (brief §11.2)
        assert region.conditions["authority"] <= {"procureur_du_roi", "federal_prosecutor"}
        # each restricted region lies inside the unrestricted regions of its pair
        assert any(
            inside(region.example, r.conditions) and r.outcomes == region.outcomes
            for r in everything.regions
        )


def test_bad_where_is_a_fact_error_naming_the_fact() -> None:
    with pytest.raises(FactError, match="did you mean 'authority'"):
        disclosure.diff("prior", "terrorism-2017", where={"autority": "police"})
    with pytest.raises(FactError, match="procureur_du_roi"):
        disclosure.diff("prior", "terrorism-2017", where={"authority": "procureur"})
    with pytest.raises(FactError, match="cannot restrict on 'date'"):
        disclosure.diff("prior", "terrorism-2017", where={"date": "2018-01-01"})


def test_unknown_version_is_a_version_error() -> None:
    with pytest.raises(VersionError, match="did you mean 'terrorism-2017'"):
        disclosure.diff("prior", "terrorism-2071")


def test_regions_of_the_2017_reform_are_about_terrorism_and_the_prosecutor() -> None:
    result = disclosure.diff("prior", "terrorism-2017")
    assert result.changed == sum(result.totals.values()) > 0
    assert {r.outcomes[1] for r in result.regions} == {"obliged"}
    for region in result.regions:
        # the federal prosecutor may use 46bis/1 by default (brief §11.2)
        assert region.conditions["authority"] <= {"procureur_du_roi", "federal_prosecutor"}
        assert region.conditions["offence"] <= {"terrorist_offence", "radicalisation_only"}
        assert any(w.startswith("cic46bis1") for w in region.basis_b)
        assert region.citations_b
        assert all(isinstance(c, str) for c in region.citations_b)


def test_versions_without_a_change_of_outcome_have_no_region() -> None:
    result = disclosure.diff("post-annulment", "new-penal-code")
    assert result.regions == ()
    assert result.changed == 0
    assert result.totals == {}
    assert result.compared > 0
    assert "No possible situation changes outcome" in result.to_text()
    assert "Aucune situation possible ne change" in result.to_text("fr")
    assert "Regions (0)" in result.to_html()


# -- compare: the contrastive explanation -------------------------------------------------


def test_compare_as_known_in_2018_and_today_names_the_annulled_rule() -> None:
    facts = json.loads((EXAMPLES / "own-initiative-report-2018.json").read_text("utf-8"))
    comparison = disclosure.compare(facts, ["terrorism-2017@2018-06-01", "terrorism-2017@today"])
    today = dt.date.today().isoformat()
    assert [s.label for s in comparison.sides] == [
        "terrorism-2017@2018-06-01",
        f"terrorism-2017@{today}",
    ]
    assert comparison.outcomes == {
        "terrorism-2017@2018-06-01": Outcome.OBLIGED,
        f"terrorism-2017@{today}": Outcome.FORBIDDEN,
    }
    (contrast,) = comparison.contrasts
    assert contrast.differences["outcome"] == ("obliged", "forbidden")
    # as known today the declaration is forbidden without a penalty (brief §11.1, U7)
    assert contrast.differences["winners"] == (
        ("cic46bis1_p3_report",),
        ("cic46bis1_p3_reliance",),
    )
    changes = {c.rule: (c.before, c.after) for c in contrast.rules}
    assert changes["cic46bis1_p3_report"] == ("applied", "annulled")
    assert changes["cic46bis1_p3_reliance"] == ("overridden", "applied")
    report = next(c for c in contrast.rules if c.rule == "cic46bis1_p3_report")
    assert report.citation_label == "Code d'instruction criminelle, art. 46bis/1 §3"
    text = comparison.explain()
    assert "46bis/1 §3" in text
    assert "applied -> annulled" in text
    # known_on= gives the same to every side without a date of its own (each side must
    # be known by then: a version not yet known on known_on is refused, issue 12)
    same = disclosure.compare(facts, ["prior", "terrorism-2017"], known_on="2018-06-01")
    assert [s.label for s in same.sides] == [
        "prior@2018-06-01",
        "terrorism-2017@2018-06-01",
    ]
    # the situation's own date does not select among the sides
    assert same.decision("terrorism-2017").outcome is Outcome.OBLIGED
    # the diff of the same two sides has that situation in a region of the same pair
    diff = disclosure.diff("terrorism-2017@2018-06-01", "terrorism-2017@today")
    situation = {k: v for k, v in facts.items() if k != "date"}
    assert {r.outcomes for r in diff.regions if inside(situation, r.conditions)} == {
        ("obliged", "forbidden")
    }


def test_compare_contrast_lists_the_rules_of_both_sides_with_citations() -> None:
    facts = json.loads((EXAMPLES / "prosecutor-written-request.json").read_text("utf-8"))
    comparison = disclosure.compare(facts, ["prior", "terrorism-2017"])
    (contrast,) = comparison.contrasts
    assert contrast.differences["outcome"] == ("forbidden", "obliged")
    added = next(c for c in contrast.rules if c.rule == "cic46bis1_p1_request")
    assert (added.before, added.after) == ("absent", "applied")
    assert added.citation_label.endswith("46bis/1 §1")
    assert "sanctions" in contrast.differences
    assert "side_obligations" in contrast.differences


# -- JSON ----------------------------------------------------------------------------------


def _schema() -> dict[str, Any]:
    text = files("disclosure").joinpath("schema", "diff.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _validator() -> jsonschema.Draft202012Validator:
    schema = _schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.mark.parametrize(
    ("a", "b", "where"),
    [
        ("prior", "terrorism-2017", None),
        ("terrorism-2017", "post-annulment", {"information": ["administrative", "other"]}),
        ("terrorism-2017@2018-06-01", "terrorism-2017@today", None),
        ("post-annulment", "new-penal-code", None),
    ],
)
def test_json_validates_against_the_published_schema(
    a: str, b: str, where: dict[str, Any] | None
) -> None:
    document = json.loads(disclosure.diff(a, b, where=where).to_json())
    errors = sorted(_validator().iter_errors(document), key=str)
    assert not errors, errors[0]
    assert document["schema"] == "disclosure.diff/1"


def test_json_of_edited_families_validates(tmp_path: Path) -> None:
    edited = copy_mini(tmp_path)
    version = edited / "versions" / "2010-01-01.yaml"
    edit(version, "  - id: duty_to_answer\n", "  - id: answer_written_request\n")
    edit(version, "repeal: [report_duty]\n", "")
    text = version.read_text("utf-8")
    version.write_text(text[: text.index("annul:")], "utf-8")
    document = disclosure.diff(str(MINI), str(edited)).to_dict()
    assert not list(_validator().iter_errors(document))
    assert {r["kind"] for r in document["rules"]} == {"renamed", "added"}


def test_schema_rejects_what_the_layout_forbids() -> None:
    document = disclosure.diff("prior", "terrorism-2017").to_dict()
    validator = _validator()
    broken = json.loads(json.dumps(document))
    broken["regions"][0]["conditions"]["holder"] = []
    assert list(validator.iter_errors(broken))
    broken = json.loads(json.dumps(document))
    broken["totals"][0]["a"] = "allowed"
    assert list(validator.iter_errors(broken))
    broken = json.loads(json.dumps(document))
    del broken["sides"]["b"]["known_on"]
    assert list(validator.iter_errors(broken))


def test_json_content_matches_the_diff() -> None:
    result = disclosure.diff("prior", "terrorism-2017", where={"authority": "procureur_du_roi"})
    document = result.to_dict()
    assert document["sides"]["a"]["version"] == "2017-08-03"
    assert document["sides"]["a"]["aliases"] == ["prior"]
    assert document["sides"]["b"]["valid_until"] == "2019-03-13"
    assert document["sides"]["a"]["as_enacted"] is True
    assert document["sides"]["a"]["content_sha256"] == result.a.version.content_hash
    assert document["where"] == {"authority": ["procureur_du_roi"]}
    assert document["compared"] == result.compared
    assert document["changed"] == result.changed == sum(t["count"] for t in document["totals"])
    assert {(t["a"], t["b"]): t["count"] for t in document["totals"]} == dict(result.totals)
    assert len(document["regions"]) == len(result.regions)
    for entry, region in zip(document["regions"], result.regions, strict=True):
        assert entry["size"] == region.size
        assert entry["example"] == dict(region.example)
        for fact, values in entry["conditions"].items():
            assert values == sorted(values, key=lambda v: (type(v).__name__, str(v)))
            assert set(values) == set(region.conditions[fact])
        assert (entry["a"]["outcome"], entry["b"]["outcome"]) == region.outcomes
        assert entry["b"]["winners"] == list(region.basis_b)
        assert [c["label"] for c in entry["b"]["basis"]] == list(region.citations_b)
    assert [r["rule"] for r in document["rules"]] == [d.rule for d in result.rules]


def test_json_known_on_sides() -> None:
    document = disclosure.diff("terrorism-2017@2018-06-01", "terrorism-2017@today").to_dict()
    a, b = document["sides"]["a"], document["sides"]["b"]
    assert (a["known_on"], a["as_enacted"], a["annulled"]) == ("2018-06-01", False, [])
    assert b["known_on"] == dt.date.today().isoformat()
    assert b["annulled"] == ["cic46bis1_p3_council_member", "cic46bis1_p3_report"]
    annulled = [r for r in document["rules"] if r["kind"] == "annulled"]
    assert {r["rule"] for r in annulled} == set(b["annulled"])
    assert all(r["annulment"]["decided_on"] == "2019-03-14" for r in annulled)


def _documented_keys() -> dict[str, set[str]]:
    lines = (ROOT / "docs" / "reference" / "diff-json.md").read_text("utf-8").splitlines()
    found: dict[str, set[str]] = {}
    for index, line in enumerate(lines):
        marker = re.match(r"<!-- keys: (\w+) -->", line)
        if marker:
            keys: set[str] = set()
            for row in lines[index + 3 :]:
                if not row.startswith("|"):
                    break
                keys.update(re.findall(r"`(\w+)`", row.split("|")[1]))
            found[marker.group(1)] = keys
    return found


def test_json_reference_documents_every_field() -> None:
    documented = _documented_keys()
    by_annulment = disclosure.diff("terrorism-2017@2018-06-01", "terrorism-2017@today")
    annulled = by_annulment.to_dict()["rules"][0]
    document = disclosure.diff("prior", "terrorism-2017").to_dict()
    region = document["regions"][0]
    actual = {
        "diff": set(document),
        "diff_side": set(document["sides"]["a"]),
        "total": set(document["totals"][0]),
        "region": set(region),
        "region_side": set(region["a"]),
        "diff_citation": set(region["a"]["basis"][0]),
        "rule_change": set(document["rules"][0]),
        "field_change": set(document["rules"][0]["fields"][0]),
        "annulment": set(annulled["annulment"]),
        "provision_change": set(document["provisions"][0]),
    }
    for name, keys in actual.items():
        assert documented.get(name) == keys, (name, keys ^ documented.get(name, set()))
    schema = _schema()["$defs"]
    for name, definition in (
        ("side", "diff_side"),
        ("region", "region"),
        ("rule_delta", "rule_change"),
        ("citation", "diff_citation"),
    ):
        assert set(schema[name]["properties"]) == actual[definition], name


# -- text and Markdown ---------------------------------------------------------------------


def test_text_names_every_region_with_its_pair_size_and_basis() -> None:
    result = disclosure.diff("prior", "terrorism-2017")
    text = result.to_text()
    assert f"Regions ({len(result.regions)}):" in text
    for index, region in enumerate(result.regions, 1):
        a, b = region.outcomes
        assert f"R{index}  {a} -> {b}: {region.size} situations" in text
    assert "when holder is" in text
    assert "authority is procureur_du_roi" in text
    assert "example: holder=cpas_staff" in text
    assert "cic46bis1_p1_request [Code d'instruction criminelle, art. 46bis/1 §1]" in text
    assert "+ cic46bis1_p3_report  [added]" in text
    assert f"{result.changed} of {result.compared:,} possible situations" in text
    assert text.endswith("\n")


def test_text_in_french_and_dutch() -> None:
    result = disclosure.diff("prior", "terrorism-2017")
    fr = result.to_text("fr")
    compared = f"{result.compared:,}"
    assert f"{result.changed} des {compared.replace(',', chr(0x202F))} situations" in fr
    assert f"Régions ({len(result.regions)})" in fr
    assert "obligé" in fr
    nl = result.to_text("nl")
    assert f"{result.changed} van de {compared.replace(',', '.')} mogelijke situaties" in nl
    assert f"Gebieden ({len(result.regions)})" in nl
    with pytest.raises(DisclosureError, match="unknown language"):
        result.to_text("de")
    with pytest.raises(DisclosureError, match="unknown language"):
        result.to_html("de")


def test_markdown_has_tables_for_sides_totals_regions_and_rules() -> None:
    result = disclosure.diff("prior", "terrorism-2017")
    markdown = result.to_markdown()
    lines = markdown.splitlines()
    separators = [i for i, line in enumerate(lines) if re.fullmatch(r"\|(?:-{3}:?\|)+", line)]
    assert len(separators) >= 5  # sides, totals, regions, rules, metadata
    header = lines[separators[2] - 1]
    assert header.startswith("| region | a → b | situations | conditions | example |")
    region_rows = [line for line in lines if re.match(r"\| R\d+ \|", line)]
    assert len(region_rows) == len(result.regions)
    assert f"| forbidden | obliged | {result.totals['forbidden', 'obliged']} |" in markdown
    assert "| added | `cic46bis1_p1_request` |" in markdown


def test_markdown_rows_have_as_many_cells_as_their_header() -> None:
    markdown = disclosure.diff("prior", "terrorism-2017").to_markdown()
    width = None
    for line in markdown.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        cells = len(re.split(r"(?<!\\)\|", line)) - 2
        if width is None:
            width = cells
        assert cells == width, line


def test_condition_rendering() -> None:
    domains = {"information": ("administrative", "social_report", "confidence", "medical", "other")}
    assert (
        conditions_text(
            {"authority": ["procureur_du_roi"], "information": ["administrative", "other"]},
            domains=domains,
        )
        == "authority is procureur_du_roi; information is one of administrative, other"
    )
    four = ["other", "administrative", "social_report", "confidence"]
    assert conditions_text({"information": four}, domains=domains) == "information is not medical"
    assert conditions_text({"only_means": [True]}, "fr") == "only_means est true"
    assert conditions_text({}) == "every situation"
    canonical = {
        "all": [
            {"fact": "danger", "in": [True]},
            {"not": {"fact": "channel", "in": ["request"]}},
            {"any": [{"fact": "a", "in": ["x", "y"]}, {"fact": "b", "in": ["z"]}]},
        ]
    }
    assert condition_text(canonical) == (
        "danger is true and not (channel is request) and (a is one of x, y or b is z)"
    )
    assert condition_text({"all": []}, "nl") == "altijd"


# -- the command ---------------------------------------------------------------------------


def _untimed(text: str) -> str:
    """An output without the time the diff took."""
    return re.sub(r'("seconds": )?\d+[.,]\d+( s)?', "<time>", text)


def _run(*args: str) -> Any:
    return CliRunner().invoke(diff_command, list(args), catch_exceptions=True)


@pytest.mark.parametrize("fmt", ["text", "json", "md", "html"])
def test_cli_every_format(fmt: str, tmp_path: Path) -> None:
    regions = len(disclosure.diff("prior", "terrorism-2017").regions)
    result = _run("prior", "terrorism-2017", "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.output
    if fmt == "json":
        assert not list(_validator().iter_errors(json.loads(out)))
    elif fmt == "md":
        assert out.startswith("## ")
        assert "| R1 |" in out
    elif fmt == "html":
        assert out.startswith("<!DOCTYPE html>")
        assert "</html>" in out
    else:
        assert f"Regions ({regions}):" in out
    target = tmp_path / f"diff.{fmt}"
    written = _run("prior", "terrorism-2017", "--format", fmt, "-o", str(target))
    assert written.exit_code == 0
    assert _untimed(target.read_text("utf-8")) == _untimed(out)


def test_cli_where_readings_and_known_on() -> None:
    result = _run(
        "prior",
        "terrorism-2017",
        "--where",
        "information=administrative,other",
        "--where",
        "serious_indications=true",
        "--reading",
        "federal_prosecutor=included",
        "--known-on",
        "2018-06-01",
        "--format",
        "json",
        "--lang",
        "fr",
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["where"] == {
        "information": ["administrative", "other"],
        "serious_indications": [True],
    }
    assert document["sides"]["a"]["known_on"] == "2018-06-01"
    assert document["sides"]["a"]["readings"]["federal_prosecutor"] == "included"
    expected = disclosure.diff(
        "prior",
        "terrorism-2017",
        where={"information": ["administrative", "other"], "serious_indications": True},
        readings={"federal_prosecutor": "included"},
        known_on="2018-06-01",
    )
    assert document["changed"] == expected.changed > 0
    today = _run("terrorism-2017", "post-annulment", "--known-on", "today", "--format", "json")
    assert json.loads(today.output)["sides"]["b"]["known_on"] == dt.date.today().isoformat()


def test_cli_on_folders_and_version_files(tmp_path: Path) -> None:
    edited = copy_mini(tmp_path)
    version = edited / "versions" / "2010-01-01.yaml"
    edit(version, "  - id: duty_to_answer\n", "  - id: answer_written_request\n")
    result = _run(str(MINI / "versions" / "2010-01-01.yaml"), str(version))
    assert result.exit_code == 0, result.output
    assert "> answer_written_request  [renamed]" in result.output
    named = _run("old", "new", "--rulesets", str(MINI), "--format", "md")
    assert named.exit_code == 0, named.output
    assert "| removed | `report_duty` |" in named.output


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["prior", "terrorism-2017", "--where", "authority"], "fact=value"),
        (["prior", "terrorism-2017", "--where", "authority="], "fact=value"),
        (["prior", "terrorism-2017", "--where", "a=x", "--where", "a=y"], "given twice"),
        (["prior", "terrorism-2017", "--reading", "federal_prosecutor"], "POINT=READING"),
        (["prior", "terrorism-2017", "--known-on", "2018-13-01"], "ISO date"),
        (["prior", "terrorism-2017", "--format", "pdf"], "pdf"),
    ],
)
def test_cli_malformed_options_are_usage_errors(args: list[str], error: str) -> None:
    result = _run(*args)
    assert result.exit_code == 2
    assert error in result.output


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["prior", "terrorism-2017", "--where", "autority=police"], FactError),
        (["prior", "terrorism-2017", "--where", "only_means=maybe"], FactError),
        (["prior", "terrorism-2071"], VersionError),
        (["prior", "terrorism-2017", "--reading", "federal_prosecutor=perhaps"], ReadingError),
        (["prior@yesterday", "terrorism-2017"], VersionError),
    ],
)
def test_cli_bad_input_raises_library_errors(args: list[str], error: type[Exception]) -> None:
    result = _run(*args)
    assert isinstance(result.exception, error), result.exception
    assert isinstance(result.exception, DisclosureError)


def test_cli_error_through_the_main_entry_point_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from disclosure import cli as cli_module

    # as cli.py registers it (cli.add_command(diff_command)), for this test only
    monkeypatch.setitem(cli_module.cli.commands, "diff", diff_command)
    with pytest.raises(SystemExit) as stopped:
        cli_module.main(["diff", "prior", "terrorism-2017", "--where", "autority=police"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("disclosure: error: cannot restrict on 'autority'")


def test_parse_where_keeps_none_as_a_name() -> None:
    assert parse_where(["request_form=none", "only_means=true,false"]) == {
        "request_form": ["none"],
        "only_means": [True, False],
    }


def test_region_outcome_names_are_terminal_names() -> None:
    region = disclosure.diff("prior", "terrorism-2017").regions[0]
    assert isinstance(region, DiffRegion)
    assert region.outcomes == (terminal_name(region.outcome_a), terminal_name(region.outcome_b))


def test_the_json_names_every_id_it_holds_in_three_languages() -> None:
    """Issue 15 (decisions wholly in the chosen language): the diff's JSON keeps the ids
    and adds their names in fr, nl and en, as the decision's JSON does."""
    document = disclosure.diff("prior", "terrorism-2017").to_dict()
    labels = document["labels"]
    for region in document["regions"]:
        for fact, values in region["conditions"].items():
            assert set(labels["facts"][fact]) == {"fr", "nl", "en"}
            for value in values:
                key = value if isinstance(value, str) else json.dumps(value)
                names = labels["values"][fact][key]
                assert names["fr"] != names["nl"] or names["fr"] == names["en"]
        for side in ("a", "b"):
            assert region[side]["outcome"] in labels["outcomes"]
            for rule in region[side]["winners"]:
                assert labels["rules"][rule]["nl"] != rule
    for delta in document["rules"]:
        assert delta["rule"] in labels["rules"]
