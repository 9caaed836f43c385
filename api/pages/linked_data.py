"""Linked Data: every IRI ``https://w3id.org/llmkg/id/<path>`` is served at ``/id/<path>``,
and the ontology ``https://w3id.org/llmkg/ns`` at ``/ns``.

One URL, several representations chosen by ``?format=``, a file extension (``/id/model/bloom.ttl``)
or Accept, answered directly (200) with ``Vary: Accept``: an HTML page for browsers (and
``*/*``), Turtle, N-Triples, JSON-LD or RDF/XML, and N-Quads or TriG with each fact in its fact
graph, for machines. docs/linked-data.md has the table of what each client gets, and the w3id
redirect.

A path reaches SPARQL only once :func:`kg.read.resources.resource_iri` has found it to be a
possible IRI: anything else is a 404 before any query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response

from api.deps import KG, get_warm
from api.pages.render import HTML, PageRoute, page
from kg.compile.rdf import ONTOLOGY_GRAPH
from kg.errors import NotAcceptableError, NotFoundError
from kg.graph import KnowledgeGraph
from kg.networks import ego
from kg.read import lookup, projects, resources
from kg.read.lookup import split_iri
from kg.read.models import LinkFact
from kg.read.ontology import ontology_terms, ontology_triples
from kg.read.resources import DATASET_TYPES, as_dataset, describe, describe_dataset, serialize
from kg.schema.terms import PHASES
from kg.sparql.protocol import parse_accept

router = APIRouter(route_class=PageRoute, tags=["linked data"])

SERIALIZATIONS: dict[str, tuple[str, str]] = {
    "application/n-quads": ("application/n-quads", "nquads"),
    "application/trig": ("application/trig", "trig"),
    "text/turtle": ("text/turtle", "turtle"),
    "application/n-triples": ("application/n-triples", "ntriples"),
    "application/ld+json": ("application/ld+json", "jsonld"),
    "application/rdf+xml": ("application/rdf+xml", "rdfxml"),
    "text/plain": ("application/n-triples", "ntriples"),
    "text/n3": ("text/turtle", "n3"),
}
"""Each RDF media type answered: the serialization sent (N-Triples as ``text/plain``, as curl
and rdflib's ``format="nt"`` ask; Turtle, which is N3, as ``text/n3``) and its ``?format=``
name. The order is the server's preference between types a client accepts equally: rdflib's
``format="nquads"`` (and no format) asks for every type it parses, all alike, and N-Quads is
what that parser reads; its default graph holds the triples a plain ``Graph`` keeps."""
OFFERED = [HTML, *SERIALIZATIONS]
"""What /id and /ns answer in, the server's preference first (HTML for ``*/*``)."""
FORMATS = {media: name for media, (sent, name) in SERIALIZATIONS.items() if media == sent}
"""The ``?format=`` name of each RDF representation: the ``Link`` alternates of a page."""
PAGE_FORMATS = {
    media: FORMATS[media]
    for media in (
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
    )
}
"""The representations a page links to in its text (the templates name these four)."""
FORMAT_NAMES = {
    "html": HTML,
    **{name: media for media, name in FORMATS.items()},
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "nq": "application/n-quads",
    "n3": "text/n3",
}
"""Names accepted by ``?format=`` (a media type of :data:`OFFERED` is accepted too)."""
EXTENSIONS = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "nq": "application/n-quads",
    "trig": "application/trig",
    "n3": "text/n3",
}
"""File extensions of ``/id/<path>.<ext>``, naming a representation as ``?format=`` does."""
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
    Query(
        description="html, turtle (ttl), ntriples (nt), jsonld, rdfxml, nquads (nq), trig or n3,"
        " overriding the extension and Accept"
    ),
]
RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The resource as HTML, Turtle, N-Triples, JSON-LD, RDF/XML, N-Quads or TriG",
        "content": {media: {} for media in OFFERED},
    }
}


def negotiate(accept: str | None) -> str:
    """The media type of :data:`OFFERED` that ``accept`` rates best.

    An offered type takes the quality of the most specific range that matches it (``text/html``
    before ``text/*`` before ``*/*``); among the best rated, one that the client names itself
    wins over one that only a wildcard matches, then the server's preference. So browsers and
    ``*/*`` get HTML, and a client naming an RDF type at least as high as ``*/*`` gets RDF.

    Raises
    ------
    NotAcceptableError
        If nothing offered is acceptable.

    Examples
    --------
    >>> negotiate("text/plain, */*;q=0.1"), negotiate("*/*, text/turtle"), negotiate("*/*")
    ('text/plain', 'text/turtle', 'text/html')
    >>> negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    'text/html'
    >>> negotiate("application/rdf+xml, text/turtle, application/n-quads, application/trig")
    'application/n-quads'
    >>> negotiate("text/*;q=0.5, text/html;q=0")
    'text/turtle'
    """
    ranges = _ranges(accept)
    best, rated = None, (0.0, -1)
    for offered in OFFERED:
        rating = _rating(offered, ranges)
        if rating is not None and rating[0] > 0 and rating > rated:
            best, rated = offered, rating
    if best is None:
        raise NotAcceptableError(f"cannot answer in {accept!r}; available: {', '.join(OFFERED)}")
    return best


def _ranges(accept: str | None) -> list[tuple[str, float]]:
    """Each media range of ``accept`` and its quality, refusals (``q=0``) included."""
    ranges = []
    for part in (accept or "*/*").split(","):
        media = part.split(";")[0].strip().lower()
        if media:
            rated = parse_accept(part)
            ranges.append((media, rated[0][1] if rated else 0.0))
    return ranges


def _rating(offered: str, ranges: list[tuple[str, float]]) -> tuple[float, int] | None:
    """(quality, specificity) of the most specific range matching ``offered``, if any."""
    major = offered.split("/")[0] + "/*"
    specificity = {offered: 2, major: 1, "*/*": 0, "*": 0}
    matches = [(specificity[m], q) for m, q in ranges if m in specificity]
    if not matches:
        return None
    most = max(s for s, _ in matches)
    return max(q for s, q in matches if s == most), most


def _representation(request: Request, fmt: str | None, extension: str | None = None) -> str:
    """The media type to answer in: ``?format=``, else the path's extension, else Accept."""
    if fmt:
        media = FORMAT_NAMES.get(fmt.lower(), fmt.lower())
        if media not in OFFERED:
            raise NotAcceptableError(
                f"format {fmt!r} is not available here; available: {', '.join(FORMAT_NAMES)}"
            )
        return media
    return extension or negotiate(request.headers.get("accept"))


def _target(kg: KnowledgeGraph, path: str) -> tuple[str, str, str | None]:
    """(IRI, path, media type of its extension) of ``/id/<path>``: ``model/bloom.ttl`` is
    ``model/bloom`` in Turtle, unless ``model/bloom.ttl`` itself is in the graph (ids may have
    dots). Checked by shape before any query.

    Raises
    ------
    NotFoundError
        If neither ``path`` nor the path without its extension can be an IRI of the graph.
    """
    stem, dot, ext = path.rpartition(".")
    media = EXTENSIONS.get(ext) if dot else None
    try:
        iri = resources.resource_iri(path)
    except NotFoundError as exc:
        if media is None:
            raise
        try:
            return resources.resource_iri(stem), stem, media
        except NotFoundError:
            raise exc from None
    if media is None:
        return iri, path, None
    try:
        bare = resources.resource_iri(stem)
    except NotFoundError:
        return iri, path, None
    return (iri, path, None) if resources.exists(kg, iri) else (bare, stem, media)


def _alternates(path: str) -> dict[str, str]:
    links = ", ".join(
        f'<{path}?format={name}>; rel="alternate"; type="{media}"'
        for media, name in FORMATS.items()
    )
    return {"Vary": "Accept", "Link": links}


def _rdf(
    path: str,
    media: str,
    triples: Callable[[], list[ox.Triple]],
    dataset: Callable[[], list[ox.Quad]],
) -> Response:
    """The answer in the RDF type ``media``: ``triples()`` serialized, or ``dataset()`` for
    N-Quads and TriG."""
    sent, name = SERIALIZATIONS[media]
    if sent in DATASET_TYPES:
        body = resources.serialize_dataset(dataset(), sent)
    else:
        body = serialize(triples(), sent)
    charset = "" if media == "application/rdf+xml" else "; charset=utf-8"
    headers = {"Vary": "Accept", "Content-Location": f"{path}?format={name}"}
    return Response(body, media_type=media + charset, headers=headers)


@router.head("/id/{path:path}", include_in_schema=False)
@router.get("/id/{path:path}", summary="Dereference an IRI", responses=RESPONSES)
def resolve(request: Request, kg: KG, path: str, format: FormatQuery = None) -> Response:
    """The resource `https://w3id.org/llmkg/id/{path}`: an entity, concept, concept scheme,
    place, language, fact graph or imported assessment, by content negotiation. Its triples,
    those pointing at it and the labels of both sides in RDF (in N-Quads and TriG, each also
    in the graph that states it, with that graph's provenance); a page in HTML. A path that
    cannot be an IRI of the graph is a 404 before any query."""
    if request.scope["path"].endswith("\n"):  # Starlette's {path:path} drops a final newline
        path += "\n"
    iri, path, extension = _target(kg, path)
    media = _representation(request, format, extension)
    here = "/id/" + quote(path, safe="/")
    entity = split_iri(iri)
    if media != HTML:
        if entity is not None:
            lookup.require_entity(kg, *entity)  # 404 with did-you-mean
        return _rdf(here, media, lambda: describe(kg, iri), lambda: describe_dataset(kg, iri))
    if entity is not None:
        return _entity_page(request, kg, *entity, here)
    context = {"resource": resources.resource(kg, iri), "here": here, "formats": PAGE_FORMATS}
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
        "formats": PAGE_FORMATS,
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
    properties, concept schemes), its triples in RDF (in N-Quads and TriG, also in the
    ontology graph, `https://w3id.org/llmkg/ns`, where the store keeps them)."""
    media = _representation(request, format)
    if media != HTML:

        def dataset() -> list[ox.Quad]:
            triples = ontology_triples(kg)
            return as_dataset(
                triples,
                (ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in triples),
            )

        return _rdf("/ns", media, lambda: ontology_triples(kg), dataset)
    context = {"ontology": ontology_terms(kg), "here": "/ns", "formats": PAGE_FORMATS}
    return page(request, "ontology.html", context, headers=_alternates("/ns"))
