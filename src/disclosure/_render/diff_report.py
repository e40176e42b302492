"""A :class:`~disclosure._analysis.diff.Diff` as data and as documents.

* :func:`diff_to_dict`: the JSON layout ``disclosure.diff/1`` (documented in
  ``docs/reference/diff-json.md``, checked by ``disclosure/schema/diff.schema.json``);
* :func:`diff_to_text`: plain text for a terminal;
* :func:`diff_to_markdown`: headings and tables to paste in a review;
* :func:`diff_to_html`: a self-contained HTML page for analysts. It loads nothing from
  the network (inline CSS, no script, no font, no image but the inline timeline SVG; a
  Content-Security-Policy says so to the browser) and escapes every text it shows.
  Official URLs of citations appear only as link targets.

Texts are in French, Dutch or English (``lang``); fact names, values and rule ids are
the ruleset's own, as an analyst writes them.
"""

from __future__ import annotations

import html
import json
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from disclosure._analysis.diff import (
    DIFF_SCHEMA,
    Diff,
    DiffRegion,
    DiffSide,
    RuleDelta,
    terminal_name,
)
from disclosure._engines.symbolic import Conflict
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Annulment, Citation, Rule, Version, canonical_json
from disclosure._ir.text import LANGUAGES
from disclosure._render.decision import outcome_label
from disclosure._version import __version__
from disclosure.errors import DisclosureError

__all__ = [
    "condition_text",
    "conditions_text",
    "diff_to_dict",
    "diff_to_html",
    "diff_to_markdown",
    "diff_to_text",
]

# -- labels --------------------------------------------------------------------------------

_LABELS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Difference between two versions of the law",
        "fr": "Différence entre deux versions du droit",
        "nl": "Verschil tussen twee versies van het recht",
    },
    "versions": {"en": "Versions", "fr": "Versions", "nl": "Versies"},
    "side": {"en": "side", "fr": "côté", "nl": "kant"},
    "version": {"en": "version", "fr": "version", "nl": "versie"},
    "aliases": {"en": "aliases", "fr": "alias", "nl": "aliassen"},
    "version_title": {"en": "title", "fr": "intitulé", "nl": "titel"},
    "governs": {"en": "governs", "fr": "en vigueur", "nl": "van kracht"},
    "known_from": {"en": "known from", "fr": "connue depuis", "nl": "gekend sinds"},
    "law_as": {"en": "law taken", "fr": "droit pris", "nl": "recht genomen"},
    "as_enacted": {"en": "as enacted", "fr": "tel qu'adopté", "nl": "zoals aangenomen"},
    "as_known_on": {"en": "as known on", "fr": "tel que connu le", "nl": "zoals gekend op"},
    "confidence": {"en": "confidence", "fr": "confiance", "nl": "betrouwbaarheid"},
    "readings": {"en": "readings", "fr": "lectures", "nl": "lezingen"},
    "default_readings": {
        "en": "default readings",
        "fr": "lectures par défaut",
        "nl": "standaardlezingen",
    },
    "not_default": {
        "en": "not the default",
        "fr": "pas la lecture par défaut",
        "nl": "niet standaard",
    },
    "annulled_rules": {"en": "annulled rules", "fr": "règles annulées", "nl": "vernietigde regels"},
    "content_hash": {"en": "content hash", "fr": "empreinte", "nl": "inhoudshash"},
    "open": {"en": "open", "fr": "sans fin", "nl": "open"},
    "none": {"en": "none", "fr": "aucune", "nl": "geen"},
    "summary": {
        "en": "{changed} of {compared} possible situations ({share}) change outcome, in {regions}.",
        "fr": "{changed} des {compared} situations possibles ({share}) changent d'issue, "
        "en {regions}.",
        "nl": "{changed} van de {compared} mogelijke situaties ({share}) veranderen van "
        "uitkomst, in {regions}.",
    },
    "no_change": {
        "en": "No possible situation changes outcome ({compared} compared).",
        "fr": "Aucune situation possible ne change d'issue ({compared} comparées).",
        "nl": "Geen enkele mogelijke situatie verandert van uitkomst ({compared} vergeleken).",
    },
    "restricted": {
        "en": "Only situations where",
        "fr": "Seulement les situations où",
        "nl": "Alleen situaties waarin",
    },
    "seconds": {"en": "computed in {s} s", "fr": "calculé en {s} s", "nl": "berekend in {s} s"},
    "totals": {
        "en": "Changed outcomes",
        "fr": "Issues qui changent",
        "nl": "Gewijzigde uitkomsten",
    },
    "situations": {"en": "situations", "fr": "situations", "nl": "situaties"},
    "share": {"en": "of compared", "fr": "des comparées", "nl": "van vergeleken"},
    "total": {"en": "total", "fr": "total", "nl": "totaal"},
    "regions": {"en": "Regions", "fr": "Régions", "nl": "Gebieden"},
    "regions_note": {
        "en": "Each region is a set of situations, described by conditions (a fact not named "
        "may have any value), where the two versions answer differently. Together the "
        "regions cover exactly the situations that change; regions of one pair may overlap.",
        "fr": "Chaque région est un ensemble de situations, décrit par des conditions (un fait "
        "non nommé peut prendre toute valeur), où les deux versions répondent différemment. "
        "Ensemble, les régions couvrent exactement les situations qui changent; celles d'une "
        "même paire peuvent se recouvrir.",
        "nl": "Elk gebied is een verzameling situaties, beschreven door voorwaarden (een niet "
        "genoemd feit mag elke waarde hebben), waarin de twee versies verschillend antwoorden. "
        "Samen dekken de gebieden precies de situaties die veranderen; gebieden van één paar "
        "kunnen overlappen.",
    },
    "region": {"en": "region", "fr": "région", "nl": "gebied"},
    "region_plural": {"en": "regions", "fr": "régions", "nl": "gebieden"},
    "situation": {"en": "situation", "fr": "situation", "nl": "situatie"},
    "conditions": {"en": "conditions", "fr": "conditions", "nl": "voorwaarden"},
    "size": {"en": "situations", "fr": "situations", "nl": "situaties"},
    "example": {"en": "example", "fr": "exemple", "nl": "voorbeeld"},
    "when": {"en": "when", "fr": "quand", "nl": "wanneer"},
    "everywhere": {"en": "every situation", "fr": "toute situation", "nl": "elke situatie"},
    "basis": {"en": "basis", "fr": "base", "nl": "grondslag"},
    "no_rule": {"en": "no rule wins", "fr": "aucune règle ne l'emporte", "nl": "geen regel wint"},
    "structure": {
        "en": "Changes to the rules",
        "fr": "Changements des règles",
        "nl": "Wijzigingen van de regels",
    },
    "no_rule_change": {
        "en": "No rule changed.",
        "fr": "Aucune règle n'a changé.",
        "nl": "Geen regel gewijzigd.",
    },
    "metadata": {
        "en": "Version metadata",
        "fr": "Métadonnées de la version",
        "nl": "Metagegevens van de versie",
    },
    "provisions": {
        "en": "Sanctions and side obligations",
        "fr": "Sanctions et obligations accessoires",
        "nl": "Sancties en bijkomende plichten",
    },
    "field": {"en": "field", "fr": "champ", "nl": "veld"},
    "change": {"en": "change", "fr": "changement", "nl": "wijziging"},
    "rule": {"en": "rule", "fr": "règle", "nl": "regel"},
    "citation": {"en": "citation", "fr": "citation", "nl": "bron"},
    "what": {"en": "what", "fr": "quoi", "nl": "wat"},
    "meaning_same": {
        "en": "same meaning",
        "fr": "même sens",
        "nl": "zelfde betekenis",
    },
    "meaning_changed": {
        "en": "changes what the rule decides",
        "fr": "change ce que la règle décide",
        "nl": "verandert wat de regel beslist",
    },
    "was": {"en": "was", "fr": "auparavant", "nl": "voorheen"},
    "annulled_on": {"en": "annulled on side", "fr": "annulée du côté", "nl": "vernietigd aan kant"},
    "decided_on": {"en": "decided on", "fr": "décidé le", "nl": "beslist op"},
    "timeline": {"en": "Timeline", "fr": "Chronologie", "nl": "Tijdlijn"},
    "timeline_caption": {
        "en": "The two versions on the timeline of the rule family (not to scale).",
        "fr": "Les deux versions sur la chronologie de la famille de règles (pas à l'échelle).",
        "nl": "De twee versies op de tijdlijn van de regelfamilie (niet op schaal).",
    },
    "generated": {
        "en": "Generated by disclosure {v} (layout {schema}). Not legal advice.",
        "fr": "Produit par disclosure {v} (format {schema}). Ceci n'est pas un avis juridique.",
        "nl": "Gemaakt door disclosure {v} (formaat {schema}). Geen juridisch advies.",
    },
    "sanction": {"en": "sanction", "fr": "sanction", "nl": "sanctie"},
    "side_obligation": {
        "en": "side obligation",
        "fr": "obligation accessoire",
        "nl": "bijkomende plicht",
    },
    "added": {"en": "added", "fr": "ajoutée", "nl": "toegevoegd"},
    "removed": {"en": "removed", "fr": "supprimée", "nl": "verwijderd"},
    "changed": {"en": "changed", "fr": "modifiée", "nl": "gewijzigd"},
    "renamed": {"en": "renamed", "fr": "renommée", "nl": "hernoemd"},
    "reworded": {"en": "reworded", "fr": "reformulée", "nl": "herschreven"},
    "annulled": {"en": "annulled", "fr": "annulée", "nl": "vernietigd"},
}

_CONNECTIVES: dict[str, dict[str, str]] = {
    "is": {"en": "is", "fr": "est", "nl": "is"},
    "one_of": {"en": "is one of", "fr": "est l'un de", "nl": "is een van"},
    "is_not": {"en": "is not", "fr": "n'est pas", "nl": "is niet"},
    "none_of": {"en": "is none of", "fr": "n'est aucun de", "nl": "is geen van"},
    "and": {"en": "and", "fr": "et", "nl": "en"},
    "or": {"en": "or", "fr": "ou", "nl": "of"},
    "not": {"en": "not", "fr": "non", "nl": "niet"},
    "always": {"en": "always", "fr": "toujours", "nl": "altijd"},
    "never": {"en": "never", "fr": "jamais", "nl": "nooit"},
}

_SHORT_OUTCOME: dict[str, dict[str, str]] = {
    "obliged": {"en": "obliged", "fr": "obligé", "nl": "verplicht"},
    "permitted": {"en": "permitted", "fr": "autorisé", "nl": "toegelaten"},
    "forbidden": {"en": "forbidden", "fr": "interdit", "nl": "verboden"},
    "not_applicable": {"en": "not applicable", "fr": "non applicable", "nl": "niet van toepassing"},
    "gap": {"en": "gap (no rule)", "fr": "lacune (aucune règle)", "nl": "leemte (geen regel)"},
    "conflict": {"en": "conflict", "fr": "conflit", "nl": "conflict"},
}

_LONG_DEFECT: dict[str, dict[str, str]] = {
    "gap": {
        "en": "GAP: no rule applies (a defect of the ruleset)",
        "fr": "LACUNE : aucune règle ne s'applique (un défaut du jeu de règles)",
        "nl": "LEEMTE: geen enkele regel is van toepassing (een gebrek van de regelset)",
    },
    "conflict": {
        "en": "CONFLICT between rules (a defect of the ruleset)",
        "fr": "CONFLIT entre règles (un défaut du jeu de règles)",
        "nl": "CONFLICT tussen regels (een gebrek van de regelset)",
    },
}

_KIND_MARK = {
    "added": "+",
    "removed": "-",
    "changed": "~",
    "renamed": ">",
    "reworded": "=",
    "annulled": "x",
}


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise DisclosureError(f"unknown language {lang!r}; expected one of fr, nl, en")


def _t(key: str, lang: str) -> str:
    return _LABELS[key][lang]


# -- values --------------------------------------------------------------------------------


def _show(value: Any) -> str:
    """A value as a ruleset file writes it (``true``, not ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "-"
    return str(value)


def _sorted_values(values: Iterable[Any]) -> list[Any]:
    return sorted(values, key=lambda v: (type(v).__name__, str(v)))


def _plain(value: Any) -> Any:
    return json.loads(canonical_json(value))


def _number(n: int, lang: str) -> str:
    text = f"{n:,}"
    if lang == "fr":
        return text.replace(",", "\u202f")
    if lang == "nl":
        return text.replace(",", ".")
    return text


def _percent(count: int, of: int, lang: str) -> str:
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
    return _sorted_values(values)


def _fact_order(diff: Diff, facts: Iterable[str]) -> list[str]:
    names = {name: i for i, name in enumerate(diff.a.family.vocabulary.names)}
    return sorted(facts, key=lambda f: (names.get(f, len(names)), f))


def _name_kind(name: str) -> str:
    """The kind of an outcome name as :func:`disclosure._analysis.diff.terminal_name` writes it."""
    return "conflict" if name.startswith("conflict") else name


def _short_outcome(name: str, lang: str) -> str:
    kind = _name_kind(name)
    label = _SHORT_OUTCOME.get(kind, {}).get(lang, name)
    if kind == "conflict" and "(" in name:
        return f"{label} {name[name.index('(') :]}"
    return label


def _long_outcome(name: str, lang: str) -> str:
    kind = _name_kind(name)
    if kind in _LONG_DEFECT:
        return _LONG_DEFECT[kind][lang]
    try:
        return outcome_label(Outcome(kind), lang)
    except ValueError:
        return name


# -- conditions ----------------------------------------------------------------------------


def conditions_text(
    conditions: Mapping[str, Iterable[Any]],
    lang: str = "en",
    *,
    domains: Mapping[str, Sequence[Any]] | None = None,
    separator: str = "; ",
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
                shown = ", ".join(_show(v) for v in excluded)
                parts.append(f"{fact} {_CONNECTIVES[word][lang]} {shown}")
                continue
        else:
            values = _sorted_values(values)
        word = "is" if len(values) == 1 else "one_of"
        parts.append(f"{fact} {_CONNECTIVES[word][lang]} {', '.join(_show(v) for v in values)}")
    return separator.join(parts) if parts else _t("everywhere", lang)


def condition_text(condition: Any, lang: str = "en") -> str:
    """A rule condition, in its canonical JSON form (``{"all": [...]}``, ``{"any":
    [...]}``, ``{"not": ...}``, ``{"fact": ..., "in": [...]}``), as one readable line."""
    words = {key: value[lang] for key, value in _CONNECTIVES.items()}

    def walk(node: Any, nested: bool) -> str:
        if not isinstance(node, Mapping):
            return _show(node)
        if "fact" in node:
            values = list(node.get("in", ()))
            if len(values) == 1:
                return f"{node['fact']} {words['is']} {_show(values[0])}"
            if not values:
                return words["never"]
            return f"{node['fact']} {words['one_of']} {', '.join(_show(v) for v in values)}"
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


# -- looking up the sides ------------------------------------------------------------------


def _rule(version: Version, rule_id: str) -> Rule | None:
    for rule in version.rules:
        if rule.id == rule_id:
            return rule
    return None


def _delta_rule(diff: Diff, delta: RuleDelta) -> Rule | None:
    """The rule a delta is about: as it is on side b, else as it was on side a."""
    return _rule(diff.b.version, delta.rule) or _rule(diff.a.version, delta.rule)


def _annulment(diff: Diff, delta: RuleDelta) -> Annulment | None:
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


def _citation_dict(citation: Citation) -> dict[str, Any]:
    return {**_plain(citation), "label": citation.label}


def _shown_rules(outcome: Any, winners: Sequence[str]) -> Sequence[str]:
    """The rules to show for a side's outcome: the winners, or for a conflict (which has
    no winner) the rules in conflict."""
    if not winners and isinstance(outcome, Conflict):
        return outcome.rules
    return winners


def _basis(side: DiffSide, winners: Sequence[str]) -> list[tuple[str, Citation | None, Any]]:
    """(rule id, its citation, its summary) for each rule an outcome rests on."""
    found = []
    for rule_id in winners:
        rule = _rule(side.version, rule_id)
        found.append((rule_id, rule.source if rule else None, rule.summary if rule else None))
    return found


def _text_of(value: Any, lang: str) -> str:
    """A canonical value for display: a three-language text in ``lang``, a list joined."""
    if isinstance(value, Mapping) and set(value) == set(LANGUAGES):
        return str(value[lang])
    if isinstance(value, list):
        return ", ".join(_text_of(v, lang) for v in value) if value else "-"
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return _show(value)


def _field_text(name: str, value: Any, lang: str) -> str:
    """A rule or version field's canonical value, readable."""
    if value is None:
        return "-"
    if name == "when":
        return condition_text(value, lang)
    if name == "conclusion":
        return _short_outcome(str(value), lang)
    if name == "reading" and isinstance(value, Mapping):
        readings = ", ".join(str(r) for r in value.get("readings", ()))
        return f"{value.get('point')}: {readings}"
    if name == "source" and isinstance(value, Mapping):
        label = f"{value.get('act')}, art. {value.get('article')}"
        if value.get("paragraph"):
            label += f" {value['paragraph']}"
        return f"{label} ({value.get('date')})"
    return _text_of(value, lang)


def _readings_text(side: DiffSide, lang: str) -> str:
    """The readings that are not the default ones (or "default readings")."""
    defaults = {point.id: point.default for point in side.family.contested}
    chosen = [
        f"{point}={reading}"
        for point, reading in sorted(side.readings.items())
        if defaults.get(point) != reading
    ]
    return ", ".join(chosen) if chosen else _t("default_readings", lang)


def _law_as(side: DiffSide, lang: str) -> str:
    if side.known_on is None:
        return _t("as_enacted", lang)
    return f"{_t('as_known_on', lang)} {side.known_on.isoformat()}"


def _span(version: Version, lang: str) -> str:
    until = version.valid_until.isoformat() if version.valid_until else _t("open", lang)
    return f"{version.valid_from.isoformat()} .. {until}"


def _version_name(version: Version) -> str:
    return f"{version.id} ({', '.join(version.aliases)})" if version.aliases else version.id


def _provision_rows(diff: Diff) -> list[dict[str, Any]]:
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


def _totals(diff: Diff) -> list[tuple[str, str, int]]:
    return sorted(((a, b, n) for (a, b), n in diff.totals.items()), key=lambda t: (-t[2], t[:2]))


def _region_ids(diff: Diff) -> list[str]:
    return [f"R{i}" for i in range(1, len(diff.regions) + 1)]


# -- JSON ----------------------------------------------------------------------------------


def _side_dict(side: DiffSide) -> dict[str, Any]:
    version = side.version
    return {
        "label": side.label,
        "family": side.family.id,
        "version": version.id,
        "aliases": list(version.aliases),
        "title": version.title.as_dict(),
        "valid_from": version.valid_from.isoformat(),
        "valid_until": version.valid_until.isoformat() if version.valid_until else None,
        "known_from": (version.known_from or version.valid_from).isoformat(),
        "known_on": side.known_on.isoformat() if side.known_on else None,
        "as_enacted": side.known_on is None,
        "confidence": version.confidence,
        "readings": dict(sorted(side.readings.items())),
        "annulled": list(side.annulled),
        "content_sha256": side.content_hash,
    }


def _region_side(side: DiffSide, outcome: Any, winners: Sequence[str]) -> dict[str, Any]:
    return {
        "outcome": terminal_name(outcome),
        "winners": list(winners),
        "basis": [
            _citation_dict(citation) if citation else None
            for _, citation, _ in _basis(side, winners)
        ],
    }


def _region_dict(diff: Diff, region: DiffRegion, region_id: str) -> dict[str, Any]:
    return {
        "id": region_id,
        "conditions": {
            fact: _plain(_sorted_values(region.conditions[fact]))
            for fact in _fact_order(diff, region.conditions)
        },
        "size": region.size,
        "example": {
            fact: _plain(region.example[fact]) for fact in _fact_order(diff, region.example)
        },
        "a": _region_side(diff.a, region.outcome_a, region.basis_a),
        "b": _region_side(diff.b, region.outcome_b, region.basis_b),
    }


def _delta_dict(diff: Diff, delta: RuleDelta) -> dict[str, Any]:
    rule = _delta_rule(diff, delta)
    annulment = _annulment(diff, delta)
    return {
        "rule": delta.rule,
        "kind": delta.kind,
        "meaning_changed": delta.meaning_changed,
        "before_id": delta.before_id,
        "summary": rule.summary.as_dict() if rule else None,
        "citation": _citation_dict(rule.source) if rule else None,
        "fields": [{"field": name, "a": a, "b": b} for name, (a, b) in delta.fields.items()],
        "annulment": (
            {
                "decided_on": annulment.decided_on.isoformat(),
                "retroactive": annulment.retroactive,
                "citation": _citation_dict(annulment.source),
                "summary": annulment.summary.as_dict() if annulment.summary else None,
            }
            if annulment
            else None
        ),
    }


def diff_to_dict(diff: Diff) -> dict[str, Any]:
    """The diff as a JSON-ready dict, layout ``disclosure.diff/1``.

    Values of facts are JSON values (``true``/``false`` for booleans); a region's
    ``conditions`` map each constrained fact to its allowed values as a sorted list.
    """
    ids = _region_ids(diff)
    return {
        "schema": DIFF_SCHEMA,
        "library_version": __version__,
        "sides": {"a": _side_dict(diff.a), "b": _side_dict(diff.b)},
        "where": {
            fact: _plain(_sorted_values(diff.where[fact])) for fact in _fact_order(diff, diff.where)
        },
        "compared": diff.compared,
        "changed": diff.changed,
        "totals": [{"a": a, "b": b, "count": n} for a, b, n in _totals(diff)],
        "regions": [
            _region_dict(diff, region, rid) for region, rid in zip(diff.regions, ids, strict=True)
        ],
        "rules": [_delta_dict(diff, delta) for delta in diff.rules],
        "metadata": [{"field": name, "a": a, "b": b} for name, (a, b) in diff.metadata.items()],
        "provisions": _provision_rows(diff),
        "seconds": round(diff.seconds, 6),
    }


# -- text ----------------------------------------------------------------------------------

_WIDTH = 100


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=_WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent if first is None else first]


def _domains(diff: Diff) -> dict[str, tuple[Any, ...]]:
    return dict(diff.a.family.vocabulary.domains)


def _ordered_conditions(diff: Diff, conditions: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        fact: _domain_order(diff, fact, conditions[fact]) for fact in _fact_order(diff, conditions)
    }


def _example_text(diff: Diff, example: Mapping[str, Any], separator: str = ", ") -> str:
    return separator.join(f"{fact}={_show(example[fact])}" for fact in _fact_order(diff, example))


def _count(n: int, one: str, many: str, lang: str) -> str:
    """``1 region``, ``6 regions``: a number and its noun."""
    return f"{_number(n, lang)} {_t(one if n == 1 else many, lang)}"


def _headline(diff: Diff, lang: str) -> str:
    if not diff.changed:
        return _t("no_change", lang).format(compared=_number(diff.compared, lang))
    return _t("summary", lang).format(
        changed=_number(diff.changed, lang),
        compared=_number(diff.compared, lang),
        share=_percent(diff.changed, diff.compared, lang),
        regions=_count(len(diff.regions), "region", "region_plural", lang),
    )


def _seconds(diff: Diff, lang: str) -> str:
    text = f"{diff.seconds:.3f}"
    return _t("seconds", lang).format(s=text.replace(".", ",") if lang != "en" else text)


def _side_line(name: str, side: DiffSide, lang: str) -> list[str]:
    version = side.version
    lines = _wrap(
        f"{side.label}: {_version_name(version)}, {_span(version, lang)}, {_law_as(side, lang)}",
        "   ",
        f"{name}  ",
    )
    details = [
        f"{_t('known_from', lang)} {(version.known_from or version.valid_from).isoformat()}",
        f"{_t('confidence', lang)} {version.confidence}",
        _readings_text(side, lang),
        f"sha256:{side.content_hash[:12]}",
    ]
    if side.annulled:
        details.append(f"{_t('annulled_rules', lang)}: {', '.join(side.annulled)}")
    lines += _wrap("; ".join(details), "   ")
    return lines


def _delta_lines(diff: Diff, delta: RuleDelta, lang: str) -> list[str]:
    rule = _delta_rule(diff, delta)
    head = f"{_KIND_MARK[delta.kind]} {delta.rule}  [{_t(delta.kind, lang)}]"
    if rule is not None:
        head += f"  {rule.source.label}"
    lines = [f"  {head}"]
    if rule is not None and delta.kind in ("added", "removed"):
        lines += _wrap(rule.summary[lang], "      ")
    if delta.kind == "renamed" and delta.before_id:
        lines.append(f"      {_t('was', lang)}: {delta.before_id} ({_t('meaning_same', lang)})")
    if delta.kind == "reworded":
        lines.append(f"      ({_t('meaning_same', lang)})")
    annulment = _annulment(diff, delta)
    if delta.kind == "annulled":
        side = "b" if delta.rule in diff.b.annulled else "a"
        text = f"{_t('annulled_on', lang)} {side}"
        if annulment is not None:
            text += (
                f": {annulment.source.label}, {_t('decided_on', lang)} "
                f"{annulment.decided_on.isoformat()}"
            )
        lines += _wrap(text, "      ")
        return lines
    for name, (before, after) in delta.fields.items():
        lines.append(f"      {name}")
        lines += _wrap(_field_text(name, before, lang), "           ", "        a: ")
        lines += _wrap(_field_text(name, after, lang), "           ", "        b: ")
    return lines


def diff_to_text(diff: Diff, lang: str = "en") -> str:
    """The diff as plain text for a terminal: the sides, the totals, every region (its
    conditions, size, an example, each side's outcome and basis) and the structural
    changes."""
    _check_lang(lang)
    domains = _domains(diff)
    lines = [f"{_t('title', lang)}: {diff.a.label} -> {diff.b.label}"]
    lines += _side_line("a", diff.a, lang)
    lines += _side_line("b", diff.b, lang)
    lines.append("")
    if diff.where:
        where = conditions_text(_ordered_conditions(diff, diff.where), lang, domains=None)
        lines += _wrap(f"{_t('restricted', lang)} {where}.", "")
    lines += _wrap(_headline(diff, lang), "")
    lines.append(f"({_seconds(diff, lang)})")
    if diff.totals:
        lines += ["", f"{_t('totals', lang)}:"]
        pairs = [
            (f"{_short_outcome(a, lang)} -> {_short_outcome(b, lang)}", n)
            for a, b, n in _totals(diff)
        ]
        width = max(len(pair) for pair, _ in pairs)
        for pair, n in pairs:
            lines.append(
                f"  {pair:<{width}}  {_number(n, lang):>12}  {_percent(n, diff.compared, lang):>9}"
            )
    if diff.regions:
        lines += ["", f"{_t('regions', lang)} ({len(diff.regions)}):"]
    for rid, region in zip(_region_ids(diff), diff.regions, strict=True):
        a, b = (_short_outcome(name, lang) for name in region.outcomes)
        lines.append(f"  {rid}  {a} -> {b}: {_count(region.size, 'situation', 'situations', lang)}")
        cond = conditions_text(_ordered_conditions(diff, region.conditions), lang, domains=domains)
        lines += _wrap(cond, "      ", f"      {_t('when', lang)} ")
        lines += _wrap(
            _example_text(diff, region.example), "      ", f"      {_t('example', lang)}: "
        )
        for name, side, outcome, winners in (
            ("a", diff.a, region.outcome_a, region.basis_a),
            ("b", diff.b, region.outcome_b, region.basis_b),
        ):
            basis = "; ".join(
                f"{rid_} [{citation.label}]" if citation else rid_
                for rid_, citation, _ in _basis(side, _shown_rules(outcome, winners))
            )
            lines += _wrap(basis or _t("no_rule", lang), "      ", f"      {name} ({side.label}): ")
    lines += ["", f"{_t('structure', lang)}:"]
    if not diff.rules:
        lines.append(f"  {_t('no_rule_change', lang)}")
    for delta in diff.rules:
        lines += _delta_lines(diff, delta, lang)
    if diff.metadata:
        lines += ["", f"{_t('metadata', lang)}:"]
        for name, (before, after) in diff.metadata.items():
            lines += _wrap(
                f"{_field_text(name, before, lang)} -> {_field_text(name, after, lang)}",
                "    ",
                f"  {name}: ",
            )
    provisions = _provision_rows(diff)
    if provisions:
        lines += ["", f"{_t('provisions', lang)}:"]
        for row in provisions:
            mark = {"added": "+", "removed": "-", "changed": "~"}[row["change"]]
            present = row["b"] if row["b"] is not None else row["a"]
            summary = _text_of(present.get("summary"), lang) if isinstance(present, Mapping) else ""
            lines += _wrap(f"{mark} {_t(row['kind'], lang)} {row['id']}: {summary}", "    ", "  ")
    return "\n".join(lines) + "\n"


# -- Markdown ------------------------------------------------------------------------------


def _md(text: object) -> str:
    """A table cell: pipes escaped, one line."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_code(text: object) -> str:
    return f"`{_md(text)}`" if str(text) else ""


def _md_basis(side: DiffSide, outcome: Any, winners: Sequence[str], lang: str) -> str:
    items = []
    for rule_id, citation, _ in _basis(side, _shown_rules(outcome, winners)):
        if citation is None:
            items.append(_md_code(rule_id))
        elif citation.url:
            items.append(f"{_md_code(rule_id)} [{_md(citation.label)}]({_md(citation.url)})")
        else:
            items.append(f"{_md_code(rule_id)} {_md(citation.label)}")
    return "<br>".join(items) if items else _md(_t("no_rule", lang))


def diff_to_markdown(diff: Diff, lang: str = "en") -> str:
    """The diff as Markdown to paste in a review: the sides, totals, regions and
    structural changes as tables."""
    _check_lang(lang)
    domains = _domains(diff)
    out = [f"## {_t('title', lang)}: `{diff.a.label}` → `{diff.b.label}`", ""]
    out += [
        f"| {_t('side', lang)} | {_t('version', lang)} | {_t('governs', lang)} | "
        f"{_t('law_as', lang)} | {_t('readings', lang)} | {_t('content_hash', lang)} |",
        "|---|---|---|---|---|---|",
    ]
    for name, side in (("a", diff.a), ("b", diff.b)):
        out.append(
            f"| {name} | {_md_code(side.label)} {_md(_version_name(side.version))} | "
            f"{_md(_span(side.version, lang))} | {_md(_law_as(side, lang))} | "
            f"{_md(_readings_text(side, lang))} | `{side.content_hash[:12]}` |"
        )
    out.append("")
    if diff.where:
        where = conditions_text(_ordered_conditions(diff, diff.where), lang)
        out += [f"_{_md(_t('restricted', lang))} {_md(where)}._", ""]
    out += [_md(_headline(diff, lang)), ""]
    if diff.totals:
        out += [
            f"### {_t('totals', lang)}",
            "",
            f"| a | b | {_t('situations', lang)} | % {_t('share', lang)} |",
            "|---|---|---:|---:|",
        ]
        for a, b, n in _totals(diff):
            out.append(
                f"| {_md(_short_outcome(a, lang))} | {_md(_short_outcome(b, lang))} | "
                f"{_number(n, lang)} | {_percent(n, diff.compared, lang)} |"
            )
        out.append("")
    if diff.regions:
        out += [
            f"### {_t('regions', lang)} ({len(diff.regions)})",
            "",
            f"| {_t('region', lang)} | a → b | {_t('size', lang)} | {_t('conditions', lang)} | "
            f"{_t('example', lang)} | {_t('basis', lang)} a | {_t('basis', lang)} b |",
            "|---|---|---:|---|---|---|---|",
        ]
        for rid, region in zip(_region_ids(diff), diff.regions, strict=True):
            a, b = region.outcomes
            cond = conditions_text(
                _ordered_conditions(diff, region.conditions),
                lang,
                domains=domains,
                separator="<br>",
            )
            out.append(
                f"| {rid} | {_md(_short_outcome(a, lang))} → {_md(_short_outcome(b, lang))} | "
                f"{_number(region.size, lang)} | {_md(cond)} | "
                f"{_md(_example_text(diff, region.example))} | "
                f"{_md_basis(diff.a, region.outcome_a, region.basis_a, lang)} | "
                f"{_md_basis(diff.b, region.outcome_b, region.basis_b, lang)} |"
            )
        out.append("")
    out += [f"### {_t('structure', lang)}", ""]
    if not diff.rules:
        out += [_md(_t("no_rule_change", lang)), ""]
    else:
        out += [
            f"| {_t('change', lang)} | {_t('rule', lang)} | {_t('citation', lang)} | "
            f"{_t('what', lang)} |",
            "|---|---|---|---|",
        ]
        for delta in diff.rules:
            rule = _delta_rule(diff, delta)
            out.append(
                f"| {_md(_t(delta.kind, lang))} | {_md_code(delta.rule)} | "
                f"{_md(rule.source.label if rule else '')} | "
                f"{_md(_delta_what(diff, delta, lang))} |"
            )
        out.append("")
    if diff.metadata:
        out += [
            f"### {_t('metadata', lang)}",
            "",
            f"| {_t('field', lang)} | a | b |",
            "|---|---|---|",
        ]
        for name, (before, after) in diff.metadata.items():
            out.append(
                f"| `{name}` | {_md(_field_text(name, before, lang))} | "
                f"{_md(_field_text(name, after, lang))} |"
            )
        out.append("")
    provisions = _provision_rows(diff)
    if provisions:
        out += [
            f"### {_t('provisions', lang)}",
            "",
            f"| {_t('change', lang)} | id | {_t('what', lang)} |",
            "|---|---|---|",
        ]
        for row in provisions:
            present = row["b"] if row["b"] is not None else row["a"]
            summary = _text_of(present.get("summary"), lang) if isinstance(present, Mapping) else ""
            out.append(
                f"| {_md(_t(row['change'], lang))} ({_md(_t(row['kind'], lang))}) | "
                f"`{row['id']}` | {_md(summary)} |"
            )
        out.append("")
    return "\n".join(out)


def _delta_what(diff: Diff, delta: RuleDelta, lang: str) -> str:
    """What a rule delta is, in one line."""
    rule = _delta_rule(diff, delta)
    if delta.kind in ("added", "removed"):
        return rule.summary[lang] if rule else ""
    if delta.kind == "renamed":
        return f"{_t('was', lang)} {delta.before_id} ({_t('meaning_same', lang)})"
    if delta.kind == "annulled":
        side = "b" if delta.rule in diff.b.annulled else "a"
        annulment = _annulment(diff, delta)
        text = f"{_t('annulled_on', lang)} {side}"
        if annulment is not None:
            text += f": {annulment.source.label} ({annulment.decided_on.isoformat()})"
        return text
    fields = ", ".join(delta.fields)
    if delta.kind == "reworded":
        return f"{fields} ({_t('meaning_same', lang)})"
    parts = []
    for name, (before, after) in delta.fields.items():
        if name in ("note", "summary"):
            parts.append(name)
        else:
            parts.append(
                f"{name}: {_field_text(name, before, lang)} → {_field_text(name, after, lang)}"
            )
    return "; ".join(parts)


# -- HTML ----------------------------------------------------------------------------------

_CSS = """
:root { color-scheme: light; --ink: #1d232a; --muted: #5b6670; --line: #d5dbe0;
  --soft: #f4f6f8; --accent: #27496d; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem 2rem 3rem; font: 15px/1.45 system-ui, -apple-system,
  "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: var(--ink);
  background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; color: var(--accent); }
h2 { font-size: 1.2rem; margin: 1.8rem 0 .6rem; border-bottom: 2px solid var(--line);
  padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
p.lead { font-size: 1.1rem; margin: .8rem 0; }
p.muted, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top;
  text-align: left; overflow-wrap: break-word; }
table.regions { table-layout: fixed; }
table.regions code, ul.example { overflow-wrap: anywhere; }
main { min-width: 0; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
code { font: .88em/1.3 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono",
  monospace; background: var(--soft); padding: 0 .2em; border-radius: 3px; }
.columns { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0 2rem; }
@media (min-width: 1100px) {
  .columns { grid-template-columns: minmax(0, 2.6fr) minmax(18rem, 1fr); }
}
aside.structure { border-left: 3px solid var(--line); padding-left: 1.2rem; }
figure.timeline { margin: .5rem 0 1rem; overflow-x: auto; }
figure.timeline svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .9rem; }
.outcome { display: inline-block; padding: .05rem .45rem; border-radius: 1rem;
  font-weight: 600; font-size: .9rem; border: 1px solid transparent; white-space: nowrap; }
.o-obliged { background: #fff1d6; border-color: #d99a1e; color: #6b4400; }
.o-permitted { background: #e1f3e4; border-color: #3f9a52; color: #1d5128; }
.o-forbidden { background: #fbe2e2; border-color: #c64545; color: #7a1b1b; }
.o-not_applicable { background: #e2ecfa; border-color: #4b78c2; color: #1c3f78; }
.o-gap, .o-conflict { background: #f3e3f7; border-color: #9a4bb0; color: #55186a; }
ul.conditions, ul.basis, ul.example, ul.changes { margin: 0; padding-left: 1.1rem; }
ul.example { padding-left: 0; list-style: none; font-size: .85rem; }
ul.example li { display: inline; }
ul.example li + li::before { content: " · "; color: var(--muted); }
ul.example .free { color: var(--muted); }
ul.basis li { margin: .15rem 0; }
ul.changes { list-style: none; padding-left: 0; }
ul.changes > li { margin: 0 0 .8rem; }
.kind { display: inline-block; min-width: 5.5rem; font-size: .8rem; font-weight: 600;
  text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
.k-added { color: #1d5128; } .k-removed { color: #7a1b1b; } .k-annulled { color: #7a1b1b; }
.k-changed { color: #6b4400; }
dl.fields { margin: .3rem 0 0 .6rem; font-size: .9rem; }
dl.fields dt { font-weight: 600; margin-top: .3rem; }
dl.fields dd, details dd { margin: 0 0 0 .8rem; }
details { margin: .2rem 0 0 .6rem; font-size: .9rem; }
details summary { cursor: pointer; font-weight: 600; }
.before { color: #7a1b1b; } .after { color: #1d5128; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem;
  border-top: 1px solid var(--line); padding-top: .6rem; }
@media print { body { padding: 0; } .columns { display: block; }
  aside.structure { border: 0; padding: 0; } }
"""

#: the page may load nothing: styles are inline, images only inline ``data:`` URIs
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_outcome(name: str, lang: str) -> str:
    kind = _name_kind(name)
    return (
        f'<span class="outcome o-{_e(kind)}" title="{_e(_long_outcome(name, lang))}">'
        f"{_e(_short_outcome(name, lang))}</span>"
    )


def _html_citation(citation: Citation) -> str:
    label = _e(citation.label)
    if citation.url and citation.url.startswith(("https://", "http://")):
        return f'<a href="{_e(citation.url)}" rel="noopener noreferrer">{label}</a>'
    return label


def _html_basis(side: DiffSide, outcome: Any, winners: Sequence[str], lang: str) -> str:
    items = []
    for rule_id, citation, summary in _basis(side, _shown_rules(outcome, winners)):
        title = f' title="{_e(summary[lang])}"' if summary is not None else ""
        cite = f" — {_html_citation(citation)}" if citation else ""
        items.append(f"<li{title}><code>{_e(rule_id)}</code>{cite}</li>")
    body = (
        f'<ul class="basis">{"".join(items)}</ul>'
        if items
        else f'<p class="muted">{_e(_t("no_rule", lang))}</p>'
    )
    return _html_outcome(terminal_name(outcome), lang) + body


def _html_conditions(diff: Diff, conditions: Mapping[str, Any], lang: str) -> str:
    domains = _domains(diff)
    vocabulary = diff.a.family.vocabulary
    items = []
    for fact, values in _ordered_conditions(diff, conditions).items():
        meaning = vocabulary[fact].meaning[lang] if fact in vocabulary else ""
        text = conditions_text({fact: values}, lang, domains=domains)
        items.append(f'<li title="{_e(meaning)}">{_e(text)}</li>')
    if not items:
        return f'<span class="muted">{_e(_t("everywhere", lang))}</span>'
    return f'<ul class="conditions">{"".join(items)}</ul>'


def _html_example(diff: Diff, region: DiffRegion) -> str:
    items = []
    for fact in _fact_order(diff, region.example):
        css = "" if fact in region.conditions else ' class="free"'
        items.append(f"<li{css}>{_e(fact)}={_e(_show(region.example[fact]))}</li>")
    return f'<ul class="example">{"".join(items)}</ul>'


def _html_sides(diff: Diff, lang: str) -> str:
    rows: list[tuple[str, Callable[[DiffSide], str]]] = [
        (_t("version", lang), lambda s: f"<code>{_e(_version_name(s.version))}</code>"),
        (_t("version_title", lang), lambda s: _e(s.version.title[lang])),
        (_t("governs", lang), lambda s: _e(_span(s.version, lang))),
        (
            _t("known_from", lang),
            lambda s: _e((s.version.known_from or s.version.valid_from).isoformat()),
        ),
        (_t("law_as", lang), lambda s: _e(_law_as(s, lang))),
        (_t("confidence", lang), lambda s: _e(s.version.confidence)),
        (_t("readings", lang), lambda s: _e(_readings_text(s, lang))),
        (
            _t("annulled_rules", lang),
            lambda s: _e(", ".join(s.annulled) if s.annulled else _t("none", lang)),
        ),
        (_t("content_hash", lang), lambda s: f"<code>sha256:{_e(s.content_hash[:16])}</code>"),
    ]
    head = (
        f"<tr><th></th><th>a: <code>{_e(diff.a.label)}</code></th>"
        f"<th>b: <code>{_e(diff.b.label)}</code></th></tr>"
    )
    body = "".join(
        f"<tr><th>{_e(name)}</th><td>{cell(diff.a)}</td><td>{cell(diff.b)}</td></tr>"
        for name, cell in rows
    )
    return f'<table class="sides"><thead>{head}</thead><tbody>{body}</tbody></table>'


def _html_timeline(diff: Diff, lang: str) -> str:
    from disclosure._analysis.timeline import timeline_svg

    pictures = []
    try:
        if diff.a.family is diff.b.family:
            pictures.append(timeline_svg(diff.a.family, [diff.a.version, diff.b.version]))
        else:  # two families (e.g. a copy an analyst edits): each side on its own
            for side in (diff.a, diff.b):
                pictures.append(timeline_svg(side.family, [side.version]))
    except DisclosureError:
        return ""
    return (
        f"<h2>{_e(_t('timeline', lang))}</h2>"
        f'<figure class="timeline">{"".join(pictures)}'
        f"<figcaption>{_e(_t('timeline_caption', lang))}</figcaption></figure>"
    )


def _html_totals(diff: Diff, lang: str) -> str:
    if not diff.totals:
        return ""
    rows = "".join(
        f"<tr><td>{_html_outcome(a, lang)}</td><td>{_html_outcome(b, lang)}</td>"
        f'<td class="num">{_e(_number(n, lang))}</td>'
        f'<td class="num">{_e(_percent(n, diff.compared, lang))}</td></tr>'
        for a, b, n in _totals(diff)
    )
    total = (
        f'<tr><th colspan="2">{_e(_t("total", lang))}</th>'
        f'<th class="num">{_e(_number(diff.changed, lang))}</th>'
        f'<th class="num">{_e(_percent(diff.changed, diff.compared, lang))}</th></tr>'
    )
    return (
        f"<h2>{_e(_t('totals', lang))}</h2>"
        f'<table class="totals"><thead><tr><th>a: <code>{_e(diff.a.label)}</code></th>'
        f"<th>b: <code>{_e(diff.b.label)}</code></th>"
        f'<th class="num">{_e(_t("situations", lang))}</th>'
        f'<th class="num">% {_e(_t("share", lang))}</th></tr></thead>'
        f"<tbody>{rows}</tbody><tfoot>{total}</tfoot></table>"
    )


def _html_regions(diff: Diff, lang: str) -> str:
    head = (
        f"<h2>{_e(_t('regions', lang))} ({len(diff.regions)})</h2>"
        f'<p class="muted">{_e(_t("regions_note", lang))}</p>'
    )
    if not diff.regions:
        return head
    rows = []
    for rid, region in zip(_region_ids(diff), diff.regions, strict=True):
        rows.append(
            f'<tr id="{_e(rid.lower())}"><th>{_e(rid)}</th>'
            f"<td>{_html_conditions(diff, region.conditions, lang)}</td>"
            f'<td class="num">{_e(_number(region.size, lang))}</td>'
            f"<td>{_html_example(diff, region)}</td>"
            f"<td>{_html_basis(diff.a, region.outcome_a, region.basis_a, lang)}</td>"
            f"<td>{_html_basis(diff.b, region.outcome_b, region.basis_b, lang)}</td></tr>"
        )
    return (
        head + '<table class="regions"><colgroup><col style="width:4.4rem">'
        '<col style="width:27%"><col style="width:6.5rem"><col style="width:25%"><col><col>'
        "</colgroup><thead><tr>"
        f"<th>{_e(_t('region', lang))}</th><th>{_e(_t('conditions', lang))}</th>"
        f'<th class="num">{_e(_t("size", lang))}</th><th>{_e(_t("example", lang))}</th>'
        f"<th>a: <code>{_e(diff.a.label)}</code></th>"
        f"<th>b: <code>{_e(diff.b.label)}</code></th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


#: rule fields holding prose rather than logic
_LONG_FIELDS = frozenset({"summary", "note"})


def _html_delta(diff: Diff, delta: RuleDelta, lang: str) -> str:
    rule = _delta_rule(diff, delta)
    parts = [
        f'<span class="kind k-{_e(delta.kind)}">{_e(_t(delta.kind, lang))}</span> '
        f"<code>{_e(delta.rule)}</code>"
    ]
    if rule is not None:
        parts.append(f"<br>{_html_citation(rule.source)}")
        if delta.kind in ("added", "removed"):
            parts.append(f'<br><span class="muted">{_e(rule.summary[lang])}</span>')
    if delta.kind == "renamed":
        parts.append(
            f"<br>{_e(_t('was', lang))} <code>{_e(delta.before_id or '')}</code> "
            f"({_e(_t('meaning_same', lang))})"
        )
    if delta.kind == "annulled":
        parts.append(f"<br>{_e(_delta_what(diff, delta, lang))}")
    if delta.fields and delta.kind != "annulled":
        note = _t("meaning_changed", lang) if delta.meaning_changed else _t("meaning_same", lang)
        items = [f'<p class="muted">{_e(note)}</p><dl class="fields">']
        long_texts = []
        for name, (before, after) in delta.fields.items():
            values = (
                f'<dd class="before">a: {_e(_field_text(name, before, lang))}</dd>'
                f'<dd class="after">b: {_e(_field_text(name, after, lang))}</dd>'
            )
            if name in _LONG_FIELDS:  # prose: folded, so the changes of meaning stand out
                long_texts.append(
                    f"<details><summary>{_e(name)}</summary><dl>{values}</dl></details>"
                )
            else:
                items.append(f"<dt>{_e(name)}</dt>{values}")
        items.append("</dl>")
        items.extend(long_texts)
        parts.append("".join(items))
    return f"<li>{''.join(parts)}</li>"


def _html_structure(diff: Diff, lang: str) -> str:
    out = [f"<h2>{_e(_t('structure', lang))} ({len(diff.rules)})</h2>"]
    if diff.rules:
        out.append(
            '<ul class="changes">'
            + "".join(_html_delta(diff, delta, lang) for delta in diff.rules)
            + "</ul>"
        )
    else:
        out.append(f"<p>{_e(_t('no_rule_change', lang))}</p>")
    if diff.metadata:
        rows = "".join(
            f"<tr><th><code>{_e(name)}</code></th>"
            f"<td>{_e(_field_text(name, before, lang))}</td>"
            f"<td>{_e(_field_text(name, after, lang))}</td></tr>"
            for name, (before, after) in diff.metadata.items()
        )
        out.append(
            f'<h3>{_e(_t("metadata", lang))}</h3><table class="metadata"><thead><tr>'
            f"<th>{_e(_t('field', lang))}</th><th>a</th><th>b</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    provisions = _provision_rows(diff)
    if provisions:
        items = []
        for row in provisions:
            present = row["b"] if row["b"] is not None else row["a"]
            summary = _text_of(present.get("summary"), lang) if isinstance(present, Mapping) else ""
            items.append(
                f'<li><span class="kind k-{_e(row["change"])}">{_e(_t(row["change"], lang))}'
                f"</span> {_e(_t(row['kind'], lang))} <code>{_e(row['id'])}</code>"
                f'<br><span class="muted">{_e(summary)}</span></li>'
            )
        out.append(
            f'<h3>{_e(_t("provisions", lang))}</h3><ul class="changes">{"".join(items)}</ul>'
        )
    return f'<aside class="structure">{"".join(out)}</aside>'


def diff_to_html(diff: Diff, lang: str = "en") -> str:
    """The diff as one self-contained HTML page for analysts: the two versions and their
    dates, their timeline, the totals by pair of outcomes, the regions with an example
    situation and each side's outcome and basis, and beside them the structural changes.

    Nothing is loaded from the network: the style is inline, there is no script, and the
    page's Content-Security-Policy forbids any other resource. Every text is escaped.
    """
    _check_lang(lang)
    title = f"{_t('title', lang)}: {diff.a.label} → {diff.b.label}"
    where = ""
    if diff.where:
        text = conditions_text(_ordered_conditions(diff, diff.where), lang)
        where = f'<p class="where">{_e(_t("restricted", lang))} {_e(text)}.</p>'
    generated = _t("generated", lang).format(v=__version__, schema=DIFF_SCHEMA)
    family = diff.a.family
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{_e(_t('title', lang))}</h1>"
        f'<p class="muted">{_e(family.title[lang])} (<code>{_e(family.id)}</code>)</p>'
        f'<p class="lead"><code>{_e(diff.a.label)}</code> → <code>{_e(diff.b.label)}</code>: '
        f"{_e(_headline(diff, lang))}</p>{where}</header>"
        f'<section class="versions"><h2>{_e(_t("versions", lang))}</h2>'
        f"{_html_sides(diff, lang)}{_html_timeline(diff, lang)}</section>"
        f'<div class="columns"><main>{_html_totals(diff, lang)}{_html_regions(diff, lang)}'
        f"</main>{_html_structure(diff, lang)}</div>"
        f"<footer>{_e(generated)} {_e(_seconds(diff, lang).capitalize())}.</footer>"
        "</body></html>\n"
    )
