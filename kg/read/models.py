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


class DerivationKind(BaseModel):
    """A kind of derivation: a subproperty of ``llmkg:derivedFrom`` in the ontology."""

    name: str = Field(description="Name of the kind, as records spell it", examples=["fine-tune"])
    property: str = Field(examples=["https://w3id.org/llmkg/ns#fineTunedFrom"])
    label: str | None = Field(None, examples=["fine-tuned from"])


class LicenceRef(BaseModel):
    """A licence a model is stated to be released under, with the period it held."""

    id: str = Field(examples=["apache-2.0"])
    iri: str = Field(examples=["https://w3id.org/llmkg/id/license/apache-2.0"])
    label: str | None = Field(None, examples=["Apache License 2.0"])
    valid_from: str | None = Field(None, examples=["2024-06-01"])
    valid_until: str | None = None
    current: bool = Field(description="Whether it holds today (or on the report's `as_of`)")


class LineageNode(EntitySummary):
    """A model of a lineage: how far from the model asked about, on which side."""

    direction: Literal["self", "ancestor", "descendant"]
    depth: int = Field(description="Fewest derivation steps from the model asked about (0: itself)")
    licences: list[LicenceRef]


class LineageEdge(BaseModel):
    """One derivation: ``source`` was derived from ``target`` by ``relation``."""

    source: str = Field(description="Id of the derived model", examples=["chat-7b"])
    target: str = Field(description="Id of the model it was derived from", examples=["base-7b"])
    relation: str = Field(examples=["fine-tune"])
    property: str = Field(examples=["https://w3id.org/llmkg/ns#fineTunedFrom"])
    direction: Literal["ancestor", "descendant"] = Field(
        description="The side of the lineage it was followed on"
    )
    depth: int = Field(description="The depth of the node it led to")


class LineageCounts(BaseModel):
    """Tallies over the whole lineage, every page: edges by relation, models by licence."""

    relations: dict[str, int] = Field(examples=[{"fine-tune": 2}])
    licences: dict[str, int] = Field(
        description="Models (not the one asked about) by licence id, current licences only",
        examples=[{"mit": 2}],
    )
    no_licence: int = Field(description="Models with no current licence stated")


class Lineage(BaseModel):
    """The ancestors and descendants of a model, a page of them at a time."""

    model: LineageNode
    direction: Literal["ancestors", "descendants", "both"]
    relations: list[str] = Field(description="The derivation kinds followed")
    depth: int = Field(description="The most derivation steps followed")
    total: int = Field(description="Models in the lineage, all pages")
    limit: int
    offset: int
    nodes: list[LineageNode] = Field(
        description="This page's models: ancestors first, nearest first"
    )
    edges: list[LineageEdge] = Field(description="The derivations that led to this page's models")
    edges_total: int
    counts: LineageCounts


class LicenceDrift(BaseModel):
    """A derived model whose current licences differ from those of one of its ancestors."""

    model: EntitySummary
    licences: list[LicenceRef]
    ancestor: EntitySummary
    ancestor_licences: list[LicenceRef]
    distance: int = Field(description="Fewest derivation steps from the model to the ancestor")


class DriftPage(BaseModel):
    """A page of the licence-drift report."""

    base: str | None = Field(None, description="The base model the report is restricted to")
    as_of: str
    total: int
    limit: int
    offset: int
    items: list[LicenceDrift]
