"""Facts of one catalogue record, in fact graphs with provenance, as curated facts are.

A record's facts about each entity share a fact graph whose source is the record's file at the
imported commit (``https://github.com/<repo>/blob/<commit>/<path>``) and whose confidence is
``public-record``; what open-llm-kg computes from a record (a MOF class) sits in a fact graph
of confidence ``curator-inference`` with a note saying how. The provenance graph also says
which catalogue each file belongs to (``dcterms:isPartOf``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

from kg.compile.rdf import PROVENANCE_GRAPH, Qualifiers, concept, iri, provenance_quads
from kg.importers.resolve import Resolved
from kg.schema.namespace import LLMKG
from kg.schema.vocabulary import ID


def catalogue_iri(name: str) -> ox.NamedNode:
    """The IRI of an imported catalogue, e.g. ``https://w3id.org/llmkg/id/catalogue/osai``."""
    return ox.NamedNode(f"{ID}catalogue/{name}")


def assessment_iri(catalogue: str, record: str) -> ox.NamedNode:
    """The IRI of a record's openness assessment; its judgements' IRIs extend it."""
    return ox.NamedNode(f"{ID}assessment/{catalogue}/{record}")


Object = ox.NamedNode | ox.Literal


@dataclass
class RecordFacts:
    """The facts one catalogue record states, kept together so that the record can be left out
    whole if it breaks a shape.

    Examples
    --------
    >>> from kg.importers.resolve import Resolved
    >>> facts = RecordFacts("cat/Foo.yaml", "https://example.org/blob/abc/Foo.yaml")
    >>> meta = Resolved("organization", "meta", curated=True)
    >>> facts.organization(meta, "Meta AI")
    >>> [q.predicate.value.rsplit("#", 1)[-1] for q in facts.quads]
    ['type', 'altLabel']
    >>> len(facts.graphs)  # one fact graph: facts about Meta from this file
    1
    """

    path: str
    source: str
    quads: list[ox.Quad] = field(default_factory=list)
    graphs: dict[ox.NamedNode, tuple[ox.NamedNode, Qualifiers]] = field(default_factory=dict)
    _graph_of: dict[tuple[str, str, str | None], ox.NamedNode] = field(
        default_factory=dict, repr=False
    )

    def add(
        self,
        topic: ox.NamedNode,
        s: ox.NamedNode,
        p: str,
        o: Object,
        *,
        inferred: str | None = None,
        source: str | None = None,
    ) -> None:
        """One fact about ``topic``; ``inferred`` (a note saying how) marks a computed fact,
        ``source`` a fact the record's catalogue states in another file."""
        where = source or self.source
        key = (topic.value, where, inferred)
        graph = self._graph_of.get(key)
        if graph is None:
            if inferred:
                q = Qualifiers(where, "curator-inference", note=inferred)
            else:
                q = Qualifiers(where, "public-record")
            graph = self._graph_of[key] = q.graph(topic)
            self.graphs[graph] = (topic, q)
        self.quads.append(ox.Quad(s, iri(p), o, graph))

    def entity(self, found: Resolved, cls: str, name: str) -> None:
        """``found`` is a ``cls`` named ``name``: its label if only catalogues know it, else an
        alternative label of the curated entity (which keeps its one curated label)."""
        self.add(found.iri, found.iri, RDF.type, iri(cls))
        label = SKOS.altLabel if found.curated else RDFS.label
        self.add(found.iri, found.iri, label, ox.Literal(name))

    def organization(
        self,
        found: Resolved,
        name: str,
        *,
        catalogue_type: str | None = None,
        homepage: ox.NamedNode | None = None,
    ) -> None:
        """An organization; one only catalogues know is typed ``organization-type:unclassified``."""
        self.entity(found, LLMKG.Organization, name)
        if not found.curated:
            unclassified = concept("organization-type", "unclassified")
            self.add(found.iri, found.iri, LLMKG.organizationType, unclassified)
        if catalogue_type:
            literal = ox.Literal(catalogue_type)
            self.add(found.iri, found.iri, LLMKG.catalogueOrganizationType, literal)
        if homepage is not None:
            self.add(found.iri, found.iri, FOAF.homepage, homepage)

    def assessment(
        self,
        topic: ox.NamedNode,
        catalogue: str,
        record: str,
        label: str,
        *,
        source: str | None = None,
    ) -> ox.NamedNode:
        """An openness assessment of ``topic``, identified by its catalogue and record."""
        a = assessment_iri(catalogue, record)
        self.add(topic, topic, LLMKG.opennessAssessment, a, source=source)
        self.add(topic, a, RDF.type, iri(LLMKG.OpennessAssessment), source=source)
        self.add(topic, a, RDFS.label, ox.Literal(label), source=source)
        return a

    def judgement(
        self, topic: ox.NamedNode, assessment: ox.NamedNode, dimension: ox.NamedNode
    ) -> ox.NamedNode:
        """The judgement of ``dimension`` (a concept) within ``assessment``."""
        j = ox.NamedNode(f"{assessment.value}/{dimension.value.rsplit('/', 1)[-1]}")
        self.add(topic, assessment, LLMKG.judgement, j)
        self.add(topic, j, RDF.type, iri(LLMKG.OpennessJudgement))
        self.add(topic, j, LLMKG.dimension, dimension)
        return j

    def owns(self, node: ox.NamedNode) -> bool:
        """Whether ``node`` is a subject of this record's facts or one of its fact graphs."""
        return node in self.graphs or any(q.subject == node for q in self.quads)

    def all_quads(self, catalogue: ox.NamedNode) -> list[ox.Quad]:
        """The facts, and the provenance of their fact graphs and of the record's file."""
        out = list(self.quads)
        for graph, (topic, q) in sorted(self.graphs.items(), key=lambda item: item[0].value):
            out.extend(provenance_quads(graph, topic, q))
        for source in sorted({q.source for _, q in self.graphs.values()} | {self.source}):
            out.append(
                ox.Quad(ox.NamedNode(source), iri(DCTERMS.isPartOf), catalogue, PROVENANCE_GRAPH)
            )
        return out
