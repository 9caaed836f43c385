"""Running a SPARQL query for a request, within the app's limits: shared by /sparql and the
query editor page."""

from __future__ import annotations

from fastapi import Request

from api.state import AppState
from kg.errors import PayloadTooLargeError
from kg.sparql.dataset import Dataset
from kg.sparql.protocol import Answer, refuse_forbidden
from kg.sparql.workers import Job


async def run_query(
    state: AppState,
    sparql: str,
    dataset: Dataset,
    accept: str | None,
    formats: tuple[str, ...],
    endpoint: str,
) -> Answer:
    """Run ``sparql`` in a query worker, within the app's limits; ``endpoint`` is the base IRI."""
    settings = state.settings
    if len(sparql) > settings.max_query_chars:
        raise PayloadTooLargeError(
            f"the query has {len(sparql)} characters; the limit is {settings.max_query_chars}"
        )
    refuse_forbidden(sparql)  # before any worker sees it
    job = Job(sparql, dataset, accept, formats, endpoint, settings.max_rows)
    return await state.pool.run(job)


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
