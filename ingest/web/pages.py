"""Rendering a page: the templates (autoescaped), their filters, and the headers every page is sent with."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from .views import hours_text

__all__ = ["templates", "render", "PAGE_HEADERS"]

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["hours"] = hours_text
templates.env.filters["field_name"] = lambda name: str(name).replace("_", " ")

# This site's own scripts, styles and images only; no inline script, no frames, forms to this site only.
PAGE_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """The template `name` with `context`, as an HTML page with PAGE_HEADERS."""
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers.update(PAGE_HEADERS)
    return response
