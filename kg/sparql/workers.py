"""A pool of worker processes that run SPARQL queries with a hard deadline.

A pyoxigraph query cannot be interrupted from Python, so each query runs in a worker process
that has the store open read-only (or that sends it to a remote SPARQL service). When a query
passes its deadline, its worker is killed and replaced, and the caller gets a
``QueryTimeoutError``; the other workers keep answering.
Requests beyond the workers wait in a bounded queue; past it, ``OverloadedError``.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from kg.errors import KGError, OverloadedError, QueryTimeoutError
from kg.sparql.dataset import Dataset
from kg.sparql.protocol import Answer, execute
from kg.store.remote import Endpoint, RemoteStore

logger = logging.getLogger(__name__)
_CONTEXT = multiprocessing.get_context("spawn")


@dataclass(frozen=True)
class Job:
    """One query for a worker: everything ``kg.sparql.protocol.execute`` needs."""

    sparql: str
    dataset: Dataset = field(default_factory=Dataset)
    accept: str | None = None
    formats: tuple[str, ...] = ()
    base_iri: str | None = None
    max_rows: int | None = None


def _serve(conn: Connection, source: Path | Endpoint) -> None:
    """The loop of one worker process: open the store, then answer jobs until the pipe closes."""
    import pyoxigraph as ox

    store = RemoteStore(source) if isinstance(source, Endpoint) else ox.Store.read_only(str(source))
    conn.send("ready")
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, OSError):
            return
        if isinstance(store, RemoteStore):  # read no more of a CONSTRUCT than the cap shows
            store.max_triples = None if job.max_rows is None else job.max_rows + 1
        try:
            reply: Answer | KGError = execute(
                store,
                job.sparql,
                job.dataset,
                accept=job.accept,
                formats=job.formats,
                base_iri=job.base_iri,
                max_rows=job.max_rows,
            )
        except KGError as exc:
            reply = exc
        except Exception as exc:
            reply = KGError(f"the query failed: {type(exc).__name__}: {exc}")
        conn.send(reply)


async def _receive(loop: asyncio.AbstractEventLoop, conn: Connection) -> Any:
    """The next message on ``conn``, awaited without a thread: the loop wakes when it arrives."""
    arrived: asyncio.Future[None] = loop.create_future()
    fd = conn.fileno()

    def readable() -> None:
        if not arrived.done():
            arrived.set_result(None)

    loop.add_reader(fd, readable)
    try:
        await arrived
    finally:
        loop.remove_reader(fd)
    return conn.recv()  # the worker sends a whole message at once


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()  # first, so that a thread blocked on recv sees the pipe close
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """Worker processes over the on-disk store at ``source``, or over a remote service.

    Parameters
    ----------
    source
        An Oxigraph store directory, which each worker opens read-only, or the endpoint of a
        remote SPARQL service, to which each worker sends its queries.
    workers
        Number of worker processes: queries that run at once.
    timeout
        Seconds a query may run before its worker is killed.
    max_waiting
        Requests that may wait for a worker; more are refused with ``OverloadedError``.
    """

    def __init__(
        self, source: Path | Endpoint, *, workers: int, timeout: float, max_waiting: int
    ) -> None:
        self.source = source
        self.size = workers
        self.timeout = timeout
        self.max_waiting = max_waiting
        self.waiting = 0
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._threads = ThreadPoolExecutor(
            max_workers=2 * workers + 2, thread_name_prefix="query-pool"
        )
        self._replacements: set[asyncio.Task[None]] = set()
        self._closed = False

    def _spawn(self) -> _Worker:
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_serve, args=(child, self.source), daemon=True)
        process.start()
        child.close()
        try:
            ready = parent.recv()  # blocks until the worker has opened the store
        except EOFError:
            ready = None
        if ready != "ready":
            process.join(timeout=5)
            raise KGError(
                f"a query worker failed to start (exit code {process.exitcode}); see the log"
            )
        return _Worker(process, parent)

    async def start(self) -> None:
        """Start every worker and wait until each has the store open."""
        loop = asyncio.get_running_loop()
        workers = await asyncio.gather(
            *(loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size))
        )
        for worker in workers:
            self._all.add(worker)
            self._idle.put_nowait(worker)
        logger.info("%d query workers ready (timeout %.1fs)", self.size, self.timeout)

    @property
    def ready(self) -> int:
        """Workers alive and idle or busy (not being replaced)."""
        return sum(1 for w in self._all if w.process.is_alive())

    @property
    def busy(self) -> int:
        """Workers running a query now."""
        return len(self._all) - self._idle.qsize()

    async def run(self, job: Job) -> Answer:
        """Run ``job`` in a worker and return its answer.

        Raises
        ------
        OverloadedError
            If ``max_waiting`` requests already wait for a worker.
        QueryTimeoutError
            If the query runs past ``timeout`` seconds (its worker is replaced).
        KGError
            Whatever the query itself raised (syntax, negotiation...).
        """
        if self.waiting >= self.max_waiting:
            raise OverloadedError(
                f"all {self.size} query workers are busy and {self.waiting} requests wait; retry shortly"
            )
        self.waiting += 1
        try:
            worker = await self._idle.get()
        finally:
            self.waiting -= 1
        loop = asyncio.get_running_loop()
        try:
            worker.conn.send(job)
            reply: Any = await asyncio.wait_for(
                loop.run_in_executor(self._threads, worker.conn.recv), self.timeout
            )
        except (TimeoutError, EOFError, OSError, BrokenPipeError) as exc:
            self._all.discard(worker)
            await loop.run_in_executor(self._threads, worker.stop)
            if not self._closed:
                task = asyncio.create_task(self._replace())
                self._replacements.add(task)
                task.add_done_callback(self._replacements.discard)
            if isinstance(exc, TimeoutError):
                raise QueryTimeoutError(
                    f"the query ran longer than {self.timeout:g} s and was stopped; add a LIMIT or narrow its patterns"
                ) from None
            raise KGError("the query worker stopped unexpectedly") from None
        self._idle.put_nowait(worker)
        if isinstance(reply, KGError):
            raise reply
        answer: Answer = reply
        return answer

    async def _replace(self) -> None:
        worker = await asyncio.get_running_loop().run_in_executor(self._threads, self._spawn)
        if self._closed:
            worker.stop()
            return
        self._all.add(worker)
        self._idle.put_nowait(worker)

    async def close(self) -> None:
        """Stop every worker (graceful shutdown)."""
        self._closed = True
        for worker in list(self._all):
            worker.stop()
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)
