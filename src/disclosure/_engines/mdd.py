"""Multi-valued decision diagrams (MDDs): the algebra under the symbolic form.

A decision diagram represents a function of every situation at once: each internal node
tests one fact and has one child per value of that fact's domain, each terminal holds a
value (``True``/``False`` for a condition, any hashable value otherwise). The diagrams are
*ordered* (facts are tested in one fixed order on every path), *reduced* (no node whose
children are all the same, no two equal nodes) and hash-consed in an :class:`MDD`
manager, so that two equal functions are the same node and every operation is memoised.
Time and memory grow with the size of the diagrams, not with the number of situations
they describe.

Node ids are plain ints, private to their manager. Nodes are immutable once created: a
manager may be built under its lock and then read from any number of threads. Queries
that would create nodes work in a fresh scratch manager, so repeated queries never grow a
ruleset's diagrams. This module knows conditions and vocabularies (the IR) but nothing
of rules, outcomes or defeasibility: that is :mod:`disclosure._engines.symbolic`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeAlias

import attrs

from disclosure._ir.conditions import All, Any_, Condition, FactTest, Not
from disclosure._ir.vocabulary import Vocabulary
from disclosure.errors import FactError, did_you_mean

__all__ = ["FALSE", "MDD", "TRUE", "Cube", "Diagram", "Node"]

#: A node of an :class:`MDD`: an int, meaningful only with its manager.
Node: TypeAlias = int
#: The two boolean terminals have the same ids in every manager.
FALSE: Node = 0
TRUE: Node = 1

#: A cube: for each level of a manager, the allowed value positions (None: any value).
Cube: TypeAlias = tuple[tuple[int, ...] | None, ...]


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

    def _cube_node(self, cube: Cube) -> Node:
        node = TRUE
        for level in range(self.levels - 1, -1, -1):
            allowed = cube[level]
            if allowed is not None:
                kids = tuple(
                    node if i in allowed else FALSE for i in range(len(self.domains[level]))
                )
                node = self._mk(level, kids)
        return node

    def minus_cube(self, node: Node, cube: Cube) -> Node:
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

    def internal_cube(self, conditions: Mapping[str, Any] | None) -> Cube:
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

    def public_cube(self, cube: Cube) -> dict[str, frozenset[Any]]:
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

    def _tally(self, node: Node, care: Node, cube: Cube, count: bool) -> dict[Any, int]:
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

    def _reached(self, node: Node, care: Node, cube: Cube) -> set[Node]:
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
        cube: Cube,
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

    def _count_true(self, node: Node, cube: Cube) -> int:
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

    def _reaches(self, node: Node, cube: Cube, target: Node) -> bool:
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

    def _implies(self, cube: Cube, node: Node) -> bool:
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
