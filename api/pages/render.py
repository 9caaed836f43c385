"""Rendering pages: the Jinja2 templates, their filters, and HTML error pages.

Page routes use :class:`PageRoute`: a ``KGError`` raised while answering a browser (one that
prefers HTML) becomes an HTML page with the same status (404 with did-you-mean, 503 while
warming up, with ``Retry-After`` and a page that reloads itself); other clients keep getting
RFC 9457 problems.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from kg.compile.dumps import compact_iri
from kg.compile.rdf import ONTOLOGY_GRAPH
from kg.errors import KGError, NotAcceptableError
from kg.networks.ego import EgoNetwork, EgoNode
from kg.schema.records import KINDS
from kg.schema.vocabulary import ID
from kg.sparql.protocol import negotiate

HERE = Path(__file__).parent
HTML = "text/html"
ONTOLOGY = ONTOLOGY_GRAPH.value  # https://w3id.org/llmkg/ns, also the ontology's IRI
PHASE_LABELS = {
    "pre-training": "Pre-training",
    "post-training": "Post-training",
    "post-release-reuse": "Post-release reuse",
    None: "Phase not stated",
}


def href(iri: str | None) -> str:
    """Where a page links an IRI: ``/id/...`` for the graph's own resources, ``/ns#Term`` for
    ontology terms, the IRI itself elsewhere.

    Examples
    --------
    >>> href("https://w3id.org/llmkg/id/model/bloom"), href("https://w3id.org/llmkg/ns#Model")
    ('/id/model/bloom', '/ns#Model')
    >>> href("https://schema.org/Dataset")
    'https://schema.org/Dataset'
    """
    if not iri:
        return ""
    if iri.startswith(ID):
        return "/id/" + quote(iri.removeprefix(ID), safe="/")
    if iri.startswith(ONTOLOGY):
        return "/ns" + iri.removeprefix(ONTOLOGY)
    return iri


def short(iri: str | None) -> str:
    """A compact name of ``iri`` with the prefixes of the dumps (``model:bloom``)."""
    return compact_iri(iri) if iri else ""


def kind_label(kind: str | None) -> str:
    """The display name of a record kind: ``compute-partnership`` -> ``Compute partnership``."""
    return (kind or "").replace("-", " ").capitalize()


def node_path(node: str) -> str:
    """The page of a projection node ``kind/id``."""
    return f"/id/{quote(node, safe='/')}"


def host(url: str) -> str:
    """The host of ``url``, to name a source: ``host("https://example.org/a") == "example.org"``."""
    return urlsplit(url).hostname or url


def ego_positions(ego: EgoNetwork) -> dict[str, EgoNode]:
    """Each node of an ego network by key, to draw its links."""
    return {n.node: n for n in ego.nodes}


templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters.update(
    href=href, short=short, kind_label=kind_label, node_path=node_path, host=host
)
templates.env.globals.update(
    KINDS=list(KINDS), PHASE_LABELS=PHASE_LABELS, ego_positions=ego_positions
)


def page(
    request: Request,
    name: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Render template ``name`` with ``context``."""
    return templates.TemplateResponse(
        request, name, dict(context), status_code=status, headers=headers
    )


def wants_html(request: Request) -> bool:
    """True when the client's Accept header asks for HTML before problem+json, as browsers
    do; ``*/*`` and no Accept get problems."""
    try:
        offered = ["application/problem+json", "application/json", HTML]
        return negotiate(request.headers.get("accept"), offered) == HTML
    except NotAcceptableError:
        return False


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    """An HTML error page; a 503 asks to retry in 2 seconds and reloads itself."""
    headers = {"Retry-After": "2"} if status == 503 else None
    context = {"status": status, "title": title, "detail": detail}
    return page(request, "error.html", context, status=status, headers=headers)


class PageRoute(APIRoute):
    """A route whose errors are HTML pages for browsers and problem+json for other clients."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except KGError as exc:
                if not wants_html(request):
                    raise
                return error_page(request, exc.status, exc.title, str(exc))
            except RequestValidationError as exc:
                if not wants_html(request):
                    raise
                detail = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
                )
                return error_page(request, 422, "Invalid request", detail)

        return handle
