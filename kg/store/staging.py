"""Staging graphs: where ``kg publish`` sends each graph before one update moves them all.

A graph is staged in a graph of its own under :data:`STAGING`, named by a hash of its name (the
same one publish after publish, so a publish stopped halfway is overwritten by the next one);
:func:`switch_text` is the one SPARQL Update that moves them all into place and drops the stale
graphs, which the service runs as one transaction.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

from kg.store.remote import Endpoint, RemoteStore

Graph = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
NAMESPACE = "https://w3id.org/llmkg/"
"""The namespace of every graph a build makes; ``prune`` drops stale graphs only in it."""
STAGING = f"{NAMESPACE}publishing/"
"""Where each graph is staged before one update moves them all into place."""
RELEASES = f"{NAMESPACE}release/"
"""Where ``kg publish --release`` puts the graphs of releases; ``prune`` never drops them."""


def staging_graph(graph: Graph) -> ox.NamedNode:
    """The graph ``graph`` is staged in: the same one for the same graph, publish after publish.

    Examples
    --------
    >>> staging_graph(ox.NamedNode("http://example.org/g")).value
    'https://w3id.org/llmkg/publishing/9c696b892e3ef6d7c763230cedd0bdeb'
    """
    return ox.NamedNode(STAGING + hashlib.sha256(str(graph).encode()).hexdigest()[:32])


def switch_text(graphs: list[Graph], stale: list[ox.NamedNode]) -> bytes:
    """The one SPARQL Update that moves every staged graph into place and drops ``stale``.

    Examples
    --------
    >>> g = ox.NamedNode("http://example.org/g")
    >>> print(switch_text([g, ox.DefaultGraph()], [ox.NamedNode("http://example.org/old")]).decode())
    MOVE SILENT GRAPH <https://w3id.org/llmkg/publishing/9c696b892e3ef6d7c763230cedd0bdeb> TO GRAPH <http://example.org/g> ;
    MOVE SILENT GRAPH <https://w3id.org/llmkg/publishing/89dbf71048801678ca4abfbaa3ea8f7c> TO DEFAULT ;
    DROP SILENT GRAPH <http://example.org/old>
    """
    moves = [
        f"MOVE SILENT GRAPH {staging_graph(g)} TO "
        + ("DEFAULT" if isinstance(g, ox.DefaultGraph) else f"GRAPH {g}")
        for g in graphs
    ]
    return " ;\n".join(moves + [f"DROP SILENT GRAPH {g}" for g in stale]).encode()


def remote_graphs(endpoint: Endpoint, prefix: str) -> list[ox.NamedNode]:
    """The service's graphs whose IRI starts with ``prefix``, in IRI order."""
    remote = RemoteStore(endpoint)
    try:
        found = [g for g in remote.named_graphs() if isinstance(g, ox.NamedNode)]
    finally:
        remote.close()
    return sorted((g for g in found if g.value.startswith(prefix)), key=str)
