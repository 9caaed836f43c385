"""The RDF dataset a SPARQL query runs on: the protocol's parameters or the query's own.

Small on purpose: :class:`kg.graph.KnowledgeGraph` and the HTTP endpoint share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

import pyoxigraph as ox

from kg.errors import QueryError

_ESCAPES = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_STRIP = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*'
)
_FROM = re.compile(r"(?<![?$:\w])FROM\b(?!:)", re.IGNORECASE)
_PROSE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*'
)
_FROM_IRI = re.compile(r"(?<![?$:\w])FROM\s+(NAMED\s+)?<([^<>\s]*)>", re.IGNORECASE)


def keywords(sparql: str) -> str:
    """``sparql`` with escapes decoded and strings, IRIs and comments blanked: its keywords."""
    decoded = _ESCAPES.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), sparql)
    return _STRIP.sub(" ", decoded)


def declares_dataset(sparql: str) -> bool:
    """Whether the query has a ``FROM`` or ``FROM NAMED`` clause of its own.

    Examples
    --------
    >>> declares_dataset("SELECT ?from FROM NAMED <g> { GRAPH ?g { ?s ex:from 'FROM' } }")
    True
    >>> declares_dataset("SELECT ?from { ?s ex:from 'FROM' } # FROM <g>")
    False
    """
    return _FROM.search(keywords(sparql)) is not None


def declared_graphs(sparql: str, base_iri: str | None = None) -> tuple[list[str], list[str]]:
    """The IRIs of the query's ``FROM`` and ``FROM NAMED`` clauses, relative ones resolved
    against ``base_iri``: to send as protocol parameters to a service that would ignore them.

    Raises
    ------
    QueryError
        For a clause whose graph is not written as an IRI in ``<>`` (a prefixed name).

    Examples
    --------
    >>> declared_graphs("SELECT * FROM <g1> FROM NAMED <http://x/g2> { }", "http://x/")
    (['http://x/g1'], ['http://x/g2'])
    """
    text = _PROSE.sub(" ", sparql)
    found = _FROM_IRI.findall(text)
    if len(found) != len(_FROM.findall(keywords(sparql))):
        raise QueryError(
            "over a remote store, give the graphs of FROM and FROM NAMED as IRIs in <>, "
            "not prefixed names"
        )
    graphs = [(bool(named), urljoin(base_iri, iri) if base_iri else iri) for named, iri in found]
    return [g for named, g in graphs if not named], [g for named, g in graphs if named]


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset of a request: protocol ``default-graph-uri`` and ``named-graph-uri``.

    SPARQL 1.1 dataset semantics: protocol parameters, when given, define the dataset and
    replace the query's own (the default graph is the merge of the ``default-graph-uri``
    graphs, empty if there are none; the named graphs are exactly the ``named-graph-uri``
    ones, none if there are none). Without them, the query's ``FROM`` and ``FROM NAMED``
    define it. With neither, the default graph is the union of all graphs and every named
    graph is visible.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def query_options(self, sparql: str) -> dict[str, object]:
        """Keyword arguments of ``pyoxigraph.Store.query`` to run ``sparql`` on this dataset.

        Examples
        --------
        >>> Dataset().query_options("SELECT * { ?s ?p ?o }")
        {'use_default_graph_as_union': True}
        >>> Dataset().query_options("SELECT * FROM <http://example.org/g> { ?s ?p ?o }")
        {}
        >>> Dataset(named_graphs=("http://example.org/g",)).query_options("ASK {}")
        {'default_graph': [], 'named_graphs': [<NamedNode value=http://example.org/g>]}
        """
        if self.default_graphs or self.named_graphs:
            return {
                "default_graph": [ox.NamedNode(g) for g in self.default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in self.named_graphs],
            }
        if declares_dataset(sparql):
            return {}
        return {"use_default_graph_as_union": True}
