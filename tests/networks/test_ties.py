"""The projection and the collaboration networks, checked by hand on the fixture dataset.

The fixture (tests/fixtures/data): Acme develops project Alpha and models Base 7B and
Chat 7B; Open Lab partners in Alpha (paper), develops the dataset Corpus, the benchmark
Bench and Community 7B (fine-tuned from Chat 7B, post-release reuse, curator inference);
HPC Center provides the compute partnership jz-alpha that Alpha and Base 7B use
(pre-training). Base 7B is trained on Corpus (pre-training); Chat 7B is fine-tuned from
Base 7B and evaluated on Bench (post-training).
"""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.compile.rdf import build_graph
from kg.errors import ParameterError
from kg.networks.projection import to_networkx
from kg.networks.ties import (
    SharedItem,
    actor_artifact_network,
    actor_network,
    actor_ties,
    one_mode,
    project_network,
    select_ties,
)
from kg.schema.records import KINDS, ModelRecord, OrganizationRecord
from kg.settings import Settings

ACME, OPENLAB, HPC = "organization/acme", "organization/openlab", "organization/hpc-center"


def item(node: str, label: str) -> SharedItem:
    return SharedItem(node, node.split("/")[0], label)


def edges(H: nx.Graph) -> dict[tuple[str, str], tuple[int, list[str]]]:
    """Each link as (weight, shared item nodes)."""
    return {
        (u, v) if u < v else (v, u): (d["weight"], [i.node for i in d["items"]])
        for u, v, d in H.edges(data=True)
    }


def test_projection_has_every_record_and_only_entity_links(fixture_nx: nx.MultiDiGraph) -> None:
    G = fixture_nx
    assert len(G) == 12
    assert {k for _, k in G.nodes(data="kind")} <= set(KINDS)
    assert sorted(G.edges(keys=True)) == sorted(
        [
            ("compute-partnership/jz-alpha", HPC, "provided_by"),
            ("dataset/corpus", "license/apache-2.0", "licensed_under"),
            ("dataset/corpus", OPENLAB, "developed_by"),
            ("model/base-7b", "compute-partnership/jz-alpha", "compute_from"),
            ("model/base-7b", "dataset/corpus", "trained_on"),
            ("model/base-7b", "license/apache-2.0", "licensed_under"),
            ("model/base-7b", ACME, "developed_by"),
            ("model/base-7b", "project/alpha", "part_of_project"),
            ("model/chat-7b", "benchmark/bench", "evaluated_on"),
            ("model/chat-7b", "license/apache-2.0", "licensed_under"),
            ("model/chat-7b", "license/mit", "licensed_under"),  # dated: every period shows
            ("model/chat-7b", "model/base-7b", "fine_tuned_from"),
            ("model/chat-7b", ACME, "developed_by"),
            ("model/chat-7b", "project/alpha", "part_of_project"),
            ("model/community-7b", "license/mit", "licensed_under"),
            ("model/community-7b", "model/chat-7b", "fine_tuned_from"),
            ("model/community-7b", OPENLAB, "developed_by"),
            ("benchmark/bench", OPENLAB, "developed_by"),
            (OPENLAB, "project/alpha", "partner_of"),
            ("project/alpha", "compute-partnership/jz-alpha", "compute_from"),
            ("project/alpha", ACME, "developed_by"),
        ]
    )


def test_projection_node_and_edge_attributes(fixture_nx: nx.MultiDiGraph) -> None:
    G = fixture_nx
    assert G.nodes[ACME] == {
        "kind": "organization",
        "label": "Acme AI",
        "region": "us",
        "organization_type": "startup-or-company",
        "governance_model": None,
    }
    assert G.nodes["project/alpha"]["governance_model"] == "single-company"
    assert G.nodes["project/alpha"]["region"] == "europe"
    assert G.edges["model/community-7b", "model/chat-7b", "fine_tuned_from"] == {
        "relation": "fine_tuned_from",
        "phase": "post-release-reuse",
        "source": "https://example.org/community-7b",
        "confidence": "curator-inference",
    }
    assert G.edges[OPENLAB, "project/alpha", "partner_of"]["confidence"] == "paper"


def test_a_fact_from_two_sources_keeps_the_strongest_confidence() -> None:
    acme = OrganizationRecord(
        id="acme",
        name="Acme",
        source="https://example.org/a",
        confidence="public-record",
        organization_type="startup-or-company",
    )
    model = ModelRecord(
        id="m",
        name="M",
        source="https://example.org/m",
        confidence="curator-inference",
        developers=[{"id": "acme"}, {"id": "acme", "confidence": "paper"}],
    )
    G = to_networkx(build_graph([acme, model], Settings().ontology_dir))
    assert G.number_of_edges() == 1
    assert G.edges["model/m", ACME, "developed_by"]["confidence"] == "paper"


@settings(max_examples=15, deadline=None)
@given(
    slug=st.from_regex(r"\A[a-z0-9][a-z0-9.-]{0,20}\Z"),
    name=st.text(min_size=1, max_size=30).filter(str.strip),
)
def test_every_slug_becomes_one_labelled_node_and_no_literal_does(slug: str, name: str) -> None:
    record = OrganizationRecord(
        id=slug,
        name=name,
        source="https://example.org/x",
        confidence="paper",
        organization_type="university",
        country="de",
    )
    G = to_networkx(build_graph([record], Settings().ontology_dir))
    assert dict(G.nodes(data="label")) == {f"organization/{slug}": name}
    assert G.number_of_edges() == 0


def test_actor_network_links_actors_by_shared_items(fixture_nx: nx.MultiDiGraph) -> None:
    H = actor_network(fixture_nx)
    assert sorted(H) == [ACME, HPC, OPENLAB]
    assert edges(H) == {
        (ACME, OPENLAB): (
            4,
            ["benchmark/bench", "dataset/corpus", "model/chat-7b", "project/alpha"],
        ),
        (ACME, HPC): (1, ["compute-partnership/jz-alpha"]),
    }
    assert H.edges[ACME, HPC]["items"] == (
        item("compute-partnership/jz-alpha", "HPC allocation for Alpha"),
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {"phase": "pre-training"},
            {
                (ACME, OPENLAB): (1, ["dataset/corpus"]),
                (ACME, HPC): (1, ["compute-partnership/jz-alpha"]),
            },
        ),
        ({"phase": "post-training"}, {(ACME, OPENLAB): (1, ["benchmark/bench"])}),
        ({"phase": "post-release-reuse"}, {(ACME, OPENLAB): (1, ["model/chat-7b"])}),
        (
            {"min_confidence": "public-record"},
            {
                (ACME, OPENLAB): (3, ["benchmark/bench", "dataset/corpus", "project/alpha"]),
                (ACME, HPC): (1, ["compute-partnership/jz-alpha"]),
            },
        ),
        ({"min_confidence": "paper"}, {}),
        ({"artifact_kind": "dataset"}, {(ACME, OPENLAB): (1, ["dataset/corpus"])}),
        ({"artifact_kind": "project"}, {(ACME, OPENLAB): (1, ["project/alpha"])}),
    ],
    ids=["pre-training", "post-training", "reuse", "public-record", "paper", "dataset", "project"],
)
def test_actor_network_filters(
    fixture_nx: nx.MultiDiGraph,
    filters: dict[str, str],
    expected: dict[tuple[str, str], tuple[int, list[str]]],
) -> None:
    assert edges(actor_network(fixture_nx, **filters)) == expected


def test_only_paper_ties_leave_open_lab_alone(fixture_nx: nx.MultiDiGraph) -> None:
    H = actor_network(fixture_nx, min_confidence="paper")
    assert list(H) == [OPENLAB]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (
            {"phase": "pretraining"},
            "unknown phase 'pretraining' (did you mean 'pre-training'?); one of:"
            " pre-training, post-training, post-release-reuse",
        ),
        (
            {"min_confidence": "papers"},
            "unknown min_confidence 'papers' (did you mean 'paper'?); one of:"
            " curator-inference, public-record, paper",
        ),
        (
            {"artifact_kind": "datasets"},
            "unknown artifact_kind 'datasets' (did you mean 'dataset'?)",
        ),
    ],
    ids=["phase", "confidence", "kind"],
)
def test_bad_filters_are_refused(
    fixture_nx: nx.MultiDiGraph, filters: dict[str, str], message: str
) -> None:
    with pytest.raises(ParameterError) as error:
        actor_network(fixture_nx, **filters)
    assert str(error.value).startswith(message)


def test_actor_artifact_network_is_bipartite_with_ties(fixture_nx: nx.MultiDiGraph) -> None:
    H = actor_artifact_network(fixture_nx)
    assert len(H) == 10
    assert H.number_of_edges() == 12
    assert nx.is_bipartite(H)
    assert {n for n, side in H.nodes(data="bipartite") if side == 0} == {ACME, OPENLAB, HPC}
    assert H.edges[ACME, "model/base-7b"] == {
        "weight": 2,
        "relations": ("developed_by", "fine_tuned_from via model/chat-7b"),
    }
    assert H.edges[ACME, "compute-partnership/jz-alpha"]["relations"] == (
        "compute_from via model/base-7b",
        "compute_from via project/alpha",
    )


def test_project_network_links_projects_by_shared_artifacts_and_actors() -> None:
    G = nx.MultiDiGraph()
    for n in ("project/p", "project/q", "model/m1", "model/m2", "dataset/d", "organization/a"):
        G.add_node(n, kind=n.split("/")[0], label=n.split("/")[1].upper())
    link = {"phase": None, "source": "https://example.org", "confidence": "paper"}
    for u, v, relation in [
        ("model/m1", "project/p", "part_of_project"),
        ("model/m2", "project/q", "part_of_project"),
        ("model/m1", "dataset/d", "trained_on"),
        ("model/m2", "dataset/d", "trained_on"),
        ("project/p", "organization/a", "developed_by"),
        ("project/q", "organization/a", "developed_by"),
    ]:
        G.add_edge(u, v, key=relation, relation=relation, **link)
    H = project_network(G)
    assert edges(H) == {("project/p", "project/q"): (2, ["dataset/d", "organization/a"])}
    assert edges(project_network(G, artifact_kind="organization")) == {
        ("project/p", "project/q"): (1, ["organization/a"])
    }


def test_links_without_items_have_the_same_weights(fixture_nx: nx.MultiDiGraph) -> None:
    G = fixture_nx
    light = one_mode(G, select_ties(G, actor_ties(G)), "actor", items=False)
    assert sorted(light.edges(data=True)) == [
        (ACME, HPC, {"weight": 1}),
        (ACME, OPENLAB, {"weight": 4}),
    ]
