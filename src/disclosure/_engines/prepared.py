"""A version of the law made ready to evaluate: its effective rules and their backends.

Preparing is the costly part (compiling closures, registering with durable_rules,
building decision diagrams); it is done once per (version, annulments known) and cached
for the life of the process. All lazily built parts are guarded by a lock, so a prepared
version may be shared across threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar, cast

from disclosure._engines.compiled import CompiledMatcher
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Family, Rule, Version

__all__ = ["Matcher", "PreparedVersion", "prepare", "rules_for_readings"]

T = TypeVar("T")


class Matcher(Protocol):
    def match(self, situation: Mapping[str, Any]) -> dict[str, bool | None]: ...


def rules_for_readings(rules: tuple[Rule, ...], readings: Mapping[str, str]) -> tuple[Rule, ...]:
    """The rules in play under the chosen readings of the contested points."""
    return tuple(
        rule
        for rule in rules
        if rule.reading is None or readings.get(rule.reading.point) in rule.reading.readings
    )


class PreparedVersion:
    """One version with the annulments known applied, and its backends."""

    def __init__(self, family: Family, version: Version, annulled: frozenset[str]) -> None:
        self.family = family
        self.version = version
        self.annulled = annulled
        self.rules = tuple(rule for rule in version.rules if rule.id not in annulled)
        self.key = (
            f"{family.id}|{version.id}|{version.content_hash[:16]}|{','.join(sorted(annulled))}"
        )
        self.compiled = CompiledMatcher(self.rules, tuple(family.vocabulary.domains))
        self._lock = threading.Lock()
        self._durable: Matcher | None = None
        self._symbolic: dict[tuple[tuple[str, str], ...], Any] = {}
        #: what later stages keep with this version, by key (see :meth:`attach`)
        self.attachments: dict[tuple[Any, ...], object] = {}

    def durable(self) -> Matcher:
        with self._lock:
            if self._durable is None:
                from disclosure._engines.durable import DurableMatcher

                self._durable = DurableMatcher(self.key, self.rules, self.family.vocabulary.domains)
            return self._durable

    def symbolic(self, readings: Mapping[str, str]) -> Any:
        """The decision diagram of the outcome under these readings."""
        key = tuple(sorted(readings.items()))
        with self._lock:
            found = self._symbolic.get(key)
            if found is None:
                from disclosure._engines.symbolic import build_outcome

                found = build_outcome(
                    self.family.vocabulary, rules_for_readings(self.rules, readings)
                )
                self._symbolic[key] = found
            return found

    def attach(self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        """What a later stage keeps with this version under ``key`` (its first item names
        the kind of thing kept), made by ``build()`` on first use, once, whichever thread
        asks first. Read :attr:`attachments` first: a lookup there needs no lock.

        This is how the decide stage keeps its decision maker beside the backends without
        this stage knowing of it (data flows one way)."""
        with self._lock:
            found = self.attachments.get(key)
            if found is None:
                found = self.attachments[key] = build()
        return cast(T, found)

    def forget(self, kind: str) -> None:
        """Drop every object of ``kind`` attached to this version (a benchmark measures a
        cold start this way)."""
        with self._lock:
            for key in [key for key in self.attachments if key[0] == kind]:
                del self.attachments[key]

    def open_outcomes(
        self, partial: Mapping[str, Any], readings: Mapping[str, str]
    ) -> tuple[tuple[Outcome, ...], tuple[str, ...]]:
        """For a partial situation: the outcomes still possible, and the facts needed.

        Completions that a defective ruleset leaves without an outcome (a gap or a
        conflict) count as another answer: facts are still needed when some completions
        have an outcome and others none, though only one outcome is possible."""
        diagram = self.symbolic(readings)
        terminals = diagram.possible_outcomes(partial)
        outcomes = tuple(o for o in Outcome if o in terminals)
        needed = tuple(diagram.needed_facts(partial)) if len(terminals) > 1 else ()
        return outcomes, needed


_cache: dict[tuple[str, str, str, frozenset[str]], PreparedVersion] = {}
_cache_lock = threading.Lock()


def prepare(family: Family, version: Version, annulled: frozenset[str]) -> PreparedVersion:
    """The cached prepared form of ``version`` with the rules ``annulled`` removed."""
    key = (family.id, version.id, version.content_hash, annulled)
    with _cache_lock:
        found = _cache.get(key)
        if found is None:
            found = PreparedVersion(family, version, annulled)
            _cache[key] = found
        return found
