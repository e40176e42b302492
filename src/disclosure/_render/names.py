"""What the renderers call the things a rule family names, in one language: facts, values,
rules, sanctions, side obligations, contested points and readings, acts and courts.

The names come from the family's files (``label``, ``value_labels``, ``acts``); a family
without them falls back on its ids, so that every family renders. The fixed words around
them (outcomes, statuses, connectives) are in :mod:`disclosure._render.labels`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from disclosure._formats import register
from disclosure._ir.text import LANGUAGES
from disclosure._render.labels import (
    BOOLEANS,
    CONFIDENCE_LEVELS,
    DUTY_BEARERS,
    ENGINES,
    JUDGMENT,
    REASONS,
    SHORT_OUTCOME,
    STATUSES,
    check_lang,
    connective,
)

if TYPE_CHECKING:
    from disclosure._decide.decision import Decision
    from disclosure._decide.explain import FailedTest
    from disclosure._ir.outcome import Outcome
    from disclosure._ir.ruleset import Citation, Family, Provision, Rule, Version
    from disclosure._ir.text import Text

__all__ = ["Names", "decision_labels", "names_of"]


def _in(text: Text | None, lang: str) -> str | None:
    return None if text is None else text[lang]


class Names:
    """The names of a family's things in ``lang``. ``version`` (an id or alias) is the
    version whose rules and provisions are meant; without it, the latest that has them.

    English texts name an act by its French name with its English gloss, the first time
    only (brief §11.6): the instance remembers which acts it has glossed.
    """

    def __init__(self, family: Family | None, lang: str, version: str | None = None) -> None:
        check_lang(lang)
        self.family = family
        self.lang = lang
        self.version: Version | None = None
        if family is not None and version is not None:
            try:
                self.version = family.version(version)
            except LookupError:
                self.version = None
        self._glossed: set[str] = set()

    # -- the vocabulary ------------------------------------------------------------------

    def fact(self, name: str) -> str:
        fact = self._fact(name)
        found = _in(fact.label, self.lang) if fact is not None else None
        return found or name

    def value(self, fact_name: str, value: Any) -> str:
        if isinstance(value, bool):
            return BOOLEANS[value][self.lang]
        fact = self._fact(fact_name)
        found = _in(fact.value_labels.get(value), self.lang) if fact is not None else None
        return found or str(value)

    def values(self, fact_name: str, values: Iterable[Any]) -> str:
        return ", ".join(self.value(fact_name, v) for v in values)

    def facts(self, names: Iterable[str]) -> str:
        return ", ".join(self.fact(name) for name in names)

    def _fact(self, name: str) -> Any:
        if self.family is None or name not in self.family.vocabulary:
            return None
        return self.family.vocabulary[name]

    # -- rules and provisions ---------------------------------------------------------------

    def rule(self, rule_id: str) -> str:
        rule = self._rule(rule_id)
        found = _in(rule.label, self.lang) if rule is not None else None
        return found or rule_id

    def _rule(self, rule_id: str) -> Rule | None:
        for version in self._versions():
            for rule in version.rules:
                if rule.id == rule_id:
                    return rule
        return None

    def rule_source(self, rule_id: str) -> Citation | None:
        """The citation of a rule (as the version has it, else the latest that has it)."""
        rule = self._rule(rule_id)
        return rule.source if rule is not None else None

    def rule_summary(self, rule_id: str) -> str | None:
        """A rule's summary in the language, if the family has the rule."""
        rule = self._rule(rule_id)
        return rule.summary[self.lang] if rule is not None else None

    def sanction(self, sanction_id: str) -> str:
        return self._provision("sanctions", sanction_id)

    def side_obligation(self, obligation_id: str) -> str:
        return self._provision("side_obligations", obligation_id)

    def _provision(self, kind: str, provision_id: str) -> str:
        for version in self._versions():
            found: Provision | None = getattr(version, kind).get(provision_id)
            if found is not None and found.label is not None:
                return found.label[self.lang]
        return provision_id

    def _versions(self) -> list[Version]:
        if self.family is None:
            return []
        others = [v for v in reversed(self.family.versions) if v is not self.version]
        return [self.version, *others] if self.version is not None else others

    # -- contested points --------------------------------------------------------------------

    def point(self, point_id: str) -> str:
        point = self._point(point_id)
        found = _in(point.label, self.lang) if point is not None else None
        return found or point_id

    def reading(self, point_id: str, reading_id: str) -> str:
        point = self._point(point_id)
        if point is None or reading_id not in point.reading_ids:
            return reading_id
        return _in(point.reading(reading_id).label, self.lang) or reading_id

    def _point(self, point_id: str) -> Any:
        if self.family is None:
            return None
        for point in self.family.contested:
            if point.id == point_id:
                return point
        return None

    # -- acts and citations ------------------------------------------------------------------

    def act(self, act: str) -> str:
        """The act's name in the language; in English, with its gloss the first time."""
        entry = self.family.acts.get(act) if self.family is not None else None
        if entry is None:
            return act
        name = entry.name[self.lang]
        if self.lang == "en" and entry.gloss and act not in self._glossed:
            self._glossed.add(act)
            return f"{name} ({entry.gloss})"
        return name

    def citation(self, citation: Citation) -> str:
        """The citation as one line: act, article, paragraph, in the language."""
        article = citation.article
        if article[:1].isdigit():
            article = f"art. {article}"
        elif article.startswith("arrêt "):
            article = f"{JUDGMENT[self.lang]} {article.removeprefix('arrêt ')}"
        text = f"{self.act(citation.act)}, {article}"
        if citation.paragraph:
            text += f" {citation.paragraph}"
        return text

    # -- fixed words -------------------------------------------------------------------------

    def duty_bearer(self, bearer: str) -> str:
        return DUTY_BEARERS.get(bearer, {}).get(self.lang, bearer)

    def status(self, status: str) -> str:
        return STATUSES.get(status, {}).get(self.lang, status)

    def outcome(self, outcome: Outcome | str | None) -> str:
        if outcome is None:
            return SHORT_OUTCOME["undetermined"][self.lang]
        key = outcome if isinstance(outcome, str) else outcome.value
        return SHORT_OUTCOME.get(key, {}).get(self.lang, key)

    def engine(self, engine: str) -> str:
        return ENGINES.get(engine, {}).get(self.lang, engine)

    def confidence(self, level: str) -> str:
        return CONFIDENCE_LEVELS.get(level, {}).get(self.lang, level)

    def failed(self, failed: FailedTest) -> str:
        values = self.values(failed.fact, failed.expected)
        key = (
            "failed_negated"
            if failed.negated
            else ("failed_one" if len(failed.expected) == 1 else "failed_many")
        )
        return REASONS[key][self.lang].format(
            fact=self.fact(failed.fact),
            actual=self.value(failed.fact, failed.actual),
            values=values,
        )

    def reason(self, entry: Any) -> str:
        """A trace entry's reason in the language."""
        status = entry.status
        lang = self.lang
        if status == "applied":
            return REASONS["applied"][lang].format(outcome=self.outcome(entry.conclusion))
        if status == "overridden":
            return REASONS["overridden"][lang].format(rule=self.rule(entry.overridden_by or "?"))
        if status == "not_applicable":
            if entry.failed is None:
                return REASONS["not_applicable_bare"][lang]
            return REASONS["not_applicable"][lang].format(failed=self.failed(entry.failed))
        if status == "unknown":
            return REASONS["unknown"][lang].format(facts=self.facts(entry.missing))
        if status == "other_reading":
            return REASONS["other_reading"][lang].format(point=self.point(entry.reading or "?"))
        return REASONS["annulled"][lang]

    def conj(self, key: str) -> str:
        return connective(key, self.lang)


def names_of(decision: Decision, lang: str) -> Names:
    """The names for rendering ``decision`` in ``lang``."""
    receipt = decision.receipt
    return Names(receipt.family_data, lang, receipt.version)


#: the labels of a template's parts (every part of a decision but its facts), by the id
#: of its trace (shared by the decisions rebuilt from one template), with that trace
_PARTS: dict[int, tuple[Any, Any, dict[str, Any]]] = {}
#: a fact's value's labels, by (id of the family, fact, value), with that family
_VALUES: dict[tuple[int, str, str], tuple[Any, dict[str, str]]] = {}
_MAX_CACHED = 4096


@register("decision", "labels")
def decision_labels(decision: Decision, lang: str = "en") -> dict[str, Any]:
    """The labels, in French, Dutch and English, of every id a decision's JSON holds: its
    outcome, facts and values, duty bearer, rules, sanctions, side obligations and
    contested points with their readings (``lang`` is not used: every language is given).

    The parts shared by the decisions of one template, and the labels of each value, are
    remembered (a batch writes millions of decisions)."""
    family = decision.receipt.family_data
    found = _PARTS.get(id(decision.trace))
    if found is None or found[0] is not decision.trace or found[1] is not family:
        if len(_PARTS) >= _MAX_CACHED:
            _PARTS.clear()
        found = (decision.trace, family, _parts(decision, family))
        _PARTS[id(decision.trace)] = found
    parts = found[2]
    # in the vocabulary's order, whatever the order the facts were given in
    order = parts["order"]
    facts = sorted(
        {*decision.facts, *decision.missing_facts}, key=lambda f: (order.get(f, len(order)), f)
    )
    values: dict[str, dict[str, dict[str, str]]] = {}
    for fact in facts:
        value = decision.facts.get(fact)
        if isinstance(value, str) and fact != "date":
            values.setdefault(fact, {})[value] = _value_texts(family, fact, value)
    for authority in decision.addressees:
        values.setdefault("authority", {})[authority] = _value_texts(family, "authority", authority)
    return {
        "outcome": parts["outcome"],
        "facts": {fact: _value_texts(family, fact, None) for fact in facts},
        "values": values,
        "duty_bearer": parts["duty_bearer"],
        "rules": parts["rules"],
        "sanctions": parts["sanctions"],
        "side_obligations": parts["side_obligations"],
        "contested": parts["contested"],
    }


def _value_texts(family: Family | None, fact: str, value: str | None) -> dict[str, str]:
    """The labels of a fact (``value`` None) or of one of its values, in every language."""
    key = (id(family), fact, "" if value is None else f"={value}")
    found = _VALUES.get(key)
    if found is None or found[0] is not family:
        if len(_VALUES) >= _MAX_CACHED:
            _VALUES.clear()
        texts: dict[str, str] = {}
        for lang in LANGUAGES:
            names = Names(family, lang)
            texts[lang] = names.fact(fact) if value is None else names.value(fact, value)
        found = (family, texts)
        _VALUES[key] = found
    return found[1]


def _parts(decision: Decision, family: Family | None) -> dict[str, Any]:
    """The labels of the parts of a decision its template fixes."""
    by_lang = {lang: Names(family, lang, decision.receipt.version) for lang in LANGUAGES}

    def each(call: Any) -> dict[str, str]:
        return {lang: call(names) for lang, names in by_lang.items()}

    return {
        "order": {name: i for i, name in enumerate(family.vocabulary.names)} if family else {},
        "outcome": each(lambda n: n.outcome(decision.outcome)),
        "duty_bearer": each(lambda n: n.duty_bearer(decision.duty_bearer))
        if decision.duty_bearer
        else None,
        "rules": {entry.rule: each(lambda n, r=entry.rule: n.rule(r)) for entry in decision.trace},
        "sanctions": {s.id: each(lambda n, i=s.id: n.sanction(i)) for s in decision.sanctions},
        "side_obligations": {
            o.id: each(lambda n, i=o.id: n.side_obligation(i)) for o in decision.side_obligations
        },
        "contested": {
            point.point: {
                "label": each(lambda n, p=point.point: n.point(p)),
                "readings": {
                    reading: each(lambda n, p=point.point, r=reading: n.reading(p, r))
                    for reading in (point.reading, *point.alternatives)
                },
            }
            for point in decision.contested
        },
    }
