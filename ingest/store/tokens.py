"""Bearer tokens: made once, shown once, stored only as their sha256.

    member   their own uploads, activities, summary and role
    portal   any member's activities and summary (read only)
    admin    any upload, and reprocessing
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .members import ensure_member
from .models import TokenRow

__all__ = ["MEMBER", "ADMIN", "PORTAL", "KINDS", "Principal", "hash_token", "create_token", "authenticate"]

MEMBER, ADMIN, PORTAL = "member", "admin", "portal"
KINDS = (MEMBER, ADMIN, PORTAL)
_PREFIX = "cpd_"
_MEMBER_ID = re.compile(r"[A-Za-z0-9._@:-]{1,128}")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who sent a request: a kind (member, admin, portal) and, for a member, their id."""

    kind: str
    member_id: str | None = None

    def is_member(self, member_id: str) -> bool:
        """True for that member's own token."""
        return self.kind == MEMBER and self.member_id == member_id


def hash_token(token: str) -> str:
    """The sha256 a token is stored as."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, kind: str, member_id: str | None = None) -> str:
    """A new token of `kind` (for `member_id` when kind is member); the caller commits."""
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
    session.add(TokenRow(token_hash=hash_token(token), kind=kind, member_id=member_id))
    return token


def authenticate(session: Session, token: str) -> Principal | None:
    """Who holds `token`, or None for a token not made here."""
    row = session.scalars(select(TokenRow).where(TokenRow.token_hash == hash_token(token))).first()
    return Principal(row.kind, row.member_id) if row is not None else None
