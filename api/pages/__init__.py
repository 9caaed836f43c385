"""Pages a person can browse: server-rendered HTML (Jinja2) over the same library as the API.

No JavaScript and no CDN: templates and the stylesheet ship in this package, so the pages
work offline and without scripts. The API documentation (/docs) is the one page with JavaScript,
installed from PyPI (``api_docs``).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.pages import api_docs, browse, editor, linked_data, report
from api.pages.render import HERE


def install(app: FastAPI) -> None:
    """Add the pages, Linked Data routes, API documentation and static files to ``app``."""
    api_docs.mount_assets(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (browse, linked_data, editor, report, api_docs):
        app.include_router(module.router)
