"""The audit year over HTTP (issue 16): thin routes over ingest.audit, the same calls `cpd-evidence audit` makes.

    PUT  /admin/members/{id}/working                    admin: {"working": bool}, the draw's eligibility flag
    POST /admin/audit/draw                              admin: draw a CPD year's sample (201, the cycle)
    GET  /admin/audit/cycles?year=                      admin: the cycles drawn
    POST /admin/audit/requests                          admin: an ad-hoc request with a reason (201)
    GET  /admin/audit/requests?year=&state=&member=     admin: requests (overdue ones marked first)
    POST /admin/audit/requests/{id}/state               admin: {"state", "note"}: one allowed change
    GET  /admin/audit/reminders?year=&within_days=&format=json|csv   admin: who to remind, and why
    GET  /admin/audit/review?year=&scope=audited|all&format=xlsx|pdf admin: the thematic review
    GET  /members/{id}/audit/requests                   that member, the portal: the member's requests
    GET  /audit/requests/{id}                           admin, that member: the request and its history
    POST /audit/requests/{id}/submit                    that member (or admin): freeze and submit the pack
    POST /audit/requests/{id}/appeal                    that member: appeal the outcome, with a note
    GET  /audit/requests/{id}/pack                      admin, that member: the frozen audit pack (ZIP)
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import (DEFAULT_RATE, AuditError, change, cycle_json, draw, get_request, history, mark_overdue,
                     request_json, request_record, requests_of, set_working)
from ..store import ADMIN, AuditCycleRow, AuditRequestRow, Principal, utcnow
from .deps import ApiError, Year, admin, principal, reader, runtime_of, session

__all__ = ["router", "DrawIn", "RequestIn", "StateIn", "NoteIn", "WorkingIn"]

router = APIRouter(tags=["audit"])
_STATUS = {"no_such_request": 404, "no_such_member": 404, "already_drawn": 409, "not_allowed": 409,
           "submit_instead": 409, "nobody_left": 409, "not_submitted": 409, "nothing_audited": 404}
_ADMIN = "admin"


class WorkingIn(BaseModel):
    """The body of PUT /admin/members/{id}/working."""

    working: bool


class DrawIn(BaseModel):
    """The body of POST /admin/audit/draw."""

    year: int = Field(ge=1900, le=2200)
    rate: float = Field(default=DEFAULT_RATE, gt=0, le=1)
    seed: int | None = Field(default=None, ge=0, lt=2**31)
    exclude_recent: bool = False
    new_cycle: bool = False


class RequestIn(BaseModel):
    """The body of POST /admin/audit/requests."""

    member_id: str = Field(min_length=1, max_length=128)
    year: int = Field(ge=1900, le=2200)
    reason: str = Field(min_length=1, max_length=2000)


class StateIn(BaseModel):
    """The body of POST /admin/audit/requests/{id}/state."""

    state: str = Field(min_length=1, max_length=24)
    note: str | None = Field(default=None, max_length=4000)


class NoteIn(BaseModel):
    """A note with a change (submission, appeal)."""

    note: str | None = Field(default=None, max_length=4000)


def _done(db: Session, work: Any) -> Any:
    try:
        found = work()
    except AuditError as exc:
        db.rollback()
        raise ApiError(_STATUS.get(exc.code, 422), exc.code, exc.message) from exc
    db.commit()
    return found


def _visible(db: Session, request_id: int, who: Principal) -> AuditRequestRow:
    row = db.get(AuditRequestRow, request_id)
    if row is None or not (who.kind == ADMIN or who.is_member(row.member_id)):
        raise ApiError(404, "no_such_request", f"There is no audit request {request_id} for this token; members see "
                       "their own requests only.")
    return row


@router.put("/admin/members/{member_id}/working")
def put_working(member_id: str, body: WorkingIn, _who: Annotated[Principal, Depends(admin)],
                db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Mark the member working (eligible for the audit draw) or not working (never drawn)."""
    member = _done(db, lambda: set_working(db, member_id, body.working))
    return {"member_id": member.id, "working": member.working}


@router.post("/admin/audit/draw", status_code=201)
def post_draw(body: DrawIn, _who: Annotated[Principal, Depends(admin)],
              db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Draw the year's sample (reproducible by its seed) and request each drawn member's record."""
    drawn = _done(db, lambda: draw(db, body.year, _ADMIN, rate=body.rate, seed=body.seed,
                                   exclude_recent=body.exclude_recent, new_cycle=body.new_cycle))
    return {**cycle_json(drawn.cycle, drawn.members), "requests": [request_json(r) for r in drawn.requests]}


@router.get("/admin/audit/cycles")
def get_cycles(_who: Annotated[Principal, Depends(admin)], db: Annotated[Session, Depends(session)],
               year: Annotated[int | None, Query(ge=1900, le=2200)] = None) -> dict[str, Any]:
    """The cycles drawn, with their members."""
    query = select(AuditCycleRow).order_by(AuditCycleRow.year, AuditCycleRow.number)
    cycles = db.scalars(query.where(AuditCycleRow.year == year) if year is not None else query).all()
    return {"items": [cycle_json(c, sorted(r.member_id for r in db.scalars(
        select(AuditRequestRow).where(AuditRequestRow.cycle_id == c.id)))) for c in cycles]}


@router.post("/admin/audit/requests", status_code=201)
def post_request(body: RequestIn, _who: Annotated[Principal, Depends(admin)],
                 db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Ask a member for their record of a CPD year, at any time, with the reason."""
    row = _done(db, lambda: request_record(db, body.member_id, body.year, body.reason, _ADMIN))
    return request_json(row, history(db, row.id))


@router.get("/admin/audit/requests")
def get_requests(_who: Annotated[Principal, Depends(admin)], db: Annotated[Session, Depends(session)],
                 year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
                 state: Annotated[str | None, Query(max_length=24)] = None,
                 member: Annotated[str | None, Query(max_length=128)] = None) -> dict[str, Any]:
    """Requests, oldest first (those past their due date are moved to overdue first)."""
    _done(db, lambda: mark_overdue(db))
    return {"items": [request_json(r) for r in requests_of(db, year=year, member_id=member, state=state)]}


@router.post("/admin/audit/requests/{request_id}/state")
def post_state(request_id: int, body: StateIn, _who: Annotated[Principal, Depends(admin)],
               db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Move the request on (under_review, satisfactory, action_required, upheld, overturned), with a note."""
    row = _done(db, lambda: change(db, request_id, body.state, _ADMIN, body.note))
    return request_json(row, history(db, row.id))


@router.get("/admin/audit/reminders", response_model=None)
def get_reminders(year: Year, request: Request, _who: Annotated[Principal, Depends(admin)],
                  db: Annotated[Session, Depends(session)],
                  within_days: Annotated[int, Query(ge=0, le=366)] = 14,
                  format: Annotated[Literal["json", "csv"], Query()] = "json") -> Any:
    """Members whose request is due within `within_days` or overdue, and members behind in the year."""
    from ..audit.reminders import reminders, reminders_csv

    found = _done(db, lambda: reminders(db, runtime_of(request).settings, year, utcnow().date(), within_days))
    if format == "csv":
        return Response(reminders_csv(found), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="audit-reminders-{year}.csv"'})
    return {"items": [r.to_json() for r in found]}


@router.get("/admin/audit/review", response_class=Response, responses={200: {"content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}, "application/pdf": {}},
    "description": "The thematic review, as an attachment."}})
def get_review(year: Year, request: Request, _who: Annotated[Principal, Depends(admin)],
               db: Annotated[Session, Depends(session)],
               scope: Annotated[Literal["audited", "all"], Query(
                   description="audited: the members asked for their record of the year; all: every working member"
               )] = "audited",
               format: Annotated[Literal["xlsx", "pdf"], Query()] = "pdf") -> Response:
    """The thematic review of the year: figures across members, no member named; XLSX or PDF."""
    from ..audit.review import NothingToReview, review_names, review_pdf, review_workbook, thematic_review

    try:
        figures = thematic_review(db, runtime_of(request).settings, year, all_members=scope == "all")
    except NothingToReview as exc:
        raise ApiError(404, "nothing_to_review", str(exc)) from exc
    xlsx_name, pdf_name = review_names(year, scope == "all")
    if format == "xlsx":
        name, media, data = xlsx_name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", \
            review_workbook(figures)
    else:
        name, media, data = pdf_name, "application/pdf", review_pdf(figures)
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/members/{member_id}/audit/requests")
def get_member_requests(member_id: str, who: Annotated[Principal, Depends(principal)],
                        db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """The member's own audit requests, oldest first (that member, the portal)."""
    reader(member_id, who)
    _done(db, lambda: mark_overdue(db))
    return {"items": [request_json(r) for r in requests_of(db, member_id=member_id)]}


@router.get("/audit/requests/{request_id}")
def get_one(request_id: int, who: Annotated[Principal, Depends(principal)],
            db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """The request and every change of its state (who, when, note)."""
    row = _visible(db, request_id, who)
    return request_json(row, history(db, row.id))


@router.post("/audit/requests/{request_id}/submit")
def post_submit(request_id: int, request: Request, who: Annotated[Principal, Depends(principal)],
                db: Annotated[Session, Depends(session)], body: NoteIn | None = None) -> dict[str, Any]:
    """Submit the record of the requested year: the audit pack is made now and frozen (its sha256 kept)."""
    from ..audit.pack import submit

    row = _visible(db, request_id, who)
    runtime = runtime_of(request)
    by = _ADMIN if who.kind == ADMIN else str(who.member_id)
    row = _done(db, lambda: submit(db, runtime.blobs, row.id, by, runtime.settings, body.note if body else None))
    return request_json(row, history(db, row.id))


@router.post("/audit/requests/{request_id}/appeal")
def post_appeal(request_id: int, body: NoteIn, who: Annotated[Principal, Depends(principal)],
                db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """The member appeals the audit's outcome, saying why."""
    row = _visible(db, request_id, who)
    if not who.is_member(row.member_id):
        raise ApiError(403, "members_only", "Only the member audited may appeal, with their own token.")
    row = _done(db, lambda: change(db, row.id, "appealed", str(who.member_id), body.note))
    return request_json(row, history(db, row.id))


@router.get("/audit/requests/{request_id}/pack", response_class=Response,
            responses={200: {"content": {"application/zip": {}}, "description": "The frozen audit pack."}})
def get_pack(request_id: int, request: Request, who: Annotated[Principal, Depends(principal)],
             db: Annotated[Session, Depends(session)]) -> Response:
    """The audit pack as submitted (ZIP), byte for byte; its sha256 is in the request."""
    from ..audit.pack import ZIP_TYPE, pack_bytes, pack_name

    row = _visible(db, request_id, who)
    data = _done(db, lambda: pack_bytes(runtime_of(request).blobs, row))
    headers = {"Content-Disposition": f'attachment; filename="{pack_name(row)}"', "Cache-Control": "no-store",
               "X-Pack-Sha256": row.pack_sha256 or ""}
    return Response(data, media_type=ZIP_TYPE, headers=headers)

