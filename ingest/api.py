"""The HTTP API (CONTRACT.md section 3): `create_app(settings)`; OpenAPI at /openapi.json.

Routes live in api_uploads.py (members' uploads, admins' reprocessing) and api_members.py (activities,
summary, role). Every error is JSON, `{"error": {"code", "message"}}`, with a message a person can act on.
With a broker configured the API only stores and sends ids; without one, `serve` does the work in a
thread pool of its own.
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from .auth import Principal, authenticate
from .dispatch import CeleryDispatcher, Dispatcher, InlineDispatcher, PoolDispatcher
from .paging import BadCursor
from .runtime import Runtime, open_runtime
from .settings import Settings, get_settings

__all__ = ["create_app", "ApiError", "UploadLimit", "too_large", "session", "principal", "runtime_of", "dispatcher_of"]

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def create_app(settings: Settings | None = None, *, dispatcher: str | Dispatcher | None = None,
               runtime: Runtime | None = None) -> FastAPI:
    """The app. `dispatcher`: "celery", "pool" (a thread pool here), "inline" (in the request), or one
    made by the caller; by default Celery when CPD_BROKER_URL is set, else the pool."""
    settings = settings or get_settings()
    runtime = runtime or open_runtime(settings)
    work = _dispatcher(settings, runtime, dispatcher)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        work.close()

    app = FastAPI(title="cpd-evidence", version="1", lifespan=lifespan,
                  description="Members' CPD records in, normalised activities and member-year summaries out.")
    app.state.settings, app.state.runtime, app.state.dispatcher = settings, runtime, work
    app.add_middleware(UploadLimit, limit=settings.max_upload_bytes)
    _add_error_handlers(app)
    from . import api_members, api_uploads  # routes need ApiError and the dependencies above

    app.include_router(api_uploads.router)
    app.include_router(api_members.router)
    return app


def too_large(limit: int) -> ApiError:
    return ApiError(413, "too_large", f"The file is over the {limit / 1e6:.0f} MB limit. Export a shorter period "
                    "from the system it came from, or split the record, and upload the parts.")


class UploadLimit:
    """Refuses an upload whose declared length is over the limit before its body is read (the route
    checks the bytes it reads too, for bodies sent without a length)."""

    FORM_OVERHEAD = 64 * 1024  # multipart boundaries and part headers around the file

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == "/uploads":
            length = dict(scope["headers"]).get(b"content-length", b"")
            if length.isdigit() and int(length) > self.limit + self.FORM_OVERHEAD:
                error = too_large(self.limit)
                body = {"error": {"code": error.code, "message": error.message}}
                await JSONResponse(body, 413, headers={"Connection": "close"})(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _dispatcher(settings: Settings, runtime: Runtime, choice: str | Dispatcher | None) -> Dispatcher:
    if choice is None:
        choice = "celery" if settings.broker_url else "pool"
    if not isinstance(choice, str):
        return choice
    if choice == "celery":
        return CeleryDispatcher(settings)
    if choice == "inline":
        return InlineDispatcher(runtime)
    return PoolDispatcher(runtime)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, exc.status, headers=headers)

    @app.exception_handler(BadCursor)
    async def _cursor(_request: Request, exc: BadCursor) -> JSONResponse:
        return JSONResponse({"error": {"code": "bad_cursor", "message": str(exc)}}, 400)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return JSONResponse({"error": {"code": "invalid_request", "message": "The request is not valid: "
                                       + "; ".join(problems) + ". See /openapi.json for what each call takes.",
                                       "details": _plain(exc.errors())}}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = "There is no such address; see /openapi.json." if exc.status_code == 404 else str(exc.detail)
        return JSONResponse({"error": {"code": f"http_{exc.status_code}", "message": message}}, exc.status_code)


def _plain(errors: Any) -> list[dict[str, Any]]:
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors]


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


def dispatcher_of(request: Request) -> Dispatcher:
    return request.app.state.dispatcher  # type: ignore[no-any-return]


def session(request: Request) -> Iterator[Session]:
    with runtime_of(request).sessions() as s:
        yield s


_bearer = HTTPBearer(auto_error=False, description="A member, portal or admin token (cpd-evidence token create).")


def principal(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
              db: Annotated[Session, Depends(session)]) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise ApiError(401, "missing_token", "Send your token as 'Authorization: Bearer TOKEN'. "
                       "An administrator makes tokens with 'cpd-evidence token create'.")
    who = authenticate(db, credentials.credentials)
    if who is None:
        raise ApiError(401, "bad_token", "This token is not known. Check it was copied whole, "
                       "or ask an administrator for a new one.")
    return who
