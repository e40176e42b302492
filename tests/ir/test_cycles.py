"""The one cycle search (loader, checker and symbolic form share it) against the standard
library's topological sorter."""

from __future__ import annotations

import graphlib
import itertools

from hypothesis import given
from hypothesis import strategies as st

from disclosure.ir import find_cycle

NODES = st.sampled_from("abcdefg")
GRAPHS = st.dictionaries(NODES, st.lists(st.sampled_from("abcdefgh"), max_size=4), max_size=7)


@given(GRAPHS)
def test_a_cycle_is_found_exactly_when_the_graph_has_one(edges: dict[str, list[str]]) -> None:
    known = {node: [t for t in targets if t in edges] for node, targets in edges.items()}
    try:
        tuple(graphlib.TopologicalSorter(known).static_order())
        acyclic = True
    except graphlib.CycleError:
        acyclic = False
    cycle = find_cycle(edges)
    assert (cycle is None) == acyclic
    if cycle is not None:
        assert cycle[0] == cycle[-1]
        assert len(set(cycle[:-1])) == len(cycle) - 1
        for here, there in itertools.pairwise(cycle):
            assert there in edges[here]


def test_edges_to_unknown_nodes_are_ignored() -> None:
    assert find_cycle({"a": ["b", "x"], "b": []}) is None
    assert find_cycle({"a": ["b"], "b": ["a"]}) == ["a", "b", "a"]
    assert find_cycle({"a": ["a"]}) == ["a", "a"]
