"""The knowledge graph as readers see it: a store and read-only SPARQL over the union of its graphs.

Readers (``kg.read``, ``kg.networks``, the web app) take a :class:`KnowledgeGraph` and need
nothing else: no records, no SHACL, no networkx. :func:`kg.pipeline.build` makes one from data/,
``kg serve`` opens one over an on-disk store or a remote SPARQL service.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import query_error
from kg.schema.vocabulary import PREFIXES
from kg.sparql.dataset import Dataset
from kg.store.remote import RemoteStore

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Store = ox.Store | RemoteStore
"""What a graph is read from: an in-memory or on-disk Oxigraph store, or a remote SPARQL service."""


TERM_CACHE = 65536
"""Answers :class:`TermCache` keeps: the vocabulary's few hundred terms and the most recently
read others."""


class TermCache:
    """What lookups read again and again of a graph that does not change (the label of a
    property, the code of a confidence level): the last :data:`TERM_CACHE` answers, by key."""

    def __init__(self, size: int = TERM_CACHE) -> None:
        self.size = size
        self.answers: OrderedDict[tuple[str, str], str | None] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str], read: Callable[[], str | None]) -> str | None:
        """The answer kept for ``key``, else ``read()`` (then kept)."""
        with self.lock:
            if key in self.answers:
                self.answers.move_to_end(key)
                return self.answers[key]
        answer = read()
        with self.lock:
            self.answers[key] = answer
            if len(self.answers) > self.size:
                self.answers.popitem(last=False)
        return answer


@dataclass(frozen=True)
class KnowledgeGraph:
    """A store of the graph's quads (facts, provenance, ontology), read-only once made."""

    rdf: Store
    terms: TermCache = field(default_factory=TermCache, compare=False, repr=False)
    """Labels and codes of terms, read from ``rdf`` once (it does not change)."""

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
