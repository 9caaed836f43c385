"""A synthetic projection shaped like the real one, scaled up: for benchmarks only.

Nodes of each kind and edges of each (source kind, relation, target kind) come in the
proportions of the real projection. Like the real ecosystem, collaboration is clustered:
every node has a home project, and an edge stays within its source's home project with
probability ``locality`` (when that project has a node of the target kind), otherwise
it goes to any node of the target kind.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import networkx as nx

from kg.networks.projection import kind_of
from kg.schema.terms import CONFIDENCES, PHASES

ORGANIZATION_TYPES = ("big-tech", "startup-or-company", "research-institute", "university")
GOVERNANCE_MODELS = ("single-company", "single-research-institute", "company-sponsored-grassroots")


def synthetic_projection(
    real: nx.MultiDiGraph, nodes: int, edges: int, *, locality: float = 0.9, seed: int = 0
) -> nx.MultiDiGraph:
    """A MultiDiGraph of ``nodes`` nodes and ``edges`` edges with the mix of ``real``."""
    rng = random.Random(seed)
    kinds = Counter(kind for _, kind in real.nodes(data="kind"))
    mix = Counter((kind_of(u), r, kind_of(v)) for u, v, r in real.edges(keys=True))
    sizes = {kind: max(1, round(count * nodes / len(real))) for kind, count in kinds.items()}
    sizes[max(sizes, key=sizes.__getitem__)] -= sum(sizes.values()) - nodes
    G = nx.MultiDiGraph()
    projects = [f"project/p{i}" for i in range(sizes.pop("project"))]
    by_kind: dict[str, list[str]] = {"project": projects}
    home: dict[str, str] = {p: p for p in projects}
    local: dict[tuple[str, str], list[str]] = defaultdict(list)
    for p in projects:
        local["project", p].append(p)
    for kind, n in sorted(sizes.items()):
        by_kind[kind] = [f"{kind}/{kind[:3]}{i}" for i in range(n)]
        for node in by_kind[kind]:
            home[node] = rng.choice(projects)
            local[kind, home[node]].append(node)
    for kind, members in sorted(by_kind.items()):
        for node in members:
            G.add_node(
                node,
                kind=kind,
                label=node.split("/")[1].upper(),
                region=rng.choice(("us", "de", "sg", "europe")),
                organization_type=rng.choice(ORGANIZATION_TYPES)
                if kind == "organization"
                else None,
                governance_model=rng.choice(GOVERNANCE_MODELS) if kind == "project" else None,
            )
    total = sum(mix.values())
    wanted = {key: round(count * edges / total) for key, count in sorted(mix.items())}
    wanted[max(wanted, key=wanted.__getitem__)] += edges - sum(wanted.values())
    for (source, relation, target), count in wanted.items():
        added = 0
        while added < count:
            u = rng.choice(by_kind[source])
            nearby = local.get((target, home[u]))
            v = rng.choice(nearby if nearby and rng.random() < locality else by_kind[target])
            if u == v or G.has_edge(u, v, relation):
                continue
            added += 1
            G.add_edge(
                u,
                v,
                key=relation,
                relation=relation,
                phase=rng.choice((None, *PHASES)),
                source="https://example.org/synthetic",
                confidence=rng.choice(CONFIDENCES),
            )
    return G
