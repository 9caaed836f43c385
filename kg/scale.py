"""Compiled paths of the heavy metrics, used by :mod:`kg.analytics` on large networks.

networkx stays the model and the reference: every function here computes the same number
as its networkx counterpart (tests/test_analytics.py checks that on fixture graphs), only
faster. PageRank, eigenvector, exact betweenness and closeness, bridges and articulation
points run in rustworkx; betweenness and closeness estimated from sampled sources run as
a vectorized Brandes over a scipy sparse matrix (rustworkx has no source sampling), split
over threads; communities are Leiden (graspologic-native, Rust) instead of Louvain.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import graspologic_native
import networkx as nx
import numpy as np
import numpy.typing as npt
import rustworkx as rx
import scipy.sparse as sp
from scipy.sparse import csgraph

logger = logging.getLogger(__name__)

CHUNK = 16
"""Sources per thread task; fixed, so that sums run in the same order on every machine."""

Matrix = npt.NDArray[np.float64]


def to_rustworkx(H: nx.Graph) -> tuple[rx.PyGraph, list[str]]:
    """``H`` as a rustworkx graph with float weights, and its nodes in index order."""
    nodes = list(H)
    index = {n: i for i, n in enumerate(nodes)}
    R: rx.PyGraph = rx.PyGraph(multigraph=False)
    R.add_nodes_from(nodes)
    R.add_edges_from(
        [(index[u], index[v], float(w)) for u, v, w in H.edges(data="weight", default=1.0)]
    )
    return R, nodes


def pagerank(H: nx.Graph, alpha: float) -> dict[str, float]:
    """PageRank as networkx computes it (weighted, same tolerance), in rustworkx."""
    R, nodes = to_rustworkx(H)
    ranks = rx.pagerank(R.to_directed(), alpha=alpha, weight_fn=float, tol=1e-6, max_iter=100)
    return {nodes[i]: ranks[i] for i in range(len(nodes))}


def eigenvector(H: nx.Graph, max_iter: int) -> dict[str, float]:
    """Weighted eigenvector centrality by power iteration, in rustworkx."""
    R, nodes = to_rustworkx(H)
    values = rx.eigenvector_centrality(R, weight_fn=float, max_iter=max_iter, tol=1e-6)
    return {nodes[i]: values[i] for i in range(len(nodes))}


def betweenness(H: nx.Graph) -> dict[str, float]:
    """Exact normalized betweenness (hop counts), in parallel in rustworkx."""
    R, nodes = to_rustworkx(H)
    values = rx.graph_betweenness_centrality(R, normalized=True)
    return {nodes[i]: values[i] for i in range(len(nodes))}


def closeness(H: nx.Graph) -> dict[str, float]:
    """Exact closeness (Wasserman-Faust for disconnected networks), in rustworkx."""
    R, nodes = to_rustworkx(H)
    values = rx.graph_closeness_centrality(R, wf_improved=True)
    return {nodes[i]: values[i] for i in range(len(nodes))}


def bridges(H: nx.Graph) -> list[tuple[str, str]]:
    """Edges whose removal disconnects their ends, each as a sorted pair."""
    R, nodes = to_rustworkx(H)
    return [tuple(sorted((nodes[u], nodes[v]))) for u, v in rx.bridges(R)]  # type: ignore[misc]


def articulation_points(H: nx.Graph) -> list[str]:
    """Nodes whose removal disconnects the network."""
    R, nodes = to_rustworkx(H)
    return [nodes[i] for i in rx.articulation_points(R)]


def leiden(H: nx.Graph, seed: int) -> list[set[str]]:
    """Communities by Leiden modularity optimization (graspologic-native), seeded.

    Isolated nodes are communities of their own, as in networkx's Louvain.
    """
    edges = [(u, v, float(w)) for u, v, w in H.edges(data="weight", default=1.0)]
    groups: dict[int, set[str]] = {}
    if edges:
        _, partition = graspologic_native.leiden(edges, seed=seed, trials=1)
        for node, community in partition.items():
            groups.setdefault(community, set()).add(node)
    found = set().union(*groups.values()) if groups else set()
    return list(groups.values()) + [{n} for n in H if n not in found]


def _adjacency(H: nx.Graph, nodes: Sequence[str]) -> sp.csr_array:
    index = {n: i for i, n in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in H.edges() if u != v], dtype=np.int64)
    pairs = pairs.reshape(-1, 2)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    n = len(nodes)
    return sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))


def _bfs(A: sp.csr_array, sources: Sequence[int]) -> tuple[npt.NDArray[np.int32], Matrix]:
    """Hop distances (-1: unreachable) and shortest-path counts from each source (columns)."""
    n, k = A.shape[0], len(sources)
    columns = np.arange(k)
    level = np.full((n, k), -1, dtype=np.int32)
    level[sources, columns] = 0
    sigma = np.zeros((n, k))
    sigma[sources, columns] = 1.0
    frontier = sigma.copy()
    depth = 0
    while True:
        depth += 1
        reached = A @ frontier
        new = (level < 0) & (reached > 0)
        if not new.any():
            return level, sigma
        level[new] = depth
        frontier = np.where(new, reached, 0.0)
        sigma += frontier


def _dependencies(A: sp.csr_array, sources: Sequence[int]) -> npt.NDArray[np.float64]:
    """Brandes' accumulated dependencies of every node on the given sources, summed."""
    level, sigma = _bfs(A, sources)
    delta = np.zeros_like(sigma)
    for depth in range(int(level.max()), 0, -1):
        at = level == depth
        coefficient = np.where(at, (1.0 + delta) / np.where(at, sigma, 1.0), 0.0)
        above = level == depth - 1
        delta += np.where(above, sigma * (A @ coefficient), 0.0)
    delta[list(sources), np.arange(len(sources))] = 0.0
    return delta.sum(axis=1)  # type: ignore[no-any-return]


def _chunks(sources: Sequence[int]) -> list[Sequence[int]]:
    return [sources[i : i + CHUNK] for i in range(0, len(sources), CHUNK)]


def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1))


def sampled_betweenness(H: nx.Graph, sources: Sequence[str]) -> dict[str, float]:
    """Normalized betweenness estimated from ``sources``, scaled as networkx (>= 3.5) does.

    Exact when ``sources`` holds every node.
    """
    nodes = list(H)
    n, k = len(nodes), len(sources)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    ids = [index[s] for s in sources]
    A = _adjacency(H, nodes)
    with _pool() as pool:
        parts = list(pool.map(lambda chunk: _dependencies(A, chunk), _chunks(ids)))
    total = np.sum(parts, axis=0)
    scale = np.full(n, 1.0 / (k * (n - 2)))
    scale[ids] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else np.nan
    return dict(zip(nodes, (total * scale).tolist(), strict=True))


def sampled_closeness(H: nx.Graph, sources: Sequence[str]) -> dict[str, float]:
    """Closeness estimated from the hop distances to ``sources`` (exact when all are).

    A node's distance sum to its component is estimated from its mean distance to the
    sampled sources there; components holding fewer than two sources are computed
    exactly. Wasserman-Faust scaling, as networkx's ``closeness_centrality``.
    """
    nodes = list(H)
    n = len(nodes)
    if n < 2:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    ids = [index[s] for s in sources]
    A = _adjacency(H, nodes)
    _, component = csgraph.connected_components(A, directed=False)
    size = np.bincount(component)[component]
    distance, reached = np.zeros(n), np.zeros(n)
    with _pool() as pool:
        for level, _ in pool.map(lambda chunk: _bfs(A, chunk), _chunks(ids)):
            distance += np.where(level > 0, level, 0).sum(axis=1)
            reached += (level > 0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(distance > 0, reached * (size - 1) / (distance * (n - 1)), 0.0)
    sampled = np.bincount(component[ids], minlength=component.max() + 1)
    exact = [nodes[i] for i in np.flatnonzero((sampled[component] < 2) & (size > 1))]
    result = dict(zip(nodes, values.tolist(), strict=True))
    if exact:
        sub = H.subgraph(exact)
        for node, value in closeness(sub).items():
            result[node] = value * (len(sub) - 1) / (n - 1)
    return result
