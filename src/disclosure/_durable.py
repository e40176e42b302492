"""The durable_rules backend: which rules of a ruleset apply to a situation, decided by
the durable_rules Rete engine (2.0.28, C core).

Each rule becomes two durable rules: ``<id>$holds``, its condition with ``Not`` removed by
:func:`~disclosure._conditions.to_positive`, and ``<id>$fails``, its negation (also
positive) guarded by "some fact of the rule is missing". A situation is asserted as one
fact in a fresh session. A missing fact makes every comparison on it false, so when missing
facts leave a condition open neither rule fires and the rule's applicability is ``None``
(Kleene's three-valued logic). When the rule's facts are all given, a condition that does
not hold fails: the guard spares those firings (most rules fail in any given situation,
and firings are the costly part). The actions record which rules fired, which durable does
not report.

durable_rules 2.0.28 has pitfalls, each wrapped here and named where it is handled (the
tests in ``tests/test_durable.py`` reproduce each one):

- *post consumes*: ``post`` lets only one rule consume an event -> ``assert_fact``.
- *session cap*: at most 1024 live sessions per ruleset (``MemoryError``) -> a fresh
  session per evaluation, always deleted.
- *unanchored pattern loops*: a pattern of only negative or existence tests matches the
  engine's own state document and loops -> every pattern starts with an equality test on a
  marker field that only our facts carry.
- *missing field*: a comparison on a missing field is false, "not equal" included -> the
  positive form above, and ``None`` when neither rule fires.
- *duplicate firings*: a rule whose ``$or`` has several true branches fires once per
  branch -> each rule has a ``cap``, so that durable gives all its matches to one call
  of the action, and firings are deduplicated.
- *swallowed exceptions*: an exception raised in an action is caught by durable and
  stored in the session state -> the state is checked after each assertion.
- *timer threads*: the default ``Host`` starts timer threads that crash with several
  Python threads -> a host without them, everything driven synchronously, one lock.
- *mutated definitions*: ``register_rulesets`` mutates the dict it is given, and a
  ruleset cannot be unregistered -> a deep copy, registered once per process per key.
- *list segfault*: a list value in a fact crashes the process -> situations are
  validated first.
- *engine limits*: the alpha network is walked with a 64-entry stack (error 303: e.g.
  65 patterns behind one shared node, or an ``$or`` with 65 true branches) and a pattern
  holds at most 32 expressions (error 113: about 15 ``$and``/``$or`` groups) -> every
  pattern gets a private prefix through a tree of fan-out 4, fact tests are encoded
  without groups where they can be, and a condition over budget is split into several
  patterns joined by the rule's ``all``, or into several rules (durable's ``any`` between
  patterns is not used: it misses matches of an ``$or`` pattern that is not its first).
- *import*: durable builds from source and does not import on Python 3.13+ -> imported
  lazily; :func:`durable_available` says whether it can be used.
"""

from __future__ import annotations

import copy
import itertools
import re
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeAlias

import attrs

from disclosure._conditions import All, Any_, Condition, FactTest, condition_facts, to_positive
from disclosure._ruleset import Rule
from disclosure.errors import EngineError

__all__ = [
    "DurableMatcher",
    "DurableRun",
    "durable_available",
    "require_durable",
]

Verdict = Literal["holds", "fails"]
Algebra = Literal["all", "any"]

# ---------------------------------------------------------------------------------------
# Engine limits (durable_rules 2.0.28, src/rules/rules.h and rete.h). The budgets below
# keep every pattern well inside them.

#: Entries of the stack with which durable walks the alpha network (error 303 beyond).
STACK_SIZE = 64
#: ``$and``/``$or`` groups allowed in one pattern: each uses two of its 32 expression
#: slots (error 113 at 32), the pattern's own ``$and`` included.
MAX_PATTERN_GROUPS = 12
#: Upper bound of stack entries one pattern may need (see :func:`_weight`).
MAX_PATTERN_WEIGHT = 32
#: Children per node of the private-prefix tree: each level can leave ``FANOUT - 1``
#: siblings on the stack.
ROUTE_FANOUT = 4
#: Durable rules one condition over budget may be split into.
MAX_ALTERNATIVES = 64
#: Matches of a rule handed to one call of its action (durable's ``cap``, at most 65535).
ACTION_CAP = 1000
#: Rules (actions) a durable ruleset may hold (MAX_ACTIONS is 4096).
MAX_RULES = 4000
#: Properties a fact may carry (error 302 at about 250), markers and ``sid`` included.
MAX_FIELDS = 200

#: Marker fields every asserted fact carries. ``anchor`` is the positive test at the head
#: of every pattern (pitfall: unanchored pattern loops); ``route`` feeds the private
#: prefix tests (pitfall: engine limits).
_ANCHOR = "anchor"
_ROUTE = "route"
#: durable's error code for an unknown session, raised when deleting one never created.
_SID_NOT_FOUND = 309
_ENGINE_ERRORS = {
    113: "a pattern has too many $and/$or groups",
    302: "the fact has too many properties",
    303: "too many alpha nodes matched at once (stack of 64)",
}

# ---------------------------------------------------------------------------------------
# Lazy import (pitfall: import). Nothing imports durable until a matcher is built.

_IMPORT_LOCK = threading.Lock()
_engine_module: Any = None
_import_failure: str | None = None


def _import_engine() -> Any:
    """durable's ``engine`` module, imported on first use; ``None`` if it cannot import."""
    global _engine_module, _import_failure
    with _IMPORT_LOCK:
        if _engine_module is None and _import_failure is None:
            try:
                import durable.engine as engine_module  # lazily: pitfall import
            except Exception as error:  # ImportError, or a broken build of the C core
                _import_failure = f"{type(error).__name__}: {error}"
            else:
                _engine_module = engine_module
        return _engine_module


def durable_available() -> bool:
    """Whether durable_rules can be imported on this Python (it cannot on 3.13+)."""
    return _import_engine() is not None


def require_durable() -> Any:
    """durable's ``engine`` module, or :class:`EngineError` saying what to use instead."""
    engine_module = _import_engine()
    if engine_module is None:
        version = ".".join(str(part) for part in sys.version_info[:3])
        raise EngineError(
            f"durable_rules is not available on this Python ({version}; {_import_failure}); "
            "use engine='compiled'"
        )
    return engine_module


# ---------------------------------------------------------------------------------------
# Conditions -> durable patterns


def _fold(condition: Condition, domains: Mapping[str, tuple[Any, ...]]) -> Condition | bool:
    """A ``Not``-free condition with constants folded away, or the constant it equals.

    An empty ``All`` is true and an empty ``Any`` false whatever the situation, so they
    become Python booleans (durable has no pattern for either). A fact test keeps only
    the values of the fact's domain; with none left it is false. A test that allows the
    whole domain is *not* true: on a missing fact it is unknown.
    """
    if isinstance(condition, FactTest):
        domain = domains[condition.fact]
        inside = frozenset(value for value in domain if value in condition.values)
        return FactTest(condition.fact, inside) if inside else False
    conjunctive = isinstance(condition, All)
    if not isinstance(condition, All | Any_):
        raise EngineError(f"unexpected condition in positive form: {condition!r}")
    items: list[Condition] = []
    for item in condition.items:
        folded = _fold(item, domains)
        if folded is (not conjunctive):  # False in an All, True in an Any: decides it
            return not conjunctive
        if isinstance(folded, bool):
            continue  # True in an All, False in an Any: neutral
        if isinstance(folded, All | Any_) and isinstance(folded, All) == conjunctive:
            items.extend(folded.items)  # flattened: All(a, All(b, c)) is All(a, b, c)
        else:
            items.append(folded)
    if not items:
        return conjunctive
    return _join("all" if conjunctive else "any", items)


@attrs.frozen
class _Missing:
    """A test only the compiler uses: true when ``fact`` is missing from the situation."""

    fact: str


#: The patterns one durable rule joins with its ``all`` (one, unless a condition is over
#: budget); ``True`` is a pattern of the bare anchor.
_Conjunction: TypeAlias = tuple[Condition | bool, ...]


def _join(kind: Algebra, items: Sequence[Condition]) -> Condition:
    """The ``All`` (``Any``) of ``items``; the item itself when there is one."""
    if len(items) == 1:
        return items[0]
    return All(items) if kind == "all" else Any_(items)


class _Compiler:
    """Turns folded conditions into durable JSON patterns for one ruleset."""

    def __init__(self, fields: Mapping[str, str], domains: Mapping[str, tuple[Any, ...]]):
        self._fields = fields
        self._domains = domains
        self._routes: dict[tuple[int, ...], int] = {}
        self._levels = 1
        self._patterns = 0

    # -- fact tests -----------------------------------------------------------------

    def _test(self, test: FactTest) -> list[dict[str, Any]]:
        """The chain of durable tests for one fact test.

        Groups are scarce (pitfall: engine limits), so a test is encoded without one
        when it can be: one equality; an existence test when the whole domain is allowed;
        or "not equal" to each excluded value, which is false on a missing fact (pitfall:
        missing field) just as the test itself must be. Only when the excluded values
        outnumber the allowed ones does it become an ``$or`` of equalities.
        """
        field = self._fields[test.fact]
        domain = self._domains[test.fact]
        inside = [value for value in domain if value in test.values]
        outside = [value for value in domain if value not in test.values]
        if len(inside) == 1:
            return [{field: inside[0]}]
        if not outside:
            return [{"$ex": {field: 1}}]
        if len(outside) <= len(inside):
            return [{"$neq": {field: value}} for value in outside]
        return [{"$or": [{field: value} for value in inside]}]

    def _chain(self, condition: Condition) -> list[dict[str, Any]]:
        """The tests of ``condition`` as items of an enclosing ``$and``."""
        if isinstance(condition, FactTest):
            return self._test(condition)
        if isinstance(condition, _Missing):
            return [{"$nex": {self._fields[condition.fact]: 1}}]
        if isinstance(condition, All):
            return [test for item in condition.items for test in self._chain(item)]
        if isinstance(condition, Any_):
            return [{"$or": [self._single(item) for item in condition.items]}]
        raise EngineError(f"unexpected condition in positive form: {condition!r}")

    def _single(self, condition: Condition) -> dict[str, Any]:
        chain = self._chain(condition)
        return chain[0] if len(chain) == 1 else {"$and": chain}

    # -- budgets (pitfall: engine limits) -------------------------------------------------

    def _groups(self, condition: Condition) -> int:
        """``$and``/``$or`` groups of the pattern for ``condition``, its own included."""
        return 1 + sum(_count_groups(test) for test in self._chain(condition))

    def _weight(self, condition: Condition) -> int:
        """An upper bound of the stack entries the pattern can hold at once.

        durable pushes every matching child of a node it visits: a fact test adds one
        entry at a time (two for an ``$or``: a branch, then the node that joins them); an
        ``Any`` can leave each of its branches waiting, plus its joining node.
        """
        if isinstance(condition, FactTest):
            return 2 if "$or" in self._test(condition)[0] else 1
        if isinstance(condition, _Missing):
            return 1
        if not isinstance(condition, All | Any_):
            raise EngineError(f"unexpected condition in positive form: {condition!r}")
        inner = sum(self._weight(item) for item in condition.items)
        return inner + 1 if isinstance(condition, Any_) else inner

    def fits(self, condition: Condition | bool) -> bool:
        """Whether ``condition`` fits in one pattern."""
        if isinstance(condition, bool):
            return True
        return (
            self._groups(condition) <= MAX_PATTERN_GROUPS
            and self._weight(condition) <= MAX_PATTERN_WEIGHT
        )

    def alternatives(self, condition: Condition | bool) -> list[_Conjunction]:
        """The durable rules that conclude ``condition``: it holds when any of them fires.

        Usually one rule of one pattern. A condition over the budgets is split: an ``Any``
        into several rules with the same conclusion, an ``All`` into several patterns that
        the rule joins with ``all``. durable's ``any`` between patterns is not used: in
        2.0.28 it misses the matches of an ``$or`` pattern that is not its first.
        """
        if self.fits(condition):
            return [(condition,)]
        if not isinstance(condition, All | Any_):  # a fact test fits any sane budget
            raise EngineError(f"a fact test exceeds the pattern budgets: {condition!r}")
        kind: Algebra = "all" if isinstance(condition, All) else "any"
        chunks, oversized = self._pack(kind, condition.items)
        if kind == "any":
            result: list[_Conjunction] = [(chunk,) for chunk in chunks]
            for item in oversized:
                result.extend(self.alternatives(item))
            return result
        conjunctions: list[_Conjunction] = [tuple(chunks)]
        for item in oversized:  # All(.., Any(a, b)) = Any(All(.., a), All(.., b))
            options = self.alternatives(item)
            conjunctions = [done + option for done in conjunctions for option in options]
            if len(conjunctions) > MAX_ALTERNATIVES:
                raise EngineError("a condition is too large for durable_rules")
        return conjunctions

    def _pack(
        self, kind: Algebra, items: Sequence[Condition]
    ) -> tuple[list[Condition], list[Condition]]:
        """``items`` packed greedily into conditions that fit, and those that never do."""
        chunks: list[Condition] = []
        oversized: list[Condition] = []
        chunk: list[Condition] = []
        for item in items:
            if not self.fits(item):
                oversized.append(item)
            elif chunk and not self.fits(_join(kind, [*chunk, item])):
                chunks.append(_join(kind, chunk))
                chunk = [item]
            else:
                chunk.append(item)
        if chunk:
            chunks.append(_join(kind, chunk))
        return chunks, oversized

    # -- private prefixes (pitfall: engine limits) ----------------------------------------

    def reserve(self, patterns: int) -> None:
        """Size the prefix tree for ``patterns`` patterns.

        durable shares an alpha node between patterns that test the same thing after the
        same prefix, and pushes all of a node's matching successors at once: sixty-five
        patterns behind one shared node overflow its stack. A private prefix per pattern,
        through a tree of fan-out :data:`ROUTE_FANOUT`, leaves at most ``FANOUT - 1``
        waiting siblings per level.
        """
        if patterns > MAX_RULES:
            raise EngineError(f"{patterns} durable patterns: a ruleset takes at most {MAX_RULES}")
        levels = 1
        while ROUTE_FANOUT**levels < patterns:
            levels += 1
        assert 2 + (ROUTE_FANOUT - 1) * levels + MAX_PATTERN_WEIGHT < STACK_SIZE
        self._levels = levels

    def _route(self) -> list[dict[str, Any]]:
        """The next pattern's prefix: tests true for every fact (its ``route`` is 0) but
        each a distinct node of the tree, so that durable shares none between patterns."""
        index = self._patterns
        self._patterns += 1
        digits = [index // ROUTE_FANOUT**level % ROUTE_FANOUT for level in range(self._levels)]
        digits.reverse()
        return [
            {"$lt": {_ROUTE: self._routes.setdefault(tuple(digits[:depth]), len(self._routes) + 1)}}
            for depth in range(1, self._levels + 1)
        ]

    def pattern(self, condition: Condition | bool) -> dict[str, Any]:
        """A pattern: the anchor, a private prefix, then the condition's tests."""
        tests = [{_ANCHOR: 1}, *self._route()]
        if not isinstance(condition, bool):
            tests.extend(self._chain(condition))
        return {"$and": tests}

    def rule(self, conjunction: _Conjunction, action: Callable[[Any], None]) -> dict[str, Any]:
        """The durable rule joining ``conjunction``'s patterns, with its action.

        ``cap``: durable hands all the matches of a rule to one call of its action (up to
        the cap) instead of one call per match, and an ``$or`` with several true branches
        matches once per branch (pitfall: duplicate firings). Actions are the costly part
        of an evaluation.
        """
        if len(conjunction) == 1:
            patterns = [{"m": self.pattern(conjunction[0])}]
            return {"all": patterns, "cap": ACTION_CAP, "run": action}
        patterns = [{f"p{index}": self.pattern(part)} for index, part in enumerate(conjunction)]
        # dist 0: the one asserted fact may match several patterns of the same rule
        return {"all": patterns, "dist": 0, "cap": ACTION_CAP, "run": action}


def _count_groups(test: Any) -> int:
    """``$and``/``$or`` groups in a piece of a durable pattern."""
    if isinstance(test, dict):
        own = 1 if ("$and" in test or "$or" in test) else 0
        return own + sum(_count_groups(value) for value in test.values())
    if isinstance(test, list):
        return sum(_count_groups(item) for item in test)
    return 0


_SAFE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,62}")


def _field_names(facts: Sequence[str]) -> dict[str, str]:
    """durable property names for the facts: prefixed, so that no fact can clash with
    ``sid``, ``id`` or the markers, and by position when a name has other characters."""
    return {
        fact: f"f_{fact}" if _SAFE_NAME.fullmatch(fact) else f"f{index}"
        for index, fact in enumerate(facts)
    }


# ---------------------------------------------------------------------------------------
# Registration: once per process per key (pitfall: mutated definitions)

#: One lock for everything that touches durable: its C core is process-global and not
#: thread-safe (pitfall: timer threads).
_LOCK = threading.RLock()
_host: Any = None
_registry: dict[str, _Registration] = {}
_names = itertools.count(1)
_sessions = itertools.count(1)


def _quiet_host() -> Any:
    """The process's durable host, without the timer threads of the default one."""
    global _host
    if _host is None:
        engine_module = require_durable()

        class QuietHost(engine_module.Host):  # type: ignore[misc, name-defined]
            """A host that starts no timer threads: evaluation is driven synchronously
            under :data:`_LOCK` (pitfall: timer threads)."""

            def _run(self) -> None:
                return None

        _host = QuietHost()
    return _host


@attrs.define(eq=False)
class _Registration:
    """A compiled ruleset, registered with durable, and what its actions record."""

    #: what was compiled: the rules and the domains, to check that a key is reused for
    #: the same ruleset only
    source: tuple[tuple[Rule, ...], tuple[tuple[str, tuple[Any, ...]], ...]]
    rule_ids: tuple[str, ...]
    #: the facts each rule reads
    rule_facts: tuple[frozenset[str], ...]
    #: fact name -> durable property name
    fields: Mapping[str, str]
    #: the durable ruleset's name, once registered
    name: str = ""
    #: durable rule name -> (index of the rule, verdict); the sentinel maps to None
    targets: dict[str, tuple[int, Verdict] | None] = attrs.field(factory=dict)
    #: the definition as built, with its actions (durable was given a deep copy)
    definition: dict[str, Any] = attrs.field(factory=dict)
    #: session id -> durable rule names matched so far, in order, once per match
    firings: dict[str, list[str]] = attrs.field(factory=dict)

    def action(self, durable_name: str) -> Callable[[Any], None]:
        """An action recording that ``durable_name`` fired (durable does not say)."""

        def record(closure: Any) -> None:
            # with a cap, durable passes the rule's matches as a list: one per match
            matches = len(closure.m) if isinstance(closure.m, list) else 1
            self.firings[closure.s.sid].extend([durable_name] * matches)

        return record


_SENTINEL = "done"
_VERDICTS: tuple[Verdict, ...] = ("holds", "fails")


def _source(
    rules: Sequence[Rule], domains: Mapping[str, tuple[Any, ...]]
) -> tuple[tuple[Rule, ...], tuple[tuple[str, tuple[Any, ...]], ...]]:
    return tuple(rules), tuple(sorted(domains.items()))


def _compile(rules: Sequence[Rule], domains: Mapping[str, tuple[Any, ...]]) -> _Registration:
    """A registration for ``rules``, its durable definitions built, not yet registered."""
    ids = tuple(rule.id for rule in rules)
    if len(set(ids)) != len(ids):
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        raise EngineError(f"duplicate rule ids: {', '.join(duplicates)}")
    rule_facts = tuple(condition_facts(rule.when) for rule in rules)
    facts = sorted(set(domains).union(*rule_facts))
    if len(facts) > MAX_FIELDS:
        raise EngineError(f"{len(facts)} facts: durable_rules takes at most {MAX_FIELDS}")
    registration = _Registration(_source(rules, domains), ids, rule_facts, _field_names(facts))
    compiler = _Compiler(registration.fields, domains)
    conjunctions: dict[str, _Conjunction] = {}
    for index, rule in enumerate(rules):
        for verdict in _VERDICTS:
            condition = _verdict_condition(rule, domains, verdict)
            if condition is False:
                continue  # can never fire
            alternatives = compiler.alternatives(condition)
            for number, conjunction in enumerate(alternatives):
                name = f"r{index}_{verdict}" + (f"_{number}" if len(alternatives) > 1 else "")
                conjunctions[name] = conjunction
                registration.targets[name] = (index, verdict)
    compiler.reserve(1 + sum(len(conjunction) for conjunction in conjunctions.values()))
    # the sentinel always fires: proof that the engine ran the actions of the fact
    definition = {_SENTINEL: compiler.rule((True,), registration.action(_SENTINEL))}
    for name, conjunction in conjunctions.items():
        definition[name] = compiler.rule(conjunction, registration.action(name))
    registration.definition = definition
    return registration


def _verdict_condition(
    rule: Rule, domains: Mapping[str, tuple[Any, ...]], verdict: Verdict
) -> Condition | bool:
    """What the durable rule concluding ``verdict`` for ``rule`` tests, constants folded.

    ``holds``: the condition. ``fails``: its negation, *and some fact of the rule
    missing*. When the rule's facts are all given, a condition that does not hold fails,
    and most rules fail in a given situation: the guard spares those firings, which are
    the costly part of an evaluation.
    """
    try:
        positive = to_positive(rule.when, domains, negate=verdict == "fails")
        folded = _fold(positive, domains)
    except KeyError as error:
        raise EngineError(
            f"rule {rule.id!r} tests fact {error.args[0]!r}, which has no domain"
        ) from None
    if verdict == "holds" or folded is False:
        return folded
    missing = [_Missing(fact) for fact in sorted(condition_facts(rule.when))]
    if not missing:
        return False  # no fact to miss: the holds rule alone decides
    guard = _join("any", missing)  # type: ignore[arg-type]
    return guard if folded is True else _join("all", [guard, folded])


def _register(
    key: str, rules: Sequence[Rule], domains: Mapping[str, tuple[Any, ...]]
) -> _Registration:
    """The registration for ``key``, registered with durable the first time only: durable
    cannot unregister a ruleset (pitfall: mutated definitions)."""
    with _LOCK:
        host = _quiet_host()
        existing = _registry.get(key)
        if existing is not None:
            if existing.source != _source(rules, domains):
                raise EngineError(
                    f"ruleset key {key!r} is already registered with different rules; "
                    "a key must identify one ruleset (family, version, content hash)"
                )
            return existing
        registration = _compile(rules, domains)
        name = f"disclosure_{next(_names)}"  # unique, and only characters durable takes
        try:
            # durable deletes each rule's "run" from the dict it is given (pitfall:
            # mutated definitions): it gets a copy, the registration keeps the original
            host.register_rulesets({name: copy.deepcopy(registration.definition)})
        except Exception as error:
            raise EngineError(
                f"durable_rules rejected ruleset {key!r}: {_describe(error)}"
            ) from error
        registration.name = name
        _registry[key] = registration
        return registration


def _describe(error: BaseException) -> str:
    """durable's error message, with what its error code means when we know it."""
    text = str(error)
    match = re.search(r"error code: (\d+)", text)
    if match and int(match.group(1)) in _ENGINE_ERRORS:
        text += f" ({_ENGINE_ERRORS[int(match.group(1))]})"
    return text


# ---------------------------------------------------------------------------------------
# Evaluation


@attrs.frozen
class DurableRun:
    """One evaluation by durable_rules.

    ``applicability`` maps every rule id to ``True`` (its condition holds), ``False`` (it
    fails) or ``None`` (missing facts leave it open). ``fired`` names the durable rules
    that fired (``<id>$holds`` / ``<id>$fails``), each once, in firing order: a rule whose
    facts are all given and whose condition does not hold is ``False`` without a
    ``$fails`` firing. ``activations`` counts durable's matches, duplicates included.
    """

    applicability: Mapping[str, bool | None]
    fired: tuple[str, ...]
    activations: int


class DurableMatcher:
    """Evaluates the conditions of a ruleset's rules with durable_rules.

    ``key`` identifies the ruleset (family, version, content hash): durable cannot
    unregister a ruleset, so each key is registered once per process and later matchers
    with the same key share the registration. Thread-safe.
    """

    def __init__(
        self, key: str, rules: Sequence[Rule], domains: Mapping[str, tuple[Any, ...]]
    ) -> None:
        require_durable()  # a clear error where durable cannot import (pitfall: import)
        self.key = key
        self._domains = {fact: tuple(values) for fact, values in domains.items()}
        self._registration = _register(key, rules, self._domains)

    @property
    def ruleset_name(self) -> str:
        """The name under which durable knows this ruleset."""
        return self._registration.name

    @property
    def definition(self) -> Mapping[str, Any]:
        """The durable ruleset as built, with its actions."""
        return self._registration.definition

    def match(self, situation: Mapping[str, Any]) -> dict[str, bool | None]:
        """Every rule's applicability to ``situation``: ``True``, ``False`` or ``None``."""
        return dict(self.run(situation).applicability)

    def run(self, situation: Mapping[str, Any]) -> DurableRun:
        """Evaluate ``situation`` and say which durable rules fired."""
        fact, given = self._fact(situation)
        registration = self._registration
        closed = [facts <= given for facts in registration.rule_facts]
        with _LOCK:
            firings = self._fire(fact)
        return self._result(firings, closed)

    def _fact(self, situation: Mapping[str, Any]) -> tuple[dict[str, Any], frozenset[str]]:
        """The fact to assert and the facts it gives, after checking every value (pitfall:
        list segfault: a list, or anything but a string or a boolean, must never reach
        the engine)."""
        if not isinstance(situation, Mapping):
            raise EngineError(f"a situation must be a mapping, not {type(situation).__name__}")
        fields = self._registration.fields
        fact: dict[str, Any] = {_ANCHOR: 1, _ROUTE: 0}
        given = []
        for name, value in situation.items():
            if type(value) is not str and type(value) is not bool:
                raise EngineError(
                    f"fact {name!r} has a {type(value).__name__} value ({value!r}); "
                    "the durable engine takes only strings and booleans"
                )
            if name not in fields:
                continue  # no rule reads it
            domain = self._domains.get(name)
            if domain is not None and value not in domain:
                raise EngineError(
                    f"fact {name!r} cannot be {value!r}; allowed values: "
                    + ", ".join(map(str, domain))
                )
            fact[fields[name]] = value
            given.append(name)
        return fact, frozenset(given)

    def _fire(self, fact: Mapping[str, Any]) -> list[str]:
        """Assert ``fact`` in a fresh session and return the durable rules that fired,
        once per match.

        Called under :data:`_LOCK`. ``assert_fact``, not ``post``, so that every matching
        rule fires (pitfall: post consumes); the actions run synchronously, in this
        thread; the session is deleted whatever happens (pitfall: session cap).
        """
        registration = self._registration
        ruleset = registration.name
        host = _quiet_host()
        sid = str(next(_sessions))
        firings = registration.firings[sid] = []
        try:
            try:
                state = host.assert_fact(ruleset, {**fact, "sid": sid})
            except Exception as error:
                raise EngineError(f"durable_rules failed: {_describe(error)}") from error
            _check_state(state)
        finally:
            del registration.firings[sid]
            _delete_session(host, ruleset, sid)
        if _SENTINEL not in firings:
            raise EngineError("durable_rules did not run the actions of the situation")
        return [name for name in firings if name != _SENTINEL]

    def _result(self, firings: list[str], closed: Sequence[bool]) -> DurableRun:
        """Verdicts from the firings; a closed rule (every fact given) that did not hold
        fails."""
        registration = self._registration
        verdicts: list[Verdict | None] = [None] * len(registration.rule_ids)
        fired: dict[str, None] = {}  # an ordered set (pitfall: duplicate firings)
        for durable_name in firings:
            target = registration.targets[durable_name]
            assert target is not None  # the sentinel was left out
            index, verdict = target
            if verdicts[index] not in (None, verdict):
                rule_id = registration.rule_ids[index]
                raise EngineError(f"rule {rule_id!r} both holds and fails: an engine defect")
            verdicts[index] = verdict
            fired[f"{registration.rule_ids[index]}${verdict}"] = None
        applicability = {
            rule_id: (verdict == "holds") if verdict is not None or is_closed else None
            for rule_id, verdict, is_closed in zip(
                registration.rule_ids, verdicts, closed, strict=True
            )
        }
        return DurableRun(applicability, tuple(fired), len(firings))


def _check_state(state: Any) -> None:
    """Raise what an action raised: durable catches it and only writes it into the
    session state (pitfall: swallowed exceptions)."""
    if isinstance(state, Mapping) and "exception" in state:
        raise EngineError(f"an action failed inside durable_rules: {state['exception']}")


def _delete_session(host: Any, ruleset: str, sid: str) -> None:
    """Delete a session (pitfall: session cap); one never created is no error."""
    try:
        host.delete_state(ruleset, sid)
    except Exception as error:
        if f"error code: {_SID_NOT_FOUND}" in str(error):
            return
        raise EngineError(f"durable_rules could not delete session {sid}: {error}") from error
