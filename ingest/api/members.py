"""A member's activities, year summary and role profile: read by that member or the portal; the role set
by the member. Items are the contract's activity JSON as stored (the member's values over what was read),
each with its `review` object."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from mappers.activity import STATUSES
from mappers.matching import RoleError
from mappers.matching.roles import MAX_RESPONSIBILITIES, builtin_roles

from ..store import ActivityRow, Principal, display_name, set_display_name
from ..store.members import MAX_DISPLAY_NAME
from ..work import actions, review
from ..work.roles import role_json, role_profile
from ..year import cpd_year_bounds
from .deps import ApiError, Year, dispatcher_of, principal, reader, runtime_of, session
from .paging import decode_cursor, encode_cursor

__all__ = ["router", "RoleIn", "RoleName", "ResponsibilityIn", "ProfileIn"]

router = APIRouter(tags=["members"])


class ResponsibilityIn(BaseModel):  # one responsibility of RoleIn (a docstring would enter the OpenAPI)
    id: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1)


class RoleIn(BaseModel):
    """The body of PUT /members/{id}/role (the schema shown in /openapi.json)."""

    id: str = Field(min_length=1, max_length=128)
    title: str = Field(min_length=1)
    responsibilities: list[ResponsibilityIn] = Field(min_length=1, max_length=MAX_RESPONSIBILITIES)


class ProfileIn(BaseModel):
    """The body of PUT /members/{id}/profile: the member's name as their files write it (null: none). A file's
    learner who is not this person is another's learning: not counted in the member's year."""

    display_name: str | None = Field(default=None, max_length=MAX_DISPLAY_NAME)


@router.get("/members/{member_id}/activities")
def list_activities(member_id: str, request: Request, who: Annotated[Principal, Depends(principal)],
                    db: Annotated[Session, Depends(session)], year: Year | None = None,
                    status: str | None = None, upload: int | None = None, needs_attention: bool = False,
                    cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """The member's activities in the order they were read, each with its `review`; filters `year`, `status`,
    `upload`. With `needs_attention=true`: what waits for the member, their completed activities with no
    date (until dated or rejected), and in `corrections` (first page) their corrections whose activity was
    not found again when its file was read again."""
    reader(member_id, who)
    after = decode_cursor(cursor)
    if needs_attention:
        page, lost = review.attention_page(db, member_id, after=after, limit=limit)
        return {"items": page.items, "next": encode_cursor(page.next_after) if page.next_after else None,
                "corrections": lost}
    where: list[Any] = []
    if year is not None:
        start, end = cpd_year_bounds(year, runtime_of(request).settings.year_start_month)
        where += [ActivityRow.completed_on >= start, ActivityRow.completed_on < end]
    if status is not None:
        if status not in STATUSES:
            raise ApiError(400, "bad_status", f"status '{status}' is not one of {', '.join(STATUSES)}.")
        where.append(ActivityRow.status == status)
    if upload is not None:
        where.append(ActivityRow.upload_id == upload)
    found = review.activities_page(db, member_id, after=after, limit=limit, where=where)
    return {"items": found.items, "next": encode_cursor(found.next_after) if found.next_after else None}


@router.get("/members/{member_id}/summary")
def summary(member_id: str, year: Year, request: Request, who: Annotated[Principal, Depends(principal)],
            db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Hours and verifiable hours of the year's completed activities, whether the ethics requirement is
    met, and which of the role's responsibilities the year's learning serves (with the activity ids)."""
    reader(member_id, who)
    return actions.year_summary(db, member_id, year, runtime_of(request).settings)


class RoleName(BaseModel):
    """The body of PUT /members/{id}/role naming a built-in role instead: {"name": "trust-administrator"}."""

    name: str = Field(min_length=1, max_length=128)


@router.put("/members/{member_id}/role")
def put_role(member_id: str, body: RoleIn | RoleName, request: Request, who: Annotated[Principal, Depends(principal)],
             db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Set the member's role profile (a whole profile, or {"name": ...} of a built-in role); their stored
    activities are matched to it again (in the background). The member's own responsibilities and ethics
    calls stay."""
    if not who.is_member(member_id):
        raise ApiError(403, "forbidden", "Only the member may set their role profile, with their own token.")
    try:
        role = _builtin(body.name) if isinstance(body, RoleName) else role_json(role_profile(body.model_dump()))
    except RoleError as exc:
        raise ApiError(422, "bad_role", str(exc)) from exc
    if not actions.set_role(db, dispatcher_of(request), member_id, role):
        raise ApiError(503, "remap_not_sent", "The role is saved, but re-matching your activities could not be "
                       "started now. Send the same role again in a minute.")
    return {"member_id": member_id, "role": role, "remap": "queued"}


def _builtin(name: str) -> dict[str, Any]:
    """A built-in role's profile by its name (never a path: the server's files are not the caller's to name)."""
    roles = {r.id: r for r in builtin_roles()}
    key = name.strip().lower().replace(" ", "-").replace("_", "-")
    if key not in roles:
        raise RoleError(f"There is no built-in role '{name}'; the built-in roles are: {', '.join(sorted(roles))}. "
                        "Or send a whole profile: {\"id\", \"title\", \"responsibilities\": [{\"id\", \"text\"}]}.")
    return role_json(roles[key])


@router.get("/members/{member_id}/profile")
def get_profile(member_id: str, who: Annotated[Principal, Depends(principal)],
                db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """The member's profile: their display name (null when not given)."""
    reader(member_id, who)
    return {"member_id": member_id, "display_name": display_name(db, member_id)}


@router.put("/members/{member_id}/profile")
def put_profile(member_id: str, body: ProfileIn, who: Annotated[Principal, Depends(principal)],
                db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Set the member's display name: from the next summary on, activities whose file names another learner
    count nowhere in their year; uploads read from then on carry the not_the_member warning on them."""
    if not who.is_member(member_id):
        raise ApiError(403, "forbidden", "Only the member may set their profile, with their own token.")
    name = set_display_name(db, member_id, body.display_name)
    db.commit()
    return {"member_id": member_id, "display_name": name}
