"""Reliability under attack: hostile traffic against a real `kg serve` on loopback.

    python benchmarks/reliability.py [--url URL --pid PID] [--only NAME ...]

Without --url it starts `kg serve` on the curated data with default settings on a free port and
stops it after. Each attack is bounded in requests and time. While it runs, a cheap probe (one
client, its own address, alternating `ASK {}` over SPARQL and a REST entity lookup, every
50 ms) measures whether cheap requests are still served, and a sampler reads the resident
memory of the server process and of each query worker (/proc, every 20 ms). Clients speak
from different loopback addresses (127.0.0.x), as different users would. Prints one Markdown
table, then the goals and whether each was met. A benchmark, not a test: run it by hand and
copy its output to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

SORTED = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 999999999999"
NESTED = (
    "SELECT * WHERE { { SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f } "
    "?g ?h ?i } ORDER BY ?i ?c"
)
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def doubled(times: int, rows: int | None = None) -> str:
    """A query that binds a string of 2**times characters: in one row, or in each of ``rows``."""
    binds = " ".join(f"BIND(CONCAT(?x{i}, ?x{i}) AS ?x{i + 1})" for i in range(times))
    if rows is None:
        return f'SELECT ?x{times} WHERE {{ BIND("a" AS ?x0) {binds} }}'
    return f'SELECT ?x{times} WHERE {{ ?s ?p ?o BIND("a" AS ?x0) {binds} }} LIMIT {rows}'


PROBE_ASK = "ASK {}"
PROBE_REST = "/entities/model/bloom"
PROBE_ADDRESS = "127.0.0.250"
LOAD_SPARQL = [
    "SELECT ?label WHERE { ?m a <https://w3id.org/llmkg/ns#Model> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 50",
    "ASK { <https://w3id.org/llmkg/id/model/bloom> ?p ?o }",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)",
    "DESCRIBE <https://w3id.org/llmkg/id/project/olmo>",
]
LOAD_REST = [
    "/entities?q=llama&limit=10",
    "/entities/model/bloom",
    "/entities/organization/hugging-face/links",
    "/projects?region=asia",
]


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return found


class Sampler:
    """Peak resident memory of the server and of its workers, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.main = 0.0
        self.worker = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.main = max(self.main, rss_mb(self.pid) or 0)
            for child in children(self.pid):
                self.worker = max(self.worker, rss_mb(child) or 0)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


class Probe:
    """Cheap requests, one at a time, while an attack runs: in a process of its own, so that
    the attack's clients do not slow the probe down in the benchmark's own event loop."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.latencies: list[float] = []
        self.failures = 0
        self._stop = multiprocessing.Event()
        self._results: multiprocessing.Queue[tuple[list[float], int]] = multiprocessing.Queue()
        self._process = multiprocessing.Process(target=self._run, daemon=True)

    def _run(self) -> None:
        latencies, failures = [], 0
        transport = httpx.HTTPTransport(local_address=PROBE_ADDRESS, verify=False)
        with httpx.Client(base_url=self.url, transport=transport, timeout=10) as http:
            while not self._stop.is_set():
                start = time.perf_counter()
                try:
                    if len(latencies) % 2:
                        response = http.get(PROBE_REST)
                    else:
                        response = http.get("/sparql", params={"query": PROBE_ASK})
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - start) * 1000)
                failures += not ok
                time.sleep(0.05)
        self._results.put((latencies, failures))

    def __enter__(self) -> Probe:
        self._process.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self.latencies, self.failures = self._results.get(timeout=60)
        self._process.join()

    @property
    def success(self) -> float:
        return 100 * (1 - self.failures / max(1, len(self.latencies)))

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 99)


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def client(url: str, address: str, timeout: float) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(local_address=address, verify=False)
    return httpx.AsyncClient(base_url=url, transport=transport, timeout=timeout)


def address(i: int) -> str:
    return f"127.0.{1 + i // 200}.{2 + i % 200}"


async def sparql(url: str, query: str, who: str, timeout: float = 30) -> str:
    """The status of one query, or what went wrong on the client's side."""
    async with client(url, who, timeout) as http:
        try:
            return str((await http.get("/sparql", params={"query": query})).status_code)
        except httpx.TimeoutException:
            return "client timeout"
        except httpx.HTTPError as exc:
            return type(exc).__name__


async def many(url: str, query: str, count: int, addresses: int, timeout: float) -> Counter[str]:
    results = await asyncio.gather(
        *(sparql(url, query, address(i % addresses), timeout) for i in range(count))
    )
    return Counter(results)


async def raw(url: str, data: bytes, who: str, *, trickle: float = 0) -> str:
    """Send ``data`` (a byte every ``trickle`` s if set) and return the status the server
    answers with, whenever it does."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port), local_addr=(who, 0))

    async def send() -> None:
        with contextlib.suppress(ConnectionError):
            for piece in [data[i : i + 1] for i in range(len(data))] if trickle else [data]:
                writer.write(piece)
                await writer.drain()
                await asyncio.sleep(trickle)

    sending = asyncio.create_task(send())
    try:
        line = await asyncio.wait_for(reader.readline(), 60)
        return line.split(b" ")[1].decode() if line else "closed"
    except (ConnectionError, TimeoutError):
        return "closed"
    finally:
        sending.cancel()
        writer.close()


async def raw_many(url: str, data: bytes, count: int, trickle: float = 0) -> Counter[str]:
    results = await asyncio.gather(
        *(raw(url, data, address(i), trickle=trickle) for i in range(count))
    )
    return Counter(results)


async def load(url: str, clients: int, duration: float, hostile: int) -> Counter[str]:
    """``clients`` users (one address each) mixing REST and SPARQL for ``duration`` s, with
    ``hostile`` clients sending one memory-hungry query after another meanwhile."""
    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    deadline = time.monotonic() + duration

    async def user(i: int) -> None:
        async with client(url, address(100 + i), 30) as http:
            turn = i
            while time.monotonic() < deadline:
                turn += 1
                start = time.perf_counter()
                try:
                    if turn % 2:
                        query = LOAD_SPARQL[turn // 2 % len(LOAD_SPARQL)]
                        response = await http.get("/sparql", params={"query": query})
                    else:
                        response = await http.get(LOAD_REST[turn // 2 % len(LOAD_REST)])
                    statuses[str(response.status_code)] += 1
                except httpx.HTTPError as exc:
                    statuses[type(exc).__name__] += 1
                latencies.append((time.perf_counter() - start) * 1000)

    async def attacker(i: int) -> None:
        while time.monotonic() < deadline:
            statuses["hostile " + await sparql(url, SORTED, address(180 + i))] += 1

    await asyncio.gather(*(user(i) for i in range(clients)), *(attacker(i) for i in range(hostile)))
    statuses[f"load p50 {percentile(latencies, 50):.0f} ms"] += 0
    statuses[f"load p99 {percentile(latencies, 99):.0f} ms"] += 0
    statuses[f"load {len(latencies) / duration:.0f} req/s"] += 0
    return statuses


ATTACKS: dict[str, tuple[str, Callable[[str], Awaitable[Counter[str]]]]] = {
    "sorted-cartesian": (
        "4 x ORDER BY over a 3-way cartesian product",
        lambda url: many(url, SORTED, 4, 4, 60),
    ),
    "nested-subquery": ("4 x nested sorted subqueries", lambda url: many(url, NESTED, 4, 4, 60)),
    "16mb-strings": (
        "4 x 50 rows of 16 MB strings",
        lambda url: many(url, doubled(24, 50), 4, 4, 60),
    ),
    "268mb-row": ("4 x one 268 MB string", lambda url: many(url, doubled(28), 4, 4, 60)),
    "flood": (
        "100 slow queries at once from 10 addresses, clients give up at 25 s",
        lambda url: many(url, SORTED, 100, 10, 25),
    ),
    "hang-ups": (
        "100 slow queries from 20 addresses, clients hang up at 1 s",
        lambda url: many(url, SLOW, 100, 20, 1),
    ),
    "huge-header": (
        "20 x a 200 KB header",
        lambda url: raw_many(
            url, b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: " + b"v" * 200_000 + b"\r\n\r\n", 20
        ),
    ),
    "long-request-line": (
        "20 x a 1 MB request target",
        lambda url: raw_many(url, b"GET /sparql?query=" + b"x" * 1_000_000 + b" HTTP/1.1\r\n", 20),
    ),
    "slowloris": (
        "50 connections sending their head a byte every 0.5 s",
        lambda url: raw_many(
            url, b"GET /healthz HTTP/1.1\r\nhost: x\r\nx-slow: 1\r\n\r\n", 50, 0.5
        ),
    ),
    "load": ("32 users (REST + SPARQL) for 30 s: the baseline", lambda url: load(url, 32, 30, 0)),
    "load-with-hostile": (
        "the same, with 4 hostile queries always running",
        lambda url: load(url, 32, 30, 4),
    ),
}


async def drained(url: str, limit: float = 60) -> float:
    """Seconds until no worker is busy and no request waits."""
    start = time.monotonic()
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        while time.monotonic() - start < limit:
            ready = (await http.get("/readyz")).json()
            if ready.get("busy") == 0 and ready.get("waiting") == 0:
                return time.monotonic() - start
            await asyncio.sleep(0.1)
    return float("inf")


async def attack(url: str, pid: int, name: str) -> list[str]:
    what, run = ATTACKS[name]
    with Sampler(pid) as memory, Probe(url) as probe:
        started = time.monotonic()
        statuses = await run(url)
        took = time.monotonic() - started
        drain = await drained(url)
    shown = ", ".join(f"{k}: {v}" if v else k for k, v in sorted(statuses.items()))
    return [
        name,
        what,
        shown,
        f"{took:.1f}",
        f"{memory.worker:.0f}",
        f"{memory.main:.0f}",
        f"{probe.success:.1f}% of {len(probe.latencies)}",
        f"{probe.p99:.0f}",
        f"{drain:.1f}",
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="An already running server (default: start kg serve)")
    parser.add_argument("--pid", type=int, help="Its process id, for memory (with --url)")
    parser.add_argument("--only", nargs="*", choices=list(ATTACKS), help="Run these attacks")
    args = parser.parse_args()
    names = args.only or list(ATTACKS)
    server = None
    url, pid = args.url, args.pid
    if url is None:
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", "--port", str(port)], stderr=subprocess.DEVNULL
        )
        url, pid = f"http://127.0.0.1:{port}", server.pid
        for _ in range(600):
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
    try:
        rows = [asyncio.run(attack(url, pid, name)) for name in names]
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
    print(f"Reliability of {url}: default settings; clients and server share the machine.")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}.\n"
    )
    print(
        "| attack | what | answers | s | worker peak MB | main peak MB "
        "| cheap requests ok | cheap p99 ms | queue empty after s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
