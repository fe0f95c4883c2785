"""Re-match a member's stored activities to their current role profile (after `PUT /members/{id}/role`).

Only activities matched to another role are touched (each row keeps the hash of the role it was matched
to), a batch at a time; a batch is written only while the role it was matched to is still the member's,
so two quick role changes end with the newer one.
"""
from __future__ import annotations

from sqlalchemy import select

from ..store import ActivityRow, member_role, update_matches
from .matching import rematch_stored
from .runtime import Runtime
from .taught import member_exemplars

__all__ = ["remap"]

BATCH = 500


def remap(member_id: str, runtime: Runtime) -> int:
    """Re-match what needs it; returns how many activities were updated."""
    with runtime.sessions() as session:
        role = member_role(session, member_id)
        taught = member_exemplars(session, member_id, role.role)
    total, after = 0, 0
    while True:
        with runtime.sessions() as session:
            batch = session.execute(select(ActivityRow.id, ActivityRow.data).where(
                ActivityRow.member_id == member_id, ActivityRow.role_hash.is_distinct_from(role.role_hash),
                ActivityRow.id > after).order_by(ActivityRow.id).limit(BATCH)).all()
        if not batch:
            return total
        matcher = runtime.matchers.get(role.role, role.role_hash, taught)  # built once, on the first batch
        updated = rematch_stored(matcher, [data for _, data in batch])
        with runtime.sessions() as session, session.begin():
            if member_role(session, member_id, lock=True).role_hash != role.role_hash:
                return total  # a newer role came in; its own remap does the rest
            update_matches(session, [(row_id, data) for (row_id, _), data in zip(batch, updated)], role.role_hash)
        total, after = total + len(batch), batch[-1].id
