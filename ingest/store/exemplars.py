"""Titles members confirmed a mapping for, kept as matcher exemplars. Callers own the transaction.

A member who confirms or edits an activity's responsibilities or ethics call teaches the matcher: each
(title, responsibility text) and (title, ethics topic) pair is kept. The member's own count for their own
files at once; an admin's approval makes one count for every member's.

    record_exemplars(session, member, activity_id, title, responsibilities, topics)
    exemplars_for(session, member)        the member's own and every approved one
    exemplar_page(session, pending)       for admins
    approve_exemplars(session, ids, by)   -> the ids approved
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from .models import ExemplarRow, utcnow

__all__ = ["record_exemplars", "exemplars_for", "exemplar_page", "approve_exemplars", "exemplar_json"]

MAX_TEXT = 500


def record_exemplars(session: Session, member_id: str, activity_id: str, title: str, responsibilities: Sequence[str],
                     topics: Sequence[str]) -> int:
    """Keep the pairs not kept yet for this member; returns how many are new."""
    text = " ".join(title.split())[:MAX_TEXT]
    if not text:
        return 0
    known = {(r.responsibility, r.topic) for r in session.scalars(select(ExemplarRow).where(
        ExemplarRow.member_id == member_id, ExemplarRow.text == text))}
    wanted = [(r, "") for r in responsibilities] + [("", t) for t in topics]
    new = [pair for pair in dict.fromkeys(wanted) if pair not in known]
    for responsibility, topic in new:
        session.add(ExemplarRow(member_id=member_id, activity_id=activity_id, text=text,
                                responsibility=responsibility, topic=topic))
    return len(new)


def exemplars_for(session: Session, member_id: str) -> list[ExemplarRow]:
    """The exemplars that count for the member's files: their own, then every member's approved ones."""
    rows = session.scalars(select(ExemplarRow).where(or_(
        ExemplarRow.member_id == member_id, ExemplarRow.approved_at.is_not(None))).order_by(ExemplarRow.id))
    return sorted(rows, key=lambda r: (r.member_id != member_id, r.id))


def exemplar_page(session: Session, *, pending: bool | None = None, after: int = 0,
                  limit: int = 100) -> tuple[list[ExemplarRow], int | None]:
    """Exemplars oldest first (only those waiting for approval with `pending`), and the next page's start."""
    query = select(ExemplarRow).where(ExemplarRow.id > after)
    if pending is not None:
        query = query.where(ExemplarRow.approved_at.is_(None) if pending else ExemplarRow.approved_at.is_not(None))
    found = list(session.scalars(query.order_by(ExemplarRow.id).limit(limit + 1)))
    page = found[:limit]
    return page, page[-1].id if len(found) > limit else None


def approve_exemplars(session: Session, ids: Sequence[int], by: str) -> list[int]:
    """Approve the exemplars `ids` for every member's files; returns those found (approved before or now)."""
    found = list(session.scalars(select(ExemplarRow.id).where(ExemplarRow.id.in_(list(ids)))))
    if found:
        session.execute(update(ExemplarRow).where(ExemplarRow.id.in_(found), ExemplarRow.approved_at.is_(None))
                        .values(approved_by=by, approved_at=utcnow()))
    return found


def exemplar_json(row: ExemplarRow) -> dict[str, Any]:
    """An exemplar as the admin's list shows it."""
    return {"id": row.id, "member_id": row.member_id, "activity_id": row.activity_id, "text": row.text,
            "responsibility": row.responsibility or None, "topic": row.topic or None,
            "approved_by": row.approved_by,
            "approved_at": row.approved_at.isoformat() + "Z" if row.approved_at else None,
            "created_at": row.created_at.isoformat() + "Z" if row.created_at else None}
