"""Store -> networkx: the typed projection that every network is built from.

:func:`to_networkx` reads the chosen entity-to-entity predicates (never literals) and their
provenance from a pyoxigraph store with SPARQL; :mod:`kg.networks.ties` makes the
collaboration networks of it.
"""

from __future__ import annotations

import logging
import re

import networkx as nx
import pyoxigraph as ox
from rdflib.namespace import DCTERMS, ORG

from kg.compile.rdf import CLASSES, DERIVATION_PREDICATES, PROVENANCE_GRAPH
from kg.graph import Store
from kg.schema.namespace import LLMKG
from kg.schema.terms import CONFIDENCES
from kg.schema.vocabulary import ID

logger = logging.getLogger(__name__)


RELATIONS: dict[str, str] = {
    str(LLMKG.developedBy): "developed_by",
    str(LLMKG.fundedBy): "funded_by",
    str(LLMKG.partnerOf): "partner_of",
    str(LLMKG.contributesTo): "contributes_to",
    str(LLMKG.maintains): "maintains",
    str(LLMKG.hostsForum): "hosts_forum",
    str(LLMKG.providedBy): "provided_by",
    str(LLMKG.partOfProject): "part_of_project",
    str(LLMKG.memberOfFamily): "member_of_family",
    str(LLMKG.trainedOn): "trained_on",
    str(LLMKG.evaluatedOn): "evaluated_on",
    str(LLMKG.builtWith): "built_with",
    str(LLMKG.listedOn): "listed_on",
    str(LLMKG.includesBenchmark): "includes_benchmark",
    str(LLMKG.computeFrom): "compute_from",
    str(LLMKG.derivedFrom): "derived_from",
    str(LLMKG.fineTunedFrom): "fine_tuned_from",
    str(LLMKG.continuedPretrainingFrom): "continued_pretraining_from",
    str(LLMKG.mergedFrom): "merged_from",
    str(LLMKG.distilledFrom): "distilled_from",
    str(LLMKG.quantizedFrom): "quantized_from",
    str(LLMKG.licensedUnder): "licensed_under",
    str(LLMKG.describes): "describes",
    str(LLMKG.studies): "studies",
    str(DCTERMS.isPartOf): "part_of",
    str(ORG.subOrganizationOf): "sub_organization_of",
}
"""The projected predicates and their edge keys; every other predicate stays out, except the
derivations the ontology declares (:func:`derivations`), which are projected too."""
DERIVED_FROM = "derived_from"
"""The edge key of a plain ``llmkg:derivedFrom``, kept only where no narrower derivation says it."""
UNSPECIFIED = "unspecified"
"""The derivation kind of a plain ``llmkg:derivedFrom`` between two models."""

UNKNOWN = ("region", "organization_type", "governance_model")

_NODES = """
PREFIX llmkg: <https://w3id.org/llmkg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?e (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?type) (SAMPLE(?gm) AS ?governance)
       (GROUP_CONCAT(DISTINCT STR(?place); separator=" ") AS ?region) WHERE {
  VALUES ?class { %s }
  ?e a ?class .
  OPTIONAL { ?e rdfs:label ?l }
  OPTIONAL { ?e llmkg:organizationType ?t }
  OPTIONAL { ?e llmkg:governanceModel ?gm }
  OPTIONAL { ?e llmkg:basedIn|llmkg:targetsRegion ?place }
} GROUP BY ?e
"""
_EDGES = """
PREFIX llmkg: <https://w3id.org/llmkg/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?s ?p ?o ?source ?confidence ?phase WHERE {
  VALUES ?p { %s }
  GRAPH ?g { ?s ?p ?o }
  GRAPH <%s> {
    ?g prov:wasDerivedFrom ?source ; llmkg:confidence ?confidence .
    OPTIONAL { ?g llmkg:lifecyclePhase ?phase }
  }
}
"""


_DERIVATIONS = """
PREFIX llmkg: <https://w3id.org/llmkg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?p WHERE { ?p rdfs:subPropertyOf+ llmkg:derivedFrom }
"""


def snake_case(iri: str) -> str:
    """The snake_case name of a property IRI: ``...#adapterOf`` -> ``adapter_of``."""
    local = re.split(r"[#/]", iri)[-1]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", local).lower()


def derivations(store: Store | ox.Store) -> dict[str, str]:
    """The derivation predicates the ontology declares (the subproperties of
    ``llmkg:derivedFrom``, transitively): IRI -> edge key (``adapter_of``).

    Read from the store's ontology graph; a store without one (a bare dump) falls back to the
    ontology files of :class:`kg.settings.Settings`. Any kind an importer adds to the ontology
    is projected too.
    """
    found = [str(p.value) for (p,) in _select(store, _DERIVATIONS, union=True)]
    if not found:
        from kg.compile.rdf import ontology_quads
        from kg.settings import Settings

        ontology = ox.Store()
        ontology.bulk_extend(ontology_quads(Settings().ontology_dir))
        found = [str(p.value) for (p,) in _select(ontology, _DERIVATIONS, union=True)]
    return {p: snake_case(p) for p in sorted(found) if p != str(LLMKG.derivedFrom)}


def derivation_kinds(predicates: dict[str, str]) -> dict[str, str]:
    """Edge key -> derivation kind as records name it (``fine_tuned_from`` -> ``fine-tune``), or
    the edge key for a predicate no record kind maps to; ``derived_from`` -> ``unspecified``."""
    names = {str(p): kind for kind, p in DERIVATION_PREDICATES.items()}
    kinds = {key: names.get(iri, key) for iri, key in predicates.items()}
    return {**kinds, DERIVED_FROM: UNSPECIFIED}


def _code(term: ox.NamedNode | ox.Literal | None) -> str | None:
    """The code of a concept IRI (``.../confidence/paper`` -> ``paper``); of a space-separated
    list of IRIs, their codes, sorted and space-separated."""
    if term is None or not term.value:
        return None
    return " ".join(sorted(v.rsplit("/", 1)[-1] for v in term.value.split()))


def _select(store: Store, sparql: str, *, union: bool = False) -> ox.QuerySolutions:
    result = store.query(sparql, use_default_graph_as_union=union)
    assert isinstance(result, ox.QuerySolutions)  # noqa: S101 -- a SELECT query
    return result


def kind_of(node: str) -> str:
    """The kind of a node key: ``kind_of("model/bloom") == "model"``."""
    return node.split("/", 1)[0]


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """Project the entity-to-entity facts of ``store`` onto a typed MultiDiGraph.

    Nodes are records (findings aside), keyed ``"<kind>/<id>"``, with the attributes ``kind``,
    ``label``, ``region`` (place codes: where an organization is based, or what a project or
    artifact targets), ``organization_type`` and ``governance_model`` (None where they do not
    apply).
    Edges are the predicates of :data:`RELATIONS`, keyed by their snake_case name, with
    the attributes ``relation``, ``phase``, ``source`` and ``confidence`` of the fact graph
    that states them. A fact stated in several fact graphs keeps its strongest confidence;
    ``derived_from`` is left out where a narrower derivation (``fine_tuned_from``...) says it.
    The graph attribute ``derivations`` maps each derivation's edge key to its kind
    (:func:`derivation_kinds`), as the ontology declares them.

    Parameters
    ----------
    store
        A store as built by :func:`kg.compile.rdf.build_graph` (fact graphs and the provenance
        graph), on disk, or a :class:`kg.store.remote.RemoteStore` serving the same graphs.

    Examples
    --------
    >>> from kg.compile.rdf import build_graph
    >>> from kg.schema.records import ModelRecord, OrganizationRecord
    >>> from kg.settings import Settings
    >>> meta = OrganizationRecord(id="meta", name="Meta", source="https://about.meta.com",
    ...                           confidence="public-record", organization_type="big-tech")
    >>> llama = ModelRecord(id="llama-3.1-8b", name="Llama 3.1 8B", source="https://llama.com",
    ...                     confidence="public-record", developers=[{"id": "meta"}])
    >>> G = to_networkx(build_graph([meta, llama], Settings().ontology_dir))
    >>> list(G.edges(keys=True))
    [('model/llama-3.1-8b', 'organization/meta', 'developed_by')]
    >>> G.nodes["organization/meta"]["organization_type"]
    'big-tech'
    """
    typed = derivations(store)
    relations = RELATIONS | typed
    G = nx.MultiDiGraph(derivations=derivation_kinds(typed))
    # Findings are statements of the paper, not actors or artifacts: they stay out of networks.
    classes = " ".join(f"<{c}>" for kind, c in CLASSES.items() if kind != "finding")
    for e, label, type_, governance, region in _select(store, _NODES % classes, union=True):
        node = e.value.removeprefix(ID)
        G.add_node(
            node,
            kind=kind_of(node),
            label=label.value if label else node,
            region=_code(region),
            organization_type=_code(type_),
            governance_model=_code(governance),
        )
    rows = sorted(
        (
            s.value.removeprefix(ID),
            o.value.removeprefix(ID),
            relations[p.value],
            -CONFIDENCES.index(_code(confidence) or ""),
            source.value,
            _code(phase),
        )
        for s, p, o, source, confidence, phase in _select(
            store, _EDGES % (" ".join(f"<{p}>" for p in relations), PROVENANCE_GRAPH.value)
        )
        if isinstance(o, ox.NamedNode) and _code(confidence) in CONFIDENCES
    )
    for u, v, relation, rank, source, phase in rows:
        if G.has_edge(u, v, relation):
            continue  # the same fact from a weaker or later source
        for node in (u, v):
            if node not in G:  # a store without the entity's own record
                G.add_node(node, kind=kind_of(node), label=node, **dict.fromkeys(UNKNOWN))
        G.add_edge(
            u,
            v,
            key=relation,
            relation=relation,
            phase=phase,
            source=source,
            confidence=CONFIDENCES[-rank],
        )
    said = [(u, v) for u, v, k in G.edges(keys=True) if k in typed.values()]
    G.remove_edges_from([(u, v, DERIVED_FROM) for u, v in said if G.has_edge(u, v, DERIVED_FROM)])
    logger.info("projected %d nodes and %d edges", len(G), G.number_of_edges())
    return G


# ---------------------------------------------------------------- ties
