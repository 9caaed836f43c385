"""The data changelog: what changed in the data from one release to the next, newest first.

Each release keeps its own changes since the release before it (``changes.md``, the diff
summary of :mod:`kg.release.diff`, written once when it is made); ``<releases_dir>/CHANGELOG.md``
is made from them and the releases' metadata, whole, each time a release is made, so a
``kg release`` killed after its release but before the changelog leaves a changelog the next
one completes.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import WriteError
from kg.release.diff import diff_dumps, summary
from kg.versions import fsync_dir

if TYPE_CHECKING:
    from kg.release.snapshot import Release

CHANGELOG = "CHANGELOG.md"
"""The data changelog, in the releases directory."""
CHANGES = "changes.md"
"""A release's changes since the release before it, in its folder."""
FIRST = "First release.\n"
HEADER = """# Data changelog

What changed in the data of open-llm-kg from one release to the next, newest first. Each
release is a folder beside this file, made by `kg release VERSION`: `kg.nq` (every quad of the
build), `void.ttl`, `release.ttl` (DCAT and VoID: issued, version, commits, SHA-256),
`release.json` and `changes.md` (its changes, as below).
"""


def changes_since(previous: Release | None, dump: Path) -> str:
    """The text of ``changes.md`` for a release whose N-Quads are ``dump``: the diff summary
    against ``previous``, or :data:`FIRST` when it is the first release."""
    if previous is None:
        return FIRST
    text = summary(diff_dumps(previous.dump, dump)).strip()
    return f"Changes since {previous.version}:\n\n{text}\n"


def section(release: Release) -> str:
    """The changelog section of ``release``: a ``## VERSION (date)`` heading, what it was made
    of, and its changes."""
    commit = release.data_commit
    data = f"data/ at commit `{commit[:12]}`" if commit else "data/ not in a git checkout"
    dirty = " (with changes not committed)" if release.data_dirty else ""
    imports = ", ".join(f"{n} at `{c[:12]}`" for n, c in release.imports.items()) or "none"
    changes = (release.path / CHANGES).read_text("utf-8").strip()
    return (
        f"## {release.version} ({release.issued.date().isoformat()})\n\n"
        f"{release.quads:,} quads; {data}{dirty}; imports: {imports}; "
        f"kg.nq SHA-256 `{release.sha256}`.\n\n{changes}\n"
    )


def changelog_text(releases: list[Release]) -> str:
    """The whole changelog of ``releases`` (oldest first), newest first."""
    return "\n".join([HEADER, *(section(r) for r in reversed(releases))])


def write_changelog(folder: Path, releases: list[Release]) -> Path:
    """Write ``folder/CHANGELOG.md`` for ``releases`` (oldest first) in one step.

    Raises
    ------
    WriteError
        If it cannot be written; the previous changelog is kept.
    """
    path = folder / CHANGELOG
    draft = folder / f".{CHANGELOG}.tmp-{secrets.token_hex(4)}"
    try:
        with draft.open("w", encoding="utf-8") as out:
            out.write(changelog_text(releases))
            out.flush()
            os.fsync(out.fileno())
        os.replace(draft, path)
        fsync_dir(folder)
    except OSError as exc:
        draft.unlink(missing_ok=True)
        raise WriteError(
            f"cannot write {path}: {exc}; is the disk full? the previous changelog is kept "
            "(the next kg release writes it whole)"
        ) from None
    return path
