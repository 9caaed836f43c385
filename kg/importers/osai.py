"""The European Open Source AI Index (osai-index.eu): one YAML record per generative AI system.

Each record names a system (its model, base model, license, release date), the organization
behind it, and judges twelve dimensions open, partial or closed with evidence links and a
note. A record becomes a model developed by its organization, with an openness assessment
holding one judgement per dimension (concepts of ``openness-dimension``).

The records' quirks are read, not refused: ``endmodel license`` for ``endmodellicense``, a
link that is a string, a list or null, a release date as ``2024-10`` or ``2024 OCT``,
comma-joined types (``text,code``), file names with spaces.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDFS

from kg.compile.rdf import concept
from kg.importers.catalogue import Catalogue, Report, Snapshot, fields, read_mapping
from kg.importers.facts import RecordFacts
from kg.importers.mapping import (
    base_model,
    evidence,
    license_statement,
    modality,
    organizations,
    release_date,
)
from kg.importers.names import name_key, plain_text, web_iri
from kg.importers.resolve import Resolved, Resolver
from kg.schema.namespace import LLMKG

SYSTEM = (
    "name",
    "link",
    "type",
    "performanceclass",
    "basemodelname",
    "endmodelname",
    "endmodellicense",
    "releasedate",
    "notes",
)
ORG = ("name", "link", "notes")
JUDGEMENT = ("class", "link", "notes")
DIMENSIONS = (
    "datasources_basemodel",
    "datasources_endmodel",
    "weights_basemodel",
    "weights_endmodel",
    "trainingcode",
    "code",
    "hardware_architecture",
    "preprint",
    "paper",
    "modelcard",
    "datasheet",
    "licenses",
)
LEVELS = ("open", "partial", "closed")
NOT_RECORDS = {"a_submission_template.yaml"}


def record_files(directory: Path) -> list[Path]:
    """The record files of a snapshot: ``*.yaml`` at the root, not the template or ``_*``."""
    return sorted(
        p
        for p in directory.iterdir()
        if p.suffix in (".yaml", ".yml")
        and p.is_file()
        and not p.name.startswith(("_", "."))
        and p.name not in NOT_RECORDS
    )


def read(snapshot: Snapshot, resolver: Resolver, report: Report) -> list[RecordFacts]:
    """Every readable record of an Open Source AI Index snapshot, as facts."""
    parsed = []
    for path in record_files(snapshot.directory):
        report.records += 1
        record = _parse(path, snapshot.shown(path), report)
        if record is not None:
            parsed.append((path, record))
    own_models = {
        name_key(n): _model(r["system"], resolver)
        for _, r in parsed
        for n in (r["system"]["name"], plain_text(r["system"].get("endmodelname")))
        if n
    }
    developers = {name_key(r["org"]["name"], organization=True) for _, r in parsed}
    return [
        _facts(snapshot, path, record, resolver, report, own_models, developers)
        for path, record in parsed
    ]


def _parse(path: Path, shown: str, report: Report) -> dict[str, Any] | None:
    raw = read_mapping(path, shown, report)
    if raw is None:
        return None
    top = fields(raw, ("system", "org", *DIMENSIONS), shown, "(record)", report)
    system = fields(top.get("system"), SYSTEM, shown, "system", report)
    org = fields(top.get("org"), ORG, shown, "org", report)
    system["name"] = plain_text(system.get("name"))
    org["name"] = plain_text(org.get("name"))
    if system["name"] is None:
        report.skip(shown, "system.name", "missing: a record names its system")
        return None
    if org["name"] is None:
        report.skip(shown, "org.name", "missing: every model needs a developer")
        return None
    return {"system": system, "org": org, **{d: top.get(d) for d in DIMENSIONS}}


def _facts(
    snapshot: Snapshot,
    path: Path,
    record: dict[str, Any],
    resolver: Resolver,
    report: Report,
    own_models: dict[str, Resolved],
    developers: set[str],
) -> RecordFacts:
    facts = snapshot.facts(path)
    shown = facts.path
    system, org = record["system"], record["org"]
    name: str = system["name"]
    model = _model(system, resolver)
    if not model.curated:
        report.unresolved_name("model", name, shown, f"new model/{model.id}")
    m = model.iri
    facts.entity(model, LLMKG.Model, name)
    homepage = web_iri(org.get("link"))
    for org_name, found in organizations(org["name"], developers, resolver, report, shown):
        facts.organization(found, org_name, homepage=homepage)
        facts.add(m, m, LLMKG.developedBy, found.iri)
    see_also = web_iri(system.get("link"))
    if see_also is not None:
        facts.add(m, m, RDFS.seeAlso, see_also)
    for value in modality(system.get("type")):
        facts.add(m, m, LLMKG.modality, ox.Literal(value))
    released = release_date(system.get("releasedate"), shown, "system.releasedate", report)
    if released is not None:
        facts.add(m, m, DCTERMS.issued, released)
    license_statement(facts, m, m, system.get("endmodellicense"), resolver, report)
    base_model(facts, model, system.get("basemodelname"), resolver, own_models, report)
    _assessment(facts, m, name, path, record, report)
    return facts


def _model(system: dict[str, Any], resolver: Resolver) -> Resolved:
    """The model a record is about: its end model or system if curated, else new by name."""
    names = [plain_text(system.get("endmodelname")), system["name"]]
    return resolver.find(["model"], names) or resolver.resolve("model", [system["name"]])


def _assessment(
    facts: RecordFacts,
    m: ox.NamedNode,
    name: str,
    path: Path,
    record: dict[str, Any],
    report: Report,
) -> None:
    a = facts.assessment(m, "osai", name_key(path.stem), f"Open Source AI Index: {name}")
    for dimension in DIMENSIONS:
        where = dimension
        if record[dimension] is None:
            report.note(facts.path, where, "dimension missing; not judged")
            continue
        given = fields(record[dimension], JUDGEMENT, facts.path, where, report)
        j = facts.judgement(m, a, concept("openness-dimension", dimension.replace("_", "-")))
        level = (plain_text(given.get("class")) or "").casefold()
        if level in LEVELS:
            facts.add(m, j, LLMKG.opennessLevel, concept("openness-level", level))
        elif level:
            report.note(facts.path, f"{where}.class", f"{level!r} is not open, partial or closed")
        for link in evidence(given.get("link"), facts.path, f"{where}.link", report):
            facts.add(m, j, LLMKG.evidence, link)
        note = plain_text(given.get("notes"))
        if note:
            facts.add(m, j, RDFS.comment, ox.Literal(note))


CATALOGUE = Catalogue(
    name="osai",
    title="European Open Source AI Index",
    repository="https://github.com/Language-Technology-Assessment/main-database",
    homepage="https://osai-index.eu/",
    license="CC-BY-4.0",
    license_url="https://creativecommons.org/licenses/by/4.0/",
    attribution=(
        "European Open Source AI Index, https://osai-index.eu/, doi:10.5281/zenodo.15386042. "
        "Liesenfeld, A. and Dingemanse, M. (2024). Rethinking open source generative AI: "
        "open-washing and the EU AI Act. In Proceedings of the 2024 ACM Conference on Fairness, "
        "Accountability, and Transparency (FAccT '24), pp. 1774-1787. Licensed under CC BY 4.0."
    ),
    read=read,
)
