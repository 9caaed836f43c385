"""Entity resolution: which curated entity, if any, a catalogue's name refers to.

A name resolves, in this order, through the alias table (data/aliases.yaml), then through the
id, name and aliases of the curated records, all compared by :func:`name_key`. A name that
resolves to nothing gets an id of its own, its key, so that every catalogue spelling it alike
reaches the same IRI: ``https://w3id.org/llmkg/id/organization/stabilityai``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg.compile.rdf import entity
from kg.importers.aliases import AliasTable
from kg.importers.names import name_key
from kg.schema.records import LicenseRecord, Record


@dataclass(frozen=True)
class Resolved:
    """An entity a catalogue names: curated (a record of data/) or known only to catalogues."""

    kind: str
    id: str
    curated: bool

    @property
    def iri(self) -> ox.NamedNode:
        """The entity's IRI, ``https://w3id.org/llmkg/id/<kind>/<id>``."""
        return entity(self.kind, self.id)


class Resolver:
    """Resolves names to curated entities with the alias table and normalized names.

    Examples
    --------
    >>> from kg.schema.records import OrganizationRecord
    >>> ai2 = OrganizationRecord(id="ai2", name="Allen Institute for AI", aliases=["Ai2"],
    ...     source="https://allenai.org/", confidence="public-record",
    ...     organization_type="research-institute")
    >>> resolver = Resolver([ai2], AliasTable(organizations={"ai2": ["AllenAI"]}))
    >>> {resolver.resolve("organization", [n]).id for n in
    ...  ["AI2", "allen-institute-for-ai", "Allen Institute for AI", "AllenAI"]}
    {'ai2'}
    >>> resolver.resolve("organization", ["Stability AI"])
    Resolved(kind='organization', id='stabilityai', curated=False)
    """

    def __init__(self, records: Iterable[Record], aliases: AliasTable) -> None:
        self.curated: dict[str, set[str]] = defaultdict(set)
        found: dict[tuple[str, str], set[str]] = defaultdict(set)
        for record in records:
            self.curated[record.kind].add(record.id)
            names = [record.id, record.name, *record.aliases]
            if isinstance(record, LicenseRecord):
                names += [record.spdx] if record.spdx else []
            for name in names:
                found[(record.kind, _key(record.kind, name))].add(record.id)
        self._curated = {key: next(iter(ids)) for key, ids in found.items() if len(ids) == 1}
        self.ambiguous = {key: sorted(ids) for key, ids in found.items() if len(ids) > 1}
        self._aliases = {(kind, _key(kind, name)): id_ for kind, id_, name in aliases.entries()}

    def find(self, kinds: Sequence[str], names: Iterable[str | None]) -> Resolved | None:
        """The first of ``names`` that the alias table or a curated record of ``kinds`` knows."""
        for name in names:
            if not name:
                continue
            for kind in kinds:
                key = (kind, _key(kind, name))
                id_ = self._aliases.get(key) or self._curated.get(key)
                if id_ is not None:
                    return Resolved(kind, id_, id_ in self.curated[kind])
        return None

    def resolve(self, kind: str, names: Sequence[str | None]) -> Resolved:
        """The entity ``names`` refer to, known or new; a new one's id is the first name's key."""
        found = self.find([kind], names)
        if found is not None:
            return found
        first = next((n for n in names if n), None)
        if first is None:
            raise ValueError("resolve() needs a name")
        return Resolved(kind, _key(kind, first), False)

    def is_curated(self, kind: str, id_: str) -> bool:
        """Whether data/ has a record ``kind/id_``."""
        return id_ in self.curated[kind]


def _key(kind: str, name: str) -> str:
    return name_key(name, organization=kind == "organization")
