"""Bearer tokens: made once, shown once, stored only as their sha256.

    member   their own uploads, activities, summary and role
    portal   any member's activities and summary (read only)
    admin    any upload, reprocessing, and revoking tokens

A token may expire (`expires_in`), may be revoked (`revoke_token`; the CLI's `token revoke ID` and the admins'
POST /admin/tokens/{id}/revoke), and records when it was last used (to the minute: one small write a minute at
most per token). An expired or revoked token is refused with `TokenRefused`, whose message says which and what
to do; an unknown one is None.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from .members import ensure_member
from .models import TokenRow, utcnow

__all__ = ["MEMBER", "ADMIN", "PORTAL", "KINDS", "Principal", "TokenRefused", "hash_token", "create_token",
           "authenticate", "list_tokens", "revoke_token", "token_state", "parse_duration"]

MEMBER, ADMIN, PORTAL = "member", "admin", "portal"
KINDS = (MEMBER, ADMIN, PORTAL)
_PREFIX = "cpd_"
_MEMBER_ID = re.compile(r"[A-Za-z0-9._@:-]{1,128}")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who sent a request: a kind (member, admin, portal) and, for a member, their id."""

    kind: str
    member_id: str | None = None
    token_id: int | None = None

    def is_member(self, member_id: str) -> bool:
        """True for that member's own token."""
        return self.kind == MEMBER and self.member_id == member_id


def hash_token(token: str) -> str:
    """The sha256 a token is stored as."""
    return hashlib.sha256(token.encode()).hexdigest()


class TokenRefused(Exception):
    """A token made here that may no longer be used: `code` token_expired or token_revoked, and a message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


_DURATION = re.compile(r"(\d{1,5})([hdw])")
_UNIT = {"h": dt.timedelta(hours=1), "d": dt.timedelta(days=1), "w": dt.timedelta(weeks=1)}
MAX_LIFETIME = dt.timedelta(days=3660)
_TOUCH_EVERY = dt.timedelta(minutes=1)


def parse_duration(text: str) -> dt.timedelta:
    """"90d", "12h", "2w" as a timedelta (ValueError, saying what is taken, for anything else)."""
    found = _DURATION.fullmatch(text.strip().lower())
    if not found or int(found[1]) == 0:
        raise ValueError(f"'{text}' is not a duration; give a number and h, d or w, for example 90d (90 days), "
                         "12h or 2w")
    duration = int(found[1]) * _UNIT[found[2]]
    if duration > MAX_LIFETIME:
        raise ValueError(f"'{text}' is over ten years; give at most 3660d, or no --expires-in for a token that "
                         "does not expire")
    return duration


def create_token(session: Session, kind: str, member_id: str | None = None, *,
                 expires_in: dt.timedelta | None = None) -> str:
    """A new token of `kind` (for `member_id` when kind is member), expiring after `expires_in` if given; the
    caller commits."""
    if kind not in KINDS:
        raise ValueError(f"token kind '{kind}' is not one of {', '.join(KINDS)}")
    if (kind == MEMBER) != (member_id is not None):
        raise ValueError("a member token needs a member id, and only a member token has one")
    if member_id is not None:
        if not _MEMBER_ID.fullmatch(member_id):
            raise ValueError(f"member id '{member_id}' is not usable: give 1 to 128 letters, digits or . _ - @ : "
                             "(the id the portal knows the member by)")
        ensure_member(session, member_id)
    token = _PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + expires_in if expires_in is not None else None
    session.add(TokenRow(token_hash=hash_token(token), kind=kind, member_id=member_id, expires_at=expires_at))
    return token


def token_state(row: TokenRow, now: dt.datetime | None = None) -> str:
    """"active", "expired" or "revoked"."""
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= (now or utcnow()):
        return "expired"
    return "active"


def authenticate(session: Session, token: str) -> Principal | None:
    """Who holds `token`, or None for a token not made here; `TokenRefused` for an expired or revoked one.
    Records the use (at most once a minute per token); the caller commits."""
    row = session.scalars(select(TokenRow).where(TokenRow.token_hash == hash_token(token))).first()
    if row is None:
        return None
    now = utcnow()
    state = token_state(row, now)
    if state == "revoked":
        raise TokenRefused("token_revoked", f"This token was revoked on {row.revoked_at:%Y-%m-%d %H:%M} UTC and no "
                           "longer works. Ask an administrator for a new one (cpd-evidence token create).")
    if state == "expired":
        raise TokenRefused("token_expired", f"This token expired on {row.expires_at:%Y-%m-%d %H:%M} UTC. Ask an "
                           "administrator for a new one (cpd-evidence token create).")
    if row.last_used_at is None or row.last_used_at < now - _TOUCH_EVERY:
        session.execute(update(TokenRow).where(TokenRow.id == row.id, or_(
            TokenRow.last_used_at.is_(None), TokenRow.last_used_at < now - _TOUCH_EVERY)).values(last_used_at=now)
            .execution_options(synchronize_session=False))
    return Principal(row.kind, row.member_id, row.id)


def list_tokens(session: Session) -> list[TokenRow]:
    """Every token, oldest first (rows hold only the hash: no token can be read back from them)."""
    return list(session.scalars(select(TokenRow).order_by(TokenRow.id)))


def revoke_token(session: Session, token_id: int) -> TokenRow | None:
    """Revoke the token (from now on it gets 401 token_revoked; revoking twice keeps the first time); None
    when there is no such token. The caller commits."""
    row = session.get(TokenRow, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
    return row
