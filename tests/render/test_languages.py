"""Decisions, comparisons, diffs and timelines wholly in French and in Dutch (issue 15,
point 6; brief §11.6): every example of docs/examples rendered in fr and nl holds no
English sentence and no raw id of the rule family."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import disclosure
from disclosure._render.timeline_svg import timeline_svg
from disclosure._render.timeline_text import timeline_text

from support import ROOT

EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.json"))
LANGS = ("fr", "nl")
FAMILY = disclosure.load()

#: English words that are neither French nor Dutch: one of them is an English sentence
ENGLISH = frozenset(
    {
        "the",
        "does",
        "needs",
        "applies",
        "applied",
        "which",
        "must",
        "should",
        "would",
        "because",
        "rule",
        "rules",
        "not",
        "from",
        "until",
        "this",
        "that",
        "with",
        "without",
        "only",
        "known",
        "law",
        "holds",
        "disclose",
        "obliged",
        "forbidden",
        "permitted",
        "warning",
        "warnings",
        "depends",
        "belongs",
        "reading",
        "overridden",
        "annulled",
        "holder",
        "staff",
        "member",
        "request",
        "hearing",
        "undetermined",
        "penalty",
        "payable",
        "statutory",
        "imprisonment",
        "years",
        "judgment",
        "criminal",
    }
)
#: ids that are also names a reader may type (the product durable_rules)
ALLOWED = frozenset({"durable_rules"})
_SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
_WORD = re.compile(r"[A-Za-zÀ-ÿ'’]+")


def _ids() -> set[str]:
    found: set[str] = set()
    for version in FAMILY.versions:
        found |= set(version.rule_ids) | set(version.sanctions) | set(version.side_obligations)
    for fact in FAMILY.vocabulary.facts:
        found.add(fact.name)
        found |= {value for value in fact.values if isinstance(value, str)}
    for point in FAMILY.contested:
        found.add(point.id)
        found |= set(point.reading_ids)
    return found


IDS = _ids()


def problems(text: str) -> list[str]:
    """The raw ids (snake_case ids of the family) and English words of a text."""
    found = [f"raw id {token!r}" for token in _SNAKE.findall(text) if token not in ALLOWED]
    for name in ALLOWED:
        text = text.replace(name, " ")
    words = {word.lower().strip("'’") for word in _WORD.findall(text)}
    found += [f"English word {word!r}" for word in sorted(words & ENGLISH)]
    found += [
        f"raw id {word!r}"
        for word in sorted(words & {i for i in IDS if "_" not in i} - _NAMES)
        if word in {"included", "excluded", "exposed", "testimony", "request", "hearing"}
    ]
    return found


#: single-word ids that are also French or Dutch words
_NAMES = frozenset({"police", "institution", "none", "other", "medical", "oral"})


def assert_clean(text: str, where: str) -> None:
    found = problems(text)
    if found:
        context = "\n".join(
            line
            for line in text.splitlines()
            if any(p.split("'")[1].lower() in line.lower() for p in found)
        )
        pytest.fail(f"{where}: {', '.join(sorted(set(found)))}\n{context[:3000]}")


class _Visible(HTMLParser):
    """The text a reader sees in an HTML or SVG document, with tooltips (``title``)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        for name, value in attrs:
            if name == "title" and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(markup: str) -> str:
    parser = _Visible()
    parser.feed(markup)
    return "\n".join(parser.parts)


def _situations() -> list[tuple[str, dict[str, object]]]:
    found = []
    for path in EXAMPLES:
        facts = json.loads(path.read_text("utf-8"))
        found.append((path.stem, facts))
        found.append((f"{path.stem}@2026", {**facts, "date": "2026-05-04"}))  # version D
    return found


SITUATIONS = _situations()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("name", "facts"), SITUATIONS, ids=[n for n, _ in SITUATIONS])
def test_a_decision_is_wholly_in_the_language(
    name: str, facts: dict[str, object], lang: str
) -> None:
    decision = disclosure.evaluate(facts)
    assert_clean(decision.explain(lang), f"{name} ({lang})")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_a_comparison_is_wholly_in_the_language(path: Path, lang: str) -> None:
    facts = json.loads(path.read_text("utf-8"))
    comparison = disclosure.compare(facts)
    assert_clean(comparison.explain(lang), f"{path.stem} compare text ({lang})")
    assert_clean(comparison.to_markdown(lang), f"{path.stem} compare markdown ({lang})")
    dated = disclosure.compare(facts, ["terrorism-2017@2018-06-15", "terrorism-2017@today"])
    assert_clean(dated.explain(lang), f"{path.stem} compare as known ({lang})")


PAIRS = [
    ("pre-2017", "prior"),
    ("prior", "terrorism-2017"),
    ("terrorism-2017", "post-annulment"),
    ("post-annulment", "new-penal-code"),
    ("terrorism-2017@2018-06-01", "terrorism-2017@today"),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a}..{b}" for a, b in PAIRS])
def test_a_diff_is_wholly_in_the_language(a: str, b: str, lang: str) -> None:
    result = disclosure.diff(a, b)
    assert_clean(result.to_text(lang), f"diff {a} {b} text ({lang})")
    assert_clean(result.to_markdown(lang), f"diff {a} {b} markdown ({lang})")
    assert_clean(visible(result.to_html(lang)), f"diff {a} {b} html ({lang})")


@pytest.mark.parametrize("lang", LANGS)
def test_the_timeline_is_wholly_in_the_language(lang: str) -> None:
    assert_clean(timeline_text(FAMILY, lang=lang), f"timeline text ({lang})")
    assert_clean(visible(timeline_svg(FAMILY, lang=lang)), f"timeline svg ({lang})")


def test_the_check_catches_an_english_sentence_and_a_raw_id() -> None:
    assert problems("Débiteur de l'obligation : holder")
    assert problems("ne s'applique pas : channel is own_initiative, the rule needs request")
    assert problems("Bestemmelingen: procureur_du_roi")
    assert not problems(
        "Débiteur de l'obligation : le détenteur du secret (moteur : durable_rules)"
    )


def test_dutch_texts_name_the_dutch_acts() -> None:
    # brief §11.6: Strafwetboek and Wetboek van strafvordering, not the French names
    report = json.loads((ROOT / "docs/examples/prosecutor-written-request.json").read_text())
    text = disclosure.evaluate(report).explain("nl")
    assert "Wetboek van strafvordering (Sv.), art. 46bis/1 §1" in text
    assert "Code d'instruction criminelle" not in text
    assert "Code pénal" not in text
    english = disclosure.evaluate(report).explain("en")
    # English keeps the French name, with the English gloss once
    assert english.count("Code d'instruction criminelle (Code of Criminal Procedure)") == 1
