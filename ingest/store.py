"""Persistence of members, uploads and activities. Callers own the transaction: nothing here commits.

`save_result` replaces an upload's activities and sets its final state in the caller's one transaction,
guarded by the upload's lease (compare-and-set), so a task run twice, a reprocess, or a worker that lost
its lease never leaves duplicates or a half-written upload.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mappers.activity import Activity

from .duplicates import detect as detect_duplicates
from .models import DONE, FAILED, PROCESSING, ActivityRow, Member, Upload, utcnow
from .pipeline import EXTRACTOR_VERSION, FileResult

__all__ = ["LeaseLost", "role_hash", "ensure_member", "set_role", "lock_member_role", "find_or_create_upload", "save_result",
           "activity_values", "clean_text"]

_CHUNK = 500  # ids per IN (...) clause: well under SQLite's and PostgreSQL's parameter limits


class LeaseLost(RuntimeError):
    """Another worker, or an admin's reprocess, took the upload over; this run's result is dropped."""


def role_hash(role: dict[str, Any] | None) -> str | None:
    if role is None:
        return None
    return hashlib.sha256(json.dumps(role, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def clean_text(value: str, limit: int | None = None) -> str:
    """Text safe for every database: no NUL (PostgreSQL refuses it), cut to the column's length."""
    value = value.replace("\x00", "")
    return value[:limit] if limit else value


def ensure_member(session: Session, member_id: str) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        member = Member(id=member_id)
        try:
            with session.begin_nested():
                session.add(member)
        except IntegrityError:  # created meanwhile by another request
            found = session.get(Member, member_id)
            if found is None:
                raise
            member = found
    return member


def set_role(session: Session, member_id: str, role: dict[str, Any] | None) -> str | None:
    """Store the member's role profile; their activities are re-matched by `jobs.remap`."""
    member = ensure_member(session, member_id)
    member.role, member.role_hash = role, role_hash(role)
    return member.role_hash


def lock_member_role(session: Session, member_id: str) -> tuple[dict[str, Any] | None, str | None]:
    """The member's role, read under a write lock (a no-op UPDATE: a row lock in PostgreSQL, the write lock
    in SQLite), so a role change either commits before this transaction and is seen, or waits for it."""
    session.execute(update(Member).where(Member.id == member_id).values(role_hash=Member.role_hash)
                    .execution_options(synchronize_session=False))
    row = session.execute(select(Member.role, Member.role_hash).where(Member.id == member_id)).one()
    return row.role, row.role_hash


def find_or_create_upload(session: Session, *, member_id: str, filename: str, sha256: str, size: int,
                          media_type: str | None) -> tuple[Upload, bool]:
    """The member's upload of these bytes, created (queued) unless they uploaded them before."""
    ensure_member(session, member_id)
    found = _upload_by_hash(session, member_id, sha256)
    if found is not None:
        return found, False
    upload = Upload(member_id=member_id, filename=clean_text(filename, 255) or "upload", sha256=sha256, size=size,
                    media_type=clean_text(media_type, 255) if media_type else None, attempts=0,
                    enqueued_at=utcnow())
    try:
        with session.begin_nested():
            session.add(upload)
    except IntegrityError:  # the same bytes from the same member, uploaded at the same moment
        found = _upload_by_hash(session, member_id, sha256)
        if found is None:
            raise
        return found, False
    return upload, True


def _upload_by_hash(session: Session, member_id: str, sha256: str) -> Upload | None:
    return session.scalars(select(Upload).where(Upload.member_id == member_id, Upload.sha256 == sha256)).first()


def save_result(session: Session, upload: Upload, result: FileResult, *, lease_owner: str | None = None,
                role_hash: str | None = None, extractor_version: str = EXTRACTOR_VERSION,
                batches: Iterable[Sequence[Activity]] | None = None) -> int:
    """Replace the upload's activities by the result's and mark it done (or failed with the result's error).

    The activities are `result.activities`, or `batches` when given (a big file's, stored a batch at a
    time, never all in memory); none are stored for a result with an error. With `lease_owner`, only while
    that owner still holds the upload (else `LeaseLost`). Returns the number of activities stored. Run
    inside one transaction; the caller commits.
    """
    _finish(session, upload, result, lease_owner, extractor_version)
    session.execute(delete(ActivityRow).where(ActivityRow.upload_id == upload.id))
    stored: set[str] = set()
    for batch in () if result.error else (batches if batches is not None else (result.activities,)):
        rows = _new_rows(upload, batch, role_hash, stored)
        ids = [r["activity_id"] for r in rows]
        for start in range(0, len(ids), _CHUNK):  # the member's same activity held by another upload row
            session.execute(delete(ActivityRow).where(ActivityRow.member_id == upload.member_id,
                                                      ActivityRow.activity_id.in_(ids[start:start + _CHUNK])))
        for start in range(0, len(rows), _CHUNK):
            session.execute(insert(ActivityRow), rows[start:start + _CHUNK])
    detect_duplicates(session, upload.member_id, upload.id)  # links to the member's other uploads, same transaction
    if upload in session:  # its columns changed underneath (a bulk UPDATE)
        session.expire(upload)
    return len(stored)


def _finish(session: Session, upload: Upload, result: FileResult, lease_owner: str | None, version: str) -> None:
    error = result.error
    where = [Upload.id == upload.id]
    if lease_owner is not None:
        where += [Upload.state == PROCESSING, Upload.lease_owner == lease_owner]
    now = utcnow()
    done = session.execute(update(Upload).where(*where).values(
        state=FAILED if error else DONE, error_code=error.code if error else None,
        error_message=error.message if error else None, last_error=None,
        extractor=result.extractor, media_type=result.media_type or upload.media_type,
        extractor_version=version, warnings=[w.to_json() for w in result.warnings],
        lease_owner=None, lease_expires_at=None, finished_at=now, updated_at=now,
    ).execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLost(f"upload {upload.id} is no longer held by {lease_owner}; its result is dropped")


def _new_rows(upload: Upload, activities: Iterable[Activity], role_hash: str | None,
              stored: set[str]) -> list[dict[str, Any]]:
    """Rows for the activities whose id is not in `stored` yet (adding them to it)."""
    rows = []
    for activity in activities:
        if activity.activity_id not in stored:
            stored.add(activity.activity_id)
            rows.append(activity_values(upload.member_id, upload.id, activity.to_json(), role_hash))
    return rows


def activity_values(member_id: str, upload_id: int, data: dict[str, Any], role_hash: str | None) -> dict[str, Any]:
    """The row for one contract activity: the JSON whole, and the fields the portal filters on."""
    completed = data.get("completed_on")
    return {
        "member_id": member_id, "upload_id": upload_id, "activity_id": data["activity_id"],
        "title": clean_text(data["title"]), "status": data["status"], "activity_type": data.get("activity_type"),
        "completed_on": dt.date.fromisoformat(completed) if completed else None,
        "cpd_hours": data.get("cpd_hours"), "verifiable": data.get("verifiable"),
        "ethics_related": bool((data.get("ethics") or {}).get("related")),
        "role_hash": role_hash, "data": data,
    }


def activity_count(session: Session, upload_ids: Sequence[int]) -> dict[int, int]:
    counts = session.execute(select(ActivityRow.upload_id, func.count()).where(
        ActivityRow.upload_id.in_(list(upload_ids))).group_by(ActivityRow.upload_id))
    return {upload_id: n for upload_id, n in counts}


def update_matches(session: Session, updates: Iterable[tuple[int, dict[str, Any]]], role_hash: str | None) -> None:
    """Write re-matched activities back (row id, new JSON), tagged with the role they were matched to."""
    for row_id, data in updates:
        session.execute(update(ActivityRow).where(ActivityRow.id == row_id).values(
            data=data, ethics_related=bool(data["ethics"]["related"]), role_hash=role_hash))
