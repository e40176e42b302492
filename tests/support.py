"""A tiny rule family built directly as IR, for tests of the evaluation pipeline that
must not depend on the loader or on the Belgian law."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

from disclosure._ir.conditions import All, Condition, FactTest, Not
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import (
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
from disclosure._ir.vocabulary import Fact, Impossible, Vocabulary

#: the tests folder, the repository, and the small ruleset family on disk used by many tests
TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
MINI = TESTS / "fixtures" / "mini"

T = Text.same


def cite(article: str, year: int = 2000) -> Citation:
    return Citation(act="Test Code", article=article, date=dt.date(year, 1, 1), url=None)


def fact_test(fact: str, *values: object) -> FactTest:
    return FactTest(fact, frozenset(values))


VOCABULARY = Vocabulary(
    facts=(
        Fact("date", "date", (), T("date")),
        Fact("learned", "bool", (False, True), T("learned through the job")),
        Fact("channel", "enum", ("request", "hearing", "own_initiative"), T("channel")),
        Fact("authority", "enum", ("prosecutor", "court", "police", "none"), T("authority")),
        Fact("info", "enum", ("admin", "medical"), T("kind of information")),
    ),
    impossible=(
        Impossible(
            "own_initiative_has_no_authority_asking",
            All((fact_test("channel", "own_initiative"), fact_test("authority", "court"))),
            T("a court does not receive spontaneous reports here"),
        ),
    ),
)


def rule(
    rule_id: str,
    when: Condition,
    conclusion: Outcome,
    *,
    overrides: tuple[str, ...] = (),
    reading: ReadingTest | None = None,
    sanctions: tuple[str, ...] = (),
) -> Rule:
    return Rule(
        id=rule_id,
        summary=T(f"summary of {rule_id}"),
        source=cite(rule_id),
        when=when,
        conclusion=conclusion,
        overrides=overrides,
        reading=reading,
        sanctions=sanctions,
    )


SECRET = rule("secret", fact_test("learned", True), Outcome.FORBIDDEN, sanctions=("penalty",))
NOT_ENGAGED = rule("not_engaged", Not(fact_test("learned", True)), Outcome.NOT_APPLICABLE)
TESTIMONY = rule(
    "testimony",
    All(
        (
            fact_test("learned", True),
            fact_test("channel", "hearing"),
            fact_test("authority", "court"),
        )
    ),
    Outcome.PERMITTED,
    overrides=("secret",),
)
REQUEST = rule(
    "request",
    All(
        (
            fact_test("learned", True),
            fact_test("channel", "request"),
            fact_test("authority", "prosecutor"),
        )
    ),
    Outcome.OBLIGED,
    overrides=("secret",),
)
POLICE = rule(
    "police_request",
    All((fact_test("learned", True), fact_test("authority", "police"))),
    Outcome.PERMITTED,
    overrides=("secret",),
    reading=ReadingTest("police_scope", frozenset({"broad"})),
)
MEDICAL = rule(
    "medical_excluded",
    All(
        (fact_test("learned", True), fact_test("info", "medical"), fact_test("channel", "request"))
    ),
    Outcome.FORBIDDEN,
    overrides=("request",),
)

PENALTY = Provision(
    "penalty", T("penalty for disclosing"), cite("penalty"), trigger="disclose", penalty=T("1 year")
)


def _version(
    version_id: str, start: dt.date, end: dt.date | None, rules: tuple[Rule, ...], **kw: object
) -> Version:
    version = Version(
        id=version_id,
        title=T(version_id),
        valid_from=start,
        valid_until=end,
        rules=rules,
        sanctions={"penalty": PENALTY},
        side_obligations={},
        **kw,  # type: ignore[arg-type]
    )
    return attrs.evolve(version, content_hash=content_hash(version, VOCABULARY))


V1 = _version(
    "2000-01-01",
    dt.date(2000, 1, 1),
    dt.date(2009, 12, 31),
    (SECRET, NOT_ENGAGED, TESTIMONY, POLICE),
    aliases=("old",),
)
V2 = _version(
    "2010-01-01",
    dt.date(2010, 1, 1),
    dt.date(2014, 12, 31),
    (SECRET, NOT_ENGAGED, TESTIMONY, POLICE, REQUEST, MEDICAL),
    aliases=("new",),
    extends="2000-01-01",
    known_from=dt.date(2009, 6, 1),
)
V3 = _version(
    "2015-01-01",
    dt.date(2015, 1, 1),
    None,
    (SECRET, NOT_ENGAGED, TESTIMONY, POLICE),
    aliases=("annulled",),
    extends="2010-01-01",
    annulments=(Annulment("request", dt.date(2015, 1, 1), cite("judgment", 2015)),),
)

FAMILY = Family(
    id="test-family",
    title=T("test family"),
    vocabulary=VOCABULARY,
    contested=(
        ContestedPoint(
            "police_scope",
            T("may the police be told?"),
            (Reading("strict", T("no")), Reading("broad", T("yes"))),
            default="strict",
        ),
    ),
    sources={},
    versions=(V1, V2, V3),
)


def situation(**facts: object) -> dict[str, object]:
    base: dict[str, object] = {
        "learned": True,
        "channel": "request",
        "authority": "prosecutor",
        "info": "admin",
    }
    base.update(facts)
    return base
