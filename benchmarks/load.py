"""Load test: concurrent clients mixing REST and SPARQL against `kg serve` on loopback.

    python benchmarks/load.py [--clients 32] [--duration 60] [--url URL]

Without --url it starts `kg serve` on the curated data on a free port and stops it after.
Prints throughput, latency percentiles and errors, overall and per request kind, as Markdown.
This is a benchmark, not a test: run it by hand and copy its output to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict

import httpx

SPARQL = [
    "SELECT ?label WHERE { ?m a <https://w3id.org/llmkg/ns#Model> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 50",
    "ASK { <https://w3id.org/llmkg/id/model/bloom> ?p ?o }",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)",
    "SELECT ?m WHERE { ?m <https://w3id.org/llmkg/ns#derivedFrom>+ <https://w3id.org/llmkg/id/model/llama-3.1-8b> }",
    "DESCRIBE <https://w3id.org/llmkg/id/project/olmo>",
]
REST = [
    "/entities?q=llama&limit=10",
    "/entities?type=organization&region=europe",
    "/entities/model/bloom",
    "/entities/organization/hugging-face/links",
    "/projects?region=asia",
    "/artifacts?kind=dataset",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def client(
    url: str,
    deadline: float,
    rng: random.Random,
    samples: dict[str, list[float]],
    errors: dict[str, int],
    address: str,
) -> None:
    """One user: its own connection from its own loopback address (the server's fair queue
    gives each address a share of the query workers, as it would each user)."""
    transport = httpx.AsyncHTTPTransport(local_address=address, verify=False)
    async with httpx.AsyncClient(base_url=url, timeout=30, transport=transport) as http:
        await _requests(http, deadline, rng, samples, errors)


async def _requests(
    http: httpx.AsyncClient,
    deadline: float,
    rng: random.Random,
    samples: dict[str, list[float]],
    errors: dict[str, int],
) -> None:
    while time.monotonic() < deadline:
        if rng.random() < 0.5:
            kind, request = (
                "sparql",
                http.build_request("GET", "/sparql", params={"query": rng.choice(SPARQL)}),
            )
        else:
            kind, request = "rest", http.build_request("GET", rng.choice(REST))
        start = time.perf_counter()
        try:
            response = await http.send(request)
            ok = response.status_code == 200
        except httpx.HTTPError:
            ok = False
        elapsed = (time.perf_counter() - start) * 1000
        samples[kind].append(elapsed)
        if not ok:
            errors[kind] += 1


def percentile(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
        if len(values) > 1
        else values[0]
    )


async def run(url: str, clients: int, duration: float) -> None:
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    deadline = time.monotonic() + duration
    await asyncio.gather(
        *(
            client(url, deadline, random.Random(i), samples, errors, f"127.0.0.{2 + i}")
            for i in range(clients)
        )
    )
    print(
        f"Load: {clients} concurrent clients (one loopback address each) for {duration:g} s "
        f"against {url}, 50% REST / 50% SPARQL."
    )
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}.\n"
    )
    print("| requests | count | throughput (req/s) | p50 (ms) | p99 (ms) | max (ms) | errors |")
    print("|---|---|---|---|---|---|---|")
    for kind in ("rest", "sparql", "all"):
        values = (
            [v for k in ("rest", "sparql") for v in samples[k]] if kind == "all" else samples[kind]
        )
        failed = sum(errors.values()) if kind == "all" else errors[kind]
        print(
            f"| {kind} | {len(values)} | {len(values) / duration:.0f} | {percentile(values, 50):.1f} | "
            f"{percentile(values, 99):.1f} | {max(values):.1f} | {failed} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--url", help="An already running server (default: start kg serve)")
    args = parser.parse_args()
    if args.url:
        asyncio.run(run(args.url, args.clients, args.duration))
        return
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--port", str(port)], stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                httpx.get(f"{url}/readyz").raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        asyncio.run(run(url, args.clients, args.duration))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
