"""The fair queue on its own: turns by client, shares, bounds, and requests that leave."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import OverloadedError, TooManyRequestsError
from kg.sparql.fairness import FairQueue, Shares

T = TypeVar("T")


def shares(**changes: float) -> Shares:
    values: dict[str, float] = {
        "client_workers": 1,
        "client_waiting": 4,
        "max_waiting": 8,
        "queue_timeout": 5,
        "penalty": 60,
    } | changes
    return Shares(
        int(values["client_workers"]),
        int(values["client_waiting"]),
        int(values["max_waiting"]),
        values["queue_timeout"],
        values["penalty"],
    )


def run(test: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(test())


async def settled() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_clients_take_turns() -> None:
    async def scenario() -> list[str]:
        queue: FairQueue[str] = FairQueue(shares(client_workers=4))
        order: list[str] = []

        async def request(client: str) -> None:
            await queue.acquire(client, ("general",))
            order.append(client)

        tasks = [asyncio.create_task(request(c)) for c in ["a", "a", "a", "b"]]
        await settled()
        for worker in ["w1", "w2", "w3", "w4"]:
            queue.put(worker, "general")
            await settled()
        await asyncio.gather(*tasks)
        return order

    assert run(scenario) == ["a", "b", "a", "a"]  # b's one request waits one turn, not three


def test_a_client_at_its_share_waits_while_others_take_the_idle_worker() -> None:
    async def scenario() -> tuple[list[str], int]:
        queue: FairQueue[str] = FairQueue(shares(client_workers=1))
        queue.put("w1", "general")
        queue.put("w2", "general")
        first = await queue.acquire("a", ("general",))
        second = asyncio.create_task(queue.acquire("a", ("general",)))
        await settled()
        other = await queue.acquire("b", ("general",))
        waiting = queue.waiting
        queue.put(first[0], "general")
        queue.finished("a")
        granted = await second
        return [first[0], other[0], granted[0]], waiting

    workers, waiting = run(scenario)
    assert waiting == 1  # a's second request waited although w2 was idle: b got it
    assert workers == ["w2", "w1", "w2"]


def test_small_requests_take_either_lane_others_only_the_general_one() -> None:
    async def scenario() -> tuple[tuple[str, str], bool]:
        queue: FairQueue[str] = FairQueue(shares(client_workers=2))
        queue.put("fast-1", "fast")
        large = asyncio.create_task(queue.acquire("a", ("general",)))
        small = await queue.acquire("b", ("fast", "general"))
        await settled()
        return small, large.done()

    small, large_done = run(scenario)
    assert small == ("fast-1", "fast")
    assert not large_done


def test_bounds_of_the_queue() -> None:
    async def scenario() -> list[str]:
        queue: FairQueue[str] = FairQueue(shares(client_waiting=2, max_waiting=3))
        waiting = [asyncio.create_task(queue.acquire(c, ("general",))) for c in "aab"]
        await settled()
        errors = []
        for client in "ac":
            with pytest.raises((OverloadedError, TooManyRequestsError)) as refused:
                await queue.acquire(client, ("general",))
            errors.append(f"{refused.value.status}: {refused.value}")
        for task in waiting:
            task.cancel()
        return errors

    assert run(scenario) == [
        "503: all query workers are busy and 3 requests wait; retry shortly",
        "503: all query workers are busy and 3 requests wait; retry shortly",
    ]

    async def per_client() -> str:
        queue: FairQueue[str] = FairQueue(shares(client_waiting=2))
        waiting = [asyncio.create_task(queue.acquire("a", ("general",))) for _ in range(2)]
        await settled()
        with pytest.raises(TooManyRequestsError) as refused:
            await queue.acquire("a", ("general",))
        for task in waiting:
            task.cancel()
        return str(refused.value)

    assert run(per_client) == (
        "a has 0 queries running and 2 waiting, its share of this service; wait for them to finish"
    )


def test_a_request_waits_at_most_the_queue_timeout() -> None:
    async def scenario() -> tuple[str, int]:
        queue: FairQueue[str] = FairQueue(shares(queue_timeout=0.05))
        with pytest.raises(OverloadedError) as late:
            await queue.acquire("a", ("general",))
        return str(late.value), queue.waiting

    assert run(scenario) == ("no query worker came free within 0.05 s; retry shortly", 0)


def test_a_request_that_leaves_gives_up_its_place_and_its_worker() -> None:
    async def scenario() -> tuple[int, list[str], int]:
        queue: FairQueue[str] = FairQueue(shares())
        leaving = asyncio.create_task(queue.acquire("a", ("general",)))
        await settled()
        leaving.cancel()
        await settled()
        after_leaving = queue.waiting
        queue.put("w1", "general")  # nobody waits for it now
        return after_leaving, queue.idle["general"], len(queue.running)

    assert run(scenario) == (0, ["w1"], 0)


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("ask"), st.sampled_from("abc")),
            st.tuples(st.just("done"), st.integers(0, 9)),
            st.tuples(st.just("leave"), st.integers(0, 9)),
        ),
        max_size=40,
    ),
    client_workers=st.integers(1, 3),
)
def test_no_worker_is_granted_twice_and_no_client_exceeds_its_share(
    steps: list[tuple[str, object]], client_workers: int
) -> None:
    async def scenario() -> None:
        queue: FairQueue[int] = FairQueue(
            shares(client_workers=client_workers, client_waiting=40, max_waiting=40)
        )
        for worker in range(4):
            queue.put(worker, "general")
        pending: list[tuple[str, asyncio.Task[tuple[int, str]]]] = []
        holding: list[tuple[str, int]] = []
        for action, arg in steps:
            if action == "ask":
                client = str(arg)
                pending.append((client, asyncio.create_task(queue.acquire(client, ("general",)))))
            elif action == "leave" and pending:
                pending.pop(int(str(arg)) % len(pending))[1].cancel()
            elif action == "done" and holding:
                client, worker = holding.pop(int(str(arg)) % len(holding))
                queue.put(worker, "general")
                queue.finished(client)
            await settled()
            for client, task in list(pending):
                if task.done():
                    pending.remove((client, task))
                    if not task.cancelled():
                        holding.append((client, task.result()[0]))
            held = [worker for _, worker in holding]
            assert sorted(held + queue.idle["general"]) == list(range(4))  # each once
            for client in "abc":
                assert sum(1 for c, _ in holding if c == client) <= client_workers
                assert queue.running[client] == sum(1 for c, _ in holding if c == client)
        for _, task in pending:
            task.cancel()

    run(scenario)


def test_penalized_clients_take_the_penalty_lane_only() -> None:
    async def scenario() -> tuple[tuple[str, str], tuple[str, str], bool]:
        queue: FairQueue[str] = FairQueue(shares(client_workers=2))
        for worker, lane in [("fast-1", "fast"), ("w1", "general"), ("p1", "penalty")]:
            queue.put(worker, lane)
        queue.penalize("a")
        first = await queue.acquire("a", ("fast", "general"))
        second = asyncio.create_task(queue.acquire("a", ("general",)))
        await settled()
        held_back = not second.done()  # w1 is idle, but not for a penalized client
        good = await queue.acquire("b", ("general",))
        second.cancel()
        return first, good, held_back

    assert run(scenario) == (("p1", "penalty"), ("w1", "general"), True)


def test_a_penalty_ends() -> None:
    async def scenario() -> tuple[bool, bool]:
        queue: FairQueue[str] = FairQueue(shares(penalty=0.05))
        queue.penalize("a")
        during = queue.penalized("a")
        await asyncio.sleep(0.1)
        return during, queue.penalized("a")

    assert run(scenario) == (True, False)


def test_small_and_other_requests_wait_within_bounds_of_their_own() -> None:
    async def scenario() -> tuple[str, str]:
        queue: FairQueue[str] = FairQueue(shares(client_waiting=8, max_waiting=2))
        large = [asyncio.create_task(queue.acquire(c, ("general",))) for c in "ab"]
        small = [asyncio.create_task(queue.acquire(c, ("fast", "general"))) for c in "cd"]
        await settled()
        refused = []
        for lanes in [("general",), ("fast", "general")]:
            with pytest.raises(OverloadedError) as full:
                await queue.acquire("e", lanes)
            refused.append(str(full.value))
        for task in large + small:
            task.cancel()
        return refused[0], refused[1]

    assert run(scenario) == (
        "all query workers are busy and 2 requests wait; retry shortly",
        "all query workers are busy and 2 requests wait; retry shortly",
    )
