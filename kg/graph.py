"""The whole pipeline: ``build()`` chains records -> RDF -> SHACL into a KnowledgeGraph."""

from __future__ import annotations

import difflib
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from networkx import MultiDiGraph

from kg.compile.load import load_records, references
from kg.compile.rdf import build_graph
from kg.compile.shapes import check_shapes
from kg.errors import NotFoundError, query_error
from kg.importers.saved import ImportedCatalogue, load_imports
from kg.networks.projection import to_networkx
from kg.schema.records import Record
from kg.schema.vocabulary import PREFIXES, load_vocabulary
from kg.settings import Settings
from kg.store.remote import RemoteStore

logger = logging.getLogger(__name__)

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
__all__ = ["PREFIXES", "KnowledgeGraph", "QueryResult", "build"]


@dataclass(frozen=True)
class KnowledgeGraph:
    """The built graph: validated records, their RDF store, its networkx projection and the
    imported catalogues. Read-only once built; ``nx`` is :func:`kg.networks.projection.to_networkx` of
    ``rdf``."""

    records: Mapping[tuple[str, str], Record]
    rdf: ox.Store | RemoteStore
    nx: MultiDiGraph
    imports: tuple[ImportedCatalogue, ...] = ()

    def record(self, kind: str, id_: str) -> Record:
        """The record ``kind/id_``, or NotFoundError naming the closest id."""
        try:
            return self.records[(kind, id_)]
        except KeyError:
            known = [i for k, i in self.records if k == kind]
            match = difflib.get_close_matches(id_, known, n=1)
            hint = f" (did you mean {match[0]!r}?)" if match else ""
            raise NotFoundError(f"no {kind} with id {id_!r}{hint}") from None

    def query(self, sparql: str, *, prefixes: bool = False) -> QueryResult:
        """Run a read-only SPARQL query over the union of all graphs.

        Parameters
        ----------
        sparql
            A SELECT, ASK, CONSTRUCT or DESCRIBE query.
        prefixes
            Prepend the PREFIX declarations of :data:`PREFIXES`.

        Raises
        ------
        QueryError
            If the query does not parse or cannot be evaluated.
        """
        try:
            return self.rdf.query(
                sparql, prefixes=PREFIXES if prefixes else None, use_default_graph_as_union=True
            )
        except (SyntaxError, OSError, RuntimeError, ValueError) as exc:
            raise query_error(exc) from None

    def link_count(self) -> int:
        """Number of curated entity-to-entity links (one per reference in a record)."""
        return sum(1 for r in self.records.values() for _ in references(r))

    def kind_counts(self) -> Counter[str]:
        """Number of records of each kind."""
        return Counter(kind for kind, _ in self.records)


def build(settings: Settings) -> KnowledgeGraph:
    """Load, validate, build and project the knowledge graph, imports included: the only
    place the pipeline is chained.

    Raises
    ------
    RecordError
        If any record is invalid (every problem at once).
    CatalogueError
        If an import cannot be read or no longer fits the records.
    ShapeError
        If the built graph violates ontology/shapes.ttl.
    """
    vocabulary = load_vocabulary(settings.ontology_dir)
    records = load_records(settings.data_dir, vocabulary)
    store = build_graph(records, settings.ontology_dir)
    curated = {f"{r.kind}/{r.id}" for r in records}
    imports, quads = load_imports(settings.imports_dir, curated)
    store.bulk_extend(quads)
    check_shapes(store, settings.ontology_dir / "shapes.ttl")
    logger.info(
        "built %d quads from %d records and %d imports", len(store), len(records), len(imports)
    )
    records_by_key = {(r.kind, r.id): r for r in records}
    return KnowledgeGraph(records_by_key, store, to_networkx(store), tuple(imports))
