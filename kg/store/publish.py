"""Publish the graph to a remote SPARQL 1.1 service, graph by graph, in batches.

Every graph of the store (each fact graph, the provenance graph, the ontology graph) replaces
the graph of the same name on the service, so publishing twice leaves the same data:

- through the Graph Store HTTP Protocol (``via="gsp"``): one ``PUT ?graph=IRI`` per graph;
  a graph larger than a batch is PUT in its first batch and POSTed (merged) in the next ones;
- through SPARQL Update (``via="update"``), for services that offer nothing else: one request
  per batch, ``DROP SILENT GRAPH`` then ``INSERT DATA`` for the graphs it starts.

Requests run ``parallel`` at a time; the parts of one graph are sent in order.

With ``prune``, graphs the service holds under the graph's own namespace
(``https://w3id.org/llmkg/``) that the store no longer has (fact graphs of changed or removed
facts) are dropped afterwards: ``DELETE ?graph=IRI``, or ``DROP SILENT GRAPH``. Graphs outside
the namespace are never touched, nor the graphs of published releases (``RELEASES``).

When the service takes SPARQL Update (``endpoint.update_url``, also with ``via="gsp"``), the
publish is all or nothing: every graph is first sent to a staging graph of its own
(``https://w3id.org/llmkg/publishing/<hash>``), then one SPARQL Update request moves each into
place (``MOVE``) and drops the stale graphs, which the service runs as one transaction. A
publish stopped at any moment leaves the service's graphs as they were, or (once that request
is sent) all new; only staging graphs are left behind, which the next publish overwrites and,
with a query URL to list them, drops first. Without an Update URL, graphs are replaced one by
one (a warning says so).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx
import pyoxigraph as ox

from kg.errors import KGError, PublishError
from kg.locks import writing
from kg.store.remote import Endpoint, check_response, redact, send
from kg.store.staging import (
    NAMESPACE,
    RELEASES,
    STAGING,
    Graph,
    remote_graphs,
    staging_graph,
    switch_text,
)

logger = logging.getLogger(__name__)

Via = Literal["gsp", "update"]


@dataclass(frozen=True)
class Part:
    """Triples of one graph; ``replace`` on the first part of a graph (it replaces the graph)."""

    graph: Graph
    triples: list[ox.Triple]
    replace: bool


@dataclass(frozen=True)
class Published:
    """What a publish sent: quads, graphs, requests, stale graphs dropped and the seconds it took."""

    quads: int
    graphs: int
    requests: int
    seconds: float
    dropped: int = 0

    @property
    def rate(self) -> float:
        """Quads per second."""
        return self.quads / self.seconds if self.seconds > 0 else float("inf")


def graphs_of(store: ox.Store) -> list[Graph]:
    """The graphs to publish: the default graph if it holds anything, then every named graph."""
    default: list[Graph] = [ox.DefaultGraph()]
    if next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is None:
        default = []
    return default + sorted(store.named_graphs(), key=str)


def parts(store: ox.Store, batch: int) -> Iterator[Part]:
    """Each graph of ``store`` in parts of at most ``batch`` triples, graph after graph.

    Raises
    ------
    PublishError
        If a graph larger than ``batch`` has blank nodes: split over several requests, each
        would get its own copy of them.
    """
    for graph in graphs_of(store):
        if isinstance(graph, ox.BlankNode):
            raise PublishError(
                f"graph {graph} is named by a blank node, which no service can address"
            )
        chunk: list[ox.Triple] = []
        first = True
        for quad in store.quads_for_pattern(None, None, None, graph):
            if len(chunk) == batch:
                if first and _has_blank_nodes(store, graph):
                    raise PublishError(
                        f"graph {graph} has more than {batch} triples and blank nodes; "
                        "publish it with a larger --batch so that it goes in one request"
                    )
                yield Part(graph, chunk, first)
                chunk, first = [], False
            chunk.append(quad.triple)
        if chunk:
            yield Part(graph, chunk, first)


def _has_blank_nodes(store: ox.Store, graph: Graph) -> bool:
    name = "" if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph}"
    return bool(store.query(f"ASK {{ {name} {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}"))


def requests_of(parts: Iterable[Part], batch: int, *, pack: bool) -> Iterator[list[Part]]:
    """Group parts into requests: one part each, or (``pack``) up to ``batch`` triples each."""
    pending: list[Part] = []
    size = 0
    for part in parts:
        if not pack:
            yield [part]
            continue
        if pending and size + len(part.triples) > batch:
            yield pending
            pending, size = [], 0
        pending.append(part)
        size += len(part.triples)
    if pending:
        yield pending


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def update_text(request: list[Part]) -> bytes:
    """The SPARQL Update of one request: drop the graphs it starts, insert its triples.

    Examples
    --------
    >>> g, s = ox.NamedNode("http://example.org/g"), ox.NamedNode("http://example.org/s")
    >>> print(update_text([Part(g, [ox.Triple(s, s, ox.Literal("x"))], True)]).decode(), end="")
    DROP SILENT GRAPH <http://example.org/g> ;
    INSERT DATA {
    GRAPH <http://example.org/g> {
    <http://example.org/s> <http://example.org/s> "x" .
    }
    }
    """
    drops = [
        "DROP SILENT DEFAULT ;\n"
        if isinstance(p.graph, ox.DefaultGraph)
        else f"DROP SILENT GRAPH {p.graph} ;\n"
        for p in request
        if p.replace
    ]
    blocks = [
        _ntriples(p.triples)
        if isinstance(p.graph, ox.DefaultGraph)
        else f"GRAPH {p.graph} {{\n".encode() + _ntriples(p.triples) + b"}\n"
        for p in request
    ]
    return "".join(drops).encode() + b"INSERT DATA {\n" + b"".join(blocks) + b"}\n"


def target(endpoint: Endpoint, via: Via) -> str:
    """The URL that ``publish`` sends to: the Graph Store Protocol or the Update endpoint."""
    url = endpoint.gsp_url if via == "gsp" else endpoint.update_url
    if not url:
        setting = "LLMKG_GSP_URL" if via == "gsp" else "LLMKG_UPDATE_URL"
        raise PublishError(f"no {via} URL to publish to: give --to URL or set {setting}")
    return url


DEADLOCK_WAITS = (0.1, 0.3, 1.0, 3.0)
"""Seconds to wait before each new try of a request the service refused as deadlocked."""


def _deadlocked(response: httpx.Response) -> bool:
    """Whether the service says the request's transaction deadlocked and was rolled back
    (Virtuoso answers concurrent writes so: ``500``, ``Error 40001``, ``SR172: Transaction
    deadlocked``); any other failure is reported as it is."""
    if response.status_code not in (500, 503):
        return False
    response.read()
    return "deadlock" in response.text.lower()


class _Sender:
    """Sends one request of parts through the Graph Store Protocol or SPARQL Update."""

    def __init__(self, endpoint: Endpoint, via: Via, timeout: float) -> None:
        self.url = target(endpoint, via)
        self.via = via
        self.client = endpoint.client(timeout=timeout)

    def update(self, text: bytes) -> None:
        """Send one SPARQL Update request (``via="update"``)."""
        self._send(
            self.client.build_request(
                "POST",
                self.url,
                content=text,
                headers={"Content-Type": "application/sparql-update"},
            )
        )

    def drop(self, graphs: list[ox.NamedNode]) -> None:
        """Drop ``graphs`` on the service: one ``DELETE`` each, or one SPARQL Update for all."""
        if self.via == "update":
            drops = "".join(f"DROP SILENT GRAPH {g} ;\n" for g in graphs).removesuffix(" ;\n")
            self.update(drops.encode())
            return
        for graph in graphs:
            url = httpx.URL(self.url).copy_merge_params({"graph": graph.value})
            self._send(self.client.build_request("DELETE", url))

    def _send(self, message: httpx.Request) -> None:
        response = send(self.client, message)
        for wait in DEADLOCK_WAITS:  # the service rolled the transaction back: send it again
            if not _deadlocked(response):
                break
            logger.info("%s: transaction deadlocked, sending it again in %.1f s", self.url, wait)
            time.sleep(wait)
            response = send(self.client, message)
        try:
            check_response(response, self.url)
        except KGError as exc:
            hint = "; a smaller --batch may help" if self.via == "update" else ""
            raise PublishError(f"{exc}{hint}") from None

    def __call__(self, request: list[Part]) -> int:
        if self.via == "update":
            message = self.client.build_request(
                "POST",
                self.url,
                content=update_text(request),
                headers={"Content-Type": "application/sparql-update"},
            )
        else:
            (part,) = request
            graph = {"default": ""} if isinstance(part.graph, ox.DefaultGraph) else {}
            message = self.client.build_request(
                "PUT" if part.replace else "POST",
                httpx.URL(self.url).copy_merge_params(
                    graph or {"graph": getattr(part.graph, "value", "")}
                ),
                content=_ntriples(part.triples),
                headers={"Content-Type": "application/n-triples"},
            )
        self._send(message)
        return sum(len(p.triples) for p in request)


def stale_graphs(store: ox.Store, endpoint: Endpoint) -> list[ox.NamedNode]:
    """Graphs of the service in ``NAMESPACE`` that ``store`` does not have, in IRI order.

    Raises
    ------
    PublishError
        If ``endpoint`` has no query URL to list the service's graphs with.
    """
    if not endpoint.query_url:
        raise PublishError(
            "--prune lists the service's graphs over SPARQL: set LLMKG_STORE_URL to its query URL"
        )
    local = set(store.named_graphs())
    return [
        g
        for g in remote_graphs(endpoint, NAMESPACE)
        if g not in local and not g.value.startswith((STAGING, RELEASES))
    ]


def publish(
    store: ox.Store,
    endpoint: Endpoint,
    *,
    via: Via = "gsp",
    batch: int = 1_000,
    parallel: int = 4,
    timeout: float = 300.0,
    prune: bool = False,
    advance: Callable[[int], None] = lambda n: None,
    lock_dir: Path | None = None,
) -> Published:
    """Publish every graph of ``store`` to the service at ``endpoint``, replacing its graphs.

    Parameters
    ----------
    store
        The graph to publish: fact graphs, the provenance graph and the ontology graph.
    endpoint
        ``endpoint.gsp_url`` (``via="gsp"``) or ``endpoint.update_url`` (``via="update"``),
        with the credentials.
    via
        ``gsp``: the SPARQL 1.1 Graph Store HTTP Protocol; ``update``: SPARQL 1.1 Update.
    batch
        Triples per request at most (a larger graph goes in several requests).
    parallel
        Requests in flight at once.
    timeout
        Seconds one request may take.
    prune
        Then drop the service's graphs in ``NAMESPACE`` that ``store`` does not have (needs
        ``endpoint.query_url`` to list them).
    advance
        Called with the number of quads each request delivered, for a progress bar.
    lock_dir
        Where to keep the lock that refuses a second publish to the same service from this
        checkout (``kg publish`` gives the build directory); None: no lock.

    Returns
    -------
    Published
        Quads, graphs and requests sent, and the time taken.

    Raises
    ------
    PublishError
        If the service refuses a request or cannot be reached. With an Update URL the
        service's graphs are then as they were (publishing again sends everything); without,
        graphs sent until then stay published, and publishing again completes the rest.
    """
    if batch < 1 or parallel < 1:
        raise PublishError("--batch and --parallel must be at least 1")
    url = target(endpoint, via)
    if lock_dir is None:
        return _publish(store, endpoint, via, batch, parallel, timeout, prune, advance)
    name = f"publish-{hashlib.sha256(url.encode()).hexdigest()[:12]}"
    with writing(lock_dir / name, "kg publish", shown=redact(url)):
        return _publish(store, endpoint, via, batch, parallel, timeout, prune, advance)


def _publish(
    store: ox.Store,
    endpoint: Endpoint,
    via: Via,
    batch: int,
    parallel: int,
    timeout: float,
    prune: bool,
    advance: Callable[[int], None],
) -> Published:
    sender = _Sender(endpoint, via, timeout)
    atomic = endpoint.update_url is not None
    switcher = sender if via == "update" or not atomic else _Sender(endpoint, "update", timeout)
    if not atomic:
        logger.warning(
            "no SPARQL Update URL (LLMKG_UPDATE_URL): graphs are replaced one by one, and a "
            "publish stopped halfway leaves some old and some new"
        )
    stale = stale_graphs(store, endpoint) if prune else []
    if atomic and endpoint.query_url:  # what a publish stopped before its last update left
        left = remote_graphs(endpoint, STAGING)
        for i in range(0, len(left), batch):
            switcher.drop(left[i : i + batch])
    start = time.perf_counter()
    quads = graphs = requests = 0
    inflight: deque[Future[int]] = deque()
    sent: list[Graph] = []

    def staged(parts: Iterable[Part]) -> Iterator[Part]:
        for part in parts:
            if part.replace:
                sent.append(part.graph)
            yield Part(staging_graph(part.graph), part.triples, part.replace) if atomic else part

    def collect() -> int:
        delivered = inflight.popleft().result()
        advance(delivered)
        return delivered

    try:
        with ThreadPoolExecutor(parallel, thread_name_prefix="publish") as pool:
            for request in requests_of(staged(parts(store, batch)), batch, pack=via == "update"):
                if not request[0].replace and inflight:
                    inflight[-1].result()  # the graph's earlier part first
                inflight.append(pool.submit(sender, request))
                requests += 1
                graphs += sum(p.replace for p in request)
                while len(inflight) > 2 * parallel:
                    quads += collect()
            while inflight:
                quads += collect()
        if atomic:  # one request, one transaction: every graph at once
            switcher.update(switch_text(sent, stale))
            requests += 1
        else:
            for i in range(0, len(stale), batch):
                sender.drop(stale[i : i + batch])
    finally:
        sender.client.close()
        switcher.client.close()
    published = Published(quads, graphs, requests, time.perf_counter() - start, len(stale))
    logger.info(
        "published %d quads in %d graphs to %s in %.1f s (%.0f quads/s, %d requests), "
        "dropped %d stale graphs",
        quads,
        graphs,
        redact(sender.url),
        published.seconds,
        published.rate,
        requests,
        len(stale),
    )
    return published
