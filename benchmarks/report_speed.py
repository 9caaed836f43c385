"""Time ``kg report`` on a synthetic projection, and each metric against igraph in the same run.

    pip install -e '.[bench]'
    python -m benchmarks.report_speed [--nodes 100000] [--edges 500000] [--networkx]

Builds the real projection from data/, scales its mix of kinds and relations up to a
synthetic projection (benchmarks/synthetic.py), times the whole report, then times every
metric of kg.networks.metrics on each collaboration network next to the same metric in igraph
(the reference peer; GPL, so only here). Ours include reading the networkx graph; igraph's
are given without and with its own conversion from networkx. ``--networkx`` also times
networkx itself on PageRank and eigenvector. Prints Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np

from benchmarks.synthetic import synthetic_projection
from kg.networks import metrics
from kg.networks.projection import to_networkx
from kg.pipeline import build
from kg.report.write import Analysis, write_report
from kg.settings import Settings


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def to_igraph(H: nx.Graph) -> tuple[ig.Graph, list[str]]:
    nodes = list(H)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in H.edges()])
    g.es["weight"] = [float(w) for _, _, w in H.edges(data="weight", default=1.0)]
    return g, nodes


def igraph_closeness(g: ig.Graph, sources: list[int] | None) -> list[float]:
    """The estimator of kg.networks.large.sampled_closeness, with igraph's BFS."""
    n = g.vcount()
    if sources is None:
        membership = np.array(g.connected_components().membership)
        size = np.bincount(membership)[membership]
        raw = np.nan_to_num(np.array(g.closeness(), dtype=float))
        return list(raw * (size - 1) / (n - 1))
    distances = np.array(g.distances(source=sources), dtype=float)  # k x n, inf unreachable
    reached = np.isfinite(distances) & (distances > 0)
    total = np.where(reached, distances, 0).sum(axis=0)
    membership = np.array(g.connected_components().membership)
    size = np.bincount(membership)[membership]
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(total > 0, reached.sum(axis=0) * (size - 1) / (total * (n - 1)), 0.0)
    sampled = np.bincount(membership[sources], minlength=membership.max() + 1)
    exact = np.flatnonzero((sampled[membership] < 2) & (size > 1))
    if len(exact):
        values[exact] = np.nan_to_num(np.array(g.closeness(vertices=exact.tolist()), dtype=float))
        values[exact] *= (size[exact] - 1) / (n - 1)
    return list(values)


def igraph_betweenness(g: ig.Graph, sources: list[int] | None) -> list[float]:
    """Normalized betweenness, sampled sources scaled as networkx >= 3.5 scales them."""
    n = g.vcount()
    if sources is None:
        raw = np.array(g.betweenness(directed=False))
        return list(raw * 2 / ((n - 1) * (n - 2)))
    raw = np.array(g.betweenness(directed=False, sources=sources)) * 2
    k = len(sources)
    scale = np.full(n, 1 / (k * (n - 2)))
    scale[sources] = 1 / ((k - 1) * (n - 2))
    return list(raw * scale)


def peers(
    g: ig.Graph, nodes: list[str], a: Analysis
) -> dict[str, tuple[Callable[[], Any], Callable[[], Any]]]:
    """Metric -> (ours, igraph's)."""
    H = a.H
    chosen = metrics.sources(H, None)
    index = {n: i for i, n in enumerate(nodes)}
    ids = None if chosen is None else [index[s] for s in chosen]
    return {
        "degree": (lambda: metrics.degree(H), lambda: g.degree()),
        "weighted_degree": (
            lambda: metrics.weighted_degree(H),
            lambda: g.strength(weights="weight"),
        ),
        "betweenness": (lambda: metrics.betweenness(H), lambda: igraph_betweenness(g, ids)),
        "closeness": (lambda: metrics.closeness(H), lambda: igraph_closeness(g, ids)),
        "eigenvector": (
            lambda: metrics.eigenvector(H),
            lambda: g.eigenvector_centrality(weights="weight", scale=False),
        ),
        "pagerank": (
            lambda: metrics.pagerank(H),
            lambda: g.pagerank(weights="weight", damping=metrics.ALPHA),
        ),
        "communities": (
            lambda: metrics.communities(H),
            lambda: g.community_leiden(
                objective_function="modularity", weights="weight", n_iterations=2
            ),
        ),
        "bridges, articulation points": (
            lambda: (metrics.bridges(H), metrics.articulation_points(H)),
            lambda: (g.bridges(), g.articulation_points()),
        ),
    }


def agreement(metric: str, ours: Any, theirs: Any, nodes: list[str]) -> str:
    """Largest absolute difference between our node -> value result and igraph's list."""
    if not isinstance(ours, dict) or not nodes:
        return ""
    values = np.array(theirs, dtype=float)
    if metric == "eigenvector":  # igraph scales to a maximum of 1; ours has unit norm
        values = values / np.linalg.norm(values)
    return f"{max(abs(ours[n] - t) for n, t in zip(nodes, values, strict=True)):.1e}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=500_000)
    parser.add_argument("--networkx", action="store_true", help="time networkx too (slow)")
    args = parser.parse_args()

    real = to_networkx(build(Settings()).graph.rdf)
    seconds, G = timed(lambda: synthetic_projection(real, args.nodes, args.edges))
    print(f"# Report speed: {len(G):,} nodes, {G.number_of_edges():,} edges\n")
    print(
        f"Python {platform.python_version()}, networkx {nx.__version__}, igraph {ig.__version__},"
        f" {os.cpu_count()} CPU(s); synthetic projection made in {seconds:.1f} s.\n"
    )

    steps: list[tuple[str, float]] = []
    start = time.perf_counter()

    def progress(step: str) -> None:
        steps.append((step, time.perf_counter() - start))

    with tempfile.TemporaryDirectory() as tmp:
        total, analyses = timed(lambda: write_report(G, Path(tmp) / "report", progress=progress))
    print(f"## Full report: {total:.1f} s\n")
    print("| step | seconds |\n|---|---|")
    ends = [t for _, t in steps[1:]] + [total]
    for (step, began), end in zip(steps, ends, strict=True):
        print(f"| {step} | {end - began:.2f} |")

    print("\n## Each metric, ours against igraph (same run)\n")
    print(
        "| network | metric | ours (s) | igraph (s) | ratio | igraph + conversion (s) | ratio |"
        " max abs diff |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for a in analyses:
        convert, (g, nodes) = timed(lambda a=a: to_igraph(a.H))
        print(f"| {a.name}: {len(a.H):,} nodes, {a.H.number_of_edges():,} links | | | | | | | |")
        for metric, (ours, theirs) in peers(g, nodes, a).items():
            t_ours, v_ours = timed(ours)
            t_ig, v_ig = timed(theirs)
            diff = agreement(metric, v_ours, v_ig, nodes)
            print(
                f"| {a.name} | {metric} | {t_ours:.2f} | {t_ig:.2f} | {t_ours / t_ig:.1f}x |"
                f" {t_ig + convert:.2f} | {t_ours / (t_ig + convert):.1f}x | {diff} |"
            )
    if args.networkx:
        print("\n## networkx itself\n\n| network | metric | networkx (s) |\n|---|---|---|")
        for a in analyses:
            for metric in ("pagerank", "eigenvector"):
                t, _ = timed(lambda a=a, m=metric: metrics.METRICS[m](a.H, backend="networkx"))
                print(f"| {a.name} | {metric} | {t:.2f} |")


if __name__ == "__main__":
    main()
