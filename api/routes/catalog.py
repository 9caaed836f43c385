"""/projects and /artifacts: the catalogue of the graph."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import KG
from api.jsonld import jsonld_response, wants_jsonld
from kg.read import lookup
from kg.read.models import EntitySummary, ProjectSummary

router = APIRouter(tags=["catalogue"])


@router.get("/projects", summary="Projects", response_model=list[ProjectSummary])
def list_projects(
    request: Request,
    kg: KG,
    governance_model: Annotated[
        str | None,
        Query(
            description="single-company, single-research-institute, multi-organizational-research-institute, "
            "non-profit-sponsored-grassroots or company-sponsored-grassroots",
            examples=["single-company"],
        ),
    ] = None,
    region: Annotated[
        str | None, Query(description="Place code (country or region)", examples=["asia"])
    ] = None,
) -> list[ProjectSummary] | Response:
    """The open LLM projects, with their governance model and places, filtered by model and region."""
    found = lookup.projects(kg, governance_model=governance_model, region=region)
    return jsonld_response([p.model_dump() for p in found]) if wants_jsonld(request) else found


@router.get("/artifacts", summary="Artifacts", response_model=list[EntitySummary])
def list_artifacts(
    request: Request,
    kg: KG,
    kind: Annotated[
        str | None,
        Query(
            description="model, dataset, benchmark, framework, leaderboard, compute-partnership or forum",
            examples=["dataset"],
        ),
    ] = None,
) -> list[EntitySummary] | Response:
    """Models, datasets, benchmarks, frameworks, leaderboards, compute partnerships and forums."""
    found = lookup.artifacts(kg, kind=kind)
    return jsonld_response([a.model_dump() for a in found]) if wants_jsonld(request) else found
