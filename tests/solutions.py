"""SELECT answers of a knowledge graph as rows of short strings, for exact assertions."""

from __future__ import annotations

import pyoxigraph as ox

from kg.graph import KnowledgeGraph
from kg.settings import Settings
from kg.sparql.results import short

QUERIES = Settings().ontology_dir / "queries"


def select(kg: KnowledgeGraph, sparql: str) -> list[dict[str, str]]:
    """The rows of ``sparql`` (``kg query``'s prefixes predeclared), each value shortened."""
    result = kg.query(sparql, prefixes=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: short(s[n]) for n in names} for s in result]


def run(kg: KnowledgeGraph, name: str) -> list[dict[str, str]]:
    """The rows of the query file ``ontology/queries/<name>``."""
    return select(kg, (QUERIES / name).read_text(encoding="utf-8"))
