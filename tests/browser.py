"""Debian's Chromium, headless, driven by Playwright (never `playwright install`)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, sync_playwright

SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"
"""Where the browser tests save their screenshots (git-ignored test artifacts)."""
CHROMIUM = Path("/usr/bin/chromium")
"""apt-get install chromium; `make test` installs it where it can."""
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # This machine's network is closed: no background connections, updates or sync.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    """Skip the test without Chromium; under CI, fail it."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `make test` installs it with apt-get as root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def chromium(base_url: str, width: int = 1280, height: int = 900) -> Iterator[BrowserContext]:
    """A headless Chromium with a fresh profile, pages relative to ``base_url``."""
    with (
        sync_playwright() as playwright,
        tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": width, "height": height},
            base_url=base_url,
        )
        try:
            yield context
        finally:
            context.close()
