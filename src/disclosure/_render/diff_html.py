"""A diff as a self-contained HTML page for analysts.

It loads nothing from the network (inline CSS, no script, no font, no image but the
inline timeline SVG; a Content-Security-Policy says so to the browser) and escapes every
text it shows. Official URLs of citations appear only as link targets.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from disclosure._analysis.diff import (
    DIFF_SCHEMA,
    Diff,
    DiffRegion,
    DiffSide,
    RuleDelta,
    terminal_name,
)
from disclosure._formats import register
from disclosure._ir.ruleset import Citation
from disclosure._render.diff_common import (
    basis_of,
    citation_shown,
    conditions_text,
    delta_rule,
    delta_what,
    domains_of,
    fact_order,
    field_name,
    field_text,
    headline_of,
    law_as_of,
    long_outcome,
    name_kind,
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
    show_of,
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
from disclosure._render.timeline_svg import timeline_svg
from disclosure._version import __version__
from disclosure.errors import DisclosureError

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


_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_outcome(name: str, lang: str) -> str:
    kind = name_kind(name)
    return (
        f'<span class="outcome o-{_e(kind)}" title="{_e(long_outcome(name, lang))}">'
        f"{_e(short_outcome(name, lang))}</span>"
    )


def _html_citation(citation: Citation, names: Names | None = None) -> str:
    label = _e(citation_shown(citation, names))
    if citation.url and citation.url.startswith(("https://", "http://")):
        return f'<a href="{_e(citation.url)}" rel="noopener noreferrer">{label}</a>'
    return label


def _html_rule(rule_id: str, names: Names | None) -> str:
    return f"<code>{_e(rule_id)}</code>" if names is None else _e(names.rule(rule_id))


def _html_basis(
    side: DiffSide, outcome: Any, winners: Sequence[str], lang: str, names: Names | None = None
) -> str:
    items = []
    for rule_id, citation, summary in basis_of(side, shown_rules(outcome, winners)):
        title = f' title="{_e(summary[lang])}"' if summary is not None else ""
        cite = f" — {_html_citation(citation, names)}" if citation else ""
        items.append(f"<li{title}>{_html_rule(rule_id, names)}{cite}</li>")
    body = (
        f'<ul class="basis">{"".join(items)}</ul>'
        if items
        else f'<p class="muted">{_e(_t("no_rule", lang))}</p>'
    )
    return _html_outcome(terminal_name(outcome), lang) + body


def _html_conditions(diff: Diff, conditions: Mapping[str, Any], lang: str) -> str:
    domains = domains_of(diff)
    vocabulary = diff.a.family.vocabulary
    items = []
    for fact, values in ordered_conditions(diff, conditions).items():
        meaning = vocabulary[fact].meaning[lang] if fact in vocabulary else ""
        text = conditions_text({fact: values}, lang, domains=domains, names=names_for(diff, lang))
        items.append(f'<li title="{_e(meaning)}">{_e(text)}</li>')
    if not items:
        return f'<span class="muted">{_e(_t("everywhere", lang))}</span>'
    return f'<ul class="conditions">{"".join(items)}</ul>'


def _html_example(diff: Diff, region: DiffRegion, names: Names | None = None) -> str:
    items = []
    for fact in fact_order(diff, region.example):
        css = "" if fact in region.conditions else ' class="free"'
        value = region.example[fact]
        shown = (
            f"{_e(fact)}={_e(show_of(value))}"
            if names is None
            else f"{_e(names.fact(fact))}: {_e(names.value(fact, value))}"
        )
        items.append(f"<li{css}>{shown}</li>")
    return f'<ul class="example">{"".join(items)}</ul>'


def _html_sides(diff: Diff, lang: str) -> str:
    names = names_for(diff, lang)

    def level(side: DiffSide) -> str:
        confidence = side.version.confidence
        return _e(names.confidence(confidence) if names is not None else confidence)

    def annulled(side: DiffSide) -> str:
        if not side.annulled:
            return _e(_t("none", lang))
        return _e(", ".join(rule_shown(rule, names) for rule in side.annulled))

    rows: list[tuple[str, Callable[[DiffSide], str]]] = [
        (_t("version", lang), lambda s: f"<code>{_e(version_name(s.version))}</code>"),
        (_t("version_title", lang), lambda s: _e(s.version.title[lang])),
        (_t("governs", lang), lambda s: _e(span_of(s.version, lang))),
        (
            _t("known_from", lang),
            lambda s: _e((s.version.known_from or s.version.valid_from).isoformat()),
        ),
        (_t("law_as", lang), lambda s: _e(law_as_of(s, lang))),
        (_t("confidence", lang), level),
        (_t("readings", lang), lambda s: _e(readings_text(s, lang, names))),
        (_t("annulled_rules", lang), annulled),
        (
            _t("content_hash", lang),
            lambda s: f"<code>sha256:{_e(s.content_hash[:16])}</code>",
        ),
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
    pictures = []
    try:
        if diff.a.family is diff.b.family:
            pictures.append(
                timeline_svg(diff.a.family, [diff.a.version, diff.b.version], lang=lang)
            )
        else:  # two families (e.g. a copy an analyst edits): each side on its own
            for side in (diff.a, diff.b):
                pictures.append(timeline_svg(side.family, [side.version], lang=lang))
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
        f'<td class="num">{_e(number_of(n, lang))}</td>'
        f'<td class="num">{_e(percent_of(n, diff.compared, lang))}</td></tr>'
        for a, b, n in totals_of(diff)
    )
    total = (
        f'<tr><th colspan="2">{_e(_t("total", lang))}</th>'
        f'<th class="num">{_e(number_of(diff.changed, lang))}</th>'
        f'<th class="num">{_e(percent_of(diff.changed, diff.compared, lang))}</th></tr>'
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
    names = names_for(diff, lang)
    for rid, region in zip(region_ids(diff), diff.regions, strict=True):
        rows.append(
            f'<tr id="{_e(rid.lower())}"><th>{_e(rid)}</th>'
            f"<td>{_html_conditions(diff, region.conditions, lang)}</td>"
            f'<td class="num">{_e(number_of(region.size, lang))}</td>'
            f"<td>{_html_example(diff, region, names)}</td>"
            f"<td>{_html_basis(diff.a, region.outcome_a, region.basis_a, lang, names)}</td>"
            f"<td>{_html_basis(diff.b, region.outcome_b, region.basis_b, lang, names)}</td></tr>"
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


_LONG_FIELDS = frozenset({"summary", "note"})


def _html_delta(diff: Diff, delta: RuleDelta, lang: str) -> str:
    rule = delta_rule(diff, delta)
    names = names_for(diff, lang)
    parts = [
        f'<span class="kind k-{_e(delta.kind)}">{_e(_t(delta.kind, lang))}</span> '
        f"{_html_rule(delta.rule, names)}"
    ]
    if rule is not None:
        parts.append(f"<br>{_html_citation(rule.source, names)}")
        if delta.kind in ("added", "removed"):
            parts.append(f'<br><span class="muted">{_e(rule.summary[lang])}</span>')
    if delta.kind == "renamed":
        parts.append(
            f"<br>{_e(_t('was', lang))} {_html_rule(delta.before_id or '', names)} "
            f"({_e(_t('meaning_same', lang))})"
        )
    if delta.kind == "annulled":
        parts.append(f"<br>{_e(delta_what(diff, delta, lang, names))}")
    if delta.fields and delta.kind != "annulled":
        note = _t("meaning_changed", lang) if delta.meaning_changed else _t("meaning_same", lang)
        items = [f'<p class="muted">{_e(note)}</p><dl class="fields">']
        long_texts = []
        for name, (before, after) in delta.fields.items():
            values = (
                f'<dd class="before">a: {_e(field_text(name, before, lang, names))}</dd>'
                f'<dd class="after">b: {_e(field_text(name, after, lang, names))}</dd>'
            )
            shown = field_name(name, lang)
            if name in _LONG_FIELDS:  # prose: folded, so the changes of meaning stand out
                long_texts.append(
                    f"<details><summary>{_e(shown)}</summary><dl>{values}</dl></details>"
                )
            else:
                items.append(f"<dt>{_e(shown)}</dt>{values}")
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
    names = names_for(diff, lang)
    if diff.metadata:
        rows = "".join(
            (
                f"<tr><th><code>{_e(name)}</code></th>"
                if names is None
                else f"<tr><th>{_e(field_name(name, lang))}</th>"
            )
            + f"<td>{_e(field_text(name, before, lang, names))}</td>"
            f"<td>{_e(field_text(name, after, lang, names))}</td></tr>"
            for name, (before, after) in diff.metadata.items()
        )
        out.append(
            f'<h3>{_e(_t("metadata", lang))}</h3><table class="metadata"><thead><tr>'
            f"<th>{_e(_t('field', lang))}</th><th>a</th><th>b</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    provisions = provision_rows(diff)
    if provisions:
        items = []
        for row in provisions:
            named, summary = provision_text(row, lang, names)
            shown = f"<code>{_e(row['id'])}</code>" if named is None else _e(named)
            items.append(
                f'<li><span class="kind k-{_e(row["change"])}">{_e(_t(row["change"], lang))}'
                f"</span> {_e(_t(row['kind'], lang))} {shown}"
                f'<br><span class="muted">{_e(summary)}</span></li>'
            )
        out.append(
            f'<h3>{_e(_t("provisions", lang))}</h3><ul class="changes">{"".join(items)}</ul>'
        )
    return f'<aside class="structure">{"".join(out)}</aside>'


@register("diff", "html")
def diff_to_html(diff: Diff, lang: str = "en") -> str:
    """The diff as one self-contained HTML page for analysts: the two versions and their
    dates, their timeline, the totals by pair of outcomes, the regions with an example
    situation and each side's outcome and basis, and beside them the structural changes.

    Nothing is loaded from the network: the style is inline, there is no script, and the
    page's Content-Security-Policy forbids any other resource. Every text is escaped.
    """
    check_lang(lang)
    title = f"{_t('title', lang)}: {diff.a.label} → {diff.b.label}"
    where = ""
    if diff.where:
        text = conditions_text(ordered_conditions(diff, diff.where), lang)
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
        f"{_e(headline_of(diff, lang))}</p>{where}</header>"
        f'<section class="versions"><h2>{_e(_t("versions", lang))}</h2>'
        f"{_html_sides(diff, lang)}{_html_timeline(diff, lang)}</section>"
        f'<div class="columns"><main>{_html_totals(diff, lang)}{_html_regions(diff, lang)}'
        f"</main>{_html_structure(diff, lang)}</div>"
        f"<footer>{_e(generated)} {_e(seconds_of(diff, lang).capitalize())}.</footer>"
        "</body></html>\n"
    )
