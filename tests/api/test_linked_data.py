"""Linked Data: every IRI of the graph dereferences at /id/..., by content negotiation."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest

from kg.graph import KnowledgeGraph
from kg.schema.vocabulary import ID

CHAT = f"{ID}model/chat-7b"
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
    assert response.headers["vary"] == "Accept"
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
        assert response.headers["vary"] == "Accept"
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
    nothing = client.get("/id/nothing/here", headers={"Accept": "text/turtle"})
    assert nothing.json()["detail"] == f"nothing in the graph is about {ID}nothing/here"


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
    assert all(t.subject.value.startswith("https://w3id.org/llmkg/ns") for t in found)  # type: ignore[union-attr]
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
