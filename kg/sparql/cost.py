"""A cheap guess, from the text alone, of whether a query is small: one that reads a few
patterns and streams its solutions, without sorting, grouping or walking paths.

Small queries may use the fast lane of the query pool (``kg.sparql.workers``), which has a short
deadline: a query guessed wrong overruns it, is stopped and is run again in the general lane, and
its client's queries take the general lane for a while. So the guess must be cheap and is
allowed to be wrong; it is never trusted with more than ``fast_timeout`` seconds of a worker.
"""

from __future__ import annotations

import re

from kg.sparql.dataset import keywords

MAX_SMALL_CHARS = 2_000
"""Longer queries are never small."""

_HEAVY = re.compile(
    r"\b(?:ORDER|GROUP|HAVING|DISTINCT|REDUCED|MINUS|EXISTS|UNION|COUNT|SUM|AVG|MIN|MAX|SAMPLE"
    r"|GROUP_CONCAT|REGEX|REPLACE|CONCAT|STRLEN|SUBSTR|ENCODE_FOR_URI|SHA\d+|MD5)\b",
    re.IGNORECASE,
)
"""Keywords whose evaluation sorts, groups, compares sets or builds strings."""
_FORMS = re.compile(r"\b(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_SELECT_ALL = re.compile(r"\bSELECT\s+\*", re.IGNORECASE)
_PATH = re.compile(r"[*+]")
"""``*`` and ``+``: property paths of any length (or arithmetic, rare in small queries)."""


def is_small(sparql: str) -> bool:
    """Whether ``sparql`` looks small: short, one query form, no heavy keyword, no ``*`` or
    ``+`` path (``SELECT *`` aside).

    Examples
    --------
    >>> is_small("ASK {}")
    True
    >>> is_small("SELECT * { <http://e/x> ?p ?o } LIMIT 10")
    True
    >>> is_small("SELECT ?s { ?s <http://e/p>+ ?o }")
    False
    >>> is_small("SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c")
    False
    >>> is_small("SELECT ?x { { SELECT ?x { ?x ?p ?o } } }")
    False
    >>> is_small("SELECT * { ?s ?p 'ORDER BY, COUNT(*) or a+b in a string' }")
    True
    """
    if len(sparql) > MAX_SMALL_CHARS:
        return False
    code = _SELECT_ALL.sub("SELECT ", keywords(sparql))
    return len(_FORMS.findall(code)) == 1 and not _HEAVY.search(code) and not _PATH.search(code)
