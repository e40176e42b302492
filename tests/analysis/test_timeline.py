"""The timeline picture: generated from the rulesets, self-contained, escaped, readable."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import disclosure
from disclosure._analysis.timeline import timeline_columns
from disclosure._cli.timeline import timeline_command
from disclosure._render.timeline_svg import timeline_svg
from disclosure._render.timeline_text import timeline_text
from disclosure.ir import Annulment, Citation, Text

from support import FAMILY

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def visible(node: ET.Element) -> str:
    """The text a reader sees (not the tooltip in a <title> child)."""
    return (node.text or "") + "".join(child.tail or "" for child in node)


def texts(root: ET.Element) -> list[str]:
    return [visible(node) for node in root.iter(f"{SVG}text")]


@pytest.fixture(scope="module")
def belgian() -> disclosure.Family:
    return disclosure.load()


def test_every_version_is_drawn_with_its_dates(belgian: disclosure.Family) -> None:
    root = parse(timeline_svg(belgian))
    shown = "\n".join(texts(root))
    for version in belgian.versions:
        assert version.name in shown
        assert version.valid_from.isoformat() in shown


def test_the_picture_is_self_contained(belgian: disclosure.Family) -> None:
    svg = timeline_svg(belgian)
    root = parse(svg)
    assert not list(root.iter(f"{SVG}script"))
    assert not list(root.iter(f"{SVG}style"))
    assert not list(root.iter(f"{SVG}foreignObject"))
    assert not list(root.iter(f"{SVG}image"))
    for node in root.iter():
        for name, value in node.attrib.items():
            if name.endswith("href") or value.startswith("url("):
                assert value.startswith(("url(#", "#")), (name, value)
    assert re.findall(r"https?://[^\s\"'<]*", svg) == ["http://www.w3.org/2000/svg"]


def test_ids_carry_a_prefix_so_two_pictures_can_share_a_page(belgian: disclosure.Family) -> None:
    one = parse(timeline_svg(belgian, ["prior", "terrorism-2017"]))
    two = parse(timeline_svg(belgian, ["terrorism-2017", "post-annulment"]))
    ids_one = {n.attrib["id"] for n in one.iter() if "id" in n.attrib}
    ids_two = {n.attrib["id"] for n in two.iter() if "id" in n.attrib}
    assert ids_one
    assert not ids_one & ids_two
    prefix = next(iter(ids_one)).split("-")[0]
    assert all(i.startswith(prefix) for i in ids_one)


def test_the_retroactive_annulment_is_an_arrow_back_and_struck_rules(
    belgian: disclosure.Family,
) -> None:
    root = parse(timeline_svg(belgian))
    arrows = [p for p in root.iter(f"{SVG}path") if "marker-end" in p.attrib]
    assert len(arrows) == 1
    tooltip = "".join(arrows[0].itertext())
    assert "annulled retroactively on 2019-03-14" in tooltip
    assert "cic46bis1_p3_report" in tooltip
    struck = [
        visible(t)
        for t in root.iter(f"{SVG}text")
        if t.attrib.get("text-decoration") == "line-through"
    ]
    assert any("cic46bis1_p3_report" in s for s in struck)


def test_low_confidence_versions_are_hatched_and_labelled(belgian: disclosure.Family) -> None:
    root = parse(timeline_svg(belgian))
    hatched = [r for r in root.iter(f"{SVG}rect") if "hatch" in r.attrib.get("fill", "")]
    low = [v for v in belgian.versions if v.confidence == "low"]
    assert len(hatched) == len(low) >= 1
    assert "low confidence" in texts(root)


def test_a_selection_shows_its_versions_and_names_the_gap(belgian: disclosure.Family) -> None:
    root = parse(timeline_svg(belgian, ["prior", "post-annulment"], width=640))
    assert root.attrib["width"] == "640"
    shown = "\n".join(texts(root))
    assert "prior" in shown
    assert "post-annulment" in shown
    assert "not shown: terrorism-2017" in shown
    assert "new-penal-code" not in shown


def test_changes_follow_the_amendments(belgian: disclosure.Family) -> None:
    columns = {c.version.name: c for c in timeline_columns(belgian)}
    first = columns["pre-2017"]
    assert first.first
    assert {c.rule for c in first.changes} == set(first.version.rule_ids)
    after = columns["post-annulment"]
    assert {c.rule for c in after.changes if c.kind == "repealed"} == set(after.version.repealed)
    assert [g.decided_on for g in after.annulments] == [dt.date(2019, 3, 14)]


def test_text_names_versions_changes_and_the_annulment(belgian: disclosure.Family) -> None:
    text = timeline_text(belgian)
    assert text.splitlines()[0].startswith("be-professional-secrecy: 5 versions")
    assert "2017-09-01 .. 2019-03-13" in text
    assert "+ cic46bis1_p3_report" in text
    assert "annulled retroactively on 2019-03-14 (Cour constitutionnelle, arrêt 44/2019)" in text
    assert "[low confidence]" in text


def test_every_text_is_escaped() -> None:
    hostile = "<script>alert(\"x\")</script> & 'quotes'"
    version = FAMILY.versions[0]
    rule = attrs.evolve(
        version.rules[0],
        id="rule<&>",
        summary=Text.same(hostile),
        source=Citation(act=hostile, article="1", date=dt.date(2000, 1, 1)),
    )
    evil = attrs.evolve(
        version,
        title=Text.same(hostile),
        aliases=("<b>alias</b>",),
        rules=(rule, *version.rules[1:]),
        confidence="low",
        confidence_note=Text.same(hostile),
    )
    family = attrs.evolve(FAMILY, title=Text.same(hostile), versions=(evil, *FAMILY.versions[1:]))
    svg = timeline_svg(family)
    root = parse(svg)  # well formed despite the markup in every text
    assert "<script" not in svg
    assert "<b>" not in svg
    assert any(hostile in "".join(node.itertext()) for node in root.iter(f"{SVG}title"))
    assert "<b>alias</b>" in "\n".join(texts(root))


def test_annulment_of_a_test_family_reaches_back_to_the_version_that_had_the_rule() -> None:
    v1, v2, v3 = FAMILY.versions
    v2 = attrs.evolve(v2, added=("request", "medical_excluded"))
    v3 = attrs.evolve(
        v3,
        repealed=("request",),
        annulments=(
            Annulment(
                "request",
                dt.date(2015, 1, 1),
                Citation(act="Court", article="judgment 1/2015", date=dt.date(2015, 1, 1)),
            ),
        ),
    )
    family = attrs.evolve(FAMILY, versions=(v1, v2, v3))
    columns = timeline_columns(family)
    struck = [c.rule for c in columns[1].changes if c.annulled_by is not None]
    assert struck == ["request"]
    assert "Court, judgment 1/2015" in timeline_text(family)
    root = parse(timeline_svg(family))
    assert [p for p in root.iter(f"{SVG}path") if "marker-end" in p.attrib]


def test_the_output_is_deterministic(belgian: disclosure.Family) -> None:
    assert timeline_svg(belgian) == timeline_svg(belgian)


def test_cli_writes_svg_and_prints_text(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "timeline.svg"
    result = runner.invoke(timeline_command, ["--format", "svg", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text("utf-8") == timeline_svg(disclosure.load())
    result = runner.invoke(timeline_command, ["--versions", "prior,terrorism-2017"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("be-professional-secrecy: 2 versions")
    result = runner.invoke(timeline_command, ["--format", "svg", "--width", "700"])
    assert parse(result.output).attrib["width"] == "700"


def test_cli_refuses_an_unknown_version_and_a_narrow_width() -> None:
    runner = CliRunner()
    result = runner.invoke(timeline_command, ["--versions", "terrorism-2018"])
    assert isinstance(result.exception, disclosure.VersionError)
    assert "did you mean 'terrorism-2017'" in str(result.exception)
    result = runner.invoke(timeline_command, ["--width", "100"])
    assert result.exit_code == 2
    assert "480" in result.output


def test_the_timeline_speaks_the_language_of_the_report_it_is_drawn_in() -> None:
    """Regression (layout issue): the SVG timeline inside a French diff report was English."""
    belgian = disclosure.load()
    report = disclosure.diff("prior", "terrorism-2017").to_html("fr")
    assert "Versions du droit" in report
    assert "Versions of the law" not in report
    for lang, english in (("fr", "first version"), ("nl", "known from")):
        text = timeline_text(belgian, lang=lang)
        svg = timeline_svg(belgian, lang=lang)
        assert english not in text
        assert english not in svg
