"""The admin page's audit section: the year's requests with their state and due date, drawing the year's sample,
and asking one member for their record. The audit year's own functions (ingest.audit) do the work, as for the
API's /admin/audit calls and `cpd-evidence audit`.

    POST /console/audit/draw       `year`, `rate` (percent, default 3), `seed` (optional); then back to the page
    POST /console/audit/request    `member`, `year`, `reason`; then back to the page
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from ..api.deps import session
from ..audit import DEFAULT_RATE, AuditError, draw, mark_overdue, request_record, requests_of
from .session import SESSION_COOKIE, PageError, Visitor, admin, check_csrf

__all__ = ["router", "audit_context", "REQUESTS_SHOWN"]

router = APIRouter(include_in_schema=False)
REQUESTS_SHOWN = 200  # the newest requests listed on the page; the API and `audit list` give every one
Admin = Annotated[Visitor, Depends(admin)]
Db = Annotated[Session, Depends(session)]
_BY = "admin (web page)"


def audit_context(db: Session) -> dict[str, Any]:
    """The section's figures: requests newest first (those past their due date moved to overdue first)."""
    mark_overdue(db)
    db.commit()
    rows = requests_of(db)[::-1][:REQUESTS_SHOWN]
    return {"audit_requests": [{"id": r.id, "member_id": r.member_id, "year": r.year, "state": r.state,
                                "due_on": r.due_on.isoformat(), "requested_on": r.requested_on.isoformat(),
                                "reason": r.reason, "drawn": r.cycle_id is not None} for r in rows]}


def _whole(value: str, what: str, low: int, high: int) -> int:
    if not value.strip().isdigit() or not low <= int(value) <= high:
        raise PageError(400, f"The {what} '{value[:20]}' is not a whole number from {low} to {high}.", "bad_request")
    return int(value)


def _done(db: Session, work: Any) -> Any:
    try:
        found = work()
    except AuditError as exc:
        db.rollback()
        raise PageError(409 if exc.code == "already_drawn" else 422, exc.message, exc.code) from exc
    db.commit()
    return found


@router.post("/console/audit/draw")
def draw_sample(request: Request, _v: Admin, db: Db, csrf: Annotated[str, Form()] = "",
                year: Annotated[str, Form()] = "", rate: Annotated[str, Form()] = "",
                seed: Annotated[str, Form()] = "") -> Response:
    """Draw the year's sample of working members and request each drawn member's record."""
    check_csrf(request, request.cookies.get(SESSION_COOKIE), csrf)
    cpd_year = _whole(year, "CPD year", 1900, 2200)
    try:
        share = float(rate.replace(",", ".")) / 100 if rate.strip() else DEFAULT_RATE
    except ValueError as exc:
        raise PageError(400, f"The rate '{rate[:20]}' is not a percentage; give e.g. 3 for 3%.", "bad_request") from exc
    chosen = _whole(seed, "seed", 0, 2**31 - 1) if seed.strip() else None
    drawn = _done(db, lambda: draw(db, cpd_year, _BY, rate=share, seed=chosen))
    return RedirectResponse(f"/console?notice=drawn&n={len(drawn.requests)}#audit", 303)


@router.post("/console/audit/request")
def ask_member(request: Request, _v: Admin, db: Db, csrf: Annotated[str, Form()] = "",
               member: Annotated[str, Form()] = "", year: Annotated[str, Form()] = "",
               reason: Annotated[str, Form()] = "") -> Response:
    """Ask one member for their record of a CPD year, with the reason."""
    check_csrf(request, request.cookies.get(SESSION_COOKIE), csrf)
    cpd_year = _whole(year, "CPD year", 1900, 2200)
    if not member.strip() or len(member) > 128:
        raise PageError(400, "Give the member's id (as on their uploads).", "bad_request")
    if not reason.strip() or len(reason) > 2000:
        raise PageError(400, "Give the reason for the request (at most 2,000 characters); the member sees it.",
                        "bad_request")
    row = _done(db, lambda: request_record(db, member.strip(), cpd_year, reason.strip(), _BY))
    return RedirectResponse(f"/console?notice=requested&n={row.id}#audit", 303)
