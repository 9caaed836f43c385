"""The SPARQL editor page: a form that runs a query through the query workers (same limits
as /sparql) and shows the result as a table, with links to download it from /sparql."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response

from api.deps import State, get_state
from api.pages.render import PageRoute, page
from api.runner import read_body, run_query
from kg.errors import KGError, QueryError
from kg.sparql.dataset import Dataset
from kg.sparql.protocol import Answer
from kg.sparql.queries import named_queries

router = APIRouter(route_class=PageRoute, include_in_schema=False)

SHOWN = 1000
"""Most rows the page shows; the downloads have them all (up to max_rows)."""
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
"""SELECT and ASK as SPARQL JSON, CONSTRUCT and DESCRIBE as N-Triples."""
START = """PREFIX llmkg: <https://w3id.org/llmkg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

# Every project with its governance model
SELECT ?project ?label ?governanceModel WHERE {
  ?project a llmkg:Project ; rdfs:label ?label .
  OPTIONAL { ?project llmkg:governanceModel/skos:prefLabel ?governanceModel }
}
ORDER BY ?label
"""


def _table(answer: Answer) -> dict[str, Any]:
    """Columns and rows of a SPARQL JSON or N-Triples answer; cells are SPARQL JSON terms."""
    if answer.media_type.startswith("application/n-triples"):
        rows = [
            [_term(t.subject), _term(t.predicate), _term(t.object)]
            for t in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)
        ]
        return {"kind": "graph", "columns": ["subject", "predicate", "object"], "rows": rows}
    body = json.loads(answer.body)
    if "boolean" in body:
        return {"kind": "boolean", "boolean": body["boolean"], "columns": [], "rows": []}
    columns = body["head"]["vars"]
    rows = [[b.get(c) for c in columns] for b in body["results"]["bindings"]]
    return {"kind": "solutions", "columns": columns, "rows": rows}


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.Literal):
        return {"type": "literal", "value": term.value}
    return {"type": "bnode", "value": str(term)}


def _downloads(sparql: str, kind: str) -> list[tuple[str, str]]:
    formats = (
        [("Turtle", "turtle"), ("N-Triples", "ntriples"), ("JSON-LD", "jsonld")]
        if kind == "graph"
        else [("CSV", "csv"), ("JSON", "json"), ("TSV", "tsv")]
    )
    return [(name, "/sparql?" + urlencode({"query": sparql, "format": f})) for name, f in formats]


async def _editor(request: Request, sparql: str | None, example: str = "") -> Response:
    state = get_state(request)
    examples = named_queries(state.settings.ontology_dir / "queries")
    chosen = next((e for e in examples if e.name == example), None)
    context: dict[str, Any] = {
        "examples": examples,
        "query": sparql if sparql is not None else (chosen.query if chosen else START),
        "example": example,
        "result": None,
        "error": None,
    }
    status = 200
    if sparql is not None:
        endpoint = str(request.base_url) + "sparql"
        try:
            if not sparql.strip():
                raise QueryError("the query is empty")
            answer = await run_query(state, sparql, Dataset(), ACCEPT, (), endpoint)
        except KGError as exc:
            context["error"] = (exc.title, str(exc))
            status = exc.status
        else:
            table = _table(answer)
            context["result"] = table | {
                "total": len(table["rows"]),
                "rows": table["rows"][:SHOWN],
                "truncated": "X-SPARQL-Truncated" in answer.headers,
                "downloads": _downloads(sparql, table["kind"]),
            }
    return page(request, "editor.html", context, status=status)


@router.get("/query")
async def editor(request: Request, example: str = "", query: str | None = None) -> Response:
    """The editor, with an example query (``?example=NAME``), or running ``?query=``."""
    return await _editor(request, query, example)


@router.post("/query")
async def editor_run(request: Request, state: State) -> Response:
    """Run the query of the editor's form (``application/x-www-form-urlencoded``)."""
    body = await read_body(request, state.settings.max_body_bytes)
    form = parse_qs(body.decode("utf-8", "replace"))
    return await _editor(request, form.get("query", [""])[0], form.get("example", [""])[0])
