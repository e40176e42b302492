"""What the law concludes from a set of applicable rules, whatever facts made them apply.

A decision on a complete situation depends on its facts in two ways only: through the
set of rules whose condition holds (which gives the outcome, the winners and what they
bring, and the contested points it turns on) and through the first failing test of each
rule that does not apply (the trace). This module builds the first part, the
:class:`Verdict`; :mod:`disclosure._decide.decision_maker` assembles decisions from verdicts and
trace entries, both shared between situations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from disclosure._decide.decision import (
    ContestedDependency,
    Receipt,
    RuleTrace,
    Sanction,
    SideObligation,
)
from disclosure._engines.prepared import PreparedVersion, rules_for_readings
from disclosure._ir.defeasibility import Settlement, settle
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Citation, Rule, Version
from disclosure._version import __version__
from disclosure.errors import ConflictError, GapError

__all__ = [
    "Verdict",
    "contested_points",
    "from_winners",
    "receipt",
    "settle_checked",
    "trace_entry",
    "verdict",
]


@attrs.frozen
class Verdict:
    """The parts of a decision fixed by which rules apply (see the module docstring)."""

    outcome: Outcome
    duty_bearer: str | None
    addressees: tuple[str, ...]
    sanctions: tuple[Sanction, ...]
    side_obligations: tuple[SideObligation, ...]
    basis: tuple[Citation, ...]
    winners: tuple[str, ...]
    contested: tuple[ContestedDependency, ...]
    warnings: tuple[str, ...]
    confidence: str
    #: the trace entry (applied or overridden) of each applicable rule in play
    applicable: Mapping[str, RuleTrace]


def verdict(
    prepared: PreparedVersion, readings: Mapping[str, str], holds: Iterable[str]
) -> Verdict:
    """The verdict on a complete situation in which exactly the rules ``holds`` (ids of
    rules of ``prepared``) apply, under ``readings``. A gap or a conflict is an error."""
    holding = frozenset(holds)
    in_play = rules_for_readings(prepared.rules, readings)
    settlement = settle_checked(in_play, (rule.id for rule in in_play if rule.id in holding))
    if settlement.outcome is None:
        raise GapError(
            f"no rule of {prepared.version.id} applies to this complete situation "
            "(a defect of the ruleset)"
        )
    status = {rule.id: rule.id in holding for rule in prepared.rules}
    return _verdict(prepared, readings, settlement, settlement.outcome, status)


def _verdict(
    prepared: PreparedVersion,
    readings: Mapping[str, str],
    settlement: Settlement,
    outcome: Outcome,
    status: Mapping[str, bool | None],
) -> Verdict:
    version = prepared.version
    winners = settlement.winners
    winner_ids = {rule.id for rule in winners}
    applicable = {
        rule.id: trace_entry(rule, "applied")
        if rule.id in winner_ids
        else trace_entry(rule, "overridden", overridden_by=settlement.overridden.get(rule.id))
        for rule in rules_for_readings(prepared.rules, readings)
        if status[rule.id] is True
    }
    return Verdict(
        outcome=outcome,
        contested=contested_points(prepared, {}, status, readings, outcome, complete=True),
        applicable=applicable,
        **from_winners(version, winners),
    )


def from_winners(version: Version, winners: tuple[Rule, ...]) -> dict[str, Any]:
    """The fields of a decision (and of a :class:`Verdict`) that its winning rules give:
    the duty bearer, addressees, sanctions, side obligations, basis, winners' ids,
    warnings and confidence."""
    return {
        "duty_bearer": duty_bearer(winners),
        "addressees": unique(a for rule in winners for a in rule.addressees),
        "sanctions": sanctions_of(version, winners),
        "side_obligations": side_obligations_of(version, winners),
        "basis": tuple(rule.source for rule in winners),
        "winners": tuple(rule.id for rule in winners),
        "warnings": warnings(version, winners),
        "confidence": confidence(version, winners),
    }


def receipt(
    prepared: PreparedVersion,
    readings: Mapping[str, str],
    on: dt.date | None,
    known_on: dt.date | None,
    engine: str,
) -> Receipt:
    """The receipt of a decision under ``prepared`` with these terms."""
    version = prepared.version
    return Receipt(
        family=prepared.family.id,
        version=version.id,
        aliases=version.aliases,
        content_sha256=version.content_hash,
        library_version=__version__,
        on=on,
        known_on=known_on,
        engine=engine,
        readings=readings,
        annulled=tuple(sorted(prepared.annulled)),
        family_data=prepared.family,
    )


def trace_entry(rule: Rule, status: Any, **extra: Any) -> RuleTrace:
    """The trace entry of ``rule`` with ``status`` (see :class:`RuleTrace`)."""
    return RuleTrace(
        rule=rule.id,
        status=status,
        conclusion=rule.conclusion,
        citation=rule.source,
        summary=rule.summary,
        **extra,
    )


def settle_checked(rules: tuple[Rule, ...], holds: Iterable[str]) -> Settlement:
    """:func:`settle`, with a conflict raised as a :class:`ConflictError`."""
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


def unique(items: Iterable[str]) -> tuple[str, ...]:
    """``items`` without repeats, in first-seen order."""
    return tuple(dict.fromkeys(items))


def sanctions_of(version: Version, winners: tuple[Rule, ...]) -> tuple[Sanction, ...]:
    """The sanctions the winning rules bring, each once."""
    return tuple(
        Sanction(p.id, p.trigger, p.summary, p.penalty, p.source)
        for p in (version.sanctions[s] for s in unique(s for r in winners for s in r.sanctions))
    )


def side_obligations_of(version: Version, winners: tuple[Rule, ...]) -> tuple[SideObligation, ...]:
    """The side obligations the winning rules bring, each once."""
    return tuple(
        SideObligation(p.id, p.summary, p.source)
        for p in (
            version.side_obligations[s]
            for s in unique(s for r in winners for s in r.side_obligations)
        )
    )


def duty_bearer(winners: tuple[Rule, ...]) -> str | None:
    """Who bears the decisive duty: the bearer named by the strongest winning rule."""
    for conclusion in (Outcome.OBLIGED, Outcome.PERMITTED, Outcome.FORBIDDEN):
        for rule in winners:
            if rule.conclusion is conclusion and rule.duty_bearer is not None:
                return rule.duty_bearer
    return None


_RANK = {"high": 2, "medium": 1, "low": 0}


def confidence(version: Version, winners: tuple[Rule, ...]) -> str:
    """The lowest confidence among the version and its winning rules."""
    levels = [version.confidence, *(rule.confidence for rule in winners)]
    return min(levels, key=lambda level: _RANK[level])


def warnings(version: Version, winners: tuple[Rule, ...]) -> tuple[str, ...]:
    """One warning for a version, and for each winning rule, that is not high-confidence."""
    found: list[str] = []
    if version.confidence != "high":
        note = version.confidence_note.en if version.confidence_note else ""
        found.append(f"version {version.name} is {version.confidence}-confidence: {note}".strip())
    for rule in winners:
        if rule.confidence != "high":
            note = f": {rule.note.en}" if rule.note else ""
            found.append(f"rule {rule.id} is {rule.confidence}-confidence{note}")
    return tuple(found)


def contested_points(
    prepared: PreparedVersion,
    situation: Mapping[str, Any],
    status: Mapping[str, bool | None],
    readings: Mapping[str, str],
    outcome: Outcome | None,
    complete: bool,
) -> tuple[ContestedDependency, ...]:
    """The contested points whose other readings would change the outcome or its basis.

    On a complete situation this depends on ``status`` only (``situation`` is not read);
    on a partial one, the outcomes still open under each other reading are computed."""
    result = []
    current: frozenset[str] | None = None
    for point in prepared.family.contested:
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
            alt_outcome: Outcome | None
            if complete:
                if current is None:
                    current = _winner_ids(prepared, readings, status)
                alt_in_play = rules_for_readings(prepared.rules, other)
                alt = settle(alt_in_play, {r.id for r in alt_in_play if status[r.id] is True})
                alt_outcome = alt.outcome
                if {r.id for r in alt.winners} != current:
                    differs = True
            else:
                outcomes, needed = prepared.open_outcomes(situation, other)
                alt_outcome = outcomes[0] if len(outcomes) == 1 and not needed else None
                if alt_outcome is not None and alt_outcome == outcome:
                    # settled either way: the basis may still differ, as on a complete one
                    if current is None:
                        current = _winner_ids(prepared, readings, status)
                    if _winner_ids(prepared, other, status) != current:
                        differs = True
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


def _winner_ids(
    prepared: PreparedVersion, readings: Mapping[str, str], status: Mapping[str, bool | None]
) -> frozenset[str]:
    in_play = rules_for_readings(prepared.rules, readings)
    settlement = settle(in_play, {r.id for r in in_play if status[r.id] is True})
    return frozenset(rule.id for rule in settlement.winners)
