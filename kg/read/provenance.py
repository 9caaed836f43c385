"""What the provenance graph says of fact graphs (source, confidence, phase, note, validity),
and which facts held on a date.

A fact holds as of a date unless its fact graph is valid from a later date or valid through an
earlier one (``schema:validFrom``, ``schema:validThrough``); an undated fact holds on every
date. Partial dates compare at the precision of the less precise one, so a fact valid through
2024 holds on 2024-12-31, and ``as_of=2024`` keeps the facts that held at any time in 2024
(:func:`kg.schema.fields.holds_on`).
"""

from __future__ import annotations

from datetime import date
from functools import partial

import pyoxigraph as ox

from kg.errors import ParameterError
from kg.graph import KnowledgeGraph
from kg.read.rows import select_rows, sparql_iri, term_text
from kg.schema.fields import DATE, holds_on
from kg.schema.vocabulary import PREFIXES

FIELDS = ("source", "confidence", "phase", "note", "valid_from", "valid_until")
Qualifiers = dict[str, str | None]


def fact_provenance(kg: KnowledgeGraph, graphs: set[str]) -> dict[str, Qualifiers]:
    """Source, confidence, phase, note and validity of each fact graph in ``graphs``."""
    if not graphs:
        return {}
    if isinstance(kg.rdf, ox.Store):
        return {g: _graph_provenance(kg, kg.rdf, g) for g in graphs}
    rows = select_rows(
        kg,
        f"""SELECT ?g ?source ?confidence ?phase ?note ?valid_from ?valid_until WHERE {{
          VALUES ?g {{ {" ".join(sparql_iri(g) for g in sorted(graphs))} }}
          OPTIONAL {{ ?g prov:wasDerivedFrom ?source }}
          OPTIONAL {{ ?g llmkg:confidence ?c . ?c skos:notation ?confidence }}
          OPTIONAL {{ ?g llmkg:lifecyclePhase ?ph . ?ph skos:notation ?phase }}
          OPTIONAL {{ ?g rdfs:comment ?note }}
          OPTIONAL {{ ?g schema:validFrom ?valid_from }}
          OPTIONAL {{ ?g schema:validThrough ?valid_until }} }}""",
    )
    return {
        str(term_text(r["g"])): {k: term_text(r[k]) for k in FIELDS} | {"graph": term_text(r["g"])}
        for r in rows
    }


_DIRECT = {
    f"{PREFIXES['prov']}wasDerivedFrom": "source",
    f"{PREFIXES['rdfs']}comment": "note",
    f"{PREFIXES['schema']}validFrom": "valid_from",
    f"{PREFIXES['schema']}validThrough": "valid_until",
}
_CODED = {
    f"{PREFIXES['llmkg']}confidence": "confidence",
    f"{PREFIXES['llmkg']}lifecyclePhase": "phase",
}
_NOTATION = ox.NamedNode(f"{PREFIXES['skos']}notation")


def _graph_provenance(kg: KnowledgeGraph, store: ox.Store, graph: str) -> Qualifiers:
    """:func:`fact_provenance` of one graph, read from the store's indexes (a seek per graph,
    and one per concept not read before), as the query reads it: the code (``skos:notation``)
    of the confidence and the phase."""
    found = no_provenance(graph)
    for quad in store.quads_for_pattern(ox.NamedNode(graph), None, None):
        predicate = quad.predicate.value
        if predicate in _DIRECT:
            found[_DIRECT[predicate]] = term_text(quad.object)
        elif predicate in _CODED and isinstance(quad.object, ox.NamedNode):
            concept = quad.object
            found[_CODED[predicate]] = kg.terms.get(
                ("notation", concept.value), partial(_notation, store, concept)
            )
    return found


def _notation(store: ox.Store, concept: ox.NamedNode) -> str | None:
    for quad in store.quads_for_pattern(concept, _NOTATION, None):
        return term_text(quad.object)
    return None


def no_provenance(graph: str | None) -> Qualifiers:
    """The qualifiers of a fact outside any described fact graph: all unknown."""
    return dict.fromkeys(FIELDS) | {"graph": graph}


def as_of_date(value: str) -> str:
    """``value`` if it is a date (2024, 2024-03 or 2024-03-15), else ParameterError.

    Examples
    --------
    >>> as_of_date("2024-02")
    '2024-02'
    >>> as_of_date("2024-02-30")
    Traceback (most recent call last):
    ...
    kg.errors.ParameterError: as_of '2024-02-30' is not a date: day is out of range for month
    """
    if not DATE.fullmatch(value):
        raise ParameterError(
            f"as_of {value[:40]!r} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD"
            " (2024, 2024-03 or 2024-03-15)"
        )
    year, month, day = ([*map(int, value.split("-")), 1, 1])[:3]
    try:
        date(year, month, day)
    except ValueError as exc:
        raise ParameterError(f"as_of {value!r} is not a date: {exc}") from None
    return value


def held(qualifiers: Qualifiers, as_of: str | None) -> bool:
    """True if the facts with these qualifiers held as of ``as_of`` (always, if it is None)."""
    return as_of is None or holds_on(qualifiers["valid_from"], qualifiers["valid_until"], as_of)
