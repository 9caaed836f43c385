"""Hub scale: load, start-up, lookups and every competency query, ours against Oxigraph's
server and Virtuoso, on the files of benchmarks/hub_generate.py.

    python benchmarks/hub_generate.py /tmp/hub/10m.nq --models 290000
    python benchmarks/hub_scale.py load 10m /tmp/hub/10m.nq      # kg load and Virtuoso's ld_dir
    python benchmarks/hub_scale.py query 10m [--timeout 60]      # ready time, REST, queries
    python benchmarks/hub_scale.py report 10m hub                # Markdown tables

Everything goes under --work (default /tmp/hub): LABEL/store (kg load), LABEL/virtuoso
(Virtuoso 7's database, Debian's virtuoso-opensource), LABEL-load.json, LABEL-query.json.

load: `kg load` (Oxigraph's bulk loader) with its time and peak RSS (wait4), then Virtuoso's
bulk loader (`ld_dir`, `rdf_loader_run()`, `checkpoint`, through isql) over the same N-Quads,
with its time and peak RSS (VmHWM). One after the other, never at once.
query: `kg serve --store` alone first: seconds to /healthz, to /readyz (the search index) and
to a first search answer, then REST `GET /entities/model/{id}` and `.../lineage` p50/p99
over 1,000 random models, while the actor report is computed and after; then Oxigraph's
server (`oxigraph serve-read-only --union-default-graph`) and Virtuoso are started beside it,
and each competency query (ontology/queries/cq*.rq) and each micro-query of
benchmarks/sparql.py runs on the three, interleaved: a warm-up on each, then
up to --repeat rounds, each round running the targets in turn (the order rotates per query),
so that load from other users of the machine weighs on every target alike. A request that
takes longer than --timeout is a timeout; so is an answer that Virtuoso cut at its own
MaxQueryExecutionTime (its anytime answers). Rows are compared by value (numbers as numbers,
GROUP_CONCAT parts as sets: Virtuoso orders them as it likes).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sparql import JSON, free_port, process, queries, value

ROOT = Path(__file__).resolve().parent.parent
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
    "oxigraph"
)
TARGETS = ("open-llm-kg", "oxigraph server", "virtuoso")
CONCATENATED = {"sharedBy", "languages", "regions"}
# As tests/triplestores.py starts it, with buffers for a large graph (about 4 GB of pages).
VIRTUOSO_INI = """
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 250000
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = ., {dir}, {data}
CheckpointInterval = 0
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {dir}
MaxClientConnections = 4
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryExecutionTime = {timeout}
MaxQueryCostEstimationTime = 0
DefaultGraph =
"""


def wait_for(url: str, proc: subprocess.Popen[bytes], wait: float, ok: int = 200) -> float:
    """Seconds until ``url`` answers ``ok`` (polling every 0.1 s)."""
    start = time.monotonic()
    while True:
        try:
            if httpx.get(url, timeout=5).status_code == ok:
                return time.monotonic() - start
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() - start > wait:
            raise RuntimeError(f"{url} did not answer {ok}")
        time.sleep(0.1)


def vm(pid: int, field: str) -> int:
    """A VmRSS/VmHWM field of /proc/PID/status, in bytes (0 once the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree(pid: int) -> set[int]:
    """A process and all its descendants."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
    found, frontier = {pid}, [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        found.update(kids)
        frontier += kids
    return found


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (a page they share counts in each)."""
    return sum(vm(p, "VmRSS") for p in tree(pid))


def tree_pss(pid: int) -> int:
    """Proportional resident bytes of a process and its descendants: a page that ``n`` of them
    share counts ``1/n`` in each, so the sum is what they hold together."""
    total = 0
    for p in tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
    return total


@contextmanager
def virtuoso(
    directory: Path, data: Path, timeout: int = 0
) -> Iterator[tuple[str, int, subprocess.Popen[bytes]]]:
    """Virtuoso over the database in ``directory`` (created if missing): (SPARQL URL, SQL port, process)."""
    if VIRTUOSO is None or ISQL is None:
        raise RuntimeError("virtuoso-t is missing: apt-get install -y virtuoso-opensource")
    directory.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=directory, data=data, sql_port=sql_port, http_port=http_port,
                                       buffers=500_000, dirty=375_000, timeout=timeout))  # fmt: skip
    log = (directory / "server.log").open("ab")
    proc = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=directory,
                            stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        wait_for(url + "?query=ASK%7B%7D", proc, 600)
        yield url, sql_port, proc
    finally:
        if proc.poll() is None:
            subprocess.run([ISQL, str(sql_port), "dba", "dba", "exec=checkpoint; shutdown;"],
                           capture_output=True, timeout=600)  # fmt: skip
        try:
            proc.wait(timeout=600)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def isql(port: int, sql: str) -> str:
    done = subprocess.run([ISQL, str(port), "dba", "dba", f"exec={sql}"], capture_output=True,
                          text=True, check=True)  # fmt: skip
    return done.stdout


def load(args: argparse.Namespace) -> None:
    base = args.work / args.label
    base.mkdir(parents=True, exist_ok=True)
    data = args.data.resolve()
    result: dict[str, object] = {"label": args.label, "file": str(data), "bytes": data.stat().st_size,
                                 "started": time.strftime("%Y-%m-%d %H:%M"), "loadavg_before": os.getloadavg()}  # fmt: skip
    store = base / "store"
    if not args.skip_ours:
        shutil.rmtree(store, ignore_errors=True)
        for stale in base.glob(".store*"):
            shutil.rmtree(stale, ignore_errors=True)
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "kg", "load", str(data), "--store", str(store)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        out = proc.stdout.read().decode() if proc.stdout else ""
        if status:
            raise RuntimeError(f"kg load failed: {out}")
        quads = len(ox.Store.read_only(str(store)))
        result["ours"] = {"seconds": seconds, "peak_rss": usage.ru_maxrss * 1024, "quads": quads,
                          "disk": sum(f.stat().st_size for f in store.resolve().rglob("*") if f.is_file())}  # fmt: skip
        print(
            f"kg load: {seconds:.0f} s, {usage.ru_maxrss / 1e6:.2f} GB peak, {quads} quads",
            flush=True,
        )
        result["loadavg_after_ours"] = os.getloadavg()
    if not args.skip_virtuoso:
        vdir = base / "virtuoso"
        shutil.rmtree(vdir, ignore_errors=True)
        with virtuoso(vdir, data.parent) as (url, port, proc):
            start = time.perf_counter()
            isql(
                port,
                f"ld_dir('{data.parent}', '{data.name}', 'http://default/'); rdf_loader_run(); checkpoint;",
            )
            seconds = time.perf_counter() - start
            errors = isql(
                port, "select ll_file, ll_error from DB.DBA.LOAD_LIST where ll_error is not null;"
            )
            counted = httpx.post(url, data={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
                                 headers={"Accept": JSON}, timeout=3600).json()  # fmt: skip
            quads = int(counted["results"]["bindings"][0]["n"]["value"])
            peak = vm(proc.pid, "VmHWM")
        result["virtuoso"] = {"seconds": seconds, "peak_rss": peak, "quads": quads, "errors": errors[-2000:],
                              "disk": sum(f.stat().st_size for f in vdir.glob("*.db"))}  # fmt: skip
        print(
            f"virtuoso load: {seconds:.0f} s, {peak / 1e9:.2f} GB peak, {quads} quads (all graphs)",
            flush=True,
        )
    result["loadavg_after"] = os.getloadavg()
    path = args.work / f"{args.label}-load.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps(old | result, indent=1))


def rows(body: dict[str, object]) -> Counter[tuple[object, ...]]:
    """As benchmarks/sparql.py, with GROUP_CONCAT parts compared as sets."""
    if "boolean" in body:
        return Counter([(body["boolean"],)])
    variables = body["head"]["vars"]  # type: ignore[index]

    def cell(v: str, b: dict[str, dict[str, str]]) -> object:
        if v not in b or (v in CONCATENATED and b[v]["value"] == ""):  # Virtuoso: "" for no parts
            return None
        if v in CONCATENATED:
            return ", ".join(sorted(b[v]["value"].split(", ")))
        return value(b[v])

    return Counter(tuple(cell(v, b) for v in variables) for b in body["results"]["bindings"])  # type: ignore[index]


def runner(
    url: str, timeout: float, virtuoso_: bool = False
) -> Callable[[str], Counter[tuple[object, ...]]]:
    client = httpx.Client(timeout=timeout)

    def run(query: str) -> Counter[tuple[object, ...]]:
        response = client.post(url, data={"query": query}, headers={"Accept": JSON})
        response.raise_for_status()
        if virtuoso_ and response.headers.get("X-SQL-State"):  # an anytime (partial) answer
            raise httpx.ReadTimeout(f"partial answer: {response.headers.get('X-SQL-Message')}")
        return rows(response.json())

    return run


def attempt(
    run: Callable[[str], Counter[tuple[object, ...]]], query: str
) -> tuple[float | str, Counter[tuple[object, ...]] | None]:
    start = time.perf_counter()
    try:
        answer = run(query)
    except httpx.TimeoutException:
        return "timeout", None
    except httpx.HTTPStatusError as exc:
        return f"error {exc.response.status_code}", None
    except httpx.HTTPError as exc:
        return f"error {type(exc).__name__}", None
    return (time.perf_counter() - start) * 1000, answer


def latency(client: httpx.Client, paths: list[str]) -> dict[str, float]:
    """p50, p99 and max milliseconds of GET on each of ``paths``, in turn."""
    times = []
    for path in paths:
        start = time.perf_counter()
        client.get(path).raise_for_status()
        times.append((time.perf_counter() - start) * 1000)
    q = statistics.quantiles(times, n=100)
    return {"p50": q[49], "p99": q[98], "max": max(times)}


def lookups(url: str, store: Path, samples: int = 1000) -> dict[str, object]:
    """p50/p99 of GET /entities/model/{id} and of GET /entities/model/{id}/lineage over random
    models: first while the server computes the actor report its home page lists (in a child
    process), then once /report answers, on other models (so pages the first round read do
    not flatter the second); and a few searches."""
    s = ox.Store.read_only(str(store))
    ids = [b["id"].value for b in s.query(  # type: ignore[union-attr]
        "SELECT ?id { ?m a <https://w3id.org/llmkg/ns#Model> ; <http://purl.org/dc/terms/identifier> ?id }",
        use_default_graph_as_union=True)]  # fmt: skip
    del s
    rng = random.Random(0)
    found: dict[str, object] = {"models": len(ids)}
    with httpx.Client(base_url=url, timeout=60) as client:
        for phase in ("during report", "after report"):
            if phase == "after report":
                start = time.monotonic()
                while client.get("/report").status_code == 503:
                    time.sleep(1)
                found["report"] = time.monotonic() - start
            picked = [rng.choice(ids) for _ in range(samples)]
            found[phase] = {
                "entity": latency(client, [f"/entities/model/{i}" for i in picked]),
                "lineage": latency(client, [f"/entities/model/{i}/lineage" for i in picked]),
                "loadavg": os.getloadavg(),
            }
        searches = [
            "llama", "qwen", "user1234", "bloom", "m99", "mistral", "olmo", "gemma", "user7", "sea-lion",
        ]  # fmt: skip
        search = latency(client, [f"/entities?q={q}" for q in searches])
    return found | {"search_p50": search["p50"], "search_max": search["max"]}


def query(args: argparse.Namespace) -> None:
    base = args.work / args.label
    store = (base / "store").resolve()
    data = Path(json.loads((args.work / f"{args.label}-load.json").read_text())["file"])
    out_path = args.work / f"{args.label}-query{'-in-memory' if args.in_memory else ''}.json"
    result: dict[str, object] = json.loads(out_path.read_text()) if out_path.exists() else {}
    result |= {"label": args.label, "started": time.strftime("%Y-%m-%d %H:%M"), "timeout": args.timeout,
               "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
                          f"pyoxigraph {ox.__version__}"}  # fmt: skip
    ours = free_port()
    env = {**os.environ, "LLMKG_MAX_ROWS": "1000000000", "LLMKG_MAX_ANSWER_BYTES": str(8 << 30),
           "LLMKG_QUERY_TIMEOUT": str(args.timeout), "LLMKG_WORKER_MEMORY_MB": "4096"}  # fmt: skip
    log = (base / "serve.log").open("ab")
    memory = ["--in-memory"] if args.in_memory else []
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(ours), *memory],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    ours_url = f"http://127.0.0.1:{ours}"
    try:
        start = time.monotonic()
        wait_for(f"{ours_url}/healthz", proc, 600)
        health = time.monotonic() - start
        wait_for(f"{ours_url}/readyz", proc, 3600)
        ready = time.monotonic() - start
        wait_for(f"{ours_url}/entities?q=llama", proc, 60)
        search = time.monotonic() - start
        result["ready"] = {"healthz": health, "readyz": ready, "search": search, "rss": tree_rss(proc.pid), "pss": tree_pss(proc.pid),
                           "loadavg": os.getloadavg()}  # fmt: skip
        print(
            f"kg serve: healthz {health:.1f} s, readyz {ready:.1f} s, search {search:.1f} s",
            flush=True,
        )
        if not args.no_rest:
            result["rest"] = lookups(ours_url, store) | {"loadavg": os.getloadavg()}
            print(f"REST: {result['rest']}", flush=True)
        result["rss_after_rest"] = tree_rss(proc.pid)
        with (
            process(
                [
                    OXIGRAPH,
                    "serve-read-only",
                    "--location",
                    str(store),
                    "--bind",
                    f"127.0.0.1:{(oxi := free_port())}",
                    "--union-default-graph",
                    "--timeout-s",
                    str(int(args.timeout)),
                ],
                f"http://127.0.0.1:{oxi}/query?query=ASK%7B%7D",
            ),  # fmt: skip
            virtuoso(base / "virtuoso", data.parent, timeout=int(args.timeout)) as (vurl, _, vproc),
        ):
            runs = {
                "open-llm-kg": runner(f"{ours_url}/sparql", args.timeout + 5),
                "oxigraph server": runner(f"http://127.0.0.1:{oxi}/query", args.timeout + 5),
                "virtuoso": runner(vurl, args.timeout + 5, virtuoso_=True),
            }
            names = [n for n in queries() if not args.only or n in args.only.split(",")]
            found: dict[str, object] = result.setdefault("queries", {})  # type: ignore[assignment]
            for turn, name in enumerate(names):
                text = queries()[name]
                order = list(TARGETS[turn % 3 :] + TARGETS[: turn % 3])
                times: dict[str, list[float]] = {t: [] for t in TARGETS}
                status: dict[str, str] = {}
                answers: dict[str, Counter[tuple[object, ...]] | None] = {}
                load_before = os.getloadavg()[0]
                for target in order:  # warm-up, and the answer
                    took, answers[target] = attempt(runs[target], text)
                    if isinstance(took, str):
                        status[target] = took
                    else:
                        times[target].append(took)
                for _ in range(args.repeat):
                    for target in order:
                        if target in status or (
                            times[target] and times[target][0] > args.slow * 1000
                        ):
                            continue
                        took, _ = attempt(runs[target], text)
                        if isinstance(took, str):
                            status[target] = took
                        else:
                            times[target].append(took)
                for target in TARGETS:  # the warm-up counts only when it was all there is
                    if len(times[target]) > 1:
                        times[target] = times[target][1:]
                got = [a for a in answers.values() if a is not None]
                same = (
                    len({tuple(sorted(map(repr, a.elements()))) for a in got}) == 1 if got else None
                )
                ref = answers.get("oxigraph server")
                agree = {t: (answers[t] == ref) if answers.get(t) is not None and ref is not None else None for t in TARGETS}  # fmt: skip
                same_set = {
                    t: set(answers[t]) == set(ref) for t in TARGETS if agree.get(t) is False
                }  # type: ignore[arg-type]
                diff = {t: {"only here": [repr(r) for r in list(set(answers[t]) - set(ref))[:3]],  # type: ignore[arg-type]
                            "only in oxigraph": [repr(r) for r in list(set(ref) - set(answers[t]))[:3]]}  # type: ignore[arg-type]
                        for t in same_set}  # fmt: skip
                entry = {"rows": {t: sum(a.values()) if a is not None else None for t, a in answers.items()},
                         "median": {t: statistics.median(v) if v and t not in status else None for t, v in times.items()},
                         "runs": {t: len(v) for t, v in times.items()}, "status": status, "same": same,
                         "agrees_with_oxigraph": agree, "same_set": same_set, "diff": diff, "loadavg": [load_before, os.getloadavg()[0]]}  # fmt: skip
                found[name] = entry
                print(f"{name}: {json.dumps(entry['median'])} {status} rows={entry['rows']} same={same} "
                      f"load={os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
                out_path.write_text(json.dumps(result, indent=1, default=str))
            result["virtuoso_rss"] = vm(vproc.pid, "VmRSS")
            result["rss_after_queries"] = tree_rss(proc.pid)
            result["pss_after_queries"] = tree_pss(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        result["finished"] = time.strftime("%Y-%m-%d %H:%M")
        out_path.write_text(json.dumps(result, indent=1, default=str))


def _ms(x: float | None, status: str | None = None) -> str:
    if status:
        return status
    return "-" if x is None else (f"{x:,.0f}" if x >= 100 else f"{x:.1f}")


def report(args: argparse.Namespace) -> None:
    loads = {
        label: json.loads((args.work / f"{label}-load.json").read_text()) for label in args.labels
    }
    runs = {
        label: json.loads(p.read_text())
        for label in args.labels
        if (p := args.work / f"{label}-query.json").exists()
    }
    print("| data | quads | N-Quads | target | load | peak RSS | on disk |")
    print("|---|---|---|---|---|---|---|")
    for label, r in loads.items():
        for key, name in (
            ("ours", "kg load (Oxigraph bulk loader)"),
            ("virtuoso", "Virtuoso ld_dir + rdf_loader_run"),
        ):
            if key in r:
                t = r[key]
                print(f"| {label} | {t['quads']:,} | {r['bytes'] / 1e9:.1f} GB | {name} | {t['seconds'] / 60:.1f} min | "
                      f"{t['peak_rss'] / 1e9:.2f} GB | {t['disk'] / 1e9:.1f} GB |")  # fmt: skip
    print(
        "\n| data | /healthz | /readyz (search index) | first search | RSS when ready | actor report | search p50 |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, r in runs.items():
        ready, rest = r.get("ready", {}), r.get("rest", {})
        print(f"| {label} | {ready.get('healthz', 0):.1f} s | {ready.get('readyz', 0):.1f} s | {ready.get('search', 0):.1f} s | "
              f"{ready.get('rss', 0) / 1e9:.2f} GB | {rest.get('report', math.nan):.0f} s more | "
              f"{rest.get('search_p50', math.nan):.1f} ms |")  # fmt: skip
    print("\n| data | lookup | p50, during report | p99, during report | p50, after | p99, after |")
    print("|---|---|---|---|---|---|")
    for label, r in runs.items():
        rest = r.get("rest", {})
        for kind, path in (
            ("entity", "/entities/model/{id}"),
            ("lineage", "/entities/model/{id}/lineage"),
        ):
            during, after = (
                rest.get("during report", {}).get(kind, {}),
                rest.get("after report", {}).get(kind, {}),
            )
            print(f"| {label} | `{path}` | {during.get('p50', math.nan):.2f} ms | {during.get('p99', math.nan):.2f} ms | "
                  f"{after.get('p50', math.nan):.2f} ms | {after.get('p99', math.nan):.2f} ms |")  # fmt: skip
    for label, r in runs.items():
        print(
            f"\n{label}: {r['machine']}, {r['started']} to {r.get('finished')}, timeout {r['timeout']} s, median ms\n"
        )
        print(
            "| query | rows | open-llm-kg | oxigraph server | virtuoso | ours / oxigraph | ours / faster peer | same rows | load avg |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for name, e in r.get("queries", {}).items():
            med, st = e["median"], e["status"]
            peers = [med[t] for t in ("oxigraph server", "virtuoso") if med.get(t)]
            ratio = (
                f"{med['open-llm-kg'] / med['oxigraph server']:.2f}"
                if med.get("open-llm-kg") and med.get("oxigraph server")
                else "-"
            )
            fastest = (
                f"{med['open-llm-kg'] / min(peers):.2f}"
                if med.get("open-llm-kg") and peers
                else "-"
            )
            rows_ = next((n for n in e["rows"].values() if n is not None), "-")
            agree = e.get("agrees_with_oxigraph", {})
            sets = e.get("same_set", {})
            same = (
                "yes"
                if e["same"]
                else (
                    "NO: "
                    + ", ".join(
                        t + (" (same set, repeats rows)" if sets.get(t) else "")
                        for t, a in agree.items()
                        if a is False
                    )
                    if e["same"] is False
                    else "-"
                )
            )
            print(f"| {name} | {rows_} | {_ms(med.get('open-llm-kg'), st.get('open-llm-kg'))} | "
                  f"{_ms(med.get('oxigraph server'), st.get('oxigraph server'))} | {_ms(med.get('virtuoso'), st.get('virtuoso'))} | "
                  f"{ratio} | {fastest} | {same} | {e['loadavg'][0]:.1f}-{e['loadavg'][1]:.1f} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/hub"))  # noqa: S108 -- a benchmark's scratch space
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("load")
    p.add_argument("label")
    p.add_argument("data", type=Path)
    p.add_argument("--skip-ours", action="store_true")
    p.add_argument("--skip-virtuoso", action="store_true")
    p = sub.add_parser("query")
    p.add_argument("label")
    p.add_argument("--timeout", type=float, default=60, help="seconds a request may take")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument(
        "--slow", type=float, default=15, help="a warm-up past these seconds is the only run"
    )
    p.add_argument("--only", help="comma-separated query names (cq01,cq05,...)")
    p.add_argument("--no-rest", action="store_true")
    p.add_argument("--in-memory", action="store_true", help="kg serve --in-memory")
    p = sub.add_parser("report")
    p.add_argument("labels", nargs="+")
    args = parser.parse_args()
    {"load": load, "query": query, "report": report}[args.command](args)


if __name__ == "__main__":
    main()
