"""Text search over entity labels, aliases and ids, from an index built once from the store.

A SPARQL ``CONTAINS`` filter scans every label at every request (seconds at a million
triples); the index is read with one query when the server starts and answers in
milliseconds. The served store is read-only, so the index never goes stale.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.graph import KnowledgeGraph
from kg.schema.records import KINDS
from kg.schema.vocabulary import ID

logger = logging.getLogger(__name__)
SEPARATOR = "\x1f"

ENTRIES = f"""
SELECT ?e ?id (SAMPLE(?l) AS ?label) (GROUP_CONCAT(DISTINCT ?alias; separator="{SEPARATOR}") AS ?aliases)
WHERE {{
  ?e <http://purl.org/dc/terms/identifier> ?id ; <http://www.w3.org/2000/01/rdf-schema#label> ?l .
  OPTIONAL {{ ?e <http://www.w3.org/2004/02/skos/core#altLabel> ?alias }}
  FILTER(STRSTARTS(STR(?e), "{ID}"))
}} GROUP BY ?e ?id
"""


@dataclass(frozen=True)
class Entry:
    """One searchable entity."""

    kind: str
    id: str
    iri: str
    label: str
    names: tuple[str, ...]  # lowercased label, aliases and id


class SearchIndex:
    """Entities by label, alias and id; ``search`` ranks exact, then prefix, then other matches.

    Examples
    --------
    >>> index = SearchIndex([Entry("model", "bloom", "x:bloom", "BLOOM", ("bloom", "bloom-176b")),
    ...                      Entry("model", "bloomz", "x:bloomz", "BLOOMZ", ("bloomz",)),
    ...                      Entry("project", "bigscience", "x:bs", "BigScience", ("bigscience", "bloom workshop"))])
    >>> [e.id for e in index.search("bloom")]  # exact, then prefixes by label
    ['bloom', 'bigscience', 'bloomz']
    >>> [e.id for e in index.search("BLOOM", kinds={"project"})]
    ['bigscience']
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = sorted(entries, key=lambda e: (e.label.lower(), e.iri))
        # All names in one string, so that a substring search runs in C, not per entry.
        parts, self._starts, self._owner = [], [], []
        offset = 0
        for position, entry in enumerate(self.entries):
            for name in entry.names:
                self._starts.append(offset)
                self._owner.append(position)
                parts.append(name)
                offset += len(name) + 1
        self._text = "\n".join(parts)

    @classmethod
    def build(cls, kg: KnowledgeGraph) -> SearchIndex:
        """Read every entity's label, aliases and id from ``kg`` with one query."""
        result = kg.query(ENTRIES)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("a SELECT query was expected")
        entries = []
        for row in result:
            iri, id_, label = (row[n].value for n in ("e", "id", "label"))
            kind = iri.removeprefix(ID).partition("/")[0]
            if kind not in KINDS:
                continue
            aliases = (
                row["aliases"].value.split(SEPARATOR)
                if row["aliases"] and row["aliases"].value
                else []
            )
            names = tuple(dict.fromkeys(n.lower() for n in (label, *aliases, id_)))
            entries.append(Entry(kind, id_, iri, label, names))
        logger.info("search index: %d entities", len(entries))
        return cls(entries)

    def search(
        self, q: str | None, *, kinds: set[str] | None = None, within: set[str] | None = None
    ) -> list[Entry]:
        """Entries matching ``q`` (all when None), of ``kinds``, with IRIs ``within``, best first."""
        if q:
            needle = q.lower()
            ranks: dict[int, int] = {}
            found = self._text.find(needle)
            while found != -1:
                slot = bisect.bisect_right(self._starts, found) - 1
                position = self._owner[slot]
                start = self._starts[slot]
                end = self._text.find("\n", start)
                name = self._text[start : end if end != -1 else len(self._text)]
                if found + len(needle) <= start + len(name):  # not across two names
                    rank = 0 if name == needle else 1 if found == start else 2
                    ranks[position] = min(rank, ranks.get(position, 2))
                found = self._text.find(needle, found + 1)
            candidates = sorted(ranks, key=lambda p: (ranks[p], p))
        else:
            candidates = list(range(len(self.entries)))
        return [
            self.entries[p]
            for p in candidates
            if (kinds is None or self.entries[p].kind in kinds)
            and (within is None or self.entries[p].iri in within)
        ]
