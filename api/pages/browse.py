"""The home page and the search page."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import KG, State, Warmed
from api.pages.render import PageRoute, page
from kg.read import lookup, projects
from kg.schema.records import KINDS

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PAGE_SIZE = 50
CENTRAL = 10
"""Most central actors the home page lists."""


@router.get("/")
def home(request: Request, state: State, warm: Warmed) -> Response:
    """Counts, a search box, the most central actors and the five governance models."""
    counts = Counter(kind for _, kind in warm.projection.nodes(data="kind"))
    # findings are not in the collaboration projection; the search index has them
    counts["finding"] = sum(1 for e in warm.search.entries if e.kind == "finding")
    actor_report = state.reports.peek(warm.projection, "actor")
    central = (
        actor_report.analysis.top("pagerank", CENTRAL, "organization") if actor_report else None
    )
    context = {
        "counts": [(kind, counts[kind]) for kind in KINDS if counts[kind]],
        "links": warm.projection.number_of_edges(),
        "quads": warm.quads,
        "central": central,
        "models": projects.governance_models(state.graph),
    }
    return page(request, "home.html", context)


@router.get("/search")
def search(
    request: Request,
    kg: KG,
    warm: Warmed,
    q: Annotated[str, Query(max_length=200)] = "",
    type: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Entities whose label, alias or id contains ``q``, of one kind or all."""
    found = lookup.search_entities(
        kg, warm.search, kind=type or None, q=q or None, limit=PAGE_SIZE, offset=offset
    )
    context = {"q": q, "type": type, "page": found, "size": PAGE_SIZE}
    return page(request, "search.html", context)
