"""One record on both sides of a diff: its facts with their provenance, compared.

A *fact* is a triple in one of the record's fact graphs together with that graph's provenance
(source, confidence, phase, note, validity), read from the provenance graph; fact graph IRIs
themselves are never compared (they change whenever the provenance does). Facts of one side
only are *removed* or *added*; two of them are paired into a *change*:

- the same triple on both sides, with another provenance: the source or confidence changed;
- the same subject and predicate, with one value each, when the record states one value for
  that subject and predicate on both sides (a label, a parameter count, a licence, a date).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import DumpError
from kg.read.models import EntitySummary
from kg.release.changes import PROVENANCE_ASPECTS, Aspect, DiffFact, DiffTerm, FactChange, FactState
from kg.schema.vocabulary import ID

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PART_OF_PROJECT = "https://w3id.org/llmkg/ns#partOfProject"
PROVENANCE_PARTS = {
    "http://www.w3.org/ns/prov#wasDerivedFrom": "source",
    "https://w3id.org/llmkg/ns#confidence": "confidence",
    "https://w3id.org/llmkg/ns#lifecyclePhase": "phase",
    "http://www.w3.org/2000/01/rdf-schema#comment": "note",
    "https://schema.org/validFrom": "valid_from",
    "https://schema.org/validThrough": "valid_until",
}
"""The provenance graph's predicates about a fact graph that a diff compares."""
TOPIC_IRI = b"<http://xmlns.com/foaf/0.1/primaryTopic>"
LABEL_IRI = f"<{LABEL}>".encode()
PART_OF_PROJECT_IRI = f"<{PART_OF_PROJECT}>".encode()
CODES = {"confidence": f"{ID}confidence/", "phase": f"{ID}lifecycle-phase/"}

Key = tuple[str, ...]
Said = tuple[str, ...]
"""A fact graph's provenance: one value per :data:`PROVENANCE_ASPECTS`, ``""`` for none
(several sources are joined by spaces)."""


@dataclass(frozen=True, order=True)
class _Fact:
    subject: str
    predicate: str
    text: str  # the object in N-Triples: compared and sorted by
    said: Said
    term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple = field(compare=False)
    key: tuple[bytes, bytes] = field(compare=False)  # subject and predicate as in the dump


@dataclass(frozen=True)
class RecordDiff:
    """The changes of one record, each list sorted."""

    entity: EntitySummary
    existed: bool
    exists: bool
    projects: frozenset[str]
    added: list[DiffFact]
    removed: list[DiffFact]
    changed: list[FactChange]


def _quads(lines: list[bytes]) -> list[ox.Quad]:
    try:
        quads = list(ox.parse(b"".join(lines), format=ox.RdfFormat.N_QUADS))
    except SyntaxError as exc:
        raise DumpError(f"a dump has a line that is not N-Quads: {exc}") from None
    if len(quads) != len(lines):
        raise DumpError("a dump has a line that is not one quad")
    return quads


def _by_graph(lines: list[bytes]) -> dict[bytes, list[bytes]]:
    """Provenance lines by the fact graph they describe (``<iri>`` as in the dump)."""
    graphs: dict[bytes, list[bytes]] = defaultdict(list)
    for line in lines:
        graphs[line[: line.index(b" ")]].append(line)
    return graphs


def _said(lines: list[bytes]) -> Said:
    """The provenance of one fact graph from its lines."""
    found: dict[str, list[str]] = defaultdict(list)
    for quad in _quads(lines):
        obj = quad.object
        if aspect := PROVENANCE_PARTS.get(quad.predicate.value):
            value = obj.value if isinstance(obj, ox.NamedNode | ox.Literal) else str(obj)
            found[aspect].append(value.removeprefix(CODES.get(aspect, "")))
    return tuple(" ".join(sorted(found[a])) for a in PROVENANCE_ASPECTS)


def _facts(lines: list[bytes], provenance: dict[bytes, list[bytes]]) -> set[_Fact]:
    """The facts of ``lines`` (parsed: the few that differ) with their graphs' provenance."""
    said: dict[bytes, Said] = {}
    facts = set()
    for line, q in zip(lines, _quads(lines), strict=True):
        subject, predicate, rest = line.split(b" ", 2)
        graph = rest.rsplit(b" ", 2)[1]
        if graph not in said:
            said[graph] = _said(provenance.get(graph, []))
        facts.add(_Fact(_text(q.subject), q.predicate.value, str(q.object), said[graph], q.object,
                        (subject, predicate)))  # fmt: skip
    return facts


def _text(term: ox.NamedNode | ox.BlankNode | ox.Triple) -> str:
    """An IRI as itself, a blank node as ``_:id``."""
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def _values(lines: list[bytes]) -> dict[tuple[bytes, bytes], set[bytes]]:
    """The values of each subject and predicate in ``lines``, as written."""
    values: dict[tuple[bytes, bytes], set[bytes]] = defaultdict(set)
    for line in lines:
        subject, predicate, rest = line.split(b" ", 2)
        values[subject, predicate].add(rest.rsplit(b" ", 2)[0])
    return values


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> DiffTerm:
    if isinstance(term, ox.NamedNode):
        return DiffTerm(iri=term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        return DiffTerm(
            value=term.value,
            datatype=None if datatype in (XSD_STRING, RDF_LANG_STRING) else datatype,
            language=term.language,
        )
    return DiffTerm(value=str(term))


def _state(fact: _Fact) -> FactState:
    said = {a: x or None for a, x in zip(PROVENANCE_ASPECTS, fact.said, strict=True)}
    return FactState(value=_term(fact.term), **said)


def entity_of(record: str, label: str | None = None) -> EntitySummary:
    """The summary of the record ``record`` (an IRI): kind and id from the IRI.

    Examples
    --------
    >>> entity_of("https://w3id.org/llmkg/id/model/bloom").label
    'bloom'
    """
    kind, _, id_ = record.removeprefix(ID).rpartition("/")
    return EntitySummary(kind=kind or "other", id=id_, iri=record, label=label or id_)


def compare_record(
    prefix: bytes,
    facts: tuple[list[bytes], list[bytes]],
    provenance: tuple[list[bytes], list[bytes]],
) -> RecordDiff:
    """The changes of the record whose fact graphs start with ``prefix``, from the lines of
    its facts and provenance blocks on each side. Only lines of one side are parsed, and
    those of fact graphs whose provenance changed."""
    (old_lines, new_lines), (old_prov, new_prov) = facts, map(_by_graph, provenance)
    redescribed = {g for g in old_prov.keys() & new_prov.keys() if old_prov[g] != new_prov[g]}
    old = _facts(_differing(old_lines, set(new_lines), redescribed), old_prov)
    new = _facts(_differing(new_lines, set(old_lines), redescribed), new_prov)
    record = _topic(prefix, [*old_prov.values(), *new_prov.values()])
    removed, added = sorted(old - new), sorted(new - old)
    changed = _pair_same_triple(removed, added)
    if removed and added:
        changed += _pair_single_values(removed, added, _values(old_lines), _values(new_lines))
    label, projects = _own(record, [*new_lines, *old_lines])
    return RecordDiff(
        entity=entity_of(record, label),
        existed=bool(old_lines),
        exists=bool(new_lines),
        projects=frozenset(projects),
        added=[_fact(record, f) for f in added],
        removed=[_fact(record, f) for f in removed],
        changed=[_change(record, x, y) for x, y in sorted(changed)],
    )


def _differing(lines: list[bytes], other: set[bytes], redescribed: set[bytes]) -> list[bytes]:
    """The lines not in ``other``, and those in a fact graph whose provenance changed."""
    if not redescribed:
        return [line for line in lines if line not in other]
    return [line for line in lines if line not in other or line.rsplit(b" ", 2)[1] in redescribed]


def _topic(prefix: bytes, provenance: list[list[bytes]]) -> str:
    """The record: its fact graphs' foaf:primaryTopic, else the IRI ``prefix`` names."""
    topics = sorted(
        line.split(b" ", 3)[2]
        for lines in provenance
        for line in lines
        if line.split(b" ", 2)[1] == TOPIC_IRI
    )
    if topics and topics[0].startswith(b"<"):
        return topics[0][1:-1].decode()
    return prefix.decode()[1:-1].replace(f"{ID}fact/", ID)


def _own(record: str, lines: list[bytes]) -> tuple[str | None, set[str]]:
    """The record's label (new side first) and the projects it is part of (either side)."""
    subject = f"<{record}>".encode()
    labels, projects = [], {record} if record.startswith(f"{ID}project/") else set()
    for line in lines:
        if line.startswith(subject + b" "):
            predicate, rest = line[len(subject) + 1 :].split(b" ", 1)
            if predicate == LABEL_IRI:
                labels.append(line)
            elif predicate == PART_OF_PROJECT_IRI and rest.startswith(b"<"):
                projects.add(rest[1 : rest.index(b">")].decode())
    label = _quads(labels[:1])[0].object if labels else None
    return (label.value if isinstance(label, ox.Literal) else None), projects


def _pair_same_triple(removed: list[_Fact], added: list[_Fact]) -> list[tuple[_Fact, _Fact]]:
    """Pairs of a removed and an added fact of the same triple; taken out of both lists."""
    return _pair(removed, added, lambda f: (f.subject, f.predicate, f.text), lambda k, xs, ys: True)


def _pair_single_values(
    removed: list[_Fact],
    added: list[_Fact],
    values_old: dict[tuple[bytes, bytes], set[bytes]],
    values_new: dict[tuple[bytes, bytes], set[bytes]],
) -> list[tuple[_Fact, _Fact]]:
    """Pairs of the one removed and the one added value of a subject and predicate that have one
    value on each side; taken out of both lists."""

    def single(key: Key, xs: list[_Fact], ys: list[_Fact]) -> bool:
        raw = xs[0].key
        return len(xs) == len(ys) == 1 and len(values_old[raw]) == len(values_new[raw]) == 1

    return _pair(removed, added, lambda f: (f.subject, f.predicate), single)


def _pair(
    removed: list[_Fact],
    added: list[_Fact],
    key: Callable[[_Fact], Key],
    allowed: Callable[[Key, list[_Fact], list[_Fact]], bool],
) -> list[tuple[_Fact, _Fact]]:
    """Pairs of a removed and an added fact with the same ``key`` where ``allowed``, in order;
    taken out of both lists."""
    olds: dict[Key, list[_Fact]] = defaultdict(list)
    news: dict[Key, list[_Fact]] = defaultdict(list)
    for facts, groups in ((removed, olds), (added, news)):
        for fact in facts:
            groups[key(fact)].append(fact)
    pairs: list[tuple[_Fact, _Fact]] = []
    for k in sorted(olds.keys() & news.keys()):
        if allowed(k, olds[k], news[k]):
            pairs += zip(olds[k], news[k], strict=False)
    taken = {id(f) for pair in pairs for f in pair}
    removed[:] = [f for f in removed if id(f) not in taken]
    added[:] = [f for f in added if id(f) not in taken]
    return pairs


def _fact(record: str, fact: _Fact) -> DiffFact:
    state = _state(fact)
    return DiffFact(record=record, subject=fact.subject, predicate=fact.predicate, **dict(state))


def _change(record: str, old: _Fact, new: _Fact) -> FactChange:
    what: list[Aspect] = ["value"] if old.text != new.text else []
    what += [a for a, x, y in zip(PROVENANCE_ASPECTS, old.said, new.said, strict=True) if x != y]
    return FactChange(record=record, subject=old.subject, predicate=old.predicate,
                      changed=what, old=_state(old), new=_state(new))  # fmt: skip
