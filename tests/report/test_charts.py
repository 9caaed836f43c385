"""The network picture: labels that never overlap, communities named after their most central
member, a legend that says what colour, size and line width mean, the same bytes every time."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from kg.networks import metrics
from kg.report import charts

NAMES = [
    "Hugging Face",
    "Allen Institute for AI",
    "German Research Center for Artificial Intelligence",
    "Fraunhofer Institute for Intelligent Analysis and Information Systems IAIS",
    "Fraunhofer Institute for Integrated Circuits IIS",
    "TU Dresden",
    "Meta",
    "Forschungszentrum Jülich",
    "BigScience Workshop",
    "EleutherAI",
    "AI Singapore",
    "SpeakLeash",
    "National Library of Norway",
    "Cohere Labs",
    "Alibaba Cloud",
    "SCB 10X",
]


def crowded() -> nx.Graph:
    """Three overlapping cliques of long-named actors around a dense core, a star, and a
    pair apart: central labels that would sit on top of each other."""
    H = nx.Graph()
    cliques = [range(0, 9), range(5, 14), range(10, 19)]
    for members in cliques:
        for u, v in itertools.combinations(members, 2):
            H.add_edge(f"a{u}", f"a{v}", weight=1 + (u + v) % 4)
    for leaf in range(19, 27):
        H.add_edge("a0", f"a{leaf}", weight=1)
    H.add_edge("a27", "a28", weight=2)
    for n in H:
        i = int(n[1:])
        H.nodes[n].update(kind="organization", label=NAMES[i] if i < len(NAMES) else f"Lab {i}")
    return H


def communities(H: nx.Graph) -> dict[str, str]:
    """As :meth:`kg.report.analysis.Analysis.map_groups` numbers them: 1 = the largest."""
    parts = metrics.communities(H)
    return {n: str(i) for i, members in enumerate(parts, 1) for n in members}


def figure(H: nx.Graph) -> Figure:
    return charts.network_figure(H, communities(H), metrics.pagerank(H), "A crowded network")


def drawn_boxes(fig: Figure) -> list[tuple[str, Bbox]]:
    """Every text of ``fig`` as drawn, in display coordinates: a node label with its white
    box, any other text (title, legends) by its extent."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text():
            continue
        patch = text.get_bbox_patch()
        box = patch.get_window_extent(renderer) if patch else text.get_window_extent(renderer)
        boxes.append((text.get_text(), box))
    return boxes


def labels(fig: Figure) -> list[Text]:
    return [t for t in fig.axes[0].texts if (t.get_gid() or "").startswith("label_")]


def intersect(a: Bbox, b: Bbox) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)


def test_no_two_texts_overlap() -> None:
    H = crowded()
    fig = figure(H)
    boxes = drawn_boxes(fig)
    assert len(labels(fig)) == charts.MAP_LABELS  # there is room for all 15 somewhere
    assert len(boxes) == charts.MAP_LABELS + 1 + 3 + 3 + 3 + 3  # title, 3 legends of 3
    pairs = [(a, b) for (a, p), (b, q) in itertools.combinations(boxes, 2) if intersect(p, q)]
    assert pairs == []
    frame = fig.axes[0].get_window_extent()
    for text in labels(fig):
        box = dict(boxes)[text.get_text()]
        assert frame.contains(box.x0, box.y0)
        assert frame.contains(box.x1, box.y1)


def test_labels_are_the_most_central_nodes_and_leave_their_node_visible() -> None:
    H = crowded()
    pagerank = metrics.pagerank(H)
    fig = figure(H)
    boxes = dict(drawn_boxes(fig))
    by_label = {charts._label(H, n, 28): n for n in H}
    assert len(by_label) == len(H)
    labelled = [by_label[t.get_text()] for t in labels(fig)]
    ranked = sorted(H, key=lambda n: (-pagerank[n], n))
    assert labelled == ranked[: len(labelled)]  # in order, none skipped here
    assert "Fraunhofer Institute f… IAIS" in boxes  # long names keep their acronym
    ax = fig.axes[0]
    position = charts._layout(H.subgraph(charts.shown_nodes(H, pagerank)))
    for node in labelled:
        x, y = ax.transData.transform(position[node])
        assert not boxes[charts._label(H, node, 28)].contains(x, y)


def test_a_label_that_fits_nowhere_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """80 equally central nodes with long names, all to be labelled: not all fit."""
    monkeypatch.setattr(charts, "MAP_LABELS", 80)
    H = nx.relabel_nodes(nx.complete_graph(80), lambda i: f"n{i:02}")
    for n in H:
        H.nodes[n].update(kind="organization", label=f"A Very Long Organization Name {n}")
    fig = charts.network_figure(H, dict.fromkeys(H, "1"), metrics.pagerank(H), "Crowded")
    boxes = [b for t, b in drawn_boxes(fig) if t.startswith("A Very")]
    assert 20 < len(boxes) < 80
    assert len(labels(fig)) == len(boxes)
    assert not any(intersect(a, b) for a, b in itertools.combinations(boxes, 2))


def test_legend_names_communities_after_their_most_central_member() -> None:
    H = crowded()
    pagerank = metrics.pagerank(H)
    parts = metrics.communities(H)
    fig = figure(H)
    colour, size, width = fig.legends
    assert colour.get_title().get_text() == "Colour: community, named after its most central member"
    expected = []
    for members in parts:
        head = min(members, key=lambda n: (-pagerank[n], n))  # ties: the first by id
        name = charts._label(H, head, 30)
        expected.append(f"around {name} ({len(members)} nodes)")
    assert [t.get_text() for t in colour.get_texts()] == expected
    assert expected[-1].endswith("(2 nodes)")
    assert size.get_title().get_text() == "Size: PageRank"
    assert [float(t.get_text()) for t in size.get_texts()] == pytest.approx(
        [max(pagerank.values()), max(pagerank.values()) / 2, min(pagerank.values())], rel=0.05
    )
    assert width.get_title().get_text() == "Line width: shared items"
    assert [t.get_text() for t in width.get_texts()] == ["1", "2", "4"]
    # the legends' own markers do not overlap either
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    markers = [h.get_window_extent(renderer) for h in size.legend_handles if h is not None]
    assert not any(intersect(a, b) for a, b in itertools.combinations(markers, 2))
    assert not any(
        intersect(a, b.get_window_extent(renderer)) for a in markers for b in [colour, width]
    )


def test_kinds_are_named_and_small_groups_share_grey() -> None:
    B = nx.Graph()
    for i in range(3):
        B.add_edge(f"organization/o{i}", f"model/m{i}", weight=i + 1)
        B.add_edge(f"organization/o{i}", "dataset/d", weight=1)
    for n in B:
        B.nodes[n].update(kind=n.split("/")[0], label=n.split("/")[1])
    kinds = {n: n.split("/")[0] for n in B}
    fig = charts.network_figure(B, kinds, metrics.pagerank(B), "Bipartite")
    colour, _, width = fig.legends
    assert colour.get_title().get_text() == "Colour: kind"
    assert [t.get_text() for t in colour.get_texts()] == [
        "Model (3 nodes)",
        "Organization (3 nodes)",
        "Dataset (1 node)",
    ]
    assert width.get_title().get_text() == "Line width: ties"

    pairs = nx.Graph([(f"p{i}a", f"p{i}b") for i in range(12)])
    nx.set_node_attributes(pairs, "organization", "kind")
    groups = {n: str(int(n[1:-1]) + 1) for n in pairs}
    legend = charts.colouring(pairs, groups, metrics.pagerank(pairs))
    assert len(legend.entries) == charts.MAP_GROUPS + 1
    assert legend.entries[-1] == (charts.OTHER, "2 smaller ones (4 nodes)")
    assert legend.colour["11"] == legend.colour["12"] == charts.OTHER
    assert len(set(legend.colour.values())) == charts.MAP_GROUPS + 1


def test_same_svg_bytes_every_time() -> None:
    H = crowded()
    first = charts.svg_text(figure(H))
    assert charts.svg_text(figure(H)) == first
    assert first.count('<g id="label_') == charts.MAP_LABELS
    assert "<dc:date>" not in first


def test_components_get_squares_that_do_not_overlap() -> None:
    sides = [1.0, 0.5, 0.3, 0.3, 0.2, 0.2, 0.2, 0.1]
    corners = charts._shelves(sides, 1.45)
    squares = [Bbox.from_bounds(x, y, s, s) for (x, y), s in zip(corners, sides, strict=True)]
    assert not any(intersect(a, b) for a, b in itertools.combinations(squares, 2))
    assert all(b.x0 >= 0 and b.x1 <= 1.45 + 1e-9 for b in squares)
    assert charts._layout(nx.Graph()) == {}


RENDER = """
import hashlib, sys
sys.path.insert(0, {root!r})
from tests.report.test_charts import crowded, figure
from kg.report import charts
big = crowded()
big.add_edges_from((f"x{{i}}", f"x{{i + 1}}") for i in range(40))  # crowd: < half the nodes
big.add_nodes_from((n, {{"kind": "organization", "label": n}}) for n in big if n[0] == "x")
print(hashlib.sha256(charts.svg_text(figure(big)).encode()).hexdigest())
"""


def test_same_svg_bytes_whatever_the_hash_seed() -> None:
    """Sets iterate in another order with another PYTHONHASHSEED; the picture must not."""
    root = str(Path(__file__).resolve().parents[2])
    digests = {
        subprocess.run(
            [sys.executable, "-c", RENDER.format(root=root)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1
