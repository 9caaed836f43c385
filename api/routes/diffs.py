"""/releases/{a}/diff/{b}: what changed between two releases, or a release and the build.

Releases are immutable, so a computed diff is kept (a small LRU in memory) under the SHA-256
of both dumps: the release's own (``release.json``), and the working build's, hashed once per
build. The cache is keyed by content only, and the names are put back per request, so one
process may share it between apps.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import State
from kg.errors import DumpError, NotAcceptableError, NotFoundError, OverloadedError
from kg.release.diff import FORMATS, Diff, Format, diff_dumps, render
from kg.release.listing import build_sha256
from kg.release.snapshot import BUILD, dump_of, list_releases
from kg.settings import Settings
from kg.sparql.protocol import negotiate

router = APIRouter(tags=["releases"])

MEDIA: dict[str, Format] = {"application/json": "json", "text/html": "html", "text/markdown": "md"}
"""What the route answers in, by preference: JSON unless the client asks for HTML or Markdown."""
TYPES = {fmt: media for media, fmt in MEDIA.items()}


class DiffCache:
    """The last ``size`` diffs computed, by the SHA-256 of their two dumps. One diff is
    computed at a time (seconds and a few hundred MB at ten million quads): a request that
    would compute another waits at most ``wait`` seconds, then gets a 503."""

    def __init__(self, size: int, wait: float = 2.0) -> None:
        self.size = size
        self.wait = wait
        self._diffs: OrderedDict[tuple[str, str], Diff] = OrderedDict()
        self._lock = threading.Lock()
        self._computing = threading.Lock()

    def _kept(self, key: tuple[str, str]) -> Diff | None:
        with self._lock:
            if key in self._diffs:
                self._diffs.move_to_end(key)
                return self._diffs[key]
        return None

    def get(self, key: tuple[str, str], compute: Callable[[], Diff]) -> Diff:
        """The diff of ``key``: kept, or computed (outside the lock) and kept.

        Raises
        ------
        OverloadedError
            If another diff is being computed for longer than ``wait`` seconds.
        """
        kept = self._kept(key)
        if kept is not None:
            return kept
        if not self._computing.acquire(timeout=self.wait):
            raise OverloadedError("another diff is being computed; retry in a few seconds")
        try:
            kept = self._kept(key)  # computed by the request this one waited for
            diff = compute() if kept is None else kept
        finally:
            self._computing.release()
        with self._lock:
            self._diffs[key] = diff
            self._diffs.move_to_end(key)
            while len(self._diffs) > self.size:
                self._diffs.popitem(last=False)
        return diff

    def keys(self) -> list[tuple[str, str]]:
        """The keys kept, least recently used first."""
        with self._lock:
            return list(self._diffs)

    def clear(self) -> None:
        with self._lock:
            self._diffs.clear()


CACHE = DiffCache(8)


def dump_and_sha(settings: Settings, name: str) -> tuple[Path, str]:
    """The N-Quads of release ``name`` (or of the build) and their SHA-256.

    Raises
    ------
    NotFoundError
        If there is no such release (naming those there are), or no build.
    """
    dump = dump_of(settings, name)
    if name == BUILD:
        sha = build_sha256(settings)
    else:
        sha = next((r.sha256 for r in list_releases(settings) if r.version == name), None)
    if sha is None:  # removed since dump_of looked
        raise NotFoundError(f"{name!r} is no longer there")
    return dump, sha


def cached_diff(settings: Settings, a: str, b: str) -> Diff:
    """The diff from ``a`` to ``b`` (release versions or ``build``), from :data:`CACHE` if it
    was computed for the same dumps."""
    (old, old_sha), (new, new_sha) = dump_and_sha(settings, a), dump_and_sha(settings, b)

    def compute() -> Diff:
        try:
            return diff_dumps(old, new)
        except OSError as exc:
            raise DumpError(f"cannot read {exc.filename}: {exc.strerror}") from None

    found = CACHE.get((old_sha, new_sha), compute)
    return found.model_copy(update={"old": a, "new": b})


FormatQuery = Annotated[
    Format | None, Query(description="md, json or html, overriding Accept", examples=["md"])
]


@router.get(
    "/releases/{a}/diff/{b}",
    summary="What changed between two releases",
    response_model=Diff,
    responses={
        200: {
            "description": "The diff: JSON by default, an HTML page for browsers (text/html), "
            "Markdown for text/markdown",
            "content": {"text/html": {}, "text/markdown": {}},
        },
        404: {"description": "No such release (the problem names the releases there are)"},
        503: {"description": "Another diff is being computed; retry after Retry-After seconds"},
    },
)
async def release_diff(
    request: Request, state: State, a: str, b: str, format: FormatQuery = None
) -> Response:
    """What changed from release `a` to release `b` (either may be `build`, the working
    build): entities added and removed, facts added, removed and changed (old value and new
    value, each with its source and confidence), per kind of record and per project."""
    fmt = format or MEDIA[_negotiated(request.headers.get("accept"))]
    diff = await run_in_threadpool(cached_diff, state.settings, a, b)
    media = TYPES[fmt] + ("; charset=utf-8" if fmt != "json" else "")
    return Response(render(diff, fmt), media_type=media, headers={"Vary": "Accept"})


def _negotiated(accept: str | None) -> str:
    try:
        return negotiate(accept, list(MEDIA))
    except NotAcceptableError:
        raise NotAcceptableError(
            f"cannot answer in {accept!r}; available: {', '.join(MEDIA)} (or ?format= "
            f"{', '.join(FORMATS)})"
        ) from None
