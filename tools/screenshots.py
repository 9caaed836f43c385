"""Take the README's screenshots (docs/home.png, docs/entity.png) of the pages over data/.

Run inside the project's environment, with Debian's chromium installed:
    python tools/screenshots.py
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.main import create_app  # noqa: E402
from kg.settings import Settings  # noqa: E402
from tests.browser import chromium  # noqa: E402
from tests.server import serving  # noqa: E402

logger = logging.getLogger("screenshots")
PAGES = {"home": "/", "entity": "/id/project/bloom"}


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    with serving(create_app(Settings())) as url:
        while httpx.get(f"{url}/report").status_code != 200:  # the home page's ranking
            time.sleep(0.2)
        with chromium(url, height=1000) as browser:
            page = browser.new_page()
            for name, path in PAGES.items():
                page.goto(path)
                target = ROOT / "docs" / f"{name}.png"
                page.screenshot(path=target)
                logger.info("wrote %s", target)


if __name__ == "__main__":
    main()
