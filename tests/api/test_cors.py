"""CORS: browser scripts on other origins may read the read-only answers; configurable."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from api.main import create_app
from kg.settings import Settings
from tests.browser import chromium, require_chromium
from tests.server import serving

ORIGIN = "https://yasgui.example"
PREFLIGHT = {
    "Origin": ORIGIN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type, accept",
}


@pytest.mark.parametrize(
    "path",
    [
        "/sparql?query=ASK%20%7B%7D",
        "/entities/model/chat-7b",
        "/id/model/chat-7b",
        "/ns",
        "/readyz",
    ],
)
def test_any_origin_may_read(base_url: str, path: str) -> None:
    response = httpx.get(
        base_url + path, headers={"Origin": ORIGIN, "Accept": "application/json, */*;q=0.1"}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


def test_errors_are_readable_too(base_url: str) -> None:
    """A script must be able to read the problem that explains a 400."""
    response = httpx.get(
        f"{base_url}/sparql", params={"query": "SELEC"}, headers={"Origin": ORIGIN}
    )
    assert response.status_code == 400
    assert response.headers["access-control-allow-origin"] == "*"


def test_preflight(base_url: str) -> None:
    response = httpx.options(f"{base_url}/sparql", headers=PREFLIGHT)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert {"Accept", "Content-Type"} <= set(
        response.headers["access-control-allow-headers"].split(", ")
    )
    assert response.headers["access-control-max-age"] == "86400"


def test_truncation_header_is_exposed(base_url: str) -> None:
    response = httpx.get(f"{base_url}/sparql?query=ASK%20%7B%7D", headers={"Origin": ORIGIN})
    exposed = response.headers["access-control-expose-headers"]
    assert "X-SPARQL-Truncated" in exposed
    assert "Retry-After" in exposed


@pytest.fixture(scope="module")
def restricted(fixture_settings: Settings) -> Iterator[str]:
    settings = fixture_settings.model_copy(update={"cors_origins": ("https://one.example",)})
    with serving(create_app(settings)) as url:
        yield url


def test_origins_can_be_restricted(restricted: str) -> None:
    query = f"{restricted}/sparql?query=ASK%20%7B%7D"
    allowed = httpx.get(query, headers={"Origin": "https://one.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://one.example"
    other = httpx.get(query, headers={"Origin": "https://two.example"})
    assert other.status_code == 200  # answered, but a browser will not let the script read it
    assert "access-control-allow-origin" not in other.headers
    refused = httpx.options(
        f"{restricted}/sparql", headers={**PREFLIGHT, "Origin": "https://two.example"}
    )
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers


def test_cors_can_be_turned_off(fixture_settings: Settings) -> None:
    settings = fixture_settings.model_copy(update={"cors_origins": ()})
    with serving(create_app(settings)) as url:
        response = httpx.get(f"{url}/sparql?query=ASK%20%7B%7D", headers={"Origin": ORIGIN})
        assert "access-control-allow-origin" not in response.headers
        assert httpx.options(f"{url}/sparql", headers=PREFLIGHT).status_code == 405


def _page_on_another_origin() -> FastAPI:
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return "<!doctype html><title>another origin</title>"

    return app


def test_a_browser_script_on_another_origin_queries(base_url: str) -> None:
    """Headless Chromium on one origin POSTs a query (a preflighted request) to the endpoint
    on another, as YASGUI does, and reads the JSON results."""
    require_chromium()
    script = """async (endpoint) => {
        const response = await fetch(endpoint, {
            method: "POST",
            headers: {"Content-Type": "application/sparql-query",
                      "Accept": "application/sparql-results+json"},
            body: "SELECT ?label { ?m a <https://w3id.org/llmkg/ns#Model> ; " +
                  "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label",
        });
        const body = await response.json();
        return [response.status, body.results.bindings.map(b => b.label.value)];
    }"""
    with serving(_page_on_another_origin(), ready=False) as other, chromium(other) as browser:
        page = browser.new_page()
        page.goto("/")
        status, labels = page.evaluate(script, f"{base_url}/sparql")
    assert (status, labels) == (200, ["Base 7B", "Chat 7B", "Community 7B"])
