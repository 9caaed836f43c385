"""One in-memory copy of a store, and the query workers forked from it.

A store that fits in memory answers the heavy queries several times faster than the same
store on disk, where every row of a join is a RocksDB lookup (6 to 60 times at 10 million
quads: docs/benchmarks.md). A copy per query worker would not do: a worker is killed at its
deadline, and a new copy costs the load again and its memory again. So one *zygote* process,
spawned, copies the on-disk store into ``pyoxigraph.Store()`` once and then forks each
worker on request: the workers share the copy's pages with it copy-on-write (queries only
read them), and a killed worker is replaced by a new fork, not a new copy.

The zygote does nothing but load and fork, from its only thread, so a fork never copies a
lock held elsewhere. For each worker it makes a socket pair, forks, and sends the pool the
child's pid and its end of the pair (``SCM_RIGHTS``). The workers are the zygote's children,
not the pool's: the pool watches each through a pidfd (:class:`Forked`) and asks the zygote
for its exit code once it has ended (the zygote reaps it then).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import select
import signal
import socket
import threading
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path

from kg.errors import KGError

logger = logging.getLogger(__name__)


def _zygote(conn: Connection, source: Path) -> None:
    """The zygote's loop: copy the store at ``source`` into memory, then fork a worker or
    reap one at each request of the pool, until the pipe closes."""
    import pyoxigraph as ox

    from kg.sparql.workers import answer

    disk = ox.Store.read_only(str(source))
    store = ox.Store()
    store.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    del disk
    gc.collect()
    gc.freeze()  # the children's collections then leave the shared pages alone
    conn.send(("ready", len(store)))
    while True:
        try:
            request, argument = conn.recv()
        except (EOFError, OSError):
            return
        if request == "reap":
            _, status = os.waitpid(argument, 0)
            conn.send(os.waitstatus_to_exitcode(status))
            continue
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the worker
            conn.close()
            ours.close()
            try:
                answer(Connection(theirs.detach()), store, argument, shared=True)
            finally:
                os._exit(0)
        theirs.close()
        conn.send(pid)
        send_handle(conn, ours.fileno(), 0)
        ours.close()


class Zygote:
    """The process that holds the in-memory copy of the store at ``source`` and forks the
    query workers; started (and the copy loaded, which took 5.4 minutes at 10 million quads)
    when made."""

    def __init__(self, source: Path) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self.process = context.Process(
            target=_zygote, args=(child, source), name="store-in-memory", daemon=True
        )
        self.process.start()
        child.close()
        self._lock = threading.Lock()  # one request and its reply at a time
        try:
            _, self.quads = self._conn.recv()
        except (EOFError, OSError):
            self.process.join(timeout=5)
            raise KGError(
                f"the in-memory copy of the store {source} failed to load (exit code "
                f"{self.process.exitcode}); see the log, or serve it from disk"
            ) from None
        logger.info("store copied into memory: %d quads", self.quads)

    def fork(self, memory_mb: int | None) -> tuple[Forked, Connection]:
        """A new worker over the copy, capped at ``memory_mb`` more than the copy, and the
        pool's end of its pipe."""
        with self._lock:
            try:
                self._conn.send(("fork", memory_mb))
                pid: int = self._conn.recv()
                fd = recv_handle(self._conn)
            except (EOFError, OSError):
                raise KGError(
                    "the process holding the in-memory store stopped "
                    f"(exit code {self.process.exitcode}); restart the server"
                ) from None
        return Forked(pid, self), Connection(fd)

    def reap(self, pid: int) -> int | None:
        """The exit code of the ended worker ``pid`` (``-N`` for a signal ``N``); None if the
        zygote is gone and cannot tell."""
        with self._lock:
            try:
                self._conn.send(("reap", pid))
                code: int = self._conn.recv()
            except (EOFError, OSError):
                return None
        return code

    def close(self) -> None:
        self._conn.close()  # the zygote returns at the closed pipe
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)


class Forked:
    """A worker forked by a :class:`Zygote`, with the methods of a ``multiprocessing``
    process that the pool uses."""

    def __init__(self, pid: int, zygote: Zygote) -> None:
        self.pid = pid
        self.exitcode: int | None = None
        self._zygote = zygote
        self._fd: int | None = os.pidfd_open(pid)  # a zombie until reaped: never reused

    def is_alive(self) -> bool:
        return self._fd is not None and not select.select([self._fd], [], [], 0)[0]

    def kill(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._fd, signal.SIGKILL)

    def join(self, timeout: float | None = None) -> None:
        if self._fd is None or not select.select([self._fd], [], [], timeout)[0]:
            return
        os.close(self._fd)
        self._fd = None
        self.exitcode = self._zygote.reap(self.pid)
