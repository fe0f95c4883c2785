"""What every route shares: the error it raises, the request's database session, runtime and dispatcher,
the caller (from the bearer token), and the checks of who may read or change a member's data."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from ..store import ADMIN, PORTAL, Principal, TokenRefused, authenticate
from ..work.dispatch import Dispatcher
from ..work.runtime import Runtime
__all__ = ["ApiError", "too_large", "size_text", "session", "principal", "identify", "bearer", "admin", "reader",
           "runtime_of", "dispatcher_of", "HOW_TO_UPLOAD", "Year"]

HOW_TO_UPLOAD = ("Send the record as multipart/form-data with the file in a field named 'file', for example: "
                 "curl -H 'Authorization: Bearer TOKEN' -F file=@record.xlsx https://HOST/uploads")
Year = Annotated[int, Query(ge=1900, le=2200, description="CPD year: from the start month of YYYY "
                                                          "(April unless CPD_YEAR_START_MONTH says otherwise)")]


class ApiError(Exception):
    """An answer other than success: the HTTP status, a stable `code`, and a message a person can act on."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def too_large(limit: int) -> ApiError:
    """The 413 for an upload over `limit` bytes."""
    return ApiError(413, "too_large", f"The file is over the {size_text(limit)} limit. Export a shorter period "
                    "from the system it came from, or split the record, and upload the parts.")


def size_text(n: int) -> str:
    """A byte count as people read it: "50 MB", or "65,536 bytes" below a megabyte."""
    return f"{n / 1e6:.0f} MB" if n >= 1_000_000 else f"{n:,} bytes"


def runtime_of(request: Request) -> Runtime:
    """The app's runtime (settings, sessions, blob store)."""
    return request.app.state.runtime  # type: ignore[no-any-return]


def dispatcher_of(request: Request) -> Dispatcher:
    """Who the app hands work to."""
    return request.app.state.dispatcher  # type: ignore[no-any-return]


def session(request: Request) -> Iterator[Session]:
    """A database session for the request, closed after it."""
    with runtime_of(request).sessions() as s:
        yield s


bearer = HTTPBearer(auto_error=False, description="A member, portal or admin token (cpd-evidence token create).")


def principal(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
              db: Annotated[Session, Depends(session)]) -> Principal:
    """The caller, from their bearer token (401 without a known one)."""
    return _caller(db, credentials)


def identify(runtime: Runtime, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    """The caller, as `principal` finds them, in a short session of its own: a route that then reads a long
    body (POST /uploads) holds no database connection meanwhile."""
    with runtime.sessions() as db:
        return _caller(db, credentials)


def _caller(db: Session, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise ApiError(401, "missing_token", "Send your token as 'Authorization: Bearer TOKEN'. "
                       "An administrator makes tokens with 'cpd-evidence token create'.")
    try:
        who = authenticate(db, credentials.credentials)
    except TokenRefused as exc:
        raise ApiError(401, exc.code, exc.message) from exc
    if who is None:
        raise ApiError(401, "bad_token", "This token is not known. Check it was copied whole, "
                       "or ask an administrator for a new one.")
    db.commit()  # its last use, recorded (nothing else is pending in the session yet)
    return who


def admin(who: Annotated[Principal, Depends(principal)]) -> Principal:
    """The caller, when an admin (403 otherwise)."""
    if who.kind != ADMIN:
        raise ApiError(403, "admins_only", "This needs an admin token (cpd-evidence token create --admin).")
    return who


def reader(member_id: str, who: Principal) -> None:
    """403 unless the caller may read the member's data: the member, or the portal."""
    if not (who.is_member(member_id) or who.kind == PORTAL):
        raise ApiError(403, "forbidden", "This token may not read this member's data; use the member's own "
                       "token or the portal's.")
