"""A rule family's timeline as a self-contained SVG, in French, Dutch or English.

No script, no stylesheet, no external resource, every text escaped: safe to inline in an
HTML page next to another one (its few ``id`` attributes carry a prefix derived from its
content). The facts drawn come from :func:`disclosure._analysis.timeline.timeline_columns`.

>>> import datetime as dt
>>> from disclosure._ir.text import Text
>>> from disclosure._ir.vocabulary import Vocabulary
>>> from disclosure._ir.ruleset import Family, Version
>>> first = Version(id="2000-01-01", title=Text.same("first"), valid_from=dt.date(2000, 1, 1),
...                 valid_until=None, rules=(), sanctions={}, side_obligations={})
>>> family = Family(id="demo", title=Text.same("A <demo> family"), vocabulary=Vocabulary(()),
...                 contested=(), sources={}, versions=(first,))
>>> svg = timeline_svg(family)
>>> svg.startswith("<svg") and "A &lt;demo&gt; family" in svg and "<script" not in svg
True
>>> print(timeline_text(family))
demo: 1 version (A <demo> family)
2000-01-01 .. open        2000-01-01
  first version, no rules
>>> print(timeline_text(family, lang="fr"))
demo: 1 version (A <demo> family)
2000-01-01 .. sans fin    2000-01-01
  première version, aucune règle
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import math
from collections.abc import Iterable

from disclosure._analysis.timeline import ChangeKind, TimelineColumn, timeline_columns
from disclosure._ir.ruleset import Family, Version
from disclosure._render.labels import check_lang, timeline_label
from disclosure._render.names import Names
from disclosure._render.timeline_text import (
    MARK,
    change_text,
    describe_annulment,
    names_in,
    timeline_text,
)

__all__ = ["timeline_svg"]

_DAY = dt.timedelta(days=1)


_INK = "#1f2933"
_MUTED = "#52606d"
_CARD = "#f5f7fa"
_EDGE = "#9aa5b1"
_KIND_INK: dict[ChangeKind, str] = {
    "added": "#1d6b34",
    "replaced": "#8a5a00",
    "repealed": "#8f1d1d",
}
_ANNUL = "#b42318"
_LOW = "#7a5b00"
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
_MONO = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace"
# generous average character widths, to wrap and cut text without measuring it
_MONO_CHAR = 6.7  # 11px monospace
_SANS_CHAR = 6.4  # 11px sans
_SANS_CHAR_12 = 7.0
_BOLD_CHAR_14 = 9.2
_BOLD_CHAR_16 = 9.8

_MARGIN = 16
_DATES = 84  # width of the date column, left of the annulment lane
_LANE = 34  # the lane between the dates and the axis, where annulment arrows run
_LINE = 15
_ITEM_WIDTH = 290  # one column of the change list


def _e(text: object) -> str:
    """Escape for XML text and attribute values."""
    return html.escape(str(text), quote=True)


def _fit(text: str, width: float, char: float) -> str:
    room = max(int(width // char), 2)
    return text if len(text) <= room else text[: room - 1] + "…"


def _wrap(text: str, width: float, char: float) -> list[str]:
    room = max(int(width // char), 8)
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word if len(word) <= room else word[: room - 1] + "…"
    if current:
        lines.append(current)
    return lines


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = 11,
    weight: str = "normal",
    fill: str = _INK,
    mono: bool = False,
    anchor: str = "start",
    extra: str = "",
    tooltip: str | None = None,
) -> str:
    family = _MONO if mono else _FONT
    title = f"<title>{_e(tooltip)}</title>" if tooltip else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{_e(family)}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}" text-anchor="{anchor}"{extra}>'
        f"{title}{_e(content)}</text>"
    )


class _Canvas:
    """Collects SVG elements and the height they need."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.below: list[str] = []  # drawn first (behind the rest)

    def add(self, element: str) -> None:
        self.parts.append(element)

    def behind(self, element: str) -> None:
        self.below.append(element)


def _card(
    canvas: _Canvas,
    column: TimelineColumn,
    x: float,
    y: float,
    width: float,
    prefix: str,
    lang: str,
    names: Names | None = None,
) -> float:
    """Draw one version's card from ``y``; return its height (``names``: in French or
    Dutch, the rules by their names)."""
    version = column.version
    inner = width - 24
    left = x + 12
    top = y
    y += 21
    name = version.name
    canvas.add(_text(left, y, _fit(name, inner * 0.6, _BOLD_CHAR_14), size=14, weight="bold"))
    if name != version.id:
        canvas.add(
            _text(
                left + min(len(name) * _BOLD_CHAR_14, inner * 0.6) + 8,
                y,
                version.id,
                size=11,
                fill=_MUTED,
                mono=True,
            )
        )
    if version.confidence != "high":
        canvas.add(
            _text(
                x + width - 12,
                y,
                timeline_label("confidence_" + version.confidence, lang),
                weight="bold",
                fill=_LOW,
                anchor="end",
                tooltip=version.confidence_note[lang] if version.confidence_note else None,
            )
        )
    y += 17
    until = (
        version.valid_until.isoformat() if version.valid_until else timeline_label("open_end", lang)
    )
    dates = timeline_label("from_to", lang, start=version.valid_from.isoformat(), end=until)
    if version.known_from and version.known_from != version.valid_from:
        dates += " · " + timeline_label("known_from", lang, date=version.known_from.isoformat())
    canvas.add(_text(left, y, _fit(dates, inner, _SANS_CHAR), fill=_MUTED))
    for line in _wrap(version.title[lang], inner, _SANS_CHAR)[:3]:
        y += _LINE
        canvas.add(_text(left, y, line, fill=_MUTED))

    y += _LINE + 6
    if column.first:
        count = len(column.changes)
        rules = timeline_label("rules_one" if count == 1 else "rules_many", lang, n=count)
        head = timeline_label("first_rules", lang, rules=rules)
    else:
        head = " · ".join(
            f"{MARK[kind]}{sum(1 for c in column.changes if c.kind == kind)} "
            f"{timeline_label(kind, lang)}"
            for kind in ("added", "replaced", "repealed")
        )
    canvas.add(_text(left, y, head, weight="bold", fill=_MUTED))

    columns = max(1, min(3, int(inner // _ITEM_WIDTH)))
    item_w = inner / columns
    rows = math.ceil(len(column.changes) / columns)
    for index, change in enumerate(column.changes):
        col, row = divmod(index, rows) if rows else (0, 0)
        cx = left + col * item_w
        cy = y + (row + 1) * _LINE
        rule, citation = change_text(change, names)
        summary = (names.rule_summary(change.rule) if names else None) or change.summary
        tooltip = " — ".join(p for p in (citation, summary) if p)
        ink = _KIND_INK[change.kind]
        extra = ""
        if change.annulled_by is not None:
            ink = _ANNUL
            extra = ' text-decoration="line-through"'
            on = change.annulled_by.decided_on.isoformat()
            tooltip += " | " + timeline_label("annulled_on", lang, date=on)
        canvas.add(
            _text(
                cx,
                cy,
                _fit(f"{MARK[change.kind]} {rule}", item_w - 8, _MONO_CHAR),
                fill=ink,
                mono=True,
                extra=extra,
                tooltip=tooltip,
            )
        )
    y += rows * _LINE

    struck = [c.annulled_by for c in column.changes if c.annulled_by is not None]
    if struck:
        first = struck[0]
        note = timeline_label(
            "struck_retroactively" if first.retroactive else "struck",
            lang,
            date=first.decided_on.isoformat(),
            source=names.citation(first.source) if names is not None else first.source.label,
        )
        for line in _wrap(note, inner, _SANS_CHAR):
            y += _LINE
            canvas.add(_text(left, y, line, fill=_ANNUL))
    for group in column.annulments:
        y += 4
        for line in _wrap("⟲ " + describe_annulment(group, lang, names), inner, _SANS_CHAR):
            y += _LINE
            canvas.add(_text(left, y, line, weight="bold", fill=_ANNUL))
    if version.confidence == "low" and version.confidence_note:
        y += 4
        wrapped = _wrap(version.confidence_note[lang], inner, _SANS_CHAR)
        if len(wrapped) > 6:
            wrapped = [*wrapped[:5], _fit(wrapped[5] + " …", inner, _SANS_CHAR)]
        for line in wrapped:
            y += _LINE
            canvas.add(_text(left, y, line, fill=_LOW, tooltip=version.confidence_note[lang]))
    height = y - top + 12
    fill = f"url(#{prefix}-hatch)" if version.confidence == "low" else _CARD
    dash = ' stroke-dasharray="5 3"' if version.confidence != "high" else ""
    canvas.behind(
        f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" rx="6" '
        f'fill="{fill}" stroke="{_EDGE}" stroke-width="1"{dash}>'
        f"<title>{_e(version.title[lang])}</title></rect>"
    )
    return height


def timeline_svg(
    family: Family,
    versions: Iterable[str | Version] | None = None,
    width: int = 880,
    lang: str = "en",
) -> str:
    """The timeline of ``family`` as a self-contained SVG document (a string).

    ``versions``: ids, aliases or :class:`Version` objects to draw (all by default), in
    date order; versions of the family between two selected ones are named in a gap.
    ``width`` is in pixels (at least 480); the height follows from the content. Its words
    are in ``lang`` (fr, nl or en), as the report it is drawn in.
    """
    check_lang(lang)
    width = max(int(width), 480)
    columns = timeline_columns(family, versions)
    prefix = (
        "dtl"
        + hashlib.sha256(
            "|".join([family.id, str(width), *(c.version.id for c in columns)]).encode()
        ).hexdigest()[:8]
    )
    canvas = _Canvas()
    axis = _MARGIN + _DATES + _LANE
    card_x = axis + 18
    card_w = width - card_x - _MARGIN

    title = timeline_label("title", lang, title=family.title[lang])
    y = 10.0
    for line in _wrap(title, width - 2 * _MARGIN, _BOLD_CHAR_16)[:2]:
        y += 20
        canvas.add(_text(_MARGIN, y, line, size=16, weight="bold"))
    y += 18
    canvas.add(
        _text(
            _MARGIN,
            y,
            _fit(timeline_label("subtitle", lang), width - 2 * _MARGIN, _SANS_CHAR),
            fill=_MUTED,
        )
    )
    y += 20

    nodes: dict[str, float] = {}  # version id -> y of its node on the axis
    axis_top = y + 12
    for index, column in enumerate(columns):
        version = column.version
        if column.skipped:
            names = ", ".join(v.name for v in column.skipped)
            canvas.add(
                _text(
                    card_x,
                    y + 14,
                    _fit("⋯ " + timeline_label("not_shown", lang, names=names), card_w, _SANS_CHAR),
                    fill=_MUTED,
                    tooltip=timeline_label("between_not_shown", lang, names=names),
                )
            )
            y += 26
        node_y = y + 16
        nodes[version.id] = node_y
        canvas.add(
            f'<circle cx="{axis}" cy="{node_y:.1f}" r="5" fill="#ffffff" stroke="{_INK}" '
            f'stroke-width="2"/>'
        )
        canvas.add(
            _text(
                axis - _LANE - 6,
                node_y + 4,
                version.valid_from.isoformat(),
                size=12,
                weight="bold",
                anchor="end",
            )
        )
        card_names = names_in(family, lang, column.version)
        height = _card(canvas, column, card_x, y, card_w, prefix, lang, card_names)
        nxt = columns[index + 1].version if index + 1 < len(columns) else None
        until = version.valid_until
        contiguous = nxt is not None and until is not None and nxt.valid_from == until + _DAY
        if until is not None and not contiguous:
            canvas.add(
                _text(
                    axis - _LANE - 6,
                    y + height - 4,
                    timeline_label("to", lang, end=until.isoformat()),
                    fill=_MUTED,
                    anchor="end",
                )
            )
        y += height + 12
    axis_bottom = y - 12
    last = columns[-1].version if columns else None
    open_end = last is not None and last.valid_until is None
    canvas.behind(
        f'<line x1="{axis}" y1="{axis_top:.1f}" x2="{axis}" y2="{axis_bottom:.1f}" '
        f'stroke="{_MUTED}" stroke-width="2"'
        + (f' marker-end="url(#{prefix}-open)"' if open_end else "")
        + "/>"
    )

    # annulment arrows, in the lane left of the axis
    for column in columns:
        for group in column.annulments:
            if not group.retroactive:
                continue
            targets = [
                other.version.id
                for other in columns
                if other.version.valid_from < group.decided_on
                and any(c.rule in group.rules and c.annulled_by for c in other.changes)
            ]
            if not targets:
                continue
            start, end = nodes[column.version.id], nodes[targets[0]]
            bend = axis - _LANE + 6
            canvas.add(
                f'<path d="M{axis - 7},{start:.1f} C{bend},{start:.1f} {bend},{end:.1f} '
                f'{axis - 8},{end:.1f}" fill="none" stroke="{_ANNUL}" stroke-width="2" '
                f'stroke-dasharray="5 3" marker-end="url(#{prefix}-arrow)">'
                f"<title>{_e(describe_annulment(group, lang, names_in(family, lang)))}</title>"
                "</path>"
            )

    y += 4
    legend = [
        (timeline_label("legend_added", lang), _KIND_INK["added"]),
        (timeline_label("legend_replaced", lang), _KIND_INK["replaced"]),
        (timeline_label("legend_repealed", lang), _KIND_INK["repealed"]),
        (timeline_label("legend_annulled", lang), _ANNUL),
        (timeline_label("legend_low", lang), _LOW),
    ]
    x = float(_MARGIN)
    y += _LINE
    for label, ink in legend:
        room = len(label) * _SANS_CHAR + 18
        if x + room > width - _MARGIN:
            x = float(_MARGIN)
            y += _LINE
        canvas.add(_text(x, y, label, fill=ink))
        x += room
    height = int(y + 12)

    defs = (
        f'<marker id="{prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{_ANNUL}"/>'
        f"</marker>"
        f'<marker id="{prefix}-open" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="8" '
        f'markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{_MUTED}"/>'
        f"</marker>"
        f'<pattern id="{prefix}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="#fdf8e7"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="#f0dc9c" stroke-width="3"/></pattern>'
    )
    description = timeline_text(family, [c.version for c in columns], lang)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">'
        f'<title id="{prefix}-title">{_e(title)}</title>'
        f'<desc id="{prefix}-desc">{_e(description)}</desc>'
        f"<defs>{defs}</defs>"
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
        + "".join(canvas.below)
        + "".join(canvas.parts)
        + "</svg>\n"
    )
