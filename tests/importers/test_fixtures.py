"""The three importers on small fixture catalogues (tests/fixtures/catalogues) with their quirks."""

from __future__ import annotations

import shutil

import pytest

from kg.graph import KnowledgeGraph
from kg.importers.run import ImportOutcome, import_catalogue
from kg.importers.saved import read_manifest
from kg.pipeline import build
from kg.settings import Settings
from tests.conftest import FIXTURES
from tests.solutions import run, select

CATALOGUES = FIXTURES / "catalogues"
ALIASES = "organizations:\n  stability-ai: [Stability AI, StabilityAI]\n"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("imports")
    shutil.copytree(FIXTURES / "data", root / "data")
    (root / "data" / "aliases.yaml").write_text(ALIASES, encoding="utf-8")
    return Settings(data_dir=root / "data", imports_dir=root / "imports", build_dir=root / "build")


@pytest.fixture(scope="module")
def outcomes(settings: Settings) -> dict[str, ImportOutcome]:
    return {
        name: import_catalogue(settings, name, CATALOGUES / directory)
        for name, directory in [
            ("osai", "main-database"),
            ("mot", "model_openness_tool"),
            ("os-ai-map", "os-ai-map"),
        ]
    }


@pytest.fixture(scope="module")
def kg(settings: Settings, outcomes: dict[str, ImportOutcome]) -> KnowledgeGraph:
    return build(settings).graph


def test_counts_of_records_read_imported_and_skipped(
    settings: Settings, outcomes: dict[str, ImportOutcome]
) -> None:
    manifest = read_manifest(settings.imports_dir)
    assert {n: (e.records, e.imported, e.skipped) for n, e in manifest.items()} == {
        "osai": (6, 3, 3),
        "mot": (5, 4, 1),
        "os-ai-map": (12, 9, 3),
    }
    assert manifest["osai"].commit == "1" * 40
    assert sorted(p.name for p in settings.imports_dir.iterdir()) == [
        ".current.lock",
        ".current.versions",
        "current",
        "manifest.json",
        "mot-report.tsv",
        "mot.nq",
        "openness-disagreements.tsv",
        "os-ai-map-report.tsv",
        "os-ai-map.nq",
        "osai-report.tsv",
        "osai.nq",
    ]


def test_every_skipped_record_has_its_file_and_reason(
    outcomes: dict[str, ImportOutcome],
) -> None:
    skipped = [str(p) for o in outcomes.values() for p in o.report.skipped]
    assert skipped == [
        "main-database/broken.yaml: (yaml): invalid YAML at line 3: expected ',' or ']', but got '<stream end>'",
        "main-database/list.yaml: (yaml): expected a mapping of fields, got a list",
        "main-database/no org.yaml: org.name: missing: every model needs a developer",
        "model_openness_tool/models/Nameless.yml: release.producer: missing: every model needs a developer",
        "os-ai-map/sources/organizations/unknown.yaml: name: 'unknown' stands for products without a known owner",
        "os-ai-map/sources/products/orphan-model.yaml: name: no organization lists it: every model needs a developer",
        "os-ai-map/sources/products/weird.yaml: type: 'agent' is not model, software or dataset",
    ]


def test_quirks_are_read_and_noted(outcomes: dict[str, ImportOutcome]) -> None:
    notes = {str(p) for o in outcomes.values() for p in o.report.notes}
    assert {
        "main-database/Chat 7B.yaml: system.endmodel license: read as 'endmodellicense'",
        "main-database/Tiny Chat.yaml: (record).sytem: read as 'system'",
        "main-database/Chat 7B.yaml: trainingcode.link: 'see the repository' is not a URL; left out",
        "main-database/Collab.yaml: system.releasedate: '2023-13' is not a date; left out",
        "main-database/Tiny Chat.yaml: licenses.class: 'mostly' is not open, partial or closed",
        "model_openness_tool/models/Community-7B.yml: release.components[2].name: 'Model weights' is not a MOF component",
        "model_openness_tool/models/Community-7B.yml: release.components[4]: 'Model card' listed twice; the first is kept",
        "os-ai-map/sources/scores/eval-suite.yaml: openness.score: 'high' is not a whole number; left out",
        "os-ai-map/sources/scores/ghost.yaml: product: scores no product; left out",
    } <= notes


def test_unresolved_names_and_dangling_base_models_are_reported(
    outcomes: dict[str, ImportOutcome],
) -> None:
    osai = {(u.kind, u.name, u.detail) for u in outcomes["osai"].report.unresolved}
    assert osai == {
        ("model", "Duo 3B", "new model/duo3b"),
        ("model", "Tiny Chat", "new model/tinychat"),
        ("organization", "Stability AI", "new organization/stability-ai"),  # via the alias table
        ("base model", "Mystery-1B", "dangling: no model of data/ or this catalogue"),
    }
    report = (outcomes["osai"].entry.report, outcomes["mot"].report.tsv())
    assert report[0] == "osai-report.tsv"
    assert "unresolved license\tLlama 3.1 Community License\t" in report[1]


def test_names_resolve_to_curated_and_shared_entities(kg: KnowledgeGraph) -> None:
    rows = select(
        kg,
        "SELECT DISTINCT ?file ?developer WHERE { GRAPH ?g { ?m llmkg:developedBy ?developer } "
        "?g prov:wasDerivedFrom ?file FILTER(CONTAINS(STR(?file), '/blob/')) }",
    )
    assert {(r["file"].rsplit("/", 1)[-1], r["developer"]) for r in rows} == {
        ("Chat%207B.yaml", "organization:acme"),  # "ACME", a curated alias
        ("Collab.yaml", "organization:acme"),  # "Acme AI and Open Lab": both known
        ("Collab.yaml", "organization:openlab"),
        ("Tiny%20Chat.yaml", "organization:stability-ai"),  # the alias table's id
        ("Base%207B.yml", "organization:acme"),
        ("Chat-7B.yml", "organization:acme"),
        ("Community-7B.yml", "organization:openlab"),
        ("Tiny-Chat.yml", "organization:stability-ai"),  # "StabilityAI"
        ("chat-7b.yaml", "organization:acme"),
        ("acme-trainer.yaml", "organization:acme"),
        ("eval-suite.yaml", "organization:openlab"),
        ("tiny-chat.yaml", "organization:stability-ai"),
    }


def test_duplicate_actors_of_os_ai_map_become_one_organization(kg: KnowledgeGraph) -> None:
    rows = select(
        kg,
        "SELECT DISTINCT ?name WHERE { organization:openlab skos:altLabel ?name } ORDER BY ?name",
    )
    assert [r["name"] for r in rows] == ["Open Lab", "OpenLab"]


def test_osai_dimensions_become_judgements_with_evidence(kg: KnowledgeGraph) -> None:
    rows = select(
        kg,
        "SELECT ?dimension ?level ?evidence WHERE { model:chat-7b llmkg:opennessAssessment ?a . "
        "?a llmkg:judgement ?j . ?j llmkg:dimension ?dimension . "
        "OPTIONAL { ?j llmkg:opennessLevel ?level } OPTIONAL { ?j llmkg:evidence ?evidence } "
        "FILTER(STRSTARTS(STR(?a), 'https://w3id.org/llmkg/id/assessment/osai/')) } "
        "ORDER BY ?dimension ?evidence",
    )
    assert [tuple(r.values()) for r in rows] == [
        ("openness-dimension:datasources-basemodel", "openness-level:closed", ""),
        ("openness-dimension:trainingcode", "openness-level:partial", ""),
        (
            "openness-dimension:weights-endmodel",
            "openness-level:open",
            "https://example.org/weights",
        ),
        (
            "openness-dimension:weights-endmodel",
            "openness-level:open",
            "https://huggingface.co/acme/chat-7b",
        ),
    ]


def test_osai_system_values(kg: KnowledgeGraph) -> None:
    rows = select(
        kg,
        "SELECT ?p ?o WHERE { GRAPH ?g { model:chat-7b ?p ?o } ?g prov:wasDerivedFrom ?f "
        "FILTER(CONTAINS(STR(?f), 'main-database')) "
        "FILTER(?p NOT IN (llmkg:opennessAssessment)) }",
    )
    assert sorted((r["p"], r["o"]) for r in rows) == [
        ("dcterms:issued", "2024-10"),
        ("llmkg:derivedFrom", "model:base-7b"),
        ("llmkg:developedBy", "organization:acme"),
        ("llmkg:licenseStatement", "Apache-2.0"),
        ("llmkg:licensedUnder", "license:apache-2.0"),
        ("llmkg:modality", "code"),
        ("llmkg:modality", "text"),
        ("rdf:type", "llmkg:Model"),
        ("rdfs:seeAlso", "https://example.org/chat-7b"),
        ("skos:altLabel", "Chat 7B"),
    ]


def test_mof_classes_are_computed_with_a_note(kg: KnowledgeGraph) -> None:
    rows = select(
        kg,
        "SELECT ?a ?class ?note WHERE { GRAPH ?g { ?a llmkg:mofClass ?class } "
        "?g llmkg:confidence confidence:curator-inference ; rdfs:comment ?note } ORDER BY ?a",
    )
    assert [(r["a"], r["class"]) for r in rows] == [
        ("assessment:mot/base7b", "mof-class:class-i"),
        ("assessment:mot/chat7b", "mof-class:class-ii"),
        ("assessment:mot/community7b", "mof-class:unclassified"),
        ("assessment:mot/tinychat", "mof-class:class-iii"),
    ]
    assert rows[1]["note"].endswith(
        "short of Class I: Datasets, Data preprocessing code, Model parameters (Intermediate)."
    )


def test_mot_components_keep_their_licenses(kg: KnowledgeGraph) -> None:
    rows = select(
        kg,
        "SELECT ?component ?statement ?license WHERE { "
        "<https://w3id.org/llmkg/id/assessment/mot/community7b> llmkg:judgement ?j . "
        "?j llmkg:dimension ?component . OPTIONAL { ?j llmkg:licenseStatement ?statement } "
        "OPTIONAL { ?j llmkg:componentLicense ?license } } ORDER BY ?component",
    )
    assert [tuple(r.values()) for r in rows] == [
        ("mof-component:model-architecture", "", ""),  # unlicensed
        ("mof-component:model-card", "Llama 3.1 Community License", ""),
        ("mof-component:technical-report", "Llama 3.1 Community License", ""),
    ]  # "Component not include." is not included; "Model weights" is no component
    listed = select(kg, "SELECT ?t WHERE { license:cc0-1.0 llmkg:mofContentType ?t } ORDER BY ?t")
    assert [r["t"] for r in listed] == ["data", "document"]


def test_os_ai_map_products_and_scores(kg: KnowledgeGraph) -> None:
    rows = select(
        kg,
        "SELECT ?product ?class ?score WHERE { ?product llmkg:opennessAssessment ?a . "
        "?a llmkg:opennessClass ?class . OPTIONAL { ?a llmkg:opennessScore ?score } } "
        "ORDER BY ?product",
    )
    assert [tuple(r.values()) for r in rows] == [
        ("benchmark:evalsuite", "open", ""),
        ("model:chat-7b", "open_weights", "3"),
        ("model:tinychat", "restricted", "2"),
    ]
    assert select(kg, "SELECT ?c WHERE { software:acmetrainer a ?c }") == [{"c": "llmkg:Software"}]


def test_imported_facts_keep_their_origin(kg: KnowledgeGraph) -> None:
    rows = select(
        kg,
        "SELECT ?source ?confidence ?catalogue ?license ?commit WHERE { "
        "GRAPH ?g { model:tinychat llmkg:modality|rdfs:label ?o } "
        "?g prov:wasDerivedFrom ?source ; llmkg:confidence ?confidence . "
        "?source dcterms:isPartOf ?catalogue . "
        "?catalogue dcterms:license ?license ; llmkg:commit ?commit ; "
        "dcterms:bibliographicCitation ?citation . FILTER(CONTAINS(?citation, 'Liesenfeld')) }",
    )
    assert rows == [
        {
            "source": "https://github.com/Language-Technology-Assessment/main-database/blob/"
            + "1" * 40
            + "/Tiny%20Chat.yaml",
            "confidence": "confidence:public-record",
            "catalogue": "catalogue:osai",
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "commit": "1" * 40,
        }
    ]


def test_example_queries(kg: KnowledgeGraph) -> None:
    assert [
        (r["name"], r["license"], r["judgedBy"])
        for r in run(kg, "imports-open-data-and-weights.rq")
    ] == [
        ("Base 7B", "Apache License 2.0", "Model Openness Tool (LF AI & Data)"),
        ("Duo 3B", "MIT License", "European Open Source AI Index"),
    ]
    assert [
        (r["project"], r["model"], r["mofClass"])
        for r in run(kg, "imports-mof-class-by-governance.rq")
    ] == [("Alpha", "Base 7B", "Class I"), ("Alpha", "Chat 7B", "Class II")]
    assert [
        (r["name"], set(r["catalogueNames"].split(" | ")))
        for r in run(kg, "imports-organizations-in-all-catalogues.rq")
    ] == [
        ("Acme AI", {"ACME", "Acme AI"}),
        ("Open Lab", {"Open Lab", "OpenLab"}),
        ("Stability AI", {"Stability AI", "StabilityAI"}),
    ]


def test_disagreements_between_mof_class_and_other_catalogues(
    kg: KnowledgeGraph, outcomes: dict[str, ImportOutcome]
) -> None:
    rows = run(kg, "imports-mof-disagreements.rq")
    assert [
        (r["model"], r["mofClass"], r["aspect"], r["catalogue"], r["judgement"]) for r in rows
    ] == [
        (
            "Tiny Chat",
            "Class III",
            "weights",
            "AI Stack Map (os-ai-map) by Current AI",
            "restricted",
        ),
        ("Tiny Chat", "Class III", "weights", "European Open Source AI Index", "closed"),
    ]
    assert outcomes["os-ai-map"].disagreements == rows


def test_build_includes_the_imports(settings: Settings, kg: KnowledgeGraph) -> None:
    built = build(settings)
    assert [e.name for e in built.imports] == ["mot", "os-ai-map", "osai"]
    assert len(built.records) == 12  # curated records are unchanged
