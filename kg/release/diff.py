"""``kg diff``: what changed between two dumps (releases, or a release and the working build).

Entities are records: the ``foaf:primaryTopic`` of fact graphs. One is *added* or *removed*
when it has facts on one side only. Facts are triples in fact graphs with their provenance,
*added*, *removed* or *changed* as :mod:`kg.release.compare` says; the ontology graph and the
provenance graph's own bookkeeping (fact graph IRIs, catalogue descriptions) are not compared.

Changes are grouped per kind of record and per project: a record's changes count for project X
when the record is X or is part of X (``llmkg:partOfProject X`` on either side; a project's
models, datasets and other artifacts). Everything is sorted, so the same dumps give the same
bytes in every format.

Only the lines the dumps differ in are parsed (:mod:`kg.release.blocks`), with the records
they belong to; docs/benchmarks.md measures it at ten million quads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from kg.read.models import EntitySummary
from kg.release.blocks import Block, changed_blocks, is_facts, record_blocks, record_of
from kg.release.changes import (
    Diff,
    DiffCounts,
    DiffFact,
    FactChange,
    KindDiff,
    ProjectDiff,
)
from kg.release.compare import RecordDiff, compare_record, entity_of
from kg.release.formats import phrase, to_html, to_markdown

Format = Literal["md", "json", "html"]
FORMATS: tuple[Format, ...] = ("md", "json", "html")

__all__ = ["FORMATS", "Diff", "Format", "diff_dumps", "render", "summary"]


def diff_dumps(old: Path, new: Path, *, names: tuple[str, str] | None = None) -> Diff:
    """What changed from the N-Quads dump ``old`` to ``new``, both sorted as ``kg build``
    writes ``kg.nq``; ``names`` (default: the paths) are what the diff calls them.

    Raises
    ------
    DumpError
        If a dump is not sorted as ``kg build`` writes it, or not N-Quads of named graphs.
    OSError
        If a dump cannot be read.
    """
    records = sorted(_records(old, new), key=lambda r: r.entity.iri)
    return _assemble([r for r in records if _counts(r)], names or (str(old), str(new)))


def _records(old: Path, new: Path) -> Iterator[RecordDiff]:
    """Every record whose facts or provenance differ, compared."""
    facts: dict[bytes, Block] = {}
    provenance_only: dict[bytes, Block] = {}
    for block in changed_blocks(old, new):
        record = record_of(block.key)
        if record is None:
            continue  # the ontology, a catalogue's description
        if is_facts(block.key):
            facts[record] = block  # its provenance block comes later, in the same order
        elif (found := facts.pop(record, None)) is not None:
            yield compare_record(record, (found.old, found.new), (block.old, block.new))
        else:
            provenance_only[record] = block
    for record, found in facts.items():  # fact graphs without provenance
        yield compare_record(record, (found.old, found.new), ([], []))
    if provenance_only:  # the facts are the same on both sides: read them from one
        shared = record_blocks(old, set(provenance_only))
        for record, block in provenance_only.items():
            lines = shared.get(record, [])
            yield compare_record(record, (lines, lines), (block.old, block.new))


def _counts(record: RecordDiff) -> DiffCounts:
    return DiffCounts(
        entities_added=int(record.exists and not record.existed),
        entities_removed=int(record.existed and not record.exists),
        facts_added=len(record.added),
        facts_removed=len(record.removed),
        facts_changed=len(record.changed),
    )


def _assemble(records: list[RecordDiff], names: tuple[str, str]) -> Diff:
    """The diff of ``records`` (sorted by IRI), per kind and per project."""
    by_kind: dict[str, list[RecordDiff]] = defaultdict(list)
    by_project: dict[str, list[RecordDiff]] = defaultdict(list)
    for record in records:
        by_kind[record.entity.kind].append(record)
        for project in record.projects:
            by_project[project].append(record)
    entities = {r.entity.iri: r.entity for r in records}
    return Diff(
        old=names[0],
        new=names[1],
        counts=sum((_counts(r) for r in records), DiffCounts()),
        kinds={kind: _kind(by_kind[kind]) for kind in sorted(by_kind)},
        projects=[
            ProjectDiff(
                project=entities.get(iri) or entity_of(iri),
                counts=sum((_counts(r) for r in by_project[iri]), DiffCounts()),
                records=[r.entity.iri for r in by_project[iri]],
            )
            for iri in sorted(by_project)
        ],
    )


def _kind(records: list[RecordDiff]) -> KindDiff:
    added: list[EntitySummary] = [r.entity for r in records if r.exists and not r.existed]
    removed: list[EntitySummary] = [r.entity for r in records if r.existed and not r.exists]
    facts_added: list[DiffFact] = [f for r in records for f in r.added]
    facts_removed: list[DiffFact] = [f for r in records for f in r.removed]
    changed: list[FactChange] = [c for r in records for c in r.changed]
    return KindDiff(
        counts=sum((_counts(r) for r in records), DiffCounts()),
        entities_added=added,
        entities_removed=removed,
        facts_added=facts_added,
        facts_removed=facts_removed,
        facts_changed=changed,
    )


def summary(diff: Diff) -> str:
    """A few Markdown lines for a data changelog: the counts in all, and per kind.

    Examples
    --------
    >>> summary(Diff(old="a", new="b", counts=DiffCounts(), kinds={}, projects=[]))
    'No changes.\\n'
    """
    if not diff.counts:
        return "No changes.\n"
    lines = [f"- In all: {phrase(diff.counts)}."]
    lines += [f"- {kind}: {phrase(part.counts)}." for kind, part in diff.kinds.items()]
    return "\n".join(lines) + "\n"


def render(diff: Diff, fmt: Format) -> str:
    """``diff`` as Markdown, JSON (the :class:`Diff` model) or a self-contained HTML page."""
    if fmt == "json":
        return diff.model_dump_json(indent=2) + "\n"
    if fmt == "md":
        return to_markdown(diff, summary(diff))
    return to_html(diff)
