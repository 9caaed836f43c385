"""Report charts with matplotlib: top-N bars and network pictures, as PNG and SVG.

Figures are made without pyplot, so no GUI backend is ever chosen: PNG goes through Agg
(whose renderer also measures the labels of a network picture, to place them apart).
Output is deterministic: a layout without randomness, built in sorted order, no dates or
software versions in the file metadata, and SVG element ids from a fixed hash salt.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import MissingExtraError
from kg.networks.metrics import Ranked

try:  # the report extra
    import matplotlib as mpl
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend
    from matplotlib.lines import Line2D
except ModuleNotFoundError as missing:
    raise MissingExtraError("report", missing.name) from missing

logger = logging.getLogger(__name__)

STYLE: Any = {  # matplotlib rcParams
    "svg.hashsalt": "open-llm-kg",
    "svg.fonttype": "none",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
COLOURS = mpl.colormaps["tab10"].colors  # type: ignore[attr-defined]
OTHER = "#c7c7c7"
"""The colour of the groups a network picture does not name."""
FIGSIZE = (8.0, 7.5)
"""Of a network picture, in inches (SVG: 576 x 540 pt)."""
MAP_NODES = 150
"""Largest number of nodes a network picture shows (the top ones by ``size``)."""
MAP_EDGES = 1500
"""Largest number of links it shows (the heaviest)."""
MAP_LABELS = 15
"""Largest number of nodes it labels (the top ones that fit)."""
MAP_GROUPS = 10
"""Largest number of groups it names in its legend (the others are grey)."""
LABEL_SIZE = 7
"""Font size of the node labels, in points."""
LEGEND_SIZE = 7
"""Font size of the legends, in points."""
LABEL_PAD = 0.3
"""The white box around a label, in font sizes."""
LABEL_SLACK = 0.06
"""A label's place is this much wider than its text as measured: a browser, or the PNG's
other resolution, may set the text a little wider."""
LABEL_GAP = 2.0
"""Least distance between two label boxes, in pixels at the figure's dpi."""
LABEL_RINGS = 10
"""How far from its node a label may go: in steps of its height."""
LEADER = 3.0
"""A label further than this (pixels) from its node's disc gets a leader line."""


def _save(fig: Figure, stem: Path) -> list[Path]:
    """Write ``stem``.png and ``stem``.svg without metadata that changes between runs."""
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    with mpl.rc_context(STYLE):
        fig.savefig(paths[0], dpi=110, metadata={"Software": None})
        fig.savefig(paths[1], metadata={"Date": None, "Creator": None})
    return paths


def _short(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def bar_figure(rows: Sequence[Ranked], title: str) -> Figure:
    """Horizontal bars of a top-N table, the first row on top."""
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(7, 0.32 * max(len(rows), 3) + 0.9))
        ax = fig.subplots()
        labels = [f"{r.rank}. {_short(r.label)}" for r in rows][::-1]
        ax.barh(labels, [r.value for r in rows][::-1], color=COLOURS[0])
        ax.set_title(title, loc="left")
        fig.tight_layout()
    return fig


def bar_chart(rows: Sequence[Ranked], title: str, stem: Path) -> list[Path]:
    """:func:`bar_figure` as ``stem``.png and ``stem``.svg."""
    return _save(bar_figure(rows, title), stem)


def svg_text(fig: Figure) -> str:
    """``fig`` as an SVG document, as :func:`_save` writes it."""
    out = io.StringIO()
    with mpl.rc_context(STYLE):
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


def _label(H: nx.Graph, node: str, width: int) -> str:
    """The label of ``node``, at most ``width`` characters; an acronym at its end is kept
    ("Fraunhofer Institute for… IAIS"), so two long names that begin alike stay apart."""
    text = str(H.nodes[node].get("label", node))
    last = text.rsplit(" ", 1)[-1]
    if len(text) > width and 2 <= len(last) <= 6 and last.isupper() and last.isalpha():
        return _short(text[: -len(last) - 1], width - len(last) - 1) + " " + last
    return _short(text, width)


def shown_nodes(H: nx.Graph, size: Mapping[str, float]) -> list[str]:
    """The nodes a network picture shows: the :data:`MAP_NODES` with the largest ``size``."""
    return sorted(H, key=lambda n: (-size.get(n, 0.0), n))[:MAP_NODES]


def _kind_name(kind: str) -> str:
    return kind.replace("-", " ").capitalize()


def _count(count: int, what: str = "node") -> str:
    return f"{count} {what}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Colouring:
    """What colour says in a network picture: a colour per group, and the legend entries."""

    colour: dict[str, str]
    """The colour (#rrggbb) of each group; the groups after the first :data:`MAP_GROUPS`
    share :data:`OTHER`."""
    entries: list[tuple[str, str]]
    """(colour, text) of each legend entry."""
    title: str
    by_kind: bool
    """Whether the groups are the nodes' kinds (else communities)."""


def colouring(H: nx.Graph, groups: Mapping[str, str], size: Mapping[str, float]) -> Colouring:
    """The colours and legend entries of the groups of the nodes a network picture shows.

    When every node's group is its ``kind``, colour says the kind ("Model (88 nodes)");
    otherwise the groups are communities, each named after its most central member by
    ``size``: "around Hugging Face (23 nodes)", counting its members in all of ``H``.
    Communities keep their order (numbers: the largest first), kinds go largest first.
    """
    members: dict[str, list[str]] = {}
    for n in H:
        members.setdefault(groups[n], []).append(n)
    present = {groups[n] for n in shown_nodes(H, size)}
    by_kind = all(groups[n] == str(H.nodes[n].get("kind")) for n in H)
    if by_kind:
        order = sorted(present, key=lambda g: (-len(members[g]), g))
        names = {g: _kind_name(g) for g in order}
        title, others = "Colour: kind", "other kinds"
    else:
        order = sorted(present, key=lambda g: (int(g) if g.isdigit() else 0, g))
        heads = {g: min(members[g], key=lambda n: (-size.get(n, 0.0), n)) for g in order}
        names = {g: f"around {_label(H, heads[g], 30)}" for g in order}
        title, others = "Colour: community, named after its most central member", "smaller ones"
    named, rest = order[:MAP_GROUPS], order[MAP_GROUPS:]
    colour = {g: mpl.colors.to_hex(COLOURS[i % len(COLOURS)]) for i, g in enumerate(named)}
    colour.update(dict.fromkeys(rest, OTHER))
    entries = [(colour[g], f"{names[g]} ({_count(len(members[g]))})") for g in named]
    if rest:
        count = sum(len(members[g]) for g in rest)
        entries.append((OTHER, f"{len(rest)} {others} ({_count(count)})"))
    return Colouring(colour, entries, title, by_kind)


def _shelves(sides: Sequence[float], width: float) -> list[tuple[float, float]]:
    """Lower-left corners of squares of ``sides`` (largest first) packed from the top left in
    shelves ``width`` wide; the smaller squares of a shelf are stacked in columns."""
    corners: list[tuple[float, float]] = []
    top = x = column = used = shelf = 0.0
    for side in sides:
        if corners and used + side <= shelf + 1e-9 and side <= column + 1e-9:
            corners.append((x - column, top - used - side))  # under the previous one
            used += side
            continue
        if corners and x + side > width + 1e-9:  # a new shelf
            top, x = top - shelf, 0.0
        if x == 0.0:
            shelf = side
        corners.append((x, top - side))
        x, column, used = x + side, side, side
    return corners


def _subgraph(H: nx.Graph, nodes: Sequence[str]) -> nx.Graph:
    """``H`` restricted to ``nodes``, built in sorted order, each link from its smaller end.

    Not ``H.subgraph``: a view of less than half of a graph iterates a set, in an order that
    changes from one run to the next (PYTHONHASHSEED), and so would the layout and the SVG.
    """
    keep = set(nodes)
    S = nx.Graph()
    S.add_nodes_from((n, H.nodes[n]) for n in sorted(keep))
    S.add_edges_from(
        (u, v, H.edges[u, v]) for u in sorted(keep) for v in sorted(H[u]) if v in keep and u < v
    )
    return S


def _layout(S: nx.Graph) -> dict[str, tuple[float, float]]:
    """Each connected component laid out by Kamada-Kawai (steps as distances; it spreads a dense
    core better than a spring layout, and starts from a circle: no randomness) and stretched
    to fill a square of area proportional to its size; the squares packed largest first, so
    no small component pushes the others aside."""
    parts = sorted((sorted(c) for c in nx.connected_components(S)), key=lambda c: (-len(c), c[0]))
    if not parts:
        return {}
    sides = [(len(p) / len(parts[0])) ** 0.5 for p in parts]
    position: dict[str, tuple[float, float]] = {}
    for part, side, (x, y) in zip(parts, sides, _shelves(sides, 1.45), strict=True):
        if len(part) == 1:
            position[part[0]] = (x + side / 2, y + side / 2)
            continue
        found = nx.kamada_kawai_layout(_subgraph(S, part), weight=None)
        xs, ys = [float(p[0]) for p in found.values()], [float(p[1]) for p in found.values()]
        x0, y0 = min(xs), min(ys)
        sx = 0.8 * side / ((max(xs) - x0) or 1.0)  # stretched to fill 80% of its square
        sy = 0.8 * side / ((max(ys) - y0) or 1.0)
        for n, p in found.items():
            position[n] = (
                x + 0.1 * side + sx * (float(p[0]) - x0),
                y + 0.1 * side + sy * (float(p[1]) - y0),
            )
    return position


Box = tuple[float, float, float, float]
"""x0, y0, x1, y1 in display coordinates (pixels)."""
Point = tuple[float, float]


def _overlap(a: Box, b: Box, gap: float = 0.0) -> bool:
    """Whether boxes ``a`` and ``b`` are closer than ``gap``."""
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def _covers(box: Box, x: float, y: float, r: float) -> bool:
    """Whether ``box`` meets the disc of radius ``r`` around (x, y)."""
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return dx * dx + dy * dy < r * r


def _nearest(box: Box, x: float, y: float) -> Point:
    return min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])


def _crosses(a: Point, b: Point, box: Box) -> bool:
    """Whether the segment from ``a`` to ``b`` passes through ``box`` (Liang-Barsky)."""
    low, high = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in (
        (-dx, a[0] - box[0]),
        (dx, box[2] - a[0]),
        (-dy, a[1] - box[1]),
        (dy, box[3] - a[1]),
    ):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
        if low > high:
            return False
    return True


def _candidates(x: float, y: float, r: float, w: float, h: float) -> Iterator[tuple[float, Box]]:
    """Boxes ``w`` by ``h`` around the disc of radius ``r`` at (x, y), each with a cost: next to
    the disc (right first, then left, the diagonals, above and below), then further out."""
    for ring in range(LABEL_RINGS):
        distance = r + 1.5 + ring * 0.8 * h
        for step in range(16):
            angle = math.radians(step * 22.5)
            c, s = math.cos(angle), math.sin(angle)
            px, py = x + distance * c, y + distance * s
            x0 = px if c > 0.3 else px - w if c < -0.3 else px - w / 2
            y0 = py if s > 0.3 else py - h if s < -0.3 else py - h / 2
            turn = 0.5 if step == 8 else min(step, 16 - step)  # away from "right"
            yield distance + 0.8 * turn + (6 if ring else 0), (x0, y0, x0 + w, y0 + h)


def _place_labels(
    ax: Axes, S: nx.Graph, order: Sequence[str], discs: Mapping[str, tuple[float, float, float]]
) -> list[str]:
    """Label the first nodes of ``order`` that fit, at most :data:`MAP_LABELS`; return them.

    Each label is a text in a white box, set where its box (measured with the figure's
    renderer, in display coordinates) meets no other label nor leader line, stays inside the
    axes and covers as few nodes as it can, next to its node if it fits there; a label set
    further out gets a leader line to its node. A label that fits nowhere is left out.
    Deterministic: the candidate places are tried in a fixed order.
    """
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer)
    to_data = ax.transData.inverted()
    pad = LABEL_PAD * renderer.points_to_pixels(LABEL_SIZE)
    boxes: list[Box] = []
    leaders: list[tuple[Point, Point]] = []
    labelled: list[str] = []
    for node in order:
        if len(labelled) == MAP_LABELS:
            break
        text = ax.text(
            0,
            0,
            _label(S, node, 28),
            fontsize=LABEL_SIZE,
            ha="center",
            va="center",
            zorder=4,
            gid=f"label_{len(labelled) + 1}",
            bbox={
                "boxstyle": f"square,pad={LABEL_PAD}",
                "fc": "white",
                "ec": "none",
                "alpha": 0.85,
            },
        )
        extent = text.get_window_extent(renderer)
        x, y, r = discs[node]
        best: tuple[float, Box] | None = None
        w, h = extent.width * (1 + LABEL_SLACK) + 2 * pad, extent.height + 2 * pad
        for cost, box in _candidates(x, y, r, w, h):
            if best is not None and cost >= best[0]:
                continue
            if box[0] < frame.x0 or box[1] < frame.y0 or box[2] > frame.x1 or box[3] > frame.y1:
                continue
            if _covers(box, x, y, r) or any(_overlap(box, b, LABEL_GAP) for b in boxes):
                continue
            if any(_crosses(a, b, box) for a, b in leaders):
                continue
            end = _nearest(box, x, y)
            if math.dist(end, (x, y)) > r + LEADER and any(_crosses((x, y), end, b) for b in boxes):
                continue
            cost += sum(25 for m, d in discs.items() if m != node and _covers(box, *d))
            if best is None or cost < best[0]:
                best = (cost, box)
        if best is None:
            text.remove()
            continue
        box = best[1]
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        text.set_position(tuple(to_data.transform(centre)))
        boxes.append(box)
        labelled.append(node)
        end = _nearest(box, x, y)
        distance = math.dist(end, (x, y))
        if distance > r + LEADER:
            leaders.append(((x, y), end))
            start = (x + (end[0] - x) * r / distance, y + (end[1] - y) * r / distance)
            line = to_data.transform([start, end])
            ax.plot(line[:, 0], line[:, 1], color="#555555", lw=0.6, zorder=3)
    return labelled


def _legends(
    fig: Figure,
    colours: Colouring,
    sizes: Sequence[tuple[float, float]],
    size_name: str,
    widths: Sequence[tuple[float, float]],
) -> list[Legend]:
    """The legends along the bottom of ``fig``, left to right: colour, size, line width.

    ``sizes`` are (value, disc area in points squared) and ``widths`` (weight, line width).
    """
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    common: Any = {
        "loc": "lower left",
        "frameon": False,
        "fontsize": LEGEND_SIZE,
        "title_fontsize": LEGEND_SIZE,
        "alignment": "left",
        "bbox_transform": fig.transFigure,
    }
    dot: Any = {"marker": "o", "linestyle": "", "markeredgecolor": "white", "markeredgewidth": 0.5}
    handles = [Line2D([], [], markerfacecolor=c, markersize=6, **dot) for c, _ in colours.entries]
    texts = [t for _, t in colours.entries]
    items = "tie" if colours.by_kind else "shared item"
    fit = max((a**0.5 for _, a in sizes), default=0.0) / LEGEND_SIZE + 0.3  # the largest disc
    parts: list[tuple[list[Line2D], list[str], str, dict[str, Any]]] = [
        (handles, texts, colours.title, {"ncols": 2 if len(texts) > 5 else 1}),
        (
            [Line2D([], [], markerfacecolor="#9a9a9a", markersize=a**0.5, **dot) for _, a in sizes],
            [f"{v:.2g}" for v, _ in sizes],
            f"Size: {size_name}",
            {
                "ncols": max(len(sizes), 1),
                "handlelength": fit,
                "handleheight": fit,
                "handletextpad": 0.3,
                "columnspacing": 0.8,
            },
        ),
        (
            [Line2D([], [], color="#8a8a8a", lw=w) for _, w in widths],
            [str(round(v)) for v, _ in widths],
            f"Line width: {items}s",
            {"ncols": max(len(widths), 1), "handletextpad": 0.4, "columnspacing": 1.6},
        ),
    ]
    legends: list[Legend] = []
    x, above = 0.01, (0.01, 0.0)  # where the next legend goes; where it goes if it is too wide
    for handles_, labels, title, options in parts:
        if not handles_:
            continue
        legend = fig.legend(
            handles_, labels, title=title, bbox_to_anchor=(x, 0.005), **common, **options
        )
        box = legend.get_window_extent(renderer).transformed(fig.transFigure.inverted())
        if box.x1 > 0.99 and legends:  # too wide for the row: above the previous legend
            legend.set_bbox_to_anchor((above[0], above[1] + 0.005), transform=fig.transFigure)
            box = legend.get_window_extent(renderer).transformed(fig.transFigure.inverted())
        legends.append(legend)
        x, above = box.x1 + 0.03, (box.x0, box.y1)
    return legends


def network_figure(
    H: nx.Graph,
    groups: Mapping[str, str],
    size: Mapping[str, float],
    title: str,
    *,
    size_name: str = "PageRank",
) -> Figure:
    """The network, nodes coloured by ``groups`` (kind or community) and sized by ``size``
    (called ``size_name`` in the legend), links as wide as their ``weight``.

    Only the :data:`MAP_NODES` nodes with the largest ``size`` are drawn, each connected
    component apart (:func:`_layout`); the most central are labelled where the labels fit
    without overlapping (:func:`_place_labels`). The legends name the colours
    (:func:`colouring`) and say what size and line width mean.
    """
    shown = shown_nodes(H, size)
    S = _subgraph(H, shown)
    position = _layout(S)
    colours = colouring(H, groups, size)
    values = [size.get(n, 0.0) for n in shown]
    largest = max(values, default=1.0) or 1.0

    def area(value: float) -> float:  # of a node's disc, in points squared
        return 30 + 400 * value / largest

    links = sorted(S.edges(data="weight", default=1), key=lambda e: (-e[2], e[0], e[1]))
    links = links[:MAP_EDGES]
    heaviest = max((float(w) for _, _, w in links), default=1.0)

    def width(weight: float) -> float:
        return 0.4 + 2.6 * ((weight - 1) / (heaviest - 1)) ** 0.5 if heaviest > 1 else 0.8

    top = max(values, default=0.0)
    samples = sorted({top, top / 2, min(values, default=0.0)}, reverse=True) if top > 0 else []
    sizes = [(v, area(v)) for v in samples]
    widths = (
        [(w, width(w)) for w in sorted({1.0, round((1 + heaviest) / 2), heaviest})] if links else []
    )
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=FIGSIZE)
        FigureCanvasAgg(fig)  # its renderer measures the text
        fig.text(0.01, 0.99, title, ha="left", va="top", fontsize="large")
        legends = _legends(fig, colours, sizes, size_name, widths)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        bottom = max((lg.get_window_extent(renderer).y1 for lg in legends), default=0.0)
        low = bottom / fig.bbox.height + 0.01
        ax = fig.add_axes((0.01, low, 0.98, 0.95 - low))
        ax.axis("off")
        if position:
            xs = [p[0] for p in position.values()]
            ys = [p[1] for p in position.values()]
            mx, my = 0.04 * max(max(xs) - min(xs), 0.5), 0.04 * max(max(ys) - min(ys), 0.5)
            ax.set_xlim(min(xs) - mx, max(xs) + mx)
            ax.set_ylim(min(ys) - my, max(ys) + my)
        nx.draw_networkx_edges(
            S,
            position,
            edgelist=[(u, v) for u, v, _ in links],
            width=[width(w) for _, _, w in links],
            edge_color="#8a8a8a",
            alpha=0.4,
            ax=ax,
        )
        drawn = sorted(S, key=lambda n: (size.get(n, 0.0), n))  # the largest on top
        nx.draw_networkx_nodes(
            S,
            position,
            nodelist=drawn,
            node_size=[area(size.get(n, 0.0)) for n in drawn],
            node_color=[colours.colour[groups[n]] for n in drawn],
            edgecolors="white",
            linewidths=0.5,
            ax=ax,
        )
        point = renderer.points_to_pixels(1.0)
        discs = {}
        for n in shown:
            cx, cy = ax.transData.transform(position[n])
            discs[n] = (float(cx), float(cy), point * area(size.get(n, 0.0)) ** 0.5 / 2)
        labelled = _place_labels(ax, S, shown, discs)
        logger.debug("network picture: %d nodes shown, %d labelled", len(S), len(labelled))
    return fig


def network_map(
    H: nx.Graph,
    groups: Mapping[str, str],
    size: Mapping[str, float],
    title: str,
    stem: Path,
) -> list[Path]:
    """:func:`network_figure` as ``stem``.png and ``stem``.svg."""
    return _save(network_figure(H, groups, size, title), stem)
