"""Entity pages of the real data (./data) in headless Chromium at 1280 px wide: the largest of
each kind fit in about three screens, the neighbourhood's labels are whole and inside the
picture, and what is collapsed opens. Screenshots go to build/screenshots/entity-*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from api.main import create_app
from kg.settings import Settings
from tests.browser import SCREENSHOTS, chromium, require_chromium
from tests.conftest import ROOT
from tests.server import serving

SCREENS = 3 * 800
"""Three screens of a 1280 x 800 window: the most an entity page may take."""
LARGEST = [
    "model/aya-101",  # 101 target languages: 16,327 px before
    "project/bloom",  # 10,136 px before
    "organization/hugging-face",
    "publication/bloom-2211-05100",  # 36 authors
    "project/teuken",
    "project/smollm",
    "model/teuken-7b",
    "benchmark/mmlu",
    "compute-partnership/jean-zay-bloom",
    "dataset/dolma",
    "forum/bigscience-forum",
    "framework/gpt-neox",
    "leaderboard/european-llm-leaderboard",
    "license/apache-2.0",
    "publication/cartography-2509-25397",
]
"""The longest page of each kind, before and after pages were fitted to their content."""
BIGGEST = """
SELECT ?e (COUNT(*) AS ?n) WHERE {
  { ?e ?p ?o } UNION { ?s ?p ?e }
  FILTER(STRSTARTS(STR(?e), "https://w3id.org/llmkg/id/")) ?e <http://purl.org/dc/terms/identifier> ?id
} GROUP BY ?e ORDER BY DESC(?n) ?e
"""
"""Entities by how many statements they take part in."""


@pytest.fixture(scope="module")
def real_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over this checkout's data/ and ontology/, built into a temporary directory."""
    require_chromium()
    settings = Settings(build_dir=tmp_path_factory.mktemp("real") / "build")
    assert settings.data_dir == ROOT / "data"
    with serving(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="module")
def browser(real_url: str) -> Iterator[BrowserContext]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium(real_url, width=1280, height=800) as context:
        yield context


def height(page: Page, path: str) -> int:
    page.goto(f"/id/{path}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    return int(page.evaluate("document.documentElement.scrollHeight"))


@pytest.mark.parametrize("path", LARGEST)
def test_the_largest_entity_pages_fit_in_three_screens(page: Page, path: str) -> None:
    found = height(page, path)
    page.screenshot(path=SCREENSHOTS / f"entity-{path.replace('/', '-')}.png", full_page=True)
    assert found <= SCREENS, f"/id/{path} is {found} px high"


def test_the_entities_with_the_most_statements_of_each_kind_fit(page: Page, real_url: str) -> None:
    answer = httpx.get(
        f"{real_url}/sparql",
        params={"query": BIGGEST},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    top: dict[str, list[str]] = {}
    for row in answer.json()["results"]["bindings"]:
        path = row["e"]["value"].removeprefix("https://w3id.org/llmkg/id/")
        top.setdefault(path.split("/")[0], [])
        if len(top[path.split("/")[0]]) < 2:
            top[path.split("/")[0]].append(path)
    assert len(top) >= 10  # every kind of entity
    heights = {path: height(page, path) for paths in top.values() for path in paths}
    assert {p: h for p, h in heights.items() if h > SCREENS} == {}


PICTURE = """() => {
  const svg = document.querySelector('svg.ego-svg');
  const box = svg.viewBox.baseVal;
  const nodes = [...svg.querySelectorAll('g.nodes a')].map(a => {
    const text = a.querySelector('text'), b = text.getBBox(), c = a.querySelector('circle');
    return {name: a.getAttribute('aria-label'),
            lines: [...text.querySelectorAll('tspan')].map(t => t.textContent),
            box: [b.x, b.y, b.x + b.width, b.y + b.height],
            circle: [+c.getAttribute('cx'), +c.getAttribute('cy'), +c.getAttribute('r')]};
  });
  return {view: [box.x, box.y, box.x + box.width, box.y + box.height], nodes};
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(
    "path",
    ["project/bloom", "organization/hugging-face", "model/aya-101", "project/teuken"],
)
def test_neighbourhood_labels_are_whole_inside_the_picture_and_apart(page: Page, path: str) -> None:
    page.goto(f"/id/{path}")
    picture = page.evaluate(PICTURE)
    view, nodes = picture["view"], picture["nodes"]
    assert len(nodes) > 5
    for n in nodes:
        label = n["name"].rsplit(" (", 1)[0]
        assert " ".join(n["lines"]) == label  # the full label, on one line or wrapped
        assert "…" not in label
        x0, y0, x1, y1 = n["box"]
        assert view[0] <= x0 and x1 <= view[2], n  # noqa: PT018 -- inside, left to right
        assert view[1] <= y0 and y1 <= view[3], n  # noqa: PT018 -- and top to bottom
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            assert not _overlap(a["box"], b["box"]), (a["name"], b["name"])
        for b in nodes:
            x, y, r = b["circle"]
            if b is not a:
                assert not _overlap(a["box"], [x - r, y - r, x + r, y + r]), (a["name"], b["name"])


def test_collapsed_parts_show_their_count_and_open(page: Page) -> None:
    page.goto("/id/model/aya-101")
    facts = page.get_by_role("table", name=re.compile("^Facts about Aya-101"))
    languages = facts.get_by_role("row", name=re.compile("^targets language"))
    expect(languages.locator("summary")).to_have_text("101 values")
    zulu = languages.get_by_role("link", name="Zulu", exact=True)
    expect(zulu).to_be_hidden()
    languages.locator("summary").click()
    expect(zulu).to_be_visible()

    page.goto("/id/project/bloom")
    artifacts = page.locator("section", has=page.get_by_role("heading", name="Artifacts by"))
    unphased = artifacts.locator("details", has=page.get_by_role("heading", name="Phase not"))
    expect(unphased.locator("summary")).to_have_text(re.compile(r"Phase not stated \(\d+\)"))
    bloomz = unphased.get_by_role("row", name=re.compile("^BLOOMZ Model"))
    expect(bloomz).to_be_hidden()
    unphased.locator("summary").click()
    expect(bloomz).to_contain_text("It is part of the project")


def test_a_derivation_reads_from_each_end(page: Page) -> None:
    page.goto("/id/project/bloom")
    artifacts = page.locator("section", has=page.get_by_role("heading", name="Artifacts by"))
    for summary in artifacts.locator("details > summary").all():
        summary.click()
    row = artifacts.get_by_role("row", name=re.compile(r"^BLOOM Model BLOOMZ is fine-tuned"))
    expect(row).to_have_count(1)  # "BLOOMZ is fine-tuned from it": BLOOMZ derives from BLOOM

    page.goto("/id/model/bloom")
    links = page.locator("section", has=page.get_by_role("heading", name=re.compile("^Links")))
    for summary in links.locator("details > summary").all():
        summary.click()
    derivatives = links.get_by_role("row", name=re.compile("^fine-tuned derivatives"))
    expect(derivatives).to_contain_text("BLOOMZ")


def test_a_footnote_opens_its_note(page: Page) -> None:
    page.goto("/id/project/bloom")
    page.get_by_role("link", name="note 1", exact=True).first.click()
    expect(page).to_have_url(re.compile("#note-1$"))
    note = page.locator("#note-1")
    expect(note).to_be_visible()  # Chromium opens the collapsed notes for the fragment
    expect(note).to_contain_text("BLOOM")
