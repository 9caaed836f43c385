"""Fixtures of the browser tests: each module opens its own ``browser`` context (its server,
its window size); every test gets a fresh page of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    page = browser.new_page()
    page.set_default_timeout(15_000)
    yield page
    page.close()
