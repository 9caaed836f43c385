"""Collaboration networks: an actor's collaborators, paths between entities, centrality reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import Warmed
from api.jsonld import jsonld_response, wants_jsonld
from kg.errors import ParameterError
from kg.networks import metrics, paths
from kg.networks.metrics import Metric, Network
from kg.read.lookup import require_kind
from kg.schema.terms import ArtifactKind, Confidence, Phase

router = APIRouter(tags=["networks"])


class Item(BaseModel):
    """A project or artifact two actors share."""

    node: str = Field(examples=["project/bloom"])
    kind: str
    label: str


class CollaboratorOut(BaseModel):
    """An actor linked to another through shared projects or artifacts."""

    node: str = Field(examples=["organization/genci"])
    label: str
    weight: int = Field(description="Number of shared items")
    items: list[Item]


class StepOut(BaseModel):
    """One node of a path, with how it links to the previous one (^ marks an inverse link)."""

    node: str
    label: str
    kind: str
    relations: list[str] = Field(examples=[["developed_by"]])


class RankedOut(BaseModel):
    """One row of a centrality table."""

    rank: int = Field(description="1 = highest; equal values share a rank")
    node: str
    label: str
    kind: str
    value: float


def _filters(
    phase: str | None, artifact_kind: str | None, min_confidence: str | None
) -> dict[str, str]:
    given = {"phase": phase, "artifact_kind": artifact_kind, "min_confidence": min_confidence}
    return {k: v for k, v in given.items() if v is not None}


PhaseQuery = Annotated[Phase | None, Query(description="Only ties of this lifecycle phase")]
KindQuery = Annotated[
    ArtifactKind | None, Query(description="Only ties through artifacts of this kind")
]
ConfidenceQuery = Annotated[
    Confidence | None,
    Query(description="Only ties at least this sure (curator-inference < public-record < paper)"),
]


@router.get(
    "/actors/{id}/collaborators",
    summary="Collaborators of an actor",
    response_model=list[CollaboratorOut],
)
def read_collaborators(
    request: Request,
    warm: Warmed,
    id: str,
    phase: PhaseQuery = None,
    artifact_kind: KindQuery = None,
    min_confidence: ConfidenceQuery = None,
) -> list[CollaboratorOut] | Response:
    """Organizations that share a project or artifact with this one, most shared items first, with the items."""
    found = paths.collaborators(
        warm.projection, id, **_filters(phase, artifact_kind, min_confidence)
    )
    out = [
        CollaboratorOut(
            node=c.node,
            label=c.label,
            weight=c.weight,
            items=[Item(node=i.node, kind=i.kind, label=i.label) for i in c.items],
        )
        for c in found
    ]
    return jsonld_response([c.model_dump() for c in out]) if wants_jsonld(request) else out


@router.get("/paths", summary="Collaboration paths", response_model=list[list[StepOut]])
def read_paths(
    request: Request,
    warm: Warmed,
    from_: Annotated[str, Query(alias="from", description="kind/id", examples=["model/aya-101"])],
    to: Annotated[str, Query(description="kind/id", examples=["organization/meta"])],
    max_hops: Annotated[int, Query(ge=1, le=8, description="Longest path to look for")] = 4,
    include_hubs: Annotated[
        bool,
        Query(description="Also go through publications and licences, which tie nearly everything"),
    ] = False,
) -> list[list[StepOut]] | Response:
    """Shortest paths between two entities in the collaboration graph, whatever the links'
    direction (at most 10); not through publications or licences unless include_hubs."""
    for node in (from_, to):
        kind, _, id_ = node.partition("/")
        if not id_:
            raise ParameterError(f"{node!r} is not kind/id, e.g. model/bloom")
        require_kind(kind)
    found_paths = paths.shortest_paths(
        warm.projection, from_, to, max_hops=max_hops, include_hubs=include_hubs
    )
    out = [
        [
            StepOut(node=s.node, label=s.label, kind=s.kind, relations=list(s.relations))
            for s in path
        ]
        for path in found_paths
    ]
    return (
        jsonld_response([[s.model_dump() for s in p] for p in out])
        if wants_jsonld(request)
        else out
    )


@router.get("/reports/centrality", summary="Centrality report", response_model=list[RankedOut])
def read_centrality(
    request: Request,
    warm: Warmed,
    network: Annotated[
        Network,
        Query(description="Which collaboration network"),
    ] = "actor",
    metric: Annotated[
        Metric,
        Query(description="Which centrality"),
    ] = "pagerank",
    kind: Annotated[
        str | None, Query(description="Rank only nodes of this kind", examples=["organization"])
    ] = None,
    top: Annotated[int, Query(ge=1, le=1000)] = 10,
    phase: PhaseQuery = None,
    artifact_kind: KindQuery = None,
    min_confidence: ConfidenceQuery = None,
) -> list[RankedOut] | Response:
    """The most central nodes of a collaboration network by one metric (docs/metrics.md explains each)."""
    rows = metrics.centrality_table(
        warm.projection,
        network,
        metric,
        kind=kind,
        top=top,
        **_filters(phase, artifact_kind, min_confidence),
    )
    out = [
        RankedOut(rank=r.rank, node=r.node, label=r.label, kind=r.kind, value=r.value) for r in rows
    ]
    return jsonld_response([r.model_dump() for r in out]) if wants_jsonld(request) else out
