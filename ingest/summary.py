"""A member's CPD year: hours, ethics and the responsibilities of their role that the year's learning serves.

A CPD year `YYYY` runs from the first day of CPD_YEAR_START_MONTH (April by default) in YYYY to the day
before it in YYYY+1. Only completed activities count; hours are `cpd_hours` (an activity without them
counts 0 and is reported in `activities_without_hours`).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import ActivityRow, Member

__all__ = ["cpd_year_bounds", "cpd_year_of", "member_summary"]


def cpd_year_bounds(year: int, start_month: int) -> tuple[dt.date, dt.date]:
    """First day of the CPD year and first day of the next one (exclusive)."""
    return dt.date(year, start_month, 1), dt.date(year + 1, start_month, 1)


def cpd_year_of(day: dt.date, start_month: int) -> int:
    return day.year if day.month >= start_month else day.year - 1


def member_summary(session: Session, member_id: str, year: int, start_month: int,
                   ethics_required: int = 1) -> dict[str, Any]:
    start, end = cpd_year_bounds(year, start_month)
    rows = session.execute(select(ActivityRow.data, ActivityRow.cpd_hours, ActivityRow.verifiable,
                                  ActivityRow.ethics_related).where(
        ActivityRow.member_id == member_id, ActivityRow.status == "completed",
        ActivityRow.completed_on >= start, ActivityRow.completed_on < end,
    ).order_by(ActivityRow.completed_on, ActivityRow.id)).all()
    member = session.get(Member, member_id)
    role = member.role if member is not None else None
    ethics = [_ethics_item(r.data) for r in rows if r.ethics_related]
    return {
        "member_id": member_id,
        "year": year,
        "period": {"from": start.isoformat(), "to": (end - dt.timedelta(days=1)).isoformat()},
        "activities": len(rows),
        "hours": _total(r.cpd_hours for r in rows),
        "verifiable_hours": _total(r.cpd_hours for r in rows if r.verifiable is True),
        "activities_without_hours": sum(1 for r in rows if r.cpd_hours is None),
        "ethics": {"required": ethics_required, "met": len(ethics) >= ethics_required, "activities": ethics},
        "role": {"id": role.get("id"), "title": role.get("title")} if role else None,
        "responsibilities": _coverage(role, [r.data for r in rows]),
    }


def _total(values: Any) -> float:
    return round(float(sum(v for v in values if v is not None)), 2)


def _ethics_item(data: dict[str, Any]) -> dict[str, Any]:
    return {"activity_id": data["activity_id"], "title": data["title"], "completed_on": data.get("completed_on"),
            "topics": [t["id"] for t in data.get("ethics", {}).get("topics", [])]}


def _coverage(role: dict[str, Any] | None, activities: list[dict[str, Any]]) -> dict[str, Any]:
    if not role:
        return {"covered": [], "not_covered": []}
    serving: dict[str, list[str]] = {}
    for data in activities:
        for match in data.get("responsibilities", []):
            serving.setdefault(match["id"], []).append(data["activity_id"])
    covered, not_covered = [], []
    for item in role.get("responsibilities", []):
        ids = serving.get(item["id"], [])
        entry = {"id": item["id"], "text": item["text"]}
        if ids:
            covered.append({**entry, "activity_ids": ids})
        else:
            not_covered.append(entry)
    return {"covered": covered, "not_covered": not_covered}
