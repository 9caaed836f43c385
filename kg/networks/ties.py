"""Collaboration ties and the networks made of them: an actor (organization) or a project
tied to an item it shares with others. Who is tied to what, and how the filters work, is in
docs/analytics.md."""

from __future__ import annotations

import difflib
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Any, NamedTuple

import networkx as nx

from kg.errors import ParameterError
from kg.networks.projection import kind_of
from kg.schema.records import ARTIFACT_KINDS, KINDS
from kg.schema.terms import CONFIDENCES, PHASES, USES

logger = logging.getLogger(__name__)


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
MAX_MEMBERS = 100
"""Members above which an item is a commons: it links none of its members in the one-mode
networks (it stays in the actor-artifact network). On the Hub a dataset trains the models of
tens of thousands of authors: linking them pairwise says nothing of collaboration and makes
billions of links. The curated data has no item above 14 members."""
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


def uses(G: nx.MultiDiGraph) -> frozenset[str]:
    """The use relations (:data:`USES`) and every derivation the projection's ontology declares
    (``G.graph["derivations"]``: a kind an importer adds is a use too)."""
    return USES | frozenset(G.graph.get("derivations", ()))


def _uses(
    links: Links, member: str, anchor: str, link: dict[str, Any], used_by: frozenset[str] = USES
) -> Iterator[Tie]:
    """Ties of ``member`` to what ``anchor`` uses (``links``: anchor's out-links, ``used_by``:
    the use relations), ``link`` being how member reaches anchor."""
    via = None if anchor == member else anchor
    for used, relations in links.items():
        if kind_of(used) not in ITEM_KINDS:
            continue
        for relation, d in relations.items():
            if relation in used_by:
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
    used_by = uses(G)
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
                    yield from _uses(succ[item], actor, item, d, used_by)


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
    used_by = uses(G)
    for project in (n for n, k in G.nodes(data="kind") if k == "project"):
        yield from _uses(succ[project], project, project, own, used_by)
        for links, incoming in ((succ[project], False), (pred[project], True)):
            for other, relations in links.items():
                for relation, d in relations.items():
                    if relation in PROJECT_ROLES and kind_of(other) == "organization":
                        yield Tie(project, other, relation, None, d["phase"], d["confidence"])
                    elif relation == "part_of_project" and incoming:
                        yield Tie(project, other, relation, None, d["phase"], d["confidence"])
                        yield from _uses(succ[other], project, other, d, used_by)


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


def one_mode(
    G: nx.MultiDiGraph,
    ties: list[Tie],
    network: str,
    *,
    items: bool = True,
    max_members: int | None = MAX_MEMBERS,
) -> nx.Graph:
    """Members of ``ties`` linked when they share an item; weight = number of shared items.

    With ``items=False`` the links carry only their weight (faster on large networks). An item
    with more than ``max_members`` members (None: no limit) links none of them; the graph
    attribute ``commons`` lists such items as (item, members), most members first.
    """
    members: dict[str, set[str]] = defaultdict(set)
    for t in ties:
        members[t.item].add(t.member)
    commons = sorted(
        ((item, len(m)) for item, m in members.items() if max_members and len(m) > max_members),
        key=lambda c: (-c[1], c[0]),
    )
    for item, _ in commons:
        del members[item]
    H = nx.Graph(network=network, commons=commons)
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
    max_members: int | None = MAX_MEMBERS,
) -> nx.Graph:
    """Actors linked when they share a project or an artifact.

    Edges carry ``weight`` (the number of shared items) and ``items`` (a tuple of
    :class:`SharedItem`, each with its kind). Every actor with a tie that passes the
    filters is a node, even one that shares nothing. Filters as in :func:`select_ties`; an item
    of more than ``max_members`` actors links none of them (:func:`one_mode`).

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
    return one_mode(G, ties, "actor", max_members=max_members)


def project_network(
    G: nx.MultiDiGraph,
    *,
    phase: str | None = None,
    artifact_kind: str | None = None,
    min_confidence: str | None = None,
    max_members: int | None = MAX_MEMBERS,
) -> nx.Graph:
    """Projects linked when they share an artifact or an actor (see :func:`project_ties`).

    Edges carry ``weight`` and ``items`` as in :func:`actor_network`; ``artifact_kind``
    may also be ``organization`` (projects linked by shared actors only); ``max_members`` as
    there.
    """
    ties = select_ties(
        G, project_ties(G), phase=phase, artifact_kind=artifact_kind, min_confidence=min_confidence
    )
    return one_mode(G, ties, "project", max_members=max_members)


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
