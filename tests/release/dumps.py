"""Small hand-written dumps in the shape kg build writes: fact graphs of records, the provenance
graph describing them, an ontology graph; sorted and serialized as kg.nq is."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.compile.dumps import sorted_quads
from kg.compile.rdf import ONTOLOGY_GRAPH, PROVENANCE_GRAPH

ID = "https://w3id.org/llmkg/id/"
NS = "https://w3id.org/llmkg/ns#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"

Object = ox.NamedNode | ox.Literal
Fact = tuple[str, Object] | tuple[str, str, Object]
"""(predicate, object) about the record, or (subject, predicate, object)."""


def node(path: str) -> ox.NamedNode:
    """``model/bloom`` -> the IRI of the record; ``ns#Model`` -> a term of the ontology."""
    return ox.NamedNode(NS + path[3:] if path.startswith("ns#") else ID + path)


def group(
    record: str,
    source: str,
    confidence: str,
    facts: Sequence[Fact],
    *,
    phase: str | None = None,
    note: str | None = None,
    tag: str | None = None,
) -> list[ox.Quad]:
    """One fact graph of ``record`` (``model/bloom``) holding ``facts``, and its provenance.
    Its IRI ends in a digest of the provenance, as kg build's do, unless ``tag`` is given."""
    digest = tag or hashlib.sha256(f"{source}|{confidence}|{phase}|{note}".encode()).hexdigest()
    graph = ox.NamedNode(f"{ID}fact/{record}/{digest[:12]}")
    quads = []
    for fact in facts:
        subject, predicate, obj = (record, *fact) if len(fact) == 2 else fact
        quads.append(ox.Quad(node(str(subject)), ox.NamedNode(str(predicate)), obj, graph))
    described = [
        (TYPE, node("ns#FactGraph")),
        ("http://xmlns.com/foaf/0.1/primaryTopic", node(record)),
        ("http://www.w3.org/ns/prov#wasDerivedFrom", ox.NamedNode(source)),
        (NS + "confidence", node(f"confidence/{confidence}")),
    ]
    if phase:
        described.append((NS + "lifecyclePhase", node(f"lifecycle-phase/{phase}")))
    if note:
        described.append(("http://www.w3.org/2000/01/rdf-schema#comment", ox.Literal(note)))
    quads += [ox.Quad(graph, ox.NamedNode(p), o, PROVENANCE_GRAPH) for p, o in described]
    return quads


def ontology(label: str) -> list[ox.Quad]:
    """The ontology graph: one term with ``label``."""
    return [ox.Quad(node("ns#Model"), ox.NamedNode(LABEL), ox.Literal(label), ONTOLOGY_GRAPH)]


def write(path: Path, groups: Iterable[list[ox.Quad]]) -> Path:
    """``groups`` as N-Quads at ``path``, sorted and serialized as kg build writes kg.nq."""
    quads = {quad for quads in groups for quad in quads}
    ox.serialize(sorted_quads(quads), path, format=ox.RdfFormat.N_QUADS)
    return path


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
