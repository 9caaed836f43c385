"""The alias table, data/aliases.yaml: names catalogues use for one entity, by kind.

Curated records already list their ``aliases``; this table adds the spellings that name
normalization cannot match (``Google AI`` for Google, ``StabilityAI`` for Stability AI), and
gives an id to entities only the catalogues know, so that every catalogue that names them
reaches the same IRI (``stability-ai: [Stability AI, StabilityAI]``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from kg.compile.load import display_path, read_yaml
from kg.errors import Problem, RecordError
from kg.importers.names import name_key
from kg.schema.fields import Slug
from kg.schema.records import Record

AliasName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Aliases = dict[Slug, list[AliasName]]

SECTIONS = {
    "organizations": "organization",
    "models": "model",
    "licenses": "license",
    "datasets": "dataset",
    "benchmarks": "benchmark",
    "frameworks": "framework",
    "software": "software",
}
"""Section of the table -> kind of the entities it names."""


def _section(kind: str) -> Aliases:
    return Field(
        default_factory=dict,
        description=f"{kind} id -> other names; the id of a curated {kind} record, or a new id "
        f"for a {kind} only catalogues know",
    )


class AliasTable(BaseModel):
    """Other names of entities, per kind: ``{id: [name, ...]}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organizations: Aliases = _section("organization")
    models: Aliases = _section("model")
    licenses: Aliases = _section("license")
    datasets: Aliases = _section("dataset")
    benchmarks: Aliases = _section("benchmark")
    frameworks: Aliases = _section("framework")
    software: Aliases = _section("software")

    def entries(self) -> Iterator[tuple[str, str, str]]:
        """(kind, id, name) for every name in the table, ids included as names."""
        for section, kind in SECTIONS.items():
            for id_, names in getattr(self, section).items():
                yield kind, id_, id_
                for name in names:
                    yield kind, id_, name

    def __len__(self) -> int:
        return sum(len(names) for section in SECTIONS for names in getattr(self, section).values())


def load_aliases(path: Path, records: Iterable[Record] = ()) -> AliasTable:
    """Read and check the alias table against the curated ``records``; an absent file is empty.

    Raises
    ------
    RecordError
        If the file is not valid YAML, has an unknown section or a bad id, lists no name or
        one name twice for an id, gives one name to two ids of the same kind, or gives a
        curated record a name it already has or another record's name.
    """
    if not path.exists():
        return AliasTable()
    shown = display_path(path)
    try:
        raw = read_yaml(path)
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
        raise RecordError([Problem(shown, "(yaml)", " ".join(str(exc).split()))]) from None
    try:
        table = AliasTable.model_validate(raw or {})
    except ValidationError as exc:
        raise RecordError([_problem(shown, e) for e in exc.errors(include_url=False)]) from None
    problems = _conflicts(shown, table, records)
    if problems:
        raise RecordError(problems)
    return table


def _problem(shown: str, error: object) -> Problem:
    assert isinstance(error, dict)  # noqa: S101 -- pydantic's ErrorDetails
    loc = [str(part) for part in error["loc"]]
    message = str(error["msg"])
    if error["type"] == "extra_forbidden":
        match = difflib.get_close_matches(loc[-1], list(SECTIONS), n=1)
        hint = f" (did you mean {match[0]!r}?)" if match else ""
        message = f"unknown section{hint}; sections: {', '.join(SECTIONS)}"
    elif loc[-1] == "[key]":
        message = f"{loc[-2]!r} is not an id: ids are lowercase letters, digits, dots and hyphens"
        loc = loc[:-1]
    return Problem(shown, ".".join(loc) or "(table)", message)


def _conflicts(shown: str, table: AliasTable, records: Iterable[Record]) -> list[Problem]:
    curated: dict[tuple[str, str], str] = {}
    for record in records:
        for name in (record.id, record.name, *record.aliases):
            curated.setdefault((record.kind, _key(record.kind, name)), record.id)
    owner = {(kind, _key(kind, id_)): id_ for kind, id_, name in table.entries() if name == id_}
    problems = []
    for section, kind in SECTIONS.items():
        for id_, names in getattr(table, section).items():
            where, listed = f"{section}.{id_}", set()
            if not names:
                problems.append(Problem(shown, where, "lists no name: add one or remove the id"))
            for name in names:
                key = (kind, _key(kind, name))
                other, named = owner.setdefault(key, id_), curated.get(key)
                if other != id_:
                    message = f"{name!r} already names {kind} {other!r}"
                elif name in listed:
                    message = f"{name!r} is listed twice"
                elif named == id_:
                    message = (
                        f"{name!r} is already a name of the curated {kind} {id_!r}"
                        " (its id, name or aliases): remove it here"
                    )
                elif named is not None:
                    message = (
                        f"{name!r} is a name of the curated {kind} {named!r}:"
                        f" list it under {named!r}, or not at all"
                    )
                else:
                    listed.add(name)
                    continue
                listed.add(name)
                problems.append(Problem(shown, where, message))
    return problems


def _key(kind: str, name: str) -> str:
    return name_key(name, organization=kind == "organization")
