"""The same publish and serve over Virtuoso 7 (Debian's virtuoso-opensource), when it is installed.

Virtuoso stores booleans as 1/0 and integers past 2^31 as decimals, so data is compared by value;
its system graphs (virtrdf#...) sit beside ours, so only our graphs are compared.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from api.main import create_app
from kg.settings import Settings
from kg.store.local import ensure_store, open_read_only
from kg.store.publish import publish
from kg.store.remote import Endpoint, RemoteStore
from tests.server import serving
from tests.store.test_remote import QUERIES, REST
from tests.triplestores import FIXTURE_QUADS, VIRTUOSO, Server, virtuoso

pytestmark = [
    pytest.mark.virtuoso,
    pytest.mark.skipif(
        VIRTUOSO is None, reason="Virtuoso is not installed (apt-get install virtuoso-opensource)"
    ),
]
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {f"{XSD}{t}" for t in ("integer", "decimal", "double", "float", "long", "int")}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with virtuoso(tmp_path_factory.mktemp("virtuoso")) as running:
        yield running


@pytest.fixture(scope="module")
def endpoint(server: Server) -> Endpoint:
    """Updates and graphs need the dba login, with digest authentication."""
    return Endpoint(
        query_url=server.query,
        update_url=server.update,
        gsp_url=server.gsp,
        user="dba",
        password="dba",  # noqa: S106 -- the default login of a new Virtuoso database
        auth="digest",
    )


def by_value(term: object) -> object:
    if isinstance(term, ox.Literal) and term.datatype.value in NUMBERS:
        return Decimal(term.value)
    if isinstance(term, ox.Literal) and term.datatype.value == f"{XSD}boolean":
        return term.value in ("1", "true")
    return term


STALE = ox.NamedNode("https://w3id.org/llmkg/id/fact/model/gone/0123456789ab")


def ours(store: ox.Store | RemoteStore) -> set[tuple[object, ...]]:
    return {
        tuple(by_value(t) for t in (q.subject, q.predicate, q.object, q.graph_name))
        for q in store
        if str(q.graph_name).startswith("<https://w3id.org/llmkg/")
    }


@pytest.mark.parametrize("via", ["gsp", "update"])
def test_publishing_twice_leaves_the_same_data(
    fixture_settings: Settings, endpoint: Endpoint, via: str
) -> None:
    local = open_read_only(ensure_store(fixture_settings).path)
    remote = RemoteStore(endpoint)
    stale = ox.Quad(STALE, STALE, ox.Literal(1), STALE)
    before = ox.Store()
    before.extend([*local, stale])
    try:
        publish(before, endpoint, via=via, batch=500)  # type: ignore[arg-type]
        assert stale in set(remote)
        for _ in range(2):
            published = publish(local, endpoint, via=via, batch=500, prune=True)  # type: ignore[arg-type]
            assert (published.quads, published.graphs) == (FIXTURE_QUADS, 22)
            assert ours(remote) == ours(local)
    finally:
        remote.close()


@pytest.fixture(scope="module")
def remote_url(fixture_settings: Settings, endpoint: Endpoint) -> Iterator[str]:
    publish(open_read_only(ensure_store(fixture_settings).path), endpoint)
    settings = fixture_settings.model_copy(
        update={"store_url": endpoint.query_url, "query_workers": 1}
    )
    with serving(create_app(settings)) as url:
        yield url


@pytest.mark.parametrize("path", REST)
def test_rest_answers_are_the_same(base_url: str, remote_url: str, path: str) -> None:
    embedded, remote = httpx.get(base_url + path), httpx.get(remote_url + path)
    assert (remote.status_code, remote.json()) == (embedded.status_code, embedded.json())


def _values(response: httpx.Response) -> list[str]:
    """Rows by value; GROUP_CONCAT parts sorted (their order is not defined)."""
    rows = []
    for binding in response.json()["results"]["bindings"]:
        row = {k: ", ".join(sorted(v["value"].split(", "))) for k, v in binding.items()}
        rows.append(json.dumps(row, sort_keys=True))
    return sorted(rows)


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_competency_queries_give_the_same_rows(base_url: str, remote_url: str, path: Path) -> None:
    query = path.read_text(encoding="utf-8")
    embedded = httpx.post(f"{base_url}/sparql", data={"query": query})
    remote = httpx.post(f"{remote_url}/sparql", data={"query": query})
    assert remote.status_code == embedded.status_code == 200
    assert _values(remote) == _values(embedded)


def test_ask_and_construct(base_url: str, remote_url: str) -> None:
    ask = {"query": "ASK { ?m <https://w3id.org/llmkg/ns#fineTunedFrom> ?b }"}
    assert httpx.get(f"{remote_url}/sparql", params=ask).json() == {"head": {}, "boolean": True}
    query = {"query": "CONSTRUCT WHERE { ?m <https://w3id.org/llmkg/ns#derivedFrom> ?b }"}
    headers = {"Accept": "application/n-triples"}
    embedded = httpx.get(f"{base_url}/sparql", params=query, headers=headers).text
    remote = httpx.get(f"{remote_url}/sparql", params=query, headers=headers).text
    assert sorted(remote.splitlines()) == sorted(embedded.splitlines())
