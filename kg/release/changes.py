"""What a diff between two dumps is made of: the pydantic models of entities and facts added,
removed and changed, per kind and per project (also the REST response model)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kg.read.models import EntitySummary

Aspect = Literal["value", "source", "confidence", "phase", "note", "valid_from", "valid_until"]
"""What can change in a fact: its value, or one of its provenance's parts."""
PROVENANCE_ASPECTS: tuple[Aspect, ...] = (
    "source",
    "confidence",
    "phase",
    "note",
    "valid_from",
    "valid_until",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class DiffTerm(_Frozen):
    """The value of a fact: an IRI, or a literal (lexical form, datatype or language)."""

    iri: str | None = None
    value: str | None = Field(None, description="Lexical form of a literal")
    datatype: str | None = Field(None, description="Omitted for plain and language strings")
    language: str | None = None


class FactState(_Frozen):
    """A fact's value and provenance on one side of the diff."""

    value: DiffTerm
    source: str | None = Field(None, description="URL the fact was read at")
    confidence: str | None = Field(None, examples=["public-record"])
    phase: str | None = Field(None, examples=["pre-training"])
    note: str | None = None
    valid_from: str | None = Field(None, description="schema:validFrom of the fact graph")
    valid_until: str | None = Field(None, description="schema:validThrough of the fact graph")


class _About(_Frozen):
    record: str = Field(
        description="IRI of the record that states the fact (its fact graph's foaf:primaryTopic)",
        examples=["https://w3id.org/llmkg/id/model/bloom"],
    )
    subject: str = Field(examples=["https://w3id.org/llmkg/id/model/bloom"])
    predicate: str = Field(examples=["https://w3id.org/llmkg/ns#parameterCount"])


class DiffFact(FactState, _About):
    """A fact added or removed: in a fact graph of one side only, with that provenance."""


class FactChange(_About):
    """A fact whose value, or whose provenance only, differs between the sides."""

    changed: list[Aspect] = Field(description="What differs, value first", examples=[["value"]])
    old: FactState
    new: FactState


class DiffCounts(_Frozen):
    """How many entities and facts were added, removed and changed."""

    entities_added: int = 0
    entities_removed: int = 0
    facts_added: int = 0
    facts_removed: int = 0
    facts_changed: int = 0

    def __add__(self, other: DiffCounts) -> DiffCounts:
        return DiffCounts(
            **{name: getattr(self, name) + getattr(other, name) for name in DiffCounts.model_fields}
        )

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in DiffCounts.model_fields)


class KindDiff(_Frozen):
    """The changes to the records of one kind, each list sorted."""

    counts: DiffCounts
    entities_added: list[EntitySummary]
    entities_removed: list[EntitySummary]
    facts_added: list[DiffFact]
    facts_removed: list[DiffFact]
    facts_changed: list[FactChange]


class ProjectDiff(_Frozen):
    """The changes to the records of one project: the project's own and those of the records
    part of it (``llmkg:partOfProject`` on either side)."""

    project: EntitySummary
    counts: DiffCounts
    records: list[str] = Field(description="IRIs of the project's records that changed")


class Diff(_Frozen):
    """What changed from the dump ``old`` to the dump ``new``."""

    old: str = Field(description="The old side: a release version, 'build' or a file")
    new: str
    counts: DiffCounts
    kinds: dict[str, KindDiff] = Field(description="Per kind of record, kinds sorted")
    projects: list[ProjectDiff] = Field(description="Per project, by IRI")
