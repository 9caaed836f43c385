"""JSON-LD answers for REST routes, when the client asks for application/ld+json."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from fastapi import Request, Response

from kg.compile.dumps import to_jsonld
from kg.errors import NotAcceptableError
from kg.graph import KnowledgeGraph
from kg.read.models import Entity
from kg.sparql.protocol import negotiate

JSONLD = "application/ld+json"
CONTEXT = {
    "@vocab": "https://w3id.org/llmkg/api#",
    "iri": "@id",
    "label": "http://www.w3.org/2000/01/rdf-schema#label",
    "source": {"@id": "http://www.w3.org/ns/prov#wasDerivedFrom", "@type": "@id"},
    "property": {"@type": "@id"},
    "graph": {"@type": "@id"},
    "valid_from": "https://schema.org/validFrom",
    "valid_until": "https://schema.org/validThrough",
    "items": {"@container": "@list"},
}
"""Context that turns the JSON of the REST routes into JSON-LD: ``iri`` is the node's @id."""


def wants_jsonld(request: Request) -> bool:
    """True when Accept prefers application/ld+json to application/json."""
    try:
        return negotiate(request.headers.get("accept"), ["application/json", JSONLD]) == JSONLD
    except NotAcceptableError:
        return False


def entity_triples(found: Entity) -> list[ox.Triple]:
    """The triples of the facts of ``found`` (each once): an entity as of a date."""
    subject = ox.NamedNode(found.iri)
    objects = {
        (f.property, f.object.iri, f.object.value, f.object.datatype, f.object.language)
        for f in found.facts
    }
    return sorted(
        (
            ox.Triple(
                subject,
                ox.NamedNode(p),
                ox.NamedNode(iri)
                if iri is not None
                else ox.Literal(
                    value or "",
                    datatype=ox.NamedNode(datatype) if datatype and not language else None,
                    language=language,
                ),
            )
            for p, iri, value, datatype, language in objects
        ),
        key=str,
    )


def jsonld_response(
    data: Any,
    *,
    kg: KnowledgeGraph | None = None,
    iri: str | None = None,
    triples: list[ox.Triple] | None = None,
) -> Response:
    """``data`` with a JSON-LD context; given ``iri``, that entity's own triples as JSON-LD;
    given ``triples``, those."""
    if triples is not None:
        body = to_jsonld(triples)
    elif kg is not None and iri is not None:
        found = kg.query(f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}")
        assert isinstance(found, ox.QueryTriples)  # noqa: S101 -- a CONSTRUCT query
        body = to_jsonld(sorted(found, key=str))
    else:
        wrapped = (
            {"@context": CONTEXT, "@graph": data}
            if isinstance(data, list)
            else {"@context": CONTEXT, **data}
        )
        body = json.dumps(wrapped, ensure_ascii=False)
    return Response(body, media_type=f"{JSONLD}; charset=utf-8", headers={"Vary": "Accept"})
