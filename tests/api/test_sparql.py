"""/sparql with real SPARQL clients (SPARQLWrapper, rdflib's SPARQLStore) and raw HTTP."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

LABELS = "SELECT ?label WHERE { ?m a <https://w3id.org/llmkg/ns#Model> ; rdfs:label ?label } ORDER BY ?label"
PREFIX = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
MODELS = ["Base 7B", "Chat 7B", "Community 7B"]


def test_sparqlwrapper_select_json_and_xml(base_url: str) -> None:
    client = SPARQLWrapper(f"{base_url}/sparql")
    client.setQuery(PREFIX + LABELS)
    client.setReturnFormat(JSON)
    bindings = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index,call-overload]
    assert [b["label"]["value"] for b in bindings] == MODELS
    client.setReturnFormat(XML)
    document = client.queryAndConvert()
    assert [n.firstChild.data for n in document.getElementsByTagName("literal")] == MODELS  # type: ignore[union-attr]


def test_sparqlwrapper_post_and_construct(base_url: str) -> None:
    client = SPARQLWrapper(f"{base_url}/sparql")
    client.setMethod("POST")
    client.setQuery(
        "CONSTRUCT { ?m <http://example.org/base> ?b } WHERE { ?m <https://w3id.org/llmkg/ns#derivedFrom> ?b }"
    )
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert len(graph) == 2


def test_rdflib_sparqlstore(base_url: str) -> None:
    graph = Graph(SPARQLStore(f"{base_url}/sparql", returnFormat="json"))
    chat = URIRef("https://w3id.org/llmkg/id/model/chat-7b")
    assert str(graph.value(chat, RDFS.label)) == "Chat 7B"
    assert sorted(str(row[0]) for row in graph.query(PREFIX + LABELS)) == MODELS
    assert graph.query("ASK { ?m <https://w3id.org/llmkg/ns#fineTunedFrom> ?b }").askAnswer is True


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv"),
    ],
)
def test_select_content_negotiation(base_url: str, accept: str, media: str) -> None:
    response = httpx.get(
        f"{base_url}/sparql", params={"query": PREFIX + LABELS}, headers={"Accept": accept}
    )
    assert response.headers["content-type"].split(";")[0] == media
    assert "Accept" in response.headers["vary"]
    if media == "text/csv":
        assert list(csv.reader(io.StringIO(response.text))) == [["label"], *([m] for m in MODELS)]


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_graph_content_negotiation(
    base_url: str, accept: str, media: str, rdflib_format: str
) -> None:
    query = "DESCRIBE <https://w3id.org/llmkg/id/model/chat-7b>"
    response = httpx.get(f"{base_url}/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.headers["content-type"].split(";")[0] == media
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert (
        str(graph.value(URIRef("https://w3id.org/llmkg/id/model/chat-7b"), RDFS.label)) == "Chat 7B"
    )


def test_format_parameter_overrides_accept(base_url: str) -> None:
    response = httpx.get(
        f"{base_url}/sparql",
        params={"query": "ASK {}", "format": "xml"},
        headers={"Accept": "application/json"},
    )
    assert response.headers["content-type"] == "application/sparql-results+xml; charset=utf-8"


def test_service_description(base_url: str) -> None:
    response = httpx.get(f"{base_url}/sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    service = URIRef(f"{base_url}/sparql")
    assert (service, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    assert (service, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")) in graph


@pytest.mark.parametrize(
    ("request_kwargs", "status", "detail"),
    [
        (
            {
                "method": "POST",
                "content": "INSERT DATA { <a> <b> <c> }",
                "headers": {"Content-Type": "application/sparql-update"},
            },
            403,
            "this endpoint is read-only: SPARQL Update is not accepted",
        ),
        (
            {"method": "POST", "data": {"update": "DROP ALL"}},
            403,
            "this endpoint is read-only: SPARQL Update is not accepted",
        ),
        (
            {
                "method": "GET",
                "params": {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"},
            },
            403,
            "SERVICE is not allowed: this endpoint makes no outbound requests",
        ),
        (
            {"method": "GET", "params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}},
            406,
            "cannot answer in 'image/png'; available: application/sparql-results+json, application/sparql-results+xml, text/csv, text/tab-separated-values, application/json, application/xml, text/xml",
        ),
        (
            {"method": "POST", "content": "ASK {}", "headers": {"Content-Type": "text/plain"}},
            415,
            "POST a query as application/sparql-query or application/x-www-form-urlencoded, not text/plain",
        ),
    ],
    ids=["update-direct", "update-form", "service", "not-acceptable", "wrong-media-type"],
)
def test_refusals_are_problems(
    base_url: str, request_kwargs: dict[str, object], status: int, detail: str
) -> None:
    response = httpx.request(url=f"{base_url}/sparql", **request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = json.loads(response.content)
    assert (body["status"], body["detail"]) == (status, detail)


def test_syntax_error_is_one_short_line(base_url: str) -> None:
    response = httpx.get(f"{base_url}/sparql", params={"query": "SELECT * {"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("SPARQL syntax error: error at 1:11: expected one of ")
    assert "\n" not in detail
    assert len(detail) <= 181  # "SPARQL syntax error: " and at most 160 characters


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def test_a_browser_gets_the_editor(base_url: str) -> None:
    bare = httpx.get(f"{base_url}/sparql", headers={"Accept": BROWSER})
    assert (bare.status_code, bare.headers["location"]) == (303, "/query")
    asked = httpx.get(f"{base_url}/sparql", params={"query": "ASK {}"}, headers={"Accept": BROWSER})
    assert (asked.status_code, asked.headers["location"]) == (303, "/query?query=ASK+%7B%7D")
    page = httpx.get(
        f"{base_url}/sparql?query=ASK%20%7B%7D", headers={"Accept": BROWSER}, follow_redirects=True
    )
    assert page.headers["content-type"].startswith("text/html")
    assert "true" in page.text
    # the editor's download links name a format: they download, whatever the browser accepts
    download = httpx.get(
        f"{base_url}/sparql",
        params={"query": "ASK {}", "format": "csv"},
        headers={"Accept": BROWSER},
    )
    assert (download.status_code, download.headers["content-type"]) == (
        200,
        "text/csv; charset=utf-8",
    )


@pytest.mark.parametrize(
    ("formats", "query", "media"),
    [
        (["tsv", "text/tab-separated-values"], "SELECT * {}", "text/tab-separated-values"),
        (["xml"], "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "application/rdf+xml"),
        (["json"], "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "application/ld+json"),
        (
            ["json-ld", "application/ld+json,application/x-json+ld"],
            "DESCRIBE <x:y>",
            "application/ld+json",
        ),
        (["", "csv"], "ASK {}", "text/csv"),
    ],
    ids=["tsv-twice", "xml-graph", "json-graph", "jsonld-list", "blank-ignored"],
)
def test_agreeing_format_parameters(
    base_url: str, formats: list[str], query: str, media: str
) -> None:
    params = [("query", query), *((name, f) for f in formats for name in ("format", "output"))]
    response = httpx.get(f"{base_url}/sparql", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media


def test_disagreeing_format_parameters(base_url: str) -> None:
    response = httpx.get(
        f"{base_url}/sparql", params=[("query", "ASK {}"), ("format", "csv"), ("results", "json")]
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "the format parameters disagree: csv, json"


UPDATES = [
    "LOAD <http://127.0.0.1:9/x>",
    "CLEAR ALL",
    "DROP ALL",
    "INSERT DATA { <a:a> <a:b> <a:c> }",
    "PREFIX ex: <http://x/>\n# a comment\ndelete where { ?s ?p ?o }",
    "WITH <g:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", UPDATES)
@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_an_update_sent_as_a_query_is_forbidden(base_url: str, update: str, how: str) -> None:
    url = f"{base_url}/sparql"
    if how == "get":
        response = httpx.get(url, params={"query": update})
    elif how == "form":
        response = httpx.post(url, data={"query": update})
    else:
        response = httpx.post(
            url, content=update, headers={"Content-Type": "application/sparql-query"}
        )
    assert response.status_code == 403
    keyword = update.split("\n")[-1].split()[0].upper()
    assert (
        response.json()["detail"]
        == f"this endpoint is read-only: SPARQL Update is not accepted ({keyword})"
    )


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "url": "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%22%FF%22%20%7D"},
        {
            "method": "POST",
            "url": "/sparql",
            "content": b"query=ASK%20%7B%7D%FF",
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        },
        {
            "method": "POST",
            "url": "/sparql",
            "content": b'ASK { ?s ?p "\xff" }',
            "headers": {"Content-Type": "application/sparql-query"},
        },
    ],
    ids=["get", "form", "direct"],
)
def test_invalid_utf8_is_a_bad_request(base_url: str, request_kwargs: dict[str, object]) -> None:
    kwargs = {**request_kwargs, "url": base_url + str(request_kwargs["url"])}
    response = httpx.request(**kwargs)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "not valid UTF-8" in response.json()["detail"]
