"""Any IRI of the graph as a Linked Data resource: its triples for machines, its statements
and backlinks for a page.

Entities (``.../id/<kind>/<id>``) have :func:`kg.read.lookup.entity` for their facts with
provenance; this module serves every other IRI the same way (concepts, concept schemes,
places, languages, imported catalogues and assessments) and gives the RDF description of
any of them, entities included: as triples, or as a dataset whose named graphs say where each
fact comes from.

A path of ``/id/`` reaches SPARQL only once :func:`resource_iri` has found it to have the shape
of an IRI the graph can hold; the IRIs of queries here are checked again by ``ox.NamedNode``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import get_args

import pyoxigraph as ox
from pydantic import BaseModel, Field

from kg.compile.dumps import to_jsonld
from kg.compile.rdf import PROVENANCE_GRAPH
from kg.errors import NotFoundError
from kg.graph import KnowledgeGraph
from kg.read.lookup import fetch_labels, relation_name, value_of
from kg.read.models import Value
from kg.read.rows import select_rows, term_text
from kg.schema.fields import Slug
from kg.schema.records import KINDS
from kg.schema.vocabulary import ID, PREFIXES, SCHEMES

RDF_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
"""The RDF serializations of triples a resource is offered in, by media type."""
DATASET_TYPES: dict[str, ox.RdfFormat] = {
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
"""The RDF serializations of datasets (:func:`describe_dataset`), by media type."""

PRIMARY_TOPIC = "http://xmlns.com/foaf/0.1/primaryTopic"
"""Left out of backlinks: every fact graph about an entity points at it with this."""
BACKLINKS = 500
"""Most backlinks a page lists (the total is counted)."""

SLUG = re.compile(get_args(Slug)[1].pattern.strip("^$"))
"""Ids of records and codes of concepts: the records' ``Slug`` (``^[a-z0-9][a-z0-9.-]*$``)."""
LONGEST = 200
"""Most characters of one segment of a path (the longest id in data/ has 38)."""
ENTITY_SPACES = (*KINDS, "software")
"""First segments of entity IRIs: the record kinds, and software that only imports know."""

Segment = tuple[str, re.Pattern[str], str]
"""One segment of a path: its name, its pattern, and what the pattern says in words."""
_ID: Segment = ("id", SLUG, f"ids match ^{SLUG.pattern}$")
_NAME: Segment = ("name", SLUG, f"names match ^{SLUG.pattern}$")
SHAPES: dict[str, tuple[int, tuple[Segment, ...]]] = {
    **{space: (1, (_ID,)) for space in ENTITY_SPACES},
    **{scheme: (0, (("code", SLUG, f"codes match ^{SLUG.pattern}$"),)) for scheme in SCHEMES},
    "fact": (
        3,
        (
            (
                "kind",
                re.compile("|".join(map(re.escape, ENTITY_SPACES))),
                f"kinds: {', '.join(ENTITY_SPACES)}",
            ),
            _ID,
            ("digest", re.compile("[0-9a-f]+"), "digests are hexadecimal"),
        ),
    ),
    "graph": (1, (_NAME,)),
    "catalogue": (1, (_NAME,)),
    "assessment": (
        2,
        (
            ("catalogue", SLUG, f"catalogue names match ^{SLUG.pattern}$"),
            # a catalogue's own name of its record (os-ai-map keeps its spelling)
            ("record", re.compile("[A-Za-z0-9][A-Za-z0-9._~-]*"), "unreserved characters"),
            ("dimension", SLUG, f"codes match ^{SLUG.pattern}$"),
        ),
    ),
}
"""What follows each first segment of the IRIs the graph mints under ``.../id/``: how many
segments at least, and each segment (kg.compile.rdf, kg.importers.facts, ontology/)."""


def resource_iri(path: str) -> str:
    """The IRI ``https://w3id.org/llmkg/id/<path>``, if ``path`` has the shape of one that the
    graph can hold: ``<kind>/<id>``, ``<scheme>`` and ``<scheme>/<code>``,
    ``fact/<kind>/<id>/<digest>``, ``graph/<name>``, ``catalogue/<name>`` or
    ``assessment/<catalogue>/<record>[/<dimension>]``, with ids and codes matching the
    records' ``Slug``. Nothing is looked up: this only rules out, before any query, the paths
    that cannot name anything.

    Raises
    ------
    NotFoundError
        Saying why no resource can have that path.

    Examples
    --------
    >>> resource_iri("model/bloom"), resource_iri("lifecycle-phase")
    ('https://w3id.org/llmkg/id/model/bloom', 'https://w3id.org/llmkg/id/lifecycle-phase')
    >>> resource_iri('model/bl"oom')
    Traceback (most recent call last):
    ...
    kg.errors.NotFoundError: no such resource: 'bl"oom' cannot be a model id (ids match ^[a-z0-9][a-z0-9.-]*$)
    >>> resource_iri("modle/bloom")
    Traceback (most recent call last):
    ...
    kg.errors.NotFoundError: no such resource: the graph has no kind, concept scheme or namespace 'modle' (did you mean 'model'?)
    >>> resource_iri("model")
    Traceback (most recent call last):
    ...
    kg.errors.NotFoundError: no such resource: model IRIs are /id/model/<id>
    """
    space, *rest = path.split("/")
    if space not in SHAPES:
        match = difflib.get_close_matches(space[:LONGEST], list(SHAPES), n=1)
        hint = f" (did you mean {match[0]!r}?)" if match else ""
        raise NotFoundError(
            "no such resource: the graph has no kind, concept scheme or namespace"
            f" {_shown(space)}{hint}"
        )
    least, fields = SHAPES[space]
    if not least <= len(rest) <= len(fields):
        forms = (
            "/".join(["/id", space, *(f"<{name}>" for name, _, _ in fields[:n])])
            for n in range(least, len(fields) + 1)
        )
        raise NotFoundError(f"no such resource: {space} IRIs are {' or '.join(forms)}")
    for (name, pattern, rule), segment in zip(fields, rest, strict=False):
        if len(segment) > LONGEST:
            raise NotFoundError(
                f"no such resource: a {space} {name} has at most {LONGEST} characters,"
                f" not {len(segment)}"
            )
        if not pattern.fullmatch(segment):
            raise NotFoundError(
                f"no such resource: {_shown(segment)} cannot be a {space} {name} ({rule})"
            )
    return ID + path


def _shown(text: str) -> str:
    """``text`` quoted for a message, control characters escaped, cut after 60 characters."""
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _node(iri: str) -> str:
    """``iri`` as a SPARQL IRI, once pyoxigraph has found it a valid IRI (no quote, space,
    bracket or control character can end it early).

    Raises
    ------
    NotFoundError
        If ``iri`` is not a valid IRI: then no resource has it.
    """
    try:
        return str(ox.NamedNode(iri))
    except ValueError:
        raise NotFoundError(f"no such resource: {_shown(iri)} is not a valid IRI") from None


def exists(kg: KnowledgeGraph, iri: str) -> bool:
    """Whether some triple mentions ``iri`` as subject or object."""
    node = _node(iri)
    return bool(kg.query(f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s ?p {node} }} }}"))


class Statement(BaseModel):
    """One triple with the resource as subject."""

    property: str
    relation: str = Field(description="snake_case name of the property")
    property_label: str | None = None
    object: Value


class Backlink(BaseModel):
    """One triple with the resource as object."""

    property: str
    relation: str
    property_label: str | None = None
    subject: Value


class Resource(BaseModel):
    """What the graph says of one IRI, and what points at it."""

    iri: str
    label: str
    types: list[str]
    statements: list[Statement]
    backlinks: list[Backlink]
    backlinks_total: int


def describe(kg: KnowledgeGraph, iri: str) -> list[ox.Triple]:
    """The triples about ``iri``, in a stable order: those it is the subject of, those it
    is the object of (fact graphs' ``foaf:primaryTopic`` aside), and the labels of the
    resources on their other side.

    Raises
    ------
    NotFoundError
        If no triple mentions ``iri``.
    """
    node = _node(iri)
    triples = construct(
        kg,
        f"""CONSTRUCT {{ {node} ?p ?o . ?s ?q {node} . ?x rdfs:label ?l }} WHERE {{
          {{ {node} ?p ?o }} UNION {{ ?s ?q {node} FILTER(?q != <{PRIMARY_TOPIC}>) }}
          UNION {{ {{ {node} ?p1 ?x }} UNION {{ ?x ?q1 {node} FILTER(?q1 != <{PRIMARY_TOPIC}>) }}
                   ?x rdfs:label ?l }} }}""",
    )
    if not triples:
        raise NotFoundError(f"nothing in the graph is about {iri}")
    return triples


def describe_dataset(kg: KnowledgeGraph, iri: str) -> list[ox.Quad]:
    """:func:`describe` as a dataset: its triples in the default graph, each again in the
    named graphs of the store that state it (a fact graph, the ontology graph, the provenance
    graph), and what the provenance graph says of those fact graphs (topic, source,
    confidence, phase, note) and of their sources (the catalogue an imported file is part
    of). Default graph first, then the graphs by name.

    Raises
    ------
    NotFoundError
        If no triple mentions ``iri``.
    """
    triples = describe(kg, iri)
    node = _node(iri)
    rows = select_rows(
        kg,
        f"""SELECT DISTINCT ?s ?p ?o ?g WHERE {{
          {{ GRAPH ?g {{ {node} ?p ?o }} BIND({node} AS ?s) }}
          UNION {{ GRAPH ?g {{ ?s ?p {node} }} FILTER(?p != <{PRIMARY_TOPIC}>) BIND({node} AS ?o) }}
          UNION {{ {{ {node} ?p1 ?s }} UNION {{ ?s ?q1 {node} FILTER(?q1 != <{PRIMARY_TOPIC}>) }}
                   GRAPH ?g {{ ?s rdfs:label ?o }} BIND(rdfs:label AS ?p) }} }}""",
    )
    quads = {
        ox.Quad(r["s"], r["p"], r["o"], r["g"])  # type: ignore[arg-type]
        for r in rows
    }
    graphs = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
    if graphs:
        described = select_rows(
            kg,
            f"""SELECT DISTINCT ?x ?p ?o WHERE {{ GRAPH {_node(PROVENANCE_GRAPH.value)} {{
              VALUES ?g {{ {" ".join(_node(g) for g in graphs)} }}
              {{ ?g ?p ?o BIND(?g AS ?x) }} UNION {{ ?g prov:wasDerivedFrom ?x . ?x ?p ?o }} }} }}""",
        )
        quads |= {
            ox.Quad(r["x"], r["p"], r["o"], PROVENANCE_GRAPH)  # type: ignore[arg-type]
            for r in described
        }
    return as_dataset(triples, quads)


def as_dataset(triples: Iterable[ox.Triple], named: Iterable[ox.Quad] = ()) -> list[ox.Quad]:
    """``triples`` in the default graph, then the quads of ``named``, in a stable order."""
    default = ox.DefaultGraph()
    quads = {ox.Quad(t.subject, t.predicate, t.object, default) for t in triples} | set(named)
    return sorted(
        quads,
        key=lambda q: (
            q.graph_name != default,
            str(q.graph_name),
            str(q.subject),
            str(q.predicate),
            str(q.object),
        ),
    )


def construct(kg: KnowledgeGraph, sparql: str) -> list[ox.Triple]:
    """The triples of a CONSTRUCT query (with the dumps' prefixes), deduplicated and sorted.

    The result is read to the end here: pyoxigraph's iterator must not outlive the thread
    that made it.
    """
    result = kg.query(sparql, prefixes=True)
    if not isinstance(result, ox.QueryTriples):
        raise TypeError("a CONSTRUCT query was expected")
    return sorted(set(result), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def serialize(triples: list[ox.Triple], media_type: str) -> bytes:
    """``triples`` in the RDF serialization ``media_type`` (a key of :data:`RDF_TYPES`);
    JSON-LD is compacted with the prefixes of the dumps.

    Examples
    --------
    >>> t = ox.Triple(ox.NamedNode("https://w3id.org/llmkg/id/model/bloom"),
    ...               ox.NamedNode("https://w3id.org/llmkg/ns#trainedOn"),
    ...               ox.NamedNode("https://w3id.org/llmkg/id/dataset/roots"))
    >>> serialize([t], "application/n-triples").decode()
    '<https://w3id.org/llmkg/id/model/bloom> <https://w3id.org/llmkg/ns#trainedOn> <https://w3id.org/llmkg/id/dataset/roots> .\\n'
    >>> serialize([t], "text/turtle").decode().splitlines()[-1]
    'model:bloom llmkg:trainedOn dataset:roots .'
    """
    if media_type == "application/ld+json":
        return to_jsonld(triples).encode()
    return ox.serialize(triples, format=RDF_TYPES[media_type], prefixes=PREFIXES) or b""


def serialize_dataset(quads: list[ox.Quad], media_type: str) -> bytes:
    """``quads`` in the dataset serialization ``media_type`` (a key of :data:`DATASET_TYPES`).

    Examples
    --------
    >>> t = ox.Triple(ox.NamedNode("https://w3id.org/llmkg/id/model/bloom"),
    ...               ox.NamedNode("https://w3id.org/llmkg/ns#trainedOn"),
    ...               ox.NamedNode("https://w3id.org/llmkg/id/dataset/roots"))
    >>> g = ox.NamedNode("https://w3id.org/llmkg/id/fact/model/bloom/4f0c")
    >>> nquads = serialize_dataset(as_dataset([t], [ox.Quad(*t, g)]), "application/n-quads")
    >>> [line.split()[-2] for line in nquads.decode().splitlines()]
    ['<https://w3id.org/llmkg/id/dataset/roots>', '<https://w3id.org/llmkg/id/fact/model/bloom/4f0c>']
    """
    return ox.serialize(quads, format=DATASET_TYPES[media_type], prefixes=PREFIXES) or b""


def resource(kg: KnowledgeGraph, iri: str) -> Resource:
    """The statements about ``iri`` and (up to :data:`BACKLINKS`) the ones pointing at it.

    Raises
    ------
    NotFoundError
        If no triple mentions ``iri``.
    """
    node = _node(iri)
    out = select_rows(kg, f"SELECT DISTINCT ?p ?o WHERE {{ {node} ?p ?o }}")
    into = select_rows(
        kg,
        f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node} FILTER(?p != <{PRIMARY_TOPIC}>) }}"
        f" ORDER BY ?p ?s LIMIT {BACKLINKS + 1}",
    )
    if not out and not into:
        raise NotFoundError(f"nothing in the graph is about {iri}")
    total = len(into)
    if total > BACKLINKS:
        counted = select_rows(
            kg,
            f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {node}"
            f" FILTER(?p != <{PRIMARY_TOPIC}>) }} }}",
        )
        total = int(str(term_text(counted[0]["n"])))
        into = into[:BACKLINKS]
    named = {iri} | {str(term_text(r["p"])) for r in out + into}
    named |= {str(term_text(r["o"])) for r in out if isinstance(r["o"], ox.NamedNode)}
    named |= {str(term_text(r["s"])) for r in into if isinstance(r["s"], ox.NamedNode)}
    labels = fetch_labels(kg, named)
    rdf_type, rdfs_label = f"{PREFIXES['rdf']}type", f"{PREFIXES['rdfs']}label"
    statements = sorted(
        (
            Statement(
                property=str(term_text(r["p"])),
                relation=relation_name(str(term_text(r["p"]))),
                property_label=labels.get(str(term_text(r["p"]))),
                object=value_of(r["o"], labels.get(str(term_text(r["o"])))),
            )
            for r in out
        ),
        key=lambda s: (s.property_label or s.relation, s.object.label or s.object.value or ""),
    )
    backlinks = [
        Backlink(
            property=str(term_text(r["p"])),
            relation=relation_name(str(term_text(r["p"]))),
            property_label=labels.get(str(term_text(r["p"]))),
            subject=value_of(r["s"], labels.get(str(term_text(r["s"])))),
        )
        for r in into
    ]
    backlinks.sort(key=lambda b: (b.property_label or b.relation, (b.subject.label or "").lower()))
    return Resource(
        iri=iri,
        label=labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1],
        types=sorted(str(s.object.iri) for s in statements if s.property == rdf_type),
        statements=[s for s in statements if s.property not in (rdf_type, rdfs_label)],
        backlinks=backlinks,
        backlinks_total=total,
    )
