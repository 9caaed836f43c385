"""On-disk Oxigraph stores: the served graph built from data/, and stores loaded from RDF files.

``ensure_store`` builds data/ into ``build/store`` only when its inputs changed (a fingerprint
of the records, the ontology and the code that maps them) and swaps the new store in only once
it is complete, so a failed build leaves the last good store in place.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from kg.errors import StoreError
from kg.pipeline import build
from kg.settings import Settings
from kg.store.remote import Endpoint, RemoteStore

logger = logging.getLogger(__name__)

FORMATS_BY_SUFFIX = {
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class StoreStatus:
    """Where the served store is and whether this start rebuilt it."""

    path: Path
    fingerprint: str
    rebuilt: bool


def fingerprint(settings: Settings) -> str:
    """A hash of everything the built store depends on: records, ontology, imports, mapping code."""
    digest = hashlib.sha256()
    inputs = [
        *sorted(settings.data_dir.rglob("*.yaml")),
        *sorted(settings.ontology_dir.glob("*.ttl")),
        *sorted(settings.imports_dir.glob("*.nq")),
        *sorted(settings.imports_dir.glob("manifest.json")),
    ]
    for path in inputs:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for path in build_code():
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


PACKAGE = Path(__file__).resolve().parents[1]
"""The ``kg`` package directory."""
BUILD_CODE: tuple[str, ...] = (
    *("__init__.py", "errors.py", "settings.py", "graph.py", "pipeline.py"),
    *("schema", "compile", "importers"),
    *(
        "store/__init__.py",
        "store/remote.py",
        "sparql/__init__.py",
        "sparql/dataset.py",
        "sparql/results.py",
    ),
)
"""What :func:`kg.pipeline.build` runs, relative to :data:`PACKAGE` (a test checks that it
imports nothing else of ``kg``)."""


def build_code() -> list[Path]:
    """The source files of :data:`BUILD_CODE`, sorted."""
    files: list[Path] = []
    for name in BUILD_CODE:
        path = PACKAGE / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return sorted(files)


def ensure_store(settings: Settings) -> StoreStatus:
    """Build data/ into ``<build_dir>/store`` unless the store there is up to date.

    Raises
    ------
    RecordError, ShapeError
        If the data does not validate; the previous store, if any, is left as it was.
    """
    target = settings.build_dir / "store"
    stamp = settings.build_dir / "store.json"
    wanted = fingerprint(settings)
    if (
        target.is_dir()
        and stamp.is_file()
        and json.loads(stamp.read_text())["fingerprint"] == wanted
    ):
        logger.info("store %s is up to date", target)
        return StoreStatus(target, wanted, rebuilt=False)
    rdf = build(settings).graph.rdf  # raises before anything on disk changes
    settings.build_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".store-", dir=settings.build_dir))
    try:
        disk = ox.Store(str(tmp / "store"))
        disk.bulk_extend(rdf)
        disk.flush()
        del disk
        gc.collect()  # close RocksDB before the directory moves
        stamp.unlink(missing_ok=True)
        old = tmp / "old"
        if target.exists():
            target.rename(old)
        (tmp / "store").rename(target)
        stamp.write_text(json.dumps({"fingerprint": wanted, "quads": len(rdf)}))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    logger.info("built store %s: %d quads", target, len(rdf))
    return StoreStatus(target, wanted, rebuilt=True)


def open_read_only(path: Path) -> ox.Store:
    """Open an existing on-disk store for reading; several processes may do so at once."""
    if not (path / "CURRENT").is_file():
        raise StoreError(
            f"{path} is not an Oxigraph store (create one with `kg load FILE --store {path}`)"
        )
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {path}: {exc}") from None


def open_store(source: Path | Endpoint) -> ox.Store | RemoteStore:
    """The store to read: an on-disk store directory, opened read-only, or a remote service."""
    if isinstance(source, Endpoint):
        return RemoteStore(source)
    return open_read_only(source)


class _CountingReader:
    """A binary file that reports how many bytes were read, for a progress bar."""

    def __init__(self, stream: IO[bytes], advance: Callable[[int], None]) -> None:
        self.stream = stream
        self.advance = advance

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.advance(len(chunk))
        return chunk


def load_files(
    files: list[Path],
    store_dir: Path,
    *,
    graph: str | None = None,
    advance: Callable[[int], None] = lambda n: None,
) -> int:
    """Load RDF files (N-Triples, N-Quads, Turtle, TriG) into the on-disk store ``store_dir``.

    Uses Oxigraph's bulk loader (10 million quads in about 3 minutes and under 2 GB on two
    cores, see docs/benchmarks.md). A file that fails to parse stops the load with the file
    and position named; what was loaded before stays.

    Parameters
    ----------
    files
        The files; the format comes from the suffix (.nt, .nq, .ttl, .trig).
    store_dir
        The store, created if missing.
    graph
        Named graph for triples in the default graph (default: leave them there); quads
        that name their graph keep it.
    advance
        Called with the number of bytes read as parsing proceeds.

    Returns
    -------
    int
        Number of quads in the store afterwards.
    """
    for path in files:
        if path.suffix not in FORMATS_BY_SUFFIX:
            raise StoreError(
                f"{path}: unknown RDF format; use one of {', '.join(FORMATS_BY_SUFFIX)}"
            )
        if not path.is_file():
            raise StoreError(f"{path}: no such file")
    try:
        store = ox.Store(str(store_dir))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {store_dir}: {exc}") from None
    to_graph = ox.NamedNode(graph) if graph else None
    for path in files:
        with path.open("rb") as stream:
            reader = cast(IO[bytes], _CountingReader(stream, advance))
            try:
                store.bulk_load(reader, format=FORMATS_BY_SUFFIX[path.suffix], to_graph=to_graph)
            except SyntaxError as exc:
                raise StoreError(f"{path}: {exc}") from None
    store.flush()
    return len(store)
