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

import bisect
import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from api.deps import State, get_state
from api.pages.render import HERE, PageRoute, page
from api.runner import read_body, run_query
from api.state import AppState
from kg.errors import KGError, QueryError
from kg.schema.vocabulary import ID, PREFIXES
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

CATALOGUES = (
    ("osai", "European Open Source AI Index", "Language-Technology-Assessment/main-database"),
    ("mot", "Model Openness Tool", "lfai/model_openness_tool"),
    ("os-ai-map", "AI Stack Map", "currentai-org/os-ai-map"),
)
"""What ``kg import`` imports (kg.importers.run.CATALOGUES, which is slow to import): name,
title, GitHub repository of the snapshot it reads."""
CATALOGUE = f"{ID}catalogue/"
IMPORTED = f"SELECT DISTINCT ?c WHERE {{ ?c a <{PREFIXES['llmkg']}Catalogue> }}"
"""The catalogues the served graph holds: ``kg import`` describes each in the provenance graph."""

WORDS = """
    BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED DISTINCT REDUCED AS GROUP BY
    HAVING ORDER ASC DESC LIMIT OFFSET VALUES UNDEF OPTIONAL GRAPH UNION MINUS FILTER BIND
    SERVICE SILENT EXISTS NOT IN SEPARATOR VERSION LOAD CLEAR DROP CREATE ADD MOVE COPY TO
    INTO INSERT DELETE DATA WITH USING DEFAULT ALL
    STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN
    UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY
    HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE
    IF STRLANG STRDT sameTerm isIRI isURI isBLANK isLITERAL isNUMERIC REGEX SUBSTR REPLACE
    COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT
    TRIPLE SUBJECT PREDICATE OBJECT isTRIPLE LANGDIR hasLANG hasLANGDIR STRLANGDIR
"""
KEYWORDS = WORDS.split()
"""The bare words of SPARQL 1.1 (keywords and built-in functions) and of what Oxigraph adds
from SPARQL 1.2; ``a``, ``true`` and ``false`` are the others."""
KNOWN = {k.upper(): k for k in KEYWORDS}
OTHER_WORDS = {"a", "true", "false"}
CLOSING = {"{": "}", "(": ")", "[": "]"}

TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:\\.|.)*?(?:'''|\Z) | \"\"\"(?:\\.|.)*?(?:\"\"\"|\Z)
                | '(?:\\.|[^'\\\n])*'? | "(?:\\.|[^"\\\n])*"? )
    | (?P<iri><[^<>"{}|^`\\\s]*>)
    | (?P<var>[?$]\w+)
    | (?P<blank>_:[\w.-]*)
    | (?P<lang>@[A-Za-z][A-Za-z0-9-]*)
    | (?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[\w:%-]|\\.|\.(?=[\w:%-]))*)
    | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
LOCATED = re.compile(r"^SPARQL syntax error: error at (\d+):(\d+): (.*)$", re.DOTALL)


@dataclass(frozen=True)
class Hint:
    """Plain advice on a bad query, with lines to copy (``code``) if any."""

    text: str
    code: str = ""


@dataclass(frozen=True)
class Problem:
    """A query the endpoint refused, as the editor shows it.

    ``line`` and ``column`` (1-based) are the spot the page points at: where the parser stopped,
    or the misspelled word, undeclared prefix or stray bracket that made it stop there.
    ``excerpt`` is that line of the query and a caret line under the column.
    """

    title: str
    message: str
    line: int | None = None
    column: int | None = None
    at_end: bool = False
    excerpt: tuple[str, str] | None = None
    parser: str = ""
    hints: list[Hint] = field(default_factory=list)
    prefixes: str = ""


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int


class _Text:
    """A query's text with offsets <-> (line, column), both 1-based, as Oxigraph counts them
    (characters, lines split at ``\\n``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def offset(self, line: int, column: int) -> int:
        line = min(max(line, 1), len(self.starts))
        return min(self.starts[line - 1] + max(column, 1) - 1, len(self.text))

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def line(self, number: int) -> str:
        start = self.starts[number - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)].rstrip("\r")


def _tokens(sparql: str) -> list[_Token]:
    return [
        _Token(m.lastgroup or "other", m.group(), m.start())
        for m in TOKEN.finditer(sparql)
        if m.lastgroup != "comment"
    ]


def suggest(word: str) -> str | None:
    """The SPARQL keyword ``word`` is most likely a misspelling of, if one is close.

    Examples
    --------
    >>> [suggest(w) for w in ("SELEC", "construt", "WHRE", "OPTINAL", "FILTRE", "PREFX")]
    ['SELECT', 'CONSTRUCT', 'WHERE', 'OPTIONAL', 'FILTER', 'PREFIX']
    >>> suggest("ORDERBY"), suggest("islitral"), suggest("banana")
    ('ORDER BY', 'isLITERAL', None)
    """
    upper = word.upper()
    for i in range(2, len(upper) - 1):
        if upper[:i] in KNOWN and upper[i:] in KNOWN:
            return f"{KNOWN[upper[:i]]} {KNOWN[upper[i:]]}"
    close = difflib.get_close_matches(upper, list(KNOWN), n=1, cutoff=0.75)
    return KNOWN[close[0]] if close else None


def parser_says(message: str) -> tuple[str, list[str]]:
    r"""Oxigraph's message in two parts: what it expected, without the character classes
    (``['A' ..= 'Z' | ...]``) that say little to a person (empty if nothing else is left), and
    the sentences among the expected items, which say what is wrong (``SELECT * is not
    authorized with GROUP BY``).

    Examples
    --------
    >>> parser_says("expected CONSTRUCT")
    ('expected CONSTRUCT', [])
    >>> parser_says('expected one of ",", ".", [_], [\'0\' ..= \'9\'], "}"')
    ('expected one of ",", ".", "}", …', [])
    >>> parser_says(r"expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | '\u{00...")
    ('', ['Prefix not found'])
    >>> parser_says('expected one of "(", IF, SELECT * is not authorized with GROUP BY, TZ')
    ('expected one of "(", IF, TZ', ['SELECT * is not authorized with GROUP BY'])
    >>> parser_says("expected [_]")
    ('', [])
    """
    match = re.match(r"expected (one of )?(.*)$", message, re.DOTALL)
    if not match:
        return message, []
    rest, items, sentences, dropped = match.group(2), [], [], False
    i = 0
    while i < len(rest):
        c = rest[i]
        if c in ", \n":
            i += 1
        elif c == '"':
            end = i + 1
            while end < len(rest) and rest[end] != '"':
                end += 2 if rest[end] == "\\" else 1
            items.append(rest[i : end + 1])
            i = end + 1
        elif c == "[":
            end, quoted = i + 1, False
            while end < len(rest) and (quoted or rest[end] != "]"):
                if rest[end] == "\\":
                    end += 1
                elif rest[end] == "'":
                    quoted = not quoted
                end += 1
            dropped = dropped or rest[i : end + 1] != "[_]"
            i = end + 1
        else:
            end = rest.find(",", i)
            end = len(rest) if end < 0 else end
            item = rest[i:end].strip()
            if item == "...":
                dropped = True
            elif " " in item:
                sentences.append(item)
            elif item:
                items.append(item)
            i = end
    if not items:
        return "", sentences
    listed = ", ".join(items) + (", …" if dropped else "")
    return f"expected {match.group(1) or ''}{listed}", sentences


def _brackets(tokens: list[_Token]) -> tuple[_Token, str, int | None] | None:
    """The first bracket out of balance, what is wrong with it, and where the parser must have
    stopped for it (the stray or early closing bracket), if that is known."""
    stack: list[_Token] = []
    for token in tokens:
        if token.kind == "open":
            stack.append(token)
        elif token.kind == "close":
            if not stack:
                return token, "closes nothing", token.start
            opened = stack.pop()
            if CLOSING[opened.text] != token.text:
                return opened, f"is not closed: a '{token.text}' comes first", token.start
    if stack:
        return stack[-1], f"is never closed: add a '{CLOSING[stack[-1].text]}'", None
    return None


def diagnose(sparql: str, exc: KGError) -> Problem:
    """How the editor shows ``exc``, the error ``sparql`` met.

    Examples
    --------
    >>> p = diagnose("SELEC * WHERE { ?s ?p ?o }", QueryError(
    ...     "SPARQL syntax error: error at 1:10: expected CONSTRUCT"))
    >>> p.line, p.column, p.excerpt, p.hints[0].text
    (1, 1, ('SELEC * WHERE { ?s ?p ?o }', '^'), 'SELEC is not a SPARQL keyword: did you mean SELECT?')
    """
    message = str(exc)
    located = LOCATED.match(message)
    if not isinstance(exc, QueryError) or not located:
        return Problem(exc.title, message)
    text, tokens = _Text(sparql), _tokens(sparql)
    stopped = text.offset(int(located.group(1)), int(located.group(2)))
    said = located.group(3)
    expected, sentences = parser_says(said)
    hints: list[Hint] = []
    spots: list[int] = []
    prefixes = ""

    for token in tokens:
        if token.kind == "word" and token.text.upper() not in KNOWN:
            if token.text in OTHER_WORDS or token.start > stopped:
                continue
            keyword = suggest(token.text)
            if keyword is not None:
                hints.append(Hint(f"{token.text} is not a SPARQL keyword: did you mean {keyword}?"))
                spots.append(token.start)
            break

    undeclared = _undeclared(tokens)
    if undeclared or "Prefix not found" in sentences:
        hints += _prefix_hints(undeclared)
        spots += [start for start in undeclared.values() if start <= stopped][:1]
        prefixes = _prefix_lines(list(PREFIXES))

    hints += [Hint(f"Oxigraph says: {s}.") for s in sentences if s != "Prefix not found"]

    wrong = _brackets(tokens)
    if wrong is not None:
        token, what, stop = wrong
        line, column = text.position(token.start)
        hints.append(Hint(f"The '{token.text}' at line {line}, column {column} {what}."))
        if stop is not None and stop <= stopped:
            spots.append(stop)

    spot = min(spots, default=stopped)
    end = len(sparql.rstrip())
    at_end = spot >= end
    if at_end:
        spot = end
    line, column = text.position(spot)
    shown = text.line(line)
    caret = "".join(c if c == "\t" else " " for c in shown[: column - 1]) + "^"
    return Problem(
        exc.title,
        message,
        line=line,
        column=column,
        at_end=at_end,
        excerpt=(shown, caret),
        parser=expected,
        hints=hints,
        prefixes=prefixes,
    )


def _undeclared(tokens: list[_Token]) -> dict[str, int]:
    """The prefixes the query uses without a PREFIX line before, each with its first use."""
    declared: set[str] = set()
    undeclared: dict[str, int] = {}
    for before, token in zip([None, *tokens], tokens, strict=False):
        if token.kind != "pname":
            continue
        name = token.text.partition(":")[0]
        if before is not None and before.kind == "word" and before.text.upper() == "PREFIX":
            declared.add(name)
        elif name not in declared:
            undeclared.setdefault(name, token.start)
    return undeclared


def _prefix_hints(undeclared: dict[str, int]) -> list[Hint]:
    """What to do about the undeclared prefixes: the lines that declare the graph's."""
    known = [n for n in undeclared if n in PREFIXES]
    unknown = [n for n in undeclared if n not in PREFIXES]
    used = _and([f"{n}:" for n in undeclared]) or "a prefix"
    them = "them" if len(undeclared) > 1 else "it"
    text = (
        f"The query uses {used} without declaring {them}. The editor, like /sparql, "
        "predeclares no prefixes, so a query declares each one it uses."
    )
    hints = [
        Hint(text + " Copy these lines to the top of the query:", _prefix_lines(known))
        if known
        else Hint(text)
    ]
    if unknown:
        hints.append(
            Hint(
                f"{_and([f'{n}:' for n in unknown])} {'is' if len(unknown) == 1 else 'are'} "
                "none of the graph's prefixes (all listed below): declare "
                f"{'it' if len(unknown) == 1 else 'each'} with its namespace IRI "
                f"(PREFIX {unknown[0]}: <namespace IRI>), or use one of the graph's."
            )
        )
    return hints


def _prefix_lines(names: list[str]) -> str:
    return "\n".join(f"PREFIX {n}: <{PREFIXES[n]}>" for n in names)


def _and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


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


async def imported_catalogues(state: AppState, endpoint: str) -> set[str] | None:
    """The names of the catalogues the served graph holds (``osai``...), or None when the
    query fails (the workers are busy, the remote store is down)."""
    try:
        answer = await run_query(state, IMPORTED, Dataset(), ACCEPT, (), endpoint)
        bindings = json.loads(answer.body)["results"]["bindings"]
    except (KGError, ValueError, KeyError):
        return None
    return {b["c"]["value"].removeprefix(CATALOGUE) for b in bindings if "c" in b}


def catalogue_list(examples: list[Example], imported: set[str] | None) -> dict[str, Any]:
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
        "examples": catalogue_list(examples, await imported_catalogues(state, endpoint)),
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
            answer = await run_query(state, sparql, Dataset(), ACCEPT, (), endpoint)
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
