"""What the lookups answer: the pydantic models of entities, facts, links and pages (also the
REST response models)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class EntitySummary(BaseModel):
    """One entity: its kind, id, IRI and label."""

    kind: str = Field(examples=["model"])
    id: str = Field(examples=["bloom"])
    iri: str = Field(examples=["https://w3id.org/llmkg/id/model/bloom"])
    label: str = Field(examples=["BLOOM"])


class Page(BaseModel):
    """A page of search results."""

    total: int = Field(description="Matches in all pages")
    limit: int
    offset: int
    items: list[EntitySummary]


class Value(BaseModel):
    """The value of a fact: an entity or concept (iri) or a literal (value, datatype)."""

    iri: str | None = None
    label: str | None = Field(None, description="Label of the entity or concept")
    kind: str | None = Field(None, description="Kind, when the value is an entity")
    id: str | None = Field(None, description="Id, when the value is an entity")
    value: str | None = Field(None, description="Lexical form of a literal")
    datatype: str | None = None
    language: str | None = None


class Provenance(BaseModel):
    """Where a fact comes from and how sure it is."""

    source: str | None = Field(None, description="URL the fact was read at")
    confidence: str | None = Field(None, examples=["public-record"])
    phase: str | None = Field(
        None, description="Lifecycle phase of a link", examples=["pre-training"]
    )
    note: str | None = None
    valid_from: str | None = Field(
        None,
        description="First year, month or day the fact held (schema:validFrom); null: no known start",
        examples=["2024-04-15"],
    )
    valid_until: str | None = Field(
        None,
        description="Last year, month or day the fact held, inclusive (schema:validThrough); null: no known end",
        examples=["2025-03"],
    )
    graph: str | None = Field(None, description="The fact graph that holds the fact")


class Fact(Provenance):
    """One fact about an entity, with its provenance."""

    property: str = Field(examples=["https://w3id.org/llmkg/ns#trainedOn"])
    relation: str = Field(description="snake_case name of the property", examples=["trained_on"])
    property_label: str | None = Field(None, examples=["trained on"])
    object: Value


class Entity(EntitySummary):
    """An entity with every fact about it."""

    types: list[str]
    facts: list[Fact]


class LinkFact(Provenance):
    """A typed link between two entities."""

    direction: Literal["out", "in"]
    relation: str = Field(examples=["trained_on"])
    property: str
    other: EntitySummary


class ProjectSummary(EntitySummary):
    """A project with its governance model."""

    governance_model: str | None = Field(None, examples=["single-company"])
    regions: list[str] = Field(
        default_factory=list, description="Places of its developers and targets"
    )
