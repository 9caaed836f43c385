"""Metrics with hand-computed values, and the networkx and compiled paths agreeing.

The fixture's actor network is the path Open Lab -(4)- Acme -(1)- HPC Center (see
tests/networks/test_ties.py): weights are the numbers of shared items.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import networkx as nx
import pytest

from kg.errors import NotFoundError, ParameterError
from kg.networks import large, metrics
from kg.networks.governance import GovernanceRow, governance_table
from kg.networks.metrics import Ranked, centrality_table
from kg.networks.paths import Collaborator, collaborators
from kg.networks.ties import SharedItem, actor_artifact_network, actor_network

ACME, OPENLAB, HPC = "organization/acme", "organization/openlab", "organization/hpc-center"
SQRT34 = math.sqrt(34)


@pytest.fixture(scope="module")
def path(fixture_nx: nx.MultiDiGraph) -> nx.Graph:
    return actor_network(fixture_nx)


def barbell() -> nx.Graph:
    """Two triangles a-b-c and d-e-f joined by the link c-d."""
    return nx.Graph(
        [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")]
    )


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("degree", {ACME: 2, OPENLAB: 1, HPC: 1}),
        ("weighted_degree", {ACME: 5, OPENLAB: 4, HPC: 1}),
        ("betweenness", {ACME: 1, OPENLAB: 0, HPC: 0}),
        ("closeness", {ACME: 1, OPENLAB: 2 / 3, HPC: 2 / 3}),
        # A = [[0, 4, 1], [4, 0, 0], [1, 0, 0]]: eigenvalue sqrt(17), vector (1/sqrt2, 4/sqrt34, 1/sqrt34)
        ("eigenvector", {ACME: 1 / math.sqrt(2), OPENLAB: 4 / SQRT34, HPC: 1 / SQRT34}),
        # p_a = .05 + .85 (p_o + p_h), p_o = .05 + .85 * 4/5 p_a, p_h = .05 + .85 * 1/5 p_a
        ("pagerank", {ACME: 18 / 37, OPENLAB: 14.09 / 37, HPC: 4.91 / 37}),
    ],
)
@pytest.mark.parametrize("backend", ["networkx", "compiled"])
def test_metric_by_hand(
    path: nx.Graph, metric: str, expected: dict[str, float], backend: str
) -> None:
    values = metrics.METRICS[metric](path, backend=backend)
    assert values == pytest.approx(expected, abs=1e-5)


@pytest.mark.parametrize("backend", ["networkx", "compiled"])
def test_communities_bridges_and_articulation_points_by_hand(backend: str) -> None:
    H = barbell()
    parts = metrics.communities(H, backend=backend)  # type: ignore[arg-type]
    assert parts == [["a", "b", "c"], ["d", "e", "f"]]
    # m = 7; each side: 3 inner links, degree sum 7: Q = 2 (3/7 - (7/14)^2) = 5/14
    assert metrics.modularity(H, parts) == pytest.approx(5 / 14)
    assert metrics.bridges(H, backend=backend) == [("c", "d")]  # type: ignore[arg-type]
    assert metrics.articulation_points(H, backend=backend) == ["c", "d"]  # type: ignore[arg-type]


def test_the_fixture_path_is_one_community_cut_at_acme(path: nx.Graph) -> None:
    # Any split of a 3-node path has negative modularity here: (4/5 - 0.81) - 0.01 < 0
    assert metrics.communities(path) == [[ACME, HPC, OPENLAB]]
    assert metrics.bridges(path) == [(ACME, HPC), (ACME, OPENLAB)]
    assert metrics.articulation_points(path) == [ACME]


def test_centralization_and_governance_by_hand(fixture_nx: nx.MultiDiGraph, path: nx.Graph) -> None:
    assert metrics.centralization(nx.star_graph(5)) == 1.0
    assert metrics.centralization(nx.cycle_graph(6)) == 0.0
    assert metrics.centralization(path) == 1.0
    # Alpha (single company) ties Acme (developer) and Open Lab (partner), linked once
    assert governance_table(fixture_nx, path) == [
        GovernanceRow("single-company", 1, 2, 1, 1.0, 0.0)
    ]


def test_ranking_shares_ranks_between_equal_values() -> None:
    H = nx.Graph([("x", "y"), ("y", "z")])
    rows = metrics.ranking(H, {"x": 1.0, "y": 3.0, "z": 1.0})
    assert [(r.node, r.rank) for r in rows] == [("y", 1), ("x", 2), ("z", 2)]


def test_centrality_table(fixture_nx: nx.MultiDiGraph) -> None:
    rows = centrality_table(fixture_nx, "actor", "betweenness", top=2)
    assert rows == [
        Ranked(ACME, "Acme AI", "organization", 1.0, 1),
        Ranked(HPC, "HPC Center", "organization", 0.0, 2),
    ]
    datasets = centrality_table(fixture_nx, "actor-artifact", "degree", kind="dataset")
    assert [(r.node, r.value) for r in datasets] == [("dataset/corpus", 2.0)]
    assert centrality_table(fixture_nx, "actor", "degree", min_confidence="paper") == [
        Ranked(OPENLAB, "Open Lab", "organization", 0.0, 1)
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("actors", "pagerank"),
            "unknown network 'actors' (did you mean 'actor'?); one of: actor, project, actor-artifact",
        ),
        (
            ("actor", "page-rank"),
            "unknown metric 'page-rank' (did you mean 'pagerank'?); one of: degree,"
            " weighted_degree, betweenness, closeness, eigenvector, pagerank",
        ),
        (
            ("actor", "pagerank", "organisation"),
            "unknown kind 'organisation' (did you mean 'organization'?)",
        ),
        (("actor", "pagerank", None, 0), "top must be at least 1, not 0"),
    ],
    ids=["network", "metric", "kind", "top"],
)
def test_centrality_table_refuses_unknown_names(
    fixture_nx: nx.MultiDiGraph, args: tuple[object, ...], message: str
) -> None:
    with pytest.raises(ParameterError) as error:
        centrality_table(fixture_nx, *args)  # type: ignore[arg-type]
    assert str(error.value).startswith(message)
    assert (error.value.status, error.value.title) == (422, "Invalid parameter")


def test_collaborators(fixture_nx: nx.MultiDiGraph) -> None:
    found = collaborators(fixture_nx, "acme")
    assert [(c.node, c.weight) for c in found] == [(OPENLAB, 4), (HPC, 1)]
    assert found[1] == Collaborator(
        HPC,
        "HPC Center",
        1,
        (
            SharedItem(
                "compute-partnership/jz-alpha", "compute-partnership", "HPC allocation for Alpha"
            ),
        ),
    )
    assert collaborators(fixture_nx, OPENLAB, artifact_kind="dataset")[0].items == (
        SharedItem("dataset/corpus", "dataset", "Open Corpus"),
    )
    assert collaborators(fixture_nx, "openlab", min_confidence="paper") == []


def test_collaborators_of_an_unknown_actor(fixture_nx: nx.MultiDiGraph) -> None:
    with pytest.raises(NotFoundError, match=r"^no actor 'acne' in the graph$"):
        collaborators(fixture_nx, "acne")


# ---------------------------------------------------------------- both paths agree


def fixture_networks(G: nx.MultiDiGraph) -> list[nx.Graph]:
    return [actor_network(G), actor_artifact_network(G), barbell()]


def karate() -> nx.Graph:
    return nx.relabel_nodes(nx.karate_club_graph(), str)


@pytest.mark.parametrize("metric", list(metrics.METRICS))
def test_compiled_path_agrees_with_networkx(fixture_nx: nx.MultiDiGraph, metric: str) -> None:
    compute: Callable[..., dict[str, float]] = metrics.METRICS[metric]
    for H in [*fixture_networks(fixture_nx), karate()]:
        reference = compute(H, backend="networkx")
        assert compute(H, backend="compiled") == pytest.approx(reference, abs=1e-4)


@pytest.mark.parametrize("samples", [3, 10, 20])
def test_sampled_betweenness_and_closeness_agree(samples: int) -> None:
    H = karate()
    for metric in (metrics.betweenness, metrics.closeness):
        reference = metric(H, samples=samples, backend="networkx")
        assert metric(H, samples=samples, backend="compiled") == pytest.approx(reference, abs=1e-9)


def test_sampling_every_node_is_exact() -> None:
    H = karate()
    H.add_edges_from([("x", "y"), ("y", "z")])  # a second component
    exact = metrics.betweenness(H, backend="networkx")
    assert large.betweenness(H, list(H)) == pytest.approx(exact, abs=1e-12)
    exact = metrics.closeness(H, backend="networkx")
    assert large.closeness(H, list(H)) == pytest.approx(exact, abs=1e-12)


def test_small_components_without_two_sources_are_exact() -> None:
    H = nx.relabel_nodes(nx.path_graph(30), str)
    H.add_edges_from([("x", "y"), ("y", "z")])
    chosen = metrics.sources(H, 4, seed=1)
    assert chosen is not None
    assert not {"x", "y", "z"} & set(chosen)
    values = metrics.closeness(H, samples=4, seed=1, backend="compiled")
    exact = nx.closeness_centrality(H)
    assert [values[n] for n in "xyz"] == pytest.approx([exact[n] for n in "xyz"])


def test_communities_agree_on_the_fixture_networks(fixture_nx: nx.MultiDiGraph) -> None:
    actor, actor_artifact, two_triangles = fixture_networks(fixture_nx)
    for H in (actor, two_triangles):
        expected = metrics.communities(H, backend="networkx")
        assert metrics.communities(H, backend="compiled") == expected
    # Two partitions of the bipartite network tie at the best modularity, 10/49
    louvain = metrics.communities(actor_artifact, backend="networkx")
    leiden = metrics.communities(actor_artifact, backend="compiled")
    assert metrics.modularity(actor_artifact, louvain) == pytest.approx(10 / 49)
    assert metrics.modularity(actor_artifact, leiden) == pytest.approx(10 / 49)


def test_unknown_backend() -> None:
    with pytest.raises(ParameterError, match=r"^unknown backend 'igraph'"):
        metrics.pagerank(barbell(), backend="igraph")  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", ["networkx", "compiled"])
def test_component_count(backend: str) -> None:
    H = barbell()
    H.add_edge("x", "y")
    H.add_node("z")
    assert metrics.component_count(H, backend=backend) == 3  # type: ignore[arg-type]


def test_conversions_are_reused_only_within_the_context() -> None:
    H = karate()
    assert large.edge_list(H) is not large.edge_list(H)
    with large.reusing_conversions():
        assert large.edge_list(H) is large.edge_list(H)
    assert large.edge_list(H) == large.edge_list(H)


@pytest.mark.parametrize("batch", [1, 5, 4096])
def test_many_small_components_are_exact_across_batches(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Components without two sampled sources are computed whole, however the batches cut."""
    monkeypatch.setattr(large, "BATCH", batch)
    H = nx.relabel_nodes(nx.path_graph(40), str)
    for k, shape in enumerate([nx.path_graph(2), nx.star_graph(3), nx.cycle_graph(5)] * 3):
        H.add_edges_from((f"c{k}-{u}", f"c{k}-{v}") for u, v in shape.edges)
    H.add_node("alone")
    chosen = set(metrics.sources(H, 4, seed=1) or ())
    small = [
        n for c in nx.connected_components(H) if len(c & chosen) < 2 and len(c) < 40 for n in c
    ]
    assert len(small) >= 25
    values = metrics.closeness(H, samples=4, seed=1, backend="compiled")
    exact = nx.closeness_centrality(H)
    assert [values[n] for n in small] == pytest.approx([exact[n] for n in small], abs=1e-12)
