"""The member's year: the audit-ready export (workbook or cover sheet) and the member's word on duplicates.

    GET    /members/{id}/export?year=YYYY&format=xlsx|pdf             that member, the portal
    POST   /members/{id}/activities/{activity_id}/duplicate           that member: link (body optional)
    DELETE /members/{id}/activities/{activity_id}/duplicate           that member: unlink, remembered

The summary itself (GET /members/{id}/summary) is in members.py; both read ingest/year/.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ..store import Principal, with_review
from ..year import DuplicateError, link, unlink
from ..year.export import PDF_TYPE, XLSX_TYPE, MemberNotFound, file_names, year_export
from .deps import ApiError, Year, principal, reader, runtime_of, session

__all__ = ["router", "LinkIn"]

router = APIRouter(tags=["year"])
_STATUS = {"no_such_activity": 404, "nothing_to_relink": 409, "would_loop": 409, "same_upload": 422}


class LinkIn(BaseModel):
    """The body of POST .../duplicate: which activity this one repeats (leave out to undo an unlink)."""

    duplicate_of: str | None = Field(default=None, min_length=1, max_length=64)


@router.get("/members/{member_id}/export", response_class=Response,
            responses={200: {"content": {XLSX_TYPE: {}, PDF_TYPE: {}}, "description": "The file, as an attachment."}})
def export(member_id: str, year: Year, request: Request, who: Annotated[Principal, Depends(principal)],
           db: Annotated[Session, Depends(session)],
           format: Annotated[Literal["xlsx", "pdf"], Query(description="xlsx: the CPD record, a row per activity; "
                                                                      "pdf: its cover sheet")] = "xlsx") -> Response:
    """The member's CPD record for the year (xlsx) or its cover sheet (pdf), ready for an audit."""
    reader(member_id, who)
    try:
        found = year_export(db, member_id, year, runtime_of(request).settings)
    except MemberNotFound as exc:
        raise ApiError(404, "no_such_member", str(exc)) from exc
    xlsx_name, pdf_name = file_names(member_id, year)
    name, media, data = (xlsx_name, XLSX_TYPE, found.xlsx()) if format == "xlsx" else (pdf_name, PDF_TYPE, found.pdf())
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                     "Cache-Control": "no-store"})


@router.post("/members/{member_id}/activities/{activity_id}/duplicate")
def link_duplicate(member_id: str, activity_id: str, who: Annotated[Principal, Depends(principal)],
                   db: Annotated[Session, Depends(session)],
                   body: Annotated[LinkIn | None, Body()] = None) -> dict[str, Any]:
    """Mark the activity as a duplicate (of `duplicate_of`, or of what it was last unlinked from): it counts
    once. Returns the activity as GET .../activities shows it."""
    _owner(member_id, who)
    return _apply(db, lambda: link(db, member_id, activity_id, body.duplicate_of if body else None))


@router.delete("/members/{member_id}/activities/{activity_id}/duplicate")
def unlink_duplicate(member_id: str, activity_id: str, who: Annotated[Principal, Depends(principal)],
                     db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Not a duplicate after all: the link goes, the activity counts on its own, and reading the files again
    does not link the pair back. Returns the activity."""
    _owner(member_id, who)
    return _apply(db, lambda: unlink(db, member_id, activity_id))


def _owner(member_id: str, who: Principal) -> None:
    if not who.is_member(member_id):
        raise ApiError(403, "forbidden", "Only the member may link or unlink their activities, with their own token.")


def _apply(db: Session, change: Any) -> dict[str, Any]:
    try:
        activity: dict[str, Any] = change()
    except DuplicateError as exc:
        db.rollback()
        raise ApiError(_STATUS.get(exc.code, 400), exc.code, exc.message) from exc
    db.commit()
    return with_review(activity)
