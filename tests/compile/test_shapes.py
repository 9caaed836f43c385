"""SHACL: the built graph conforms; a graph that breaks a shape fails with pySHACL's report."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib.namespace import FOAF, SDO, XSD

from kg.compile.rdf import PROVENANCE_GRAPH, Qualifiers, entity, iri, provenance_quads
from kg.compile.shapes import check_shapes
from kg.errors import ShapeError
from kg.graph import KnowledgeGraph
from kg.schema.namespace import LLMKG
from kg.settings import Settings

SHAPES = Settings().ontology_dir / "shapes.ttl"


def copy_of(kg: KnowledgeGraph) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(kg.rdf)
    return store


def test_fixture_graph_conforms(fixture_kg: KnowledgeGraph) -> None:
    check_shapes(fixture_kg.rdf, SHAPES)


def test_model_without_developer_violates_model_shape(fixture_kg: KnowledgeGraph) -> None:
    store = copy_of(fixture_kg)
    for quad in list(
        store.quads_for_pattern(entity("model", "chat-7b"), iri(LLMKG.developedBy), None)
    ):
        store.remove(quad)
    with pytest.raises(ShapeError) as caught:
        check_shapes(store, SHAPES)
    assert caught.value.violations == 1
    assert (
        "Every model has a developer: llmkg:developedBy an llmkg:Organization"
        in caught.value.report
    )
    assert "https://w3id.org/llmkg/id/model/chat-7b" in caught.value.report


def test_fact_graph_without_source_violates_fact_shape(fixture_kg: KnowledgeGraph) -> None:
    store = copy_of(fixture_kg)
    source = iri("http://www.w3.org/ns/prov#wasDerivedFrom")
    store.remove(next(iter(store.quads_for_pattern(None, source, None, PROVENANCE_GRAPH))))
    with pytest.raises(ShapeError) as caught:
        check_shapes(store, SHAPES)
    assert caught.value.violations == 1
    assert (
        "Every fact graph has exactly one source URL (prov:wasDerivedFrom)" in caught.value.report
    )


def test_named_graph_without_provenance_is_caught(fixture_kg: KnowledgeGraph) -> None:
    store = copy_of(fixture_kg)
    stray = ox.NamedNode("https://example.org/stray-graph")
    store.add(ox.Quad(entity("model", "chat-7b"), iri(LLMKG.access), ox.Literal("gated"), stray))
    with pytest.raises(ShapeError) as caught:
        check_shapes(store, SHAPES)
    assert caught.value.violations == 3  # no source, no confidence, no topic


def test_openness_judgement_without_dimension_violates_its_shape(
    fixture_kg: KnowledgeGraph,
) -> None:
    store = copy_of(fixture_kg)
    topic = entity("model", "chat-7b")
    sourced = Qualifiers("https://example.org/catalogue/record.yaml", "public-record")
    graph = sourced.graph(topic)
    assessment = ox.NamedNode("https://w3id.org/llmkg/id/assessment/test/chat-7b")
    judgement = ox.NamedNode(f"{assessment.value}/weights")
    rdf_type = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    store.extend(
        [
            ox.Quad(topic, iri(LLMKG.opennessAssessment), assessment, graph),
            ox.Quad(assessment, rdf_type, iri(LLMKG.OpennessAssessment), graph),
            ox.Quad(assessment, iri(LLMKG.judgement), judgement, graph),
            ox.Quad(judgement, rdf_type, iri(LLMKG.OpennessJudgement), graph),
            *provenance_quads(graph, topic, sourced),
        ]
    )
    with pytest.raises(ShapeError) as caught:
        check_shapes(store, SHAPES)
    assert caught.value.violations == 1
    assert (
        "Every openness judgement is about exactly one openness dimension or MOF component"
        in caught.value.report
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            [ox.Literal("June 2024")],
            "A fact graph is valid from at most one date, an xsd:gYear, xsd:gYearMonth or xsd:date",
        ),
        (
            [
                ox.Literal("2024", datatype=iri(XSD.gYear)),
                ox.Literal("2025", datatype=iri(XSD.gYear)),
            ],
            "A fact graph is valid from at most one date, an xsd:gYear, xsd:gYearMonth or xsd:date",
        ),
    ],
    ids=["untyped-date", "two-starts"],
)
def test_validity_must_be_one_typed_date(
    fixture_kg: KnowledgeGraph, values: list[ox.Literal], message: str
) -> None:
    store = copy_of(fixture_kg)
    topic = entity("model", "chat-7b")
    graph = next(iter(store.quads_for_pattern(None, iri(FOAF.primaryTopic), topic))).subject
    for value in values:
        store.add(ox.Quad(graph, iri(SDO.validFrom), value, PROVENANCE_GRAPH))
    with pytest.raises(ShapeError) as caught:
        check_shapes(store, SHAPES)
    assert caught.value.violations == 1
    assert message in caught.value.report
