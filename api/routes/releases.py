"""/releases: the releases made with ``kg release``, and which one is served."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import KG, State
from kg.release.listing import ReleaseSummary, release_summaries

router = APIRouter(tags=["releases"])


@router.get("/releases", summary="Releases", response_model=list[ReleaseSummary])
def list_releases(state: State, kg: KG) -> list[ReleaseSummary]:
    """The releases of the graph, newest first: version, when it was issued, its quads and the
    SHA-256 of its N-Quads dump, the git commit of the curated data and of each imported
    catalogue. `serving` is true for the release the served graph is (same quads, and the
    build it is served from has the release's dump)."""
    return release_summaries(state.settings, len(kg))
