"""A rule family's history as data: its versions in date order, what each changed, and the
annulments, read from the family's IR (never from files), so no picture of it can drift
from the rulesets.

:func:`timeline_columns` gives one :class:`TimelineColumn` per version drawn; the render
stage draws them (``disclosure._render.timeline_text`` for a terminal,
``disclosure._render.timeline_svg`` as a picture). The versions are meant to be drawn top
to bottom in date order, *not to scale* (the first Belgian version covers years, the next
ones weeks or months), with the rules each added (``+``), replaced (``~``) and repealed
(``-``); a court's annulment is an arrow from the version that records it back to the
first version whose rules it removes when it is retroactive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

from disclosure._ir.ruleset import Annulment, Citation, Family, Rule, Version

__all__ = [
    "AnnulmentGroup",
    "TimelineChange",
    "TimelineColumn",
    "timeline_columns",
]

ChangeKind = Literal["added", "replaced", "repealed"]

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
