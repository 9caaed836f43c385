"""/entities: search, one entity with every fact and its provenance, and its typed links."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import KG, Warmed
from api.jsonld import entity_triples, jsonld_response, wants_jsonld
from kg.read import lookup
from kg.read.lookup import Direction
from kg.read.models import Entity, LinkFact, Page

router = APIRouter(tags=["entities"])

Kind = Annotated[str, Query(description="Record kind", examples=["model"])]
AsOf = Annotated[
    str | None,
    Query(
        description="A date, YYYY, YYYY-MM or YYYY-MM-DD: leave out the facts that did not hold"
        " then (dated facts valid from a later or through an earlier date; undated facts"
        " always hold). A year or month keeps what held at any time in it.",
        examples=["2024-06-01"],
    ),
]


@router.get("/entities", summary="Search entities", response_model=Page)
def search(
    request: Request,
    kg: KG,
    warm: Warmed,
    type: Annotated[
        str | None,
        Query(description="Kind: model, dataset, organization, project...", examples=["model"]),
    ] = None,
    q: Annotated[
        str | None, Query(description="Text in the label, an alias or the id", examples=["llama"])
    ] = None,
    region: Annotated[
        str | None,
        Query(description="Place code: a country (pl) or region (europe)", examples=["europe"]),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page | Response:
    """Entities whose label, alias or id contains `q` (exact matches first), by kind and region, a page at a time."""
    page = lookup.search_entities(
        kg, warm.search, kind=type, q=q, region=region, limit=limit, offset=offset
    )
    return jsonld_response(page.model_dump()) if wants_jsonld(request) else page


@router.get("/entities/{kind}/{id}", summary="One entity", response_model=Entity)
def read_entity(
    request: Request, kg: KG, kind: str, id: str, as_of: AsOf = None
) -> Entity | Response:
    """Every fact about one entity, each with its source URL, confidence, lifecycle phase, note
    and validity (`valid_from`, `valid_until`); with `as_of`, only the facts that held on that date.

    With `Accept: application/ld+json`, the entity's triples as JSON-LD.
    """
    found = lookup.entity(kg, kind, id, as_of=as_of)
    if wants_jsonld(request) and as_of is not None:
        return jsonld_response(found.model_dump(), triples=entity_triples(found))
    if wants_jsonld(request):
        return jsonld_response(found.model_dump(), kg=kg, iri=found.iri)
    return found


@router.get(
    "/entities/{kind}/{id}/links", summary="Links of an entity", response_model=list[LinkFact]
)
def read_links(
    request: Request,
    kg: KG,
    kind: str,
    id: str,
    relation: Annotated[
        str | None,
        Query(description="snake_case relation or property IRI", examples=["trained_on"]),
    ] = None,
    phase: Annotated[
        str | None, Query(description="pre-training, post-training or post-release-reuse")
    ] = None,
    direction: Annotated[Direction, Query(description="out, in or both")] = "both",
    as_of: AsOf = None,
) -> list[LinkFact] | Response:
    """Typed collaboration links between this entity and others, outgoing and incoming, with provenance and validity; with `as_of`, only the links that held on that date."""
    found = lookup.links(
        kg, kind, id, relation=relation, phase=phase, direction=direction, as_of=as_of
    )
    return (
        jsonld_response([link.model_dump() for link in found]) if wants_jsonld(request) else found
    )
