"""What many tests share: the paths of the repository, Hypothesis budgets, and two small
rule families built directly as IR (so they depend neither on the loader nor on the
Belgian law):

* the *test family* (``FAMILY``): three versions with an amendment chain and a retroactive
  annulment, for the evaluation pipeline;
* the *clean family* (``CLEAN``) and ways to break it (``replace_rule``, ``without``,
  ``with_rules``...): the deliberately broken rulesets of the checker's and the
  properties' tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
from hypothesis import HealthCheck, settings

from disclosure.ir import (
    All,
    Annulment,
    Citation,
    Condition,
    ContestedPoint,
    Fact,
    FactTest,
    Family,
    Impossible,
    Not,
    Outcome,
    Provision,
    Reading,
    ReadingTest,
    Rule,
    Text,
    Version,
    Vocabulary,
    content_hash,
)

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


def budget(share: float, *, slow_generation: bool = False) -> settings:
    """Hypothesis settings for a test whose examples cost ``share`` times those of the
    profile's typical test: its ``max_examples`` is that share of the profile's (at least
    one). ``slow_generation`` suppresses the one health check such tests trip: their
    strategies draw whole situations from a vocabulary, and the first draws also wait for
    a version to be prepared."""
    examples = max(1, round(settings.default.max_examples * share))
    checks = [HealthCheck.too_slow] if slow_generation else []
    return settings(max_examples=examples, suppress_health_check=checks)


# -- the clean family, and ways to break it ---------------------------------------------


#: a fact test, as the clean family's rules write it
is_ = fact_test


def clean_cite(article: str, **changes: Any) -> Citation:
    citation = Citation(
        act="Clean Code",
        article=article,
        date=dt.date(2000, 1, 1),
        url=f"https://example.org/clean/{article}",
        authorities=("S1",),
    )
    return attrs.evolve(citation, **changes)


#: the clean family reads the test family's vocabulary
CLEAN_VOCABULARY = VOCABULARY


def clean_rule(
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
        source=clean_cite(rule_id),
        when=when,
        conclusion=conclusion,
        overrides=tuple(overrides),
        reading=ReadingTest(reading[0], frozenset(reading[1])) if reading else None,
    )
    return attrs.evolve(made, **changes)


LEARNED = is_("learned", True)

CLEAN_RULES = (
    clean_rule("secret", LEARNED, Outcome.FORBIDDEN),
    clean_rule("not_engaged", Not(LEARNED), Outcome.NOT_APPLICABLE),
    clean_rule(
        "testimony",
        All((LEARNED, is_("channel", "hearing"), is_("authority", "court"))),
        Outcome.PERMITTED,
        overrides=["secret"],
    ),
    clean_rule(
        "request",
        All((LEARNED, is_("channel", "request"), is_("authority", "prosecutor"))),
        Outcome.OBLIGED,
        overrides=["secret"],
        sanctions=("fine",),
    ),
    clean_rule(
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
    clean_rule(
        "police",
        All((LEARNED, is_("authority", "police"))),
        Outcome.PERMITTED,
        overrides=["secret"],
        reading=("police_scope", ["broad"]),
    ),
)

FINE = Provision(
    "fine", T("fine for refusing"), clean_cite("fine"), trigger="refuse", penalty=T("100")
)

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
    return attrs.evolve(made, content_hash=content_hash(made, CLEAN_VOCABULARY))


def family(
    *versions: Version,
    contested: Iterable[ContestedPoint] = POINTS,
    vocabulary: Vocabulary = CLEAN_VOCABULARY,
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
    duty = clean_rule(
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
            clean_rule(
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
        annulments=(Annulment("report_duty", dt.date(2010, 1, 1), clean_cite("judgment")),),
    )
    return family(first, second)
