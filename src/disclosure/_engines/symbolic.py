"""The symbolic form of a ruleset: multi-valued decision diagrams (MDDs).

A decision diagram represents a function of every situation at once: each internal node
tests one fact and has one child per value of that fact's domain, each terminal holds a
value (``True``/``False`` for a condition, an :data:`OutcomeTerminal` for the outcome of a
ruleset). The diagrams are *ordered* (facts are tested in one fixed order on every path),
*reduced* (no node whose children are all the same, no two equal nodes) and hash-consed in
an :class:`MDD` manager, so that two equal functions are the same node and every
operation is memoised. Time and memory grow with the size of the diagrams, not with the
number of situations they describe.

On this form:

* :func:`build_outcome` encodes a ruleset's defeasibility (the one definition of
  :mod:`disclosure._ir.defeasibility`) exactly: the outcome of every possible situation,
  :data:`IMPOSSIBLE` for the combinations the vocabulary excludes, and per rule where it
  applies and where it wins;
* :class:`SymbolicRuleset` answers the outcome of a situation, the outcomes a partial
  situation may still have, the facts still needed to settle it, and exact counts;
* :mod:`disclosure._analysis.regions` computes the semantic diff of two rulesets on it.

Node ids are plain ints, private to their manager. Nodes are immutable once created: a
manager may be built under its lock and then read from any number of threads. Queries
that would create nodes (restricting to a partial situation, diffing) work in a fresh
scratch manager, so repeated queries never grow a ruleset's diagrams.
"""

from __future__ import annotations

import enum
import functools
import math
import threading
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeAlias

import attrs

from disclosure._ir.conditions import All, Any_, Condition, FactTest, Not, condition_facts
from disclosure._ir.defeasibility import combine_conclusions
from disclosure._ir.outcome import Outcome
from disclosure._ir.ruleset import Rule
from disclosure._ir.vocabulary import Vocabulary
from disclosure.errors import FactError, RulesetError, did_you_mean

__all__ = [
    "FALSE",
    "GAP",
    "IMPOSSIBLE",
    "MDD",
    "TRUE",
    "Conflict",
    "Diagram",
    "Marker",
    "Node",
    "OutcomeTerminal",
    "SymbolicRuleset",
    "build_outcome",
    "choose_order",
    "suggest_order",
    "terminal_sort_key",
]

#: A node of an :class:`MDD`: an int, meaningful only with its manager.
Node: TypeAlias = int
#: The two boolean terminals have the same ids in every manager.
FALSE: Node = 0
TRUE: Node = 1

#: Internal form of a cube: for each level, the allowed value positions (None: any).
_Cube: TypeAlias = tuple[tuple[int, ...] | None, ...]


class Marker(enum.Enum):
    """Terminals of an outcome diagram that are not an :class:`Outcome`."""

    #: no rule wins: the ruleset says nothing (a defect of the ruleset)
    GAP = "gap"
    #: the vocabulary declares the combination impossible
    IMPOSSIBLE = "impossible"

    def __str__(self) -> str:
        return self.value


GAP = Marker.GAP
IMPOSSIBLE = Marker.IMPOSSIBLE


@attrs.frozen
class Conflict:
    """Winning rules whose conclusions cannot be reconciled (a defect of the ruleset).

    ``rules`` are the ids of every winner, in the ruleset's order, as
    :func:`disclosure._ir.defeasibility.settle` reports them.
    """

    rules: tuple[str, ...]

    def __str__(self) -> str:
        return "conflict(" + ", ".join(self.rules) + ")"


#: The value of an outcome diagram on one situation.
OutcomeTerminal: TypeAlias = Outcome | Conflict | Marker


def terminal_sort_key(value: object) -> tuple[int, str]:
    """A total order on outcome terminals (outcomes, then conflicts, gap, impossible), for
    deterministic listings."""
    if isinstance(value, Outcome):
        return (0, f"{list(Outcome).index(value):02d}")
    if isinstance(value, Conflict):
        return (1, "\x00".join(value.rules))
    if value is GAP:
        return (2, "")
    if value is IMPOSSIBLE:
        return (3, "")
    return (4, repr(value))


class MDD:
    """A manager of ordered, reduced, hash-consed multi-valued decision diagrams.

    ``variables`` gives the order: (fact name, domain) pairs, tested top to bottom.
    Terminals are arbitrary hashable values (kept apart by type, so ``1`` is not
    ``True``). Every operation that creates nodes takes the manager's lock; reading a
    node (walking, counting) needs no lock.

    The memo tables of operations may be dropped at any time with :meth:`clear_caches`;
    the nodes stay.
    """

    def __init__(self, variables: Iterable[tuple[str, Sequence[Any]]]) -> None:
        pairs = [(str(name), tuple(domain)) for name, domain in variables]
        self.names: tuple[str, ...] = tuple(name for name, _ in pairs)
        self.domains: tuple[tuple[Any, ...], ...] = tuple(domain for _, domain in pairs)
        if len(set(self.names)) != len(self.names):
            raise ValueError("an MDD's variables must have distinct names")
        for name, domain in pairs:
            if not domain:
                raise ValueError(f"variable {name!r} has an empty domain")
        self.levels: int = len(pairs)
        self._index: dict[str, int] = {name: i for i, name in enumerate(self.names)}
        self._positions: tuple[dict[Any, int], ...] = tuple(
            {value: i for i, value in enumerate(domain)} for domain in self.domains
        )
        self.lock = threading.RLock()
        self._level: list[int] = []
        self._kids: list[tuple[Node, ...]] = []
        self._value: list[Any] = []
        self._unique: dict[tuple[int, tuple[Node, ...]], Node] = {}
        self._terminals: dict[tuple[type, Any], Node] = {}
        self._cache: dict[Hashable, Node] = {}
        self._conditions: dict[Condition, Node] = {}
        self._ops: dict[Hashable, int] = {}
        assert self.terminal(False) == FALSE
        assert self.terminal(True) == TRUE

    @classmethod
    def for_vocabulary(cls, vocabulary: Vocabulary, order: Sequence[str] | None = None) -> MDD:
        """A manager over the vocabulary's condition facts (all but the date), in
        ``order`` if given (a permutation of those facts), else in vocabulary order."""
        domains = vocabulary.domains
        if order is None:
            names: Sequence[str] = tuple(domains)
        else:
            names = tuple(order)
            if sorted(names) != sorted(domains):
                missing = sorted(set(domains) - set(names))
                extra = sorted(set(names) - set(domains))
                raise ValueError(
                    "a variable order must list every condition fact once"
                    + (f"; missing: {', '.join(missing)}" if missing else "")
                    + (f"; not condition facts: {', '.join(extra)}" if extra else "")
                )
        return cls((name, domains[name]) for name in names)

    # -- nodes -------------------------------------------------------------------------

    @property
    def size(self) -> int:
        """Number of nodes (terminals included) ever created in this manager."""
        return len(self._level)

    def terminal(self, value: Any) -> Node:
        """The terminal node holding ``value``."""
        key = (type(value), value)
        node = self._terminals.get(key)
        if node is None:
            with self.lock:
                node = self._terminals.get(key)
                if node is None:
                    node = len(self._level)
                    self._level.append(self.levels)
                    self._kids.append(())
                    self._value.append(value)
                    self._terminals[key] = node
        return node

    def is_terminal(self, node: Node) -> bool:
        return self._level[node] == self.levels

    def value(self, node: Node) -> Any:
        """The value of a terminal node."""
        if self._level[node] != self.levels:
            raise ValueError(f"node {node} is not a terminal")
        return self._value[node]

    def variable(self, node: Node) -> str:
        """The fact an internal node tests."""
        return self.names[self._level[node]]

    def children(self, node: Node) -> tuple[Node, ...]:
        """One child per value of the node's fact, in domain order."""
        return self._kids[node]

    def node(self, fact: str, children: Sequence[Node]) -> Node:
        """The node that tests ``fact`` (children in domain order), reduced; children may
        test only facts below ``fact`` in the order."""
        level = self._level_of(fact)
        kids = tuple(children)
        if len(kids) != len(self.domains[level]):
            raise ValueError(f"{fact!r} has {len(self.domains[level])} values, not {len(kids)}")
        if any(self._level[k] <= level for k in kids):
            raise ValueError("children must test facts below the node's fact")
        with self.lock:
            return self._mk(level, kids)

    def _mk(self, level: int, kids: tuple[Node, ...]) -> Node:
        first = kids[0]
        if kids.count(first) == len(kids):
            return first
        key = (level, kids)
        node = self._unique.get(key)
        if node is None:
            node = len(self._level)
            self._level.append(level)
            self._kids.append(kids)
            self._value.append(None)
            self._unique[key] = node
        return node

    def _level_of(self, fact: str) -> int:
        try:
            return self._index[fact]
        except KeyError:
            raise FactError(
                f"unknown fact {fact!r}; known facts: {', '.join(self.names)}",
                fact=fact,
                suggestion=did_you_mean(fact, self.names),
            ) from None

    def _position(self, level: int, value: Any) -> int:
        try:
            return self._positions[level][value]
        except (KeyError, TypeError):
            name = self.names[level]
            raise FactError(
                f"fact {name!r} cannot be {value!r}; allowed values: "
                + ", ".join(str(v) for v in self.domains[level]),
                fact=name,
                value=value,
                allowed=self.domains[level],
            ) from None

    def clear_caches(self) -> None:
        """Drop the memo tables of operations (the nodes themselves stay valid)."""
        with self.lock:
            self._cache.clear()
            self._ops.clear()

    # -- building ----------------------------------------------------------------------

    def test(self, fact: str, values: Collection[Any]) -> Node:
        """The boolean diagram of ``fact in values`` (values outside the domain ignored)."""
        level = self._level_of(fact)
        with self.lock:
            kids = tuple(TRUE if v in values else FALSE for v in self.domains[level])
            return self._mk(level, kids)

    def cube(self, conditions: Mapping[str, Any]) -> Node:
        """The boolean diagram of a conjunction of fact tests: fact -> allowed values (a
        collection, or a single value)."""
        cube = self.internal_cube(conditions)
        with self.lock:
            return self._cube_node(cube)

    def _cube_node(self, cube: _Cube) -> Node:
        node = TRUE
        for level in range(self.levels - 1, -1, -1):
            allowed = cube[level]
            if allowed is not None:
                kids = tuple(
                    node if i in allowed else FALSE for i in range(len(self.domains[level]))
                )
                node = self._mk(level, kids)
        return node

    def minus_cube(self, node: Node, cube: _Cube) -> Node:
        """The boolean ``node`` without the assignments inside ``cube`` (internal form):
        ``node and not cube``, built in one pass over the part of ``node`` above the
        cube's last condition."""
        constrained = [level for level, allowed in enumerate(cube) if allowed is not None]
        memo: dict[tuple[Node, int], Node] = {}
        level_of = self._level
        kids_of = self._kids

        def rec(n: Node, k: int) -> Node:
            if n == FALSE or k == len(constrained):
                return FALSE  # past every condition: the rest is inside the cube
            found = memo.get((n, k))
            if found is not None:
                return found
            level = constrained[k]
            allowed = cube[level]
            assert allowed is not None
            own = level_of[n]
            if own < level:
                result = self._mk(own, tuple(rec(kid, k) for kid in kids_of[n]))
            else:
                kids = kids_of[n] if own == level else (n,) * len(self.domains[level])
                result = self._mk(
                    level,
                    tuple(rec(kid, k + 1) if i in allowed else kid for i, kid in enumerate(kids)),
                )
            memo[(n, k)] = result
            return result

        with self.lock:
            return rec(node, 0)

    def internal_cube(self, conditions: Mapping[str, Any] | None) -> _Cube:
        """A public cube (fact -> value or collection of values) in internal form; facts
        unknown to the manager are an error, values outside the domain too."""
        cube: list[tuple[int, ...] | None] = [None] * self.levels
        for fact, allowed in (conditions or {}).items():
            level = self._level_of(fact)
            values = _as_values(allowed)
            positions = tuple(sorted({self._position(level, v) for v in values}))
            previous = cube[level]
            if previous is not None:
                positions = tuple(p for p in positions if p in previous)
            cube[level] = positions
        return tuple(cube)

    def public_cube(self, cube: _Cube) -> dict[str, frozenset[Any]]:
        """An internal cube as fact -> allowed values, naming only constrained facts."""
        result: dict[str, frozenset[Any]] = {}
        for level, allowed in enumerate(cube):
            if allowed is not None and len(allowed) < len(self.domains[level]):
                result[self.names[level]] = frozenset(self.domains[level][i] for i in allowed)
        return result

    def condition(self, condition: Condition) -> Node:
        """The boolean diagram of a structured condition (memoised per condition)."""
        node = self._conditions.get(condition)
        if node is not None:
            return node
        with self.lock:
            if isinstance(condition, FactTest):
                node = self.test(condition.fact, condition.values)
            elif isinstance(condition, Not):
                node = self._not(self.condition(condition.item))
            elif isinstance(condition, All):
                node = TRUE
                for item in condition.items:
                    node = self._and(node, self.condition(item))
            elif isinstance(condition, Any_):
                node = FALSE
                for item in condition.items:
                    node = self._or(node, self.condition(item))
            else:  # pragma: no cover - the Condition union is closed
                raise TypeError(f"not a condition: {condition!r}")
            self._conditions[condition] = node
            return node

    # -- boolean operations ------------------------------------------------------------

    def and_(self, a: Node, b: Node) -> Node:
        """Conjunction of two boolean diagrams."""
        with self.lock:
            return self._and(a, b)

    def or_(self, a: Node, b: Node) -> Node:
        """Disjunction of two boolean diagrams."""
        with self.lock:
            return self._or(a, b)

    def not_(self, a: Node) -> Node:
        """Negation of a boolean diagram."""
        with self.lock:
            return self._not(a)

    def disjunction(self, nodes: Iterable[Node]) -> Node:
        """Disjunction of any number of boolean diagrams (balanced, for smaller
        intermediate diagrams)."""
        items = list(nodes)
        with self.lock:
            while len(items) > 1:
                pairs = [self._or(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)]
                if len(items) % 2:
                    pairs.append(items[-1])
                items = pairs
            return items[0] if items else FALSE

    def _split(self, a: Node, b: Node) -> tuple[int, tuple[Node, ...], tuple[Node, ...]]:
        la = self._level[a]
        lb = self._level[b]
        if la == lb:
            return la, self._kids[a], self._kids[b]
        if la < lb:
            return la, self._kids[a], (b,) * len(self._kids[a])
        return lb, (a,) * len(self._kids[b]), self._kids[b]

    def _and(self, a: Node, b: Node) -> Node:
        if a == b or b == TRUE:
            return a
        if a == FALSE or b == FALSE:
            return FALSE
        if a == TRUE:
            return b
        if a > b:
            a, b = b, a
        key = ("and", a, b)
        result = self._cache.get(key)
        if result is None:
            level, ka, kb = self._split(a, b)
            if level == self.levels:
                raise TypeError("and_ takes boolean diagrams")
            result = self._mk(level, tuple(map(self._and, ka, kb)))
            self._cache[key] = result
        return result

    def _or(self, a: Node, b: Node) -> Node:
        if a == b or b == FALSE:
            return a
        if a == TRUE or b == TRUE:
            return TRUE
        if a == FALSE:
            return b
        if a > b:
            a, b = b, a
        key = ("or", a, b)
        result = self._cache.get(key)
        if result is None:
            level, ka, kb = self._split(a, b)
            if level == self.levels:
                raise TypeError("or_ takes boolean diagrams")
            result = self._mk(level, tuple(map(self._or, ka, kb)))
            self._cache[key] = result
        return result

    def _not(self, a: Node) -> Node:
        if a <= TRUE:
            return TRUE - a
        key = ("not", a)
        result = self._cache.get(key)
        if result is None:
            if self._level[a] == self.levels:
                raise TypeError("not_ takes a boolean diagram")
            result = self._mk(self._level[a], tuple(map(self._not, self._kids[a])))
            self._cache[key] = result
        return result

    # -- generic operations ------------------------------------------------------------

    def apply(self, fn: Callable[[Any, Any], Any], a: Node, b: Node, key: Hashable) -> Node:
        """The diagram of ``fn(a(x), b(x))``. ``key`` names ``fn`` in the memo table:
        the same key must always mean the same function."""
        with self.lock:
            return self._apply(fn, a, b, self._op(key))

    def _op(self, key: Hashable) -> int:
        """A small int standing for an operation key in memo tables (cheap to hash)."""
        op = self._ops.get(key)
        if op is None:
            op = self._ops[key] = len(self._ops)
        return op

    def _apply(self, fn: Callable[[Any, Any], Any], a: Node, b: Node, key: int) -> Node:
        memo = (key, a, b)
        result = self._cache.get(memo)
        if result is None:
            level, ka, kb = self._split(a, b)
            if level == self.levels:
                result = self.terminal(fn(self._value[a], self._value[b]))
            else:
                result = self._mk(
                    level, tuple(self._apply(fn, x, y, key) for x, y in zip(ka, kb, strict=True))
                )
            self._cache[memo] = result
        return result

    def map(self, fn: Callable[[Any], Any], a: Node, key: Hashable) -> Node:
        """The diagram of ``fn(a(x))`` (``key`` names ``fn``, as for :meth:`apply`)."""
        with self.lock:
            return self._map(fn, a, self._op(key))

    def _map(self, fn: Callable[[Any], Any], a: Node, key: int) -> Node:
        memo = (key, a)
        result = self._cache.get(memo)
        if result is None:
            level = self._level[a]
            if level == self.levels:
                result = self.terminal(fn(self._value[a]))
            else:
                result = self._mk(level, tuple(self._map(fn, k, key) for k in self._kids[a]))
            self._cache[memo] = result
        return result

    def ite(self, condition: Node, then: Node, otherwise: Node) -> Node:
        """``then`` where the boolean ``condition`` holds, else ``otherwise`` (any
        terminals)."""
        with self.lock:
            return self._ite(condition, then, otherwise)

    def _ite(self, c: Node, t: Node, e: Node) -> Node:
        if c == TRUE or t == e:
            return t
        if c == FALSE:
            return e
        memo = ("ite", c, t, e)
        result = self._cache.get(memo)
        if result is None:
            level = min(self._level[c], self._level[t], self._level[e])
            width = len(self.domains[level])
            kc, kt, ke = (
                self._kids[x] if self._level[x] == level else (x,) * width for x in (c, t, e)
            )
            result = self._mk(level, tuple(self._ite(kc[i], kt[i], ke[i]) for i in range(width)))
            self._cache[memo] = result
        return result

    def abstract(self, a: Node, fact: str, join: Callable[[Any, Any], Any], key: Hashable) -> Node:
        """Eliminate ``fact``: the diagram of ``join``-folding ``a`` over the fact's
        values (``join`` associative and commutative, e.g. set union for an existential
        abstraction)."""
        level = self._level_of(fact)
        with self.lock:
            return self._abstract(a, level, join, self._op(key))

    def _abstract(self, a: Node, level: int, join: Callable[[Any, Any], Any], key: int) -> Node:
        own = self._level[a]
        if own > level:
            return a
        memo = ("abstract", key, level, a)
        result = self._cache.get(memo)
        if result is None:
            kids = self._kids[a]
            if own == level:
                result = kids[0]
                for kid in kids[1:]:
                    result = self._apply(join, result, kid, key)
            else:
                result = self._mk(own, tuple(self._abstract(k, level, join, key) for k in kids))
            self._cache[memo] = result
        return result

    def copy_from(self, source: MDD, node: Node, fixed: Mapping[str, Any] | None = None) -> Node:
        """Copy ``node`` of another manager into this one, with the facts of ``fixed``
        set to the given values. This manager must know every fact left in the diagram
        (with the same domain); it may order them differently."""
        assignment: dict[int, int] = {}
        for fact, value in (fixed or {}).items():
            level = source._level_of(fact)
            assignment[level] = source._position(level, value)
        for level, name in enumerate(source.names):
            if (
                level not in assignment
                and name in self._index
                and self.domains[self._index[name]] != source.domains[level]
            ):
                raise ValueError(f"fact {name!r} has different domains in the two managers")
        memo: dict[Node, Node] = {}
        with self.lock:
            return self._copy(source, node, assignment, memo)

    def _copy(
        self, source: MDD, node: Node, assignment: dict[int, int], memo: dict[Node, Node]
    ) -> Node:
        result = memo.get(node)
        if result is not None:
            return result
        level = source._level[node]
        if level == source.levels:
            result = self.terminal(source._value[node])
        elif level in assignment:
            result = self._copy(source, source._kids[node][assignment[level]], assignment, memo)
        else:
            target = self._level_of(source.names[level])
            kids = tuple(self._copy(source, k, assignment, memo) for k in source._kids[node])
            result = self._select(target, kids)
        memo[node] = result
        return result

    def _select(self, level: int, kids: tuple[Node, ...]) -> Node:
        """The function equal to ``kids[i]`` where the fact at ``level`` has its i-th
        value; the kids may test facts above ``level`` (a change of order)."""
        top = min(self._level[k] for k in kids)
        if top > level:
            return self._mk(level, kids)
        memo = ("select", level, kids)
        result = self._cache.get(memo)
        if result is None:
            width = len(self.domains[top])
            result = self._mk(
                top,
                tuple(
                    self._select(
                        level,
                        tuple(self._kids[k][j] if self._level[k] == top else k for k in kids),
                    )
                    for j in range(width)
                ),
            )
            self._cache[memo] = result
        return result

    # -- reading (no lock, no new node) ------------------------------------------------

    def evaluate(self, node: Node, situation: Mapping[str, Any]) -> Any:
        """The terminal value for a situation. It needs only the facts tested on the
        path it follows; a missing one is a :class:`FactError` naming it."""
        levels = self.levels
        level = self._level[node]
        while level != levels:
            name = self.names[level]
            if name not in situation:
                raise FactError(f"fact {name!r} is needed and missing", fact=name)
            node = self._kids[node][self._position(level, situation[name])]
            level = self._level[node]
        return self._value[node]

    def support(self, node: Node) -> tuple[str, ...]:
        """The facts the diagram tests, in order."""
        seen: set[Node] = set()
        levels: set[int] = set()
        stack = [node]
        while stack:
            n = stack.pop()
            if n in seen or self._level[n] == self.levels:
                continue
            seen.add(n)
            levels.add(self._level[n])
            stack.extend(self._kids[n])
        return tuple(self.names[level] for level in sorted(levels))

    def node_count(self, node: Node) -> int:
        """Number of nodes (terminals included) reachable from ``node``."""
        seen: set[Node] = set()
        stack = [node]
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                stack.extend(self._kids[n])
        return len(seen)

    def terminals(
        self, node: Node, care: Node = TRUE, within: Mapping[str, Any] | None = None
    ) -> frozenset[Any]:
        """The terminal values reached by assignments inside ``within`` (a cube) where
        the boolean ``care`` holds."""
        return frozenset(self._tally(node, care, self.internal_cube(within), count=False))

    def tally(
        self, node: Node, care: Node = TRUE, within: Mapping[str, Any] | None = None
    ) -> dict[Any, int]:
        """For each terminal value, the exact number of complete assignments (inside
        ``within``, where ``care`` holds) that reach it."""
        return self._tally(node, care, self.internal_cube(within), count=True)

    def count(
        self,
        node: Node,
        predicate: Callable[[Any], bool] | None = None,
        care: Node = TRUE,
        within: Mapping[str, Any] | None = None,
    ) -> int:
        """The exact number of complete assignments (inside ``within``, where ``care``
        holds) whose terminal satisfies ``predicate`` (default: is truthy)."""
        test = bool if predicate is None else predicate
        tally = self._tally(node, care, self.internal_cube(within), count=True)
        return sum(n for value, n in tally.items() if test(value))

    def _tally(self, node: Node, care: Node, cube: _Cube, count: bool) -> dict[Any, int]:
        """Terminal value -> number of assignments inside ``cube`` where ``care`` holds
        (with ``count`` false: the values reached, each with a positive number)."""
        widths = [
            len(self.domains[level]) if allowed is None else len(allowed)
            for level, allowed in enumerate(cube)
        ]
        if 0 in widths:
            return {}
        if not count:
            return dict.fromkeys((self._value[t] for t in self._reached(node, care, cube)), 1)
        prefix = [1]
        for width in widths:
            prefix.append(prefix[-1] * width)
        levels = self.levels
        level_of = self._level
        kids_of = self._kids
        domains = self.domains
        # counts are kept per terminal node (cheap int keys), values looked up at the end
        memo: dict[tuple[Node, Node], tuple[int, dict[Node, int]]] = {}

        def go(x: Node, c: Node) -> tuple[int, dict[Node, int]]:
            """(top level, counts over the assignments of the levels from top)."""
            found = memo.get((x, c))
            if found is not None:
                return found
            top = min(level_of[x], level_of[c])
            result: dict[Node, int] = {}
            if c == FALSE:
                pass
            elif top == levels:
                result[x] = 1
            else:
                allowed = cube[top]
                kx = kids_of[x] if level_of[x] == top else None
                kc = kids_of[c] if level_of[c] == top else None
                below = prefix[top + 1]
                for i in range(len(domains[top])) if allowed is None else allowed:
                    child_top, counts = go(x if kx is None else kx[i], c if kc is None else kc[i])
                    factor = prefix[child_top] // below
                    for terminal, n in counts.items():
                        result[terminal] = result.get(terminal, 0) + n * factor
            memo[(x, c)] = (top, result)
            return top, result

        top, counts = go(node, care)
        factor = prefix[top]
        return {self._value[t]: n * factor for t, n in counts.items() if n}

    def _reached(self, node: Node, care: Node, cube: _Cube) -> set[Node]:
        """The terminal nodes reached by assignments inside ``cube`` where ``care``
        holds."""
        level_of = self._level
        kids_of = self._kids
        levels = self.levels
        reached: set[Node] = set()
        seen: set[tuple[Node, Node]] = set()
        stack = [(node, care)]
        while stack:
            pair = stack.pop()
            if pair in seen:
                continue
            seen.add(pair)
            x, c = pair
            if c == FALSE:
                continue
            top = min(level_of[x], level_of[c])
            if top == levels:
                reached.add(x)
                continue
            kx = kids_of[x] if level_of[x] == top else None
            kc = kids_of[c] if level_of[c] == top else None
            allowed = cube[top]
            for i in range(len(self.domains[top])) if allowed is None else allowed:
                stack.append((x if kx is None else kx[i], c if kc is None else kc[i]))
        return reached

    def example(
        self,
        node: Node,
        predicate: Callable[[Any], bool] | None = None,
        care: Node = TRUE,
        within: Mapping[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """One complete assignment (inside ``within``, where ``care`` holds) whose
        terminal satisfies ``predicate`` (default: is truthy), or None if there is none.
        Facts the diagram leaves free take the first allowed value of their domain."""
        return self._example(node, predicate, care, self.internal_cube(within))

    def _example(
        self,
        node: Node,
        predicate: Callable[[Any], bool] | None,
        care: Node,
        cube: _Cube,
    ) -> dict[str, Any] | None:
        test = bool if predicate is None else predicate
        if any(allowed is not None and not allowed for allowed in cube):
            return None
        failed: set[tuple[Node, Node]] = set()
        choice: dict[int, int] = {}
        levels = self.levels

        def go(x: Node, c: Node) -> bool:
            if c == FALSE or (x, c) in failed:
                return False
            top = min(self._level[x], self._level[c])
            if top == levels:
                return bool(test(self._value[x]))
            kx = self._kids[x] if self._level[x] == top else None
            kc = self._kids[c] if self._level[c] == top else None
            allowed = cube[top]
            for i in range(len(self.domains[top])) if allowed is None else allowed:
                if go(x if kx is None else kx[i], c if kc is None else kc[i]):
                    choice[top] = i
                    return True
            failed.add((x, c))
            return False

        if not go(node, care):
            return None
        result: dict[str, Any] = {}
        for level, name in enumerate(self.names):
            allowed = cube[level]
            position = choice.get(level, 0 if allowed is None else allowed[0])
            result[name] = self.domains[level][position]
        return result

    def _count_true(self, node: Node, cube: _Cube) -> int:
        """Number of complete assignments inside ``cube`` where the boolean ``node``
        holds (the fast path of :meth:`count`)."""
        widths = [
            len(domain) if allowed is None else len(allowed)
            for domain, allowed in zip(self.domains, cube, strict=True)
        ]
        prefix = [1]
        for width in widths:
            prefix.append(prefix[-1] * width)
        if prefix[-1] == 0:
            return 0
        level_of = self._level
        kids_of = self._kids
        memo: dict[Node, int] = {FALSE: 0, TRUE: 1}

        def go(n: Node) -> int:
            """Count over the levels from n's level down."""
            found = memo.get(n)
            if found is not None:
                return found
            level = level_of[n]
            if level == self.levels:
                raise TypeError("counting a diagram that is not boolean")
            kids = kids_of[n]
            allowed = cube[level]
            total = 0
            for i in range(len(kids)) if allowed is None else allowed:
                kid = kids[i]
                total += go(kid) * (prefix[level_of[kid]] // prefix[level + 1])
            memo[n] = total
            return total

        return go(node) * prefix[level_of[node]]

    def _reaches(self, node: Node, cube: _Cube, target: Node) -> bool:
        """Whether some assignment inside ``cube`` leads from ``node`` to ``target``."""
        seen: set[Node] = set()
        stack = [node]
        levels = self.levels
        while stack:
            n = stack.pop()
            if n == target:
                return True
            if n in seen:
                continue
            seen.add(n)
            level = self._level[n]
            if level == levels:
                continue
            kids = self._kids[n]
            allowed = cube[level]
            stack.extend(kids if allowed is None else (kids[i] for i in allowed))
        return False

    def implies(self, cube: Mapping[str, Any], node: Node) -> bool:
        """Whether every assignment inside ``cube`` satisfies the boolean ``node``."""
        return self._implies(self.internal_cube(cube), node)

    def _implies(self, cube: _Cube, node: Node) -> bool:
        seen: set[Node] = set()
        stack = [node]
        levels = self.levels
        while stack:
            n = stack.pop()
            if n == TRUE or n in seen:
                continue
            level = self._level[n]
            if level == levels:
                return False
            seen.add(n)
            kids = self._kids[n]
            allowed = cube[level]
            if allowed is None:
                stack.extend(kids)
            else:
                stack.extend(kids[i] for i in allowed)
        return True


def _as_values(allowed: Any) -> Collection[Any]:
    """A value or a collection of values, as a collection (a string is one value)."""
    if isinstance(allowed, str | bytes) or not isinstance(allowed, Collection):
        return (allowed,)
    return allowed


@attrs.frozen(eq=False)
class Diagram:
    """A diagram with its manager: the convenient handle for queries."""

    manager: MDD
    root: Node

    @property
    def facts(self) -> tuple[str, ...]:
        """The facts the diagram ranges over (its manager's variables, in order)."""
        return self.manager.names

    def evaluate(self, situation: Mapping[str, Any]) -> Any:
        """The terminal value for a situation (see :meth:`MDD.evaluate`)."""
        return self.manager.evaluate(self.root, situation)

    def terminals(self) -> frozenset[Any]:
        """The terminal values the diagram can reach."""
        return self.manager.terminals(self.root)

    def tally(self) -> dict[Any, int]:
        """Terminal value -> number of assignments of the facts that reach it."""
        return self.manager.tally(self.root)

    def count(self, predicate: Callable[[Any], bool] | None = None) -> int:
        """Number of assignments whose terminal satisfies ``predicate``."""
        return self.manager.count(self.root, predicate)

    def example(self, predicate: Callable[[Any], bool] | None = None) -> dict[str, Any] | None:
        """One assignment whose terminal satisfies ``predicate``, or None."""
        return self.manager.example(self.root, predicate)

    def support(self) -> tuple[str, ...]:
        """The facts the diagram tests."""
        return self.manager.support(self.root)

    @property
    def node_count(self) -> int:
        return self.manager.node_count(self.root)


def suggest_order(vocabulary: Vocabulary, rules: Iterable[Rule]) -> tuple[str, ...]:
    """A cheap variable-order heuristic: the facts tested by the most rules (and
    impossibility declarations) first, ties in vocabulary order.

    Facts that most rules read then sit at the top of the diagram, where the broad
    principles of the law split the space, and the facts of narrow exceptions sit below.
    """
    uses: Counter[str] = Counter()
    for rule in rules:
        uses.update(condition_facts(rule.when))
    for impossible in vocabulary.impossible:
        uses.update(condition_facts(impossible.when))
    names = tuple(vocabulary.domains)
    return tuple(sorted(names, key=lambda name: (-uses[name], names.index(name))))


def _tested_in_order(condition: Condition) -> Iterable[str]:
    """The facts a condition tests, in the order they appear (with repeats)."""
    if isinstance(condition, FactTest):
        yield condition.fact
    elif isinstance(condition, Not):
        yield from _tested_in_order(condition.item)
    else:
        for item in condition.items:
            yield from _tested_in_order(item)


def _first_appearance(vocabulary: Vocabulary, rules: Sequence[Rule]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for rule in rules:
        seen.update(dict.fromkeys(_tested_in_order(rule.when)))
    for impossible in vocabulary.impossible:
        seen.update(dict.fromkeys(_tested_in_order(impossible.when)))
    seen.update(dict.fromkeys(vocabulary.domains))
    return tuple(name for name in seen if name in vocabulary.domains)


def choose_order(
    vocabulary: Vocabulary,
    rules: Sequence[Rule],
    candidates: Iterable[Sequence[str]] | None = None,
) -> tuple[str, ...]:
    """The variable order, among ``candidates``, that gives the smallest outcome diagram
    for ``rules`` (each candidate is built once: the cost of a few builds).

    Default candidates: the vocabulary's order (a human order: who, how, what, often the
    best), :func:`suggest_order`, and the order in which facts first appear in the rules
    taken principles first and exceptions first. No order is best for every ruleset;
    measured, each of these wins on some (the diagram size can differ fourfold).
    """
    rules = tuple(rules)
    if candidates is None:
        principles_first = list(reversed(_override_order(rules)))
        candidates = (
            tuple(vocabulary.domains),
            suggest_order(vocabulary, rules),
            _first_appearance(vocabulary, principles_first),
            _first_appearance(vocabulary, principles_first[::-1]),
        )
    best: tuple[int, tuple[str, ...]] | None = None
    for candidate in dict.fromkeys(tuple(c) for c in candidates):
        size = build_outcome(vocabulary, rules, order=candidate).node_count
        if best is None or size < best[0]:
            best = (size, candidate)
    if best is None:
        raise ValueError("no candidate order given")
    return best[1]


def _possible_node(manager: MDD, vocabulary: Vocabulary) -> Node:
    return manager.not_(
        manager.disjunction(manager.condition(item.when) for item in vocabulary.impossible)
    )


def _override_order(rules: Sequence[Rule]) -> list[Rule]:
    """The rules with every rule after all the rules that override it; a cycle among the
    given rules is a :class:`RulesetError`."""
    ids = {rule.id for rule in rules}
    overriders: dict[str, list[str]] = {rule.id: [] for rule in rules}
    for rule in rules:
        for target in rule.overrides:
            if target in ids:
                overriders[target].append(rule.id)
    by_id = {rule.id: rule for rule in rules}
    ordered: list[Rule] = []
    state: dict[str, int] = {}  # 1: in progress, 2: done
    for start in rules:
        if state.get(start.id) == 2:
            continue
        stack: list[tuple[str, int]] = [(start.id, 0)]
        state[start.id] = 1
        while stack:
            rule_id, index = stack[-1]
            above = overriders[rule_id]
            if index < len(above):
                stack[-1] = (rule_id, index + 1)
                nxt = above[index]
                if state.get(nxt) == 1:
                    cycle = [r for r, _ in stack] + [nxt]
                    cycle = cycle[cycle.index(nxt) :]
                    raise RulesetError(
                        "overrides form a cycle: " + " is overridden by ".join(cycle)
                    )
                if state.get(nxt) is None:
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                stack.pop()
                state[rule_id] = 2
                ordered.append(by_id[rule_id])
    return ordered


@attrs.frozen(eq=False)
class SymbolicRuleset:
    """The symbolic form of one (already filtered) set of rules over a vocabulary.

    ``outcome`` maps every situation to an :data:`OutcomeTerminal`: an :class:`Outcome`,
    a :class:`Conflict` naming the winners, :data:`GAP` when no rule wins, or
    :data:`IMPOSSIBLE` where the vocabulary excludes the combination. ``applies`` and
    ``wins`` give, per rule id, the boolean diagrams of where the rule applies and where
    it wins (applies and is not set aside), over all situations, possible or not.
    """

    vocabulary: Vocabulary
    rules: tuple[Rule, ...]
    manager: MDD
    outcome: Node
    possible: Node
    applies: Mapping[str, Node]
    wins: Mapping[str, Node]

    @property
    def order(self) -> tuple[str, ...]:
        """The variable order of the diagrams."""
        return self.manager.names

    @property
    def node_count(self) -> int:
        """Number of nodes of the outcome diagram."""
        return self.manager.node_count(self.outcome)

    @property
    def diagram(self) -> Diagram:
        """The outcome diagram with its manager."""
        return Diagram(self.manager, self.outcome)

    def _fixed(self, partial: Mapping[str, Any] | None) -> dict[str, Any]:
        """The facts of a (partial) situation the diagrams range over: the date (never
        tested by a condition) and facts given as None are left out."""
        fixed: dict[str, Any] = {}
        for fact, value in (partial or {}).items():
            if value is None or (fact in self.vocabulary and self.vocabulary[fact].is_date):
                continue
            level = self.manager._level_of(fact)
            self.manager._position(level, value)
            fixed[fact] = value
        return fixed

    def outcome_of(self, situation: Mapping[str, Any]) -> OutcomeTerminal:
        """The outcome of a situation (:data:`IMPOSSIBLE` for an impossible one).

        A partial situation has an outcome when all its completions, possible or not,
        share it; otherwise the :class:`FactError` names the first missing fact tested on
        its path (see :meth:`needed_facts` for the questions to ask).
        """
        fixed = self._fixed(situation)
        try:
            result: OutcomeTerminal = self.manager.evaluate(self.outcome, fixed)
        except FactError:
            within = {fact: (value,) for fact, value in fixed.items()}
            reached = self.manager.terminals(self.outcome, within=within)
            if len(reached) != 1:
                raise
            (result,) = reached
        return result

    def possible_outcomes(self, partial: Mapping[str, Any] | None = None) -> frozenset[Any]:
        """The outcomes of the possible completions of a partial situation
        (:data:`IMPOSSIBLE` left out; empty if no completion is possible)."""
        within = {fact: (value,) for fact, value in self._fixed(partial).items()}
        return self.manager.terminals(self.outcome, within=within) - {IMPOSSIBLE}

    def restrict(self, partial: Mapping[str, Any]) -> Diagram:
        """The outcome diagram with the facts of ``partial`` set, in a fresh manager whose
        variables are the facts left unknown (so counts are over completions)."""
        fixed = self._fixed(partial)
        scratch = MDD(
            (name, domain)
            for name, domain in zip(self.manager.names, self.manager.domains, strict=True)
            if name not in fixed
        )
        return Diagram(scratch, scratch.copy_from(self.manager, self.outcome, fixed))

    def needed_facts(self, partial: Mapping[str, Any] | None = None) -> tuple[str, ...]:
        """The facts still needed to settle the outcome of a partial situation, best next
        question first; empty when the possible completions all have one outcome.

        Definition (checked against brute force by the tests). Over the possible
        completions of ``partial``, a set S of unknown facts *settles* the outcome when
        any two possible completions that agree on S have the same outcome. The result is
        a minimal settling set: its facts settle the outcome, and none of them can be left
        out (each is needed given the others). So a fact that cannot change the answer is
        never asked; a fact on which the outcome depends directly (two possible
        completions differing only in it have different outcomes) is always asked; and
        when impossible combinations tie facts together (one answer implies the other),
        only one of them is asked.

        Among the minimal settling sets, the one chosen keeps the most informative facts:
        facts are ranked by the expected entropy of the outcome once the fact is known
        (every possible completion counted alike; lower is better, ties in variable
        order), and the least informative ones are dropped first while the rest still
        settles. The result is listed in that rank.
        """
        restricted = self.restrict(partial or {})
        scratch, root = restricted.manager, restricted.root
        outcomes = scratch.terminals(root) - {IMPOSSIBLE}
        if len(outcomes) <= 1:
            return ()
        candidates = scratch.support(root)
        entropies = _expected_entropies(scratch, root)
        rank = {fact: (entropies[scratch._level_of(fact)], i) for i, fact in enumerate(candidates)}
        ordered = sorted(candidates, key=rank.__getitem__)

        def singleton(value: Any) -> frozenset[Any]:
            return frozenset() if value is IMPOSSIBLE else frozenset((value,))

        def union(a: frozenset[Any], b: frozenset[Any]) -> frozenset[Any]:
            return a | b

        current = scratch.map(singleton, root, key="singleton")
        kept: list[str] = []
        for fact in reversed(ordered):
            without = scratch.abstract(current, fact, union, key="union")
            if all(len(values) <= 1 for values in scratch.terminals(without)):
                current = without
            else:
                kept.append(fact)
        return tuple(sorted(kept, key=rank.__getitem__))

    def tally(self, where: Mapping[str, Any] | None = None) -> dict[OutcomeTerminal, int]:
        """Outcome -> exact number of possible situations (inside ``where``)."""
        counts = self.manager.tally(self.outcome, within=where)
        counts.pop(IMPOSSIBLE, None)
        return counts

    def count(
        self,
        predicate: Callable[[OutcomeTerminal], bool] | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> int:
        """Exact number of possible situations (inside ``where``) whose outcome satisfies
        ``predicate`` (default: every possible situation)."""
        return sum(
            n for value, n in self.tally(where).items() if predicate is None or predicate(value)
        )

    def example(
        self,
        predicate: Callable[[OutcomeTerminal], bool] | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """One possible, complete situation (inside ``where``) whose outcome satisfies
        ``predicate``, or None."""
        return self.manager.example(
            self.outcome,
            lambda value: value is not IMPOSSIBLE and (predicate is None or predicate(value)),
            within=where,
        )

    def dead_rules(self) -> tuple[str, ...]:
        """Rules that apply in no possible situation."""
        manager = self.manager
        return tuple(
            rule.id
            for rule in self.rules
            if manager.count(self.applies[rule.id], care=self.possible) == 0
        )

    def never_winning_rules(self) -> tuple[str, ...]:
        """Rules that apply in some possible situation but are set aside in all of them."""
        manager = self.manager
        return tuple(
            rule.id
            for rule in self.rules
            if manager.count(self.applies[rule.id], care=self.possible) > 0
            and manager.count(self.wins[rule.id], care=self.possible) == 0
        )


def _expected_entropies(manager: MDD, root: Node) -> list[float]:
    """Per level: the expected entropy (bits) of the outcome over the possible
    assignments once that level's fact is known, every possible assignment counted alike.

    One forward-backward pass over the diagram: ``ahead[n]`` counts the assignments of
    the levels above ``n`` that lead to it, ``below[n]`` the assignments from ``n`` down
    per terminal; an edge from ``n`` to ``k`` carries, for the fact at ``n``'s level and
    for each fact it skips, ``ahead[n] * below[k]`` times the skipped widths.
    """
    levels = manager.levels
    level_of = manager._level
    kids_of = manager._kids
    widths = [len(domain) for domain in manager.domains]
    prefix = [1]
    for width in widths:
        prefix.append(prefix[-1] * width)
    order = sorted(_reachable(manager, root), key=level_of.__getitem__)
    ahead: dict[Node, int] = dict.fromkeys(order, 0)
    ahead[root] = prefix[level_of[root]]
    for n in order:
        level = level_of[n]
        if level < levels:
            for kid in kids_of[n]:
                ahead[kid] += ahead[n] * (prefix[level_of[kid]] // prefix[level + 1])
    below: dict[Node, dict[Node, int]] = {}
    for n in reversed(order):
        level = level_of[n]
        if level == levels:
            below[n] = {} if manager._value[n] is IMPOSSIBLE else {n: 1}
            continue
        counts: dict[Node, int] = {}
        for kid in kids_of[n]:
            factor = prefix[level_of[kid]] // prefix[level + 1]
            for terminal, c in below[kid].items():
                counts[terminal] = counts.get(terminal, 0) + c * factor
        below[n] = counts
    marginals: list[list[dict[Node, int]]] = [[{} for _ in range(w)] for w in widths]

    def add(level: int, position: int | None, weight: int, counts: dict[Node, int]) -> None:
        for i in range(widths[level]) if position is None else (position,):
            cell = marginals[level][i]
            for terminal, c in counts.items():
                cell[terminal] = cell.get(terminal, 0) + c * weight

    top = level_of[root]
    for level in range(top):  # facts above the root: every value alike
        add(level, None, prefix[top] // widths[level], below[root])
    for n in order:
        level = level_of[n]
        if level == levels:
            continue
        for i, kid in enumerate(kids_of[n]):
            span = prefix[level_of[kid]] // prefix[level + 1]
            add(level, i, ahead[n] * span, below[kid])
            for skipped in range(level + 1, level_of[kid]):
                add(skipped, None, ahead[n] * span // widths[skipped], below[kid])
    entropies = []
    for cells in marginals:
        total = 0
        weighted = 0.0
        for cell in cells:
            n = sum(cell.values())
            if n:
                total += n
                weighted -= sum(c * math.log2(c / n) for c in cell.values() if c)
        entropies.append(weighted / total if total else 0.0)
    return entropies


def _reachable(manager: MDD, root: Node) -> set[Node]:
    seen: set[Node] = set()
    stack = [root]
    while stack:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack.extend(manager._kids[n])
    return seen


def _add_kind(kind: Outcome, found: frozenset[Outcome], wins: bool) -> frozenset[Outcome]:
    return found | {kind} if wins else found


def _name_winner(rule_id: str, outcome: Any, wins: bool) -> Any:
    if wins and isinstance(outcome, Conflict):
        return Conflict((*outcome.rules, rule_id))
    return outcome


def _is_conflict(value: Any) -> bool:
    return isinstance(value, Conflict)


def build_outcome(
    vocabulary: Vocabulary,
    rules: Sequence[Rule],
    order: Sequence[str] | None = None,
    manager: MDD | None = None,
) -> SymbolicRuleset:
    """The symbolic form of ``rules`` (those in force for the question: the caller has
    already left out rules excluded by the chosen readings or annulled).

    Encodes :func:`disclosure._ir.defeasibility.settle` exactly: a rule wins where it applies
    and no rule overriding it wins (``win(r) = app(r) and not any(win(s) for s overriding
    r)``); the winners' conclusions combine as :func:`combine_conclusions` does; no
    winner is :data:`GAP`; winners that cannot be reconciled are a :class:`Conflict`
    naming every winner; impossible situations are :data:`IMPOSSIBLE`.

    ``order`` is the variable order (default: vocabulary order; see
    :func:`suggest_order`); ``manager`` lets several rulesets share one manager (it must
    range over the vocabulary's condition facts). Overrides of rules not in ``rules`` are
    ignored; a cycle of overrides is a :class:`RulesetError`.
    """
    rules = tuple(rules)
    if manager is None:
        manager = MDD.for_vocabulary(vocabulary, order)
    with manager.lock:
        possible = _possible_node(manager, vocabulary)
        applies = {rule.id: manager.condition(rule.when) for rule in rules}
        overriders: dict[str, list[str]] = {rule.id: [] for rule in rules}
        for rule in rules:
            for target in rule.overrides:
                if target in overriders:
                    overriders[target].append(rule.id)
        wins: dict[str, Node] = {}
        for rule in _override_order(rules):
            defeated = manager.disjunction(wins[s] for s in overriders[rule.id])
            wins[rule.id] = manager._and(applies[rule.id], manager._not(defeated))

        # Conclusions that win, as a set per situation, then combined.
        kinds: Node = manager.terminal(frozenset())
        for kind in Outcome:
            region = manager.disjunction(wins[r.id] for r in rules if r.conclusion is kind)
            if region != FALSE:
                kinds = manager._apply(
                    functools.partial(_add_kind, kind),
                    kinds,
                    region,
                    manager._op(("add-kind", kind)),
                )

        def combine(found: frozenset[Outcome]) -> OutcomeTerminal:
            if not found:
                return GAP
            combined = combine_conclusions(found)
            return Conflict(()) if combined is None else combined

        outcome = manager._map(combine, kinds, manager._op("combine"))
        # Name every winner where they conflict, in the rules' order.
        conflicts = manager._map(_is_conflict, outcome, manager._op("is-conflict"))
        if conflicts != FALSE:
            for rule in rules:
                if manager._and(wins[rule.id], conflicts) == FALSE:
                    continue
                outcome = manager._apply(
                    functools.partial(_name_winner, rule.id),
                    outcome,
                    wins[rule.id],
                    manager._op(("name-winner", rule.id)),
                )
        outcome = manager._ite(possible, outcome, manager.terminal(IMPOSSIBLE))
        manager.clear_caches()
    return SymbolicRuleset(
        vocabulary=vocabulary,
        rules=rules,
        manager=manager,
        outcome=outcome,
        possible=possible,
        applies=applies,
        wins=wins,
    )
