"""Render SPARQL results for a terminal: tables with short IRIs, or the standard formats."""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape

import pyoxigraph as ox

from kg.errors import QueryError
from kg.schema.vocabulary import PREFIXES

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

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


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {k: _json_term(v) for k, v in parts.items()}}
    raise TypeError(f"not an RDF term: {term!r}")


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f'<literal xml:lang="{_attr(term.language)}">{escape(term.value)}</literal>'
        if term.datatype.value != XSD_STRING:
            return (
                f'<literal datatype="{_attr(term.datatype.value)}">{escape(term.value)}</literal>'
            )
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        inner = "".join(
            f"<{k}>{_xml_term(getattr(term, k))}</{k}>" for k in ("subject", "predicate", "object")
        )
        return f"<triple>{inner}</triple>"
    raise TypeError(f"not an RDF term: {term!r}")


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def serialize_solutions(
    variables: list[str],
    rows: list[list[object]],
    fmt: ox.QueryResultsFormat,
    *,
    truncated: bool = False,
) -> bytes:
    """SELECT results as SPARQL JSON, XML, CSV or TSV, from solutions already read.

    Used when the rows were capped: ``truncated`` adds ``"truncated": true`` to JSON results
    (other members of a JSON result are ignored by clients).

    Examples
    --------
    >>> row = [ox.NamedNode("http://e/x"), ox.Literal("a", language="en")]
    >>> serialize_solutions(["s", "o"], [row], ox.QueryResultsFormat.TSV)
    b'?s\\t?o\\n<http://e/x>\\t"a"@en\\n'
    """
    if fmt == ox.QueryResultsFormat.JSON:
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        document: dict[str, object] = {
            "head": {"vars": variables},
            "results": {"bindings": bindings},
        }
        if truncated:
            document["truncated"] = True
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    if fmt == ox.QueryResultsFormat.XML:
        head = "".join(f'<variable name="{_attr(v)}"/>' for v in variables)
        results = "".join(
            "<result>"
            + "".join(
                f'<binding name="{_attr(v)}">{_xml_term(t)}</binding>'
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            + "</result>"
            for row in rows
        )
        return (
            f'<?xml version="1.0"?><sparql xmlns="{SPARQL_RESULTS_NS}"><head>{head}</head>'
            f"<results>{results}</results></sparql>"
        ).encode()
    if fmt == ox.QueryResultsFormat.CSV:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_value(t) for t in row] for row in rows)
        return out.getvalue().encode()
    if fmt == ox.QueryResultsFormat.TSV:
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"unsupported results format {fmt}")
