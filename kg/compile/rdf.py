"""Records -> quads in a pyoxigraph Store, with provenance per fact.

Every fact lands in a *fact graph*: a named graph holding the facts of one record that share
one source, one confidence, one lifecycle phase, one note and one validity. The provenance
graph says, for each fact graph, which entity it is about (``foaf:primaryTopic``), where its
facts come from (``prov:wasDerivedFrom``), how sure they are (``llmkg:confidence``), for
links, their phase (``llmkg:lifecyclePhase``) and, for dated facts, when they held
(``schema:validFrom``, ``schema:validThrough``). So "which facts about BLOOM rest only on curator inference"
is one SPARQL query over standard SPARQL 1.1 datasets; docs/provenance.md shows it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD

from kg.schema.fields import Link, Sourced
from kg.schema.namespace import LLMKG
from kg.schema.records import (
    BenchmarkRecord,
    ComputePartnershipRecord,
    DatasetRecord,
    FindingRecord,
    ForumRecord,
    FrameworkRecord,
    LeaderboardRecord,
    LicenseRecord,
    ModelRecord,
    OrganizationRecord,
    ProjectRecord,
    PublicationRecord,
    Record,
)
from kg.schema.vocabulary import ID, VOCABULARY_FILES

ONTOLOGY_GRAPH = ox.NamedNode("https://w3id.org/llmkg/ns")
PROVENANCE_GRAPH = ox.NamedNode(f"{ID}graph/provenance")

DERIVATION_PREDICATES = {
    "fine-tune": LLMKG.fineTunedFrom,
    "continued-pretraining": LLMKG.continuedPretrainingFrom,
    "merge": LLMKG.mergedFrom,
    "distillation": LLMKG.distilledFrom,
    "quantization": LLMKG.quantizedFrom,
    "adapter": LLMKG.adapterOf,
}
CLASSES = {
    "organization": LLMKG.Organization,
    "project": LLMKG.Project,
    "model": LLMKG.Model,
    "dataset": LLMKG.Dataset,
    "benchmark": LLMKG.Benchmark,
    "framework": LLMKG.Framework,
    "leaderboard": LLMKG.Leaderboard,
    "compute-partnership": LLMKG.ComputePartnership,
    "forum": LLMKG.Forum,
    "publication": LLMKG.Publication,
    "license": LLMKG.License,
    "finding": LLMKG.Finding,
}


def iri(term: str) -> ox.NamedNode:
    """A pyoxigraph IRI from an rdflib namespace term or a string."""
    return ox.NamedNode(str(term))


def entity(kind: str, id_: str) -> ox.NamedNode:
    """The IRI of the record ``kind/id_``.

    Examples
    --------
    >>> entity("model", "bloom").value
    'https://w3id.org/llmkg/id/model/bloom'
    """
    return ox.NamedNode(f"{ID}{kind}/{id_}")


def concept(scheme: str, code: str) -> ox.NamedNode:
    """The IRI of a concept of one of the ontology's vocabularies."""
    return ox.NamedNode(f"{ID}{scheme}/{code}")


@dataclass(frozen=True)
class Qualifiers:
    """What a group of facts shares: where they come from, how sure they are, their phase,
    and when they held."""

    source: str
    confidence: str
    phase: str | None = None
    note: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None

    def graph(self, subject: ox.NamedNode) -> ox.NamedNode:
        """The fact graph of ``subject`` with these qualifiers: stable across builds.

        The validity is part of the key only when it is given, so that undated facts keep the
        fact graphs they had before facts could be dated.
        """
        parts = [self.source, self.confidence, self.phase or "", self.note or ""]
        if self.valid_from or self.valid_until:
            parts += [self.valid_from or "", self.valid_until or ""]
        key = "\x1f".join(parts)
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
        return ox.NamedNode(f"{ID}fact/{subject.value.removeprefix(ID)}/{digest}")


class _Facts:
    """Collects the quads of one record, each in the fact graph of its qualifiers."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self.subject = entity(record.kind, record.id)
        note = record.note if isinstance(record, FindingRecord) else None
        self.default = Qualifiers(str(record.source), record.confidence, note=note)
        self.quads: list[ox.Quad] = []
        self.graphs: dict[ox.NamedNode, Qualifiers] = {}

    def add(self, s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal, q: Qualifiers) -> None:
        graph = q.graph(self.subject)
        self.graphs[graph] = q
        self.quads.append(ox.Quad(s, iri(p), o, graph))

    def value(self, field: str, p: str, objects: Iterable[ox.NamedNode | ox.Literal]) -> None:
        """Plain-field facts, sourced from ``provenance[field]`` where the record gives one."""
        q = self.qualified(self.record.provenance.get(field))
        for o in objects:
            self.add(self.subject, p, o, q)

    def literal(self, field: str, p: str) -> None:
        """The plain field ``field`` as a literal (or a list of literals), if it has a value."""
        value = getattr(self.record, field)
        values = value if isinstance(value, list) else [] if value is None else [value]
        self.value(field, p, (_literal(v) for v in values))

    def date(self, field: str, p: str) -> None:
        """The partial-date field ``field``, typed by its precision."""
        value = getattr(self.record, field)
        self.value(field, p, [_date(value)] if value else [])

    def concepts(self, field: str, p: str, scheme: str) -> None:
        """The plain field ``field`` as concepts of ``scheme``."""
        value = getattr(self.record, field)
        codes = value if isinstance(value, list) else [] if value is None else [value]
        self.value(field, p, (concept(scheme, c) for c in codes))

    def links(self, field: str, p: str, kind: str, *, inverse: bool = False) -> None:
        """Each link of ``field`` to a ``kind`` record; ``inverse`` makes the target the subject."""
        link: Link
        for link in getattr(self.record, field):
            target = entity(kind, link.id)
            s, o = (target, self.subject) if inverse else (self.subject, target)
            self.add(s, p, o, self.qualified(link, link.phase))

    def qualified(self, given: Sourced | None, phase: str | None = None) -> Qualifiers:
        if given is None:
            return self.default
        return Qualifiers(
            str(given.source) if given.source else self.default.source,
            given.confidence or self.default.confidence,
            phase,
            # a finding's note is about its source: facts from the same source keep it
            given.note if given.note or given.source else self.default.note,
            given.valid_from,
            given.valid_until,
        )


DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def _literal(value: object) -> ox.Literal:
    if isinstance(value, bool | int):
        return ox.Literal(value)
    return ox.Literal(str(value))


def _date(value: str) -> ox.Literal:
    """A partial date as xsd:gYear, xsd:gYearMonth or xsd:date, by its precision."""
    return ox.Literal(value, datatype=iri(DATE_TYPES[len(value)]))


def record_quads(record: Record) -> list[ox.Quad]:
    """The quads of one record: its facts in fact graphs, and their provenance."""
    facts = _Facts(record)
    s = facts.subject
    facts.add(s, RDF.type, iri(CLASSES[record.kind]), facts.default)
    facts.add(s, DCTERMS.identifier, ox.Literal(record.id), facts.default)
    facts.literal("name", RDFS.label)
    facts.literal("aliases", SKOS.altLabel)
    facts.literal("description", DCTERMS.description)
    facts.value("homepage", FOAF.homepage, [iri(str(record.homepage))] if record.homepage else [])
    ADDERS[type(record)](facts, record)
    return facts.quads + list(_provenance(facts))


def _provenance(facts: _Facts) -> Iterator[ox.Quad]:
    for graph, q in sorted(facts.graphs.items(), key=lambda item: item[0].value):
        yield from provenance_quads(graph, facts.subject, q)


def provenance_quads(graph: ox.NamedNode, topic: ox.NamedNode, q: Qualifiers) -> Iterator[ox.Quad]:
    """What the provenance graph says of the fact graph ``graph`` about ``topic``."""
    yield ox.Quad(graph, iri(RDF.type), iri(LLMKG.FactGraph), PROVENANCE_GRAPH)
    yield ox.Quad(graph, iri(FOAF.primaryTopic), topic, PROVENANCE_GRAPH)
    yield ox.Quad(graph, iri(PROV.wasDerivedFrom), ox.NamedNode(q.source), PROVENANCE_GRAPH)
    yield ox.Quad(
        graph, iri(LLMKG.confidence), concept("confidence", q.confidence), PROVENANCE_GRAPH
    )
    if q.phase:
        yield ox.Quad(
            graph, iri(LLMKG.lifecyclePhase), concept("lifecycle-phase", q.phase), PROVENANCE_GRAPH
        )
    if q.note:
        yield ox.Quad(graph, iri(RDFS.comment), ox.Literal(q.note), PROVENANCE_GRAPH)
    if q.valid_from:
        yield ox.Quad(graph, iri(SDO.validFrom), _date(q.valid_from), PROVENANCE_GRAPH)
    if q.valid_until:
        yield ox.Quad(graph, iri(SDO.validThrough), _date(q.valid_until), PROVENANCE_GRAPH)


def add_organization(f: _Facts, r: OrganizationRecord) -> None:
    f.concepts("organization_type", LLMKG.organizationType, "organization-type")
    f.concepts("country", LLMKG.basedIn, "place")
    f.value("parent", ORG.subOrganizationOf, [entity("organization", r.parent)] if r.parent else [])


def add_project(f: _Facts, r: ProjectRecord) -> None:
    f.literal("identified", LLMKG.identified)
    f.concepts("governance_model", LLMKG.governanceModel, "governance-model")
    for claim in r.motivations:
        f.add(f.subject, LLMKG.motivation, concept("motivation", claim.id), f.qualified(claim))
    f.links("developers", LLMKG.developedBy, "organization")
    f.links("funders", LLMKG.fundedBy, "organization")
    f.links("partners", LLMKG.partnerOf, "organization", inverse=True)
    f.links("contributors", LLMKG.contributesTo, "organization", inverse=True)
    f.links("compute", LLMKG.computeFrom, "compute-partnership")
    f.links("built_with", LLMKG.builtWith, "framework")
    f.concepts("languages", LLMKG.targetsLanguage, "language")
    f.concepts("regions", LLMKG.targetsRegion, "place")
    f.date("started", SDO.foundingDate)


def _add_artifact(f: _Facts) -> None:
    f.links("developers", LLMKG.developedBy, "organization")
    f.links("maintainers", LLMKG.maintains, "organization", inverse=True)
    f.links("funders", LLMKG.fundedBy, "organization")
    f.links("projects", LLMKG.partOfProject, "project")
    f.links("licenses", LLMKG.licensedUnder, "license")
    f.concepts("languages", LLMKG.targetsLanguage, "language")
    f.concepts("regions", LLMKG.targetsRegion, "place")
    f.date("released", DCTERMS.issued)


def add_model(f: _Facts, r: ModelRecord) -> None:
    _add_artifact(f)
    f.value("family", LLMKG.memberOfFamily, [entity("model", r.family)] if r.family else [])
    f.literal("parameters", LLMKG.parameterCount)
    f.literal("active_parameters", LLMKG.activeParameterCount)
    f.literal("training_tokens", LLMKG.trainingTokens)
    f.literal("language_count", LLMKG.languageCount)
    f.literal("access", LLMKG.access)
    for d in r.derived_from:
        base, q = entity("model", d.id), f.qualified(d, d.phase)
        f.add(f.subject, DERIVATION_PREDICATES[d.kind], base, q)
        f.add(f.subject, LLMKG.derivedFrom, base, q)
    f.links("trained_on", LLMKG.trainedOn, "dataset")
    f.links("evaluated_on", LLMKG.evaluatedOn, "benchmark")
    f.links("built_with", LLMKG.builtWith, "framework")
    f.links("listed_on", LLMKG.listedOn, "leaderboard")
    f.links("compute", LLMKG.computeFrom, "compute-partnership")


def add_dataset(f: _Facts, r: DatasetRecord) -> None:
    _add_artifact(f)
    f.links("derived_from", LLMKG.derivedFrom, "dataset")
    f.links("part_of", DCTERMS.isPartOf, "dataset")
    f.literal("tokens", LLMKG.tokenCount)
    f.literal("size", LLMKG.size)


def add_benchmark(f: _Facts, r: BenchmarkRecord) -> None:
    _add_artifact(f)
    f.links("derived_from", LLMKG.derivedFrom, "benchmark")
    f.links("part_of", DCTERMS.isPartOf, "benchmark")


def add_framework(f: _Facts, r: FrameworkRecord) -> None:
    _add_artifact(f)
    f.value("repository", SDO.codeRepository, [iri(str(r.repository))] if r.repository else [])
    f.links("derived_from", LLMKG.derivedFrom, "framework")
    f.links("built_with", LLMKG.builtWith, "framework")


def add_leaderboard(f: _Facts, r: LeaderboardRecord) -> None:
    _add_artifact(f)
    f.links("benchmarks", LLMKG.includesBenchmark, "benchmark")
    f.links("built_with", LLMKG.builtWith, "framework")


def add_compute_partnership(f: _Facts, r: ComputePartnershipRecord) -> None:
    _add_artifact(f)
    f.links("providers", LLMKG.providedBy, "organization")
    f.literal("facility", LLMKG.facility)
    f.literal("resources", LLMKG.resources)


def add_forum(f: _Facts, r: ForumRecord) -> None:
    _add_artifact(f)
    f.literal("platform", LLMKG.platform)
    f.links("hosts", LLMKG.hostsForum, "organization", inverse=True)
    f.literal("members", LLMKG.memberCount)


def add_publication(f: _Facts, r: PublicationRecord) -> None:
    f.literal("arxiv", LLMKG.arxivId)
    f.literal("doi", LLMKG.doi)
    f.literal("authors", LLMKG.authorName)
    f.value("authors", LLMKG.authorList, [ox.Literal("; ".join(r.authors))] if r.authors else [])
    f.date("published", DCTERMS.issued)
    for about in r.describes:
        kind, _, id_ = about.id.partition("/")
        f.add(f.subject, LLMKG.describes, entity(kind, id_), f.qualified(about))
    f.links("studies", LLMKG.studies, "project")


def add_license(f: _Facts, r: LicenseRecord) -> None:
    f.literal("spdx", LLMKG.spdxId)
    f.literal("license_type", LLMKG.licenseType)
    f.literal("osi_approved", LLMKG.osiApproved)


def add_finding(f: _Facts, r: FindingRecord) -> None:
    f.concepts("finding_type", LLMKG.findingType, "finding-type")
    f.concepts("stakeholders", LLMKG.stakeholderGroup, "stakeholder-group")
    f.concepts("domains", LLMKG.collaborationDomain, "collaboration-domain")
    f.concepts("phases", LLMKG.aboutPhase, "lifecycle-phase")
    for about in r.about:
        kind, _, id_ = about.id.partition("/")
        f.add(f.subject, LLMKG.about, entity(kind, id_), f.qualified(about))


ADDERS: dict[type[Record], Callable[[_Facts, Any], None]] = {
    OrganizationRecord: add_organization,
    ProjectRecord: add_project,
    ModelRecord: add_model,
    DatasetRecord: add_dataset,
    BenchmarkRecord: add_benchmark,
    FrameworkRecord: add_framework,
    LeaderboardRecord: add_leaderboard,
    ComputePartnershipRecord: add_compute_partnership,
    ForumRecord: add_forum,
    PublicationRecord: add_publication,
    LicenseRecord: add_license,
    FindingRecord: add_finding,
}


def ontology_quads(ontology_dir: Path) -> Iterator[ox.Quad]:
    """The ontology and its vocabularies, in the ontology graph."""
    for name in ("llmkg.ttl", *VOCABULARY_FILES):
        for triple in ox.parse(path=ontology_dir / name, format=ox.RdfFormat.TURTLE):
            yield ox.Quad(triple.subject, triple.predicate, triple.object, ONTOLOGY_GRAPH)


def build_graph(records: Iterable[Record], ontology_dir: Path) -> ox.Store:
    """Records and the ontology -> an in-memory pyoxigraph Store.

    Examples
    --------
    >>> from kg.schema.records import LicenseRecord
    >>> from kg.settings import Settings
    >>> mit = LicenseRecord(id="mit", name="MIT License", source="https://spdx.org/licenses/MIT.html",
    ...                     confidence="public-record", license_type="permissive")
    >>> store = build_graph([mit], Settings().ontology_dir)
    >>> bool(store.query("ASK { <https://w3id.org/llmkg/id/license/mit> a ?c }",
    ...                  use_default_graph_as_union=True))
    True
    """
    store = ox.Store()
    store.bulk_extend(ontology_quads(ontology_dir))
    for record in records:
        store.bulk_extend(record_quads(record))
    return store
