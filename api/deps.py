"""Dependencies of the routes and pages: the only place that reads ``app.state``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request

from api.state import AppState, Warm
from kg.graph import KnowledgeGraph

STATE = "llmkg"
"""The attribute of ``app.state`` that holds the :class:`AppState`."""


def install(app: FastAPI, state: AppState) -> None:
    """Give ``app`` its state (``create_app`` calls this once)."""
    setattr(app.state, STATE, state)


def get_state(request: Request) -> AppState:
    """The state the app was created with."""
    state: AppState = getattr(request.app.state, STATE)
    return state


def get_kg(request: Request) -> KnowledgeGraph:
    """The served graph: its store, for SPARQL and lookups."""
    return get_state(request).graph


def get_warm(request: Request) -> Warm:
    """The projection and search index, or 503 while they are being built."""
    return get_state(request).ready()


State = Annotated[AppState, Depends(get_state)]
KG = Annotated[KnowledgeGraph, Depends(get_kg)]
Warmed = Annotated[Warm, Depends(get_warm)]
