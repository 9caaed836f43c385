"""Shared fixtures: a tiny dataset in tests/fixtures/data and the graph built from it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from api.main import create_app
from kg.graph import KnowledgeGraph
from kg.networks.projection import to_networkx
from kg.pipeline import Build, build
from kg.settings import Settings
from tests.server import serving

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _test_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests read this checkout's ontology/ wherever they run, and never see the catalogues
    a developer imported into ./imports nor the releases in ./releases."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LLMKG_ONTOLOGY_DIR", str(ROOT / "ontology"))
        patch.setenv("LLMKG_IMPORTS_DIR", str(tmp_path_factory.mktemp("no-imports")))
        patch.setenv("LLMKG_RELEASES_DIR", str(tmp_path_factory.mktemp("no-releases")))
        yield


@pytest.fixture(scope="session")
def fixture_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings over the fixture dataset, building into a temporary directory."""
    return Settings(
        data_dir=FIXTURES / "data", build_dir=tmp_path_factory.mktemp("session") / "build"
    )


@pytest.fixture(scope="session")
def fixture_build(fixture_settings: Settings) -> Build:
    """The records, graph and imports built from the fixture dataset."""
    return build(fixture_settings)


@pytest.fixture(scope="session")
def fixture_kg(fixture_build: Build) -> KnowledgeGraph:
    """The knowledge graph built from the fixture dataset."""
    return fixture_build.graph


@pytest.fixture(scope="session")
def fixture_nx(fixture_kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """The networkx projection of the fixture graph."""
    return to_networkx(fixture_kg.rdf)


@pytest.fixture(scope="session")
def base_url(fixture_settings: Settings) -> Iterator[str]:
    """The app over the fixture dataset, served by uvicorn on a loopback port."""
    with serving(create_app(fixture_settings)) as url:
        yield url


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the fixture dataset at ./data (the test runs in its tmp_path)."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", target)
    return target


@pytest.fixture
def copy_settings(data_copy: Path, tmp_path: Path) -> Settings:
    """Settings over a writable copy of the fixture dataset."""
    return Settings(data_dir=data_copy, build_dir=tmp_path / "build")
