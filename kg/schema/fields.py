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

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    model_validator,
)

from kg.errors import FieldError
from kg.schema.sources import primary_source
from kg.schema.terms import Confidence, DerivationKind, Motivation, Phase

SLUG = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
"""Ids of records and codes of concepts: what may follow ``kind/`` in an IRI."""
Slug = Annotated[str, StringConstraints(pattern=SLUG.pattern)]
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
"""A partial date: a year, a year and month, or a day."""


def _partial_date(value: object) -> object:
    """Accept 2024, '2024-03' or '2024-03-15' (YAML reads a bare year as a number)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, date):
        value = value.isoformat()
    if isinstance(value, str):
        if not DATE.fullmatch(value):
            raise ValueError(f"{value!r} is not a date: write 2024, 2024-03 or 2024-03-15")
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
    StringConstraints(pattern=DATE.pattern),
    Field(description="A date as precise as the source: 2024, 2024-03 or 2024-03-15"),
]
"""A date known to the year, the month or the day; never a made-up day."""


def begins_by(earlier: str, later: str) -> bool:
    """True if the partial date ``earlier`` begins on or before ``later`` ends.

    A partial date stands for the whole period it names (2024 is 2024-01-01 to 2024-12-31), so
    the two are compared at the precision of the less precise one: ``2024-03-15`` begins by
    the end of ``2024-03``, and ``2025`` does not begin by the end of ``2024-12-31``.

    Examples
    --------
    >>> begins_by("2024-03-15", "2024-03"), begins_by("2024", "2024-01-01"), begins_by("2025", "2024-12-31")
    (True, True, False)
    """
    return earlier[: len(later)] <= later[: len(earlier)]


def holds_on(valid_from: str | None, valid_until: str | None, day: str) -> bool:
    """True if a fact valid from ``valid_from`` until ``valid_until`` held at some time in ``day``.

    Unset ends are open: an undated fact holds on every date. ``valid_until`` is inclusive at
    its precision (``valid_until: 2024`` holds through 2024-12-31); ``day`` may itself be a
    partial date, which a fact holds on if it held at any time within it.

    Examples
    --------
    >>> holds_on(None, "2024", "2024-12-31"), holds_on(None, "2024", "2025-01-01")
    (True, False)
    >>> holds_on("2024-06-01", None, "2024-05-31"), holds_on("2024-06-01", None, "2024-05")
    (False, False)
    >>> holds_on("2024-06-01", None, "2024"), holds_on(None, None, "1999")
    (True, True)
    """
    return (valid_from is None or begins_by(valid_from, day)) and (
        valid_until is None or begins_by(day, valid_until)
    )


SourceUrl = Annotated[HttpUrl, BeforeValidator(primary_source)]
"""A fact's source: an http(s) URL of the publisher's own page (kg/schema/sources.py)."""

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

    source: SourceUrl | None = Field(
        None, description="URL the fact was read at (default: the record's)"
    )
    confidence: Confidence | None = Field(
        None, description="How sure the fact is (default: the record's)"
    )
    note: str | None = Field(
        None, description="Quote, context or reasoning for a reader checking the fact"
    )
    valid_from: PartialDate | None = Field(
        None,
        description="When the fact began to hold, as precise as the source (2024, 2024-03 or"
        " 2024-03-15); unset when no source dates it",
    )
    valid_until: PartialDate | None = Field(
        None,
        description="The last year, month or day the fact held (inclusive: 2024 means through"
        " 2024-12-31); unset while it holds or when no source dates its end",
    )

    @model_validator(mode="after")
    def _validity_in_order(self) -> Sourced:
        if (
            self.valid_from
            and self.valid_until
            and not begins_by(self.valid_from, self.valid_until)
        ):
            raise FieldError(
                "valid_until",
                f"{self.valid_until!r} is before valid_from {self.valid_from!r}",
            )
        return self


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
