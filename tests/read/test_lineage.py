"""Lineage and licence drift over the fixture graph, and over a small store of generated
derivations (every kind, one the ontology adds, a cycle), with exact answers."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.compile.rdf import ONTOLOGY_GRAPH
from kg.errors import NotFoundError, ParameterError
from kg.graph import KnowledgeGraph
from kg.read.lineage import derivation_kinds, licence_drift, lineage
from kg.read.models import Lineage

ROOT = Path(__file__).resolve().parents[2]
M = "https://w3id.org/llmkg/id/model/"


def nodes(found: Lineage) -> list[tuple[str, str, int]]:
    return [(n.direction, n.id, n.depth) for n in found.nodes]


def edges(found: Lineage) -> list[tuple[str, str, str]]:
    return [(e.source, e.relation, e.target) for e in found.edges]


def test_lineage_of_a_model_in_the_middle(fixture_kg: KnowledgeGraph) -> None:
    found = lineage(fixture_kg, "chat-7b")
    assert (found.model.id, found.model.direction, found.model.depth) == ("chat-7b", "self", 0)
    assert [
        (lic.id, lic.valid_from, lic.valid_until, lic.current) for lic in found.model.licences
    ] == [
        ("apache-2.0", "2024-02", "2024-05", False),
        ("mit", "2024-06-01", None, True),
    ]
    assert nodes(found) == [("ancestor", "base-7b", 1), ("descendant", "community-7b", 1)]
    assert edges(found) == [
        ("chat-7b", "fine-tune", "base-7b"),
        ("community-7b", "fine-tune", "chat-7b"),
    ]
    assert (found.total, found.edges_total) == (2, 2)
    assert found.counts.model_dump() == {
        "relations": {"fine-tune": 2},
        "licences": {"apache-2.0": 1, "mit": 1},
        "no_licence": 0,
    }


def test_descendants_by_depth(fixture_kg: KnowledgeGraph) -> None:
    direct = lineage(fixture_kg, "base-7b", direction="descendants", depth=1)
    assert nodes(direct) == [("descendant", "chat-7b", 1)]
    everything = lineage(fixture_kg, "base-7b", direction="descendants")
    assert nodes(everything) == [("descendant", "chat-7b", 1), ("descendant", "community-7b", 2)]
    assert everything.counts.licences == {"mit": 2}
    ancestors = lineage(fixture_kg, "community-7b", direction="ancestors")
    assert nodes(ancestors) == [("ancestor", "chat-7b", 1), ("ancestor", "base-7b", 2)]
    assert edges(ancestors) == [
        ("community-7b", "fine-tune", "chat-7b"),
        ("chat-7b", "fine-tune", "base-7b"),
    ]


def test_relation_filter_and_spellings(fixture_kg: KnowledgeGraph) -> None:
    assert lineage(fixture_kg, "base-7b", relations=["quantization"]).total == 0
    for spelling in ("fine-tune", "fine_tuned_from", "https://w3id.org/llmkg/ns#fineTunedFrom"):
        found = lineage(fixture_kg, "base-7b", relations=[spelling])
        assert (found.relations, found.total) == (["fine-tune"], 2)
    assert lineage(fixture_kg, "base-7b", relations=["merge,fine-tune"]).relations == [
        "merge",
        "fine-tune",
    ]


def test_pages(fixture_kg: KnowledgeGraph) -> None:
    second = lineage(fixture_kg, "base-7b", limit=1, offset=1)
    assert (second.total, nodes(second)) == (2, [("descendant", "community-7b", 2)])
    assert edges(second) == [("community-7b", "fine-tune", "chat-7b")]
    assert second.counts.relations == {"fine-tune": 2}  # over every page


def test_refusals(fixture_kg: KnowledgeGraph) -> None:
    with pytest.raises(
        NotFoundError, match=r"^no model with id 'chat-8b' \(did you mean 'chat-7b'"
    ):
        lineage(fixture_kg, "chat-8b")
    with pytest.raises(NotFoundError, match="no model with id 'corpus'"):
        lineage(fixture_kg, "corpus")  # a dataset
    with pytest.raises(NotFoundError):
        lineage(fixture_kg, "../x y")
    with pytest.raises(
        ParameterError,
        match=r"^unknown derivation kind 'finetune' \(did you mean 'fine-tune'\?\); kinds: adapter, continued-pretraining, distillation, fine-tune, merge, quantization, unspecified$",
    ):
        lineage(fixture_kg, "base-7b", relations=["finetune"])
    for depth in (0, 11):
        with pytest.raises(ParameterError, match=f"^depth must be 1 to 10, not {depth}$"):
            lineage(fixture_kg, "base-7b", depth=depth)
    with pytest.raises(ParameterError, match=r"^limit must be 1 to 500"):
        lineage(fixture_kg, "base-7b", limit=501)
    with pytest.raises(ParameterError, match=r"^as_of"):
        licence_drift(fixture_kg, as_of="2024-13")


def test_licence_drift(fixture_kg: KnowledgeGraph) -> None:
    def pairs(**kw: str) -> list[tuple[str, list[str], str, list[str], int]]:
        return [
            (
                d.model.id,
                sorted(lic.id for lic in d.licences if lic.current),
                d.ancestor.id,
                sorted(lic.id for lic in d.ancestor_licences if lic.current),
                d.distance,
            )
            for d in licence_drift(fixture_kg, **kw).items  # type: ignore[arg-type]
        ]

    # Chat 7B moved from Apache-2.0 to MIT on 2024-06-01; Community 7B is MIT.
    assert pairs(as_of="2025-01-01") == [
        ("chat-7b", ["mit"], "base-7b", ["apache-2.0"], 1),
        ("community-7b", ["mit"], "base-7b", ["apache-2.0"], 2),
    ]
    assert pairs(as_of="2024-03") == [
        ("community-7b", ["mit"], "chat-7b", ["apache-2.0"], 1),
        ("community-7b", ["mit"], "base-7b", ["apache-2.0"], 2),
    ]
    assert pairs(as_of="2024-03", base="chat-7b") == [
        ("community-7b", ["mit"], "chat-7b", ["apache-2.0"], 1)
    ]
    assert pairs(as_of="2025-01-01", base="chat-7b") == []
    page = licence_drift(fixture_kg, as_of="2025-01-01", limit=1, offset=1)
    assert (page.total, page.items[0].model.id, page.as_of) == (2, "community-7b", "2025-01-01")


GENERATED = """
@prefix llmkg: <https://w3id.org/llmkg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix m: <https://w3id.org/llmkg/id/model/> .
@prefix lic: <https://w3id.org/llmkg/id/license/> .
m:a a llmkg:Model ; rdfs:label "A" ; llmkg:licensedUnder lic:apache-2.0 .
m:a-ft a llmkg:Model ; rdfs:label "A FT" ; llmkg:fineTunedFrom m:a ; llmkg:derivedFrom m:a ;
  llmkg:licensedUnder lic:apache-2.0 .
m:a-q a llmkg:Model ; rdfs:label "A Q" ; llmkg:quantizedFrom m:a ; llmkg:derivedFrom m:a .
m:a-ft-q a llmkg:Model ; rdfs:label "A FT Q" ; llmkg:quantizedFrom m:a-ft ;
  llmkg:licensedUnder lic:mit .
m:a-merge a llmkg:Model ; rdfs:label "A Merge" ; llmkg:mergedFrom m:a-ft , m:a-q ;
  llmkg:licensedUnder lic:mit .
m:a-lora a llmkg:Model ; rdfs:label "A LoRA" ; llmkg:adapterOf m:a-ft .
m:a-pruned a llmkg:Model ; rdfs:label "A Pruned" ; llmkg:prunedFrom m:a-lora .
m:x a llmkg:Model ; rdfs:label "X" ; llmkg:derivedFrom m:y .
m:y a llmkg:Model ; rdfs:label "Y" ; llmkg:derivedFrom m:x .
"""
PRUNED = """@prefix llmkg: <https://w3id.org/llmkg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
llmkg:prunedFrom rdfs:subPropertyOf llmkg:adapterOf ; rdfs:label "pruned from"@en ."""
"""A kind no record names, under another kind: an importer's, say."""


@pytest.fixture(scope="module")
def generated() -> KnowledgeGraph:
    """The ontology, an importer's new kind, and triples outside any fact graph (kg load)."""
    store = ox.Store()
    store.load(path=ROOT / "ontology" / "llmkg.ttl", to_graph=ONTOLOGY_GRAPH)
    store.load(PRUNED, format=ox.RdfFormat.TURTLE, to_graph=ONTOLOGY_GRAPH)
    store.load(GENERATED, format=ox.RdfFormat.TURTLE)
    return KnowledgeGraph(store)


def test_kinds_come_from_the_ontology(generated: KnowledgeGraph) -> None:
    assert [(k.name, k.label) for k in derivation_kinds(generated)] == [
        ("adapter", "adapter of"),
        ("continued-pretraining", "continued pre-training from"),
        ("distillation", "distilled from"),
        ("fine-tune", "fine-tuned from"),
        ("merge", "merged from"),
        ("pruned_from", "pruned from"),
        ("quantization", "quantized from"),
        ("unspecified", "derived from"),
    ]


def test_every_kind_and_depth(generated: KnowledgeGraph) -> None:
    found = lineage(generated, "a", direction="descendants")
    assert nodes(found) == [
        ("descendant", "a-ft", 1),
        ("descendant", "a-q", 1),
        ("descendant", "a-ft-q", 2),
        ("descendant", "a-lora", 2),
        ("descendant", "a-merge", 2),
        ("descendant", "a-pruned", 3),
    ]
    assert sorted(edges(found)) == [
        ("a-ft", "fine-tune", "a"),  # the plain derivedFrom beside it is not counted again
        ("a-ft-q", "quantization", "a-ft"),
        ("a-lora", "adapter", "a-ft"),
        ("a-merge", "merge", "a-ft"),
        ("a-merge", "merge", "a-q"),
        ("a-pruned", "pruned_from", "a-lora"),
        ("a-q", "quantization", "a"),
    ]
    assert found.counts.model_dump() == {
        "relations": {
            "adapter": 1,
            "fine-tune": 1,
            "merge": 2,
            "pruned_from": 1,
            "quantization": 2,
        },
        "licences": {"apache-2.0": 1, "mit": 2},
        "no_licence": 3,
    }
    quantized = lineage(generated, "a", relations=["quantization"])
    assert nodes(quantized) == [("descendant", "a-q", 1)]  # a-ft-q is a quantization of a-ft
    chain = lineage(generated, "a", relations=["fine-tune", "quantization"])
    assert nodes(chain) == [
        ("descendant", "a-ft", 1),
        ("descendant", "a-q", 1),
        ("descendant", "a-ft-q", 2),
    ]
    assert nodes(lineage(generated, "a-merge", direction="ancestors")) == [
        ("ancestor", "a-ft", 1),
        ("ancestor", "a-q", 1),
        ("ancestor", "a", 2),
    ]


def test_cycles_end(generated: KnowledgeGraph) -> None:
    found = lineage(generated, "x")
    assert nodes(found) == [("ancestor", "y", 1), ("descendant", "y", 1)]
    assert edges(found) == [  # each side shows the edge back to x, and stops there
        ("x", "unspecified", "y"),
        ("y", "unspecified", "x"),
        ("y", "unspecified", "x"),
        ("x", "unspecified", "y"),
    ]
    assert lineage(generated, "x", relations=["fine-tune"]).total == 0


def test_drift_without_fact_graphs(generated: KnowledgeGraph) -> None:
    drift = licence_drift(generated)
    assert [(d.model.id, d.ancestor.id, d.distance) for d in drift.items] == [
        ("a-ft-q", "a-ft", 1),
        ("a-ft-q", "a", 2),
        ("a-merge", "a-ft", 1),
        ("a-merge", "a", 2),
    ]
    within = licence_drift(generated, base="a-ft")
    assert [(d.model.id, d.ancestor.id) for d in within.items] == [
        ("a-ft-q", "a-ft"),
        ("a-merge", "a-ft"),
    ]
