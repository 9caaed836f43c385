"""Running a SPARQL query for a request, within the app's limits: shared by /sparql and the
query editor page."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from fastapi import Request

from api.state import AppState
from kg.errors import ClientGoneError, PayloadTooLargeError
from kg.sparql.cost import is_small
from kg.sparql.dataset import Dataset
from kg.sparql.protocol import Answer, refuse_forbidden
from kg.sparql.workers import Job, StreamedAnswer

T = TypeVar("T")


async def run_query(
    request: Request,
    state: AppState,
    sparql: str,
    dataset: Dataset,
    accept: str | None,
    formats: tuple[str, ...],
    endpoint: str,
) -> Answer:
    """Run ``sparql`` for ``request``'s client in a query worker, within the app's limits;
    ``endpoint`` is the base IRI. If the client goes away first, the query is dropped from
    the queue or stopped."""
    job, client, small = _job(request, state, sparql, dataset, accept, formats, endpoint)
    return await _unless_gone(request, state.pool.run(job, client, small=small))


async def stream_query(
    request: Request,
    state: AppState,
    sparql: str,
    dataset: Dataset,
    accept: str | None,
    formats: tuple[str, ...],
    endpoint: str,
) -> Answer | StreamedAnswer:
    """As :func:`run_query`, but an answer longer than ``STREAM_AFTER`` bytes comes as it is
    read from the worker (``kg.sparql.workers``)."""
    job, client, small = _job(request, state, sparql, dataset, accept, formats, endpoint)
    return await _unless_gone(request, state.pool.run_streamed(job, client, small=small))


def _job(
    request: Request,
    state: AppState,
    sparql: str,
    dataset: Dataset,
    accept: str | None,
    formats: tuple[str, ...],
    endpoint: str,
) -> tuple[Job, str, bool]:
    settings = state.settings
    if len(sparql) > settings.max_query_chars:
        raise PayloadTooLargeError(
            f"the query has {len(sparql)} characters; the limit is {settings.max_query_chars}"
        )
    refuse_forbidden(sparql)  # before any worker sees it
    job = Job(
        sparql, dataset, accept, formats, endpoint, settings.max_rows, settings.max_answer_bytes
    )
    client = request.client.host if request.client else "-"
    return job, client, is_small(sparql)


async def _unless_gone(request: Request, running: Coroutine[Any, Any, T]) -> T:
    """The result of ``running``, which is cancelled if the client closes the connection."""
    work = asyncio.ensure_future(running)
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({work, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
    if not work.done():
        work.cancel()
        await asyncio.gather(work, return_exceptions=True)  # dropped or stopped, now
        raise ClientGoneError("the client closed the connection before the answer")
    return work.result()


async def _disconnected(request: Request) -> None:
    """Return once the client has closed the connection (the body has been read already)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 past ``limit`` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLargeError(f"the body has {declared} bytes; the limit is {limit}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise PayloadTooLargeError(f"the body is longer than the limit of {limit} bytes")
    return bytes(body)
