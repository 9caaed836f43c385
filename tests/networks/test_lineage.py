"""The lineage network and its metrics, pinned on the fixture graph and on a hand-built graph
with a merge (two parents) and a cycle; networkx and the compiled paths agree."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pyoxigraph as ox
import pytest

from kg.errors import ParameterError
from kg.networks import large, lineage
from kg.networks.projection import derivation_kinds, derivations

BASE, CHAT, COMMUNITY = "model/base-7b", "model/chat-7b", "model/community-7b"
BACKENDS = ["networkx", "compiled"]


def hand_built() -> nx.MultiDiGraph:
    """a <- b (fine-tune), a <- d (fine-tune), b <- c (quantization), m merges b and d;
    x and y derive from each other (adapter, fine-tune: a cycle), z is a quantization of x."""
    G = nx.MultiDiGraph(derivations=derivation_kinds(derivations(nx_free_store())))
    for n in "abcdmxyz":
        G.add_node(f"model/{n}", kind="model", label=n.upper())
    G.add_node("organization/o", kind="organization", label="O")
    links = [
        ("b", "a", "fine_tuned_from"),
        ("d", "a", "fine_tuned_from"),
        ("c", "b", "quantized_from"),
        ("m", "b", "merged_from"),
        ("m", "d", "merged_from"),
        ("x", "y", "adapter_of"),
        ("y", "x", "fine_tuned_from"),
        ("z", "x", "quantized_from"),
    ]
    for u, v, key in links:
        G.add_edge(f"model/{u}", f"model/{v}", key=key, relation=key, phase=None,
                   source="https://example.org", confidence="paper")  # fmt: skip
    G.add_edge("model/a", "organization/o", key="developed_by", confidence="paper")
    G.add_edge("model/a", "model/a", key="derived_from", confidence="paper")  # left out
    return G


def nx_free_store() -> ox.Store:
    """An empty store: the kinds come from ontology/."""
    return ox.Store()


@pytest.fixture(scope="module")
def hand() -> nx.DiGraph:
    return lineage.lineage_network(hand_built())


def short(values: dict[str, float]) -> dict[str, float]:
    return {n.split("/")[1]: v for n, v in values.items() if v}


def test_kinds_come_from_the_ontology(fixture_nx: nx.MultiDiGraph) -> None:
    kinds = fixture_nx.graph["derivations"]
    assert kinds["adapter_of"] == "adapter"  # a subproperty of llmkg:derivedFrom, not a list here
    assert kinds["fine_tuned_from"] == "fine-tune"
    assert kinds["derived_from"] == "unspecified"
    assert set(kinds.values()) >= {"fine-tune", "quantization", "merge", "adapter"}
    assert {"continued-pretraining", "distillation"} <= set(kinds.values())


def test_fixture_lineage(fixture_nx: nx.MultiDiGraph) -> None:
    L = lineage.lineage_network(fixture_nx)
    assert sorted(L.edges(data="relation")) == [
        (CHAT, BASE, "fine-tune"),
        (COMMUNITY, CHAT, "fine-tune"),
    ]
    assert L.edges[COMMUNITY, CHAT]["confidence"] == "curator-inference"
    for backend in BACKENDS:
        found = lineage.descendants(L, backend=backend)
        assert found == {
            "all": {BASE: 2, CHAT: 1, COMMUNITY: 0},
            "fine-tune": {BASE: 2, CHAT: 1, COMMUNITY: 0},
        }
        assert lineage.depth(L, backend=backend) == {BASE: 0, CHAT: 1, COMMUNITY: 2}
        # solved exactly in test_fixture_pagerank_solves_its_equations
        assert lineage.pagerank(L, backend=backend) == pytest.approx(
            {BASE: 0.47441217, CHAT: 0.34117105, COMMUNITY: 0.18441678}, abs=1e-8
        )
    assert lineage.derivatives(L)["all"] == {BASE: 1, CHAT: 1, COMMUNITY: 0}
    assert lineage.deepest_chain(L, lineage.depth(L)) == [COMMUNITY, CHAT, BASE]
    sure = lineage.lineage_network(fixture_nx, min_confidence="public-record")
    assert list(sure.edges) == [(CHAT, BASE)]


def test_fixture_pagerank_solves_its_equations(fixture_nx: nx.MultiDiGraph) -> None:
    # order base, chat, community; the base is dangling, so it spreads its rank evenly
    M = np.array([[1 / 3, 1, 0], [1 / 3, 0, 1], [1 / 3, 0, 0]])
    x = np.linalg.solve(np.eye(3) - 0.85 * M, np.full(3, 0.05))
    assert x == pytest.approx([0.47441217, 0.34117105, 0.18441678], abs=1e-8)


def test_hand_built_edges(hand: nx.DiGraph) -> None:
    assert sorted((u[6:], v[6:], r) for u, v, r in hand.edges(data="relation")) == [
        ("b", "a", "fine-tune"),
        ("c", "b", "quantization"),
        ("d", "a", "fine-tune"),
        ("m", "b", "merge"),
        ("m", "d", "merge"),
        ("x", "y", "adapter"),
        ("y", "x", "fine-tune"),
        ("z", "x", "quantization"),
    ]
    assert "organization/o" not in hand


@pytest.mark.parametrize("backend", BACKENDS)
def test_hand_built_descendants_count_a_merge_once_and_end_cycles(
    hand: nx.DiGraph, backend: str
) -> None:
    found = {k: short(v) for k, v in lineage.descendants(hand, backend=backend).items()}
    assert found == {
        # a: b, d (fine-tunes), c (a quantization of b), m (a merge of b and d: once)
        # x and y: each other, and z (a quantization of x)
        "all": {"a": 4, "b": 2, "d": 1, "x": 2, "y": 2},
        "adapter": {"y": 1},
        "fine-tune": {"a": 2, "x": 1},
        "merge": {"a": 1, "b": 1, "d": 1},
        "quantization": {"a": 1, "b": 1, "x": 1, "y": 1},
    }


@pytest.mark.parametrize("backend", BACKENDS)
def test_hand_built_derivatives(hand: nx.DiGraph, backend: str) -> None:
    found = {k: short(v) for k, v in lineage.derivatives(hand, backend=backend).items()}
    assert found == {
        "all": {"a": 2, "b": 2, "d": 1, "x": 2, "y": 1},
        "adapter": {"y": 1},
        "fine-tune": {"a": 2, "x": 1},
        "merge": {"b": 1, "d": 1},
        "quantization": {"b": 1, "x": 1},
    }


@pytest.mark.parametrize("backend", BACKENDS)
def test_hand_built_depth_and_pagerank(hand: nx.DiGraph, backend: str) -> None:
    generation = lineage.depth(hand, backend=backend)
    assert short(generation) == {"b": 1, "c": 2, "d": 1, "m": 2, "z": 1}  # x, y: a root cycle
    assert lineage.deepest_chain(hand, generation) == ["model/c", "model/b", "model/a"]
    rank = lineage.pagerank(hand, backend=backend)
    # the solution of x = .85 M x + .15 / 8 (M: "derived from" links, each parent shares evenly)
    expected = {"a": 0.13888424, "b": 0.07622717, "c": 0.03350645, "d": 0.04774669}
    expected |= {"m": 0.03350645, "x": 0.3260087, "y": 0.31061385, "z": 0.03350645}
    assert short(rank) == pytest.approx(expected, abs=1e-8)
    assert sum(rank.values()) == pytest.approx(1)


def test_summary(hand: nx.DiGraph) -> None:
    s = lineage.summary(hand, lineage.depth(hand))
    assert s == lineage.LineageSummary(
        models=8,
        derivations=8,
        by_relation={"adapter": 1, "fine-tune": 3, "merge": 2, "quantization": 2},
        roots=1,
        cycles=1,
        models_in_cycles=2,
        max_depth=2,
    )


def test_a_longer_cycle_and_a_chain_through_it() -> None:
    """q -> r -> s -> q is a cycle; t derives from q, r from u: the chain walks the cycle."""
    L = nx.DiGraph(
        [("q", "r"), ("r", "s"), ("s", "q"), ("t", "q"), ("r", "u")], relation="fine-tune"
    )
    nx.set_edge_attributes(L, "fine-tune", "relation")
    for backend in BACKENDS:
        generation = lineage.depth(L, backend=backend)
        assert generation == {"q": 1, "r": 1, "s": 1, "t": 2, "u": 0}
        assert lineage.descendants(L, backend=backend)["all"] == {
            "q": 3, "r": 3, "s": 3, "t": 0, "u": 4}  # fmt: skip
    assert lineage.deepest_chain(L, lineage.depth(L)) == ["t", "q", "r", "u"]


def test_several_kinds_between_two_models() -> None:
    G = nx.MultiDiGraph(
        derivations={"fine_tuned_from": "fine-tune", "quantized_from": "quantization"}
    )
    for key in ("fine_tuned_from", "quantized_from"):
        G.add_edge("model/b", "model/a", key=key, confidence="paper")
    L = lineage.lineage_network(G)
    assert L.edges["model/b", "model/a"]["relation"] == "fine-tune; quantization"
    for backend in BACKENDS:
        found = lineage.descendants(L, backend=backend)
        assert {k: v["model/a"] for k, v in found.items()} == {
            "all": 1, "fine-tune": 1, "quantization": 1}  # fmt: skip


def test_compiled_paths_agree_on_a_random_lineage() -> None:
    rng = np.random.default_rng(0)
    L = nx.DiGraph()
    kinds = ["fine-tune", "quantization", "merge", "adapter"]
    for i in range(1, 3000):
        for parent in {int(rng.integers(0, i)) for _ in range(1 + (i % 17 == 0))}:
            L.add_edge(f"m{i}", f"m{parent}", relation=kinds[int(rng.integers(0, 4))])
    L.add_edge("m0", "m2999", relation="fine-tune")  # one long cycle
    with large.reusing_conversions():
        for metric in (lineage.descendants, lineage.derivatives, lineage.depth):
            assert metric(L, backend="compiled") == metric(L, backend="networkx")
        # The compiled path solves exactly; networkx stops when the L1 change is under
        # n * 1e-10 (3e-7 here), so single values may differ by that much.
        exact = lineage.pagerank(L, backend="compiled")
        assert exact == pytest.approx(lineage.pagerank(L, backend="networkx"), abs=3e-7)
        assert sum(exact.values()) == pytest.approx(1.0, abs=1e-12)


def test_unknown_confidence() -> None:
    with pytest.raises(ParameterError, match="did you mean 'paper'"):
        lineage.lineage_network(nx.MultiDiGraph(derivations={}), min_confidence="papr")
