"""Linked Data: every IRI ``https://w3id.org/llmkg/id/<path>`` is served at ``/id/<path>``,
and the ontology ``https://w3id.org/llmkg/ns`` at ``/ns``.

One URL, several representations chosen by ``?format=``, a file extension (``/id/model/bloom.ttl``)
or Accept, answered directly (200) with ``Vary: Accept``: an HTML page for browsers (and
``*/*``), Turtle, N-Triples, JSON-LD or RDF/XML, and N-Quads or TriG with each fact in its fact
graph, for machines. docs/linked-data.md has the table of what each client gets, and the w3id
redirect.

A path reaches SPARQL only once :func:`kg.read.resources.resource_iri` has found it to be a
possible IRI: anything else is a 404 before any query.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response
from rdflib.namespace import DCTERMS, ORG

from api.deps import KG, get_warm
from api.pages.lineage import LineagePicture, lineage_picture
from api.pages.render import HTML, PageRoute, page
from kg.compile.rdf import ONTOLOGY_GRAPH
from kg.errors import NotAcceptableError, NotFoundError
from kg.graph import KnowledgeGraph
from kg.networks import ego
from kg.read import lookup, projects, resources
from kg.read.lookup import split_iri
from kg.read.models import EntitySummary, Fact, LinkFact, Value
from kg.read.ontology import ontology_terms, ontology_triples
from kg.read.projects import ProjectArtifact
from kg.read.resources import DATASET_TYPES, as_dataset, describe, describe_dataset, serialize
from kg.schema.namespace import LLMKG
from kg.schema.terms import DERIVATIONS, PHASES, property_name
from kg.sparql.protocol import parse_accept

router = APIRouter(route_class=PageRoute, tags=["linked data"])

SERIALIZATIONS: dict[str, tuple[str, str]] = {
    "application/n-quads": ("application/n-quads", "nquads"),
    "application/trig": ("application/trig", "trig"),
    "text/turtle": ("text/turtle", "turtle"),
    "application/n-triples": ("application/n-triples", "ntriples"),
    "application/ld+json": ("application/ld+json", "jsonld"),
    "application/rdf+xml": ("application/rdf+xml", "rdfxml"),
    "text/plain": ("application/n-triples", "ntriples"),
    "text/n3": ("text/turtle", "n3"),
}
"""Each RDF media type answered: the serialization sent (N-Triples as ``text/plain``, as curl
and rdflib's ``format="nt"`` ask; Turtle, which is N3, as ``text/n3``) and its ``?format=``
name. The order is the server's preference between types a client accepts equally: rdflib's
``format="nquads"`` (and no format) asks for every type it parses, all alike, and N-Quads is
what that parser reads; its default graph holds the triples a plain ``Graph`` keeps."""
OFFERED = [HTML, *SERIALIZATIONS]
"""What /id and /ns answer in, the server's preference first (HTML for ``*/*``)."""
FORMATS = {media: name for media, (sent, name) in SERIALIZATIONS.items() if media == sent}
"""The ``?format=`` name of each RDF representation: the ``Link`` alternates of a page."""
PAGE_FORMATS = {
    media: FORMATS[media]
    for media in (
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
    )
}
"""The representations a page links to in its text (the templates name these four)."""
FORMAT_NAMES = {
    "html": HTML,
    **{name: media for media, name in FORMATS.items()},
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "nq": "application/n-quads",
    "n3": "text/n3",
}
"""Names accepted by ``?format=`` (a media type of :data:`OFFERED` is accepted too)."""
EXTENSIONS = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "nq": "application/n-quads",
    "trig": "application/trig",
    "n3": "text/n3",
}
"""File extensions of ``/id/<path>.<ext>``, naming a representation as ``?format=`` does."""
HIDDEN = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/identifier",
}
"""Facts an entity page shows in its heading, not in its table of facts."""
PROFILED = ("governance_model", "motivation")
"""Facts a project page shows in their own sections."""
FormatQuery = Annotated[
    str | None,
    Query(
        description="html, turtle (ttl), ntriples (nt), jsonld, rdfxml, nquads (nq), trig or n3,"
        " overriding the extension and Accept"
    ),
]
RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The resource as HTML, Turtle, N-Triples, JSON-LD, RDF/XML, N-Quads or TriG",
        "content": {media: {} for media in OFFERED},
    }
}


def negotiate(accept: str | None) -> str:
    """The media type of :data:`OFFERED` that ``accept`` rates best.

    An offered type takes the quality of the most specific range that matches it (``text/html``
    before ``text/*`` before ``*/*``); among the best rated, one that the client names itself
    wins over one that only a wildcard matches, then the server's preference. So browsers and
    ``*/*`` get HTML, and a client naming an RDF type at least as high as ``*/*`` gets RDF.

    Raises
    ------
    NotAcceptableError
        If nothing offered is acceptable.

    Examples
    --------
    >>> negotiate("text/plain, */*;q=0.1"), negotiate("*/*, text/turtle"), negotiate("*/*")
    ('text/plain', 'text/turtle', 'text/html')
    >>> negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    'text/html'
    >>> negotiate("application/rdf+xml, text/turtle, application/n-quads, application/trig")
    'application/n-quads'
    >>> negotiate("text/*;q=0.5, text/html;q=0")
    'text/turtle'
    """
    ranges = _ranges(accept)
    best, rated = None, (0.0, -1)
    for offered in OFFERED:
        rating = _rating(offered, ranges)
        if rating is not None and rating[0] > 0 and rating > rated:
            best, rated = offered, rating
    if best is None:
        raise NotAcceptableError(f"cannot answer in {accept!r}; available: {', '.join(OFFERED)}")
    return best


def _ranges(accept: str | None) -> list[tuple[str, float]]:
    """Each media range of ``accept`` and its quality, refusals (``q=0``) included."""
    ranges = []
    for part in (accept or "*/*").split(","):
        media = part.split(";")[0].strip().lower()
        if media:
            rated = parse_accept(part)
            ranges.append((media, rated[0][1] if rated else 0.0))
    return ranges


def _rating(offered: str, ranges: list[tuple[str, float]]) -> tuple[float, int] | None:
    """(quality, specificity) of the most specific range matching ``offered``, if any."""
    major = offered.split("/")[0] + "/*"
    specificity = {offered: 2, major: 1, "*/*": 0, "*": 0}
    matches = [(specificity[m], q) for m, q in ranges if m in specificity]
    if not matches:
        return None
    most = max(s for s, _ in matches)
    return max(q for s, q in matches if s == most), most


def _representation(request: Request, fmt: str | None, extension: str | None = None) -> str:
    """The media type to answer in: ``?format=``, else the path's extension, else Accept."""
    if fmt:
        media = FORMAT_NAMES.get(fmt.lower(), fmt.lower())
        if media not in OFFERED:
            raise NotAcceptableError(
                f"format {fmt!r} is not available here; available: {', '.join(FORMAT_NAMES)}"
            )
        return media
    return extension or negotiate(request.headers.get("accept"))


def _target(kg: KnowledgeGraph, path: str) -> tuple[str, str, str | None]:
    """(IRI, path, media type of its extension) of ``/id/<path>``: ``model/bloom.ttl`` is
    ``model/bloom`` in Turtle, unless ``model/bloom.ttl`` itself is in the graph (ids may have
    dots). Checked by shape before any query.

    Raises
    ------
    NotFoundError
        If neither ``path`` nor the path without its extension can be an IRI of the graph.
    """
    stem, dot, ext = path.rpartition(".")
    media = EXTENSIONS.get(ext) if dot else None
    try:
        iri = resources.resource_iri(path)
    except NotFoundError as exc:
        if media is None:
            raise
        try:
            return resources.resource_iri(stem), stem, media
        except NotFoundError:
            raise exc from None
    if media is None:
        return iri, path, None
    try:
        bare = resources.resource_iri(stem)
    except NotFoundError:
        return iri, path, None
    return (iri, path, None) if resources.exists(kg, iri) else (bare, stem, media)


def _alternates(path: str) -> dict[str, str]:
    links = ", ".join(
        f'<{path}?format={name}>; rel="alternate"; type="{media}"'
        for media, name in FORMATS.items()
    )
    return {"Vary": "Accept", "Link": links}


def _rdf(
    path: str,
    media: str,
    triples: Callable[[], list[ox.Triple]],
    dataset: Callable[[], list[ox.Quad]],
) -> Response:
    """The answer in the RDF type ``media``: ``triples()`` serialized, or ``dataset()`` for
    N-Quads and TriG."""
    sent, name = SERIALIZATIONS[media]
    if sent in DATASET_TYPES:
        body = resources.serialize_dataset(dataset(), sent)
    else:
        body = serialize(triples(), sent)
    charset = "" if media == "application/rdf+xml" else "; charset=utf-8"
    headers = {"Vary": "Accept", "Content-Location": f"{path}?format={name}"}
    return Response(body, media_type=media + charset, headers=headers)


@router.head("/id/{path:path}", include_in_schema=False)
@router.get("/id/{path:path}", summary="Dereference an IRI", responses=RESPONSES)
def resolve(request: Request, kg: KG, path: str, format: FormatQuery = None) -> Response:
    """The resource `https://w3id.org/llmkg/id/{path}`: an entity, concept, concept scheme,
    place, language, fact graph or imported assessment, by content negotiation. Its triples,
    those pointing at it and the labels of both sides in RDF (in N-Quads and TriG, each also
    in the graph that states it, with that graph's provenance); a page in HTML. A path that
    cannot be an IRI of the graph is a 404 before any query."""
    if request.scope["path"].endswith("\n"):  # Starlette's {path:path} drops a final newline
        path += "\n"
    iri, path, extension = _target(kg, path)
    media = _representation(request, format, extension)
    here = "/id/" + quote(path, safe="/")
    entity = split_iri(iri)
    if media != HTML:
        if entity is not None:
            lookup.require_entity(kg, *entity)  # 404 with did-you-mean
        return _rdf(here, media, lambda: describe(kg, iri), lambda: describe_dataset(kg, iri))
    if entity is not None:
        return _entity_page(request, kg, *entity, here)
    context = {"resource": resources.resource(kg, iri), "here": here, "formats": PAGE_FORMATS}
    return page(request, "resource.html", context, headers=_alternates(here))


def _entity_page(request: Request, kg: KnowledgeGraph, kind: str, id_: str, here: str) -> Response:
    found = lookup.entity(kg, kind, id_)  # 404 with did-you-mean before any warm-up wait
    warm = get_warm(request)
    links = _without_implied(lookup.links(kg, kind, id_))
    try:
        picture: ego.EgoNetwork | None = ego.ego_network(warm.projection, f"{kind}/{id_}")
    except NotFoundError:
        picture = None
    tree = lineage_picture(kg, id_) if kind == "model" else None
    shown = [link for link in links if (kind, *_key(link)) not in ELSEWHERE]
    facts = _fact_rows(
        f
        for f in found.facts
        if f.object.kind is None
        and f.property not in HIDDEN
        and not (kind == "project" and f.relation in PROFILED)
    )
    groups = _link_groups(shown, lookup.fetch_labels(kg, {link.property for link in shown}))
    context: dict[str, Any] = {
        "entity": found,
        "facts": facts,
        "link_count": len(shown),
        "elsewhere": len(shown) < len(links),
        "ego": picture,
        "lineage": tree,
        "here": here,
        "formats": PAGE_FORMATS,
        "notes": Notes(),
        "LONG_VALUES": LONG_VALUES,
    }
    height = _fixed_height(picture, facts, tree)
    phases: list[tuple[str | None, list[ArtifactRow]]] = []
    if kind == "project":
        artifacts = defaultdict(list)
        for item in projects.project_artifacts(kg, id_):
            artifacts[item.phase].append(_artifact_row(item))
        phases = [(p, artifacts[p]) for p in (*PHASES, None) if artifacts[p]]
        governance = [f for f in found.facts if f.relation == "governance_model"]
        motivations = projects.by_category(found.facts, projects.motivation_categories(kg))
        context |= {"governance": governance, "motivations": motivations, "artifacts": phases}
        height += _profile_height(governance, motivations) + _HEADING + (0 if phases else _LINE)
    if len(shown) < len(links):
        height += 40  # "What is part of the project ... are under Artifacts"
    small = [g for g in groups if len(g.rows) <= OPEN_ROWS]
    height += _SUMMARY * (len(groups) - len(small))
    blocks = [  # a phase is its summary, then a table with its own head
        Block(
            ("phase", p),
            _SUMMARY + _HEAD + _rows_height(items, _artifact_lines) - _LINE,
            len(items) <= OPEN_ARTIFACTS,
        )
        for p, items in phases
    ]
    if small:  # a relation's first row holds its name: no line of its own
        rows = sum(_rows_height(g.rows, _link_lines) - _LINE for g in small)
        blocks.append(Block(("links",), _HEAD + rows, True))
    opened = _fit(height, blocks)
    context |= {
        "open_phases": {p for p, _ in phases if ("phase", p) in opened},
        "groups": small,
        "links_open": ("links",) in opened,
        "long_groups": [g for g in groups if len(g.rows) > OPEN_ROWS],
    }
    return page(request, "entity.html", context, headers=_alternates(here))


# ---------------------------------------------------------------- fitting a page
# An entity page shows everything up to about three screens (BUDGET); past that, the relations
# and lifecycle phases that take the most room are collapsed to their count, largest first.
# Heights are estimated in CSS pixels at 1280 px wide (the style sheet's fonts and padding);
# tests/api/test_browser_entity.py measures the real ones.

BUDGET = 2250
"""Estimated height an entity page keeps within by collapsing (three screens are 2400 px)."""
OPEN_ROWS = 8
"""A relation with more rows than this is collapsed to its count, whatever the room; the
others share a table, which is collapsed as a whole if the page has no room for it."""
OPEN_ARTIFACTS = 8
"""A lifecycle phase with more artifacts than this is collapsed to its count."""
LONG_VALUES = 12
"""A fact with more values than this (languages, authors) is collapsed to its count."""
_ROW, _LINE, _HEADING, _HEAD, _SUMMARY = 13, 23, 62, 42, 48
"""Padding of a table row, a line of table text, an h2, a table's head, a collapsed part."""


@dataclass(frozen=True)
class Block:
    """A part of a page that can be collapsed to its summary: its height when open, and
    whether it may be open at all."""

    key: tuple[str | None, ...]
    height: float
    may_open: bool


def _fit(height: float, blocks: list[Block]) -> set[tuple[str | None, ...]]:
    """The keys of ``blocks`` left open on a page whose other parts take ``height``: all that
    may be, then, while the page is over :data:`BUDGET`, all but the tallest."""
    opened = {b.key: b for b in blocks if b.may_open}
    total = height + sum(b.height if b.key in opened else _SUMMARY for b in blocks)
    for block in sorted(opened.values(), key=lambda b: -b.height):
        if total <= BUDGET:
            break
        del opened[block.key]
        total -= block.height - _SUMMARY
    return set(opened)


def _lines(text: str, chars: int) -> int:
    return max(1, math.ceil(len(text) / chars))


def _rows_height(rows: Iterable[Any], lines: Callable[[Any], int]) -> float:
    """A table part: a row heading (a phase, a relation's first row) and its rows."""
    return _LINE + sum(_ROW + _LINE * lines(r) for r in rows)


def _artifact_lines(r: ArtifactRow) -> int:
    via = r.subject.label if r.subject else "the project"
    return max(_lines(r.artifact.artifact.label, 36), _lines(f"{via} {r.verb} it", 34))


def _link_lines(r: LinkRow) -> int:
    return _lines(", ".join(o.entity.label for o in r.others), 46)


def _fixed_height(
    picture: ego.EgoNetwork | None, facts: list[FactRow], tree: LineagePicture | None = None
) -> float:
    """What a page shows whatever the room: heading, pictures, facts, the Links heading, the
    notes, the formats and the footer."""
    height: float = 225 + 195 + _SUMMARY + _HEADING
    if picture is not None:
        height += _HEADING + picture.height + 75
    if tree is not None:  # drawn at most 1040 px wide, as the page is at 1280 px
        height += _HEADING + tree.height * min(1.0, 1040 / tree.width) + 75
    height += (
        _HEADING
        + _HEAD
        + sum(
            _ROW + _LINE * (1 if len(r.values) > LONG_VALUES else _lines(_text(r.values), 70))
            for r in facts
        )
    )
    return height


def _profile_height(governance: list[Fact], motivations: dict[str, list[Fact]]) -> float:
    """The governance model and motivations of a project, side by side."""
    said = _HEADING + sum(
        30 * _lines(f"{f.object.label} {f.confidence} source: {f.source}", 40)
        + 22 * _lines(f.note or "", 55)
        + 20
        for f in governance
    )
    why = _HEADING + 20
    for facts in motivations.values():
        why += 48 + sum(
            28 * _lines(f"{f.object.label} {f.confidence} {urlsplit(f.source or '').hostname}", 64)
            for f in facts
        )
    return max(said, why)


def _text(values: list[Value]) -> str:
    return ", ".join(v.label or v.value or v.iri or "" for v in values)


@dataclass(frozen=True)
class Wording:
    """How a property reads from either end of its links, where the ontology's label
    (``rdfs:label``, read from the subject: "BLOOMZ *derived from* BLOOM") does not say it."""

    incoming: str
    """What the subjects are to the object, as the object's page lists them: on BLOOM's page,
    "derivatives: BLOOMZ"."""
    sentence: str
    """The link as the verb of a sentence from subject to object: "BLOOMZ *is derived from*
    BLOOM"."""
    outgoing: str | None = None
    """The label from the subject, for a property the ontology gives none (``dcterms``,
    ``org``)."""


WORDING: dict[str, Wording] = {
    str(LLMKG.developedBy): Wording("develops", "is developed by"),
    str(LLMKG.fundedBy): Wording("funds", "is funded by"),
    str(LLMKG.partnerOf): Wording("partners", "is a partner of"),
    str(LLMKG.contributesTo): Wording("contributors", "contributes to"),
    str(LLMKG.maintains): Wording("maintained by", "maintains"),
    str(LLMKG.hostsForum): Wording("hosted by", "hosts"),
    str(LLMKG.providedBy): Wording("provides", "is provided by"),
    str(LLMKG.partOfProject): Wording("artifacts of the project", "is part of"),
    str(LLMKG.memberOfFamily): Wording("family members", "is a member of"),
    str(LLMKG.trainedOn): Wording("models trained on it", "is trained on"),
    str(LLMKG.evaluatedOn): Wording("models evaluated on it", "is evaluated on"),
    str(LLMKG.builtWith): Wording("built with it", "is built with"),
    str(LLMKG.listedOn): Wording("models listed on it", "is listed on"),
    str(LLMKG.includesBenchmark): Wording("included in", "includes"),
    str(LLMKG.computeFrom): Wording("gives compute to", "receives compute from"),
    str(LLMKG.derivedFrom): Wording("derivatives", "is derived from"),
    str(LLMKG.fineTunedFrom): Wording("fine-tuned derivatives", "is fine-tuned from"),
    str(LLMKG.continuedPretrainingFrom): Wording(
        "models continuing its pre-training", "continues the pre-training of"
    ),
    str(LLMKG.mergedFrom): Wording("merged into", "is merged from"),
    str(LLMKG.distilledFrom): Wording("distilled into", "is distilled from"),
    str(LLMKG.quantizedFrom): Wording("quantized versions", "is quantized from"),
    str(LLMKG.licensedUnder): Wording("licensed under it", "is licensed under"),
    str(LLMKG.describes): Wording("described by", "describes"),
    str(LLMKG.studies): Wording("studied by", "studies"),
    str(DCTERMS.isPartOf): Wording("parts", "is part of", "part of"),
    str(ORG.subOrganizationOf): Wording(
        "sub-organizations", "is a sub-organization of", "sub-organization of"
    ),
}
"""The wording of each property that links two entities (those of
:data:`kg.networks.projection.RELATIONS`), from either end."""
ELSEWHERE = {
    ("project", "in", str(LLMKG.partOfProject)),
    ("project", "out", str(LLMKG.builtWith)),
    ("project", "out", str(LLMKG.computeFrom)),
}
"""Links a page shows in another section than Links: (kind, direction, property); a project's
artifacts are in "Artifacts by lifecycle phase"."""


def outgoing_label(property_: str, labels: dict[str, str]) -> str:
    """How ``property_`` reads from its subject: its label in ``labels`` (the ontology's),
    else :data:`WORDING`'s, else its name (``trained on``)."""
    wording = WORDING.get(property_)
    return (
        labels.get(property_)
        or (wording.outgoing if wording else None)
        or lookup.relation_name(property_).replace("_", " ")
    )


def incoming_label(property_: str, labels: dict[str, str]) -> str:
    """How ``property_`` reads from its object: "derivatives", "develops"."""
    wording = WORDING.get(property_)
    return wording.incoming if wording else f"{outgoing_label(property_, labels)} it"


def sentence(property_: str, labels: dict[str, str]) -> str:
    """``property_`` as a verb from subject to object: "is derived from"."""
    wording = WORDING.get(property_)
    return wording.sentence if wording else outgoing_label(property_, labels)


class Notes:
    """The notes of a page as footnotes, numbered as the page is rendered: a value, link or
    artifact shows the number of its note (:meth:`number`), and the end of the page lists
    them, collapsed (:meth:`new`: those numbered since the last list). A note said twice
    keeps its number."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._listed = 0

    def number(self, note: str | None) -> int | None:
        """The number of ``note`` (None for no note), the next one if it is new."""
        if not note:
            return None
        return self._numbers.setdefault(note, len(self._numbers) + 1)

    def new(self) -> list[tuple[int, str]]:
        """(number, note) of each note numbered since the last call."""
        found = [(n, note) for note, n in self._numbers.items() if n > self._listed]
        self._listed = len(self._numbers)
        return found


@dataclass(frozen=True)
class FactRow:
    """Facts about an entity that share a property and provenance, as one row."""

    property: str
    label: str
    values: list[Value]
    source: str | None
    confidence: str | None
    phase: str | None
    note: str | None
    valid_from: str | None = None
    valid_until: str | None = None


def _fact_rows(facts: Iterable[Fact]) -> list[FactRow]:
    """``facts`` grouped by property, source, confidence, phase, note and validity, in their
    order, the description first."""
    rows: dict[tuple[str | None, ...], FactRow] = {}
    for f in facts:
        key = (f.property, f.source, f.confidence, f.phase, f.note, f.valid_from, f.valid_until)
        if key not in rows:
            label = f.property_label or f.relation.replace("_", " ")
            rows[key] = FactRow(f.property, label, [], *key[1:])
        rows[key].values.append(f.object)
    return sorted(rows.values(), key=lambda r: r.property != str(DCTERMS.description))


@dataclass(frozen=True)
class Linked:
    """An entity at the other end of a link, with the link's note."""

    entity: EntitySummary
    note: str | None


@dataclass(frozen=True)
class LinkRow:
    """Links of one relation to entities of one kind that share phase, source, confidence and
    validity (each keeps its note)."""

    others: list[Linked]
    kind: str
    phase: str | None
    source: str | None
    confidence: str | None
    valid_from: str | None = None
    valid_until: str | None = None


@dataclass(frozen=True)
class LinkGroup:
    """The links of one relation and direction, worded from the page's entity."""

    direction: str
    predicate: str
    label: str
    """The property's label ("derived from")."""
    wording: str
    """The relation from the page's entity: the label going out, the inverse coming in."""
    rows: list[LinkRow]

    @property
    def count(self) -> int:
        """How many links."""
        return sum(len(r.others) for r in self.rows)


def _key(link: LinkFact) -> tuple[str, str]:
    return link.direction, link.property


def _without_implied(links: list[LinkFact]) -> list[LinkFact]:
    """``links`` without the ``derivedFrom`` that a narrower derivation (``fineTunedFrom``)
    of the same two entities implies: the build states both."""
    narrower = {str(LLMKG[property_name(d)]) for d in DERIVATIONS}
    typed = {(link.direction, link.other.iri) for link in links if link.property in narrower}
    derived = str(LLMKG.derivedFrom)
    return [
        link
        for link in links
        if not (link.property == derived and (link.direction, link.other.iri) in typed)
    ]


def _link_groups(links: list[LinkFact], labels: dict[str, str]) -> list[LinkGroup]:
    """Links by direction and relation (outgoing first, by wording), each relation's links
    grouped into rows by kind, lifecycle phase (in lifecycle order), source and confidence;
    ``labels`` are the properties' labels."""
    grouped: dict[tuple[str, str], dict[tuple[Any, ...], list[Linked]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for link in links:
        row = (
            link.other.kind,
            link.phase,
            link.source,
            link.confidence,
            link.valid_from,
            link.valid_until,
        )
        grouped[_key(link)][row].append(Linked(link.other, link.note))
    phases: list[str | None] = [*PHASES, None]
    groups = [
        LinkGroup(
            direction,
            property_,
            outgoing_label(property_, labels),
            outgoing_label(property_, labels)
            if direction == "out"
            else incoming_label(property_, labels),
            [
                LinkRow(sorted(others, key=lambda o: o.entity.label.lower()), *row)
                for row, others in sorted(
                    rows.items(),
                    key=lambda r: (
                        r[0][0],
                        phases.index(r[0][1]),
                        min(o.entity.label.lower() for o in r[1]),
                    ),
                )
            ],
        )
        for (direction, property_), rows in grouped.items()
    ]
    return sorted(groups, key=lambda g: (g.direction != "out", g.wording))


@dataclass(frozen=True)
class ArtifactRow:
    """An artifact of a project, with its link as a clause: ``subject verb object``, where
    ``None`` is the project and the artifact itself is "it"."""

    artifact: ProjectArtifact
    subject: EntitySummary | None
    verb: str
    object: EntitySummary | None


def _artifact_row(item: ProjectArtifact) -> ArtifactRow:
    """``item`` read in the right direction: "Chat 7B is fine-tuned from it" (the artifact),
    "the project is built with it", "it is part of the project"."""
    labels = {item.property: item.relation}
    if item.property == str(LLMKG.partOfProject):
        return ArtifactRow(item, item.artifact, sentence(item.property, labels), None)
    return ArtifactRow(item, item.via, sentence(item.property, labels), item.artifact)


@router.head("/ns", include_in_schema=False)
@router.get("/ns", summary="The ontology", responses=RESPONSES)
def ontology(request: Request, kg: KG, format: FormatQuery = None) -> Response:
    """The ontology `https://w3id.org/llmkg/ns#`: its documentation page in HTML (classes,
    properties, concept schemes), its triples in RDF (in N-Quads and TriG, also in the
    ontology graph, `https://w3id.org/llmkg/ns`, where the store keeps them)."""
    media = _representation(request, format)
    if media != HTML:

        def dataset() -> list[ox.Quad]:
            triples = ontology_triples(kg)
            return as_dataset(
                triples,
                (ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in triples),
            )

        return _rdf("/ns", media, lambda: ontology_triples(kg), dataset)
    context = {"ontology": ontology_terms(kg), "here": "/ns", "formats": PAGE_FORMATS}
    return page(request, "ontology.html", context, headers=_alternates("/ns"))
