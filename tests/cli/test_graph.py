"""The kg command: exit codes, messages and outputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.settings import Settings


@pytest.fixture
def run(copy_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("LLMKG_DATA_DIR", str(copy_settings.data_dir))
    monkeypatch.setenv("LLMKG_BUILD_DIR", str(copy_settings.build_dir))
    return CliRunner()


def test_validate_ok(run: CliRunner) -> None:
    result = run.invoke(main, ["validate"])
    assert (result.exit_code, result.output) == (0, "ok: 12 records\n")


def test_validate_lists_every_problem_and_exits_1(run: CliRunner, copy_settings: Settings) -> None:
    chat, base = (copy_settings.data_dir / f"models/{m}.yaml" for m in ("chat-7b", "base-7b"))
    chat.write_text(chat.read_text() + "parameter: 7\n")
    base.write_text(base.read_text().replace("{id: acme}", "{id: acm}"))
    result = run.invoke(main, ["validate"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 2 problem(s):\n"
        "data/models/base-7b.yaml: developers[0].id: unknown organization id 'acm' (did you mean 'acme'?)\n"
        "data/models/chat-7b.yaml: parameter: unknown field (did you mean 'parameters'?)\n"
    )


def test_build_writes_outputs_and_prints_counts(run: CliRunner, copy_settings: Settings) -> None:
    result = run.invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("open-llm-kg: 12 entities, 21 links, ")
    assert "llmkg:Model               3\n" in result.output
    assert sorted(p.name for p in copy_settings.build_dir.iterdir()) == [
        ".dumps.lock",
        ".dumps.versions",
        "dumps",
        "kg.jsonld",
        "kg.nq",
        "kg.ttl",
        "void.ttl",
    ]


def test_failed_build_leaves_previous_build_untouched(
    run: CliRunner, copy_settings: Settings
) -> None:
    assert run.invoke(main, ["build"]).exit_code == 0
    files = sorted(p for p in copy_settings.build_dir.rglob("*") if p.is_file())
    before = {p: p.read_bytes() for p in files}
    (copy_settings.data_dir / "models/chat-7b.yaml").write_text("id: chat-7b\n")
    result = run.invoke(main, ["build"])
    assert result.exit_code == 1
    assert "data/models/chat-7b.yaml: name: required field is missing" in result.stderr
    after = sorted(p for p in copy_settings.build_dir.rglob("*") if p.is_file())
    assert {p: p.read_bytes() for p in after} == before


def test_query_table(run: CliRunner) -> None:
    result = run.invoke(main, ["query", "SELECT ?m ?d WHERE { ?m llmkg:trainedOn ?d }"])
    assert (
        result.output
        == "m              d\n-------------  --------------\nmodel:base-7b  dataset:corpus\n(1 row)\n"
    )


def test_query_json_and_csv(run: CliRunner) -> None:
    sparql = "SELECT ?name WHERE { model:chat-7b rdfs:label ?name }"
    as_json = json.loads(run.invoke(main, ["query", "--format", "json", sparql]).output)
    assert as_json["results"]["bindings"] == [{"name": {"type": "literal", "value": "Chat 7B"}}]
    assert run.invoke(main, ["query", "--format", "csv", sparql]).output.splitlines() == [
        "name",
        "Chat 7B",
    ]


def test_query_from_file_and_ask(run: CliRunner, tmp_path: Path) -> None:
    rq = tmp_path / "ask.rq"
    rq.write_text("# is anything fine-tuned?\nASK { ?m llmkg:fineTunedFrom ?b }\n")
    assert run.invoke(main, ["query", "--file", str(rq)]).output == "true\n"


def test_bad_query_is_one_line_and_exit_1(run: CliRunner) -> None:
    result = run.invoke(main, ["query", "SELECT WHERE"])
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: SPARQL syntax error: error at 1:13: expected [_]\n",
    )


def test_stats_counts_facts_per_confidence(run: CliRunner) -> None:
    result = run.invoke(main, ["stats"])
    assert result.exit_code == 0
    assert "confidence:curator-inference  lifecycle-phase:post-release-reuse  2\n" in result.output


def test_schema_describes_fields(run: CliRunner) -> None:
    result = run.invoke(main, ["schema", "license"])
    assert "  license_type (required): Broad family of the license\n" in result.output


def test_python_m_kg_never_shows_a_traceback(copy_settings: Settings) -> None:
    (copy_settings.data_dir / "models/chat-7b.yaml").write_text("id: [unclosed\n")
    env = {
        "LLMKG_DATA_DIR": str(copy_settings.data_dir),
        "LLMKG_ONTOLOGY_DIR": str(copy_settings.ontology_dir),
        "PATH": "/usr/bin:/bin",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "validate"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("Error: 1 problem(s):\n")
    assert "chat-7b.yaml: (yaml): invalid YAML at line 2, column 1" in proc.stderr


def test_report_writes_the_report_and_names_top_actors(
    run: CliRunner, copy_settings: Settings
) -> None:
    result = run.invoke(main, ["report", "--top", "2"])
    assert result.exit_code == 0, result.output
    out = copy_settings.build_dir / "report"
    assert result.stdout == (
        "top actors by pagerank: Acme AI, Open Lab, HPC Center\n"
        "top actors by betweenness: Acme AI, HPC Center, Open Lab\n"
        f"wrote {out / 'report.md'} and {out / 'report.html'}\n"
    )
    assert "s  actor network: betweenness\n" in result.stderr  # progress, with elapsed seconds
    assert (out / "exports" / "actor.gexf").is_file()


def test_report_refuses_an_out_that_holds_other_files(run: CliRunner, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    result = run.invoke(main, ["report", "--out", str(mine)])
    assert result.exit_code == 1
    assert result.stderr.endswith(
        f"Error: {mine} exists and is not a report folder; choose another --out\n"
    )
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
