"""An entity's neighbourhood in the projection, laid out for a picture: the entity in the
centre, its neighbours on a circle around it.

The layout is deterministic (no random seed, no iteration): neighbours are placed in order
of kind and label, so the same graph always gives the same picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx

from kg.errors import NotFoundError
from kg.networks.paths import relations_between
from kg.networks.projection import kind_of

LIMIT = 24
"""Most neighbours a picture shows: those with the most links of their own."""


@dataclass(frozen=True)
class EgoNode:
    """A node of the picture, at (x, y) in a square of side ``size``."""

    node: str
    label: str
    kind: str
    x: float
    y: float


@dataclass(frozen=True)
class EgoEdge:
    """A link between two nodes of the picture, with every relation between them
    (``^`` marks one that runs from ``target`` to ``source``)."""

    source: str
    target: str
    relations: tuple[str, ...]


@dataclass(frozen=True)
class EgoNetwork:
    """The centre (first node), its shown neighbours, the links among them, and how many
    neighbours were left out."""

    nodes: list[EgoNode]
    edges: list[EgoEdge]
    hidden: int
    size: int


def ego_network(
    G: nx.MultiDiGraph, node: str, *, limit: int = LIMIT, size: int = 560
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
    size
        Side of the square the coordinates fit in.

    Raises
    ------
    NotFoundError
        If ``node`` is not in ``G``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge("model/a", "organization/m", key="developed_by")
    >>> _ = G.add_edge("model/b", "model/a", key="fine_tuned_from")
    >>> ego = ego_network(G, "model/a", size=100)
    >>> [(n.node, n.x, n.y) for n in ego.nodes]
    [('model/a', 50.0, 50.0), ('model/b', 50.0, 14.0), ('organization/m', 50.0, 86.0)]
    >>> [(e.source, e.target, e.relations) for e in ego.edges]
    [('model/a', 'model/b', ('^fine_tuned_from',)), ('model/a', 'organization/m', ('developed_by',))]
    """
    if node not in G:
        raise NotFoundError(f"no entity {node!r} in the collaboration graph")
    U = G.to_undirected(as_view=True)
    neighbours = sorted(set(U[node]) - {node}, key=lambda n: (-U.degree(n), n))
    shown = sorted(neighbours[:limit], key=lambda n: (kind_of(n), _label(G, n).lower(), n))
    centre, radius = size / 2, size * 0.36
    nodes = [EgoNode(node, _label(G, node), kind_of(node), centre, centre)]
    for i, other in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * i / len(shown)
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        nodes.append(EgoNode(other, _label(G, other), kind_of(other), round(x, 1), round(y, 1)))
    keys = [n.node for n in nodes]
    edges = [
        EgoEdge(u, v, relations_between(G, u, v))
        for i, u in enumerate(keys)
        for v in keys[i + 1 :]
        if U.has_edge(u, v)
    ]
    return EgoNetwork(nodes, edges, len(neighbours) - len(shown), size)


def _label(G: nx.MultiDiGraph, node: str) -> str:
    return str(G.nodes[node].get("label", node))
