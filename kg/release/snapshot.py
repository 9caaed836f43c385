"""Releases: versioned, immutable snapshots of the build under ``settings.releases_dir``.

``kg release VERSION`` runs the same build as ``kg build`` (so the snapshot always matches
data/ and the imports, and build/ is left as that build), then writes ``<releases_dir>/VERSION/``:

- ``kg.nq``: the build's N-Quads, byte for byte;
- ``void.ttl``: the build's VoID description;
- ``release.ttl``: the release as a ``dcat:Dataset`` and ``void:Dataset`` (issued, version,
  the commits of data/ and of the imported catalogues, the quads, the dump's SHA-256);
- ``release.json``: the same for programs (what :func:`list_releases` reads);
- ``changes.md``: what changed since the previous release, from which the data changelog
  ``<releases_dir>/CHANGELOG.md`` is written (:mod:`kg.release.changelog`).

A release is written into a hidden folder beside its place, flushed to disk, and renamed into
place in one step (``os.rename``), under a lock: killed at any moment, ``kg release`` leaves no
release or the whole one, and the next run deletes the leftovers. A version that exists is
never written again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from kg.compile.dumps import DUMPS, building, write_build
from kg.errors import NotFoundError, ParameterError, ReleaseError, WriteError
from kg.locks import writing
from kg.pipeline import build
from kg.release.changelog import CHANGELOG, CHANGES, changes_since, write_changelog
from kg.release.description import METADATA, description_turtle
from kg.release.revision import git_revision
from kg.settings import Settings
from kg.versions import current, fsync_dir, fsync_tree

VERSION = re.compile(r"^\d{4}\.(0[1-9]|1[0-2])(\.[1-9]\d*)?$")
"""A release version: ``YEAR.MONTH`` or ``YEAR.MONTH.N`` (calendar versions: 2026.12,
2026.12.1), so that versions sort like the dates they are made on."""
BUILD = "build"
"""What :func:`dump_of` calls the working build."""
COPIED = ("kg.nq", "void.ttl")
"""The build's files a release keeps."""


@dataclass(frozen=True)
class Release:
    """One release on disk: its version, when it was made, and what it was made of."""

    version: str
    issued: datetime
    """When it was made, in UTC, to the second."""
    path: Path
    """The release directory, ``<releases_dir>/<version>``."""
    quads: int
    sha256: str
    """SHA-256 of ``kg.nq``."""
    data_commit: str | None
    """The commit data/ was at (``git rev-parse HEAD``); None if it is not a git checkout."""
    data_dirty: bool
    """Whether data/ had changes not committed."""
    imports: dict[str, str]
    """The imported catalogues: name -> commit of the catalogue's repository."""

    @property
    def dump(self) -> Path:
        """The release's N-Quads, ``path / "kg.nq"``."""
        return self.path / "kg.nq"


class _Metadata(BaseModel):
    """What ``release.json`` holds."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    version: str
    issued: datetime
    quads: int
    sha256: str
    data_commit: str | None
    data_dirty: bool
    imports: dict[str, str]


def check_version(version: str) -> str:
    """``version`` if it is a release version, else ParameterError naming the pattern.

    Examples
    --------
    >>> check_version("2026.12.1")
    '2026.12.1'
    """
    if not VERSION.match(version):
        raise ParameterError(
            f"bad release version {version!r}: a version is YEAR.MONTH or YEAR.MONTH.N, "
            f"like 2026.12 or 2026.12.1 (the pattern {VERSION.pattern})"
        )
    return version


def _order(release: Release) -> tuple[datetime, tuple[int, ...]]:
    return release.issued, tuple(int(part) for part in release.version.split("."))


def read_release(path: Path) -> Release:
    """The release in the folder ``path``, from its ``release.json``.

    Raises
    ------
    ReleaseError
        If ``release.json`` cannot be read, or is not the description of that release.
    """
    meta = path / METADATA
    try:
        found = _Metadata.model_validate_json(meta.read_bytes())
    except (OSError, ValidationError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else f"{exc.error_count()} error(s)"
        raise ReleaseError(f"{meta}: not a release description ({reason})") from None
    if found.version != path.name:
        raise ReleaseError(f"{meta}: describes release {found.version!r}, not {path.name!r}")
    issued = found.issued if found.issued.tzinfo else found.issued.replace(tzinfo=UTC)
    return Release(
        version=found.version,
        issued=issued.astimezone(UTC),
        path=path,
        quads=found.quads,
        sha256=found.sha256,
        data_commit=found.data_commit,
        data_dirty=found.data_dirty,
        imports=dict(found.imports),
    )


def list_releases(settings: Settings) -> list[Release]:
    """Every release in ``settings.releases_dir``, oldest first (by issued, then version).

    Only folders named like a version with a ``release.json`` are releases; none if the folder
    does not exist.

    Raises
    ------
    ReleaseError
        If a release's ``release.json`` cannot be read.
    """
    folder = settings.releases_dir
    if not folder.is_dir():
        return []
    found = [
        read_release(path)
        for path in folder.iterdir()
        if VERSION.match(path.name) and path.is_dir() and (path / METADATA).exists()
    ]
    return sorted(found, key=_order)


def dump_of(settings: Settings, name: str) -> Path:
    """The N-Quads of a release, or of the working build (``name`` ``"build"``).

    Raises
    ------
    NotFoundError
        If there is no release ``name`` (the message lists the releases), or no build.
    """
    if name == BUILD:
        dump = settings.build_dir / "kg.nq"
        if not dump.is_file():
            raise NotFoundError(f"no build in {settings.build_dir}: run kg build")
        return dump
    releases = list_releases(settings)
    for release in releases:
        if release.version == name:
            return release.dump
    known = ", ".join(r.version for r in releases) or "none"
    raise NotFoundError(f"no release {name!r} (releases: {known}; or {BUILD!r}, the build)")


def next_version(version: str) -> str:
    """The version to suggest after ``version``.

    Examples
    --------
    >>> next_version("2026.12"), next_version("2026.12.1")
    ('2026.12.1', '2026.12.2')
    """
    year, month, *number = version.split(".")
    return f"{year}.{month}.{int(number[0]) + 1 if number else 1}"


def make_release(settings: Settings, version: str) -> Release:
    """Build data/ (as ``kg build`` does, writing build/) and snapshot it as release ``version``.

    Also writes the release's changes since the previous release (the latest issued) and the
    data changelog ``<releases_dir>/CHANGELOG.md``.

    Raises
    ------
    ParameterError
        If ``version`` is not a release version (:data:`VERSION`).
    ReleaseError
        If release ``version`` exists: releases are immutable.
    RecordError, ShapeError, CatalogueError
        If data/ does not build; nothing is released.
    LockedError
        If another ``kg release`` is writing the releases, or another ``kg build`` the build.
    WriteError
        If a file cannot be written (a full disk); nothing is released.
    """
    check_version(version)
    folder = settings.releases_dir
    folder.mkdir(parents=True, exist_ok=True)
    with writing(folder / CHANGELOG, "kg release", shown=folder):
        _delete_leftovers(folder)
        existing = list_releases(settings)
        for release in existing:
            if release.version == version:
                raise ReleaseError(
                    f"release {version} exists (issued {_when(release.issued)}, in "
                    f"{release.path}); releases are immutable: choose a new version, such as "
                    f"{next_version(version)}"
                )
        if (folder / version).exists() or (folder / version).is_symlink():
            raise ReleaseError(f"{folder / version} exists and is not a release: move it away")
        commit, dirty = git_revision(settings.data_dir)
        draft = folder / f".{version}.tmp-{secrets.token_hex(4)}"
        try:
            release = _write_release(settings, version, draft, commit, dirty, existing)
            os.rename(draft, release.path)  # fails rather than replace a folder that is there
            fsync_dir(folder)
        except OSError as exc:
            raise WriteError(
                f"cannot write the release {folder / version}: {exc}; is the disk full? "
                "no release was made"
            ) from None
        finally:
            shutil.rmtree(draft, ignore_errors=True)
        write_changelog(folder, list_releases(settings))
    return release


def _write_release(
    settings: Settings,
    version: str,
    draft: Path,
    commit: str | None,
    dirty: bool,
    existing: list[Release],
) -> Release:
    """Build, and write release ``version`` into the folder ``draft``, flushed to disk."""
    with building(settings.build_dir):  # the build we copy stays ours until it is copied
        built = build(settings)
        write_build(built.graph, settings.build_dir)
        issued = datetime.now(UTC).replace(microsecond=0)
        dumps = current(settings.build_dir / DUMPS)
        if dumps is None:  # write_build has just switched it
            raise WriteError(f"{settings.build_dir / DUMPS}: the build is missing")
        draft.mkdir()
        for name in COPIED:
            shutil.copyfile(dumps / name, draft / name)
    release = Release(
        version=version,
        issued=issued,
        path=settings.releases_dir / version,
        quads=len(built.graph),
        sha256=file_sha256(draft / "kg.nq"),
        data_commit=commit,
        data_dirty=dirty,
        imports={c.name: c.commit for c in sorted(built.imports, key=lambda c: c.name)},
    )
    previous = existing[-1] if existing else None
    size = (draft / "kg.nq").stat().st_size
    turtle = description_turtle(release, previous.version if previous else None, size)
    (draft / "release.ttl").write_bytes(turtle)
    (draft / METADATA).write_text(metadata_json(release), encoding="utf-8")
    (draft / CHANGES).write_text(changes_since(previous, draft / "kg.nq"), encoding="utf-8")
    fsync_tree(draft)
    return release


def metadata_json(release: Release) -> str:
    """The text of ``release.json``."""
    meta = {
        "version": release.version,
        "issued": _when(release.issued),
        "quads": release.quads,
        "sha256": release.sha256,
        "data_commit": release.data_commit,
        "data_dirty": release.data_dirty,
        "imports": release.imports,
    }
    return json.dumps(meta, indent=2, ensure_ascii=False) + "\n"


def _when(issued: datetime) -> str:
    """``2026-12-03T16:31:02Z``."""
    return issued.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file ``path``, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _delete_leftovers(folder: Path) -> None:
    """Delete what a killed ``kg release`` left: unfinished releases and changelogs."""
    for stale in folder.glob(".*.tmp-*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)
