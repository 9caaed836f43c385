"""The SPARQL 1.1 Protocol, independent of any web framework: dataset, negotiation, answers.

The web layer parses the HTTP request; this module decides what to run and how to serialize
it, so that the same code answers over HTTP, from the CLI and in worker processes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import pyoxigraph as ox

from kg.errors import ForbiddenOperationError, NotAcceptableError, QueryError, query_error
from kg.schema.vocabulary import PREFIXES
from kg.sparql.dataset import Dataset, keywords
from kg.sparql.results import serialize_solutions
from kg.store.remote import RemoteStore

T = TypeVar("T")

SOLUTION_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
}
"""SELECT and ASK results: media type -> format; the first is the default."""

GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/n3": ox.RdfFormat.TURTLE,  # Turtle is N3
    "application/turtle": ox.RdfFormat.TURTLE,
    "application/x-json+ld": ox.RdfFormat.JSON_LD,
}
"""CONSTRUCT and DESCRIBE results: media type -> format; the first is the default."""

SOLUTION_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
"""Short names of the ``format`` parameter for SELECT and ASK results."""
GRAPH_NAMES = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/n3",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "jsonld": "application/ld+json",
    "json": "application/ld+json",
    "xml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
}
"""Short names of the ``format`` parameter for CONSTRUCT and DESCRIBE results: ``xml`` is
RDF/XML there, as SPARQLWrapper means it."""
ALIASES = {"application/turtle": "text/turtle", "application/x-json+ld": "application/ld+json"}
"""Media types accepted for another, which the answer is labelled with."""
FORMAT_PARAMETERS = ("format", "output", "results")
"""The names clients give the result-format parameter (SPARQLWrapper sends all three)."""


@dataclass(frozen=True)
class Answer:
    """A serialized result, ready to send."""

    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


def parse_accept(accept: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (stable for equal quality).

    Examples
    --------
    >>> parse_accept("text/csv;q=0.5, application/sparql-results+json")
    [('application/sparql-results+json', 1.0), ('text/csv', 0.5)]
    """
    ranges = []
    for index, part in enumerate((accept or "*/*").split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((index, media.lower(), quality))
    ranges.sort(key=lambda r: (-r[2], r[0]))
    return [(media, quality) for _, media, quality in ranges if quality > 0]


def negotiate(accept: str | None, offered: Sequence[str]) -> str:
    """The first of ``offered`` (ordered by preference) that ``accept`` allows best.

    Raises
    ------
    NotAcceptableError
        Naming what can be offered.

    Examples
    --------
    >>> negotiate("text/*", ["text/turtle", "application/n-triples"])
    'text/turtle'
    >>> negotiate(None, ["application/sparql-results+json", "text/csv"])
    'application/sparql-results+json'
    """
    for media, _ in parse_accept(accept):
        if media in ("*/*", "*"):
            return offered[0]
        if media.endswith("/*"):
            match = next((o for o in offered if o.startswith(media[:-1])), None)
            if match:
                return match
        elif media in offered:
            return media
    raise NotAcceptableError(f"cannot answer in {accept!r}; available: {', '.join(offered)}")


def choose(
    accept: str | None,
    formats: Sequence[str],
    offered: Sequence[str],
    names: Mapping[str, str],
) -> str:
    """Negotiate, unless ``formats`` (parameters) name a media type or a short name (``names``).

    Several format values must agree once resolved (SPARQLWrapper sends ``format=tsv`` and
    ``format=text/tab-separated-values``); empty values are ignored, and a value may be a
    comma-separated list of media types, as SPARQLWrapper's JSON-LD is.

    Raises
    ------
    NotAcceptableError
        A format that is not offered, naming what is.
    QueryError
        Format parameters that name different formats.

    Examples
    --------
    >>> choose(None, ["tsv", "text/tab-separated-values"], list(SOLUTION_TYPES), SOLUTION_NAMES)
    'text/tab-separated-values'
    >>> choose("text/csv", ["xml"], list(GRAPH_TYPES), GRAPH_NAMES)
    'application/rdf+xml'
    """
    wanted = {v.strip().lower() for value in formats for v in value.split(",")} - {"", "*/*"}
    if not wanted:
        media = negotiate(accept, offered)
        return ALIASES.get(media, media)
    resolved = {value: names.get(value, value) for value in wanted}
    missing = sorted(value for value, media in resolved.items() if media not in offered)
    if missing:
        raise NotAcceptableError(
            f"format {', '.join(missing)} is not available for this result; "
            f"available: {', '.join([*names, *offered])}"
        )
    chosen = {ALIASES.get(media, media) for media in resolved.values()}
    if len(chosen) > 1:
        raise QueryError(f"the format parameters disagree: {', '.join(sorted(wanted))}")
    return chosen.pop()


_SERVICE = re.compile(r"(?<![?$:\w])SERVICE\b", re.IGNORECASE)
_UPDATE = re.compile(
    r"^\s*(?:(?:BASE|PREFIX\s+[\w.-]*:)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"


def refuse_forbidden(sparql: str) -> None:
    """Refuse, before evaluation, what a read-only service that makes no outbound requests
    never runs: SERVICE anywhere in a query, and an update (LOAD, INSERT, DROP...) sent as one.

    Codepoint escapes are decoded first, as a SPARQL parser does, then strings, IRIs and
    comments are stripped, so ``<http://x/service>``, ``"SERVICE"`` and ``?service`` are fine.

    Examples
    --------
    >>> refuse_forbidden('SELECT ?service { ?s ?p "SERVICE" } # SERVICE')
    >>> refuse_forbidden("SELECT * { \\u0053ERVICE <http://x> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    kg.errors.ForbiddenOperationError: SERVICE is not allowed: this endpoint makes no outbound requests
    >>> refuse_forbidden("PREFIX ex: <http://x/> load <http://x/data>")
    Traceback (most recent call last):
    ...
    kg.errors.ForbiddenOperationError: this endpoint is read-only: SPARQL Update is not accepted (LOAD)
    """
    code = keywords(sparql)
    update = _UPDATE.match(code)
    if update:
        raise ForbiddenOperationError(f"{READ_ONLY} ({update.group(1).upper()})")
    if _SERVICE.search(code):
        raise ForbiddenOperationError(
            "SERVICE is not allowed: this endpoint makes no outbound requests"
        )


def execute(
    store: ox.Store | RemoteStore,
    sparql: str,
    dataset: Dataset = Dataset(),
    *,
    accept: str | None = None,
    formats: Sequence[str] = (),
    base_iri: str | None = None,
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> Answer:
    """Run a read-only SPARQL query and serialize the result as negotiated.

    Relative IRIs in the query resolve against ``base_iri`` (the service's own URL over HTTP).
    With ``max_rows``, at most that many solutions (or triples) are returned, and with
    ``max_bytes`` (which needs ``max_rows``) a body of at most about that many bytes; a cut
    answer says so in its ``X-SPARQL-Truncated`` header (and, in SPARQL JSON,
    ``"truncated": true``). Solutions are read one at a time, so a cut answer is never held
    whole.

    Raises
    ------
    QueryError
        A syntax or evaluation error (HTTP 400).
    NotAcceptableError
        No acceptable format for this kind of result (HTTP 406).
    ForbiddenOperationError
        SERVICE or LOAD in the query (HTTP 403).
    """
    refuse_forbidden(sparql)
    try:
        result = store.query(sparql, base_iri=base_iri, **dataset.query_options(sparql))  # type: ignore[arg-type]
        cut = None
        if isinstance(result, ox.QueryTriples):
            media = choose(accept, formats, list(GRAPH_TYPES), GRAPH_NAMES)

            def graph(triples: list[ox.Triple], truncated: bool = False) -> bytes:
                return ox.serialize(triples, format=GRAPH_TYPES[media], prefixes=PREFIXES) or b""

            if max_rows is None:
                body = graph(list(result))
            else:
                triples, cut = _take(result, max_rows, max_bytes, _triple_bytes)
                body, cut = _fit(triples, graph, max_bytes, cut)
        elif isinstance(result, ox.QueryBoolean) or max_rows is None:
            media = choose(accept, formats, list(SOLUTION_TYPES), SOLUTION_NAMES)
            body = result.serialize(format=SOLUTION_TYPES[media]) or b""
        else:
            media = choose(accept, formats, list(SOLUTION_TYPES), SOLUTION_NAMES)
            names = [v.value for v in result.variables]
            rows, cut = _take(
                ([s[n] for n in names] for s in result), max_rows, max_bytes, _row_bytes
            )

            def solutions(rows: list[list[object]], truncated: bool) -> bytes:
                return serialize_solutions(names, rows, SOLUTION_TYPES[media], truncated=truncated)

            body, cut = _fit(rows, solutions, max_bytes, cut)
    except (SyntaxError, OSError, RuntimeError, ValueError) as exc:
        raise query_error(exc) from None
    headers = {"X-SPARQL-Truncated": f"true; {cut}"} if cut else {}
    return Answer(body, _with_charset(media), headers)


def _row_bytes(row: list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None]) -> int:
    return sum(len(str(term)) for term in row if term is not None) + 8 * len(row)


def _triple_bytes(triple: ox.Triple) -> int:
    return len(str(triple))


def _take(
    items: Iterable[T], max_rows: int, max_bytes: int | None, size: Callable[[T], int]
) -> tuple[list[T], str | None]:
    """The first ``max_rows`` of ``items`` while their ``size`` adds up to ``max_bytes``, and
    which cap cut them (``max-rows=N``, ``max-bytes=N``), if one did."""
    taken: list[T] = []
    total = 0
    for item in items:
        if len(taken) == max_rows:
            return taken, f"max-rows={max_rows}"
        if max_bytes is not None:
            total += size(item)
            if total > max_bytes:
                return taken, f"max-bytes={max_bytes}"
        taken.append(item)
    return taken, None


def _fit(
    items: list[T],
    serialize: Callable[[list[T], bool], bytes],
    max_bytes: int | None,
    cut: str | None,
) -> tuple[bytes, str | None]:
    """``items`` serialized (and said to be cut if ``cut``), with rows left out from the end
    while the body, escaped and so maybe longer than its terms, is over ``max_bytes``."""
    body = serialize(items, cut is not None)
    while max_bytes is not None and len(body) > max_bytes and items:
        items = items[: len(items) * max_bytes // len(body) * 9 // 10]
        cut = f"max-bytes={max_bytes}"
        body = serialize(items, True)
    return body, cut


def _with_charset(media: str) -> str:
    textual = media.startswith("text/") or media.endswith(("+json", "+xml", "/json", "/xml"))
    return f"{media}; charset=utf-8" if textual or media == "application/n-triples" else media


SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
OWL = "http://www.w3.org/2002/07/owl#"
SERVICE_FORMATS = (
    "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
    "Turtle", "N-Triples", "JSON-LD", "RDF_XML",
)  # fmt: skip


def service_description(
    endpoint: str, quads: int | None = None, version: str | None = None
) -> list[ox.Triple]:
    """A SPARQL 1.1 Service Description of the endpoint at ``endpoint`` (no blank nodes).

    ``quads``, when known, is the size of the default graph (void:triples); ``version`` is the
    release the served graph is (``owl:versionInfo`` of the dataset), if it is one.
    """
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    service, dataset, default = (
        ox.NamedNode(endpoint + s) for s in ("", "#dataset", "#default-graph")
    )

    def sd(term: str) -> ox.NamedNode:
        return ox.NamedNode(SD + term)

    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, rdf_type, sd("Graph")),
    ]
    if quads is not None:
        triples.append(
            ox.Triple(default, ox.NamedNode("http://rdfs.org/ns/void#triples"), ox.Literal(quads))
        )
    if version is not None:
        triples.append(ox.Triple(dataset, ox.NamedNode(OWL + "versionInfo"), ox.Literal(version)))
    triples += [
        ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + f)) for f in SERVICE_FORMATS
    ]
    return triples


def describe_service(
    endpoint: str,
    quads: int | None = None,
    *,
    version: str | None = None,
    accept: str | None = None,
) -> Answer:
    """The service description, serialized as negotiated (Turtle by default)."""
    media = negotiate(accept, list(GRAPH_TYPES))
    triples = service_description(endpoint, quads, version)
    body = ox.serialize(triples, format=GRAPH_TYPES[media], prefixes={"sd": SD}) or b""
    return Answer(body, _with_charset(media))
