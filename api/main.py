"""The web app: a thin FastAPI layer over the kg library."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import problems
from api.routes import catalog, entities, sparql
from kg.graph import KnowledgeGraph
from kg.settings import Settings
from kg.store import ensure_store, open_read_only

logger = logging.getLogger(__name__)

DESCRIPTION = """The knowledge graph of the open LLM ecosystem: projects, models, datasets,
benchmarks, frameworks, leaderboards, compute partnerships, forums and the organizations behind
them, after *A Cartography of Open Collaboration in Open Source AI* (arXiv 2509.25397).
Every fact carries its source URL and a confidence. Query it with SPARQL at `/sparql`, or look
entities and their links up here. Errors are RFC 9457 problem details."""


def open_graph(settings: Settings) -> KnowledgeGraph:
    """The graph to serve: ``settings.store`` as it is, or data/ built into build/store."""
    path = settings.store if settings.store is not None else ensure_store(settings).path
    return KnowledgeGraph({}, open_read_only(path))


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app over ``settings`` (default: from the environment). A bad record stops start-up."""
    settings = settings or Settings()
    kg = open_graph(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        logger.info("serving %d quads", len(kg.rdf))
        yield

    app = FastAPI(title="open-llm-kg", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.kg = kg
    app.state.settings = settings
    problems.install(app)
    app.include_router(sparql.router)
    app.include_router(entities.router)
    app.include_router(catalog.router)
    return app
