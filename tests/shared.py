"""Test data that is not in the repository: ../shared, beside the checkout (or $LLMKG_TEST_SHARED).

A test that needs a folder from there skips without it, and fails under CI (CI=true), where it
must be present: the same rule as the Chromium of tests/api/test_browser.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_path(name: str) -> Path:
    """Where ``../shared/<name>`` is expected; read nothing there yet (collection must not)."""
    return Path(os.environ.get("LLMKG_TEST_SHARED") or ROOT.parent / "shared") / name


def shared_dir(name: str, why: str) -> Path:
    """The folder ``../shared/<name>``; if it is absent, skip the test, or fail it under CI.

    ``why`` says what the folder holds and where it comes from, for the skip message.
    """
    path = shared_path(name)
    if not path.is_dir():
        if os.environ.get("LLMKG_TEST_SHARED"):
            message = f"{path} is missing (LLMKG_TEST_SHARED is set): {why}"
        else:
            message = f"../shared/{name} is not beside the checkout: {why}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
