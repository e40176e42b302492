"""Comparisons as text and Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from disclosure._formats import register
from disclosure._render.labels import COMPARISON_HEADS, outcome_label

if TYPE_CHECKING:
    from disclosure._analysis.compare import Comparison

__all__ = ["render_comparison_markdown", "render_comparison_text"]


def _value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "-"
    return str(value)


@register("comparison", "text")
def render_comparison_text(comparison: Comparison, lang: str = "en") -> str:
    title, differs, rules, same = COMPARISON_HEADS[lang]
    lines = [title.format(n=len(comparison.sides))]
    for side, decision in zip(comparison.sides, comparison.decisions, strict=True):
        basis = "; ".join(c.label for c in decision.basis) or "-"
        lines.append(f"  {side.label:<32} {outcome_label(decision.outcome, lang)}  [{basis}]")
    for item in comparison.contrasts:
        lines.append(f"{item.a} -> {item.b}:")
        if item.same:
            lines.append(f"  {same}")
            continue
        lines.append(f"  {differs}:")
        for aspect, (before, after) in item.differences.items():
            lines.append(f"    {aspect}: {_value(before)} -> {_value(after)}")
        if item.rules:
            lines.append(f"  {rules}:")
            for change in item.rules:
                lines.append(
                    f"    {change.rule} ({change.citation_label}): "
                    f"{change.before} -> {change.after}"
                )
    return "\n".join(lines)


@register("comparison", "markdown")
def render_comparison_markdown(comparison: Comparison, lang: str = "en") -> str:
    title, differs, rules, same = COMPARISON_HEADS[lang]
    lines = [f"## {title.format(n=len(comparison.sides))}", "", "| version | outcome | basis |"]
    lines.append("|---|---|---|")
    for side, decision in zip(comparison.sides, comparison.decisions, strict=True):
        basis = "; ".join(c.label for c in decision.basis) or "-"
        lines.append(f"| `{side.label}` | {outcome_label(decision.outcome, lang)} | {basis} |")
    for item in comparison.contrasts:
        lines += ["", f"### `{item.a}` → `{item.b}`", ""]
        if item.same:
            lines.append(f"_{same}_")
            continue
        lines.append(f"**{differs}**")
        lines.append("")
        for aspect, (before, after) in item.differences.items():
            lines.append(f"- {aspect}: {_value(before)} → {_value(after)}")
        if item.rules:
            lines += ["", f"**{rules}**", ""]
            for change in item.rules:
                lines.append(
                    f"- `{change.rule}` ({change.citation_label}): {change.before} → "
                    f"{change.after} — {change.summary_en}"
                )
    return "\n".join(lines) + "\n"
