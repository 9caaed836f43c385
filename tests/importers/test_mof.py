"""MOF components, the tool's license list and the classes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from kg.importers.mof import (
    COMPONENTS,
    Included,
    LicenseList,
    component,
    component_license,
    judge,
    mof_class,
    read_license_list,
    short_of,
)
from kg.settings import Settings
from tests.conftest import FIXTURES

LICENSES = FIXTURES / "catalogues/model_openness_tool/web/modules/mof"


def test_components_match_the_concept_scheme() -> None:
    concepts = Graph().parse(Settings().ontology_dir / "concepts.ttl")
    scheme = "https://w3id.org/llmkg/id/mof-component/"
    notations = {
        str(s).removeprefix(scheme): str(o)
        for s, o in concepts.subject_objects(SKOS.notation)
        if str(s).startswith(scheme)
    }
    assert notations == {c.code: c.name for c in COMPONENTS}
    assert len(COMPONENTS) == 17
    assert concepts.value(predicate=SKOS.notation, object=Literal("Class II")) is not None


def test_license_list_merges_types_and_reports_bad_entries() -> None:
    listed, problems = read_license_list(LICENSES / "mof-licenses.json")
    assert problems == ["licenses[6]: no licenseId; left out"]
    cc0 = listed.find("cc0-1.0")
    assert cc0 is not None
    assert cc0.content_types == {"data", "document"}
    assert listed.find("Apache License 2.0") == listed.find("APACHE-2.0")


def test_unreadable_license_list(tmp_path: Path) -> None:
    (tmp_path / "l.json").write_text("{not json", encoding="utf-8")
    listed, problems = read_license_list(tmp_path / "l.json")
    assert listed == LicenseList()
    assert problems[0].startswith("cannot be read: Expecting property name")


@pytest.mark.parametrize(
    ("given", "types", "expected"),
    [
        (..., ("data",), (True, "CDLA-Permissive-2.0")),  # type-specific global license
        (..., ("code",), (True, "Apache-2.0")),  # distribution license
        ("MIT", ("code",), (True, "MIT")),  # its own
        ("unlicensed", ("code",), (True, None)),
        ("License not specified", ("code",), (True, None)),
        ("Component Component not included", ("code",), (False, None)),
        (None, ("code",), (True, None)),
    ],
    ids=["type-specific", "distribution", "own", "unlicensed", "not-specified", "excluded", "null"],
)
def test_component_license_resolution(
    given: object, types: tuple[str, ...], expected: tuple[bool, str | None]
) -> None:
    release = {"distribution": "Apache-2.0", "data": "CDLA-Permissive-2.0", "code": None}
    assert component_license(given, types, release) == expected


def test_a_curated_osi_license_counts_even_if_unlisted() -> None:
    code = component("Training code")
    assert code is not None
    assert judge(code, "BSD-2-Clause", LicenseList()).open is False
    assert judge(code, "BSD-2-Clause", LicenseList(), curated_osi=True).open is True


def test_classes_need_every_lower_class() -> None:
    def included(*names: str) -> list[Included]:
        found = [component(n) for n in names]
        return [Included(c, "MIT", True, True) for c in found if c is not None]

    class_two_only = included(
        "Training code", "Inference code", "Evaluation code", "Evaluation data"
    )
    assert mof_class(class_two_only) == 0
    assert short_of(0, class_two_only) == [
        "Model architecture",
        "Model parameters (Final)",
        "Model card",
        "Data card",
        "Evaluation results",
        "Technical report or Research paper",
    ]
