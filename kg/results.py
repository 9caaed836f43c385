"""Render SPARQL results for a terminal: tables with short IRIs, or the standard formats."""

from __future__ import annotations

import pyoxigraph as ox

from kg.errors import QueryError
from kg.graph import PREFIXES, QueryResult

SOLUTION_FORMATS = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV}
GRAPH_FORMATS = {
    "table": ox.RdfFormat.TURTLE,
    "json": ox.RdfFormat.JSON_LD,
    "csv": ox.RdfFormat.N_TRIPLES,
}


def short(term: object) -> str:
    """A term as a person reads it: ``model:bloom``, ``llmkg:Model``, or the literal's value.

    Examples
    --------
    >>> short(ox.NamedNode("https://w3id.org/llmkg/id/model/bloom"))
    'model:bloom'
    >>> short(ox.Literal("BLOOM")), short(None)
    ('BLOOM', '')
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace):
                return f"{prefix}:{term.value.removeprefix(namespace)}"
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def render_table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with aligned columns.

    Examples
    --------
    >>> print(render_table(["kind", "n"], [["model", "3"], ["dataset", "12"]]), end="")
    kind     n
    -------  --
    model    3
    dataset  12
    """
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    lines = [headers, ["-" * w for w in widths], *rows]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() + "\n"
        for line in lines
    )


def format_result(result: QueryResult, fmt: str) -> str:
    """Render a query result as ``table``, ``json`` or ``csv``."""
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return f"{str(bool(result)).lower()}\n"
        return _text(result.serialize(format=SOLUTION_FORMATS[fmt]))
    if isinstance(result, ox.QueryTriples):
        return _text(ox.serialize(result, format=GRAPH_FORMATS[fmt], prefixes=PREFIXES))
    if fmt != "table":
        return _text(result.serialize(format=SOLUTION_FORMATS[fmt]))
    names = [v.value for v in result.variables]
    rows = [[short(solution[name]) for name in names] for solution in result]
    return render_table(names, rows) + f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


def _text(data: bytes | None) -> str:
    if data is None:
        raise QueryError("the result could not be serialized")
    return data.decode("utf-8")
