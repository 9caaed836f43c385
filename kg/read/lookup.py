"""Entity lookups over the store: search, facts with provenance, typed links, catalogues.

Everything here reads the RDF store with SPARQL, never the YAML records, so the same lookups
work on a store built from data/, on a store loaded with ``kg load``, and on a remote store.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from functools import partial
from typing import Literal, cast

import pyoxigraph as ox

from kg.errors import NotFoundError, ParameterError
from kg.graph import KnowledgeGraph
from kg.read.models import (
    Entity,
    EntitySummary,
    Fact,
    LinkFact,
    Page,
    ProjectSummary,
    Value,
)
from kg.read.provenance import as_of_date, fact_provenance, held, no_provenance
from kg.read.rows import select_rows, sparql_iri, term_text
from kg.read.search import SearchIndex
from kg.schema.fields import SLUG
from kg.schema.records import ARTIFACT_KINDS, KINDS
from kg.schema.vocabulary import ID, PREFIXES

Direction = Literal["in", "out", "both"]
CLASS_OF_KIND = {
    kind: f"{PREFIXES['llmkg']}{''.join(p.title() for p in kind.split('-'))}" for kind in KINDS
}


def relation_name(iri: str) -> str:
    """The snake_case name of a property IRI.

    Examples
    --------
    >>> relation_name("https://w3id.org/llmkg/ns#trainedOn"), relation_name("http://www.w3.org/ns/org#subOrganizationOf")
    ('trained_on', 'sub_organization_of')
    """
    local = re.split(r"[#/]", iri)[-1]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", local).lower()


def split_iri(iri: str) -> tuple[str, str] | None:
    """(kind, id) of an entity IRI, or None for any other IRI."""
    kind, _, id_ = iri.removeprefix(ID).partition("/")
    if iri.startswith(ID) and kind in KINDS and id_ and "/" not in id_:
        return kind, id_
    return None


def _check_code(value: str, what: str, error: type[NotFoundError | ParameterError]) -> None:
    """Refuse, before any query, a request value that cannot be an id or a code."""
    if not SLUG.fullmatch(value) or len(value) > 200:
        raise error(f"no {what} {value!r}: ids and codes match {SLUG.pattern}")


def _literal(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def require_kind(kind: str) -> None:
    """Raise NotFoundError for an unknown kind, naming the closest."""
    if kind not in KINDS:
        match = difflib.get_close_matches(kind, list(KINDS), n=1)
        hint = f" (did you mean {match[0]!r}?)" if match else ""
        raise NotFoundError(f"no kind {kind!r}{hint}; kinds: {', '.join(sorted(KINDS))}")


def require_entity(kg: KnowledgeGraph, kind: str, id_: str) -> str:
    """The IRI of ``kind/id_``, or NotFoundError with the closest ids of that kind."""
    require_kind(kind)
    _check_code(id_, f"{kind} with id", NotFoundError)
    iri = f"{ID}{kind}/{id_}"
    if kg.query(f"ASK {{ {sparql_iri(iri)} ?p ?o }}"):
        return iri
    ids = [
        str(term_text(row["id"]))
        for row in select_rows(
            kg,
            f"SELECT ?id WHERE {{ ?e a {sparql_iri(CLASS_OF_KIND[kind])} ; dcterms:identifier ?id }}",
        )
    ]
    match = difflib.get_close_matches(id_, ids, n=3)
    hint = f" (did you mean {' or '.join(repr(m) for m in match)}?)" if match else ""
    raise NotFoundError(f"no {kind} with id {id_!r}{hint}")


def require_place(kg: KnowledgeGraph, code: str) -> str:
    """The IRI of the place ``code``, or ParameterError with the closest codes."""
    _check_code(code, "region", ParameterError)
    iri = f"{ID}place/{code}"
    if kg.query(f"ASK {{ {sparql_iri(iri)} a llmkg:Place }}", prefixes=True):
        return iri
    codes = [
        str(term_text(r["c"]))
        for r in select_rows(kg, "SELECT ?c WHERE { ?p a llmkg:Place ; skos:notation ?c }")
    ]
    match = difflib.get_close_matches(code, [c.lower() for c in codes], n=1)
    hint = f" (did you mean {match[0]!r}?)" if match else ""
    raise ParameterError(f"unknown region {code!r}{hint}")


def search_entities(
    kg: KnowledgeGraph,
    index: SearchIndex,
    *,
    kind: str | None = None,
    q: str | None = None,
    region: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Page:
    """Entities whose label, alias or id contains ``q``, best matches first.

    Exact matches come first, then prefixes, then other matches; ``kind`` restricts to one
    kind and ``region`` to entities based in, targeting, or developed by organizations based
    in that place or any place within it.
    """
    if kind is not None:
        require_kind(kind)
    within = None if region is None else _in_region(kg, region)
    matches = index.search(q, kinds={kind} if kind else None, within=within)
    items = [
        EntitySummary(kind=e.kind, id=e.id, iri=e.iri, label=e.label)
        for e in matches[offset : offset + limit]
    ]
    return Page(total=len(matches), limit=limit, offset=offset, items=items)


def _in_region(kg: KnowledgeGraph, region: str) -> set[str]:
    """IRIs of entities based in, targeting, or developed by organizations based in ``region``.

    Two queries: the places within the region first, so that the join starts small.
    """
    place = require_place(kg, region)
    places = select_rows(kg, f"SELECT ?pl WHERE {{ ?pl skos:broader* {sparql_iri(place)} }}")
    values = " ".join(sparql_iri(str(term_text(r["pl"]))) for r in places)
    rows = select_rows(
        kg,
        f"""SELECT DISTINCT ?e WHERE {{ VALUES ?pl {{ {values} }}
          {{ ?e llmkg:basedIn|llmkg:targetsRegion ?pl }} UNION {{ ?o llmkg:basedIn ?pl . ?e llmkg:developedBy ?o }} }}""",
    )
    return {str(term_text(r["e"])) for r in rows}


def summarize(iri: str, label: str) -> EntitySummary:
    kind, id_ = split_iri(iri) or ("", iri)
    return EntitySummary(kind=kind, id=id_, iri=iri, label=label)


Stated = tuple[ox.NamedNode, object, object, str | None]


def _stated(
    kg: KnowledgeGraph, subject: str | None, obj: str | None, where: str = ""
) -> list[Stated]:
    """(predicate, subject, object, fact graph) of each triple from ``subject`` or to ``obj``.

    ``where`` may constrain ``?s`` or ``?o``. A triple stated in several fact graphs comes once
    per graph; a triple outside any named graph (a store filled with ``kg load``) comes once,
    without a graph.
    """
    if not where and isinstance(kg.rdf, ox.Store):  # an index scan: no query to plan
        return _stated_quads(kg.rdf, subject, obj)
    s = sparql_iri(subject) if subject else "?s"
    o = sparql_iri(obj) if obj else "?o"
    rows = select_rows(
        kg, f"SELECT * WHERE {{ {{ GRAPH ?g {{ {s} ?p {o} }} }} UNION {{ {s} ?p {o} }} {where} }}"
    )
    facts = [
        (
            cast(ox.NamedNode, r["p"]),
            r["s"] if subject is None else ox.NamedNode(subject),
            r["o"] if obj is None else ox.NamedNode(obj),
            term_text(r["g"]),
        )
        for r in rows
    ]
    return _once(facts)


def _once(facts: Sequence[Stated]) -> list[Stated]:
    """``facts`` without the union's copy of a triple that a named graph states."""
    in_graphs = {(p, s_, o_) for p, s_, o_, g in facts if g is not None}
    return [f for f in facts if f[3] is not None or (f[0], f[1], f[2]) not in in_graphs]


def _stated_quads(store: ox.Store, subject: str | None, obj: str | None) -> list[Stated]:
    """:func:`_stated` read from the store's indexes: the same facts, without SPARQL (which
    reads every triple twice there, once per graph and once in the union)."""
    quads = store.quads_for_pattern(
        ox.NamedNode(subject) if subject else None, None, ox.NamedNode(obj) if obj else None
    )
    facts = [
        (
            q.predicate,
            q.subject,
            q.object,
            None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value,
        )
        for q in quads
    ]
    return _once(facts)


LABELS = (ox.NamedNode(f"{PREFIXES['rdfs']}label"), ox.NamedNode(f"{PREFIXES['skos']}prefLabel"))


def fetch_labels(kg: KnowledgeGraph, iris: set[str]) -> dict[str, str]:
    """A label (rdfs:label or skos:prefLabel) of each IRI in ``iris`` that has one."""
    if not iris:
        return {}
    if isinstance(kg.rdf, ox.Store):  # an index seek per IRI not read before, no query to plan
        store = kg.rdf
        found = {iri: kg.terms.get(("label", iri), partial(_label, store, iri)) for iri in iris}
        return {iri: label for iri, label in found.items() if label is not None}
    rows = select_rows(
        kg,
        f"""SELECT ?x (SAMPLE(?l) AS ?label) WHERE {{
          VALUES ?x {{ {" ".join(sparql_iri(i) for i in sorted(iris))} }} ?x rdfs:label|skos:prefLabel ?l }} GROUP BY ?x""",
    )
    return {str(term_text(r["x"])): str(term_text(r["label"])) for r in rows}


def _label(store: ox.Store, iri: str) -> str | None:
    node = ox.NamedNode(iri)
    for predicate in LABELS:
        for quad in store.quads_for_pattern(node, predicate, None):
            return term_text(quad.object)
    return None


def entity(kg: KnowledgeGraph, kind: str, id_: str, *, as_of: str | None = None) -> Entity:
    """Every fact about ``kind/id_``, each with its source, confidence, phase, note and
    validity; with ``as_of`` (2024, 2024-03 or 2024-03-15), only the facts that held then."""
    day = None if as_of is None else as_of_date(as_of)
    iri = f"{ID}{kind}/{id_}"
    stated = _stated(kg, iri, None) if kind in KINDS and SLUG.fullmatch(id_) else []
    if not stated:
        require_entity(kg, kind, id_)  # raises, with the closest ids
    provenance = fact_provenance(kg, {g for *_, g in stated if g})
    stated = [f for f in stated if held(provenance.get(f[3] or "", no_provenance(f[3])), day)]
    labels = fetch_labels(
        kg,
        {str(term_text(t)) for p, _, o, _ in stated for t in (p, o) if isinstance(t, ox.NamedNode)},
    )
    facts, types, label = [], [], id_
    for p, _, o, graph in sorted(stated, key=lambda f: (str(f[0]), str(f[2]), f[3] or "")):
        if p.value == f"{PREFIXES['rdf']}type":
            types.append(str(term_text(o)))
        if p.value == f"{PREFIXES['rdfs']}label":
            label = str(term_text(o))
        value = value_of(o, labels.get(str(term_text(o))) if isinstance(o, ox.NamedNode) else None)
        facts.append(
            Fact(
                property=p.value,
                relation=relation_name(p.value),
                property_label=labels.get(p.value),
                object=value,
                **provenance.get(graph or "", no_provenance(graph)),
            )
        )
    return Entity(kind=kind, id=id_, iri=iri, label=label, types=sorted(set(types)), facts=facts)


def value_of(term: object, label: str | None) -> Value:
    if isinstance(term, ox.Literal):
        language = term.language
        datatype = None if language else term.datatype.value
        return Value(value=term.value, datatype=datatype, language=language)
    iri = str(term_text(term))
    kind, id_ = split_iri(iri) or (None, None)
    return Value(iri=iri, label=label, kind=kind, id=id_)


def links(
    kg: KnowledgeGraph,
    kind: str,
    id_: str,
    *,
    relation: str | None = None,
    phase: str | None = None,
    direction: Direction = "both",
    as_of: str | None = None,
) -> list[LinkFact]:
    """Typed links between ``kind/id_`` and other entities, outgoing and incoming; with
    ``as_of``, only the links that held on that date."""
    day = None if as_of is None else as_of_date(as_of)
    iri = require_entity(kg, kind, id_)
    ways = [w for w in ("out", "in") if direction in (w, "both")]
    stated = {
        way: [
            link
            for link in (
                _stated(kg, iri, None, "?o dcterms:identifier ?other")
                if way == "out"
                else _stated(kg, None, iri, "?s dcterms:identifier ?other")
            )
            if relation is None or relation in (relation_name(link[0].value), link[0].value)
        ]
        for way in ways
    }
    graphs = {g for found in stated.values() for *_, g in found if g}
    provenance = fact_provenance(kg, graphs)
    others = {
        str(term_text(o if way == "out" else s))
        for way, found in stated.items()
        for _, s, o, _ in found
    }
    labels = fetch_labels(kg, others)
    links = []
    for way, found in stated.items():
        for p, s, o, graph in sorted(
            found, key=lambda f: (str(f[0]), str(f[1]), str(f[2]), f[3] or "")
        ):
            other = str(term_text(o if way == "out" else s))
            qualifiers = provenance.get(graph or "", no_provenance(graph))
            if (phase is not None and qualifiers["phase"] != phase) or not held(qualifiers, day):
                continue
            links.append(
                LinkFact(
                    direction=way,
                    relation=relation_name(p.value),
                    property=p.value,
                    other=summarize(other, labels.get(other, "")),
                    **qualifiers,
                )
            )
    return links


def projects(
    kg: KnowledgeGraph, *, governance_model: str | None = None, region: str | None = None
) -> list[ProjectSummary]:
    """Projects with their governance model, optionally filtered by model and region."""
    filters = []
    if governance_model is not None:
        _check_code(governance_model, "governance model", ParameterError)
        iri = f"{ID}governance-model/{governance_model}"
        if not kg.query(f"ASK {{ {sparql_iri(iri)} a llmkg:GovernanceModel }}", prefixes=True):
            known = [
                str(term_text(r["c"]))
                for r in select_rows(
                    kg, "SELECT ?c { ?m a llmkg:GovernanceModel ; skos:notation ?c }"
                )
            ]
            match = difflib.get_close_matches(governance_model, known, n=1)
            hint = f" (did you mean {match[0]!r}?)" if match else ""
            raise ParameterError(
                f"unknown governance model {governance_model!r}{hint}; models: {', '.join(sorted(known))}"
            )
        filters.append(f"?e llmkg:governanceModel {sparql_iri(iri)} .")
    matching = select_rows(
        kg, f"SELECT DISTINCT ?e WHERE {{ ?e a llmkg:Project . {' '.join(filters)} }}"
    )
    iris = [str(term_text(r["e"])) for r in matching]
    if region is not None:
        within = _in_region(kg, region)
        iris = [i for i in iris if i in within]
    values = " ".join(sparql_iri(i) for i in iris)
    rows = select_rows(  # a second query: joined with the filters, the path is evaluated per row
        kg,
        f"""SELECT * {{ SELECT ?e (SAMPLE(?l) AS ?label) (SAMPLE(?gm) AS ?model)
          (GROUP_CONCAT(DISTINCT ?code; separator=" ") AS ?places)
        WHERE {{ VALUES ?e {{ {values} }} ?e rdfs:label ?l .
          OPTIONAL {{ ?e llmkg:governanceModel/skos:notation ?gm }}
          OPTIONAL {{ {{ ?e llmkg:targetsRegion ?place }} UNION {{ ?e llmkg:developedBy/llmkg:basedIn ?place }}
                      ?place skos:notation ?c BIND(LCASE(?c) AS ?code) }} }}
        GROUP BY ?e }} ORDER BY LCASE(STR(?label))""",
    )
    return [
        ProjectSummary(
            **summarize(str(term_text(r["e"])), str(term_text(r["label"]))).model_dump(),
            governance_model=term_text(r["model"]),
            regions=sorted(set(str(term_text(r["places"]) or "").split())),
        )
        for r in rows
    ]


def artifacts(kg: KnowledgeGraph, *, kind: str | None = None) -> list[EntitySummary]:
    """Artifacts (models, datasets, benchmarks, frameworks, leaderboards, compute, forums)."""
    if kind is not None and kind not in ARTIFACT_KINDS:
        match = difflib.get_close_matches(kind, ARTIFACT_KINDS, n=1)
        hint = f" (did you mean {match[0]!r}?)" if match else ""
        raise ParameterError(
            f"unknown artifact kind {kind!r}{hint}; kinds: {', '.join(ARTIFACT_KINDS)}"
        )
    classes = " ".join(sparql_iri(CLASS_OF_KIND[k]) for k in ([kind] if kind else ARTIFACT_KINDS))
    rows = select_rows(
        kg,
        f"SELECT ?e (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?class {{ {classes} }} ?e a ?class ; rdfs:label ?l ;"
        " dcterms:identifier ?id } GROUP BY ?e ORDER BY ?e",
    )
    return [summarize(str(term_text(r["e"])), str(term_text(r["label"]))) for r in rows]
