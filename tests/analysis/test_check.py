"""disclosure check: each kind of defect found on a deliberately broken ruleset, the two
methods (symbolic, exhaustive) equal, the examples real, the CLI's output and exit codes."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import disclosure
from disclosure._analysis.check import KINDS, CheckReport, Defect, check_family
from disclosure._cli.check import check_command
from disclosure.ir import (
    All,
    Any_,
    Condition,
    ContestedPoint,
    FactTest,
    Family,
    Not,
    Outcome,
    Reading,
    Rule,
    Text,
)

from support import (
    CLEAN,
    CLEAN_RULES,
    LEARNED,
    MINI,
    POINTS,
    ROOT,
    T,
    annulled_family,
    budget,
    family,
    is_,
    replace_rule,
    version,
    with_rules,
    without,
)
from support import CLEAN_VOCABULARY as VOCABULARY
from support import clean_cite as cite
from support import clean_rule as rule


def check(fam: Family, method: str = "symbolic") -> CheckReport:
    return check_family(fam, method=method)  # type: ignore[arg-type]


def only(report: CheckReport, kind: str) -> list[Defect]:
    return [d for d in report.defects if d.kind == kind]


def semantic_view(report: CheckReport) -> set[tuple[Any, ...]]:
    """The findings, without the example situations (each method picks its own)."""
    return {
        (
            d.kind,
            d.version,
            d.rules,
            d.state,
            tuple(sorted((d.readings or {}).items())),
            d.count,
            d.combinations,
            d.message,
        )
        for d in report.defects
    }


@pytest.mark.parametrize("method", ["symbolic", "exhaustive"])
def test_the_clean_family_is_clean(method: str) -> None:
    report = check(CLEAN, method)
    # the hand-built family gives no labels: only that is reported (see missing_label below)
    assert {d.kind for d in report.defects} <= {"missing_label"}
    assert report.ok
    assert report.exit_code() == 0
    (summary,) = report.versions
    assert summary.possible_situations == 44  # 2*3*4*2 = 48, minus 4 impossible
    assert summary.reading_combinations == 2


# --------------------------------------------------------------------------- semantics


def test_a_conflict_is_reported_with_a_real_example() -> None:
    hearing_medical = rule(
        "hearing_medical",
        All(
            (LEARNED, is_("channel", "hearing"), is_("authority", "court"), is_("info", "medical"))
        ),
        Outcome.FORBIDDEN,
    )
    broken = with_rules(hearing_medical)
    report = check(broken)
    (conflict,) = only(report, "conflict")
    assert conflict.rules == ("testimony", "hearing_medical")
    assert conflict.count == 1  # learned, hearing, court, medical
    assert conflict.situation == {
        "learned": True,
        "channel": "hearing",
        "authority": "court",
        "info": "medical",
    }
    assert "testimony: permitted" in conflict.message
    assert report.exit_code() == 1
    with pytest.raises(disclosure.ConflictError) as caught:
        disclosure.evaluate(conflict.situation, version="2000-01-01", family=broken)
    assert set(caught.value.rules) == {"testimony", "hearing_medical"}


def test_a_conflict_under_one_reading_names_the_reading() -> None:
    police_forbidden = rule(
        "police_medical",
        All((LEARNED, is_("authority", "police"), is_("info", "medical"))),
        Outcome.FORBIDDEN,
    )
    report = check(with_rules(police_forbidden))
    (conflict,) = only(report, "conflict")
    assert conflict.readings == {"police_scope": "broad"}
    assert conflict.combinations == 1
    assert set(conflict.rules) == {"police", "police_medical"}


TWO_POINTS = (
    *POINTS,
    ContestedPoint(
        "medical_scope",
        T("is medical data ever given?"),
        (Reading("never", T("no")), Reading("to_police", T("yes"))),
        default="never",
    ),
)


def two_point_conflict() -> Family:
    """A conflict that needs both points off their defaults: only the full product of
    readings finds it."""
    medical_to_police = rule(
        "medical_to_police",
        All((LEARNED, is_("authority", "police"), is_("info", "medical"))),
        Outcome.FORBIDDEN,
        reading=("medical_scope", ["to_police"]),
    )
    return family(version(rules=(*CLEAN_RULES, medical_to_police)), contested=TWO_POINTS)


def test_every_combination_of_readings_is_checked() -> None:
    report = check_family(two_point_conflict())
    (conflict,) = only(report, "conflict")
    assert conflict.readings == {"police_scope": "broad", "medical_scope": "to_police"}
    assert report.versions[0].reading_combinations == 4
    assert report.versions[0].readings_strategy == "every combination"


def test_too_many_combinations_fall_back_to_one_point_at_a_time_and_say_so() -> None:
    report = check_family(two_point_conflict(), max_combinations=3)
    assert report.versions[0].readings_strategy.startswith("one point at a time")
    assert report.versions[0].reading_combinations == 3
    assert not only(report, "conflict")  # the cost of the fallback, stated in the report


def test_readings_that_behave_alike_are_checked_once() -> None:
    three = ContestedPoint(
        "police_scope",
        T("may the police be told?"),
        (Reading("strict", T("no")), Reading("broad", T("yes")), Reading("narrow", T("no"))),
        default="strict",
    )
    report = check_family(family(contested=(three,)))
    assert report.versions[0].reading_combinations == 2  # strict and narrow alike


def test_a_gap_is_reported_with_a_real_example() -> None:
    broken = family(version(rules=without(CLEAN_RULES, "not_engaged")))
    report = check(broken)
    (gap,) = only(report, "gap")
    assert gap.count == 22  # every possible situation with learned=False
    assert gap.situation is not None
    assert gap.situation["learned"] is False
    with pytest.raises(disclosure.GapError):
        disclosure.evaluate(gap.situation, version="2000-01-01", family=broken)


def test_a_partial_situation_that_a_gap_may_complete_is_not_determined() -> None:
    """Completions with an outcome and completions in a gap: the outcome is not settled,
    and the fact that decides between them is asked (it was once reported determined)."""
    broken = family(version(rules=without(CLEAN_RULES, "not_engaged")))
    complete = {"learned": True, "channel": "request", "authority": "prosecutor", "info": "admin"}
    known = disclosure.evaluate(complete, version="2000-01-01", family=broken)
    partial = {k: v for k, v in complete.items() if k != "learned"}
    decision = disclosure.evaluate(partial, version="2000-01-01", family=broken)
    assert decision.outcome is None
    assert decision.possible_outcomes == (known.outcome,)
    assert decision.missing_facts == ("learned",)


def test_a_gap_that_only_an_annulment_opens_is_found_in_that_state() -> None:
    fam = annulled_family()
    report = check(fam)
    (gap,) = only(report, "gap")
    assert gap.version == "2000-01-01"
    assert gap.state is not None
    assert "as known from 2010-01-01" in gap.state
    assert gap.situation is not None
    with pytest.raises(disclosure.GapError):
        disclosure.evaluate(gap.situation, on="2005-01-01", known_on="2011-01-01", family=fam)
    enacted = disclosure.evaluate(gap.situation, on="2005-01-01", known_on="2005-01-01", family=fam)
    assert enacted.winners == ("report_duty",)


def test_a_dead_rule_is_one_that_only_impossible_situations_trigger() -> None:
    court_report = rule(
        "court_report",
        All((LEARNED, is_("channel", "own_initiative"), is_("authority", "court"))),
        Outcome.OBLIGED,
        overrides=["secret"],
    )
    contradiction = rule("contradiction", All((LEARNED, Not(LEARNED))), Outcome.PERMITTED)
    report = check(with_rules(court_report, contradiction))
    assert {d.rules for d in only(report, "dead_rule")} == {("court_report",), ("contradiction",)}


def test_a_rule_always_overridden_is_reported() -> None:
    weak = rule(
        "weak",
        All((LEARNED, is_("channel", "own_initiative"), is_("authority", "none"))),
        Outcome.PERMITTED,
        overrides=["secret"],
    )
    strong = rule(
        "strong",
        All((LEARNED, is_("channel", "own_initiative"), is_("authority", "none"))),
        Outcome.FORBIDDEN,
        overrides=["weak"],
    )
    report = check(with_rules(weak, strong))
    (overridden,) = only(report, "always_overridden")
    assert overridden.rules == ("weak",)
    assert "by strong" in overridden.message
    assert not only(report, "conflict")


def test_a_rule_that_wins_only_under_one_reading_is_not_always_overridden() -> None:
    report = check(CLEAN)
    assert not only(report, "always_overridden")  # police wins only under broad


def test_an_override_that_never_meets_its_target_is_a_warning() -> None:
    idle = rule(
        "idle",
        All((LEARNED, is_("channel", "hearing"), is_("authority", "court"))),
        Outcome.PERMITTED,
        overrides=["secret", "request"],
    )
    report = check(with_rules(idle, base=without(CLEAN_RULES, "testimony")))
    (warning,) = only(report, "idle_override")
    assert warning.rules == ("idle", "request")
    assert warning.severity == "warning"
    assert report.ok


# --------------------------------------------------------------------------- structure


def test_an_override_that_names_nothing() -> None:
    report = check(
        family(version(rules=replace_rule(CLEAN_RULES, "testimony", overrides=("secrte",))))
    )
    (defect,) = only(report, "unknown_override")
    assert "did you mean 'secret'" in defect.message
    assert defect.rules == ("testimony",)


def test_a_cycle_of_overrides_is_reported_and_stops_the_semantic_checks() -> None:
    rules = replace_rule(CLEAN_RULES, "secret", overrides=("request",))
    report = check(family(version(rules=rules)))
    (cycle,) = only(report, "override_cycle")
    assert set(cycle.rules) == {"secret", "request"}
    assert not report.versions[0].checked


@pytest.mark.parametrize(
    ("reading", "message"),
    [
        (("police_scop", ["broad"]), "did you mean 'police_scope'"),
        (("police_scope", ["wide"]), "wide"),
    ],
)
def test_a_reading_that_names_nothing(reading: tuple[str, list[str]], message: str) -> None:
    from disclosure._ir.ruleset import ReadingTest

    rules = replace_rule(
        CLEAN_RULES, "police", reading=ReadingTest(reading[0], frozenset(reading[1]))
    )
    report = check(family(version(rules=rules)))
    (defect,) = only(report, "unknown_reading")
    assert message in defect.message
    assert not only(report, "dead_rule")  # reported once, as what it is


def test_a_default_that_is_not_a_reading() -> None:
    bad = attrs.evolve(POINTS[0], default="lenient")
    report = check(family(contested=(bad,)))
    assert only(report, "bad_default_reading")


def test_a_point_no_rule_depends_on_is_a_warning() -> None:
    report = check(family(contested=TWO_POINTS))
    (unused,) = only(report, "unused_point")
    assert "medical_scope" in unused.message
    assert report.ok


def test_a_sanction_that_names_nothing() -> None:
    rules = replace_rule(CLEAN_RULES, "request", sanctions=("fien",))
    report = check(family(version(rules=rules)))
    (defect,) = only(report, "unknown_provision")
    assert "did you mean 'fine'" in defect.message


def test_citations_missing_a_url_or_authorities_are_warnings_reported_once() -> None:
    rules = replace_rule(CLEAN_RULES, "secret", source=cite("secret", url=None, authorities=()))
    later = version("2010-01-01", rules, start=dt.date(2010, 1, 1), extends="2000-01-01")
    first = version(rules=rules, end=dt.date(2009, 12, 31))
    report = check(family(first, later))
    (missing,) = only(report, "missing_citation")  # inherited unchanged: once
    assert "without an official url or authorities" in missing.message
    assert report.ok
    assert report.exit_code() == 0
    assert report.exit_code(strict=True) == 1


def test_a_citation_of_an_unknown_research_source() -> None:
    rules = replace_rule(CLEAN_RULES, "secret", source=cite("secret", authorities=("S7",)))
    report = check(family(version(rules=rules)))
    assert only(report, "unknown_source")


def test_a_summary_missing_a_language() -> None:
    rules = replace_rule(CLEAN_RULES, "secret", summary=Text(fr="Le secret", nl=" ", en="x"))
    report = check(family(version(rules=rules)))
    (defect,) = only(report, "missing_translation")
    assert defect.message == "rule secret summary has no text in nl"
    assert report.exit_code() == 1


def test_tests_of_unknown_facts_and_values() -> None:
    odd = rule("odd", All((LEARNED, FactTest("colour", frozenset({"red"})))), Outcome.PERMITTED)
    email = rule("email", FactTest("channel", frozenset({"email"})), Outcome.PERMITTED)
    report = check(with_rules(odd, email))
    assert only(report, "unknown_fact")[0].rules == ("odd",)
    assert only(report, "unknown_value")[0].rules == ("email",)
    assert not report.versions[0].checked  # an unknown fact stops the semantics


def test_duplicate_rules_and_unknown_annulments() -> None:
    from disclosure._ir.ruleset import Annulment

    twice = version(
        rules=(*CLEAN_RULES, CLEAN_RULES[0]),
        annulments=(Annulment("ghost", dt.date(2001, 1, 1), cite("judgment")),),
    )
    report = check(family(twice))
    assert only(report, "duplicate_rule")[0].rules == ("secret",)
    assert only(report, "unknown_annulment")[0].rules == ("ghost",)


def test_a_rule_resting_on_general_knowledge_cannot_be_high_confidence() -> None:
    # brief §11: what rests on general knowledge is flagged and at most medium confidence
    flagged = replace_rule(
        CLEAN_RULES, "secret", source=attrs.evolve(cite("458"), general_knowledge=True)
    )
    report = check(family(version(rules=flagged)))
    (defect,) = [d for d in report.defects if d.kind == "general_knowledge_confidence"]
    assert defect.severity == "error"
    assert defect.rules == ("secret",)
    assert "confidence medium or low" in defect.message
    medium = replace_rule(
        CLEAN_RULES,
        "secret",
        source=attrs.evolve(cite("458"), general_knowledge=True),
        confidence="medium",
        note=T("date from general knowledge"),
    )
    assert "general_knowledge_confidence" not in check(family(version(rules=medium))).kinds()


def test_a_missing_label_is_reported_in_any_language() -> None:
    # Issue 15 point 6: French and Dutch texts name facts, values, points, readings, rules,
    # sanctions and acts by their labels; without one they would show the id.
    report = check(CLEAN)
    labels = [d for d in report.defects if d.kind == "missing_label"]
    assert labels
    assert all(d.severity == "warning" for d in labels)
    messages = "\n".join(d.message for d in labels)
    assert "fact channel has no label" in messages
    assert "values of fact channel without a label: " in messages
    assert "rule secret has no label" in messages
    assert "is cited but has no names per language under `acts`" in messages
    assert report.ok  # a warning, not an error
    bundled = check_family(disclosure.load())
    assert [d.message for d in bundled.defects if d.kind == "missing_label"] == []


def test_every_kind_of_defect_is_tested_here() -> None:
    source = Path(__file__).read_text("utf-8")
    untested = [kind for kind in KINDS if f'"{kind}"' not in source]
    assert not untested


# --------------------------------------------------------------------------- oracle

FACTS = dict(VOCABULARY.domains)


@st.composite
def conditions(draw: st.DrawFn, depth: int = 0) -> Condition:
    kind = draw(st.sampled_from(["test", "test", "all", "any", "not"] if depth < 2 else ["test"]))
    if kind == "test":
        name = draw(st.sampled_from(sorted(FACTS)))
        values = draw(st.sets(st.sampled_from(FACTS[name]), min_size=1))
        return FactTest(name, frozenset(values))
    if kind == "not":
        return Not(draw(conditions(depth + 1)))
    items = tuple(draw(st.lists(conditions(depth + 1), min_size=1, max_size=3)))
    return All(items) if kind == "all" else Any_(items)


@st.composite
def random_families(draw: st.DrawFn) -> Family:
    count = draw(st.integers(1, 6))
    rules: list[Rule] = []
    for index in range(count):
        overrides = draw(st.sets(st.integers(0, index - 1), max_size=2)) if index else set()
        reading = draw(
            st.sampled_from([None, ("police_scope", ["broad"]), ("police_scope", ["strict"])])
        )
        rules.append(
            rule(
                f"r{index}",
                draw(conditions()),
                draw(st.sampled_from(list(Outcome))),
                overrides=[f"r{i}" for i in sorted(overrides)],
                reading=reading,
            )
        )
    return family(version(rules=rules))


@budget(1.5, slow_generation=True)
@given(random_families())
def test_symbolic_and_exhaustive_find_the_same_defects(fam: Family) -> None:
    symbolic, exhaustive = check(fam, "symbolic"), check(fam, "exhaustive")
    assert semantic_view(symbolic) == semantic_view(exhaustive)
    for defect in symbolic.defects:
        if defect.kind in ("conflict", "gap"):
            assert defect.situation is not None
            error = disclosure.ConflictError if defect.kind == "conflict" else disclosure.GapError
            with pytest.raises(error):
                disclosure.evaluate(
                    defect.situation, version="2000-01-01", readings=defect.readings, family=fam
                )


def test_the_exhaustive_method_refuses_a_huge_fact_space() -> None:
    with pytest.raises(disclosure.DisclosureError, match="use the symbolic method"):
        check_family(disclosure.load(), method="exhaustive")


def test_the_bundled_law_passes_the_check() -> None:
    report = check_family(disclosure.load())
    assert report.ok, report.to_text()
    assert [v.name for v in report.versions] == [
        "pre-2017",
        "prior",
        "terrorism-2017",
        "post-annulment",
        "new-penal-code",
    ]
    assert all(v.checked and v.possible_situations for v in report.versions)


# --------------------------------------------------------------------------- the CLI


def copy_mini(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def run(*args: str) -> Any:
    return CliRunner().invoke(check_command, list(args))


def test_cli_clean_family_exits_0_with_warnings_listed(tmp_path: Path) -> None:
    result = run(str(copy_mini(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "missing_citation" in result.output
    assert "ok: 0 error(s)" in result.output


def test_cli_strict_makes_warnings_fail(tmp_path: Path) -> None:
    assert run(str(copy_mini(tmp_path)), "--strict").exit_code == 1


def test_cli_conflict_exits_1_and_json_gives_the_situation(tmp_path: Path) -> None:
    folder = copy_mini(tmp_path)
    first = folder / "versions" / "2000-01-01.yaml"
    # necessity no longer overrides the secret: where it applies, the two disagree
    text = first.read_text("utf-8")
    broken = text.replace(
        "    when: {fact: danger, is: true}\n    then: permitted\n    overrides: [secret]\n",
        "    when: {fact: danger, is: true}\n    then: permitted\n",
    )
    assert broken != text
    first.write_text(broken, "utf-8")
    result = run(str(folder), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["schema"] == "disclosure.check/1"
    assert report["ok"] is False
    conflicts = [d for d in report["defects"] if d["kind"] == "conflict"]
    assert conflicts
    assert conflicts[0]["situation"]["danger"] is True
    assert set(conflicts[0]["rules"]) == {"secret", "necessity"}
    text_result = run(str(folder))
    assert text_result.exit_code == 1
    assert "[conflict] version 2000-01-01" in text_result.output
    assert "e.g. channel=" in text_result.output


def test_cli_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    missing = run(str(tmp_path / "nowhere"))
    assert missing.exit_code == 2
    assert "no such rule family folder" in missing.output
    folder = copy_mini(tmp_path)
    (folder / "family.yaml").write_text("format: 1\nid: [unclosed\n", "utf-8")
    bad = run(str(folder))
    assert bad.exit_code == 2
    assert bad.output.startswith("disclosure: error:")
    assert "family.yaml" in bad.output
    assert "Traceback" not in bad.output
    assert run(str(folder), "--format", "xml").exit_code == 2


def test_cli_checks_the_bundled_family_by_default() -> None:
    result = run("--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["family"] == "be-professional-secrecy"


def test_the_json_report_is_documented_field_by_field() -> None:
    page = (ROOT / "docs" / "how-to" / "test-your-ruleset.md").read_text("utf-8")
    table = page.split("| field | meaning |", 1)[1].split("\n\n", 1)[0]
    documented = {
        name
        for line in table.splitlines()[2:]
        for name in re.findall(r"`(\w+)`", line.split("|")[1])
    }
    fields = set(check(with_rules(rule("x", Not(LEARNED), Outcome.FORBIDDEN))).defects[0].to_dict())
    assert documented == fields
