"""Items of more than ``max_members`` members (commons) link none of them in one-mode networks."""

from __future__ import annotations

import networkx as nx

from kg.networks.ties import MAX_MEMBERS, actor_artifact_network, actor_network


def shared_dataset(actors: int) -> nx.MultiDiGraph:
    """``actors`` organizations, each developing a model trained on dataset/d; a and b also
    develop dataset/e together."""
    G = nx.MultiDiGraph()
    link = {"phase": None, "source": "https://example.org", "confidence": "paper"}
    for n in ("dataset/d", "dataset/e"):
        G.add_node(n, kind="dataset", label=n)
    for i in range(actors):
        org, model = f"organization/o{i}", f"model/m{i}"
        G.add_node(org, kind="organization", label=org)
        G.add_node(model, kind="model", label=model)
        G.add_edge(model, org, key="developed_by", relation="developed_by", **link)
        G.add_edge(model, "dataset/d", key="trained_on", relation="trained_on", **link)
    for org in ("organization/o0", "organization/o1"):
        G.add_edge("dataset/e", org, key="developed_by", relation="developed_by", **link)
    return G


def test_a_commons_links_none_of_its_members() -> None:
    G = shared_dataset(4)
    H = actor_network(G, max_members=3)
    assert list(H.edges(data="weight")) == [("organization/o0", "organization/o1", 1)]
    assert H.graph["commons"] == [("dataset/d", 4)]
    assert len(H) == 4  # every actor stays a node
    assert actor_artifact_network(G).degree("dataset/d") == 4  # still there


def test_no_limit_and_the_default() -> None:
    G = shared_dataset(4)
    assert actor_network(G, max_members=None).number_of_edges() == 6
    assert actor_network(G).graph["commons"] == []
    assert actor_network(shared_dataset(MAX_MEMBERS + 1)).number_of_edges() == 1
