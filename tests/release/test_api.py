"""GET /releases over a real server: the releases, newest first, and which one is served."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.main import create_app
from kg.release.listing import release_summaries
from tests.release.conftest import Made, fake
from tests.server import serving


@pytest.fixture(scope="module")
def base_url(made: Made) -> Iterator[str]:
    """The app over the data of release 2026.11, served by uvicorn on a loopback port."""
    with serving(create_app(made.settings)) as url:
        yield url


def summary(made: Made, serving: bool) -> dict[str, object]:
    release = made.release
    return {
        "version": "2026.11",
        "issued": release.issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "quads": release.quads,
        "sha256": release.sha256,
        "data_commit": None,
        "data_dirty": False,
        "imports": {"osai": "1" * 40},
        "serving": serving,
    }


def test_releases_newest_first_and_the_one_served(made: Made, base_url: str) -> None:
    answer = httpx.get(f"{base_url}/releases")
    assert (answer.status_code, answer.headers["content-type"]) == (200, "application/json")
    assert answer.json() == [summary(made, serving=True)]
    other = fake(made.settings, "2026.12", "2026-12-24T12:00:00+00:00")  # read at each request
    try:
        assert httpx.get(f"{base_url}/releases").json() == [
            {
                "version": "2026.12",
                "issued": "2026-12-24T12:00:00Z",
                "quads": 1,
                "sha256": "0" * 64,
                "data_commit": "a" * 40,
                "data_dirty": True,
                "imports": {},
                "serving": False,
            },
            summary(made, serving=True),
        ]
    finally:
        (other.path / "release.json").unlink()
        other.path.rmdir()


def test_the_service_description_says_which_release_is_served(made: Made, base_url: str) -> None:
    turtle = httpx.get(f"{base_url}/sparql", headers={"Accept": "application/n-triples"}).text
    version = "<http://www.w3.org/2002/07/owl#versionInfo>"
    assert f'<{base_url}/sparql#dataset> {version} "2026.11" .' in turtle.splitlines()
    settings = made.settings.model_copy(update={"releases_dir": made.settings.releases_dir / "x"})
    with serving(create_app(settings)) as other:  # no release: nothing said
        described = httpx.get(f"{other}/sparql", headers={"Accept": "application/n-triples"})
    assert version not in described.text


def test_releases_is_in_the_openapi_document_under_its_tag(base_url: str) -> None:
    operation = httpx.get(f"{base_url}/openapi.json").json()["paths"]["/releases"]["get"]
    assert operation["tags"] == ["releases"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/ReleaseSummary"},
        "title": "Response List Releases Releases Get",
    }


def test_no_releases_is_an_empty_list(tmp_path: Path, made: Made) -> None:
    settings = made.settings.model_copy(update={"releases_dir": tmp_path / "none"})
    assert release_summaries(settings, made.release.quads) == []


def test_serving_needs_the_same_quads_and_the_build_of_the_release(made: Made) -> None:
    settings, release = made.settings, made.release
    assert [r.serving for r in release_summaries(settings, release.quads)] == [True]
    assert [r.serving for r in release_summaries(settings, release.quads + 1)] == [False]
    other_build = settings.model_copy(update={"build_dir": Path("/nonexistent")})
    assert [r.serving for r in release_summaries(other_build, release.quads)] == [False]


def test_a_changed_build_is_not_the_release(tmp_path: Path, made: Made) -> None:
    build = tmp_path / "build"
    build.mkdir()
    (build / "kg.nq").write_bytes(made.release.dump.read_bytes() + b"\n")
    settings = made.settings.model_copy(update={"build_dir": build})
    assert [r.serving for r in release_summaries(settings, made.release.quads)] == [False]
