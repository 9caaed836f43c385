"""The W3C SPARQL 1.1 Protocol test suite (query_* and bad_query_*), over HTTP on loopback.

The suite's data (../shared/w3c-sparql11/protocol) is loaded into a store, served by uvicorn,
and every request of every test is sent with httpx exactly as the manifest describes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS

from api.main import create_app
from kg.settings import ROOT, Settings
from kg.store.local import load_files
from tests.server import serving

SUITE = ROOT.parent / "shared" / "w3c-sparql11" / "protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
FORMATS = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples", "text/plain"),
}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]
    expected_format: str | None
    expected_boolean: bool | None


def protocol_tests() -> Iterator[tuple[str, list[Request], dict[str, Path]]]:
    manifest = Graph().parse(SUITE / "manifest.ttl", publicID=(SUITE / "manifest.ttl").as_uri())
    (entries,) = manifest.objects(None, MF.entries)
    for test in Collection(manifest, entries):
        name = str(test).rsplit("#", 1)[-1]
        if not name.startswith(("query_", "bad_query_")):
            continue
        data = {
            str(manifest.value(d, RDFS.label)): Path(
                str(manifest.value(d, UT.graph)).removeprefix("file://")
            )
            for d in manifest.objects(test, UT.graphData)
        }
        action = manifest.value(test, MF.action)
        requests = [
            _request(manifest, r) for r in Collection(manifest, manifest.value(action, HT.requests))
        ]
        yield name, requests, data


def _request(g: Graph, node: URIRef) -> Request:
    headers = {}
    header_list = g.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(g, header_list):
            headers[str(g.value(header, HT.fieldName))] = str(g.value(header, HT.fieldValue))
    body = None
    content = g.value(node, HT.body)
    if content is not None:
        encoding = str(g.value(content, CNT.characterEncoding) or "UTF-8")
        body = str(g.value(content, CNT.chars)).encode(encoding.lower())
    response = g.value(node, HT.resp)
    statuses = frozenset(
        int(str(s).rsplit("StatusCode", 1)[1][0]) for s in g.objects(response, MF.expectedStatus)
    )
    boolean = g.value(response, MF.expectedBoolean)
    fmt = g.value(response, MF.expectedFormat)
    return Request(
        method=str(g.value(node, HT.methodName)),
        path=str(g.value(node, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
        headers=headers,
        body=body,
        statuses=statuses,
        expected_format=None if fmt is None else str(fmt),
        expected_boolean=None if boolean is None else boolean.toPython(),
    )


TESTS = list(protocol_tests())


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("w3c") / "store"
    graphs = {label: path for _, _, data in TESTS for label, path in data.items()}
    for label, path in sorted(graphs.items()):
        load_files([SUITE / path.name], store, graph=label)
    with serving(create_app(Settings(store=store))) as url:
        yield url


def _boolean(response: httpx.Response) -> bool:
    if "xml" in response.headers["content-type"]:
        element = ElementTree.fromstring(response.content).find(  # noqa: S314 -- our own server's answer
            "{http://www.w3.org/2005/sparql-results#}boolean"
        )
        assert element is not None
        return element.text == "true"
    return bool(json.loads(response.content)["boolean"])


def test_the_suite_has_every_query_test() -> None:
    assert len(TESTS) == 19  # 12 query_* and 7 bad_query_* tests


@pytest.mark.parametrize(("name", "requests", "data"), TESTS, ids=[t[0] for t in TESTS])
def test_protocol(endpoint: str, name: str, requests: list[Request], data: dict[str, Path]) -> None:
    with httpx.Client(base_url=endpoint, timeout=30) as client:
        for request in requests:
            response = client.request(
                request.method, request.path, headers=request.headers, content=request.body
            )
            assert response.status_code // 100 in request.statuses, (
                response.status_code,
                response.text,
            )
            if request.expected_format is not None:
                media = response.headers["content-type"].split(";")[0]
                assert media in FORMATS[request.expected_format], media
            if request.expected_boolean is not None:
                assert _boolean(response) is request.expected_boolean
            if response.status_code >= 400:
                assert response.headers["content-type"] == "application/problem+json"
