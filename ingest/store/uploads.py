"""Uploads and the activities read from them. Callers own the transaction: nothing here commits.

`save_result` replaces an upload's activities and sets its final state in the caller's one transaction,
guarded by the upload's lease (compare-and-set), so a task run twice, a reprocess, or a worker that lost
its lease never leaves duplicates or a half-written upload. What was read is the caller's (ingest.work
reads, then stores, then links duplicates); the store only writes it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from extractors.model import neutral_name
from mappers.activity import Activity

from .members import ensure_member
from .models import DONE, FAILED, PROCESSING, ActivityRow, UploadRow, utcnow
from .reviews import with_matches

__all__ = ["LeaseLost", "ReadError", "ReadResult", "find_or_create_upload", "save_result", "finish_links",
           "activity_values", "activity_count", "update_matches", "clean_text", "neutral_name"]

_CHUNK = 500  # ids per IN (...) clause: well under SQLite's and PostgreSQL's parameter limits


class LeaseLost(RuntimeError):
    """Another worker, or an admin's reprocess, took the upload over; this run's result is dropped."""


class _Json(Protocol):
    def to_json(self) -> dict[str, Any]: ...


class ReadError(Protocol):
    """Why a file could not be read: a stable `code` and a message a person can act on."""

    @property
    def code(self) -> str: ...

    @property
    def message(self) -> str: ...


class ReadResult(Protocol):
    """What reading one file gave, as the store keeps it (ingest.work.pipeline.FileResult is one)."""

    @property
    def extractor(self) -> str | None: ...

    @property
    def media_type(self) -> str | None: ...

    @property
    def activities(self) -> Sequence[Activity]: ...

    @property
    def warnings(self) -> Sequence[_Json]: ...

    @property
    def error(self) -> ReadError | None: ...


def clean_text(value: str, limit: int | None = None) -> str:
    """Text safe for every database: no NUL (PostgreSQL refuses it), cut to the column's length."""
    value = value.replace("\x00", "")
    return value[:limit] if limit else value


def find_or_create_upload(session: Session, *, member_id: str, filename: str, sha256: str, size: int,
                          media_type: str | None) -> tuple[UploadRow, bool]:
    """The member's upload of these bytes, created (queued) unless they uploaded them before."""
    ensure_member(session, member_id)
    found = _upload_by_hash(session, member_id, sha256)
    if found is not None:
        return found, False
    upload = UploadRow(member_id=member_id, filename=neutral_name(filename)[:255] or "upload", sha256=sha256,
                       size=size, media_type=clean_text(media_type, 255) if media_type else None, attempts=0,
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


def _upload_by_hash(session: Session, member_id: str, sha256: str) -> UploadRow | None:
    return session.scalars(select(UploadRow).where(UploadRow.member_id == member_id,
                                                   UploadRow.sha256 == sha256)).first()


def save_result(session: Session, upload: UploadRow, result: ReadResult, *, extractor_version: str,
                lease_owner: str | None = None, role_hash: str | None = None,
                batches: Iterable[Sequence[Activity]] | None = None, links_pending: bool = False) -> int:
    """Replace the upload's activities by the result's and mark it done (or failed with the result's error).
    With `links_pending` (and a lease owner), a good result leaves the upload processing under its lease with
    `links_pending` set: done comes with its duplicates' links, in the step after (`finish_links`).

    The activities are `result.activities`, or `batches` when given (a big file's, stored a batch at a
    time, never all in memory); none are stored for a result with an error. With `lease_owner`, only while
    that owner still holds the upload (else `LeaseLost`). Returns the number of activities stored. Run
    inside one transaction; the caller commits.
    """
    _finish(session, upload, result, lease_owner, extractor_version,
            pending=links_pending and lease_owner is not None and result.error is None)
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
    if upload in session:  # its columns changed underneath (a bulk UPDATE)
        session.expire(upload)
    return len(stored)


def _finish(session: Session, upload: UploadRow, result: ReadResult, lease_owner: str | None, version: str,
            pending: bool = False) -> None:
    error = result.error
    where = [UploadRow.id == upload.id]
    if lease_owner is not None:
        where += [UploadRow.state == PROCESSING, UploadRow.lease_owner == lease_owner]
    now = utcnow()
    ended: dict[str, Any] = {"links_pending": True} if pending else {
        "state": FAILED if error else DONE, "links_pending": False, "lease_owner": None, "lease_expires_at": None,
        "lease_holder": None, "finished_at": now}
    done = session.execute(update(UploadRow).where(*where).values(
        error_code=error.code if error else None,
        error_message=error.message if error else None, last_error=None,
        extractor=result.extractor, media_type=result.media_type or upload.media_type,
        extractor_version=version, warnings=[w.to_json() for w in result.warnings], updated_at=now, **ended,
    ).execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLost(f"upload {upload.id} is no longer held by {lease_owner}; its result is dropped")


def finish_links(session: Session, upload_id: int, lease_owner: str) -> None:
    """The step after `save_result(..., links_pending=True)`: the upload done, its lease given back, in the
    transaction that writes its duplicates' links; `LeaseLost` when the owner no longer holds it."""
    now = utcnow()
    done = session.execute(update(UploadRow).where(
        UploadRow.id == upload_id, UploadRow.state == PROCESSING, UploadRow.lease_owner == lease_owner,
        UploadRow.links_pending.is_(True)).values(
        state=DONE, links_pending=False, lease_owner=None, lease_expires_at=None, lease_holder=None, finished_at=now,
        updated_at=now).execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLost(f"upload {upload_id} is no longer held by {lease_owner}; its links are dropped")


def _new_rows(upload: UploadRow, activities: Iterable[Activity], role_hash: str | None,
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
    """How many activities each of the uploads holds (an upload with none is left out)."""
    counts = session.execute(select(ActivityRow.upload_id, func.count()).where(
        ActivityRow.upload_id.in_(list(upload_ids))).group_by(ActivityRow.upload_id))
    return {upload_id: n for upload_id, n in counts if upload_id is not None}


def update_matches(session: Session, updates: Iterable[tuple[int, dict[str, Any]]], role_hash: str | None) -> None:
    """Write re-matched activities back (row id, JSON with the new matches), tagged with the role they were
    matched to. Only the matches are taken, onto the row as it is now (a member's review saved meanwhile
    stays), and where the member set their own, those stay shown (reviews.with_matches)."""
    pending = dict(updates)
    ids = list(pending)
    for start in range(0, len(ids), _CHUNK):
        current = session.execute(select(ActivityRow.id, ActivityRow.data).where(
            ActivityRow.id.in_(ids[start:start + _CHUNK]))).all()
        for row_id, data in current:
            new = pending[row_id]
            merged = with_matches(data, new["responsibilities"], new["ethics"])
            session.execute(update(ActivityRow).where(ActivityRow.id == row_id).values(
                data=merged, ethics_related=bool(merged["ethics"]["related"]), role_hash=role_hash))
