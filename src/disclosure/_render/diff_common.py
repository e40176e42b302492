"""What the diff documents share: values, conditions and versions as text, and lookups of
the rules and citations on each side of a :class:`~disclosure._analysis.diff.Diff`.

In English, fact names, values and rule ids are the ruleset's own, as an analyst writes
them; French and Dutch documents name them by the family's labels (:func:`names_for`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from disclosure._analysis.diff import (
    Diff,
    DiffSide,
    RuleDelta,
)
from disclosure._engines.symbolic import Conflict
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Annulment, Citation, Rule, Version, canonical_json
from disclosure._ir.text import LANGUAGES
from disclosure._render.labels import (
    CONNECTIVES,
    LONG_DEFECT,
    SHORT_OUTCOME,
    outcome_label,
)
from disclosure._render.labels import diff_label as _t
from disclosure._render.names import Names

__all__ = [
    "annulment_of",
    "basis_of",
    "citation_dict",
    "citation_shown",
    "condition_text",
    "conditions_text",
    "count_of",
    "delta_rule",
    "delta_what",
    "domains_of",
    "example_text",
    "fact_order",
    "field_name",
    "field_text",
    "headline_of",
    "law_as_of",
    "long_outcome",
    "name_kind",
    "names_for",
    "number_of",
    "ordered_conditions",
    "percent_of",
    "plain_of",
    "provision_rows",
    "provision_text",
    "readings_text",
    "region_ids",
    "rule_shown",
    "seconds_of",
    "short_outcome",
    "show_of",
    "shown_rules",
    "sorted_values",
    "span_of",
    "text_of",
    "totals_of",
    "version_name",
]


#: the fields of a rule or a version, as a French or Dutch diff names them
FIELD_NAMES: dict[str, dict[str, str]] = {
    "when": {"fr": "condition", "nl": "voorwaarde"},
    "conclusion": {"fr": "conclusion", "nl": "conclusie"},
    "overrides": {"fr": "écarte", "nl": "zet opzij"},
    "reading": {"fr": "lecture", "nl": "lezing"},
    "source": {"fr": "source", "nl": "bron"},
    "summary": {"fr": "résumé", "nl": "samenvatting"},
    "duty_bearer": {"fr": "débiteur", "nl": "plichtsdrager"},
    "addressees": {"fr": "destinataires", "nl": "bestemmelingen"},
    "sanctions": {"fr": "sanctions", "nl": "sancties"},
    "side_obligations": {"fr": "obligations accessoires", "nl": "bijkomende plichten"},
    "confidence": {"fr": "confiance", "nl": "betrouwbaarheid"},
    "note": {"fr": "note", "nl": "noot"},
    "title": {"fr": "intitulé", "nl": "titel"},
    "valid_from": {"fr": "en vigueur depuis", "nl": "van kracht vanaf"},
    "valid_until": {"fr": "en vigueur jusqu'au", "nl": "van kracht tot"},
    "known_from": {"fr": "connue depuis", "nl": "gekend sinds"},
    "confidence_note": {"fr": "note de confiance", "nl": "toelichting bij de betrouwbaarheid"},
    "aliases": {"fr": "alias", "nl": "aliassen"},
    "annulled": {"fr": "annulée", "nl": "vernietigd"},
}


def names_for(diff: Diff, lang: str) -> Names | None:
    """The names of the family's things in ``lang``; ``None`` in English, where a diff
    keeps the ruleset's ids."""
    return None if lang == "en" else Names(diff.b.family, lang, diff.b.version.id)


def field_name(name: str, lang: str) -> str:
    """A rule's or a version's field, named in ``lang`` (English: as the file spells it)."""
    return FIELD_NAMES.get(name, {}).get(lang, name)


def rule_shown(rule_id: str, names: Names | None) -> str:
    return names.rule(rule_id) if names is not None else rule_id


def citation_shown(citation: Citation, names: Names | None) -> str:
    return names.citation(citation) if names is not None else citation.label


def _value_shown(fact: str, value: Any, names: Names | None) -> str:
    return names.value(fact, value) if names is not None else show_of(value)


def show_of(value: Any) -> str:
    """A value as a ruleset file writes it (``true``, not ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "-"
    return str(value)


def sorted_values(values: Iterable[Any]) -> list[Any]:
    return sorted(values, key=lambda v: (type(v).__name__, str(v)))


def plain_of(value: Any) -> Any:
    return json.loads(canonical_json(value))


def number_of(n: int, lang: str) -> str:
    text = f"{n:,}"
    if lang == "fr":
        return text.replace(",", "\u202f")
    if lang == "nl":
        return text.replace(",", ".")
    return text


def percent_of(count: int, of: int, lang: str) -> str:
    if of <= 0:
        return "-"
    share = 100.0 * count / of
    text = "<0.01" if 0 < share < 0.005 else f"{share:.2f}"
    if lang in ("fr", "nl"):
        text = text.replace(".", ",")
    return f"{text}\u00a0%"


def _domain_order(diff: Diff, fact: str, values: Iterable[Any]) -> list[Any]:
    """Values in the vocabulary's order (as the analyst declared them)."""
    vocabulary = diff.a.family.vocabulary
    if fact in vocabulary:
        order = {v: i for i, v in enumerate(vocabulary[fact].values)}
        return sorted(values, key=lambda v: (order.get(v, len(order)), str(v)))
    return sorted_values(values)


def fact_order(diff: Diff, facts: Iterable[str]) -> list[str]:
    names = {name: i for i, name in enumerate(diff.a.family.vocabulary.names)}
    return sorted(facts, key=lambda f: (names.get(f, len(names)), f))


def name_kind(name: str) -> str:
    """The kind of an outcome name as :func:`disclosure._analysis.diff.terminal_name` writes it."""
    return "conflict" if name.startswith("conflict") else name


def short_outcome(name: str, lang: str) -> str:
    kind = name_kind(name)
    label = SHORT_OUTCOME.get(kind, {}).get(lang, name)
    if kind == "conflict" and "(" in name:
        return f"{label} {name[name.index('(') :]}"
    return label


def long_outcome(name: str, lang: str) -> str:
    kind = name_kind(name)
    if kind in LONG_DEFECT:
        return LONG_DEFECT[kind][lang]
    try:
        return outcome_label(Outcome(kind), lang)
    except ValueError:
        return name


def conditions_text(
    conditions: Mapping[str, Iterable[Any]],
    lang: str = "en",
    *,
    domains: Mapping[str, Sequence[Any]] | None = None,
    separator: str = "; ",
    names: Names | None = None,
) -> str:
    """A region's conditions as one line, e.g. ``authority is procureur_du_roi;
    information is one of administrative, other``.

    With ``domains`` (fact -> every value, in order), values follow the domain's order,
    and a fact allowed all its values but one or a few is written by what it excludes
    (``information is not medical``), when that is shorter.

    >>> conditions_text({"authority": ["procureur_du_roi"],
    ...                  "information": ["other", "administrative"]})
    'authority is procureur_du_roi; information is one of administrative, other'
    >>> conditions_text({"danger": [True]}, "fr")
    'danger est true'
    """
    parts = []
    for fact, raw in conditions.items():
        values = list(raw)
        domain = list(domains[fact]) if domains and fact in domains else None
        if domain is not None:
            values = [v for v in domain if v in values] + [v for v in values if v not in domain]
            excluded = [v for v in domain if v not in values]
            if excluded and len(excluded) < len(values) and len(values) > 1:
                word = "is_not" if len(excluded) == 1 else "none_of"
                shown = ", ".join(_value_shown(fact, v, names) for v in excluded)
                parts.append(f"{_fact_shown(fact, names)} {CONNECTIVES[word][lang]} {shown}")
                continue
        else:
            values = sorted_values(values)
        word = "is" if len(values) == 1 else "one_of"
        shown = ", ".join(_value_shown(fact, v, names) for v in values)
        parts.append(f"{_fact_shown(fact, names)} {CONNECTIVES[word][lang]} {shown}")
    return separator.join(parts) if parts else _t("everywhere", lang)


def _fact_shown(fact: str, names: Names | None) -> str:
    return names.fact(fact) if names is not None else fact


def condition_text(condition: Any, lang: str = "en", names: Names | None = None) -> str:
    """A rule condition, in its canonical JSON form (``{"all": [...]}``, ``{"any":
    [...]}``, ``{"not": ...}``, ``{"fact": ..., "in": [...]}``), as one readable line."""
    words = {key: value[lang] for key, value in CONNECTIVES.items()}

    def walk(node: Any, nested: bool) -> str:
        if not isinstance(node, Mapping):
            return show_of(node)
        if "fact" in node:
            fact = node["fact"]
            values = [_value_shown(fact, v, names) for v in node.get("in", ())]
            if len(values) == 1:
                return f"{_fact_shown(fact, names)} {words['is']} {values[0]}"
            if not values:
                return words["never"]
            return f"{_fact_shown(fact, names)} {words['one_of']} {', '.join(values)}"
        if "not" in node:
            return f"{words['not']} ({walk(node['not'], False)})"
        for key, empty in (("all", "always"), ("any", "never")):
            if key in node:
                items = [walk(item, True) for item in node[key]]
                if not items:
                    return words[empty]
                if len(items) == 1:
                    return items[0]
                text = f" {words['and' if key == 'all' else 'or']} ".join(items)
                return f"({text})" if nested else text
        return json.dumps(node, ensure_ascii=False, sort_keys=True)

    return walk(condition, False)


def _rule(version: Version, rule_id: str) -> Rule | None:
    for rule in version.rules:
        if rule.id == rule_id:
            return rule
    return None


def delta_rule(diff: Diff, delta: RuleDelta) -> Rule | None:
    """The rule a delta is about: as it is on side b, else as it was on side a."""
    return _rule(diff.b.version, delta.rule) or _rule(diff.a.version, delta.rule)


def annulment_of(diff: Diff, delta: RuleDelta) -> Annulment | None:
    """For an ``annulled`` delta: the annulment that removes the rule on the side where it
    is removed."""
    if delta.kind != "annulled":
        return None
    side = diff.b if delta.rule in diff.b.annulled else diff.a
    found = [a for a in side.family.annulments if a.rule == delta.rule]
    if side.known_on is not None:
        known = [a for a in found if a.decided_on <= side.known_on]
        found = known or found
    return found[0] if found else None


def citation_dict(citation: Citation) -> dict[str, Any]:
    return {**plain_of(citation), "label": citation.label}


def shown_rules(outcome: Any, winners: Sequence[str]) -> Sequence[str]:
    """The rules to show for a side's outcome: the winners, or for a conflict (which has
    no winner) the rules in conflict."""
    if not winners and isinstance(outcome, Conflict):
        return outcome.rules
    return winners


def basis_of(side: DiffSide, winners: Sequence[str]) -> list[tuple[str, Citation | None, Any]]:
    """(rule id, its citation, its summary) for each rule an outcome rests on."""
    found = []
    for rule_id in winners:
        rule = _rule(side.version, rule_id)
        found.append((rule_id, rule.source if rule else None, rule.summary if rule else None))
    return found


def text_of(value: Any, lang: str) -> str:
    """A canonical value for display: a three-language text in ``lang``, a list joined."""
    if isinstance(value, Mapping) and set(value) == set(LANGUAGES):
        return str(value[lang])
    if isinstance(value, list):
        return ", ".join(text_of(v, lang) for v in value) if value else "-"
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return show_of(value)


def field_text(name: str, value: Any, lang: str, names: Names | None = None) -> str:
    """A rule or version field's canonical value, readable (with ``names``: the family's
    things by their labels)."""
    if value is None:
        return "-"
    if name == "when":
        return condition_text(value, lang, names)
    if name == "conclusion":
        return short_outcome(str(value), lang)
    if name == "reading" and isinstance(value, Mapping):
        point = str(value.get("point"))
        found = [str(r) for r in value.get("readings", ())]
        if names is not None:
            return f"{names.point(point)}: {', '.join(names.reading(point, r) for r in found)}"
        return f"{point}: {', '.join(found)}"
    if name == "source" and isinstance(value, Mapping):
        act = str(value.get("act"))
        label = f"{names.act(act) if names is not None else act}, art. {value.get('article')}"
        if value.get("paragraph"):
            label += f" {value['paragraph']}"
        return f"{label} ({value.get('date')})"
    if names is not None and isinstance(value, list) and name in _LIST_FIELDS:
        return ", ".join(_item_shown(name, str(v), names) for v in value) if value else "-"
    if names is not None and name == "duty_bearer":
        return names.duty_bearer(str(value))
    if names is not None and name == "confidence":
        return names.confidence(str(value))
    return text_of(value, lang)


_LIST_FIELDS = ("overrides", "sanctions", "side_obligations", "addressees")


def _item_shown(field: str, item: str, names: Names) -> str:
    """An item of a list field (a rule, sanction, side obligation or authority), named."""
    if field == "overrides":
        return names.rule(item)
    if field == "sanctions":
        return names.sanction(item)
    if field == "side_obligations":
        return names.side_obligation(item)
    return names.value("authority", item)


def readings_text(side: DiffSide, lang: str, names: Names | None = None) -> str:
    """The readings that are not the default ones (or "default readings")."""
    defaults = {point.id: point.default for point in side.family.contested}
    chosen = [
        f"{point}={reading}"
        if names is None
        else f"{names.point(point)}: {names.reading(point, reading)}"
        for point, reading in sorted(side.readings.items())
        if defaults.get(point) != reading
    ]
    return ", ".join(chosen) if chosen else _t("default_readings", lang)


def law_as_of(side: DiffSide, lang: str) -> str:
    if side.known_on is None:
        return _t("as_enacted", lang)
    return f"{_t('as_known_on', lang)} {side.known_on.isoformat()}"


def span_of(version: Version, lang: str) -> str:
    until = version.valid_until.isoformat() if version.valid_until else _t("open", lang)
    return f"{version.valid_from.isoformat()} .. {until}"


def version_name(version: Version) -> str:
    return f"{version.id} ({', '.join(version.aliases)})" if version.aliases else version.id


def provision_rows(diff: Diff) -> list[dict[str, Any]]:
    rows = []
    for key, (before, after) in diff.provisions.items():
        kind, _, pid = key.partition(".")
        change = "added" if before is None else "removed" if after is None else "changed"
        rows.append(
            {
                "kind": "sanction" if kind == "sanctions" else "side_obligation",
                "id": pid,
                "change": change,
                "a": before,
                "b": after,
            }
        )
    return rows


def totals_of(diff: Diff) -> list[tuple[str, str, int]]:
    return sorted(((a, b, n) for (a, b), n in diff.totals.items()), key=lambda t: (-t[2], t[:2]))


def region_ids(diff: Diff) -> list[str]:
    return [f"R{i}" for i in range(1, len(diff.regions) + 1)]


def domains_of(diff: Diff) -> dict[str, tuple[Any, ...]]:
    return dict(diff.a.family.vocabulary.domains)


def ordered_conditions(diff: Diff, conditions: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        fact: _domain_order(diff, fact, conditions[fact]) for fact in fact_order(diff, conditions)
    }


def example_text(
    diff: Diff, example: Mapping[str, Any], separator: str = ", ", names: Names | None = None
) -> str:
    if names is not None:
        return separator.join(
            f"{names.fact(fact)}: {names.value(fact, example[fact])}"
            for fact in fact_order(diff, example)
        )
    return separator.join(f"{fact}={show_of(example[fact])}" for fact in fact_order(diff, example))


def count_of(n: int, one: str, many: str, lang: str) -> str:
    """``1 region``, ``6 regions``: a number and its noun."""
    return f"{number_of(n, lang)} {_t(one if n == 1 else many, lang)}"


def headline_of(diff: Diff, lang: str) -> str:
    if not diff.changed:
        return _t("no_change", lang).format(compared=number_of(diff.compared, lang))
    return _t("summary", lang).format(
        changed=number_of(diff.changed, lang),
        compared=number_of(diff.compared, lang),
        share=percent_of(diff.changed, diff.compared, lang),
        regions=count_of(len(diff.regions), "region", "region_plural", lang),
    )


def seconds_of(diff: Diff, lang: str) -> str:
    text = f"{diff.seconds:.3f}"
    return _t("seconds", lang).format(s=text.replace(".", ",") if lang != "en" else text)


def delta_what(diff: Diff, delta: RuleDelta, lang: str, names: Names | None = None) -> str:
    """What a rule delta is, in one line."""
    rule = delta_rule(diff, delta)
    if delta.kind in ("added", "removed"):
        return rule.summary[lang] if rule else ""
    if delta.kind == "renamed":
        before = rule_shown(delta.before_id or "", names)
        return f"{_t('was', lang)} {before} ({_t('meaning_same', lang)})"
    if delta.kind == "annulled":
        side = "b" if delta.rule in diff.b.annulled else "a"
        annulment = annulment_of(diff, delta)
        text = f"{_t('annulled_on', lang)} {side}"
        if annulment is not None:
            cited = citation_shown(annulment.source, names)
            text += f": {cited} ({annulment.decided_on.isoformat()})"
        return text
    fields = ", ".join(field_name(name, lang) for name in delta.fields)
    if delta.kind == "reworded":
        return f"{fields} ({_t('meaning_same', lang)})"
    parts = []
    for name, (before, after) in delta.fields.items():
        if name in ("note", "summary"):
            parts.append(field_name(name, lang))
        else:
            parts.append(
                f"{field_name(name, lang)}: {field_text(name, before, lang, names)} → "
                f"{field_text(name, after, lang, names)}"
            )
    return "; ".join(parts)


def provision_text(
    row: Mapping[str, Any], lang: str, names: Names | None
) -> tuple[str | None, str]:
    """A row of :func:`provision_rows` as its name (``None`` without names: show the id)
    and its summary in ``lang``, from the side that has it (b first)."""
    present = row["b"] if row["b"] is not None else row["a"]
    summary = text_of(present.get("summary"), lang) if isinstance(present, Mapping) else ""
    if names is None:
        return None, summary
    named = names.sanction if row["kind"] == "sanction" else names.side_obligation
    return named(row["id"]), summary
