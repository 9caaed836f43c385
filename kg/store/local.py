"""On-disk Oxigraph stores: the served graph built from data/, and stores loaded from RDF files.

``ensure_store`` builds data/ into ``build/store`` only when its inputs changed (a fingerprint
of the records, the ontology and the code that maps them). Both it and ``load_files`` write a
new version of the store and switch the store's symlink to it in one step once it is complete
(:mod:`kg.versions`), under a lock: a failure or a kill at any moment leaves the last good
store in place, and the next run deletes what a killed one left. A reader opens the version
the symlink points at and pins it, so a writer never deletes a store that is being read.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from kg.errors import KGError, StoreError
from kg.importers.saved import import_files
from kg.locks import writing
from kg.pipeline import build
from kg.settings import Settings
from kg.store.remote import Endpoint, RemoteStore
from kg.versions import current, new_version, pin, prune, switch

logger = logging.getLogger(__name__)

FORMATS_BY_SUFFIX = {
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class StoreStatus:
    """Where the served store is (its version directory, pinned: open this) and whether this
    start rebuilt it."""

    path: Path
    fingerprint: str
    rebuilt: bool


def fingerprint(settings: Settings) -> str:
    """A hash of everything the built store depends on: records, ontology, imports, mapping code."""
    digest = hashlib.sha256()
    inputs = [
        *sorted(settings.data_dir.rglob("*.yaml")),
        *sorted(settings.ontology_dir.glob("*.ttl")),
        *import_files(settings.imports_dir),
    ]
    for path in inputs:
        try:
            content = path.read_bytes()
        except OSError as exc:  # missing, a symlink loop, ...: the build reports it
            content = f"unreadable: {exc.errno}".encode()
        digest.update(path.name.encode() + b"\0" + content + b"\0")
    for path in build_code():
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


PACKAGE = Path(__file__).resolve().parents[1]
"""The ``kg`` package directory."""
BUILD_CODE: tuple[str, ...] = (
    *("__init__.py", "errors.py", "settings.py", "graph.py", "pipeline.py"),
    *("locks.py", "versions.py"),
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


SERVED_STORE = "store"
"""The symlink in the build directory to the version of the served store."""


def ensure_store(settings: Settings) -> StoreStatus:
    """Build data/ into ``<build_dir>/store`` unless the store there is up to date.

    Raises
    ------
    RecordError, ShapeError, CatalogueError
        If the data does not validate; the previous store, if any, is left as it was.
    LockedError
        If another process is building the store.
    StoreError
        If the store cannot be written (a full disk); the previous one is left as it was.
    """
    link = settings.build_dir / SERVED_STORE
    wanted = fingerprint(settings)
    found = _up_to_date(link, wanted)
    if found is not None:
        return found
    with writing(link, "served-store build", shown=link):
        found = _up_to_date(link, wanted)  # built meanwhile by the writer before us
        if found is not None:
            return found
        prune(link)
        rdf = build(settings).graph.rdf  # raises before anything on disk changes
        version = new_version(link, wanted)
        try:
            disk = ox.Store(str(version))
            disk.bulk_extend(rdf)
            disk.flush()
            del disk
            gc.collect()  # close RocksDB before the store is switched in
            switch(link, version)
        except OSError as exc:
            shutil.rmtree(version, ignore_errors=True)
            raise StoreError(
                f"cannot write the store {link}: {exc}; is the disk full? "
                "the previous store is kept"
            ) from None
        pin(version)
        prune(link)
        (settings.build_dir / "store.json").unlink(missing_ok=True)  # from before versions
    logger.info("built store %s: %d quads", version, len(rdf))
    return StoreStatus(version, wanted, rebuilt=True)


def _up_to_date(link: Path, wanted: str) -> StoreStatus | None:
    version = current(link)
    if version is None or version.name.partition(".")[0] != wanted or not pin(version):
        return None
    logger.info("store %s is up to date", link)
    return StoreStatus(version, wanted, rebuilt=False)


def open_read_only(path: Path) -> ox.Store:
    """Open an existing on-disk store for reading; several processes may do so at once.

    A store switched by versions is opened at the version it points at now, which is pinned
    for as long as this process runs.
    """
    if not (path / "CURRENT").is_file():
        raise StoreError(
            f"{path} is not an Oxigraph store (create one with `kg load FILE --store {path}`)"
        )
    version = path.resolve()
    for _ in range(10):
        if pin(version):
            break
        version = path.resolve()  # switched and pruned between the two steps: again
    try:
        return ox.Store.read_only(str(version))
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
    cores, see docs/benchmarks.md) on a copy of the store (hard links: no extra space for what
    it had), switched in once every file is loaded: a file that fails to parse, a full disk or
    a kill leaves the store as it was, and loads nothing.

    Parameters
    ----------
    files
        The files; the format comes from the suffix (.nt, .nq, .ttl, .trig).
    store_dir
        The store, created if missing; a symlink to its current version.
    graph
        Named graph for triples in the default graph (default: leave them there); quads
        that name their graph keep it.
    advance
        Called with the number of bytes read as parsing proceeds.

    Returns
    -------
    int
        Number of quads in the store afterwards.

    Raises
    ------
    StoreError
        If a file is missing, in an unknown format or does not parse, or the store cannot be
        written; the store is left as it was.
    LockedError
        If another process is writing ``store_dir``.
    """
    for path in files:
        if path.suffix not in FORMATS_BY_SUFFIX:
            raise StoreError(
                f"{path}: unknown RDF format; use one of {', '.join(FORMATS_BY_SUFFIX)}"
            )
        if not path.is_file():
            raise StoreError(f"{path}: no such file")
    with writing(store_dir, "kg load", shown=store_dir):
        prune(store_dir)
        base = _base_store(store_dir)
        version = new_version(store_dir, "v")
        try:
            loaded = _load_copy(base, version, files, graph, advance)
            switch(store_dir, version)
        except (OSError, StoreError) as exc:
            shutil.rmtree(version, ignore_errors=True)
            if isinstance(exc, StoreError):
                raise
            raise StoreError(
                f"cannot load into {store_dir}: {exc}; is the disk full? "
                f"{store_dir} is left as it was"
            ) from None
        prune(store_dir)
    return loaded


def _base_store(store_dir: Path) -> Path | None:
    """The store to copy before loading: the current version, a store from before versions,
    or none for a new store."""
    version = current(store_dir)
    if version is not None:
        return version
    if not store_dir.is_dir():
        return None
    if (store_dir / "CURRENT").is_file():
        return store_dir
    if any(store_dir.iterdir()):
        raise StoreError(f"{store_dir} exists and is not an Oxigraph store; choose another --store")
    return None


def _load_copy(
    base: Path | None,
    version: Path,
    files: list[Path],
    graph: str | None,
    advance: Callable[[int], None],
) -> int:
    """Copy ``base`` into ``version`` (or make it empty) and load ``files`` into it."""
    if base is not None:
        source = ox.Store.read_only(str(base))
        source.backup(str(version))
        del source
    store = ox.Store(str(version))
    to_graph = ox.NamedNode(graph) if graph else None
    for path in files:
        with path.open("rb") as stream:
            reader = cast(IO[bytes], _CountingReader(stream, advance))
            try:
                store.bulk_load(reader, format=FORMATS_BY_SUFFIX[path.suffix], to_graph=to_graph)
            except SyntaxError as exc:
                raise StoreError(f"{path}: {exc}") from None
    store.flush()
    loaded = len(store)
    del store
    gc.collect()  # close RocksDB before the store is switched in
    _save_derived(version)
    return loaded


def _save_derived(version: Path) -> None:
    """Save the server's derived tables (search index, projection) into the new version, so
    that ``kg serve`` reads them instead of building them (:mod:`kg.read.derived`); if that
    fails, the server builds them at its first start instead."""
    from kg.graph import KnowledgeGraph
    from kg.read.derived import Derived, key, save

    try:
        wanted = key(version)
        store = ox.Store.read_only(str(version))
        try:
            derived = Derived.compute(KnowledgeGraph(store))
        finally:
            del store
            gc.collect()
    except (KGError, OSError) as exc:
        logger.warning("the derived tables of %s were not saved: %s", version, exc)
        return
    save(version, derived, key_=wanted)
