"""The SPARQL helpers every lookup shares: SELECT rows, the text of a term, a safe IRI."""

from __future__ import annotations

import pyoxigraph as ox

from kg.graph import KnowledgeGraph


def select_rows(kg: KnowledgeGraph, sparql: str) -> list[dict[str, object]]:
    """The rows of the SELECT query ``sparql`` (the usual prefixes predeclared), by variable."""
    result = kg.query(sparql, prefixes=True)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("a SELECT query was expected")
    names = [v.value for v in result.variables]
    return [{n: s[n] for n in names} for s in result]


def term_text(term: object) -> str | None:
    """The IRI or lexical form of an RDF term; None for an unbound variable."""
    return None if term is None else str(getattr(term, "value", term))


def sparql_iri(value: str) -> str:
    """``value`` as an IRI in SPARQL; ValueError if it cannot be one (quotes, spaces, ``<>``)."""
    return str(ox.NamedNode(value))
