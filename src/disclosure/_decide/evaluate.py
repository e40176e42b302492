"""Evaluate one situation: pick the version, match the rules, settle, explain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeAlias

import attrs

from disclosure._decide.decision import Decision, KnownThen, RuleTrace, Template, decision_from
from disclosure._decide.decision_maker import DecisionMaker, decision_maker
from disclosure._decide.explain import first_failure, missing_in
from disclosure._decide.verdict import (
    contested_points,
    from_winners,
    receipt,
    settle_checked,
    trace_entry,
)
from disclosure._edge import parse_date
from disclosure._engines.prepared import PreparedVersion, prepare, rules_for_readings
from disclosure._ir.defeasibility import Settlement, settle
from disclosure._ir.outcome import Outcome
from disclosure._ir.readings import resolve_readings
from disclosure._ir.ruleset import Family, Version, version_in
from disclosure._ir.vocabulary import DATE_FACT
from disclosure.errors import (
    EngineError,
    FactError,
    GapError,
    VersionError,
    excerpt,
)

__all__ = [
    "ENGINES",
    "Engine",
    "Spans",
    "check_engine",
    "check_known",
    "choose_version",
    "date_of_facts",
    "decide",
    "evaluate_in",
    "known_then",
    "prepared_then",
    "resolve_readings",
    "situation_from",
    "version_as_known",
]

Engine = Literal["compiled", "durable"]
#: each version's days in force as known on a date: ``(first, last or None, version)``
Spans: TypeAlias = tuple[tuple[dt.date, dt.date | None, Version], ...]
ENGINES: tuple[str, ...] = ("compiled", "durable")


def situation_from(facts: Any) -> Mapping[str, Any]:
    """Accept a mapping or an attrs instance (such as :class:`disclosure.Situation`)."""
    if isinstance(facts, Mapping):
        return facts
    if attrs.has(type(facts)):
        return {k: v for k, v in attrs.asdict(facts, recurse=False).items() if v is not None}
    raise FactError(
        "facts must be a mapping of fact names to values (or a disclosure.Situation), "
        f"not {type(facts).__name__}"
    )


def check_engine(engine: object) -> None:
    """Refuse an engine that is not one of :data:`ENGINES`."""
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {excerpt(engine)}; engines: {', '.join(ENGINES)}")


def date_of_facts(fact_date: dt.date | None, on: dt.date | None) -> dt.date | None:
    """The date of the facts: the ``date`` fact or ``on=``, which must agree when both
    are given."""
    if fact_date is not None and on is not None and fact_date != on:
        raise FactError(
            f"the date fact ({fact_date}) and on= ({on}) disagree; give one, or the same",
            fact=DATE_FACT,
            value=fact_date,
        )
    return on or fact_date


def _known_from(version: Version) -> dt.date:
    return version.known_from or version.valid_from


def check_known(family: Family, known_on: dt.date | None, version: Version | None = None) -> None:
    """Refuse a ``known_on`` before any version of ``family`` was known (no law was known
    then), and a named ``version`` not yet known on ``known_on`` (it did not exist for
    that question): a :class:`VersionError` for either. ``known_on=None`` (a version
    taken as enacted) passes."""
    if known_on is None or not family.versions:
        return
    if version is not None and _known_from(version) > known_on:
        raise VersionError(
            f"{version.name} ({version.id}) was not yet known on {known_on}: it is known "
            f"from {_known_from(version)}; ask as known on that day or later, or name a "
            "version known then"
        )
    first = min(family.versions, key=_known_from)
    if known_on < _known_from(first):
        raise VersionError(
            f"no version of {family.id} was known on {known_on}: the first, {first.name}, "
            f"is known from {_known_from(first)}"
        )


def version_as_known(family: Family, version: str | Version, known_on: dt.date | None) -> Version:
    """The version ``version`` names (an id, an alias, or one of the family's versions),
    as known on ``known_on`` (``None``: as enacted): see :func:`check_known`."""
    chosen = family.version(version)
    check_known(family, known_on, chosen)
    return chosen


def choose_version(
    family: Family,
    *,
    version: str | Version | None,
    on: dt.date | None,
    known_on: dt.date | None,
    today: dt.date | None = None,
    spans: Callable[[dt.date], Spans] | None = None,
) -> tuple[Version, dt.date | None, dt.date | None]:
    """The one version choice of :func:`disclosure.evaluate` and bulk evaluation: the
    named ``version`` (as enacted unless ``known_on`` is given), else the version in
    force on ``on`` (today by default) as known on ``known_on`` (today by default).
    Gives the version with the date of the facts and the date of knowledge it used.
    ``spans`` gives the versions' spans as known on a date (:meth:`Family.spans`), for a
    caller that remembers them."""
    if version is not None:
        return version_as_known(family, version, known_on), on, known_on
    today = today or dt.date.today()
    on = on or today
    known_on = known_on or today
    check_known(family, known_on)
    found = version_in(spans(known_on), on) if spans is not None else None
    # a day no span holds: version_on says why (before the first version, or a gap)
    return found or family.version_on(on, known_on), on, known_on


def evaluate_in(
    family: Family,
    facts: Any,
    *,
    on: Any = None,
    known_on: Any = None,
    version: str | Version | None = None,
    readings: Mapping[str, str] | None = None,
    engine: str = "compiled",
) -> Decision:
    """See :func:`disclosure.evaluate`."""
    # dates and engine are only parsed and checked when given: this is the hot path of one
    # evaluation at a time
    if engine not in ENGINES:
        check_engine(engine)
    situation = family.vocabulary.validate(situation_from(facts))
    fact_date = situation.pop(DATE_FACT, None)
    on_date = fact_date if on is None else date_of_facts(fact_date, parse_date(on, "on"))
    known = None if known_on is None else parse_date(known_on, "known_on")
    chosen_version, on_date, known = choose_version(
        family, version=version, on=on_date, known_on=known
    )
    chosen = resolve_readings(family, readings)
    annulled = (
        frozenset(a.rule for a in family.annulled_as_known(chosen_version, known))
        if known is not None
        else frozenset()
    )
    prepared = prepare(family, chosen_version, annulled)
    found = decide(prepared, situation, chosen, engine, on_date, known)
    earlier = prepared_then(
        family, chosen_version if version is not None else None, prepared, on_date, known
    )
    if earlier is not None:
        assert on_date is not None  # prepared_then needs a date of the facts
        then = decide(earlier, situation, chosen, engine, on_date, on_date)
        contrast = known_then(found, then)
        if contrast is not None:
            found = attrs.evolve(found, known_then=contrast)
    return found


def prepared_then(
    family: Family,
    named: Version | None,
    now: PreparedVersion,
    on: dt.date | None,
    known_on: dt.date | None,
) -> PreparedVersion | None:
    """The law as it was known on the date of the facts ``on`` (the version then in force,
    or ``named``, with the annulments known that day), when a decision reads it as known
    on a later day ``known_on`` and what was known differs from ``now``; else ``None``."""
    if on is None or known_on is None or known_on <= on:
        return None
    version = named if named is not None else now.version
    if named is None and (version.known_from or version.valid_from) > on:
        try:  # the version read now was not known yet on that day
            version = family.version_on(on, on)
        except VersionError:  # no version was known yet on that day
            return None
    elif not now.annulled or not any(
        a.decided_on > on for a in family.annulments if a.rule in now.annulled
    ):
        return None  # the same version, and none of its annulments decided since: same law
    annulled = frozenset(a.rule for a in family.annulled_as_known(version, on))
    if version is now.version and annulled == now.annulled:
        return None
    return prepare(family, version, annulled)


def known_then(now: Decision, then: Decision) -> KnownThen | None:
    """What ``now`` (the law as known later) says of the answer ``then`` (the law as known
    on the date of the facts): ``None`` when their outcomes agree."""
    if then.outcome == now.outcome or then.receipt.known_on is None:
        return None
    since = tuple(rule for rule in now.receipt.annulled if rule not in then.receipt.annulled)
    return KnownThen(
        known_on=then.receipt.known_on,
        version=then.receipt.version,
        aliases=then.receipt.aliases,
        outcome=then.outcome,
        winners=then.winners,
        basis=then.basis,
        annulled=since,
    )


def _match(
    prepared: PreparedVersion, situation: Mapping[str, Any], engine: str
) -> dict[str, bool | None]:
    if engine == "durable":
        return prepared.durable().match(situation)
    return prepared.compiled.match(situation)


def decide(
    prepared: PreparedVersion,
    situation: dict[str, Any],
    readings: dict[str, str],
    engine: str,
    on: dt.date | None,
    known_on: dt.date | None,
) -> Decision:
    """The decision on a validated situation (without its date) under a prepared version
    and readings: from the decision maker's tables for a complete situation, else
    explained from what the engine answers."""
    if prepared.compiled.is_complete(situation):
        maker: DecisionMaker = decision_maker(prepared, readings)
        key = maker.key_of(situation)
        template: Template | None
        if engine == "durable":
            status = _match(prepared, situation, engine)
            template = maker.template_for(key, {r for r, holds in status.items() if holds})
        else:
            template = maker.template(key)
        if template is not None:
            facts = {**situation, DATE_FACT: on} if on is not None else dict(situation)
            return decision_from(template, facts, maker.receipt(on, known_on, engine))
    return _decide_in_general(prepared, situation, readings, engine, on, known_on)


def _decide_in_general(
    prepared: PreparedVersion,
    situation: dict[str, Any],
    readings: dict[str, str],
    engine: str,
    on: dt.date | None,
    known_on: dt.date | None,
) -> Decision:
    """The decision on any validated situation, partial ones included, explaining
    whatever the engine answers (the maker's tables are not consulted)."""
    version = prepared.version
    status = _match(prepared, situation, engine)
    in_play = rules_for_readings(prepared.rules, readings)
    holds = [rule.id for rule in in_play if status[rule.id] is True]
    complete = prepared.compiled.is_complete(situation)
    settlement = settle_checked(in_play, holds) if complete else settle(in_play, set(holds))
    missing: tuple[str, ...] = ()
    possible: tuple[Outcome, ...]
    if complete:
        if settlement.outcome is None:
            raise GapError(
                f"no rule of {version.id} applies to this complete situation "
                "(a defect of the ruleset)"
            )
        outcome: Outcome | None = settlement.outcome
        possible = (settlement.outcome,)
    else:
        possible, missing = prepared.open_outcomes(situation, readings)
        outcome = possible[0] if len(possible) == 1 and not missing else None

    winners = settlement.winners if outcome is not None else ()
    return Decision(
        outcome=outcome,
        facts={**situation, **({DATE_FACT: on} if on is not None else {})},
        trace=_trace(prepared, situation, status, readings, settlement),
        contested=contested_points(prepared, situation, status, readings, outcome, complete),
        receipt=receipt(prepared, readings, on, known_on, engine),
        missing_facts=missing,
        possible_outcomes=possible,
        **from_winners(version, winners),
    )


def _trace(
    prepared: PreparedVersion,
    situation: Mapping[str, Any],
    status: Mapping[str, bool | None],
    readings: Mapping[str, str],
    settlement: Settlement,
) -> tuple[RuleTrace, ...]:
    winners = {rule.id for rule in settlement.winners}
    entries = []
    for rule in prepared.version.rules:
        state = status.get(rule.id)
        if rule.id in prepared.annulled:
            entries.append(trace_entry(rule, "annulled"))
        elif rule.reading is not None and readings.get(rule.reading.point) not in (
            rule.reading.readings
        ):
            entries.append(trace_entry(rule, "other_reading", reading=rule.reading.point))
        elif state is None:
            entries.append(trace_entry(rule, "unknown", missing=missing_in(rule.when, situation)))
        elif state is False:
            entries.append(
                trace_entry(rule, "not_applicable", failed=first_failure(rule.when, situation))
            )
        elif rule.id in winners:
            entries.append(trace_entry(rule, "applied"))
        else:
            entries.append(
                trace_entry(rule, "overridden", overridden_by=settlement.overridden.get(rule.id))
            )
    return tuple(entries)
