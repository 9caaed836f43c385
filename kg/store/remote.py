"""A remote SPARQL 1.1 service in place of the embedded Oxigraph store.

``RemoteStore`` offers the part of ``pyoxigraph.Store`` that the rest of kg/ uses (``query``,
``len``, ``named_graphs``, iteration) over the SPARQL 1.1 Protocol, and returns pyoxigraph's own
result types, so the REST lookups, ``kg.sparql.protocol.execute`` and the query workers run on it
unchanged. The service must show the union of its named graphs as its default graph, as the
embedded store does for every query (``oxigraph serve --union-default-graph``, Fuseki's
``tdb2:unionDefaultGraph``; Virtuoso, GraphDB and Neptune do so by default).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, TYPE_CHECKING, cast
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from kg.errors import RemoteStoreError, RemoteTimeoutError, query_error
from kg.sparql.dataset import declared_graphs, declares_dataset

if TYPE_CHECKING:
    from kg.settings import Settings

logger = logging.getLogger(__name__)

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
SOLUTIONS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
TRIPLES = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
ACCEPT = {"SELECT": SOLUTIONS, "ASK": SOLUTIONS, "CONSTRUCT": TRIPLES, "DESCRIBE": TRIPLES}
COUNT_TTL = 60.0
"""Seconds ``len(RemoteStore)`` reuses its last count (a COUNT over a large store is slow)."""


def redact(url: str) -> str:
    """``url`` without the user name and password it may carry, for messages and logs.

    Examples
    --------
    >>> redact("https://admin:s3cret@db.example.org:8890/sparql")
    'https://db.example.org:8890/sparql'
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


@dataclass(frozen=True)
class Endpoint:
    """Where a remote SPARQL 1.1 service answers queries, takes updates and graphs.

    Parameters
    ----------
    query_url
        SPARQL 1.1 Protocol query endpoint.
    update_url
        SPARQL 1.1 Update endpoint, for ``kg publish --via update``.
    gsp_url
        Graph Store HTTP Protocol endpoint (indirect graph identification, ``?graph=IRI``).
    user, password
        Credentials, taken from the environment (``LLMKG_STORE_USER``, ``LLMKG_STORE_PASSWORD``);
        never shown by ``repr`` nor logged.
    auth
        ``basic`` or ``digest`` (Virtuoso's ``/sparql-auth`` and ``/sparql-graph-crud-auth``).
    timeout
        Seconds to wait for the service.
    """

    query_url: str | None = None
    update_url: str | None = None
    gsp_url: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: str = "basic"
    timeout: float = 60.0

    def __post_init__(self) -> None:
        """Move credentials written into a URL (``http://user:pw@host/``) out of it."""
        for name in ("query_url", "update_url", "gsp_url"):
            url = getattr(self, name)
            if url is None or url == redact(url):
                continue
            userinfo = urlsplit(url).netloc.rpartition("@")[0]
            user, _, password = userinfo.partition(":")
            object.__setattr__(self, name, redact(url))
            if self.user is None:
                object.__setattr__(self, "user", unquote(user))
                object.__setattr__(self, "password", unquote(password))

    @classmethod
    def from_settings(cls, settings: Settings) -> Endpoint:
        """The endpoint of ``settings``: ``store_url``, ``update_url``, ``gsp_url``, credentials."""
        password = settings.store_password.get_secret_value() if settings.store_password else None
        return cls(
            query_url=settings.store_url,
            update_url=settings.update_url,
            gsp_url=settings.gsp_url,
            user=settings.store_user,
            password=password,
            auth=settings.store_auth,
            timeout=max(settings.query_timeout, 1.0),
        )

    def client(self, *, timeout: float | None = None) -> httpx.Client:
        """An HTTP client with the credentials; it follows no redirects (they would carry them)."""
        auth: httpx.Auth | None = None
        if self.user is not None:
            auth_type = httpx.DigestAuth if self.auth == "digest" else httpx.BasicAuth
            auth = auth_type(self.user, self.password or "")
        return httpx.Client(auth=auth, timeout=timeout or self.timeout, follow_redirects=False)


def check_response(response: httpx.Response, url: str) -> None:
    """Raise a clear error for a failed answer; a 400 to a query is the query's fault."""
    if response.is_success:
        return
    response.read()
    text = " ".join(response.text.split())[:300]
    where = redact(url)
    if response.status_code in (401, 403):
        raise RemoteStoreError(
            f"{where} refused the request ({response.status_code}): check LLMKG_STORE_USER, "
            "LLMKG_STORE_PASSWORD and LLMKG_STORE_AUTH"
        )
    raise RemoteStoreError(f"{where} answered {response.status_code}: {text or 'no message'}")


def send(client: httpx.Client, request: httpx.Request, *, stream: bool = False) -> httpx.Response:
    """Send ``request``, turning network failures into RemoteStoreError."""
    where = redact(str(request.url.copy_with(query=None)))
    try:
        return client.send(request, stream=stream)
    except httpx.TimeoutException:
        raise RemoteTimeoutError(f"{where} did not answer in time") from None
    except httpx.HTTPError as exc:
        raise RemoteStoreError(f"cannot reach {where}: {exc}") from None


class _Body:
    """A streamed response body as a binary file for pyoxigraph's parsers; closed at its end."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.chunks = response.iter_bytes()
        self.buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            chunk = next(self.chunks, None)
            if chunk is None:
                self.response.close()
                break
            self.buffer += chunk
        data, self.buffer = (
            (self.buffer, b"") if size < 0 else (self.buffer[:size], self.buffer[size:])
        )
        return data

    def __del__(self) -> None:
        self.response.close()


_NOISE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*'
)
_FORM = re.compile(r"(?<![?$:\w])(SELECT|ASK|CONSTRUCT|DESCRIBE)\b(?!:)", re.IGNORECASE)


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a query, past its prologue and comments.

    Examples
    --------
    >>> query_form('PREFIX ask: <http://x/construct#> SELECT ?ask { ?s ?p "ASK" } # DESCRIBE')
    'SELECT'
    """
    match = _FORM.search(_NOISE.sub(" ", sparql))
    return match.group(1).upper() if match else None


_RELATIVE_IRI = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.-]*:)[^<>\s\"{}|^`\\]*>")
"""An IRI reference without a scheme (``<>``, ``<#x>``, ``<data/x>``): only then is BASE sent."""


def _term(term: ox.NamedNode | ox.DefaultGraph | ox.BlankNode) -> str:
    if not isinstance(term, ox.NamedNode):
        raise ValueError(f"a remote dataset names graphs by IRI, not {term}")
    return term.value


def _boolean(solutions: ox.QuerySolutions) -> ox.QueryBoolean:
    """An ASK answer given as solutions: true if a row holds a true value (``1``, ``true``)."""
    values = [getattr(term, "value", "") for row in solutions for term in row]
    truth = "true" if any(v in ("1", "true") for v in values) else "false"
    answer = ox.parse_query_results(
        f'{{"head":{{}},"boolean":{truth}}}', ox.QueryResultsFormat.JSON
    )
    assert isinstance(answer, ox.QueryBoolean)  # noqa: S101 -- a boolean document
    return answer


class RemoteStore:
    """A remote SPARQL 1.1 service, queried like a read-only ``pyoxigraph.Store``.

    Parameters
    ----------
    endpoint
        Where to send queries (``endpoint.query_url``) and how to log in.
    max_triples
        CONSTRUCT and DESCRIBE results are read up to this many triples (None: all).
    """

    def __init__(self, endpoint: Endpoint, *, max_triples: int | None = None) -> None:
        if not endpoint.query_url:
            raise RemoteStoreError("no query URL: set LLMKG_STORE_URL")
        self.endpoint = endpoint
        self.url: str = endpoint.query_url
        self.max_triples = max_triples
        self._client = endpoint.client()
        self._count: tuple[float, int] | None = None

    def __repr__(self) -> str:
        return f"<RemoteStore {redact(self.url)}>"

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: list[ox.NamedNode | ox.DefaultGraph | ox.BlankNode] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
    ) -> QueryResult:
        """Run a query on the service; the result types are those of ``pyoxigraph.Store.query``.

        The service's default graph is the union of its graphs whatever
        ``use_default_graph_as_union`` says; ``default_graph`` and ``named_graphs`` travel as
        the protocol's ``default-graph-uri`` and ``named-graph-uri``.

        Raises
        ------
        QueryError
            When the service calls the query malformed (HTTP 400).
        RemoteStoreError
            When it cannot be reached, refuses the credentials or fails.
        """
        if default_graph is None and named_graphs is None and declares_dataset(query):
            # a union-default-graph service would ignore them: send them as the protocol's
            defaults, named = declared_graphs(query, base_iri)
            default_graph = [ox.NamedNode(g) for g in defaults]
            named_graphs = [ox.NamedNode(g) for g in named]
        prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in (prefixes or {}).items())
        if base_iri is not None and _RELATIVE_IRI.search(query):
            prologue = f"BASE <{base_iri}>\n{prologue}"
        form = query_form(query)
        data = [("query", prologue + query)]
        data += [("default-graph-uri", _term(g)) for g in default_graph or ()]
        data += [("named-graph-uri", _term(g)) for g in named_graphs or ()]
        request = self._client.build_request(
            "POST",
            self.url,
            content=urlencode(data).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": ACCEPT.get(form or "", f"{SOLUTIONS}, {TRIPLES}"),
            },
        )
        response = send(self._client, request, stream=True)
        if response.status_code == 400:
            response.read()
            raise query_error(SyntaxError(response.text or "the service refused the query"))
        check_response(response, self.url)
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        results = ox.QueryResultsFormat.from_media_type(media)
        if results is not None:
            answer = ox.parse_query_results(cast(IO[bytes], _Body(response)), results)
            if form == "ASK" and isinstance(answer, ox.QuerySolutions):
                return _boolean(answer)  # Virtuoso answers ASK with one row
            return answer
        graph = ox.RdfFormat.from_media_type(media)
        if graph is None:
            response.close()
            raise RemoteStoreError(f"{redact(self.url)} answered in an unknown format {media!r}")
        triples = ox.Store()
        triples.extend(islice(ox.parse(cast(IO[bytes], _Body(response)), graph), self.max_triples))
        return triples.query("CONSTRUCT WHERE { ?s ?p ?o }")

    def _select(self, sparql: str) -> ox.QuerySolutions:
        result = self.query(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise RemoteStoreError(f"{redact(self.url)} did not answer a SELECT with solutions")
        return result

    def __len__(self) -> int:
        """Quads in the named graphs (recounted at most every ``COUNT_TTL`` seconds)."""
        now = time.monotonic()
        if self._count is None or now - self._count[0] > COUNT_TTL:
            (row,) = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
            self._count = (now, int(str(getattr(row["n"], "value", 0))))
        return self._count[1]

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]:
        """The names of the graphs of the service."""
        for row in self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            graph = row["g"]
            if isinstance(graph, ox.NamedNode | ox.BlankNode):
                yield graph

    def __iter__(self) -> Iterator[ox.Quad]:
        """Every quad of the named graphs, streamed."""
        for row in self._select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"])

    def check_union(self) -> None:
        """Check that the service answers and that its default graph is the union of its graphs.

        Raises
        ------
        RemoteStoreError
            Saying how to fix it: publish first, or start the service with a union default graph.
        """
        rows = list(self._select("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1"))
        if not rows:
            raise RemoteStoreError(
                f"{redact(self.url)} holds no named graphs: publish the graph first "
                "(kg publish --to URL)"
            )
        s, p, o = (rows[0][v] for v in ("s", "p", "o"))
        if not self.query(f"ASK {{ {s} {p} {o} }}"):
            raise RemoteStoreError(
                f"{redact(self.url)} does not show its named graphs in its default graph; "
                "serve them as a union (oxigraph serve --union-default-graph, "
                "Fuseki tdb2:unionDefaultGraph true); see docs/scale.md"
            )

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()
