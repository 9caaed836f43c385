"""What records are made of: the value types of their fields, and sourced facts and links.

Every fact carries a source URL and a confidence (:class:`Sourced`); a link is a fact that
names another record (:class:`Link`), checked by the loader against the kind its field's
:class:`Target` names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, HttpUrl, StringConstraints

from kg.schema.terms import Confidence, DerivationKind, Motivation, Phase

SLUG = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
"""Ids of records and codes of concepts: what may follow ``kind/`` in an IRI."""
Slug = Annotated[str, StringConstraints(pattern=SLUG.pattern)]


def _partial_date(value: object) -> object:
    """Accept 2024, '2024-03' or '2024-03-15' (YAML reads a bare year as a number)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, date):
        value = value.isoformat()
    if isinstance(value, str):
        parts = value.split("-")
        try:
            date(
                int(parts[0]),
                int(parts[1]) if len(parts) > 1 else 1,
                int(parts[2]) if len(parts) > 2 else 1,
            )
        except (ValueError, IndexError) as exc:
            raise ValueError(f"{value!r} is not a date: {exc}") from None
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$"),
    Field(description="A date as precise as the source: 2024, 2024-03 or 2024-03-15"),
]
"""A date known to the year, the month or the day; never a made-up day."""
ArxivId = Annotated[str, StringConstraints(pattern=r"^\d{4}\.\d{4,5}$")]
EntityRef = Annotated[str, StringConstraints(pattern=r"^[a-z-]+/[a-z0-9][a-z0-9.-]*$")]


@dataclass(frozen=True)
class Target:
    """Marks a field whose ids refer to records of ``kind`` (checked by the loader)."""

    kind: str


@dataclass(frozen=True)
class Vocabulary:
    """Marks a field whose codes must be concepts of an ontology vocabulary (``place``, ``language``)."""

    scheme: str


class Strict(BaseModel):
    """Unknown fields are errors; a validated value never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(Strict):
    """Where a fact comes from, when that differs from its record's default."""

    source: HttpUrl | None = Field(
        None, description="URL the fact was read at (default: the record's)"
    )
    confidence: Confidence | None = Field(
        None, description="How sure the fact is (default: the record's)"
    )
    note: str | None = Field(
        None, description="Quote, context or reasoning for a reader checking the fact"
    )


class FactSource(Sourced):
    """The source, confidence and note of one plain field of a record (under ``provenance``)."""


class Link(Sourced):
    """A typed link to another record, optionally with its own phase, source and confidence."""

    id: Slug = Field(description="id of the record linked to")
    phase: Phase | None = Field(None, description="Lifecycle phase the link belongs to, if known")


class Derivation(Link):
    """A model derived from another model, with the kind of derivation."""

    kind: DerivationKind = Field(description="How the model was derived from its base")


class MotivationClaim(Sourced):
    """A motivation a project states or is reported to have."""

    id: Motivation = Field(description="Concept of the motivations scheme")


class PublicationLink(Sourced):
    """What a publication describes: ``kind/id`` of any record."""

    id: EntityRef = Field(description="kind/id of the record described, e.g. model/bloom")


def links(kind: str, description: str) -> Any:
    """Field default for a list of links to records of ``kind``."""
    return Field(default_factory=list, description=f"{description} (ids of {kind} records)")


Organizations = Annotated[list[Link], Target("organization")]
Projects = Annotated[list[Link], Target("project")]
Licenses = Annotated[list[Link], Target("license")]
Frameworks = Annotated[list[Link], Target("framework")]
Datasets = Annotated[list[Link], Target("dataset")]
Benchmarks = Annotated[list[Link], Target("benchmark")]
Leaderboards = Annotated[list[Link], Target("leaderboard")]
ComputePartnerships = Annotated[list[Link], Target("compute-partnership")]
Languages = Annotated[list[str], Vocabulary("language")]
Places = Annotated[list[str], Vocabulary("place")]
