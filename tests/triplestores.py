"""Real SPARQL servers for the remote-store tests, each on a free loopback port in a temp dir.

``oxigraph serve`` comes with the ``oxigraph`` package of the dev extras; Virtuoso with the
Debian package ``virtuoso-opensource`` (``apt-get install -y virtuoso-opensource``), and the
tests that need it are marked ``virtuoso`` and skipped without it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.server import free_port

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
    "oxigraph"
)
VIRTUOSO = shutil.which("virtuoso-t")


@dataclass(frozen=True)
class Server:
    """A running SPARQL server: its query, update and Graph Store Protocol URLs."""

    query: str
    update: str
    gsp: str


def _wait(process: subprocess.Popen[bytes], url: str, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=2)
            return
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"{url} did not start: {log.read_text()[-2000:]}") from None
            time.sleep(0.1)


@contextmanager
def _running(command: list[str], cwd: Path, probe: str) -> Iterator[None]:
    log = cwd / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait(process, probe, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def oxigraph(directory: Path, *, union: bool = True, timeout: int = 5) -> Iterator[Server]:
    """``oxigraph serve`` over a new store in ``directory``, its default graph the union."""
    if OXIGRAPH is None:
        raise RuntimeError("the oxigraph command is missing: pip install -e '.[dev]'")
    port = free_port()
    command = [OXIGRAPH, "serve", "--location", str(directory / "db")]
    command += ["--bind", f"127.0.0.1:{port}", "--timeout-s", str(timeout)]
    command += ["--union-default-graph"] if union else []
    base = f"http://127.0.0.1:{port}"
    with _running(command, directory, f"{base}/query"):
        yield Server(f"{base}/query", f"{base}/update", f"{base}/store")


VIRTUOSO_INI = """
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 2000
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {dir}
MaxClientConnections = 4
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 30
DefaultGraph =
"""


@contextmanager
def virtuoso(directory: Path) -> Iterator[Server]:
    """Virtuoso 7 over a new database in ``directory``; user ``dba``, password ``dba``.

    Updates and the Graph Store Protocol take digest authentication:
    ``/sparql-auth`` and ``/sparql-graph-crud-auth``.
    """
    if VIRTUOSO is None:
        raise RuntimeError("virtuoso-t is missing: apt-get install -y virtuoso-opensource")
    http_port, sql_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port))
    base = f"http://127.0.0.1:{http_port}"
    command = [VIRTUOSO, "+foreground", "+configfile", str(ini)]
    with _running(command, directory, f"{base}/sparql"):
        yield Server(f"{base}/sparql", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth")
