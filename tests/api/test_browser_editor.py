"""The SPARQL editor in a real headless Chromium on a laptop's screen (1280x800): a bad query's
error is in view without scrolling, and no page of the visit asks for anything that is missing
(the favicon was a 404 in every console)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Response, expect

from tests.browser import SCREENSHOTS, chromium, require_chromium

WIDTH, HEIGHT = 1280, 800


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[BrowserContext]:
    require_chromium()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium(base_url, WIDTH, HEIGHT) as context:
        yield context


def missing(page: Page) -> list[str]:
    """Collects what the page's console and responses report missing (404)."""
    found: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "404" in message.text:
            found.append(f"console: {message.text}")

    def on_response(response: Response) -> None:
        if response.status == 404:
            found.append(f"404: {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    return found


def in_view(page: Page, name: str) -> dict[str, float]:
    box = page.get_by_role("alert").bounding_box()
    assert box is not None, f"{name}: no error box"
    assert box["y"] >= 0, f"{name}: {box}"
    assert box["y"] + box["height"] <= HEIGHT, f"{name}: {box}"
    assert page.evaluate("window.scrollY") == 0
    return box


@pytest.mark.parametrize(
    ("query", "where", "hint"),
    [
        ("SELEC * WHERE { ?s ?p ?o }", "line 1, column 1", "did you mean SELECT?"),
        ("SELECT * WHERE { ?s a model:x }", "line 1, column 23", "PREFIX model:"),
        (
            "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?o > 1\n}\n",
            "line 4, column 1",
            "The '(' at line 3, column 9 is not closed: a '}' comes first.",
        ),
    ],
)
def test_a_bad_querys_error_is_in_view(page: Page, query: str, where: str, hint: str) -> None:
    gone = missing(page)
    page.goto("/query")
    expect(page).to_have_title("SPARQL editor · open-llm-kg")
    page.get_by_label("Query", exact=True).fill(query)
    page.get_by_role("button", name="Run query").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f"SPARQL syntax error at {where}")
    expect(alert).to_contain_text(hint)
    expect(page).to_have_title("Error: SPARQL editor · open-llm-kg")
    in_view(page, query)
    # the query is kept as typed (the browser sends CRLF; the box shows the same lines)
    expect(page.get_by_label("Query", exact=True)).to_have_value(query)
    name = re.sub(r"\W+", "-", query.split("\n")[0].lower()).strip("-")[:24]
    page.screenshot(path=SCREENSHOTS / f"editor-error-{name}.png")
    assert gone == []


def test_the_caret_points_at_the_column(page: Page) -> None:
    page.goto("/query")
    page.get_by_label("Query", exact=True).fill("SELECT * WHERE {\n  ?s ?p ?o OPTINAL\n}")
    page.get_by_role("button", name="Run query").click()
    spot = page.get_by_role("alert").locator("pre.spot")
    expect(spot).to_have_text("  ?s ?p ?o OPTINAL\n           ^")
    # the caret sits under the O of OPTINAL, in the monospace font of the line above
    box = spot.locator("code").bounding_box()
    assert box is not None
    position = page.evaluate(
        """(pre) => {
            const code = document.querySelector(pre);
            const text = code.firstChild;
            const range = document.createRange();
            const where = (i) => { range.setStart(text, i); range.setEnd(text, i + 1);
                                   return range.getBoundingClientRect().x; };
            const caret = text.textContent.indexOf("^");
            return [where(text.textContent.indexOf("OPTINAL")), where(caret)];
        }""",
        "pre.spot code",
    )
    assert abs(position[0] - position[1]) < 1


def test_a_long_querys_error_is_in_view_too(page: Page) -> None:
    query = "SELECT * WHERE {\n" + "  ?s ?p ?o .\n" * 30 + "  ?s a foaf:Person .\n}\n"
    page.goto("/query")
    page.get_by_label("Query", exact=True).fill(query)
    page.get_by_role("button", name="Run query").click()
    expect(page.get_by_role("alert")).to_contain_text("line 32, column 8")
    in_view(page, "a 33-line query")


def test_no_page_of_a_visit_asks_for_something_missing(page: Page, base_url: str) -> None:
    gone = missing(page)
    for path in ("/", "/query", "/query?example=cq04-organization-roles", "/ns", "/search"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert icon == "/static/favicon.svg"
    for path in (icon, "/favicon.ico"):
        response = page.request.get(base_url + path)
        assert response.status == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
    assert gone == []


def test_the_favicon_draws(page: Page) -> None:
    page.goto("/static/favicon.svg")
    size = page.evaluate(
        "() => { const r = document.documentElement.getBoundingClientRect(); "
        "return [r.width, r.height]; }"
    )
    assert size == [32, 32]
    assert page.locator("circle").count() == 4
