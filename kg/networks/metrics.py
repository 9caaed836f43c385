"""Metrics over the collaboration networks: plain data in, plain data out.

Each metric takes an undirected network from :mod:`kg.networks.projection` and returns a dict from
node to value. Small networks are computed with networkx, the reference; large ones
(more than :data:`COMPILED_ABOVE` nodes and links) with the compiled paths of
:mod:`kg.networks.large`, which give the same numbers. Betweenness and closeness are exact while
nodes times links stay within :data:`EXACT_WORK`, and estimated from :data:`SAMPLES`
seeded sources above.
docs/analytics.md says what each metric means for collaboration.
"""

from __future__ import annotations

import heapq
import logging
import random
from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from kg.errors import ParameterError
from kg.networks import large
from kg.networks.projection import kind_of
from kg.networks.ties import actor_artifact_network, actor_network, project_network, unknown
from kg.schema.records import KINDS

logger = logging.getLogger(__name__)

Backend = Literal["auto", "networkx", "compiled"]
Values = dict[str, float]

COMPILED_ABOVE = 5_000
"""Nodes plus links above which ``backend="auto"`` uses the compiled paths."""
EXACT_WORK = 10**8
"""Nodes times links above which betweenness and closeness are estimated from sources."""
SAMPLES = 64
"""Sources sampled for betweenness and closeness on large networks."""
SEED = 42
"""Seed of every random choice: sampled sources, communities, layouts."""
ALPHA = 0.85
"""PageRank damping factor."""

Network = Literal["actor", "project", "actor-artifact"]
"""The collaboration networks, by the name used in reports and the REST API."""
Metric = Literal["degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank"]
"""The node metrics, by the name used in reports and the REST API."""

NETWORKS: dict[Network, Callable[..., nx.Graph]] = {
    "actor": actor_network,
    "project": project_network,
    "actor-artifact": actor_artifact_network,
}


def _compiled(H: nx.Graph, backend: Backend) -> bool:
    if backend not in ("auto", "networkx", "compiled"):
        raise ParameterError(unknown("backend", backend, ["auto", "networkx", "compiled"]))
    large = len(H) + H.number_of_edges() > COMPILED_ABOVE
    return backend == "compiled" or (backend == "auto" and large)


def sources(H: nx.Graph, samples: int | None, seed: int = SEED) -> list[str] | None:
    """The sampled sources for betweenness and closeness, or None for the exact values.

    ``samples=None`` samples :data:`SAMPLES` sources when nodes times links exceed
    :data:`EXACT_WORK`; the draw is networkx's (``random.Random(seed).sample(list(H), k)``).
    """
    if samples is None:
        samples = SAMPLES if len(H) * H.number_of_edges() > EXACT_WORK else len(H)
    if samples >= len(H):
        return None
    return random.Random(seed).sample(list(H), samples)  # noqa: S311 (not security)


def degree(H: nx.Graph, *, backend: Backend = "auto") -> Values:
    """Number of partners of each node.

    Examples
    --------
    >>> degree(nx.path_graph(["a", "b", "c"]))
    {'a': 1.0, 'b': 2.0, 'c': 1.0}
    """
    return {n: float(d) for n, d in H.degree()}


def weighted_degree(H: nx.Graph, *, backend: Backend = "auto") -> Values:
    """Sum of the weights of each node's links: the number of items it shares, counted per partner."""
    return {n: float(d) for n, d in H.degree(weight="weight")}


def betweenness(
    H: nx.Graph, *, samples: int | None = None, seed: int = SEED, backend: Backend = "auto"
) -> Values:
    """Normalized betweenness: the share of shortest paths between others that pass a node.

    Hop counts, not weights, measure path length. Exact unless sources are sampled
    (see :func:`sources`); an estimate is scaled as networkx scales it.

    Examples
    --------
    >>> betweenness(nx.path_graph(["a", "b", "c"]))
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    chosen = sources(H, samples, seed)
    if _compiled(H, backend):
        return large.betweenness(H, chosen)
    k = None if chosen is None else len(chosen)
    return dict(nx.betweenness_centrality(H, k=k, seed=seed))


def closeness(
    H: nx.Graph, *, samples: int | None = None, seed: int = SEED, backend: Backend = "auto"
) -> Values:
    """Closeness with the Wasserman-Faust correction for networks in several pieces.

    Hop counts measure distance. Estimated from sampled sources on large networks.

    Examples
    --------
    >>> closeness(nx.path_graph(["a", "b", "c"]))
    {'a': 0.6666666666666666, 'b': 1.0, 'c': 0.6666666666666666}
    """
    chosen = sources(H, samples, seed)
    if _compiled(H, backend):
        return large.closeness(H, chosen)
    if chosen is None:
        return dict(nx.closeness_centrality(H))
    return _sampled_closeness(H, chosen)


def _sampled_closeness(H: nx.Graph, chosen: list[str]) -> Values:
    """The estimator of :func:`kg.networks.large.closeness`, in networkx."""
    n = len(H)
    distance = dict.fromkeys(H, 0.0)
    reached = dict.fromkeys(H, 0)
    for s in chosen:
        for v, d in nx.single_source_shortest_path_length(H, s).items():
            if d:
                distance[v] += d
                reached[v] += 1
    result: Values = {}
    for component in nx.connected_components(H):
        size = len(component)
        if size > 1 and len(component.intersection(chosen)) < 2:
            sub = nx.closeness_centrality(H.subgraph(component))
            result |= {v: c * (size - 1) / (n - 1) for v, c in sub.items()}
            continue
        for v in component:
            result[v] = reached[v] * (size - 1) / (distance[v] * (n - 1)) if distance[v] else 0.0
    return {v: result[v] for v in H}


def eigenvector(H: nx.Graph, *, backend: Backend = "auto") -> Values:
    """Weighted eigenvector centrality: high for nodes tied to nodes that are themselves central.

    networkx's power iteration on ``A + I`` (it converges on bipartite networks too), or
    ARPACK at scale; unit Euclidean norm. On a network in several pieces, the piece with the
    largest eigenvalue takes it all.
    """
    if len(H) == 0:
        return {}
    if H.number_of_edges() == 0:
        return dict.fromkeys(H, 1 / len(H) ** 0.5)
    if _compiled(H, backend):
        return large.eigenvector(H)
    return dict(nx.eigenvector_centrality(H, weight="weight", max_iter=1000))


def pagerank(H: nx.Graph, *, backend: Backend = "auto") -> Values:
    """Weighted PageRank (damping :data:`ALPHA`): the share of time a random walker spends at a node.

    Examples
    --------
    >>> {n: round(v, 3) for n, v in pagerank(nx.path_graph(["a", "b", "c"])).items()}
    {'a': 0.257, 'b': 0.486, 'c': 0.257}
    """
    if _compiled(H, backend):
        return large.pagerank(H, ALPHA)
    return dict(nx.pagerank(H, alpha=ALPHA, weight="weight"))


METRICS: dict[Metric, Callable[..., Values]] = {
    "degree": degree,
    "weighted_degree": weighted_degree,
    "betweenness": betweenness,
    "closeness": closeness,
    "eigenvector": eigenvector,
    "pagerank": pagerank,
}
"""Each :data:`Metric`'s function."""


def communities(H: nx.Graph, *, seed: int = SEED, backend: Backend = "auto") -> list[list[str]]:
    """Communities by modularity: Louvain (networkx) or, at scale, Leiden (graspologic-native).

    Weighted, seeded. Returned largest first (ties by their first node), each sorted.

    Examples
    --------
    >>> H = nx.barbell_graph(3, 0)
    >>> communities(nx.relabel_nodes(H, str))
    [['0', '1', '2'], ['3', '4', '5']]
    """
    if _compiled(H, backend):
        found = large.leiden(H, seed)
    else:
        found = nx.community.louvain_communities(H, weight="weight", seed=seed)
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def modularity(H: nx.Graph, parts: list[list[str]]) -> float:
    """Weighted modularity of a partition of ``H`` (0 for a network without links)."""
    if H.number_of_edges() == 0:
        return 0.0
    return float(nx.community.modularity(H, parts, weight="weight"))


def cuts(H: nx.Graph, *, backend: Backend = "auto") -> tuple[list[tuple[str, str]], list[str]]:
    """Bridges (links whose removal cuts the network, each a sorted pair) and articulation
    points (nodes whose removal cuts it), both sorted.

    Examples
    --------
    >>> cuts(nx.relabel_nodes(nx.barbell_graph(3, 0), str))
    ([('2', '3')], ['2', '3'])
    """
    if _compiled(H, backend):
        links, nodes = large.cuts(H)
    else:
        links, nodes = list(nx.bridges(H)), list(nx.articulation_points(H))
    return sorted((min(u, v), max(u, v)) for u, v in links), sorted(nodes)


def bridges(H: nx.Graph, *, backend: Backend = "auto") -> list[tuple[str, str]]:
    """The bridges of :func:`cuts`."""
    return cuts(H, backend=backend)[0]


def articulation_points(H: nx.Graph, *, backend: Backend = "auto") -> list[str]:
    """The articulation points of :func:`cuts`."""
    return cuts(H, backend=backend)[1]


def component_count(H: nx.Graph, *, backend: Backend = "auto") -> int:
    """Number of connected components (isolated nodes count).

    Examples
    --------
    >>> component_count(nx.Graph([("a", "b"), ("c", "d")]))
    2
    """
    if _compiled(H, backend):
        return large.component_count(H)
    return int(nx.number_connected_components(H)) if len(H) else 0


def centralization(H: nx.Graph) -> float:
    """Freeman degree centralization: 1 for a star, 0 when every node has the same degree.

    Examples
    --------
    >>> centralization(nx.star_graph(4)), centralization(nx.cycle_graph(5))
    (1.0, 0.0)
    """
    degrees = [d for _, d in H.degree()]
    return centralization_of_degrees(degrees)


def centralization_of_degrees(degrees: list[int]) -> float:
    n = len(degrees)
    if n < 3:
        return 0.0
    top = max(degrees)
    return float(sum(top - d for d in degrees) / ((n - 1) * (n - 2)))


@dataclass(frozen=True)
class Ranked:
    """One node's value of a metric and its rank (1 = highest; equal values share a rank)."""

    node: str
    label: str
    kind: str
    value: float
    rank: int


def ranking(
    H: nx.Graph, values: Mapping[str, float], *, kind: str | None = None, top: int | None = None
) -> list[Ranked]:
    """The ``top`` nodes (all by default; of ``kind``, if given) by decreasing value.

    Ties are ordered by node key, and values equal to 9 decimal places share a rank
    (competition ranking: 1, 2, 2, 4).
    """
    key = {n: -round(v, 9) for n, v in values.items() if kind is None or kind_of(n) == kind}
    order = sorted(key.values())
    chosen = heapq.nsmallest(len(key) if top is None else top, key, key=lambda n: (key[n], n))
    return [
        Ranked(n, H.nodes[n].get("label", n), kind_of(n), values[n], bisect_left(order, key[n]) + 1)
        for n in chosen
    ]


def collaboration_network(G: nx.MultiDiGraph, name: str, **filters: Any) -> nx.Graph:
    """The collaboration network ``name`` (:data:`NETWORKS`) of ``G``, filtered.

    Raises
    ------
    ParameterError
        For an unknown network or filter value.
    """
    if name not in NETWORKS:
        raise ParameterError(unknown("network", name, list(NETWORKS)))
    return NETWORKS[name](G, **filters)


def centrality_table(
    G: nx.MultiDiGraph,
    network: str,
    metric: str,
    kind: str | None = None,
    top: int = 10,
    **filters: Any,
) -> list[Ranked]:
    """The ``top`` nodes of a network by a metric: the ``/reports/centrality`` table.

    Parameters
    ----------
    G
        The projection (:func:`kg.networks.projection.to_networkx`).
    network
        ``actor``, ``project`` or ``actor-artifact``.
    metric
        A name in :data:`METRICS`.
    kind
        Rank only nodes of this kind (``organization``, ``dataset``...).
    top
        How many rows (at least 1).
    **filters
        ``phase``, ``artifact_kind``, ``min_confidence`` (see :func:`kg.networks.ties.select_ties`).

    Raises
    ------
    ParameterError
        For an unknown network, metric, kind or filter value, or ``top`` below 1.

    Examples
    --------
    >>> centrality_table(nx.MultiDiGraph(), "actor", "pagernk")
    Traceback (most recent call last):
    ...
    kg.errors.ParameterError: unknown metric 'pagernk' (did you mean 'pagerank'?); one of: degree, weighted_degree, betweenness, closeness, eigenvector, pagerank
    """
    if metric not in METRICS:
        raise ParameterError(unknown("metric", metric, list(METRICS)))
    if top < 1:
        raise ParameterError(f"top must be at least 1, not {top}")
    if kind is not None and kind not in KINDS:
        raise ParameterError(unknown("kind", kind, sorted(KINDS)))
    H = collaboration_network(G, network, **filters)
    return ranking(H, METRICS[metric](H), kind=kind, top=top)
