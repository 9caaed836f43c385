"""Hostile queries, limits and operations: the server keeps serving, refuses what it must, says why.

The app runs with a 2 s query timeout and two workers so that the runaway cases stay short.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi import FastAPI

from api.main import create_app
from kg.settings import Settings
from tests.server import serving

TIMEOUT = 2.0
CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HOSTILE = {
    "cartesian-product": CARTESIAN,
    "deep-property-path": "SELECT (COUNT(*) AS ?n) { ?a (!<urn:x:none>)* ?b . ?c (!<urn:x:none>)* ?d }",
    "regex-bomb": 'SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f FILTER(REGEX(CONCAT(STR(?c), STR(?f)), "^(a+)+(b+)+$")) }',
    "huge-limit": "SELECT * { ?s ?p ?o } LIMIT 999999999999",
    "huge-construct": "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }",
}


@pytest.fixture(scope="module")
def app(fixture_settings: Settings) -> FastAPI:
    settings = fixture_settings.model_copy(
        update={
            "query_timeout": TIMEOUT,
            "query_workers": 2,
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


def all_workers_ready(url: str, workers: int = 2) -> None:
    """Wait until workers killed by an earlier test have been replaced."""
    deadline = time.monotonic() + 30
    while httpx.get(f"{url}/readyz").json().get("workers") != workers:
        assert time.monotonic() < deadline, "workers were not replaced"
        time.sleep(0.05)


def wait_until_queued(url: str, waiting: int) -> None:
    deadline = time.monotonic() + 5
    while httpx.get(f"{url}/readyz").json().get("waiting") != waiting:
        assert time.monotonic() < deadline, f"{waiting} requests did not queue in 5 s"
        time.sleep(0.02)


def ask(url: str) -> float:
    start = time.monotonic()
    response = httpx.get(f"{url}/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert response.status_code == 200
    return time.monotonic() - start


def test_runaway_query_is_stopped_and_others_keep_being_served(url: str) -> None:
    all_workers_ready(url)
    with ThreadPoolExecutor(max_workers=4) as pool:
        started = time.monotonic()
        runaway = pool.submit(httpx.get, f"{url}/sparql", params={"query": CARTESIAN}, timeout=30)
        time.sleep(0.3)
        simple = [pool.submit(ask, url) for _ in range(5)]
        assert max(f.result() for f in simple) < 1.0
        response = runaway.result()
        elapsed = time.monotonic() - started
    assert response.status_code == 504
    assert response.headers["content-type"] == "application/problem+json"
    assert (
        response.json()["detail"]
        == "the query ran longer than 2 s and was stopped; add a LIMIT or narrow its patterns"
    )
    assert TIMEOUT <= elapsed < TIMEOUT + 1
    all_workers_ready(url)  # the killed worker is replaced
    assert ask(url) < 1.0


@pytest.mark.parametrize("query", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_query_is_answered_within_the_timeout(url: str, query: str) -> None:
    all_workers_ready(url)
    with ThreadPoolExecutor(max_workers=2) as pool:
        started = time.monotonic()
        hostile = pool.submit(httpx.get, f"{url}/sparql", params={"query": query}, timeout=30)
        time.sleep(0.2)
        assert ask(url) < 1.0
        response = hostile.result()
    assert time.monotonic() - started < TIMEOUT + 1
    assert response.status_code in (200, 504), response.text


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
    all_workers_ready(url)
    with ThreadPoolExecutor(max_workers=6) as pool:
        slow = [
            pool.submit(httpx.get, f"{url}/sparql", params={"query": CARTESIAN}, timeout=30)
            for _ in range(4)
        ]
        wait_until_queued(url, 2)  # two run, two wait: the queue is full
        response = httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=30)
        statuses = sorted(f.result().status_code for f in slow)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert (
        response.json()["detail"]
        == "all 2 query workers are busy and 2 requests wait; retry shortly"
    )
    assert statuses == [504, 504, 504, 504]


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
def listener() -> Iterator[tuple[int, list[object]]]:
    """A TCP listener on loopback that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)
    connections: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            connections.append(conn)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join()
    server.close()


def test_nothing_connects_out(url: str, listener: tuple[int, list[object]]) -> None:
    port, connections = listener
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
    time.sleep(0.3)
    assert connections == []


def test_health_and_readiness(url: str) -> None:
    assert httpx.get(f"{url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{url}/readyz").json()
    assert ready["status"] == "ready"
    assert ready["workers"] == 2


def test_one_access_log_line_per_request(url: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="api.access"):
        httpx.get(f"{url}/healthz")
        httpx.get(f"{url}/entities/model/nope")
    lines = [r.getMessage() for r in caplog.records if r.name == "api.access"]
    assert len(lines) == 2
    assert lines[0].startswith('127.0.0.1 "GET /healthz" 200 ')
    assert lines[1].startswith('127.0.0.1 "GET /entities/model/nope" 404 ')
    assert all(line.endswith("ms") for line in lines)


def test_shutdown_stops_every_worker(fixture_settings: Settings) -> None:
    app = create_app(fixture_settings.model_copy(update={"query_workers": 2}))
    with serving(app) as base:
        assert httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200
        processes = [w.process for w in app.state.pool._all]
    assert len(processes) == 2
    assert not any(p.is_alive() for p in processes)
