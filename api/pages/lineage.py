"""The lineage picture of a model page: its ancestors above, its descendants below, drawn as
server-side SVG (no script). Each row is one derivation step; a wide row wraps onto lines of
:data:`PER_LINE` models. At most :data:`CAP` models are drawn, nearest first; the rest are
counted, with a link to the REST view."""

from __future__ import annotations

from dataclasses import dataclass

from kg.graph import KnowledgeGraph
from kg.networks.ego import wrap
from kg.read.lineage import MAX_DEPTH, MAX_LIMIT, derivation_kinds, lineage
from kg.read.models import LineageNode

CAP = 50
"""The most models a picture draws, besides the model of the page."""
PER_LINE = 5
BOX_W, BOX_H, GAP_X, LINE_H, PAD = 176.0, 40.0, 16.0, 66.0, 14.0
PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7a5195", "#666666"]
"""Edge colours (Okabe-Ito, safe for colour-blind readers), one per derivation kind in the
ontology's order; each kind also has its own dash pattern."""
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 2 1 2", "3 3"]


@dataclass(frozen=True)
class PictureNode:
    id: str
    label: str
    href: str
    x: float  # top-left corner of its box
    y: float
    lines: tuple[str, ...]
    centre: bool
    side: str
    depth: int
    licences: str


@dataclass(frozen=True)
class PictureEdge:
    x1: float  # the bottom of the base's box
    y1: float
    x2: float  # the top of the derived model's box
    y2: float
    relation: str
    wording: str  # the property's label: fine-tuned from
    source: str  # labels, for the edge's title
    target: str
    colour: str
    dash: str


@dataclass(frozen=True)
class Legend:
    relation: str
    label: str
    colour: str
    dash: str


@dataclass(frozen=True)
class LineagePicture:
    model: PictureNode
    nodes: list[PictureNode]  # top to bottom, the model of the page among them
    edges: list[PictureEdge]
    legend: list[Legend]
    ancestors: list[PictureNode]
    descendants: list[PictureNode]
    hidden: int
    total: int
    width: float
    height: float
    rest: str  # the REST view of the whole lineage


def _licences(node: LineageNode) -> str:
    return ", ".join(sorted({licence.id for licence in node.licences if licence.current}))


def lineage_picture(kg: KnowledgeGraph, id_: str) -> LineagePicture | None:
    """The picture of the model ``id_``'s lineage, or None if it has none."""
    found = lineage(kg, id_, depth=MAX_DEPTH, limit=MAX_LIMIT)
    if not found.total:
        return None
    shown = sorted(found.nodes, key=lambda n: (n.depth, n.direction != "ancestor"))[:CAP]
    rows: dict[int, list[LineageNode]] = {0: [found.model]}
    for n in shown:  # ancestors at negative rows (above), descendants at positive ones
        rows.setdefault(-n.depth if n.direction == "ancestor" else n.depth, []).append(n)
    widest = min(PER_LINE, max(len(r) for r in rows.values()))
    width = max(2 * PAD + widest * BOX_W + (widest - 1) * GAP_X, 420.0)
    placed: dict[tuple[str, str], PictureNode] = {}
    y = PAD
    for row in sorted(rows):
        members = sorted(rows[row], key=lambda n: (n.label.lower(), n.id))
        for start in range(0, len(members), PER_LINE):
            line = members[start : start + PER_LINE]
            span = len(line) * BOX_W + (len(line) - 1) * GAP_X
            x = (width - span) / 2
            for n in line:
                text = wrap(n.label, 22)
                placed[(n.direction, n.id)] = PictureNode(
                    id=n.id,
                    label=n.label,
                    href=f"/id/model/{n.id}" if n.kind == "model" else n.iri,
                    x=round(x, 1),
                    y=round(y, 1),
                    lines=text[:2] if len(text) <= 2 else (text[0], text[1][:19] + "…"),
                    centre=n.direction == "self",
                    side=n.direction,
                    depth=n.depth,
                    licences=_licences(n),
                )
                x += BOX_W + GAP_X
            y += LINE_H
    ontology = derivation_kinds(kg)
    kinds = [k.name for k in ontology]
    style = {k: (PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]) for i, k in enumerate(kinds)}
    root = found.model.id
    labels = {k.name: k.label or k.name for k in ontology}

    def box(side: str, id_: str) -> PictureNode | None:
        return placed.get(("self", id_) if id_ == root else (side, id_))

    edges, used = [], set()
    for e in found.edges:
        side = e.direction
        derived, base = box(side, e.source), box(side, e.target)
        if derived is None or base is None:
            continue
        colour, dash = style.get(e.relation, (PALETTE[-1], ""))
        used.add(e.relation)
        edges.append(
            PictureEdge(
                x1=round(base.x + BOX_W / 2, 1),
                y1=round(base.y + BOX_H, 1),
                x2=round(derived.x + BOX_W / 2, 1),
                y2=derived.y,
                relation=e.relation,
                wording=labels.get(e.relation, e.relation),
                source=derived.label,
                target=base.label,
                colour=colour,
                dash=dash,
            )
        )
    legend = [Legend(k, labels[k], *style[k]) for k in kinds if k in used]
    nodes = list(placed.values())  # top to bottom, as read
    return LineagePicture(
        model=placed[("self", root)],
        nodes=nodes,
        edges=edges,
        legend=legend,
        ancestors=[n for n in nodes if n.side == "ancestor"],
        descendants=[n for n in nodes if n.side == "descendant"],
        hidden=found.total - len(shown),
        total=found.total,
        width=round(width, 1),
        height=round(y - LINE_H + BOX_H + PAD, 1),
        rest=f"/entities/model/{root}/lineage",
    )
