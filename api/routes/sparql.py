"""/sparql: the SPARQL 1.1 Protocol (query operation, read-only), and example queries."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from api.deps import KG
from kg.errors import NotFoundError, QueryError
from kg.sparql.protocol import (
    Answer,
    Dataset,
    ForbiddenOperationError,
    PayloadTooLargeError,
    UnsupportedMediaTypeError,
    describe_service,
    refuse_outbound,
)
from kg.sparql.workers import Job

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"

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


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise QueryError(f"give one {name} parameter, not {len(values)}")
    return values[0] if values else None


async def _run(
    request: Request, kg: KG, params: dict[str, list[str]], sparql: str | None
) -> Response:
    if params.get("update"):
        raise ForbiddenOperationError(READ_ONLY)
    dataset = Dataset(
        tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", []))
    )
    accept = request.headers.get("accept")
    fmt = _one(params.get("format", []), "format")
    endpoint = str(request.url.replace(query=""))
    if sparql is None:
        warm = request.app.state.warm
        answer = describe_service(endpoint, warm.quads if warm else None, accept=accept)
    else:
        answer = await run_query(request, sparql, dataset, accept, fmt, endpoint)
    headers = {"Vary": "Accept", **answer.headers}
    return Response(answer.body, media_type=answer.media_type, headers=headers)


async def run_query(
    request: Request,
    sparql: str,
    dataset: Dataset,
    accept: str | None,
    fmt: str | None,
    endpoint: str,
) -> Answer:
    """Run ``sparql`` in a query worker, within the app's limits; ``endpoint`` is the base IRI."""
    settings = request.app.state.settings
    if len(sparql) > settings.max_query_chars:
        raise PayloadTooLargeError(
            f"the query has {len(sparql)} characters; the limit is {settings.max_query_chars}"
        )
    refuse_outbound(sparql)  # before any worker sees it
    job = Job(sparql, dataset, accept, fmt, endpoint, settings.max_rows)
    answer: Answer = await request.app.state.pool.run(job)
    return answer


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
    kg: KG,
    query: Annotated[
        list[str] | None,
        Query(
            description="The SPARQL query",
            examples=["SELECT ?label WHERE { ?m a llmkg:Model ; rdfs:label ?label } LIMIT 5"],
        ),
    ] = None,
    default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None,
    format: Annotated[str | None, Query(description="Result format, overriding Accept")] = None,
) -> Response:
    """SPARQL 1.1 Protocol query via GET."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    return await _run(request, kg, params, _one(params.get("query", []), "query"))


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
async def sparql_post(request: Request, kg: KG) -> Response:
    """SPARQL 1.1 Protocol query via POST, URL-encoded or direct."""
    media, _, parameters = (request.headers.get("content-type") or "").partition(";")
    media = media.strip().lower()
    charset = (
        parse_qs(parameters.replace(";", "&").replace(" ", "")).get("charset", ["utf-8"])[0].lower()
    )
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaTypeError(f"the body must be UTF-8, not {charset}")
    body = await read_body(request)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsupportedMediaTypeError("the body is not valid UTF-8") from None
    params = parse_qs(request.url.query, keep_blank_values=True)
    if media == FORM:
        for name, values in parse_qs(text, keep_blank_values=True).items():
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
    return await _run(request, kg, params, sparql)


async def read_body(request: Request) -> bytes:
    """The request body, refused with 413 past ``max_body_bytes`` without reading it all."""
    limit = request.app.state.settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLargeError(f"the body has {declared} bytes; the limit is {limit}")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise PayloadTooLargeError(f"the body is longer than the limit of {limit} bytes")
    return bytes(body)


class Example(BaseModel):
    """A named query from ontology/queries/."""

    name: str
    title: str
    query: str
    run: str


def named_queries(queries: Path) -> list[Example]:
    examples = []
    for path in sorted(queries.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        title = (
            text.splitlines()[0].removeprefix("#").strip() if text.startswith("#") else path.stem
        )
        examples.append(
            Example(name=path.stem, title=title, query=text, run=f"/sparql?query={quote(text)}")
        )
    return examples


@router.get("/sparql/examples", summary="Example queries")
def examples(request: Request) -> list[Example]:
    """The named queries of ontology/queries/: the competency questions and more, each with a link that runs it."""
    return named_queries(request.app.state.settings.ontology_dir / "queries")


@router.get(
    "/sparql/examples/{name}",
    summary="One example query",
    responses={200: {"content": {QUERY: {}}}},
)
def example(request: Request, name: str) -> Response:
    """The text of one example query, as application/sparql-query."""
    known = named_queries(request.app.state.settings.ontology_dir / "queries")
    for item in known:
        if item.name == name:
            return Response(item.query, media_type=f"{QUERY}; charset=utf-8")
    raise NotFoundError(f"no example query {name!r}; examples: {', '.join(e.name for e in known)}")
