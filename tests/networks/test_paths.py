"""Shortest collaboration paths skip the hubs (publications, licences) unless asked."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.networks.paths import HUB_KINDS, shortest_paths


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    """Two models tied by the paper (2 hops) and, the long way, through a dataset and its
    organization (4 hops)."""
    G = nx.MultiDiGraph()
    for node in (
        "model/a",
        "model/b",
        "publication/paper",
        "license/mit",
        "dataset/d",
        "organization/o",
    ):
        G.add_node(node, label=node.upper(), kind=node.split("/")[0])
    G.add_edge("publication/paper", "model/a", key="studies")
    G.add_edge("publication/paper", "model/b", key="studies")
    G.add_edge("model/a", "license/mit", key="licensed_under")
    G.add_edge("model/b", "license/mit", key="licensed_under")
    G.add_edge("model/a", "dataset/d", key="trained_on")
    G.add_edge("dataset/d", "organization/o", key="developed_by")
    G.add_edge("model/b", "organization/o", key="developed_by")
    return G


def _nodes(paths: list) -> list[list[str]]:  # type: ignore[type-arg]
    return [[s.node for s in path] for path in paths]


def test_paths_skip_hubs_by_default(graph: nx.MultiDiGraph) -> None:
    assert _nodes(shortest_paths(graph, "model/a", "model/b")) == [
        ["model/a", "dataset/d", "organization/o", "model/b"]
    ]


def test_hubs_on_request(graph: nx.MultiDiGraph) -> None:
    assert _nodes(shortest_paths(graph, "model/a", "model/b", include_hubs=True)) == [
        ["model/a", "license/mit", "model/b"],
        ["model/a", "publication/paper", "model/b"],
    ]


def test_a_hub_may_be_an_end(graph: nx.MultiDiGraph) -> None:
    assert _nodes(shortest_paths(graph, "publication/paper", "organization/o")) == [
        ["publication/paper", "model/b", "organization/o"]
    ]


def test_without_hubs_no_path_within_the_hops(graph: nx.MultiDiGraph) -> None:
    assert shortest_paths(graph, "model/a", "model/b", max_hops=2) == []
    assert {"publication", "license"} == HUB_KINDS
