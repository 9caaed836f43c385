"""`kg import hf` on a hand-written snapshot in the Hub API's shape (tests/fixtures/catalogues/hf),
resolved against the real data/ (whose llama-3.1-8b carries its Hub ids as aliases)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kg.cli import main
from kg.importers.catalogue import Report
from kg.importers.hf import CATALOGUE, hub_slug, records
from kg.importers.run import ImportOutcome, import_catalogue
from kg.importers.saved import read_manifest
from kg.settings import Settings
from tests.conftest import FIXTURES

HF = FIXTURES / "catalogues" / "hf"
STAT = "https://w3id.org/llmkg/id/statistic/hf/meta-llama--llama-3.1-8b/"
DESCENDANTS = """
SELECT ?model ?kind ?confidence WHERE {
  GRAPH ?g { ?model ?p model:llama-3.1-8b }
  ?p rdfs:subPropertyOf llmkg:derivedFrom ; rdfs:label ?kind .
  ?g llmkg:confidence ?confidence ; prov:wasDerivedFrom ?src .
  ?src dcterms:isPartOf catalogue:hf .
} ORDER BY ?model
"""


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, ImportOutcome]:
    root = tmp_path_factory.mktemp("hf")
    settings = Settings(imports_dir=root / "imports", build_dir=root / "build")
    return settings, import_catalogue(settings, "hf", HF)


@pytest.fixture(scope="module")
def store(outcome: tuple[Settings, ImportOutcome]) -> ox.Store:
    settings, _ = outcome
    s = ox.Store()
    s.bulk_extend(ox.parse(path=settings.imports_dir / "hf.nq", format=ox.RdfFormat.N_QUADS))
    s.bulk_extend(ox.parse(path=settings.ontology_dir / "llmkg.ttl", format=ox.RdfFormat.TURTLE))
    return s


def rows(store: ox.Store, sparql: str) -> list[tuple[str, ...]]:
    from kg.schema.vocabulary import PREFIXES
    from kg.sparql.results import short

    result = store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(short(s[n]) if s[n] is not None else "" for n in names) for s in result]


def test_counts_and_skipped_records(outcome: tuple[Settings, ImportOutcome]) -> None:
    settings, o = outcome
    entry = read_manifest(settings.imports_dir)["hf"]
    assert (entry.records, entry.imported, entry.skipped) == (23, 16, 7)
    assert entry.directory == str(HF.resolve())
    assert [str(p) for p in sorted(o.report.skipped)] == [
        "hf/models.jsonl:2: (json): invalid JSON: Expecting value at line 1 column 35",
        "hf/models.jsonl:3: id: 'bad--id' is not a Hub model id",
        "hf/models/broken.json: (json): invalid JSON: Expecting value at line 2 column 1",
        "hf/models/no-id.json: id: missing: a record names its model",
        "hf/pages/page-0001.json[3]: (json): expected an object, got str",
        "hf/pages/page-0001.json[4]: id: 'meta-llama/Llama-3.1-8B' again; the record at "
        "hf/models/meta-llama--Llama-3.1-8B.json is kept",
        "hf/pages/page-0001.json[5]: id: 42 is not a Hub model id",
    ]
    assert {str(p) for p in o.report.notes} == {
        "hf/models.jsonl:4: cardData.base_model_relation: 'finetuned' is not a Hub relation",
        "hf/models.jsonl:4: lastModified: 'yesterday' is not a date and time; left out",
        "hf/models/odd-types.json: cardData: expected an object, got str; left out",
        "hf/models/odd-types.json: tags: expected a list, got str; left out",
        "hf/models/odd-types.json: downloads: 'many' is not a count; left out",
        "hf/models/odd-types.json: likes: True is not a count; left out",
    }


def test_llama_descendants_by_kind(store: ox.Store) -> None:
    assert rows(store, DESCENDANTS) == [
        ("model:bartowski--meta-llama-3.1-8b-gguf", "quantized from", "confidence:public-record"),
        ("model:example-lab--llama-3.1-8b-sql-lora", "adapter of", "confidence:public-record"),
        (
            "model:mlabonne--llama-3.1-hermes-merge-8b",
            "merged from",
            "confidence:curator-inference",
        ),
        (
            "model:nousresearch--hermes-3-llama-3.1-8b",
            "fine-tuned from",
            "confidence:public-record",
        ),
    ]


def test_chain_merge_dangling_and_licence_drift(
    store: ox.Store, outcome: tuple[Settings, ImportOutcome]
) -> None:
    chain = rows(
        store,
        "SELECT ?m (COUNT(DISTINCT ?mid) AS ?depth) WHERE { "
        "?m llmkg:derivedFrom+ model:llama-3.1-8b . ?m llmkg:derivedFrom* ?mid . "
        "?mid llmkg:derivedFrom+ model:llama-3.1-8b } GROUP BY ?m ORDER BY DESC(?depth) LIMIT 1",
    )
    assert chain == [("model:quant-user--hermes-3-llama-3.1-8b-sft-de-gguf", "3")]
    merge = rows(
        store,
        "SELECT ?base WHERE { model:mlabonne--llama-3.1-hermes-merge-8b llmkg:mergedFrom ?base }"
        " ORDER BY ?base",
    )
    assert merge == [("model:llama-3.1-8b",), ("model:nousresearch--hermes-3-llama-3.1-8b",)]
    drift = rows(
        store,
        "SELECT ?m ?l ?bl WHERE { ?m llmkg:derivedFrom model:llama-3.1-8b ; "
        "llmkg:licensedUnder ?l . model:llama-3.1-8b llmkg:licensedUnder ?bl "
        "FILTER(?l != ?bl) } ORDER BY ?m",
    )
    assert drift == [
        (
            "model:example-lab--llama-3.1-8b-sql-lora",
            "license:apache-2.0",
            "license:llama-3.1-community",
        ),
        (
            "model:nousresearch--hermes-3-llama-3.1-8b",
            "license:llama-3-community",
            "license:llama-3.1-community",
        ),
    ]
    dangling = {(u.name, u.path) for u in outcome[1].report.unresolved if u.kind == "base model"}
    assert dangling == {
        ("Qwen/Qwen3-8B-Base", "hf/models/Qwen--Qwen3-8B.json"),
        ("example-lab/not-in-snapshot-7B", "hf/models/example-lab--mystery-finetune.json"),
    }
    assert rows(
        store, "SELECT ?n WHERE { model:example-lab--mystery-finetune llmkg:baseModelName ?n }"
    ) == [("example-lab/not-in-snapshot-7B",)]


def test_resolution_and_hub_values(store: ox.Store) -> None:
    llama = sorted(
        rows(
            store,
            "SELECT ?p ?o WHERE { model:llama-3.1-8b ?p ?o FILTER(?p != schema:keywords) }",
        )
    )
    assert llama == [
        ("dcterms:created", "2024-07-14T22:20:15Z"),
        ("dcterms:modified", "2024-10-16T22:00:37Z"),
        ("llmkg:developedBy", "organization:meta"),  # huggingface.co/meta-llama, the alias table
        ("llmkg:hubLibrary", "transformers"),
        ("llmkg:hubPipelineTag", "text-generation"),
        ("llmkg:licenseStatement", "llama3.1"),
        ("llmkg:licensedUnder", "license:llama-3.1-community"),
        ("rdf:type", "llmkg:Model"),
        ("rdfs:seeAlso", "https://huggingface.co/meta-llama/Llama-3.1-8B"),
        (
            "schema:interactionStatistic",
            f"{STAT}downloads/2025-06-01",
        ),
        ("schema:interactionStatistic", f"{STAT}likes/2025-06-01"),
        ("skos:altLabel", "meta-llama/Llama-3.1-8B"),
    ]
    counts = rows(
        store,
        "SELECT ?type ?n ?date WHERE { model:llama-3.1-8b schema:interactionStatistic ?c . "
        "?c schema:interactionType ?type ; schema:userInteractionCount ?n ; schema:endTime ?date "
        "} ORDER BY ?type",
    )
    assert counts == [
        ("schema:DownloadAction", "1213417", "2025-06-01"),
        ("schema:LikeAction", "1598", "2025-06-01"),
    ]
    source = rows(
        store,
        "SELECT DISTINCT ?src WHERE { GRAPH ?g { model:llama-3.1-8b llmkg:licensedUnder ?l } "
        "?g prov:wasDerivedFrom ?src . ?src dcterms:isPartOf catalogue:hf }",
    )
    assert source == [
        (
            "https://huggingface.co/api/models/meta-llama/Llama-3.1-8B/revision/"
            "d04e592bb4f6aa9cfee91e2e20afa771667e1d4b",
        )
    ]
    orgs = rows(
        store, "SELECT ?o WHERE { model:nousresearch--hermes-3-llama-3.1-8b llmkg:developedBy ?o }"
    )
    assert orgs == [("organization:hf--nousresearch",)]


def test_cli_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMKG_IMPORTS_DIR", str(tmp_path / "imports"))
    monkeypatch.setenv("LLMKG_BUILD_DIR", str(tmp_path / "build"))
    runner = CliRunner()
    imported = runner.invoke(main, ["import", "hf", str(HF)])
    assert imported.exit_code == 0, imported.output
    assert imported.output.splitlines()[1] == "  23 records read, 16 imported, 7 skipped"
    built = runner.invoke(main, ["build"])
    assert built.exit_code == 0, built.output
    queried = runner.invoke(main, ["query", "--format", "csv", DESCENDANTS])
    assert queried.exit_code == 0, queried.output
    table = list(csv.DictReader(io.StringIO(queried.output)))
    assert sorted((r["model"].rsplit("/", 1)[-1], r["kind"]) for r in table) == [
        ("bartowski--meta-llama-3.1-8b-gguf", "quantized from"),
        ("example-lab--llama-3.1-8b-sql-lora", "adapter of"),
        ("mlabonne--llama-3.1-hermes-merge-8b", "merged from"),
        ("nousresearch--hermes-3-llama-3.1-8b", "fine-tuned from"),
    ]
    assert runner.invoke(main, ["import", "--remove", "hf"]).exit_code == 0


def test_a_jsonl_file_is_a_snapshot(tmp_path: Path) -> None:
    lines = HF / "models.jsonl"
    snapshot = CATALOGUE.snapshot(lines)
    assert snapshot.records == lines.resolve()
    assert len(snapshot.commit) == 40
    assert [where for where, _ in records(snapshot)] == [
        f"hf/models.jsonl:{n}" for n in (1, 2, 3, 4)
    ]


@hsettings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.fixed_dictionaries(
                {"id": st.from_regex(r"[a-z]{1,4}/[A-Za-z0-9_.]{1,6}", fullmatch=True)}
            ),
            st.integers(),
            st.text(max_size=5),
        ),
        max_size=6,
    ),
    st.integers(min_value=1, max_value=40),
)
def test_arrays_stream_as_json_reads_them(values: list[object], chunk: int) -> None:
    """Whatever the chunk size, an API page yields its elements as json.load reads them."""
    import kg.importers.hf as hf

    path = Path(__import__("tempfile").mkdtemp()) / "hf" / "page.json"
    path.parent.mkdir()
    path.write_text(json.dumps(values, indent=1), encoding="utf-8")
    old, hf.CHUNK = hf.CHUNK, chunk
    try:
        got = [v for _, v in records(CATALOGUE.snapshot(path.parent, "0" * 40))]
    finally:
        hf.CHUNK = old
    assert got == values


def test_hub_slugs_never_meet() -> None:
    names = ["a/b", "a-b", "a_b/c", "a-b/c", "A/B", "a.b/c"]
    slugs = [hub_slug(n) for n in names]
    assert slugs[0] == slugs[4]  # Hub ids ignore case
    assert len(set(slugs)) == len(names) - 1
    assert Report().records == 0
