"""Evaluate one situation: pick the version, match the rules, settle, explain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from disclosure._decide.decision import Decision, RuleTrace
from disclosure._decide.decision_maker import DecisionMaker, Template, decision, decision_maker
from disclosure._decide.explain import first_failure, missing_in
from disclosure._decide.verdict import (
    contested_points,
    from_winners,
    receipt,
    settle_checked,
    trace_entry,
)
from disclosure._engines.prepared import PreparedVersion, prepare, rules_for_readings
from disclosure._ir.defeasibility import Settlement, settle
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Family, Version
from disclosure._ir.vocabulary import DATE_FACT
from disclosure.errors import (
    EngineError,
    FactError,
    GapError,
    ReadingError,
    did_you_mean,
)

__all__ = ["Engine", "evaluate_in", "resolve_readings", "situation_from"]

Engine = Literal["compiled", "durable"]
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


def resolve_readings(family: Family, readings: Mapping[str, str] | None) -> dict[str, str]:
    """The chosen reading of every contested point: the defaults, with ``readings`` over
    them. Unknown points or readings are a :class:`ReadingError`."""
    chosen = {point.id: point.default for point in family.contested}
    if readings is not None and not isinstance(readings, Mapping):
        raise ReadingError(
            "readings must map contested points to readings, e.g. "
            f"{{'{next(iter(chosen), 'point')}': '...'}}, not {type(readings).__name__}"
        )
    for point_id, reading in (readings or {}).items():
        if point_id not in chosen:
            hint = did_you_mean(point_id, chosen)
            raise ReadingError(
                f"unknown contested point {point_id!r}; contested points: {', '.join(chosen)}"
                + (f"; did you mean {hint!r}?" if hint else "")
            )
        point = family.contested_point(point_id)
        if reading not in point.reading_ids:
            hint = did_you_mean(reading, point.reading_ids)
            raise ReadingError(
                f"unknown reading {reading!r} of {point_id!r}; readings: "
                + ", ".join(point.reading_ids)
                + (f"; did you mean {hint!r}?" if hint else "")
            )
        chosen[point_id] = reading
    return chosen


def _as_date(value: Any, name: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise FactError(f"{name} must be an ISO date (YYYY-MM-DD), not {value!r}", value=value)


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
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; engines: {', '.join(ENGINES)}")
    situation = family.vocabulary.validate(situation_from(facts))
    fact_date = situation.pop(DATE_FACT, None)
    on_date = _as_date(on, "on")
    if fact_date is not None and on_date is not None and fact_date != on_date:
        raise FactError(
            f"the date fact ({fact_date}) and on= ({on_date}) disagree; give one, or the same",
            fact=DATE_FACT,
            value=fact_date,
        )
    on_date = on_date or fact_date
    known = _as_date(known_on, "known_on")
    if version is not None:
        chosen_version = family.version(version)
    else:
        on_date = on_date or dt.date.today()
        known = known or dt.date.today()
        chosen_version = family.version_on(on_date, known)
    chosen = resolve_readings(family, readings)
    annulled = (
        frozenset(a.rule for a in family.annulled_as_known(chosen_version, known))
        if known is not None
        else frozenset()
    )
    prepared = prepare(family, chosen_version, annulled)
    return _decide(prepared, situation, chosen, engine, on_date, known)


def _match(
    prepared: PreparedVersion, situation: Mapping[str, Any], engine: str
) -> dict[str, bool | None]:
    if engine == "durable":
        return prepared.durable().match(situation)
    return prepared.compiled.match(situation)


def _decide(
    prepared: PreparedVersion,
    situation: dict[str, Any],
    readings: dict[str, str],
    engine: str,
    on: dt.date | None,
    known_on: dt.date | None,
) -> Decision:
    """The decision on a validated situation (without its date)."""
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
            return decision(template, facts, maker.receipt(on, known_on, engine))
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
