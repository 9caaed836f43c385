"""Compiled paths of the heavy metrics, used by :mod:`kg.networks.metrics` on large networks.

networkx stays the model and the reference: every function here computes the same number
as its networkx counterpart (tests/networks/test_metrics.py checks that on fixture graphs), only
faster. Bridges and articulation points run in rustworkx; PageRank as networkx's own power
iteration over a scipy matrix; eigenvector centrality in ARPACK (scipy); betweenness and closeness, exact or from sampled sources,
as a breadth-first search of all sources at once in scipy sparse matrix products, split
over threads (rustworkx cannot sample sources, and was 5-10 times slower than igraph on
dense networks); communities are Leiden (graspologic-native, Rust) instead of Louvain.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt

from kg.errors import MissingExtraError

try:  # the report extra
    import scipy.sparse as sp
    from scipy.sparse import csgraph
    from scipy.sparse.linalg import eigsh, spsolve
except ModuleNotFoundError as missing:
    raise MissingExtraError("report", missing.name) from missing

try:  # the scale extra: only Leiden communities, bridges and articulation points need it
    import graspologic_native
    import rustworkx as rx
except ModuleNotFoundError as missing:
    SCALE_MISSING: str | None = missing.name
else:
    SCALE_MISSING = None

logger = logging.getLogger(__name__)

CHUNK = 16
"""Sources per thread task; fixed, so that sums run in the same order on every machine."""

Matrix = npt.NDArray[np.float64]


EdgeList = tuple[list[str], list[tuple[int, int, float]]]
_converted: ContextVar[dict[int, tuple[nx.Graph, EdgeList]] | None] = ContextVar(
    "converted", default=None
)


@contextmanager
def reusing_conversions() -> Iterator[None]:
    """Within, each network is read from networkx once for all the metrics computed on it.

    For a caller that does not change the networks meanwhile, such as ``kg report``.
    """
    token, lineage = _converted.set({}), _lineage.set({})
    try:
        yield
    finally:
        _converted.reset(token)
        _lineage.reset(lineage)


def edge_list(H: nx.Graph) -> EdgeList:
    """The nodes of ``H`` and its links as (index, index, weight), each once, no self-loops.

    Reads networkx's adjacency dicts directly: three times faster than ``H.edges(data=...)``.
    """
    cache = _converted.get()
    if cache is not None and id(H) in cache and cache[id(H)][0] is H:
        return cache[id(H)][1]
    found = _read_edges(H)
    if cache is not None:
        cache[id(H)] = (H, found)
    return found


def _read_edges(H: nx.Graph) -> EdgeList:
    nodes = list(H)
    index = {n: i for i, n in enumerate(nodes)}
    edges = []
    for u, neighbours in H.adjacency():
        i = index[u]
        for v, d in neighbours.items():
            j = index[v]
            if i < j:
                edges.append((i, j, float(d.get("weight", 1.0))))
    return nodes, edges


def _need_scale() -> None:
    if SCALE_MISSING is not None:
        raise MissingExtraError("scale", SCALE_MISSING)


def to_rustworkx(H: nx.Graph) -> tuple[rx.PyGraph, list[str]]:
    """``H`` as a rustworkx graph with float weights, and its nodes in index order."""
    _need_scale()
    nodes, edges = edge_list(H)
    R: rx.PyGraph = rx.PyGraph()
    R.add_nodes_from(nodes)
    R.extend_from_weighted_edge_list(edges)
    return R, nodes


def pagerank(H: nx.Graph, alpha: float, tol: float = 1e-6, max_iter: int = 100) -> dict[str, float]:
    """Weighted PageRank by networkx's own power iteration, on the sparse matrix read once.

    Raises
    ------
    networkx.PowerIterationFailedConvergence
        If it has not converged after ``max_iter`` iterations, as networkx does.
    """
    nodes, A = _adjacency(H, weighted=True)
    n = len(nodes)
    if n == 0:
        return {}
    strength = np.asarray(A.sum(axis=1)).ravel()
    dangling = strength == 0
    strength[~dangling] = 1.0 / strength[~dangling]
    Q = sp.diags_array(strength) @ A
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ Q + x[dangling].sum() / n) + (1 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            return dict(zip(nodes, x.tolist(), strict=True))
    raise nx.PowerIterationFailedConvergence(max_iter)


def eigenvector(H: nx.Graph) -> dict[str, float]:
    """Weighted eigenvector centrality with ARPACK (scipy), unit Euclidean norm, positive."""
    nodes, A = _adjacency(H, weighted=True)
    if len(nodes) < 3:  # ARPACK needs k < n
        values, vectors = np.linalg.eigh(A.toarray())
    else:
        # from the uniform vector, as networkx starts; 1e-8 is ample for values kept to 1e-6
        values, vectors = eigsh(A, k=1, which="LA", tol=1e-8, v0=np.ones(len(nodes)))
    vector = vectors[:, np.argmax(values)]
    vector = vector if vector.sum() >= 0 else -vector
    vector = np.abs(vector) / np.linalg.norm(vector)
    return dict(zip(nodes, vector.tolist(), strict=True))


def cuts(H: nx.Graph) -> tuple[list[tuple[str, str]], list[str]]:
    """Bridges (each a sorted pair) and articulation points, in rustworkx."""
    R, nodes = to_rustworkx(H)
    pairs = [sorted(nodes[i] for i in edge) for edge in rx.bridges(R)]
    return [(p[0], p[1]) for p in pairs], [nodes[i] for i in rx.articulation_points(R)]


def component_count(H: nx.Graph) -> int:
    """Number of connected components, in scipy."""
    _, A = _adjacency(H)
    return int(csgraph.connected_components(A, directed=False)[0]) if len(H) else 0


def leiden(H: nx.Graph, seed: int) -> list[set[str]]:
    """Communities by Leiden modularity optimization (graspologic-native), seeded.

    Isolated nodes are communities of their own, as in networkx's Louvain.
    """
    _need_scale()
    nodes, edges = edge_list(H)
    groups: dict[int, set[str]] = {}
    if edges:
        named = [(nodes[u], nodes[v], w) for u, v, w in edges]
        _, partition = graspologic_native.leiden(named, seed=seed, trials=1)
        for node, community in partition.items():
            groups.setdefault(community, set()).add(node)
    found = set().union(*groups.values()) if groups else set()
    return list(groups.values()) + [{n} for n in H if n not in found]


def _adjacency(H: nx.Graph, *, weighted: bool = False) -> tuple[list[str], sp.csr_array]:
    """The nodes of ``H`` and its symmetric adjacency matrix (weights or ones)."""
    nodes, edges = edge_list(H)
    table = np.array(edges, dtype=np.float64).reshape(-1, 3)
    rows, cols = table[:, 0].astype(np.int64), table[:, 1].astype(np.int64)
    weights = table[:, 2] if weighted else np.ones(len(edges))
    n = len(nodes)
    both = (np.concatenate([weights, weights]), (np.r_[rows, cols], np.r_[cols, rows]))
    return nodes, sp.csr_array(both, shape=(n, n))


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


def betweenness(H: nx.Graph, sources: Sequence[str] | None) -> dict[str, float]:
    """Normalized betweenness, exact or estimated from ``sources`` as networkx (>= 3.5) does."""
    nodes, A = _adjacency(H)
    sources = nodes if sources is None else sources
    n, k = len(nodes), len(sources)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    ids = [index[s] for s in sources]
    with _pool() as pool:
        parts = list(pool.map(lambda chunk: _dependencies(A, chunk), _chunks(ids)))
    total = np.sum(parts, axis=0)
    scale = np.full(n, 1.0 / (k * (n - 2)))
    scale[ids] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else np.nan
    return dict(zip(nodes, (total * scale).tolist(), strict=True))


def closeness(H: nx.Graph, sources: Sequence[str] | None) -> dict[str, float]:
    """Closeness, exact or estimated from the hop distances to ``sources``.

    A node's distance sum to its component is estimated from its mean distance to the
    sampled sources there; components holding fewer than two sources are computed
    exactly. Wasserman-Faust scaling, as networkx's ``closeness_centrality``.
    """
    nodes, A = _adjacency(H)
    sources = nodes if sources is None else sources
    n = len(nodes)
    if n < 2:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    ids = [index[s] for s in sources]
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
    exact = np.flatnonzero((sampled[component] < 2) & (size > 1))
    if len(exact):
        exact = exact[np.argsort(component[exact], kind="stable")]
        values[exact] = _exact_closeness(A, exact, component, size, n)
    return dict(zip(nodes, values.tolist(), strict=True))


BATCH = 4096
"""Nodes of whole small components whose exact closeness is computed in one go."""

ROWS = 256
"""Sources per shortest-path call of the exact pass: bounds its distance matrix."""


def _exact_closeness(
    A: sp.csr_array, members: npt.NDArray[np.intp], component: npt.NDArray[np.int32],
    size: npt.NDArray[np.intp], n: int,
) -> Matrix:  # fmt: skip
    """Exact closeness of ``members`` (whole components, sorted by component): a breadth-first
    search from each (scipy's, in C) confined to a batch of whole components, ROWS sources at
    a time. The cost is the sum of the batches' squared sizes, not the square of all members."""
    out = np.zeros(len(members))
    start = 0
    while start < len(members):
        end = min(start + BATCH, len(members))  # then on to the end of the last component
        end += int(np.searchsorted(component[members[end:]], component[members[end - 1]], "right"))
        batch = members[start:end]
        sub = A[batch][:, batch]
        distance = np.zeros(len(batch))
        for rows in range(0, len(batch), ROWS):
            chosen = np.arange(rows, min(rows + ROWS, len(batch)))
            hops = csgraph.shortest_path(sub, directed=False, unweighted=True, indices=chosen)
            distance[chosen] = np.where(np.isinf(hops), 0.0, hops).sum(axis=1)
        reached = size[batch] - 1  # every other node of its component
        with np.errstate(divide="ignore", invalid="ignore"):
            out[start:end] = np.where(distance > 0, reached * reached / (distance * (n - 1)), 0.0)
        start = end
    return out


# ---------------------------------------------------------------- lineage (directed)


@dataclass(frozen=True)
class LineageIndex:
    """A lineage network read once: nodes, edges ``u -> v`` (u derived from v) as index arrays,
    the kinds of each edge, and the same graph in rustworkx."""

    nodes: list[str]
    sources: npt.NDArray[np.int64]
    targets: npt.NDArray[np.int64]
    kinds: list[tuple[str, ...]]
    R: rx.PyDiGraph


_lineage: ContextVar[dict[int, tuple[nx.DiGraph, LineageIndex]] | None] = ContextVar(
    "lineage", default=None
)


def lineage_index(L: nx.DiGraph) -> LineageIndex:
    """The :class:`LineageIndex` of ``L``, read once within :func:`reusing_conversions`."""
    cache = _lineage.get()
    if cache is not None and id(L) in cache and cache[id(L)][0] is L:
        return cache[id(L)][1]
    _need_scale()
    nodes = list(L)
    index = {n: i for i, n in enumerate(nodes)}
    sources, targets, kinds = [], [], []
    for u, parents in L.adjacency():
        i = index[u]
        for v, d in parents.items():
            sources.append(i)
            targets.append(index[v])
            kinds.append(tuple(str(d.get("relation", "unspecified")).split("; ")))
    R: rx.PyDiGraph = rx.PyDiGraph()
    R.add_nodes_from(range(len(nodes)))
    R.add_edges_from_no_data(list(zip(sources, targets, strict=True)))
    found = LineageIndex(
        nodes, np.array(sources, dtype=np.int64), np.array(targets, dtype=np.int64), kinds, R
    )
    if cache is not None:
        cache[id(L)] = (L, found)
    return found


def lineage_descendants(x: LineageIndex) -> dict[str, dict[str, float]]:
    """Transitive descendant counts, overall and per kind (see
    :func:`kg.networks.lineage.descendants`): the models each derived model reaches along
    "derived from" links, from rustworkx, counted with numpy."""
    n = len(x.nodes)
    parents: dict[int, list[tuple[int, tuple[str, ...]]]] = {}
    for u, v, kinds in zip(x.sources.tolist(), x.targets.tolist(), x.kinds, strict=True):
        parents.setdefault(u, []).append((v, kinds))
    names = sorted({k for kinds in x.kinds for k in kinds})
    hits: dict[str, list[npt.NDArray[np.int64]]] = {key: [] for key in ("all", *names)}
    for u, links in parents.items():
        reached = rx.descendants(x.R, u)
        reached.discard(u)  # a model in a cycle reaches itself
        every = np.fromiter(reached, dtype=np.int64, count=len(reached))
        hits["all"].append(every)
        found = {k for _, ks in links for k in ks}
        if len(found) == 1:
            hits[found.pop()].append(every)
            continue
        for kind in sorted(found):
            by_kind: set[int] = set()
            for v, ks in links:
                if kind in ks:
                    by_kind |= {v} | rx.descendants(x.R, v)
            by_kind.discard(u)
            hits[kind].append(np.fromiter(by_kind, dtype=np.int64, count=len(by_kind)))
    result = {}
    for key, arrays in hits.items():
        counts = np.bincount(np.concatenate([np.zeros(0, np.int64), *arrays]), minlength=n)
        result[key] = dict(zip(x.nodes, counts.astype(np.float64).tolist(), strict=True))
    return result


def lineage_derivatives(x: LineageIndex) -> dict[str, dict[str, float]]:
    """In-degree, overall and per kind, by numpy."""
    n = len(x.nodes)
    by_kind: dict[str, list[int]] = {}
    for e, kinds in enumerate(x.kinds):
        for kind in kinds:
            by_kind.setdefault(kind, []).append(e)
    result = {}
    for key, chosen in (("all", None), *sorted(by_kind.items())):
        targets = x.targets if chosen is None else x.targets[np.array(chosen, dtype=np.int64)]
        counts = np.bincount(targets, minlength=n).astype(np.float64)
        result[key] = dict(zip(x.nodes, counts.tolist(), strict=True))
    return result


def lineage_pagerank(x: LineageIndex, alpha: float) -> dict[str, float]:
    """Unweighted PageRank of the directed lineage network (dangling models jump anywhere), solved
    exactly: with a uniform jump and uniform dangling redistribution the PageRank vector is the
    solution of ``(I - alpha Q^T) y = 1`` scaled to sum 1 (``Q``: the row-normalized adjacency),
    one sparse LU factorization (scipy) instead of a power iteration that a cycle slows down."""
    n = len(x.nodes)
    if n == 0:
        return {}
    A = sp.csr_array((np.ones(len(x.sources)), (x.sources, x.targets)), shape=(n, n))
    out = np.asarray(A.sum(axis=1)).ravel()
    scale = np.divide(1.0, out, out=np.zeros(n), where=out > 0)
    Q = sp.diags_array(scale) @ A
    y = spsolve(sp.csc_array(sp.eye_array(n) - alpha * Q.T), np.ones(n))
    y = np.asarray(y, dtype=np.float64) / y.sum()
    return dict(zip(x.nodes, y.tolist(), strict=True))


def lineage_depth(x: LineageIndex) -> dict[str, float]:
    """The generation of each model (see :func:`kg.networks.lineage.depth`): strongly connected
    components in scipy, then the longest path over the components, one numpy pass per
    generation."""
    n = len(x.nodes)
    if n == 0:
        return {}
    A = sp.csr_array((np.ones(len(x.sources)), (x.sources, x.targets)), shape=(n, n))
    count, component = csgraph.connected_components(A, directed=True, connection="strong")
    cu, cv = component[x.sources], component[x.targets]
    keep = cu != cv
    cu, cv = cu[keep], cv[keep]
    generation = np.zeros(count, dtype=np.int64)
    for _ in range(count + 1):  # a generation per pass; the condensation has no cycle
        found = np.zeros(count, dtype=np.int64)
        np.maximum.at(found, cu, generation[cv] + 1)
        if np.array_equal(found, generation):
            break
        generation = found
    return dict(zip(x.nodes, generation[component].astype(np.float64).tolist(), strict=True))
