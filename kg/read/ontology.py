"""The ontology as documentation: its classes and properties with labels and comments, and
its concept schemes with their concepts, read from the ontology graph of the store."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from pydantic import BaseModel

from kg.compile.rdf import ONTOLOGY_GRAPH
from kg.graph import KnowledgeGraph
from kg.read.resources import construct
from kg.read.rows import select_rows, term_text
from kg.schema.vocabulary import PREFIXES

NS = PREFIXES["llmkg"]
SEPARATOR = "\x1f"


class Term(BaseModel):
    """A class or property of the ontology."""

    iri: str
    name: str  # the local name, also the anchor of the term on the ontology page
    type: str  # Class, ObjectProperty, DatatypeProperty, AnnotationProperty
    label: str | None = None
    comment: str | None = None
    parents: list[str]  # superclasses or superproperties (IRIs)
    domain: list[str]
    range: list[str]


class Concept(BaseModel):
    """A concept of a scheme."""

    iri: str
    code: str | None = None
    label: str
    definition: str | None = None
    broader: list[str]


class Scheme(BaseModel):
    """A SKOS concept scheme and its concepts, by code."""

    iri: str
    label: str
    definition: str | None = None
    concepts: list[Concept]


class Ontology(BaseModel):
    """What the ontology page shows."""

    iri: str
    title: str
    description: str | None = None
    version: str | None = None
    classes: list[Term]
    properties: list[Term]
    schemes: list[Scheme]


def _split(term: object) -> list[str]:
    text = term_text(term)
    return sorted(text.split(SEPARATOR)) if text else []


def ontology_terms(kg: KnowledgeGraph) -> Ontology:
    """The classes, properties and concept schemes of the ontology graph of ``kg``."""
    graph = f"<{ONTOLOGY_GRAPH.value}>"
    head = select_rows(
        kg,
        f"""SELECT ?title ?description ?version WHERE {{ GRAPH {graph} {{ <{ONTOLOGY_GRAPH.value}>
          dcterms:title ?title . OPTIONAL {{ <{ONTOLOGY_GRAPH.value}> dcterms:description ?description }}
          OPTIONAL {{ <{ONTOLOGY_GRAPH.value}> owl:versionInfo ?version }} }} }} LIMIT 1""",
    )
    rows = select_rows(
        kg,
        f"""SELECT ?t ?type (SAMPLE(?l) AS ?label) (SAMPLE(?c) AS ?comment)
          (GROUP_CONCAT(DISTINCT STR(?up); separator="{SEPARATOR}") AS ?parents)
          (GROUP_CONCAT(DISTINCT STR(?d); separator="{SEPARATOR}") AS ?domain)
          (GROUP_CONCAT(DISTINCT STR(?r); separator="{SEPARATOR}") AS ?range)
        WHERE {{ GRAPH {graph} {{
          VALUES ?type {{ owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }}
          ?t a ?type FILTER(STRSTARTS(STR(?t), "{NS}"))
          OPTIONAL {{ ?t rdfs:label ?l }} OPTIONAL {{ ?t rdfs:comment ?c }}
          OPTIONAL {{ ?t rdfs:subClassOf|rdfs:subPropertyOf ?up }}
          OPTIONAL {{ ?t rdfs:domain|schema:domainIncludes ?d }}
          OPTIONAL {{ ?t rdfs:range|schema:rangeIncludes ?r }} }} }}
        GROUP BY ?t ?type ORDER BY LCASE(STR(?t))""",
    )
    terms = [
        Term(
            iri=str(term_text(r["t"])),
            name=str(term_text(r["t"])).removeprefix(NS),
            type=str(term_text(r["type"])).rsplit("#", 1)[-1],
            label=term_text(r["label"]),
            comment=term_text(r["comment"]),
            parents=_split(r["parents"]),
            domain=_split(r["domain"]),
            range=_split(r["range"]),
        )
        for r in rows
    ]
    return Ontology(
        iri=NS,
        title=str(term_text(head[0]["title"])) if head else "Ontology",
        description=term_text(head[0]["description"]) if head else None,
        version=term_text(head[0]["version"]) if head else None,
        classes=[t for t in terms if t.type == "Class"],
        properties=[t for t in terms if t.type != "Class"],
        schemes=_schemes(kg, graph),
    )


def _schemes(kg: KnowledgeGraph, graph: str) -> list[Scheme]:
    concepts = select_rows(
        kg,
        f"""SELECT ?s ?c (SAMPLE(?code) AS ?notation) (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?definition)
          (GROUP_CONCAT(DISTINCT STR(?b); separator="{SEPARATOR}") AS ?broader)
        WHERE {{ GRAPH {graph} {{ ?c skos:inScheme ?s ; skos:prefLabel ?l .
          OPTIONAL {{ ?c skos:notation ?code }} OPTIONAL {{ ?c skos:definition|skos:scopeNote ?d }}
          OPTIONAL {{ ?c skos:broader ?b }} }} }}
        GROUP BY ?s ?c ORDER BY ?s LCASE(STR(?notation)) ?c""",
    )
    members = defaultdict(list)
    for r in concepts:
        members[str(term_text(r["s"]))].append(
            Concept(
                iri=str(term_text(r["c"])),
                code=term_text(r["notation"]),
                label=str(term_text(r["label"])),
                definition=term_text(r["definition"]),
                broader=_split(r["broader"]),
            )
        )
    schemes = select_rows(
        kg,
        f"""SELECT ?s (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?definition) WHERE {{ GRAPH {graph} {{
          ?s a skos:ConceptScheme ; skos:prefLabel ?l . OPTIONAL {{ ?s skos:definition ?d }} }} }}
        GROUP BY ?s ORDER BY ?s""",
    )
    return [
        Scheme(
            iri=str(term_text(r["s"])),
            label=str(term_text(r["label"])),
            definition=term_text(r["definition"]),
            concepts=members[str(term_text(r["s"]))],
        )
        for r in schemes
    ]


def ontology_triples(kg: KnowledgeGraph) -> list[ox.Triple]:
    """The triples of the ontology itself (the ``llmkg:`` terms, the reused terms it declares
    with ``rdfs:isDefinedBy`` and the ontology's header), in a stable order: what
    ``https://w3id.org/llmkg/ns`` dereferences to."""
    return construct(
        kg,
        f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH.value}> {{ ?s ?p ?o
          FILTER(STRSTARTS(STR(?s), "{ONTOLOGY_GRAPH.value}") || EXISTS {{ ?s rdfs:isDefinedBy ?by }})
        }} }}""",
    )
