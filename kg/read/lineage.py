"""Lineage: the ancestors and descendants of a model, transitively, and licence drift.

Everything is read from the store with SPARQL, so it works on a store built from data/, one
loaded with ``kg load`` and a remote one. The derivation kinds are the subproperties of
``llmkg:derivedFrom`` the ontology graph declares (``llmkg:fineTunedFrom``,
``llmkg:quantizedFrom``...; any kind an importer adds to the ontology is followed too), named
as records name them (``fine-tune``, ``quantization``...) or, for a property no record kind
maps to, by its snake_case name (``adapter_of``). A plain ``llmkg:derivedFrom`` between two
models with no narrower property is the kind ``unspecified``.

The lineage is walked level by level, one query per level with the level's models in
``VALUES``, keeping a seen set: a model's depth is the fewest derivation steps from the model
asked about, and a cycle in imported data ends the walk instead of looping. At most
:data:`MAX_DEPTH` levels are followed.
"""

from __future__ import annotations

import difflib
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal, cast

import pyoxigraph as ox

from kg.compile.rdf import DERIVATION_PREDICATES
from kg.errors import ParameterError
from kg.graph import KnowledgeGraph
from kg.read.lookup import fetch_labels, relation_name, require_entity, summarize
from kg.read.models import (
    DerivationKind,
    DriftPage,
    EntitySummary,
    LicenceDrift,
    LicenceRef,
    Lineage,
    LineageCounts,
    LineageEdge,
    LineageNode,
)
from kg.read.provenance import as_of_date, fact_provenance, held, no_provenance
from kg.read.rows import select_rows, sparql_iri, term_text
from kg.schema.vocabulary import PREFIXES

MAX_DEPTH = 10
"""The most derivation steps a lineage follows (``depth`` is 1 to this; 1: direct only)."""
MAX_LIMIT = 500
"""The most models, or licence-drift rows, one page holds."""
DEFAULT_LIMIT = 100
CHUNK = 1000
"""Models per ``VALUES`` block: a wide level is asked about in several queries."""
UNSPECIFIED = "unspecified"
"""The kind of a plain ``llmkg:derivedFrom`` between models, with no narrower property."""
DERIVED_FROM = f"{PREFIXES['llmkg']}derivedFrom"

LineageDirection = Literal["ancestors", "descendants", "both"]
Side = Literal["ancestor", "descendant"]


def derivation_kinds(kg: KnowledgeGraph) -> list[DerivationKind]:
    """The derivation kinds of the ontology (subproperties of ``llmkg:derivedFrom``), by name,
    and ``unspecified`` (``llmkg:derivedFrom`` itself) last."""
    rows = select_rows(
        kg,
        """SELECT ?p (SAMPLE(?l) AS ?label) WHERE { ?p rdfs:subPropertyOf+ llmkg:derivedFrom
          OPTIONAL { ?p rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en") || LANG(?l) = "") } }
        GROUP BY ?p""",
    )
    names = {str(iri): kind for kind, iri in DERIVATION_PREDICATES.items()}
    kinds = [
        DerivationKind(
            name=names.get(iri, relation_name(iri)), property=iri, label=term_text(r["label"])
        )
        for r in rows
        if (iri := str(term_text(r["p"]))) != DERIVED_FROM
    ]
    generic = DerivationKind(name=UNSPECIFIED, property=DERIVED_FROM, label="derived from")
    return [*sorted(kinds, key=lambda k: k.name), generic]


def _resolve(kinds: list[DerivationKind], relations: Iterable[str] | None) -> list[str]:
    """The names of the kinds asked for (by name, snake_case property name or property IRI)."""
    if relations is None:
        return [k.name for k in kinds]
    by_spelling = {
        spelling: k.name
        for k in kinds
        for spelling in (k.name, relation_name(k.property), k.property)
    }
    chosen = []
    for relation in relations:
        for value in (v.strip() for v in relation.split(",")):
            if value not in by_spelling:
                match = difflib.get_close_matches(value[:100], [k.name for k in kinds], n=1)
                hint = f" (did you mean {match[0]!r}?)" if match else ""
                raise ParameterError(
                    f"unknown derivation kind {value[:100]!r}{hint};"
                    f" kinds: {', '.join(k.name for k in kinds)}"
                )
            if by_spelling[value] not in chosen:
                chosen.append(by_spelling[value])
    if not chosen:
        raise ParameterError("relation is empty: name one derivation kind or leave it out")
    return chosen


def _check_page(depth: int, limit: int, offset: int) -> None:
    if not 1 <= depth <= MAX_DEPTH:
        raise ParameterError(f"depth must be 1 to {MAX_DEPTH}, not {depth}")
    if not 1 <= limit <= MAX_LIMIT:
        raise ParameterError(f"limit must be 1 to {MAX_LIMIT}, not {limit}")
    if offset < 0:
        raise ParameterError(f"offset must be 0 or more, not {offset}")


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _values(iris: Iterable[str]) -> str:
    return " ".join(sparql_iri(i) for i in iris)


@dataclass(frozen=True)
class _Edge:
    near: str  # the model the walk came from
    far: str  # the model it led to
    name: str
    property: str
    side: Side


@dataclass
class _Walk:
    depths: dict[str, int]  # every model reached, with its depth (the root: 0)
    edges: list[_Edge]


def _walk(
    kg: KnowledgeGraph,
    root: str,
    side: Side,
    kinds: list[DerivationKind],
    wanted: set[str],
    depth: int,
) -> _Walk:
    """The models ``depth`` steps or fewer from ``root`` on one side, by the kinds ``wanted``."""
    names = {k.property: k.name for k in kinds}
    properties = ", ".join(sparql_iri(p) for p in names)
    triple = "?far ?p ?near" if side == "descendant" else "?near ?p ?far"
    depths: dict[str, int] = {root: 0}
    edges: list[_Edge] = []
    frontier = [root]
    for level in range(1, depth + 1):
        found: dict[tuple[str, str], set[str]] = {}
        for chunk in _chunks(frontier):
            rows = select_rows(
                kg,
                # ?p in a FILTER, not VALUES: Oxigraph then looks each ?near up in its
                # index instead of joining every triple (25 times faster at 100k models)
                f"SELECT DISTINCT ?near ?p ?far WHERE {{ VALUES ?near {{ {_values(chunk)} }}"
                f" {triple} FILTER(?p IN ({properties}) && isIRI(?far)) }}",
            )
            for r in rows:
                pair = (str(term_text(r["near"])), str(term_text(r["far"])))
                found.setdefault(pair, set()).add(str(term_text(r["p"])))
        frontier = []
        for (near, far), stated in sorted(found.items()):
            typed = stated - {DERIVED_FROM}
            kept = sorted(
                {(names[p], p) for p in typed} if typed else {(UNSPECIFIED, DERIVED_FROM)}
            )
            kept = [(n, p) for n, p in kept if n in wanted]
            if not kept or near == far:
                continue
            if far not in depths:
                depths[far] = level
                frontier.append(far)
            edges.extend(_Edge(near, far, n, p, side) for n, p in kept)
        if not frontier:
            break
    return _Walk(depths, edges)


def _licences(kg: KnowledgeGraph, iris: list[str] | None, day: str) -> dict[str, list[LicenceRef]]:
    """The licences of each model in ``iris`` (of every model, if None), each marked current
    if it held on ``day``."""
    stated: dict[tuple[str, str], set[str | None]] = {}
    pattern = "llmkg:licensedUnder ?l"
    queries = (
        [f"?m a llmkg:Model . {{ GRAPH ?g {{ ?m {pattern} }} }} UNION {{ ?m {pattern} }}"]
        if iris is None
        else [
            f"VALUES ?m {{ {_values(chunk)} }} {{ GRAPH ?g {{ ?m {pattern} }} }} UNION {{ ?m {pattern} }}"
            for chunk in _chunks(iris)
        ]
    )
    for where in queries:  # solutions read by position: 100k dicts would cost a second
        result = kg.query(f"SELECT ?m ?l ?g WHERE {{ {where} FILTER(isIRI(?l)) }}", prefixes=True)
        for m, licence, g in cast(ox.QuerySolutions, result):
            key = (str(term_text(m)), str(term_text(licence)))
            stated.setdefault(key, set()).add(term_text(g))
    graphs = sorted({g for found in stated.values() for g in found if g})
    provenance: dict[str, dict[str, str | None]] = {}
    for chunk in _chunks(graphs):
        provenance |= fact_provenance(kg, set(chunk))
    labels = fetch_labels(kg, {licence for _, licence in stated})
    licences: dict[str, list[LicenceRef]] = {}
    made: dict[tuple[str, str | None], LicenceRef] = {}  # shared: read-only, often alike
    for (model, licence), found in sorted(stated.items()):
        in_graphs: list[str | None] = [*sorted(g for g in found if g)] or [None]
        for graph in in_graphs:
            if (licence, graph) not in made:
                q = provenance.get(graph or "", no_provenance(graph))
                made[licence, graph] = LicenceRef(
                    id=_id(licence),
                    iri=licence,
                    label=labels.get(licence),
                    valid_from=q["valid_from"],
                    valid_until=q["valid_until"],
                    current=held(q, day),
                )
            licences.setdefault(model, []).append(made[licence, graph])
    return licences


@lru_cache(maxsize=65536)
def _id(iri: str) -> str:
    """The id of an entity IRI (the IRI itself for any other)."""
    return summarize(iri, "").id


def _current(licences: list[LicenceRef]) -> frozenset[str]:
    return frozenset(licence.id for licence in licences if licence.current)


def lineage(
    kg: KnowledgeGraph,
    id_: str,
    *,
    direction: LineageDirection = "both",
    relations: Iterable[str] | None = None,
    depth: int = MAX_DEPTH,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> Lineage:
    """The ancestors and descendants of the model ``id_``, up to ``depth`` steps away.

    ``relations`` (names, snake_case property names or IRIs; comma-separated values are
    split) restricts the derivations followed: with ``quantization`` only, the quantizations
    of the model, of those, and so on. The nodes are paged (ancestors first, nearest first,
    then by id), each page with the edges that led to its models; the counts are over every
    page. NotFoundError for an unknown model, ParameterError for an unknown kind or an
    out-of-range depth, limit or offset.
    """
    if direction not in ("ancestors", "descendants", "both"):
        raise ParameterError(f"direction must be ancestors, descendants or both, not {direction!r}")
    _check_page(depth, limit, offset)
    root = require_entity(kg, "model", id_)
    kinds = derivation_kinds(kg)
    wanted = _resolve(kinds, relations)
    sides: list[Side] = [s for s in ("ancestor", "descendant") if direction in ("both", f"{s}s")]
    walks = {side: _walk(kg, root, side, kinds, set(wanted), depth) for side in sides}
    ordered = sorted(
        ((side, iri, d) for side, w in walks.items() for iri, d in w.depths.items() if d),
        key=lambda n: (n[0] != "ancestor", n[2], _id(n[1]), n[1]),
    )
    edges = [e for w in walks.values() for e in w.edges]
    shown = ordered[offset : offset + limit]
    on_page = {(side, iri) for side, iri, _ in shown}
    page_edges = [
        e
        for e in edges
        if (e.side, e.far) in on_page or (e.far == root and (e.side, e.near) in on_page)
    ]
    day = date.today().isoformat()
    licences = _licences(kg, sorted({root} | {iri for _, iri, _ in ordered}), day)
    labels = fetch_labels(kg, {root} | {iri for _, iri, _ in shown})

    def node(side: Literal["self", "ancestor", "descendant"], iri: str, d: int) -> LineageNode:
        summary = summarize(iri, labels.get(iri, summarize(iri, "").id))
        return LineageNode(
            **summary.model_dump(), direction=side, depth=d, licences=licences.get(iri, [])
        )

    def edge(e: _Edge) -> LineageEdge:
        source, target = (e.far, e.near) if e.side == "descendant" else (e.near, e.far)
        return LineageEdge(
            source=_id(source),
            target=_id(target),
            relation=e.name,
            property=e.property,
            direction=e.side,
            depth=walks[e.side].depths[e.far],
        )

    by_licence: Counter[str] = Counter()
    unlicensed = 0
    for _, iri, _ in ordered:
        current = _current(licences.get(iri, []))
        by_licence.update(current)
        unlicensed += not current
    return Lineage(
        model=node("self", root, 0),
        direction=direction,
        relations=wanted,
        depth=depth,
        total=len(ordered),
        limit=limit,
        offset=offset,
        nodes=[node(side, iri, d) for side, iri, d in shown],
        edges=[edge(e) for e in page_edges],
        edges_total=len(edges),
        counts=LineageCounts(
            relations=dict(sorted(Counter(e.name for e in edges).items())),
            licences=dict(sorted(by_licence.items())),
            no_licence=unlicensed,
        ),
    )


def licence_drift(
    kg: KnowledgeGraph,
    *,
    base: str | None = None,
    as_of: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> DriftPage:
    """Derived models whose current licences differ from those of an ancestor.

    A pair (model, ancestor) drifts when both have a licence in force on ``as_of`` (today, if
    None) and the two sets differ; a model with no licence stated is left out (unknown is not
    drift). Ancestors up to :data:`MAX_DEPTH` steps away count, by every derivation kind.
    With ``base``, only the base model's descendants, and their ancestors within its tree.
    Sorted by model id, distance, then ancestor id.
    """
    _check_page(1, limit, offset)
    day = date.today().isoformat() if as_of is None else as_of_date(as_of)
    kinds = derivation_kinds(kg)
    parents: dict[str, set[str]] = {}
    if base is None:
        rows = select_rows(
            kg,
            f"SELECT DISTINCT ?m ?b WHERE {{ ?m {'|'.join(sparql_iri(k.property) for k in kinds)} ?b ."
            " ?m a llmkg:Model . FILTER(isIRI(?b) && ?m != ?b) }",
        )
        for r in rows:
            parents.setdefault(str(term_text(r["m"])), set()).add(str(term_text(r["b"])))
        licences = _licences(kg, None, day)
    else:
        root = require_entity(kg, "model", base)
        walk = _walk(kg, root, "descendant", kinds, {k.name for k in kinds}, MAX_DEPTH)
        for e in walk.edges:
            parents.setdefault(e.far, set()).add(e.near)
        licences = _licences(kg, sorted(walk.depths), day)
    drifts: list[tuple[str, int, str]] = []
    for model in parents:
        mine = _current(licences.get(model, []))
        if not mine:
            continue
        for ancestor, distance in _ancestors(parents, model):
            theirs = _current(licences.get(ancestor, []))
            if theirs and theirs != mine:
                drifts.append((model, distance, ancestor))
    drifts.sort(key=lambda d: (_id(d[0]), d[1], _id(d[2])))
    shown = drifts[offset : offset + limit]
    labels = fetch_labels(kg, {iri for m, _, a in shown for iri in (m, a)})

    def entity(iri: str) -> EntitySummary:
        return summarize(iri, labels.get(iri, summarize(iri, "").id))

    return DriftPage(
        base=base,
        as_of=day,
        total=len(drifts),
        limit=limit,
        offset=offset,
        items=[
            LicenceDrift(
                model=entity(m),
                licences=licences.get(m, []),
                ancestor=entity(a),
                ancestor_licences=licences.get(a, []),
                distance=distance,
            )
            for m, distance, a in shown
        ],
    )


def _ancestors(parents: dict[str, set[str]], model: str) -> Iterator[tuple[str, int]]:
    """Each ancestor of ``model`` within ``parents``, with its distance, nearest first."""
    seen = {model}
    queue = deque([(model, 0)])
    while queue:
        here, distance = queue.popleft()
        if distance == MAX_DEPTH:
            continue
        for parent in sorted(parents.get(here, ())):
            if parent not in seen:
                seen.add(parent)
                queue.append((parent, distance + 1))
                yield parent, distance + 1
