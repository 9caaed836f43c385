"""SPARQLWrapper as people use it: every return format, for every query form, by GET, POST and
POST directly, with and without setOnlyConneg. Each answer is the right result, parsed by
SPARQLWrapper itself, or a 406 that names what is available."""

from __future__ import annotations

import urllib.error
import warnings
from typing import Any

import pytest
from rdflib import Graph
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

MODEL = "<https://w3id.org/llmkg/id/model/chat-7b>"
QUERIES = {
    "select": f"SELECT ?p ?o WHERE {{ {MODEL} ?p ?o }}",
    "ask": f"ASK {{ {MODEL} ?p ?o }}",
    "construct": f"CONSTRUCT {{ {MODEL} ?p ?o }} WHERE {{ {MODEL} ?p ?o }}",
    "describe": f"DESCRIBE {MODEL}",
}
FORMATS = [XML, JSON, CSV, TSV, TURTLE, N3, RDF, RDFXML, JSONLD]
SOLUTION_MEDIA = {
    XML: "application/sparql-results+xml",
    JSON: "application/sparql-results+json",
    CSV: "text/csv",
    TSV: "text/tab-separated-values",
}
GRAPH_MEDIA = {
    XML: "application/rdf+xml",
    RDF: "application/rdf+xml",
    RDFXML: "application/rdf+xml",
    TURTLE: "text/turtle",
    N3: "text/n3",
    JSONLD: "application/ld+json",
    JSON: "application/ld+json",  # format=json for a graph: JSON-LD
}
GRAPH_CONNEG = {
    XML: "application/rdf+xml",
    RDFXML: "application/rdf+xml",
    TURTLE: "text/turtle",
    N3: "text/turtle",  # its first Accept is application/turtle, answered as text/turtle
    JSONLD: "application/ld+json",
}
GRAPH_PARSERS = {
    "application/rdf+xml": "xml",
    "text/turtle": "turtle",
    "text/n3": "turtle",
    "application/ld+json": "json-ld",
}


def expected(form: str, fmt: str, only_conneg: bool) -> str | None:
    """The media type of the answer, or None for a 406."""
    graphs = form in ("construct", "describe")
    table = GRAPH_MEDIA if graphs else SOLUTION_MEDIA
    if only_conneg:  # Accept alone; SPARQLWrapper sends */* for a format it has no type for
        if graphs:
            return GRAPH_CONNEG.get(fmt, "text/turtle")
        return table.get(fmt, "application/sparql-results+json")
    return table.get(fmt)


def _client(base_url: str, form: str, fmt: str, method: str | None, only: bool) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{base_url}/sparql")
    client.setQuery(QUERIES[form])
    client.setReturnFormat(fmt)
    client.setOnlyConneg(only)
    if method == POSTDIRECTLY:
        client.setMethod(POST)
        client.setRequestMethod(POSTDIRECTLY)
    elif method is not None:
        client.setMethod(method)
    return client


def _check(result: Any, media: str, form: str) -> None:
    assert result.response.headers["Content-Type"].split(";")[0] == media
    converted = result.convert()
    if form == "ask" and media in ("application/sparql-results+json",):
        assert converted["boolean"] is True
    elif media in GRAPH_PARSERS:
        graph = converted if isinstance(converted, Graph) else None
        if graph is None:
            text = converted.decode() if isinstance(converted, bytes) else converted
            graph = Graph().parse(data=text, format=GRAPH_PARSERS[media])
        assert len(graph) >= 5
    elif media in ("text/csv", "text/tab-separated-values"):
        assert converted.decode().strip()
    else:
        assert converted


@pytest.mark.parametrize("only_conneg", [False, True], ids=["params", "conneg"])
@pytest.mark.parametrize("method", [None, POST, POSTDIRECTLY], ids=["get", "post", "direct"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("form", list(QUERIES))
def test_every_return_format(
    base_url: str, form: str, fmt: str, method: str | None, only_conneg: bool
) -> None:
    client = _client(base_url, form, fmt, method, only_conneg)
    media = expected(form, fmt, only_conneg)
    with warnings.catch_warnings():  # SPARQLWrapper warns when it sends */* for a format
        warnings.simplefilter("ignore", RuntimeWarning)
        # its convert() of RDF/XML builds an rdflib ConjunctiveGraph
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        if media is None:
            with pytest.raises(urllib.error.HTTPError) as caught:
                client.query()
            assert caught.value.code == 406
            detail = caught.value.read().decode()
            assert f"format {fmt} is not available for this result; available: " in detail
            return
        _check(client.query(), media, form)


@pytest.mark.parametrize("form", list(QUERIES))
def test_defaults(base_url: str, form: str) -> None:
    """No setReturnFormat: SPARQLWrapper's default (XML) is SPARQL XML or RDF/XML."""
    client = SPARQLWrapper(f"{base_url}/sparql")
    client.setQuery(QUERIES[form])
    graphs = form in ("construct", "describe")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        _check(client.query(), "application/rdf+xml" if graphs else SOLUTION_MEDIA[XML], form)
