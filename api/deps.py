"""Dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kg.graph import KnowledgeGraph


def get_kg(request: Request) -> KnowledgeGraph:
    """The knowledge graph the app was started with."""
    kg: KnowledgeGraph = request.app.state.kg
    return kg


KG = Annotated[KnowledgeGraph, Depends(get_kg)]
