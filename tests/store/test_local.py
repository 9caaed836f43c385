"""On-disk stores: built only when data changed, swapped in whole, loaded from RDF files, served."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.errors import RecordError, StoreError
from kg.settings import Settings
from kg.store.local import ensure_store, load_files, open_read_only
from tests.server import running

TRIG = """@prefix ex: <http://example.org/> .
ex:s ex:p "default" .
ex:g { ex:s ex:p "named" . }
"""


def count(path: Path, sparql: str = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") -> int:
    store = open_read_only(path)
    (row,) = store.query(sparql, use_default_graph_as_union=True)  # type: ignore[misc]
    return int(row["n"].value)


def test_store_is_built_once_then_reused(copy_settings: Settings) -> None:
    first = ensure_store(copy_settings)
    assert first.rebuilt
    again = ensure_store(copy_settings)
    assert (again.rebuilt, again.fingerprint) == (False, first.fingerprint)
    model = copy_settings.data_dir / "models/chat-7b.yaml"
    model.write_text(model.read_text() + "parameters: 7000000000\n")
    changed = ensure_store(copy_settings)
    assert changed.rebuilt
    assert changed.fingerprint != first.fingerprint
    assert (
        count(
            changed.path,
            "SELECT (COUNT(*) AS ?n) { ?m <https://w3id.org/llmkg/ns#parameterCount> ?v }",
        )
        == 2
    )


def test_failed_build_keeps_the_last_good_store(copy_settings: Settings) -> None:
    good = ensure_store(copy_settings)
    before = count(good.path)
    (copy_settings.data_dir / "models/chat-7b.yaml").write_text("id: chat-7b\n")
    with pytest.raises(RecordError):
        ensure_store(copy_settings)
    assert count(good.path) == before
    assert count(copy_settings.build_dir / "store") == before
    assert sorted(p.name for p in copy_settings.build_dir.iterdir()) == [
        ".store.lock",
        ".store.versions",
        "store",
    ]
    assert sorted(p.name for p in (copy_settings.build_dir / ".store.versions").iterdir()) == [
        f".{good.path.name}.pin",  # this process reads it
        good.path.name,
    ]


def test_load_files_into_a_store(tmp_path: Path) -> None:
    (tmp_path / "a.trig").write_text(TRIG)
    nt = '<http://example.org/x> <http://example.org/p> "x" .\n'
    (tmp_path / "b.nt").write_text(nt)
    seen: list[int] = []
    loaded = load_files(
        [tmp_path / "a.trig", tmp_path / "b.nt"],
        tmp_path / "store",
        graph="http://example.org/h",
        advance=seen.append,
    )
    assert loaded == 3
    assert sum(seen) == len(TRIG.encode()) + len(nt.encode())
    graphs = "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    assert count(tmp_path / "store", graphs) == 2  # ex:g kept; default-graph triples moved to ex:h


def test_load_into_a_store_from_before_versions_then_a_failed_load_changes_nothing(
    tmp_path: Path,
) -> None:
    plain = tmp_path / "store"
    old = ox.Store(str(plain))  # a store directory as kg load made them before versions
    old.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("old")))
    old.flush()
    del old
    gc.collect()
    (tmp_path / "a.trig").write_text(TRIG)
    assert load_files([tmp_path / "a.trig"], plain) == 3
    assert plain.is_symlink()
    (tmp_path / "b.nt").write_text('<urn:x> <urn:p> "x" .\n')
    (tmp_path / "bad.ttl").write_text("<a> <b> .")
    with pytest.raises(StoreError, match=r"bad\.ttl: Parser error"):
        load_files([tmp_path / "b.nt", tmp_path / "bad.ttl"], plain)
    assert count(plain) == 3  # b.nt, loaded before bad.ttl failed, is not there either


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("data.rdf", "<rdf/>", "data.rdf: unknown RDF format; use one of .nt, .nq, .ttl, .trig"),
        (
            "data.ttl",
            "<a> <b> .",
            "data.ttl: Parser error at line 1 between columns 1 and 4: No scheme found in an absolute IRI (line 1)",
        ),
    ],
)
def test_load_errors_name_the_file(tmp_path: Path, name: str, text: str, message: str) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(StoreError) as caught:
        load_files([tmp_path / name], tmp_path / "store")
    assert str(caught.value).endswith(message)


def test_open_read_only_refuses_a_directory_that_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is not an Oxigraph store"):
        open_read_only(tmp_path)


def test_kg_load_then_kg_serve_store(tmp_path: Path) -> None:
    (tmp_path / "a.trig").write_text(TRIG)
    env = {**os.environ, "LLMKG_BUILD_DIR": str(tmp_path / "build")}
    loaded = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg",
            "load",
            str(tmp_path / "a.trig"),
            "--store",
            str(tmp_path / "s"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert loaded.stdout == f"loaded 1 file(s); {tmp_path / 's'} holds 2 quads\n"

    def start(ports: list[int]) -> tuple[list[str], str]:
        command = [sys.executable, "-m", "kg", "serve", "--store", str(tmp_path / "s")]
        return [*command, "--port", str(ports[0])], f"http://127.0.0.1:{ports[0]}/sparql"

    # kg serve binds its own port and cannot be asked for port 0 (it reads 0 as "the default",
    # 8000), so it runs on a port picked free and is started again if another process took it.
    with running(start, tmp_path / "serve.log", env=env) as (port,):
        response = httpx.get(
            f"http://127.0.0.1:{port}/sparql",
            params={"query": "SELECT ?o { ?s ?p ?o } ORDER BY ?o"},
        )
    assert [b["o"]["value"] for b in response.json()["results"]["bindings"]] == [
        "default",
        "named",
    ]


def test_kg_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "serve", "--store", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert (
        proc.stderr
        == f"Error: {tmp_path / 'none'} is not an Oxigraph store (create one with `kg load FILE --store {tmp_path / 'none'}`)\n"
    )
