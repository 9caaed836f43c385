"""Any IRI of the graph as a Linked Data resource: its triples for machines, its statements
and backlinks for a page.

Entities (``.../id/<kind>/<id>``) have :func:`kg.read.lookup.entity` for their facts with
provenance; this module serves every other IRI the same way (concepts, concept schemes,
places, languages, imported catalogues and assessments) and gives the RDF description of
any of them, entities included.
"""

from __future__ import annotations

import pyoxigraph as ox
from pydantic import BaseModel, Field

from kg.compile.dumps import to_jsonld
from kg.errors import NotFoundError
from kg.graph import KnowledgeGraph
from kg.read.lookup import fetch_labels, relation_name, select_rows, sparql_iri, term_text, value_of
from kg.read.models import Value
from kg.schema.vocabulary import PREFIXES

RDF_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
"""The RDF serializations a resource is offered in, by media type."""

PRIMARY_TOPIC = "http://xmlns.com/foaf/0.1/primaryTopic"
"""Left out of backlinks: every fact graph about an entity points at it with this."""
BACKLINKS = 500
"""Most backlinks a page lists (the total is counted)."""


class Statement(BaseModel):
    """One triple with the resource as subject."""

    property: str
    relation: str = Field(description="snake_case name of the property")
    property_label: str | None = None
    object: Value


class Backlink(BaseModel):
    """One triple with the resource as object."""

    property: str
    relation: str
    property_label: str | None = None
    subject: Value


class Resource(BaseModel):
    """What the graph says of one IRI, and what points at it."""

    iri: str
    label: str
    types: list[str]
    statements: list[Statement]
    backlinks: list[Backlink]
    backlinks_total: int


def describe(kg: KnowledgeGraph, iri: str) -> list[ox.Triple]:
    """The triples about ``iri``, in a stable order: those it is the subject of, those it
    is the object of (fact graphs' ``foaf:primaryTopic`` aside), and the labels of the
    resources on their other side.

    Raises
    ------
    NotFoundError
        If no triple mentions ``iri``.
    """
    node = sparql_iri(iri)
    triples = construct(
        kg,
        f"""CONSTRUCT {{ {node} ?p ?o . ?s ?q {node} . ?x rdfs:label ?l }} WHERE {{
          {{ {node} ?p ?o }} UNION {{ ?s ?q {node} FILTER(?q != <{PRIMARY_TOPIC}>) }}
          UNION {{ {{ {node} ?p1 ?x }} UNION {{ ?x ?q1 {node} FILTER(?q1 != <{PRIMARY_TOPIC}>) }}
                   ?x rdfs:label ?l }} }}""",
    )
    if not triples:
        raise NotFoundError(f"nothing in the graph is about {iri}")
    return triples


def construct(kg: KnowledgeGraph, sparql: str) -> list[ox.Triple]:
    """The triples of a CONSTRUCT query (with the dumps' prefixes), deduplicated and sorted.

    The result is read to the end here: pyoxigraph's iterator must not outlive the thread
    that made it.
    """
    result = kg.query(sparql, prefixes=True)
    if not isinstance(result, ox.QueryTriples):
        raise TypeError("a CONSTRUCT query was expected")
    return sorted(set(result), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def serialize(triples: list[ox.Triple], media_type: str) -> bytes:
    """``triples`` in the RDF serialization ``media_type`` (a key of :data:`RDF_TYPES`);
    JSON-LD is compacted with the prefixes of the dumps.

    Examples
    --------
    >>> t = ox.Triple(ox.NamedNode("https://w3id.org/llmkg/id/model/bloom"),
    ...               ox.NamedNode("https://w3id.org/llmkg/ns#trainedOn"),
    ...               ox.NamedNode("https://w3id.org/llmkg/id/dataset/roots"))
    >>> serialize([t], "application/n-triples").decode()
    '<https://w3id.org/llmkg/id/model/bloom> <https://w3id.org/llmkg/ns#trainedOn> <https://w3id.org/llmkg/id/dataset/roots> .\\n'
    >>> serialize([t], "text/turtle").decode().splitlines()[-1]
    'model:bloom llmkg:trainedOn dataset:roots .'
    """
    if media_type == "application/ld+json":
        return to_jsonld(triples).encode()
    return ox.serialize(triples, format=RDF_TYPES[media_type], prefixes=PREFIXES) or b""


def resource(kg: KnowledgeGraph, iri: str) -> Resource:
    """The statements about ``iri`` and (up to :data:`BACKLINKS`) the ones pointing at it.

    Raises
    ------
    NotFoundError
        If no triple mentions ``iri``.
    """
    node = sparql_iri(iri)
    out = select_rows(kg, f"SELECT DISTINCT ?p ?o WHERE {{ {node} ?p ?o }}")
    into = select_rows(
        kg,
        f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node} FILTER(?p != <{PRIMARY_TOPIC}>) }}"
        f" ORDER BY ?p ?s LIMIT {BACKLINKS + 1}",
    )
    if not out and not into:
        raise NotFoundError(f"nothing in the graph is about {iri}")
    total = len(into)
    if total > BACKLINKS:
        counted = select_rows(
            kg,
            f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node}"
            f" FILTER(?p != <{PRIMARY_TOPIC}>) }} }}",
        )
        total = int(str(term_text(counted[0]["n"])))
        into = into[:BACKLINKS]
    named = {iri} | {str(term_text(r["p"])) for r in out + into}
    named |= {str(term_text(r["o"])) for r in out if isinstance(r["o"], ox.NamedNode)}
    named |= {str(term_text(r["s"])) for r in into if isinstance(r["s"], ox.NamedNode)}
    labels = fetch_labels(kg, named)
    rdf_type, rdfs_label = f"{PREFIXES['rdf']}type", f"{PREFIXES['rdfs']}label"
    statements = sorted(
        (
            Statement(
                property=str(term_text(r["p"])),
                relation=relation_name(str(term_text(r["p"]))),
                property_label=labels.get(str(term_text(r["p"]))),
                object=value_of(r["o"], labels.get(str(term_text(r["o"])))),
            )
            for r in out
        ),
        key=lambda s: (s.property_label or s.relation, s.object.label or s.object.value or ""),
    )
    backlinks = [
        Backlink(
            property=str(term_text(r["p"])),
            relation=relation_name(str(term_text(r["p"]))),
            property_label=labels.get(str(term_text(r["p"]))),
            subject=value_of(r["s"], labels.get(str(term_text(r["s"])))),
        )
        for r in into
    ]
    backlinks.sort(key=lambda b: (b.property_label or b.relation, (b.subject.label or "").lower()))
    return Resource(
        iri=iri,
        label=labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1],
        types=sorted(str(s.object.iri) for s in statements if s.property == rdf_type),
        statements=[s for s in statements if s.property not in (rdf_type, rdfs_label)],
        backlinks=backlinks,
        backlinks_total=total,
    )
