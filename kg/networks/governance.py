"""Collaboration per governance model: the part of a network tied to each model's projects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from kg.networks.metrics import centralization_of_degrees
from kg.networks.projection import kind_of
from kg.networks.ties import PROJECT_ROLES


@dataclass(frozen=True)
class GovernanceRow:
    """The part of a network tied to the projects of one governance model."""

    governance_model: str
    projects: int
    nodes: int
    edges: int
    density: float
    centralization: float


def governance_by_node(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Governance models each node is tied to through a project.

    A project has its own; an artifact that of its projects (``part_of_project``); an
    actor that of the projects it develops, funds, partners in or contributes to, and
    of the projects whose artifacts it develops.
    """
    found: dict[str, set[str]] = {}
    for project, model in G.nodes(data="governance_model"):
        if kind_of(project) != "project" or not model:
            continue
        members = {project}
        for u, v, relation in [*G.in_edges(project, keys=True), *G.out_edges(project, keys=True)]:
            other = u if v == project else v
            if relation in PROJECT_ROLES:
                members.add(other)
            elif relation == "part_of_project":
                members.add(other)
                members |= {o for _, o, r in G.out_edges(other, keys=True) if r == "developed_by"}
        for node in members:
            found.setdefault(node, set()).add(model)
    return found


def governance_table(
    G: nx.MultiDiGraph, H: nx.Graph, tied: Mapping[str, set[str]] | None = None
) -> list[GovernanceRow]:
    """Density and degree centralization of ``H`` restricted to each governance model's part.

    ``tied`` is :func:`governance_by_node` of ``G``, when the caller has it already.
    """
    tied = governance_by_node(G) if tied is None else tied
    adjacency = dict(H.adjacency())
    rows = []
    for model in sorted({m for models in tied.values() for m in models}):
        part = {n for n in H if model in tied.get(n, ())}
        degrees = [len(adjacency[n].keys() & part) for n in part]
        n, edges = len(part), sum(degrees) // 2
        density = 2 * edges / (n * (n - 1)) if n > 1 else 0.0
        projects = sum(1 for _, m in G.nodes(data="governance_model") if m == model)
        rows.append(
            GovernanceRow(model, projects, n, edges, density, centralization_of_degrees(degrees))
        )
    return rows
