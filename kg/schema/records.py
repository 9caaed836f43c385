"""Pydantic models of the curated records in data/.

One YAML file holds one record; its file stem equals its ``id``. Every fact in a record
carries a source URL and a confidence: the record's ``source`` and ``confidence`` apply
to every fact unless a link overrides them (``{id: dolma, source: ..., confidence: ...}``)
or ``provenance`` overrides them for a plain field (``provenance: {governance_model:
{confidence: curator-inference, source: ...}}``); either may say when the fact held
(``valid_from``, ``valid_until``). Each field keeps one shape.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, get_args

from pydantic import (
    Field,
    HttpUrl,
    NonNegativeInt,
    PositiveInt,
    model_validator,
)

from kg.errors import FieldError
from kg.schema.fields import (
    ArxivId,
    Benchmarks,
    ComputePartnerships,
    Datasets,
    Derivation,
    FactSource,
    Frameworks,
    Languages,
    Leaderboards,
    Licenses,
    Link,
    MotivationClaim,
    Organizations,
    PartialDate,
    Places,
    Projects,
    PublicationLink,
    Slug,
    SourceUrl,
    Strict,
    Target,
    Vocabulary,
    links,
)
from kg.schema.terms import (
    Access,
    ArtifactKind,
    CollaborationDomain,
    Confidence,
    FindingType,
    GovernanceModel,
    LicenseType,
    OrganizationType,
    Phase,
    Platform,
    StakeholderGroup,
)


class Record(Strict):
    """Fields every record has."""

    kind: ClassVar[str]
    directory: ClassVar[str]

    id: Slug = Field(description="Equals the file stem; unique within its kind; never reused")
    name: str = Field(min_length=1, description="Display name (rdfs:label)")
    aliases: list[str] = Field(default_factory=list, description="Other names (skos:altLabel)")
    description: str | None = Field(None, description="One or two sentences (dcterms:description)")
    homepage: SourceUrl | None = Field(None, description="Official page (foaf:homepage)")
    source: SourceUrl = Field(description="Default source URL of every fact in this record")
    confidence: Confidence = Field(
        description="Default confidence of every fact: paper, public-record or curator-inference"
    )
    provenance: dict[str, FactSource] = Field(
        default_factory=dict,
        description="Per-field source, confidence or note where they differ from the record's,"
        " and when the field's value held (valid_from, valid_until)",
    )

    @model_validator(mode="after")
    def _provenance_names_fields(self) -> Record:
        plain = plain_fields(type(self))
        for name in self.provenance:
            if name not in plain:
                raise FieldError(
                    f"provenance.{name}",
                    f"{name!r} is not a plain field of a {self.kind}; links carry their own"
                    f" source and confidence (plain fields: {', '.join(sorted(plain))})",
                )
            if getattr(self, name) in (None, []):
                raise FieldError(f"provenance.{name}", f"{name!r} has no value in this record")
        return self


class OrganizationRecord(Record):
    """An actor: a company, institute, university, community, public body or funder."""

    kind: ClassVar[str] = "organization"
    directory: ClassVar[str] = "organizations"

    organization_type: OrganizationType = Field(description="What kind of organization it is")
    country: Annotated[str | None, Vocabulary("place")] = Field(
        None, description="Country or region it is based in (a place code: us, de, europe)"
    )
    parent: Annotated[Slug | None, Target("organization")] = Field(
        None, description="Organization it belongs to (org:subOrganizationOf)"
    )


class ProjectRecord(Record):
    """An open LLM project: the unit the paper studies."""

    kind: ClassVar[str] = "project"
    directory: ClassVar[str] = "projects"

    identified: bool = Field(
        True, description="False only for a project the paper counts but does not name"
    )
    governance_model: GovernanceModel | None = Field(
        None, description="One of the paper's five governance models; required when identified"
    )
    motivations: list[MotivationClaim] = Field(
        default_factory=list, description="Motivations stated by or reported for the project"
    )
    developers: Organizations = links("organization", "Organizations that develop the project")
    funders: Organizations = links("organization", "Organizations that fund the project")
    partners: Organizations = links("organization", "Partner organizations")
    contributors: Organizations = links("organization", "Organizations that contribute")
    compute: ComputePartnerships = links("compute-partnership", "Compute the project received")
    built_with: Frameworks = links("framework", "Software the project uses")
    languages: Languages = Field(default_factory=list, description="Language codes targeted")
    regions: Places = Field(default_factory=list, description="Place codes targeted")
    started: PartialDate | None = Field(
        None, description="When the project started (2022, 2022-01 or 2022-01-15)"
    )

    @model_validator(mode="after")
    def _identified_projects_are_complete(self) -> ProjectRecord:
        if self.identified and self.governance_model is None:
            raise FieldError("governance_model", "required for an identified project")
        if self.identified and not self.developers:
            raise FieldError("developers", "at least one is required for an identified project")
        return self


class ArtifactRecord(Record):
    """Fields every artifact has: who made it, for which project, under which license."""

    developers: Organizations = links("organization", "Organizations that created it")
    maintainers: Organizations = links("organization", "Organizations that maintain it")
    funders: Organizations = links("organization", "Organizations that funded it")
    projects: Projects = links("project", "Projects it is part of")
    licenses: Licenses = links("license", "Licenses it is released under")
    languages: Languages = Field(default_factory=list, description="Language codes it covers")
    regions: Places = Field(default_factory=list, description="Place codes it targets")
    released: PartialDate | None = Field(
        None, description="First public release (2024, 2024-02 or 2024-02-01)"
    )


class ModelRecord(ArtifactRecord):
    """A released model checkpoint or model family."""

    kind: ClassVar[str] = "model"
    directory: ClassVar[str] = "models"

    developers: Organizations = Field(
        min_length=1,
        description="Organizations that developed the model (ids of organization records)",
    )
    family: Annotated[Slug | None, Target("model")] = Field(
        None, description="Model family record this checkpoint belongs to"
    )
    parameters: PositiveInt | None = Field(None, description="Total parameter count")
    active_parameters: PositiveInt | None = Field(None, description="Active parameters (MoE)")
    training_tokens: PositiveInt | None = Field(None, description="Pre-training tokens")
    language_count: PositiveInt | None = Field(None, description="Number of languages covered")
    access: Access | None = Field(None, description="How the weights can be obtained")
    derived_from: Annotated[list[Derivation], Target("model")] = Field(
        default_factory=list, description="Base models, each with the kind of derivation"
    )
    trained_on: Datasets = links("dataset", "Training data")
    evaluated_on: Benchmarks = links("benchmark", "Benchmarks it was evaluated on")
    built_with: Frameworks = links("framework", "Software used to train or evaluate it")
    listed_on: Leaderboards = links("leaderboard", "Leaderboards it is listed on")
    compute: ComputePartnerships = links("compute-partnership", "Compute it was trained with")


class DatasetRecord(ArtifactRecord):
    """A dataset used to train models."""

    kind: ClassVar[str] = "dataset"
    directory: ClassVar[str] = "datasets"

    derived_from: Datasets = links("dataset", "Datasets it was built from")
    part_of: Datasets = links("dataset", "Larger datasets it is a component of")
    tokens: PositiveInt | None = Field(None, description="Size in tokens")
    size: str | None = Field(None, description="Size as the source states it, e.g. '825 GiB'")


class BenchmarkRecord(ArtifactRecord):
    """An evaluation dataset or suite."""

    kind: ClassVar[str] = "benchmark"
    directory: ClassVar[str] = "benchmarks"

    derived_from: Benchmarks = links("benchmark", "Benchmarks it adapts or translates")
    part_of: Benchmarks = links("benchmark", "Suites it belongs to")


class FrameworkRecord(ArtifactRecord):
    """Open source software for training, data processing or evaluation."""

    kind: ClassVar[str] = "framework"
    directory: ClassVar[str] = "frameworks"

    repository: HttpUrl | None = Field(None, description="Source code repository")
    derived_from: Frameworks = links("framework", "Frameworks it was forked or adapted from")
    built_with: Frameworks = links("framework", "Frameworks it builds on")


class LeaderboardRecord(ArtifactRecord):
    """A public ranking of models."""

    kind: ClassVar[str] = "leaderboard"
    directory: ClassVar[str] = "leaderboards"

    benchmarks: Benchmarks = links("benchmark", "Benchmarks it ranks models on")
    built_with: Frameworks = links("framework", "Software it runs evaluations with")


class ComputePartnershipRecord(ArtifactRecord):
    """Compute given by an actor to a project: an allocation, credits or a hardware partner."""

    kind: ClassVar[str] = "compute-partnership"
    directory: ClassVar[str] = "compute-partnerships"

    providers: Organizations = Field(
        min_length=1,
        description="Organizations that provide the compute (ids of organization records)",
    )
    facility: str | None = Field(None, description="Machine or service, e.g. 'Jean Zay'")
    resources: str | None = Field(None, description="What was given, as the source states it")


class ForumRecord(ArtifactRecord):
    """A knowledge-sharing or discussion channel."""

    kind: ClassVar[str] = "forum"
    directory: ClassVar[str] = "forums"

    platform: Platform = Field(description="Where the forum runs")
    hosts: Organizations = links("organization", "Organizations that host it")
    members: NonNegativeInt | None = Field(None, description="Member count as reported")


class PublicationRecord(Record):
    """A paper, report or article that describes projects or artifacts."""

    kind: ClassVar[str] = "publication"
    directory: ClassVar[str] = "publications"

    arxiv: ArxivId | None = Field(None, description="arXiv identifier, e.g. 2211.05100")
    doi: str | None = Field(None, description="DOI, without https://doi.org/")
    authors: list[str] = Field(default_factory=list, description="Author names in order")
    published: PartialDate | None = Field(
        None, description="First publication (2025, 2025-09 or 2025-09-29)"
    )
    describes: list[PublicationLink] = Field(
        default_factory=list, description="Records it describes, as kind/id"
    )
    studies: Projects = links("project", "Projects it studies")


class LicenseRecord(Record):
    """A license that models, data or software are released under."""

    kind: ClassVar[str] = "license"
    directory: ClassVar[str] = "licenses"

    spdx: str | None = Field(None, description="SPDX identifier, if it has one")
    license_type: LicenseType = Field(description="Broad family of the license")
    osi_approved: bool | None = Field(None, description="Approved by the Open Source Initiative")


class FindingLink(PublicationLink):
    """What a finding is about: ``kind/id`` of a project, artifact or organization."""


RECOMMENDATIONS = ("recommendation", "recommendation-summary")
"""Finding types addressed to stakeholder groups."""


class FindingRecord(Record):
    """A finding of the paper: a recommendation, collaboration pattern, on-ramp or challenge."""

    kind: ClassVar[str] = "finding"
    directory: ClassVar[str] = "findings"

    name: str = Field(
        min_length=1, description="The finding's text, as its source words it (rdfs:label)"
    )
    finding_type: FindingType = Field(
        description="recommendation, recommendation-summary, collaboration-pattern, on-ramp or"
        " challenge"
    )
    stakeholders: list[StakeholderGroup] = Field(
        default_factory=list,
        description="Stakeholder groups a recommendation is addressed to; required for"
        " recommendations and their summaries",
    )
    domains: list[CollaborationDomain] = Field(
        default_factory=list,
        description="Collaboration domains it belongs to (model, data, software, evaluation,"
        " non-technical, compute), where the source says",
    )
    phases: list[Phase] = Field(
        default_factory=list, description="Lifecycle phases it is about, where the source says"
    )
    about: list[FindingLink] = Field(
        default_factory=list,
        description="Projects, artifacts or organizations a source ties it to, as kind/id",
    )
    note: str | None = Field(
        None,
        description="Quote, context or reasoning for every fact of the record without a"
        " provenance entry of its own ('Secondary source: ...' for one)",
    )

    @model_validator(mode="after")
    def _finding_is_placed(self) -> FindingRecord:
        if self.finding_type in RECOMMENDATIONS and not self.stakeholders:
            raise FieldError("stakeholders", f"at least one is required for a {self.finding_type}")
        if self.finding_type not in RECOMMENDATIONS and not (self.domains or self.phases):
            raise FieldError("domains", f"a {self.finding_type} needs a domain or a phase (phases)")
        return self


RECORD_TYPES: tuple[type[Record], ...] = (
    OrganizationRecord,
    ProjectRecord,
    ModelRecord,
    DatasetRecord,
    BenchmarkRecord,
    FrameworkRecord,
    LeaderboardRecord,
    ComputePartnershipRecord,
    ForumRecord,
    PublicationRecord,
    LicenseRecord,
    FindingRecord,
)
KINDS: dict[str, type[Record]] = {t.kind: t for t in RECORD_TYPES}
DIRECTORIES: dict[str, type[Record]] = {t.directory: t for t in RECORD_TYPES}
ARTIFACT_KINDS: tuple[str, ...] = get_args(ArtifactKind)
LINK_TYPES = (Link, MotivationClaim, PublicationLink)


def plain_fields(record_type: type[Record]) -> set[str]:
    """Names of fields that hold values rather than links (``provenance`` may name these)."""
    skip = {"id", "source", "confidence", "provenance", "note"}
    return {
        name
        for name, info in record_type.model_fields.items()
        if name not in skip and not _holds_links(info.annotation)
    }


def _holds_links(annotation: object) -> bool:
    return any(isinstance(a, type) and issubclass(a, LINK_TYPES) for a in get_args(annotation))
