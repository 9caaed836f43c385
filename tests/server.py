"""Run an app with uvicorn on a free loopback port, in a thread, for tests with real clients."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: FastAPI, *, ready: bool = True) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 and yield its base URL until the block ends: once /readyz
    answers 200, or with ``ready=False`` as soon as the server listens (still warming up)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    url = f"http://127.0.0.1:{port}"
    while not server.started or (ready and httpx.get(f"{url}/readyz").status_code != 200):
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not get ready")
        time.sleep(0.02)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
