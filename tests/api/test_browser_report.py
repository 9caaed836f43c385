"""The report page's network picture of the real actor network, in a real headless Chromium:
no two of its texts (node labels, title, legend) overlap as the browser draws them.
Screenshots go to build/screenshots/ (git-ignored)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from api.main import create_app
from kg.settings import Settings
from tests.browser import SCREENSHOTS, chromium, require_chromium
from tests.conftest import ROOT
from tests.polling import wait_until
from tests.server import serving

TEXTS = """() => [...document.querySelectorAll('svg g[id^="label_"], svg g[id^="text_"]')]
  .map((g) => { const r = g.getBoundingClientRect();
    return {id: g.id, text: g.textContent.trim(), x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; })"""
"""The box of each text group of the inlined SVG, as drawn: its white box and its text."""


def overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The pairs of boxes that share more than a hairline (0.1 px)."""
    return [
        (a["text"], b["text"])
        for a, b in itertools.combinations(boxes, 2)
        if min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > 0.1
        and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > 0.1
    ]


def test_actor_network_picture_has_no_overlapping_texts(tmp_path: Path) -> None:
    require_chromium()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    app = create_app(Settings(data_dir=ROOT / "data", build_dir=tmp_path / "build"))
    with serving(app) as url, chromium(url) as browser:
        wait_until(  # the report is computed in the background on the first visit
            lambda: httpx.get(f"{url}/report", headers={"Accept": "text/html"}).status_code == 200,
            what="the actor report is computed",
            timeout=180,
        )
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.goto("/report?network=actor")
        picture = page.get_by_role("img", name=re.compile("^A picture of the actor network"))
        expect(picture).to_be_visible()
        wait_until(
            lambda: picture.evaluate("(img) => img.complete && img.naturalWidth > 0"),
            what="the network picture is loaded",
        )
        caption = page.locator("figure.chart figcaption")
        expect(caption).to_contain_text("Size: PageRank")
        expect(caption).to_contain_text("around TU Dresden (")  # the top hub names its community
        picture.scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / "report-actor.png", full_page=True)

        # the <img> hides its texts from the page: inline the SVG where they can be measured
        svg = httpx.get(f"{url}/report/actor/map.svg").text
        page.set_content(
            '<!DOCTYPE html><html><body style="margin:0">'
            f'<div style="width:800px">{svg[svg.index("<svg") :]}</div></body></html>'
        )
        page.evaluate(
            "() => { const s = document.querySelector('svg');"
            " s.setAttribute('width', '800px'); s.removeAttribute('height'); }"
        )
        page.screenshot(path=SCREENSHOTS / "report-actor-map.png", full_page=True)
        boxes = page.evaluate(TEXTS)
        page.close()
    labels = [b for b in boxes if b["id"].startswith("label_")]
    legend = [b["text"] for b in boxes if b["text"].startswith("around ")]
    assert len(labels) >= 10, labels
    assert any(b["text"] == "TU Dresden" for b in labels)
    assert legend
    assert all(re.fullmatch(r"around .+ \(\d+ nodes?\)", t) for t in legend), legend
    assert all(b["x1"] > b["x0"] and b["y1"] > b["y0"] for b in boxes)
    assert overlapping(boxes) == []
