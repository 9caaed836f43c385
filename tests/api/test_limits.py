"""Hostile queries, limits and operations: the server keeps serving, refuses what it must, says why.

The app runs with a 2 s query timeout and two workers so that the runaway cases stay short.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.main import create_app
from kg.settings import Settings
from tests.polling import wait_until
from tests.server import listening_socket, serving

TIMEOUT = 2.0
CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HOSTILE = {
    "cartesian-product": CARTESIAN,
    "deep-property-path": "SELECT (COUNT(*) AS ?n) { ?a (!<urn:x:none>)* ?b . ?c (!<urn:x:none>)* ?d }",
    "regex-bomb": 'SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f FILTER(REGEX(CONCAT(STR(?c), STR(?f)), "^(a+)+(b+)+$")) }',
    "huge-limit": "SELECT * { ?s ?p ?o } LIMIT 999999999999",
    "huge-construct": "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }",
}
HOSTILE_STATUS = {
    # Over the fixture graph (about 2,700 quads) each of these runs for 20 s or more unstopped.
    "cartesian-product": 504,
    "deep-property-path": 504,
    "regex-bomb": 504,
    # Rows are streamed and cut at max_rows: answered in milliseconds.
    "huge-limit": 200,
    "huge-construct": 200,
}


@pytest.fixture(scope="module", params=[False, True], ids=["on-disk", "in-memory"])
def app(fixture_settings: Settings, request: pytest.FixtureRequest) -> FastAPI:
    """The app, with its workers over the store on disk and forked from a copy in memory."""
    settings = fixture_settings.model_copy(
        update={
            "store_in_memory": request.param,
            "query_timeout": TIMEOUT,
            "query_workers": 2,
            "fast_workers": 0,  # one lane, one client: tests/api/test_hostile.py has the rest
            "penalty_workers": 0,
            "max_waiting": 2,
            "max_rows": 50,
            "max_query_chars": 2_000,
            "max_body_bytes": 4_096,
        }
    )
    return create_app(settings)


@pytest.fixture(scope="module")
def url(app: FastAPI) -> Iterator[str]:
    with serving(app) as base:
        yield base


def readiness(url: str) -> dict[str, Any]:
    """What /readyz says: live workers, how many run a query, how many requests wait."""
    body: dict[str, Any] = httpx.get(f"{url}/readyz").json()
    return body


def wait_for_pool(url: str, *, busy: int, waiting: int = 0) -> None:
    """Wait until both workers are alive (killed ones replaced) and the pool is this busy."""
    wanted = {"workers": 2, "busy": busy, "waiting": waiting}
    wait_until(
        lambda: {k: readiness(url).get(k) for k in wanted} == wanted,
        what=f"/readyz says {wanted}",
    )


def sparql(url: str, query: str) -> httpx.Response:
    return httpx.get(f"{url}/sparql", params={"query": query}, timeout=30)  # a hang guard


def assert_stopped(response: httpx.Response) -> None:
    """The query ran into the 2 s timeout, was stopped, and the client was told why."""
    assert response.status_code == 504, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert (
        response.json()["detail"]
        == "the query ran longer than 2 s and was stopped; add a LIMIT or narrow its patterns"
    )


def test_runaway_query_is_stopped_and_others_keep_being_served(url: str) -> None:
    wait_for_pool(url, busy=0)
    with ThreadPoolExecutor(max_workers=4) as pool:
        runaway = pool.submit(sparql, url, CARTESIAN)
        wait_for_pool(url, busy=1)  # the runaway holds one worker; the other one is free
        simple = [pool.submit(sparql, url, "ASK { ?s ?p ?o }") for _ in range(5)]
        assert [f.result().status_code for f in simple] == [200] * 5
        # Served by the other worker, not after the runaway: it still runs (5 ASKs on a tiny
        # store take milliseconds; it runs for 2 s).
        assert not runaway.done()
        assert readiness(url)["busy"] == 1
        assert_stopped(runaway.result())
    wait_for_pool(url, busy=0)  # the killed worker is replaced
    assert sparql(url, "ASK { ?s ?p ?o }").status_code == 200


@pytest.mark.parametrize(
    ("query", "status"),
    [pytest.param(HOSTILE[name], status, id=name) for name, status in HOSTILE_STATUS.items()],
)
def test_hostile_query_is_answered_within_the_timeout(url: str, query: str, status: int) -> None:
    wait_for_pool(url, busy=0)
    with ThreadPoolExecutor(max_workers=2) as pool:
        hostile = pool.submit(sparql, url, query)
        if status == 504:
            wait_for_pool(url, busy=1)  # it holds one worker...
        assert sparql(url, "ASK { ?s ?p ?o }").status_code == 200  # ...the other one answers
        response = hostile.result()
    if status == 504:
        assert_stopped(response)
        wait_for_pool(url, busy=0)  # its worker is replaced
    else:  # cut at max_rows, and said so
        assert response.status_code == 200, response.text
        assert response.headers["x-sparql-truncated"] == "true; max-rows=50"


def test_rows_are_capped_and_the_cap_is_stated(url: str) -> None:
    response = httpx.get(f"{url}/sparql", params={"query": HOSTILE["huge-limit"]}, timeout=30)
    assert response.headers["x-sparql-truncated"] == "true; max-rows=50"
    body = response.json()
    assert len(body["results"]["bindings"]) == 50
    assert body["truncated"] is True
    small = httpx.get(
        f"{url}/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 3"}, timeout=30
    )
    assert "x-sparql-truncated" not in small.headers
    assert "truncated" not in small.json()


def test_full_queue_answers_503_with_retry_after(url: str) -> None:
    wait_for_pool(url, busy=0)
    with ThreadPoolExecutor(max_workers=4) as pool:
        running = [pool.submit(sparql, url, CARTESIAN) for _ in range(2)]
        wait_for_pool(url, busy=2)  # both workers run a query
        queued = [pool.submit(sparql, url, CARTESIAN) for _ in range(2)]
        wait_for_pool(url, busy=2, waiting=2)  # and two requests wait: the queue is full
        response = sparql(url, "ASK {}")
        slow = [f.result() for f in running + queued]
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "1"
    assert (
        response.json()["detail"] == "all query workers are busy and 2 requests wait; retry shortly"
    )
    for stopped in slow:  # the queued ones ran too, on the replaced workers
        assert_stopped(stopped)
    wait_for_pool(url, busy=0)


@pytest.mark.parametrize(
    ("kwargs", "detail"),
    [
        (
            {"method": "GET", "params": {"query": "ASK {} #" + "x" * 2_000}},
            "the query has 2008 characters; the limit is 2000",
        ),
        (
            {
                "method": "POST",
                "content": "ASK {}" + " " * 5_000,
                "headers": {"Content-Type": "application/sparql-query"},
            },
            "the body has 5006 bytes; the limit is 4096",
        ),
    ],
    ids=["long-query", "large-body"],
)
def test_size_limits_answer_413(url: str, kwargs: dict[str, object], detail: str) -> None:
    response = httpx.request(url=f"{url}/sparql", timeout=30, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 413
    assert response.json()["detail"] == detail


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP listener on loopback that nobody accepts on: connections made to it wait in its
    backlog (the kernel completes them), so after the requests the backlog says who connected."""
    with listening_socket() as server:
        yield server


def connections_made(server: socket.socket) -> int:
    server.setblocking(False)
    made = 0
    while True:
        try:
            conn, _ = server.accept()
        except BlockingIOError:
            return made
        conn.close()
        made += 1


def test_nothing_connects_out(url: str, listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    target = f"http://127.0.0.1:{port}/sparql"
    queries = [
        f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"select * {{ service silent <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX remote: <{target}>\nSELECT * {{ ?x ?y ?z FILTER EXISTS {{ SERVICE remote: {{ ?s ?p ?o }} }} }}",
        f"SELECT * {{ # a comment\n SeRvIcE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        response = httpx.get(f"{url}/sparql", params={"query": query}, timeout=30)
        assert response.status_code == 403, query
    updates = [f"LOAD <{target}>", f"LOAD SILENT <{target}> INTO GRAPH <urn:g>", "CLEAR ALL"]
    for update in updates:
        assert httpx.post(f"{url}/sparql", data={"update": update}, timeout=30).status_code == 403
        direct = httpx.post(
            f"{url}/sparql",
            content=update,
            headers={"Content-Type": "application/sparql-update"},
            timeout=30,
        )
        assert direct.status_code == 403
    assert connections_made(listener) == 0  # a SERVICE call would connect before answering


def test_health_and_readiness(url: str) -> None:
    assert httpx.get(f"{url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{url}/readyz").json()
    assert ready["status"] == "ready"
    assert ready["workers"] == 2


def test_one_access_log_line_per_request(url: str, caplog: pytest.LogCaptureFixture) -> None:
    def logged() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "api.access"]

    with caplog.at_level(logging.INFO, logger="api.access"):
        httpx.get(f"{url}/healthz")
        httpx.get(f"{url}/entities/model/nope")
        # a line is written once its response is sent: maybe after the client has read it
        wait_until(lambda: len(logged()) >= 2, what="both requests are logged")
    lines = logged()
    assert len(lines) == 2
    assert lines[0].startswith('127.0.0.1 "GET /healthz" 200 ')
    assert lines[1].startswith('127.0.0.1 "GET /entities/model/nope" 404 ')
    assert all(line.endswith("ms") for line in lines)


def test_shutdown_stops_every_worker(fixture_settings: Settings) -> None:
    app = create_app(
        fixture_settings.model_copy(
            update={"query_workers": 2, "fast_workers": 0, "penalty_workers": 0}
        )
    )
    with serving(app) as base:
        assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200
        processes = [w.process for w in app.state.llmkg.pool._all]
    assert len(processes) == 2
    assert not any(p.is_alive() for p in processes)
