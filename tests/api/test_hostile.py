"""Hostile traffic against a real server: memory caps, answers capped in bytes, clients that
leave, one client's share, the fast lane, and the limits on what a request may send.

Clients speak from different loopback addresses (127.0.0.x) so that the server tells them apart.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.main import create_app
from kg.settings import Settings
from tests.polling import wait_until
from tests.server import serving

TIMEOUT = 4.0
MEMORY_MB = 256
MAX_BYTES = 65_536
CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SORTED = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 999999999999"
LOOKS_SMALL = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(?c = ?f && ?f = ?i && ?c != ?i) }"
DOUBLINGS = 20  # a 1 MiB string
HUGE_STRING = (
    'SELECT ?x20 { BIND("a" AS ?x0) '
    + " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(DOUBLINGS))
    + " }"
)


@pytest.fixture(scope="module", params=[False, True], ids=["on-disk", "in-memory"])
def app(fixture_settings: Settings, request: pytest.FixtureRequest) -> FastAPI:
    """The app, with its workers over the store on disk and forked from a copy in memory."""
    settings = fixture_settings.model_copy(
        update={
            "store_in_memory": request.param,
            "query_timeout": TIMEOUT,
            "query_workers": 2,
            "fast_workers": 1,
            "fast_timeout": 0.5,
            "penalty_workers": 1,
            "worker_memory_mb": MEMORY_MB,
            "max_answer_bytes": MAX_BYTES,
            "max_waiting": 8,
            "queue_timeout": 2.0,
            "client_workers": 1,
            "client_waiting": 2,
            "max_request_line_bytes": 4_096,
            "max_header_bytes": 2_048,
            "max_headers": 20,
            "header_timeout": 1.0,
        }
    )
    return create_app(settings)


@pytest.fixture(scope="module")
def url(app: FastAPI) -> Iterator[str]:
    with serving(app) as base:
        yield base


def client(address: str, timeout: float = 30) -> httpx.Client:
    """A client that connects from ``address`` (any 127.0.0.x is loopback on Linux)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=timeout)


def ask(url: str, query: str, address: str = "127.0.0.1", timeout: float = 30) -> httpx.Response:
    with client(address, timeout) as http:
        return http.get(f"{url}/sparql", params={"query": query})


def readiness(url: str) -> dict[str, Any]:
    body: dict[str, Any] = httpx.get(f"{url}/readyz").json()
    return body


def settle(url: str, *, busy: int = 0, waiting: int = 0, timeout: float = 30) -> None:
    """Wait until every worker is alive (killed ones replaced) and the pool is this busy."""
    wanted = {"workers": 4, "busy": busy, "waiting": waiting}
    wait_until(
        lambda: {k: readiness(url).get(k) for k in wanted} == wanted,
        what=f"/readyz says {wanted}",
        timeout=timeout,
    )


def test_query_past_the_memory_cap_is_stopped_with_422(app: FastAPI, url: str) -> None:
    settle(url)
    before = app.state.llmkg.pool.worker_pids()
    response = ask(url, SORTED)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Query needs too much memory"
    assert response.json()["detail"] == (
        f"the query needed more than the {MEMORY_MB} MB a query worker may use and was "
        "stopped; add a LIMIT, avoid ORDER BY over large results, or narrow its patterns"
    )
    settle(url)  # its worker is replaced; the others never stopped
    after = app.state.llmkg.pool.worker_pids()
    assert len(set(before) - set(after)) == 1
    assert ask(url, "ASK { ?s ?p ?o }").json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_answers_are_cut_at_max_bytes_and_say_so(url: str, fmt: str) -> None:
    with client("127.0.0.1") as http:
        response = http.get(
            f"{url}/sparql", params={"query": "SELECT * { ?s ?p ?o }", "format": fmt}
        )
    assert response.status_code == 200
    assert response.headers["x-sparql-truncated"] == f"true; max-bytes={MAX_BYTES}"
    assert MAX_BYTES / 2 < len(response.content) <= MAX_BYTES
    if fmt == "json":
        assert response.json()["truncated"] is True


def test_a_graph_answer_is_cut_at_max_bytes(url: str) -> None:
    with client("127.0.0.1") as http:
        response = http.get(
            f"{url}/sparql",
            params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
            headers={"Accept": "application/n-triples"},
        )
    assert response.status_code == 200
    assert response.headers["x-sparql-truncated"] == f"true; max-bytes={MAX_BYTES}"
    assert MAX_BYTES / 2 < len(response.content) <= MAX_BYTES
    assert response.text.endswith(" .\n")  # whole triples only


def test_one_value_larger_than_the_cap_leaves_no_row(url: str) -> None:
    response = ask(url, HUGE_STRING)
    assert response.status_code == 200
    assert response.headers["x-sparql-truncated"] == f"true; max-bytes={MAX_BYTES}"
    assert response.json() == {
        "head": {"vars": ["x20"]},
        "results": {"bindings": []},
        "truncated": True,
    }


def test_queries_of_clients_that_left_are_dropped_and_stopped(app: FastAPI, url: str) -> None:
    settle(url)
    before = set(app.state.llmkg.pool.worker_pids())
    addresses = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
    with ThreadPoolExecutor(max_workers=6) as threads:
        # Two run (one per general worker), the others wait; every client gives up at 1 s.
        left = [threads.submit(ask, url, CARTESIAN, a, 1.0) for a in addresses * 2]
        for future in left:
            with pytest.raises(httpx.ReadTimeout):
                future.result()
    # Nothing runs or waits any more, well before the running ones would have timed out.
    wait_until(
        lambda: {k: readiness(url)[k] for k in ("busy", "waiting")} == {"busy": 0, "waiting": 0},
        what="no query runs or waits",
        timeout=TIMEOUT - 2,
    )
    stopped = before - set(app.state.llmkg.pool.worker_pids())
    assert len(stopped) >= 2  # the two that ran (and any that got a replacement meanwhile)
    settle(url)


def test_one_client_holds_at_most_its_share(url: str) -> None:
    settle(url)
    with ThreadPoolExecutor(max_workers=6) as threads:
        mine = [threads.submit(ask, url, CARTESIAN, "127.0.0.5") for _ in range(3)]
        settle(url, busy=1, waiting=2)  # one runs; two wait although a worker is idle
        refused = ask(url, CARTESIAN, "127.0.0.5")
        other = threads.submit(ask, url, CARTESIAN, "127.0.0.6")
        settle(url, busy=2, waiting=2)  # another client still gets the idle worker
        waited = sorted((f.result() for f in mine), key=lambda r: r.status_code)
        other_status = other.result().status_code
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "2"
    assert refused.json()["detail"] == (
        "127.0.0.5 has 1 queries running and 2 waiting, its share of this service; "
        "wait for them to finish"
    )
    assert [r.status_code for r in waited] == [503, 503, 504]  # one ran; two waited 2 s
    assert waited[0].json()["detail"] == "no query worker came free within 2 s; retry shortly"
    assert waited[0].headers["retry-after"] == "1"
    assert other_status == 504
    settle(url)


def test_small_queries_are_served_while_the_general_lane_is_full(url: str) -> None:
    settle(url)
    with ThreadPoolExecutor(max_workers=4) as threads:
        slow = [threads.submit(ask, url, CARTESIAN, a) for a in ("127.0.0.7", "127.0.0.8")]
        settle(url, busy=2)  # both general workers run a slow query
        probes = [ask(url, "ASK { ?s ?p ?o }", f"127.0.1.{i}") for i in range(20)]
        assert readiness(url)["busy"] == 2  # still running: the probes did not wait for them
        assert [r.status_code for r in probes] == [200] * 20
        assert [f.result().status_code for f in slow] == [504, 504]
    settle(url)


def test_a_client_whose_query_overran_keeps_to_the_penalty_lane(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settle(url)
    with caplog.at_level("INFO", logger="kg.sparql.workers"):
        response = ask(url, LOOKS_SMALL, "127.0.0.9")  # looks small, overruns the fast lane
    assert response.status_code == 504  # run again, stopped at the 4 s deadline, not 0.5 s
    assert response.json()["detail"] == (
        "the query ran longer than 4 s and was stopped; add a LIMIT or narrow its patterns"
    )
    assert "127.0.0.9: a query overran the fast lane; penalized for a while" in caplog.messages
    with ThreadPoolExecutor(max_workers=1) as threads:
        again = threads.submit(ask, url, CARTESIAN, "127.0.0.9")
        wait_until(
            lambda: readiness(url)["lanes"]["penalty"] == {"workers": 1, "busy": 1},
            what="the penalized client's query runs in the penalty lane",
        )
        assert readiness(url)["lanes"]["general"] == {"workers": 2, "busy": 0}
        assert again.result().status_code == 504
    settle(url)


def raw(url: str, data: bytes) -> bytes:
    """Send ``data`` on a new connection and read until the server closes it."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)  # the server may refuse before all of it is sent
        chunks = []
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65_536):
                chunks.append(chunk)
    return b"".join(chunks)


def problem_of(answer: bytes) -> tuple[int, dict[str, Any]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    assert b"content-type: application/problem+json" in head
    assert b"connection: close" in head
    return status, json.loads(body)


def test_a_long_request_line_gets_414(url: str) -> None:
    status, body = problem_of(raw(url, b"GET /sparql?query=" + b"x" * 5_000 + b" HTTP/1.1\r\n"))
    assert status == 414
    assert body["detail"] == "the request target is longer than 4096 bytes"


@pytest.mark.parametrize(
    "headers",
    [
        b"".join(b"x-h%d: v\r\n" % i for i in range(25)) + b"\r\n",  # too many
        b"x-big: " + b"v" * 3_000 + b"\r\n\r\n",  # too large in all
        b"x-huge: " + b"v" * 200_000,  # one that never ends
    ],
    ids=["count", "bytes", "unfinished"],
)
def test_header_fields_past_the_limits_get_431(url: str, headers: bytes) -> None:
    status, body = problem_of(raw(url, b"GET /healthz HTTP/1.1\r\nhost: x\r\n" + headers))
    assert status == 431
    assert body["detail"] == (
        "the request header fields are over the limit of 20 fields or 2048 bytes"
    )


def test_a_slow_request_head_gets_408(url: str) -> None:
    status, body = problem_of(raw(url, b"GET /healthz HTTP/1.1\r\nhost: x\r\n"))
    assert status == 408
    assert body["detail"] == "the request head took longer than 1 s"


def test_malformed_http_gets_400_problem(url: str) -> None:
    status, body = problem_of(raw(url, b"GET /healthz HTTP/9.9 nonsense\r\n\r\n"))
    assert status == 400
    assert body["detail"] == "the request is not valid HTTP/1.1"


def test_requests_within_the_limits_and_kept_alive_are_served(url: str) -> None:
    headers = {f"x-h{i}": "v" * 50 for i in range(15)}
    with httpx.Client(timeout=30) as http:
        for _ in range(3):  # one connection, kept alive past the head timeout
            assert http.get(f"{url}/healthz", headers=headers).status_code == 200
            time.sleep(0.6)
