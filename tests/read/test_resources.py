"""Any IRI as a resource, and the ontology as documentation, over the fixture graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, Graph

from kg.errors import NotFoundError
from kg.graph import KnowledgeGraph
from kg.read.ontology import ontology_terms, ontology_triples
from kg.read.resources import describe, resource, serialize
from kg.schema.vocabulary import ID
from kg.settings import Settings


def test_resource_of_a_place(fixture_kg: KnowledgeGraph) -> None:
    europe = resource(fixture_kg, f"{ID}place/europe")
    assert europe.label == "Europe"
    assert europe.types == [
        "http://www.w3.org/2004/02/skos/core#Concept",
        "https://w3id.org/llmkg/ns#Place",
    ]
    assert [(s.relation, s.object.label or s.object.value) for s in europe.statements] == [
        ("broader", "World"),
        ("in_scheme", "Places"),
        ("notation", "europe"),
        ("pref_label", "Europe"),
    ]
    assert europe.backlinks_total == 26
    assert ("targets_region", "alpha") in {(b.relation, b.subject.id) for b in europe.backlinks}


def test_describe_leaves_out_fact_graph_topics(fixture_kg: KnowledgeGraph) -> None:
    found = describe(fixture_kg, f"{ID}model/base-7b")
    assert "http://xmlns.com/foaf/0.1/primaryTopic" not in {t.predicate.value for t in found}
    assert found == sorted(
        set(found), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
    )


def test_nothing_about_an_iri(fixture_kg: KnowledgeGraph) -> None:
    with pytest.raises(NotFoundError, match="nothing in the graph is about"):
        describe(fixture_kg, f"{ID}place/atlantis")
    with pytest.raises(NotFoundError, match="nothing in the graph is about"):
        resource(fixture_kg, f"{ID}place/atlantis")


@pytest.mark.parametrize(
    "media", ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
)
def test_serializations_round_trip(fixture_kg: KnowledgeGraph, media: str) -> None:
    found = describe(fixture_kg, f"{ID}project/alpha")
    formats = {
        "text/turtle": ox.RdfFormat.TURTLE,
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
        "application/ld+json": ox.RdfFormat.JSON_LD,
        "application/rdf+xml": ox.RdfFormat.RDF_XML,
    }
    parsed = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(serialize(found, media), format=formats[media])
    }
    assert parsed == set(found)


def test_ontology_documents_every_class_and_property(fixture_kg: KnowledgeGraph) -> None:
    source = Graph().parse(Settings().ontology_dir / "llmkg.ttl")
    ontology = ontology_terms(fixture_kg)
    classes = {str(c) for c in source.subjects(RDF.type, OWL.Class)}
    properties = {
        str(p)
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for p in source.subjects(RDF.type, kind)
        if str(p).startswith("https://w3id.org/llmkg/ns#")  # not the reused schema.org terms
    }
    assert {t.iri for t in ontology.classes} == classes
    assert {t.iri for t in ontology.properties} == properties
    assert all(t.label and t.comment for t in ontology.classes + ontology.properties)
    (trained_on,) = [t for t in ontology.properties if t.name == "trainedOn"]
    assert (trained_on.domain, trained_on.range) == (
        ["https://w3id.org/llmkg/ns#Model"],
        ["https://w3id.org/llmkg/ns#Dataset"],
    )
    schemes = {s.iri.removeprefix(ID): len(s.concepts) for s in ontology.schemes}
    assert schemes["governance-model"] == 5
    assert schemes["lifecycle-phase"] == 3


def test_ontology_triples_are_the_ontology_file(fixture_kg: KnowledgeGraph) -> None:
    source = Graph().parse(Settings().ontology_dir / "llmkg.ttl")
    assert len(ontology_triples(fixture_kg)) == len(source)
