"""``kg report`` at Hugging Face Hub scale, and each metric against igraph in the same run.

    PYTHONPATH=<a folder with igraph> python -m benchmarks.report_hub [--scale 1.0] [--skip-report]

Builds a synthetic projection the size of HuggingKG (the Hub's knowledge graph: about 2.6
million nodes and 6.2 million edges) directly in networkx, no RDF: models, their authors
(organizations), datasets, licences and papers, with the Hub's 328,616 model-to-model
derivations (adapter 155,642, fine-tune 107,162, quantization 45,809, merge 20,003; a merge
has two parents) and a few cycles, as imported data may hold. Popularity is heavy-tailed
(Zipf): a few authors publish thousands of models, a few bases have tens of thousands of
derivatives, a few datasets train most models. Then it times the whole ``kg report`` on it
(``kg.report.write.write_report``, with its peak memory), and every metric of the lineage and
collaboration networks next to the same metric in igraph (the reference peer; GPL, so only
here: install it into a folder of its own, ``pip install --target DIR igraph``). Prints
Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np

from benchmarks.report_speed import agreement, peers, timed, to_igraph
from kg.networks import large, lineage
from kg.networks.projection import UNSPECIFIED
from kg.report.analysis import analyse_lineage
from kg.report.write import write_report
from kg.schema.terms import CONFIDENCES, PHASES

NODES = {"model": 1_450_000, "organization": 800_000, "dataset": 300_000}
NODES |= {"publication": 49_900, "license": 100}
"""2.6 million nodes."""
LINEAGE = {"adapter_of": 155_642, "fine_tuned_from": 107_162, "quantized_from": 45_809}
LINEAGE |= {"merged_from": 20_003}
"""The Hub's model-to-model derivations (HuggingKG), 328,616."""
OTHERS = [
    ("model", "developed_by", "organization", 1_450_000),
    ("dataset", "developed_by", "organization", 300_000),
    ("model", "licensed_under", "license", 1_550_000),
    ("model", "trained_on", "dataset", 1_300_000),
    ("publication", "describes", "model", 1_271_384),
]
"""The other 5.87 million edges (HuggingKG's publish, licence, dataset and paper links)."""
KINDS = {
    "adapter_of": "adapter",
    "fine_tuned_from": "fine-tune",
    "quantized_from": "quantization",
    "merged_from": "merge",
    "derived_from": UNSPECIFIED,
}
CYCLES = 20
"""Fine-tunes made to point at one of their own descendants: imported data may hold cycles."""


def zipf(rng: np.random.Generator, n: int, size: int, s: float = 1.0) -> np.ndarray:
    """``size`` draws from 0..n-1, index i with probability proportional to 1 / (i + 1)^s."""
    weights = 1.0 / np.arange(1, n + 1) ** s
    cumulative = np.cumsum(weights)
    return np.searchsorted(cumulative, rng.random(size) * cumulative[-1])


def hub_projection(
    scale: float = 1.0, seed: int = 0, *, lineage_only: bool = False
) -> nx.MultiDiGraph:
    """The synthetic Hub projection (``scale`` 1: 2.6 million nodes, 6.2 million edges); with
    ``lineage_only``, only the models and their derivations (the same ones: the derivations
    have a random generator of their own)."""
    rng = np.random.default_rng(seed)
    sizes = {k: max(1, round(n * scale)) for k, n in NODES.items()}
    if lineage_only:
        sizes = {"model": sizes["model"]}
    names = {k: [f"{k}/{k[:3]}{i}" for i in range(n)] for k, n in sizes.items()}
    G = nx.MultiDiGraph(derivations=KINDS)
    for kind, nodes in names.items():
        G.add_nodes_from(
            (
                n,
                {
                    "kind": kind,
                    "label": n.split("/")[1].upper(),
                    "region": None,
                    "organization_type": None,
                    "governance_model": None,
                },
            )
            for n in nodes
        )
    phases, confidences = [None, *PHASES], list(CONFIDENCES)

    def add(pairs: list[tuple[str, str]], key: str) -> None:
        phase = rng.integers(0, len(phases), len(pairs))
        confidence = rng.integers(0, len(confidences), len(pairs))
        G.add_edges_from(
            (
                u,
                v,
                key,
                {
                    "relation": key,
                    "phase": phases[p],
                    "source": "https://huggingface.co",
                    "confidence": confidences[c],
                },
            )
            for (u, v), p, c in zip(pairs, phase.tolist(), confidence.tolist(), strict=True)
        )

    for source, key, target, count in [] if lineage_only else OTHERS:
        count = round(count * scale)
        u = rng.integers(0, sizes[source], count)
        v = zipf(rng, sizes[target], count)
        pairs = sorted(
            {
                (names[source][a], names[target][b])
                for a, b in zip(u.tolist(), v.tolist(), strict=True)
            }
        )
        add(pairs, key)
    # Derivations: models in order of creation; a derived model derives from an earlier one,
    # the earliest (the foundation models) far more often (Zipf over the order).
    models = names["model"]
    rng = np.random.default_rng(seed + 1)
    wanted = {key: round(n * scale) for key, n in LINEAGE.items()}
    merges = wanted["merged_from"] // 2
    derived_count = sum(wanted.values()) - wanted["merged_from"] + merges
    derived = np.sort(rng.choice(np.arange(100, len(models)), derived_count, replace=False))
    order = rng.permutation(derived_count)
    kinds = (
        ["adapter_of"] * wanted["adapter_of"]
        + ["fine_tuned_from"] * wanted["fine_tuned_from"]
        + ["quantized_from"] * wanted["quantized_from"]
        + ["merged_from"] * merges
    )
    edges: dict[str, set[tuple[str, str]]] = {key: set() for key in LINEAGE}
    extra = wanted["merged_from"] - 2 * merges  # a merge of three parents, if odd
    cumulative = np.cumsum(1.0 / np.arange(1, len(models) + 1))
    for position, i in enumerate(derived.tolist()):
        key = kinds[order[position]]
        parents = 2 + (extra > 0) if key == "merged_from" else 1
        if key == "merged_from" and parents == 3:
            extra = 0
        found: set[int] = set()
        while len(found) < parents:  # Zipf over the models made before model i
            draw = np.searchsorted(cumulative, rng.random(parents) * cumulative[i - 1])
            found |= set(draw.tolist())
        edges[key] |= {(models[i], models[p]) for p in sorted(found)[:parents]}
    fine = sorted(edges["fine_tuned_from"])
    for (u, v), dropped in zip(fine[:CYCLES], fine[CYCLES : 2 * CYCLES], strict=True):
        edges["fine_tuned_from"].discard(dropped)
        edges["fine_tuned_from"].add((v, u))  # the base also derives from its fine-tune
    for key, pairs in edges.items():
        add(sorted(pairs), key)
    return G


def peak_rss() -> float:
    """Peak resident memory of this process so far, in GB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def igraph_lineage(L: nx.DiGraph) -> tuple[ig.Graph, list[str]]:
    nodes = list(L)
    index = {n: i for i, n in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in L.edges()], directed=True)
    g.es["relation"] = [r for *_, r in L.edges(data="relation")]
    return g, nodes


def igraph_descendants(g: ig.Graph) -> dict[str, np.ndarray]:
    """Transitive descendant counts, overall and per kind, with igraph's BFS (as ours)."""
    n = g.vcount()
    derived = [v for v in range(n) if g.outdegree(v)]
    reach = g.neighborhood(derived, order=n, mode="out", mindist=1)
    counts = {"all": np.zeros(n, dtype=np.int64)}
    for v, found in zip(derived, reach, strict=True):
        found = [u for u in found if u != v]
        counts["all"][found] += 1
        kinds: dict[str, set[int]] = {}
        for e in g.incident(v, mode="out"):
            parent = g.es[e].target
            for kind in g.es[e]["relation"].split("; "):
                up = (
                    set(g.neighborhood(parent, order=n, mode="out"))
                    if len(
                        {
                            k
                            for e2 in g.incident(v, mode="out")
                            for k in g.es[e2]["relation"].split("; ")
                        }
                    )
                    > 1
                    else set(found)
                )
                kinds.setdefault(kind, set()).update(up - {v})
        for kind, up in kinds.items():
            counts.setdefault(kind, np.zeros(n, dtype=np.int64))[list(up)] += 1
    return counts


def igraph_derivatives(g: ig.Graph) -> list[int]:
    """In-degree, overall and per kind."""
    n = g.vcount()
    targets = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)[:, 1]
    relation = np.array(g.es["relation"])
    for kind in np.unique(relation).tolist():
        np.bincount(targets[relation == kind], minlength=n)
    return g.indegree()


def igraph_depth(g: ig.Graph) -> np.ndarray:
    """Generations: strongly connected components, then the longest path over them."""
    membership = np.array(g.connected_components(mode="strong").membership)
    C = g.copy()
    C.contract_vertices(membership.tolist())
    C.simplify(loops=True, multiple=True)
    generation = np.zeros(C.vcount(), dtype=np.int64)
    for v in reversed(C.topological_sorting(mode="out")):
        parents = C.successors(v)
        if parents:
            generation[v] = generation[parents].max() + 1
    return generation[membership]


def lineage_peers(L: nx.DiGraph) -> tuple[float, list[tuple[str, float, float, str]]]:
    convert, (g, nodes) = timed(lambda: igraph_lineage(L))
    rows = []
    with large.reusing_conversions():
        t_index, _ = timed(lambda: large.lineage_index(L))
        rows.append(
            ("reading the network (ours: rustworkx and index arrays)", t_index, convert, "")
        )
        t, ours = timed(lambda: lineage.descendants(L))
        t_ig, theirs = timed(lambda: igraph_descendants(g))
        diff = max(abs(ours[k][n] - theirs[k][i]) for k in ours for i, n in enumerate(nodes))
        rows.append(("descendants, overall and per kind", t, t_ig, f"{diff:g}"))
        t, ours_d = timed(lambda: lineage.derivatives(L))
        t_ig, theirs_d = timed(lambda: igraph_derivatives(g))
        diff = max(abs(ours_d["all"][n] - theirs_d[i]) for i, n in enumerate(nodes))
        rows.append(("derivatives (in-degree), overall and per kind", t, t_ig, f"{diff:g}"))
        t, ours_p = timed(lambda: lineage.pagerank(L))
        t_ig, theirs_p = timed(lambda: g.pagerank(damping=0.85, directed=True))
        rows.append(("PageRank", t, t_ig, agreement("pagerank", ours_p, theirs_p, nodes)))
        t, ours_g = timed(lambda: lineage.depth(L))
        t_ig, theirs_g = timed(lambda: igraph_depth(g))
        diff = max(abs(ours_g[n] - theirs_g[i]) for i, n in enumerate(nodes))
        rows.append(("depth (generation)", t, t_ig, f"{diff:g}"))
    return convert, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--skip-report", action="store_true", help="only the lineage metrics")
    parser.add_argument(
        "--lineage-only", action="store_true", help="build only the models and derivations"
    )
    parser.add_argument(
        "--collaboration", action="store_true", help="also each collaboration metric against igraph"
    )
    args = parser.parse_args()
    print(
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} CPUs,"
        f" Python {platform.python_version()}, networkx {nx.__version__}, igraph {ig.__version__};"
        f" load average at start {os.getloadavg()}\n"
    )
    seconds, G = timed(lambda: hub_projection(args.scale, lineage_only=args.lineage_only))
    print(
        f"Synthetic projection: {len(G):,} nodes, {G.number_of_edges():,} edges, made in"
        f" {seconds:.0f} s; peak RSS {peak_rss():.2f} GB\n"
    )
    gc.freeze()
    analyses = []
    if not args.skip_report:
        steps: list[tuple[str, float, float]] = []
        start = time.perf_counter()

        def progress(step: str) -> None:
            steps.append((step, time.perf_counter() - start, peak_rss()))
            print(
                f"  {time.perf_counter() - start:7.1f} s  {peak_rss():5.2f} GB  {step}", flush=True
            )

        with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as tmp:
            total, analyses = timed(
                lambda: write_report(G, Path(tmp) / "report", progress=progress)
            )
        print(
            f"\n## Full report: {total:.0f} s, peak RSS {peak_rss():.2f} GB,"
            f" load average after {os.getloadavg()}\n"
        )
        print("| step | seconds | peak RSS (GB) |\n|---|---|---|")
        ends = [t for _, t, _ in steps[1:]] + [total]
        for (step, began, rss), end in zip(steps, ends, strict=True):
            print(f"| {step} | {end - began:.1f} | {rss:.2f} |")
    a = analyse_lineage(G, lambda _: None)
    s = a.summary
    print(
        f"\nLineage network: {s.models:,} models, {s.derivations:,} derivations {s.by_relation},"
        f" {s.cycles} cycles, deepest chain {s.max_depth}; top descendants:"
        f" {[(r.node, r.value) for r in a.top('descendants', 3)]}\n"
    )
    convert, rows = lineage_peers(a.L)
    print("| metric | ours (s) | igraph (s) | ratio | max abs diff |\n|---|---|---|---|---|")
    for metric, ours, theirs, diff in rows:
        print(f"| {metric} | {ours:.2f} | {theirs:.2f} | {ours / theirs:.1f}x | {diff} |")
    if args.collaboration:
        print(
            "\n| network | metric | ours (s) | igraph (s) | ratio | igraph + conversion (s) | ratio | max abs diff |"
        )
        print("|---|---|---|---|---|---|---|---|")
        with large.reusing_conversions():
            for an in analyses:
                if len(an.H) == 0:
                    continue
                convert, (g, nodes) = timed(lambda an=an: to_igraph(an.H))
                print(
                    f"| {an.name}: {len(an.H):,} nodes, {an.H.number_of_edges():,} links | | | | | | | |"
                )
                for metric, (ours, theirs) in peers(g, nodes, an).items():
                    t_ours, v_ours = timed(ours)
                    t_ig, v_ig = timed(theirs)
                    print(
                        f"| {an.name} | {metric} | {t_ours:.2f} | {t_ig:.2f} | {t_ours / t_ig:.1f}x |"
                        f" {t_ig + convert:.2f} | {t_ours / (t_ig + convert):.1f}x |"
                        f" {agreement(metric, v_ours, v_ig, nodes)} |",
                        flush=True,
                    )
    print(f"\nPeak RSS {peak_rss():.2f} GB; load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
