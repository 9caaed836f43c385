"""`kg import` and how imports join, leave and break the build: messages and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.compile.rdf import build_graph, entity, iri
from kg.errors import CatalogueError, ShapeError
from kg.importers.catalogue import Report
from kg.importers.facts import RecordFacts
from kg.importers.osai import CATALOGUE as OSAI
from kg.importers.run import keep_conforming
from kg.importers.saved import load_imports, read_manifest
from kg.schema.namespace import LLMKG
from kg.settings import Settings
from tests.conftest import FIXTURES

CATALOGUES = FIXTURES / "catalogues"


@pytest.fixture
def run(copy_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("LLMKG_DATA_DIR", str(copy_settings.data_dir))
    monkeypatch.setenv("LLMKG_BUILD_DIR", str(copy_settings.build_dir))
    monkeypatch.setenv("LLMKG_IMPORTS_DIR", str(copy_settings.data_dir.parent / "imports"))
    return CliRunner()


def test_import_prints_counts_unresolved_and_skipped(run: CliRunner, tmp_path: Path) -> None:
    result = run.invoke(main, ["import", "osai", str(CATALOGUES / "main-database")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == [
        "imported osai: European Open Source AI Index at 111111111111 (CC-BY-4.0)",
        "  6 records read, 3 imported, 3 skipped",
        "  entities: 2 llmkg:License, 3 llmkg:Model, 3 llmkg:Organization",
        "  6 curated entities linked, 3 entities known only from catalogues",
    ]
    assert f"unresolved (4; every one in {tmp_path / 'imports' / 'osai-report.tsv'}):" in lines
    assert "  1 dangling base-model references, e.g. Mystery-1B" in lines
    assert "  1 organization names, e.g. Stability AI" in lines
    assert "  main-database/no org.yaml: org.name: missing: every model needs a developer" in lines
    report = (tmp_path / "imports" / "osai-report.tsv").read_text(encoding="utf-8")
    assert "unresolved organization\tStability AI\tmain-database/Tiny Chat.yaml\t" in report


def test_list_remove_and_build(run: CliRunner, tmp_path: Path) -> None:
    assert run.invoke(main, ["import", "--list"]).output.startswith("no imports in ")
    for name, directory in [("osai", "main-database"), ("mot", "model_openness_tool")]:
        assert run.invoke(main, ["import", name, str(CATALOGUES / directory)]).exit_code == 0
    listing = run.invoke(main, ["import", "--list"]).output.strip().splitlines()
    assert listing[0].split() == [
        "name",
        "commit",
        "records",
        "imported",
        "skipped",
        "quads",
        "directory",
    ]
    assert [line.split()[:5] for line in listing[2:]] == [
        ["mot", "222222222222", "5", "4", "1"],
        ["osai", "111111111111", "6", "3", "3"],
    ]
    built = run.invoke(main, ["build"])
    assert built.exit_code == 0, built.output
    assert "imported mot: 4 of 5 records" in built.output
    removed = run.invoke(main, ["import", "--remove", "osai"])
    assert removed.output.startswith("removed osai: ")
    assert not (tmp_path / "imports" / "osai.nq").exists()
    assert "imported osai" not in run.invoke(main, ["build"]).output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["import", "osai", "/no/such/dir"], "Error: /no/such/dir: not a directory\n"),
        (["import", "--remove", "osai"], "Error: no import named 'osai' (imported: none)\n"),
        (
            ["import", "mot", str(CATALOGUES / "main-database")],
            f"Error: {CATALOGUES / 'main-database'}: no models/ directory; is it a MOT checkout?\n",
        ),
        (
            ["import", "osai", str(CATALOGUES / "main-database"), "--commit", "main"],
            "Error: 'main' is not a git commit hash\n",
        ),
    ],
    ids=["no-dir", "remove-unknown", "wrong-catalogue", "bad-commit"],
)
def test_import_errors_are_one_line(run: CliRunner, args: list[str], expected: str) -> None:
    result = run.invoke(main, args)
    assert (result.exit_code, result.stderr) == (1, expected)


def test_a_snapshot_without_source_txt_needs_a_commit(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match=r"cannot tell which commit .* pass --commit"):
        OSAI.snapshot(tmp_path)
    assert OSAI.snapshot(tmp_path, "ABCDEF1").commit == "abcdef1"


def test_the_commit_of_a_git_checkout(tmp_path: Path) -> None:
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (git / "refs" / "heads" / "main").write_text("a" * 40 + "\n", encoding="utf-8")
    assert OSAI.snapshot(tmp_path).commit == "a" * 40
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text(f"{'b' * 40} refs/heads/main\n", encoding="utf-8")
    assert OSAI.snapshot(tmp_path).commit == "b" * 40


def test_stale_imports_stop_the_build_with_a_clear_message(run: CliRunner, tmp_path: Path) -> None:
    assert run.invoke(main, ["import", "osai", str(CATALOGUES / "main-database")]).exit_code == 0
    imports = tmp_path / "imports"
    curated = {"license/apache-2.0", "license/mit", "model/base-7b", "model/chat-7b"}
    rerun = f"run `kg import osai {CATALOGUES / 'main-database'}` again"
    with pytest.raises(CatalogueError) as gone:
        load_imports(imports, curated | {"organization/acme"})
    assert str(gone.value) == (
        f"the osai import links to organization/openlab, which data/ no longer has; {rerun}"
    )
    with pytest.raises(CatalogueError) as taken:
        load_imports(
            imports, curated | {"organization/acme", "organization/openlab", "model/duo3b"}
        )
    assert str(taken.value) == (
        f"the osai import made model/duo3b, which data/ now has as curated records; {rerun}"
    )


def test_a_broken_manifest_is_reported(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"manifest.json: not a valid imports manifest"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"imports": [{"name": 1}]}))
    with pytest.raises(CatalogueError, match="not a valid imports manifest"):
        read_manifest(tmp_path)


def test_records_that_break_a_shape_are_left_out(fixture_settings: Settings) -> None:
    from kg.compile.load import load_records
    from kg.schema.vocabulary import load_vocabulary

    records = load_records(
        fixture_settings.data_dir, load_vocabulary(fixture_settings.ontology_dir)
    )
    store = build_graph(records, fixture_settings.ontology_dir)
    good = RecordFacts("cat/good.yaml", "https://example.org/good.yaml")
    model = entity("model", "fine")
    good.add(model, model, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", iri(LLMKG.Model))
    good.add(model, model, LLMKG.developedBy, entity("organization", "acme"))
    bad = RecordFacts("cat/bad.yaml", "https://example.org/bad.yaml")
    orphan = entity("model", "orphan")
    bad.add(orphan, orphan, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", iri(LLMKG.Model))
    report = Report()
    catalogue = ox.NamedNode("https://w3id.org/llmkg/id/catalogue/test")
    shapes = fixture_settings.ontology_dir / "shapes.ttl"
    assert keep_conforming(store, [good, bad], shapes, report, catalogue) == [good]
    assert [str(p) for p in report.skipped] == [
        "cat/bad.yaml: (shapes): Every model has a developer: llmkg:developedBy an "
        "llmkg:Organization (https://w3id.org/llmkg/id/model/orphan)"
    ]
    for quad in list(
        store.quads_for_pattern(entity("model", "chat-7b"), iri(LLMKG.developedBy), None)
    ):
        store.remove(quad)  # a violation no imported record causes
    with pytest.raises(ShapeError):
        keep_conforming(store, [good], shapes, Report(), catalogue)


def test_python_m_kg_import_never_shows_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "data"
    broken.mkdir()
    (broken / "aliases.yaml").write_text("models: [", encoding="utf-8")
    env = {"LLMKG_DATA_DIR": str(broken), "LLMKG_IMPORTS_DIR": str(tmp_path / "imports")}
    env["PATH"] = "/usr/bin:/bin"
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "import", "osai", str(CATALOGUES / "main-database")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("Error: 1 problem(s):\n")


def test_importing_again_gives_the_same_file(run: CliRunner, tmp_path: Path) -> None:
    nq = tmp_path / "imports" / "osai.nq"
    assert run.invoke(main, ["import", "osai", str(CATALOGUES / "main-database")]).exit_code == 0
    first = nq.read_bytes()
    assert run.invoke(main, ["import", "osai", str(CATALOGUES / "main-database")]).exit_code == 0
    assert nq.read_bytes() == first
    assert list(read_manifest(tmp_path / "imports")) == ["osai"]
