"""The exact semantic diff of two rulesets, on their symbolic form.

For every pair of outcomes ``(outcome_a, outcome_b)`` with ``outcome_a != outcome_b``, the
set of possible situations where ruleset *a* gives ``outcome_a`` and *b* gives
``outcome_b`` is described by a list of :class:`Region` s, each a cube (fact -> allowed
values). The regions of a pair:

* cover that set *exactly*: every possible situation of a region belongs to the set, and
  every situation of the set lies in some region (impossible situations may lie inside a
  region's cube, as don't-cares, but are never counted);
* are *prime*: no condition of a region can be widened by one value, or dropped, without
  taking in a possible situation outside the set (or a situation outside ``where``);
* form an *irredundant* cover: no region can be removed without uncovering a situation.

Regions of one pair may overlap, so their sizes need not add up to the pair's total: the
totals are counted exactly on the diagram (:attr:`SemanticDiff.totals`).

Algorithm: both outcome diagrams are copied into a scratch manager and combined into the
product diagram (a pair of outcomes per situation). For each pair, the on-set is that
pair's situations and the don't-care set the impossible situations (inside ``where``).
Repeatedly, the largest path-cube of the still-uncovered on-set is expanded to a prime
(from the bottom of the variable order up, each fact dropped, else widened value by
value, while the cube stays inside on-set ∪ don't-care; containment is a walk of that
diagram) and subtracted from the uncovered part, until nothing is left; then, smallest
first, each cube that the other kept cubes cover is dropped (one walk of the on-set with
the union of the cubes kept before it and of those not yet checked). Every step works on
diagrams, so the cost grows with their size and with the number of regions, never with the
number of situations.

The regions are a sum of products, and some functions need many products: where a change
meets a rule with many exceptions, each negated condition is a disjunction, and an exact,
minimal cover may need hundreds or thousands of regions. The totals stay exact and cheap
whatever the number of regions.
"""

from __future__ import annotations

import enum
import functools
import operator
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from disclosure._engines.mdd import FALSE, MDD, TRUE, Cube, Node
from disclosure._engines.symbolic import (
    IMPOSSIBLE,
    OutcomeTerminal,
    SymbolicRuleset,
    terminal_sort_key,
)

__all__ = ["Region", "SemanticDiff", "diff_regions", "diff_totals", "semantic_diff"]

OutcomePair = tuple[OutcomeTerminal, OutcomeTerminal]


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


def _frozen_totals(value: Mapping[OutcomePair, int]) -> Mapping[OutcomePair, int]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Region:
    """A cube of the fact space where ruleset *a* gives ``outcome_a`` and *b* gives
    ``outcome_b``.

    ``conditions`` maps each constrained fact to its allowed values (a fact not named is
    unconstrained); ``size`` is the number of possible situations in the region;
    ``example`` is one of them, complete.

    ``conditions`` is prime: it may allow a value that only impossible situations of the
    region take (e.g. ``request_form`` in ``{written_reasoned, none}`` where ``none`` is
    impossible for a request), since leaving it out would not be minimal. ``narrowed``
    names the same facts with those values left out: the same possible situations, and
    what a reader expects to see.
    """

    conditions: Mapping[str, frozenset[Any]] = attrs.field(converter=_frozen_mapping, hash=False)
    size: int
    example: Mapping[str, Any] = attrs.field(converter=_frozen_mapping, hash=False)
    outcome_a: OutcomeTerminal
    outcome_b: OutcomeTerminal
    narrowed: Mapping[str, frozenset[Any]] = attrs.field(
        converter=_frozen_mapping, hash=False, eq=False
    )

    def contains(self, situation: Mapping[str, Any]) -> bool:
        """Whether a (complete) situation satisfies every condition of the region."""
        return all(situation[fact] in values for fact, values in self.conditions.items())


@attrs.frozen
class SemanticDiff:
    """Every difference of outcome between two rulesets, as regions, with exact totals
    (possible situations) per pair of outcomes."""

    regions: tuple[Region, ...]
    totals: Mapping[OutcomePair, int] = attrs.field(converter=_frozen_totals, hash=False)
    where: Mapping[str, frozenset[Any]] = attrs.field(converter=_frozen_mapping, hash=False)
    #: possible situations compared (inside ``where``)
    compared: int
    #: pairs whose regions stopped at ``max_regions``: they do not cover the pair's
    #: situations (their total still counts them all); empty for an exact diff
    truncated: tuple[OutcomePair, ...] = ()

    @property
    def changed(self) -> int:
        """Number of possible situations whose outcome differs."""
        return sum(self.totals.values())


class _Pairing(enum.Enum):
    SAME = "same"
    OUTSIDE = "outside"


def _pair(a: Any, b: Any) -> Any:
    if a is IMPOSSIBLE or b is IMPOSSIBLE:
        return IMPOSSIBLE
    if a == b:
        return _Pairing.SAME
    return (a, b)


def semantic_diff(
    a: SymbolicRuleset,
    b: SymbolicRuleset,
    where: Mapping[str, Any] | None = None,
    max_regions: int | None = None,
) -> SemanticDiff:
    """The exact semantic diff of two symbolic rulesets over the same vocabulary (see the
    module documentation for what the regions guarantee).

    ``where`` restricts the comparison to a sub-space: fact -> a value or a collection of
    allowed values. The result uses *a*'s variable order.

    ``max_regions`` bounds the work per pair of outcomes for very large diffs: a pair whose
    cover would need more regions gets the first ``max_regions`` (still prime, largest
    first, none redundant among them) and is listed in ``truncated``; totals stay exact.
    """
    if max_regions is not None and max_regions < 1:
        raise ValueError("max_regions must be at least 1")
    scratch = MDD(zip(a.manager.names, a.manager.domains, strict=True))
    possible = scratch.copy_from(a.manager, a.possible)
    if scratch.copy_from(b.manager, b.possible) != possible:
        raise ValueError("the two rulesets do not have the same possible situations")
    within = scratch.cube(where or {})
    product = scratch.apply(
        _pair,
        scratch.copy_from(a.manager, a.outcome),
        scratch.copy_from(b.manager, b.outcome),
        key="pair",
    )
    product = scratch.ite(within, product, scratch.terminal(_Pairing.OUTSIDE))
    tally = scratch.tally(product)
    compared = sum(n for v, n in tally.items() if v is _Pairing.SAME or isinstance(v, tuple))
    totals = {v: n for v, n in tally.items() if isinstance(v, tuple)}
    pairs = sorted(totals, key=lambda p: (terminal_sort_key(p[0]), terminal_sort_key(p[1])))
    dont_care = scratch.and_(within, scratch.not_(possible))
    regions: list[Region] = []
    truncated: list[OutcomePair] = []
    for pair in pairs:
        on = scratch.map(functools.partial(operator.eq, pair), product, key=("is", pair))
        allowed = scratch.or_(on, dont_care)
        found = []
        cover, complete = _cover(scratch, on, allowed, max_regions)
        if not complete:
            truncated.append(pair)
        for cube, size in cover:
            example = scratch._example(on, None, TRUE, cube)
            assert example is not None
            found.append(
                Region(
                    conditions=scratch.public_cube(cube),
                    size=size,
                    example=example,
                    outcome_a=pair[0],
                    outcome_b=pair[1],
                    narrowed=_narrowed(scratch, on, cube),
                )
            )
        found.sort(
            key=lambda r: (
                -r.size,
                sorted((f, sorted(map(repr, v))) for f, v in r.conditions.items()),
            )
        )
        regions.extend(found)
    normalised = scratch.public_cube(scratch.internal_cube(where))
    return SemanticDiff(
        regions=tuple(regions),
        totals=totals,
        where=normalised,
        compared=compared,
        truncated=tuple(truncated),
    )


def _narrowed(manager: MDD, on: Node, cube: Cube) -> dict[str, frozenset[Any]]:
    """The cube's conditions without the values that no situation of ``on`` in the cube
    takes (every situation of ``on`` is possible)."""
    result: dict[str, frozenset[Any]] = {}
    for level, positions in enumerate(cube):
        if positions is None:
            continue
        taken = [
            i
            for i in positions
            if manager._reaches(on, (*cube[:level], (i,), *cube[level + 1 :]), TRUE)
        ]
        result[manager.names[level]] = frozenset(manager.domains[level][i] for i in taken)
    return result


def diff_regions(
    a: SymbolicRuleset, b: SymbolicRuleset, where: Mapping[str, Any] | None = None
) -> list[Region]:
    """The regions of :func:`semantic_diff`: minimal, exact, per pair of outcomes."""
    return list(semantic_diff(a, b, where).regions)


def diff_totals(
    a: SymbolicRuleset, b: SymbolicRuleset, where: Mapping[str, Any] | None = None
) -> dict[OutcomePair, int]:
    """(outcome_a, outcome_b) -> exact number of possible situations (inside ``where``)
    where *a* gives ``outcome_a`` and *b* gives ``outcome_b``, for every differing pair."""
    return dict(semantic_diff(a, b, where).totals)


# -- covering ----------------------------------------------------------------------------


def _cover(
    manager: MDD, on: Node, allowed: Node, limit: int | None = None
) -> tuple[list[tuple[Cube, int]], bool]:
    """A prime, irredundant cover of the boolean ``on`` with the don't-cares
    ``allowed - on``, each cube with the number of situations of ``on`` in it; and
    whether it is complete (it stops at ``limit`` cubes)."""
    best: dict[Node, tuple[int, tuple[tuple[int, ...], Node] | None]] = {}
    cubes: list[Cube] = []
    remaining = on
    while remaining != FALSE and (limit is None or len(cubes) < limit):
        prime = _expand(manager, _largest_cube(manager, remaining, best), allowed)
        cubes.append(prime)
        remaining = manager.minus_cube(remaining, prime)
    sized = [(cube, manager._count_true(on, cube)) for cube in cubes]
    return _irredundant(manager, sized, on), remaining == FALSE


def _largest_cube(
    manager: MDD, node: Node, best: dict[Node, tuple[int, tuple[tuple[int, ...], Node] | None]]
) -> Cube:
    """The path-cube of ``node`` (a non-false boolean diagram) with the most
    assignments: every situation in it is in ``node``. ``best`` memoises, per node, the
    size and first step of its largest path-cube (valid for any diagram of the manager,
    nodes being immutable)."""
    domains = manager.domains
    prefix = [1]
    for domain in domains:
        prefix.append(prefix[-1] * len(domain))
    level_of = manager._level
    kids_of = manager._kids

    def size(n: Node) -> int:
        """Assignments of the levels from n's level down in n's largest path-cube."""
        found = best.get(n)
        if found is not None:
            return found[0]
        if n == TRUE:
            best[n] = (1, None)
            return 1
        level = level_of[n]
        groups: dict[Node, list[int]] = {}
        for i, kid in enumerate(kids_of[n]):
            if kid != FALSE:
                groups.setdefault(kid, []).append(i)
        choice: tuple[tuple[int, ...], Node] | None = None
        largest = -1
        for kid, positions in groups.items():
            total = len(positions) * (prefix[level_of[kid]] // prefix[level + 1]) * size(kid)
            if total > largest:
                largest, choice = total, (tuple(positions), kid)
        best[n] = (largest, choice)
        return largest

    size(node)
    cube: list[tuple[int, ...] | None] = [None] * manager.levels
    n = node
    while n != TRUE:
        step = best[n][1]
        assert step is not None
        cube[level_of[n]], n = step
    return tuple(cube)


def _expand(manager: MDD, cube: Cube, allowed: Node) -> Cube:
    """Widen ``cube`` to a prime inside ``allowed``, fact by fact from the bottom of the
    order up: drop the fact's condition if the cube stays inside, else add its values one
    by one where it does. Containment is monotone (a widening refused stays refused as
    the cube grows), so this one pass leaves no widening possible: the result is prime.

    Containment is a walk of ``allowed`` under the cube, cut in two at the level being
    widened. Above it, the cube is still the original one: the nodes where paths cross
    into each level (the frontier) are computed once, top down. Below it, the cube is
    final: whether a node there stays inside is memoised for the whole expansion. So each
    trial only looks at the frontier of its level.
    """
    current = list(cube)
    level_of = manager._level
    kids_of = manager._kids
    levels = manager.levels
    frontiers: list[list[Node]] = []
    crossing = [allowed]
    for level in range(levels):
        frontiers.append(crossing)
        positions = cube[level]
        following: dict[Node, None] = {}
        for n in crossing:
            if level_of[n] != level:
                following[n] = None
            else:
                kids = kids_of[n]
                for i in range(len(kids)) if positions is None else positions:
                    following[kids[i]] = None
        crossing = list(following)
    inside_below: dict[Node, bool] = {FALSE: False, TRUE: True}

    def ok(n: Node) -> bool:
        """Whether every assignment (of the final levels from n's down) stays inside."""
        found = inside_below.get(n)
        if found is None:
            level = level_of[n]
            if level == levels:
                found = False
            else:
                kids = kids_of[n]
                positions = current[level]
                found = all(
                    ok(kids[i]) for i in (range(len(kids)) if positions is None else positions)
                )
            inside_below[n] = found
        return found

    def inside(level: int, positions: tuple[int, ...] | None) -> bool:
        for n in frontiers[level]:
            if level_of[n] != level:
                if not ok(n):
                    return False
                continue
            kids = kids_of[n]
            for i in range(len(kids)) if positions is None else positions:
                if not ok(kids[i]):
                    return False
        return True

    for level in range(levels - 1, -1, -1):
        positions = current[level]
        if positions is None or inside(level, None):
            current[level] = None
            continue
        values = list(positions)
        for i in range(len(manager.domains[level])):
            if i not in values and inside(level, (i,)):
                values.append(i)
        current[level] = tuple(sorted(values))
    return tuple(current)


def _escapes(manager: MDD, on: Node, covers: tuple[Node, Node], cube: Cube) -> bool:
    """Whether some assignment inside ``cube`` is in ``on`` and in neither of the two
    boolean ``covers`` (a walk of the three diagrams together; no node is created)."""
    level_of = manager._level
    kids_of = manager._kids
    domains = manager.domains
    seen: set[tuple[Node, Node, Node]] = set()
    stack = [(on, *covers)]
    while stack:
        state = stack.pop()
        x, y, z = state
        if x == FALSE or y == TRUE or z == TRUE or state in seen:
            continue
        if x == TRUE and y == FALSE and z == FALSE:
            return True
        seen.add(state)
        top = min(level_of[x], level_of[y], level_of[z])
        kx, ky, kz = (kids_of[n] if level_of[n] == top else None for n in state)
        allowed = cube[top]
        for i in range(len(domains[top])) if allowed is None else allowed:
            stack.append(
                (
                    x if kx is None else kx[i],
                    y if ky is None else ky[i],
                    z if kz is None else kz[i],
                )
            )
    return False


def _irredundant(manager: MDD, cubes: list[tuple[Cube, int]], on: Node) -> list[tuple[Cube, int]]:
    """Drop, smallest first, each cube whose situations of ``on`` the other kept cubes
    cover.

    When a cube is checked, the other kept cubes are those checked and kept before it
    (their union grows as cubes are kept) and all those not checked yet (their unions are
    computed once, from the last cube back), so each check is one walk."""
    order = sorted(range(len(cubes)), key=lambda i: (cubes[i][1], i))
    nodes = [manager._cube_node(cube) for cube, _ in cubes]
    after = [FALSE] * (len(order) + 1)
    for position in range(len(order) - 1, -1, -1):
        after[position] = manager.or_(nodes[order[position]], after[position + 1])
    before = FALSE
    kept: list[int] = []
    for position, index in enumerate(order):
        if _escapes(manager, on, (before, after[position + 1]), cubes[index][0]):
            kept.append(index)
            before = manager.or_(before, nodes[index])
    return [cubes[i] for i in sorted(kept)]
