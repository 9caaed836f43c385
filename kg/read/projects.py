"""What a project's profile shows beyond its facts: the artifacts it uses or produces by
lifecycle phase, its motivations by category, and the governance models with their projects."""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, Field

from kg.graph import KnowledgeGraph
from kg.read.lookup import projects, require_entity, summarize
from kg.read.models import EntitySummary, Fact, ProjectSummary
from kg.read.rows import select_rows, sparql_iri, term_text
from kg.schema.terms import USES, property_name
from kg.schema.vocabulary import ID


class ProjectArtifact(BaseModel):
    """An artifact a project produces (part of it) or uses, itself or through its models."""

    artifact: EntitySummary
    artifact_kind: str = Field(description="Label of the artifact's class", examples=["Dataset"])
    relation: str = Field(description="Label of the link", examples=["trained on"])
    property: str = Field(
        description="The link's property: it runs from ``via`` (or the project) to the artifact,"
        " except ``partOfProject``, which runs from the artifact to the project",
        examples=["https://w3id.org/llmkg/ns#trainedOn"],
    )
    via: EntitySummary | None = Field(None, description="The project's model that uses it")
    phase: str | None = None
    source: str | None = None
    confidence: str | None = None
    note: str | None = None


class GovernanceModel(BaseModel):
    """One of the paper's five governance models, with its projects."""

    iri: str
    code: str
    label: str
    note: str | None = None
    projects: list[ProjectSummary]


def project_artifacts(kg: KnowledgeGraph, id_: str) -> list[ProjectArtifact]:
    """The artifacts of project ``id_``: part of it, used by it, or used by its models.

    Each is read with its ``property``: ``via`` (or, without one, the project) links to the
    artifact by it, as in "Chat 7B fine-tuned from Base 7B", except ``partOfProject``, by
    which the artifact links to the project. A link stated by a property and its more specific
    one (``derivedFrom`` and ``fineTunedFrom``) is listed once, by the more specific.

    Raises
    ------
    NotFoundError
        If there is no such project.
    """
    project = sparql_iri(require_entity(kg, "project", id_))
    uses = " ".join(sorted(f"llmkg:{property_name(r)}" for r in USES))
    rows = select_rows(
        kg,
        f"""SELECT DISTINCT ?artifact ?label ?kind ?p ?relation ?via ?viaLabel ?phase ?source
               ?confidence ?note
        WHERE {{
          {{ GRAPH ?g {{ ?artifact llmkg:partOfProject {project} }} BIND(llmkg:partOfProject AS ?p) }}
          UNION {{ ?via llmkg:partOfProject {project} ; rdfs:label ?viaLabel . VALUES ?p {{ {uses} }} GRAPH ?g {{ ?via ?p ?artifact }}
                   FILTER NOT EXISTS {{ ?typed rdfs:subPropertyOf ?p . ?via ?typed ?artifact }} }}
          UNION {{ VALUES ?p {{ llmkg:builtWith llmkg:computeFrom }} GRAPH ?g {{ {project} ?p ?artifact }} }}
          ?artifact a ?class ; rdfs:label ?label .
          ?class rdfs:subClassOf llmkg:Artifact ; rdfs:label ?kind .
          ?p rdfs:label ?relation .
          OPTIONAL {{ ?g llmkg:lifecyclePhase/skos:notation ?phase }}
          OPTIONAL {{ ?g prov:wasDerivedFrom ?source }}
          OPTIONAL {{ ?g llmkg:confidence/skos:notation ?confidence }}
          OPTIONAL {{ ?g rdfs:comment ?note }}
        }} ORDER BY ?kind LCASE(?label) ?relation ?viaLabel""",
    )
    return [
        ProjectArtifact(
            artifact=summarize(str(term_text(r["artifact"])), str(term_text(r["label"]))),
            artifact_kind=str(term_text(r["kind"])),
            relation=str(term_text(r["relation"])),
            property=str(term_text(r["p"])),
            via=summarize(str(term_text(r["via"])), str(term_text(r["viaLabel"])))
            if r["via"]
            else None,
            phase=term_text(r["phase"]),
            source=term_text(r["source"]),
            confidence=term_text(r["confidence"]),
            note=term_text(r["note"]),
        )
        for r in rows
    ]


def motivation_categories(kg: KnowledgeGraph) -> dict[str, str]:
    """The IRI of each motivation -> the label of its top concept (social, economic,
    technological)."""
    rows = select_rows(
        kg,
        f"""SELECT ?m ?category WHERE {{ ?m skos:inScheme <{ID}motivation> ; skos:broader* ?top .
          ?top skos:topConceptOf <{ID}motivation> ; skos:prefLabel ?category }}""",
    )
    return {str(term_text(r["m"])): str(term_text(r["category"])) for r in rows}


def by_category(facts: list[Fact], categories: dict[str, str]) -> dict[str, list[Fact]]:
    """The ``motivation`` facts among ``facts``, grouped by category, categories in order."""
    groups: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.relation == "motivation":
            groups[categories.get(fact.object.iri or "", "Other")].append(fact)
    return dict(sorted(groups.items()))


def governance_models(kg: KnowledgeGraph) -> list[GovernanceModel]:
    """The governance models by code, each with its projects."""
    rows = select_rows(
        kg,
        f"""SELECT ?m ?code (SAMPLE(?l) AS ?label) (SAMPLE(?n) AS ?note) WHERE {{
          ?m skos:inScheme <{ID}governance-model> ; skos:notation ?code ; skos:prefLabel ?l .
          OPTIONAL {{ ?m skos:definition|skos:scopeNote ?n }} }} GROUP BY ?m ?code ORDER BY ?code""",
    )
    members = defaultdict(list)
    for project in projects(kg):
        members[project.governance_model].append(project)
    return [
        GovernanceModel(
            iri=str(term_text(r["m"])),
            code=str(term_text(r["code"])),
            label=str(term_text(r["label"])),
            note=term_text(r["note"]),
            projects=members[term_text(r["code"])],
        )
        for r in rows
    ]
