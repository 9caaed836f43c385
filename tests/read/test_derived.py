"""The derived tables saved in a store (kg.read.derived): used when fresh, rebuilt when the store
changed or the file is damaged, and the same as the ones built from the store."""

from __future__ import annotations

import hashlib
import logging
import zlib
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from kg.graph import KnowledgeGraph
from kg.networks.projection import to_networkx
from kg.read import derived
from kg.read.derived import FILE, MAGIC, Derived, derive, key
from kg.store.local import load_files, open_read_only

QUERIES = (None, "", "llama", "LLaMA", "bloom", "a", "-", "meta", "zz-no-such-name", "1")


def same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    """The same nodes, edges and attributes, iterated in the same order both ways."""
    assert a.graph == b.graph
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    assert list(a.in_edges(keys=True, data=True)) == list(b.in_edges(keys=True, data=True))


def same(a: Derived, b: Derived) -> None:
    same_graph(a.projection, b.projection)
    assert a.search.entries == b.search.entries
    for q in QUERIES:
        assert a.search.search(q) == b.search.search(q)
        assert a.search.search(q, kinds={"model"}) == b.search.search(q, kinds={"model"})
    assert (a.quads, a.catalogues) == (b.quads, b.catalogues)


@pytest.fixture
def loaded(tmp_path: Path, fixture_kg: KnowledgeGraph) -> Path:
    """A `kg load` store of the fixture graph (its version directory)."""
    dump = tmp_path / "fixture.nq"
    assert isinstance(fixture_kg.rdf, ox.Store)
    fixture_kg.rdf.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    load_files([dump], tmp_path / "store")
    return (tmp_path / "store").resolve()


def kg_of(version: Path) -> KnowledgeGraph:
    return KnowledgeGraph(open_read_only(version))


def test_kg_load_saves_them_and_serve_reads_them_without_rebuilding(
    loaded: Path, fixture_kg: KnowledgeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    assert (loaded / FILE).is_file()
    before = derived.events.copy()
    with caplog.at_level(logging.INFO, logger="kg.read.derived"):
        found = derive(kg_of(loaded), loaded)
    assert derived.events - before == {"read": 1}  # no rebuild, nothing written
    assert "derived tables read from" in caplog.text
    same(found, Derived.compute(kg_of(loaded)))
    assert found.quads == len(fixture_kg)
    assert set(found.projection.edges(keys=True)) == set(
        to_networkx(fixture_kg.rdf).edges(keys=True)
    )


def test_a_store_changed_by_another_load_gets_them_rebuilt(
    loaded: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old, old_key = (loaded / FILE).read_bytes(), key(loaded)
    (tmp_path / "more.nt").write_text(
        '<https://w3id.org/llmkg/id/model/extra> <http://purl.org/dc/terms/identifier> "extra" .\n'
        '<https://w3id.org/llmkg/id/model/extra> <http://www.w3.org/2000/01/rdf-schema#label> "Extra model" .\n'
    )
    load_files([tmp_path / "more.nt"], tmp_path / "store")
    new = (tmp_path / "store").resolve()
    assert new != loaded
    assert key(new) != old_key
    # The new version has its own file; put the old store's there instead: it is stale.
    (new / FILE).write_bytes(old)
    before = derived.events.copy()
    with caplog.at_level(logging.INFO, logger="kg.read.derived"):
        found = derive(kg_of(new), new)
    assert derived.events - before == {"stale": 1, "built": 1, "saved": 1}
    assert "is stale" in caplog.text
    assert [e.id for e in found.search.search("extra model")] == ["extra"]
    same(found, Derived.compute(kg_of(new)))
    before = derived.events.copy()
    same(derive(kg_of(new), new), found)  # the rebuilt file is used from then on
    assert derived.events - before == {"read": 1}


def _cut(data: bytes) -> list[bytes]:
    """The file cut short at several places, with bytes flipped, and other damage."""
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x40
    bad_json = zlib.compress(b'{"nodes": {"count": 1}}')
    with_key = data[: len(MAGIC) + 65]  # the magic line and the key line
    rehashed = with_key + hashlib.sha256(bad_json).hexdigest().encode() + b"\n"
    bad_zlib = b"not zlib at all"
    return [
        b"",
        data[:10],
        data[: len(MAGIC) + 64],
        data[: len(MAGIC) + 140],
        data[: len(data) // 2],
        data[:-1],
        bytes(flipped),
        data + b"x",
        b"\0" * len(data),
        rehashed + bad_json,  # a right hash over a wrong document
        rehashed + zlib.compress(b"[1, 2"),
        with_key + hashlib.sha256(bad_zlib).hexdigest().encode() + b"\n" + bad_zlib,
    ]


def test_a_damaged_file_is_rebuilt_with_a_warning_never_trusted(
    loaded: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = (loaded / FILE).read_bytes()
    expected = Derived.compute(kg_of(loaded))
    for damaged in _cut(good):
        (loaded / FILE).write_bytes(damaged)
        before = derived.events.copy()
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="kg.read.derived"):
            found = derive(kg_of(loaded), loaded)
        assert derived.events - before == {"corrupt": 1, "built": 1, "saved": 1}, damaged[:40]
        assert any(r.levelno == logging.WARNING and "damaged" in r.message for r in caplog.records)
        same(found, expected)
        assert (loaded / FILE).read_bytes() == good  # written again, whole


def test_a_store_that_cannot_be_written_is_served_from_memory(
    loaded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (loaded / FILE).unlink()

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(derived.os, "fsync", refuse)
    before = derived.events.copy()
    same(derive(kg_of(loaded), loaded), Derived.compute(kg_of(loaded)))
    assert derived.events - before == {"built": 1}
    assert not (loaded / FILE).exists()
    assert not [p for p in loaded.iterdir() if p.name.startswith(f".{FILE}")]  # no temporary


def test_a_remote_store_builds_them_and_saves_nothing(fixture_kg: KnowledgeGraph) -> None:
    before = derived.events.copy()
    same(derive(fixture_kg, None), Derived.compute(fixture_kg))
    assert derived.events - before == {"built": 1}
