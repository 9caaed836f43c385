"""The closed vocabularies of kg/schema/terms.py are exactly the concepts of ontology/concepts.ttl."""

from __future__ import annotations

from typing import get_args

import pytest
import rdflib
from rdflib.namespace import RDFS

from kg.compile.rdf import CLASSES
from kg.schema import records, terms
from kg.schema.namespace import LLMKG
from kg.schema.vocabulary import load_vocabulary
from kg.settings import Settings

VOCABULARY = load_vocabulary(Settings().ontology_dir)


@pytest.mark.parametrize(
    ("literal", "scheme"),
    [
        (terms.GovernanceModel, "governance-model"),
        (terms.Motivation, "motivation"),
        (terms.Phase, "lifecycle-phase"),
        (terms.OrganizationType, "organization-type"),
        (terms.Confidence, "confidence"),
        (terms.StakeholderGroup, "stakeholder-group"),
        (terms.CollaborationDomain, "collaboration-domain"),
        (terms.FindingType, "finding-type"),
    ],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_literal_matches_scheme(literal: object, scheme: str) -> None:
    # "unclassified" is for organizations only imported catalogues know; records never use it.
    assert set(get_args(literal)) == VOCABULARY[scheme] - {"unclassified"}


def test_five_governance_models_and_three_phases() -> None:
    assert len(VOCABULARY["governance-model"]) == 5
    assert len(VOCABULARY["lifecycle-phase"]) == 3
    assert {"africa", "asia", "europe", "north-america"} <= VOCABULARY["place"]


def test_artifact_kinds_are_the_record_kinds_whose_class_is_an_artifact() -> None:
    ontology = rdflib.Graph().parse(Settings().ontology_dir / "llmkg.ttl")
    artifacts = {
        k for k, cls in CLASSES.items() if (cls, RDFS.subClassOf, LLMKG.Artifact) in ontology
    }
    assert set(records.ARTIFACT_KINDS) == artifacts
