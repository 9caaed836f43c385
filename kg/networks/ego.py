"""An entity's neighbourhood in the projection, laid out for a picture: the entity in the
centre, its neighbours on an oval around it, each with its full label (wrapped, never cut).

The layout is deterministic (no random seed, no iteration): neighbours are placed clockwise
in order of kind and label, the first half down the right side and the rest up the left, so the
same graph always gives the same picture. On each side the neighbours are stacked with room
for their labels, which run outwards (right of a node on the right, left of it on the left),
wrapped at spaces into lines that fit between the node and the edge of the picture; the oval
is as tall as the labels need.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import networkx as nx

from kg.errors import NotFoundError
from kg.networks.paths import relations_between
from kg.networks.projection import kind_of

LIMIT = 24
"""Most neighbours a picture shows: those with the most links of their own."""
WIDTH = 1040
"""Width of the picture (SVG user units, drawn at about that many pixels on a wide screen)."""
RADIUS = 0.19
"""Horizontal radius of the oval, as a share of the width."""
MARGIN = 12
"""Room kept free along the edges of the picture."""
GAP = 14
"""From a node's centre to the start of its label."""
LINE = 15
"""Line height of a neighbour's label (13 px text)."""
CHAR = 7.6
"""Width allowed per character of a neighbour's label (13 px sans-serif, a little generous)."""
CENTRE_LINE = 19
"""Line height of the centre's label (15 px bold text)."""
CENTRE_CHAR = 9.4
"""Width allowed per character of the centre's label."""
SLOT = 22
"""Least height taken by a neighbour: its circle and some space."""
SPACING = 5
"""Space between the labels of two neighbours on a side."""
MIN_HEIGHT = 300
"""Least height of the picture."""


@dataclass(frozen=True)
class EgoNode:
    """A node of the picture at (x, y), with its label wrapped into ``lines`` that start at
    (``label_x``, ``label_y``) (the baseline of the first line), anchored ``anchor`` (SVG
    ``text-anchor``: ``start`` on the right, ``end`` on the left, ``middle`` for the centre)."""

    node: str
    label: str
    kind: str
    x: float
    y: float
    lines: tuple[str, ...] = ()
    anchor: str = "middle"
    label_x: float = 0.0
    label_y: float = 0.0


@dataclass(frozen=True)
class EgoEdge:
    """A link between two nodes of the picture, with every relation between them
    (``^`` marks one that runs from ``target`` to ``source``)."""

    source: str
    target: str
    relations: tuple[str, ...]


@dataclass(frozen=True)
class EgoNetwork:
    """The centre (first node), its shown neighbours, the links among them, how many
    neighbours were left out, and the size of the picture (``width`` x ``height``)."""

    nodes: list[EgoNode]
    edges: list[EgoEdge]
    hidden: int
    width: float
    height: float

    @property
    def size(self) -> float:
        """The larger side: every coordinate is within ``[0, size]``."""
        return max(self.width, self.height)


def wrap(label: str, chars: int) -> tuple[str, ...]:
    """``label`` in lines of at most ``chars`` characters, broken at spaces only (a longer word
    keeps a line of its own): the lines joined by spaces give the label back.

    >>> wrap("Jean Zay compute grant for BLOOM", 20)
    ('Jean Zay compute', 'grant for BLOOM')
    >>> " ".join(wrap("A Cartography of Open Collaboration in Open Source AI", 12))
    'A Cartography of Open Collaboration in Open Source AI'
    """
    words = " ".join(label.split())
    lines = textwrap.wrap(words, max(chars, 1), break_long_words=False, break_on_hyphens=False)
    return tuple(lines) or (label,)


def ego_network(
    G: nx.MultiDiGraph, node: str, *, limit: int = LIMIT, width: float = WIDTH
) -> EgoNetwork:
    """The neighbourhood of ``node`` in the projection ``G``, whatever the links' direction.

    Parameters
    ----------
    G
        The projection (:func:`kg.networks.projection.to_networkx`).
    node
        ``kind/id``.
    limit
        Most neighbours shown: those of highest degree (ties by key); the rest are counted.
    width
        Width of the picture; its height follows from the labels (at least
        :data:`MIN_HEIGHT`).

    Raises
    ------
    NotFoundError
        If ``node`` is not in ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("model/a", "organization/m", key="developed_by")
    >>> _ = G.add_edge("model/b", "model/a", key="fine_tuned_from")
    >>> ego = ego_network(G, "model/a", width=600)
    >>> [(n.node, n.x, n.y, n.anchor) for n in ego.nodes]
    [('model/a', 300.0, 150.0, 'middle'), ('model/b', 414.0, 150.0, 'start'), ('organization/m', 186.0, 150.0, 'end')]
    >>> [(e.source, e.target, e.relations) for e in ego.edges]
    [('model/a', 'model/b', ('^fine_tuned_from',)), ('model/a', 'organization/m', ('developed_by',))]
    """
    if node not in G:
        raise NotFoundError(f"no entity {node!r} in the collaboration graph")
    U = G.to_undirected(as_view=True)
    neighbours = sorted(set(U[node]) - {node}, key=lambda n: (-U.degree(n), n))
    shown = sorted(neighbours[:limit], key=lambda n: (kind_of(n), _label(G, n).lower(), n))
    centre_x, rx = width / 2, width * RADIUS
    chars = int((centre_x - rx - GAP - MARGIN) / CHAR)
    half = math.ceil(len(shown) / 2)
    right, left = shown[:half], shown[half:][::-1]  # clockwise: down the right, up the left
    lines = {n: wrap(_label(G, n), chars) for n in shown}
    slots = {n: max(SLOT, len(lines[n]) * LINE) + SPACING for n in shown}
    stack = max((sum(slots[n] for n in side) for side in (right, left)), default=0)
    centre_lines = wrap(_label(G, node), int(1.6 * rx / CENTRE_CHAR))
    below = 34 + CENTRE_LINE * (len(centre_lines) - 1) + MARGIN  # the centre's label
    height = max(MIN_HEIGHT, stack + 2 * MARGIN, 2 * below + 2 * SLOT)
    for side in (right, left):  # a short side spreads out over the height (up to 3 slots each)
        spare = (height - 2 * MARGIN - sum(slots[n] for n in side)) / max(len(side), 1)
        slots |= {n: slots[n] + min(spare, 2 * SLOT) for n in side}
    stack = max((sum(slots[n] for n in side) for side in (right, left)), default=0)
    centre_y = height / 2
    ry = max(stack / 2, SLOT) * 1.12  # the outermost nodes stay off the oval's top and bottom
    nodes = [
        EgoNode(
            node,
            _label(G, node),
            kind_of(node),
            centre_x,
            centre_y,
            centre_lines,
            "middle",
            centre_x,
            round(centre_y + 34, 1),
        )
    ]
    for side, sign in ((right, 1), (left, -1)):
        top = centre_y - sum(slots[n] for n in side) / 2
        for other in side:
            y = top + slots[other] / 2
            top += slots[other]
            x = centre_x + sign * rx * math.sqrt(max(0.0, 1 - ((y - centre_y) / ry) ** 2))
            first = y - (len(lines[other]) - 1) * LINE / 2 + 4.5
            nodes.append(
                EgoNode(
                    other,
                    _label(G, other),
                    kind_of(other),
                    round(x, 1),
                    round(y, 1),
                    lines[other],
                    "start" if sign > 0 else "end",
                    round(x + sign * GAP, 1),
                    round(first, 1),
                )
            )
    order = {key: i for i, key in enumerate([node, *shown])}
    nodes.sort(key=lambda n: order[n.node])
    keys = [n.node for n in nodes]
    edges = [
        EgoEdge(u, v, relations_between(G, u, v))
        for i, u in enumerate(keys)
        for v in keys[i + 1 :]
        if U.has_edge(u, v)
    ]
    return EgoNetwork(nodes, edges, len(neighbours) - len(shown), width, height)


def _label(G: nx.MultiDiGraph, node: str) -> str:
    return str(G.nodes[node].get("label", node))
