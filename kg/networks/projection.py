"""Store -> networkx: the typed projection, and the collaboration networks built on it.

:func:`to_networkx` reads the chosen entity-to-entity predicates (never literals) and their
provenance from a pyoxigraph store with SPARQL. The collaboration networks are built from
*ties*: an actor (organization) or a project tied to an item it shares with others. Who is
tied to what, and how the filters work, is documented in docs/analytics.md.
"""

from __future__ import annotations

import difflib
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Any, NamedTuple

import networkx as nx
import pyoxigraph as ox
from rdflib.namespace import DCTERMS, ORG

from kg.compile.rdf import CLASSES, PROVENANCE_GRAPH
from kg.errors import ParameterError
from kg.schema.namespace import LLMKG
from kg.schema.records import ARTIFACT_KINDS, CONFIDENCES, KINDS, PHASES
from kg.schema.vocabulary import ID
from kg.store.remote import RemoteStore

logger = logging.getLogger(__name__)

Store = ox.Store | RemoteStore
"""What the projection reads: an in-memory or on-disk store, or a remote SPARQL service."""

RELATIONS: dict[str, str] = {
    str(LLMKG.developedBy): "developed_by",
    str(LLMKG.fundedBy): "funded_by",
    str(LLMKG.partnerOf): "partner_of",
    str(LLMKG.contributesTo): "contributes_to",
    str(LLMKG.maintains): "maintains",
    str(LLMKG.hostsForum): "hosts_forum",
    str(LLMKG.providedBy): "provided_by",
    str(LLMKG.partOfProject): "part_of_project",
    str(LLMKG.memberOfFamily): "member_of_family",
    str(LLMKG.trainedOn): "trained_on",
    str(LLMKG.evaluatedOn): "evaluated_on",
    str(LLMKG.builtWith): "built_with",
    str(LLMKG.listedOn): "listed_on",
    str(LLMKG.includesBenchmark): "includes_benchmark",
    str(LLMKG.computeFrom): "compute_from",
    str(LLMKG.derivedFrom): "derived_from",
    str(LLMKG.fineTunedFrom): "fine_tuned_from",
    str(LLMKG.continuedPretrainingFrom): "continued_pretraining_from",
    str(LLMKG.mergedFrom): "merged_from",
    str(LLMKG.distilledFrom): "distilled_from",
    str(LLMKG.quantizedFrom): "quantized_from",
    str(LLMKG.licensedUnder): "licensed_under",
    str(LLMKG.describes): "describes",
    str(LLMKG.studies): "studies",
    str(DCTERMS.isPartOf): "part_of",
    str(ORG.subOrganizationOf): "sub_organization_of",
}
"""The projected predicates and their edge keys; every other predicate stays out."""

DERIVATIONS = frozenset(
    {"fine_tuned_from", "continued_pretraining_from", "merged_from", "distilled_from"}
    | {"quantized_from"}
)
UNKNOWN = ("region", "organization_type", "governance_model")

_NODES = """
PREFIX llmkg: <https://w3id.org/llmkg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?e (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?type) (SAMPLE(?gm) AS ?governance)
       (GROUP_CONCAT(DISTINCT STR(?place); separator=" ") AS ?region) WHERE {
  VALUES ?class { %s }
  ?e a ?class .
  OPTIONAL { ?e rdfs:label ?l }
  OPTIONAL { ?e llmkg:organizationType ?t }
  OPTIONAL { ?e llmkg:governanceModel ?gm }
  OPTIONAL { ?e llmkg:basedIn|llmkg:targetsRegion ?place }
} GROUP BY ?e
"""
_EDGES = """
PREFIX llmkg: <https://w3id.org/llmkg/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?s ?p ?o ?source ?confidence ?phase WHERE {
  VALUES ?p { %s }
  GRAPH ?g { ?s ?p ?o }
  GRAPH <%s> {
    ?g prov:wasDerivedFrom ?source ; llmkg:confidence ?confidence .
    OPTIONAL { ?g llmkg:lifecyclePhase ?phase }
  }
}
"""


def _code(term: ox.NamedNode | ox.Literal | None) -> str | None:
    """The code of a concept IRI (``.../confidence/paper`` -> ``paper``); of a space-separated
    list of IRIs, their codes, sorted and space-separated."""
    if term is None or not term.value:
        return None
    return " ".join(sorted(v.rsplit("/", 1)[-1] for v in term.value.split()))


def _select(store: Store, sparql: str, *, union: bool = False) -> ox.QuerySolutions:
    result = store.query(sparql, use_default_graph_as_union=union)
    assert isinstance(result, ox.QuerySolutions)  # noqa: S101 -- a SELECT query
    return result


def kind_of(node: str) -> str:
    """The kind of a node key: ``kind_of("model/bloom") == "model"``."""
    return node.split("/", 1)[0]


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """Project the entity-to-entity facts of ``store`` onto a typed MultiDiGraph.

    Nodes are records, keyed ``"<kind>/<id>"``, with the attributes ``kind``, ``label``,
    ``region`` (place codes: where an organization is based, or what a project or artifact
    targets), ``organization_type`` and ``governance_model`` (None where they do not apply).
    Edges are the predicates of :data:`RELATIONS`, keyed by their snake_case name, with
    the attributes ``relation``, ``phase``, ``source`` and ``confidence`` of the fact graph
    that states them. A fact stated in several fact graphs keeps its strongest confidence;
    ``derived_from`` is left out where a narrower derivation (``fine_tuned_from``...) says it.

    Parameters
    ----------
    store
        A store as built by :func:`kg.compile.rdf.build_graph` (fact graphs and the provenance
        graph), on disk, or a :class:`kg.store.remote.RemoteStore` serving the same graphs.

    Examples
    --------
    >>> from kg.compile.rdf import build_graph
    >>> from kg.schema.records import ModelRecord, OrganizationRecord
    >>> from kg.settings import Settings
    >>> meta = OrganizationRecord(id="meta", name="Meta", source="https://about.meta.com",
    ...                           confidence="public-record", organization_type="big-tech")
    >>> llama = ModelRecord(id="llama-3.1-8b", name="Llama 3.1 8B", source="https://llama.com",
    ...                     confidence="public-record", developers=[{"id": "meta"}])
    >>> G = to_networkx(build_graph([meta, llama], Settings().ontology_dir))
    >>> list(G.edges(keys=True))
    [('model/llama-3.1-8b', 'organization/meta', 'developed_by')]
    >>> G.nodes["organization/meta"]["organization_type"]
    'big-tech'
    """
    G = nx.MultiDiGraph()
    classes = " ".join(f"<{c}>" for c in CLASSES.values())
    for e, label, type_, governance, region in _select(store, _NODES % classes, union=True):
        node = e.value.removeprefix(ID)
        G.add_node(
            node,
            kind=kind_of(node),
            label=label.value if label else node,
            region=_code(region),
            organization_type=_code(type_),
            governance_model=_code(governance),
        )
    rows = sorted(
        (
            s.value.removeprefix(ID),
            o.value.removeprefix(ID),
            RELATIONS[p.value],
            -CONFIDENCES.index(_code(confidence) or ""),
            source.value,
            _code(phase),
        )
        for s, p, o, source, confidence, phase in _select(
            store, _EDGES % (" ".join(f"<{p}>" for p in RELATIONS), PROVENANCE_GRAPH.value)
        )
        if isinstance(o, ox.NamedNode) and _code(confidence) in CONFIDENCES
    )
    for u, v, relation, rank, source, phase in rows:
        if G.has_edge(u, v, relation):
            continue  # the same fact from a weaker or later source
        for node in (u, v):
            if node not in G:  # a store without the entity's own record
                G.add_node(node, kind=kind_of(node), label=node, **dict.fromkeys(UNKNOWN))
        G.add_edge(
            u,
            v,
            key=relation,
            relation=relation,
            phase=phase,
            source=source,
            confidence=CONFIDENCES[-rank],
        )
    said = [(u, v) for u, v, k in G.edges(keys=True) if k in DERIVATIONS]
    G.remove_edges_from(
        [(u, v, "derived_from") for u, v in said if G.has_edge(u, v, "derived_from")]
    )
    logger.info("projected %d nodes and %d edges", len(G), G.number_of_edges())
    return G


# ---------------------------------------------------------------- ties

ACTOR_ROLES: dict[str, bool] = {
    "developed_by": False,
    "funded_by": False,
    "provided_by": False,
    "maintains": True,
    "partner_of": True,
    "contributes_to": True,
    "hosts_forum": True,
}
"""Relations that tie an actor to a project or artifact; True where the actor is the subject."""
USES = frozenset(
    {"trained_on", "evaluated_on", "built_with", "listed_on", "includes_benchmark"}
    | {"compute_from", "derived_from"}
    | DERIVATIONS
)
"""Relations by which a project or artifact uses another artifact."""
ITEM_KINDS = ("project", *ARTIFACT_KINDS)
"""Kinds of the items actors share: projects and artifacts (not licenses or publications)."""


class Tie(NamedTuple):
    """``member`` (an actor or a project) is tied to ``item`` by ``relation``.

    ``via`` is the project or artifact in between for a two-step tie: an actor that
    develops ``via`` which is ``trained_on`` ``item``. ``phase`` and ``confidence`` are
    those of the links: the phase of the last link that has one, the weakest confidence.
    """

    member: str
    item: str
    relation: str
    via: str | None
    phase: str | None
    confidence: str


@dataclass(frozen=True, order=True)
class SharedItem:
    """An item two members of a collaboration network share."""

    node: str
    kind: str
    label: str

    def __str__(self) -> str:
        return self.node


def _weakest(a: str, b: str) -> str:
    return a if CONFIDENCES.index(a) < CONFIDENCES.index(b) else b


Links = dict[str, dict[str, dict[str, Any]]]
"""The links of one node, as networkx keeps them: {other node: {relation: attributes}}."""


def _uses(links: Links, member: str, anchor: str, link: dict[str, Any]) -> Iterator[Tie]:
    """Ties of ``member`` to what ``anchor`` uses (``links``: anchor's out-links), ``link``
    being how member reaches anchor."""
    via = None if anchor == member else anchor
    for used, relations in links.items():
        if kind_of(used) not in ITEM_KINDS:
            continue
        for relation, d in relations.items():
            if relation in USES:
                confidence = _weakest(d["confidence"], link["confidence"])
                yield Tie(member, used, relation, via, d["phase"] or link["phase"], confidence)


def actor_ties(G: nx.MultiDiGraph) -> Iterator[Tie]:
    """Every tie of an actor to a project or artifact.

    An actor is tied to an item it develops, funds, maintains, provides compute for or
    hosts, or is a partner of or contributes to (:data:`ACTOR_ROLES`), and to every item
    that something it develops uses (:data:`USES`): an actor whose model is trained on
    a dataset is tied to that dataset.
    """
    succ: dict[str, Links] = dict(G.adjacency())
    for u, links in succ.items():
        for v, relations in links.items():
            for relation, d in relations.items():
                if relation not in ACTOR_ROLES:
                    continue
                actor, item = (u, v) if ACTOR_ROLES[relation] else (v, u)
                if kind_of(actor) != "organization" or kind_of(item) not in ITEM_KINDS:
                    continue
                yield Tie(actor, item, relation, None, d["phase"], d["confidence"])
                if relation == "developed_by":
                    yield from _uses(succ[item], actor, item, d)


PROJECT_ROLES = ("developed_by", "funded_by", "partner_of", "contributes_to")


def project_ties(G: nx.MultiDiGraph) -> Iterator[Tie]:
    """Every tie of a project to an artifact or an actor.

    A project is tied to its artifacts (``part_of_project``), to the actors that develop,
    fund, partner in or contribute to it, and to every artifact that it or one of its
    artifacts uses (:data:`USES`).
    """
    own = {"phase": None, "confidence": CONFIDENCES[-1]}
    succ: dict[str, Links] = dict(G.adjacency())
    pred: dict[str, Links] = dict(G.reverse(copy=False).adjacency())
    for project in (n for n, k in G.nodes(data="kind") if k == "project"):
        yield from _uses(succ[project], project, project, own)
        for links, incoming in ((succ[project], False), (pred[project], True)):
            for other, relations in links.items():
                for relation, d in relations.items():
                    if relation in PROJECT_ROLES and kind_of(other) == "organization":
                        yield Tie(project, other, relation, None, d["phase"], d["confidence"])
                    elif relation == "part_of_project" and incoming:
                        yield Tie(project, other, relation, None, d["phase"], d["confidence"])
                        yield from _uses(succ[other], project, other, d)


def select_ties(
    G: nx.MultiDiGraph,
    ties: Iterable[Tie],
    *,
    phase: str | None = None,
    artifact_kind: str | None = None,
    min_confidence: str | None = None,
) -> list[Tie]:
    """The ties that pass the filters, without repeats, in their order.

    Parameters
    ----------
    G
        The projection the ties come from.
    ties
        Ties from :func:`actor_ties` or :func:`project_ties`.
    phase
        Keep the ties of this lifecycle phase and the ties without a phase (who develops,
        who funds); then keep only the items with at least one tie of this phase.
    artifact_kind
        Keep only the items of this kind (``dataset``, ``project``...).
    min_confidence
        Keep only ties whose every link is at least this sure (:data:`CONFIDENCES`).

    Raises
    ------
    ParameterError
        For an unknown phase, kind or confidence.
    """
    _check("phase", phase, PHASES)
    _check("artifact_kind", artifact_kind, sorted(KINDS))
    _check("min_confidence", min_confidence, CONFIDENCES)
    floor = CONFIDENCES.index(min_confidence) if min_confidence else 0
    kept = [
        t
        for t in ties
        if CONFIDENCES.index(t.confidence) >= floor
        and (phase is None or t.phase in (None, phase))
        and (artifact_kind is None or kind_of(t.item) == artifact_kind)
    ]
    if phase is not None:
        in_phase = {t.item for t in kept if t.phase == phase}
        kept = [t for t in kept if t.item in in_phase]
    return list(dict.fromkeys(kept))


def _check(name: str, value: str | None, allowed: Iterable[str]) -> None:
    allowed = list(allowed)
    if value is not None and value not in allowed:
        raise ParameterError(unknown(name, value, allowed))


def unknown(name: str, value: str, allowed: list[str]) -> str:
    """``unknown metric 'pagernk' (did you mean 'pagerank'?); one of: ...``."""
    match = difflib.get_close_matches(value, allowed, n=1)
    hint = f" (did you mean {match[0]!r}?)" if match else ""
    return f"unknown {name} {value!r}{hint}; one of: {', '.join(allowed)}"


# ---------------------------------------------------------------- networks


def _add_nodes(H: nx.Graph, G: nx.MultiDiGraph, nodes: Iterable[str], **extra: Any) -> None:
    H.add_nodes_from((n, {**G.nodes[n], **extra}) for n in sorted(set(nodes)))


def one_mode(G: nx.MultiDiGraph, ties: list[Tie], network: str, *, items: bool = True) -> nx.Graph:
    """Members of ``ties`` linked when they share an item; weight = number of shared items.

    With ``items=False`` the links carry only their weight (faster on large networks).
    """
    members: dict[str, set[str]] = defaultdict(set)
    for t in ties:
        members[t.item].add(t.member)
    H = nx.Graph(network=network)
    _add_nodes(H, G, (t.member for t in ties))
    if not items:
        weights = Counter(p for item in members.values() for p in combinations(sorted(item), 2))
        H.add_weighted_edges_from((u, v, w) for (u, v), w in weights.items())
        return H
    shared: dict[tuple[str, str], list[SharedItem]] = defaultdict(list)
    for item in sorted(members):
        entry = SharedItem(item, kind_of(item), G.nodes[item]["label"])
        for pair in combinations(sorted(members[item]), 2):
            shared[pair].append(entry)
    H.add_edges_from(
        (u, v, {"weight": len(found), "items": tuple(found)}) for (u, v), found in shared.items()
    )
    return H


def actor_network(
    G: nx.MultiDiGraph,
    *,
    phase: str | None = None,
    artifact_kind: str | None = None,
    min_confidence: str | None = None,
) -> nx.Graph:
    """Actors linked when they share a project or an artifact.

    Edges carry ``weight`` (the number of shared items) and ``items`` (a tuple of
    :class:`SharedItem`, each with its kind). Every actor with a tie that passes the
    filters is a node, even one that shares nothing. Filters as in :func:`select_ties`.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for n in ("organization/a", "organization/b", "dataset/d"):
    ...     G.add_node(n, kind=n.split("/")[0], label=n)
    >>> for n in ("organization/a", "organization/b"):
    ...     _ = G.add_edge("dataset/d", n, key="developed_by", relation="developed_by",
    ...                    phase=None, source="https://example.org", confidence="paper")
    >>> H = actor_network(G)
    >>> H.edges["organization/a", "organization/b"]["weight"]
    1
    >>> [i.node for i in H.edges["organization/a", "organization/b"]["items"]]
    ['dataset/d']
    """
    ties = select_ties(
        G, actor_ties(G), phase=phase, artifact_kind=artifact_kind, min_confidence=min_confidence
    )
    return one_mode(G, ties, "actor")


def project_network(
    G: nx.MultiDiGraph,
    *,
    phase: str | None = None,
    artifact_kind: str | None = None,
    min_confidence: str | None = None,
) -> nx.Graph:
    """Projects linked when they share an artifact or an actor (see :func:`project_ties`).

    Edges carry ``weight`` and ``items`` as in :func:`actor_network`; ``artifact_kind``
    may also be ``organization`` (projects linked by shared actors only).
    """
    ties = select_ties(
        G, project_ties(G), phase=phase, artifact_kind=artifact_kind, min_confidence=min_confidence
    )
    return one_mode(G, ties, "project")


def actor_artifact_network(
    G: nx.MultiDiGraph,
    *,
    phase: str | None = None,
    artifact_kind: str | None = None,
    min_confidence: str | None = None,
) -> nx.Graph:
    """The bipartite network of actors (``bipartite=0``) and the items they are tied to (1).

    An edge carries ``weight`` (the number of ties between the two) and ``relations``
    (each tie as ``relation`` or ``relation via <node>``). Filters as in :func:`select_ties`.
    """
    ties = select_ties(
        G, actor_ties(G), phase=phase, artifact_kind=artifact_kind, min_confidence=min_confidence
    )
    relations: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t in ties:
        relations[t.member, t.item].append(t.relation + (f" via {t.via}" if t.via else ""))
    H = nx.Graph(network="actor-artifact")
    _add_nodes(H, G, (t.member for t in ties), bipartite=0)
    _add_nodes(H, G, (t.item for t in ties), bipartite=1)
    H.add_edges_from(
        (u, v, {"weight": len(set(rs)), "relations": tuple(sorted(set(rs)))})
        for (u, v), rs in relations.items()
    )
    return H
