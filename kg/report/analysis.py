"""What ``kg report`` computes: every metric of each network, and the tables it writes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg.networks import lineage, metrics
from kg.networks.governance import GovernanceRow
from kg.networks.governance import governance_table as governance_rows
from kg.networks.metrics import METRICS, NETWORKS, Network, Ranked, Values
from kg.networks.ties import actor_ties, one_mode, select_ties
from kg.schema.terms import PHASES

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]
"""Called with the name of each step as it starts."""


@dataclass
class Analysis:
    """Every metric of one network."""

    name: Network
    H: nx.Graph
    values: dict[str, Values] = field(default_factory=dict)
    communities: list[list[str]] = field(default_factory=list)
    modularity: float = 0.0
    components: int = 0
    bridges: list[tuple[str, str]] = field(default_factory=list)
    articulation_points: list[str] = field(default_factory=list)
    governance: list[GovernanceRow] = field(default_factory=list)

    def label(self, node: str) -> str:
        return str(self.H.nodes[node].get("label", node))

    def top(self, metric: str, n: int, kind: str | None = None) -> list[Ranked]:
        return metrics.ranking(self.H, self.values[metric], kind=kind, top=n)

    def kinds(self) -> list[str]:
        return sorted({k for _, k in self.H.nodes(data="kind")})

    def map_groups(self) -> dict[str, str]:
        """What colours a node in the network picture: its kind in the actor-artifact
        network, its community elsewhere."""
        if self.name == "actor-artifact":
            return {n: str(k) for n, k in self.H.nodes(data="kind")}
        return {n: str(i) for i, members in enumerate(self.communities, 1) for n in members}


def analyse(
    G: nx.MultiDiGraph,
    name: Network,
    progress: Progress,
    tied: Mapping[str, set[str]] | None = None,
) -> Analysis:
    """Build network ``name`` of ``G`` and compute every metric on it.

    ``tied`` is :func:`kg.networks.governance.governance_by_node` of ``G``, if the caller has it.
    """
    progress(f"{name} network")
    a = Analysis(name, NETWORKS[name](G))
    for metric, compute in METRICS.items():
        progress(f"{name} network: {metric}")
        a.values[metric] = compute(a.H)
    progress(f"{name} network: communities")
    a.communities = metrics.communities(a.H)
    a.modularity = metrics.modularity(a.H, a.communities)
    progress(f"{name} network: bridges, articulation points, governance models")
    a.bridges, a.articulation_points = metrics.cuts(a.H)
    a.components = metrics.component_count(a.H)
    a.governance = governance_rows(G, a.H, tied)
    return a


@dataclass(frozen=True)
class Table:
    """A table of the report: written as tables/<name>.csv and .json, shown in the text."""

    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def metric_table(a: Analysis, metric: str, top: int) -> Table:
    """The top ``top`` nodes of each kind by ``metric``."""
    rows = [
        (r.kind, r.rank, r.node, r.label, r.value)
        for kind in a.kinds()
        for r in a.top(metric, top, kind)
    ]
    return Table(f"{a.name}-{metric}", ("kind", "rank", "node", "label", "value"), rows)


def community_table(a: Analysis) -> Table:
    """Every node with its community (1 = the largest)."""
    rows = [
        (i, node, a.label(node), a.H.nodes[node].get("kind"))
        for i, members in enumerate(a.communities, 1)
        for node in members
    ]
    return Table(f"{a.name}-communities", ("community", "node", "label", "kind"), rows)


def bridge_table(a: Analysis) -> Table:
    """Links whose removal cuts the network, heaviest first."""
    rows = [
        (u, a.label(u), v, a.label(v), a.H.edges[u, v].get("weight", 1), _items(a.H, u, v))
        for u, v in a.bridges
    ]
    rows.sort(key=lambda r: (-r[4], r[0], r[2]))
    columns = ("node", "label", "other", "other_label", "weight", "shared")
    return Table(f"{a.name}-bridges", columns, rows)


def _items(H: nx.Graph, u: str, v: str) -> str:
    d = H.edges[u, v]
    return "; ".join(i.node for i in d["items"]) if "items" in d else "; ".join(d["relations"])


def articulation_table(a: Analysis) -> Table:
    """Nodes whose removal cuts the network, by decreasing degree."""
    degree = a.values["degree"]
    rows = [
        (n, a.label(n), a.H.nodes[n].get("kind"), int(degree[n])) for n in a.articulation_points
    ]
    rows.sort(key=lambda r: (-r[3], r[0]))
    return Table(f"{a.name}-articulation-points", ("node", "label", "kind", "degree"), rows)


def governance_table(a: Analysis) -> Table:
    """Density and centralization of the part of the network of each governance model."""
    columns = ("governance_model", "projects", "nodes", "edges", "density", "centralization")
    rows = [
        (g.governance_model, g.projects, g.nodes, g.edges, g.density, g.centralization)
        for g in a.governance
    ]
    return Table(f"{a.name}-governance", columns, rows)


def phase_table(G: nx.MultiDiGraph, progress: Progress) -> Table:
    """The actor network of each lifecycle phase: size, density, top hub and top broker."""
    rows = []
    ties = list(actor_ties(G))
    for phase in PHASES:
        progress(f"actor network of phase {phase}")
        H = one_mode(G, select_ties(G, ties, phase=phase), "actor", items=False)
        hub = metrics.ranking(H, metrics.pagerank(H), top=1)
        broker = metrics.ranking(H, metrics.betweenness(H), top=1)
        rows.append(
            (
                phase,
                len(H),
                H.number_of_edges(),
                float(nx.density(H)),
                hub[0].label if hub else "",
                broker[0].label if broker and broker[0].value > 0 else "",
            )
        )
    columns = ("phase", "actors", "links", "density", "top_pagerank", "top_betweenness")
    return Table("actor-phases", columns, rows)


# ---------------------------------------------------------------- lineage

LINEAGE_METRICS = ("descendants", "derivatives", "pagerank", "depth")
"""The node metrics of the lineage network, by the name used in tables and exports."""


@dataclass
class LineageAnalysis:
    """Every metric of the lineage network (:mod:`kg.networks.lineage`).

    ``values`` holds ``descendants``, ``derivatives``, ``pagerank`` and ``depth``, and
    ``descendants:<kind>`` and ``derivatives:<kind>`` for each kind of derivation.
    """

    L: nx.DiGraph
    relations: list[str] = field(default_factory=list)
    values: dict[str, Values] = field(default_factory=dict)
    chain: list[str] = field(default_factory=list)
    summary: lineage.LineageSummary | None = None

    name = "lineage"

    def label(self, node: str) -> str:
        return str(self.L.nodes[node].get("label", node))

    def top(self, metric: str, n: int) -> list[Ranked]:
        return metrics.ranking(self.L, self.values[metric], top=n)


def analyse_lineage(G: nx.MultiDiGraph, progress: Progress) -> LineageAnalysis:
    """Build the lineage network of ``G`` and compute its metrics."""
    progress("lineage network")
    a = LineageAnalysis(lineage.lineage_network(G))
    a.relations = lineage.relations(a.L)
    progress("lineage network: descendants")
    for key, values in lineage.descendants(a.L).items():
        a.values["descendants" if key == lineage.ALL else f"descendants:{key}"] = values
    progress("lineage network: derivatives")
    for key, values in lineage.derivatives(a.L).items():
        a.values["derivatives" if key == lineage.ALL else f"derivatives:{key}"] = values
    progress("lineage network: pagerank")
    a.values["pagerank"] = lineage.pagerank(a.L)
    progress("lineage network: depth")
    a.values["depth"] = lineage.depth(a.L)
    a.chain = lineage.deepest_chain(a.L, a.values["depth"])
    a.summary = lineage.summary(a.L, a.values["depth"])
    return a


def lineage_tables(a: LineageAnalysis, top: int) -> list[Table]:
    """The lineage network's tables: the most reused models (descendants, with the count per
    kind and the direct derivatives), PageRank, the deepest chain and the derivations per kind."""
    by_kind = [f"descendants:{k}" for k in a.relations]
    columns = ("rank", "node", "label", "descendants", *by_kind, "derivatives")
    rows = [
        (
            r.rank,
            r.node,
            r.label,
            int(r.value),
            *(int(a.values[c][r.node]) for c in by_kind),
            int(a.values["derivatives"][r.node]),
        )
        for r in a.top("descendants", top)
        if r.value > 0
    ]
    tables = [Table("lineage-descendants", columns, rows)]
    rows = [(r.rank, r.node, r.label, r.value) for r in a.top("pagerank", top)]
    tables.append(Table("lineage-pagerank", ("rank", "node", "label", "value"), rows))
    depth = a.values["depth"]
    rows = [(i, n, a.label(n), int(depth[n])) for i, n in enumerate(a.chain, 1)]
    tables.append(Table("lineage-deepest-chain", ("step", "node", "label", "depth"), rows))
    counts = a.summary.by_relation if a.summary else {}
    rows = [
        (k, counts[k], sum(1 for v in a.values[f"derivatives:{k}"].values() if v))
        for k in a.relations
    ]
    tables.append(Table("lineage-relations", ("relation", "derivations", "bases"), rows))
    return tables
