"""Name keys, the alias table and entity resolution."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kg.errors import RecordError
from kg.importers.aliases import AliasTable, load_aliases
from kg.importers.names import name_key
from kg.importers.resolve import Resolved, Resolver
from kg.schema.records import LicenseRecord, ModelRecord, OrganizationRecord, ProjectRecord

SLUG = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
SPELLINGS = st.text(alphabet="abcXYZ019 -_./", min_size=1, max_size=30)


@given(SPELLINGS)
def test_a_key_is_a_record_id_and_a_fixed_point(name: str) -> None:
    key = name_key(name)
    assert SLUG.match(key)
    assert name_key(key) == key


@given(SPELLINGS)
def test_case_and_separators_do_not_change_a_key(name: str) -> None:
    assume(any(c.isalnum() for c in name))
    assert name_key(name.upper()) == name_key(name)
    assert name_key(name.replace(" ", "-")) == name_key(name.replace(" ", "_"))


def test_digits_stay_apart() -> None:
    assert name_key("Qwen2.5-1.5B") != name_key("Qwen2.5-15B")
    assert name_key("Llama 3 1") == name_key("Llama-3.1")


AI2 = OrganizationRecord(
    id="ai2",
    name="Allen Institute for AI",
    aliases=["Ai2", "AI2"],
    source="https://allenai.org/",
    confidence="public-record",
    organization_type="research-institute",
)
APACHE = LicenseRecord(
    id="apache-2.0",
    name="Apache License 2.0",
    spdx="Apache-2.0",
    source="https://spdx.org/licenses/Apache-2.0.html",
    confidence="public-record",
    license_type="permissive",
    osi_approved=True,
)


@pytest.mark.parametrize(
    "name",
    ["Ai2", "AI2", "Allen Institute for AI", "allen-institute-for-ai", "ALLEN INSTITUTE FOR AI"],
)
def test_ai2_spellings_resolve_to_one_organization(name: str) -> None:
    found = Resolver([AI2], AliasTable()).resolve("organization", [name])
    assert (found.id, found.curated, found.iri.value) == (
        "ai2",
        True,
        "https://w3id.org/llmkg/id/organization/ai2",
    )


def test_alias_table_names_new_and_curated_entities() -> None:
    table = AliasTable(
        organizations={"ai2": ["AllenAI"], "stability-ai": ["Stability AI", "StabilityAI"]}
    )
    resolver = Resolver([AI2, APACHE], table)
    assert resolver.resolve("organization", ["allenai"]).id == "ai2"
    found = resolver.resolve("organization", ["StabilityAI"])
    assert (found.id, found.curated) == ("stability-ai", False)
    assert resolver.resolve("organization", ["Mistral AI"]).id == "mistralai"
    assert resolver.find(["license"], ["apache-2.0"]) is not None  # by SPDX id
    assert resolver.find(["model"], ["Ai2"]) is None  # names resolve within a kind


def test_a_name_two_records_share_is_ambiguous() -> None:
    other = AI2.model_copy(update={"id": "ai2-bis", "aliases": []})
    resolver = Resolver([AI2, other], AliasTable())
    assert resolver.ambiguous == {("organization", "alleninstituteforai"): ["ai2", "ai2-bis"]}
    assert resolver.find(["organization"], ["Allen Institute for AI"]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "organisations:\n  ai2: [Ai2]\n",
            "aliases.yaml: organisations: unknown section (did you mean 'organizations'?); "
            "sections: organizations, models, licenses, datasets, benchmarks, frameworks, software",
        ),
        (
            "organizations:\n  Ai 2: [Ai2]\n",
            "aliases.yaml: organizations.Ai 2: 'Ai 2' is not an id: "
            "ids are lowercase letters, digits, dots and hyphens",
        ),
        (
            "organizations:\n  ai2: [Stability AI]\n  stability-ai: [StabilityAI]\n",
            "aliases.yaml: organizations.ai2: 'Stability AI' already names organization 'stability-ai'",
        ),
        ("models:\n  x: nope\n", "aliases.yaml: models.x: Input should be a valid list"),
        ("models: [unclosed\n", "aliases.yaml: (yaml): while parsing a flow sequence"),
    ],
    ids=["unknown-section", "bad-id", "name-twice", "not-a-list", "bad-yaml"],
)
def test_alias_table_problems(
    text: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aliases.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        load_aliases(tmp_path / "aliases.yaml")
    assert str(caught.value.problems[0]).startswith(expected)


META = AI2.model_copy(update={"id": "meta", "name": "Meta", "aliases": []})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "organizations:\n  ai2: []\n",
            "organizations.ai2: lists no name: add one or remove the id",
        ),
        (
            "organizations:\n  ai2: [AllenAI, AllenAI]\n",
            "organizations.ai2: 'AllenAI' is listed twice",
        ),
        (
            "organizations:\n  ai2: [AI 2]\n",
            "organizations.ai2: 'AI 2' is already a name of the curated organization 'ai2'"
            " (its id, name or aliases): remove it here",
        ),
        (
            "organizations:\n  ai2: [Meta Platforms, Meta]\n",
            "organizations.ai2: 'Meta' is a name of the curated organization 'meta':"
            " list it under 'meta', or not at all",
        ),
    ],
    ids=["no-name", "listed-twice", "own-name-again", "another-records-name"],
)
def test_alias_table_is_checked_against_the_records(
    text: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aliases.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RecordError) as caught:
        load_aliases(tmp_path / "aliases.yaml", [AI2, META])
    assert [str(p) for p in caught.value.problems] == [f"aliases.yaml: {expected}"]


def test_a_name_of_several_kinds_resolves_by_kind() -> None:
    project = ProjectRecord(
        id="pythia",
        name="Pythia",
        source="https://github.com/EleutherAI/pythia",
        confidence="public-record",
        governance_model="non-profit-sponsored-grassroots",
        developers=[{"id": "eleutherai"}],
    )
    model = ModelRecord(
        id="pythia-suite",
        name="Pythia Scaling Suite",
        aliases=["Pythia"],
        source="https://github.com/EleutherAI/pythia",
        confidence="public-record",
        developers=[{"id": "ai2"}],
    )
    resolver = Resolver([project, model], AliasTable())
    assert (
        resolver.resolve("model", ["Pythia"]).iri.value
        == "https://w3id.org/llmkg/id/model/pythia-suite"
    )
    assert resolver.find(["project"], ["Pythia"]) == Resolved("project", "pythia", True)
    assert resolver.find(["model", "project"], ["Pythia"]) == Resolved(
        "model", "pythia-suite", True
    )


def test_no_alias_table_is_an_empty_one(tmp_path: Path) -> None:
    assert len(load_aliases(tmp_path / "aliases.yaml")) == 0


def test_the_real_alias_table_is_valid() -> None:
    from kg.settings import Settings

    table = load_aliases(Settings().data_dir / "aliases.yaml")
    assert "StabilityAI" in table.organizations["stability-ai"]
