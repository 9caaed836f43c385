"""Bad input: every malformed record gives `path: field: message`, pinned here."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.compile.load import load_records
from kg.errors import Problem, RecordError
from kg.schema.vocabulary import load_vocabulary
from kg.settings import Settings

VOCABULARY = load_vocabulary(Settings().ontology_dir)
MODEL = """id: broken-7b
name: Broken 7B
source: https://example.org/broken
confidence: public-record
developers: [{id: acme}]
"""


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(RecordError) as caught:
        load_records(data_dir, VOCABULARY)
    return [str(p) for p in caught.value.problems]


def write(data_dir: Path, relative: str, text: str) -> None:
    path = data_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_fixture_dataset_loads(data_copy: Path) -> None:
    records = load_records(data_copy, VOCABULARY)
    assert [(r.kind, r.id) for r in records][:3] == [
        ("benchmark", "bench"),
        ("compute-partnership", "jz-alpha"),
        ("dataset", "corpus"),
    ]
    assert len(records) == 12


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            MODEL + "released: [2024\n",
            "(yaml): invalid YAML at line 7, column 1: while parsing a flow sequence, expected ',' or ']', but got '<stream end>'",
        ),
        (MODEL + "name: Again\n", "(yaml): invalid YAML at line 6, column 1: duplicate key 'name'"),
        ("- just\n- a list\n", "(yaml): expected a mapping of fields, got a list"),
        ("", "(yaml): expected a mapping of fields, got an empty file"),
        (MODEL + "develpers: []\n", "develpers: unknown field (did you mean 'developers'?)"),
        (MODEL.replace("confidence: public-record\n", ""), "confidence: required field is missing"),
        (
            MODEL + "parameters: seven\n",
            "parameters: Input should be a valid integer, unable to parse string as an integer",
        ),
        (
            MODEL + "released: 2024-13-01\n",
            "released: '2024-13-01' is not a date: month must be in 1..12",
        ),
        (
            MODEL.replace("public-record", "rumour"),
            "confidence: Input should be 'paper', 'public-record' or 'curator-inference'",
        ),
        (
            MODEL + "trained_on: [{id: corpus, phase: training}]\n",
            "trained_on[0].phase: Input should be 'pre-training', 'post-training' or 'post-release-reuse'",
        ),
        (
            MODEL + "trained_on: [{id: corpus, sorce: https://example.org}]\n",
            "trained_on[0].sorce: unknown field (did you mean 'source'?)",
        ),
        (MODEL + "trained_on: corpus\n", "trained_on: Input should be a valid list"),
        (
            MODEL.replace("developers: [{id: acme}]\n", "developers: []\n"),
            "developers: List should have at least 1 item after validation, not 0",
        ),
        (
            MODEL + "provenance: {trained_on: {confidence: paper}}\n",
            "provenance.trained_on: 'trained_on' is not a plain field of a model; links carry their own source and confidence (plain fields: access, active_parameters, aliases, description, family, homepage, language_count, languages, name, parameters, regions, released, training_tokens)",
        ),
        (
            MODEL + "provenance: {released: {confidence: paper}}\n",
            "provenance.released: 'released' has no value in this record",
        ),
        (
            MODEL.replace("id: broken-7b", "id: Broken 7B"),
            "id: String should match pattern '^[a-z0-9][a-z0-9.-]*$'",
        ),
        (
            MODEL.replace("id: broken-7b", "id: other-7b"),
            "id: 'other-7b' must equal the file name 'broken-7b'",
        ),
        (
            MODEL.replace("{id: acme}", "{id: acmee}"),
            "developers[0].id: unknown organization id 'acmee' (did you mean 'acme'?)",
        ),
        (
            MODEL + "trained_on: [{id: bench}]\n",
            "trained_on[0].id: unknown dataset id 'bench'; benchmark 'bench' exists, but this field links to datasets",
        ),
        (
            MODEL + "languages: [en, pol]\n",
            "languages[1]: unknown language code 'pol' (did you mean 'pl'?); codes are defined in ontology/languages.ttl",
        ),
        (
            MODEL + "derived_from: [{id: base-7b}]\n",
            "derived_from[0].kind: required field is missing",
        ),
        (
            MODEL + "derived_from: [{id: base-7b, kind: finetune}]\n",
            "derived_from[0].kind: Input should be 'fine-tune', 'continued-pretraining', 'merge', 'distillation', 'quantization' or 'adapter'",
        ),
    ],
    ids=[
        "malformed-yaml",
        "duplicate-key",
        "not-a-mapping",
        "empty-file",
        "unknown-field",
        "missing-field",
        "wrong-type",
        "bad-date",
        "bad-enum",
        "bad-phase",
        "typo-in-link",
        "link-not-a-list",
        "no-developer",
        "provenance-on-link-field",
        "provenance-without-value",
        "bad-slug",
        "id-not-file-name",
        "dangling-reference",
        "reference-to-wrong-kind",
        "unknown-language",
        "derivation-without-kind",
        "bad-derivation-kind",
    ],
)
def test_bad_record_is_named_with_file_and_field(data_copy: Path, text: str, expected: str) -> None:
    write(data_copy, "models/broken-7b.yaml", text)
    assert problems(data_copy) == [f"data/models/broken-7b.yaml: {expected}"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            MODEL + "licenses: [{id: mit, valid_from: 2024-06, valid_until: 2024-05-31}]\n",
            "licenses[0].valid_until: '2024-05-31' is before valid_from '2024-06'",
        ),
        (
            MODEL
            + "released: 2024\nprovenance: {released: {valid_from: 2025, valid_until: 2024}}\n",
            "provenance.released.valid_until: '2024' is before valid_from '2025'",
        ),
        (
            MODEL + "derived_from: [{id: base-7b, kind: merge, valid_from: March 2024}]\n",
            "derived_from[0].valid_from: 'March 2024' is not a date: write 2024, 2024-03 or 2024-03-15",
        ),
        (
            MODEL + "licenses: [{id: mit, valid_until: 2024-3}]\n",
            "licenses[0].valid_until: '2024-3' is not a date: write 2024, 2024-03 or 2024-03-15",
        ),
        (
            MODEL + "licenses: [{id: mit, valid_until: 2024-02-30}]\n",
            "licenses[0].valid_until: '2024-02-30' is not a date: day is out of range for month",
        ),
        (
            MODEL + "trained_on: [{id: corpus, valid_form: 2024}]\n",
            "trained_on[0].valid_form: unknown field (did you mean 'valid_from'?)",
        ),
    ],
    ids=[
        "until-before-from",
        "field-until-before-from",
        "not-a-date",
        "month-of-one-digit",
        "no-such-day",
        "typo-in-validity",
    ],
)
def test_bad_validity_is_named_with_file_and_field(
    data_copy: Path, text: str, expected: str
) -> None:
    write(data_copy, "models/broken-7b.yaml", text)
    assert problems(data_copy) == [f"data/models/broken-7b.yaml: {expected}"]


FIX = "cite the publisher's own page that states the fact (model card, paper, organization site, press release)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            MODEL.replace(
                "https://example.org/broken",
                "https://vuink.com/post/tvguho-d-dpbz/EleutherAI/pythia",
            ),
            f"source: vuink.com is a ROT13 mirror of other sites, not a primary source: {FIX}",
        ),
        (
            MODEL
            + "released: 2024\nprovenance: {released: {source: 'https://hf.898520.xyz/EleutherAI/pythia-70m'}}\n",
            f"provenance.released.source: hf.898520.xyz is a copy of Hugging Face pages, not a primary source: {FIX}",
        ),
        (
            MODEL.replace("{id: acme}", "{id: acme, source: 'https://huggingface.co./acme'}"),
            "developers[0].source: host 'huggingface.co.' ends in a dot: write 'huggingface.co'",
        ),
        (
            MODEL.replace("https://example.org/broken", "notes/bloom-compute.md"),
            f"source: 'notes/bloom-compute.md' is not an http(s) URL: {FIX}",
        ),
        (
            MODEL.replace("https://example.org/broken", "ftp://example.org/card"),
            f"source: 'ftp://example.org/card' is not an http(s) URL: {FIX}",
        ),
        (
            MODEL + "homepage: https://www.aiwiki.ai/wiki/broken\n",
            f"homepage: aiwiki.ai is a wiki compiled from other pages, not a primary source: {FIX}",
        ),
    ],
    ids=[
        "mirror",
        "mirror-in-provenance",
        "trailing-dot",
        "not-a-url",
        "not-http",
        "mirror-subdomain",
    ],
)
def test_a_source_must_be_the_publishers_page(data_copy: Path, text: str, expected: str) -> None:
    write(data_copy, "models/broken-7b.yaml", text)
    assert problems(data_copy) == [f"data/models/broken-7b.yaml: {expected}"]


def test_a_name_two_records_of_one_kind_share_is_an_error(data_copy: Path) -> None:
    write(data_copy, "models/broken-7b.yaml", MODEL + "aliases: [Base 7B]\n")
    assert problems(data_copy) == [
        "data/models/base-7b.yaml: name: 'Base 7B' also names model 'broken-7b': records of one"
        " kind need names of their own (make it an alias of one of them)",
        "data/models/broken-7b.yaml: aliases[0]: 'Base 7B' also names model 'base-7b': records of"
        " one kind need names of their own (make it an alias of one of them)",
    ]


def test_a_name_records_of_several_kinds_share_is_a_warning(data_copy: Path) -> None:
    write(
        data_copy,
        "datasets/base-7b.yaml",
        "id: base-7b\nname: Base-7B\nsource: https://example.org/d\nconfidence: public-record\n",
    )
    warnings: list[Problem] = []
    load_records(data_copy, VOCABULARY, warnings)
    assert [str(w) for w in warnings] == [
        "data/datasets/base-7b.yaml: name: warning: 'Base-7B' names dataset/base-7b, model/base-7b;"
        " name-based import and lookup tell them apart by kind"
    ]


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [("2024-03-15", "2024-03"), ("2024", "2024-01-01"), ("2024-05", "2024-05"), ("2023", None)],
    ids=["day-in-its-month", "year-then-its-first-day", "same-month", "open-end"],
)
def test_validity_in_order_at_the_coarser_precision(
    data_copy: Path, valid_from: str, valid_until: str | None
) -> None:
    until = f", valid_until: {valid_until}" if valid_until else ""
    write(
        data_copy,
        "models/broken-7b.yaml",
        MODEL + f"licenses: [{{id: mit, valid_from: {valid_from}{until}}}]\n",
    )
    records = {r.id: r for r in load_records(data_copy, VOCABULARY)}
    (license_,) = records["broken-7b"].licenses  # type: ignore[attr-defined]
    assert (license_.valid_from, license_.valid_until) == (valid_from, valid_until)


def test_norway_is_not_a_boolean(data_copy: Path) -> None:
    org = (
        (data_copy / "organizations/hpc-center.yaml")
        .read_text()
        .replace("country: de", "country: no")
    )
    (data_copy / "organizations/hpc-center.yaml").write_text(org)
    records = {r.id: r for r in load_records(data_copy, VOCABULARY)}
    assert records["hpc-center"].country == "no"  # type: ignore[attr-defined]


def test_derivation_cycle_is_reported_once(data_copy: Path) -> None:
    path = data_copy / "models/base-7b.yaml"
    path.write_text(path.read_text() + "derived_from: [{id: community-7b, kind: merge}]\n")
    assert problems(data_copy) == [
        "data/models/base-7b.yaml: derived_from: cycle: model/base-7b -> model/community-7b -> model/chat-7b -> model/base-7b"
    ]


def test_identified_project_needs_a_governance_model(data_copy: Path) -> None:
    path = data_copy / "projects/alpha.yaml"
    text = path.read_text().replace("governance_model: single-company\n", "")
    path.write_text(
        text.replace(
            "provenance:\n  governance_model:\n    confidence: curator-inference\n    note: One company develops it.\n    valid_from: 2023\n",
            "",
        )
    )
    assert problems(data_copy) == [
        "data/projects/alpha.yaml: governance_model: required for an identified project"
    ]


def test_unidentified_project_needs_neither(data_copy: Path) -> None:
    write(
        data_copy,
        "projects/unknown.yaml",
        "id: unknown\nname: Unknown\nsource: https://example.org/p\nconfidence: paper\nidentified: false\n",
    )
    assert len(load_records(data_copy, VOCABULARY)) == 13


def test_every_problem_is_reported_at_once(data_copy: Path) -> None:
    write(data_copy, "models/broken-7b.yaml", MODEL + "develpers: []\n")
    write(
        data_copy,
        "datasets/other.yaml",
        "id: other\nname: Other\nsource: not a url\nconfidence: paper\n",
    )
    write(data_copy, "modles/x.yaml", MODEL)
    write(data_copy, "models/notes.txt", "hello")
    assert problems(data_copy) == [
        f"data/datasets/other.yaml: source: 'not a url' is not an http(s) URL: {FIX}",
        "data/models/broken-7b.yaml: develpers: unknown field (did you mean 'developers'?)",
        "data/models/notes.txt: (file): not a record: records are <id>.yaml files",
        "data/modles: (directory): not a record directory (did you mean 'models'?); record directories: benchmarks, compute-partnerships, datasets, findings, forums, frameworks, leaderboards, licenses, models, organizations, projects, publications",
    ]
