"""Which commit of its git repository a folder is at, and whether its work tree has changes."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

logger = logging.getLogger(__name__)


def git_revision(folder: Path) -> tuple[str | None, bool]:
    """The commit ``folder``'s repository is at (``git rev-parse HEAD``) and whether anything
    under ``folder`` differs from it (changed, added, deleted or untracked files).

    ``(None, False)`` when ``folder`` is not in a git checkout, the checkout has no commit yet,
    or git is not installed.
    """
    head = _git(folder, "rev-parse", "--verify", "HEAD")
    if head is None:
        return None, False
    status = _git(folder, "status", "--porcelain", "--untracked-files=all", "--", ".")
    return head.strip(), bool(status and status.strip())


def _git(folder: Path, *args: str) -> str | None:
    """The output of ``git -C folder ARGS``, or None if git is missing or fails."""
    git = shutil.which("git")
    if git is None or not folder.is_dir():
        return None
    try:
        done = subprocess.run(  # noqa: S603 -- git itself, with fixed arguments
            [git, "-C", str(folder), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.warning("git %s in %s failed: %s", args[0], folder, exc)
        return None
    return done.stdout if done.returncode == 0 else None
