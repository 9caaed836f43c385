"""/healthz and /readyz, for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import State
from api.problems import problem
from kg.errors import KGError

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Liveness")
def healthz() -> dict[str, str]:
    """The process is up and answering."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness",
    responses={
        503: {"description": "Not ready: no query worker alive, the store away, or warming up"}
    },
)
def readyz(request: Request, state: State) -> JSONResponse:
    """Query workers are alive, the store answers, and the search index is built; else 503.

    When ready: the live workers, how many run a query, how many requests wait for one, the
    same by lane (fast, general, penalty), and the quads in the store.
    """
    not_ready = None
    if state.pool.ready == 0:
        not_ready = "no query worker is alive"
    elif not state.warm.done():
        not_ready = "the search index and collaboration graph are being built"
    elif state.warm.exception() is not None:
        not_ready = f"warm-up failed: {state.warm.exception()}"
    else:
        try:
            state.graph.query("ASK {}")
        except KGError as exc:  # a remote store that does not answer
            not_ready = str(exc)
    if not_ready:
        return problem(request, 503, "Not ready", not_ready, headers={"Retry-After": "1"})
    pool = state.pool
    return JSONResponse(
        {
            "status": "ready",
            "workers": pool.ready,
            "busy": pool.busy,
            "waiting": pool.waiting,
            "lanes": pool.by_lane(),
            "quads": state.ready().quads,
        }
    )
