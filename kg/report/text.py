"""The report's text: blocks built from the analyses, rendered to Markdown and to HTML."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import networkx as nx

from kg.networks.metrics import METRICS, Metric, Network, Ranked
from kg.networks.ties import MAX_MEMBERS
from kg.report.analysis import (
    Analysis,
    LineageAnalysis,
    Table,
    articulation_table,
    bridge_table,
    community_table,
    governance_table,
    lineage_tables,
    metric_table,
)


def _number_text(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.4g}"


Block = tuple[Any, ...]
"""``("h1"|"h2"|"h3"|"p", text)``, ``("ul", items)``, ``("table", columns, rows)`` or
``("img", path, alt)``."""

TITLES: dict[Metric, str] = {
    "degree": "Degree",
    "weighted_degree": "Weighted degree",
    "betweenness": "Betweenness",
    "closeness": "Closeness",
    "eigenvector": "Eigenvector centrality",
    "pagerank": "PageRank",
}
MEANING: dict[Metric, str] = {
    "degree": "how many partners: breadth of collaboration",
    "weighted_degree": "how many items shared, counted per partner: intensity of collaboration",
    "betweenness": "how often on the shortest path between two others: brokers",
    "closeness": "how few steps to everyone else: reach",
    "eigenvector": "tied to partners that are themselves central: the core",
    "pagerank": "where a random walk along shared items ends up: hubs",
}
NETWORK_TITLES: dict[Network, str] = {
    "actor": "Actor network: organizations linked by shared projects and artifacts",
    "project": "Project network: projects linked by shared artifacts and actors",
    "actor-artifact": "Actor-artifact network: organizations and the items they are tied to",
}


def _cells(table: Table, limit: int | None = None) -> list[list[str]]:
    rows = table.rows if limit is None else table.rows[:limit]
    return [[_number_text(c) if isinstance(c, float) else str(c) for c in row] for row in rows]


def _network_blocks(a: Analysis, top: int, tables: list[Table]) -> list[Block]:
    H = a.H
    blocks: list[Block] = [
        ("h2", NETWORK_TITLES[a.name]),
        (
            "p",
            f"{len(H)} nodes, {H.number_of_edges()} links, {a.components} connected component(s),"
            f" density {_number_text(float(nx.density(H)))}; {len(a.communities)} communities,"
            f" modularity {_number_text(a.modularity)}.",
        ),
        ("img", f"charts/{a.name}-map.svg", f"The {a.name} network"),
    ]
    commons = H.graph.get("commons") or []
    if commons:
        shown = ", ".join(f"{n} ({m})" for n, m in commons[:5])
        blocks.insert(
            2,
            (
                "p",
                f"{len(commons)} item(s) shared by more than {MAX_MEMBERS} members link none of"
                f" them (commons, docs/analytics.md): {shown}.",
            ),
        )
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
    tables.append(community_table(a))
    blocks += [("h3", "Communities"), _community_block(a, top)]
    for table, heading in (
        (bridge_table(a), "Bridges"),
        (articulation_table(a), "Articulation points"),
        (governance_table(a), "Governance models"),
    ):
        tables.append(table)
        blocks += [("h3", heading), *_table_blocks(table, top)]
    return blocks


def _ranked(rows: Sequence[Ranked]) -> list[list[str]]:
    return [[str(r.rank), r.label, r.kind, _number_text(r.value)] for r in rows]


def _leaders(a: Analysis) -> tuple[tuple[str, ...], list[list[str]]]:
    rows = [
        [kind]
        + [", ".join(r.label for r in a.top(m, 3, kind)) for m in ("pagerank", "betweenness")]
        for kind in a.kinds()
    ]
    return ("kind", "top 3 by PageRank", "top 3 by betweenness"), rows


def _community_block(a: Analysis, top: int) -> Block:
    """The ``top`` largest communities, each with its five members of highest PageRank."""
    pagerank = a.values["pagerank"]
    rows = [
        [
            str(i),
            str(len(c)),
            ", ".join(a.label(n) for n in sorted(c, key=pagerank.__getitem__, reverse=True)[:5]),
        ]
        for i, c in enumerate(a.communities[:top], 1)
    ]
    return ("table", ("community", "size", "leading members (PageRank)"), rows)


def _table_blocks(table: Table, top: int) -> list[Block]:
    note = f" ({len(table.rows)} in all: tables/{table.name}.csv)" if len(table.rows) > top else ""
    if not table.rows:
        return [("p", "None.")]
    return [
        ("table", table.columns, _cells(table, top)),
        ("p", f"Showing {min(top, len(table.rows))}{note}."),
    ]


def _summary_blocks(actor: Analysis, G: nx.MultiDiGraph) -> list[Block]:
    def names(metric: str) -> str:
        return ", ".join(f"{r.label} ({_number_text(r.value)})" for r in actor.top(metric, 5))

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
                f"Actors whose removal would split the actor network (articulation points):"
                f" {len(actor.articulation_points)}; links whose removal would (bridges):"
                f" {len(actor.bridges)}.",
            ],
        ),
    ]


LINEAGE_TITLE = "Lineage network: models and the models they were derived from"
LINEAGE_MEANING = {
    "descendants": "models derived from it, directly or through others, each counted once:"
    " the most reused base models",
    "derivatives": "models derived from it directly (its in-degree)",
    "pagerank": "where a walk along 'derived from' links ends up: base models reused most,"
    " and whose derivatives are reused in turn",
    "depth": "derivation steps from it down to a model derived from nothing",
}


def lineage_blocks(a: LineageAnalysis, top: int, tables: list[Table]) -> list[Block]:
    """The lineage network's section of the report."""
    found = lineage_tables(a, top)
    tables += found
    descendants, pagerank, chain, relations = found
    s = a.summary
    blocks: list[Block] = [("h2", LINEAGE_TITLE)]
    if s is None or not s.models:
        return [*blocks, ("p", "No model is derived from another in this graph.")]
    cycles = (
        f"; {s.cycles} cycle(s) of derivations hold {s.models_in_cycles} models"
        " (each counts the others of its cycle as descendants, and they share a generation)"
        if s.cycles
        else ""
    )
    blocks += [
        (
            "p",
            f"{s.models} models, {s.derivations} derivations; {s.roots} of the models are derived"
            f" from no other; the deepest chain is {s.max_depth} derivation step(s){cycles}."
            " docs/analytics.md says what each number means.",
        ),
        ("table", relations.columns, _cells(relations)),
        ("h3", "The most reused base models"),
        (
            "p",
            f"Descendants: {LINEAGE_MEANING['descendants']}. Per kind: the descendants whose"
            " own derivation step is of that kind. Derivatives:"
            f" {LINEAGE_MEANING['derivatives']}. tables/{descendants.name}.csv.",
        ),
        *_table_blocks(descendants, top),
        ("img", "charts/lineage-descendants.svg", f"Descendants, top {top}"),
        ("h3", "PageRank along derivations"),
        ("p", f"{LINEAGE_MEANING['pagerank'].capitalize()}. tables/{pagerank.name}.csv."),
        ("table", ("rank", "node", "kind", "value"), _ranked(a.top("pagerank", top))),
        ("img", "charts/lineage-pagerank.svg", f"PageRank of the lineage network, top {top}"),
        ("h3", "The deepest chain"),
        (
            "p",
            " \N{RIGHTWARDS ARROW} ".join(str(r[2]) for r in chain.rows)
            + f": {s.max_depth} step(s), each model derived from the next"
            f" (tables/{chain.name}.csv).",
        ),
    ]
    return blocks


def report_blocks(
    G: nx.MultiDiGraph,
    analyses: list[Analysis],
    phases: Table,
    top: int,
    lineage: LineageAnalysis | None = None,
) -> tuple[list[Block], list[Table]]:
    """The text of the report and every table it writes."""
    tables: list[Table] = [phases]
    blocks = _summary_blocks(analyses[0], G)
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
    if lineage is not None:
        blocks += lineage_blocks(lineage, top, tables)
    blocks += [("h2", "Files"), ("ul", FILES)]
    return blocks, tables


FILES = [
    "tables/: one CSV and one JSON per table (top nodes per kind and metric, communities,"
    " bridges, articulation points, governance models, phases; the lineage network's most"
    " reused models, PageRank, deepest chain and derivations per kind)",
    "charts/: PNG and SVG, top nodes per metric and a picture of each network",
    "exports/: GraphML and GEXF of the projection and of each network (the lineage network"
    " directed), with every metric and the community as node attributes (Gephi, Cytoscape,"
    " networkx)",
]


CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#222}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;
padding:.2rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}
img{max-width:100%}h2{border-bottom:1px solid #ddd;margin-top:2.5rem}"""


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(blocks: list[Block]) -> str:
    """The blocks as GitHub-flavoured Markdown."""
    out: list[str] = []
    for kind, *rest in blocks:
        if kind in ("h1", "h2", "h3"):
            out.append(f"{'#' * int(kind[1])} {rest[0]}")
        elif kind == "p":
            out.append(rest[0])
        elif kind == "ul":
            out.append("\n".join(f"- {item}" for item in rest[0]))
        elif kind == "table":
            columns, rows = rest
            lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            out.append("\n".join(lines))
        elif kind == "img":
            out.append(f"![{rest[1]}]({rest[0]})")
    return "\n\n".join(out) + "\n"


def render_html(blocks: list[Block]) -> str:
    """The blocks as one HTML page that needs nothing but the files beside it."""
    e = html.escape
    title = next((b[1] for b in blocks if b[0] == "h1"), "Report")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
    ]
    for kind, *rest in blocks:
        if kind in ("h1", "h2", "h3", "p"):
            out.append(f"<{kind}>{e(rest[0])}</{kind}>")
        elif kind == "ul":
            out.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in rest[0]) + "</ul>")
        elif kind == "table":
            columns, rows = rest
            head = "".join(f"<th>{e(c)}</th>" for c in columns)
            body = "".join(
                "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows
            )
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif kind == "img":
            out.append(f'<p><img src="{e(rest[0])}" alt="{e(rest[1])}"></p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"
