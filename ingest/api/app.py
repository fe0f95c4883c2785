"""The app (CONTRACT.md section 3): `create_app(settings)`; OpenAPI at /openapi.json.

Routes live in uploads.py (members' uploads, admins' reprocessing), review.py (the member's own uploads and
their word on each activity), members.py (activities, summary, role), year.py (export, duplicates), audit.py (the audit year) and
meta.py (/health, /docs from local files); what they share in deps.py. Every error is JSON,
`{"error": {"code", "message"}}`, with a message a person can act on. With a broker configured the API only
stores and sends ids; without one, `serve` does the work in a thread pool of its own.
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..settings import Settings, get_settings
from ..store import StorageUnavailable
from ..work.dispatch import Dispatcher, dispatcher_for
from ..work.runtime import Runtime, open_runtime
from . import audit, members, meta, review, tokens, uploads, year
from .deps import HOW_TO_UPLOAD, ApiError, size_text, too_large
from .paging import BadCursor
from .receive import UploadGate

__all__ = ["create_app", "UploadLimit", "RejectNul"]

log = logging.getLogger(__name__)

# The database (or its pool) cannot be reached: the request may not have been done, and may be sent again.
_DATABASE_AWAY: tuple[type[Exception], ...] = (OperationalError, InterfaceError, PoolTimeout)


def create_app(settings: Settings | None = None, *, dispatcher: str | Dispatcher | None = None,
               runtime: Runtime | None = None, upload_paths: tuple[str, ...] = ("/uploads",)) -> FastAPI:
    """The app. `dispatcher`: "celery", "pool" (a thread pool here), "inline" (in the request), or one
    made by the caller; by default Celery when CPD_BROKER_URL is set, else the pool. `upload_paths`: the
    addresses whose POST takes a file (the web pages add theirs), so UploadLimit allows a file's size."""
    settings = settings or get_settings()
    runtime = runtime or open_runtime(settings)
    work = dispatcher_for(runtime, dispatcher)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        work.close()

    app = FastAPI(title="cpd-evidence", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Members' CPD records in, normalised activities and member-year summaries out.")
    app.state.settings, app.state.runtime, app.state.dispatcher = settings, runtime, work
    app.state.upload_gate = UploadGate(settings.max_concurrent_uploads)
    app.add_middleware(UploadLimit, limit=settings.max_upload_bytes, paths=upload_paths)
    app.add_middleware(RejectNul)
    _add_error_handlers(app)
    app.include_router(uploads.router)
    app.include_router(review.router)
    app.include_router(members.router)
    app.include_router(year.router)
    app.include_router(audit.router)
    app.include_router(meta.router)
    meta.mount_docs(app)
    app.include_router(tokens.router)
    return app


class BodyTooLarge(StarletteHTTPException):
    """Raised from `receive` once a body passes its limit. FastAPI hands an HTTPException raised while it
    reads the body on as it is (anything else there becomes a 400), so this ends as our 413."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(413, error.message)


class UploadLimit:
    """Refuses a request body over its limit: a POST to one of `paths` (POST /uploads, the pages' upload) the
    file limit plus the form's overhead, any other call (small JSON bodies) OTHER_LIMIT. At once when the
    declared length says so; else as soon as the bytes received pass it, so a body sent without a length
    (chunked) is never spooled whole to disk first. The route checks the file's own bytes too."""

    FORM_OVERHEAD = 64 * 1024  # multipart boundaries and part headers around the file
    OTHER_LIMIT = 1024 * 1024

    def __init__(self, app: ASGIApp, limit: int, paths: tuple[str, ...] = ("/uploads",)) -> None:
        self.app, self.limit, self.paths = app, limit, frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["method"] == "POST" and scope["path"] in self.paths
        limit = self.limit + self.FORM_OVERHEAD if upload else self.OTHER_LIMIT
        error = too_large(self.limit) if upload else ApiError(413, "too_large", (
            f"The request body is over the {size_text(limit)} this call takes; send only what it needs "
            "(see /openapi.json)."))
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            body = {"error": {"code": error.code, "message": error.message}}
            await JSONResponse(body, 413, headers={"Connection": "close"})(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(error)
            return message

        await self.app(scope, counted, send)


class RejectNul:
    """Refuses an address holding a NUL character (%00): no id, filter or cursor has one, and PostgreSQL
    cannot compare text that does."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ("\x00" in scope["path"] or b"%00" in scope["query_string"]
                                        or b"\x00" in scope["query_string"]):
            body = {"error": {"code": "bad_request", "message": "The address holds a NUL character (%00), which no "
                              "id, filter or cursor has. Check how the address was built."}}
            await JSONResponse(body, 400)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
        headers.update(exc.headers or {})
        return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, exc.status, headers=headers)

    @app.exception_handler(BadCursor)
    async def _cursor(_request: Request, exc: BadCursor) -> JSONResponse:
        return JSONResponse({"error": {"code": "bad_cursor", "message": str(exc)}}, 400)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        hint = " " + HOW_TO_UPLOAD + "." if any(tuple(e["loc"])[:2] == ("body", "file") for e in exc.errors()) \
            else " See /openapi.json for what each call takes."
        return JSONResponse({"error": {"code": "invalid_request", "message": "The request is not valid: "
                                       + "; ".join(problems) + "." + hint,
                                       "details": _plain(exc.errors())}}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _http_error(request, exc)
        return JSONResponse({"error": {"code": code, "message": message}}, exc.status_code,
                            headers=getattr(exc, "headers", None))

    _add_infrastructure_handlers(app)


def _http_error(request: Request, exc: StarletteHTTPException) -> tuple[str, str]:
    """Code and message for Starlette's own errors: no route, a body that is too large or not a form."""
    if isinstance(exc, BodyTooLarge):
        return "too_large", str(exc.detail)
    if exc.status_code == 404:
        return "http_404", "There is no such address; see /openapi.json."
    if exc.status_code == 405:
        return "http_405", f"This address does not take {request.method}; see /openapi.json for the calls it takes."
    if exc.status_code == 400 and request.method == "POST" and request.url.path == "/uploads":
        return "bad_multipart", f"The upload could not be read as a form ({exc.detail}). {HOW_TO_UPLOAD}."
    return f"http_{exc.status_code}", str(exc.detail)


def _add_infrastructure_handlers(app: FastAPI) -> None:
    """The database or the blob store away (503, safe to send again), values out of its range (400), and our
    bugs (500):
    JSON like every other error, never a bare text page."""
    async def database_away(request: Request, exc: Exception) -> JSONResponse:
        log.warning("%s %s: the database is not reachable (%s: %s)", request.method, request.url.path,
                    exc.__class__.__name__, str(exc).splitlines()[0] if str(exc) else "")
        return JSONResponse({"error": {"code": "unavailable", "message": (
            "The service cannot reach its database just now, so this request may not have been done. Send it "
            "again in a minute: sending the same file or request again never stores anything twice.")}}, 503,
            headers={"Retry-After": "30"})

    async def out_of_range(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": {"code": "out_of_range", "message": (
            "A value in the request is out of the range this service stores (an id or number too large?). "
            "Check the ids and numbers sent.")}}, 400)

    async def internal(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"error": {"code": "internal_error", "message": (
            "Something went wrong on our side; it is logged. Try again later, or tell an administrator the "
            "time of the request.")}}, 500)

    async def storage_unavailable(request: Request, exc: Exception) -> JSONResponse:
        detail = getattr(exc, "detail", str(exc))
        log.error("%s %s: the blob store cannot take bytes, answered 503 storage_unavailable: %s", request.method,
                  request.url.path, detail)
        return JSONResponse({"error": {"code": "storage_unavailable", "message": str(exc)}}, 503,
                            headers={"Retry-After": "60"})

    app.add_exception_handler(StorageUnavailable, storage_unavailable)
    for kind in _DATABASE_AWAY:
        app.add_exception_handler(kind, database_away)
    app.add_exception_handler(DataError, out_of_range)
    app.add_exception_handler(OverflowError, out_of_range)  # SQLite: an integer over 64 bits
    app.add_exception_handler(Exception, internal)  # Starlette still re-raises it, so it is logged


def _plain(errors: Any) -> list[dict[str, Any]]:
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors]
