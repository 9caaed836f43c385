"""Query workers forked from one in-memory copy of the store (``kg.sparql.forks``): the same
answers as on disk, replacements forked from the copy, exit codes through the zygote, nothing
left behind when the server is killed.

The limits themselves (timeouts, memory caps, streaming, fair shares) run in memory too:
tests/api/test_limits.py and tests/api/test_hostile.py serve both ways.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from api.main import create_app
from kg.errors import KGError, QueryTimeoutError, WorkerLostError
from kg.settings import Settings
from kg.sparql.fairness import Shares
from kg.sparql.workers import Job, Limits, QueryPool
from kg.store.local import ensure_store
from tests.polling import wait_until

JSON = "application/sparql-results+json"
QUERIES = [
    "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT ?s ?label { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s ?label",
]
CARTESIAN = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def limits(*, in_memory: bool) -> Limits:
    return Limits(
        workers=2, timeout=2.0, shares=Shares(2, 8, 8, 5.0), memory_mb=512, in_memory=in_memory
    )


@pytest.fixture(scope="module")
def store_dir(fixture_settings: Settings) -> Path:
    return ensure_store(fixture_settings).path


def in_pool(store_dir: Path, scenario: Callable[[QueryPool], Awaitable[None]]) -> None:
    """Run ``scenario`` with a pool forked from the store in memory, then close the pool."""

    async def run() -> None:
        pool = QueryPool(store_dir, limits(in_memory=True))
        await pool.start()
        try:
            await scenario(pool)
        finally:
            await pool.close()

    asyncio.run(run())


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def gone(pid: int) -> bool:
    """``pid`` has ended: no such process, or a zombie waiting for its parent."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_answers_are_the_same_as_on_disk(store_dir: Path) -> None:
    async def scenario(pool: QueryPool) -> None:
        disk = QueryPool(store_dir, limits(in_memory=False))
        await disk.start()
        try:
            for query in QUERIES:
                ours = await pool.run(Job(query, accept=JSON))
                theirs = await disk.run(Job(query, accept=JSON))
                assert ours.body == theirs.body, query
        finally:
            await disk.close()
        assert pool._zygote is not None
        assert pool._zygote.quads == 2728

    in_pool(store_dir, scenario)


def test_workers_are_forked_from_the_copy_and_replaced_from_it(store_dir: Path) -> None:
    async def scenario(pool: QueryPool) -> None:
        assert pool._zygote is not None
        zygote = pool._zygote.process.pid
        before = pool.worker_pids()
        assert [parent_of(pid) for pid in before] == [zygote, zygote]
        with pytest.raises(QueryTimeoutError):
            await pool.run(Job(CARTESIAN))
        await asyncio.to_thread(wait_until, lambda: pool.ready == 2, what="the worker is replaced")
        after = pool.worker_pids()
        assert len(set(after) - set(before)) == 1
        assert [parent_of(pid) for pid in after] == [zygote, zygote]  # the copy was not reloaded
        assert pool._zygote.process.pid == zygote
        assert pool._zygote.process.is_alive()
        answer = await pool.run(Job("ASK { ?s ?p ?o }"))
        assert answer.body == b'{"head":{},"boolean":true}'

    in_pool(store_dir, scenario)


def test_a_worker_that_dies_is_reported_with_its_exit_code(store_dir: Path) -> None:
    async def scenario(pool: QueryPool) -> None:
        query = asyncio.ensure_future(pool.run(Job(CARTESIAN)))
        await asyncio.to_thread(wait_until, lambda: pool.busy == 1, what="the query runs")
        (busy,) = [w for w in pool._all if w not in pool._queue.idle["general"]]
        os.kill(busy.process.pid, signal.SIGTERM)
        with pytest.raises(WorkerLostError) as stopped:
            await query
        assert str(stopped.value) == "the query worker stopped unexpectedly (exit code -15); retry"
        assert busy.process.exitcode == -15  # reaped by the zygote, its parent

    in_pool(store_dir, scenario)


def test_a_store_that_cannot_be_copied_fails_the_start(tmp_path: Path) -> None:
    pool = QueryPool(tmp_path / "missing", limits(in_memory=True))
    with pytest.raises(KGError) as failed:
        asyncio.run(pool.start())
    assert str(failed.value) == (
        f"the in-memory copy of the store {tmp_path / 'missing'} failed to load (exit code 1); "
        "see the log, or serve it from disk"
    )
    asyncio.run(pool.close())


def test_a_remote_store_cannot_be_served_from_memory(fixture_settings: Settings) -> None:
    settings = fixture_settings.model_copy(
        update={"store_in_memory": True, "store_url": "http://127.0.0.1:9/sparql"}
    )
    with pytest.raises(KGError) as refused:
        create_app(settings)
    assert str(refused.value) == (
        "LLMKG_STORE_IN_MEMORY copies a local store into memory; a remote store "
        "(LLMKG_STORE_URL) answers from its own server: set only one of them"
    )


SERVER = """
import asyncio, sys
from pathlib import Path
from tests.sparql.test_forks import limits
from kg.sparql.workers import QueryPool

async def main():
    pool = QueryPool(Path(sys.argv[1]), limits(in_memory=True))
    await pool.start()
    print(pool._zygote.process.pid, *pool.worker_pids(), flush=True)
    await asyncio.sleep(3600)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_nothing_is_left_running_when_the_server_is_killed(store_dir: Path, tmp_path: Path) -> None:
    script = tmp_path / "server.py"
    script.write_text(SERVER)
    root = Path(__file__).resolve().parents[2]
    with subprocess.Popen(
        [sys.executable, str(script), str(store_dir)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    ) as server:
        assert server.stdout is not None
        pids = [int(pid) for pid in server.stdout.readline().split()]
        server.kill()
    assert len(pids) == 3  # the zygote and two workers
    wait_until(lambda: all(gone(pid) for pid in pids), what="the zygote and workers exit")
