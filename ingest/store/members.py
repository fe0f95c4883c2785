"""Members and their role profile. Callers own the transaction: nothing here commits.

    ensure_member(session, id)            the member's row, made on first sight
    set_role(session, id, role)           store a role profile (its activities are re-matched by ingest.work.remap)
    member_role(session, id, lock=False)  the role profile and its hash: the one place they are read
    set_display_name(session, id, name)   the member's name as files write it (None: not given)
    display_name(session, id)             that name, or None
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import MemberRow

__all__ = ["MemberRole", "role_hash", "ensure_member", "set_role", "member_role", "lock_member", "set_display_name",
           "display_name", "MAX_DISPLAY_NAME"]

MAX_DISPLAY_NAME = 200


class MemberRole(NamedTuple):
    """A member's role profile (the contract's JSON; None: no role set) and the hash it is known by."""

    role: dict[str, Any] | None
    role_hash: str | None


def role_hash(role: dict[str, Any] | None) -> str | None:
    """The sha256 of a role profile's JSON (keys sorted): what each activity row records it was matched to."""
    if role is None:
        return None
    return hashlib.sha256(json.dumps(role, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def ensure_member(session: Session, member_id: str) -> MemberRow:
    """The member's row, created when it is not there yet (safe when another request creates it meanwhile)."""
    member = session.get(MemberRow, member_id)
    if member is None:
        member = MemberRow(id=member_id)
        try:
            with session.begin_nested():
                session.add(member)
        except IntegrityError:  # created meanwhile by another request
            found = session.get(MemberRow, member_id)
            if found is None:
                raise
            member = found
    return member


def set_role(session: Session, member_id: str, role: dict[str, Any] | None) -> str | None:
    """Store the member's role profile and return its hash; their activities are re-matched by `work.remap`."""
    member = ensure_member(session, member_id)
    member.role, member.role_hash = role, role_hash(role)
    return member.role_hash


def lock_member(session: Session, member_id: str) -> None:
    """One writer of a member's role, matches and links at a time: an UPDATE of the member's row (a row lock in
    PostgreSQL, the write lock in SQLite) held until the caller's transaction ends. It bumps the member's
    `version`, so that work done without the lock (duplicate detection) can tell that someone wrote meanwhile."""
    session.execute(update(MemberRow).where(MemberRow.id == member_id).values(version=MemberRow.version + 1)
                    .execution_options(synchronize_session=False))


def member_role(session: Session, member_id: str, *, lock: bool = False) -> MemberRole:
    """The member's role profile and its hash ((None, None) for no role, or no such member). With `lock`,
    read under `lock_member`, so a role change either commits before this transaction and is seen, or waits
    for it."""
    if lock:
        lock_member(session, member_id)
    row = session.execute(select(MemberRow.role, MemberRow.role_hash).where(MemberRow.id == member_id)).one_or_none()
    return MemberRole(None, None) if row is None else MemberRole(row.role, row.role_hash)


def set_display_name(session: Session, member_id: str, name: str | None) -> str | None:
    """Store the member's display name (whitespace tidied; empty: none) and return it. It counts from the next
    summary on; activities already stored keep the warnings they were read with until reprocessed."""
    tidy = " ".join((name or "").split())[:MAX_DISPLAY_NAME] or None
    ensure_member(session, member_id).display_name = tidy
    return tidy


def display_name(session: Session, member_id: str) -> str | None:
    """The member's display name, or None (not given, or no such member)."""
    return session.execute(select(MemberRow.display_name).where(MemberRow.id == member_id)).scalar_one_or_none()
