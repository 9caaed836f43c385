"""The curated data in data/: every file valid on its own, and the whole graph as required."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.compile.load import read_yaml
from kg.pipeline import Build, build
from kg.schema.records import DIRECTORIES, ProjectRecord
from kg.settings import Settings

FILES = sorted(Settings().data_dir.glob("*/*.yaml"))
PAPER_PROJECTS = {
    "olmo", "pythia", "aya", "smollm", "llama", "qwen", "bloom", "sea-lion", "bielik",
    "typhoon", "teuken", "notram", "ling", "unidentified-14",
}  # fmt: skip


@pytest.fixture(scope="session")
def real_kg() -> Build:
    return build(Settings())


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_record_file(path: Path) -> None:
    record = DIRECTORIES[path.parent.name].model_validate(read_yaml(path))
    assert record.id == path.stem


def test_graph_is_large_enough(real_kg: Build) -> None:
    assert len(real_kg.records) >= 150
    assert real_kg.link_count() >= 400


def test_every_project_of_the_paper_is_recorded(real_kg: Build) -> None:
    projects = {id_: r for (kind, id_), r in real_kg.records.items() if kind == "project"}
    assert set(projects) == PAPER_PROJECTS
    unnamed = [
        id_ for id_, r in projects.items() if isinstance(r, ProjectRecord) and not r.identified
    ]
    assert unnamed == ["unidentified-14"]
    study = real_kg.record("publication", "cartography-2509-25397")
    assert {link.id for link in study.studies} == PAPER_PROJECTS  # type: ignore[attr-defined]


def test_every_link_and_field_has_a_source_and_confidence(real_kg: Build) -> None:
    sparql = """
    SELECT (COUNT(DISTINCT ?g) AS ?unsourced) WHERE {
      GRAPH ?g { ?s ?p ?o }
      FILTER(STRSTARTS(STR(?g), "https://w3id.org/llmkg/id/fact/"))
      FILTER NOT EXISTS { ?g prov:wasDerivedFrom ?source ; llmkg:confidence ?c }
    }"""
    (row,) = real_kg.graph.query(sparql, prefixes=True)  # type: ignore[misc]
    assert int(row["unsourced"].value) == 0
