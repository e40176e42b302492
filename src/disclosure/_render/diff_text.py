"""A diff as plain text for a terminal, in French, Dutch or English."""

from __future__ import annotations

import textwrap

from disclosure._analysis.diff import (
    Diff,
    DiffSide,
    RuleDelta,
)
from disclosure._formats import register
from disclosure._render.diff_common import (
    annulment_of,
    basis_of,
    citation_shown,
    conditions_text,
    count_of,
    delta_rule,
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
    rule_shown,
    seconds_of,
    short_outcome,
    shown_rules,
    span_of,
    totals_of,
    version_name,
)
from disclosure._render.labels import (
    KIND_MARK,
    check_lang,
)
from disclosure._render.labels import diff_label as _t
from disclosure._render.names import Names

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


def _side_line(name: str, side: DiffSide, lang: str, names: Names | None) -> list[str]:
    version = side.version
    level = names.confidence(version.confidence) if names is not None else version.confidence
    lines = _wrap(
        f"{side.label}: {version_name(version)}, {span_of(version, lang)}, {law_as_of(side, lang)}",
        "   ",
        f"{name}  ",
    )
    details = [
        f"{_t('known_from', lang)} {(version.known_from or version.valid_from).isoformat()}",
        f"{_t('confidence', lang)} {level}",
        readings_text(side, lang, names),
        f"sha256:{side.content_hash[:12]}",
    ]
    if side.annulled:
        annulled = ", ".join(rule_shown(rule, names) for rule in side.annulled)
        details.append(f"{_t('annulled_rules', lang)}: {annulled}")
    lines += _wrap("; ".join(details), "   ")
    return lines


def _delta_lines(diff: Diff, delta: RuleDelta, lang: str, names: Names | None) -> list[str]:
    rule = delta_rule(diff, delta)
    head = f"{KIND_MARK[delta.kind]} {rule_shown(delta.rule, names)}  [{_t(delta.kind, lang)}]"
    if rule is not None:
        head += f"  {citation_shown(rule.source, names)}"
    lines = [f"  {head}"]
    if rule is not None and delta.kind in ("added", "removed"):
        lines += _wrap(rule.summary[lang], "      ")
    if delta.kind == "renamed" and delta.before_id:
        before = rule_shown(delta.before_id, names)
        lines.append(f"      {_t('was', lang)}: {before} ({_t('meaning_same', lang)})")
    if delta.kind == "reworded":
        lines.append(f"      ({_t('meaning_same', lang)})")
    annulment = annulment_of(diff, delta)
    if delta.kind == "annulled":
        side = "b" if delta.rule in diff.b.annulled else "a"
        text = f"{_t('annulled_on', lang)} {side}"
        if annulment is not None:
            text += (
                f": {citation_shown(annulment.source, names)}, {_t('decided_on', lang)} "
                f"{annulment.decided_on.isoformat()}"
            )
        lines += _wrap(text, "      ")
        return lines
    for name, (before, after) in delta.fields.items():
        lines.append(f"      {field_name(name, lang)}")
        lines += _wrap(field_text(name, before, lang, names), "           ", "        a: ")
        lines += _wrap(field_text(name, after, lang, names), "           ", "        b: ")
    return lines


@register("diff", "text")
def diff_to_text(diff: Diff, lang: str = "en") -> str:
    """The diff as plain text for a terminal: the sides, the totals, every region (its
    conditions, size, an example, each side's outcome and basis) and the structural
    changes."""
    check_lang(lang)
    names = names_for(diff, lang)
    domains = domains_of(diff)
    lines = [f"{_t('title', lang)}: {diff.a.label} -> {diff.b.label}"]
    lines += _side_line("a", diff.a, lang, names)
    lines += _side_line("b", diff.b, lang, names)
    lines.append("")
    if diff.where:
        where = conditions_text(
            ordered_conditions(diff, diff.where), lang, domains=None, names=names
        )
        lines += _wrap(f"{_t('restricted', lang)} {where}.", "")
    lines += _wrap(headline_of(diff, lang), "")
    lines.append(f"({seconds_of(diff, lang)})")
    if diff.totals:
        lines += ["", f"{_t('totals', lang)}:"]
        pairs = [
            (f"{short_outcome(a, lang)} -> {short_outcome(b, lang)}", n)
            for a, b, n in totals_of(diff)
        ]
        width = max(len(pair) for pair, _ in pairs)
        for pair, n in pairs:
            share = percent_of(n, diff.compared, lang)
            lines.append(f"  {pair:<{width}}  {number_of(n, lang):>12}  {share:>9}")
    if diff.regions:
        lines += ["", f"{_t('regions', lang)} ({len(diff.regions)}):"]
    for rid, region in zip(region_ids(diff), diff.regions, strict=True):
        a, b = (short_outcome(name, lang) for name in region.outcomes)
        lines.append(
            f"  {rid}  {a} -> {b}: {count_of(region.size, 'situation', 'situations', lang)}"
        )
        cond = conditions_text(
            ordered_conditions(diff, region.conditions), lang, domains=domains, names=names
        )
        lines += _wrap(cond, "      ", f"      {_t('when', lang)} ")
        lines += _wrap(
            example_text(diff, region.example, names=names),
            "      ",
            f"      {_t('example', lang)}: ",
        )
        for name, side, outcome, winners in (
            ("a", diff.a, region.outcome_a, region.basis_a),
            ("b", diff.b, region.outcome_b, region.basis_b),
        ):
            basis = "; ".join(
                f"{rule_shown(rid_, names)} [{citation_shown(citation, names)}]"
                if citation
                else rule_shown(rid_, names)
                for rid_, citation, _ in basis_of(side, shown_rules(outcome, winners))
            )
            lines += _wrap(basis or _t("no_rule", lang), "      ", f"      {name} ({side.label}): ")
    lines += ["", f"{_t('structure', lang)}:"]
    if not diff.rules:
        lines.append(f"  {_t('no_rule_change', lang)}")
    for delta in diff.rules:
        lines += _delta_lines(diff, delta, lang, names)
    if diff.metadata:
        lines += ["", f"{_t('metadata', lang)}:"]
        for name, (before, after) in diff.metadata.items():
            before_text = field_text(name, before, lang, names)
            lines += _wrap(
                f"{before_text} -> {field_text(name, after, lang, names)}",
                "    ",
                f"  {field_name(name, lang)}: ",
            )
    provisions = provision_rows(diff)
    if provisions:
        lines += ["", f"{_t('provisions', lang)}:"]
        for row in provisions:
            mark = {"added": "+", "removed": "-", "changed": "~"}[row["change"]]
            named, summary = provision_text(row, lang, names)
            shown = row["id"] if named is None else named
            lines += _wrap(f"{mark} {_t(row['kind'], lang)} {shown}: {summary}", "    ", "  ")
    return "\n".join(lines) + "\n"
