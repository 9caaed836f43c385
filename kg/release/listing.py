"""The releases as the REST API lists them, and which one the served graph is.

The served graph is a release when it has the release's quads and the working build's
``kg.nq`` (what ``kg serve`` builds its store from, data/ and the imports) has the release's
SHA-256: the check reads ``release.json`` files and hashes the build's dump once per build.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from kg.errors import ReleaseError
from kg.release.snapshot import Release, file_sha256, list_releases
from kg.settings import Settings


class ReleaseSummary(BaseModel):
    """One release made with ``kg release``: its version, when, and what it was made of."""

    version: str = Field(examples=["2026.12"])
    issued: datetime = Field(description="When it was made (UTC)")
    quads: int = Field(description="Quads of its kg.nq")
    sha256: str = Field(description="SHA-256 of its kg.nq")
    data_commit: str | None = Field(
        description="The git commit data/ was at; null if data/ was not a git checkout"
    )
    data_dirty: bool = Field(description="Whether data/ had changes not committed")
    imports: dict[str, str] = Field(
        description="The imported catalogues: name -> commit of the catalogue's repository",
        examples=[{"osai": "5a388e871b88735e7ab7e6fb230b76c9d460d99a"}],
    )
    serving: bool = Field(description="Whether the served graph is this release")


def build_sha256(settings: Settings) -> str | None:
    """SHA-256 of the working build's ``kg.nq``; None if there is no build."""
    dump = settings.build_dir / "kg.nq"
    try:
        path = dump.resolve(strict=True)  # a version's file: never changed once written
        stat = path.stat()
    except (OSError, RuntimeError):
        return None
    return _sha256(path, stat.st_ino, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _sha256(path: Path, inode: int, size: int, mtime: int) -> str:
    """:func:`file_sha256` once per file version (the build's files are new files each build)."""
    return file_sha256(path)


def serving(release: Release, served_quads: int, build: str | None) -> bool:
    """Whether a graph of ``served_quads`` quads, built from a build whose ``kg.nq`` has the
    SHA-256 ``build``, is ``release``."""
    return release.quads == served_quads and release.sha256 == build


def release_summaries(settings: Settings, served_quads: int) -> list[ReleaseSummary]:
    """The releases, newest first; ``serving`` for those the served graph (of ``served_quads``
    quads) is.

    Raises
    ------
    ReleaseError
        If a release's ``release.json`` cannot be read.
    """
    build = build_sha256(settings)
    return [
        ReleaseSummary(
            version=r.version,
            issued=r.issued,
            quads=r.quads,
            sha256=r.sha256,
            data_commit=r.data_commit,
            data_dirty=r.data_dirty,
            imports=r.imports,
            serving=serving(r, served_quads, build),
        )
        for r in reversed(list_releases(settings))
    ]


def serving_release(settings: Settings, served_quads: int) -> str | None:
    """The version of the release the served graph (of ``served_quads`` quads) is, if any."""
    try:
        summaries = release_summaries(settings, served_quads)
    except ReleaseError:  # a damaged release.json: /releases says so; the graph is still served
        return None
    return next((r.version for r in summaries if r.serving), None)
