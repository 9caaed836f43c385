"""Fair queueing of requests for workers: round-robin by client, with a share per client.

Idle workers sit in lanes (``fast`` for small queries, ``general`` for the rest, ``penalty`` for
clients recently stopped at a limit). A request asks
for a worker from one of its lanes and waits, at most ``queue_timeout`` seconds, in its client's
own line; whenever a worker is free the clients' lines are served in turn, one request each, so
a client with a hundred requests waiting delays another client's request by at most one turn.
No client runs more than ``client_workers`` queries at once or has more than ``client_waiting``
requests waiting, and no more than ``max_waiting`` requests wait for each kind of lanes.

A client whose query was stopped at a limit (time, memory, the fast lane's deadline) is
penalized for ``penalty`` seconds: its requests take the ``penalty`` lane only, so that hostile
clients, after their first offence, hold no worker that others could use.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from kg.errors import OverloadedError, TooManyRequestsError

W = TypeVar("W")
LANES = ("fast", "general", "penalty")


@dataclass(frozen=True)
class Shares:
    """How much of the workers and of the queue one client, and all clients, may hold."""

    client_workers: int
    client_waiting: int
    max_waiting: int
    queue_timeout: float
    penalty: float = 0.0
    """Seconds a penalized client keeps to the penalty lane; 0 when there is none."""


@dataclass(eq=False)
class _Waiter(Generic[W]):
    client: str
    lanes: tuple[str, ...]
    granted: asyncio.Future[tuple[W, str]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class FairQueue(Generic[W]):
    """Idle workers by lane, and the requests that wait for them, served fairly by client."""

    def __init__(self, shares: Shares) -> None:
        self.shares = shares
        self.idle: dict[str, list[W]] = {lane: [] for lane in LANES}
        self.running: Counter[str] = Counter()
        self._lines: OrderedDict[str, deque[_Waiter[W]]] = OrderedDict()
        self._penalties: dict[str, float] = {}

    @property
    def waiting(self) -> int:
        """Requests waiting for a worker now."""
        return sum(len(line) for line in self._lines.values())

    def penalize(self, client: str) -> None:
        """``client``'s query was stopped at a limit: penalize it for ``penalty`` seconds."""
        now = time.monotonic()
        if len(self._penalties) > 10_000:  # bounded: forget the penalties that are over
            self._penalties = {c: t for c, t in self._penalties.items() if t > now}
        self._penalties[client] = now + self.shares.penalty

    def penalized(self, client: str) -> bool:
        """Whether ``client`` is penalized now."""
        return self._penalties.get(client, 0.0) > time.monotonic()

    def put(self, worker: W, lane: str) -> None:
        """``worker`` is idle in ``lane``: give it to the next request in turn."""
        self.idle[lane].append(worker)
        self._dispatch()

    def discard(self, worker: W) -> None:
        """``worker`` is gone (stopped or being replaced): no request gets it."""
        for workers in self.idle.values():
            if worker in workers:
                workers.remove(worker)

    def finished(self, client: str) -> None:
        """A request of ``client`` that was granted a worker has finished with it."""
        self.running[client] -= 1
        if self.running[client] <= 0:
            del self.running[client]
        self._dispatch()

    async def acquire(self, client: str, lanes: tuple[str, ...]) -> tuple[W, str]:
        """A worker from the first of ``lanes`` that has one idle, and its lane; the caller
        calls :meth:`finished` when done with it.

        Raises
        ------
        OverloadedError
            ``max_waiting`` requests wait already, or none came free within ``queue_timeout``.
        TooManyRequestsError
            ``client`` has ``client_waiting`` requests waiting already.
        """
        shares = self.shares
        if self.penalized(client):
            lanes = ("penalty",)
        alike = sum(1 for line in self._lines.values() for w in line if w.lanes == lanes)
        if alike >= shares.max_waiting:
            raise OverloadedError(
                f"all query workers are busy and {alike} requests wait; retry shortly"
            )
        line = self._lines.get(client)
        if line is not None and len(line) >= shares.client_waiting:
            raise TooManyRequestsError(
                f"{client} has {self.running[client]} queries running and {len(line)} waiting, "
                f"its share of this service; wait for them to finish"
            )
        waiter: _Waiter[W] = _Waiter(client, lanes)
        self._lines.setdefault(client, deque()).append(waiter)
        self._dispatch()
        try:
            return await asyncio.wait_for(asyncio.shield(waiter.granted), shares.queue_timeout)
        except TimeoutError:
            self._leave(waiter)
            raise OverloadedError(
                f"no query worker came free within {shares.queue_timeout:g} s; retry shortly"
            ) from None
        except asyncio.CancelledError:  # the client went away while it waited
            self._leave(waiter)
            raise

    def _leave(self, waiter: _Waiter[W]) -> None:
        """Take ``waiter`` out of its line; a worker granted to it meanwhile goes back."""
        line = self._lines.get(waiter.client)
        if line is not None and waiter in line:
            line.remove(waiter)
            if not line:
                del self._lines[waiter.client]
        elif waiter.granted.done() and not waiter.granted.cancelled():
            worker, lane = waiter.granted.result()
            self.idle[lane].append(worker)
            self.finished(waiter.client)

    def _dispatch(self) -> None:
        """Grant idle workers to waiting requests: each client in turn, one request per turn."""
        granted = True
        while granted and self._lines:
            granted = False
            for client in list(self._lines):
                if self.running[client] >= self.shares.client_workers:
                    continue
                line = self._lines[client]
                waiter = line[0]
                lane = next((lane for lane in waiter.lanes if self.idle[lane]), None)
                if lane is None:
                    continue
                line.popleft()
                if line:
                    self._lines.move_to_end(client)  # the others' turn first
                else:
                    del self._lines[client]
                self.running[client] += 1
                waiter.granted.set_result((self.idle[lane].pop(), lane))
                granted = True
