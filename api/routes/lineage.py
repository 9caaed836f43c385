"""Lineage: a model's ancestors and descendants, transitively, and the licence-drift report."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import KG
from kg.read import lineage
from kg.read.lineage import DEFAULT_LIMIT, MAX_DEPTH, MAX_LIMIT, LineageDirection
from kg.read.models import DerivationKind, DriftPage, Lineage

router = APIRouter(tags=["lineage"])

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, at most {MAX_LIMIT}")]
Offset = Annotated[int, Query(ge=0, description="Rows to skip")]

_LICENCE = {
    "id": "mit",
    "iri": "https://w3id.org/llmkg/id/license/mit",
    "label": "MIT License",
    "valid_from": "2024-06-01",
    "valid_until": None,
    "current": True,
}
_BASE_LICENCE = _LICENCE | {
    "id": "apache-2.0",
    "iri": "https://w3id.org/llmkg/id/license/apache-2.0",
    "label": "Apache License 2.0",
    "valid_from": None,
}
_CHAT = {
    "kind": "model",
    "id": "chat-7b",
    "iri": "https://w3id.org/llmkg/id/model/chat-7b",
    "label": "Chat 7B",
}
_BASE = {
    "kind": "model",
    "id": "base-7b",
    "iri": "https://w3id.org/llmkg/id/model/base-7b",
    "label": "Base 7B",
}
LINEAGE_EXAMPLE: dict[str, Any] = {
    "model": _BASE | {"direction": "self", "depth": 0, "licences": [_BASE_LICENCE]},
    "direction": "descendants",
    "relations": ["fine-tune"],
    "depth": 10,
    "total": 1,
    "limit": 100,
    "offset": 0,
    "nodes": [_CHAT | {"direction": "descendant", "depth": 1, "licences": [_LICENCE]}],
    "edges": [
        {
            "source": "chat-7b",
            "target": "base-7b",
            "relation": "fine-tune",
            "property": "https://w3id.org/llmkg/ns#fineTunedFrom",
            "direction": "descendant",
            "depth": 1,
        }
    ],
    "edges_total": 1,
    "counts": {"relations": {"fine-tune": 1}, "licences": {"mit": 1}, "no_licence": 0},
}
DRIFT_EXAMPLE: dict[str, Any] = {
    "base": "base-7b",
    "as_of": "2025-01-01",
    "total": 1,
    "limit": 100,
    "offset": 0,
    "items": [
        {
            "model": _CHAT,
            "licences": [_LICENCE],
            "ancestor": _BASE,
            "ancestor_licences": [_BASE_LICENCE],
            "distance": 1,
        }
    ],
}


def _example(example: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {"application/json": {"example": example}}}}


@router.get(
    "/entities/model/{id}/lineage",
    summary="Lineage of a model",
    response_model=Lineage,
    responses=_example(LINEAGE_EXAMPLE),
)
def read_lineage(
    kg: KG,
    id: str,
    direction: Annotated[
        LineageDirection, Query(description="ancestors, descendants or both")
    ] = "both",
    relation: Annotated[
        list[str] | None,
        Query(
            description="Derivation kinds to follow (repeat it, or separate with commas):"
            " fine-tune, quantization, merge, continued-pretraining, distillation, unspecified,"
            " any other kind the ontology declares (GET /lineage/kinds); all by default",
            examples=["fine-tune,quantization"],
        ),
    ] = None,
    depth: Annotated[
        int,
        Query(
            ge=1,
            le=MAX_DEPTH,
            description=f"Most derivation steps followed: 1 for direct only, at most {MAX_DEPTH}",
        ),
    ] = MAX_DEPTH,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Lineage:
    """The ancestors and descendants of a model, transitively, each with its depth (fewest
    derivation steps) and licences; the derivations (edges) that led to the page's models; and
    counts over the whole lineage of edges by relation and of models by current licence.

    `relation` restricts the derivations followed: `quantization` alone gives the
    quantizations of the model, of those, and so on. Models are paged, ancestors first,
    nearest first. An unknown model is a 404 problem; an unknown relation, or a depth, limit
    or offset out of range, a 422 problem.
    """
    return lineage.lineage(
        kg, id, direction=direction, relations=relation, depth=depth, limit=limit, offset=offset
    )


@router.get("/lineage/kinds", summary="Derivation kinds", response_model=list[DerivationKind])
def read_kinds(kg: KG) -> list[DerivationKind]:
    """The derivation kinds a lineage can follow: the subproperties of `llmkg:derivedFrom` in
    the ontology, and `unspecified` (a plain `llmkg:derivedFrom`)."""
    return lineage.derivation_kinds(kg)


@router.get(
    "/lineage/licence-drift",
    summary="Licence drift",
    response_model=DriftPage,
    responses=_example(DRIFT_EXAMPLE),
)
def read_licence_drift(
    kg: KG,
    base: Annotated[
        str | None,
        Query(description="Only this base model's descendants", examples=["base-7b"]),
    ] = None,
    as_of: Annotated[
        str | None,
        Query(
            description="Compare the licences in force on this date (YYYY, YYYY-MM or"
            " YYYY-MM-DD); today by default",
            examples=["2024-03"],
        ),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> DriftPage:
    """Derived models whose licences differ from an ancestor's: the model and its licences,
    the ancestor and its licences, and the path length between them. Only licences in force
    on `as_of` are compared, and only models with one (an unstated licence is not drift);
    ancestors up to 10 derivation steps away, by any kind. Sorted by model, distance, then
    ancestor."""
    return lineage.licence_drift(kg, base=base, as_of=as_of, limit=limit, offset=offset)
