"""A member's CPD year: hours, ethics and the responsibilities of their role that the year's learning serves.

Rejected activities (the member's "not mine" / "not learning") count nowhere: they are never loaded; a
duplicate of a rejected activity counts in its place. What waits for the member (undated activities,
corrections whose activity went) is counted in `needs_attention`.

A CPD year `YYYY` runs from the first day of CPD_YEAR_START_MONTH (April by default) in YYYY to the day
before it in YYYY+1. Only completed activities count; hours are `cpd_hours` (an activity without them
counts 0 and is reported in `activities_without_hours`). An activity read from two uploads counts once
(ingest/year/duplicates.py): as its first-read row, taking hours the first one lacks from its duplicates, and
verifiable, ethics and responsibilities from either. Each counted activity's development area
(mappers/areas.py) gives the hours by area, and the activities carrying a reflection are counted.
Another learner's activities (a file's learner who is not the member's display name) count nowhere and are
listed in `other_learners` (ingest/year/learners.py).

    load_year(session, member, year, start_month) -> Year      the stored rows the year is made of
    summarise(year, ethics_required) -> dict                   the summary (GET /members/{id}/summary)
    member_summary(...)                                          both at once
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mappers.areas import AREAS, area_of

from ..store import REJECTED, ActivityRow, MemberRow, UploadRow, needs_attention
from .learners import members_own, other_learners

__all__ = ["cpd_year_bounds", "cpd_year_of", "member_summary", "load_year", "summarise", "Year", "Stored",
           "Counted", "Source", "LOW_CONFIDENCE", "LIST_MAX"]

LOW_CONFIDENCE = 0.6  # below this an activity is shown to the member to check against the file
LIST_MAX = 200        # activities listed outside the year at most (the count is always whole)


def cpd_year_bounds(year: int, start_month: int) -> tuple[dt.date, dt.date]:
    """First day of the CPD year and first day of the next one (exclusive)."""
    return dt.date(year, start_month, 1), dt.date(year + 1, start_month, 1)


def cpd_year_of(day: dt.date, start_month: int) -> int:
    """The CPD year `day` falls in (named by the calendar year it starts in)."""
    return day.year if day.month >= start_month else day.year - 1


@dataclass(frozen=True, slots=True)
class Stored:
    """One stored activity: its contract JSON and the columns the year is counted on."""

    row_id: int
    upload_id: int | None  # None: entered by hand
    data: dict[str, Any]
    hours: float | None
    verifiable: bool | None
    ethics: bool
    duplicate_of: str | None
    status: str
    completed_on: dt.date | None

    @property
    def activity_id(self) -> str:
        return str(self.data["activity_id"])


@dataclass(slots=True)
class Counted:
    """An activity counted once: its first-read row and the duplicates of it found in the same year."""

    row: Stored
    duplicates: list[Stored] = field(default_factory=list)

    @property
    def hours(self) -> float | None:
        return next((r.hours for r in (self.row, *self.duplicates) if r.hours is not None), None)

    @property
    def verifiable(self) -> bool | None:
        values = [r.verifiable for r in (self.row, *self.duplicates) if r.verifiable is not None]
        return any(values) if values else None

    @property
    def ethics(self) -> bool:
        return any(r.ethics for r in (self.row, *self.duplicates))

    @property
    def ethics_topics(self) -> list[str]:
        topics = [t["id"] for r in (self.row, *self.duplicates) for t in (r.data.get("ethics") or {}).get("topics", [])]
        return list(dict.fromkeys(topics))

    @property
    def reflection(self) -> bool:
        """True when the activity (or a duplicate of it) carries the member's reflection."""
        return any(str(r.data.get("reflection") or "").strip() for r in (self.row, *self.duplicates))

    def responsibilities(self) -> dict[str, float]:
        """Responsibility id -> best score, over the row and its duplicates."""
        best: dict[str, float] = {}
        for row in (self.row, *self.duplicates):
            for match in row.data.get("responsibilities", []):
                best[match["id"]] = max(best.get(match["id"], 0.0), float(match.get("score") or 0))
        return best


@dataclass(frozen=True, slots=True)
class Source:
    """An uploaded file that gave the year some of its activities."""

    upload_id: int
    filename: str
    sha256: str
    extractor: str | None
    activities: int


@dataclass(slots=True)
class Year:
    """A member's CPD year as stored: its rows, and what came with them (see `load_year`)."""

    member_id: str
    year: int
    start: dt.date
    end: dt.date                      # exclusive
    start_month: int
    role: dict[str, Any] | None
    rows: list[Stored]                # completed in the year, duplicates included, by date
    undated: list[Stored] = field(default_factory=list)   # completed, no date, from the year's uploads
    outside: list[Stored] = field(default_factory=list)   # dated outside the year, from the year's uploads
    outside_count: int = 0
    sources: list[Source] = field(default_factory=list)
    needs_attention: dict[str, int] = field(default_factory=dict)  # what waits for the member (all years)
    display_name: str | None = None   # the member's, that a file's learner is matched to
    others: list[Stored] = field(default_factory=list)    # completed in the year, another learner's

    @property
    def counted(self) -> list[Counted]:
        """The year's activities counted once: each first-read row with its duplicates found in the year."""
        groups = {r.activity_id: Counted(r) for r in self.rows if r.duplicate_of is None}
        for row in self.rows:
            if row.duplicate_of is not None and row.duplicate_of in groups:
                groups[row.duplicate_of].duplicates.append(row)
        return list(groups.values())


def member_summary(session: Session, member_id: str, year: int, start_month: int,
                   ethics_required: int = 1) -> dict[str, Any]:
    """The member's summary of CPD year `year` (`load_year`, then `summarise`)."""
    return summarise(load_year(session, member_id, year, start_month), ethics_required)


def load_year(session: Session, member_id: str, year: int, start_month: int) -> Year:
    """The stored rows CPD year `year` is made of: its completed activities, and what else came in the same
    uploads (undated, or dated outside the year), with the files they came from."""
    start, end = cpd_year_bounds(year, start_month)
    member = session.get(MemberRow, member_id)
    rows = _stored(session, ActivityRow.member_id == member_id, ActivityRow.status == "completed",
                   ActivityRow.completed_on >= start, ActivityRow.completed_on < end)
    name = member.display_name if member is not None else None
    rows, others = members_own(rows, name)     # another learner's activities count nowhere (ingest/year/learners.py)
    found = Year(member_id, year, start, end, start_month, member.role if member is not None else None,
                 _promoted(session, member_id, rows), needs_attention=needs_attention(session, member_id))
    found.display_name, found.others = name, others
    uploads = sorted({r.upload_id for r in rows if r.upload_id is not None})
    if uploads:
        elsewhere = _stored(session, ActivityRow.member_id == member_id, ActivityRow.upload_id.in_(uploads),
                            or_(ActivityRow.completed_on.is_(None), ActivityRow.completed_on < start,
                                ActivityRow.completed_on >= end))
        found.undated = [r for r in elsewhere if r.completed_on is None and r.status == "completed"][:LIST_MAX]
        dated = [r for r in elsewhere if r.completed_on is not None]
        found.outside, found.outside_count = dated[:LIST_MAX], len(dated)
        found.sources = _sources(session, uploads, rows)
    return found


def _promoted(session: Session, member_id: str, rows: list[Stored]) -> list[Stored]:
    """The rows with each duplicate of a rejected activity counted in its place: the first-read of them
    becomes the group's row, the others its duplicates."""
    roots = {r.duplicate_of for r in rows if r.duplicate_of is not None}
    if not roots:
        return rows
    rejected = set(session.scalars(select(ActivityRow.activity_id).where(
        ActivityRow.member_id == member_id, ActivityRow.review_state == REJECTED,
        ActivityRow.activity_id.in_(sorted(roots)))))
    if not rejected:
        return rows
    new_root: dict[str, str] = {}
    out = []
    for row in sorted(rows, key=lambda r: (r.upload_id or 0, r.row_id)):
        if row.duplicate_of in rejected:
            first = new_root.setdefault(row.duplicate_of, row.activity_id)
            row = replace(row, duplicate_of=None if first == row.activity_id else first)
        out.append(row)
    order = {r.row_id: i for i, r in enumerate(rows)}
    return sorted(out, key=lambda r: order[r.row_id])


def _stored(session: Session, *where: Any) -> list[Stored]:
    query = select(ActivityRow.id, ActivityRow.upload_id, ActivityRow.data, ActivityRow.cpd_hours,
                   ActivityRow.verifiable, ActivityRow.ethics_related, ActivityRow.duplicate_of,
                   ActivityRow.status, ActivityRow.completed_on).where(
        *where, ActivityRow.review_state.is_distinct_from(REJECTED))
    rows = session.execute(query.order_by(ActivityRow.completed_on, ActivityRow.upload_id, ActivityRow.id))
    return [Stored(r.id, r.upload_id, r.data, r.cpd_hours, r.verifiable, r.ethics_related, r.duplicate_of, r.status,
                   r.completed_on) for r in rows]


def _sources(session: Session, uploads: list[int], rows: list[Stored]) -> list[Source]:
    counts: dict[int, int] = {}
    for row in rows:
        if row.upload_id is not None:
            counts[row.upload_id] = counts.get(row.upload_id, 0) + 1
    found = session.execute(select(UploadRow.id, UploadRow.filename, UploadRow.sha256, UploadRow.extractor)
                            .where(UploadRow.id.in_(uploads)).order_by(UploadRow.id))
    return [Source(u.id, u.filename, u.sha256, u.extractor, counts.get(u.id, 0)) for u in found]


def summarise(year: Year, ethics_required: int = 1) -> dict[str, Any]:
    """The summary of GET /members/{id}/summary (CONTRACT.md section 3) for a loaded year."""
    counted = year.counted
    ethics = [_ethics_item(c) for c in counted if c.ethics]
    role = year.role
    return {
        "member_id": year.member_id,
        "year": year.year,
        "period": {"from": year.start.isoformat(), "to": (year.end - dt.timedelta(days=1)).isoformat()},
        "activities": len(counted),
        "hours": _total(c.hours for c in counted),
        "verifiable_hours": _total(c.hours for c in counted if c.verifiable is True),
        "activities_without_hours": sum(1 for c in counted if c.hours is None),
        "ethics": {"required": ethics_required, "met": len(ethics) >= ethics_required, "activities": ethics},
        "role": {"id": role.get("id"), "title": role.get("title")} if role else None,
        "responsibilities": _coverage(role, counted),
        "duplicates": _duplicates(year),
        "hours_by_month": _by_month(year, counted),
        "development_areas": _areas(counted),
        "reflection": {"activities": sum(1 for c in counted if c.reflection), "of": len(counted)},
        "attention": _attention(year, counted),
        "needs_attention": year.needs_attention or {"count": 0, "undated": 0, "corrections_lost": 0},
        "outside_year": {"count": year.outside_count,
                         "activities": [_outside_item(r, year.start_month) for r in year.outside]},
        "sources": [{"upload_id": s.upload_id, "filename": s.filename, "sha256": s.sha256,
                     "extractor": s.extractor, "activities": s.activities} for s in year.sources],
        "other_learners": other_learners(year.others, year.display_name),
    }


def _areas(counted: list[Counted]) -> dict[str, dict[str, Any]]:
    """Hours and activities by development area (mappers/areas.py: technical, personal, management, business)."""
    found: dict[str, dict[str, Any]] = {area: {"hours": 0.0, "activities": 0} for area in AREAS}
    for group in counted:
        item = found[area_of(group.row.data).area]
        item["activities"] += 1
        item["hours"] = round(item["hours"] + (group.hours or 0.0), 2)
    return found


def _total(values: Any) -> float:
    return round(float(sum(v for v in values if v is not None)), 2)


def _ethics_item(group: Counted) -> dict[str, Any]:
    data = group.row.data
    return {"activity_id": data["activity_id"], "title": data["title"], "completed_on": data.get("completed_on"),
            "topics": group.ethics_topics, "hours": group.hours}


def _duplicates(year: Year) -> dict[str, Any]:
    rows = [r for r in year.rows if r.duplicate_of is not None]
    return {"count": len(rows), "activities": [
        {"activity_id": r.activity_id, "title": r.data["title"], "completed_on": r.data.get("completed_on"),
         "duplicate_of": r.duplicate_of, "duplicate_reason": r.data.get("duplicate_reason")} for r in rows]}


def _by_month(year: Year, counted: list[Counted]) -> list[dict[str, Any]]:
    months = [dt.date(year.start.year + (year.start.month - 1 + i) // 12, (year.start.month - 1 + i) % 12 + 1, 1)
              for i in range(12)]
    hours = {m.strftime("%Y-%m"): 0.0 for m in months}
    for group in counted:
        day = group.row.completed_on
        if day is not None and group.hours is not None:
            hours[day.strftime("%Y-%m")] += group.hours
    return [{"month": month, "hours": round(value, 2)} for month, value in hours.items()]


def _attention(year: Year, counted: list[Counted]) -> list[dict[str, Any]]:
    items = [_attention_item(c.row, c.hours) for c in counted]
    items += [_attention_item(r, r.hours) for r in year.undated]
    return [item for item in items if item is not None]


def _coverage(role: dict[str, Any] | None, counted: list[Counted]) -> dict[str, Any]:
    """Each responsibility of the role with the activities serving it (best match first), and the gaps."""
    if not role:
        return {"covered": [], "not_covered": []}
    serving: dict[str, list[tuple[float, Counted]]] = {}
    for group in counted:
        for rid, score in group.responsibilities().items():
            serving.setdefault(rid, []).append((score, group))
    covered, not_covered = [], []
    for item in role.get("responsibilities", []):
        entry = {"id": item["id"], "text": item["text"]}
        found = sorted(serving.get(item["id"], []), key=lambda pair: -pair[0])
        if not found:
            not_covered.append(entry)
            continue
        ids = {g.row.activity_id for _, g in found}
        by_date = [g.row.activity_id for g in counted if g.row.activity_id in ids]
        covered.append({**entry, "activity_ids": by_date,
                        "hours": _total(g.hours for _, g in found),
                        "activities": [{"activity_id": g.row.activity_id, "title": g.row.data["title"],
                                        "completed_on": g.row.data.get("completed_on"), "hours": g.hours,
                                        "score": score} for score, g in found]})
    return {"covered": covered, "not_covered": not_covered}


def _attention_item(row: Stored, hours: float | None) -> dict[str, Any] | None:
    """What the member should look at in this activity, or None when nothing."""
    data = row.data
    reasons = [{"code": w.get("code"), "field": w.get("field"), "message": w.get("message")}
               for w in data.get("warnings") or []]
    confidence = data.get("confidence")
    if confidence is not None and confidence < LOW_CONFIDENCE:
        reasons.append({"code": "low_confidence", "field": None, "message": (
            f"Read with confidence {confidence:.2f}: check this row against the file it came from.")})
    if row.completed_on is None:
        reasons.append({"code": "no_completion_date", "field": "completed_on", "message": (
            "No completion date was found, so it counts in no CPD year: set the date (PATCH "
            ".../activities/{id} with completed_on) or reject it if it is not yours.")})
    if hours is None:
        reasons.append({"code": "no_hours", "field": "cpd_hours", "message": (
            "No hours or duration were found, so it counts 0 hours: set them (PATCH .../activities/{id} with "
            "cpd_hours) or add them to the record and upload it again.")})
    if not reasons:
        return None
    source = data.get("source") or {}
    return {"activity_id": row.activity_id, "title": data["title"], "completed_on": data.get("completed_on"),
            "filename": source.get("filename"), "locator": source.get("locator"), "reasons": reasons}


def _outside_item(row: Stored, start_month: int) -> dict[str, Any]:
    data, source = row.data, row.data.get("source") or {}
    return {"activity_id": row.activity_id, "title": data["title"], "status": row.status,
            "completed_on": data.get("completed_on"),
            "cpd_year": cpd_year_of(row.completed_on, start_month) if row.completed_on else None,
            "hours": row.hours, "duplicate_of": row.duplicate_of,
            "filename": source.get("filename"), "locator": source.get("locator")}
