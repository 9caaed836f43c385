"""Counts that describe the built graph, for ``kg build`` and ``kg stats``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.graph import KnowledgeGraph
from kg.sparql.results import render_table, short

if TYPE_CHECKING:
    from kg.pipeline import Build

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?entity) AS ?entities) WHERE {
  ?entity a ?class ; dcterms:identifier ?id .
} GROUP BY ?class ORDER BY ?class
"""

FACT_COUNTS = """
SELECT ?confidence ?phase (COUNT(*) AS ?triples) WHERE {
  GRAPH ?g { ?s ?p ?o }
  GRAPH <https://w3id.org/llmkg/id/graph/provenance> {
    ?g llmkg:confidence ?confidence .
    OPTIONAL { ?g llmkg:lifecyclePhase ?phase }
  }
} GROUP BY ?confidence ?phase ORDER BY ?confidence ?phase
"""


def _rows(kg: KnowledgeGraph, sparql: str) -> list[list[str]]:
    result = kg.query(sparql, prefixes=True)
    assert isinstance(result, ox.QuerySolutions)  # noqa: S101 -- a SELECT query
    names = [v.value for v in result.variables]
    return [[short(s[n]) for n in names] for s in result]


def summary(built: Build) -> str:
    """Entities, links and quads, the imports, then the number of curated entities per class."""
    rdf = built.graph.rdf
    graphs = sum(1 for _ in rdf.named_graphs())
    head = (
        f"open-llm-kg: {len(built.records)} entities, {built.link_count()} links, "
        f"{len(rdf)} quads in {graphs} graphs\n"
    )
    for entry in built.imports:
        head += (
            f"imported {entry.name}: {entry.imported} of {entry.records} records, "
            f"{entry.quads} quads (commit {entry.commit[:12]})\n"
        )
    return head + "\n" + render_table(["class", "entities"], _rows(built.graph, CLASS_COUNTS))


def fact_counts(kg: KnowledgeGraph) -> tuple[list[str], list[list[str]]]:
    """Triples in fact graphs per confidence and lifecycle phase."""
    return ["confidence", "phase", "triples"], _rows(kg, FACT_COUNTS)
