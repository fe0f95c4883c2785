"""What the pages show, read from the store: uploads in words, the member's CPD years, and the texts the
templates print. Nothing here writes."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mappers.activity import ACTIVITY_TYPES

from ..store import DONE, FAILED, PROCESSING, QUEUED, ActivityRow, UploadRow, with_review
from ..work.review import attention_page, my_uploads
from ..year import cpd_year_bounds, cpd_year_of

__all__ = ["UploadView", "upload_view", "member_uploads", "member_years", "default_year", "year_activities",
           "year_label", "STATE_TEXT", "ACTIVITY_TYPES", "REJECT_REASONS", "hours_text", "member_attention"]

STATE_TEXT = {QUEUED: "Waiting to be read", PROCESSING: "Being read", DONE: "Read", FAILED: "Failed"}
REJECT_REASONS = {"not_mine": "Not mine", "not_learning": "Not learning"}
ATTENTION_SHOWN = 100  # undated activities listed at once (the summary counts them all)
UPLOADS_SHOWN = 100  # the member's newest uploads on their page


@dataclass(frozen=True, slots=True)
class UploadView:
    """One upload as a row of the page: its state and, when it failed, the reason in words."""

    id: int
    member_id: str
    filename: str
    state: str
    state_text: str
    activities: int
    error_code: str | None
    error_message: str | None
    last_error: str | None
    attempts: int
    created_at: str
    updated_at: str

    @property
    def pending(self) -> bool:
        return self.state in (QUEUED, PROCESSING)

    def json(self) -> dict[str, Any]:
        """What the page's script polls for (GET /member/uploads/state)."""
        return {"id": self.id, "filename": self.filename, "state": self.state, "state_text": self.state_text,
                "activities": self.activities,
                "error": {"code": self.error_code, "message": self.error_message} if self.error_code else None}


def upload_view(upload: UploadRow, activities: int) -> UploadView:
    """`upload` for a page."""
    text = STATE_TEXT.get(upload.state, upload.state)
    if upload.state == DONE:
        text = f"Read: {activities} activit{'y' if activities == 1 else 'ies'}"
    return UploadView(upload.id, upload.member_id, upload.filename, upload.state, text, activities,
                      upload.error_code, upload.error_message, upload.last_error, upload.attempts,
                      _when(upload.created_at), _when(upload.updated_at))


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%d %b %Y %H:%M UTC") if value is not None else ""


def member_uploads(session: Session, member_id: str, limit: int = UPLOADS_SHOWN) -> list[UploadView]:
    """The member's uploads, newest first (ingest.work.review.my_uploads, as GET /uploads)."""
    found, counts, _more = my_uploads(session, member_id, limit=limit)
    return [upload_view(u, counts.get(u.id, 0)) for u in found]


def member_attention(session: Session, member_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What waits for the member (as GET .../activities?needs_attention=true): their undated activities, and
    their corrections whose activity was not found again on reprocess."""
    page, lost = attention_page(session, member_id, limit=ATTENTION_SHOWN)
    return page.items, lost


def member_years(session: Session, member_id: str, start_month: int, today: dt.date) -> list[int]:
    """The CPD years the member has dated activities in, and the current one; newest first."""
    first, last = session.execute(select(func.min(ActivityRow.completed_on), func.max(ActivityRow.completed_on))
                                  .where(ActivityRow.member_id == member_id)).one()
    current = cpd_year_of(today, start_month)
    years = {current}
    if first is not None and last is not None:
        years.update(range(cpd_year_of(first, start_month), cpd_year_of(last, start_month) + 1))
    return sorted((y for y in years if 1900 <= y <= 2200), reverse=True)


def default_year(session: Session, member_id: str, start_month: int, today: dt.date) -> int:
    """The year the page opens on: the current CPD year when it holds activities, else the latest that does."""
    current = cpd_year_of(today, start_month)
    start, end = cpd_year_bounds(current, start_month)
    latest = session.scalar(select(func.max(ActivityRow.completed_on)).where(
        ActivityRow.member_id == member_id, ActivityRow.completed_on < end))
    has_current = latest is not None and latest >= start
    return current if has_current or latest is None else cpd_year_of(latest, start_month)


def year_activities(session: Session, member_id: str, year: int, start_month: int) -> list[dict[str, Any]]:
    """The member's activities dated in CPD year `year`, by date, each with its `review` (rejected ones too:
    the member may take the rejection back)."""
    start, end = cpd_year_bounds(year, start_month)
    rows = session.scalars(select(ActivityRow.data).where(
        ActivityRow.member_id == member_id, ActivityRow.completed_on >= start, ActivityRow.completed_on < end)
        .order_by(ActivityRow.completed_on, ActivityRow.id))
    return [with_review(data) for data in rows]


def year_label(year: int, start_month: int) -> str:
    """"2024–25" for a year starting in April 2024; "2024" for one starting in January."""
    return str(year) if start_month == 1 else f"{year}–{str(year + 1)[-2:]}"


def hours_text(value: float | None) -> str:
    """Hours as people read them: "1.5 h", "2 h"; "no hours" for None."""
    if value is None:
        return "no hours"
    rounded = round(float(value), 2)
    return f"{rounded:g} h"
