"""Project profiles and ego networks over the fixture graph."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.errors import NotFoundError
from kg.graph import KnowledgeGraph
from kg.networks.ego import ego_network
from kg.read import lookup, projects


def test_project_artifacts_by_phase_and_path(fixture_kg: KnowledgeGraph) -> None:
    found = [
        (a.phase, a.artifact.id, a.relation, a.via.id if a.via else None, a.confidence)
        for a in projects.project_artifacts(fixture_kg, "alpha")
    ]
    assert found == [
        ("post-training", "bench", "evaluated on", "chat-7b", "public-record"),
        ("pre-training", "jz-alpha", "compute from", None, "public-record"),
        ("pre-training", "jz-alpha", "compute from", "base-7b", "public-record"),
        ("pre-training", "corpus", "trained on", "base-7b", "public-record"),
        ("post-training", "base-7b", "fine-tuned from", "chat-7b", "public-record"),
        (None, "base-7b", "part of project", None, "public-record"),
        (None, "chat-7b", "part of project", None, "public-record"),
    ]


def test_unknown_project(fixture_kg: KnowledgeGraph) -> None:
    with pytest.raises(
        NotFoundError, match="no project with id 'alfa' \\(did you mean 'alpha'\\?\\)"
    ):
        projects.project_artifacts(fixture_kg, "alfa")


def test_motivations_by_category(fixture_kg: KnowledgeGraph) -> None:
    facts = lookup.entity(fixture_kg, "project", "alpha").facts
    groups = projects.by_category(facts, projects.motivation_categories(fixture_kg))
    assert {k: [f.object.label for f in v] for k, v in groups.items()} == {
        "Technological motivations": ["Promoting open science"]
    }


def test_governance_models_with_their_projects(fixture_kg: KnowledgeGraph) -> None:
    models = projects.governance_models(fixture_kg)
    assert [(m.code, [p.id for p in m.projects]) for m in models] == [
        ("company-sponsored-grassroots", []),
        ("multi-organizational-research-institute", []),
        ("non-profit-sponsored-grassroots", []),
        ("single-company", ["alpha"]),
        ("single-research-institute", []),
    ]


def test_ego_network_of_an_organization(fixture_nx: nx.MultiDiGraph) -> None:
    ego = ego_network(fixture_nx, "organization/acme")
    assert [(n.node, n.x, n.y) for n in ego.nodes] == [
        ("organization/acme", 520.0, 150.0),
        ("model/base-7b", 696.8, 114.5),
        ("model/chat-7b", 696.8, 185.5),
        ("project/alpha", 322.4, 150.0),
    ]
    assert [(e.source, e.target, e.relations) for e in ego.edges] == [
        ("organization/acme", "model/base-7b", ("^developed_by",)),
        ("organization/acme", "model/chat-7b", ("^developed_by",)),
        ("organization/acme", "project/alpha", ("^developed_by",)),
        ("model/base-7b", "model/chat-7b", ("^fine_tuned_from",)),
        ("model/base-7b", "project/alpha", ("part_of_project",)),
        ("model/chat-7b", "project/alpha", ("part_of_project",)),
    ]


def test_ego_network_shows_the_best_linked_neighbours_and_counts_the_rest() -> None:
    star = nx.MultiDiGraph()
    for i in range(30):
        star.add_edge(f"model/m{i:02}", "organization/hub", key="developed_by")
    star.add_edge("model/m29", "dataset/d", key="trained_on")  # m29 has the most links
    ego = ego_network(star, "organization/hub", limit=5)
    assert [n.node for n in ego.nodes] == [
        "organization/hub",
        "model/m00",
        "model/m01",
        "model/m02",
        "model/m03",
        "model/m29",
    ]
    assert ego.hidden == 25
    # every node within the picture, and the same picture every time
    assert all(0 <= n.x <= ego.size and 0 <= n.y <= ego.size for n in ego.nodes)
    assert ego_network(star, "organization/hub", limit=5) == ego
