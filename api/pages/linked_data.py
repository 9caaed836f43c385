"""Linked Data: every IRI ``https://w3id.org/llmkg/id/<path>`` is served at ``/id/<path>``,
and the ontology ``https://w3id.org/llmkg/ns`` at ``/ns``.

One URL, several representations chosen by Accept (or ``?format=``), answered directly (200)
with ``Vary: Accept``: an HTML page for browsers (and ``*/*``), Turtle, N-Triples, JSON-LD or
RDF/XML for machines. docs/linked-data.md explains the choice and the w3id redirect.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response

from api.deps import KG, get_warm
from api.pages.render import HTML, PageRoute, page
from kg.errors import NotFoundError
from kg.graph import KnowledgeGraph
from kg.networks import ego
from kg.read import lookup, projects, resources
from kg.read.lookup import split_iri
from kg.read.models import LinkFact
from kg.read.ontology import ontology_terms, ontology_triples
from kg.read.resources import RDF_TYPES, describe, serialize
from kg.schema.terms import PHASES
from kg.schema.vocabulary import ID
from kg.sparql.protocol import choose

router = APIRouter(route_class=PageRoute, tags=["linked data"])

OFFERED = [HTML, *RDF_TYPES]
FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
"""The ``?format=`` name of each RDF representation."""
HIDDEN = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/identifier",
}
"""Facts an entity page shows in its heading, not in its table of facts."""
PROFILED = ("governance_model", "motivation")
"""Facts a project page shows in their own sections."""
FormatQuery = Annotated[
    str | None,
    Query(description="html, turtle, ntriples, jsonld or rdfxml, overriding Accept"),
]
RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The resource as HTML, Turtle, N-Triples, JSON-LD or RDF/XML",
        "content": {media: {} for media in OFFERED},
    }
}


def _representation(request: Request, fmt: str | None) -> str:
    return choose(request.headers.get("accept"), "text/html" if fmt == "html" else fmt, OFFERED)


def _alternates(path: str) -> dict[str, str]:
    links = ", ".join(
        f'<{path}?format={name}>; rel="alternate"; type="{media}"'
        for media, name in FORMATS.items()
    )
    return {"Vary": "Accept", "Link": links}


def _rdf(path: str, triples: list[ox.Triple], media: str) -> Response:
    charset = "" if media == "application/rdf+xml" else "; charset=utf-8"
    headers = {"Vary": "Accept", "Content-Location": f"{path}?format={FORMATS[media]}"}
    return Response(serialize(triples, media), media_type=media + charset, headers=headers)


@router.head("/id/{path:path}", include_in_schema=False)
@router.get("/id/{path:path}", summary="Dereference an IRI", responses=RESPONSES)
def resolve(request: Request, kg: KG, path: str, format: FormatQuery = None) -> Response:
    """The resource `https://w3id.org/llmkg/id/{path}`: an entity, concept, concept scheme,
    place, language or imported assessment, by content negotiation. Its triples, those
    pointing at it and the labels of both sides in RDF; a page in HTML."""
    iri = ID + path
    media = _representation(request, format)
    here = "/id/" + quote(path, safe="/")
    entity = split_iri(iri)
    if media != HTML:
        if entity is not None:
            lookup.require_entity(kg, *entity)  # 404 with did-you-mean
        return _rdf(here, describe(kg, iri), media)
    if entity is not None:
        return _entity_page(request, kg, *entity, here)
    context = {"resource": resources.resource(kg, iri), "here": here, "formats": FORMATS}
    return page(request, "resource.html", context, headers=_alternates(here))


def _entity_page(request: Request, kg: KnowledgeGraph, kind: str, id_: str, here: str) -> Response:
    found = lookup.entity(kg, kind, id_)  # 404 with did-you-mean before any warm-up wait
    warm = get_warm(request)
    links = lookup.links(kg, kind, id_)
    try:
        picture: ego.EgoNetwork | None = ego.ego_network(warm.projection, f"{kind}/{id_}")
    except NotFoundError:
        picture = None
    context = {
        "entity": found,
        "facts": [
            f
            for f in found.facts
            if f.object.kind is None
            and f.property not in HIDDEN
            and not (kind == "project" and f.relation in PROFILED)
        ],
        "groups": _link_groups(kg, links),
        "link_count": len(links),
        "ego": picture,
        "here": here,
        "formats": FORMATS,
    }
    if kind == "project":
        artifacts = defaultdict(list)
        for item in projects.project_artifacts(kg, id_):
            artifacts[item.phase].append(item)
        context |= {
            "governance": [f for f in found.facts if f.relation == "governance_model"],
            "motivations": projects.by_category(found.facts, projects.motivation_categories(kg)),
            "artifacts": [(p, artifacts[p]) for p in (*PHASES, None) if artifacts[p]],
        }
    return page(request, "entity.html", context, headers=_alternates(here))


def _link_groups(
    kg: KnowledgeGraph, links: list[LinkFact]
) -> list[tuple[str, str, list[tuple[str | None, list[LinkFact]]]]]:
    """Links by (direction, relation label), then by lifecycle phase in lifecycle order."""
    labels = lookup.fetch_labels(kg, {link.property for link in links})
    grouped: dict[tuple[str, str], dict[str | None, list[LinkFact]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for link in links:
        label = labels.get(link.property, link.relation.replace("_", " "))
        grouped[(link.direction, label)][link.phase].append(link)
    return [
        (
            direction,
            label,
            [
                (phase, sorted(by_phase[phase], key=lambda x: x.other.label.lower()))
                for phase in (*PHASES, None)
                if by_phase.get(phase)
            ],
        )
        for (direction, label), by_phase in sorted(
            grouped.items(), key=lambda g: (g[0][0] != "out", g[0][1])
        )
    ]


@router.head("/ns", include_in_schema=False)
@router.get("/ns", summary="The ontology", responses=RESPONSES)
def ontology(request: Request, kg: KG, format: FormatQuery = None) -> Response:
    """The ontology `https://w3id.org/llmkg/ns#`: its documentation page in HTML (classes,
    properties, concept schemes), its triples in RDF."""
    media = _representation(request, format)
    if media != HTML:
        return _rdf("/ns", ontology_triples(kg), media)
    context = {"ontology": ontology_terms(kg), "here": "/ns", "formats": FORMATS}
    return page(request, "ontology.html", context, headers=_alternates("/ns"))
