"""The RDF dataset a SPARQL query runs on: the protocol's parameters or the query's own.

Small on purpose: :class:`kg.graph.KnowledgeGraph` and the HTTP endpoint share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

_ESCAPES = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_STRIP = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*'
)
_FROM = re.compile(r"(?<![?$:\w])FROM\b(?!:)", re.IGNORECASE)


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
