"""What the server derives from a store once (search index, projection, quad count), kept
in one file inside the store so that the next start reads it instead of rebuilding it.

Building them reads the whole store with SPARQL: about two minutes at 10 million quads. The
file ``llmkg-derived.bin`` in the store's (version) directory holds them, compact, and is read
with one ``read``. It is keyed to the store: its header holds a hash of the store's RocksDB
files (names and sizes, ``CURRENT`` and ``IDENTITY``), of this format and of the code that
derives them, and a SHA-256 of the payload. A file whose key differs (the store or the code
changed) is stale and rebuilt; a file cut short or damaged fails the hash (or the format
checks) and is rebuilt with a warning: it is never trusted, and never stops the server.

``kg load`` writes it into the new version of the store before switching to it; a store
without one (built elsewhere, or from before) gets one at its first serve. It is written to a
temporary name, flushed, then renamed over the old one (:func:`save`), so a reader sees the
old file or the new one, whole; a store directory that cannot be written is served from
memory, as before.

Layout: ``MAGIC``, the key and the payload's SHA-256 (hex, one line each), then the payload,
zlib-compressed JSON: string columns as lists, repeated strings (kinds, relations, sources)
as a table of distinct values plus integer codes packed little-endian (base64).
"""

from __future__ import annotations

import base64
import gc
import hashlib
import json
import logging
import os
import secrets
import sys
import time
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from kg.graph import KnowledgeGraph
from kg.read.rows import select_rows, term_text
from kg.read.search import Entry, SearchIndex
from kg.schema.vocabulary import ID

logger = logging.getLogger(__name__)

FILE = "llmkg-derived.bin"
MAGIC = b"LLMKG-DERIVED 1\n"
NODE_ATTRS = ("kind", "label", "region", "organization_type", "governance_model")
EDGE_ATTRS = ("relation", "phase", "source", "confidence")
NAMES = "\x1f"
"""Separates an entry's names (the search query uses it to join aliases: never in one)."""

PACKAGE = Path(__file__).resolve().parents[1]
CODE = (
    "read/derived.py",
    "read/search.py",
    "read/rows.py",
    "networks/projection.py",
    "compile/rdf.py",
    "schema/records.py",
    "schema/terms.py",
    "schema/vocabulary.py",
)
"""The code that derives the tables, relative to the ``kg`` package: part of the key."""

events: Counter[str] = Counter()
"""How warm-ups went in this process: ``read`` (a fresh file), ``built``, ``stale``,
``corrupt``, ``saved``. For tests and logs."""


@dataclass(frozen=True)
class Derived:
    """The search index, the networkx projection, the quad count and imported catalogues."""

    projection: nx.MultiDiGraph
    search: SearchIndex
    quads: int
    catalogues: frozenset[str]

    @classmethod
    def compute(cls, kg: KnowledgeGraph) -> Derived:
        """Read them from ``kg`` (slow on a large store: every entity and link)."""
        from kg.networks.projection import to_networkx  # networkx-heavy: only when building

        with _no_gc():
            projection, search = to_networkx(kg.rdf), SearchIndex.build(kg)
        return cls(projection, search, len(kg), imported_catalogues(kg))


def imported_catalogues(kg: KnowledgeGraph) -> frozenset[str]:
    """The names of the catalogues ``kg import`` brought into the graph (``osai``...)."""
    rows = select_rows(kg, "SELECT DISTINCT ?c WHERE { ?c a llmkg:Catalogue }")
    return frozenset(str(term_text(r["c"])).removeprefix(f"{ID}catalogue/") for r in rows)


class CorruptError(ValueError):
    """A derived-tables file that cannot be what :func:`save` wrote."""


def store_fingerprint(store_dir: Path) -> str:
    """A hash of what identifies the content of the RocksDB store in ``store_dir``: the names
    and sizes of its data files (``*.sst``, ``*.log``, ``*.blob``, ``MANIFEST-*``) and the
    contents of ``CURRENT`` and ``IDENTITY``. Any write that reaches the disk changes it."""
    digest = hashlib.sha256()
    for path in sorted(store_dir.iterdir()):
        name = path.name
        if name in ("CURRENT", "IDENTITY"):
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        elif name.endswith((".sst", ".log", ".blob")) or name.startswith("MANIFEST-"):
            digest.update(f"{name}\0{path.stat().st_size}\0".encode())
    return digest.hexdigest()


def code_fingerprint() -> str:
    digest = hashlib.sha256(MAGIC)
    for name in CODE:
        digest.update(name.encode() + b"\0" + (PACKAGE / name).read_bytes() + b"\0")
    return digest.hexdigest()


def key(store_dir: Path) -> str:
    """The key a derived-tables file of ``store_dir`` must have to be used."""
    return hashlib.sha256(
        f"{store_fingerprint(store_dir)}:{code_fingerprint()}".encode()
    ).hexdigest()


# ---------------------------------------------------------------- encoding


def _codes(values: Sequence[str | None]) -> dict[str, Any]:
    """A column of repeated strings: its distinct values and one code per value."""
    table: dict[str | None, int] = {}
    codes = [table.setdefault(v, len(table)) for v in values]
    return {"values": list(table), "codes": _ints(codes)}


def _ints(values: Sequence[int]) -> str:
    packed = array("i", values)
    if sys.byteorder != "little":
        packed.byteswap()
    return base64.b64encode(packed.tobytes()).decode("ascii")


def _unints(text: str, length: int) -> array[int]:
    packed = array("i")
    packed.frombytes(base64.b64decode(text, validate=True))
    if sys.byteorder != "little":
        packed.byteswap()
    if len(packed) != length:
        raise CorruptError(f"a column has {len(packed)} values where {length} were expected")
    return packed


def _decode(column: dict[str, Any], length: int) -> list[Any]:
    values = column["values"]
    codes = _unints(column["codes"], length)
    if codes and (min(codes) < 0 or max(codes) >= len(values)):
        raise CorruptError("a code points outside its table")
    return list(map(values.__getitem__, codes))


def encode(derived: Derived) -> dict[str, Any]:
    """``derived`` as a JSON-ready document (see the module's docstring)."""
    with _no_gc():
        return _encode(derived)


def _encode(derived: Derived) -> dict[str, Any]:
    projection = derived.projection
    nodes = list(projection.nodes(data=True))
    index = {n: i for i, (n, _) in enumerate(nodes)}
    for _, data in nodes:
        if tuple(sorted(data)) != tuple(sorted(NODE_ATTRS)):
            raise ValueError(f"a node with the attributes {sorted(data)}: not {NODE_ATTRS}")
    # Edges in the order to_networkx adds them (by subject, object, relation), so that the
    # graph read back iterates successors and predecessors in the same order.
    edges = sorted(projection.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    for *_, data in edges:
        if tuple(sorted(data)) != tuple(sorted(EDGE_ATTRS)):
            raise ValueError(f"an edge with the attributes {sorted(data)}: not {EDGE_ATTRS}")
    graph = dict(projection.graph)
    if json.loads(json.dumps(graph)) != graph:
        raise ValueError("the projection's graph attributes are not JSON")
    entries = derived.search.entries
    return {
        "quads": derived.quads,
        "graph": graph,
        "catalogues": sorted(derived.catalogues),
        "nodes": {
            "count": len(nodes),
            "key": [n for n, _ in nodes],
            "kind": _codes([d["kind"] for _, d in nodes]),
            "label": [d["label"] for _, d in nodes],
            **{a: _codes([d[a] for _, d in nodes]) for a in NODE_ATTRS[2:]},
        },
        "edges": {
            "count": len(edges),
            "u": _ints([index[u] for u, *_ in edges]),
            "v": _ints([index[v] for _, v, *_ in edges]),
            "key": _codes([k for _, _, k, _ in edges]),
            **{a: _codes([d[a] for *_, d in edges]) for a in EDGE_ATTRS},
        },
        "search": {
            "count": len(entries),
            "kind": _codes([e.kind for e in entries]),
            "id": [e.id for e in entries],
            "iri": [e.iri for e in entries],
            "label": [e.label for e in entries],
            "names": [NAMES.join(e.names) for e in entries],
        },
    }


@contextmanager
def _no_gc() -> Iterator[None]:
    """Without the cyclic garbage collector: it would run again and again over the millions of
    new dicts and tuples, which hold no cycles (several times slower)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def decode(document: dict[str, Any]) -> Derived:
    """The tables of a document :func:`encode` made; CorruptError if it is not one."""
    with _no_gc():
        return _decode_document(document)


def _decode_document(document: dict[str, Any]) -> Derived:
    try:
        nodes, edges, search = document["nodes"], document["edges"], document["search"]
        n, m, s = nodes["count"], edges["count"], search["count"]
        keys, labels = nodes["key"], nodes["label"]
        if len(keys) != n or len(labels) != n or len(set(keys)) != n:
            raise CorruptError("the node columns do not match")
        node_columns = {a: _decode(nodes[a], n) for a in (NODE_ATTRS[0], *NODE_ATTRS[2:])}
        node_attrs = zip(
            node_columns["kind"], labels, *(node_columns[a] for a in NODE_ATTRS[2:]), strict=True
        )
        u, v = (_unints(edges[end], m) for end in ("u", "v"))
        if m and (max(max(u), max(v)) >= n or min(min(u), min(v)) < 0):
            raise CorruptError("an edge points outside the nodes")
        edge_keys = _decode(edges["key"], m)
        edge_attrs = zip(*(_decode(edges[a], m) for a in EDGE_ATTRS), strict=True)
        projection = _graph(document["graph"], keys, node_attrs, u, v, edge_keys, edge_attrs)
        kinds = _decode(search["kind"], s)
        columns = [search[c] for c in ("id", "iri", "label", "names")]
        if any(len(c) != s for c in columns):
            raise CorruptError("the search columns do not match")
        entries = [
            Entry(kind, id_, iri, label, tuple(names.split(NAMES)))
            for kind, id_, iri, label, names in zip(kinds, *columns, strict=True)
        ]
        quads, catalogues = document["quads"], document["catalogues"]
        if not isinstance(quads, int) or not all(isinstance(c, str) for c in catalogues):
            raise CorruptError("the quad count or the catalogues are not what they should be")
        return Derived(projection, SearchIndex(entries), quads, frozenset(catalogues))
    except CorruptError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise CorruptError(f"{type(exc).__name__}: {exc}") from None


def _graph(
    graph: Any,
    keys: list[str],
    node_attrs: Iterable[tuple[Any, ...]],
    u: array[int],
    v: array[int],
    edge_keys: list[str],
    edge_attrs: Iterable[tuple[Any, ...]],
) -> nx.MultiDiGraph:
    """The MultiDiGraph of these nodes and edges (in this order), made as ``add_node`` and
    ``add_edge`` make it, without their per-call checks (ten times faster)."""
    if not isinstance(graph, dict):
        raise CorruptError("the projection's graph attributes are not a mapping")
    projection = nx.MultiDiGraph(**graph)
    node, succ, pred = projection._node, projection._adj, projection._pred
    for key_, (kind, label, region, organization_type, governance_model) in zip(
        keys, node_attrs, strict=True
    ):
        node[key_] = {
            "kind": kind,
            "label": label,
            "region": region,
            "organization_type": organization_type,
            "governance_model": governance_model,
        }
        succ[key_] = {}
        pred[key_] = {}
    for a, b, k, (relation, phase, source, confidence) in zip(
        u, v, edge_keys, edge_attrs, strict=True
    ):
        s, o = keys[a], keys[b]
        keydict = succ[s].get(o)
        if keydict is None:
            keydict = succ[s][o] = pred[o][s] = {}
        elif k in keydict:
            raise CorruptError(f"the edge {s} -> {o} ({k}) is there twice")
        keydict[k] = {
            "relation": relation,
            "phase": phase,
            "source": source,
            "confidence": confidence,
        }
    return projection


# ---------------------------------------------------------------- the file


def save(store_dir: Path, derived: Derived, *, key_: str | None = None) -> Path | None:
    """Write ``derived`` into ``store_dir``, replacing the file there in one step; None (and
    a log line) if the folder cannot be written. ``key_`` defaults to :func:`key`."""
    start = time.perf_counter()
    payload = zlib.compress(json.dumps(encode(derived), separators=(",", ":")).encode(), 1)
    head = f"{key_ or key(store_dir)}\n{hashlib.sha256(payload).hexdigest()}\n".encode()
    target = store_dir / FILE
    tmp = store_dir / f".{FILE}.tmp-{secrets.token_hex(4)}"
    try:
        with tmp.open("wb") as out:
            out.write(MAGIC + head + payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
        fd = os.open(store_dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        logger.info(
            "derived tables not saved in %s (%s): the next start builds them again", store_dir, exc
        )
        return None
    events["saved"] += 1
    logger.info(
        "derived tables saved: %s, %d bytes, in %.1f s",
        target,
        target.stat().st_size,
        time.perf_counter() - start,
    )
    return target


def load(store_dir: Path) -> Derived | None:
    """The derived tables saved in ``store_dir`` if they are those of the store as it is now;
    None if there are none, they are stale, or the file is damaged (with a warning)."""
    path = store_dir / FILE
    start = time.perf_counter()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        logger.warning("cannot read %s (%s): building the derived tables again", path, exc)
        events["corrupt"] += 1
        return None
    try:
        wanted = key(store_dir)
    except OSError as exc:
        logger.warning("cannot read the store %s (%s): building the derived tables", store_dir, exc)
        return None
    try:
        if not data.startswith(MAGIC):
            raise CorruptError("not a derived-tables file")
        found_key, digest, payload = data[len(MAGIC) :].split(b"\n", 2)
        if found_key.decode("ascii", "replace") != wanted:
            logger.info("%s is stale (the store or the code changed): building it again", path)
            events["stale"] += 1
            return None
        if hashlib.sha256(payload).hexdigest().encode() != digest:
            raise CorruptError("its SHA-256 is not the one in its header (cut short or damaged)")
        document = json.loads(zlib.decompress(payload))
        derived = decode(document)
    except (CorruptError, ValueError, zlib.error) as exc:  # ValueError: JSON, split
        logger.warning("%s is damaged (%s): building the derived tables again", path, exc)
        events["corrupt"] += 1
        return None
    events["read"] += 1
    logger.info(
        "derived tables read from %s in %.2f s: %d entities, %d nodes",
        path,
        time.perf_counter() - start,
        len(derived.search.entries),
        len(derived.projection),
    )
    return derived


def derive(kg: KnowledgeGraph, store_dir: Path | None) -> Derived:
    """The derived tables of ``kg``: read from ``store_dir`` when fresh there, else built from
    the store and saved there (``store_dir`` None, for a remote store: built, not saved)."""
    wanted = None
    if store_dir is not None:
        found = load(store_dir)
        if found is not None:
            return found
        try:  # before building: a store changed meanwhile is not mislabelled
            wanted = key(store_dir)
        except OSError:
            wanted = None
    start = time.perf_counter()
    derived = Derived.compute(kg)
    events["built"] += 1
    logger.info("derived tables built in %.1f s", time.perf_counter() - start)
    if store_dir is not None and wanted is not None:
        save(store_dir, derived, key_=wanted)
    return derived
