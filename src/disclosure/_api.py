"""The public functions, thin over the pipeline: load, versions, evaluate."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from disclosure._analysis.compare import Comparison, Side, compare_in
from disclosure._analysis.diff import Diff, diff_in
from disclosure._decide.decision import Decision
from disclosure._decide.evaluate import evaluate_in, situation_from
from disclosure._ir.ruleset import Family, Version
from disclosure._load.bundled import bundled_family
from disclosure.errors import FactError, excerpt

__all__ = [
    "VersionInfo",
    "compare",
    "default_family",
    "diff",
    "evaluate",
    "evaluate_each",
    "load",
    "versions",
]


def load(path: str | os.PathLike[str] | None = None) -> Family:
    """Load a rule family (vocabulary + versions) from a folder; the bundled Belgian family
    when ``path`` is ``None``. Raises :class:`disclosure.RulesetError` on any defect, naming
    the file, line and path in the document."""
    if path is None:
        return default_family()
    from disclosure._load.loader import load_family

    return load_family(path)


def default_family() -> Family:
    """The bundled family, loaded once per process."""
    return bundled_family()


@attrs.frozen
class VersionInfo:
    """A version's identity and dates, as listed by :func:`versions`."""

    id: str
    aliases: tuple[str, ...]
    valid_from: Any
    valid_until: Any
    known_from: Any
    confidence: str
    title: str


def versions(family: Family | None = None) -> list[VersionInfo]:
    """The versions of the family (bundled by default), oldest first."""
    family = family or default_family()
    return [_info(v) for v in family.versions]


def _info(version: Version) -> VersionInfo:
    return VersionInfo(
        id=version.id,
        aliases=version.aliases,
        valid_from=version.valid_from,
        valid_until=version.valid_until,
        known_from=version.known_from or version.valid_from,
        confidence=version.confidence,
        title=version.title.en,
    )


def evaluate(
    facts: Any,
    on: Any = None,
    known_on: Any = None,
    version: str | Version | None = None,
    readings: Mapping[str, str] | None = None,
    *,
    engine: str = "compiled",
    family: Family | None = None,
) -> Decision:
    """The law's answer on one situation, with its reasons.

    ``facts``: a mapping of fact names to values (or a :class:`disclosure.Situation`);
    facts may be left out: when the answer depends on them, the decision is undetermined
    and names the facts still needed.

    The version is the one in force on ``on`` (or the ``date`` fact; today by default) as
    the law is known on ``known_on`` (today by default): a rule annulled retroactively
    applies only when ``known_on`` is before the annulment. ``version`` (an id or alias)
    names a version instead; it is then taken *as enacted* unless ``known_on`` is given.

    ``readings`` chooses readings of contested points (default readings otherwise);
    ``engine`` is ``"compiled"`` (default) or ``"durable"`` (the durable_rules engine).
    """
    return evaluate_in(
        family or default_family(),
        facts,
        on=on,
        known_on=known_on,
        version=version,
        readings=readings,
        engine=engine,
    )


def evaluate_each(
    facts: Any,
    on: Any = None,
    known_on: Any = None,
    version: str | Version | None = None,
    readings: Mapping[str, str] | None = None,
    *,
    engine: str = "compiled",
    family: Family | None = None,
) -> dict[str, Decision]:
    """One decision per kind of information asked for: ``facts["information"]`` may be a
    list (a request for an address and a social report gets two decisions)."""
    situation = dict(situation_from(facts))
    kinds = situation.get("information")
    if kinds is None:
        raise FactError("evaluate_each needs the 'information' fact (a kind or a list of kinds)")
    if isinstance(kinds, str):
        kinds = [kinds]
    if not isinstance(kinds, list | tuple) or not kinds:
        raise FactError(
            f"'information' must be a kind or a non-empty list of kinds, not {excerpt(kinds)}",
            fact="information",
            value=kinds,
        )
    return {
        str(kind): evaluate(
            {**situation, "information": kind},
            on,
            known_on,
            version,
            readings,
            engine=engine,
            family=family,
        )
        for kind in dict.fromkeys(kinds)
    }


def compare(
    facts: Any,
    versions: Sequence[str | Side | Version] | None = None,
    *,
    known_on: Any = None,
    readings: Mapping[str, str] | None = None,
    engine: str = "compiled",
    family: Family | None = None,
) -> Comparison:
    """One situation under several versions, side by side, with a contrastive explanation
    (what differs, and which rules make it differ, with their citations).

    ``versions``: ids or aliases (all versions by default); ``"terrorism-2017@2018-06-01"``
    takes a version as the law was known on a date (``@today`` for today), so a retroactive
    annulment can be shown. ``known_on`` applies one such date to every side that has none.
    Each side is a named version: the situation's ``date`` does not select among them.
    """
    return compare_in(
        family or default_family(),
        facts,
        versions,
        known_on=known_on,
        readings=readings,
        engine=engine,
    )


def diff(
    a: Any,
    b: Any,
    *,
    where: Mapping[str, Any] | None = None,
    readings: Mapping[str, str] | None = None,
    known_on: Any = None,
    family: Family | None = None,
) -> Diff:
    """The structural and semantic difference between two versions of the law.

    ``a`` and ``b``: version ids or aliases (``"terrorism-2017@2018-06-01"`` for a
    version as known on a date), :class:`Version` values, or paths to a family folder (its
    last version) or to a version file, e.g. one an analyst is editing. Versions are taken
    as enacted unless a date is given (``known_on`` applies to both sides).

    ``Diff.regions``: every region of the fact space where the outcome differs, exactly
    and minimally, with its ``conditions`` (fact -> allowed values; facts not named are
    unconstrained), ``size`` (possible situations in it), ``example``, each side's outcome
    and the rules that give it. ``Diff.totals`` counts situations per pair of outcomes.
    ``Diff.rules`` lists rules added, removed, changed, renamed or reworded.
    ``where`` restricts the semantic diff to a sub-space (fact -> value or values).
    """
    return diff_in(
        family or default_family(), a, b, where=where, readings=readings, known_on=known_on
    )
