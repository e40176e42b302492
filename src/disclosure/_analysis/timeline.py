"""A picture of a rule family's history: its versions, what each changed, the annulments.

Everything is read from the family's IR (never from files), so the picture cannot drift
from the rulesets. Two renderings share one list of facts (:func:`timeline_columns`):

* :func:`timeline_svg`: a self-contained SVG (no script, no stylesheet, no external
  resource; every text escaped), safe to inline in an HTML page next to another one: its
  few ``id`` attributes carry a prefix derived from its content;
* :func:`timeline_text`: the same, as plain text for a terminal.

The versions are drawn top to bottom in date order along a time axis, *not to scale* (the
first Belgian version covers years, the next ones weeks or months). Beside each version:
its dates, the day it became known when earlier, its confidence, and the rules it added
(``+``), replaced (``~``) and repealed (``-``). A court's annulment is drawn as an arrow
from the version that records it back to the start of the first version whose rules it
removes when it is retroactive; those rules are struck through where they appear. A
version of low confidence is hatched; one of medium confidence is labelled.

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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import math
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

from disclosure._ir.ruleset import Annulment, Citation, Family, Rule, Version

__all__ = [
    "AnnulmentGroup",
    "TimelineChange",
    "TimelineColumn",
    "timeline_columns",
    "timeline_svg",
    "timeline_text",
]

ChangeKind = Literal["added", "replaced", "repealed"]

_MARK: dict[ChangeKind, str] = {"added": "+", "replaced": "~", "repealed": "-"}
_DAY = dt.timedelta(days=1)


@attrs.frozen
class AnnulmentGroup:
    """The rules one judgment annulled on one day (one arrow in the picture)."""

    rules: tuple[str, ...]
    decided_on: dt.date
    retroactive: bool
    source: Citation

    @property
    def label(self) -> str:
        return self.source.label

    def describe(self) -> str:
        """One sentence, in English."""
        rules = ", ".join(self.rules)
        if self.retroactive:
            return (
                f"{rules} annulled retroactively on {self.decided_on.isoformat()} "
                f"({self.label}): as known from that day they never applied; "
                "as known before, they did"
            )
        return f"{rules} annulled from {self.decided_on.isoformat()} ({self.label})"


def _group(annulments: Iterable[Annulment]) -> tuple[AnnulmentGroup, ...]:
    groups: dict[tuple[object, ...], list[Annulment]] = {}
    for annulment in annulments:
        key = (
            annulment.decided_on,
            annulment.retroactive,
            annulment.source.act,
            annulment.source.article,
        )
        groups.setdefault(key, []).append(annulment)
    return tuple(
        AnnulmentGroup(
            rules=tuple(a.rule for a in items),
            decided_on=items[0].decided_on,
            retroactive=items[0].retroactive,
            source=items[0].source,
        )
        for items in groups.values()
    )


@attrs.frozen
class TimelineChange:
    """One rule a version added, replaced or repealed, and its annulment if a court (in
    this version or a later one) removed it."""

    kind: ChangeKind
    rule: str
    citation: str
    summary: str
    annulled_by: Annulment | None = None


@attrs.frozen
class TimelineColumn:
    """A version as the timeline shows it.

    ``skipped`` holds the family's versions between the previous column and this one that
    were not selected; ``annulments`` are those this version records, grouped by
    judgment; ``changes`` compares it with the version it extends (for the first version:
    all its rules, as added).
    """

    version: Version
    changes: tuple[TimelineChange, ...]
    annulments: tuple[AnnulmentGroup, ...]
    skipped: tuple[Version, ...] = ()

    @property
    def first(self) -> bool:
        return self.version.extends is None


def _resolve(family: Family, versions: Iterable[str | Version] | None) -> list[Version]:
    if versions is None:
        return list(family.versions)
    chosen: list[Version] = []
    for item in versions:
        version = family.version(item)
        if version not in chosen:
            chosen.append(version)
    return sorted(chosen, key=lambda v: v.valid_from)


def _find_rule(rule_id: str, candidates: Sequence[Version]) -> Rule | None:
    for version in candidates:
        for rule in version.rules:
            if rule.id == rule_id:
                return rule
    return None


def timeline_columns(
    family: Family, versions: Iterable[str | Version] | None = None
) -> tuple[TimelineColumn, ...]:
    """The facts the timeline shows, one column per selected version (all by default;
    ids, aliases or :class:`Version` objects), oldest first."""
    chosen = _resolve(family, versions)
    annulments = {a.rule: a for a in family.annulments}
    for version in chosen:  # versions given as objects, not in the family
        annulments.update({a.rule: a for a in version.annulments})
    everything = [*chosen, *(v for v in family.versions if v not in chosen)]
    order = list(family.versions)
    columns = []
    previous: Version | None = None
    for version in chosen:
        skipped: tuple[Version, ...] = ()
        if previous is not None and previous in order and version in order:
            skipped = tuple(order[order.index(previous) + 1 : order.index(version)])
        extended = None
        if version.extends is not None:
            extended = next((v for v in everything if version.extends in (v.id, *v.aliases)), None)
        if version.extends is None and not (version.added or version.replaced):
            added: tuple[str, ...] = version.rule_ids
        else:
            added = version.added
        changes: list[TimelineChange] = []
        kinds: list[tuple[ChangeKind, tuple[str, ...]]] = [
            ("added", added),
            ("replaced", version.replaced),
            ("repealed", version.repealed),
        ]
        for kind, ids in kinds:
            for rule_id in ids:
                lookup = [version] if kind != "repealed" else []
                lookup += [extended] if extended is not None else []
                rule = _find_rule(rule_id, [*lookup, *everything])
                annulment = annulments.get(rule_id)
                removes = (
                    annulment is not None
                    and kind != "repealed"
                    and (annulment.retroactive or version.valid_from >= annulment.decided_on)
                )
                changes.append(
                    TimelineChange(
                        kind=kind,
                        rule=rule_id,
                        citation=rule.source.label if rule is not None else "",
                        summary=rule.summary.en if rule is not None else "",
                        annulled_by=annulment if removes else None,
                    )
                )
        columns.append(
            TimelineColumn(
                version=version,
                changes=tuple(changes),
                annulments=_group(version.annulments),
                skipped=skipped,
            )
        )
        previous = version
    return tuple(columns)


def _span(version: Version) -> str:
    until = version.valid_until.isoformat() if version.valid_until else "open"
    return f"{version.valid_from.isoformat()} .. {until}"


def timeline_text(family: Family, versions: Iterable[str | Version] | None = None) -> str:
    """The timeline as plain text: one block per version, oldest first."""
    columns = timeline_columns(family, versions)
    count = f"{len(columns)} version{'s' if len(columns) != 1 else ''}"
    lines = [f"{family.id}: {count} ({family.title.en})"]
    for column in columns:
        version = column.version
        if column.skipped:
            lines.append("  ... not shown: " + ", ".join(v.name for v in column.skipped))
        names = version.id + (f" ({', '.join(version.aliases)})" if version.aliases else "")
        head = f"{_span(version):<25} {names}"
        if version.confidence != "high":
            head += f"  [{version.confidence} confidence]"
        lines.append(head)
        if version.known_from and version.known_from != version.valid_from:
            lines.append(f"  known from {version.known_from.isoformat()}")
        if version.confidence == "low" and version.confidence_note:
            lines.append(f"  note: {version.confidence_note.en}")
        if column.first and not column.changes:
            lines.append("  first version, no rules")
        elif column.first:
            lines.append(f"  first version, {len(column.changes)} rules:")
        for change in column.changes:
            cite = f" [{change.citation}]" if change.citation else ""
            struck = "  (annulled)" if change.annulled_by is not None else ""
            lines.append(f"  {_MARK[change.kind]} {change.rule}{cite}{struck}")
        for group in column.annulments:
            lines.append(f"  ! {group.describe()}")
    return "\n".join(lines)


# -- SVG ----------------------------------------------------------------------------------

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
) -> float:
    """Draw one version's card from ``y``; return its height."""
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
                f"{version.confidence} confidence",
                weight="bold",
                fill=_LOW,
                anchor="end",
                tooltip=version.confidence_note.en if version.confidence_note else None,
            )
        )
    y += 17
    until = version.valid_until.isoformat() if version.valid_until else "open end"
    dates = f"{version.valid_from.isoformat()} to {until}"
    if version.known_from and version.known_from != version.valid_from:
        dates += f" · known from {version.known_from.isoformat()}"
    canvas.add(_text(left, y, _fit(dates, inner, _SANS_CHAR), fill=_MUTED))
    for line in _wrap(version.title.en, inner, _SANS_CHAR)[:3]:
        y += _LINE
        canvas.add(_text(left, y, line, fill=_MUTED))

    y += _LINE + 6
    if column.first:
        head = f"first version: {len(column.changes)} rule{'s' if len(column.changes) != 1 else ''}"
    else:
        head = " · ".join(
            f"{_MARK[kind]}{sum(1 for c in column.changes if c.kind == kind)} {kind}"
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
        tooltip = " — ".join(p for p in (change.citation, change.summary) if p)
        ink = _KIND_INK[change.kind]
        extra = ""
        if change.annulled_by is not None:
            ink = _ANNUL
            extra = ' text-decoration="line-through"'
            tooltip += f" | annulled on {change.annulled_by.decided_on.isoformat()}"
        canvas.add(
            _text(
                cx,
                cy,
                _fit(f"{_MARK[change.kind]} {change.rule}", item_w - 8, _MONO_CHAR),
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
        how = "retroactively " if first.retroactive else ""
        note = (
            f"struck through: annulled {how}on {first.decided_on.isoformat()} "
            f"({first.source.label})"
        )
        if first.retroactive:
            note += "; as known before that day, they applied"
        for line in _wrap(note, inner, _SANS_CHAR):
            y += _LINE
            canvas.add(_text(left, y, line, fill=_ANNUL))
    for group in column.annulments:
        y += 4
        for line in _wrap("⟲ " + group.describe(), inner, _SANS_CHAR):
            y += _LINE
            canvas.add(_text(left, y, line, weight="bold", fill=_ANNUL))
    if version.confidence == "low" and version.confidence_note:
        y += 4
        wrapped = _wrap(version.confidence_note.en, inner, _SANS_CHAR)
        if len(wrapped) > 6:
            wrapped = [*wrapped[:5], _fit(wrapped[5] + " …", inner, _SANS_CHAR)]
        for line in wrapped:
            y += _LINE
            canvas.add(_text(left, y, line, fill=_LOW, tooltip=version.confidence_note.en))
    height = y - top + 12
    fill = f"url(#{prefix}-hatch)" if version.confidence == "low" else _CARD
    dash = ' stroke-dasharray="5 3"' if version.confidence != "high" else ""
    canvas.behind(
        f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" rx="6" '
        f'fill="{fill}" stroke="{_EDGE}" stroke-width="1"{dash}>'
        f"<title>{_e(version.title.en)}</title></rect>"
    )
    return height


def timeline_svg(
    family: Family, versions: Iterable[str | Version] | None = None, width: int = 880
) -> str:
    """The timeline of ``family`` as a self-contained SVG document (a string).

    ``versions``: ids, aliases or :class:`Version` objects to draw (all by default), in
    date order; versions of the family between two selected ones are named in a gap.
    ``width`` is in pixels (at least 480); the height follows from the content.
    """
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

    title = f"Versions of the law: {family.title.en}"
    y = 10.0
    for line in _wrap(title, width - 2 * _MARGIN, _BOLD_CHAR_16)[:2]:
        y += 20
        canvas.add(_text(_MARGIN, y, line, size=16, weight="bold"))
    y += 18
    canvas.add(
        _text(
            _MARGIN,
            y,
            _fit(
                "In date order, not to scale; dates are inclusive. Hover for citations.",
                width - 2 * _MARGIN,
                _SANS_CHAR,
            ),
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
                    _fit(f"⋯ not shown: {names}", card_w, _SANS_CHAR),
                    fill=_MUTED,
                    tooltip=f"versions between, not shown: {names}",
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
        height = _card(canvas, column, card_x, y, card_w, prefix)
        nxt = columns[index + 1].version if index + 1 < len(columns) else None
        until = version.valid_until
        contiguous = nxt is not None and until is not None and nxt.valid_from == until + _DAY
        if until is not None and not contiguous:
            canvas.add(
                _text(
                    axis - _LANE - 6,
                    y + height - 4,
                    f"to {until.isoformat()}",
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
                f"<title>{_e(group.describe())}</title></path>"
            )

    y += 4
    legend = [
        ("+ added", _KIND_INK["added"]),
        ("~ replaced", _KIND_INK["replaced"]),
        ("- repealed", _KIND_INK["repealed"]),
        ("struck through, ⟲ and red arrow: annulled by a court", _ANNUL),
        ("hatched: low confidence", _LOW),
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
    description = timeline_text(family, [c.version for c in columns])
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
