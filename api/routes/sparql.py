"""/sparql: the SPARQL 1.1 Protocol (query operation, read-only), and example queries."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse

from api.deps import State
from api.runner import read_body, stream_query
from api.state import AppState
from kg.errors import (
    ForbiddenOperationError,
    NotAcceptableError,
    NotFoundError,
    QueryError,
    UnsupportedMediaTypeError,
)
from kg.release.listing import serving_release
from kg.sparql.dataset import Dataset
from kg.sparql.protocol import (
    FORMAT_PARAMETERS,
    GRAPH_TYPES,
    READ_ONLY,
    SOLUTION_TYPES,
    Answer,
    describe_service,
    negotiate,
)
from kg.sparql.queries import Example, named_queries
from kg.sparql.workers import StreamedAnswer

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"

RESULT_TYPES: dict[str, dict[str, object]] = {
    "application/sparql-results+json": {},
    "application/sparql-results+xml": {},
    "text/csv": {},
    "text/tab-separated-values": {},
    "text/turtle": {},
    "application/n-triples": {},
    "application/ld+json": {},
    "application/rdf+xml": {},
}
DESCRIPTION = (
    "Runs a read-only SPARQL 1.1 query over the union of all graphs (the protocol's "
    "`default-graph-uri` and `named-graph-uri` replace it). SELECT and ASK answer in SPARQL "
    "JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE in Turtle (default), N-Triples, "
    "JSON-LD or RDF/XML, chosen by Accept or by `format` (json, xml, csv, tsv, turtle, "
    "ntriples, jsonld, rdfxml). Without a query, GET answers the SPARQL 1.1 Service Description."
)


def wants_page(accept: str | None) -> bool:
    """Whether a client prefers HTML to every result format: a browser, not a SPARQL client.

    >>> wants_page("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    True
    >>> wants_page("*/*"), wants_page("application/sparql-results+xml"), wants_page(None)
    (False, False, False)
    """
    try:
        return negotiate(accept, [*SOLUTION_TYPES, *GRAPH_TYPES, "text/html"]) == "text/html"
    except NotAcceptableError:
        return False


def _query_string(request: Request) -> dict[str, list[str]]:
    """The URL's parameters, refused with 400 unless they are UTF-8 once percent-decoded."""
    try:
        raw = request.scope["query_string"].decode("ascii")
        return parse_qs(raw, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise QueryError("the URL's parameters are not valid UTF-8 once percent-decoded") from None


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise QueryError(f"give one {name} parameter, not {len(values)}")
    return values[0] if values else None


async def _run(
    request: Request, state: AppState, params: dict[str, list[str]], sparql: str | None
) -> Response:
    if params.get("update"):
        raise ForbiddenOperationError(READ_ONLY)
    dataset = Dataset(
        tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", []))
    )
    accept = request.headers.get("accept")
    formats = tuple(v for name in FORMAT_PARAMETERS for v in params.get(name, []))
    endpoint = str(request.url.replace(query=""))
    answer: Answer | StreamedAnswer
    if sparql is None:
        quads = state.warm.result().quads if state.warm.done() else None
        version = serving_release(state.settings, quads) if quads is not None else None
        answer = describe_service(endpoint, quads, version=version, accept=accept)
    else:
        answer = await stream_query(request, state, sparql, dataset, accept, formats, endpoint)
    headers = {"Vary": "Accept", **answer.headers}
    if isinstance(answer, StreamedAnswer):  # long: sent as it comes from the worker
        headers["Content-Length"] = str(answer.size)
        return StreamingResponse(answer.chunks, media_type=answer.media_type, headers=headers)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


@router.get(
    "/sparql",
    summary="SPARQL query (GET)",
    description=DESCRIPTION,
    responses={
        200: {"content": RESULT_TYPES, "description": "Query results or the service description"}
    },
)
async def sparql_get(
    request: Request,
    state: State,
    query: Annotated[
        list[str] | None,
        Query(
            description="The SPARQL query",
            examples=["SELECT ?label WHERE { ?m a llmkg:Model ; rdfs:label ?label } LIMIT 5"],
        ),
    ] = None,
    default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None,
    format: Annotated[
        list[str] | None, Query(description="Result format, overriding Accept")
    ] = None,
) -> Response:
    """SPARQL 1.1 Protocol query via GET; a browser is sent to the query editor."""
    params = _query_string(request)
    sparql = _one(params.get("query", []), "query")
    formats = any(params.get(name) for name in FORMAT_PARAMETERS)
    if not formats and wants_page(request.headers.get("accept")):
        where = "/query" + (f"?{urlencode({'query': sparql})}" if sparql is not None else "")
        return RedirectResponse(where, status_code=303, headers={"Vary": "Accept"})
    return await _run(request, state, params, sparql)


@router.post(
    "/sparql",
    summary="SPARQL query (POST)",
    description=DESCRIPTION + " POST the query as `application/sparql-query` or as the `query` "
    "field of an `application/x-www-form-urlencoded` body, in UTF-8.",
    responses={200: {"content": RESULT_TYPES, "description": "Query results"}},
    openapi_extra={
        "requestBody": {
            "content": {
                QUERY: {
                    "schema": {"type": "string"},
                    "example": "ASK { ?m a <https://w3id.org/llmkg/ns#Model> }",
                },
                FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
            }
        }
    },
)
async def sparql_post(request: Request, state: State) -> Response:
    """SPARQL 1.1 Protocol query via POST, URL-encoded or direct."""
    media, _, parameters = (request.headers.get("content-type") or "").partition(";")
    media = media.strip().lower()
    charset = (
        parse_qs(parameters.replace(";", "&").replace(" ", "")).get("charset", ["utf-8"])[0].lower()
    )
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaTypeError(f"the body must be UTF-8, not {charset}")
    body = await read_body(request, state.settings.max_body_bytes)
    try:
        text = body.decode("utf-8")
        form = parse_qs(text, keep_blank_values=True, errors="strict") if media == FORM else {}
    except UnicodeDecodeError:
        raise QueryError("the body is not valid UTF-8") from None
    params = _query_string(request)
    if media == FORM:
        for name, values in form.items():
            params.setdefault(name, []).extend(values)
        sparql = _one(params.get("query", []), "query")
        if sparql is None and not params.get("update"):
            raise QueryError("the form has no query field")
    elif media == QUERY:
        sparql = text
    elif media == UPDATE:
        raise ForbiddenOperationError(READ_ONLY)
    else:
        shown = media or "no content type"
        raise UnsupportedMediaTypeError(f"POST a query as {QUERY} or {FORM}, not {shown}")
    return await _run(request, state, params, sparql)


@router.get("/sparql/examples", summary="Example queries")
def examples(state: State) -> list[Example]:
    """The named queries of ontology/queries/: the competency questions and more, each with a link that runs it."""
    return named_queries(state.settings.ontology_dir / "queries")


@router.get(
    "/sparql/examples/{name}",
    summary="One example query",
    responses={200: {"content": {QUERY: {}}}},
)
def example(state: State, name: str) -> Response:
    """The text of one example query, as application/sparql-query."""
    known = named_queries(state.settings.ontology_dir / "queries")
    for item in known:
        if item.name == name:
            return Response(item.query, media_type=f"{QUERY}; charset=utf-8")
    raise NotFoundError(f"no example query {name!r}; examples: {', '.join(e.name for e in known)}")
