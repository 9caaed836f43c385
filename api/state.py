"""The application state: everything a request may read, made once in ``create_app``."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field

import networkx as nx

from kg.errors import WarmingUpError
from kg.graph import KnowledgeGraph
from kg.read.search import SearchIndex
from kg.report.cache import ReportCache
from kg.settings import Settings
from kg.sparql.workers import QueryPool


@dataclass(frozen=True)
class Warm:
    """What the app builds once per served store, in the background after start-up (slow on
    large stores): the networkx projection, the search index, the imported catalogues."""

    projection: nx.MultiDiGraph
    search: SearchIndex
    quads: int
    catalogues: frozenset[str]


@dataclass(frozen=True)
class AppState:
    """The served graph, its query workers and settings, and what warm-up makes of the graph.

    ``warm`` is completed once by the warm-up thread; :meth:`ready` reads it.
    """

    settings: Settings
    graph: KnowledgeGraph
    pool: QueryPool
    reports: ReportCache = field(default_factory=ReportCache)
    warm: Future[Warm] = field(default_factory=Future)

    def ready(self) -> Warm:
        """The projection and search index, or WarmingUpError (503) while they are built; the
        error that stopped warm-up if it failed."""
        if not self.warm.done():
            raise WarmingUpError(
                "the search index and collaboration graph are being built; retry in a few seconds"
            )
        return self.warm.result()
