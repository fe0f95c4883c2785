"""The site: the API's app with the pages on it, their assets, signing in and out, and their error pages.

    GET  /                 to the member's page, the admin's page, or signing in
    GET  /signin           the sign-in form (a token); POST /signin keeps it in the session cookie
    POST /signout          forgets it
    GET  /static/...       the pages' CSS and JavaScript (from this package, never a CDN)
    /member..., /console...  member.py (and review.py, the review's forms), console.py (and audit.py, its audit section)

Every page is sent with a Content-Security-Policy that allows this site's own scripts and styles only (no
inline script, no frames), and `Cache-Control: no-store`, since it shows a member's own data.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session

from ..api import create_app
from ..api.deps import session
from ..settings import Settings, get_settings
from ..store import ADMIN, MEMBER, authenticate
from ..work.dispatch import Dispatcher
from ..work.runtime import Runtime
from . import audit, console, member, review
from .pages import render
from .session import (PRE_COOKIE, SESSION_COOKIE, PageError, SignedOut, check_csrf, end_session, keep_pre,
                      pre_session, start_session)

__all__ = ["create_site", "UPLOAD_PATH"]

_STATIC = Path(__file__).parent / "static"
UPLOAD_PATH = member.UPLOAD_PATH
router = APIRouter(include_in_schema=False)


def create_site(settings: Settings | None = None, *, dispatcher: str | Dispatcher | None = None,
                runtime: Runtime | None = None) -> FastAPI:
    """The API's app (ingest.api.create_app, its calls unchanged) with the pages added."""
    settings = settings or get_settings()
    app = create_app(settings, dispatcher=dispatcher, runtime=runtime, upload_paths=("/uploads", UPLOAD_PATH))
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
    app.include_router(router)
    app.include_router(member.router)
    app.include_router(review.router)
    app.include_router(console.router)
    app.include_router(audit.router)
    app.add_exception_handler(SignedOut, _signed_out)
    app.add_exception_handler(PageError, _page_error)
    return app


def _home_of(kind: str) -> str:
    return "/console" if kind == ADMIN else "/member"


@router.get("/")
def home(request: Request, db: Annotated[Session, Depends(session)]) -> Response:
    """To the signed-in person's page, else to signing in."""
    token = request.cookies.get(SESSION_COOKIE)
    who = authenticate(db, token) if token else None
    return RedirectResponse(_home_of(who.kind) if who is not None else "/signin", 303)


@router.get("/signin")
def signin_form(request: Request) -> Response:
    """The sign-in form."""
    return _signin_page(request)


def _signin_page(request: Request, error: str | None = None, status: int = 200) -> Response:
    csrf, fresh = pre_session(request)
    response = render(request, "signin.html", {"csrf": csrf, "error": error, "visitor": None}, status)
    if fresh is not None:
        keep_pre(request, response, fresh)
    return response


@router.post("/signin")
def signin(request: Request, db: Annotated[Session, Depends(session)],
           token: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = "") -> Response:
    """Check the token and keep it in the session cookie; then to the person's page."""
    check_csrf(request, request.cookies.get(PRE_COOKIE), csrf)
    token = token.strip()
    who = authenticate(db, token) if token else None
    if who is None:
        return _signin_page(request, "This token is not known. Check it was copied whole (it starts with "
                            "'cpd_'), or ask an administrator for a new one.", 401)
    if who.kind not in (MEMBER, ADMIN):
        return _signin_page(request, "This is the portal's token, which reads members' data over the API only. "
                            "Sign in with a member's or an administrator's token.", 403)
    response = RedirectResponse(_home_of(who.kind), 303)
    start_session(request, response, token)
    return response


@router.post("/signout")
def signout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    """Forget the session; back to the sign-in form."""
    check_csrf(request, request.cookies.get(SESSION_COOKIE), csrf)
    response = RedirectResponse("/signin", 303)
    end_session(response)
    return response


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


async def _signed_out(request: Request, _exc: Exception) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": {"code": "signed_out", "message": (
            "You are signed out (or your session ended). Reload the page and sign in again.")}}, 401)
    response = RedirectResponse("/signin", 303)
    end_session(response)
    return response


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    if _wants_json(request):
        return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, exc.status)
    context: dict[str, Any] = {"message": exc.message, "status": exc.status, "visitor": None}
    return render(request, "error.html", context, exc.status)

