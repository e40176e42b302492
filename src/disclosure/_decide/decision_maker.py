"""Decisions on complete situations, assembled from parts shared between situations.

A decision on a complete situation depends on its facts through two things only (see
:mod:`disclosure._decide.verdict`): which rules apply, and, for each rule that does not, the
first test that fails. Both are functions of the few facts each rule reads, so a
:class:`DecisionMaker` keeps, for each group of rules that read the same facts, a table
from the values of *those* facts to a small code per rule: 0 when its condition holds,
else the index of its trace entry (the failing test). The codes of all the groups are the
situation's *signature*; situations with the same signature get the same decision but
for their facts and receipt, so the decision's other parts are built once per signature
(a *template*) from the :class:`~disclosure._decide.verdict.Verdict` of the rules that hold.

A new situation then costs one table lookup per group and, for a signature already seen,
no settling, tracing or contested-point analysis at all. Everything learnt is bounded:
each table holds at most :data:`MAX_LOCAL` value tuples, at most :data:`MAX_TEMPLATES`
templates and :data:`MAX_VERDICTS` verdicts are kept; a full table is emptied and
relearnt. Equal decisions share their (immutable) parts, which keeps them small.

The maker serves both engines: with durable_rules, the engine's own answer on which
rules apply must agree with the tables (:meth:`DecisionMaker.template_for`), else the
caller takes the general path that explains whatever the engine answered.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping
from itertools import chain, repeat
from operator import call, itemgetter
from typing import Any, cast

from disclosure._decide.decision import (
    TEMPLATE_FIELDS,
    Receipt,
    RuleTrace,
    Template,
    template_from,
)
from disclosure._decide.explain import compile_first_failure, failed_test
from disclosure._decide.verdict import Verdict, receipt, trace_entry, verdict
from disclosure._engines.prepared import PreparedVersion, rules_for_readings
from disclosure._ir.conditions import condition_facts
from disclosure._ir.ruleset import Rule
from disclosure._ir.vocabulary import key_getter

__all__ = ["DecisionMaker", "decision_maker"]

_dict_get: Callable[[Any, Any], Any] = dict.get

#: the code of a rule whose condition holds
HOLDS = 0
#: value tuples remembered per group of rules before its table is emptied
MAX_LOCAL = 1 << 16
#: templates remembered per maker before they are forgotten
MAX_TEMPLATES = 1 << 14
#: verdicts remembered per maker before they are forgotten
MAX_VERDICTS = 1 << 12
#: receipts remembered per maker (one per date) before they are forgotten
MAX_RECEIPTS = 1 << 12

#: a decision without its facts and receipt: the other fields of :class:`Decision`, in
#: order
#: the template fields a verdict gives (the others: the trace, and nothing missing)
_FROM_VERDICT = tuple(
    name for name in TEMPLATE_FIELDS if name not in ("trace", "missing_facts", "possible_outcomes")
)


def _getter(positions: tuple[int, ...]) -> Callable[[tuple[Any, ...]], Any]:
    """The values at ``positions`` of a key (a single value when there is one)."""
    if not positions:
        return lambda key: ()
    return itemgetter(*positions)


class _Group:
    """The rules that read the same facts, and their table: the values of those facts ->
    the code of each rule."""

    __slots__ = ("entries", "facts", "failures", "getter", "marks", "rules", "table")

    def __init__(self, facts: tuple[str, ...], rules: tuple[Rule, ...], positions: dict[str, int]):
        self.facts = facts
        self.rules = rules
        self.getter = _getter(tuple(positions[fact] for fact in facts))
        self.failures = tuple(compile_first_failure(rule.when) for rule in rules)
        self.table: dict[Any, tuple[int, ...]] = {}
        # per rule: its trace entries by code (HOLDS has none of its own), and
        # (id of the failing test, negated, value) -> code; the tests live in the rule
        self.entries: tuple[list[RuleTrace | None], ...] = tuple([None] for _ in rules)
        self.marks: tuple[dict[tuple[int, bool, Any], int], ...] = tuple({} for _ in rules)

    def learn(self, local: Any) -> tuple[int, ...]:
        """The codes of ``local`` (values of the group's facts), computed and remembered."""
        values = local if len(self.facts) != 1 else (local,)
        situation = dict(zip(self.facts, values, strict=True))
        codes = tuple(self._code(index, situation) for index in range(len(self.rules)))
        if len(self.table) >= MAX_LOCAL:
            self.table.clear()
        self.table[local] = codes
        return codes

    def _code(self, index: int, situation: Mapping[str, Any]) -> int:
        failure = self.failures[index](situation)
        if failure is None:
            return HOLDS
        test, negated = failure
        mark = (id(test), negated, situation[test.fact])
        marks = self.marks[index]
        found = marks.get(mark)
        if found is None:
            failed = failed_test(test, negated, situation)
            entries = self.entries[index]
            found = marks[mark] = len(entries)
            entries.append(trace_entry(self.rules[index], "not_applicable", failed=failed))
        return found


def _groups(rules: tuple[Rule, ...], positions: dict[str, int]) -> tuple[_Group, ...]:
    by_facts: dict[tuple[str, ...], list[Rule]] = {}
    for rule in rules:
        by_facts.setdefault(tuple(sorted(condition_facts(rule.when))), []).append(rule)
    return tuple(_Group(facts, tuple(found), positions) for facts, found in by_facts.items())


class DecisionMaker:
    """Decisions on complete, validated situations under one prepared version and one
    choice of readings (see the module docstring)."""

    def __init__(self, prepared: PreparedVersion, readings: Mapping[str, str]) -> None:
        self.prepared = prepared
        self.readings = dict(readings)
        names = tuple(fact.name for fact in prepared.family.vocabulary.condition_facts)
        positions = {name: index for index, name in enumerate(names)}
        #: the key of a complete situation: its values in vocabulary order
        self.key_of = key_getter(names)
        self._groups = _groups(prepared.rules, positions)
        self._getters = tuple(group.getter for group in self._groups)
        self._tables = tuple(group.table for group in self._groups)
        # the rules in the order of the signature's codes, flattened
        self._rules = tuple(rule for group in self._groups for rule in group.rules)
        self._entries = tuple(entries for group in self._groups for entries in group.entries)
        self._code_of = {rule.id: index for index, rule in enumerate(self._rules)}
        in_play = {rule.id for rule in rules_for_readings(prepared.rules, readings)}
        # each rule of the version, in order: its fixed trace entry, or None when the
        # entry depends on the situation (then its group's table gives its code)
        fixed: list[RuleTrace | None] = []
        for rule in prepared.version.rules:
            if rule.id in prepared.annulled:
                fixed.append(trace_entry(rule, "annulled"))
            elif rule.id not in in_play:
                assert rule.reading is not None
                fixed.append(trace_entry(rule, "other_reading", reading=rule.reading.point))
            else:
                fixed.append(None)
        self._fixed = tuple(fixed)
        self._templates: dict[tuple[tuple[int, ...], ...], Template] = {}
        self._verdicts: dict[tuple[str, ...], Verdict] = {}
        self._receipts: dict[tuple[dt.date | None, dt.date | None, str], Receipt] = {}
        self._lock = threading.Lock()

    def signature(self, key: tuple[Any, ...]) -> tuple[tuple[int, ...], ...]:
        """The codes of each group's rules on the situation whose key is ``key``."""
        local = tuple(map(call, self._getters, repeat(key)))
        codes: tuple[tuple[int, ...], ...] = tuple(map(_dict_get, self._tables, local))
        if None in codes:
            with self._lock:
                codes = tuple(
                    group.learn(value) if found is None else found
                    for group, value, found in zip(self._groups, local, codes, strict=True)
                )
        return codes

    def template(self, key: tuple[Any, ...]) -> Template:
        """The template of the decision on the complete situation with ``key``. A gap or
        a conflict of the ruleset raises its error."""
        return self._template(self.signature(key))

    def _template(self, signature: tuple[tuple[int, ...], ...]) -> Template:
        found = self._templates.get(signature)
        if found is None:
            found = self._build(signature)
            if len(self._templates) >= MAX_TEMPLATES:
                self._templates.clear()
            self._templates[signature] = found
        return found

    def template_for(self, key: tuple[Any, ...], applicable: set[str]) -> Template | None:
        """The template, if the rules in ``applicable`` (an engine's answer) are exactly
        those whose condition holds by the tables; ``None`` when they disagree."""
        signature = self.signature(key)
        if set(self._holding(signature)) != applicable:
            return None
        return self._template(signature)

    def _holding(self, signature: tuple[tuple[int, ...], ...]) -> tuple[str, ...]:
        codes = chain.from_iterable(signature)
        return tuple(rule.id for rule, code in zip(self._rules, codes, strict=True) if not code)

    def _build(self, signature: tuple[tuple[int, ...], ...]) -> Template:
        holds = self._holding(signature)
        found = self._verdicts.get(holds)
        if found is None:
            found = verdict(self.prepared, self.readings, holds)
            if len(self._verdicts) >= MAX_VERDICTS:
                self._verdicts.clear()
            self._verdicts[holds] = found
        codes = tuple(chain.from_iterable(signature))
        trace = []
        for rule, entry in zip(self.prepared.version.rules, self._fixed, strict=True):
            if entry is None:
                index = self._code_of[rule.id]
                code = codes[index]
                entry = found.applicable[rule.id] if code == HOLDS else self._entries[index][code]
            trace.append(entry)
        return template_from(
            {
                **{name: getattr(found, name) for name in _FROM_VERDICT},
                "trace": tuple(trace),
                "missing_facts": (),
                "possible_outcomes": (found.outcome,),
            }
        )

    def receipt(self, on: dt.date | None, known_on: dt.date | None, engine: str) -> Receipt:
        """The receipt of a decision under this maker's terms (shared between decisions)."""
        terms = (on, known_on, engine)
        found = self._receipts.get(terms)
        if found is None:
            found = receipt(self.prepared, self.readings, on, known_on, engine)
            if len(self._receipts) >= MAX_RECEIPTS:
                self._receipts.clear()
            self._receipts[terms] = found
        return found


def decision_maker(prepared: PreparedVersion, readings: Mapping[str, str]) -> DecisionMaker:
    """The decision maker of ``prepared`` under ``readings``, kept with the prepared
    version (built once, shared by every thread and by bulk evaluation)."""
    key = ("decision_maker", tuple(sorted(readings.items())))
    found = prepared.attachments.get(key)
    if found is None:
        found = prepared.attach(key, lambda: DecisionMaker(prepared, readings))
    return cast(DecisionMaker, found)
