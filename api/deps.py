"""Dependencies shared by the routes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from kg.graph import KnowledgeGraph
from kg.read.search import SearchIndex
from kg.sparql.workers import WarmingUpError


@dataclass(frozen=True)
class Warm:
    """What the app builds in the background after start-up (slow on large stores)."""

    kg: KnowledgeGraph  # with its networkx projection
    search: SearchIndex
    quads: int


def get_kg(request: Request) -> KnowledgeGraph:
    """The knowledge graph the app was started with (its store; the projection comes warm)."""
    kg: KnowledgeGraph = request.app.state.kg
    return kg


def get_warm(request: Request) -> Warm:
    """The search index and projection, or 503 while they are being built."""
    warm: Warm | None = request.app.state.warm
    if warm is None:
        raise WarmingUpError(
            "the search index and collaboration graph are being built; retry in a few seconds"
        )
    return warm


KG = Annotated[KnowledgeGraph, Depends(get_kg)]
Warmed = Annotated[Warm, Depends(get_warm)]
