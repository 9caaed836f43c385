"""The API's documentation page, /docs (Swagger UI), served offline.

FastAPI's own page loads Swagger UI from a CDN; this one loads the copy that the
``fastapi-offline`` package installs, so the documentation works without the internet, like
every other page. There is no /redoc: ReDoc fetches its logo from its CDN whatever it is told.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(str(files("fastapi_offline") / "static"))
"""Swagger UI and a favicon, as the fastapi-offline package installs them."""
PREFIX = "/static/api-docs"

router = APIRouter(include_in_schema=False)


def mount_assets(app: FastAPI) -> None:
    """Serve the assets at ``PREFIX``; mount before ``/static``, which would shadow it."""
    app.mount(PREFIX, StaticFiles(directory=ASSETS), name="api-docs")


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """The OpenAPI description in Swagger UI, where each operation can be tried out."""
    root = request.scope.get("root_path", "")
    assets = f"{root}{PREFIX}"
    return get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} API",
        swagger_js_url=f"{assets}/swagger-ui-bundle.js",
        swagger_css_url=f"{assets}/swagger-ui.css",
        swagger_favicon_url=f"{assets}/favicon.png",
    )
