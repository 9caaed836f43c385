"""Write the build outputs: N-Quads, Turtle, JSON-LD and a VoID description.

The same store always gives byte-identical files (quads are sorted before they are
serialized). A build is written into a new version of ``build/dumps`` and switched in whole
(:mod:`kg.versions`); ``build/kg.nq`` and the others are symlinks through ``build/dumps``, so
a reader sees the previous build or the new one, never a mix, whenever the writer stops.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.compile.rdf import ONTOLOGY_GRAPH, PROVENANCE_GRAPH, iri
from kg.errors import WriteError
from kg.graph import KnowledgeGraph
from kg.locks import writing
from kg.schema.vocabulary import ID, PREFIXES
from kg.versions import fresh, new_files

logger = logging.getLogger(__name__)

RDF_TYPE = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
VOID = "http://rdfs.org/ns/void#"
DATASET = ox.NamedNode("https://w3id.org/llmkg/id/void/dataset")
OUTPUTS = ("kg.nq", "kg.ttl", "kg.jsonld", "void.ttl")
DUMPS = "dumps"
"""The symlink in the build directory to the current build's version directory."""


def _key(term: object) -> str:
    return str(term)


def _digest(term: object) -> str:
    return hashlib.sha256(str(term).encode()).hexdigest()[:12]


def sorted_quads(store: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Every quad of ``store`` in a stable order."""
    return sorted(
        store,
        key=lambda q: (_key(q.graph_name), _key(q.subject), _key(q.predicate), _key(q.object)),
    )


def merged_triples(store: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The union of all graphs as triples, deduplicated, in a stable order."""
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store}
    return sorted(triples, key=lambda t: (_key(t.subject), _key(t.predicate), _key(t.object)))


def to_jsonld(triples: list[ox.Triple]) -> str:
    """Triples as JSON-LD with a context of :data:`PREFIXES` and compact IRIs.

    Examples
    --------
    >>> t = ox.Triple(ox.NamedNode("https://w3id.org/llmkg/id/model/bloom"),
    ...               ox.NamedNode("https://w3id.org/llmkg/ns#trainedOn"),
    ...               ox.NamedNode("https://w3id.org/llmkg/id/dataset/roots"))
    >>> to_jsonld([t]).splitlines()[1]  # the line after the context
    '"@graph": [{"@id": "model:bloom", "llmkg:trainedOn": [{"@id": "dataset:roots"}]}]}'
    """
    expanded = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"[]")
    graph = [_compact(node) for node in expanded]
    context = json.dumps({"@context": PREFIXES}, ensure_ascii=False)[:-1]
    return f'{context},\n"@graph": {json.dumps(graph, ensure_ascii=False)}}}\n'


def _compact(value: Any) -> Any:
    if isinstance(value, list):
        return [_compact(v) for v in value]
    if not isinstance(value, dict):
        return value
    return {
        compact_iri(k) if not k.startswith("@") else k: (
            compact_iri(v) if k in ("@id", "@type") and isinstance(v, str) else _compact(v)
        )
        for k, v in value.items()
    }


def compact_iri(value: str) -> str:
    for prefix, namespace in PREFIXES.items():
        local = value.removeprefix(namespace)
        if local != value and local and ":" not in local:
            return f"{prefix}:{local}"
    return value


def void_triples(store: Iterable[ox.Quad], triples: list[ox.Triple]) -> list[ox.Triple]:
    """A VoID description of the graph: sizes, and counts per class and per property."""
    data = [q for q in store if q.graph_name not in (ONTOLOGY_GRAPH, PROVENANCE_GRAPH)]
    classes = Counter(q.object for q in data if q.predicate == RDF_TYPE)
    properties = Counter(q.predicate for q in data)
    entities = {q.subject for q in data if q.predicate == RDF_TYPE}

    def v(term: str) -> ox.NamedNode:
        return ox.NamedNode(VOID + term)

    out = [
        ox.Triple(DATASET, RDF_TYPE, v("Dataset")),
        ox.Triple(DATASET, iri("http://purl.org/dc/terms/title"), ox.Literal("open-llm-kg")),
        ox.Triple(DATASET, v("triples"), ox.Literal(len(triples))),
        ox.Triple(DATASET, v("entities"), ox.Literal(len(entities))),
        ox.Triple(DATASET, v("classes"), ox.Literal(len(classes))),
        ox.Triple(DATASET, v("properties"), ox.Literal(len(properties))),
        ox.Triple(DATASET, v("distinctSubjects"), ox.Literal(len({t.subject for t in triples}))),
        ox.Triple(DATASET, v("distinctObjects"), ox.Literal(len({t.object for t in triples}))),
        ox.Triple(DATASET, v("vocabulary"), iri(PREFIXES["llmkg"])),
        ox.Triple(DATASET, v("uriSpace"), ox.Literal(ID)),
        ox.Triple(DATASET, v("sparqlEndpoint"), iri("http://127.0.0.1:8000/sparql")),
    ]
    out += [
        ox.Triple(DATASET, v("dataDump"), iri(f"https://w3id.org/llmkg/dumps/{n}"))
        for n in OUTPUTS[:3]
    ]
    for kind, counts in (("class", classes), ("property", properties)):
        for term, count in counts.items():
            part = ox.NamedNode(f"{DATASET.value}/{kind}/{_digest(term)}")
            out += [
                ox.Triple(DATASET, v(f"{kind}Partition"), part),
                ox.Triple(part, v(kind), term),
                ox.Triple(part, v("entities" if kind == "class" else "triples"), ox.Literal(count)),
            ]
    return sorted(out, key=lambda t: (_key(t.subject), _key(t.predicate), _key(t.object)))


def building(build_dir: Path) -> AbstractContextManager[None]:
    """The write lock of the dumps in ``build_dir``: one ``kg build`` at a time.

    Raises
    ------
    LockedError
        If another process is writing them.
    """
    return writing(build_dir / DUMPS, "kg build", shown=build_dir)


def write_build(kg: KnowledgeGraph, build_dir: Path) -> dict[str, int]:
    """Write kg.nq, kg.ttl, kg.jsonld and void.ttl into ``build_dir``, all or nothing.

    The files are written into a new version directory, flushed to disk, and switched in with
    one symlink replace, under the lock of :func:`building`. A failure or a kill at any moment
    leaves the previous build as it was; the next build deletes what a killed one left.

    Returns
    -------
    dict
        Bytes written per file name.

    Raises
    ------
    WriteError
        If a file cannot be written (a full disk): it names the file.
    LockedError
        If another ``kg build`` is writing ``build_dir``.
    """
    triples = merged_triples(kg.rdf)
    build_dir.mkdir(parents=True, exist_ok=True)
    try:
        with (
            building(build_dir),
            new_files(build_dir / DUMPS, carry=False, legacy=OUTPUTS) as dumps,
        ):
            for name in OUTPUTS:
                try:
                    _write_dump(kg, triples, fresh(dumps, name))
                except OSError as exc:
                    raise WriteError(
                        f"cannot write {build_dir / name}: {exc}; is the disk full? "
                        f"{build_dir} keeps the previous build"
                    ) from None
            sizes = {name: (dumps / name).stat().st_size for name in OUTPUTS}
    except OSError as exc:
        raise WriteError(
            f"cannot switch {build_dir} to the new build: {exc}; it keeps the previous build"
        ) from None
    logger.info("wrote %s", ", ".join(f"{n} ({s} bytes)" for n, s in sizes.items()))
    return sizes


def _write_dump(kg: KnowledgeGraph, triples: list[ox.Triple], path: Path) -> None:
    """Write the dump named like ``path`` (one of :data:`OUTPUTS`)."""
    if path.name == "kg.nq":
        ox.serialize(sorted_quads(kg.rdf), path, format=ox.RdfFormat.N_QUADS)
    elif path.name == "kg.ttl":
        ox.serialize(triples, path, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    elif path.name == "kg.jsonld":
        path.write_text(to_jsonld(triples), encoding="utf-8")
    else:
        void = void_triples(kg.rdf, triples)
        ox.serialize(void, path, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
