"""Why a SPARQL query does not parse, in words a person can act on: where the parser stopped
(line, column, the line with a caret under the spot) and a plain hint for the common mistakes:
a misspelled keyword, an undeclared prefix, an unclosed brace or parenthesis. The editor page
(:mod:`api.pages.editor`) shows it."""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, field

from kg.errors import KGError, QueryError
from kg.schema.vocabulary import PREFIXES

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
