"""The one place the stages are chained: data/ -> records -> quads (+ imports) -> SHACL -> graph.

::

    data/*.yaml --load_records--> records --build_graph--> Store --+ load_imports --check_shapes-->
        Build(records, KnowledgeGraph, imports)

What reads the result: ``kg.compile.dumps`` (build/), ``kg.store.local`` (the served store),
``kg.networks.projection.to_networkx`` (the collaboration networks), ``kg.read`` (lookups).
"""

from __future__ import annotations

import difflib
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from kg.compile.load import load_records, references
from kg.compile.rdf import build_graph
from kg.compile.shapes import check_shapes
from kg.errors import NotFoundError
from kg.graph import KnowledgeGraph
from kg.importers.saved import ImportedCatalogue, load_imports
from kg.schema.records import Record
from kg.schema.vocabulary import load_vocabulary
from kg.settings import Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Build:
    """What :func:`build` makes: the validated records, the graph built from them and the
    imported catalogues. Read-only once built."""

    records: Mapping[tuple[str, str], Record]
    graph: KnowledgeGraph
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

    def link_count(self) -> int:
        """Number of curated entity-to-entity links: distinct (entity, relation, entity).

        A link two records state, or one record states twice from two sources, counts once.
        """
        return len(
            {
                (r.kind, r.id, field.split("[")[0], target, ref)
                for r in self.records.values()
                for field, target, ref in references(r)
            }
        )

    def kind_counts(self) -> Counter[str]:
        """Number of records of each kind."""
        return Counter(kind for kind, _ in self.records)


def build(settings: Settings) -> Build:
    """Load, validate and build the knowledge graph, imports included.

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
    by_key = {(r.kind, r.id): r for r in records}
    return Build(by_key, KnowledgeGraph(store), tuple(imports))
