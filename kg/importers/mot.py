"""The LF AI & Data Model Openness Tool (mot.isitopen.ai): one YAML record per model release.

Each record (``models/*.yml``) lists the MOF components a release includes and their
licenses. A record becomes a model developed by its producer, licensed under its distribution
license, with an openness assessment holding one judgement per included component (concepts
of ``mof-component``, with the component's license) and the MOF class computed from them
(:mod:`kg.importers.mof`, with the SPDX License List's flags; confidence
``curator-inference``). The tool's license list,
``web/modules/mof/mof-licenses.json``, becomes facts about licenses: SPDX id, OSI approval
and the content types the tool accepts them for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import RDFS

from kg.compile.rdf import concept
from kg.errors import CatalogueError
from kg.importers.catalogue import Catalogue, Report, Snapshot, fields, read_mapping
from kg.importers.facts import RecordFacts
from kg.importers.mapping import (
    base_model,
    license_statement,
    modality,
    organizations,
)
from kg.importers.mof import (
    CLASS_CODES,
    CLASS_NAMES,
    Included,
    LicenseList,
    ListedLicense,
    component,
    component_license,
    judge,
    mof_class,
    read_license_list,
    short_of,
)
from kg.importers.names import as_list, name_key, plain_text, web_iri
from kg.importers.resolve import Resolved, Resolver
from kg.schema.fields import SLUG
from kg.schema.namespace import LLMKG

RELEASE = (
    "name",
    "version",
    "date",
    "type",
    "architecture",
    "treatment",
    "origin",
    "producer",
    "contact",
    "repository",
    "huggingface",
    "license",
    "components",
)
GLOBAL_LICENSES = ("distribution", "code", "data", "document")
COMPONENT = ("name", "description", "license", "license_path", "component_path")
LICENSE_LIST = Path("web/modules/mof/mof-licenses.json")


def read(snapshot: Snapshot, resolver: Resolver, report: Report) -> list[RecordFacts]:
    """Every readable record of a Model Openness Tool snapshot, and its license list, as facts."""
    models = snapshot.directory / "models"
    if not models.is_dir():
        raise CatalogueError(f"{snapshot.directory}: no models/ directory; is it a MOT checkout?")
    listed, out = _license_list(snapshot, resolver, report)
    parsed = []
    for path in sorted(p for p in models.iterdir() if p.suffix in (".yml", ".yaml")):
        report.records += 1
        release = _parse(path, snapshot.shown(path), report)
        if release is not None:
            parsed.append((path, release))
    own_models = {name_key(r["name"]): _model(r, resolver) for _, r in parsed}
    producers = {name_key(r["producer"], organization=True) for _, r in parsed}
    for path, release in parsed:
        out.append(_facts(snapshot, path, release, resolver, report, listed, own_models, producers))
    return out


def _license_list(
    snapshot: Snapshot, resolver: Resolver, report: Report
) -> tuple[LicenseList, list[RecordFacts]]:
    path = snapshot.directory / LICENSE_LIST
    listed, problems = read_license_list(path)
    shown = snapshot.shown(path)
    unreadable = [p for p in problems if p.startswith("cannot be read")]
    if unreadable and path.is_file():  # there, but damaged: cut short by a copy, say
        raise CatalogueError(
            f"{path}: {unreadable[0]}; check the snapshot out again (the imports are unchanged)"
        )
    for problem in problems:
        report.note(shown, "(licenses)", problem)
    if not listed.licenses:
        return listed, []
    facts = snapshot.facts(path)
    for entry in listed:
        found = _listed(entry, resolver)
        facts.entity(found, LLMKG.License, entry.name)
        facts.add(found.iri, found.iri, LLMKG.spdxId, ox.Literal(entry.id))
        facts.add(found.iri, found.iri, LLMKG.osiApproved, ox.Literal(entry.osi_approved))
        for kind in sorted(entry.content_types):
            facts.add(found.iri, found.iri, LLMKG.mofContentType, ox.Literal(kind))
    return listed, [facts]


def _listed(entry: ListedLicense, resolver: Resolver) -> Resolved:
    """A listed license: curated or in the alias table, else new with its SPDX id as id."""
    found = resolver.find(["license"], [entry.id, entry.name])
    if found is not None:
        return found
    lowered = entry.id.lower()
    return Resolved("license", lowered if SLUG.match(lowered) else name_key(entry.id), False)


def _parse(path: Path, shown: str, report: Report) -> dict[str, Any] | None:
    raw = read_mapping(path, shown, report)
    if raw is None:
        return None
    top = fields(raw, ("framework", "release"), shown, "(record)", report)
    release = fields(top.get("release"), RELEASE, shown, "release", report)
    release["name"] = plain_text(release.get("name"))
    release["producer"] = plain_text(release.get("producer"))
    if release["name"] is None:
        report.skip(shown, "release.name", "missing: a record names its release")
        return None
    if release["producer"] is None:
        report.skip(shown, "release.producer", "missing: every model needs a developer")
        return None
    return release


def _model(release: dict[str, Any], resolver: Resolver) -> Resolved:
    return resolver.resolve("model", [release["name"]])


def _facts(
    snapshot: Snapshot,
    path: Path,
    release: dict[str, Any],
    resolver: Resolver,
    report: Report,
    listed: LicenseList,
    own_models: dict[str, Resolved],
    producers: set[str],
) -> RecordFacts:
    facts = snapshot.facts(path)
    shown = facts.path
    name: str = release["name"]
    model = _model(release, resolver)
    if not model.curated:
        report.unresolved_name("model", name, shown, f"new model/{model.id}")
    m = model.iri
    facts.entity(model, LLMKG.Model, name)
    for org_name, found in organizations(release["producer"], producers, resolver, report, shown):
        facts.organization(found, org_name)
        facts.add(m, m, LLMKG.developedBy, found.iri)
    for value in modality(release.get("type")):
        facts.add(m, m, LLMKG.modality, ox.Literal(value))
    for key in ("repository", "huggingface"):
        link = web_iri(release.get(key))
        if link is not None:
            facts.add(m, m, RDFS.seeAlso, link)
    licenses = _global_licenses(release.get("license"), shown, report)

    def lookup(statement: str) -> Resolved | None:
        entry = listed.find(statement)
        return _listed(entry, resolver) if entry else None

    distribution = licenses.get("distribution")
    license_statement(facts, m, m, distribution, resolver, report, listed=lookup)
    base_model(facts, model, release.get("origin"), resolver, own_models, report)
    _assessment(facts, m, name, path, release, licenses, resolver, report, listed, lookup)
    return facts


def _assessment(
    facts: RecordFacts,
    m: ox.NamedNode,
    name: str,
    path: Path,
    release: dict[str, Any],
    licenses: dict[str, str | None],
    resolver: Resolver,
    report: Report,
    listed: LicenseList,
    lookup: Callable[[str], Resolved | None],
) -> None:
    """The record's components as judgements, and the MOF class they meet."""
    shown = facts.path
    a = facts.assessment(m, "mot", name_key(path.stem), f"Model Openness Tool: {name}")
    included: list[Included] = []
    for i, item in enumerate(as_list(release.get("components"))):
        where = f"release.components[{i}]"
        given = fields(item, COMPONENT, shown, where, report)
        part = component(plain_text(given.get("name")) or "")
        if part is None:
            report.note(shown, f"{where}.name", f"{given.get('name')!r} is not a MOF component")
            continue
        if any(inc.component == part for inc in included):
            report.note(shown, where, f"{part.name!r} listed twice; the first is kept")
            continue
        is_in, license_ = component_license(given.get("license", ...), part.content_types, licenses)
        if not is_in:
            continue
        included.append(judge(part, license_, listed))
        j = facts.judgement(m, a, concept("mof-component", part.code))
        license_statement(
            facts, m, j, license_, resolver, report, predicate=LLMKG.componentLicense, listed=lookup
        )
    level = mof_class(included)
    missing = short_of(level, included)
    above = f"short of {CLASS_NAMES[level - 1 if level else 3]}: {', '.join(missing)}"
    note = (
        "Computed by open-llm-kg (kg/importers/mof.py) from the components this record "
        "includes and their licenses, with the Model Openness Tool's rules, the SPDX "
        f"License List and the tool's mof-licenses.json; {above if missing else 'meets every class'}."
    )
    facts.add(m, a, LLMKG.mofClass, concept("mof-class", CLASS_CODES[level]), inferred=note)


def _global_licenses(value: object, shown: str, report: Report) -> dict[str, str | None]:
    given = fields(value, GLOBAL_LICENSES, shown, "release.license", report)
    out: dict[str, str | None] = {}
    for key, item in given.items():
        entry = fields(item, ("name", "path"), shown, f"release.license.{key}", report)
        out[key] = plain_text(entry.get("name"))
    return out


CATALOGUE = Catalogue(
    name="mot",
    title="Model Openness Tool (LF AI & Data)",
    repository="https://github.com/lfai/model_openness_tool",
    homepage="https://mot.isitopen.ai/",
    license="MIT",
    license_url="https://opensource.org/license/mit",
    attribution=(
        "Model Openness Tool, https://mot.isitopen.ai/, Copyright 2024 The Model Openness Tool "
        "Authors, MIT License. Model Openness Framework v1.0, LF AI & Data Foundation."
    ),
    read=read,
)
