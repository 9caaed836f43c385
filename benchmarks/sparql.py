"""SPARQL latency of open-llm-kg's server against its peers, same data, same queries, same run.

    python benchmarks/generate.py 1000000 build/bench/1m.nq
    kg load build/bench/1m.nq --store build/bench/1m.store
    python benchmarks/sparql.py build/bench/1m.nq build/bench/1m.store [--repeat 7] [--no-rdflib]
        [--before DIR] [--only iri-lookup,1-hop-join]

Targets, each over HTTP on loopback except the last:
(a) open-llm-kg (`kg serve --store`), (b) Oxigraph's own server (`oxigraph serve-read-only`,
from the `oxigraph` PyPI package: the engine's limit over HTTP), (c) rdflib-endpoint serving
the same file (the Python peer a user would pick), (d) pyoxigraph in-process (no HTTP).
With ``--before DIR`` (another checkout, e.g. ``git archive REV | tar -x -C DIR``), its
``kg serve`` is one more target, "open-llm-kg before", for a before/after in one run.
The targets take turns, one run each, so that the load of a shared machine falls on all alike.
Queries: the twelve competency queries of ontology/queries/ and five micro-queries. Every
target must return the same rows (numbers compared by value). Prints medians and ratios
as Markdown, with REST entity lookup latencies. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from decimal import Decimal, InvalidOperation
from pathlib import Path

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
JSON = "application/sparql-results+json"
MICRO = {
    "iri-lookup": "SELECT ?p ?o WHERE { <https://w3id.org/llmkg/id/model/bloom> ?p ?o }",
    "1-hop-join": """SELECT ?model ?label WHERE {
  ?model <https://w3id.org/llmkg/ns#developedBy> <https://w3id.org/llmkg/id/organization/meta> ;
         <http://www.w3.org/2000/01/rdf-schema#label> ?label }""",
    "2-hop-filter": """SELECT ?model ?base ?n WHERE {
  ?model <https://w3id.org/llmkg/ns#derivedFrom> ?base .
  ?base <https://w3id.org/llmkg/ns#developedBy> <https://w3id.org/llmkg/id/organization/ai2> ;
        <https://w3id.org/llmkg/ns#parameterCount> ?n FILTER(?n > 10000000000) }""",
    "count-group-by": """SELECT ?license (COUNT(?model) AS ?models) WHERE {
  ?model <https://w3id.org/llmkg/ns#licensedUnder> ?license } GROUP BY ?license ORDER BY DESC(?models) ?license""",
    "derivation-path": """SELECT ?model WHERE {
  ?model <https://w3id.org/llmkg/ns#derivedFrom>+ <https://w3id.org/llmkg/id/model/llama-3.1-8b> }""",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def process(
    command: list[str],
    ready_url: str,
    env: dict[str, str] | None = None,
    wait: float = 600,
    cwd: Path | None = None,
) -> Iterator[None]:
    proc = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                if httpx.get(ready_url, timeout=5).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not start")
            time.sleep(0.25)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def value(term: dict[str, str]) -> object:
    """A result term by value: numbers compare as numbers, whatever their lexical form."""
    datatype = term.get("datatype", "")
    if datatype.endswith(("#integer", "#decimal", "#double", "#float", "#int", "#long")):
        try:
            return Decimal(term["value"])
        except InvalidOperation:
            return term["value"]
    return term["value"]


def rows(body: dict[str, object]) -> Counter[tuple[object, ...]]:
    if "boolean" in body:
        return Counter([(body["boolean"],)])
    variables = body["head"]["vars"]  # type: ignore[index]
    return Counter(
        tuple(value(b[v]) if v in b else None for v in variables)
        for b in body["results"]["bindings"]  # type: ignore[index]
    )


def http_runner(url: str, timeout: float) -> Callable[[str], Counter[tuple[object, ...]]]:
    client = httpx.Client(timeout=timeout)

    def run(query: str) -> Counter[tuple[object, ...]]:
        response = client.post(url, data={"query": query}, headers={"Accept": JSON})
        response.raise_for_status()
        return rows(response.json())

    return run


def in_process_runner(store: ox.Store) -> Callable[[str], Counter[tuple[object, ...]]]:
    import json

    def run(query: str) -> Counter[tuple[object, ...]]:
        result = store.query(query, use_default_graph_as_union=True)
        return rows(json.loads(result.serialize(format=ox.QueryResultsFormat.JSON)))  # type: ignore[arg-type]

    return run


def measure(
    targets: dict[str, Callable[[str], Counter[tuple[object, ...]]]],
    query: str,
    repeat: int,
    budget: float,
) -> dict[str, tuple[float, Counter[tuple[object, ...]] | None]]:
    """Median milliseconds of each target over ``repeat`` runs after a warm-up (fewer if over
    ``budget`` s), the targets taking turns. A target that fails or times out gets NaN and no
    answer."""
    answers: dict[str, Counter[tuple[object, ...]] | None] = {}
    times: dict[str, list[float]] = {}
    spent: dict[str, float] = {}
    for name, run in targets.items():
        try:
            answers[name] = run(query)
            times[name], spent[name] = [], 0.0
        except httpx.HTTPError as exc:
            print(
                f"  {name}: {type(exc).__name__} on: {query.splitlines()[0][:80]}", file=sys.stderr
            )
            answers[name] = None
    for _ in range(repeat):
        for name in times:
            if spent[name] > budget:
                continue
            start = time.perf_counter()
            targets[name](query)
            elapsed = time.perf_counter() - start
            times[name].append(elapsed * 1000)
            spent[name] += elapsed
    return {
        name: (statistics.median(times[name]) if name in times else math.nan, answers[name])
        for name in targets
    }


def queries() -> dict[str, str]:
    found = {
        p.stem[:4]: p.read_text(encoding="utf-8")
        for p in sorted((ROOT / "ontology" / "queries").glob("cq*.rq"))
    }
    return found | MICRO


def rest_latency(url: str, store: ox.Store, samples: int = 300) -> tuple[float, float]:
    """p50 and p99 of GET /entities/model/{id} over random models."""
    ids = [s["id"].value for s in store.query(  # type: ignore[union-attr]
        "SELECT ?id { ?m a <https://w3id.org/llmkg/ns#Model> ; <http://purl.org/dc/terms/identifier> ?id } LIMIT 5000",
        use_default_graph_as_union=True)]  # fmt: skip
    rng = random.Random(0)
    times = []
    with httpx.Client(base_url=url, timeout=30) as client:
        client.get(f"/entities/model/{ids[0]}")
        for _ in range(samples):
            start = time.perf_counter()
            client.get(f"/entities/model/{rng.choice(ids)}").raise_for_status()
            times.append((time.perf_counter() - start) * 1000)
    q = statistics.quantiles(times, n=100)
    return q[49], q[98]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the N-Quads file (for rdflib-endpoint)")
    parser.add_argument("store", type=Path, help="the same data loaded with kg load")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--budget", type=float, default=20, help="seconds per query and target at most"
    )
    parser.add_argument("--before", type=Path, help="a checkout to serve as one more target")
    parser.add_argument("--only", help="comma-separated query names (cq01, iri-lookup...)")
    parser.add_argument(
        "--no-rdflib", action="store_true", help="skip rdflib-endpoint (slow to load large files)"
    )
    args = parser.parse_args()
    ours, oxi, rdfl, old = free_port(), free_port(), free_port(), free_port()
    chosen = {
        name: query
        for name, query in queries().items()
        if not args.only or name in args.only.split(",")
    }
    env = {**os.environ, "LLMKG_MAX_ROWS": "1000000000", "LLMKG_QUERY_TIMEOUT": "300"}
    store = ox.Store.read_only(str(args.store))
    targets: dict[str, Callable[[str], Counter[tuple[object, ...]]]] = {}
    results: dict[str, dict[str, float]] = {}
    answers: dict[str, dict[str, Counter[tuple[object, ...]] | None]] = {}
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    serve = [sys.executable, "-m", "kg", "serve", "--store", str(args.store), "--port"]
    before = (
        process(
            [*serve, str(old)],
            f"http://127.0.0.1:{old}/readyz",
            {**env, "PYTHONPATH": str(args.before.resolve())},
            cwd=args.before,
        )
        if args.before
        else nullcontext()
    )
    with (
        before,
        process([*serve, str(ours)], f"http://127.0.0.1:{ours}/readyz", env, cwd=ROOT),
        process(
            [
                oxigraph,
                "serve-read-only",
                "--location",
                str(args.store),
                "--bind",
                f"127.0.0.1:{oxi}",
                "--union-default-graph",
            ],
            f"http://127.0.0.1:{oxi}/query?query=ASK%7B%7D",
        ),
    ):
        targets["open-llm-kg"] = http_runner(f"http://127.0.0.1:{ours}/sparql", args.budget * 10)
        if args.before:
            targets["open-llm-kg before"] = http_runner(
                f"http://127.0.0.1:{old}/sparql", args.budget * 10
            )
        targets["oxigraph server"] = http_runner(f"http://127.0.0.1:{oxi}/query", args.budget * 10)
        targets["pyoxigraph in-process"] = in_process_runner(store)
        for name, query in chosen.items():
            for target, (took, answer) in measure(targets, query, args.repeat, args.budget).items():
                results.setdefault(name, {})[target] = took
                answers.setdefault(name, {})[target] = answer
        rest = rest_latency(f"http://127.0.0.1:{ours}", store)
    if not args.no_rdflib:
        # rdflib keeps evaluating a query after its client gave up, so a timeout costs a restart.
        rdflib_endpoint = shutil.which("rdflib-endpoint") or str(
            Path(sys.executable).parent / "rdflib-endpoint"
        )
        command = [
            rdflib_endpoint,
            "serve",
            str(args.data),
            "--host",
            "127.0.0.1",
            "--port",
            str(rdfl),
        ]
        run = http_runner(f"http://127.0.0.1:{rdfl}/", args.budget * 3)
        pending = list(chosen.items())
        while pending:
            with process(command, f"http://127.0.0.1:{rdfl}/", wait=3600):
                while pending:
                    name, query = pending.pop(0)
                    took, answer = measure(
                        {"rdflib-endpoint": run}, query, max(1, args.repeat // 3), args.budget
                    )["rdflib-endpoint"]
                    results[name]["rdflib-endpoint"], answers[name]["rdflib-endpoint"] = (
                        took,
                        answer,
                    )
                    if math.isnan(took):
                        break
    report(args, results, answers, rest, len(store))


def _cell(number: float | None, fmt: str = ".1f") -> str:
    if number is None:
        return "-"
    return "timeout" if math.isnan(number) else format(number, fmt)


def report(
    args: argparse.Namespace,
    results: dict[str, dict[str, float]],
    answers: dict[str, dict[str, Counter[tuple[object, ...]] | None]],
    rest: tuple[float, float],
    quads: int,
) -> None:
    names = [
        "open-llm-kg",
        "open-llm-kg before",
        "oxigraph server",
        "rdflib-endpoint",
        "pyoxigraph in-process",
    ]
    names = [n for n in names if any(n in r for r in results.values())]
    print(
        f"Data: {args.data.name}, {quads} quads. Machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, pyoxigraph {ox.__version__}. Median of up to {args.repeat} runs (ms).\n"
    )
    print(
        "| query | rows | "
        + " | ".join(names)
        + " | ours / oxigraph | before / oxigraph | rdflib / ours | same rows |"
    )
    print("|---|---|" + "---|" * len(names) + "---|---|---|---|")
    ratios, befores, speedups = [], [], []
    for query, by_target in results.items():
        same = (
            len(
                {
                    tuple(sorted(map(repr, a.elements())))
                    for a in answers[query].values()
                    if a is not None
                }
            )
            == 1
        )
        ratio = by_target["open-llm-kg"] / by_target["oxigraph server"]
        if not math.isnan(ratio):
            ratios.append(ratio)
        was = by_target.get("open-llm-kg before", math.nan) / by_target["oxigraph server"]
        if not math.isnan(was):
            befores.append(was)
        speedup = (
            by_target["rdflib-endpoint"] / by_target["open-llm-kg"]
            if "rdflib-endpoint" in by_target
            else None
        )
        if speedup and not math.isnan(speedup):
            speedups.append(speedup)
        cells = " | ".join(_cell(by_target.get(n)) for n in names)
        print(
            f"| {query} | {sum((answers[query]['open-llm-kg'] or Counter()).values())} | {cells} | {ratio:.2f} | {_cell(was, '.2f')} | "
            f"{_cell(speedup, '.0f')} | {'yes' if same else 'NO'} |"
        )
    geomean = math.exp(statistics.fmean(math.log(r) for r in ratios))
    line = f"\nGeometric mean, open-llm-kg / Oxigraph server: **{geomean:.2f}x**"
    if befores:
        line += f" (before: {math.exp(statistics.fmean(math.log(r) for r in befores)):.2f}x)"
    if speedups:
        line += f"; rdflib-endpoint / open-llm-kg: **{math.exp(statistics.fmean(math.log(s) for s in speedups)):.0f}x**"
    print(line + ".")
    print(
        f"REST `GET /entities/model/{{id}}` over 300 random models: p50 {rest[0]:.2f} ms, p99 {rest[1]:.2f} ms."
    )


if __name__ == "__main__":
    main()
