"""Servers on loopback for tests with real clients: an app with uvicorn in a thread, on a socket
bound before it starts, and programs that bind their own port, started again if it was taken."""

from __future__ import annotations

import re
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from api.server import server_config
from kg.settings import Settings
from tests.polling import wait_until

ADDRESS_IN_USE = re.compile(r"address already in use|failed http listen", re.IGNORECASE)
"""How uvicorn, oxigraph serve and Virtuoso say that another process has their port."""


def listening_socket() -> socket.socket:
    """A TCP socket on 127.0.0.1, on a port the kernel picked, already listening."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


@contextmanager
def serving(app: FastAPI, *, ready: bool = True) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 and yield its base URL until the block ends: once /readyz
    answers 200, or with ``ready=False`` as soon as the server listens (still warming up).

    uvicorn is handed a socket that is bound already, so no other process can take the port.
    """
    with listening_socket() as sock:
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        state = getattr(app.state, "llmkg", None)  # the limits kg serve runs with
        settings = state.settings if state is not None else Settings()
        server = uvicorn.Server(server_config(app, settings, log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()

        def up() -> bool:
            if not thread.is_alive():
                raise RuntimeError("the test server stopped while starting")
            return server.started and (not ready or httpx.get(f"{url}/readyz").status_code == 200)

        try:
            wait_until(up, what="the test server is ready")
            yield url
        finally:
            server.should_exit = True
            thread.join(timeout=10)


@contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port that refuses connections: bound by this process, not listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


def free_ports(count: int) -> list[int]:
    """``count`` different ports that were free a moment ago (another process may take them)."""
    with ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]


@contextmanager
def running(
    start: Callable[[list[int]], tuple[list[str], str]],
    log: Path,
    *,
    ports: int = 1,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    attempts: int = 5,
) -> Iterator[list[int]]:
    """Run a server program until the block ends, once it answers ``ASK {}``; yield its ports.

    ``start(ports)`` returns the command for those ports and the SPARQL URL to probe. kg serve,
    oxigraph serve and Virtuoso bind their ports themselves and cannot bind port 0 and say which
    port they got, so the ports are picked free first; if another process takes one before the
    program binds it, the program exits with "address already in use" and is started again on
    new ports, at most ``attempts`` times. Output goes to ``log``.
    """
    for attempt in range(1, attempts + 1):
        chosen = free_ports(ports)
        command, probe = start(chosen)
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT
            )

        try:
            wait_until(
                partial(_answers, process, probe),
                what=f"{command[0]} answers at {probe}",
                timeout=timeout,
                ignoring=(httpx.TransportError,),
            )
        except AssertionError:
            process.kill()
            process.wait()
            raise AssertionError(f"{probe} did not answer: {log.read_text()[-2000:]}") from None
        if process.poll() is None:
            break
        output = log.read_text(errors="replace")
        if not ADDRESS_IN_USE.search(output) or attempt == attempts:
            raise RuntimeError(f"{command[0]} exited ({process.returncode}): {output[-2000:]}")
    try:
        yield chosen
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _answers(process: subprocess.Popen[bytes], probe: str) -> bool:
    """Whether the waiting is over: the program exited, or ``probe`` answers (any status)."""
    if process.poll() is None:
        httpx.get(probe, params={"query": "ASK {}"}, timeout=2)
    return True
