"""A small, clean rule family built directly as IR, and ways to break it: the deliberately
broken rulesets of the checker's and the properties' tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

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

T = Text.same


def is_(fact: str, *values: Any) -> FactTest:
    return FactTest(fact, frozenset(values))


def cite(article: str, **changes: Any) -> Citation:
    citation = Citation(
        act="Clean Code",
        article=article,
        date=dt.date(2000, 1, 1),
        url=f"https://example.org/clean/{article}",
        authorities=("S1",),
    )
    return attrs.evolve(citation, **changes)


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
            "no_spontaneous_report_to_a_court",
            All((is_("channel", "own_initiative"), is_("authority", "court"))),
            T("a court receives no spontaneous report"),
        ),
    ),
)


def rule(
    rule_id: str,
    when: Condition,
    conclusion: Outcome,
    *,
    overrides: Iterable[str] = (),
    reading: tuple[str, Iterable[str]] | None = None,
    **changes: Any,
) -> Rule:
    made = Rule(
        id=rule_id,
        summary=T(f"summary of {rule_id}"),
        source=cite(rule_id),
        when=when,
        conclusion=conclusion,
        overrides=tuple(overrides),
        reading=ReadingTest(reading[0], frozenset(reading[1])) if reading else None,
    )
    return attrs.evolve(made, **changes)


LEARNED = is_("learned", True)

CLEAN_RULES = (
    rule("secret", LEARNED, Outcome.FORBIDDEN),
    rule("not_engaged", Not(LEARNED), Outcome.NOT_APPLICABLE),
    rule(
        "testimony",
        All((LEARNED, is_("channel", "hearing"), is_("authority", "court"))),
        Outcome.PERMITTED,
        overrides=["secret"],
    ),
    rule(
        "request",
        All((LEARNED, is_("channel", "request"), is_("authority", "prosecutor"))),
        Outcome.OBLIGED,
        overrides=["secret"],
        sanctions=("fine",),
    ),
    rule(
        "medical",
        All(
            (
                LEARNED,
                is_("channel", "request"),
                is_("authority", "prosecutor"),
                is_("info", "medical"),
            )
        ),
        Outcome.FORBIDDEN,
        overrides=["request"],
    ),
    rule(
        "police",
        All((LEARNED, is_("authority", "police"))),
        Outcome.PERMITTED,
        overrides=["secret"],
        reading=("police_scope", ["broad"]),
    ),
)

FINE = Provision("fine", T("fine for refusing"), cite("fine"), trigger="refuse", penalty=T("100"))

POINTS = (
    ContestedPoint(
        "police_scope",
        T("may the police be told?"),
        (Reading("strict", T("no")), Reading("broad", T("yes"))),
        default="strict",
    ),
)


def version(
    version_id: str = "2000-01-01",
    rules: Iterable[Rule] = CLEAN_RULES,
    *,
    start: dt.date = dt.date(2000, 1, 1),
    end: dt.date | None = None,
    **changes: Any,
) -> Version:
    made = Version(
        id=version_id,
        title=T(version_id),
        valid_from=start,
        valid_until=end,
        rules=tuple(rules),
        sanctions={"fine": FINE},
        side_obligations={},
    )
    made = attrs.evolve(made, **changes)
    return attrs.evolve(made, content_hash=content_hash(made, VOCABULARY))


def family(
    *versions: Version,
    contested: Iterable[ContestedPoint] = POINTS,
    vocabulary: Vocabulary = VOCABULARY,
    **changes: Any,
) -> Family:
    made = Family(
        id="clean",
        title=T("a clean family"),
        vocabulary=vocabulary,
        contested=tuple(contested),
        sources={"S1": {"title": "the clean code"}},
        versions=versions or (version(),),
    )
    return attrs.evolve(made, **changes)


CLEAN = family()


def replace_rule(rules: Iterable[Rule], rule_id: str, **changes: Any) -> tuple[Rule, ...]:
    return tuple(attrs.evolve(r, **changes) if r.id == rule_id else r for r in rules)


def without(rules: Iterable[Rule], *rule_ids: str) -> tuple[Rule, ...]:
    return tuple(r for r in rules if r.id not in rule_ids)


def with_rules(*extra: Rule, base: Iterable[Rule] = CLEAN_RULES, **changes: Any) -> Family:
    """The clean family with rules added to its one version."""
    return family(version(rules=(*base, *extra), **changes))


# One annulled version pair: a duty that a court later annuls retroactively; as known
# after the annulment, the earlier version has a gap where only the duty applied.
def annulled_family() -> Family:
    duty = rule(
        "report_duty",
        All((LEARNED, is_("channel", "own_initiative"))),
        Outcome.OBLIGED,
        overrides=["secret"],
    )
    first = version(
        "2000-01-01",
        (
            *without(CLEAN_RULES, "secret"),
            duty,
            rule(
                "secret", All((LEARNED, Not(is_("channel", "own_initiative")))), Outcome.FORBIDDEN
            ),
        ),
        end=dt.date(2009, 12, 31),
    )
    second = version(
        "2010-01-01",
        CLEAN_RULES,
        start=dt.date(2010, 1, 1),
        extends="2000-01-01",
        annulments=(Annulment("report_duty", dt.date(2010, 1, 1), cite("judgment")),),
    )
    return family(first, second)
