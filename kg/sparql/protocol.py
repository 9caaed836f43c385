"""The SPARQL 1.1 Protocol, independent of any web framework: dataset, negotiation, answers.

The web layer parses the HTTP request; this module decides what to run and how to serialize
it, so that the same code answers over HTTP, from the CLI and in worker processes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, TypeVar, cast

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
    ``"truncated": true``). The engine serializes SELECT results itself, into a buffer that
    stops at ``max_bytes``, and stops at ``max_rows + 1`` solutions (a ``LIMIT`` appended to a
    query without one of its own); only an answer that is cut is read again, one solution at
    a time, and serialized here. So a cut answer is never held whole.

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
        options = dataset.query_options(sparql)
        # Only our engine gets the LIMIT: a service has caps of its own (Virtuoso refuses an
        # ORDER BY with a LIMIT past its ResultSetMaxRows, 10,000 by default).
        capped, limit = sparql, NO_LIMIT
        if max_rows is not None and isinstance(store, ox.Store):
            capped, limit = _capped(sparql, max_rows)
        try:
            result = store.query(capped, base_iri=base_iri, **options)  # type: ignore[arg-type]
        except SyntaxError:
            if capped == sparql:
                raise
            capped, limit = sparql, NO_LIMIT  # the original's own error, if it has one
            result = store.query(sparql, base_iri=base_iri, **options)  # type: ignore[arg-type]
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
            fmt = SOLUTION_TYPES[media]
            whole = _engine_body(result, fmt, max_bytes)
            if whole is not None and (limit <= max_rows or count_rows(whole, fmt) <= max_rows):
                body = whole
            else:  # cut: read again, row by row, and serialize what fits
                result = store.query(capped, base_iri=base_iri, **options)  # type: ignore[arg-type]
                names = [v.value for v in result.variables]  # type: ignore[union-attr]
                rows, cut = _take(
                    ([s[n] for n in names] for s in result),  # type: ignore[union-attr]
                    max_rows,
                    max_bytes,
                    _row_bytes,
                )

                def solutions(rows: list[list[object]], truncated: bool) -> bytes:
                    return serialize_solutions(names, rows, fmt, truncated=truncated)

                body, cut = _fit(rows, solutions, max_bytes, cut)
    except (SyntaxError, OSError, RuntimeError, ValueError) as exc:
        raise query_error(exc) from None
    headers = {"X-SPARQL-Truncated": f"true; {cut}"} if cut else {}
    return Answer(body, _with_charset(media), headers)


class _FullError(Exception):
    """The engine wrote more than the byte cap."""


class _Bounded:
    """A binary writer that keeps what is written, up to ``limit`` bytes: past it, it raises
    :class:`_FullError`, which stops the engine's serialization (and evaluation) there."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            raise _FullError
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _engine_body(
    result: ox.QuerySolutions, fmt: ox.QueryResultsFormat, max_bytes: int | None
) -> bytes | None:
    """``result`` serialized by the engine, or None if it is longer than ``max_bytes``."""
    out = _Bounded(max_bytes)
    try:
        result.serialize(cast(IO[bytes], out), format=fmt)
    except _FullError:
        return None
    return b"".join(out.parts)


_TOP_LEVEL = re.compile(
    r"[{}]|(?<![?$:\w])(LIMIT|OFFSET|VALUES)\b(?!:)(?:\s*(\d+))?", re.IGNORECASE
)
_FORM = re.compile(r"(?<![?$:\w])(SELECT|ASK|CONSTRUCT|DESCRIBE)\b(?!:)", re.IGNORECASE)
NO_LIMIT = 1 << 62


def _capped(sparql: str, max_rows: int) -> tuple[str, int]:
    """``sparql`` with ``LIMIT max_rows + 1`` appended if it is a SELECT query with no LIMIT,
    OFFSET or VALUES clause of its own (outside braces), and the most rows the answer may
    have (a LIMIT of its own, or none known: ``NO_LIMIT``).

    Examples
    --------
    >>> _capped("SELECT * { ?s ?p ?o } # the end", 10)
    ('SELECT * { ?s ?p ?o } # the end\\nLIMIT 11', 11)
    >>> _capped("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 99 } } limit 5", 10)[1]
    5
    >>> _capped("SELECT * { ?s ?p ?o } VALUES ?s { <x> }", 10)[1] == NO_LIMIT
    True
    """
    code = keywords(sparql)
    form = _FORM.search(code)
    if form is None or form.group(1).upper() != "SELECT":
        return sparql, NO_LIMIT
    depth = 0
    own = False
    limit = NO_LIMIT
    for match in _TOP_LEVEL.finditer(code, form.end()):
        found = match.group(0)
        if found == "{":
            depth += 1
        elif found == "}":
            depth -= 1
        elif depth == 0:
            own = True
            if match.group(1).upper() == "LIMIT" and match.group(2):
                limit = min(limit, int(match.group(2)))
    if own:
        return sparql, limit
    return f"{sparql}\nLIMIT {max_rows + 1}", max_rows + 1


_ROW_STARTS = (b'[{"', b',{"')
_NOT_ROW_STARTS = (b'[{",', b'[{"}', b',{",', b',{"}')
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_CSV_FIELD = re.compile(rb'"[^"]*(?:""[^"]*)*"')


def count_rows(body: bytes, fmt: ox.QueryResultsFormat) -> int:
    """How many solutions the engine's serialization ``body`` of SELECT results holds.

    Exact for every format: TSV escapes line breaks in terms, XML escapes ``<``, CSV quotes
    fields with line breaks, and in JSON a row begins with ``{"`` after ``[`` or ``,``,
    which inside a string can only be followed by ``,`` or ``}`` (the string then ends).

    Examples
    --------
    >>> store = ox.Store()
    >>> query = 'SELECT ?x ?y { VALUES ?x { "a,{" "[{" UNDEF } }'
    >>> [count_rows(store.query(query).serialize(format=f), f)
    ...  for f in (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML,
    ...            ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV)]
    [3, 3, 3, 3]
    """
    if fmt == ox.QueryResultsFormat.TSV:
        return body.count(b"\n") - 1
    if fmt == ox.QueryResultsFormat.CSV:
        if b'"' in body:
            body = _CSV_FIELD.sub(b"", body)
        return body.count(b"\n") - 1
    if fmt == ox.QueryResultsFormat.XML:
        return body.count(b"<result>") + body.count(b"<result/>")
    if b"{}" in body:  # rows that bind nothing: count on the structure alone
        bare = _JSON_STRING.sub(b"", body)
        return bare.count(b"[{") + bare.count(b",{")
    return sum(body.count(s) for s in _ROW_STARTS) - sum(body.count(s) for s in _NOT_ROW_STARTS)


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
