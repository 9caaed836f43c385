"""The HTML pages over the fixture graph, with httpx as a browser would ask (Accept: text/html):
a crawler, accessibility basics of every page it reaches, what each page shows, error pages."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from api import main
from api.main import create_app
from kg.settings import Settings
from tests.polling import wait_until
from tests.server import serving

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


class Page(HTMLParser):
    """What the tests read from a page: links, and the elements accessibility checks need."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.elements.append((tag, found))
        if tag == "a" and "href" in found:
            self.links.append(found["href"])
        elif tag in ("img", "script") and "src" in found:
            self.links.append(found["src"])
        elif tag == "link" and "href" in found:
            self.links.append(found["href"])
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for t, attrs in self.elements if t == tag]


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, headers=BROWSER, timeout=30) as client:
        yield client


def fetch(client: httpx.Client, url: str) -> httpx.Response:
    """GET ``url`` as a browser does (following redirects: /sparql sends it to the editor),
    waiting out 503s that say when to retry (reports being computed)."""

    def answered() -> httpx.Response | None:
        response = client.get(url, follow_redirects=True)
        retry = response.status_code == 503 and "retry-after" in response.headers
        return None if retry else response

    return wait_until(answered, what=f"{url} no longer answers 503")


def accessibility_problems(url: str, text: str) -> list[str]:
    """What a page lacks of the basics: lang, title, landmarks, labels, alt text."""
    page = Page(text)
    problems = []
    if page.all("html")[0].get("lang") != "en":
        problems.append("no lang")
    if not page.title.strip():
        problems.append("no title")
    for landmark in ("header", "nav", "main"):
        if not page.all(landmark):
            problems.append(f"no <{landmark}>")
    if not any(a.get("href") == "#main" for a in page.all("a")):
        problems.append("no skip link")
    labelled = {label.get("for") for label in page.all("label")}
    for tag in ("input", "select", "textarea"):
        for field in page.all(tag):
            if field.get("type") in ("hidden", "submit"):
                continue
            if field.get("id") not in labelled and not field.get("aria-label"):
                problems.append(f"<{tag} name={field.get('name')}> without a label")
    problems += [
        f"<img src={i.get('src')}> without alt" for i in page.all("img") if not i.get("alt")
    ]
    for svg in page.all("svg"):
        if svg.get("aria-hidden") != "true" and not svg.get("aria-labelledby"):
            problems.append("<svg> without a name")
    return [f"{url}: {p}" for p in problems]


def test_every_link_on_home_and_one_hop_beyond_answers_200(
    client: httpx.Client, base_url: str
) -> None:
    seen: dict[str, int] = {}
    problems: list[str] = []
    frontier = ["/"]
    for _hop in range(2):  # the home page's links, then theirs
        next_frontier = []
        for url in frontier:
            response = fetch(client, url)
            seen[url] = response.status_code
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            if url == "/docs":  # Swagger UI's page
                continue
            problems += accessibility_problems(url, response.text)
            for link in Page(response.text).links:
                absolute = urljoin(base_url + url, link)
                parts = urlsplit(absolute)
                if absolute.startswith(base_url):
                    local = parts.path + (f"?{parts.query}" if parts.query else "")
                    if local not in seen and local not in next_frontier:
                        next_frontier.append(local)
        frontier = next_frontier
    for url in frontier:  # one hop beyond: these must answer too
        seen[url] = fetch(client, url).status_code
    failed = {url: status for url, status in seen.items() if status != 200}
    assert failed == {}
    assert problems == []
    assert len(seen) > 100
    for expected in ("/id/project/alpha", "/id/organization/acme", "/report", "/ns", "/query"):
        assert expected in seen


def test_home_page(client: httpx.Client) -> None:
    text = fetch(client, "/").text
    assert '<a href="/search?type=model"><span class="count">3</span> Models</a>' in text
    models = re.findall(r'<h3><a href="/id/governance-model/([a-z-]+)">', text)
    assert models == [
        "company-sponsored-grassroots",
        "multi-organizational-research-institute",
        "non-profit-sponsored-grassroots",
        "single-company",
        "single-research-institute",
    ]
    assert '<li><a href="/id/project/alpha">Alpha</a></li>' in text


def test_home_lists_most_central_actors(client: httpx.Client) -> None:
    fetch(client, "/report")  # the actor report, computed in the background
    text = fetch(client, "/").text
    ranking = re.search(r'<ol class="ranking">(.*?)</ol>', text, re.S)
    assert ranking is not None
    assert re.findall(r'href="/id/organization/([a-z-]+)"', ranking.group(1)) == [
        "acme",
        "openlab",
        "hpc-center",
    ]


def test_search_page(client: httpx.Client) -> None:
    text = fetch(client, "/search?q=7b&type=model").text
    assert "3 matches." in text
    assert re.findall(r'<a href="/id/model/([a-z0-9-]+)">', text) == [
        "base-7b",
        "chat-7b",
        "community-7b",
    ]


def test_entity_page_shows_facts_links_and_picture(client: httpx.Client) -> None:
    response = fetch(client, "/id/model/community-7b")
    assert "Accept" in response.headers["vary"]
    assert '<link rel="alternate" type="text/turtle"' in response.text
    text = " ".join(response.text.split())
    assert "<h1>Community 7B</h1>" in text
    # links grouped by relation, then lifecycle phase, each with its provenance
    for snippet in (
        '<th scope="rowgroup"><span class="rel">fine-tuned from</span></th>',
        '<td class="tight">Post-release reuse</td>',
        '<span class="badge conf-curator-inference">curator inference</span>',
        "The model card names Chat 7B as its base without saying how it was tuned.",
        '<a href="https://example.org/community-7b" rel="external noopener">example.org</a>',
    ):
        assert snippet in text
    svg = re.search(r"<svg viewBox[^>]*>(.*?)</svg>", text)
    assert svg is not None
    assert "The neighbourhood of Community 7B in the collaboration graph" in svg.group(1)
    assert re.findall(r'<a href="(/id/[^"]+)" aria-label', svg.group(1)) == [
        "/id/model/community-7b",
        "/id/license/mit",
        "/id/model/chat-7b",
        "/id/organization/openlab",
    ]


def test_project_page_sections(client: httpx.Client) -> None:
    text = " ".join(fetch(client, "/id/project/alpha").text.split())
    assert (
        '<h2 id="governance-heading">Governance model</h2> <p class="fact">'
        '<a href="/id/governance-model/single-company">Single company project</a>'
    ) in text
    assert "<h3>Technological motivations</h3>" in text
    artifacts = text[text.index("Artifacts by lifecycle phase") : text.index('id="facts-heading"')]
    assert re.findall(r"<h3>([^<]+)</h3>", artifacts) == [
        "Pre-training",
        "Post-training",
        "Phase not stated",
    ]
    assert '<td><a href="/id/dataset/corpus">Open Corpus</a></td><td>Dataset</td>' in artifacts


def test_concept_and_ontology_pages(client: httpx.Client) -> None:
    concept = fetch(client, "/id/governance-model/single-company").text
    assert "<h1>Single company project</h1>" in concept
    assert '<a href="/id/project/alpha">Alpha</a>' in concept
    ontology = fetch(client, "/ns").text
    assert '<dt id="Model"><a href="#Model">Model</a> <code>llmkg:Model</code></dt>' in ontology
    assert "<dd>A released language model checkpoint or model family." in ontology
    assert "Governance models of open LLM projects" in ontology


def test_editor_runs_a_posted_query_and_links_downloads(client: httpx.Client) -> None:
    query = "SELECT ?m WHERE { ?m a <https://w3id.org/llmkg/ns#Model> } ORDER BY ?m"
    response = client.post("/query", data={"query": query})
    assert response.status_code == 200
    text = response.text
    assert "3 rows." in text
    assert re.findall(r'<td><a href="/id/model/([a-z0-9-]+)">', text) == [
        "base-7b",
        "chat-7b",
        "community-7b",
    ]
    csv = re.search(r'<a href="(/sparql\?[^"]+)">CSV</a>', text)
    assert csv is not None
    answer = client.get(csv.group(1).replace("&amp;", "&"))
    assert answer.text.splitlines()[1:] == [
        "https://w3id.org/llmkg/id/model/base-7b",
        "https://w3id.org/llmkg/id/model/chat-7b",
        "https://w3id.org/llmkg/id/model/community-7b",
    ]


def test_editor_shows_errors_in_the_page(client: httpx.Client) -> None:
    response = client.post("/query", data={"query": "SELECT * { SERVICE <http://x> { ?s ?p ?o } }"})
    assert response.status_code == 403
    assert "SERVICE is not allowed: this endpoint makes no outbound requests" in response.text


def test_unknown_entity_is_an_html_404_for_browsers_and_a_problem_otherwise(
    client: httpx.Client,
) -> None:
    page = client.get("/id/model/chat-8b")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "no model with id &#39;chat-8b&#39; (did you mean &#39;chat-7b&#39;" in page.text
    problem = client.get("/id/model/chat-8b", headers={"Accept": "text/turtle"})
    assert problem.status_code == 404
    assert problem.json()["detail"].startswith("no model with id 'chat-8b'")


def test_bad_parameters_are_html_pages_for_browsers(client: httpx.Client) -> None:
    response = client.get("/report?network=actors")
    assert response.status_code == 422
    assert "<h1>Invalid request</h1>" in response.text


@pytest.fixture
def warming_url(fixture_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An app whose warm-up waits until the test has looked at it."""
    go = threading.Event()
    real = main.warm_up

    def later(*args: object) -> None:
        go.wait(30)
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(main, "warm_up", later)
    with serving(create_app(fixture_settings), ready=False) as url:
        yield url
        go.set()


def test_pages_say_they_are_warming_up(warming_url: str) -> None:
    with httpx.Client(base_url=warming_url, headers=BROWSER) as client:
        for path in ("/", "/search?q=chat", "/id/model/chat-7b", "/report"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response.headers["retry-after"] == "2"
            assert '<meta http-equiv="refresh" content="3">' in response.text
            assert "the search index and collaboration graph are being built" in response.text
        # what does not need the projection answers at once
        assert client.get("/ns").status_code == 200
        assert client.get("/query").status_code == 200
        turtle = client.get("/id/model/chat-7b", headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200
