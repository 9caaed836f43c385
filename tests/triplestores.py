"""Real SPARQL servers for the remote-store tests, each on a free loopback port in a temp dir
(started again on other ports if another process takes one first: see ``tests.server.running``).

``oxigraph serve`` comes with the ``oxigraph`` package of the dev extras; Virtuoso with the
Debian package ``virtuoso-opensource`` (``apt-get install -y virtuoso-opensource``), and the
tests that need it are marked ``virtuoso`` and skipped without it.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.store.remote import Endpoint, RemoteStore
from tests.server import running

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
    "oxigraph"
)
VIRTUOSO = shutil.which("virtuoso-t")
FIXTURE_QUADS = 2728
"""Quads of the fixture graph (tests/fixtures/data and the ontology graph), in 22 graphs: it
changes whenever ontology/ does."""


@dataclass(frozen=True)
class Server:
    """A running SPARQL server: its query, update and Graph Store Protocol URLs."""

    query: str
    update: str
    gsp: str


@contextmanager
def oxigraph(directory: Path, *, union: bool = True, timeout: int = 5) -> Iterator[Server]:
    """``oxigraph serve`` over a new store in ``directory``, its default graph the union."""
    if OXIGRAPH is None:
        raise RuntimeError("the oxigraph command is missing: pip install -e '.[dev]'")

    def start(ports: list[int]) -> tuple[list[str], str]:
        command = [OXIGRAPH, "serve", "--location", str(directory / "db")]
        command += ["--bind", f"127.0.0.1:{ports[0]}", "--timeout-s", str(timeout)]
        command += ["--union-default-graph"] if union else []
        return command, f"http://127.0.0.1:{ports[0]}/query"

    with running(start, directory / "server.log", cwd=directory) as (port,):
        base = f"http://127.0.0.1:{port}"
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
    ini = directory / "virtuoso.ini"

    def start(ports: list[int]) -> tuple[list[str], str]:
        http_port, sql_port = ports
        ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port))
        return [
            VIRTUOSO,
            "+foreground",
            "+configfile",
            str(ini),
        ], f"http://127.0.0.1:{http_port}/sparql"

    with running(start, directory / "server.log", ports=2, cwd=directory) as (http_port, _):
        base = f"http://127.0.0.1:{http_port}"
        yield Server(f"{base}/sparql", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth")


def quads_of(server: Server) -> set[ox.Quad]:
    """Every quad the server holds, read over the SPARQL protocol."""
    store = RemoteStore(Endpoint(query_url=server.query))
    try:
        return set(store)
    finally:
        store.close()
