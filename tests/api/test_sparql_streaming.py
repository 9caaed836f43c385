"""Long SPARQL answers come from the worker in chunks and are streamed with their length;
short ones are read whole first, so their status is exact."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from fastapi import FastAPI

from api.main import create_app
from kg.settings import Settings
from kg.sparql.workers import STREAM_AFTER
from tests.server import serving

LONG = "SELECT * { ?s ?p ?o VALUES ?n { 1 2 3 4 5 6 7 8 9 10 11 12 } } LIMIT 30000"
SHORT = "SELECT * { ?s ?p ?o } LIMIT 3"


@pytest.fixture(scope="module")
def app(fixture_settings: Settings) -> FastAPI:
    settings = fixture_settings.model_copy(
        update={
            "query_workers": 1,
            "query_timeout": 30.0,
            "fast_workers": 0,
            "penalty_workers": 0,
            "max_rows": 100_000,
            "max_answer_bytes": 64 << 20,
        }
    )
    return create_app(settings)


@pytest.fixture(scope="module")
def url(app: FastAPI) -> Iterator[str]:
    with serving(app) as base:
        yield base


@pytest.mark.parametrize(
    ("media", "fmt"),
    [
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ],
)
def test_a_long_answer_is_streamed_whole_with_its_length(
    url: str, media: str, fmt: ox.QueryResultsFormat
) -> None:
    with httpx.stream(
        "POST", f"{url}/sparql", data={"query": LONG}, headers={"Accept": media}, timeout=60
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == f"{media}; charset=utf-8"
        length = int(response.headers["content-length"])
        body = response.read()
    assert length == len(body) > STREAM_AFTER
    assert "x-sparql-truncated" not in response.headers
    solutions = ox.parse_query_results(body, fmt)
    assert len(list(solutions)) == 30_000  # type: ignore[arg-type]


def test_a_short_answer_is_read_whole(url: str) -> None:
    response = httpx.post(f"{url}/sparql", data={"query": SHORT}, timeout=30)
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content)
    assert len(json.loads(response.content)["results"]["bindings"]) == 3


def test_the_worker_serves_again_after_a_stream(url: str) -> None:
    for _ in range(3):
        with httpx.stream("POST", f"{url}/sparql", data={"query": LONG}, timeout=60) as response:
            next(response.iter_bytes())  # a client that reads a little and hangs up
    assert httpx.post(f"{url}/sparql", data={"query": SHORT}, timeout=30).status_code == 200
    ready = httpx.get(f"{url}/readyz").json()
    assert ready["workers"] == 1
