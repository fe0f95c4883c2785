"""The admin's page: failed uploads with their reason, member and file; the original file; reprocessing one or
all failed; every upload with its last error; and the audit year's requests (audit.py).

    GET  /console?cursor=...                  the page (every upload, newest first, paged)
    GET  /console/uploads/{id}/file           the original file of any upload
    POST /console/reprocess                   `upload` (one id) or `all_failed`; then back to the page

Reprocessing is the API's own (ingest.work.actions.reprocess, then send each id to the reprocess queue).
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..api.deps import dispatcher_of, session
from ..api.paging import BadCursor, decode_cursor, encode_cursor
from ..store import FAILED, UploadRow, activity_count
from ..work import actions
from .audit import audit_context
from .member import original_file
from .pages import render
from .session import SESSION_COOKIE, PageError, Visitor, admin, check_csrf
from .views import upload_view

__all__ = ["router", "PAGE_SIZE", "FAILED_SHOWN"]

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50       # uploads per page in "every upload"
FAILED_SHOWN = 200   # failed uploads listed at once (the count is always whole; reprocess all takes every one)
Admin = Annotated[Visitor, Depends(admin)]
Db = Annotated[Session, Depends(session)]
_NOTICES = {"one": "Upload {n} is queued to be read again.", "all": "{n} failed uploads are queued to be read again.",
            "none": "There were no failed uploads to reprocess.",
            "drawn": "The sample is drawn: {n} members are asked for their record.",
            "requested": "Request {n} is made; the member's record is due in two months."}


@router.get("/console")
def page(request: Request, v: Admin, db: Db, cursor: str | None = None, notice: str | None = None,
         n: Annotated[int, Query(ge=0)] = 0) -> Response:
    """Failed uploads first, then every upload (newest first, PAGE_SIZE a page) with its last error."""
    try:
        before = decode_cursor(cursor) or None
    except BadCursor as exc:
        raise PageError(400, str(exc), "bad_cursor") from exc
    failed_rows = list(db.scalars(select(UploadRow).where(UploadRow.state == FAILED)
                                  .order_by(UploadRow.id.desc()).limit(FAILED_SHOWN)))
    failed_count = db.scalar(select(func.count()).select_from(UploadRow).where(UploadRow.state == FAILED)) or 0
    query = select(UploadRow).order_by(UploadRow.id.desc()).limit(PAGE_SIZE + 1)
    if before is not None:
        query = query.where(UploadRow.id < before)
    every = list(db.scalars(query))
    shown = every[:PAGE_SIZE]
    counts = activity_count(db, [u.id for u in shown + failed_rows])
    context: dict[str, Any] = {
        "visitor": v, "csrf": v.csrf,
        "notice": _NOTICES[notice].format(n=n) if notice in _NOTICES else None,
        "failed": [upload_view(u, counts.get(u.id, 0)) for u in failed_rows], "failed_count": failed_count,
        "uploads": [upload_view(u, counts.get(u.id, 0)) for u in shown],
        "next": encode_cursor(shown[-1].id) if len(every) > PAGE_SIZE else None, "first_page": before is None,
        **audit_context(db),
    }
    return render(request, "console.html", context)


@router.get("/console/uploads/{upload_id}/file")
def original(request: Request, upload_id: int, _v: Admin, db: Db) -> Response:
    """The original file of any upload, to see why it failed."""
    found = db.get(UploadRow, upload_id)
    if found is None:
        raise PageError(404, f"There is no upload {upload_id}. Pick one from the list on the admin page.", "not_found")
    return original_file(request, found)


@router.post("/console/reprocess")
def reprocess(request: Request, _v: Admin, db: Db, csrf: Annotated[str, Form()] = "",
              upload: Annotated[str, Form()] = "", all_failed: Annotated[str, Form()] = "") -> Response:
    """Read again one upload (`upload`) or every failed one (`all_failed`), on the reprocess queue."""
    check_csrf(request, request.cookies.get(SESSION_COOKIE), csrf)
    if all_failed:
        ids = actions.reprocess(db, state=FAILED)
        notice = "all" if ids else "none"
    elif upload.isdigit():
        ids = actions.reprocess(db, ids=[int(upload)])
        if not ids:
            raise PageError(404, f"There is no upload {upload}. Pick one from the list on the admin page.", "not_found")
        notice = "one"
    else:
        raise PageError(400, "Say which upload to reprocess (its number), or press 'Reprocess all failed'.",
                        "bad_request")
    for upload_id in ids:
        actions.send(dispatcher_of(request), upload_id, reprocess=True)
    n = ids[0] if notice == "one" else len(ids)
    return RedirectResponse(f"/console?notice={notice}&n={n}", 303)
