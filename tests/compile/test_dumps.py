"""Build outputs: complete, deterministic to the byte, and atomic."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.compile import dumps
from kg.compile.dumps import OUTPUTS, write_build
from kg.errors import WriteError
from kg.graph import KnowledgeGraph
from kg.pipeline import build
from kg.settings import Settings


def contents(build_dir: Path) -> dict[str, bytes]:
    return {name: (build_dir / name).read_bytes() for name in OUTPUTS}


def test_outputs_parse_and_agree(fixture_kg: KnowledgeGraph, tmp_path: Path) -> None:
    write_build(fixture_kg, tmp_path)
    quads = list(ox.parse(path=tmp_path / "kg.nq", format=ox.RdfFormat.N_QUADS))
    merged = Graph().parse(tmp_path / "kg.ttl")
    jsonld = Graph().parse(tmp_path / "kg.jsonld", format="json-ld")
    assert len(quads) == len(fixture_kg.rdf)
    assert (
        len(merged)
        == len(jsonld)
        == len({(q.subject, q.predicate, q.object) for q in fixture_kg.rdf})
    )
    assert (
        json.loads((tmp_path / "kg.jsonld").read_text())["@context"]["model"]
        == "https://w3id.org/llmkg/id/model/"
    )


def test_void_counts_entities_per_class(fixture_kg: KnowledgeGraph, tmp_path: Path) -> None:
    write_build(fixture_kg, tmp_path)
    void = Graph().parse(tmp_path / "void.ttl")
    counts = dict(
        void.query("""
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?class ?n WHERE { ?d void:classPartition [ void:class ?class ; void:entities ?n ] }
    """)
    )
    assert {str(c).rsplit("#")[-1]: int(n) for c, n in counts.items()} == {
        "Benchmark": 1,
        "ComputePartnership": 1,
        "Dataset": 1,
        "License": 2,
        "Model": 3,
        "Organization": 3,
        "Project": 1,
    }


def test_same_input_gives_byte_identical_files(copy_settings: Settings, tmp_path: Path) -> None:
    write_build(build(copy_settings).graph, tmp_path / "first")
    # Touch every record: file times and directory order must not matter.
    for path in sorted(copy_settings.data_dir.rglob("*.yaml"), reverse=True):
        path.write_bytes(path.read_bytes())
    write_build(build(copy_settings).graph, tmp_path / "second")
    assert contents(tmp_path / "first") == contents(tmp_path / "second")


def test_failed_write_leaves_previous_build(
    fixture_kg: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_dir = tmp_path / "build"
    write_build(fixture_kg, build_dir)
    before = contents(build_dir)
    calls = []

    def failing(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        ox.serialize(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dumps.ox, "serialize", failing)
    with pytest.raises(WriteError) as caught:
        write_build(fixture_kg, build_dir)
    assert str(caught.value) == (
        f"cannot write {build_dir / 'kg.nq'}: disk full; is the disk full? "
        f"{build_dir} keeps the previous build"
    )
    assert contents(build_dir) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]
    (version,) = (build_dir / ".dumps.versions").iterdir()  # no unfinished version left
    assert version == (build_dir / "dumps").resolve()


def test_the_dumps_switch_whole_through_one_symlink(
    fixture_kg: KnowledgeGraph, tmp_path: Path
) -> None:
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    for name in OUTPUTS:  # a build from before versions: plain files
        (build_dir / name).write_text("old", encoding="utf-8")
    write_build(fixture_kg, build_dir)
    assert {name: str((build_dir / name).readlink()) for name in OUTPUTS} == {
        name: f"dumps/{name}" for name in OUTPUTS
    }
    first = (build_dir / "dumps").resolve()
    write_build(fixture_kg, build_dir)
    second = (build_dir / "dumps").resolve()
    assert second != first
    assert [p.name for p in (build_dir / ".dumps.versions").iterdir()] == [second.name]
