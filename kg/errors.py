"""The one error hierarchy of open-llm-kg; ``title`` and ``status`` travel to HTTP problem bodies."""

from __future__ import annotations

from dataclasses import dataclass


class KGError(Exception):
    """Base class: ``title`` and ``status`` travel to the HTTP problem body."""

    title = "Knowledge graph error"
    status = 500


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one record file, printed as ``path: field: message``."""

    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


class RecordError(KGError):
    """One or more records are invalid; holds every problem found, sorted."""

    title = "Invalid records"
    status = 422

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s):\n{lines}")


class ShapeError(KGError):
    """The built graph violates ontology/shapes.ttl; carries pySHACL's text report unchanged."""

    title = "Graph violates its shapes"
    status = 500

    def __init__(self, report: str, violations: int) -> None:
        self.report = report
        self.violations = violations
        super().__init__(f"{violations} SHACL violation(s):\n{report}")


class QueryError(KGError):
    """A SPARQL query could not be parsed or evaluated."""

    title = "Bad SPARQL query"
    status = 400


class NotFoundError(KGError):
    """No entity with that kind and id."""

    title = "Not found"
    status = 404


class ParameterError(KGError):
    """An unknown network, metric, kind, phase or confidence was asked for (kg.networks.metrics)."""

    title = "Invalid parameter"
    status = 422


class CatalogueError(KGError):
    """A catalogue cannot be imported, or the imports no longer fit the curated data."""

    title = "Catalogue import failed"
    status = 422


class StoreError(KGError):
    """A store cannot be opened, built or loaded."""

    title = "Store error"
    status = 500


class LockedError(KGError):
    """Another process is writing the same folder; this one refuses rather than interleave."""

    title = "Busy"
    status = 409


class WriteError(KGError):
    """An output cannot be written (disk full, file too large, no permission); what was there
    before is kept."""

    title = "Cannot write"
    status = 507


class QueryTimeoutError(KGError):
    """A query ran past its deadline and was stopped."""

    title = "Query timeout"
    status = 504


class OverloadedError(KGError):
    """Every worker is busy and the queue is full; retry after ``retry_after`` seconds."""

    title = "Service overloaded"
    status = 503
    retry_after = 1


class TooManyRequestsError(KGError):
    """One client holds its share of the workers and of the queue already."""

    title = "Too many requests"
    status = 429
    retry_after = 2


class ClientGoneError(KGError):
    """The client closed the connection before its answer was ready: the work was dropped."""

    title = "Client closed request"
    status = 499  # nginx's code; nobody reads it but the access log


class QueryMemoryError(KGError):
    """A query needed more memory than a query worker may use; its worker was replaced."""

    title = "Query needs too much memory"
    status = 422


class WorkerLostError(KGError):
    """A query worker stopped while it ran a query, for a reason other than its limits."""

    title = "Query worker lost"
    status = 503
    retry_after = 1


class WarmingUpError(KGError):
    """The server has started but is not ready for this yet."""

    title = "Warming up"
    status = 503
    retry_after = 2


class NotAcceptableError(KGError):
    """No representation the client accepts."""

    title = "Not acceptable"
    status = 406


class UnsupportedMediaTypeError(KGError):
    """A request body in a media type or charset the protocol does not allow."""

    title = "Unsupported media type"
    status = 415


class PayloadTooLargeError(KGError):
    """A query or request body past the configured limits."""

    title = "Payload too large"
    status = 413


class ForbiddenOperationError(KGError):
    """An operation this read-only service never performs (updates, SERVICE, LOAD)."""

    title = "Operation not allowed"
    status = 403


class RemoteStoreError(KGError):
    """The remote SPARQL service cannot be reached, refuses us, or fails."""

    title = "Store unavailable"
    status = 502


class RemoteTimeoutError(RemoteStoreError):
    """The remote SPARQL service did not answer in time."""

    title = "Store timeout"
    status = 504


class PublishError(KGError):
    """The graph cannot be published as asked."""

    title = "Publish failed"
    status = 502


class ReleaseError(KGError):
    """A release cannot be made as asked (it exists: releases are immutable), or one on disk
    cannot be read."""

    title = "Release refused"
    status = 409


class DumpError(KGError):
    """An N-Quads dump that is not as ``kg build`` writes it (not sorted, not N-Quads)."""

    title = "Unreadable dump"
    status = 500


class ReportError(KGError):
    """The report could not be written where it was asked for."""

    title = "Cannot write the report"
    status = 500


class SetupError(KGError):
    """A folder the command needs is missing, or an optional dependency is not installed."""

    title = "Not set up"
    status = 500


class MissingExtraError(SetupError):
    """A command needs an extra of the package (``web``, ``report``, ``scale``) not installed."""

    def __init__(self, extra: str, module: str | None) -> None:
        super().__init__(
            f"this needs the {extra!r} extra ({(module or '?').partition('.')[0]} is not installed): "
            f"pip install 'open-llm-kg[{extra}]'"
        )


class FieldError(ValueError):
    """A record-level rule broken by one field; the loader reports it under that field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class FileTooLargeError(OSError):
    """A YAML file past the size any record has: read, it would take minutes and gigabytes."""


def query_error(exc: Exception) -> QueryError:
    """A short, one-line QueryError for an error pyoxigraph raised while parsing or evaluating.

    Examples
    --------
    >>> str(query_error(SyntaxError("error at 1:8: expected one of " + ", ".join(["x"] * 99))))[:55]
    'SPARQL syntax error: error at 1:8: expected one of x, x'
    >>> len(str(query_error(SyntaxError("error at 1:8: expected one of " + ", ".join(["x"] * 99)))))
    181
    """
    kind = "syntax" if isinstance(exc, SyntaxError) else "evaluation"
    message = " ".join(str(exc).split())
    if len(message) > 160:
        message = message[:157].rstrip(" ,") + "..."
    return QueryError(f"SPARQL {kind} error: {message}")
