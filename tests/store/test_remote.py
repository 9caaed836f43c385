"""Serving from a remote SPARQL service: the same answers as the embedded store, the same limits.

A real ``oxigraph serve`` on loopback holds the fixture graph, published with ``kg publish``;
the app runs over it with ``store_url`` and is compared with the app over the embedded store.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from api.main import create_app
from kg.cli import main
from kg.errors import RemoteStoreError
from kg.settings import Settings
from kg.store.local import ensure_store, open_read_only
from kg.store.publish import publish
from kg.store.remote import Endpoint, RemoteStore
from tests.api.test_limits import CARTESIAN
from tests.polling import wait_until
from tests.server import refused_port, serving
from tests.triplestores import FIXTURE_QUADS, Server, oxigraph

QUERIES = sorted((Settings().ontology_dir / "queries").glob("*.rq"))


def publish_fixture(settings: Settings, server: Server) -> None:
    store = open_read_only(ensure_store(settings).path)
    publish(store, Endpoint(gsp_url=server.gsp))


@pytest.fixture(scope="module")
def server(
    fixture_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with oxigraph(tmp_path_factory.mktemp("oxigraph")) as running:
        publish_fixture(fixture_settings, running)
        yield running


@pytest.fixture(scope="module")
def remote_settings(fixture_settings: Settings, server: Server) -> Settings:
    return fixture_settings.model_copy(update={"store_url": server.query, "query_workers": 2})


@pytest.fixture(scope="module")
def remote_url(remote_settings: Settings) -> Iterator[str]:
    with serving(create_app(remote_settings)) as url:
        yield url


REST = [
    "/entities?q=chat-7b",
    "/entities?q=7b&limit=2&offset=1",
    "/entities?type=organization&region=europe",
    "/entities/model/community-7b",
    "/entities/model/chat-7b/links",
    "/entities/model/chat-7b/links?direction=in&relation=derived_from",
    "/entities/project/alpha/links?phase=pre-training",
    "/entities/model/chat-7b?as_of=2024-03",
    "/entities/project/alpha/links?as_of=2025",
    "/projects",
    "/projects?governance_model=single-company&region=europe",
    "/artifacts",
    "/artifacts?kind=dataset",
    "/entities/model/chat7b",
    "/entities?region=eurpe",
    "/projects?governance_model=single-compny",
    "/sparql/examples",
]


@pytest.mark.parametrize("path", REST)
def test_rest_answers_are_the_same(base_url: str, remote_url: str, path: str) -> None:
    embedded, remote = httpx.get(base_url + path), httpx.get(remote_url + path)
    assert (remote.status_code, remote.json()) == (embedded.status_code, embedded.json())


def test_jsonld_entity_is_the_same(base_url: str, remote_url: str) -> None:
    path, headers = "/entities/model/base-7b", {"Accept": "application/ld+json"}
    assert httpx.get(remote_url + path, headers=headers).json() == (
        httpx.get(base_url + path, headers=headers).json()
    )


def _rows(response: httpx.Response) -> list[str]:
    body = response.json()
    if "boolean" in body:
        return [str(body["boolean"])]
    return sorted(json.dumps(b, sort_keys=True) for b in body["results"]["bindings"])


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_competency_queries_give_the_same_rows(base_url: str, remote_url: str, path: Path) -> None:
    query = path.read_text(encoding="utf-8")
    embedded = httpx.post(f"{base_url}/sparql", data={"query": query})
    remote = httpx.post(f"{remote_url}/sparql", data={"query": query})
    assert remote.status_code == embedded.status_code == 200
    assert remote.json()["head"] == embedded.json()["head"]
    assert _rows(remote) == _rows(embedded)


@pytest.mark.parametrize(
    ("params", "accept"),
    [
        ({"query": "ASK { ?m <https://w3id.org/llmkg/ns#fineTunedFrom> ?b }"}, "application/json"),
        (
            {
                "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                "default-graph-uri": "https://w3id.org/llmkg/id/graph/provenance",
            },
            "text/csv",
        ),
        (
            {
                "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
                "named-graph-uri": [
                    "https://w3id.org/llmkg/ns",
                    "https://w3id.org/llmkg/id/graph/provenance",
                ],
            },
            "text/tab-separated-values",
        ),
        (
            {
                "query": "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/llmkg/id/graph/provenance> "
                "WHERE { ?s ?p ?o }"
            },
            "text/csv",
        ),
        (
            {
                "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                "default-graph-uri": "https://w3id.org/llmkg/id/graph/provenance",
            },
            "text/csv",
        ),
        ({"query": "SELECT ?x WHERE { BIND(<relative> AS ?x) }"}, "text/csv"),
        ({"query": "SELEC"}, "application/sparql-results+json"),
        ({"query": "INSERT DATA { <urn:x> <urn:x> 1 }"}, "application/sparql-results+json"),
    ],
    ids=[
        "ask",
        "default-graph-uri",
        "named-graph-uri",
        "from",
        "default-graph-uri-no-named",
        "relative-iri",
        "syntax-error",
        "update",
    ],
)
def test_protocol_answers_are_the_same(
    base_url: str, remote_url: str, params: dict[str, str], accept: str
) -> None:
    embedded = httpx.get(f"{base_url}/sparql", params=params, headers={"Accept": accept})
    remote = httpx.get(f"{remote_url}/sparql", params=params, headers={"Accept": accept})
    assert remote.status_code == embedded.status_code
    assert remote.headers["content-type"] == embedded.headers["content-type"]
    assert remote.text.replace(remote_url, base_url) == embedded.text


def test_construct_gives_the_same_graph(base_url: str, remote_url: str) -> None:
    query = "CONSTRUCT WHERE { ?m <https://w3id.org/llmkg/ns#derivedFrom> ?b }"
    headers = {"Accept": "application/n-triples"}
    embedded = httpx.get(f"{base_url}/sparql", params={"query": query}, headers=headers)
    remote = httpx.get(f"{remote_url}/sparql", params={"query": query}, headers=headers)
    assert sorted(remote.text.splitlines()) == sorted(embedded.text.splitlines())
    assert len(embedded.text.splitlines()) == 2


def test_service_description_and_readiness(base_url: str, remote_url: str) -> None:
    embedded, remote = httpx.get(f"{base_url}/sparql"), httpx.get(f"{remote_url}/sparql")
    assert remote.text.replace(remote_url, base_url) == embedded.text
    idle = {"workers": 1, "busy": 0}
    assert httpx.get(f"{remote_url}/readyz").json() == {
        "status": "ready",
        "workers": 4,  # two general, one fast, one penalty
        "busy": 0,
        "waiting": 0,
        "lanes": {"general": {"workers": 2, "busy": 0}, "fast": idle, "penalty": idle},
        "quads": FIXTURE_QUADS,
    }


@pytest.fixture(scope="module")
def limited_url(remote_settings: Settings) -> Iterator[str]:
    settings = remote_settings.model_copy(
        update={"query_timeout": 2.0, "query_workers": 1, "max_rows": 3}
    )
    with serving(create_app(settings)) as url:
        yield url


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "text/csv"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"),
    ],
    ids=["select", "construct"],
)
def test_row_cap_applies_to_the_remote_store(limited_url: str, query: str, accept: str) -> None:
    response = httpx.get(
        f"{limited_url}/sparql", params={"query": query}, headers={"Accept": accept}
    )
    assert response.headers["x-sparql-truncated"] == "true; max-rows=3"
    lines = list(csv.reader(io.StringIO(response.text)))
    assert len(lines) == (4 if accept == "text/csv" else 3)


def test_timeout_applies_to_the_remote_store(limited_url: str) -> None:
    response = httpx.get(f"{limited_url}/sparql", params={"query": CARTESIAN}, timeout=30)
    assert response.status_code == 504  # the app's 2 s, not the service's own 5 s timeout
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == (
        "the query ran longer than 2 s and was stopped; add a LIMIT or narrow its patterns"
    )
    wait_until(
        lambda: httpx.get(f"{limited_url}/readyz").json().get("workers") == 3,
        what="the stopped worker is replaced",
    )
    assert httpx.get(f"{limited_url}/sparql", params={"query": "ASK {}"}).json() == {
        "head": {},
        "boolean": True,
    }


def test_remote_store_reads_like_a_store(fixture_settings: Settings, server: Server) -> None:
    local = open_read_only(ensure_store(fixture_settings).path)
    remote = RemoteStore(Endpoint(query_url=server.query))
    try:
        assert len(remote) == len(local) == FIXTURE_QUADS
        assert sorted(map(str, remote.named_graphs())) == sorted(map(str, local.named_graphs()))
        assert set(remote) == set(local)
        assert repr(remote) == f"<RemoteStore {server.query}>"
    finally:
        remote.close()


def test_a_service_without_a_union_default_graph_is_refused(
    fixture_settings: Settings, tmp_path: Path
) -> None:
    with oxigraph(tmp_path, union=False) as plain:
        with pytest.raises(
            RemoteStoreError, match="holds no named graphs: publish the graph first"
        ):
            create_app(fixture_settings.model_copy(update={"store_url": plain.query}))
        publish_fixture(fixture_settings, plain)
        with pytest.raises(RemoteStoreError) as error:
            create_app(fixture_settings.model_copy(update={"store_url": plain.query}))
    assert str(error.value) == (
        f"{plain.query} does not show its named graphs in its default graph; serve them as a "
        "union (oxigraph serve --union-default-graph, Fuseki tdb2:unionDefaultGraph true); "
        "see docs/scale.md"
    )


def test_kg_serve_refuses_an_unreachable_store(monkeypatch: pytest.MonkeyPatch) -> None:
    with refused_port() as port:
        url = f"http://user:pw@127.0.0.1:{port}/query"
        monkeypatch.setenv("LLMKG_STORE_URL", url)  # kg serve sets it: unset again after the test
        result = CliRunner().invoke(main, ["serve", "--store-url", url])
    assert result.exit_code == 1
    assert re.fullmatch(
        r"Error: cannot reach http://127\.0\.0\.1:\d+/query: \[Errno 111\] Connection refused\n",
        result.stderr,
    )


def test_lookups_report_a_store_that_went_away(fixture_settings: Settings, tmp_path: Path) -> None:
    running_server = oxigraph(tmp_path)
    running = running_server.__enter__()
    try:
        publish_fixture(fixture_settings, running)
        app = create_app(fixture_settings.model_copy(update={"store_url": running.query}))
        with serving(app) as url:
            assert httpx.get(f"{url}/entities/model/chat-7b").status_code == 200
            running_server.__exit__(None, None, None)
            response = httpx.get(f"{url}/entities/model/chat-7b")
            ready = httpx.get(f"{url}/readyz")
    finally:
        running_server.__exit__(None, None, None)
    assert response.status_code == 502
    assert response.json()["title"] == "Store unavailable"
    assert response.json()["detail"].startswith(f"cannot reach {running.query}: ")
    assert ready.status_code == 503  # take this instance out of rotation while its store is away
    assert ready.json()["detail"].startswith(f"cannot reach {running.query}: ")
