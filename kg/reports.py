"""``kg report``: the collaboration networks, their metrics, charts and exports, in one folder.

:func:`write_report` analyses the actor, project and actor-artifact networks of a
projection and writes report.md and report.html (readable without the tool), one CSV and
one JSON per table (tables/), PNG and SVG charts (charts/) and GraphML and GEXF files
(exports/). The same projection always gives the same files. A failed report leaves the
previous one in place.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kg import analytics, charts
from kg.analytics import METRICS, NETWORKS, GovernanceRow, Ranked, Values
from kg.errors import KGError
from kg.exports import write_gexf, write_graphml
from kg.network import PHASES, actor_ties, one_mode, select_ties
from kg.report_text import Block, render_html, render_markdown

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]

TITLES = {
    "degree": "Degree",
    "weighted_degree": "Weighted degree",
    "betweenness": "Betweenness",
    "closeness": "Closeness",
    "eigenvector": "Eigenvector centrality",
    "pagerank": "PageRank",
}
MEANING = {
    "degree": "how many partners: breadth of collaboration",
    "weighted_degree": "how many items shared, counted per partner: intensity of collaboration",
    "betweenness": "how often on the shortest path between two others: brokers",
    "closeness": "how few steps to everyone else: reach",
    "eigenvector": "tied to partners that are themselves central: the core",
    "pagerank": "where a random walk along shared items ends up: hubs",
}
NETWORK_TITLES = {
    "actor": "Actor network: organizations linked by shared projects and artifacts",
    "project": "Project network: projects linked by shared artifacts and actors",
    "actor-artifact": "Actor-artifact network: organizations and the items they are tied to",
}


class ReportError(KGError):
    """The report could not be written where it was asked for."""

    title = "Cannot write the report"
    status = 500


@dataclass
class Analysis:
    """Every metric of one network."""

    name: str
    H: nx.Graph
    values: dict[str, Values] = field(default_factory=dict)
    communities: list[list[str]] = field(default_factory=list)
    modularity: float = 0.0
    bridges: list[tuple[str, str]] = field(default_factory=list)
    articulation_points: list[str] = field(default_factory=list)
    governance: list[GovernanceRow] = field(default_factory=list)
    rankings: dict[tuple[str, str | None], list[Ranked]] = field(default_factory=dict)

    def label(self, node: str) -> str:
        return str(self.H.nodes[node].get("label", node))

    def top(self, metric: str, n: int, kind: str | None = None) -> list[Ranked]:
        if (metric, kind) not in self.rankings:
            ranked = analytics.ranking(self.H, self.values[metric], kind=kind)
            self.rankings[metric, kind] = ranked
        return self.rankings[metric, kind][:n]

    def kinds(self) -> list[str]:
        return sorted({k for _, k in self.H.nodes(data="kind")})


def analyse(G: nx.MultiDiGraph, name: str, progress: Progress) -> Analysis:
    """Build network ``name`` of ``G`` and compute every metric on it."""
    progress(f"{name} network")
    a = Analysis(name, NETWORKS[name](G))
    for metric, compute in METRICS.items():
        progress(f"{name} network: {metric}")
        a.values[metric] = compute(a.H)
    progress(f"{name} network: communities")
    a.communities = analytics.communities(a.H)
    a.modularity = analytics.modularity(a.H, a.communities)
    progress(f"{name} network: bridges and articulation points")
    a.bridges = analytics.bridges(a.H)
    a.articulation_points = analytics.articulation_points(a.H)
    a.governance = analytics.governance_table(G, a.H)
    return a


@dataclass(frozen=True)
class Table:
    """A table of the report: written as tables/<name>.csv and .json, shown in the text."""

    name: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _number(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.4g}"


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
        H = one_mode(G, select_ties(G, ties, phase=phase), "actor")
        hub = analytics.ranking(H, analytics.pagerank(H))[:1]
        broker = analytics.ranking(H, analytics.betweenness(H))[:1]
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


def _cells(table: Table, limit: int | None = None) -> list[list[str]]:
    rows = table.rows if limit is None else table.rows[:limit]
    return [[_number(c) if isinstance(c, float) else str(c) for c in row] for row in rows]


def _network_blocks(a: Analysis, top: int, tables: list[Table]) -> list[Block]:
    H = a.H
    components = nx.number_connected_components(H) if len(H) else 0
    blocks: list[Block] = [
        ("h2", NETWORK_TITLES[a.name]),
        (
            "p",
            f"{len(H)} nodes, {H.number_of_edges()} links, {components} connected component(s),"
            f" density {_number(float(nx.density(H)))}; {len(a.communities)} communities,"
            f" modularity {_number(a.modularity)}.",
        ),
        ("img", f"charts/{a.name}-map.svg", f"The {a.name} network"),
    ]
    for metric in METRICS:
        table = metric_table(a, metric, top)
        tables.append(table)
        overall = a.top(metric, top)
        blocks += [
            ("h3", TITLES[metric]),
            ("p", f"{MEANING[metric].capitalize()}. Top {top} per kind: tables/{table.name}.csv."),
            ("table", ("rank", "node", "kind", "value"), _ranked(overall)),
            ("img", f"charts/{a.name}-{metric}.svg", f"{TITLES[metric]}, top {top}"),
        ]
    if len(a.kinds()) > 1:
        blocks += [("h3", "Leaders per kind"), ("table", *_leaders(a))]
    for table, heading in (
        (community_table(a), "Communities"),
        (bridge_table(a), "Bridges"),
        (articulation_table(a), "Articulation points"),
        (governance_table(a), "Governance models"),
    ):
        tables.append(table)
        blocks += [("h3", heading), *_table_blocks(a, table, top)]
    return blocks


def _ranked(rows: Sequence[Ranked]) -> list[list[str]]:
    return [[str(r.rank), r.label, r.kind, _number(r.value)] for r in rows]


def _leaders(a: Analysis) -> tuple[tuple[str, ...], list[list[str]]]:
    rows = [
        [kind]
        + [", ".join(r.label for r in a.top(m, 3, kind)) for m in ("pagerank", "betweenness")]
        for kind in a.kinds()
    ]
    return ("kind", "top 3 by PageRank", "top 3 by betweenness"), rows


def _table_blocks(a: Analysis, table: Table, top: int) -> list[Block]:
    if table.name.endswith("-communities"):
        pagerank = a.values["pagerank"]
        rows = [
            [
                str(i),
                str(len(c)),
                ", ".join(a.label(n) for n in sorted(c, key=lambda n: -pagerank[n])[:5]),
            ]
            for i, c in enumerate(a.communities[:top], 1)
        ]
        return [("table", ("community", "size", "leading members (PageRank)"), rows)]
    note = f" ({len(table.rows)} in all: tables/{table.name}.csv)" if len(table.rows) > top else ""
    if not table.rows:
        return [("p", "None.")]
    return [
        ("table", table.columns, _cells(table, top)),
        ("p", f"Showing {min(top, len(table.rows))}{note}."),
    ]


def _summary_blocks(actor: Analysis, G: nx.MultiDiGraph, top: int) -> list[Block]:
    def names(metric: str) -> str:
        return ", ".join(f"{r.label} ({_number(r.value)})" for r in actor.top(metric, 5))

    return [
        ("h1", "Collaboration networks of the open LLM ecosystem"),
        (
            "p",
            f"Built from the knowledge graph's projection: {len(G)} entities and"
            f" {G.number_of_edges()} typed links, each with its source and confidence."
            " docs/analytics.md explains every metric and how to reproduce a number.",
        ),
        ("h2", "Hubs and brokers"),
        (
            "ul",
            [
                f"Top actors by PageRank (hubs): {names('pagerank')}.",
                f"Top actors by betweenness (brokers): {names('betweenness')}.",
                f"Actors that hold the network together (articulation points):"
                f" {len(actor.articulation_points)}; links that are its only bridge: {len(actor.bridges)}.",
            ],
        ),
    ]


def report_blocks(
    G: nx.MultiDiGraph, analyses: list[Analysis], phases: Table, top: int
) -> tuple[list[Block], list[Table]]:
    """The text of the report and every table it writes."""
    tables: list[Table] = [phases]
    blocks = _summary_blocks(analyses[0], G, top)
    blocks += [
        ("h2", "Lifecycle phases"),
        (
            "p",
            "The actor network of each phase keeps the items linked in that phase and"
            " everyone tied to them by a link without a phase (docs/analytics.md).",
        ),
        ("table", phases.columns, _cells(phases)),
    ]
    for a in analyses:
        blocks += _network_blocks(a, top, tables)
    blocks += [("h2", "Files"), ("ul", FILES)]
    return blocks, tables


FILES = [
    "tables/: one CSV and one JSON per table (top nodes per kind and metric, communities,"
    " bridges, articulation points, governance models, phases)",
    "charts/: PNG and SVG, top nodes per metric and a picture of each network",
    "exports/: GraphML and GEXF of the projection and of each network, with every metric"
    " and the community as node attributes (Gephi, Cytoscape, networkx)",
]


def _write_table(table: Table, folder: Path) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    (folder / f"{table.name}.csv").write_text(text.getvalue(), encoding="utf-8")
    body = json.dumps(table.records(), ensure_ascii=False, indent=1)
    (folder / f"{table.name}.json").write_text(body + "\n", encoding="utf-8")


def _node_columns(a: Analysis) -> dict[str, dict[str, Any]]:
    """Every metric and the community of each node, for the exports."""
    community = {n: i for i, members in enumerate(a.communities, 1) for n in members}
    return {**a.values, "community": community}


def _write_files(
    G: nx.MultiDiGraph, analyses: list[Analysis], out: Path, top: int, progress: Progress
) -> None:
    for folder in ("tables", "charts", "exports"):
        (out / folder).mkdir()
    blocks, tables = report_blocks(G, analyses, phase_table(G, progress), top)
    progress("tables")
    for table in tables:
        _write_table(table, out / "tables")
    for a in analyses:
        progress(f"{a.name} network: charts")
        for metric in METRICS:
            charts.bar_chart(
                a.top(metric, top),
                f"{TITLES[metric]}: {a.name} network",
                out / "charts" / f"{a.name}-{metric}",
            )
        groups = (
            {n: d for n, d in a.H.nodes(data="kind")}
            if a.name == "actor-artifact"
            else {n: str(i) for i, c in enumerate(a.communities, 1) for n in c}
        )
        charts.network_map(
            a.H,
            groups,
            a.values["pagerank"],
            NETWORK_TITLES[a.name],
            out / "charts" / f"{a.name}-map",
        )
        progress(f"{a.name} network: exports")
        columns = _node_columns(a)
        write_graphml(a.H, out / "exports" / f"{a.name}.graphml", columns)
        write_gexf(a.H, out / "exports" / f"{a.name}.gexf", columns)
    progress("projection: exports")
    write_graphml(G, out / "exports" / "projection.graphml")
    write_gexf(G, out / "exports" / "projection.gexf")
    (out / "report.md").write_text(render_markdown(blocks), encoding="utf-8")
    (out / "report.html").write_text(render_html(blocks), encoding="utf-8")


def write_report(
    G: nx.MultiDiGraph, out: Path, *, top: int = 10, progress: Progress | None = None
) -> list[Analysis]:
    """Analyse the collaboration networks of ``G`` and write the report into ``out``.

    The report is written next to ``out`` and moved into place only when complete, so a
    failure leaves the previous report as it was.

    Parameters
    ----------
    G
        The projection (:func:`kg.network.to_networkx`).
    out
        The report folder; replaced if it holds a previous report (a report.md).
    top
        Rows per kind in each top-N table.
    progress
        Called with the name of each step as it starts.

    Raises
    ------
    ReportError
        If ``out`` is a file, or a folder with other content than a report.
    """
    if out.exists() and (
        not out.is_dir() or (any(out.iterdir()) and not (out / "report.md").exists())
    ):
        raise ReportError(f"{out} exists and is not a report folder; choose another --out")
    step = progress or (lambda _: None)
    analyses = [analyse(G, name, step) for name in NETWORKS]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        _write_files(G, analyses, tmp, top, step)
        old = out.with_name(f"{tmp.name}-old")
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    logger.info("wrote the report to %s", out)
    return analyses
