"""Findings of the paper: validated, compiled per fact with provenance, shaped, found and shown."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest
from pydantic import ValidationError

from kg.compile.load import check_records
from kg.compile.rdf import build_graph, entity, iri
from kg.compile.shapes import check_shapes
from kg.errors import ShapeError
from kg.graph import KnowledgeGraph
from kg.read.lookup import entity as lookup_entity
from kg.read.search import SearchIndex
from kg.schema.namespace import LLMKG
from kg.schema.records import FindingRecord, OrganizationRecord, ProjectRecord, Record
from kg.schema.vocabulary import load_vocabulary
from kg.settings import Settings

ONTOLOGY = Settings().ontology_dir
BLOG = "https://www.linaker.se/blog/a-cartography-of-open-collaboration-in-open-source-ai"
REVIEW = "https://example.org/review"


def finding(**fields: Any) -> FindingRecord:
    base: dict[str, Any] = {
        "id": "challenge-x",
        "name": "Copyright restrictions",
        "finding_type": "challenge",
        "source": REVIEW,
        "confidence": "public-record",
    }
    return FindingRecord.model_validate(base | fields)


ACME = OrganizationRecord(
    id="acme",
    name="Acme AI",
    source="https://example.org/acme",
    confidence="public-record",
    organization_type="startup-or-company",
)
ALPHA = ProjectRecord(
    id="alpha",
    name="Alpha",
    source="https://example.org/alpha",
    confidence="public-record",
    governance_model="single-company",
    developers=[{"id": "acme"}],
)
CHALLENGE = finding(
    domains=["model"],
    phases=["pre-training"],
    note="Secondary source: a review.",
    provenance={"domains": {"confidence": "curator-inference", "note": "Read as the model's."}},
    about=[{"id": "project/alpha"}],
)
RECOMMENDATION = finding(
    id="policymakers-fund",
    name="Fund public AI infrastructure, not just models.",
    finding_type="recommendation",
    stakeholders=["policymakers"],
    source=BLOG,
    confidence="paper",
)


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph(build_graph([ACME, ALPHA, CHALLENGE, RECOMMENDATION], ONTOLOGY))


def select(kg: KnowledgeGraph, sparql: str) -> list[tuple[str, ...]]:
    result = kg.query(sparql, prefixes=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return sorted(tuple(s[n].value if s[n] is not None else "" for n in names) for s in result)


def test_a_recommendation_needs_a_stakeholder_group() -> None:
    with pytest.raises(ValidationError, match="at least one is required for a recommendation"):
        finding(finding_type="recommendation")
    with pytest.raises(ValidationError, match="needs a domain or a phase"):
        finding(finding_type="on-ramp")
    with pytest.raises(ValidationError, match="stakeholder"):
        finding(finding_type="recommendation", stakeholders=["industry"])
    assert finding(phases=["post-training"]).phases == ["post-training"]


def test_about_names_a_record_that_exists() -> None:
    records: list[tuple[str, Record]] = [("data/findings/challenge-x.yaml", CHALLENGE)]
    (problem,) = check_records(records, load_vocabulary(ONTOLOGY))
    assert (problem.field, problem.message) == ("about[0].id", "unknown project id 'alpha'")


def test_each_fact_keeps_its_source_confidence_and_note(kg: KnowledgeGraph) -> None:
    assert select(
        kg,
        """SELECT ?p ?o ?confidence ?note WHERE {
             GRAPH ?g { finding:challenge-x ?p ?o }
             FILTER(?p IN (llmkg:findingType, llmkg:collaborationDomain, llmkg:aboutPhase, llmkg:about))
             ?g llmkg:confidence/skos:notation ?confidence ; rdfs:comment ?note }""",
    ) == [
        (str(LLMKG.about), f"{entity('project', 'alpha').value}", "public-record", "Secondary source: a review."),
        (str(LLMKG.aboutPhase), "https://w3id.org/llmkg/id/lifecycle-phase/pre-training", "public-record", "Secondary source: a review."),
        (str(LLMKG.collaborationDomain), "https://w3id.org/llmkg/id/collaboration-domain/model", "curator-inference", "Read as the model's."),
        (str(LLMKG.findingType), "https://w3id.org/llmkg/id/finding-type/challenge", "public-record", "Secondary source: a review."),
    ]  # fmt: skip


def test_recommendations_reach_their_groups(kg: KnowledgeGraph) -> None:
    assert select(
        kg,
        """SELECT ?text ?group ?source WHERE {
             ?f a llmkg:Finding ; rdfs:label ?text ; llmkg:findingType finding-type:recommendation .
             GRAPH ?g { ?f llmkg:stakeholderGroup ?s }
             ?g prov:wasDerivedFrom ?source . ?s skos:prefLabel ?group }""",
    ) == [("Fund public AI infrastructure, not just models.", "Policymakers", BLOG)]


def test_the_graph_conforms_and_a_recommendation_without_group_does_not(
    kg: KnowledgeGraph,
) -> None:
    check_shapes(kg.rdf, ONTOLOGY / "shapes.ttl")
    store = ox.Store()
    store.bulk_extend(kg.rdf)
    for quad in list(
        store.quads_for_pattern(
            entity("finding", "policymakers-fund"), iri(LLMKG.stakeholderGroup), None
        )
    ):
        store.remove(quad)
    with pytest.raises(ShapeError) as caught:
        check_shapes(store, ONTOLOGY / "shapes.ttl")
    assert caught.value.violations == 1
    assert "finding/policymakers-fund" in caught.value.report


def test_search_finds_a_finding_by_its_text_and_its_page_shows_its_facts(
    kg: KnowledgeGraph,
) -> None:
    (found,) = SearchIndex.build(kg).search("public ai infrastructure")
    assert (found.kind, found.id) == ("finding", "policymakers-fund")
    page = lookup_entity(kg, "finding", "policymakers-fund")
    assert page.label == "Fund public AI infrastructure, not just models."
    assert {(f.relation, f.object.label, f.confidence) for f in page.facts if f.object.iri} >= {
        ("finding_type", "Recommendation", "paper"),
        ("stakeholder_group", "Policymakers", "paper"),
    }
