"""The answer of the law on one situation: a :class:`Decision` and its parts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import Any, Literal, TypeAlias, cast

import attrs

from disclosure._decide.explain import FailedTest
from disclosure._formats import render
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Citation, Family
from disclosure._ir.ruleset import plain as plain_data
from disclosure._ir.text import Text

__all__ = [
    "DECISION_SCHEMA",
    "ContestedDependency",
    "Decision",
    "KnownThen",
    "Receipt",
    "RuleTrace",
    "Sanction",
    "SideObligation",
]

#: identifies the JSON layout of :meth:`Decision.to_dict`; bumped on any incompatible change
DECISION_SCHEMA = "disclosure.decision/1"

TraceStatus = Literal[
    "applied", "overridden", "not_applicable", "unknown", "other_reading", "annulled"
]


@attrs.frozen
class RuleTrace:
    """What became of one rule of the version for this situation.

    ``applied``: it applies and stands; ``overridden``: it applies but ``overridden_by``
    set it aside; ``not_applicable``: ``failed`` says the first condition that fails;
    ``unknown``: facts ``missing`` leave it open; ``other_reading``: it belongs to a reading
    of a contested point that was not chosen; ``annulled``: a court annulled it, as the law
    is known on the decision's ``known_on``.
    """

    rule: str
    status: TraceStatus
    conclusion: Outcome
    citation: Citation
    summary: Text
    overridden_by: str | None = None
    failed: FailedTest | None = None
    missing: tuple[str, ...] = ()
    reading: str | None = None

    @property
    def reason(self) -> str:
        """The reason in English, one line."""
        if self.status == "applied":
            return f"applies: {self.conclusion.value}"
        if self.status == "overridden":
            return f"applies but is set aside by {self.overridden_by}"
        if self.status == "not_applicable":
            return f"does not apply: {self.failed.describe()}" if self.failed else "does not apply"
        if self.status == "unknown":
            return f"open: depends on {', '.join(self.missing)}"
        if self.status == "other_reading":
            return f"belongs to another reading of {self.reading}"
        return "annulled (deemed never to have existed, as known on the decision's date)"


@attrs.frozen
class Sanction:
    """A penalty at stake, with the choice it punishes (``trigger``)."""

    id: str
    trigger: str | None
    summary: Text
    penalty: Text | None
    citation: Citation


@attrs.frozen
class SideObligation:
    """A duty that comes with the decision (e.g. keep the prosecutor's request secret)."""

    id: str
    summary: Text
    citation: Citation


@attrs.frozen
class ContestedDependency:
    """A contested point the decision depends on: the reading used, and what each other
    reading would give (``None``: undetermined under it)."""

    point: str
    question: Text
    reading: str
    alternatives: Mapping[str, Outcome | None]
    brief_ref: str | None = None


@attrs.frozen
class Receipt:
    """Everything needed to reproduce the decision later."""

    family: str
    version: str
    aliases: tuple[str, ...]
    content_sha256: str
    library_version: str
    on: dt.date | None
    known_on: dt.date | None
    engine: str
    readings: Mapping[str, str]
    annulled: tuple[str, ...] = ()
    #: the rule family the decision was made under (its labels and notes, for the
    #: renderers); not part of the receipt's value or JSON
    family_data: Family | None = attrs.field(default=None, eq=False, hash=False, repr=False)

    @property
    def as_enacted(self) -> bool:
        """True when no later annulment was applied (a version named without known_on)."""
        return self.known_on is None


@attrs.frozen
class KnownThen:
    """The answer as the law was known on the date of the facts, when it differs from the
    decision's (which reads the law as known on a later day).

    ``known_on`` is the date of the facts; ``version`` (and ``aliases``) the version then
    in force as known that day; ``outcome``, ``winners`` and ``basis`` that answer;
    ``annulled`` the rules a court annulled since, retroactively, which the later reading
    no longer applies.
    """

    known_on: dt.date
    version: str
    aliases: tuple[str, ...]
    outcome: Outcome | None
    winners: tuple[str, ...]
    basis: tuple[Citation, ...]
    annulled: tuple[str, ...] = ()


@attrs.frozen
class Decision:
    """The law's answer on one situation under one version, with its reasons.

    ``outcome`` is ``None`` when facts the answer depends on are missing: then
    ``missing_facts`` names the facts still needed (the first is the best next question)
    and ``possible_outcomes`` the outcomes still open.

    ``known_then`` is set when the decision reads the law as known after the date of the
    facts and the law as known on that date gave another outcome (a retroactive
    annulment): both answers are then part of the decision.
    """

    outcome: Outcome | None
    facts: Mapping[str, Any]
    duty_bearer: str | None
    addressees: tuple[str, ...]
    sanctions: tuple[Sanction, ...]
    side_obligations: tuple[SideObligation, ...]
    basis: tuple[Citation, ...]
    winners: tuple[str, ...]
    trace: tuple[RuleTrace, ...]
    contested: tuple[ContestedDependency, ...]
    receipt: Receipt
    missing_facts: tuple[str, ...] = ()
    possible_outcomes: tuple[Outcome, ...] = ()
    warnings: tuple[str, ...] = ()
    confidence: str = "high"
    known_then: KnownThen | None = None

    @property
    def determined(self) -> bool:
        return self.outcome is not None

    @property
    def undetermined(self) -> bool:
        return self.outcome is None

    def rule_trace(self, rule_id: str) -> RuleTrace:
        for entry in self.trace:
            if entry.rule == rule_id:
                return entry
        raise KeyError(rule_id)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (layout :data:`DECISION_SCHEMA`, see docs/reference)."""
        plain = plain_data(self)
        plain["outcome"] = self.outcome.value if self.outcome else None
        plain["determined"] = self.determined
        plain["trace"] = [
            {**entry, "reason": trace.reason}
            for entry, trace in zip(plain["trace"], self.trace, strict=True)
        ]
        plain["receipt"]["as_enacted"] = self.receipt.as_enacted
        plain["labels"] = self.labels()
        return {"schema": DECISION_SCHEMA, **plain}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, sort_keys=False)

    def labels(self) -> dict[str, Any]:
        """The names, in French, Dutch and English, of the ids the decision holds (its
        JSON's ``labels``)."""
        return cast(dict[str, Any], render("decision", "labels", self))

    def explain(self, lang: str = "en") -> str:
        """The decision as text in ``lang`` (fr, nl or en)."""
        return cast(str, render("decision", "text", self, lang))


# -- decisions as template + facts + receipt ------------------------------------------------
#
# Many situations share every part of their decision but their facts and receipt (see
# disclosure._decide.decision_maker). That shared part, the *template*, is a tuple of the
# other fields of Decision in the order attrs declares them; the order is read here, once.

#: the fields of a decision that are not its template's: its facts, its receipt, and the
#: answer as known on the date of its facts (which depends on that date; last, optional)
_OWN = ("facts", "receipt", "known_then")
#: every field of :class:`Decision`, in the order attrs declares them
FIELDS: tuple[str, ...] = tuple(field.name for field in attrs.fields(Decision))
#: the fields of a decision's template, in the order of :class:`Decision`'s fields
TEMPLATE_FIELDS: tuple[str, ...] = tuple(name for name in FIELDS if name not in _OWN)
#: a template: the value of every field of :class:`Decision`, in their order, with
#: ``None`` in the places of a decision's own fields (facts, receipt, known_then)
Template: TypeAlias = tuple[Any, ...]

_FACTS_AT = FIELDS.index("facts")
_RECEIPT_AT = FIELDS.index("receipt")
_OWN_AT = tuple(FIELDS.index(name) for name in _OWN)
_all_values = attrgetter(*FIELDS)


def template_from(parts: Mapping[str, Any]) -> Template:
    """The template holding ``parts`` (a value for each of :data:`TEMPLATE_FIELDS`)."""
    return tuple(None if name in _OWN else parts[name] for name in FIELDS)


def template_of(decision: Decision) -> Template:
    """The template of any decision (partial situations included): :func:`decision_from`
    gives it back with other facts and receipt."""
    values = list(_all_values(decision))
    for at in _OWN_AT:
        values[at] = None
    return tuple(values)


def decision_from(template: Template, facts: Mapping[str, Any], receipt: Receipt) -> Decision:
    """The decision ``template`` stands for, on a situation with ``facts``."""
    # the template holds Decision's positional arguments, but for the decision's own:
    # as fast as writing the arguments out, and derived from the fields once
    arguments = list(template)
    arguments[_FACTS_AT] = facts
    arguments[_RECEIPT_AT] = receipt
    return Decision(*arguments)


def decisions_from(
    templates: Sequence[Template], facts: Sequence[Mapping[str, Any]], receipt: Receipt
) -> list[Decision]:
    """:func:`decision_from` over many situations sharing a receipt (a chunk of bulk
    evaluation), without a call per decision."""
    facts_at, receipt_at = _FACTS_AT, _RECEIPT_AT
    made = []
    for template, each in zip(templates, facts, strict=True):
        arguments = list(template)
        arguments[facts_at] = each
        arguments[receipt_at] = receipt
        made.append(Decision(*arguments))
    return made
