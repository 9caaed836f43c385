"""The pages in a real headless Chromium, as a person uses them; screenshots go to
build/screenshots/ (git-ignored) as test artifacts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser import SCREENSHOTS, chromium, require_chromium
from tests.polling import wait_until


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[BrowserContext]:
    require_chromium()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium(base_url) as context:
        yield context


def shot(page: Page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def wait_for_report(base_url: str) -> None:
    """The home page lists central actors once the actor report is computed (in the background)."""
    wait_until(
        lambda: httpx.get(f"{base_url}/report", headers={"Accept": "text/html"}).status_code == 200,
        what="the actor report is computed",
    )


def test_search_open_a_project_and_follow_a_link(page: Page, base_url: str) -> None:
    wait_for_report(base_url)
    page.goto("/")
    expect(page).to_have_title("Home · open-llm-kg")
    expect(page.get_by_role("heading", name="Most central actors")).to_be_visible()
    shot(page, "home")

    page.get_by_label("Search projects, models, datasets, organizations…").fill("alpha")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=alpha"))
    expect(page.get_by_role("status")).to_have_text("2 matches.")  # the project and its compute
    shot(page, "search")

    page.get_by_role("link", name="Alpha", exact=True).click()
    expect(page).to_have_url(re.compile(r"/id/project/alpha$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha")
    governance = page.locator("section", has=page.get_by_role("heading", name="Governance model"))
    expect(governance).to_contain_text("Single company project")
    expect(governance).to_contain_text("curator inference")
    picture = page.get_by_role("group", name=re.compile("neighbourhood of Alpha"))
    expect(picture).to_be_visible()
    shot(page, "project")

    page.get_by_role("table", name="Links of Alpha, each relation read from Alpha").get_by_role(
        "link", name="Acme AI"
    ).click()
    expect(page).to_have_url(re.compile(r"/id/organization/acme$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme AI")
    shot(page, "organization")

    # and through the picture: each circle links to its page
    page.get_by_role("link", name="Chat 7B (Model)").click()
    expect(page).to_have_url(re.compile(r"/id/model/chat-7b$"))
    shot(page, "model")


def test_run_an_example_query_in_the_editor(page: Page, base_url: str) -> None:
    page.goto("/query")
    page.get_by_role("link", name=re.compile("^CQ4: Which organizations take part")).click()
    expect(page.get_by_label("Query", exact=True)).to_have_value(re.compile("CQ4"))
    page.get_by_role("button", name="Run query").click()
    expect(page.get_by_role("status")).to_have_text(re.compile("^3 rows"))
    table = page.get_by_role("table", name="Query result")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table).to_contain_text("Acme AI")
    shot(page, "editor")

    csv = page.get_by_role("link", name="CSV").get_attribute("href")
    assert csv is not None
    assert csv.startswith("/sparql?")
    answer = httpx.get(base_url + csv)
    assert answer.headers["content-type"].startswith("text/csv")
    assert len(answer.text.strip().splitlines()) == 4  # header and the 3 rows


def test_a_bad_query_is_shown_in_the_editor(page: Page) -> None:
    page.goto("/query")
    page.get_by_label("Query", exact=True).fill("SELECT WHERE {")
    page.get_by_role("button", name="Run query").click()
    expect(page.get_by_role("alert")).to_contain_text("SPARQL syntax error")
    expect(page.get_by_label("Query", exact=True)).to_have_value("SELECT WHERE {")


def test_api_docs_render_offline(page: Page, base_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/docs")
    expect(page.locator('.opblock-summary-path >> text="/sparql"').first).to_be_visible()
    shot(page, "docs")
    assert requested
    assert [url for url in requested if not url.startswith(base_url)] == []


def test_keyboard_skip_link_and_focus(page: Page) -> None:
    page.goto("/id/model/chat-7b")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the first link inside main
    assert page.evaluate("document.activeElement.closest('main') !== null")


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(fg: str, bg: str) -> float:
    high, low = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _background(page: Page, selector: str) -> str:
    """The first opaque background colour of the element or its ancestors."""
    return str(
        page.evaluate(
            """(selector) => { let e = document.querySelector(selector);
            while (e) { const c = getComputedStyle(e).backgroundColor;
              if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; e = e.parentElement; }
            return 'rgb(255, 255, 255)'; }""",
            selector,
        )
    )


@pytest.mark.parametrize(
    "selector",
    [
        "main p",
        "main a",
        ".muted",
        ".site-header nav a",
        ".conf-paper",
        ".conf-public-record",
        ".conf-curator-inference",
        "button",
        "thead th",
        ".site-footer a",
    ],
)
def test_text_contrast_meets_wcag_aa(page: Page, selector: str) -> None:
    page.goto("/id/project/alpha")
    colour = page.evaluate("(s) => getComputedStyle(document.querySelector(s)).color", selector)
    assert _contrast(colour, _background(page, selector)) >= 4.5
