"""Wait for a condition, not for a fixed time: tests poll what they need with a deadline."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    condition: Callable[[], T],
    *,
    what: str,
    timeout: float = 30,
    ignoring: tuple[type[Exception], ...] = (),
) -> T:
    """Call ``condition`` until it returns something true, and return that.

    ``ignoring`` lists exceptions that mean "not yet" (a server that does not listen yet);
    any other exception ends the wait. After ``timeout`` seconds, AssertionError names ``what``.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = condition()
        except ignoring:
            result = None  # type: ignore[assignment]
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting until {what}")
        time.sleep(0.02)  # the poll interval, not a guess at how long anything takes
