"""Comparisons as text and Markdown.

French and Dutch texts name outcomes, duty bearers, addressees, sanctions, side
obligations and rules by the family's labels; English texts keep the ids, as the JSON
does. Every language names acts in its own way (English: the French name, glossed once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from disclosure._formats import register
from disclosure._render.labels import COMPARISON_HEADS, outcome_label
from disclosure._render.names import Names, names_of

if TYPE_CHECKING:
    from disclosure._analysis.compare import Comparison, Contrast, RuleChange
    from disclosure._decide.decision import Decision

__all__ = ["render_comparison_markdown", "render_comparison_text"]

#: what differs between two decisions, as a comparison says it
ASPECTS: dict[str, dict[str, str]] = {
    "outcome": {"fr": "issue", "nl": "uitkomst", "en": "outcome"},
    "duty_bearer": {"fr": "débiteur", "nl": "plichtsdrager", "en": "duty_bearer"},
    "addressees": {"fr": "destinataires", "nl": "bestemmelingen", "en": "addressees"},
    "sanctions": {"fr": "sanctions", "nl": "sancties", "en": "sanctions"},
    "side_obligations": {
        "fr": "obligations accessoires",
        "nl": "bijkomende plichten",
        "en": "side_obligations",
    },
    "winners": {"fr": "règles retenues", "nl": "doorslaggevende regels", "en": "winners"},
}


def _value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "-"
    return str(value)


def _named(aspect: str, value: Any, names: Names) -> str:
    """A value of an aspect, named in the language (English: as the ids)."""
    if names.lang == "en":
        return _value(value)
    if value is None or value == ():
        return "-"
    if aspect == "outcome":
        return names.outcome(value)
    if aspect == "duty_bearer":
        return names.duty_bearer(value)
    if aspect == "addressees":
        return names.values("authority", value)
    name = {
        "sanctions": names.sanction,
        "side_obligations": names.side_obligation,
        "winners": names.rule,
    }.get(aspect)
    if name is None:
        return _value(value)
    return ", ".join(name(item) for item in value)


def _citing(comparison: Comparison, lang: str) -> Names:
    """One set of names for the citations of every side, so that an English text glosses
    each act once."""
    if not comparison.decisions:
        return Names(None, lang)
    return names_of(comparison.decisions[0], lang)


def _decisions(comparison: Comparison) -> dict[str, Decision]:
    return {
        side.label: decision
        for side, decision in zip(comparison.sides, comparison.decisions, strict=True)
    }


def _change(change: RuleChange, item: Contrast, by_side: dict[str, Decision], lang: str) -> str:
    """A rule that makes two sides differ: its name, citation and statuses."""
    names = names_of(by_side[item.b], lang)
    if lang == "en":
        return f"{change.rule} ({change.citation_label}): {change.before} -> {change.after}"
    citation = next(
        (
            entry.citation
            for side in (item.b, item.a)
            for entry in by_side[side].trace
            if entry.rule == change.rule
        ),
        None,
    )
    cited = f" ({names.citation(citation)})" if citation is not None else ""
    return (
        f"{names.rule(change.rule)}{cited} : "
        f"{names.status(change.before)} -> {names.status(change.after)}"
    )


@register("comparison", "text")
def render_comparison_text(comparison: Comparison, lang: str = "en") -> str:
    title, differs, rules, same = COMPARISON_HEADS[lang]
    by_side = _decisions(comparison)
    lines = [title.format(n=len(comparison.sides))]
    cite = _citing(comparison, lang)
    for side, decision in zip(comparison.sides, comparison.decisions, strict=True):
        basis = "; ".join(cite.citation(c) for c in decision.basis) or "-"
        lines.append(f"  {side.label:<32} {outcome_label(decision.outcome, lang)}  [{basis}]")
    for item in comparison.contrasts:
        names = names_of(by_side[item.b], lang)
        lines.append(f"{item.a} -> {item.b}:")
        if item.same:
            lines.append(f"  {same}")
            continue
        lines.append(f"  {differs}:")
        for aspect, (before, after) in item.differences.items():
            shown = ASPECTS.get(aspect, {}).get(lang, aspect)
            lines.append(
                f"    {shown}: {_named(aspect, before, names)} -> {_named(aspect, after, names)}"
            )
        if item.rules:
            lines.append(f"  {rules}:")
            for change in item.rules:
                lines.append(f"    {_change(change, item, by_side, lang)}")
    return "\n".join(lines)


@register("comparison", "markdown")
def render_comparison_markdown(comparison: Comparison, lang: str = "en") -> str:
    title, differs, rules, same = COMPARISON_HEADS[lang]
    by_side = _decisions(comparison)
    heads = {
        "en": "| version | outcome | basis |",
        "fr": "| version | issue | base légale |",
        "nl": "| versie | uitkomst | rechtsgrond |",
    }
    lines = [f"## {title.format(n=len(comparison.sides))}", "", heads[lang]]
    lines.append("|---|---|---|")
    cite = _citing(comparison, lang)
    for side, decision in zip(comparison.sides, comparison.decisions, strict=True):
        basis = "; ".join(cite.citation(c) for c in decision.basis) or "-"
        lines.append(f"| `{side.label}` | {outcome_label(decision.outcome, lang)} | {basis} |")
    for item in comparison.contrasts:
        names = names_of(by_side[item.b], lang)
        lines += ["", f"### `{item.a}` → `{item.b}`", ""]
        if item.same:
            lines.append(f"_{same}_")
            continue
        lines.append(f"**{differs}**")
        lines.append("")
        for aspect, (before, after) in item.differences.items():
            shown = ASPECTS.get(aspect, {}).get(lang, aspect)
            lines.append(
                f"- {shown}: {_named(aspect, before, names)} → {_named(aspect, after, names)}"
            )
        if item.rules:
            lines += ["", f"**{rules}**", ""]
            for change in item.rules:
                if lang == "en":
                    lines.append(
                        f"- `{change.rule}` ({change.citation_label}): {change.before} → "
                        f"{change.after} — {change.summary_en}"
                    )
                    continue
                summary = next(
                    (
                        entry.summary[lang]
                        for side in (item.b, item.a)
                        for entry in by_side[side].trace
                        if entry.rule == change.rule
                    ),
                    "",
                )
                text = _change(change, item, by_side, lang).replace(" -> ", " → ")
                lines.append(f"- {text} — {summary}")
    return "\n".join(lines) + "\n"
