"""Imported catalogues on disk, apart from data/: ``imports/<name>.nq`` and a manifest.

Each import is one N-Quads file (its fact graphs and their provenance), one report
(``<name>-report.tsv``: every skipped record, unresolved name and note) and an entry of
``manifest.json``. The manifest is written last, so an interrupted import leaves the previous
state readable. ``kg build`` reads the manifest's files (:func:`load_imports`) and refuses
imports that no longer fit data/: a curated entity they link to is gone, or an entity they
made is now curated.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Collection, Iterable
from pathlib import Path

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict, Field

from kg.errors import CatalogueError

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"


class ImportedCatalogue(BaseModel):
    """One imported catalogue snapshot, as the manifest records it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Importer name: osai, mot or os-ai-map")
    title: str
    repository: str
    commit: str
    license: str
    directory: str = Field(description="Where the snapshot was read from")
    file: str = Field(description="N-Quads file in the imports directory")
    report: str = Field(description="Report file in the imports directory")
    records: int = Field(description="Record files read")
    imported: int = Field(description="Records imported")
    skipped: int = Field(description="Records left out, each with its reason in the report")
    unresolved: int = Field(description="Names that matched no curated entity")
    quads: int
    entities: dict[str, int] = Field(description="Entities the import describes, per class")
    curated_links: list[str] = Field(description="kind/id of the curated entities it refers to")
    new_entities: list[str] = Field(description="kind/id of the entities only catalogues know")


def read_manifest(imports_dir: Path) -> dict[str, ImportedCatalogue]:
    """The imports recorded in ``imports_dir``, by name; none if there is no manifest.

    Raises
    ------
    CatalogueError
        If the manifest is not a valid manifest.
    """
    path = imports_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text("utf-8"))
        entries = [ImportedCatalogue.model_validate(e) for e in raw.get("imports", [])]
    except (OSError, UnicodeDecodeError, ValueError, AttributeError) as exc:
        message = " ".join(str(exc).split())
        raise CatalogueError(
            f"{path}: not a valid imports manifest ({message}); delete {imports_dir} and import "
            "the catalogues again"
        ) from None
    return {e.name: e for e in entries}


def save_import(
    imports_dir: Path, entry: ImportedCatalogue, quads: Iterable[ox.Quad], report: str
) -> None:
    """Write one import's N-Quads and report, then record it in the manifest."""
    imports_dir.mkdir(parents=True, exist_ok=True)
    ordered = sorted(
        quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
    )
    _write(imports_dir / entry.file, ox.serialize(ordered, format=ox.RdfFormat.N_QUADS) or b"")
    _write(imports_dir / entry.report, report.encode("utf-8"))
    manifest = read_manifest(imports_dir) | {entry.name: entry}
    _write_manifest(imports_dir, manifest)
    logger.info("imported %s: %d quads in %s", entry.name, entry.quads, imports_dir / entry.file)


def remove_import(imports_dir: Path, name: str) -> ImportedCatalogue:
    """Forget the import ``name`` and delete its files.

    Raises
    ------
    CatalogueError
        If nothing was imported under ``name``.
    """
    manifest = read_manifest(imports_dir)
    if name not in manifest:
        known = ", ".join(sorted(manifest)) or "none"
        raise CatalogueError(f"no import named {name!r} (imported: {known})")
    entry = manifest.pop(name)
    _write_manifest(imports_dir, manifest)
    for file in (entry.file, entry.report):
        (imports_dir / file).unlink(missing_ok=True)
    return entry


def load_imports(
    imports_dir: Path, curated: Collection[str], *, without: str | None = None
) -> tuple[list[ImportedCatalogue], list[ox.Quad]]:
    """The imports of ``imports_dir`` (all but ``without``) and their quads.

    ``curated`` holds the ``kind/id`` of every curated record.

    Raises
    ------
    CatalogueError
        If a file is missing or unreadable, or an import no longer fits the curated records.
    """
    entries = [e for name, e in sorted(read_manifest(imports_dir).items()) if name != without]
    quads: list[ox.Quad] = []
    for entry in entries:
        _check_fits(entry, curated)
        path = imports_dir / entry.file
        try:
            quads.extend(ox.parse(path=path, format=ox.RdfFormat.N_QUADS))
        except (OSError, SyntaxError, ValueError) as exc:
            raise CatalogueError(
                f"{path}: cannot be read ({' '.join(str(exc).split())}); "
                f"run `kg import {entry.name} DIR` again"
            ) from None
    return entries, quads


def _check_fits(entry: ImportedCatalogue, curated: Collection[str]) -> None:
    gone = [link for link in entry.curated_links if link not in curated]
    taken = [new for new in entry.new_entities if new in curated]
    problems = []
    if gone:
        problems.append(f"links to {', '.join(gone[:5])}, which data/ no longer has")
    if taken:
        problems.append(f"made {', '.join(taken[:5])}, which data/ now has as curated records")
    if problems:
        raise CatalogueError(
            f"the {entry.name} import {' and '.join(problems)}; "
            f"run `kg import {entry.name} {entry.directory}` again"
        )


def _write_manifest(imports_dir: Path, manifest: dict[str, ImportedCatalogue]) -> None:
    data = {"imports": [manifest[name].model_dump() for name in sorted(manifest)]}
    _write(imports_dir / MANIFEST, (json.dumps(data, indent=2) + "\n").encode("utf-8"))


def _write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
