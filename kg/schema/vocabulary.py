"""Concept codes of the ontology's vocabularies (places, languages, and the concept schemes)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from kg.errors import SetupError
from kg.schema.records import KINDS

ID = "https://w3id.org/llmkg/id/"
SKOS_IN_SCHEME = ox.NamedNode("http://www.w3.org/2004/02/skos/core#inScheme")

Vocabularies = dict[str, frozenset[str]]
"""Scheme name (``place``, ``language``, ``governance-model``...) -> codes of its concepts."""

VOCABULARY_FILES = ("concepts.ttl", "places.ttl", "languages.ttl")
SCHEMES = (
    "governance-model",
    "motivation",
    "lifecycle-phase",
    "artifact-domain",
    "organization-type",
    "confidence",
    "place",
    "language",
    "openness-dimension",
    "openness-level",
    "mof-component",
    "mof-class",
    "stakeholder-group",
    "collaboration-domain",
    "finding-type",
)


PREFIXES = {
    "llmkg": "https://w3id.org/llmkg/ns#",
    **{kind: f"{ID}{kind}/" for kind in KINDS},
    **{scheme: f"{ID}{scheme}/" for scheme in SCHEMES},
    **{space: f"{ID}{space}/" for space in ("software", "catalogue", "assessment")},
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "fair4ml": "https://w3id.org/fair4ml#",
    "void": "http://rdfs.org/ns/void#",
}
"""Prefixes of the dumps, and of queries run with ``KnowledgeGraph.query(prefixes=True)``:
one per record kind (``model:bloom``), per concept scheme (``lifecycle-phase:pre-training``) and
for what imports add (``software:``, ``catalogue:osai``, ``assessment:``)."""


def load_vocabulary(ontology_dir: Path) -> Vocabularies:
    """Read the concept schemes of ``ontology_dir``: each concept's code is its IRI's last segment.

    Examples
    --------
    >>> from kg.settings import Settings
    >>> vocabulary = load_vocabulary(Settings().ontology_dir)
    >>> sorted(vocabulary["lifecycle-phase"])
    ['post-release-reuse', 'post-training', 'pre-training']
    >>> "pl" in vocabulary["language"] and "sg" in vocabulary["place"]
    True
    """
    if not ontology_dir.is_dir():
        raise SetupError(
            f"no ontology folder at {ontology_dir}: run kg in a checkout of open-llm-kg "
            "(the folder with data/ and ontology/) or give --ontology-dir"
        )
    codes: dict[str, set[str]] = defaultdict(set)
    for name in VOCABULARY_FILES:
        for quad in ox.parse(path=ontology_dir / name, format=ox.RdfFormat.TURTLE):
            if quad.predicate != SKOS_IN_SCHEME or not isinstance(quad.subject, ox.NamedNode):
                continue
            scheme = quad.object.value.removeprefix(ID)
            codes[scheme].add(quad.subject.value.removeprefix(f"{ID}{scheme}/"))
    return {scheme: frozenset(values) for scheme, values in codes.items()}
