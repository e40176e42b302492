"""The durable_rules backend: which rules of a ruleset apply to a situation, decided by
the durable_rules Rete engine (2.0.28, C core).

Each rule becomes two durable rules: ``<id>$holds``, its condition with ``Not`` removed by
:func:`~disclosure._ir.conditions.to_positive`, and ``<id>$fails``, its negation (also
positive) guarded by "some fact of the rule is missing" (in branches that exclude one
another, so that durable matches it once). A situation is asserted as one fact in the
ruleset's session, its firings are taken, and the fact is retracted. A missing fact makes
every comparison on it false, so when missing facts leave a condition open neither rule
fires and the rule's applicability is ``None`` (Kleene's three-valued logic). When the
rule's facts are all given, a condition that does not hold fails: the guard spares those
firings (most rules fail in any given situation). The actions record which rules fired,
which durable does not report.

durable's C core (``durable_rules_engine``) is driven directly, not through its Python
host (``durable.engine.Host`` and ``Ruleset``), which cost tens of microseconds per firing
(a ``Closure``, clock reads, the session state serialised to JSON and parsed back, each
firing parsed): more than the engine itself. Per situation: the fact's JSON text is
joined from fragments prepared per fact and value; ``assert_fact``; then
``start_action_for_state`` and ``complete_and_start_action`` until no action is left, each
firing recorded from durable's message (the rule's name, and its number of matches);
then ``retract_fact``. The Rete network still decides every rule: which patterns a fact
matches, and so which durable rules fire. Patterns share durable's nodes where they test
the same things (walking the nodes is most of an assertion's cost) unless the stack could
overflow (see *engine limits*).

durable_rules 2.0.28 has pitfalls, each wrapped here and named where it is handled (the
tests in ``tests/test_durable.py`` reproduce each one):

- *post consumes*: ``post`` lets only one rule consume an event -> ``assert_fact``.
- *session cap*: at most 1024 live sessions per ruleset (``MemoryError``) -> one session
  per ruleset, reused: each situation's fact is retracted once its firings are taken;
  after any failure the session is emptied and deleted, and the next situation starts a
  fresh one. A fact left behind (durable refuses a second fact with its id) is cleared the
  same way before the situation is asserted again.
- *uninitialised action context*: in a session where no action has started yet, deleting
  the session or abandoning an action frees garbage and crashes the process -> both only
  once an action has run in the session (:func:`_reset`).
- *unanchored pattern loops*: a pattern of only negative or existence tests matches the
  engine's own state document and loops -> every pattern starts with an equality test on a
  marker field that only our facts carry.
- *missing field*: a comparison on a missing field is false, "not equal" included -> the
  positive form above, and ``None`` when neither rule fires.
- *duplicate firings*: a rule whose ``$or`` has several true branches fires once per
  branch -> each rule has a ``cap``, so that durable gives all its matches to one action,
  and firings are deduplicated.
- *swallowed exceptions*: durable's host catches what an action raises and only stores it
  in the session state -> the host is not used: the actions run in our own loop, and what
  they raise is raised (an :class:`EngineError`) once the session is reset.
- *timer threads*: the default ``Host`` starts timer threads that crash with several
  Python threads -> no host at all; everything is driven synchronously, under one lock
  (the C core is process-global and not thread-safe).
- *mutated definitions*: ``register_rulesets`` mutates the dict it is given, and the host
  cannot unregister a ruleset -> the C core gets the definition as JSON text
  (``create_ruleset``), and each key is registered once per process.
- *list segfault*: a list value in a fact crashes the process -> situations are
  validated first: only the values of a fact's domain have a JSON fragment.
- *engine limits*: the alpha network is walked with a 64-entry stack (error 303: e.g.
  64 rules behind one shared node, or an ``$or`` with 65 true branches), a pattern holds
  at most 32 expressions (error 113: about 15 ``$and``/``$or`` groups), and a rule joins at
  most 16 patterns (a 17th aborts the process) -> patterns share nodes only when
  :func:`_alpha_stack`, a bound computed on the network as durable builds it, leaves room;
  otherwise every pattern gets a private prefix through a tree of fan-out 4. Fact tests
  are encoded without groups where they can be, the tests of one fact in an ``all`` or an
  ``any`` are merged into one, and a condition over budget is split into several patterns
  joined by the rule's ``all``, or into several rules (durable's ``any`` between patterns
  is not used: it misses matches of an ``$or`` pattern that is not its first); a rule that
  would still join more than 16 patterns is refused (:class:`EngineError`).
- *import*: durable builds from source and does not import on Python 3.13+ -> imported
  lazily; :func:`durable_available` says whether it can be used.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeAlias

import attrs

from disclosure._ir.conditions import All, Any_, Condition, FactTest, condition_facts, to_positive
from disclosure._ir.ruleset import Rule
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
#: Stack entries left free when patterns share durable's nodes (see :func:`_alpha_stack`).
STACK_MARGIN = 4
#: Children per node of the private-prefix tree: each level can leave ``FANOUT - 1``
#: siblings on the stack.
ROUTE_FANOUT = 4
#: Durable rules one condition over budget may be split into.
MAX_ALTERNATIVES = 64
#: Matches of a rule handed to one call of its action (durable's ``cap``, at most 65535).
ACTION_CAP = 1000
#: Patterns one durable rule may join with ``all`` (MAX_MESSAGE_FRAMES: a 17th aborts the
#: process in ``free()``).
MAX_RULE_PATTERNS = 16
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
    merged = _merge(items, conjunctive)
    if merged is None:
        return False
    if not merged:
        return conjunctive
    return _join("all" if conjunctive else "any", merged)


def _merge(items: Sequence[Condition], conjunctive: bool) -> list[Condition] | None:
    """``items`` without duplicates, the tests of one fact merged into one: in an
    ``All``, the values all of them allow (``None`` when no value passes: the ``All`` is
    false); in an ``Any``, the values any of them allows.

    A pattern has to be true exactly when its condition is (on a missing fact, neither
    is), and merging keeps that. It keeps huge conditions small: durable joins at most
    :data:`MAX_RULE_PATTERNS` patterns in one rule (pitfall: engine limits).
    """
    merged: dict[Any, Condition] = {}
    for item in items:
        if isinstance(item, FactTest):
            known = merged.get(item.fact)
            if known is None:
                merged[item.fact] = item
                continue
            assert isinstance(known, FactTest)
            if conjunctive:
                values = known.values & item.values
                if not values:
                    return None
            else:
                values = known.values | item.values
            merged[item.fact] = FactTest(item.fact, values)
        else:
            merged.setdefault(item, item)
    return list(merged.values())


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
        self._levels = 0
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
        self._routes.clear()
        self._patterns = 0
        levels = 1
        while ROUTE_FANOUT**levels < patterns:
            levels += 1
        assert 2 + (ROUTE_FANOUT - 1) * levels + MAX_PATTERN_WEIGHT < STACK_SIZE
        self._levels = levels

    def _route(self) -> list[dict[str, Any]]:
        """The next pattern's prefix: tests true for every fact (its ``route`` is 0) but
        each a distinct node of the tree, so that durable shares none between patterns;
        none before :meth:`reserve`."""
        if not self._levels:
            return []
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

    def rule(self, conjunction: _Conjunction) -> dict[str, Any]:
        """The durable rule joining ``conjunction``'s patterns.

        ``cap``: durable hands all the matches of a rule to one call of its action (up to
        the cap) instead of one call per match, and an ``$or`` with several true branches
        matches once per branch (pitfall: duplicate firings). Actions are the costly part
        of an evaluation.
        """
        if len(conjunction) == 1:
            patterns = [{"m": self.pattern(conjunction[0])}]
            return {"all": patterns, "cap": ACTION_CAP}
        patterns = [{f"p{index}": self.pattern(part)} for index, part in enumerate(conjunction)]
        # dist 0: the one asserted fact may match several patterns of the same rule
        return {"all": patterns, "dist": 0, "cap": ACTION_CAP}


#: durable's operators of one property (the others are ``$and``, ``$or`` and equality).
_OPERATORS = frozenset({"$neq", "$lt", "$lte", "$gt", "$gte", "$ex", "$nex", "$mt", "$imt"})


def _alpha_stack(definition: Mapping[str, Any]) -> int:
    """An upper bound of the entries of durable's 64-entry stack that walking the alpha
    network of ``definition`` can need, whatever the fact (pitfall: engine limits).

    The network is rebuilt here as durable builds it (src/rules/rete.c): one node per
    test, shared by every test with the same parent, property, operator and value
    (``findAlpha``); the branches of an ``$or`` start from its parent and all lead to a
    new node that joins them (``createForwardAlpha``). durable walks it from the root
    (src/rules/events.c, ``handleAlpha``): it pops a node and pushes those of its
    children that match, at worst all of them; a node's children then wait on the stack
    while the subtree of the last one pushed is walked. So a node with children
    ``c1..ck`` needs at most ``max(k, k - 1 + max(need(ci)))`` entries.
    """
    children: list[dict[tuple[str, str, str], int]] = [{}]
    joins: list[list[int]] = [[]]

    def new() -> int:
        children.append({})
        joins.append([])
        return len(children) - 1

    def build(parent: int, test: Mapping[str, Any]) -> int:
        """Add ``test`` below ``parent``; the node it ends in."""
        ((name, value),) = test.items()
        if name == "$and":
            for item in value:
                parent = build(parent, item)
            return parent
        if name == "$or":
            join = new()
            for item in value:
                joins[build(parent, item)].append(join)
            return join
        if name in _OPERATORS:
            ((field, operand),) = value.items()
            key = (field, name, json.dumps(operand))
        else:
            key = (name, "$eq", json.dumps(value))
        found = children[parent].get(key)
        if found is None:
            found = children[parent][key] = new()
        return found

    for durable_rule in definition.values():
        for term in durable_rule["all"]:
            for pattern in term.values():
                build(0, pattern)

    needs: dict[int, int] = {}

    def need(node: int) -> int:
        if node not in needs:
            below = [*children[node].values(), *joins[node]]
            needs[node] = max(len(below), len(below) - 1 + max(map(need, below))) if below else 0
        return needs[node]

    return need(0)


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
# Registration: once per process per key, straight into durable's C core

#: One lock for everything that touches durable: its C core is process-global and not
#: thread-safe, and each ruleset's one session is reused (pitfall: timer threads).
_LOCK = threading.RLock()
_registry: dict[str, _Registration] = {}
_names = itertools.count(1)

#: durable's result codes (src/rules/rules.h) that an assertion may return.
_RULES_OK = 0
_NOT_HANDLED = 1
_OBSERVED = 2  # a fact with the same id is already in the session
#: The session every evaluation of a ruleset uses, and the id of the fact asserted in it.
_SID = "1"
_FACT_ID = "f"
#: Text that every serialised copy of our fact contains exactly once (the anchor comes
#: first, and no fact's property can be called ``anchor``): counting it in an action's
#: message counts the fact's copies, one per pattern of each match.
_MARK = f'"{_ANCHOR}":1'
#: What retracts the fact (durable finds a fact by its session and id).
_RETRACT = f'{{"sid":"{_SID}","id":"{_FACT_ID}"}}'


_core_module: Any = None


def _core() -> Any:
    """durable's C core (``durable_rules_engine``), which the evaluation drives directly."""
    global _core_module
    if _core_module is None:
        _core_module = require_durable().durable_rules_engine
    return _core_module


@attrs.define(eq=False)
class _Registration:
    """A compiled ruleset, registered with durable, and how to read its firings."""

    #: what was compiled: the rules and the domains, to check that a key is reused for
    #: the same ruleset only
    source: tuple[tuple[Rule, ...], tuple[tuple[str, tuple[Any, ...]], ...]]
    rule_ids: tuple[str, ...]
    #: the facts each rule reads
    rule_facts: tuple[frozenset[str], ...]
    #: fact name -> durable property name
    fields: Mapping[str, str]
    #: fact name -> value -> the JSON text of the property (validation and encoding in one
    #: look-up: a value that is not there is outside the domain)
    encodings: dict[str, dict[Any, str]] = attrs.field(factory=dict)
    #: the start of every fact's JSON text: the markers, the session, the fact's id
    head: str = f'{{"{_ANCHOR}":1,"sid":"{_SID}","id":"{_FACT_ID}"'
    #: the durable ruleset's name and C handle, once registered
    name: str = ""
    handle: int = -1
    #: the offset of the ruleset's one session in durable's state pool, once created
    state: int | None = None
    #: whether an action started in that session (see :func:`_reset`)
    acted: bool = False
    #: durable rule name -> (id of the rule, verdict); the sentinel maps to None
    targets: dict[str, tuple[str, Verdict] | None] = attrs.field(factory=dict)
    #: facts given -> each rule's applicability when none of its durable rules fires:
    #: ``False`` if all its facts are given, else ``None`` (at most :data:`_BASELINES`)
    baselines: dict[frozenset[str], dict[str, bool | None]] = attrs.field(factory=dict)
    #: durable rule name -> patterns it joins (copies of the fact in one match)
    widths: dict[str, int] = attrs.field(factory=dict)
    #: the definition durable was given, as JSON-ready data
    definition: dict[str, Any] = attrs.field(factory=dict)

    def record(self, message: str, firings: list[tuple[str, str]]) -> None:
        """The action of every durable rule: note which rule fired, with durable's JSON
        text of the firing, ``{"<rule>": [<match>, ...]}`` (our rule names need no
        escaping)."""
        name = message[2 : message.index('"', 2)]
        if name not in self.targets:
            raise EngineError(f"durable_rules fired an unknown rule: {message[:80]}")
        firings.append((name, message))

    def matches(self, name: str, message: str) -> int:
        """How many matches a firing of ``name`` was handed: with a ``cap``, all of them
        (pitfall: duplicate firings)."""
        return message.count(_MARK) // self.widths[name]


_SENTINEL = "done"
#: Sets of given facts whose baseline a registration keeps.
_BASELINES = 1024
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
            if verdict == "fails" and not compiler.fits(condition):
                condition = _verdict_condition(rule, domains, verdict, exclusive=False)
            if condition is False:
                continue  # can never fire
            alternatives = compiler.alternatives(condition)
            for number, conjunction in enumerate(alternatives):
                if len(conjunction) > MAX_RULE_PATTERNS:
                    raise EngineError(
                        f"rule {rule.id!r} is too large for durable_rules: its condition "
                        f"needs {len(conjunction)} patterns joined, durable joins at most "
                        f"{MAX_RULE_PATTERNS}"
                    )
                name = f"r{index}_{verdict}" + (f"_{number}" if len(alternatives) > 1 else "")
                conjunctions[name] = conjunction
                registration.targets[name] = (rule.id, verdict)
    patterns = 1 + sum(len(conjunction) for conjunction in conjunctions.values())
    if patterns > MAX_RULES:
        raise EngineError(f"{patterns} durable patterns: a ruleset takes at most {MAX_RULES}")
    # the sentinel always fires: proof that the engine saw the fact and ran its actions
    conjunctions = {_SENTINEL: (True,), **conjunctions}
    registration.targets[_SENTINEL] = None
    # patterns share durable's nodes where they test the same things (half the work of
    # an assertion is walking those nodes), unless that could overflow durable's stack:
    # then each pattern gets a private prefix (pitfall: engine limits)
    definition = {name: compiler.rule(conjunction) for name, conjunction in conjunctions.items()}
    if _alpha_stack(definition) > STACK_SIZE - STACK_MARGIN:
        compiler.reserve(patterns)
        definition = {name: compiler.rule(part) for name, part in conjunctions.items()}
        if _alpha_stack(definition) > STACK_SIZE:  # cannot happen: see reserve()
            raise EngineError("the ruleset would overflow durable_rules' stack")
        # durable compares each node it visits against every property of the fact: the
        # route marker is there only when the patterns test it
        registration.head = f'{{"{_ANCHOR}":1,"{_ROUTE}":0,"sid":"{_SID}","id":"{_FACT_ID}"'
    registration.widths = {name: len(conjunction) for name, conjunction in conjunctions.items()}
    registration.definition = definition
    registration.encodings = {
        fact: {
            value: f"{json.dumps(field)}:{json.dumps(value, ensure_ascii=False)}"
            for value in domains.get(fact, ())
        }
        for fact, field in registration.fields.items()
    }
    return registration


def _verdict_condition(
    rule: Rule, domains: Mapping[str, tuple[Any, ...]], verdict: Verdict, exclusive: bool = True
) -> Condition | bool:
    """What the durable rule concluding ``verdict`` for ``rule`` tests, constants folded.

    ``holds``: the condition. ``fails``: its negation, *and some fact of the rule
    missing*. When the rule's facts are all given, a condition that does not hold fails,
    and most rules fail in a given situation: the guard spares those firings, which are
    the costly part of an evaluation. If ``exclusive``, the guard's branches exclude one
    another ("the first fact missing is the first", "... is the second", ...): with one
    branch per missing fact, durable matches the rule once per missing fact (pitfall:
    duplicate firings), and builds and serialises every match. The exclusive guard grows
    with the square of the rule's facts: a rule with many takes the other.
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
    facts = sorted(condition_facts(rule.when))
    if not facts:
        return False  # no fact to miss: the holds rule alone decides
    branches: list[Any] = []
    for index, fact in enumerate(facts):
        if exclusive:  # the facts before this one are given (a test of the whole domain)
            given = [FactTest(known, domains[known]) for known in facts[:index]]
            branches.append(_join("all", [*given, _Missing(fact)]))  # type: ignore[list-item]
        else:
            branches.append(_Missing(fact))
    guard = _join("any", branches)
    return guard if folded is True else _join("all", [guard, folded])


def _register(
    key: str, rules: Sequence[Rule], domains: Mapping[str, tuple[Any, ...]]
) -> _Registration:
    """The registration for ``key``, registered with durable the first time only: durable
    cannot unregister a ruleset through its Python host (pitfall: mutated definitions)."""
    with _LOCK:
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
            # durable is given JSON text: nothing can mutate the registration's definition
            handle = _core().create_ruleset(name, json.dumps(registration.definition))
        except Exception as error:
            raise EngineError(
                f"durable_rules rejected ruleset {key!r}: {_describe(error)}"
            ) from error
        registration.name = name
        registration.handle = handle
        _registry[key] = registration
        return registration


def _describe(error: BaseException) -> str:
    """durable's error message, with what its error code means when we know it."""
    text = str(error) or type(error).__name__
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
        domains = {fact: tuple(values) for fact, values in domains.items()}
        self._registration = _register(key, rules, domains)

    @property
    def ruleset_name(self) -> str:
        """The name under which durable knows this ruleset."""
        return self._registration.name

    @property
    def definition(self) -> Mapping[str, Any]:
        """The durable ruleset as given to durable (JSON-ready)."""
        return self._registration.definition

    def match(self, situation: Mapping[str, Any]) -> dict[str, bool | None]:
        """Every rule's applicability to ``situation``: ``True``, ``False`` or ``None``."""
        text, given = self._fact(situation)
        with _LOCK:
            firings = self._fire(text)
        return self._verdicts(firings, given)[0]

    def run(self, situation: Mapping[str, Any]) -> DurableRun:
        """Evaluate ``situation`` and say which durable rules fired."""
        text, given = self._fact(situation)
        with _LOCK:
            firings = self._fire(text)
        applicability, found = self._verdicts(firings, given)
        fired = tuple(f"{rule_id}${verdict}" for rule_id, verdict in found.items())
        matches = self._registration.matches
        activations = sum(matches(name, text) for name, text in firings if name != _SENTINEL)
        return DurableRun(applicability, fired, activations)

    def _fact(self, situation: Mapping[str, Any]) -> tuple[str, frozenset[str]]:
        """The JSON text of the fact to assert and the facts it gives, after checking every
        value (pitfall: list segfault: a list, or anything but a string or a boolean, must
        never reach the engine)."""
        if not isinstance(situation, Mapping):
            raise EngineError(f"a situation must be a mapping, not {type(situation).__name__}")
        encodings = self._registration.encodings
        parts = [self._registration.head]
        given = []
        for name, value in situation.items():
            if type(value) is not str and type(value) is not bool:
                raise EngineError(
                    f"fact {name!r} has a {type(value).__name__} value ({value!r}); "
                    "the durable engine takes only strings and booleans"
                )
            encoding = encodings.get(name)
            if encoding is None:
                continue  # no rule reads it
            part = encoding.get(value)
            if part is None:
                raise EngineError(
                    f"fact {name!r} cannot be {value!r}; allowed values: "
                    + ", ".join(map(str, encoding))
                )
            parts.append(part)
            given.append(name)
        return ",".join(parts) + "}", frozenset(given)

    def _fire(self, text: str) -> list[tuple[str, str]]:
        """Assert the fact ``text`` in the ruleset's session, run the actions of every
        match, retract the fact; the durable rules that fired, with durable's messages.

        Called under :data:`_LOCK`. durable's C core is driven directly (its Python host
        costs tens of microseconds per firing): ``assert_fact``, not ``post``, so that
        every matching rule fires (pitfall: post consumes); then each firing is taken with
        ``start_action_for_state`` / ``complete_and_start_action`` and recorded by
        :meth:`_Registration.record`, in this thread. One session per ruleset, reused:
        the fact is retracted after its firings; whatever fails on the way, the session is
        deleted, so that the next evaluation starts from a fresh one (pitfalls: session
        cap, swallowed exceptions).
        """
        registration = self._registration
        core = _core()
        handle = registration.handle
        firings: list[tuple[str, str]] = []
        message: str | None = None  # the action under way, if any
        try:
            code, state = core.assert_fact(handle, text)
            registration.state = state
            if code == _OBSERVED:  # a fact left behind by a failed reset: reset, once more
                _reset(core, registration)
                code, state = core.assert_fact(handle, text)
                registration.state = state
            if code != _RULES_OK and code != _NOT_HANDLED:
                raise EngineError(f"durable_rules refused the situation (result {code})")
            started = core.start_action_for_state(handle, state)
            if started is not None:
                registration.acted = True
                message = started[1]
                while message is not None:
                    registration.record(message, firings)
                    message = core.complete_and_start_action(handle, state)
            core.retract_fact(handle, _RETRACT)
        except BaseException as error:
            try:
                _reset(core, registration)
            except EngineError as failure:
                raise EngineError(f"durable_rules failed: {_describe(error)}; {failure}") from error
            if isinstance(error, EngineError) or not isinstance(error, Exception):
                raise
            raise EngineError(f"durable_rules failed: {_describe(error)}") from error
        return firings

    def _verdicts(
        self, firings: Sequence[tuple[str, str]], given: frozenset[str]
    ) -> tuple[dict[str, bool | None], dict[str, Verdict]]:
        """Every rule's applicability from the firings, and the verdicts of the rules
        whose durable rules fired, in firing order; a closed rule (every fact given) that
        did not hold fails."""
        registration = self._registration
        baselines = registration.baselines
        baseline = baselines.get(given)
        if baseline is None:
            rules = zip(registration.rule_ids, registration.rule_facts, strict=True)
            baseline = {rule_id: False if facts <= given else None for rule_id, facts in rules}
            if len(baselines) < _BASELINES:
                baselines[given] = baseline
        applicability = baseline.copy()
        found: dict[str, Verdict] = {}  # once per rule (pitfall: duplicate firings)
        targets = registration.targets
        sentinel = False
        for name, _ in firings:
            target = targets[name]  # record() checked the name
            if target is None:
                sentinel = True
                continue
            rule_id, verdict = target
            if found.setdefault(rule_id, verdict) != verdict:
                raise EngineError(f"rule {rule_id!r} both holds and fails: an engine defect")
            applicability[rule_id] = verdict == "holds"
        if not sentinel:
            raise EngineError("durable_rules did not run the actions of the situation")
        return applicability, found


def _reset(core: Any, registration: _Registration) -> None:
    """Empty the ruleset's session, whatever it holds, and delete it: the next assertion
    starts a fresh one (pitfall: session cap). A session never created is no error.

    durable 2.0.28 leaves a session's action context (two pointers) uninitialised until
    an action starts in it: deleting such a session, or abandoning an action in it,
    frees garbage and crashes the process (``free(): invalid pointer``, or a segmentation
    fault). So the action under way, if any, is abandoned only in a session that has run
    one, the waiting matches are taken (and ignored), the fact is retracted, and the
    session is deleted only if an action ever started in it (an empty session is left
    in place otherwise, to be reused).
    """
    handle = registration.handle
    state = registration.state
    try:
        if state is not None:
            if registration.acted:
                core.abandon_action(handle, state)  # also lifts the action's lease
            if core.start_action_for_state(handle, state) is not None:
                registration.acted = True
                while core.complete_and_start_action(handle, state) is not None:
                    pass
            core.retract_fact(handle, _RETRACT)
        if registration.acted:
            registration.state = None
            registration.acted = False
            core.delete_state(handle, _SID)
    except Exception as error:
        if f"error code: {_SID_NOT_FOUND}" in str(error):
            return
        raise EngineError(
            f"durable_rules could not reset session {_SID} of {registration.name}: {error}"
        ) from error
