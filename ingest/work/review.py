"""The member's review of what was read, and their own uploads: the operations the API and the web pages share.

    review_activity(session, work, member, activity_id, ...)   confirm / edit / reject / restore; commit; texts
                                                                changed: the activity is matched again (remap)
    add_activity(session, work, member, entered, ...)          an activity entered by hand; commit; matched
    activities_page(session, member, ...)                      the member's activities (each with its review)
    attention_page(session, member, ...)                       undated ones, and corrections whose activity went
    my_uploads(session, member, before, limit)                 the member's uploads, newest first
    delete_upload(runtime, session, upload, by)                its activities leave the record; audit-logged;
                                                                the bytes go once no upload refers to them
    upload_bytes(runtime, upload)                              the original bytes
    health(runtime, work)                                      database and broker reachable, version
    exemplars_page / approve(session, ids, by)                 what members taught the matcher; an admin's
                                                                approval makes it count for every member

A confirmation, or the member's own responsibilities or ethics call, teaches the matcher (ingest.work.taught):
the title with each mapping becomes an exemplar for that member's files at once.

Who may do what is the caller's check (ingest.api); values are checked there too (the contract's types).
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from mappers.datafiles import load_yaml
from mappers.matching.knowledge import ETHICS_FILE

from ..store import (CONFIRMED, EDITED, ActivityRow, AuditRow, ExemplarRow, ReviewError, UploadRow, activity_count,
                     add_manual, approve_exemplars, drop_reviews, exemplar_page, lock_member, member_role, orphan_json,
                     orphans, record_exemplars, save_review, undated_filter, with_review)
from ..year import detect
from .dispatch import CeleryDispatcher, Dispatcher
from .pipeline import EXTRACTOR_VERSION
from .runtime import Runtime

__all__ = ["Page", "review_activity", "add_activity", "activities_page", "attention_page", "my_uploads",
           "delete_upload", "upload_bytes", "health", "audit", "member_actor", "resolved", "ethics_topics",
           "exemplars_page", "approve"]

log = logging.getLogger(__name__)
_MATCHED_TEXTS = {"title", "description", "reflection"}
_LINKED_ON = {"title", "status", "started_on", "completed_on", "duration_minutes", "cpd_hours", "provider"}


@dataclass(frozen=True, slots=True)
class Page:
    """A page of activity JSON and the row id the next page starts after (None: the last page)."""

    items: list[dict[str, Any]]
    next_after: int | None


def member_actor(member_id: str) -> str:
    """How a member is named in reviews and the audit log."""
    return f"member:{member_id}"


@functools.cache
def ethics_topics() -> dict[str, str]:
    """The ethics topics a member may name: id -> label (mappers/data/ethics_topics.yaml)."""
    return {str(t["id"]): str(t["label"]) for t in load_yaml(ETHICS_FILE.read_text(encoding="utf-8"))["topics"]}


def resolved(session: Session, member_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The member's values as the contract's JSON: responsibility ids (from their role) and ethics topic ids
    become the contract's objects, scored 100 and marked as the member's; ReviewError for an unknown id."""
    out = dict(values)
    if "responsibilities" in out:
        role = member_role(session, member_id).role or {}
        texts = {str(r["id"]): str(r["text"]) for r in role.get("responsibilities", [])}
        unknown = [rid for rid in out["responsibilities"] if rid not in texts]
        if unknown:
            known = ", ".join(sorted(texts)) or "none: set your role first (PUT /members/{id}/role)"
            raise ReviewError("unknown_responsibility", f"Your role has no responsibility {', '.join(unknown)}; "
                              f"its responsibilities are: {known}.")
        out["responsibilities"] = [{"id": rid, "text": texts[rid], "score": 100.0, "terms": ["set by the member"]}
                                   for rid in dict.fromkeys(out["responsibilities"])]
    if "ethics" in out:
        topics = ethics_topics()
        given = list(dict.fromkeys(out["ethics"].get("topics") or []))
        unknown = [t for t in given if t not in topics]
        if unknown:
            raise ReviewError("unknown_topic", f"There is no ethics topic {', '.join(unknown)}; the topics are: "
                              f"{', '.join(sorted(topics))}.")
        out["ethics"] = {"related": bool(out["ethics"]["related"] or given), "topics": [
            {"id": t, "label": topics[t], "score": 100.0, "terms": ["set by the member"]} for t in given]}
    return out


def review_activity(session: Session, work: Dispatcher, member_id: str, activity_id: str, *, by: str,
                    review: str | None = None, reason: str | None = None, changes: Mapping[str, Any] | None = None,
                    restore: Sequence[str] = ()) -> dict[str, Any]:
    """Save the member's word on an activity (store.save_review; ReviewError when it cannot be), relink the
    upload's duplicates when a field they are judged on changed, commit; then have the activity matched
    again when its texts changed. Returns the activity JSON with its review."""
    lock_member(session, member_id)
    data = save_review(session, member_id, activity_id, by=by, review=review, reason=reason,
                       changes=resolved(session, member_id, changes or {}), restore=restore)
    touched = set(changes or ()) | set(restore)
    if data.get("review", {}).get("state") in (CONFIRMED, EDITED) and (
            review == CONFIRMED or touched & {"responsibilities", "ethics"}):
        _teach(session, member_id, data)
    upload_id = session.scalar(select(ActivityRow.upload_id).where(ActivityRow.member_id == member_id,
                                                                   ActivityRow.activity_id == activity_id))
    if upload_id is not None and (touched & _LINKED_ON or review is not None):
        detect(session, member_id, upload_id)
    session.commit()
    if touched & _MATCHED_TEXTS:
        _remap(work, member_id)
    return with_review(_current(session, member_id, activity_id) or data)


def add_activity(session: Session, work: Dispatcher, member_id: str, entered: Mapping[str, Any], *, by: str,
                 member_values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Store an activity the member entered by hand, commit, then have it matched to their role (the
    responsibilities and ethics they gave stay theirs). Returns its JSON."""
    lock_member(session, member_id)
    data = add_manual(session, member_id, entered, by=by,
                      member_values=resolved(session, member_id, member_values or {}))
    if member_values:
        _teach(session, member_id, data)
    session.commit()
    _remap(work, member_id)
    return with_review(_current(session, member_id, data["activity_id"]) or data)


def _teach(session: Session, member_id: str, data: dict[str, Any]) -> None:
    """The activity's mappings, confirmed by the member, kept as exemplars (ingest.store.exemplars)."""
    ethics = data.get("ethics") or {}
    record_exemplars(session, member_id, str(data["activity_id"]), str(data["title"]),
                     [str(r["text"]) for r in data.get("responsibilities") or []],
                     [str(t["id"]) for t in ethics.get("topics") or []] if ethics.get("related") else [])


def exemplars_page(session: Session, *, pending: bool | None, after: int, limit: int) -> tuple[list[ExemplarRow], int | None]:
    """What members taught the matcher, oldest first (`pending`: only those waiting for an admin)."""
    return exemplar_page(session, pending=pending, after=after, limit=limit)


def approve(session: Session, ids: Sequence[int], *, by: str) -> list[int]:
    """An admin's approval: the exemplars count for every member's files from now on; audit-logged; commit.
    Returns the ids found."""
    found = approve_exemplars(session, ids, by)
    if found:
        audit(session, by, "exemplars_approved", f"{len(found)} exemplars", detail={"ids": found})
    session.commit()
    return found


def _remap(work: Dispatcher, member_id: str) -> None:
    try:
        work.remap(member_id)
    except Exception as exc:  # the row waits, marked unmatched, for the next remap of the member
        log.warning("member %s: could not send the remap now (%s: %s)", member_id, exc.__class__.__name__, exc)


def _current(session: Session, member_id: str, activity_id: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = session.scalar(select(ActivityRow.data).where(
        ActivityRow.member_id == member_id, ActivityRow.activity_id == activity_id))
    return found


def activities_page(session: Session, member_id: str, *, after: int = 0, limit: int = 100,
                    where: Sequence[Any] = ()) -> Page:
    """The member's activities in the order they were read, with a `review` each, filtered by `where`."""
    rows = session.execute(select(ActivityRow.id, ActivityRow.data).where(
        ActivityRow.member_id == member_id, ActivityRow.id > after, *where).order_by(ActivityRow.id)
        .limit(limit + 1)).all()
    page = rows[:limit]
    return Page([with_review(r.data) for r in page], page[-1].id if len(rows) > limit else None)


def attention_page(session: Session, member_id: str, *, after: int = 0, limit: int = 100) -> tuple[Page, list[dict[str, Any]]]:
    """What waits for the member: their completed activities with no date and not rejected (until they date
    or reject them), and, with the first page, their corrections whose activity was not found again."""
    page = activities_page(session, member_id, after=after, limit=limit, where=[undated_filter(member_id)])
    lost = [orphan_json(r) for r in orphans(session, member_id)] if after == 0 else []
    return page, lost


def my_uploads(session: Session, member_id: str, *, before: int | None = None,
               limit: int = 100) -> tuple[list[UploadRow], dict[int, int], int | None]:
    """The member's uploads, newest first, with an id below `before`; their activity counts; and the id the
    next page starts below (None: the last page)."""
    query = select(UploadRow).where(UploadRow.member_id == member_id)
    if before is not None:
        query = query.where(UploadRow.id < before)
    found = list(session.scalars(query.order_by(UploadRow.id.desc()).limit(limit + 1)))
    page = found[:limit]
    return page, activity_count(session, [u.id for u in page]), page[-1].id if len(found) > limit else None


def audit(session: Session, actor: str, action: str, subject: str, *, member_id: str | None = None,
          detail: Mapping[str, Any] | None = None) -> None:
    """Record in the audit log who did what (in the caller's transaction)."""
    session.add(AuditRow(actor=actor, action=action, member_id=member_id, subject=subject[:255],
                         detail=dict(detail or {})))


def delete_upload(runtime: Runtime, session: Session, upload: UploadRow, *, by: str) -> None:
    """Withdraw an upload: its activities and the member's reviews of them leave the record, the duplicates
    linked to them are linked again without them, the audit log says who did it; commit. The stored bytes go
    only when no upload (of any member) refers to them any more."""
    member_id, upload_id, sha256 = upload.member_id, upload.id, upload.sha256
    lock_member(session, member_id)
    ids = list(session.scalars(select(ActivityRow.activity_id).where(ActivityRow.upload_id == upload_id)))
    drop_reviews(session, member_id, upload_id, ids)
    session.execute(delete(ActivityRow).where(ActivityRow.upload_id == upload_id))
    audit(session, by, "upload_deleted", f"upload {upload_id}", member_id=member_id,
          detail={"filename": upload.filename, "sha256": sha256, "size": upload.size, "activities": len(ids),
                  "state": upload.state})
    session.delete(upload)
    session.flush()
    detect(session, member_id, upload_id)  # rows that repeated one of its activities count on their own again
    session.commit()
    still = session.scalar(select(func.count()).select_from(UploadRow).where(UploadRow.sha256 == sha256))
    if not still:
        runtime.blobs.delete(sha256)


def upload_bytes(runtime: Runtime, upload: UploadRow) -> bytes:
    """The upload's original bytes (BlobMissing / BlobCorrupt when the store cannot give them)."""
    return runtime.blobs.get(upload.sha256)


def health(runtime: Runtime, work: Dispatcher) -> tuple[bool, dict[str, Any]]:
    """Whether the service can work: the database answers, and the broker where one is configured."""
    try:
        with runtime.sessions() as session:
            session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:
        database = f"unreachable: {exc.__class__.__name__}"
    broker = "none (work done in this process)"
    if isinstance(work, CeleryDispatcher):
        try:
            with work.app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=3)
            broker = "ok"
        except Exception as exc:
            broker = f"unreachable: {exc.__class__.__name__}"
    up = database == "ok" and not broker.startswith("unreachable")
    return up, {"status": "ok" if up else "unavailable", "database": database, "broker": broker,
                "version": _version(), "extractor_version": EXTRACTOR_VERSION,
                "time": dt.datetime.now(dt.timezone.utc).isoformat()}


def _version() -> str:
    try:
        return version("cpd-evidence")
    except PackageNotFoundError:
        return "unknown"
