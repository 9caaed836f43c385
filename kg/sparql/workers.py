"""A pool of worker processes that run SPARQL queries within a deadline and a memory cap.

A pyoxigraph query cannot be interrupted from Python, so each query runs in a worker process
that has the store open read-only (or that sends it to a remote SPARQL service, or that
was forked from one copy of the store in memory: ``kg.sparql.forks``). A worker is
killed and replaced when its query passes its deadline (``QueryTimeoutError``), when the
client that asked for it goes away (the request is cancelled), or when it needs more memory
than its cap (the allocation fails, the worker aborts: ``QueryMemoryError``); the other workers
keep answering. Answers are capped in rows and in bytes before they leave the worker.

A worker sends its answer as a head (media type, headers, length) and then the body in raw
chunks of ``CHUNK`` bytes, not pickled. An answer of at most ``STREAM_AFTER`` bytes is read
whole before anything is sent to the client, so its status code is exact; a longer one may be
streamed (:meth:`QueryPool.run_streamed`): the head is known, with the ``Content-Length``, and
the body is read from the worker in the background as fast as the pipe allows (the worker is
held, and counted against its client's share, until it is all read) while it is sent to the
client. If the worker fails after that, the stream ends with an error, so the client sees a
body shorter than its ``Content-Length`` and a connection closed: never a short 200 that looks
whole.

The workers are in three lanes: ``fast`` ones, with a short deadline, for queries that look
small (``kg.sparql.cost``); ``general`` ones, at a lower CPU priority, for every query; and
``penalty`` ones, at the lowest, for the clients whose queries were stopped at a limit in the
last ``penalty`` seconds. Requests wait for a worker in a fair queue
(``kg.sparql.fairness``): round-robin by client, a share per client, a bounded wait.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import resource
import signal
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, cast

from kg.errors import KGError, QueryMemoryError, QueryTimeoutError, WorkerLostError
from kg.settings import Settings
from kg.sparql.dataset import Dataset
from kg.sparql.fairness import FairQueue, Shares
from kg.sparql.forks import Forked, Zygote
from kg.sparql.protocol import Answer, execute
from kg.store.remote import Endpoint, RemoteStore

logger = logging.getLogger(__name__)
_CONTEXT = multiprocessing.get_context("spawn")
NICENESS = {"fast": 0, "general": 10, "penalty": 19}
"""CPU priority by lane: the server process (REST lookups) and the fast lane first."""
CHUNK = 1 << 20
"""Bytes of an answer per message on the pipe."""
STREAM_AFTER = 1 << 20
"""Answers longer than this may be streamed to the client; shorter ones are read whole."""
MEMORY_DEATHS = (-signal.SIGABRT, -signal.SIGKILL)
"""How a worker ends that ran out of memory: pyoxigraph aborts when an allocation fails, and
the kernel's OOM killer sends SIGKILL (the pool's own kills are not counted here)."""


@dataclass(frozen=True)
class Job:
    """One query for a worker: everything ``kg.sparql.protocol.execute`` needs."""

    sparql: str
    dataset: Dataset = field(default_factory=Dataset)
    accept: str | None = None
    formats: tuple[str, ...] = ()
    base_iri: str | None = None
    max_rows: int | None = None
    max_bytes: int | None = None


@dataclass(frozen=True)
class _Head:
    """What a worker sends first of an answer: its body follows in ``size`` bytes."""

    media_type: str
    headers: dict[str, str]
    size: int


@dataclass(frozen=True)
class StreamedAnswer:
    """An answer whose body is still coming from the worker: ``size`` bytes in ``chunks``,
    which raise (a ``KGError``) if the worker fails before the end."""

    media_type: str
    headers: dict[str, str]
    size: int
    chunks: AsyncIterator[bytes]


@dataclass(frozen=True)
class Limits:
    """The pool's size and bounds: the ``query_*``, ``fast_*``, ``client_*`` settings."""

    workers: int
    timeout: float
    shares: Shares
    fast_workers: int = 0
    fast_timeout: float = 1.0
    penalty_workers: int = 0
    memory_mb: int | None = None
    in_memory: bool = False
    """Fork the workers from one in-memory copy of the store (``kg.sparql.forks``)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        shares = Shares(
            client_workers=settings.client_workers,
            client_waiting=settings.client_waiting,
            max_waiting=settings.max_waiting,
            queue_timeout=settings.queue_timeout,
            penalty=settings.penalty_seconds if settings.penalty_workers else 0.0,
        )
        return cls(
            workers=settings.query_workers,
            timeout=settings.query_timeout,
            shares=shares,
            fast_workers=settings.fast_workers,
            fast_timeout=settings.fast_timeout,
            penalty_workers=settings.penalty_workers,
            memory_mb=settings.worker_memory_mb,
            in_memory=settings.store_in_memory,
        )


def _serve(conn: Connection, source: Path | Endpoint, memory_mb: int | None) -> None:
    """The life of one spawned worker: open the store read-only (or the remote service),
    then :func:`answer`."""
    import pyoxigraph as ox

    store = RemoteStore(source) if isinstance(source, Endpoint) else ox.Store.read_only(str(source))
    answer(conn, store, memory_mb)


def answer(conn: Connection, store: Any, memory_mb: int | None, *, shared: bool = False) -> None:
    """Cap this worker's memory at ``memory_mb`` (on top of what it holds now if the store is
    ``shared``, a forked copy: ``kg.sparql.forks``), say so, then answer jobs over ``store``
    until the pipe closes."""
    if memory_mb is not None:  # private writable memory: heap and anonymous maps, not files
        cap = (_data_size() if shared else 0) + (memory_mb << 20)
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
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
                max_bytes=job.max_bytes,
            )
        except KGError as exc:
            reply = exc
        except MemoryError:
            reply = _memory_error(memory_mb)
        except Exception as exc:
            reply = KGError(f"the query failed: {type(exc).__name__}: {exc}")
        if isinstance(reply, KGError):
            conn.send(reply)
            continue
        conn.send(_Head(reply.media_type, reply.headers, len(reply.body)))
        body = memoryview(reply.body)
        for start in range(0, len(body), CHUNK):
            conn.send_bytes(body[start : start + CHUNK])


def _data_size() -> int:
    """Bytes of this process's data segment (what ``RLIMIT_DATA`` counts), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmData:"):
            return int(line.split()[1]) << 10
    return 0


def _receive(conn: Connection, stream_after: int | None) -> tuple[Any, bytes | None]:
    """A worker's reply: an error, or a head and (unless it is longer than ``stream_after``)
    the whole body."""
    head = conn.recv()
    if not isinstance(head, _Head) or (stream_after is not None and head.size > stream_after):
        return head, None
    if head.size <= CHUNK:
        return head, conn.recv_bytes() if head.size else b""
    body = bytearray()
    while len(body) < head.size:
        body += conn.recv_bytes()
    return head, bytes(body)


def _memory_error(memory_mb: int | None) -> QueryMemoryError:
    return QueryMemoryError(
        f"the query needed more than the {memory_mb} MB a query worker may use and was "
        "stopped; add a LIMIT, avoid ORDER BY over large results, or narrow its patterns"
    )


@dataclass(eq=False)
class _Worker:
    process: BaseProcess | Forked
    conn: Connection
    lane: str

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()  # first, so that a thread blocked on recv sees the pipe close
        self.process.join(timeout=5)
        self.conn.close()


class _OverranError(Exception):
    """A query in the fast lane ran past the fast lane's deadline."""


class QueryPool:
    """Worker processes over the on-disk store at ``source``, or over a remote service.

    ``source`` is an Oxigraph store directory, which each worker opens read-only, or the
    endpoint of a remote SPARQL service, to which each worker sends its queries; ``limits``
    says how many workers of each lane and how long and how much memory a query may take.
    """

    def __init__(self, source: Path | Endpoint, limits: Limits) -> None:
        self.source = source
        self.limits = limits
        self.lanes = {
            "general": limits.workers,
            "fast": limits.fast_workers,
            "penalty": limits.penalty_workers,
        }
        self.size = sum(self.lanes.values())
        self._queue: FairQueue[_Worker] = FairQueue(limits.shares)
        self._all: set[_Worker] = set()
        self._threads = ThreadPoolExecutor(
            max_workers=2 * self.size + 2, thread_name_prefix="query-pool"
        )
        self._replacements: set[asyncio.Task[None]] = set()
        self._drains: set[asyncio.Task[None]] = set()
        self._closed = False
        self._zygote: Zygote | None = None

    def _spawn(self, lane: str) -> _Worker:
        process: BaseProcess | Forked
        if self._zygote is not None:
            process, parent = self._zygote.fork(self.limits.memory_mb)
        else:
            parent, child = _CONTEXT.Pipe()
            process = _CONTEXT.Process(
                target=_serve, args=(child, self.source, self.limits.memory_mb), daemon=True
            )
            process.start()
            child.close()
        if process.pid is not None:  # from the start: its imports run at it too
            os.setpriority(os.PRIO_PROCESS, process.pid, NICENESS[lane])
        try:
            ready = parent.recv()  # blocks until the worker has opened the store
        except EOFError:
            ready = None
        if ready != "ready":
            process.join(timeout=5)
            raise KGError(
                f"a query worker failed to start (exit code {process.exitcode}); see the log"
            )
        return _Worker(process, parent, lane)

    async def start(self) -> None:
        """Start every worker and wait until each has the store open (copied into memory
        first, with ``limits.in_memory``)."""
        loop = asyncio.get_running_loop()
        if self.limits.in_memory:
            if not isinstance(self.source, Path):
                raise KGError("only a local store can be served from memory, not a remote one")
            self._zygote = await loop.run_in_executor(self._threads, Zygote, self.source)
        lanes = [lane for lane, count in self.lanes.items() for _ in range(count)]
        workers = await asyncio.gather(
            *(loop.run_in_executor(self._threads, self._spawn, lane) for lane in lanes)
        )
        for worker in workers:
            self._all.add(worker)
            self._queue.put(worker, worker.lane)
        logger.info(
            "query workers ready: %s (timeout %.1fs, memory %s MB each%s)",
            ", ".join(f"{count} {lane}" for lane, count in self.lanes.items()),
            self.limits.timeout,
            self.limits.memory_mb,
            ", forked from the store in memory" if self._zygote is not None else "",
        )

    @property
    def ready(self) -> int:
        """Workers alive and idle or busy (not being replaced)."""
        return sum(1 for w in self._all if w.process.is_alive())

    @property
    def busy(self) -> int:
        """Workers running a query now."""
        return len(self._all) - sum(len(idle) for idle in self._queue.idle.values())

    def by_lane(self) -> dict[str, dict[str, int]]:
        """Live workers and busy ones, by lane."""
        counts = {}
        for lane in self.lanes:
            alive = sum(1 for w in self._all if w.lane == lane and w.process.is_alive())
            counts[lane] = {"workers": alive, "busy": alive - len(self._queue.idle[lane])}
        return counts

    @property
    def waiting(self) -> int:
        """Requests waiting for a worker."""
        return self._queue.waiting

    def worker_pids(self) -> list[int]:
        """The process ids of the live workers: which were replaced shows in them."""
        return sorted(w.process.pid for w in self._all if w.process.pid is not None)

    async def run(self, job: Job, client: str = "-", *, small: bool = False) -> Answer:
        """Run ``job`` for ``client`` (an address) in a worker and return its answer, whole;
        a ``small`` one may take the fast lane. Cancelling the call stops the query.

        Raises
        ------
        OverloadedError
            The queue is full, or no worker came free within the queue timeout (503).
        TooManyRequestsError
            ``client`` holds its share of the queue already (429).
        QueryTimeoutError
            The query ran past ``timeout`` seconds (504).
        QueryMemoryError
            The query needed more memory than a worker may use (422).
        WorkerLostError
            The worker stopped for another reason (503).
        KGError
            Whatever the query itself raised (syntax, negotiation...).
        """
        return cast(Answer, await self._run(job, client, small, None))  # never streamed

    async def run_streamed(
        self, job: Job, client: str = "-", *, small: bool = False
    ) -> Answer | StreamedAnswer:
        """As :meth:`run`, but an answer longer than ``STREAM_AFTER`` bytes comes as a
        :class:`StreamedAnswer`, its body still being read from the worker."""
        return await self._run(job, client, small, STREAM_AFTER)

    async def _run(
        self, job: Job, client: str, small: bool, stream_after: int | None
    ) -> Answer | StreamedAnswer:
        fast = small and self.limits.fast_workers > 0
        try:
            try:
                lanes = ("fast", "general") if fast else ("general",)
                return await self._run_in(job, client, lanes, stream_after)
            except _OverranError:  # it looked small and was not: again, in the general lane
                self._queue.penalize(client)
                logger.info("%s: a query overran the fast lane; penalized for a while", client)
                return await self._run_in(job, client, ("general",), stream_after)
        except (QueryTimeoutError, QueryMemoryError):
            self._queue.penalize(client)
            raise

    async def _run_in(
        self, job: Job, client: str, lanes: tuple[str, ...], stream_after: int | None
    ) -> Answer | StreamedAnswer:
        worker, _ = await self._queue.acquire(client, lanes)
        streaming = False
        try:
            loop = asyncio.get_running_loop()
            timeout = self.limits.fast_timeout if worker.lane == "fast" else self.limits.timeout
            deadline = loop.time() + timeout
            head, body = await self._ask(worker, job, stream_after)
            if isinstance(head, KGError):
                raise head
            if body is not None:
                return Answer(body, head.media_type, head.headers)
            chunks: asyncio.Queue[bytes | KGError | None] = asyncio.Queue()
            task = loop.create_task(self._drain(worker, head.size, deadline, chunks, client))
            streaming = True  # the drain puts the worker back and ends the client's turn
            self._drains.add(task)
            task.add_done_callback(self._drains.discard)
            return StreamedAnswer(head.media_type, head.headers, head.size, _chunks(chunks))
        finally:
            if not streaming:
                self._queue.finished(client)

    async def _drain(
        self,
        worker: _Worker,
        size: int,
        deadline: float,
        chunks: asyncio.Queue[bytes | KGError | None],
        client: str,
    ) -> None:
        """Read the ``size`` bytes of an answer from ``worker`` into ``chunks`` by
        ``deadline``, then put the worker back (or retire it, and end ``chunks`` with an
        error, if it failed)."""
        loop = asyncio.get_running_loop()
        got = 0
        try:
            while got < size:
                chunk = await asyncio.wait_for(
                    loop.run_in_executor(self._threads, worker.conn.recv_bytes),
                    max(deadline - loop.time(), 0.0),
                )
                got += len(chunk)
                chunks.put_nowait(chunk)
        except (TimeoutError, EOFError, OSError, asyncio.CancelledError) as exc:
            self._retire(worker)
            chunks.put_nowait(
                WorkerLostError("the query worker stopped while it sent the answer; retry")
            )
            if isinstance(exc, asyncio.CancelledError):
                raise
        else:
            self._queue.put(worker, worker.lane)
            chunks.put_nowait(None)
        finally:
            self._queue.finished(client)

    async def _ask(
        self, worker: _Worker, job: Job, stream_after: int | None
    ) -> tuple[Any, bytes | None]:
        """``worker``'s reply to ``job``: an error or a head, and the whole body unless it is
        longer than ``stream_after``. The worker is put back once the body is read, or
        retired if the query overran, was cancelled or killed it."""
        loop = asyncio.get_running_loop()
        timeout = self.limits.fast_timeout if worker.lane == "fast" else self.limits.timeout
        try:
            worker.conn.send(job)
            head, body = await asyncio.wait_for(
                loop.run_in_executor(self._threads, _receive, worker.conn, stream_after),
                timeout,
            )
        except TimeoutError:
            self._retire(worker)
            if worker.lane == "fast":
                raise _OverranError from None
            raise QueryTimeoutError(
                f"the query ran longer than {timeout:g} s and was stopped; add a LIMIT or narrow its patterns"
            ) from None
        except (EOFError, OSError):  # the worker died under the query
            await loop.run_in_executor(self._threads, worker.process.join, 5)
            exitcode = worker.process.exitcode
            self._retire(worker)
            if exitcode in MEMORY_DEATHS:
                raise _memory_error(self.limits.memory_mb) from None
            raise WorkerLostError(
                f"the query worker stopped unexpectedly (exit code {exitcode}); retry"
            ) from None
        except BaseException:  # cancelled: the client went away, or the server stops
            self._retire(worker)
            raise
        if body is not None or not isinstance(head, _Head):
            self._queue.put(worker, worker.lane)
        return head, body

    def _retire(self, worker: _Worker) -> None:
        """Kill ``worker`` now, and start a replacement in its lane in the background."""
        self._all.discard(worker)
        self._queue.discard(worker)
        if worker.process.is_alive():
            worker.process.kill()
        task = asyncio.get_running_loop().create_task(self._replace(worker))
        self._replacements.add(task)
        task.add_done_callback(self._replacements.discard)

    async def _replace(self, old: _Worker) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._threads, old.stop)
        if self._closed:
            return
        try:
            worker = await loop.run_in_executor(self._threads, self._spawn, old.lane)
        except KGError:  # /readyz says so once no worker is left
            logger.exception("a query worker could not be replaced")
            return
        if self._closed:
            worker.stop()
            return
        self._all.add(worker)
        self._queue.put(worker, worker.lane)

    async def close(self) -> None:
        """Stop every worker (graceful shutdown)."""
        self._closed = True
        for worker in list(self._all):
            worker.stop()
        self._all.clear()
        if self._zygote is not None:
            self._zygote.close()
        self._threads.shutdown(wait=False, cancel_futures=True)


async def _chunks(queue: asyncio.Queue[bytes | KGError | None]) -> AsyncIterator[bytes]:
    """The chunks of an answer as they come from the worker; an error if it failed."""
    while True:
        item = await queue.get()
        if item is None:
            return
        if isinstance(item, KGError):
            raise item
        yield item
