"""Signing in to the pages: the token in an HttpOnly cookie, and the CSRF token every form carries.

A person signs in with the same bearer token the API takes (`cpd-evidence token create`); the pages keep it
in the cookie `cpd_session` (HttpOnly, SameSite=Lax, Secure over HTTPS), so no script can read it. The API
itself never reads that cookie (only `Authorization: Bearer`), so a page's cookie cannot be used against it.

Every form that changes something carries a CSRF token (field `csrf`, or the header `X-CSRF-Token` from the
page's script): an HMAC of a fixed label keyed by the session's own token. Another site cannot compute it
without the token, it needs no secret in the settings, and it ends with the session. The sign-in form,
before there is a session, is keyed by a random value in the cookie `cpd_pre` (a double-submit token).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from ..api.deps import session
from ..store import ADMIN, MEMBER, Principal, authenticate

__all__ = ["SESSION_COOKIE", "PRE_COOKIE", "CSRF_FIELD", "CSRF_HEADER", "PageError", "SignedOut", "Visitor",
           "csrf_token", "check_csrf", "visitor", "member", "admin", "start_session", "end_session",
           "pre_session", "keep_pre"]

SESSION_COOKIE = "cpd_session"
PRE_COOKIE = "cpd_pre"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
_LABEL = b"cpd-evidence pages csrf v1"
SESSION_SECONDS = 12 * 3600  # a working day; then the person signs in again


class PageError(Exception):
    """A page's answer other than success: the status and a message a person can act on (shown as a page,
    or as JSON to the page's own script)."""

    def __init__(self, status: int, message: str, code: str = "page_error") -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


class SignedOut(Exception):
    """No session (or one whose token is no longer known): the person is sent to the sign-in page."""


@dataclass(frozen=True, slots=True)
class Visitor:
    """Who is signed in, and the CSRF token their forms carry."""

    who: Principal
    csrf: str

    @property
    def member_id(self) -> str:
        return self.who.member_id or ""


def csrf_token(key: str) -> str:
    """The CSRF token of a session (or pre-session) keyed by `key`."""
    return hmac.new(key.encode(), _LABEL, hashlib.sha256).hexdigest()


def check_csrf(request: Request, key: str | None, sent: str | None) -> None:
    """403 unless `sent` (the form's field, else the X-CSRF-Token header) is the token of `key`."""
    given = sent or request.headers.get(CSRF_HEADER) or ""
    if not key or not hmac.compare_digest(given.encode(), csrf_token(key).encode()):
        raise PageError(403, "This form has expired or did not come from this site. Reload the page and send it "
                        "again.", "bad_csrf")


def visitor(request: Request, db: Annotated[Session, Depends(session)]) -> Visitor:
    """The signed-in person (SignedOut without a known session)."""
    token = request.cookies.get(SESSION_COOKIE)
    who = authenticate(db, token) if token else None
    if token is None or who is None:
        raise SignedOut()
    return Visitor(who, csrf_token(token))


def member(v: Annotated[Visitor, Depends(visitor)]) -> Visitor:
    """The signed-in member (403 for anyone else)."""
    if v.who.kind != MEMBER or v.who.member_id is None:
        raise PageError(403, "This page is a member's: sign out and sign in with your member token.", "members_only")
    return v


def admin(v: Annotated[Visitor, Depends(visitor)]) -> Visitor:
    """The signed-in admin (403 for anyone else)."""
    if v.who.kind != ADMIN:
        raise PageError(403, "This page is for administrators: sign out and sign in with an admin token "
                        "(cpd-evidence token create --admin).", "admins_only")
    return v


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def start_session(request: Request, response: Response, token: str) -> None:
    """Keep `token` in the session cookie (HttpOnly) and drop the pre-session one."""
    response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_SECONDS, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")
    response.delete_cookie(PRE_COOKIE, path="/")


def end_session(response: Response) -> None:
    """Forget the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/")


def pre_session(request: Request) -> tuple[str, str | None]:
    """The sign-in form's CSRF token, keyed by the `cpd_pre` cookie; and a new key to set (`keep_pre`) when the
    browser sent none."""
    key = request.cookies.get(PRE_COOKIE)
    fresh = None if key else secrets.token_urlsafe(32)
    return csrf_token(key or fresh or ""), fresh


def keep_pre(request: Request, response: Response, key: str) -> None:
    """Set the pre-session cookie the sign-in form's CSRF token is keyed by."""
    response.set_cookie(PRE_COOKIE, key, max_age=3600, httponly=True, samesite="lax", secure=_secure(request),
                        path="/")
