"""What every importer shares: the catalogue it reads, the snapshot on disk, the report.

An importer is a function ``read(snapshot, resolver, report) -> list[RecordFacts]``: it reads
the record files of one catalogue snapshot, resolves the names they use, and returns the facts
of every record it could read; it reports each record it skips (file and reason), each name
it could not resolve and each value it had to leave out or reinterpret. It never raises on a
bad record.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from kg.compile.load import read_yaml
from kg.errors import CatalogueError, Problem
from kg.importers.facts import RecordFacts
from kg.importers.resolve import Resolver

COMMIT = re.compile(r"^[0-9a-f]{7,40}$")


@dataclass(frozen=True, order=True)
class Unresolved:
    """A name a record uses that matches no curated entity (``kind`` says what it names)."""

    kind: str
    name: str
    path: str
    detail: str


@dataclass
class Report:
    """What happened to each record: skipped ones, names left unresolved, values set aside."""

    records: int = 0
    skipped: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)

    def skip(self, path: str, where: str, reason: str) -> None:
        """The record in ``path`` is left out, for ``reason``."""
        self.skipped.append(Problem(path, where, reason))

    def note(self, path: str, where: str, message: str) -> None:
        """A value of the record in ``path`` was set aside or read differently."""
        self.notes.append(Problem(path, where, message))

    def unresolved_name(self, kind: str, name: str, path: str, detail: str) -> None:
        """``name`` matched no curated ``kind``: a new entity, or a dangling reference."""
        self.unresolved.append(Unresolved(kind, name, path, detail))

    def tsv(self) -> str:
        """The full report: one line per skipped record, unresolved name and note."""
        lines = ["problem\tname\tfile\tdetail"]
        lines += [f"skipped\t\t{p.path}\t{p.field}: {p.message}" for p in sorted(self.skipped)]
        lines += [
            f"unresolved {u.kind}\t{u.name}\t{u.path}\t{u.detail}"
            for u in sorted(set(self.unresolved))
        ]
        lines += [f"note\t\t{p.path}\t{p.field}: {p.message}" for p in sorted(self.notes)]
        return "\n".join(line.replace("\n", " ") for line in lines) + "\n"


@dataclass(frozen=True)
class Snapshot:
    """A catalogue repository on disk at a known commit."""

    directory: Path
    repository: str
    commit: str
    records: Path | None = None
    """The one file a snapshot is (a JSON Lines file), if it is not a whole directory."""

    @property
    def location(self) -> Path:
        """What was imported: the snapshot's file, else its directory."""
        return self.records or self.directory

    def shown(self, path: Path) -> str:
        """``path`` as reports show it: ``main-database/AMD OLMo.yaml``."""
        return f"{self.directory.name}/{path.relative_to(self.directory).as_posix()}"

    def source(self, path: Path) -> str:
        """The URL of ``path`` in the repository at the snapshot's commit."""
        relative = quote(path.relative_to(self.directory).as_posix())
        return f"{self.repository}/blob/{self.commit}/{relative}"

    def facts(self, path: Path) -> RecordFacts:
        """An empty set of facts for the record in ``path``."""
        return RecordFacts(self.shown(path), self.source(path))


Importer = Callable[[Snapshot, Resolver, Report], list[RecordFacts]]
Locator = Callable[["Catalogue", Path, str | None], Snapshot]


@dataclass(frozen=True)
class Catalogue:
    """A public catalogue open-llm-kg can import, with the attribution its license asks for."""

    name: str
    title: str
    repository: str
    homepage: str
    license: str
    license_url: str
    attribution: str
    read: Importer
    locate: Locator | None = None
    """How to find a snapshot that is not a git checkout (the Hub's: a directory or a file)."""

    def snapshot(self, directory: Path, commit: str | None = None) -> Snapshot:
        """The snapshot in ``directory``; its commit is ``commit``, or the one SOURCE.txt or the
        git checkout in ``directory`` names (or what the catalogue's ``locate`` says).

        Raises
        ------
        CatalogueError
            If ``directory`` is not a directory or its commit cannot be told.
        """
        if self.locate is not None:
            return self.locate(self, directory, commit)
        if not directory.is_dir():
            raise CatalogueError(f"{directory}: not a directory")
        found = commit or _source_txt_commit(directory) or _git_commit(directory)
        if found is None:
            raise CatalogueError(
                f"{directory}: cannot tell which commit of {self.repository} it holds "
                "(no SOURCE.txt with a Commit: line, no git checkout); pass --commit"
            )
        if not COMMIT.match(found.lower()):
            raise CatalogueError(f"{found!r} is not a git commit hash")
        return Snapshot(directory.resolve(), self.repository, found.lower())


def _source_txt_commit(directory: Path) -> str | None:
    path = directory / "SOURCE.txt"
    if not path.is_file():
        return None
    match = re.search(r"^Commit:\s*([0-9a-fA-F]{7,40})\b", path.read_text("utf-8"), re.MULTILINE)
    return match.group(1) if match else None


def _git_commit(directory: Path) -> str | None:
    git = directory / ".git"
    if git.is_file():  # a worktree: "gitdir: <path>"
        git = Path(git.read_text("utf-8").removeprefix("gitdir:").strip())
    head = git / "HEAD"
    if not head.is_file():
        return None
    ref = head.read_text("utf-8").strip()
    if not ref.startswith("ref:"):
        return ref
    name = ref.removeprefix("ref:").strip()
    common = git / "commondir"
    roots = [git, (git / common.read_text("utf-8").strip()) if common.is_file() else git]
    for root in roots:
        if (root / name).is_file():
            return (root / name).read_text("utf-8").strip()
        packed = root / "packed-refs"
        if packed.is_file():
            for line in packed.read_text("utf-8").splitlines():
                sha, _, ref_name = line.partition(" ")
                if ref_name == name:
                    return sha
    return None


def read_mapping(path: Path, shown: str, report: Report) -> dict[str, Any] | None:
    """A record file as a mapping, or None (reported as skipped) if it is not one."""
    try:
        raw = read_yaml(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        report.skip(shown, "(yaml)", f"invalid YAML{where}: {' '.join(str(problem).split())}")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        report.skip(shown, "(file)", f"cannot be read: {exc}")
        return None
    if not isinstance(raw, dict):
        got = "an empty file" if raw is None else f"a {type(raw).__name__}"
        report.skip(shown, "(yaml)", f"expected a mapping of fields, got {got}")
        return None
    return raw


def fields(
    value: object, expected: Sequence[str], shown: str, where: str, report: Report
) -> dict[str, Any]:
    """The mapping ``value`` with misspelled keys read as the ``expected`` key they mean.

    ``endmodel license`` and ``EndModel_License`` read as ``endmodellicense``; a key close to
    one expected key is read as it, with a note; other keys are left out with a note.

    Examples
    --------
    >>> report = Report()
    >>> fields({"endmodel license": "MIT", "nmae": "X", "colour": 1},
    ...        ["name", "endmodellicense"], "f.yaml", "system", report)
    {'endmodellicense': 'MIT', 'name': 'X'}
    >>> for note in report.notes:
    ...     print(note)
    f.yaml: system.endmodel license: read as 'endmodellicense'
    f.yaml: system.nmae: read as 'name'
    f.yaml: system.colour: unknown key, left out
    """
    if not isinstance(value, Mapping):
        if value is not None:
            report.note(shown, where, f"expected a mapping, got {type(value).__name__}")
        return {}
    canonical = {_squash(k): k for k in expected}
    out: dict[str, Any] = {}
    for key, item in value.items():
        text = str(key)
        name = canonical.get(_squash(text))
        if name is None:
            close = difflib.get_close_matches(_squash(text), list(canonical), n=1, cutoff=0.75)
            name = canonical[close[0]] if close else None
        if name is None:
            report.note(shown, f"{where}.{text}", "unknown key, left out")
            continue
        if text != name:
            report.note(shown, f"{where}.{text}", f"read as {name!r}")
        if name in out:
            report.note(shown, f"{where}.{text}", f"{name!r} given twice; the first is kept")
        else:
            out[name] = item
    return out


def _squash(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.casefold())
