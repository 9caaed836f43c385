"""Publish throughput: `kg publish` to a real SPARQL server on loopback, by protocol and batch.

    python benchmarks/publish.py [--graphs 20000] [--virtuoso]

Publishes the curated graph (data/) and a synthetic graph shaped like it (one small fact graph
per fact group, a provenance graph describing each) to `oxigraph serve`, through the Graph
Store Protocol and through SPARQL Update, and compares with the peer: the same quads POSTed to
Oxigraph's own bulk endpoint in one N-Quads request (not a standard protocol, the fastest way
in). With --virtuoso, also to Virtuoso 7. Prints a Markdown table for docs/scale.md.
This is a benchmark, not a test: run it by hand.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.settings import Settings
from kg.store.local import ensure_store, open_read_only
from kg.store.publish import publish
from kg.store.remote import Endpoint
from tests.triplestores import Server, oxigraph, virtuoso

LLMKG = "https://w3id.org/llmkg/"


def synthetic(graphs: int) -> ox.Store:
    """``graphs`` fact graphs of 5 triples, each described by 4 triples of the provenance graph."""
    store = ox.Store()
    prov = ox.NamedNode(f"{LLMKG}id/graph/provenance")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    trained = ox.NamedNode(f"{LLMKG}ns#trainedOn")
    derived = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    confidence = ox.NamedNode(f"{LLMKG}ns#confidence")
    kind = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    quads = []
    for i in range(graphs):
        model = ox.NamedNode(f"{LLMKG}id/model/m{i}")
        graph = ox.NamedNode(f"{LLMKG}id/fact/model/m{i}/{i:012x}")
        quads += [
            ox.Quad(model, kind, ox.NamedNode(f"{LLMKG}ns#Model"), graph),
            ox.Quad(model, label, ox.Literal(f"Model {i}"), graph),
            ox.Quad(model, trained, ox.NamedNode(f"{LLMKG}id/dataset/d{i % 97}"), graph),
            ox.Quad(model, trained, ox.NamedNode(f"{LLMKG}id/dataset/d{i % 89}"), graph),
            ox.Quad(model, ox.NamedNode(f"{LLMKG}ns#parameterCount"), ox.Literal(i), graph),
            ox.Quad(graph, kind, ox.NamedNode(f"{LLMKG}ns#FactGraph"), prov),
            ox.Quad(graph, derived, ox.NamedNode(f"https://example.org/m{i}"), prov),
            ox.Quad(graph, confidence, ox.NamedNode(f"{LLMKG}id/confidence/paper"), prov),
            ox.Quad(graph, ox.NamedNode("http://xmlns.com/foaf/0.1/primaryTopic"), model, prov),
        ]
    store.bulk_extend(quads)
    return store


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def bulk_post(store: ox.Store, server: Server) -> None:
    body = ox.serialize(store, format=ox.RdfFormat.N_QUADS) or b""
    httpx.post(
        server.gsp, content=body, headers={"Content-Type": "application/n-quads"}, timeout=600
    ).raise_for_status()


def rows(
    name: str,
    store: ox.Store,
    server: Server,
    endpoint: Endpoint,
    ways: list[tuple[str, int]],
    peer: bool,
) -> list[str]:
    quads = len(store)
    graphs = sum(1 for _ in store.named_graphs())
    out = []
    peer_rate = None
    if peer:
        peer_rate = quads / timed(lambda: bulk_post(store, server))
        out.append(
            f"| {name} | {quads} | {graphs} | peer: one N-Quads POST to /store | - | {peer_rate:,.0f} | 1.00 |"
        )
    for via, batch in ways:
        done = publish(store, endpoint, via=via, batch=batch)  # type: ignore[arg-type]
        ratio = f"{done.rate / peer_rate:.2f}" if peer_rate else "-"
        out.append(
            f"| {name} | {quads} | {graphs} | kg publish --via {via} --batch {batch} "
            f"| {done.requests} | {done.rate:,.0f} | {ratio} |"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", type=int, default=20_000, help="synthetic fact graphs")
    parser.add_argument("--virtuoso", action="store_true", help="also publish to Virtuoso 7")
    args = parser.parse_args()
    curated = open_read_only(ensure_store(Settings()).path)
    big = synthetic(args.graphs)
    table = [
        "| graph | quads | graphs | how | requests | quads/s | vs peer |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, store in (("curated data/", curated), (f"synthetic {args.graphs}", big)):
        with tempfile.TemporaryDirectory() as tmp, oxigraph(Path(tmp)) as server:
            endpoint = Endpoint(update_url=server.update, gsp_url=server.gsp, timeout=600)
            ways = [("gsp", 50_000), ("update", 50_000), ("update", 1_000)]
            table += rows(f"{name} to oxigraph", store, server, endpoint, ways, peer=True)
        if args.virtuoso:
            with tempfile.TemporaryDirectory() as tmp, virtuoso(Path(tmp)) as server:
                endpoint = Endpoint(
                    update_url=server.update,
                    gsp_url=server.gsp,
                    user="dba",
                    password="dba",  # noqa: S106 -- the default login of a new database
                    auth="digest",
                )
                ways = [("gsp", 50_000), ("update", 1_000)]  # larger updates exhaust its parser
                table += rows(f"{name} to Virtuoso", store, server, endpoint, ways, peer=False)
    print(
        f"Run on {time.strftime('%Y-%m-%d')}, {platform.machine()}, Python {platform.python_version()}:\n"
    )
    print("\n".join(table))


if __name__ == "__main__":
    main()
