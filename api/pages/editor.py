"""The SPARQL editor page: a form that runs a query through the query workers (same limits
as /sparql) and shows the result as a table, with links to download it from /sparql.

A bad query is shown right under the form: where the parser stopped (line, column, and the
line with a caret under the spot) and a plain hint for the common mistakes: a misspelled
keyword, an undeclared prefix, an unclosed brace or parenthesis. The examples that need
imported catalogues (``imports-*.rq``) are listed apart, with the ``kg import`` commands,
while the served graph has none.

This router also answers ``/favicon.ico``, which browsers ask for whatever the page links.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from api.deps import State, get_state
from api.pages.diagnosis import diagnose
from api.pages.render import HERE, PageRoute, page
from api.runner import read_body, run_query
from api.state import AppState
from kg.errors import KGError, QueryError
from kg.sparql.dataset import Dataset
from kg.sparql.protocol import Answer
from kg.sparql.queries import Example, named_queries

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
FAVICON = HERE / "static" / "favicon.svg"
ROWS = 16
"""Rows of the query box; beside an error, the query's own lines, between 4 and ERROR_ROWS, so
that the error under it is in view on a laptop's screen (1280x800) without scrolling."""
ERROR_ROWS = 6

GITHUB = "https://github.com/"
CATALOGUES = (
    (
        "osai",
        "European Open Source AI Index",
        f"{GITHUB}Language-Technology-Assessment/main-database",
    ),
    ("mot", "Model Openness Tool", f"{GITHUB}lfai/model_openness_tool"),
    ("os-ai-map", "AI Stack Map", f"{GITHUB}currentai-org/os-ai-map"),
    ("hf", "Hugging Face Hub model metadata", "https://huggingface.co/api/models"),
)
"""What ``kg import`` imports (kg.importers.run.CATALOGUES, which is slow to import): name,
title, where the snapshot it reads comes from."""


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


def _imported(state: AppState) -> frozenset[str] | None:
    """The catalogues the served graph holds, once warm-up has read them; None until then."""
    warm = state.warm
    return warm.result().catalogues if warm.done() and warm.exception() is None else None


def catalogue_list(
    examples: list[Example], imported: frozenset[str] | set[str] | None
) -> dict[str, Any]:
    """The examples, with those that need imports apart (``apart``) when the graph has none
    (``imported`` empty), and the ``kg import`` commands of the catalogues it lacks."""
    needing = [e for e in examples if e.needs_imports]
    apart = imported is not None and not imported and bool(needing)
    return {
        "listed": [e for e in examples if not (apart and e.needs_imports)],
        "apart": needing if apart else [],
        "imported": sorted(imported or ()),
        "missing": [c for c in CATALOGUES if imported is None or c[0] not in imported],
        "known": imported is not None,
    }


async def _editor(request: Request, sparql: str | None, example: str = "") -> Response:
    state = get_state(request)
    endpoint = str(request.base_url) + "sparql"
    examples = named_queries(state.settings.ontology_dir / "queries")
    chosen = next((e for e in examples if e.name == example), None)
    context: dict[str, Any] = {
        "examples": catalogue_list(examples, _imported(state)),
        "query": sparql if sparql is not None else (chosen.query if chosen else START),
        "example": example,
        "result": None,
        "error": None,
        "rows": ROWS,
    }
    status = 200
    if sparql is not None:
        try:
            if not sparql.strip():
                raise QueryError("the query is empty")
            answer = await run_query(request, state, sparql, Dataset(), ACCEPT, (), endpoint)
        except KGError as exc:
            context["error"] = diagnose(sparql, exc)
            context["rows"] = min(max(len(sparql.splitlines()) + 1, 4), ERROR_ROWS)
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


@router.get("/favicon.ico")
def favicon() -> Response:
    """The site's icon (an SVG, which browsers take whatever the name says) for the browsers
    that ask for /favicon.ico before, or instead of, reading the pages' icon link."""
    return FileResponse(
        FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"}
    )
