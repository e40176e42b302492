"""The intermediate representation (IR) of a rule family: rules, versions, the timeline.

Every backend, analysis and renderer reads these immutable values; only the loader reads
ruleset files. A :class:`Version` is always *resolved*: its rules are the complete set in
force, its amendment (``added`` / ``replaced`` / ``repealed``) records how it differs from
the version it extends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import attrs

from disclosure._ir.conditions import All, Any_, Condition, FactTest, Not
from disclosure._ir.outcome import Outcome
from disclosure._ir.text import Text
from disclosure._ir.vocabulary import Vocabulary
from disclosure.errors import VersionError

__all__ = [
    "Act",
    "Annulment",
    "Citation",
    "ContestedPoint",
    "Family",
    "Provision",
    "Reading",
    "ReadingTest",
    "Rule",
    "Version",
    "canonical_json",
    "plain",
]

Confidence = Literal["high", "medium", "low"]
DutyBearer = Literal["institution", "staff_member", "holder"]
SanctionTrigger = Literal["disclose", "refuse", "reveal_request", "fail_to_act"]


@attrs.frozen
class Citation:
    """A legal source: act, article, paragraph, date, official URL, and the research
    sources (ids of the family's ``sources``) it was read from.

    ``date`` is the date of the provision's own text (its insertion or last
    replacement; its history is in ``note``), or of a judgment. ``general_knowledge`` is
    true when part of the citation (its date, or an amount of the penalty it sets: the
    note says which) rests on general knowledge rather than on the research sources.
    """

    act: str
    article: str
    date: dt.date
    paragraph: str | None = None
    url: str | None = None
    authorities: tuple[str, ...] = ()
    note: str | None = None
    general_knowledge: bool = False

    @property
    def label(self) -> str:
        # an article number reads "art. 458"; a judgment's reference stands as it is
        article = f"art. {self.article}" if self.article[:1].isdigit() else self.article
        text = f"{self.act}, {article}"
        if self.paragraph:
            text += f" {self.paragraph}"
        return text


@attrs.frozen
class Provision:
    """A sanction or a side obligation that a rule puts at stake.

    For a sanction, ``trigger`` says which choice it punishes: disclosing wrongly,
    refusing a lawful request, revealing the request to the client, failing to act.
    """

    id: str
    summary: Text
    source: Citation
    trigger: SanctionTrigger | None = None
    penalty: Text | None = None
    #: a short name in fr, nl and en, for decisions and reports
    label: Text | None = attrs.field(default=None, eq=False, hash=False)


@attrs.frozen
class Reading:
    """One reading of a contested point, with its short ``label`` if the family gives
    one."""

    id: str
    summary: Text
    authorities: tuple[str, ...] = ()
    label: Text | None = attrs.field(default=None, eq=False, hash=False)


@attrs.frozen
class ContestedPoint:
    """A point the law leaves open, with its competing readings and the default one."""

    id: str
    question: Text
    readings: tuple[Reading, ...]
    default: str
    brief_ref: str | None = None
    label: Text | None = attrs.field(default=None, eq=False, hash=False)

    @property
    def reading_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.readings)

    def reading(self, reading_id: str) -> Reading:
        for reading in self.readings:
            if reading.id == reading_id:
                return reading
        raise KeyError(reading_id)


@attrs.frozen
class ReadingTest:
    """A rule applies only under these readings of a contested point."""

    point: str
    readings: frozenset[str] = attrs.field(converter=frozenset)


@attrs.frozen
class Rule:
    """One rule of the law: when its condition holds, it concludes an outcome.

    ``overrides`` names the rules it sets aside when it applies (exceptions override the
    principle; exceptions to exceptions override the exception).
    """

    id: str
    summary: Text
    source: Citation
    when: Condition
    conclusion: Outcome
    overrides: tuple[str, ...] = ()
    reading: ReadingTest | None = None
    duty_bearer: DutyBearer | None = None
    addressees: tuple[str, ...] = ()
    sanctions: tuple[str, ...] = ()
    side_obligations: tuple[str, ...] = ()
    confidence: Confidence = "high"
    note: Text | None = None
    #: where the rule was defined, for error messages and the structural diff
    origin: str | None = attrs.field(default=None, eq=False, hash=False)
    #: a short name in fr, nl and en, for decisions and reports
    label: Text | None = attrs.field(default=None, eq=False, hash=False)


@attrs.frozen
class Annulment:
    """A court's annulment of a rule, from ``decided_on``.

    A retroactive annulment removes the rule from every version for anyone who knows the
    law as of ``decided_on`` or later; as known before, the rule applied.
    """

    rule: str
    decided_on: dt.date
    source: Citation
    retroactive: bool = True
    summary: Text | None = None


@attrs.frozen
class Version:
    """A complete, resolved version of the law and the dates it governs (inclusive)."""

    id: str
    title: Text
    valid_from: dt.date
    valid_until: dt.date | None
    rules: tuple[Rule, ...]
    sanctions: Mapping[str, Provision]
    side_obligations: Mapping[str, Provision]
    aliases: tuple[str, ...] = ()
    extends: str | None = None
    known_from: dt.date | None = None
    confidence: Confidence = "high"
    confidence_note: Text | None = None
    annulments: tuple[Annulment, ...] = ()
    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    repealed: tuple[str, ...] = ()
    source_file: str | None = attrs.field(default=None, eq=False)
    content_hash: str = attrs.field(default="", eq=False)

    @property
    def name(self) -> str:
        """The first alias if any (what people call it), else the id."""
        return self.aliases[0] if self.aliases else self.id

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.rules)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def governs(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


def version_in(
    spans: Iterable[tuple[dt.date, dt.date | None, Version]], on: dt.date
) -> Version | None:
    """The version whose span (see :meth:`Family.spans`) holds ``on``, if any."""
    for first, last, version in spans:
        if first <= on and (last is None or on <= last):
            return version
    return None


@attrs.frozen
class Act:
    """How an act, code or court named in citations is written in each language, and its
    English gloss (shown once beside the French name in English texts)."""

    name: Text
    gloss: str | None = None


@attrs.frozen
class Family:
    """A rule family: its vocabulary, contested points, research sources and versions
    ordered by ``valid_from``."""

    id: str
    title: Text
    vocabulary: Vocabulary
    contested: tuple[ContestedPoint, ...]
    sources: Mapping[str, Mapping[str, str]]
    versions: tuple[Version, ...]
    root: str | None = attrs.field(default=None, eq=False)
    #: act as written in citations -> its names per language (family.yaml ``acts``)
    acts: Mapping[str, Act] = attrs.field(factory=dict, eq=False, hash=False)

    def version(self, name: str | Version) -> Version:
        """The version with this id or alias (or this version itself, if it is one of the
        family's: a version of another family, or an edited copy, is a
        :class:`VersionError`, since its rules would be read with this family's facts)."""
        if isinstance(name, Version):
            for version in self.versions:
                if version is name or version == name:
                    return version
            raise VersionError(
                f"version {name.id} ({name.name}) is not one of the versions of {self.id}; "
                "pass its id or alias, or load the family it belongs to"
            )
        for version in self.versions:
            if name == version.id or name in version.aliases:
                return version
        known = [v.id for v in self.versions] + [a for v in self.versions for a in v.aliases]
        from disclosure.errors import did_you_mean, excerpt

        hint = did_you_mean(name, known)
        listing = "; ".join(
            f"{v.id} ({', '.join(v.aliases)})" if v.aliases else v.id for v in self.versions
        )
        message = f"unknown version {excerpt(name)}; versions: {listing}"
        if hint:
            message += f"; did you mean {hint!r}?"
        raise VersionError(message)

    def contested_point(self, point_id: str) -> ContestedPoint:
        for point in self.contested:
            if point.id == point_id:
                return point
        raise KeyError(point_id)

    @property
    def annulments(self) -> tuple[Annulment, ...]:
        return tuple(a for v in self.versions for a in v.annulments)

    def known_versions(self, known_on: dt.date) -> tuple[Version, ...]:
        """The versions that existed as the law was known on ``known_on``."""
        return tuple(v for v in self.versions if (v.known_from or v.valid_from) <= known_on)

    def spans(
        self, known_on: dt.date | None = None
    ) -> tuple[tuple[dt.date, dt.date | None, Version], ...]:
        """Each version's days in force as the law was known on ``known_on``: ``(first,
        last or None when open, version)``, in order (see :meth:`version_on`)."""
        known = self.known_versions(known_on) if known_on is not None else self.versions
        # by identity: ``in`` would compare whole versions field by field
        known_ids = {id(version) for version in known}
        day = dt.timedelta(days=1)
        spans = []
        for index, version in enumerate(known):
            until = version.valid_until
            if until is not None:
                successor = next((v for v in self.versions if v.valid_from == until + day), None)
                if successor is not None and id(successor) not in known_ids:
                    until = None  # ended by a version not yet known on known_on
            if index + 1 < len(known):
                cap = known[index + 1].valid_from - day
                until = cap if until is None else min(until, cap)
            spans.append((version.valid_from, until, version))
        return tuple(spans)

    def version_on(self, on: dt.date, known_on: dt.date | None = None) -> Version:
        """The version in force on ``on`` as the law was known on ``known_on``.

        A version not yet known on ``known_on`` does not exist for that question; the one
        before it then governs until it is replaced by a known one.
        """
        found = version_in(self.spans(known_on), on)
        if found is not None:
            return found
        listing = "; ".join(
            f"{v.name}: {v.valid_from} .. {v.valid_until or 'open'}" for v in self.versions
        )
        first = self.versions[0].valid_from if self.versions else None
        why = "before the first version" if first is not None and on < first else "in a gap"
        raise VersionError(f"no version of {self.id} governs {on} ({why}); versions: {listing}")

    def annulled_as_known(self, version: Version, known_on: dt.date) -> tuple[Annulment, ...]:
        """Annulments known on ``known_on`` that remove rules of ``version``."""
        ids = set(version.rule_ids)
        return tuple(
            a
            for a in self.annulments
            if a.rule in ids
            and a.decided_on <= known_on
            and (a.retroactive or version.valid_from >= a.decided_on)
        )


def plain(value: Any) -> Any:
    """An IR value as plain JSON-ready data (the basis of :func:`canonical_json`): the
    same data, with the keys in the same (sorted) order, as ``json.loads`` of its
    canonical JSON."""
    convert = _converters.get(type(value))
    if convert is None:
        convert = _converters[type(value)] = _converter_for(type(value))
    return convert(value)


def _same(value: Any) -> Any:
    return value


def _plain_set(value: Any) -> Any:
    return sorted((plain(v) for v in value), key=repr)


def _plain_mapping(value: Any) -> Any:
    return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}


def _plain_sequence(value: Any) -> Any:
    return [plain(v) for v in value]


def _converter_for(kind: type) -> Callable[[Any], Any]:
    """How :func:`plain` converts a value of ``kind``: decided once per type (a decision
    holds thousands of values of a dozen types), in the order of the checks below."""
    if issubclass(kind, Outcome):
        return lambda value: value.value
    if issubclass(kind, dt.date):
        return lambda value: value.isoformat()
    if issubclass(kind, frozenset | set):
        return _plain_set
    if issubclass(kind, FactTest):
        return lambda value: {"fact": value.fact, "in": plain(value.values)}
    if issubclass(kind, All):
        return lambda value: {"all": [plain(i) for i in value.items]}
    if issubclass(kind, Any_):
        return lambda value: {"any": [plain(i) for i in value.items]}
    if issubclass(kind, Not):
        return lambda value: {"not": plain(value.item)}
    if attrs.has(kind):
        # keys in sorted order, as canonical JSON has them: plain(x) is then the same data,
        # in the same order, as json.loads(canonical_json(x)), without the round trip
        names = tuple(
            sorted((f.name.lstrip("_"), f.name) for f in attrs.fields(kind) if f.eq and f.init)
        )
        return lambda value: {key: plain(getattr(value, name)) for key, name in names}
    if issubclass(kind, Mapping):
        return _plain_mapping
    if issubclass(kind, tuple | list):
        return _plain_sequence
    return _same


#: the converter of each type met by :func:`plain`
_converters: dict[type, Callable[[Any], Any]] = {}


def canonical_json(value: Any) -> str:
    """A canonical JSON text of an IR value: the basis of content hashes."""
    return json.dumps(plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(version: Version, vocabulary: Vocabulary) -> str:
    """sha256 of the resolved version together with the vocabulary it is read against."""
    payload = canonical_json({"vocabulary": vocabulary, "version": version})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
