"""Linked Data: every IRI of the graph dereferences at /id/..., by content negotiation, and
a path that cannot be an IRI of the graph is a 404 before any query."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import unquote
from urllib.request import Request

import httpx
import pyoxigraph as ox
import pytest
import rdflib
import rdflib.parser
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from api.pages.linked_data import _target
from kg.errors import NotFoundError
from kg.graph import KnowledgeGraph
from kg.read.resources import describe_dataset, resource_iri
from kg.schema.vocabulary import ID

CHAT = f"{ID}model/chat-7b"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


def varies(response: httpx.Response) -> list[str]:
    """The Vary header's fields (CORS adds Origin to Accept)."""
    return [v.strip() for v in response.headers["vary"].split(",")]


def triples(response: httpx.Response, media: str) -> set[ox.Triple]:
    return {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(response.content, format=FORMATS[media])
    }


@pytest.mark.parametrize("media", list(FORMATS))
def test_entity_iri_answers_each_rdf_format_at_the_same_url(
    client: httpx.Client, media: str
) -> None:
    response = client.get("/id/model/chat-7b", headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "Accept" in varies(response)
    name = {"text/turtle": "turtle", "application/n-triples": "ntriples"}.get(media)
    name = name or {"application/ld+json": "jsonld", "application/rdf+xml": "rdfxml"}[media]
    assert response.headers["content-location"] == f"/id/model/chat-7b?format={name}"
    found = triples(response, media)
    # the same graph in every format, and the same as ?format=
    assert found == triples(
        client.get("/id/model/chat-7b?format=ntriples"), "application/n-triples"
    )
    model, llmkg = ox.NamedNode(CHAT), "https://w3id.org/llmkg/ns#"
    assert (
        ox.Triple(model, ox.NamedNode(f"{llmkg}fineTunedFrom"), ox.NamedNode(f"{ID}model/base-7b"))
        in found
    )
    # links in: another model is fine-tuned from it; and the labels of both sides
    assert (
        ox.Triple(
            ox.NamedNode(f"{ID}model/community-7b"),
            ox.NamedNode(f"{llmkg}fineTunedFrom"),
            model,
        )
        in found
    )
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    assert ox.Triple(ox.NamedNode(f"{ID}organization/acme"), label, ox.Literal("Acme AI")) in found


def test_browsers_and_wildcards_get_the_page(client: httpx.Client) -> None:
    for accept in ("text/html,application/xhtml+xml,*/*;q=0.8", "*/*", None):
        headers = {"Accept": accept} if accept else {}
        response = client.get("/id/model/chat-7b", headers=headers)
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "Accept" in varies(response)
    link = client.get("/id/model/chat-7b").headers["link"]
    assert '</id/model/chat-7b?format=turtle>; rel="alternate"; type="text/turtle"' in link


def test_jsonld_is_compact(client: httpx.Client) -> None:
    body = client.get("/id/model/chat-7b", headers={"Accept": "application/ld+json"}).json()
    (node,) = [n for n in body["@graph"] if n["@id"] == "model:chat-7b"]
    assert node["llmkg:developedBy"] == [{"@id": "organization:acme"}]


def test_unacceptable_and_unknown(client: httpx.Client) -> None:
    response = client.get("/id/model/chat-7b", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.json()["detail"].startswith(
        "cannot answer in 'image/png'; available: text/html"
    )
    missing = client.get("/id/model/chat-8b", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["detail"] == "no model with id 'chat-8b' (did you mean 'chat-7b'?)"
    nothing = client.get("/id/place/atlantis", headers={"Accept": "text/turtle"})
    assert nothing.json()["detail"] == f"nothing in the graph is about {ID}place/atlantis"
    unknown = client.get("/id/nothing/here", headers={"Accept": "text/turtle"})
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == (
        "no such resource: the graph has no kind, concept scheme or namespace 'nothing'"
    )
    bad = client.get("/id/model/chat-7b?format=bogus")
    assert bad.status_code == 406
    assert bad.json()["detail"].startswith("format 'bogus' is not available here; available: html")


def test_head(client: httpx.Client) -> None:
    response = client.head("/id/model/chat-7b", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.content == b""


def test_concepts_and_schemes_resolve(client: httpx.Client) -> None:
    headers = {"Accept": "application/n-triples"}
    concept = triples(
        client.get("/id/governance-model/single-company", headers=headers),
        "application/n-triples",
    )
    single = ox.NamedNode(f"{ID}governance-model/single-company")
    assert (
        ox.Triple(
            ox.NamedNode(f"{ID}project/alpha"),
            ox.NamedNode("https://w3id.org/llmkg/ns#governanceModel"),
            single,
        )
        in concept
    )
    pref = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    assert ox.Triple(single, pref, ox.Literal("Single company project", language="en")) in concept
    scheme = client.get("/id/lifecycle-phase", headers=headers)
    assert scheme.status_code == 200


def test_ontology_namespace_resolves(client: httpx.Client) -> None:
    response = client.get("/ns", headers={"Accept": "text/turtle"})
    found = triples(response, "text/turtle")
    model = ox.NamedNode("https://w3id.org/llmkg/ns#Model")
    owl_class = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert ox.Triple(model, rdf_type, owl_class) in found
    assert {str(t.subject) for t in found} >= {"<https://w3id.org/llmkg/ns>"}
    reused = {"https://schema.org/validFrom", "https://schema.org/validThrough"}  # declared there
    assert all(
        t.subject.value.startswith("https://w3id.org/llmkg/ns") or t.subject.value in reused  # type: ignore[union-attr]
        for t in found
    )
    assert json.loads(client.get("/ns?format=jsonld").content)["@graph"]


def test_every_iri_of_the_graph_resolves(client: httpx.Client, fixture_kg: KnowledgeGraph) -> None:
    iris = {
        term.value
        for quad in fixture_kg.rdf
        for term in (quad.subject, quad.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(ID)
    }
    assert len(iris) > 100
    failed = {}
    for iri in sorted(iris):
        path = "/id/" + iri.removeprefix(ID)
        response = client.get(path, headers={"Accept": "application/n-triples"})
        if response.status_code != 200 or f"<{iri}>" not in response.text:
            failed[iri] = response.status_code
    assert failed == {}


BENCH = f"{ID}benchmark/bench"
BENCH_NT = f"""\
<{BENCH}> <http://purl.org/dc/terms/identifier> "bench" .
<{BENCH}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/llmkg/ns#Benchmark> .
<{BENCH}> <http://www.w3.org/2000/01/rdf-schema#label> "Bench" .
<{BENCH}> <https://w3id.org/llmkg/ns#developedBy> <{ID}organization/openlab> .
<{ID}model/chat-7b> <http://www.w3.org/2000/01/rdf-schema#label> "Chat 7B" .
<{ID}model/chat-7b> <https://w3id.org/llmkg/ns#evaluatedOn> <{BENCH}> .
<{ID}organization/openlab> <http://www.w3.org/2000/01/rdf-schema#label> "Open Lab" .
<https://w3id.org/llmkg/ns#Benchmark> <http://www.w3.org/2000/01/rdf-schema#label> "Benchmark"@en .
"""
"""What /id/benchmark/bench says of the fixture graph: its facts, the one link in, the labels."""
EVERY_PARSER = (
    "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json,"
    " application/n-quads, application/trix, application/trig"
)
RDFLIB: dict[str | None, tuple[str, str]] = {
    "nt": ("text/plain, */*;q=0.1", "text/plain"),
    "turtle": ("text/turtle, application/x-turtle, */*;q=0.1", "text/turtle"),
    "xml": ("application/rdf+xml, */*;q=0.1", "application/rdf+xml"),
    "json-ld": ("application/ld+json, application/json;q=0.9, */*;q=0.1", "application/ld+json"),
    "n3": ("text/n3, */*;q=0.1", "text/n3"),
    "trig": ("application/trig, */*;q=0.1", "application/trig"),
    "nquads": (EVERY_PARSER, "application/n-quads"),
    None: (EVERY_PARSER, "application/n-quads"),
}
"""For each format of rdflib 7's ``Graph().parse(url, format=...)``: the Accept header it
sends (rdflib/parser.py, URLInputSource) and the media type the server answers it with."""
RDFLIB_WARNINGS = pytest.mark.filterwarnings(
    # rdflib 7.6's own N3, TriG and N-Quads parsers use its deprecated Dataset API
    "ignore:Dataset.default_context is deprecated:DeprecationWarning"
)
FACT_GRAPHS = [
    f"{ID}fact/benchmark/bench/fdad186a38ee",
    f"{ID}fact/model/chat-7b/2c4d06573791",
    f"{ID}fact/model/chat-7b/c02d0d6c8433",
    f"{ID}fact/organization/openlab/66b9699db77c",
]
"""The fact graphs that state what /id/benchmark/bench says: its own, Chat 7B's link to it
(post-training) and Chat 7B's label, Open Lab's label."""
PROVENANCE = f"{ID}graph/provenance"
ONTOLOGY = "https://w3id.org/llmkg/ns"
LLMKG = rdflib.Namespace("https://w3id.org/llmkg/ns#")
DERIVED_FROM = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")


def rdflib_triples(graph: rdflib.Graph) -> set[tuple[Node, Node, Node]]:
    return set(graph.triples((None, None, None)))


def expected_bench() -> set[tuple[Node, Node, Node]]:
    return rdflib_triples(rdflib.Graph().parse(data=BENCH_NT, format="nt"))


@pytest.mark.parametrize("fmt", list(RDFLIB), ids=str)
def test_rdflib_sends_what_the_table_says(monkeypatch: pytest.MonkeyPatch, fmt: str | None) -> None:
    sent: list[str | None] = []

    def capture(request: Request) -> None:
        sent.append(request.get_header("Accept"))
        raise OSError("captured")

    monkeypatch.setattr(rdflib.parser, "_urlopen", capture)
    with pytest.raises(OSError, match="captured"):
        rdflib.Graph().parse("http://127.0.0.1:9/id/model/x", format=fmt)
    assert sent == [RDFLIB[fmt][0]]


@RDFLIB_WARNINGS
@pytest.mark.parametrize("fmt", list(RDFLIB), ids=str)
def test_each_rdflib_format_gets_an_answer_it_parses(
    client: httpx.Client, base_url: str, fmt: str | None
) -> None:
    accept, media = RDFLIB[fmt]
    response = client.get("/id/benchmark/bench", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    # rdflib itself, over HTTP: a plain Graph keeps the triples (those of the default graph)
    graph = rdflib.Graph().parse(f"{base_url}/id/benchmark/bench", format=fmt)
    assert rdflib_triples(graph) == expected_bench()
    ontology = rdflib.Graph().parse(f"{base_url}/ns", format=fmt)
    assert (LLMKG.Model, rdflib.RDF.type, rdflib.OWL.Class) in ontology


def test_ntriples_for_rdflib_and_curl_are_exactly_the_description(client: httpx.Client) -> None:
    for accept in ("text/plain", "text/plain, */*;q=0.1", "application/n-triples"):
        response = client.get("/id/benchmark/bench", headers={"Accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"] == accept.split(",")[0] + "; charset=utf-8"
        assert response.text == BENCH_NT
        assert response.headers["content-location"] == "/id/benchmark/bench?format=ntriples"
    ontology = client.get("/ns", headers={"Accept": "text/plain"})
    assert ontology.status_code == 200
    assert ontology.headers["content-type"] == "text/plain; charset=utf-8"
    assert "<https://w3id.org/llmkg/ns#Model> " in ontology.text


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "text/html"),
        ("*/*", "text/html"),
        ("text/*", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("text/html, text/turtle", "text/html"),
        ("*/*, text/turtle", "text/turtle"),
        ("text/turtle;q=0.5, */*;q=0.5", "text/turtle"),
        ("text/html;q=0.9, application/n-triples", "application/n-triples"),
        ("*/*;q=0.2, text/html;q=0", "application/n-quads"),
        ("application/n-quads", "application/n-quads"),
        ("application/trig;q=0.9, application/n-quads;q=0.5", "application/trig"),
        ("text/n3", "text/n3"),
    ],
)
def test_negotiation(client: httpx.Client, accept: str | None, media: str) -> None:
    headers = {"Accept": accept} if accept else {}
    for path in ("/id/benchmark/bench", "/ns"):
        response = client.get(path, headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize(
    ("name", "media"),
    [
        ("html", "text/html"),
        ("turtle", "text/turtle"),
        ("ttl", "text/turtle"),
        ("ntriples", "application/n-triples"),
        ("nt", "application/n-triples"),
        ("jsonld", "application/ld+json"),
        ("rdfxml", "application/rdf+xml"),
        ("nquads", "application/n-quads"),
        ("nq", "application/n-quads"),
        ("trig", "application/trig"),
        ("n3", "text/n3"),
        ("text/plain", "text/plain"),
    ],
)
def test_format_parameter_wins_over_accept(client: httpx.Client, name: str, media: str) -> None:
    for path in ("/id/benchmark/bench", "/ns"):
        response = client.get(f"{path}?format={name}", headers={"Accept": "text/html"})
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media


def test_extensions_name_a_representation(client: httpx.Client) -> None:
    turtle = client.get("/id/benchmark/bench.ttl", headers={"Accept": BROWSER})  # wins over Accept
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    assert turtle.headers["content-location"] == "/id/benchmark/bench?format=turtle"
    assert triples(turtle, "text/turtle") == {
        ox.Triple(t.subject, t.predicate, t.object)
        for t in ox.parse(BENCH_NT.encode(), format=ox.RdfFormat.N_TRIPLES)
    }
    quads = client.get("/id/lifecycle-phase.nq")
    assert quads.headers["content-type"] == "application/n-quads; charset=utf-8"
    assert (
        client.get("/id/benchmark/bench.nt?format=html")
        .headers["content-type"]
        .startswith("text/html")
    )
    assert client.get("/id/license/mit.rdf").headers["content-type"] == "application/rdf+xml"
    missing = client.get("/id/model/chat-8b.ttl")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "no model with id 'chat-8b' (did you mean 'chat-7b'?)"


def test_an_id_that_ends_like_an_extension_is_that_id() -> None:
    store = ox.Store()
    for name in ("model/v1.nt", "model/v2"):
        s = ox.NamedNode(f"{ID}{name}")
        store.add(
            ox.Quad(s, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal(name))
        )
    kg = KnowledgeGraph(store)
    assert _target(kg, "model/v1.nt") == (f"{ID}model/v1.nt", "model/v1.nt", None)
    assert _target(kg, "model/v2.nt") == (f"{ID}model/v2", "model/v2", "application/n-triples")
    assert _target(kg, "model/v3") == (f"{ID}model/v3", "model/v3", None)


@RDFLIB_WARNINGS
@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_rdflib_reads_datasets_with_each_fact_in_its_fact_graph(base_url: str, fmt: str) -> None:
    dataset = rdflib.Dataset().parse(f"{base_url}/id/benchmark/bench", format=fmt)
    default = DATASET_DEFAULT_GRAPH_ID
    graphs = {str(g.identifier): g for g in dataset.graphs() if g.identifier != default}
    assert rdflib_triples(dataset.graph(default)) == expected_bench()
    assert sorted(graphs) == sorted([*FACT_GRAPHS, PROVENANCE, ONTOLOGY])
    link = (rdflib.URIRef(f"{ID}model/chat-7b"), LLMKG.evaluatedOn, rdflib.URIRef(BENCH))
    assert [g for g, graph in graphs.items() if link in graph] == [FACT_GRAPHS[1]]
    assert set(graphs[PROVENANCE].predicate_objects(rdflib.URIRef(FACT_GRAPHS[1]))) == {
        (rdflib.RDF.type, LLMKG.FactGraph),
        (rdflib.FOAF.primaryTopic, rdflib.URIRef(f"{ID}model/chat-7b")),
        (rdflib.PROV.wasDerivedFrom, rdflib.URIRef("https://example.org/chat-7b")),
        (LLMKG.confidence, rdflib.URIRef(f"{ID}confidence/public-record")),
        (LLMKG.lifecyclePhase, rdflib.URIRef(f"{ID}lifecycle-phase/post-training")),
    }
    assert rdflib_triples(graphs[ONTOLOGY]) == {
        (LLMKG.Benchmark, rdflib.RDFS.label, rdflib.Literal("Benchmark", lang="en"))
    }


@pytest.mark.parametrize(
    ("media", "syntax"),
    [("application/n-quads", ox.RdfFormat.N_QUADS), ("application/trig", ox.RdfFormat.TRIG)],
)
@pytest.mark.parametrize(
    "iri", [BENCH, f"{ID}model/chat-7b", f"{ID}governance-model/single-company", FACT_GRAPHS[0]]
)
def test_datasets_are_the_graphs_of_the_store(
    client: httpx.Client, fixture_kg: KnowledgeGraph, media: str, syntax: ox.RdfFormat, iri: str
) -> None:
    path = "/id/" + iri.removeprefix(ID)
    answer = client.get(path, headers={"Accept": media})
    assert answer.headers["content-type"] == f"{media}; charset=utf-8"
    assert answer.headers["content-location"].startswith(f"{path}?format=")
    quads = set(ox.parse(answer.content, format=syntax))
    described = triples(
        client.get(path, headers={"Accept": "application/n-triples"}), "application/n-triples"
    )
    default = {ox.Triple(q.subject, q.predicate, q.object) for q in quads if not named(q)}
    assert default == described
    store = fixture_kg.rdf
    assert isinstance(store, ox.Store)
    stated = {
        q for t in described for q in store.quads_for_pattern(t.subject, t.predicate, t.object)
    }
    facts = {
        g
        for q in stated
        if isinstance(g := q.graph_name, ox.NamedNode) and g.value.startswith(f"{ID}fact/")
    }
    assert facts
    graph = ox.NamedNode(PROVENANCE)
    provenance = {q for g in facts for q in store.quads_for_pattern(g, None, None, graph)}
    sources = {
        o
        for q in provenance
        if q.predicate == DERIVED_FROM and isinstance(o := q.object, ox.NamedNode)
    }
    provenance |= {q for s in sources for q in store.quads_for_pattern(s, None, None, graph)}
    # every triple in each graph of the store that states it, and what the provenance graph
    # says of those fact graphs and their sources: nothing else
    assert {q for q in quads if named(q)} == stated | provenance


def test_datasets_name_the_catalogue_of_an_imported_fact() -> None:
    model, fact = ox.NamedNode(f"{ID}model/x"), ox.NamedNode(f"{ID}fact/model/x/0a")
    source = ox.NamedNode("https://github.com/o/catalogue/blob/1111/x.yaml")
    catalogue, graph = ox.NamedNode(f"{ID}catalogue/c"), ox.NamedNode(PROVENANCE)
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    part_of = ox.NamedNode("http://purl.org/dc/terms/isPartOf")
    store = ox.Store()
    store.extend(
        [
            ox.Quad(model, label, ox.Literal("X"), fact),
            ox.Quad(fact, ox.NamedNode("http://xmlns.com/foaf/0.1/primaryTopic"), model, graph),
            ox.Quad(fact, DERIVED_FROM, source, graph),
            ox.Quad(source, part_of, catalogue, graph),
        ]
    )
    assert describe_dataset(KnowledgeGraph(store), model.value) == [
        ox.Quad(model, label, ox.Literal("X"), ox.DefaultGraph()),
        ox.Quad(model, label, ox.Literal("X"), fact),
        ox.Quad(source, part_of, catalogue, graph),
        *sorted(store.quads_for_pattern(fact, None, None, graph), key=str),
    ]


def named(quad: ox.Quad) -> bool:
    return isinstance(quad.graph_name, ox.NamedNode)


def test_ontology_dataset_is_the_ontology_graph(client: httpx.Client) -> None:
    answer = client.get("/ns?format=nq")
    quads = list(ox.parse(answer.content, format=ox.RdfFormat.N_QUADS))
    default = {ox.Triple(q.subject, q.predicate, q.object) for q in quads if not named(q)}
    assert default == triples(client.get("/ns?format=nt"), "application/n-triples")
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in quads if named(q)} == default
    assert {q.graph_name for q in quads if named(q)} == {ox.NamedNode(ONTOLOGY)}


IMPOSSIBLE = {
    "/id/model/bloom%00.ttl": "no such resource: 'bloom\\x00.ttl' cannot be a model id (ids match ^[a-z0-9][a-z0-9.-]*$)",
    "/id/model/bl%22oom": "no such resource: 'bl\"oom' cannot be a model id (ids match ^[a-z0-9][a-z0-9.-]*$)",
    "/id/model/x%3E%20%7D": "no such resource: 'x> }' cannot be a model id (ids match ^[a-z0-9][a-z0-9.-]*$)",
    "/id/model/" + "a" * 5000: "no such resource: a model id has at most 200 characters, not 5000",
    "/id/model/bl%C3%B6om": "no such resource: 'blöom' cannot be a model id (ids match ^[a-z0-9][a-z0-9.-]*$)",
    "/id/model/%E2%80%AEchat-7b": "no such resource: '\\u202echat-7b' cannot be a model id (ids match ^[a-z0-9][a-z0-9.-]*$)",
    "/id/model/Chat-7B": "no such resource: 'Chat-7B' cannot be a model id (ids match ^[a-z0-9][a-z0-9.-]*$)",
    "/id/model/chat-7b%0A": "no such resource: 'chat-7b\\n' cannot be a model id (ids match ^[a-z0-9][a-z0-9.-]*$)",
    "/id/model/chat-7b/x": "no such resource: model IRIs are /id/model/<id>",
    "/id/model": "no such resource: model IRIs are /id/model/<id>",
    "/id/model/": "no such resource: '' cannot be a model id (ids match ^[a-z0-9][a-z0-9.-]*$)",
    "/id/": "no such resource: the graph has no kind, concept scheme or namespace ''",
    "/id/modle/chat-7b": "no such resource: the graph has no kind, concept scheme or namespace 'modle' (did you mean 'model'?)",
    "/id/place/EU": "no such resource: 'EU' cannot be a place code (codes match ^[a-z0-9][a-z0-9.-]*$)",
    "/id/place/europe/x": "no such resource: place IRIs are /id/place or /id/place/<code>",
    "/id/fact/model/chat-7b/xyz": "no such resource: 'xyz' cannot be a fact digest (digests are hexadecimal)",
    "/id/fact/place/europe/abc": "no such resource: 'place' cannot be a fact kind (kinds: organization, project, model, dataset, benchmark, framework, leaderboard, compute-partnership, forum, publication, license, finding, software)",
    "/id/assessment/osai": "no such resource: assessment IRIs are /id/assessment/<catalogue>/<record> or /id/assessment/<catalogue>/<record>/<dimension>",
    "/id/graph/provenance%7D%20UNION%20%7B": "no such resource: 'provenance} UNION {' cannot be a graph name (names match ^[a-z0-9][a-z0-9.-]*$)",
}
"""Paths that cannot be an IRI of the graph, and why (the message of the 404)."""


@pytest.mark.parametrize("path", list(IMPOSSIBLE), ids=lambda p: p[:40])
def test_impossible_paths_are_404_before_any_query(client: httpx.Client, path: str) -> None:
    for accept in ("text/turtle", "application/n-triples", "*/*", None):
        response = client.get(path, headers={"Accept": accept} if accept else {})
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["title"] == "Not found"
        assert problem["detail"] == IMPOSSIBLE[path]
        assert "SPARQL" not in response.text
    page = client.get(path, headers={"Accept": BROWSER})
    assert page.status_code == 404
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Not found</h1>" in page.text
    assert "no such resource" in page.text
    assert "SPARQL syntax" not in page.text


@pytest.mark.parametrize("path", list(IMPOSSIBLE), ids=lambda p: p[:40])
def test_impossible_paths_need_no_graph(path: str) -> None:
    with pytest.raises(NotFoundError, match=r"^no such resource: "):
        resource_iri(unquote(path.removeprefix("/id/")))


def test_real_ids_still_resolve(client: httpx.Client) -> None:
    for path in (
        "/id/model/chat-7b",
        "/id/license/mit",
        "/id/lifecycle-phase",
        "/id/place/europe",
        "/id/" + FACT_GRAPHS[0].removeprefix(ID),
    ):
        assert client.get(path, headers={"Accept": "text/plain"}).status_code == 200
        assert client.get(path, headers={"Accept": BROWSER}).status_code == 200
