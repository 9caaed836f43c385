"""The lineage network: models linked to the models they were derived from, and its metrics.

An edge ``u -> v`` says that model ``u`` was derived from model ``v`` (as the graph states
it: ``u llmkg:fineTunedFrom v``); its ``relation`` is the kind of derivation (``fine-tune``,
``quantization``, ``merge``, ``adapter``...). The kinds are those of the ontology (the
subproperties of ``llmkg:derivedFrom``, read by :func:`kg.networks.projection.to_networkx`
into ``G.graph["derivations"]``), and ``unspecified`` for a plain ``llmkg:derivedFrom``. A merge
has an edge to each parent. Imported data may hold a cycle (``a`` derived from ``b`` derived
from ``a``): every metric here terminates on one, and says what it counts there.

Small networks are computed with networkx, the reference; large ones (more than
:data:`kg.networks.metrics.COMPILED_ABOVE` nodes and links) with rustworkx, scipy and numpy
(:mod:`kg.networks.large`), which give the same numbers. docs/analytics.md says what each
metric means for a user.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict, deque
from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from kg.errors import ParameterError
from kg.networks import large
from kg.networks.metrics import ALPHA, COMPILED_ABOVE, Backend, Values
from kg.networks.projection import derivation_kinds, derivations, kind_of
from kg.networks.ties import unknown
from kg.schema.terms import CONFIDENCES

logger = logging.getLogger(__name__)

ALL = "all"
"""The key of the counts over every kind of derivation."""
TOL = 1e-10
"""PageRank's tolerance per node: networkx's stopping rule (total change below nodes x ``TOL``)
with 1e-6 lets a value of a 400,000-model lineage be off by 1e-2, most of the rank sitting on a
few bases; with 1e-10 it agrees with igraph's exact solver to about 1e-7."""
SEPARATOR = "; "
"""Between the kinds of an edge whose two models are linked by several kinds."""


def kinds_of(G: nx.MultiDiGraph) -> dict[str, str]:
    """Edge key -> derivation kind of the projection ``G`` (``fine_tuned_from`` -> ``fine-tune``).

    From ``G.graph["derivations"]`` (the ontology the projection was read with); a graph
    without it (built by hand) gets the ontology of :class:`kg.settings.Settings`.
    """
    found = G.graph.get("derivations")
    if found is None:
        found = derivation_kinds(derivations(ox.Store()))
    return dict(found)


def edge_kinds(d: dict[str, object]) -> list[str]:
    """The kinds of one lineage edge (usually one)."""
    return str(d["relation"]).split(SEPARATOR)


def lineage_network(G: nx.MultiDiGraph, *, min_confidence: str | None = None) -> nx.DiGraph:
    """Models linked to the models they derive from: ``u -> v`` when ``u`` derives from ``v``.

    Nodes are the models with at least one derivation to or from another model, with their
    attributes in ``G``. An edge carries ``relation`` (the kind; kinds joined by ``"; "`` when
    two models are linked by several), and the ``phase``, ``source`` and ``confidence`` of the
    first kind's link. A model said to derive from itself is left out of its own lineage.

    Parameters
    ----------
    G
        The projection (:func:`kg.networks.projection.to_networkx`).
    min_confidence
        Keep only the derivations at least this sure (:data:`kg.schema.terms.CONFIDENCES`).

    Raises
    ------
    ParameterError
        For an unknown confidence.

    Examples
    --------
    >>> G = nx.MultiDiGraph(derivations={"fine_tuned_from": "fine-tune"})
    >>> G.add_edge("model/b", "model/a", key="fine_tuned_from", confidence="paper")
    'fine_tuned_from'
    >>> L = lineage_network(G)
    >>> list(L.edges(data="relation"))
    [('model/b', 'model/a', 'fine-tune')]
    """
    if min_confidence is not None and min_confidence not in CONFIDENCES:
        raise ParameterError(unknown("min_confidence", min_confidence, list(CONFIDENCES)))
    floor = CONFIDENCES.index(min_confidence) if min_confidence else 0
    kinds = kinds_of(G)
    found: dict[tuple[str, str], dict[str, dict[str, object]]] = defaultdict(dict)
    for u, links in G.adjacency():
        if kind_of(u) != "model":
            continue
        for v, relations in links.items():
            if v == u or kind_of(v) != "model":
                continue
            for key, d in relations.items():
                if (
                    key in kinds
                    and CONFIDENCES.index(d.get("confidence", CONFIDENCES[-1])) >= floor
                ):
                    found[u, v][kinds[key]] = d
    L = nx.DiGraph(network="lineage")
    nodes = sorted({n for pair in found for n in pair})
    L.add_nodes_from((n, G.nodes[n]) for n in nodes)
    for (u, v), by_kind in sorted(found.items()):
        names = sorted(by_kind)
        first = by_kind[names[0]]
        L.add_edge(
            u,
            v,
            relation=SEPARATOR.join(names),
            phase=first.get("phase"),
            source=first.get("source"),
            confidence=first.get("confidence"),
        )
    return L


def _compiled(L: nx.DiGraph, backend: Backend) -> bool:
    if backend not in ("auto", "networkx", "compiled"):
        raise ParameterError(unknown("backend", backend, ["auto", "networkx", "compiled"]))
    return backend == "compiled" or (
        backend == "auto" and len(L) + L.number_of_edges() > COMPILED_ABOVE
    )


def relations(L: nx.DiGraph) -> list[str]:
    """The derivation kinds in ``L``, sorted."""
    return sorted({k for *_, d in L.edges(data=True) for k in edge_kinds(d)})


def descendants(L: nx.DiGraph, *, backend: Backend = "auto") -> dict[str, Values]:
    """How many models derive from each model, directly or through others: ``{"all": ...}`` and
    one count per kind of derivation.

    A descendant is counted once however many paths lead to it (a merge of two fine-tunes of
    a base is one descendant of that base). Under a kind, a model counts the descendants whose
    own derivation step into its lineage is of that kind: a quantization of a fine-tune of
    Llama is a fine-tune and a quantization descendant of Llama, a quantization descendant of
    the fine-tune. A descendant derived by two kinds counts under both, so the counts per kind
    may add up to more than ``all``. The models of a cycle are descendants of one another,
    never of themselves.

    Examples
    --------
    >>> L = nx.DiGraph([("b", "a", {"relation": "fine-tune"}), ("c", "b", {"relation": "quantization"})])
    >>> descendants(L)
    {'all': {'b': 1.0, 'a': 2.0, 'c': 0.0}, 'fine-tune': {'b': 0.0, 'a': 1.0, 'c': 0.0}, 'quantization': {'b': 1.0, 'a': 1.0, 'c': 0.0}}
    """
    if _compiled(L, backend):
        return large.lineage_descendants(large.lineage_index(L))
    names = relations(L)
    counts = {key: Counter[str]() for key in (ALL, *names)}
    for d in L:
        if L.out_degree(d) == 0:
            continue
        by_kind: dict[str, set[str]] = defaultdict(set)
        for _, parent, data in L.out_edges(d, data=True):
            reached = {parent} | nx.descendants(L, parent)
            for kind in edge_kinds(data):
                by_kind[kind] |= reached
        every = set().union(*by_kind.values())
        counts[ALL].update(every - {d})
        for kind, reached in by_kind.items():
            counts[kind].update(reached - {d})
    return {key: {n: float(c[n]) for n in L} for key, c in counts.items()}


def derivatives(L: nx.DiGraph, *, backend: Backend = "auto") -> dict[str, Values]:
    """How many models derive from each model directly (its in-degree): ``{"all": ...}`` and one
    count per kind.

    Examples
    --------
    >>> L = nx.DiGraph([("b", "a", {"relation": "fine-tune"}), ("c", "a", {"relation": "merge"})])
    >>> derivatives(L)["all"], derivatives(L)["merge"]
    ({'b': 0.0, 'a': 2.0, 'c': 0.0}, {'b': 0.0, 'a': 1.0, 'c': 0.0})
    """
    if _compiled(L, backend):
        return large.lineage_derivatives(large.lineage_index(L))
    counts = {key: dict.fromkeys(L, 0.0) for key in (ALL, *relations(L))}
    for _, v, data in L.edges(data=True):
        counts[ALL][v] += 1
        for kind in edge_kinds(data):
            counts[kind][v] += 1
    return counts


def pagerank(L: nx.DiGraph, *, backend: Backend = "auto") -> Values:
    """PageRank (damping :data:`kg.networks.metrics.ALPHA`) along "derived from" links.

    A random walker at a model moves to a model it was derived from (to one of a merge's
    parents at random), and from a model derived from nothing jumps anywhere. It ends up at the
    base models that are reused most, counting how much their derivatives are reused in turn.
    Unweighted: every derivation counts the same; a cycle keeps the walk, so its models rank
    high. networkx to tolerance :data:`TOL`; at scale solved exactly (sparse LU).

    Examples
    --------
    >>> {n: round(v, 3) for n, v in pagerank(nx.DiGraph([("b", "a"), ("c", "a")])).items()}
    {'b': 0.213, 'a': 0.574, 'c': 0.213}
    """
    if _compiled(L, backend):
        return large.lineage_pagerank(large.lineage_index(L), ALPHA)
    return dict(nx.pagerank(L, alpha=ALPHA, weight=None, tol=TOL, max_iter=1000))


def depth(L: nx.DiGraph, *, backend: Backend = "auto") -> Values:
    """The generation of each model: the most derivation steps from it down to a model derived
    from nothing (0 for such a model).

    The models of a cycle count as one (they share their generation, and the links between
    them are no steps), so a cycle ends the count instead of looping.

    Examples
    --------
    >>> depth(nx.DiGraph([("b", "a"), ("c", "b"), ("c", "a")]))
    {'b': 1.0, 'a': 0.0, 'c': 2.0}
    """
    if _compiled(L, backend):
        return large.lineage_depth(large.lineage_index(L))
    C = nx.condensation(L)
    generation: dict[int, int] = {}
    for c in reversed(list(nx.topological_sort(C))):
        generation[c] = max((generation[p] + 1 for p in C.successors(c)), default=0)
    return {n: float(generation[C.graph["mapping"][n]]) for n in L}


def deepest_chain(L: nx.DiGraph, generation: Values) -> list[str]:
    """One deepest chain, from the model of the highest generation (first by key) down to a model
    derived from nothing, each derived from the next (a cycle on the way is walked through).

    Examples
    --------
    >>> L = nx.DiGraph([("b", "a"), ("c", "b"), ("d", "a")])
    >>> deepest_chain(L, depth(L))
    ['c', 'b', 'a']
    """
    if not generation:
        return []
    start = min(generation, key=lambda n: (-generation[n], n))
    came: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        u = queue.popleft()
        if generation[u] == 0:
            chain = [u]
            while (previous := came[chain[-1]]) is not None:
                chain.append(previous)
            return chain[::-1]
        for v in sorted(L.successors(u)):
            if v not in came and generation[v] in (generation[u], generation[u] - 1):
                came[v] = u
                queue.append(v)
    return [start]  # not reached: every generation above 0 has a parent one below


@dataclass(frozen=True)
class LineageSummary:
    """The lineage network in numbers."""

    models: int
    derivations: int
    by_relation: dict[str, int]
    roots: int
    cycles: int
    models_in_cycles: int
    max_depth: int


def summary(L: nx.DiGraph, generation: Values) -> LineageSummary:
    """Models, derivations per kind, models derived from nothing, cycles, and the deepest
    generation."""
    by_relation = Counter(k for *_, d in L.edges(data=True) for k in edge_kinds(d))
    cyclic = [c for c in nx.strongly_connected_components(L) if len(c) > 1]
    return LineageSummary(
        len(L),
        L.number_of_edges(),
        dict(sorted(by_relation.items())),
        sum(1 for n in L if L.out_degree(n) == 0),
        len(cyclic),
        sum(len(c) for c in cyclic),
        int(max(generation.values(), default=0)),
    )
