"""Names that several records share: an error within a kind, a warning across kinds.

Name-based import and lookup compare names by :func:`~kg.importers.names.name_key` (case,
spaces and punctuation aside). Two records of one kind with one name could not be told apart,
so :func:`shared_names` makes that an error. Records of different kinds may share a name (the
project BLOOM and the model BLOOM, a benchmark and the paper that introduced it): the importers
and ``GET /entities?type=`` resolve it by kind, and ``kg validate`` warns with the records the
name could mean, so that a curator sees it and a user of name search knows to give a kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kg.errors import Problem
from kg.importers.names import name_key
from kg.schema.records import Record


def shared_names(records: Iterable[tuple[str, Record]]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) for names shared by records, as ``path: field: message``.

    ``records`` are (shown path, record) pairs. A record's names are its id, ``name`` and
    ``aliases``; a kind's ids are unique already, so an id shared by two kinds is reported only
    where it is also a display name or alias.
    """
    holders: dict[str, dict[tuple[str, str], tuple[str, str, str]]] = defaultdict(dict)
    for shown, record in records:
        fields = [
            ("name", record.name),
            *((f"aliases[{i}]", a) for i, a in enumerate(record.aliases)),
        ]
        for field, name in [*fields, ("id", record.id)]:
            key = name_key(name, organization=record.kind == "organization")
            holders[key].setdefault((record.kind, record.id), (shown, field, name))
    errors, warnings = [], []
    for found in holders.values():
        named = sorted((kind, id_, *where) for (kind, id_), where in found.items())
        if len(named) < 2 or all(field == "id" for *_, field, _ in named):
            continue
        kinds = [kind for kind, *_ in named]
        for kind, id_, shown, field, name in named:
            same = [i for k, i, *_ in named if k == kind and i != id_]
            if same:
                errors.append(
                    Problem(
                        shown,
                        field,
                        f"{name!r} also names {kind} {same[0]!r}: records of"
                        " one kind need names of their own (make it an alias of one of them)",
                    )
                )
        if len(set(kinds)) == len(kinds):
            kind, id_, shown, field, name = next(n for n in named if n[3] != "id")
            could = ", ".join(f"{k}/{i}" for k, i, *_ in named)
            warnings.append(
                Problem(
                    shown,
                    field,
                    f"warning: {name!r} names {could}; name-based import and"
                    " lookup tell them apart by kind",
                )
            )
    return errors, warnings
