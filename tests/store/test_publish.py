"""kg publish against a real `oxigraph serve` on loopback: every graph, idempotent, in batches."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import httpx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import PublishError
from kg.settings import Settings
from kg.store import publish as publish_module
from kg.store.local import ensure_store, open_read_only
from kg.store.publish import Part, parts, publish, requests_of, update_text
from kg.store.remote import Endpoint
from tests.triplestores import FIXTURE_QUADS, Server, oxigraph, quads_of


@pytest.fixture(scope="module")
def local(fixture_settings: Settings) -> ox.Store:
    """The fixture graph, built into an on-disk store (FIXTURE_QUADS quads in 22 graphs)."""
    return open_read_only(ensure_store(fixture_settings).path)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with oxigraph(tmp_path) as running:
        yield running


@pytest.mark.parametrize(
    ("via", "batch", "requests"),
    [("gsp", 50_000, 23), ("gsp", 500, 28), ("update", 50_000, 2), ("update", 500, 8)],
    ids=["gsp", "gsp-split-graphs", "update", "update-batches"],
)
def test_publishing_twice_leaves_the_same_data(
    local: ox.Store, server: Server, via: str, batch: int, requests: int
) -> None:
    endpoint = Endpoint(update_url=server.update, gsp_url=server.gsp)
    expected = set(local)
    first = publish(local, endpoint, via=via, batch=batch)  # type: ignore[arg-type]
    assert (first.quads, first.graphs, first.requests) == (FIXTURE_QUADS, 22, requests)
    assert quads_of(server) == expected
    httpx.post(  # a stale fact in a published graph, which the next publish must replace
        server.update,
        content="INSERT DATA { GRAPH <https://w3id.org/llmkg/ns> { <urn:x:s> <urn:x:p> 1 } }",
        headers={"Content-Type": "application/sparql-update"},
    ).raise_for_status()
    progress: list[int] = []
    second = publish(local, endpoint, via=via, batch=batch, advance=progress.append)  # type: ignore[arg-type]
    assert (second.quads, second.requests, sum(progress)) == (
        FIXTURE_QUADS,
        requests,
        FIXTURE_QUADS,
    )
    assert quads_of(server) == expected


@pytest.mark.parametrize("via", ["gsp", "update"])
def test_prune_drops_stale_graphs_of_the_namespace_only(
    local: ox.Store, server: Server, via: str
) -> None:
    endpoint = Endpoint(query_url=server.query, update_url=server.update, gsp_url=server.gsp)
    httpx.post(  # a fact graph a data change removed, and a graph someone else keeps there
        server.update,
        content="INSERT DATA { GRAPH <https://w3id.org/llmkg/id/fact/model/gone/0123456789ab> "
        "{ <urn:x:s> <urn:x:p> 1 } GRAPH <http://example.org/theirs> { <urn:x:s> <urn:x:p> 2 } }",
        headers={"Content-Type": "application/sparql-update"},
    ).raise_for_status()
    kept = publish(local, endpoint, via=via)  # type: ignore[arg-type]
    assert kept.dropped == 0
    assert len(quads_of(server)) == FIXTURE_QUADS + 2
    pruned = publish(local, endpoint, via=via, prune=True)  # type: ignore[arg-type]
    assert pruned.dropped == 1
    theirs = ox.Quad(
        ox.NamedNode("urn:x:s"),
        ox.NamedNode("urn:x:p"),
        ox.Literal(2),
        ox.NamedNode("http://example.org/theirs"),
    )
    assert quads_of(server) == set(local) | {theirs}
    assert publish(local, endpoint, via=via, prune=True).dropped == 0  # type: ignore[arg-type]


def test_prune_needs_a_query_url(local: ox.Store, server: Server) -> None:
    with pytest.raises(PublishError, match=r"^--prune lists the service's graphs over SPARQL: set"):
        publish(local, Endpoint(gsp_url=server.gsp), prune=True)


def test_parts_split_large_graphs_and_requests_pack_small_ones(local: ox.Store) -> None:
    split = list(parts(local, 500))
    ontology = [p for p in split if str(p.graph) == "<https://w3id.org/llmkg/ns>"]
    assert [(len(p.triples), p.replace) for p in ontology] == [
        (500, True),
        (500, False),
        (500, False),
        (500, False),
        (500, False),
        (53, False),
    ]
    packed = list(requests_of(split, 500, pack=True))
    assert all(sum(len(p.triples) for p in r) <= 500 for r in packed)
    assert [p for r in packed for p in r] == split


def test_a_split_graph_with_blank_nodes_is_refused() -> None:
    store = ox.Store()
    graph = ox.NamedNode("http://example.org/g")
    for i in range(3):
        store.add(
            ox.Quad(ox.BlankNode(), ox.NamedNode("http://example.org/p"), ox.Literal(i), graph)
        )
    with pytest.raises(PublishError, match="has more than 2 triples and blank nodes"):
        list(parts(store, 2))
    assert [len(p.triples) for p in parts(store, 3)] == [3]  # exactly one batch: not split


def test_update_text_drops_only_the_graphs_a_request_starts() -> None:
    g = ox.NamedNode("http://example.org/g")
    triple = ox.Triple(g, g, ox.Literal("x"))
    (request,) = requests_of([Part(g, [triple], False)], 10, pack=True)
    assert b"DROP" not in update_text(request)


def test_kg_publish_prints_throughput_and_hides_credentials(
    fixture_settings: Settings,
    server: Server,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("LLMKG_DATA_DIR", str(fixture_settings.data_dir))
    monkeypatch.setenv("LLMKG_BUILD_DIR", str(fixture_settings.build_dir))
    monkeypatch.setenv("LLMKG_STORE_USER", "alice")
    monkeypatch.setenv("LLMKG_STORE_PASSWORD", "hunter2")
    with_password = server.gsp.replace("http://", "http://alice:s3cret@")
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(main, ["-v", "publish", "--to", with_password, "--batch", "100"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"published {FIXTURE_QUADS} quads in 22 graphs to {server.gsp} in "
    )
    assert result.stdout.endswith(" requests)\n")
    assert "quads/s" in result.stdout
    shown = result.output + caplog.text
    assert "s3cret" not in shown
    assert "hunter2" not in shown
    assert "hunter2" not in repr(Endpoint.from_settings(Settings()))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["publish"], "Error: no gsp URL to publish to: give --to URL or set LLMKG_GSP_URL\n"),
        (
            ["publish", "--via", "update"],
            "Error: no update URL to publish to: give --to URL or set LLMKG_UPDATE_URL\n",
        ),
        (
            ["publish", "--to", "http://127.0.0.1:9/store"],
            "publishing to http://127.0.0.1:9/store\n"
            "Error: cannot reach http://127.0.0.1:9/store: [Errno 111] Connection refused\n",
        ),
    ],
    ids=["no-gsp-url", "no-update-url", "unreachable"],
)
def test_kg_publish_errors(
    fixture_settings: Settings, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.setenv("LLMKG_DATA_DIR", str(fixture_settings.data_dir))
    monkeypatch.setenv("LLMKG_BUILD_DIR", str(fixture_settings.build_dir))
    result = CliRunner().invoke(main, args)
    assert (result.exit_code, result.stderr) == (1, message)


def test_a_refused_request_names_the_status(local: ox.Store, server: Server) -> None:
    wrong = Endpoint(gsp_url=server.query)  # the query endpoint takes no graphs
    with pytest.raises(PublishError, match=r"^http://127\.0\.0\.1:\d+/query answered 4\d\d: "):
        publish(local, wrong)
    with pytest.raises(PublishError, match="--batch and --parallel must be at least 1"):
        publish(local, replace(wrong, gsp_url=server.gsp), batch=0)


class DeadlockingService(BaseHTTPRequestHandler):
    """A Graph Store that refuses each graph's first write as Virtuoso does under concurrent
    writes (500, ``SR172: Transaction deadlocked``), or every write with another 500."""

    seen: ClassVar[Counter[str]] = Counter()
    stored: ClassVar[set[str]] = set()
    always: ClassVar[str] = ""

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        graph = parse_qs(urlparse(self.path).query)["graph"][0]
        self.seen[graph] += 1
        if self.always or self.seen[graph] == 1:
            body = (self.always or "<h3>Error 40001</h3> SR172: Transaction deadlocked").encode()
            self.send_response(500)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.stored.add(graph)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def deadlocking() -> Iterator[str]:
    DeadlockingService.seen, DeadlockingService.stored = Counter(), set()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), DeadlockingService)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/store"
    httpd.shutdown()
    httpd.server_close()


def test_a_deadlocked_write_is_sent_again(
    local: ox.Store, deadlocking: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publish_module, "DEADLOCK_WAITS", (0.01,))
    monkeypatch.setattr(DeadlockingService, "always", "")
    published = publish(local, Endpoint(gsp_url=deadlocking), batch=50_000)
    names = {g.value for g in local.named_graphs()}
    assert DeadlockingService.stored == names
    assert set(DeadlockingService.seen.values()) == {2}
    assert published.graphs == len(names)


def test_another_server_error_is_not_sent_again(
    local: ox.Store, deadlocking: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DeadlockingService, "always", "disk full")
    with pytest.raises(PublishError, match=r"/store answered 500: disk full$"):
        publish(local, Endpoint(gsp_url=deadlocking), parallel=1)
    assert set(DeadlockingService.seen.values()) == {1}
