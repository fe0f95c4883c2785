"""A member's activities, year summary and role profile: read by that member or the portal; the role set
by the member. Items are the contract's activity JSON exactly as stored."""
from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from mappers.activity import STATUSES
from mappers.matching import RoleError

from .api import ApiError, dispatcher_of, principal, runtime_of, session
from .auth import PORTAL, Principal
from .models import ActivityRow
from .paging import decode_cursor, encode_cursor
from .roles import RoleIn, role_json, role_profile
from .store import set_role
from .summary import cpd_year_bounds, member_summary

__all__ = ["router"]

log = logging.getLogger(__name__)
router = APIRouter(tags=["members"])
Year = Annotated[int, Query(ge=1900, le=2200, description="CPD year: from the start month of YYYY "
                                                          "(April unless CPD_YEAR_START_MONTH says otherwise)")]


def _reader(member_id: str, who: Principal) -> None:
    if not (who.is_member(member_id) or who.kind == PORTAL):
        raise ApiError(403, "forbidden", "This token may not read this member's data; use the member's own "
                       "token or the portal's.")


@router.get("/members/{member_id}/activities")
def list_activities(member_id: str, request: Request, who: Annotated[Principal, Depends(principal)],
                    db: Annotated[Session, Depends(session)], year: Year | None = None,
                    status: str | None = None, upload: int | None = None, cursor: str | None = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """The member's activities in the order they were read; filters `year`, `status`, `upload`."""
    _reader(member_id, who)
    query = select(ActivityRow.id, ActivityRow.data).where(
        ActivityRow.member_id == member_id, ActivityRow.id > decode_cursor(cursor))
    if year is not None:
        start, end = cpd_year_bounds(year, runtime_of(request).settings.year_start_month)
        query = query.where(ActivityRow.completed_on >= start, ActivityRow.completed_on < end)
    if status is not None:
        if status not in STATUSES:
            raise ApiError(400, "bad_status", f"status '{status}' is not one of {', '.join(STATUSES)}.")
        query = query.where(ActivityRow.status == status)
    if upload is not None:
        query = query.where(ActivityRow.upload_id == upload)
    rows = db.execute(query.order_by(ActivityRow.id).limit(limit + 1)).all()
    page = rows[:limit]
    return {"items": [r.data for r in page], "next": encode_cursor(page[-1].id) if len(rows) > limit else None}


@router.get("/members/{member_id}/summary")
def summary(member_id: str, year: Year, request: Request, who: Annotated[Principal, Depends(principal)],
            db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Hours and verifiable hours of the year's completed activities, whether the ethics requirement is
    met, and which of the role's responsibilities the year's learning serves (with the activity ids)."""
    _reader(member_id, who)
    settings = runtime_of(request).settings
    return member_summary(db, member_id, year, settings.year_start_month, settings.ethics_activities_required)


@router.put("/members/{member_id}/role")
def put_role(member_id: str, body: RoleIn, request: Request, who: Annotated[Principal, Depends(principal)],
             db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Set the member's role profile; their stored activities are matched to it again (in the background)."""
    if not who.is_member(member_id):
        raise ApiError(403, "forbidden", "Only the member may set their role profile, with their own token.")
    try:
        role = role_json(role_profile(body.model_dump()))
    except RoleError as exc:
        raise ApiError(422, "bad_role", str(exc)) from exc
    set_role(db, member_id, role)
    db.commit()
    try:
        dispatcher_of(request).remap(member_id)
    except Exception as exc:  # the role is stored; activities read from now on match it
        log.warning("member %s: could not send the remap now (%s: %s)", member_id, exc.__class__.__name__, exc)
        raise ApiError(503, "remap_not_sent", "The role is saved, but re-matching your activities could not be "
                       "started now. Send the same role again in a minute.") from exc
    return {"member_id": member_id, "role": role, "remap": "queued"}
