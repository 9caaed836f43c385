"""kg/schema/namespace.py is generated from ontology/llmkg.ttl and must stay in sync with it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SDO

from kg.schema.namespace import LLMKG
from tests.conftest import ROOT

ONTOLOGY = ROOT / "ontology" / "llmkg.ttl"


def test_namespace_module_is_the_generator_output() -> None:
    spec = importlib.util.spec_from_file_location(
        "gen_namespace", ROOT / "tools" / "gen_namespace.py"
    )
    assert spec is not None
    assert spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    expected = generator.render(ONTOLOGY)
    assert Path(ROOT / "kg" / "schema" / "namespace.py").read_text(encoding="utf-8") == expected, (
        "run `make namespace`"
    )


def test_namespace_module_matches_ontology() -> None:
    ns = str(LLMKG._NS)
    onto = Graph().parse(ONTOLOGY)
    declared = {str(s).removeprefix(ns) for s in set(onto.subjects()) if str(s).startswith(ns)}
    assert declared == set(LLMKG.__annotations__)


def test_every_term_has_label_comment_domain_and_range() -> None:
    onto = Graph().parse(ONTOLOGY)
    for term in LLMKG.__annotations__:
        iri = URIRef(LLMKG._NS + term)
        assert onto.value(iri, RDFS.label), term
        assert onto.value(iri, RDFS.comment), term
        if (iri, RDF.type, OWL.Class) in onto:
            continue
        has_domain = onto.value(iri, RDFS.domain) or onto.value(iri, SDO.domainIncludes)
        assert has_domain, f"{term} has no domain"
        if term != "describes":  # describes any entity
            assert onto.value(iri, RDFS.range), f"{term} has no range"
