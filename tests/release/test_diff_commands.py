"""kg diff A B, and GET /releases/{a}/diff/{b} over a real server, on two releases made by hand
from the dumps of test_diff and the fixture build."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from unittest import mock

import httpx
import pytest
from click.testing import CliRunner

from api.main import create_app
from api.routes import diffs
from kg.cli import main
from kg.compile.dumps import write_build
from kg.errors import OverloadedError
from kg.pipeline import Build
from kg.release.changes import DiffCounts
from kg.release.diff import Diff, diff_dumps, render
from kg.release.snapshot import Release, file_sha256, metadata_json
from kg.settings import Settings
from tests.conftest import FIXTURES
from tests.release.dumps import write
from tests.release.test_diff import new_world, old_world
from tests.server import serving


@dataclass(frozen=True)
class Releases:
    settings: Settings
    old: Path
    new: Path


def released(settings: Settings, version: str, dump: Path) -> Release:
    """Release ``version`` of ``dump``, its release.json written by hand."""
    path = settings.releases_dir / version
    path.mkdir(parents=True)
    shutil.copyfile(dump, path / "kg.nq")
    release = Release(
        version=version,
        issued=datetime.fromisoformat(f"{version.replace('.', '-')}-01T12:00:00+00:00"),
        path=path,
        quads=len(dump.read_bytes().splitlines()),
        sha256=file_sha256(path / "kg.nq"),
        data_commit=None,
        data_dirty=False,
        imports={},
    )
    (path / "release.json").write_text(metadata_json(release), encoding="utf-8")
    return release


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory, fixture_build: Build) -> Releases:
    """Releases 2026.11 and 2026.12 of the dumps of test_diff, and a build of the fixture data."""
    folder = tmp_path_factory.mktemp("diffs")
    settings = Settings(
        data_dir=FIXTURES / "data", build_dir=folder / "build", releases_dir=folder / "releases"
    )
    old, new = write(folder / "old.nq", old_world()), write(folder / "new.nq", new_world())
    released(settings, "2026.11", old)
    released(settings, "2026.12", new)
    write_build(fixture_build.graph, settings.build_dir)
    return Releases(settings, old, new)


@pytest.fixture
def environment(releases: Releases, monkeypatch: pytest.MonkeyPatch) -> Releases:
    for name in ("data_dir", "build_dir", "releases_dir"):
        monkeypatch.setenv(f"LLMKG_{name.upper()}", str(getattr(releases.settings, name)))
    return releases


# kg diff


def test_kg_diff_of_two_files_prints_markdown(releases: Releases) -> None:
    old, new = str(releases.old), str(releases.new)
    result = CliRunner().invoke(main, ["diff", old, new])
    assert result.exit_code == 0, result.output
    assert result.stdout == render(diff_dumps(releases.old, releases.new, names=(old, new)), "md")
    assert result.stdout.startswith(f"# Changes from {old} to {new}\n")


def test_kg_diff_of_two_releases_as_json(environment: Releases) -> None:
    result = CliRunner().invoke(main, ["diff", "2026.11", "2026.12", "--format", "json"])
    assert result.exit_code == 0, result.output
    diff = Diff.model_validate_json(result.stdout)
    assert (diff.old, diff.new) == ("2026.11", "2026.12")
    assert diff == diff_dumps(environment.old, environment.new, names=("2026.11", "2026.12"))


def test_kg_diff_of_a_release_and_the_build_into_a_file(
    environment: Releases, tmp_path: Path
) -> None:
    out = tmp_path / "diff.html"
    result = CliRunner().invoke(main, ["diff", "2026.12", "build", "--format", "html", "--out", str(out)])  # fmt: skip
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"wrote {out}\n")
    build = environment.settings.build_dir / "kg.nq"
    expected = diff_dumps(environment.new, build, names=("2026.12", "build"))
    assert out.read_text(encoding="utf-8") == render(expected, "html")
    assert expected.kinds["model"].entities_added  # the fixture's models, none in 2026.12


def test_kg_diff_of_an_unknown_release_names_those_there_are(environment: Releases) -> None:
    result = CliRunner().invoke(main, ["diff", "2026.11", "2027.01"])
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: no release '2027.01' (releases: 2026.11, 2026.12; or 'build', the build)\n",
    )


def test_kg_diff_of_a_missing_file(environment: Releases, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "none.nq"), "2026.11"])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: no N-Quads file {tmp_path / 'none.nq'}\n",
    )


# GET /releases/{a}/diff/{b}


@pytest.fixture(scope="module")
def base_url(releases: Releases) -> Iterator[str]:
    with serving(create_app(releases.settings)) as url:
        yield url


def expected(releases: Releases, fmt: str) -> str:
    diff = diff_dumps(releases.old, releases.new, names=("2026.11", "2026.12"))
    return render(diff, fmt)  # type: ignore[arg-type]


def test_diff_is_json_by_default(releases: Releases, base_url: str) -> None:
    answer = httpx.get(f"{base_url}/releases/2026.11/diff/2026.12")
    assert (answer.status_code, answer.headers["content-type"]) == (200, "application/json")
    assert answer.headers["vary"] == "Accept, Origin"  # Origin: the CORS middleware
    assert answer.text == expected(releases, "json")
    assert (
        json.loads(answer.text)["counts"]
        == DiffCounts(
            entities_added=1, entities_removed=1, facts_added=5, facts_removed=3, facts_changed=4
        ).model_dump()
    )


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html", "text/html"),
        ("text/markdown", "md", "text/markdown"),
        ("*/*", "json", "application/json"),
    ],
)
def test_diff_negotiates(
    releases: Releases, base_url: str, accept: str, fmt: str, media: str
) -> None:
    answer = httpx.get(f"{base_url}/releases/2026.11/diff/2026.12", headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media
    assert answer.text == expected(releases, fmt)


def test_format_parameter_overrides_accept(releases: Releases, base_url: str) -> None:
    answer = httpx.get(
        f"{base_url}/releases/2026.11/diff/2026.12?format=md", headers={"Accept": "text/html"}
    )
    assert answer.headers["content-type"] == "text/markdown; charset=utf-8"
    assert answer.text == expected(releases, "md")


def test_diff_against_the_build(releases: Releases, base_url: str) -> None:
    answer = httpx.get(f"{base_url}/releases/2026.11/diff/build")
    build = releases.settings.build_dir / "kg.nq"
    assert answer.json() == json.loads(
        render(diff_dumps(releases.old, build, names=("2026.11", "build")), "json")
    )


def test_unknown_release_is_a_404_problem_naming_the_releases(base_url: str) -> None:
    answer = httpx.get(f"{base_url}/releases/2026.10/diff/build")
    assert (answer.status_code, answer.headers["content-type"]) == (
        404,
        "application/problem+json",
    )
    assert answer.json()["detail"] == (
        "no release '2026.10' (releases: 2026.11, 2026.12; or 'build', the build)"
    )


def test_a_media_type_not_offered_is_406(base_url: str) -> None:
    answer = httpx.get(f"{base_url}/releases/2026.11/diff/2026.12", headers={"Accept": "image/png"})
    assert answer.status_code == 406
    assert answer.json()["detail"] == (
        "cannot answer in 'image/png'; available: application/json, text/html, text/markdown"
        " (or ?format= md, json, html)"
    )


def test_a_diff_is_computed_once_for_the_same_dumps(base_url: str) -> None:
    diffs.CACHE.clear()
    with mock.patch.object(diffs, "diff_dumps", wraps=diff_dumps) as computed:
        first = httpx.get(f"{base_url}/releases/2026.11/diff/2026.12?format=json")
        again = httpx.get(f"{base_url}/releases/2026.11/diff/2026.12?format=md")
    assert (first.status_code, again.status_code, computed.call_count) == (200, 200, 1)


def test_the_cache_keeps_the_last_diffs() -> None:
    cache = diffs.DiffCache(2)
    empty = Diff(old="", new="", counts=DiffCounts(), kinds={}, projects=[])
    for key in (("a", "b"), ("c", "d"), ("a", "b"), ("e", "f")):
        cache.get(key, lambda: empty)
    assert list(cache.keys()) == [("a", "b"), ("e", "f")]


def test_one_diff_is_computed_at_a_time_and_a_second_waits_then_gets_503() -> None:
    cache = diffs.DiffCache(2, wait=0.05)
    empty = Diff(old="", new="", counts=DiffCounts(), kinds={}, projects=[])
    started, release = threading.Event(), threading.Event()

    def slow() -> Diff:
        started.set()
        release.wait(10)
        return empty

    first = threading.Thread(target=cache.get, args=(("a", "b"), slow))
    first.start()
    started.wait(10)
    with pytest.raises(OverloadedError) as busy:
        cache.get(("c", "d"), lambda: empty)
    release.set()
    first.join(10)
    assert str(busy.value) == "another diff is being computed; retry in a few seconds"
    assert busy.value.status == 503
    assert cache.get(("c", "d"), lambda: empty) is empty  # free again
    assert cache.keys() == [("a", "b"), ("c", "d")]


def test_the_route_is_documented_under_releases(base_url: str) -> None:
    operation = httpx.get(f"{base_url}/openapi.json").json()["paths"]["/releases/{a}/diff/{b}"][
        "get"
    ]
    assert operation["tags"] == ["releases"]
    content = operation["responses"]["200"]["content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/Diff"}
    assert set(content) == {"application/json", "text/html", "text/markdown"}
