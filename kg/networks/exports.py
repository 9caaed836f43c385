"""GraphML and GEXF files of networkx graphs, for Gephi, Cytoscape and networkx itself.

networkx's own writers take about 50 s for a graph of 500,000 edges; these stream the
same formats several times faster (escaped values are remembered, since most repeat).
Lists and tuples become ``"; "``-joined strings of their items' ``str``,
None values are left out, and the output depends only on the graph, never on the time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;"}
)
SCALARS = (str, float, int, bool)
GRAPHML_TYPES = {bool: "boolean", int: "int", float: "double", str: "string"}
GEXF_TYPES = {bool: "boolean", int: "integer", float: "double", str: "string"}

Columns = Mapping[str, Mapping[str, Any]]
"""Extra node attributes: name -> node -> value (metrics, communities)."""
Row = tuple[str, dict[str, Any]]


def _plain(value: Any) -> str:
    """``value`` as unescaped text."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(map(str, value))
    return str(value)


def _escaper() -> Callable[[Any], str]:
    """XML-escaped text of a value, remembered for strings (node keys, relations...)."""
    memo: dict[str, str] = {}

    def escape(value: Any) -> str:
        if type(value) is not str:
            return _plain(value).translate(ESCAPES)
        text = memo.get(value)
        if text is None:
            memo[value] = text = value.translate(ESCAPES)
        return text

    return escape


def _types(rows: Iterable[dict[str, Any]]) -> dict[str, type]:
    """Attribute name -> type of its values: float for ints mixed with floats, else str."""
    seen: dict[str, set[type]] = {}
    for d in rows:
        for name, value in d.items():
            if value is not None:
                kind = type(value)
                seen.setdefault(name, set()).add(kind if kind in SCALARS else str)
    found = {}
    for name, types in sorted(seen.items()):
        found[name] = types.pop() if len(types) == 1 else float if types == {int, float} else str
    return found


def _nodes(G: nx.Graph, extra: Columns) -> list[Row]:
    if not extra:
        return list(G.nodes(data=True))
    return [(n, {**d, **{k: c.get(n) for k, c in extra.items()}}) for n, d in G.nodes(data=True)]


def _edges(G: nx.Graph) -> list[tuple[str, str, dict[str, Any]]]:
    """Every edge once, from networkx's adjacency dicts (faster than its edge views)."""
    edges: list[tuple[str, str, dict[str, Any]]] = []
    done: set[str] = set()
    for u, neighbours in G.adjacency():
        for v, d in neighbours.items():
            if v in done:
                continue
            if G.is_multigraph():
                edges.extend((u, v, data) for data in d.values())
            else:
                edges.append((u, v, d))
        if not G.is_directed():
            done.add(u)
    return edges


@dataclass
class _Prepared:
    """A graph read once for both formats: escaped ids, attribute types and texts."""

    directed: bool
    nodes: list[str]
    labels: list[str]
    edges: list[tuple[str, str]]
    weights: list[float | None]
    node_types: dict[str, type]
    edge_types: dict[str, type]
    node_text: dict[str, list[str | None]]
    edge_text: dict[str, list[str | None]]


def _texts(rows: list[dict[str, Any]], name: str, kind: type) -> list[str | None]:
    """One attribute of every row as escaped text (None where it has no value)."""
    values = [d.get(name) for d in rows]
    if kind is int or kind is float:
        return [None if v is None else repr(v) for v in values]
    escape = _escaper()
    return [None if v is None else escape(v) for v in values]


def _prepare(G: nx.Graph, extra: Columns) -> _Prepared:
    escape = _escaper()
    nodes, edges = _nodes(G, extra), _edges(G)
    node_rows, edge_rows = [d for _, d in nodes], [d for *_, d in edges]
    node_types, edge_types = _types(node_rows), _types(edge_rows)
    return _Prepared(
        G.is_directed(),
        [escape(n) for n, _ in nodes],
        [escape(d.get("label", n)) for n, d in nodes],
        [(escape(u), escape(v)) for u, v, _ in edges],
        [None if d.get("weight") is None else float(d["weight"]) for d in edge_rows],
        node_types,
        edge_types,
        {name: _texts(node_rows, name, kind) for name, kind in node_types.items()},
        {name: _texts(edge_rows, name, kind) for name, kind in edge_types.items()},
    )


def _joined(
    texts: dict[str, list[str | None]], tags: dict[str, tuple[str, str]], count: int
) -> list[str]:
    """Each row's cells, as ``tag + text + end`` per attribute that has a value."""
    columns = [
        ["" if t is None else f"{tags[name][0]}{t}{tags[name][1]}" for t in column]
        for name, column in texts.items()
        if name in tags
    ]
    return ["".join(cells) for cells in zip(*columns, strict=True)] if columns else [""] * count


def _graphml(p: _Prepared) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield (
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
        ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    tags: dict[str, dict[str, tuple[str, str]]] = {"node": {}, "edge": {}}
    for scope, types in (("node", p.node_types), ("edge", p.edge_types)):
        for name, kind in types.items():
            key = f"{scope[0]}{len(tags['node']) + len(tags['edge'])}"
            tags[scope][name] = (f'<data key="{key}">', "</data>")
            yield (
                f'<key id="{key}" for="{scope}" attr.name="{name.translate(ESCAPES)}"'
                f' attr.type="{GRAPHML_TYPES[kind]}"/>\n'
            )
    direction = "directed" if p.directed else "undirected"
    yield f'<graph id="G" edgedefault="{direction}">\n'
    cells = _joined(p.node_text, tags["node"], len(p.nodes))
    for node, data in zip(p.nodes, cells, strict=True):
        yield f'<node id="{node}">{data}</node>\n'
    cells = _joined(p.edge_text, tags["edge"], len(p.edges))
    for i, ((u, v), data) in enumerate(zip(p.edges, cells, strict=True)):
        yield f'<edge id="e{i}" source="{u}" target="{v}">{data}</edge>\n'
    yield "</graph>\n</graphml>\n"


def _gexf(p: _Prepared) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
    direction = "directed" if p.directed else "undirected"
    yield f'<graph defaultedgetype="{direction}" mode="static">\n'
    values: dict[str, list[str]] = {}
    for scope, types, texts, skip, count in (
        ("node", p.node_types, p.node_text, "label", len(p.nodes)),
        ("edge", p.edge_types, p.edge_text, "weight", len(p.edges)),
    ):
        yield f'<attributes class="{scope}" mode="static">\n'
        tags = {}
        for i, (name, kind) in enumerate((n, k) for n, k in types.items() if n != skip):
            tags[name] = (f'<attvalue for="{i}" value="', '"/>')
            yield f'<attribute id="{i}" title="{name.translate(ESCAPES)}" type="{GEXF_TYPES[kind]}"/>\n'
        yield "</attributes>\n"
        joined = _joined(texts, tags, count)
        values[scope] = [f"<attvalues>{c}</attvalues>" if c else "" for c in joined]
    yield "<nodes>\n"
    for node, label, cells in zip(p.nodes, p.labels, values["node"], strict=True):
        yield f'<node id="{node}" label="{label}">{cells}</node>\n'
    yield "</nodes>\n<edges>\n"
    rows = zip(p.edges, p.weights, values["edge"], strict=True)
    for i, ((u, v), weight, cells) in enumerate(rows):
        attribute = "" if weight is None else f' weight="{weight!r}"'
        yield f'<edge id="{i}" source="{u}" target="{v}"{attribute}>{cells}</edge>\n'
    yield "</edges>\n</graph>\n</gexf>\n"


def write_graphml(G: nx.Graph, path: Path, extra: Columns | None = None) -> None:
    """Write ``G`` as GraphML (readable by ``nx.read_graphml``, Gephi, Cytoscape).

    ``extra`` adds node attributes without copying the graph.
    """
    _write(_graphml(_prepare(G, extra or {})), path)


def write_gexf(G: nx.Graph, path: Path, extra: Columns | None = None) -> None:
    """Write ``G`` as GEXF 1.2 (readable by ``nx.read_gexf`` and Gephi); ``extra`` as above."""
    _write(_gexf(_prepare(G, extra or {})), path)


def write_graph_files(G: nx.Graph, stem: Path, extra: Columns | None = None) -> list[Path]:
    """Write ``stem``.graphml and ``stem``.gexf, reading ``G`` once for both."""
    prepared = _prepare(G, extra or {})
    paths = [stem.with_suffix(".graphml"), stem.with_suffix(".gexf")]
    _write(_graphml(prepared), paths[0])
    _write(_gexf(prepared), paths[1])
    return paths


def _write(lines: Iterator[str], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.writelines(lines)
