"""The closed vocabularies of the records, each declared once (the concept schemes of
ontology/concepts.ttl; a test ties each to its scheme). Orders derived from them live here too."""

from __future__ import annotations

from typing import Literal, get_args

Confidence = Literal["paper", "public-record", "curator-inference"]
Phase = Literal["pre-training", "post-training", "post-release-reuse"]
CONFIDENCES: tuple[Confidence, ...] = tuple(reversed(get_args(Confidence)))
"""Confidence codes from weakest to strongest: ``min_confidence`` keeps this one and stronger."""
PHASES: tuple[Phase, ...] = get_args(Phase)
"""Lifecycle phases in their order."""
ArtifactKind = Literal[
    "model", "dataset", "benchmark", "framework", "leaderboard", "compute-partnership", "forum"
]
"""The paper's artifact kinds, models included."""
GovernanceModel = Literal[
    "single-company",
    "single-research-institute",
    "multi-organizational-research-institute",
    "non-profit-sponsored-grassroots",
    "company-sponsored-grassroots",
]
Motivation = Literal[
    "social",
    "economic",
    "technological",
    "democratizing-access",
    "language-representation",
    "regional-ecosystems",
    "regional-innovation",
    "ecosystem-building",
    "open-science",
    "avoiding-reinventing-the-wheel",
]
OrganizationType = Literal[
    "big-tech",
    "startup-or-company",
    "research-institute",
    "university",
    "non-profit",
    "grassroots-community",
    "public-body",
    "funder",
]
StakeholderGroup = Literal[
    "researchers-and-developers", "companies", "policymakers", "platform-providers", "foundations"
]
"""Who the paper's recommendations are addressed to."""
CollaborationDomain = Literal["model", "data", "software", "evaluation", "non-technical", "compute"]
"""Domains of collaboration that on-ramps and challenges belong to (the paper's figures 1-5)."""
FindingType = Literal[
    "recommendation", "recommendation-summary", "collaboration-pattern", "on-ramp", "challenge"
]
"""What a finding of the paper is."""
DerivationKind = Literal[
    "fine-tune", "continued-pretraining", "merge", "distillation", "quantization", "adapter"
]
LicenseType = Literal[
    "permissive", "copyleft", "open-rail", "community", "non-commercial", "proprietary"
]
Access = Literal["open-weights", "gated", "api-only"]
Platform = Literal["discord", "slack", "github", "hugging-face", "mailing-list", "website", "other"]

DERIVATIONS = frozenset(
    {"fine_tuned_from", "continued_pretraining_from", "merged_from", "distilled_from"}
    | {"quantized_from", "adapter_of"}
)
"""The typed derivations of a model (record fields), each a kind of ``derived_from``."""
USES = frozenset(
    {"trained_on", "evaluated_on", "built_with", "listed_on", "includes_benchmark"}
    | {"compute_from", "derived_from"}
    | DERIVATIONS
)
"""Relations (record fields) by which a project or artifact uses another artifact."""


def property_name(relation: str) -> str:
    """The ontology property of a relation: ``trained_on`` -> ``trainedOn``.

    >>> sorted(property_name(r) for r in DERIVATIONS)[:2]
    ['adapterOf', 'continuedPretrainingFrom']
    """
    first, *rest = relation.split("_")
    return first + "".join(word.title() for word in rest)
