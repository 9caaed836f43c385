"""The web app: a thin FastAPI layer over the kg library."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import deps, pages, problems
from api.routes import catalog, diffs, entities, health, lineage, network, releases, sparql
from api.state import AppState, Warm
from kg.errors import KGError
from kg.graph import KnowledgeGraph
from kg.read.derived import derive
from kg.settings import Settings
from kg.sparql.workers import Limits, QueryPool
from kg.store.local import ensure_store, open_store
from kg.store.remote import Endpoint, RemoteStore, redact

logger = logging.getLogger(__name__)
access = logging.getLogger("api.access")

DESCRIPTION = """The knowledge graph of the open LLM ecosystem: projects, models, datasets,
benchmarks, frameworks, leaderboards, compute partnerships, forums and the organizations behind
them, after *A Cartography of Open Collaboration in Open Source AI* (arXiv 2509.25397).
Every fact carries its source URL and a confidence. Query it with SPARQL at `/sparql`, or look
entities and their links up here. Errors are RFC 9457 problem details."""


class AccessLog:
    """ASGI middleware: one log line per request with client, method, path, status, duration."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            client = scope.get("client")
            access.info(
                '%s "%s %s" %d %.1fms',
                client[0] if client else "-",
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - start) * 1000,
            )


def warm_up(state: AppState, store_dir: Path | None = None) -> None:
    """Read the projection, search index and quad count saved in ``store_dir`` (an on-disk
    store), or build them from the served store (and save them there), once, then publish
    them in ``state.warm``; start the actor report the home page lists."""
    start = time.perf_counter()
    try:
        found = derive(state.graph, store_dir)
        warm = Warm(found.projection, found.search, found.quads, found.catalogues)
    except KGError as exc:
        logger.exception("warm-up failed; search and networks stay unavailable")
        state.warm.set_exception(exc)
        return
    state.warm.set_result(warm)
    logger.info("ready in %.1f s: %d quads", time.perf_counter() - start, warm.quads)
    state.reports.peek(warm.projection, "actor")


def store_source(settings: Settings) -> Path | Endpoint:
    """The store to serve: the remote service at ``settings.store_url``, ``settings.store``
    as it is, or data/ built into build/store."""
    if settings.store_url is not None:
        return Endpoint.from_settings(settings)
    if settings.store is not None:  # a `kg load` store is a symlink: workers open its target
        return settings.store.resolve()
    return ensure_store(settings).path


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app over ``settings`` (default: from the environment).

    A bad record, or a remote store that cannot serve the graph, stops start-up.
    """
    settings = settings or Settings()
    if settings.store_in_memory and settings.store_url is not None:
        raise KGError(
            "LLMKG_STORE_IN_MEMORY copies a local store into memory; a remote store "
            "(LLMKG_STORE_URL) answers from its own server: set only one of them"
        )
    source = store_source(settings)
    store = open_store(source)
    if isinstance(store, RemoteStore):
        try:
            store.check_union()
        except KGError:
            store.close()
            raise
    pool = QueryPool(source, Limits.from_settings(settings))
    state = AppState(settings, KnowledgeGraph(store), pool)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Slow on large stores without saved derived tables (about two minutes at 10 million
        # quads): off the start-up path; /readyz, search and the network routes answer 503
        # until it is done.
        store_dir = source if isinstance(source, Path) else None
        threading.Thread(
            target=warm_up, args=(state, store_dir), name="warm-up", daemon=True
        ).start()
        await pool.start()
        where = redact(source.query_url or "") if isinstance(source, Endpoint) else source
        logger.info("serving %s", where)
        yield
        await pool.close()  # graceful shutdown: uvicorn has drained the requests
        if isinstance(store, RemoteStore):
            store.close()

    app = FastAPI(
        title="open-llm-kg",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # api.pages.api_docs serves /docs without a CDN
        redoc_url=None,
    )
    deps.install(app, state)

    if settings.cors_origins:  # read-only and without cookies: docs/security.md says why safe
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=["Content-Location", "Retry-After", "Vary", "X-SPARQL-Truncated"],
            max_age=86_400,
        )
    app.add_middleware(AccessLog)
    problems.install(app)
    app.include_router(health.router)
    app.include_router(sparql.router)
    app.include_router(entities.router)
    app.include_router(lineage.router)
    app.include_router(catalog.router)
    app.include_router(network.router)
    app.include_router(releases.router)
    app.include_router(diffs.router)
    pages.install(app)
    return app
