"""The knowledge graph as readers see it: a store and read-only SPARQL over the union of its graphs.

Readers (``kg.read``, ``kg.networks``, the web app) take a :class:`KnowledgeGraph` and need
nothing else: no records, no SHACL, no networkx. :func:`kg.pipeline.build` makes one from data/,
``kg serve`` opens one over an on-disk store or a remote SPARQL service.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import query_error
from kg.schema.vocabulary import PREFIXES
from kg.sparql.dataset import Dataset
from kg.store.remote import RemoteStore

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Store = ox.Store | RemoteStore
"""What a graph is read from: an in-memory or on-disk Oxigraph store, or a remote SPARQL service."""


@dataclass(frozen=True)
class KnowledgeGraph:
    """A store of the graph's quads (facts, provenance, ontology), read-only once made."""

    rdf: Store

    def query(self, sparql: str, *, prefixes: bool = False) -> QueryResult:
        """Run a read-only SPARQL query: over the union of all graphs, or its own ``FROM``.

        Parameters
        ----------
        sparql
            A SELECT, ASK, CONSTRUCT or DESCRIBE query.
        prefixes
            Prepend the PREFIX declarations of :data:`kg.schema.vocabulary.PREFIXES`.

        Raises
        ------
        QueryError
            If the query does not parse or cannot be evaluated.
        """
        try:
            options = Dataset().query_options(sparql)
            declared = PREFIXES if prefixes else None
            return self.rdf.query(sparql, prefixes=declared, **options)  # type: ignore[arg-type]
        except (SyntaxError, OSError, RuntimeError, ValueError) as exc:
            raise query_error(exc) from None

    def __len__(self) -> int:
        """Number of quads."""
        return len(self.rdf)
