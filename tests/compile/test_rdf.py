"""Records -> RDF -> SPARQL: exact answers on the fixture graph, provenance per fact."""

from __future__ import annotations

import hashlib
import re

import pyoxigraph as ox
import pytest

from kg.compile.rdf import Qualifiers, entity
from kg.errors import NotFoundError, QueryError
from kg.graph import KnowledgeGraph
from kg.pipeline import Build


def rows(kg: KnowledgeGraph, sparql: str) -> list[tuple[str, ...]]:
    result = kg.query(sparql, prefixes=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return sorted(tuple(s[n].value if s[n] is not None else "" for n in names) for s in result)


def test_links_round_trip(fixture_kg: KnowledgeGraph) -> None:
    assert rows(fixture_kg, "SELECT ?m ?d WHERE { ?m llmkg:trainedOn ?d }") == [
        ("https://w3id.org/llmkg/id/model/base-7b", "https://w3id.org/llmkg/id/dataset/corpus")
    ]
    assert rows(
        fixture_kg, "SELECT ?label WHERE { model:chat-7b llmkg:developedBy/rdfs:label ?label }"
    ) == [("Acme AI",)]


def test_values_are_typed(fixture_kg: KnowledgeGraph) -> None:
    (row,) = rows(
        fixture_kg,
        "SELECT ?p ?r WHERE { model:base-7b llmkg:parameterCount ?p ; dcterms:issued ?r "
        "FILTER(datatype(?r) = xsd:date && ?p = 7000000000) }",
    )
    assert row == ("7000000000", "2024-01-15")


def test_derivations_state_their_kind_and_the_general_property(fixture_kg: KnowledgeGraph) -> None:
    assert rows(fixture_kg, "SELECT ?m WHERE { ?m llmkg:derivedFrom+ model:base-7b }") == [
        ("https://w3id.org/llmkg/id/model/chat-7b",),
        ("https://w3id.org/llmkg/id/model/community-7b",),
    ]
    assert rows(fixture_kg, "SELECT ?m WHERE { ?m llmkg:fineTunedFrom model:chat-7b }") == [
        ("https://w3id.org/llmkg/id/model/community-7b",)
    ]


def test_inverse_fields_put_the_organization_first(fixture_kg: KnowledgeGraph) -> None:
    assert rows(fixture_kg, "SELECT ?o WHERE { ?o llmkg:partnerOf project:alpha }") == [
        ("https://w3id.org/llmkg/id/organization/openlab",)
    ]


def test_every_fact_has_source_confidence_and_phase_where_given(fixture_kg: KnowledgeGraph) -> None:
    sparql = """
    SELECT ?o ?source ?confidence ?phase ?note WHERE {
      GRAPH ?g { model:community-7b llmkg:fineTunedFrom ?o }
      GRAPH <https://w3id.org/llmkg/id/graph/provenance> {
        ?g prov:wasDerivedFrom ?source ; llmkg:confidence ?confidence ; foaf:primaryTopic model:community-7b .
        OPTIONAL { ?g llmkg:lifecyclePhase ?phase } OPTIONAL { ?g rdfs:comment ?note }
      }
    }"""
    assert rows(fixture_kg, sparql) == [
        (
            "https://w3id.org/llmkg/id/model/chat-7b",
            "https://example.org/community-7b",
            "https://w3id.org/llmkg/id/confidence/curator-inference",
            "https://w3id.org/llmkg/id/lifecycle-phase/post-release-reuse",
            "The model card names Chat 7B as its base without saying how it was tuned.",
        )
    ]


def test_facts_resting_only_on_curator_inference(fixture_kg: KnowledgeGraph) -> None:
    sparql = """
    SELECT ?p ?o WHERE {
      GRAPH ?g { project:alpha ?p ?o }
      ?g llmkg:confidence confidence:curator-inference .
    }"""
    assert rows(fixture_kg, sparql) == [
        (
            "https://w3id.org/llmkg/ns#governanceModel",
            "https://w3id.org/llmkg/id/governance-model/single-company",
        )
    ]


def test_no_fact_outside_a_fact_graph(fixture_kg: KnowledgeGraph) -> None:
    assert not list(fixture_kg.rdf.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    unsourced = """
    SELECT ?g WHERE {
      GRAPH ?g { ?s ?p ?o }
      FILTER(?g NOT IN (<https://w3id.org/llmkg/ns>, <https://w3id.org/llmkg/id/graph/provenance>))
      FILTER NOT EXISTS { ?g prov:wasDerivedFrom ?src ; llmkg:confidence ?c }
    }"""
    assert rows(fixture_kg, unsourced) == []


def test_fact_graph_names_are_stable() -> None:
    x = entity("model", "x")
    graph = Qualifiers("https://example.org/a", "paper", "pre-training").graph(x)
    assert re.fullmatch(r"https://w3id\.org/llmkg/id/fact/model/x/[0-9a-f]{12}", graph.value)
    assert graph == Qualifiers("https://example.org/a", "paper", "pre-training", None).graph(x)
    assert graph != Qualifiers("https://example.org/a", "paper").graph(x)


def test_record_lookup_suggests_the_closest_id(fixture_build: Build) -> None:
    assert fixture_build.record("model", "chat-7b").name == "Chat 7B"
    with pytest.raises(
        NotFoundError, match=r"^no model with id 'chat7b' \(did you mean 'chat-7b'\?\)$"
    ):
        fixture_build.record("model", "chat7b")


def test_bad_query_raises_query_error(fixture_kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError) as caught:
        fixture_kg.query("SELECT WHERE")
    assert str(caught.value) == "SPARQL syntax error: error at 1:13: expected [_]"


# ---------------------------------------------------------------- dated facts


def test_validity_is_described_with_typed_literals(fixture_kg: KnowledgeGraph) -> None:
    sparql = """
    SELECT ?topic ?p ?o ?type ?from ?until ?fromType ?untilType WHERE {
      GRAPH ?g { ?topic ?p ?o }
      GRAPH <https://w3id.org/llmkg/id/graph/provenance> {
        ?g foaf:primaryTopic ?topic .
        OPTIONAL { ?g schema:validFrom ?from BIND(DATATYPE(?from) AS ?fromType) }
        OPTIONAL { ?g schema:validThrough ?until BIND(DATATYPE(?until) AS ?untilType) }
        FILTER(BOUND(?from) || BOUND(?until))
      }
    }"""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    ns, id_ = "https://w3id.org/llmkg/ns#", "https://w3id.org/llmkg/id/"
    assert [r[:3] + r[4:] for r in rows(fixture_kg, sparql)] == [
        (
            f"{id_}model/chat-7b",
            f"{ns}licensedUnder",
            f"{id_}license/apache-2.0",
            "2024-02",
            "2024-05",
            f"{xsd}gYearMonth",
            f"{xsd}gYearMonth",
        ),
        (
            f"{id_}model/chat-7b",
            f"{ns}licensedUnder",
            f"{id_}license/mit",
            "2024-06-01",
            "",
            f"{xsd}date",
            "",
        ),
        (
            f"{id_}project/alpha",
            f"{ns}computeFrom",
            f"{id_}compute-partnership/jz-alpha",
            "2023-06",
            "2024",
            f"{xsd}gYearMonth",
            f"{xsd}gYear",
        ),
        (
            f"{id_}project/alpha",
            f"{ns}governanceModel",
            f"{id_}governance-model/single-company",
            "2023",
            "",
            f"{xsd}gYear",
            "",
        ),
    ]


def test_validity_is_part_of_the_fact_graph_key(fixture_kg: KnowledgeGraph) -> None:
    x = entity("model", "x")
    undated = Qualifiers("https://example.org/a", "paper", "pre-training", "n")
    key = "\x1f".join(["https://example.org/a", "paper", "pre-training", "n"])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    # an undated fact keeps the fact graph it had before facts could be dated
    assert undated.graph(x).value == f"https://w3id.org/llmkg/id/fact/model/x/{digest}"
    dated = {
        Qualifiers("https://example.org/a", "paper", "pre-training", "n", *validity).graph(x)
        for validity in [("2024", None), (None, "2024"), ("2024", "2025"), ("2024-01", None)]
    }
    assert len(dated | {undated.graph(x)}) == 5
    # Chat 7B's Apache licence has the record's source and confidence, but dates of its own
    assert rows(
        fixture_kg,
        """SELECT ?same WHERE { GRAPH ?dated { model:chat-7b llmkg:licensedUnder license:apache-2.0 }
          GRAPH ?undated { model:chat-7b llmkg:developedBy organization:acme }
          ?dated prov:wasDerivedFrom ?source . ?undated prov:wasDerivedFrom ?source .
          BIND(?dated = ?undated AS ?same) }""",
    ) == [("false",)]


def test_undated_facts_have_no_validity(fixture_kg: KnowledgeGraph) -> None:
    sparql = """
    SELECT (COUNT(DISTINCT ?g) AS ?dated) (COUNT(DISTINCT ?all) AS ?graphs) WHERE {
      { ?g schema:validFrom|schema:validThrough ?d } UNION { ?all a llmkg:FactGraph }
    }"""
    assert rows(fixture_kg, sparql) == [("4", "20")]  # 4 dated fact graphs of 20
