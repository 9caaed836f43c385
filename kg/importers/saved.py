"""Imported catalogues on disk, apart from data/: ``imports/<name>.nq`` and a manifest.

Each import is one N-Quads file (its fact graphs and their provenance), one report
(``<name>-report.tsv``: every skipped record, unresolved name and note) and an entry of
``manifest.json`` (with the N-Quads file's SHA-256), and the openness disagreements of all
imports are in ``openness-disagreements.tsv``. An import or a removal writes a new version of
all these files and switches ``imports/current`` to it in one step (:mod:`kg.versions`;
``imports/<file>`` are symlinks through it), under a lock: killed at any moment, it leaves the
previous imports whole. ``kg build`` reads the manifest's files (:func:`load_imports`), checks
them against it, and refuses imports that no longer fit data/: a curated entity they link to is
gone, or an entity they made is now curated.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict, Field

from kg.errors import CatalogueError, WriteError
from kg.locks import writing
from kg.versions import fresh, new_files, pinned

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
DISAGREEMENTS_FILE = "openness-disagreements.tsv"
CURRENT = "current"
"""The symlink in the imports directory to the current version of the imports."""


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
    sha256: str | None = Field(
        None, description="SHA-256 of the N-Quads file, checked each time it is read"
    )


def importing(imports_dir: Path) -> AbstractContextManager[None]:
    """The write lock of ``imports_dir``: one ``kg import`` at a time.

    Raises
    ------
    LockedError
        If another process is writing the imports.
    """
    return writing(imports_dir / CURRENT, "kg import", shown=imports_dir)


def imports_root(imports_dir: Path) -> Path:
    """The folder the imports are read from: the current version, pinned for as long as this
    process runs; or ``imports_dir`` itself, as imports were written before versions."""
    return pinned(imports_dir / CURRENT) or imports_dir


def read_manifest(imports_dir: Path) -> dict[str, ImportedCatalogue]:
    """The imports recorded in ``imports_dir``, by name; none if there is no manifest.

    Raises
    ------
    CatalogueError
        If the manifest is not a valid manifest.
    """
    return _read_manifest(imports_root(imports_dir), imports_dir)


def _read_manifest(root: Path, imports_dir: Path) -> dict[str, ImportedCatalogue]:
    path = root / MANIFEST
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text("utf-8"))
        entries = [ImportedCatalogue.model_validate(e) for e in raw.get("imports", [])]
    except (OSError, UnicodeDecodeError, ValueError, AttributeError) as exc:
        message = " ".join(str(exc).split())
        raise CatalogueError(
            f"{imports_dir / MANIFEST}: not a valid imports manifest ({message}); delete "
            f"{imports_dir} and import the catalogues again"
        ) from None
    return {e.name: e for e in entries}


def import_files(imports_dir: Path) -> list[Path]:
    """The files the imports are read from: the manifest, then each import's N-Quads file."""
    root = imports_root(imports_dir)
    try:
        entries = list(_read_manifest(root, imports_dir).values())
    except CatalogueError:  # reported by load_imports
        entries = []
    return [root / MANIFEST, *(root / e.file for e in sorted(entries, key=lambda e: e.name))]


def save_import(
    imports_dir: Path,
    entry: ImportedCatalogue,
    quads: Iterable[ox.Quad],
    report: str,
    also: Mapping[str, str] | None = None,
) -> ImportedCatalogue:
    """Write one import's N-Quads, report and manifest entry, and the files ``also`` names
    (file name to text), all in one new version; returns the entry as recorded.

    Raises
    ------
    LockedError
        If another process is writing the imports.
    """
    ordered = sorted(
        quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
    )
    data = ox.serialize(ordered, format=ox.RdfFormat.N_QUADS) or b""
    entry = entry.model_copy(update={"sha256": hashlib.sha256(data).hexdigest()})
    with importing(imports_dir), _writing_files(imports_dir) as folder:
        _put(folder, entry.file, data)
        _put(folder, entry.report, report.encode("utf-8"))
        _write_manifest(folder, _read_manifest(folder, imports_dir) | {entry.name: entry})
        _write_texts(folder, also or {})
    logger.info("imported %s: %d quads in %s", entry.name, entry.quads, imports_dir / entry.file)
    return entry


def remove_import(
    imports_dir: Path, name: str, also: Mapping[str, str] | None = None
) -> ImportedCatalogue:
    """Forget the import ``name`` and delete its files, and write the files ``also`` names,
    in one new version.

    Raises
    ------
    CatalogueError
        If nothing was imported under ``name``.
    LockedError
        If another process is writing the imports.
    """
    with importing(imports_dir), _writing_files(imports_dir) as folder:
        manifest = _read_manifest(folder, imports_dir)
        if name not in manifest:
            known = ", ".join(sorted(manifest)) or "none"
            raise CatalogueError(f"no import named {name!r} (imported: {known})")
        entry = manifest.pop(name)
        _write_manifest(folder, manifest)
        for file in (entry.file, entry.report):
            (folder / file).unlink(missing_ok=True)
        _write_texts(folder, also or {})
    return entry


@contextmanager
def _writing_files(imports_dir: Path) -> Iterator[Path]:
    """A new version of the imports to write in, switched in when the block ends.

    Raises
    ------
    WriteError
        If a file cannot be written (a full disk): it names the file.
    """
    try:
        with _new_version(imports_dir) as folder:
            yield folder
    except _FileWriteError as exc:
        raise WriteError(
            f"cannot write {imports_dir / exc.name}: {exc.cause}; is the disk full? "
            f"{imports_dir} keeps the previous imports"
        ) from None
    except OSError as exc:
        raise WriteError(
            f"cannot switch {imports_dir} to the new imports: {exc}; it keeps the previous ones"
        ) from None


class _FileWriteError(Exception):
    """Writing the file ``name`` of a new version failed with ``cause``."""

    def __init__(self, name: str, cause: OSError) -> None:
        super().__init__(name)
        self.name = name
        self.cause = cause


def _put(folder: Path, name: str, data: bytes) -> None:
    try:
        fresh(folder, name).write_bytes(data)
    except OSError as exc:
        raise _FileWriteError(name, exc) from None


def _new_version(imports_dir: Path) -> AbstractContextManager[Path]:
    imports_dir.mkdir(parents=True, exist_ok=True)
    legacy: list[str] = []
    if not (imports_dir / CURRENT).is_symlink():  # files written before versions existed
        try:
            entries = list(_read_manifest(imports_dir, imports_dir).values())
        except CatalogueError:
            entries = []
        legacy = [MANIFEST, DISAGREEMENTS_FILE, *(f for e in entries for f in (e.file, e.report))]
    return new_files(imports_dir / CURRENT, legacy=legacy)


def _write_texts(folder: Path, texts: Mapping[str, str]) -> None:
    for name, text in texts.items():
        _put(folder, name, text.encode("utf-8"))


def load_imports(
    imports_dir: Path, curated: Collection[str], *, without: str | None = None
) -> tuple[list[ImportedCatalogue], list[ox.Quad]]:
    """The imports of ``imports_dir`` (all but ``without``) and their quads.

    ``curated`` holds the ``kind/id`` of every curated record.

    Raises
    ------
    CatalogueError
        If a file is missing, unreadable or not the one the manifest records, or an import no
        longer fits the curated records.
    """
    root = imports_root(imports_dir)
    manifest = _read_manifest(root, imports_dir)
    entries = [e for name, e in sorted(manifest.items()) if name != without]
    quads: list[ox.Quad] = []
    for entry in entries:
        _check_fits(entry, curated)
        quads.extend(_read_quads(root, imports_dir, entry))
    return entries, quads


def _read_quads(root: Path, imports_dir: Path, entry: ImportedCatalogue) -> list[ox.Quad]:
    shown = imports_dir / entry.file
    again = f"run `kg import {entry.name} {entry.directory}` again"
    try:
        data = (root / entry.file).read_bytes()
        if entry.sha256 is not None and hashlib.sha256(data).hexdigest() != entry.sha256:
            raise ValueError("its SHA-256 is not the one the manifest records")
        quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    except (OSError, SyntaxError, ValueError) as exc:
        raise CatalogueError(
            f"{shown}: cannot be read ({' '.join(str(exc).split())}); {again}"
        ) from None
    if len(quads) != entry.quads:
        raise CatalogueError(
            f"{shown}: cannot be read ({len(quads)} quads where the manifest records "
            f"{entry.quads}); {again}"
        )
    return quads


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


def _write_manifest(folder: Path, manifest: dict[str, ImportedCatalogue]) -> None:
    data = {"imports": [manifest[name].model_dump() for name in sorted(manifest)]}
    _put(folder, MANIFEST, (json.dumps(data, indent=2) + "\n").encode("utf-8"))
