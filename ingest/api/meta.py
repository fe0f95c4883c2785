"""What is not a member's data: GET /health for a load balancer (no token), and the API's documentation at
/docs, Swagger UI served from the swagger-ui-bundle package's own files (never a CDN), so it works offline.

The library: swagger-ui-bundle ships the Swagger UI distribution (JS, CSS, icons) inside the wheel and only
that; FastAPI's get_swagger_ui_html writes the page, pointed at those files under /docs/assets.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from ..work import review
from .deps import dispatcher_of, runtime_of

__all__ = ["router", "mount_docs", "ASSETS"]

router = APIRouter(tags=["service"])
ASSETS = "/docs/assets"


@router.get("/health", responses={503: {"description": "The database or the broker cannot be reached"}})
def health(request: Request) -> JSONResponse:
    """Whether the service can work now (no token): the database answers and, where one is configured, the
    broker; and the version. 503 when either is away."""
    up, body = review.health(runtime_of(request), dispatcher_of(request))
    return JSONResponse(body, 200 if up else 503, headers={"Cache-Control": "no-store"})


def mount_docs(app: FastAPI) -> None:
    """/docs: Swagger UI from the installed package's files (the app is made with docs_url=None)."""
    app.mount(ASSETS, StaticFiles(directory=Path(swagger_ui_path)), name="swagger-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="cpd-evidence: API",
                                   swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{ASSETS}/favicon-32x32.png")

    _ = docs
