"""The W3C SPARQL 1.1 query-evaluation tests: their manifests, data, expected results, and a
comparison of results that any evaluator can be held to (tests/api/test_w3c_query_eval.py).

Every file is named by its ``file:`` IRI: the manifests' relative IRIs resolve against the
manifest, a query's against the query file, a data file's against itself, and the graph names
in expected results (``<data01.ttl>``) against the result file, so they all agree.

Results are compared as the suite means them: solutions as a multiset (a sequence when the
query ends in ORDER BY), graphs as sets of triples, blank nodes matched by a bijection that is
searched for, and XSD numeric and boolean literals by value, as pyoxigraph normalizes them
(``"1.0e6"^^xsd:double`` is written ``"1000000"^^xsd:double``, ``"0"^^xsd:boolean`` ``"false"``,
``"-3"^^xsd:negativeInteger`` ``"-3"^^xsd:integer``): xsd:decimal and the integer types derived
from it are one value space, xsd:double and xsd:float are each their own, and a language tag
matches in any case.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import TypeGuard
from urllib.parse import unquote, urlparse

import pyoxigraph as ox
from rdflib import RDF, Graph, Namespace
from rdflib.collection import Collection

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = frozenset(
    XSD + t
    for t in (
        *("integer", "nonPositiveInteger", "negativeInteger", "nonNegativeInteger"),
        *("positiveInteger", "long", "int", "short", "byte"),
        *("unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"),
    )
)
DECIMALS = INTEGERS | {XSD + "decimal"}
FLOATS = frozenset({XSD + "double", XSD + "float"})
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}

Key = tuple[object, ...]
"""A term as compared: ("iri", value), ("bnode", label), ("lit", value, datatype or @lang)..."""
Row = tuple[Key | None, ...]


@dataclass(frozen=True)
class EvalTest:
    """One mf:QueryEvaluationTest: IRIs of its query, data, named graphs and expected result."""

    iri: str
    folder: str
    name: str
    query: str
    data: tuple[str, ...]
    graph_data: tuple[str, ...]
    result: str

    @property
    def id(self) -> str:
        return f"{self.folder}/{self.name}"

    @property
    def query_text(self) -> str:
        return path_of(self.query).read_text(encoding="utf-8")

    @property
    def has_dataset_clause(self) -> bool:
        """Whether the query names its own dataset (FROM or FROM NAMED)."""
        return re.search(r"(?<![?$:\w])FROM\b(?!:)", _code(self.query_text), re.I) is not None

    @property
    def ordered(self) -> bool:
        """Whether the query's solutions are ordered: ORDER BY after its last closing brace."""
        code = _code(self.query_text)
        return re.search(r"\bORDER\s+BY\b", code[code.rfind("}") + 1 :], re.IGNORECASE) is not None

    @property
    def result_format(self) -> str:
        """``csv``, ``tsv``, or ``any`` (SPARQL XML or JSON results, or an RDF file)."""
        suffix = self.result.rsplit(".", 1)[-1]
        return suffix if suffix in ("csv", "tsv") else "any"


_STRIP = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*'
)


def _code(sparql: str) -> str:
    """The query without its strings, IRIs and comments, where keywords can be looked for."""
    return _STRIP.sub(" ", sparql)


def path_of(iri: str) -> Path:
    """The file that a ``file:`` IRI names."""
    return Path(unquote(urlparse(iri).path))


@cache
def eval_tests(suite: Path) -> list[EvalTest]:
    """Every mf:QueryEvaluationTest of the manifests in ``suite``'s folders, in manifest order."""
    tests = []
    for manifest_path in sorted(suite.resolve().glob("*/manifest.ttl")):
        base = manifest_path.as_uri()
        manifest = Graph().parse(manifest_path, format="turtle", publicID=base)
        evaluations = set(manifest.subjects(RDF.type, MF.QueryEvaluationTest))
        listed = [
            t
            for entries in manifest.objects(None, MF.entries)
            for t in Collection(manifest, entries)
        ]
        ordered = listed + sorted(evaluations - set(listed), key=str)
        for test in ordered:
            if test not in evaluations:
                continue
            action = manifest.value(test, MF.action)
            tests.append(
                EvalTest(
                    iri=str(test),
                    folder=manifest_path.parent.name,
                    name=str(test).rsplit("#", 1)[-1],
                    query=str(manifest.value(action, QT.query)),
                    data=tuple(sorted(str(d) for d in manifest.objects(action, QT.data))),
                    graph_data=tuple(
                        sorted(str(g) for g in manifest.objects(action, QT.graphData))
                    ),
                    result=str(manifest.value(test, MF.result)),
                )
            )
    return tests


def data_files(tests: Iterable[EvalTest]) -> list[str]:
    """The IRIs of every data file the tests read, as default graph or as named graph."""
    return sorted({iri for t in tests for iri in (*t.data, *t.graph_data)})


def load(store: ox.Store, iri: str, graph: ox.NamedNode | ox.DefaultGraph) -> None:
    """Load the data file ``iri`` into ``graph`` of ``store``, its relative IRIs against itself."""
    path = path_of(iri)
    store.load(
        path=path, format=ox.RdfFormat.from_extension(path.suffix[1:]), base_iri=iri, to_graph=graph
    )


# -- results as compared ------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """A result as compared: a boolean, or rows over sorted variables (solutions, CSV cells,
    or the subject, predicate and object of triples)."""

    kind: str  # "boolean", "solutions", "csv" or "graph"
    variables: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None
    ordered: bool = False

    def show(self, limit: int = 30) -> str:
        if self.kind == "boolean":
            return str(self.boolean)
        lines = [f"{self.kind} {' '.join(self.variables)} ({len(self.rows)} rows)"]
        lines += ["  " + " | ".join(_show(k) for k in row) for row in self.rows[:limit]]
        if len(self.rows) > limit:
            lines.append(f"  ... {len(self.rows) - limit} more")
        return "\n".join(lines)


def _show(key: Key | None) -> str:
    if key is None:
        return "-"
    kind, value, *rest = key
    if kind == "iri":
        return f"<{value}>"
    if kind == "bnode":
        return f"_:{value}"
    if kind == "lit":
        suffix = rest[0] if str(rest[0]).startswith("@") else f"^^<{rest[0]}>"
        return f'"{value}"{suffix}'
    return repr(value)


def term_key(term: object) -> Key:
    """A term as compared: numeric literals by value, language tags in any case."""
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return ("lit", term.value, "@" + term.language.lower())
        datatype = term.datatype.value
        value = _value(term.value, datatype)
        if datatype in DECIMALS and isinstance(value, Decimal):
            datatype = XSD + "decimal"  # xsd:integer and its kin are decimals, by restriction
        return ("lit", value, datatype)
    if isinstance(term, ox.Triple):
        return ("triple", term_key(term.subject), term_key(term.predicate), term_key(term.object))
    raise TypeError(f"not an RDF term: {term!r}")


def _value(lexical: str, datatype: str) -> object:
    """The value of a numeric or boolean literal (else, or if invalid, its lexical form)."""
    text = lexical.strip()
    if datatype == XSD + "boolean" and text in BOOLEANS:
        return BOOLEANS[text]
    try:
        if datatype in DECIMALS:
            return Decimal(text)
        if datatype in FLOATS:
            value = float(text.replace("INF", "inf"))
            return "NaN" if value != value else value
    except (InvalidOperation, ValueError):
        pass
    return lexical


def solutions(variables: Sequence[str], rows: Iterable[Sequence[object]], ordered: bool) -> Result:
    """SELECT results from rows of terms (None where unbound), over ``variables``."""
    names = sorted(variables)
    where = [list(variables).index(n) for n in names]
    keyed = tuple(
        tuple(None if row[i] is None else term_key(row[i]) for i in where) for row in rows
    )
    return Result("solutions", tuple(names), keyed, ordered=ordered)


def graph(triples: Iterable[ox.Triple | ox.Quad]) -> Result:
    """CONSTRUCT and DESCRIBE results: a set of triples."""
    keyed = {(term_key(t.subject), term_key(t.predicate), term_key(t.object)) for t in triples}
    return Result("graph", ("s", "p", "o"), tuple(sorted(keyed, key=repr)))


def from_query(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, ordered: bool
) -> Result:
    """A pyoxigraph query result (evaluated or parsed) as compared."""
    if isinstance(result, ox.QueryBoolean):
        return Result("boolean", boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        return graph(result)
    names = [v.value for v in result.variables]
    return solutions(names, ([s[n] for n in names] for s in result), ordered)


_NUMERIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def from_csv(text: str, ordered: bool) -> Result:
    """SPARQL CSV results: cells are strings (numbers by value), ``_:`` ones blank nodes."""
    header, *lines = list(csv.reader(io.StringIO(text)))

    def cell(value: str) -> Key | None:
        if value == "":
            return None
        if value.startswith("_:"):
            return ("bnode", value[2:])
        if _NUMERIC.fullmatch(value):
            return ("num", Decimal(value))
        return ("str", value)

    names = sorted(header)
    where = [header.index(n) for n in names]
    rows = tuple(tuple(cell(line[i]) for i in where) for line in lines if line)
    return Result("csv", tuple(names), rows, ordered=ordered)


def parse_results(data: bytes, media_type: str, ordered: bool) -> Result:
    """A result as answered in ``media_type`` (SPARQL JSON, XML, CSV, TSV, or N-Triples)."""
    if media_type == "text/csv":
        return from_csv(data.decode("utf-8"), ordered)
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    if results_format is not None:
        return from_query(ox.parse_query_results(data, format=results_format), ordered)
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    if rdf_format is None:
        raise ValueError(f"no parser for {media_type}")
    return graph(ox.parse(data, format=rdf_format))


@cache
def expected(test: EvalTest) -> Result:
    """The expected result of ``test``, read from its mf:result file."""
    path = path_of(test.result)
    suffix = path.suffix[1:]
    if suffix == "csv":
        return from_csv(path.read_text(encoding="utf-8"), test.ordered)
    results_format = ox.QueryResultsFormat.from_extension(suffix)
    if results_format is not None:
        parsed = ox.parse_query_results(path=path, format=results_format)
        return from_query(parsed, test.ordered)
    triples = list(
        ox.parse(path=path, format=ox.RdfFormat.from_extension(suffix), base_iri=test.result)
    )
    result_set = ox.NamedNode(RS + "ResultSet")
    if any(t.object == result_set and t.predicate == ox.NamedNode(str(RDF.type)) for t in triples):
        return _result_set(triples, test.ordered)
    return graph(triples)


def _result_set(triples: list[ox.Triple], ordered: bool) -> Result:
    """Results written in the DAWG result-set vocabulary (rs:ResultSet, rs:solution...)."""
    by_subject: dict[object, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]]
    by_subject = defaultdict(lambda: defaultdict(list))
    for t in triples:
        if not isinstance(t.object, ox.Triple):
            by_subject[t.subject][t.predicate.value.removeprefix(RS)].append(t.object)
    (root,) = (
        s for s, p in by_subject.items() if ox.NamedNode(RS + "ResultSet") in p[str(RDF.type)]
    )
    if p := by_subject[root].get("boolean"):
        return Result("boolean", boolean=_text(p[0]) in ("true", "1"))
    variables = [_text(v) for v in by_subject[root]["resultVariable"]]
    rows = []
    for node in by_subject[root]["solution"]:
        solution = by_subject[node]
        bound = {}
        for binding in solution["binding"]:
            (variable,) = by_subject[binding]["variable"]
            (value,) = by_subject[binding]["value"]
            bound[_text(variable)] = value
        index = int(_text(solution["index"][0])) if solution.get("index") else 0
        rows.append((index, [bound.get(v) for v in variables]))
    rows.sort(key=lambda r: r[0])
    return solutions(variables, [r for _, r in rows], ordered and bool(rows) and rows[-1][0] > 0)


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return term.value


# -- comparison ---------------------------------------------------------------------------------


def mismatch(want: Result, got: Result) -> str | None:
    """Why ``got`` is not ``want`` (None if it is): kind, variables or rows differ."""
    if want.kind != got.kind:
        return f"expected a {want.kind} result, got a {got.kind} result"
    if want.kind == "boolean":
        return (
            None if want.boolean == got.boolean else f"expected {want.boolean}, got {got.boolean}"
        )
    if want.variables != got.variables:
        return f"expected the variables {want.variables}, got {got.variables}"
    if not same_rows(want.rows, got.rows, ordered=want.ordered and got.ordered):
        order = " in this order" if want.ordered else ""
        return f"expected{order}:\n{want.show()}\ngot:\n{got.show()}"
    return None


def _blank(key: Key | None) -> TypeGuard[Key]:
    return key is not None and key[0] == "bnode"


def _unify(
    want: Row, got: Row, forth: dict[object, object], back: dict[object, object]
) -> list[object] | None:
    """Extend the blank node bijection so that ``got`` is ``want``; the labels it added, or None
    (and the bijection as it was) if the rows cannot be matched."""
    added: list[object] = []
    for w, g in zip(want, got, strict=True):
        if _blank(w) and _blank(g):
            if w[1] not in forth and g[1] not in back:
                forth[w[1]], back[g[1]] = g[1], w[1]
                added.append(w[1])
                continue
            if forth.get(w[1]) == g[1]:
                continue
        elif w == g:
            continue
        _undo(added, forth, back)
        return None
    return added


def _undo(added: list[object], forth: dict[object, object], back: dict[object, object]) -> None:
    for label in added:
        del back[forth.pop(label)]


def same_rows(want: Sequence[Row], got: Sequence[Row], *, ordered: bool) -> bool:
    """Whether the rows are the same, as multisets (or as sequences), up to a renaming of blank
    nodes that holds for all rows at once: found by backtracking, rows most constrained first.

    Examples
    --------
    >>> x, y, z, one = ("bnode", "x"), ("bnode", "y"), ("bnode", "z"), ("lit", 1, "int")
    >>> same_rows([(x, one), (y, one)], [(z, one), (x, one)], ordered=False)
    True
    >>> same_rows([(x, x), (y, one)], [(x, y), (x, one)], ordered=False)
    False
    >>> same_rows([(x, one), (x, one)], [(y, one), (z, one)], ordered=False)
    False
    >>> same_rows([(one,), (x,)], [(y,), (one,)], ordered=True)
    False
    """
    if len(want) != len(got):
        return False
    forth: dict[object, object] = {}
    back: dict[object, object] = {}
    if ordered:
        return all(_unify(w, g, forth, back) is not None for w, g in zip(want, got, strict=True))
    ground_want = Counter(r for r in want if not any(map(_blank, r)))
    if ground_want != Counter(r for r in got if not any(map(_blank, r))):
        return False
    open_want = [r for r in want if any(map(_blank, r))]
    open_got = [r for r in got if any(map(_blank, r))]

    def shape(row: Row) -> Row:
        return tuple(("bnode",) if _blank(k) else k for k in row)

    by_shape: dict[Row, list[int]] = defaultdict(list)
    for j, row in enumerate(open_got):
        by_shape[shape(row)].append(j)
    candidates = [by_shape.get(shape(r), []) for r in open_want]
    if any(len(c) == 0 for c in candidates):
        return False
    order = _search_order(open_want, candidates)
    used = [False] * len(open_got)

    def search(i: int) -> bool:
        if i == len(order):
            return True
        w = open_want[order[i]]
        for j in candidates[order[i]]:
            if used[j]:
                continue
            added = _unify(w, open_got[j], forth, back)
            if added is None:
                continue
            used[j] = True
            if search(i + 1):
                return True
            used[j] = False
            _undo(added, forth, back)
        return False

    return search(0)


def _search_order(rows: list[Row], candidates: list[list[int]]) -> list[int]:
    """Rows in the order to match them: next the one with most blank nodes already met, then
    the one with fewest candidates, so that chains of blank nodes are followed, not guessed."""
    seen: set[object] = set()
    left = set(range(len(rows)))
    order = []
    while left:
        best = min(
            left,
            key=lambda i: (
                -sum(1 for k in rows[i] if _blank(k) and k[1] in seen),
                len(candidates[i]),
                i,
            ),
        )
        left.remove(best)
        order.append(best)
        seen.update(k[1] for k in rows[best] if _blank(k))
    return order


# -- the reference: pyoxigraph in this process ----------------------------------------------------


def evaluate_in_process(test: EvalTest) -> Result:
    """``test`` run by pyoxigraph in a store of its own: qt:data in the default graph, each
    qt:graphData in a named graph of its IRI, relative IRIs against the query file."""
    store = ox.Store()
    for iri in test.data:
        load(store, iri, ox.DefaultGraph())
    for iri in test.graph_data:
        load(store, iri, ox.NamedNode(iri))
    result = store.query(test.query_text, base_iri=test.query)
    if test.result_format == "csv" and isinstance(result, ox.QuerySolutions):
        csv_text = (result.serialize(format=ox.QueryResultsFormat.CSV) or b"").decode()
        return from_csv(csv_text, test.ordered)
    return from_query(result, test.ordered)


def in_process_failure(test: EvalTest) -> str | None:
    """Why pyoxigraph in this process fails ``test`` (None if it passes)."""
    try:
        return mismatch(expected(test), evaluate_in_process(test))
    except (SyntaxError, OSError, RuntimeError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
