"""The W3C SPARQL 1.1 Protocol test suite (query_* and bad_query_*), over HTTP on loopback.

The suite's data (../shared/w3c-sparql11/protocol) is loaded into a store, served by uvicorn,
and every request of every test is sent with httpx exactly as the manifest describes it.
Without that folder the tests skip (fail under CI); collection reads it only if it is there.
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
from kg.settings import Settings
from kg.store.local import load_files
from tests.server import serving
from tests.shared import shared_dir, shared_path

SUITE = "w3c-sparql11/protocol"
WHY = (
    "the W3C SPARQL 1.1 Protocol tests read their manifest and data there "
    "(https://github.com/w3c/rdf-tests, folder sparql/sparql11/protocol)"
)
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


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    requests: list[Request]
    data: dict[str, Path]


def protocol_tests(suite: Path) -> list[ProtocolTest]:
    manifest = Graph().parse(suite / "manifest.ttl", publicID=(suite / "manifest.ttl").as_uri())
    (entries,) = manifest.objects(None, MF.entries)
    tests = []
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
        tests.append(ProtocolTest(name, requests, data))
    return tests


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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test_protocol per manifest entry; if the suite is absent, one that skips (or fails)."""
    if "case" in metafunc.fixturenames:
        found = shared_path(SUITE).is_dir()
        cases = protocol_tests(shared_path(SUITE)) if found else [None]
        ids = [c.name if c else "suite-missing" for c in cases]
        metafunc.parametrize("case", cases, ids=ids)


@pytest.fixture(scope="module")
def suite() -> Path:
    return shared_dir(SUITE, WHY)


@pytest.fixture(scope="module")
def endpoint(suite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("w3c") / "store"
    graphs = {label: path for t in protocol_tests(suite) for label, path in t.data.items()}
    for label, path in sorted(graphs.items()):
        load_files([suite / path.name], store, graph=label)
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


def test_the_suite_has_every_query_test(suite: Path) -> None:
    assert len(protocol_tests(suite)) == 19  # 12 query_* and 7 bad_query_* tests


def test_protocol(endpoint: str, case: ProtocolTest) -> None:
    with httpx.Client(base_url=endpoint, timeout=30) as client:
        for request in case.requests:
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
