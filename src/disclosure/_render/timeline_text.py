"""A rule family's timeline as plain text for a terminal, in French, Dutch or English:
one block per version, oldest first (see :mod:`disclosure._analysis.timeline`)."""

from __future__ import annotations

from collections.abc import Iterable

from disclosure._analysis.timeline import (
    AnnulmentGroup,
    ChangeKind,
    TimelineChange,
    timeline_columns,
)
from disclosure._ir.ruleset import Family, Version
from disclosure._render.labels import check_lang, timeline_label
from disclosure._render.names import Names

__all__ = ["MARK", "change_text", "describe_annulment", "names_in", "span_text", "timeline_text"]

#: the mark of each kind of change, as in a diff
MARK: dict[ChangeKind, str] = {"added": "+", "replaced": "~", "repealed": "-"}


def describe_annulment(group: AnnulmentGroup, lang: str = "en", names: Names | None = None) -> str:
    """One sentence on what the judgment annulled, and since when as known when (with
    ``names``, in French or Dutch: rules and court by their names)."""
    key = "annulled_retroactively" if group.retroactive else "annulled_from"
    return timeline_label(
        key,
        lang,
        rules=", ".join(names.rule(r) if names else r for r in group.rules),
        date=group.decided_on.isoformat(),
        source=names.citation(group.source) if names else group.label,
    )


def change_text(change: TimelineChange, names: Names | None) -> tuple[str, str]:
    """A change's rule and citation as shown: ids and English labels, or (with ``names``)
    the family's names in their language."""
    if names is None:
        return change.rule, change.citation
    source = names.rule_source(change.rule)
    return names.rule(change.rule), names.citation(source) if source else change.citation


def names_in(family: Family, lang: str, version: Version | None = None) -> Names | None:
    """The names a French or Dutch timeline uses; ``None`` in English (the ids)."""
    return None if lang == "en" else Names(family, lang, version.id if version else None)


def span_text(version: Version, lang: str = "en") -> str:
    """A version's dates, ``start .. end``."""
    until = version.valid_until.isoformat() if version.valid_until else timeline_label("open", lang)
    return f"{version.valid_from.isoformat()} .. {until}"


def timeline_text(
    family: Family, versions: Iterable[str | Version] | None = None, lang: str = "en"
) -> str:
    """The timeline as plain text: one block per version, oldest first."""
    check_lang(lang)
    columns = timeline_columns(family, versions)
    count = timeline_label(
        "versions_one" if len(columns) == 1 else "versions_many", lang, n=len(columns)
    )
    lines = [f"{family.id}: {count} ({family.title[lang]})"]
    for column in columns:
        version = column.version
        if column.skipped:
            lines.append(
                "  ... "
                + timeline_label("not_shown", lang, names=", ".join(v.name for v in column.skipped))
            )
        names = version.id + (f" ({', '.join(version.aliases)})" if version.aliases else "")
        head = f"{span_text(version, lang):<25} {names}"
        if version.confidence != "high":
            head += f"  [{timeline_label('confidence_' + version.confidence, lang)}]"
        lines.append(head)
        if version.known_from and version.known_from != version.valid_from:
            lines.append(
                "  " + timeline_label("known_from", lang, date=version.known_from.isoformat())
            )
        if version.confidence == "low" and version.confidence_note:
            lines.append(f"  {timeline_label('note', lang)}: {version.confidence_note[lang]}")
        if column.first and not column.changes:
            lines.append("  " + timeline_label("first_no_rules", lang))
        elif column.first:
            rules = timeline_label("rules_many", lang, n=len(column.changes))
            lines.append("  " + timeline_label("first_rules_list", lang, rules=rules))
        shown_names = names_in(family, lang, version)
        for change in column.changes:
            rule, citation = change_text(change, shown_names)
            cite = f" [{citation}]" if citation else ""
            struck = (
                f"  ({timeline_label('annulled', lang)})" if change.annulled_by is not None else ""
            )
            lines.append(f"  {MARK[change.kind]} {rule}{cite}{struck}")
        for group in column.annulments:
            lines.append(f"  ! {describe_annulment(group, lang, shown_names)}")
    return "\n".join(lines)
