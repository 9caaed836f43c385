"""kg.release.snapshot: what a release holds, that it is immutable, and how releases are found."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import NotFoundError, ParameterError, ReleaseError, WriteError
from kg.pipeline import build
from kg.release import snapshot
from kg.release.changelog import FIRST, HEADER
from kg.release.diff import diff_dumps, summary
from kg.release.snapshot import (
    dump_of,
    list_releases,
    make_release,
    metadata_json,
    read_release,
)
from kg.settings import Settings
from tests.release.conftest import Made, fake, release_settings

PATTERN = r"^\d{4}\.(0[1-9]|1[0-2])(\.[1-9]\d*)?$"


def test_a_release_holds_the_build_byte_for_byte(made: Made) -> None:
    release, settings = made.release, made.settings
    assert sorted(os.listdir(release.path)) == [
        "changes.md",
        "kg.nq",
        "release.json",
        "release.ttl",
        "void.ttl",
    ]
    assert release.path == settings.releases_dir / "2026.11"
    assert release.dump == release.path / "kg.nq"
    for name in ("kg.nq", "void.ttl"):
        assert (release.path / name).read_bytes() == (settings.build_dir / name).read_bytes()
    nquads = release.dump.read_bytes()
    assert release.sha256 == hashlib.sha256(nquads).hexdigest()
    assert release.quads == len(build(settings).graph) == nquads.count(b"\n")
    assert made.before.replace(microsecond=0) <= release.issued <= made.after
    assert (release.issued.tzinfo, release.issued.microsecond) == (UTC, 0)
    assert (release.data_commit, release.data_dirty) == (None, False)
    assert release.imports == {"osai": "1" * 40}


def test_release_json_is_the_metadata(made: Made) -> None:
    release = made.release
    assert json.loads((release.path / "release.json").read_text("utf-8")) == {
        "version": "2026.11",
        "issued": release.issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "quads": release.quads,
        "sha256": release.sha256,
        "data_commit": None,
        "data_dirty": False,
        "imports": {"osai": "1" * 40},
    }
    assert read_release(release.path) == release
    assert datetime.fromisoformat(json.loads(metadata_json(release))["issued"]) == release.issued


def test_release_ttl_is_a_dcat_and_void_dataset(made: Made) -> None:
    release = made.release
    store = ox.Store()
    store.load(path=release.path / "release.ttl", format=ox.RdfFormat.TURTLE)
    r = "https://w3id.org/llmkg/release/2026.11"
    (row,) = store.query(
        f"""PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX void: <http://rdfs.org/ns/void#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX schema: <https://schema.org/>
        PREFIX spdx: <http://spdx.org/rdf/terms#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?issued ?version ?info ?quads ?of ?bytes ?sha ?data ?osai WHERE {{
          <{r}> a dcat:Dataset, void:Dataset ; dcterms:issued ?issued ; dcat:version ?version ;
            owl:versionInfo ?info ; void:triples ?quads ; dcterms:isVersionOf ?of ;
            dcat:distribution <{r}/kg.nq> ; void:dataDump <{r}/kg.nq> ;
            prov:wasDerivedFrom <{r}/source/data>, <{r}/source/osai> .
          <{r}/kg.nq> dcat:byteSize ?bytes ; spdx:checksum [ spdx:algorithm
            spdx:checksumAlgorithm_sha256 ; spdx:checksumValue ?sha ] .
          <{r}/source/data> rdfs:comment ?data .
          <{r}/source/osai> prov:specializationOf
            <https://w3id.org/llmkg/id/catalogue/osai> ; schema:version ?osai .
          FILTER NOT EXISTS {{ <{r}> dcat:previousVersion ?previous }}
        }}"""
    )
    xsd = "http://www.w3.org/2001/XMLSchema#"
    issued = release.issued.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [row[v] for v in ("issued", "version", "info", "quads", "of")] == [
        ox.Literal(issued, datatype=ox.NamedNode(xsd + "dateTime")),
        ox.Literal("2026.11"),
        ox.Literal("2026.11"),
        ox.Literal(release.quads),
        ox.NamedNode("https://w3id.org/llmkg/id/void/dataset"),
    ]
    assert row["bytes"].value == str(release.dump.stat().st_size)
    assert (row["sha"].value, row["data"].value) == (release.sha256, "data/ is not a git checkout")
    assert row["osai"] == ox.Literal("1" * 40)


def test_the_first_release_starts_the_changelog(made: Made) -> None:
    release = made.release
    assert (release.path / "changes.md").read_text("utf-8") == FIRST == "First release.\n"
    changelog = (made.settings.releases_dir / "CHANGELOG.md").read_text("utf-8")
    assert changelog == HEADER + (
        f"\n## 2026.11 ({release.issued.date()})\n\n"
        f"{release.quads:,} quads; data/ not in a git checkout; imports: osai at `111111111111`; "
        f"kg.nq SHA-256 `{release.sha256}`.\n\nFirst release.\n"
    )


def test_a_second_release_of_a_version_is_refused(made: Made) -> None:
    release = made.release
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in release.path.iterdir()}
    issued = release.issued.strftime("%Y-%m-%dT%H:%M:%SZ")
    with pytest.raises(ReleaseError) as refused:
        make_release(made.settings, "2026.11")
    assert str(refused.value) == (
        f"release 2026.11 exists (issued {issued}, in {release.path}); releases are immutable: "
        "choose a new version, such as 2026.11.1"
    )
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in release.path.iterdir()}
    assert after == before
    assert list_releases(made.settings) == [release]


@pytest.mark.parametrize(
    "version",
    [
        "1.0.0",
        "2026.13",
        "2026.1",
        "2026.12.0",
        "2026.12.01",
        "v2026.12",
        "2026.12-rc1",
        "../2026.12",
    ],
)
def test_a_bad_version_is_refused_before_anything_is_written(tmp_path: Path, version: str) -> None:
    settings = Settings(build_dir=tmp_path / "build", releases_dir=tmp_path / "releases")
    with pytest.raises(ParameterError) as refused:
        make_release(settings, version)
    assert str(refused.value) == (
        f"bad release version {version!r}: a version is YEAR.MONTH or YEAR.MONTH.N, like 2026.12 "
        f"or 2026.12.1 (the pattern {PATTERN})"
    )
    assert snapshot.VERSION.pattern == PATTERN
    assert list(tmp_path.iterdir()) == []


def test_releases_are_listed_oldest_first_by_issued_then_version(tmp_path: Path) -> None:
    settings = Settings(releases_dir=tmp_path / "releases")
    assert list_releases(settings) == []
    late = fake(settings, "2026.10", "2026-12-01T00:00:00+00:00")  # made after 2026.11
    early = fake(settings, "2026.11", "2026-11-01T00:00:00+00:00")
    tenth = fake(settings, "2026.11.10", "2026-11-02T00:00:00+00:00")
    ninth = fake(settings, "2026.11.9", "2026-11-02T00:00:00+00:00")  # the same second
    (settings.releases_dir / "notes").mkdir()  # not a version
    (settings.releases_dir / ".2026.12.tmp-0badf00d").mkdir()  # a killed release
    (settings.releases_dir / "2027.01").mkdir()  # no release.json
    (settings.releases_dir / "CHANGELOG.md").write_text("# Data changelog\n")
    assert list_releases(settings) == [early, ninth, tenth, late]


def test_dump_of_the_build_and_of_releases(made: Made, tmp_path: Path) -> None:
    settings = made.settings
    assert dump_of(settings, "build") == settings.build_dir / "kg.nq"
    assert dump_of(settings, "2026.11") == made.release.dump
    with pytest.raises(NotFoundError) as unknown:
        dump_of(settings, "2027.01")
    assert str(unknown.value) == "no release '2027.01' (releases: 2026.11; or 'build', the build)"
    empty = Settings(build_dir=tmp_path / "build", releases_dir=tmp_path / "releases")
    with pytest.raises(NotFoundError) as none:
        dump_of(empty, "../build")
    assert str(none.value) == "no release '../build' (releases: none; or 'build', the build)"
    with pytest.raises(NotFoundError) as no_build:
        dump_of(empty, "build")
    assert str(no_build.value) == f"no build in {tmp_path / 'build'}: run kg build"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{", "1 error(s)"),
        ('{"version": "2026.12"}', "6 error(s)"),
        (None, "No such file or directory"),
    ],
    ids=["not-json", "fields-missing", "unreadable"],
)
def test_a_damaged_release_json_is_named(tmp_path: Path, text: str | None, reason: str) -> None:
    folder = tmp_path / "2026.12"
    folder.mkdir()
    if text is None:
        (folder / "release.json").symlink_to(tmp_path / "nowhere")
    else:
        (folder / "release.json").write_text(text)
    with pytest.raises(ReleaseError) as damaged:
        read_release(folder)
    assert str(damaged.value) == f"{folder / 'release.json'}: not a release description ({reason})"


def test_a_release_json_of_another_version_is_refused(made: Made, tmp_path: Path) -> None:
    folder = tmp_path / "2026.12"
    shutil.copytree(made.release.path, folder)
    with pytest.raises(ReleaseError) as moved:
        read_release(folder)
    assert (
        str(moved.value) == f"{folder / 'release.json'}: describes release '2026.11', not '2026.12'"
    )


@pytest.fixture
def fresh(tmp_path: Path) -> Settings:
    return release_settings(tmp_path)


def test_a_failed_release_leaves_nothing_and_leftovers_are_deleted(
    fresh: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh.releases_dir.mkdir()
    (fresh.releases_dir / ".2026.12.tmp-0badf00d").mkdir()  # what a killed run left
    (fresh.releases_dir / ".CHANGELOG.md.tmp-0badf00d").write_text("half")

    def full(*args: object) -> str:
        raise OSError(27, "File too large")

    monkeypatch.setattr(snapshot, "changes_since", full)
    with pytest.raises(WriteError) as failed:
        make_release(fresh, "2026.12")
    assert str(failed.value) == (
        f"cannot write the release {fresh.releases_dir / '2026.12'}: [Errno 27] File too large; "
        "is the disk full? no release was made"
    )
    assert sorted(p.name for p in fresh.releases_dir.iterdir()) == [".CHANGELOG.md.lock"]
    monkeypatch.undo()
    assert make_release(fresh, "2026.12").version == "2026.12"
    assert sorted(p.name for p in fresh.releases_dir.iterdir()) == [
        ".CHANGELOG.md.lock",
        "2026.12",
        "CHANGELOG.md",
    ]


def test_a_folder_in_the_way_is_not_replaced(fresh: Settings) -> None:
    (fresh.releases_dir / "2026.12").mkdir(parents=True)
    with pytest.raises(ReleaseError) as refused:
        make_release(fresh, "2026.12")
    assert str(refused.value) == (
        f"{fresh.releases_dir / '2026.12'} exists and is not a release: move it away"
    )
    assert list((fresh.releases_dir / "2026.12").iterdir()) == []


def test_next_release_diffs_against_the_latest(fresh: Settings) -> None:
    first = make_release(fresh, "2026.11")
    model = fresh.data_dir / "models" / "chat-7b.yaml"
    model.write_text(model.read_text("utf-8").replace("name: ", "name: Renamed ", 1), "utf-8")
    second = make_release(fresh, "2026.12")
    expected = summary(diff_dumps(first.dump, second.dump)).strip()
    changes = (second.path / "changes.md").read_text("utf-8")
    assert changes == f"Changes since 2026.11:\n\n{expected}\n"
    assert second.sha256 != first.sha256
    assert list_releases(fresh) == [first, second]
    changelog = (fresh.releases_dir / "CHANGELOG.md").read_text("utf-8")
    assert changelog.index("## 2026.12 (") < changelog.index("## 2026.11 (")
    assert changes.strip() in changelog
