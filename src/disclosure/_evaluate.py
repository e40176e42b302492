"""Evaluate one situation: pick the version, match the rules, settle, explain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from disclosure._decision import (
    ContestedDependency,
    Decision,
    Receipt,
    RuleTrace,
    Sanction,
    SideObligation,
    TraceStatus,
)
from disclosure._defeasibility import Settlement, settle
from disclosure._explain import first_failure, missing_in
from disclosure._outcome import Outcome
from disclosure._prepared import PreparedVersion, prepare, rules_for_readings
from disclosure._ruleset import Family, Rule, Version
from disclosure._version import __version__
from disclosure._vocabulary import DATE_FACT
from disclosure.errors import (
    ConflictError,
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


def _settle_checked(rules: tuple[Rule, ...], holds: Iterable[str]) -> Settlement:
    settlement = settle(rules, set(holds))
    if settlement.conflict:
        raise ConflictError(
            "rules "
            + " and ".join(settlement.conflict)
            + " both apply and neither overrides the other, with incompatible conclusions "
            "(a defect of the ruleset)",
            rules=settlement.conflict,
        )
    return settlement


def _decide(
    prepared: PreparedVersion,
    situation: dict[str, Any],
    readings: dict[str, str],
    engine: str,
    on: dt.date | None,
    known_on: dt.date | None,
) -> Decision:
    family, version = prepared.family, prepared.version
    status = _match(prepared, situation, engine)
    in_play = rules_for_readings(prepared.rules, readings)
    holds = [rule.id for rule in in_play if status[rule.id] is True]
    complete = prepared.compiled.is_complete(situation)
    settlement = _settle_checked(in_play, holds) if complete else settle(in_play, set(holds))
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
        outcome = possible[0] if len(possible) == 1 else None

    winners = settlement.winners if outcome is not None else ()
    trace = _trace(prepared, situation, status, readings, settlement)
    contested = _contested(prepared, situation, status, readings, outcome, complete)
    warnings = _warnings(version, winners)
    return Decision(
        outcome=outcome,
        facts={**situation, **({DATE_FACT: on} if on is not None else {})},
        duty_bearer=_duty_bearer(winners),
        addressees=_unique(a for rule in winners for a in rule.addressees),
        sanctions=tuple(
            Sanction(p.id, p.trigger, p.summary, p.penalty, p.source)
            for p in (
                version.sanctions[s] for s in _unique(s for r in winners for s in r.sanctions)
            )
        ),
        side_obligations=tuple(
            SideObligation(p.id, p.summary, p.source)
            for p in (
                version.side_obligations[s]
                for s in _unique(s for r in winners for s in r.side_obligations)
            )
        ),
        basis=tuple(rule.source for rule in winners),
        winners=tuple(rule.id for rule in winners),
        trace=trace,
        contested=contested,
        receipt=Receipt(
            family=family.id,
            version=version.id,
            aliases=version.aliases,
            content_sha256=version.content_hash,
            library_version=__version__,
            on=on,
            known_on=known_on,
            engine=engine,
            readings=readings,
            annulled=tuple(sorted(prepared.annulled)),
        ),
        missing_facts=missing,
        possible_outcomes=possible,
        warnings=warnings,
        confidence=_confidence(version, winners),
    )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _duty_bearer(winners: tuple[Rule, ...]) -> str | None:
    for conclusion in (Outcome.OBLIGED, Outcome.PERMITTED, Outcome.FORBIDDEN):
        for rule in winners:
            if rule.conclusion is conclusion and rule.duty_bearer is not None:
                return rule.duty_bearer
    return None


_RANK = {"high": 2, "medium": 1, "low": 0}


def _confidence(version: Version, winners: tuple[Rule, ...]) -> str:
    levels = [version.confidence, *(rule.confidence for rule in winners)]
    return min(levels, key=lambda level: _RANK[level])


def _warnings(version: Version, winners: tuple[Rule, ...]) -> tuple[str, ...]:
    found: list[str] = []
    if version.confidence != "high":
        note = version.confidence_note.en if version.confidence_note else ""
        found.append(f"version {version.name} is {version.confidence}-confidence: {note}".strip())
    for rule in winners:
        if rule.confidence != "high":
            note = f": {rule.note.en}" if rule.note else ""
            found.append(f"rule {rule.id} is {rule.confidence}-confidence{note}")
    return tuple(found)


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

        def entry(status: TraceStatus, rule: Rule = rule, **extra: Any) -> RuleTrace:
            return RuleTrace(
                rule=rule.id,
                status=status,
                conclusion=rule.conclusion,
                citation=rule.source,
                summary=rule.summary,
                **extra,
            )

        state = status.get(rule.id)
        if rule.id in prepared.annulled:
            entries.append(entry("annulled"))
        elif rule.reading is not None and readings.get(rule.reading.point) not in (
            rule.reading.readings
        ):
            entries.append(entry("other_reading", reading=rule.reading.point))
        elif state is None:
            entries.append(entry("unknown", missing=missing_in(rule.when, situation)))
        elif state is False:
            entries.append(entry("not_applicable", failed=first_failure(rule.when, situation)))
        elif rule.id in winners:
            entries.append(entry("applied"))
        else:
            entries.append(entry("overridden", overridden_by=settlement.overridden.get(rule.id)))
    return tuple(entries)


def _contested(
    prepared: PreparedVersion,
    situation: Mapping[str, Any],
    status: Mapping[str, bool | None],
    readings: Mapping[str, str],
    outcome: Outcome | None,
    complete: bool,
) -> tuple[ContestedDependency, ...]:
    """The contested points whose other readings would change the outcome or its basis."""
    family = prepared.family
    result = []
    for point in family.contested:
        consulted = any(
            rule.reading is not None
            and rule.reading.point == point.id
            and status[rule.id] is not False
            for rule in prepared.rules
        )
        if not consulted:
            continue
        alternatives: dict[str, Outcome | None] = {}
        differs = False
        for reading in point.reading_ids:
            if reading == readings[point.id]:
                continue
            other = {**readings, point.id: reading}
            in_play = rules_for_readings(prepared.rules, other)
            holds = {rule.id for rule in in_play if status[rule.id] is True}
            if complete:
                alt = settle(in_play, holds)
                alt_outcome = alt.outcome
                current = settle(
                    rules_for_readings(prepared.rules, readings),
                    {
                        r.id
                        for r in rules_for_readings(prepared.rules, readings)
                        if status[r.id] is True
                    },
                )
                if {r.id for r in alt.winners} != {r.id for r in current.winners}:
                    differs = True
            else:
                outcomes, _ = prepared.open_outcomes(situation, other)
                alt_outcome = outcomes[0] if len(outcomes) == 1 else None
            alternatives[reading] = alt_outcome
            if alt_outcome != outcome:
                differs = True
        if differs:
            result.append(
                ContestedDependency(
                    point=point.id,
                    question=point.question,
                    reading=readings[point.id],
                    alternatives=alternatives,
                    brief_ref=point.brief_ref,
                )
            )
    return tuple(result)
