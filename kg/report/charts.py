"""Report charts with matplotlib: top-N bars and network pictures, as PNG and SVG.

Figures are made without pyplot, so no GUI backend is ever chosen: PNG goes through Agg.
Output is deterministic: fixed layout seed, no dates or software versions in the file
metadata, and SVG element ids from a fixed hash salt.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import MissingExtraError
from kg.networks.metrics import SEED, Ranked

try:  # the report extra
    import matplotlib as mpl
    from matplotlib.figure import Figure
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
COLOURS = mpl.colormaps["tab20"].colors  # type: ignore[attr-defined]
MAP_NODES = 150
"""Largest number of nodes a network picture shows (the top ones by ``size``)."""
MAP_EDGES = 1500
"""Largest number of links it shows (the heaviest)."""


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


def network_figure(
    H: nx.Graph, groups: Mapping[str, str], size: Mapping[str, float], title: str
) -> Figure:
    """The network, nodes coloured by ``groups`` (kind or community) and sized by ``size``.

    Only the :data:`MAP_NODES` nodes with the largest ``size`` are drawn.
    """
    shown = sorted(H, key=lambda n: (-size.get(n, 0.0), n))[:MAP_NODES]
    S = H.subgraph(shown)
    position = nx.spring_layout(S, seed=SEED, weight=None) if len(S) else {}
    names = sorted({groups[n] for n in S}, key=lambda g: (int(g) if g.isdigit() else 0, g))
    colour = {g: COLOURS[i % len(COLOURS)] for i, g in enumerate(names)}
    largest = max((size.get(n, 0.0) for n in S), default=1.0) or 1.0
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(8, 7))
        ax = fig.subplots()
        links = sorted(S.edges(data="weight", default=1), key=lambda e: (-e[2], e[0], e[1]))
        edges = [(u, v) for u, v, _ in links[:MAP_EDGES]]
        nx.draw_networkx_edges(S, position, edgelist=edges, ax=ax, alpha=0.25, width=0.6)
        for g in names:
            nodes = [n for n in S if groups[n] == g]
            nx.draw_networkx_nodes(
                S,
                position,
                nodelist=nodes,
                node_size=[30 + 400 * size.get(n, 0.0) / largest for n in nodes],
                node_color=[colour[g]],
                label=g,
                ax=ax,
            )
        top = shown[:12]
        nx.draw_networkx_labels(
            S,
            position,
            {n: _short(S.nodes[n].get("label", n), 24) for n in top},
            font_size=7,
            ax=ax,
        )
        ax.set_title(title, loc="left")
        ax.axis("off")
        if names:
            ax.legend(loc="lower left", fontsize=7, markerscale=0.6, frameon=False, ncols=2)
        fig.tight_layout()
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
