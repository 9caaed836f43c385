"""/healthz and /readyz, for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

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
    responses={503: {"description": "Not ready: no query worker alive"}},
)
def readyz(request: Request) -> JSONResponse:
    """The store answers and query workers are alive; 503 while none is, or the store is away."""
    pool = request.app.state.pool
    if pool.ready == 0:
        return problem(
            request, 503, "Not ready", "no query worker is alive", headers={"Retry-After": "1"}
        )
    try:
        quads = len(request.app.state.kg.rdf)
    except KGError as exc:  # a remote store that does not answer
        return problem(request, 503, "Not ready", str(exc), headers={"Retry-After": "1"})
    return JSONResponse({"status": "ready", "workers": pool.ready, "quads": quads})
