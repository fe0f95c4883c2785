"""Re-match a member's stored activities to their current role profile (after `PUT /members/{id}/role`).

Only activities matched to another role are touched (each row keeps the hash of the role it was matched
to), a batch at a time; a batch is written only while the role it was matched to is still the member's,
so two quick role changes end with the newer one.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from .models import ActivityRow, Member
from .runtime import Runtime
from .store import lock_member_role, update_matches

__all__ = ["remap"]

BATCH = 500


def remap(member_id: str, runtime: Runtime) -> int:
    """Re-match what needs it; returns how many activities were updated."""
    with runtime.sessions() as session:
        row = session.execute(select(Member.role, Member.role_hash).where(Member.id == member_id)).one_or_none()
    if row is None:
        return 0
    matcher = runtime.matchers.get(row.role, row.role_hash)
    total, after = 0, 0
    while True:
        with runtime.sessions() as session:
            batch = session.execute(select(ActivityRow.id, ActivityRow.data).where(
                ActivityRow.member_id == member_id, ActivityRow.role_hash.is_distinct_from(row.role_hash),
                ActivityRow.id > after).order_by(ActivityRow.id).limit(BATCH)).all()
        if not batch:
            return total
        pairs = matcher.match_many([_texts(data) for _, data in batch])
        updates = [(row_id, {**data, "responsibilities": [r.to_json() for r in responsibilities],
                             "ethics": ethics.to_json()})
                   for (row_id, data), (responsibilities, ethics) in zip(batch, pairs)]
        with runtime.sessions() as session, session.begin():
            if lock_member_role(session, member_id)[1] != row.role_hash:
                return total  # a newer role came in; its own remap does the rest
            update_matches(session, updates, row.role_hash)
        total, after = total + len(batch), batch[-1].id


def _texts(data: dict[str, Any]) -> tuple[str, str | None, str | None]:
    return data["title"], data.get("description"), data.get("reflection")
