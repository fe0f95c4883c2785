"""Who to remind: members whose request is due within N days or overdue, and members behind in their year.

    reminders(session, settings, year, today, within_days) -> [Reminder]
    reminders_csv(items) -> bytes

Behind, at any point of the CPD year: no ethics activity yet (fewer than CPD_ETHICS_ACTIVITIES_REQUIRED),
fewer hours than the body expects by that day (CPD_HOURS_EXPECTED a year, counted pro rata of the days of
the year gone, so nobody is behind on hours on the year's first day), or responsibilities of their role
not yet served by any activity. Only working members are looked at for being behind. Requests still
`requested` after their due date move to `overdue` first (cycles.mark_overdue): the caller commits.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..settings import Settings
from ..store import AuditRequestRow, MemberRow
from ..year import cpd_year_bounds, member_summary
from .cycles import mark_overdue
from .dates import days_left
from .states import OPEN, OVERDUE

__all__ = ["Reminder", "OVERDUE_KIND", "DUE_SOON", "BEHIND", "reminders", "reminders_csv", "expected_by"]

OVERDUE_KIND, DUE_SOON, BEHIND = "overdue", "due_soon", "behind"
_COLUMNS = ("kind", "member_id", "request_id", "year", "due_on", "days_left", "reasons")


@dataclass(frozen=True, slots=True)
class Reminder:
    """One member to remind, and why."""

    kind: str
    member_id: str
    year: int
    request_id: int | None = None
    due_on: dt.date | None = None
    days_left: int | None = None
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "member_id": self.member_id, "year": self.year, "request_id": self.request_id,
                "due_on": self.due_on.isoformat() if self.due_on else None, "days_left": self.days_left,
                "reasons": self.reasons}


def expected_by(hours_a_year: float, year: int, start_month: int, today: dt.date) -> float:
    """The hours expected by `today`: the year's expectation pro rata of the days gone (0 before, all after)."""
    start, end = cpd_year_bounds(year, start_month)
    gone = min(max((today - start).days + 1, 0), (end - start).days)
    return round(hours_a_year * gone / (end - start).days, 2)


def reminders(session: Session, settings: Settings, year: int, today: dt.date, within_days: int = 14,
              behind: bool = True) -> list[Reminder]:
    """Requests overdue or due within `within_days`, then (with `behind`) members behind in CPD year `year`."""
    mark_overdue(session, today)
    found = []
    open_requests = session.scalars(select(AuditRequestRow).where(AuditRequestRow.state.in_(OPEN))
                                    .order_by(AuditRequestRow.due_on, AuditRequestRow.id))
    for row in open_requests:
        left = days_left(row.due_on, today)
        if row.state == OVERDUE or left <= within_days:
            kind = OVERDUE_KIND if row.state == OVERDUE else DUE_SOON
            why = (f"The record of CPD year {row.year} was due on {row.due_on.isoformat()}, {-left} days ago."
                   if kind == OVERDUE_KIND else
                   f"The record of CPD year {row.year} is due on {row.due_on.isoformat()}, in {left} days.")
            found.append(Reminder(kind, row.member_id, row.year, row.id, row.due_on, left, [why]))
    if behind:
        members = session.scalars(select(MemberRow.id).where(MemberRow.working.is_(True)).order_by(MemberRow.id))
        found += [r for r in (_behind(session, settings, m, year, today) for m in list(members)) if r is not None]
    return found


def _behind(session: Session, settings: Settings, member_id: str, year: int, today: dt.date) -> Reminder | None:
    summary = member_summary(session, member_id, year, settings.year_start_month,
                             settings.ethics_activities_required)
    reasons = []
    ethics = summary["ethics"]
    if not ethics["met"]:
        reasons.append(f"{len(ethics['activities'])} ethics-related activities so far; {ethics['required']} "
                       "needed this year.")
    if settings.hours_expected is not None:
        expected = expected_by(settings.hours_expected, year, settings.year_start_month, today)
        if summary["hours"] < expected:
            reasons.append(f"{summary['hours']:g} hours so far, below the {expected:g} expected by "
                           f"{today.isoformat()} ({settings.hours_expected:g} a year).")
    gaps = summary["responsibilities"]["not_covered"]
    if gaps:
        reasons.append(f"{len(gaps)} responsibilities of the role not yet covered: "
                       f"{', '.join(str(g['id']) for g in gaps)}.")
    return Reminder(BEHIND, member_id, year, reasons=reasons) if reasons else None


def reminders_csv(items: list[Reminder]) -> bytes:
    """The reminders as CSV, one line each (reasons joined by ' | ')."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_COLUMNS)
    for item in items:
        left = "" if item.days_left is None else item.days_left
        writer.writerow([item.kind, item.member_id, item.request_id or "", item.year,
                         item.due_on.isoformat() if item.due_on else "", left, " | ".join(item.reasons)])
    return buffer.getvalue().encode()
