"""The whole pipeline: ``build()`` chains records -> RDF -> SHACL into a KnowledgeGraph."""

from __future__ import annotations

import difflib
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from networkx import MultiDiGraph

from kg.errors import NotFoundError, QueryError
from kg.load import load_records, references
from kg.network import to_networkx
from kg.rdf import build_graph
from kg.records import KINDS, Record
from kg.settings import Settings
from kg.shapes import check_shapes
from kg.vocabulary import ID, SCHEMES, load_vocabulary

logger = logging.getLogger(__name__)

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

PREFIXES = {
    "llmkg": "https://w3id.org/llmkg/ns#",
    **{kind: f"{ID}{kind}/" for kind in KINDS},
    **{scheme: f"{ID}{scheme}/" for scheme in SCHEMES},
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "fair4ml": "https://w3id.org/fair4ml#",
    "void": "http://rdfs.org/ns/void#",
}
"""Prefixes of the dumps, and of queries run with ``KnowledgeGraph.query(prefixes=True)``:
one per record kind (``model:bloom``) and per concept scheme (``lifecycle-phase:pre-training``)."""


@dataclass(frozen=True)
class KnowledgeGraph:
    """The built graph: validated records, their RDF store and its networkx projection.

    Read-only once built. ``nx`` is :func:`kg.network.to_networkx` of ``rdf``.
    """

    records: Mapping[tuple[str, str], Record]
    rdf: ox.Store
    nx: MultiDiGraph

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
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"SPARQL evaluation error: {exc}") from None

    def link_count(self) -> int:
        """Number of curated entity-to-entity links (one per reference in a record)."""
        return sum(1 for r in self.records.values() for _ in references(r))

    def kind_counts(self) -> Counter[str]:
        """Number of records of each kind."""
        return Counter(kind for kind, _ in self.records)


def build(settings: Settings) -> KnowledgeGraph:
    """Load, validate, build and project the knowledge graph: the only place the pipeline is chained.

    Raises
    ------
    RecordError
        If any record is invalid (every problem at once).
    ShapeError
        If the built graph violates ontology/shapes.ttl.
    """
    vocabulary = load_vocabulary(settings.ontology_dir)
    records = load_records(settings.data_dir, vocabulary)
    store = build_graph(records, settings.ontology_dir)
    check_shapes(store, settings.ontology_dir / "shapes.ttl")
    logger.info("built %d quads from %d records", len(store), len(records))
    return KnowledgeGraph({(r.kind, r.id): r for r in records}, store, to_networkx(store))
