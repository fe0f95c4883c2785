"""The member's word on an activity, kept apart from what was read. Callers own the transaction.

A review (ReviewRow, one per member and activity_id) holds the state (confirmed / edited / rejected), the
values the member set (contract field -> value), a rejection's reason, who and when. Activity ids derive from
the file's bytes and the place in it, so a review finds its activity again after any reprocess. The row's
`data` shows the activity as the member sees it: their values over the extracted ones, and a `review`
object (CONTRACT.md section 1) whose `extracted` keeps what was read for each field they changed; its
columns (title, dates, hours, status, review_state) follow, so every reader (lists, summary, export,
duplicates) counts the member's values and can leave rejected activities out by a column.

    overlaid(base, review)           the activity JSON with a review applied (pure)
    extracted_of(data)               what was read, from the stored JSON (pure)
    with_matches(data, resp, ethics) new machine matches, where the member did not set their own (pure)
    apply_reviews(session, member, upload_id)    after an upload's activities were stored again
    save_review(session, member, activity_id, ...)   a member's PATCH
    add_manual(session, member, data, by)        an activity entered by hand (no upload)
    orphans / needs_attention / drop_reviews     reviews whose activity went; what waits for the member
"""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import and_, delete, exists, func, select, update
from sqlalchemy.orm import Session, aliased

from .members import ensure_member
from .models import ActivityRow, ReviewRow, utcnow

__all__ = ["EDITABLE", "UNREVIEWED", "CONFIRMED", "EDITED", "REJECTED", "REVIEW_STATES", "REASONS", "MANUAL",
           "ReviewError", "overlaid", "extracted_of", "with_review", "with_matches", "apply_reviews", "save_review",
           "add_manual", "orphans", "needs_attention", "drop_reviews", "orphan_json", "UNMATCHED", "undated_filter"]

# The fields of the contract's activity a member may set (never its id, source, confidence or warnings).
EDITABLE = ("title", "provider", "activity_type", "status", "started_on", "completed_on", "duration_minutes",
            "cpd_hours", "credits", "verifiable", "description", "reflection", "learner", "reference",
            "responsibilities", "ethics")
UNREVIEWED, CONFIRMED, EDITED, REJECTED = "unreviewed", "confirmed", "edited", "rejected"
REVIEW_STATES = (UNREVIEWED, CONFIRMED, EDITED, REJECTED)
REASONS = ("not_mine", "not_learning")
MANUAL = "manual"  # source.extractor of an activity entered by hand
UNMATCHED = ""     # a row's role_hash when its texts changed: the next remap matches it again (no role is None)
_MATCHED_TEXTS = {"title", "description", "reflection"}


class ReviewError(ValueError):
    """A review that cannot be saved: `code` says which case, the message what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _iso(value: dt.datetime) -> str:
    return value.isoformat() + "Z"


def extracted_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """The activity as it was read: the stored JSON without the member's values."""
    review = data.get("review") or {}
    base = {k: v for k, v in data.items() if k != "review"}
    base.update(review.get("extracted") or {})
    return base


def overlaid(base: Mapping[str, Any], review: ReviewRow | None) -> dict[str, Any]:
    """The activity with the member's review over what was read (unchanged, with no review, when None)."""
    data = dict(base)
    if review is None:
        return data
    changes = {k: v for k, v in review.changes.items() if k in EDITABLE}
    data.update(changes)
    data["review"] = {"state": review.state, "by": review.by, "at": _iso(review.at), "changed": sorted(changes),
                      "extracted": {k: base.get(k) for k in sorted(changes)}, "reason": review.reason}
    return data


def with_review(data: Mapping[str, Any]) -> dict[str, Any]:
    """The activity JSON with its `review` object (an unreviewed one when the member has said nothing)."""
    if data.get("review"):
        return dict(data)
    return {**data, "review": {"state": UNREVIEWED, "by": None, "at": None, "changed": [], "extracted": {},
                               "reason": None}}


def with_matches(data: Mapping[str, Any], responsibilities: list[dict[str, Any]],
                 ethics: dict[str, Any]) -> dict[str, Any]:
    """New machine matches on a stored activity: shown where the member set none of their own, else kept as
    what was extracted beneath the member's."""
    out = dict(data)
    review = dict(out.get("review") or {})
    changed = set(review.get("changed") or ())
    extracted = dict(review.get("extracted") or {})
    for field, value in (("responsibilities", responsibilities), ("ethics", ethics)):
        if field in changed:
            extracted[field] = value
        else:
            out[field] = value
    if review:
        out["review"] = {**review, "extracted": extracted}
    return out


def _columns(data: Mapping[str, Any]) -> dict[str, Any]:
    """The columns counted on, from the activity JSON as the member sees it."""
    completed = data.get("completed_on")
    review = data.get("review") or {}
    return {"title": str(data["title"]).replace("\x00", ""), "status": data["status"],
            "activity_type": data.get("activity_type"),
            "completed_on": dt.date.fromisoformat(completed) if completed else None,
            "cpd_hours": data.get("cpd_hours"), "verifiable": data.get("verifiable"),
            "ethics_related": bool((data.get("ethics") or {}).get("related")),
            "review_state": review.get("state") if review.get("state") != UNREVIEWED else None, "data": data}


def _write(session: Session, row_id: int, data: dict[str, Any], **more: Any) -> None:
    session.execute(update(ActivityRow).where(ActivityRow.id == row_id).values(**_columns(data), **more)
                    .execution_options(synchronize_session=False))


def apply_reviews(session: Session, member_id: str, upload_id: int) -> int:
    """Put the member's reviews back on an upload's freshly stored activities; returns how many."""
    found = session.execute(select(ActivityRow.id, ActivityRow.data, ReviewRow).join(ReviewRow, and_(
        ReviewRow.member_id == ActivityRow.member_id, ReviewRow.activity_id == ActivityRow.activity_id)).where(
        ActivityRow.member_id == member_id, ActivityRow.upload_id == upload_id)).all()
    for row_id, data, review in found:
        _write(session, row_id, overlaid(extracted_of(data), review))
        review.upload_id = upload_id
    return len(found)


def save_review(session: Session, member_id: str, activity_id: str, *, by: str, review: str | None = None,
                reason: str | None = None, changes: Mapping[str, Any] | None = None,
                restore: Sequence[str] = ()) -> dict[str, Any]:
    """The member's word on one activity: `review` confirmed / rejected / unreviewed (forget it all), values
    set (`changes`, checked by the caller) or given back to what was read (`restore`). Returns the activity
    JSON (with its review), or raises ReviewError."""
    row = session.execute(select(ActivityRow.id, ActivityRow.data, ActivityRow.upload_id).where(
        ActivityRow.member_id == member_id, ActivityRow.activity_id == activity_id)).one_or_none()
    found = session.scalars(select(ReviewRow).where(ReviewRow.member_id == member_id,
                                                    ReviewRow.activity_id == activity_id)).one_or_none()
    if row is None:
        return _orphan_change(session, member_id, activity_id, found, review)
    base = extracted_of(row.data)
    if review == UNREVIEWED:
        if found is not None:
            session.delete(found)
        _write(session, row.id, base)
        return with_review(base)
    values = {k: v for k, v in (found.changes if found else {}).items() if k not in restore}
    values.update(changes or {})
    state = _state(found, review, values)
    if state == REJECTED and reason is None and not (found and found.reason):
        raise ReviewError("reason_needed", f"Say why activity {activity_id} is rejected: "
                          f'{{"review": "rejected", "reason": "not_mine"}} or "not_learning".')
    if found is None:
        found = ReviewRow(member_id=member_id, activity_id=activity_id, state=state, changes={}, by=by)
        session.add(found)
    found.state, found.changes, found.by, found.at = state, values, by, utcnow()
    found.reason = (reason or found.reason) if state == REJECTED else None
    found.upload_id, found.title = row.upload_id, str(values.get("title", base["title"]))
    data = overlaid(base, found)
    texts_changed = bool(_MATCHED_TEXTS & (set(changes or ()) | set(restore)))
    _write(session, row.id, data, **({"role_hash": UNMATCHED} if texts_changed else {}))
    return data


def _state(found: ReviewRow | None, asked: str | None, values: Mapping[str, Any]) -> str:
    if asked == REJECTED or (asked is None and found is not None and found.state == REJECTED):
        return REJECTED
    return EDITED if values else CONFIRMED


def _orphan_change(session: Session, member_id: str, activity_id: str, found: ReviewRow | None,
                   review: str | None) -> dict[str, Any]:
    if found is None:
        raise ReviewError("no_such_activity", f"You have no activity {activity_id}. Take the id from "
                          f"GET /members/{member_id}/activities.")
    if review != UNREVIEWED:
        raise ReviewError("activity_gone", f"Activity {activity_id} ('{found.title}') was not found again when its "
                          "file was read again, so your correction waits: enter it by hand (POST "
                          f"/members/{member_id}/activities), then dismiss this one with "
                          '{"review": "unreviewed"}.')
    data = orphan_json(found)
    session.delete(found)
    return {**data, "dismissed": True}


def add_manual(session: Session, member_id: str, entered: Mapping[str, Any], *, by: str,
               member_values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Store an activity the member entered by hand (checked by the caller), marked as such; its
    responsibilities and ethics are matched by the next remap unless the member gave them
    (`member_values`, kept as their review). Returns its JSON."""
    ensure_member(session, member_id)
    activity_id = hashlib.sha256(f"manual:{member_id}:{uuid.uuid4()}".encode()).hexdigest()
    base: dict[str, Any] = {
        "activity_id": activity_id, "title": "", "provider": None, "activity_type": None, "status": "completed",
        "started_on": None, "completed_on": None, "duration_minutes": None, "cpd_hours": None, "credits": None,
        "verifiable": None, "description": None, "reflection": None, "learner": None, "reference": None,
        "source": {"file_sha256": None, "filename": None, "media_type": None, "extractor": MANUAL, "layout": None,
                   "locator": None},
        "responsibilities": [], "ethics": {"related": False, "topics": []}, "confidence": 1.0, "warnings": [],
    }
    base.update(entered)
    values = dict(member_values or {})
    review = ReviewRow(member_id=member_id, activity_id=activity_id, state=EDITED if values else CONFIRMED,
                       changes=values, by=by, at=utcnow(), title=str(values.get("title", base["title"])))
    session.add(review)
    data = overlaid(base, review)
    session.add(ActivityRow(member_id=member_id, activity_id=activity_id, upload_id=None, role_hash=UNMATCHED,
                            **_columns(data)))
    session.flush()
    return data


def _orphaned(member_id: str) -> Any:
    live = aliased(ActivityRow)
    return and_(ReviewRow.member_id == member_id, ~exists().where(live.member_id == member_id,
                                                                  live.activity_id == ReviewRow.activity_id))


def orphans(session: Session, member_id: str) -> list[ReviewRow]:
    """The member's reviews whose activity was not found again (reprocessed into other rows): kept, to show."""
    return list(session.scalars(select(ReviewRow).where(_orphaned(member_id)).order_by(ReviewRow.id)))


def orphan_json(review: ReviewRow) -> dict[str, Any]:
    """A review whose activity went, as the needs-attention list shows it."""
    return {"activity_id": review.activity_id, "title": review.title, "upload_id": review.upload_id,
            "review": {"state": review.state, "by": review.by, "at": _iso(review.at), "changed": sorted(review.changes),
                       "values": review.changes, "reason": review.reason},
            "attention": {"code": "activity_gone", "message": (
                "This activity was not found again when its file was read again. Your correction is kept: "
                "enter the activity by hand if it is still yours, then dismiss this one.")}}


def undated_filter(member_id: str) -> Any:
    """Completed activities with no date, not rejected: they count in no CPD year until dated."""
    return and_(ActivityRow.member_id == member_id, ActivityRow.status == "completed",
                ActivityRow.completed_on.is_(None), ActivityRow.review_state.is_distinct_from(REJECTED))


def needs_attention(session: Session, member_id: str) -> dict[str, int]:
    """How many of the member's activities wait for them: undated, and corrections whose activity went."""
    undated = session.scalar(select(func.count()).select_from(ActivityRow).where(undated_filter(member_id))) or 0
    gone = session.scalar(select(func.count()).select_from(ReviewRow).where(_orphaned(member_id))) or 0
    return {"count": undated + gone, "undated": undated, "corrections_lost": gone}


def drop_reviews(session: Session, member_id: str, upload_id: int, activity_ids: Sequence[str]) -> None:
    """Forget the reviews of an upload's activities (the upload is deleted)."""
    session.execute(delete(ReviewRow).where(ReviewRow.member_id == member_id, ReviewRow.upload_id == upload_id))
    ids = list(activity_ids)
    for start in range(0, len(ids), 500):
        session.execute(delete(ReviewRow).where(ReviewRow.member_id == member_id,
                                                ReviewRow.activity_id.in_(ids[start:start + 500])))
