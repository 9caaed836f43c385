"""JSON-LD answers for REST routes, when the client asks for application/ld+json."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
from fastapi import Request, Response

from kg.compile.dumps import to_jsonld
from kg.errors import NotAcceptableError
from kg.graph import KnowledgeGraph
from kg.sparql.protocol import negotiate

JSONLD = "application/ld+json"
CONTEXT = {
    "@vocab": "https://w3id.org/llmkg/api#",
    "iri": "@id",
    "label": "http://www.w3.org/2000/01/rdf-schema#label",
    "source": {"@id": "http://www.w3.org/ns/prov#wasDerivedFrom", "@type": "@id"},
    "property": {"@type": "@id"},
    "graph": {"@type": "@id"},
    "items": {"@container": "@list"},
}
"""Context that turns the JSON of the REST routes into JSON-LD: ``iri`` is the node's @id."""


def wants_jsonld(request: Request) -> bool:
    """True when Accept prefers application/ld+json to application/json."""
    try:
        return negotiate(request.headers.get("accept"), ["application/json", JSONLD]) == JSONLD
    except NotAcceptableError:
        return False


def jsonld_response(
    data: Any, *, kg: KnowledgeGraph | None = None, iri: str | None = None
) -> Response:
    """``data`` with a JSON-LD context, or, given ``iri``, that entity's own triples as JSON-LD."""
    if kg is not None and iri is not None:
        triples = kg.query(f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}")
        assert isinstance(triples, ox.QueryTriples)  # noqa: S101 -- a CONSTRUCT query
        body = to_jsonld(sorted(triples, key=str))
    else:
        wrapped = (
            {"@context": CONTEXT, "@graph": data}
            if isinstance(data, list)
            else {"@context": CONTEXT, **data}
        )
        body = json.dumps(wrapped, ensure_ascii=False)
    return Response(body, media_type=f"{JSONLD}; charset=utf-8", headers={"Vary": "Accept"})
