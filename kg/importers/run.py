"""``kg import``: read a catalogue, resolve its names, keep what conforms, save it.

The imported facts are checked against ontology/shapes.ttl together with the curated graph and
the other imports; a record whose facts break a shape is left out and reported with the
shape's message, so an import never makes ``kg build`` fail.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SDO

from kg.compile.load import load_records
from kg.compile.rdf import ONTOLOGY_GRAPH, PROVENANCE_GRAPH, build_graph, iri
from kg.compile.shapes import shape_violations
from kg.errors import CatalogueError, ShapeError
from kg.importers.aliases import load_aliases
from kg.importers.catalogue import Catalogue, Report, Snapshot
from kg.importers.facts import RecordFacts, catalogue_iri
from kg.importers.hf import CATALOGUE as HF
from kg.importers.mot import CATALOGUE as MOT
from kg.importers.os_ai_map import CATALOGUE as OS_AI_MAP
from kg.importers.osai import CATALOGUE as OSAI
from kg.importers.resolve import Resolver
from kg.importers.saved import (
    DISAGREEMENTS_FILE,
    ImportedCatalogue,
    importing,
    load_imports,
    read_manifest,
    remove_import,
    save_import,
)
from kg.schema.namespace import LLMKG
from kg.schema.records import KINDS, Record
from kg.schema.vocabulary import ID, PREFIXES, load_vocabulary
from kg.settings import Settings
from kg.sparql.results import short

logger = logging.getLogger(__name__)

CATALOGUES: dict[str, Catalogue] = {c.name: c for c in (OSAI, MOT, OS_AI_MAP, HF)}
"""The catalogues ``kg import`` knows, by the name its subcommands use."""
ENTITY_KINDS = (*KINDS, "software")
DISAGREEMENTS = "imports-mof-disagreements.rq"
MAX_ROUNDS = 3
CHECK_BATCH = 2000
RDF_TYPE = iri(RDF.type)


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: its manifest entry, its report, the openness disagreements found."""

    entry: ImportedCatalogue
    report: Report
    disagreements: list[dict[str, str]]


def import_catalogue(
    settings: Settings, name: str, directory: Path, commit: str | None = None
) -> ImportOutcome:
    """Import the catalogue ``name`` from ``directory`` into ``settings.imports_dir``.

    Raises
    ------
    CatalogueError
        If the directory is not a snapshot of the catalogue, or the imports are stale.
    RecordError
        If data/ or data/aliases.yaml is invalid (names resolve against them).
    LockedError
        If another process is writing the imports (checked first).
    """
    with importing(settings.imports_dir):
        return _import(settings, CATALOGUES[name], directory, commit)


def _import(
    settings: Settings, catalogue: Catalogue, directory: Path, commit: str | None
) -> ImportOutcome:
    name = catalogue.name
    snapshot = catalogue.snapshot(directory, commit)
    records, store = _graph(settings, without=name)
    resolver = Resolver(records, load_aliases(settings.data_dir / "aliases.yaml", records))
    report = Report()
    facts = catalogue.read(snapshot, resolver, report)
    curated = {f"{r.kind}/{r.id}" for r in records}
    c = catalogue_iri(name)
    kept = keep_conforming(store, facts, settings.ontology_dir / "shapes.ttl", report, c)
    quads = [*catalogue_quads(catalogue, snapshot), *(q for f in kept for q in f.all_quads(c))]
    store.bulk_extend(quads)
    entry = _entry(catalogue, snapshot, report, quads, curated)
    found = disagreements(store, settings.ontology_dir)
    also = {DISAGREEMENTS_FILE: disagreements_tsv(found)}
    entry = save_import(settings.imports_dir, entry, quads, report.tsv(), also)
    return ImportOutcome(entry, report, found)


def remove_catalogue(settings: Settings, name: str) -> ImportedCatalogue:
    """Forget the import ``name``, delete its files and recompute the disagreements.

    Raises
    ------
    CatalogueError
        If nothing was imported under ``name``.
    LockedError
        If another process is writing the imports.
    """
    with importing(settings.imports_dir):
        manifest = read_manifest(settings.imports_dir)
        if name not in manifest:
            known = ", ".join(sorted(manifest)) or "none"
            raise CatalogueError(f"no import named {name!r} (imported: {known})")
        _, store = _graph(settings, without=name)
        also = {DISAGREEMENTS_FILE: disagreements_tsv(disagreements(store, settings.ontology_dir))}
        return remove_import(settings.imports_dir, name, also)


def _graph(settings: Settings, without: str | None = None) -> tuple[list[Record], ox.Store]:
    """The curated records, and their graph with every import but ``without`` (unchecked)."""
    records = load_records(settings.data_dir, load_vocabulary(settings.ontology_dir))
    store = build_graph(records, settings.ontology_dir)
    curated = {f"{r.kind}/{r.id}" for r in records}
    store.bulk_extend(load_imports(settings.imports_dir, curated, without=without)[1])
    return records, store


def catalogue_quads(catalogue: Catalogue, snapshot: Snapshot) -> list[ox.Quad]:
    """The catalogue snapshot, described in the provenance graph: what every import fact's
    source file is part of, with the license and attribution the catalogue asks for."""
    c = catalogue_iri(catalogue.name)
    pairs: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (RDF.type, iri(LLMKG.Catalogue)),
        (RDFS.label, ox.Literal(catalogue.title)),
        (DCTERMS.title, ox.Literal(catalogue.title)),
        (FOAF.homepage, ox.NamedNode(catalogue.homepage)),
        (SDO.codeRepository, ox.NamedNode(catalogue.repository)),
        (LLMKG.commit, ox.Literal(snapshot.commit)),
        (DCTERMS.license, ox.NamedNode(catalogue.license_url)),
        (DCTERMS.bibliographicCitation, ox.Literal(catalogue.attribution)),
    ]
    return [ox.Quad(c, iri(p), o, PROVENANCE_GRAPH) for p, o in pairs]


def keep_conforming(
    store: ox.Store,
    facts: list[RecordFacts],
    shapes: Path,
    report: Report,
    catalogue: ox.NamedNode,
) -> list[RecordFacts]:
    """The records whose facts, with the rest, conform to ``shapes``; the others are reported.

    More than :data:`CHECK_BATCH` records (a Hub snapshot) are checked a batch at a time, each
    with what its facts touch: the ontology, the store's facts about the entities they name
    (and those facts' provenance) and the other records that state those entities; a
    violation no record of the batch owns is the context's, checked by ``kg build``. pySHACL's
    time grows faster than the graph: one check of 100 000 models would take hours.
    """
    if len(facts) <= CHECK_BATCH:
        return _keep_conforming(store, facts, shapes, report, catalogue)
    owner: dict[object, int] = {}
    for i, f in enumerate(facts):
        for q in f.quads:
            owner.setdefault(q.subject, i)
    ontology = list(store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH))
    kept: list[RecordFacts] = []
    for start in range(0, len(facts), CHECK_BATCH):
        batch = facts[start : start + CHECK_BATCH]
        context = ox.Store()
        context.bulk_extend(ontology)
        nodes = {t for f in batch for q in f.quads for t in (q.subject, q.object)}
        others = {owner[n] for n in nodes if n in owner} - set(range(start, start + len(batch)))
        for j in sorted(others):  # records of other batches that batch's facts name
            context.bulk_extend(facts[j].all_quads(catalogue))
        for node in nodes:
            if not isinstance(node, ox.NamedNode):
                continue
            known = list(store.quads_for_pattern(node, None, None))
            context.bulk_extend(known)
            for o in {q.object for q in known if isinstance(q.object, ox.NamedNode)}:
                context.bulk_extend(
                    ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                    for q in store.quads_for_pattern(o, RDF_TYPE, None)
                )
            for g in {q.graph_name for q in known if isinstance(q.graph_name, ox.NamedNode)}:
                context.bulk_extend(store.quads_for_pattern(g, None, None, PROVENANCE_GRAPH))
        kept += _keep_conforming(context, batch, shapes, report, catalogue, context=True)
    return kept


def _keep_conforming(
    store: ox.Store,
    facts: list[RecordFacts],
    shapes: Path,
    report: Report,
    catalogue: ox.NamedNode,
    *,
    context: bool = False,
) -> list[RecordFacts]:
    """``facts`` less the records that break ``shapes`` in ``store``; with ``context``, the
    store is only what the facts touch, so violations no record owns are not its own."""
    kept = list(facts)
    for _ in range(MAX_ROUNDS):
        trial = ox.Store()
        trial.bulk_extend(store)
        trial.bulk_extend(q for f in kept for q in f.all_quads(catalogue))
        violations = shape_violations(trial, shapes)
        if not violations:
            return kept
        owners: dict[ox.NamedNode, list[int]] = defaultdict(list)
        for i, f in enumerate(kept):
            mine = set(f.graphs) | {
                q.subject for q in f.quads if isinstance(q.subject, ox.NamedNode)
            }
            for node in mine:
                owners[node].append(i)
        broken: dict[int, str] = {}
        for focus, message in violations:
            if focus.startswith("http"):
                for i in owners.get(ox.NamedNode(focus), []):
                    broken.setdefault(i, f"{message} ({focus})")
        if not broken and context:
            return kept
        if not broken:
            break
        for i, message in sorted(broken.items()):
            report.skip(kept[i].path, "(shapes)", message)
        kept = [f for i, f in enumerate(kept) if i not in broken]
    lines = "\n".join(f"{focus}: {message}" for focus, message in violations[:20])
    raise ShapeError(lines, len(violations))


def _entry(
    catalogue: Catalogue,
    snapshot: Snapshot,
    report: Report,
    quads: list[ox.Quad],
    curated: set[str],
) -> ImportedCatalogue:
    refs = sorted(_entities(quads))
    typed = {(q.subject, q.object) for q in quads if q.predicate == RDF_TYPE}
    classes = Counter(short(o) for s, o in typed if _entity_ref(s) is not None)
    return ImportedCatalogue(
        name=catalogue.name,
        title=catalogue.title,
        repository=catalogue.repository,
        commit=snapshot.commit,
        license=catalogue.license,
        directory=str(snapshot.location),
        file=f"{catalogue.name}.nq",
        report=f"{catalogue.name}-report.tsv",
        records=report.records,
        imported=report.records - len(report.skipped),
        skipped=len(report.skipped),
        unresolved=len({(u.kind, u.name) for u in report.unresolved}),
        quads=len(quads),
        entities=dict(sorted(classes.items())),
        curated_links=[r for r in refs if r in curated],
        new_entities=[r for r in refs if r not in curated],
    )


def _entities(quads: Iterable[ox.Quad]) -> set[str]:
    found = set()
    for q in quads:
        for term in (q.subject, q.object):
            ref = _entity_ref(term)
            if ref is not None:
                found.add(ref)
    return found


def _entity_ref(term: object) -> str | None:
    """``kind/id`` if ``term`` is the IRI of an entity (not of a concept or a fact graph)."""
    if not isinstance(term, ox.NamedNode) or not term.value.startswith(ID):
        return None
    kind, _, id_ = term.value.removeprefix(ID).partition("/")
    return f"{kind}/{id_}" if kind in ENTITY_KINDS and id_ and "/" not in id_ else None


def disagreements(store: ox.Store, ontology_dir: Path) -> list[dict[str, str]]:
    """Where the MOF class computed from the Model Openness Tool contradicts another catalogue's
    judgement of the same model (ontology/queries/imports-mof-disagreements.rq)."""
    sparql = (ontology_dir / "queries" / DISAGREEMENTS).read_text("utf-8")
    result = store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
    if not isinstance(result, ox.QuerySolutions):
        raise CatalogueError(f"{DISAGREEMENTS} must be a SELECT query")
    names = [v.value for v in result.variables]
    return [{n: short(s[n]) for n in names} for s in result]


def disagreements_tsv(rows: list[dict[str, str]]) -> str:
    """The disagreements as the TSV file kept next to the imports.

    Examples
    --------
    >>> disagreements_tsv([{"model": "model:x", "aspect": "weights"}]).splitlines()
    ['model\\taspect', 'model:x\\tweights']
    """
    header = list(rows[0]) if rows else ["model"]
    lines = ["\t".join(header), *("\t".join(r[h] for h in header) for r in rows)]
    return "\n".join(lines) + "\n"
