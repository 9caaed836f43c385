"""The three importers end to end on the real catalogue snapshots in ../shared/thirdparty.

Without that folder the tests skip (fail under CI).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg.graph import KnowledgeGraph
from kg.importers.mof import CLASS_CODES, read_license_list
from kg.importers.mof_tool import tool_class
from kg.importers.names import name_key
from kg.importers.run import ImportOutcome, import_catalogue
from kg.pipeline import build
from kg.settings import Settings
from tests.shared import shared_dir
from tests.solutions import run, select

SNAPSHOTS = {"osai": "main-database", "mot": "model_openness_tool", "os-ai-map": "os-ai-map"}
OSAI_BLOB = (
    "https://github.com/Language-Technology-Assessment/main-database/blob/"
    "5a388e871b88735e7ab7e6fb230b76c9d460d99a/"
)


@pytest.fixture(scope="module")
def snapshots() -> Path:
    why = (
        "the real-catalogue tests import the snapshots of the European Open Source AI Index "
        "(main-database), the Model Openness Tool and os-ai-map from there"
    )
    return shared_dir("thirdparty", why)


@pytest.fixture(scope="module")
def settings(snapshots: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("real")
    return Settings(imports_dir=root / "imports", build_dir=root / "build")


@pytest.fixture(scope="module")
def outcomes(settings: Settings, snapshots: Path) -> dict[str, ImportOutcome]:
    return {
        name: import_catalogue(settings, name, snapshots / directory)
        for name, directory in SNAPSHOTS.items()
    }


@pytest.fixture(scope="module")
def kg(settings: Settings, outcomes: dict[str, ImportOutcome]) -> KnowledgeGraph:
    return build(settings).graph


def test_record_counts(outcomes: dict[str, ImportOutcome]) -> None:
    counts = {n: (o.entry.records, o.entry.imported, o.entry.skipped) for n, o in outcomes.items()}
    assert counts == {
        "osai": (193, 193, 0),  # the template and _parameters*.yml are not records
        "mot": (273, 269, 4),  # four records name no producer
        "os-ai-map": (443, 436, 7),  # 157 organizations and 286 products
    }
    assert outcomes["osai"].entry.commit == "5a388e871b88735e7ab7e6fb230b76c9d460d99a"
    assert [str(p) for p in outcomes["mot"].report.skipped] == [
        f"model_openness_tool/models/{name}.yml: release.producer: missing: every model needs a developer"
        for name in ("Griffin", "Hawk", "OpenBMB", "Zephyr-141B")
    ]


def test_the_four_misspelled_license_keys_are_read(outcomes: dict[str, ImportOutcome]) -> None:
    read_as = sorted(
        p.path for p in outcomes["osai"].report.notes if p.message == "read as 'endmodellicense'"
    )
    assert read_as == [
        f"main-database/{name}.yaml" for name in ("GANSynth", "MusicLDM", "Rave", "StableAudio")
    ]


def test_ai2_spellings_are_one_organization(kg: KnowledgeGraph) -> None:
    rows = select(
        kg,
        "SELECT DISTINCT ?org WHERE { ?org a llmkg:Organization ; rdfs:label|skos:altLabel ?n "
        'FILTER(?n IN ("Ai2", "AI2", "Allen Institute for AI", "allen-institute-for-ai")) }',
    )
    assert rows == [{"org": "organization:ai2"}]
    sources = select(
        kg,
        "SELECT DISTINCT ?file WHERE { ?g foaf:primaryTopic organization:ai2 ; "
        "prov:wasDerivedFrom ?file FILTER(CONTAINS(STR(?file), 'github.com')) } ORDER BY ?file",
    )
    files = {r["file"].rsplit("/", 1)[-1] for r in sources}
    assert {"OLMo.yaml", "OLMo-7B.yml", "ai2.yaml", "allen-institute-for-ai.yaml"} <= files
    assert select(kg, "SELECT ?l WHERE { organization:ai2 rdfs:label ?l }") == [
        {"l": "Allen Institute for AI"}  # the curated label stays the only label
    ]


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ("olmo7b", "mof-class:class-i"),  # every component, the paper for the report
        ("pythia12b", "mof-class:class-i"),
        ("polyglotko", "mof-class:class-ii"),  # no intermediate checkpoints
        ("gptneox20b", "mof-class:class-iii"),  # no evaluation data
        ("mistral7binstructv0.1", "mof-class:unclassified"),  # no data card
        ("llama3.1.8b", "mof-class:unclassified"),  # Llama 3.1 license is not open
    ],
)
def test_hand_checked_mof_classes(kg: KnowledgeGraph, record: str, expected: str) -> None:
    assessment = f"<https://w3id.org/llmkg/id/assessment/mot/{record}>"
    assert select(kg, f"SELECT ?c WHERE {{ {assessment} llmkg:mofClass ?c }}") == [{"c": expected}]


def test_mof_class_distribution(kg: KnowledgeGraph) -> None:
    rows = select(
        kg,
        "SELECT ?c (COUNT(?a) AS ?n) WHERE { ?a llmkg:mofClass ?c } GROUP BY ?c ORDER BY ?c",
    )
    assert {r["c"]: int(r["n"]) for r in rows} == {
        "mof-class:class-i": 14,
        "mof-class:class-ii": 1,
        "mof-class:class-iii": 16,
        "mof-class:unclassified": 238,
    }


def test_mof_classes_agree_with_the_tools_own(kg: KnowledgeGraph, snapshots: Path) -> None:
    # The records carry no class: the tool's own is its evaluation redone (kg.importers.mof_tool).
    mot = snapshots / "model_openness_tool"
    listed, _ = read_license_list(mot / "web/modules/mof/mof-licenses.json")
    rows = select(
        kg,
        "SELECT ?a ?c WHERE { ?a llmkg:mofClass ?c "
        'FILTER(STRSTARTS(STR(?a), "https://w3id.org/llmkg/id/assessment/mot/")) }',
    )
    ours: dict[str, list[str]] = {}
    for r in rows:
        ours.setdefault(r["a"].removeprefix("assessment:mot/"), []).append(r["c"])
    tools: dict[str, list[str]] = {}
    for path in (mot / "models").glob("*.yml"):
        if name_key(path.stem) in ours:  # not the four records skipped
            release = yaml.safe_load(path.read_text("utf-8"))["release"]
            code = CLASS_CODES[tool_class(release, listed)]
            tools.setdefault(name_key(path.stem), []).append(f"mof-class:{code}")
    assert len(rows) == sum(map(len, tools.values())) == 269
    assert ours["commandr"] == ["mof-class:unclassified"] * 2  # Command-R and Command-R+
    disagree = [k for k in ours if sorted(ours[k]) != sorted(tools[k])]
    assert disagree == []  # 269 of 269 agree (docs/mof.md)


def test_osai_facts_keep_their_origin_and_attribution(kg: KnowledgeGraph) -> None:
    rows = select(
        kg,
        "SELECT ?level ?source ?citation WHERE { "
        "<https://w3id.org/llmkg/id/assessment/osai/amdolmo/weights-endmodel> llmkg:opennessLevel ?level . "
        "GRAPH ?g { <https://w3id.org/llmkg/id/assessment/osai/amdolmo/weights-endmodel> "
        "llmkg:opennessLevel ?level } ?g prov:wasDerivedFrom ?source . "
        "?source dcterms:isPartOf/dcterms:bibliographicCitation ?citation }",
    )
    assert len(rows) == 1
    assert rows[0]["level"] == "openness-level:open"
    assert rows[0]["source"] == OSAI_BLOB + "AMD%20OLMo.yaml"  # a file name with a space
    assert "Liesenfeld" in rows[0]["citation"]
    assert "doi:10.5281/zenodo.15386042" in rows[0]["citation"]


def test_open_data_and_weights_under_osi_licenses(kg: KnowledgeGraph) -> None:
    rows = {r["model"]: r for r in run(kg, "imports-open-data-and-weights.rq")}
    assert len(rows) == 42
    assert rows["model:olmo-7b"]["license"] == "Apache License 2.0"
    assert rows["model:amber"]["judgedBy"] == (
        "European Open Source AI Index, Model Openness Tool (LF AI & Data)"
    )
    assert not any("llama" in m for m in rows)


def test_mof_class_by_governance_model(kg: KnowledgeGraph) -> None:
    rows = run(kg, "imports-mof-class-by-governance.rq")
    by_project = {(r["project"], r["model"], r["mofClass"]) for r in rows}
    assert {
        ("OLMo", "OLMo 7B", "Class I"),
        ("OLMo", "OLMo 1B", "Class I"),
        ("Pythia and GPT-NeoX (EleutherAI)", "Pythia-12B", "Class I"),
        ("Pythia and GPT-NeoX (EleutherAI)", "GPT-NeoX-20B", "Class III"),
        ("BLOOM (BigScience)", "BLOOM", "Unclassified"),
        ("Qwen", "Qwen-72B", "Unclassified"),
    } <= by_project
    governance = {r["governanceModel"] for r in rows if r["mofClass"] == "Class I"}
    assert governance == {
        "Non-profit-sponsored grassroots project",
        "Single research institute project",
    }
    assert {r["mofClass"] for r in rows if r["project"] == "Llama"} == {"Unclassified"}


def test_organizations_in_all_three_catalogues(kg: KnowledgeGraph) -> None:
    rows = run(kg, "imports-organizations-in-all-catalogues.rq")
    assert sorted(r["organization"] for r in rows) == [
        "organization:01ai",
        "organization:ai2",
        "organization:ai21-labs",
        "organization:alibaba",
        "organization:apple",
        "organization:bigcode",
        "organization:cerebras",
        "organization:cohere",
        "organization:databricks",
        "organization:deepseek",
        "organization:eleutherai",
        "organization:google",
        "organization:google-deepmind",
        "organization:ibm",
        "organization:meta",
        "organization:microsoft",
        "organization:mistral-ai",
        "organization:nvidia",
        "organization:openai",
        "organization:shanghai-ai-laboratory",
        "organization:snowflake",
        "organization:stanford-crfm",
        "organization:technology-innovation-institute",
        "organization:together-ai",
        "organization:xai",
    ]
    spellings = {r["organization"]: set(r["catalogueNames"].split(" | ")) for r in rows}
    assert spellings["organization:ai2"] == {"Ai2", "Allen Institute for AI"}
    assert spellings["organization:together-ai"] == {
        "Together AI",
        "TogetherAI",
        "Together Computer",
    }


def test_mof_class_agrees_with_the_other_catalogues(
    kg: KnowledgeGraph, outcomes: dict[str, ImportOutcome]
) -> None:
    # Amber is the one model with a MOF class that another catalogue judges too; they agree.
    assert run(kg, "imports-mof-disagreements.rq") == []
    assert outcomes["os-ai-map"].disagreements == []
