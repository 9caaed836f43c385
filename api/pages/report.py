"""The centrality report page: the tables and charts of ``kg report`` for one network,
computed from the served graph's projection once, in the background, then kept."""

from __future__ import annotations

import logging
from typing import Annotated

import networkx as nx
from fastapi import APIRouter, Path, Request, Response

from api.deps import State, Warmed
from api.pages.render import PageRoute, page
from kg.errors import NotFoundError
from kg.networks.metrics import METRICS, Network
from kg.report.cache import TOP
from kg.report.charts import MAP_NODES
from kg.report.text import MEANING, NETWORK_TITLES, TITLES

logger = logging.getLogger(__name__)
router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/report")
def report_page(
    request: Request, state: State, warm: Warmed, network: Network = "actor"
) -> Response:
    """The centrality report of one collaboration network: a table and a chart per metric."""
    found = state.reports.get(warm.projection, network)
    context = {
        "network": network,
        "networks": NETWORK_TITLES,
        "report": found.analysis,
        "density": nx.density(found.analysis.H),
        "legend": found.legend,
        "shown": min(len(found.analysis.H), MAP_NODES),
        "metrics": [(m, TITLES[m], MEANING[m]) for m in METRICS],
        "top": TOP,
    }
    return page(request, "report.html", context)


@router.get("/report/{network}/{chart}.svg")
def report_chart(
    state: State,
    warm: Warmed,
    network: Network,
    chart: Annotated[str, Path(description="map or a metric")],
) -> Response:
    """One chart of the report, as SVG."""
    found = state.reports.get(warm.projection, network)
    if chart not in found.charts:
        raise NotFoundError(f"no chart {chart!r}; charts: {', '.join(found.charts)}")
    return Response(found.charts[chart], media_type="image/svg+xml")
