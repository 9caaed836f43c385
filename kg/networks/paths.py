"""Who collaborates with whom, and through what: an actor's collaborators and the shortest
collaboration paths between two entities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.errors import NotFoundError
from kg.networks.projection import kind_of
from kg.networks.ties import SharedItem, actor_network


@dataclass(frozen=True)
class Collaborator:
    """An actor linked to another through shared items."""

    node: str
    label: str
    weight: int
    items: tuple[SharedItem, ...]


def collaborators(G: nx.MultiDiGraph, actor: str, **filters: Any) -> list[Collaborator]:
    """The actors that share a project or artifact with ``actor``, most shared items first.

    Parameters
    ----------
    actor
        ``organization/<id>`` or just the id.
    **filters
        As :func:`kg.networks.ties.actor_network`.

    Raises
    ------
    NotFoundError
        If ``actor`` is not an organization of ``G``.
    """
    node = actor if "/" in actor else f"organization/{actor}"
    if kind_of(node) != "organization" or node not in G:
        raise NotFoundError(f"no actor {actor!r} in the graph")
    H = actor_network(G, **filters)
    if node not in H:
        return []
    found = [
        Collaborator(other, H.nodes[other]["label"], d["weight"], d["items"])
        for other, d in H[node].items()
    ]
    return sorted(found, key=lambda c: (-c.weight, c.node))


HUB_KINDS = frozenset({"publication", "license"})
"""Kinds of node that tie nearly everything together: the paper studies every project, and a
licence links every model under it. Paths go through them only when asked to; collaborators
never do (actors are tied only through projects and artifacts)."""


@dataclass(frozen=True)
class Step:
    """One hop of a collaboration path: the relations between two consecutive nodes."""

    node: str
    label: str
    kind: str
    relations: tuple[str, ...]  # how this node links to the previous one ("^" marks an inverse)


def shortest_paths(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_hops: int = 4,
    limit: int = 10,
    include_hubs: bool = False,
) -> list[list[Step]]:
    """Shortest paths between two entities of the projection, ignoring edge direction.

    Parameters
    ----------
    source, target
        Nodes as ``kind/id``.
    max_hops
        Longest path to look for; no path within it gives an empty list.
    limit
        At most this many paths, in a stable order.
    include_hubs
        Also go through :data:`HUB_KINDS` nodes (the ends may always be ones).

    Raises
    ------
    NotFoundError
        If ``source`` or ``target`` is not in the projection.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("model/a", label="A", kind="model"); G.add_node("organization/m", label="M", kind="organization")
    >>> G.add_node("model/b", label="B", kind="model")
    >>> _ = G.add_edge("model/a", "organization/m", key="developed_by")
    >>> _ = G.add_edge("model/b", "model/a", key="fine_tuned_from")
    >>> [[(s.node, s.relations) for s in path] for path in shortest_paths(G, "model/b", "organization/m")]
    [[('model/b', ()), ('model/a', ('fine_tuned_from',)), ('organization/m', ('developed_by',))]]
    """
    for node in (source, target):
        if node not in G:
            raise NotFoundError(f"no entity {node!r} in the collaboration graph")
    U = G.to_undirected(as_view=True)
    if not include_hubs:
        ends = {source, target}
        U = nx.subgraph_view(U, filter_node=lambda n: n in ends or kind_of(n) not in HUB_KINDS)
    try:
        if nx.shortest_path_length(U, source, target) > max_hops:
            return []
    except nx.NetworkXNoPath:
        return []
    paths = sorted(nx.all_shortest_paths(U, source, target))[:limit]
    return [
        [
            Step(
                node,
                G.nodes[node].get("label", node),
                G.nodes[node].get("kind", kind_of(node)),
                () if i == 0 else relations_between(G, path[i - 1], node),
            )
            for i, node in enumerate(path)
        ]
        for path in paths
    ]


def relations_between(G: nx.MultiDiGraph, before: str, node: str) -> tuple[str, ...]:
    forward = [str(k) for k in G.get_edge_data(before, node, default={})]
    backward = [f"^{k}" for k in G.get_edge_data(node, before, default={})]
    return tuple(sorted(forward + backward))
