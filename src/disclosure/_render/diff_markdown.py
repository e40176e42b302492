"""A diff as Markdown: headings and tables to paste in a review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from disclosure._analysis.diff import (
    Diff,
    DiffSide,
)
from disclosure._formats import register
from disclosure._render.diff_common import (
    basis_of,
    citation_shown,
    conditions_text,
    delta_rule,
    delta_what,
    domains_of,
    example_text,
    field_name,
    field_text,
    headline_of,
    law_as_of,
    names_for,
    number_of,
    ordered_conditions,
    percent_of,
    provision_rows,
    provision_text,
    readings_text,
    region_ids,
    short_outcome,
    shown_rules,
    span_of,
    totals_of,
    version_name,
)
from disclosure._render.labels import (
    check_lang,
)
from disclosure._render.labels import diff_label as _t
from disclosure._render.names import Names


def _md(text: object) -> str:
    """A table cell: pipes escaped, one line."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_code(text: object) -> str:
    return f"`{_md(text)}`" if str(text) else ""


def _md_rule(rule_id: str, names: Names | None) -> str:
    return _md_code(rule_id) if names is None else _md(names.rule(rule_id))


def _md_basis(
    side: DiffSide, outcome: Any, winners: Sequence[str], lang: str, names: Names | None
) -> str:
    items = []
    for rule_id, citation, _ in basis_of(side, shown_rules(outcome, winners)):
        if citation is None:
            items.append(_md_rule(rule_id, names))
            continue
        cited = _md(citation_shown(citation, names))
        if citation.url:
            items.append(f"{_md_rule(rule_id, names)} [{cited}]({_md(citation.url)})")
        else:
            items.append(f"{_md_rule(rule_id, names)} {cited}")
    return "<br>".join(items) if items else _md(_t("no_rule", lang))


@register("diff", "markdown")
def diff_to_markdown(diff: Diff, lang: str = "en") -> str:
    """The diff as Markdown to paste in a review: the sides, totals, regions and
    structural changes as tables."""
    check_lang(lang)
    names = names_for(diff, lang)
    domains = domains_of(diff)
    out = [f"## {_t('title', lang)}: `{diff.a.label}` → `{diff.b.label}`", ""]
    out += [
        f"| {_t('side', lang)} | {_t('version', lang)} | {_t('governs', lang)} | "
        f"{_t('law_as', lang)} | {_t('readings', lang)} | {_t('content_hash', lang)} |",
        "|---|---|---|---|---|---|",
    ]
    for name, side in (("a", diff.a), ("b", diff.b)):
        out.append(
            f"| {name} | {_md_code(side.label)} {_md(version_name(side.version))} | "
            f"{_md(span_of(side.version, lang))} | {_md(law_as_of(side, lang))} | "
            f"{_md(readings_text(side, lang, names))} | `{side.content_hash[:12]}` |"
        )
    out.append("")
    if diff.where:
        where = conditions_text(ordered_conditions(diff, diff.where), lang, names=names)
        out += [f"_{_md(_t('restricted', lang))} {_md(where)}._", ""]
    out += [_md(headline_of(diff, lang)), ""]
    if diff.totals:
        out += [
            f"### {_t('totals', lang)}",
            "",
            f"| a | b | {_t('situations', lang)} | % {_t('share', lang)} |",
            "|---|---|---:|---:|",
        ]
        for a, b, n in totals_of(diff):
            out.append(
                f"| {_md(short_outcome(a, lang))} | {_md(short_outcome(b, lang))} | "
                f"{number_of(n, lang)} | {percent_of(n, diff.compared, lang)} |"
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
        for rid, region in zip(region_ids(diff), diff.regions, strict=True):
            a, b = region.outcomes
            cond = conditions_text(
                ordered_conditions(diff, region.conditions),
                lang,
                domains=domains,
                separator="<br>",
                names=names,
            )
            out.append(
                f"| {rid} | {_md(short_outcome(a, lang))} → {_md(short_outcome(b, lang))} | "
                f"{number_of(region.size, lang)} | {_md(cond)} | "
                f"{_md(example_text(diff, region.example, names=names))} | "
                f"{_md_basis(diff.a, region.outcome_a, region.basis_a, lang, names)} | "
                f"{_md_basis(diff.b, region.outcome_b, region.basis_b, lang, names)} |"
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
            rule = delta_rule(diff, delta)
            out.append(
                f"| {_md(_t(delta.kind, lang))} | {_md_rule(delta.rule, names)} | "
                f"{_md(citation_shown(rule.source, names) if rule else '')} | "
                f"{_md(delta_what(diff, delta, lang, names))} |"
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
                f"| {_md_code(name) if names is None else _md(field_name(name, lang))} | "
                f"{_md(field_text(name, before, lang, names))} | "
                f"{_md(field_text(name, after, lang, names))} |"
            )
        out.append("")
    provisions = provision_rows(diff)
    if provisions:
        out += [
            f"### {_t('provisions', lang)}",
            "",
            f"| {_t('change', lang)} | id | {_t('what', lang)} |",
            "|---|---|---|",
        ]
        for row in provisions:
            named, summary = provision_text(row, lang, names)
            shown = f"`{row['id']}`" if named is None else _md(named)
            out.append(
                f"| {_md(_t(row['change'], lang))} ({_md(_t(row['kind'], lang))}) | "
                f"{shown} | {_md(summary)} |"
            )
        out.append("")
    return "\n".join(out)
