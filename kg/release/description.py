"""A release described in RDF (``release.ttl``): a ``dcat:Dataset`` and ``void:Dataset``.

::

    <https://w3id.org/llmkg/release/2026.12> a dcat:Dataset, void:Dataset ;
        dcterms:title "open-llm-kg 2026.12" ;
        dcterms:issued "2026-12-03T16:31:02Z"^^xsd:dateTime ;
        dcat:version "2026.12" ; owl:versionInfo "2026.12" ;
        dcterms:isVersionOf <https://w3id.org/llmkg/id/void/dataset> ;   # the dataset of void.ttl
        dcat:previousVersion <https://w3id.org/llmkg/release/2026.11> ;  # unless the first
        void:triples 2470 ;                                              # quads: one per graph
        void:dataDump <.../2026.12/kg.nq> ; dcat:distribution <.../2026.12/kg.nq> ;
        prov:wasDerivedFrom <.../2026.12/source/data>, <.../2026.12/source/osai> .
    <.../2026.12/kg.nq> a dcat:Distribution ; dcat:mediaType <...application/n-quads> ;
        dcat:byteSize 123456 ; spdx:checksum <.../2026.12/kg.nq#sha256> .
    <.../2026.12/kg.nq#sha256> a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ;
        spdx:checksumValue "9f2c..."^^xsd:hexBinary .
    <.../2026.12/source/data> a prov:Entity ; rdfs:label "the curated records (data/)" ;
        schema:version "<commit>" ; rdfs:comment "data/ had changes not committed" .  # if so
    <.../2026.12/source/osai> a prov:Entity ; prov:specializationOf catalogue:osai ;
        schema:version "<commit>" .
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.compile.dumps import DATASET
from kg.schema.vocabulary import ID, PREFIXES
from kg.store.staging import RELEASES

if TYPE_CHECKING:
    from kg.release.snapshot import Release

METADATA = "release.json"
"""The file of a release's metadata for programs."""
DESCRIPTION = "release.ttl"
"""The file of a release's description in RDF."""
SPDX = "http://spdx.org/rdf/terms#"
N_QUADS = "https://www.iana.org/assignments/media-types/application/n-quads"
USED = ("rdf", "rdfs", "owl", "xsd", "dcterms", "dcat", "prov", "schema", "void", "catalogue")
TURTLE_PREFIXES = {**{p: PREFIXES[p] for p in USED}, "spdx": SPDX}
"""The prefixes of ``release.ttl``."""


def term(prefixed: str) -> ox.NamedNode:
    """The IRI of ``prefix:local`` (prefixes of :data:`TURTLE_PREFIXES`).

    Examples
    --------
    >>> term("dcat:Dataset").value
    'http://www.w3.org/ns/dcat#Dataset'
    """
    prefix, _, local = prefixed.partition(":")
    return ox.NamedNode(TURTLE_PREFIXES[prefix] + local)


def release_iri(version: str) -> ox.NamedNode:
    """The IRI of release ``version``, also the name of its description graph once published.

    Examples
    --------
    >>> release_iri("2026.12").value
    'https://w3id.org/llmkg/release/2026.12'
    """
    return ox.NamedNode(RELEASES + version)


def description_triples(release: Release, previous: str | None, size: int) -> list[ox.Triple]:
    """The description of ``release``; ``previous`` is the version before it, ``size`` the
    bytes of its ``kg.nq``. Sorted."""
    r = release_iri(release.version)
    dump = ox.NamedNode(f"{r.value}/kg.nq")
    checksum = ox.NamedNode(f"{dump.value}#sha256")
    data = ox.NamedNode(f"{r.value}/source/data")
    a = term("rdf:type")
    version = ox.Literal(release.version)
    issued = release.issued.strftime("%Y-%m-%dT%H:%M:%SZ")
    hex_binary = term("xsd:hexBinary")
    facts: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]] = [
        (r, "rdf:type", term("dcat:Dataset")),
        (r, "rdf:type", term("void:Dataset")),
        (r, "dcterms:title", ox.Literal(f"open-llm-kg {release.version}")),
        (r, "dcterms:issued", ox.Literal(issued, datatype=term("xsd:dateTime"))),
        (r, "dcat:version", version),
        (r, "owl:versionInfo", version),
        (r, "dcterms:isVersionOf", DATASET),
        (r, "void:triples", ox.Literal(release.quads)),
        (r, "void:dataDump", dump),
        (r, "dcat:distribution", dump),
        (dump, "rdf:type", term("dcat:Distribution")),
        (dump, "dcterms:title", ox.Literal("kg.nq")),
        (dump, "dcat:mediaType", ox.NamedNode(N_QUADS)),
        (dump, "dcat:byteSize", ox.Literal(str(size), datatype=term("xsd:nonNegativeInteger"))),
        (dump, "spdx:checksum", checksum),
        (checksum, "rdf:type", term("spdx:Checksum")),
        (checksum, "spdx:algorithm", term("spdx:checksumAlgorithm_sha256")),
        (checksum, "spdx:checksumValue", ox.Literal(release.sha256, datatype=hex_binary)),
        (r, "prov:wasDerivedFrom", data),
        (data, "rdf:type", term("prov:Entity")),
        (data, "rdfs:label", ox.Literal("the curated records (data/)")),
    ]
    if previous is not None:
        facts.append((r, "dcat:previousVersion", release_iri(previous)))
    if release.data_commit is None:
        facts.append((data, "rdfs:comment", ox.Literal("data/ is not a git checkout")))
    else:
        facts.append((data, "schema:version", ox.Literal(release.data_commit)))
    if release.data_dirty:
        facts.append((data, "rdfs:comment", ox.Literal("data/ had changes not committed")))
    for name, commit in release.imports.items():
        source = ox.NamedNode(f"{r.value}/source/{name}")
        facts += [
            (r, "prov:wasDerivedFrom", source),
            (source, "rdf:type", term("prov:Entity")),
            (source, "prov:specializationOf", ox.NamedNode(f"{ID}catalogue/{name}")),
            (source, "schema:version", ox.Literal(commit)),
        ]
    triples = {ox.Triple(s, a if p == "rdf:type" else term(p), o) for s, p, o in facts}
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def description_turtle(release: Release, previous: str | None, size: int) -> bytes:
    """The text of ``release.ttl``: :func:`description_triples` in Turtle."""
    triples = description_triples(release, previous, size)
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES) or b""
