"""A release of the fixture data (with one imported catalogue), made once per module."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kg.importers.run import import_catalogue
from kg.release.snapshot import Release, make_release, metadata_json
from kg.settings import Settings
from tests.conftest import FIXTURES


@dataclass(frozen=True)
class Made:
    """A release and the moments just before and after it was made."""

    release: Release
    settings: Settings
    before: datetime
    after: datetime


def release_settings(folder: Path) -> Settings:
    """Settings over a copy of the fixture data in ``folder`` (no git checkout), with the osai
    fixture catalogue imported."""
    shutil.copytree(FIXTURES / "data", folder / "data")
    settings = Settings(
        data_dir=folder / "data",
        build_dir=folder / "build",
        imports_dir=folder / "imports",
        releases_dir=folder / "releases",
    )
    import_catalogue(settings, "osai", FIXTURES / "catalogues" / "main-database")
    return settings


def fake(settings: Settings, version: str, issued: str) -> Release:
    """A release.json of ``version`` issued at ``issued``, nothing else."""
    release = Release(
        version=version,
        issued=datetime.fromisoformat(issued),
        path=settings.releases_dir / version,
        quads=1,
        sha256="0" * 64,
        data_commit="a" * 40,
        data_dirty=True,
        imports={},
    )
    release.path.mkdir(parents=True)
    (release.path / "release.json").write_text(metadata_json(release), encoding="utf-8")
    return release


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    """Release 2026.11 of the fixture data."""
    settings = release_settings(tmp_path_factory.mktemp("released"))
    before = datetime.now(UTC)
    release = make_release(settings, "2026.11")
    return Made(release, settings, before, datetime.now(UTC))
