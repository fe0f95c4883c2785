"""The member's page: upload, the uploads in words, what needs attention, the CPD year and its activities.

    GET  /member?year=YYYY               the page
    POST /member/uploads                 one or many files (field `files`); the page's script sends one per
                                         request with a progress bar; without the script the form sends all
    GET  /member/uploads/state           the uploads' states, polled by the page's script while one is read
    GET  /member/uploads/{id}/file       the original file
    GET  /member/export?year=&format=    the CPD record (xlsx) or its cover sheet (pdf)
    POST /member/uploads/{id}/withdraw   withdraw an upload (as DELETE /uploads/{id})

The review's forms (confirm, edit, reject...) are review.py's.

Each form carries the session's CSRF token (session.py); each answer shows only the signed-in member's data.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from ..api.deps import dispatcher_of, runtime_of, session, size_text
from ..api.uploads import MAX_FILENAME
from ..store import BlobCorrupt, BlobMissing, UploadRow
from ..work import actions
from ..work import review as work_review
from ..year.export import PDF_TYPE, XLSX_TYPE, MemberNotFound, file_names, year_export
from .chart import HEIGHT, WIDTH, month_chart
from .pages import render
from .session import SESSION_COOKIE, PageError, Visitor, check_csrf, member
from .views import (ACTIVITY_TYPES, REJECT_REASONS, default_year, member_attention, member_uploads, member_years,
                    upload_view, year_activities, year_label)

__all__ = ["router", "UPLOAD_PATH", "NOTICES", "Member", "Db", "original_file"]

router = APIRouter(include_in_schema=False)
UPLOAD_PATH = "/member/uploads"
_CHUNK = 1024 * 1024
# What the page says after a form was sent (a fixed text per code: nothing from the address is shown as is).
NOTICES = {
    "uploaded": "Your files are uploaded; each is read in turn, and its state below changes when it is done.",
    "confirmed": "Activity confirmed.",
    "edited": "Your changes are saved; the values read from the file are kept beside them.",
    "reflected": "Your reflection is saved.",
    "rejected": "Activity rejected: it counts nowhere now.",
    "restored": "Activity restored as it was read.",
    "added": "Activity added.",
    "withdrawn": "Upload withdrawn: its activities have left your record.",
    "unchanged": "Nothing was changed: the values sent are the ones already there.",
}
Member = Annotated[Visitor, Depends(member)]
Db = Annotated[Session, Depends(session)]


@router.get("/member")
def page(request: Request, v: Member, db: Db, year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
         notice: str | None = None) -> Response:
    """The member's page for CPD year `year` (by default the current one, or the latest with activities)."""
    settings = runtime_of(request).settings
    start_month, today = settings.year_start_month, dt.date.today()
    chosen = year if year is not None else default_year(db, v.member_id, start_month, today)
    summary = actions.year_summary(db, v.member_id, chosen, settings)
    uploads = member_uploads(db, v.member_id)
    attention, orphans = member_attention(db, v.member_id)
    years = member_years(db, v.member_id, start_month, today)
    context: dict[str, Any] = {
        "visitor": v, "csrf": v.csrf, "notice": NOTICES.get(notice or ""), "year": chosen,
        "year_label": year_label(chosen, start_month), "years": years,
        "year_labels": {y: year_label(y, start_month) for y in years},
        "uploads": uploads, "pending": any(u.pending for u in uploads),
        "summary": summary, "chart": month_chart(summary["hours_by_month"]), "chart_width": WIDTH,
        "chart_height": HEIGHT, "activities": year_activities(db, v.member_id, chosen, start_month),
        "attention": attention, "orphans": orphans, "types": ACTIVITY_TYPES, "reject_reasons": REJECT_REASONS,
        "max_upload": size_text(settings.max_upload_bytes), "upload_path": UPLOAD_PATH,
    }
    return render(request, "member.html", context)


@router.post(UPLOAD_PATH)
def upload(request: Request, v: Member, db: Db, files: Annotated[list[UploadFile] | None, File()] = None,
           csrf: Annotated[str, Form()] = "") -> Response:
    """Store each file as the member's upload (ingest.work.actions.upload) and send it to be read."""
    check_csrf(request, request.cookies.get(SESSION_COOKIE), csrf)
    chosen = [f for f in files or [] if f.filename or f.size]  # a form sent with no file has one empty part
    if not chosen:
        raise PageError(400, "No file was sent. Choose one or more files, then press Upload.", "no_file")
    runtime, work = runtime_of(request), dispatcher_of(request)
    done = []
    for file in chosen:
        name, data = _checked(request, file)
        accepted = actions.upload(runtime, db, work, member_id=v.member_id, filename=name, data=data,
                                  media_type=file.content_type)
        done.append({**upload_view(accepted.upload, 0).json(), "created": accepted.created})
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"uploads": done}, 202)
    return RedirectResponse("/member?notice=uploaded#uploads", 303)


def _checked(request: Request, file: UploadFile) -> tuple[str, bytes]:
    """The file's name and bytes, within the limits POST /uploads keeps (a clear 4xx otherwise)."""
    name = file.filename or "upload"
    if len(name) > MAX_FILENAME:
        raise PageError(400, f"The file's name is {len(name):,} characters long; rename it to at most "
                        f"{MAX_FILENAME} characters and upload it again.", "bad_filename")
    limit = runtime_of(request).settings.max_upload_bytes
    parts, size = [], 0
    while chunk := file.file.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise PageError(413, f"'{name}' is over the {size_text(limit)} limit. Export a shorter period from the "
                            "system it came from, or split the record, and upload the parts.", "too_large")
        parts.append(chunk)
    if size == 0:
        raise PageError(400, f"'{name}' is empty (0 bytes). Check the export and upload it again.", "empty_file")
    return name, b"".join(parts)


@router.get("/member/uploads/state")
def upload_states(v: Member, db: Db) -> dict[str, Any]:
    """The member's uploads and their states, newest first (the page's script polls this while one is read)."""
    uploads = member_uploads(db, v.member_id)
    return {"uploads": [u.json() for u in uploads], "pending": any(u.pending for u in uploads)}


@router.get("/member/uploads/{upload_id}/file")
def original(request: Request, upload_id: int, v: Member, db: Db) -> Response:
    """The file as the member uploaded it."""
    found = db.get(UploadRow, upload_id)
    if found is None or found.member_id != v.member_id:
        raise PageError(404, f"There is no upload {upload_id} of yours. Pick one from the list on your page.",
                        "not_found")
    return original_file(request, found)


def original_file(request: Request, found: UploadRow) -> Response:
    """The stored bytes of `found` as a download under its own name (the console's download too)."""
    try:
        data = runtime_of(request).blobs.get(found.sha256)
    except (BlobMissing, BlobCorrupt) as exc:
        raise PageError(503, f"The stored file of upload {found.id} cannot be read: {exc}", "blob_unavailable") from exc
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in found.filename)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(found.filename)}"
    return Response(data, media_type=found.media_type or "application/octet-stream",
                    headers={"Content-Disposition": disposition, "Cache-Control": "no-store",
                             "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"})


@router.get("/member/export")
def export(request: Request, v: Member, db: Db, year: Annotated[int, Query(ge=1900, le=2200)],
           format: Literal["xlsx", "pdf"] = "xlsx") -> Response:
    """The member's CPD record of the year (xlsx) or its cover sheet (pdf), as a download."""
    try:
        found = year_export(db, v.member_id, year, runtime_of(request).settings)
    except MemberNotFound as exc:
        raise PageError(404, str(exc), "no_such_member") from exc
    xlsx_name, pdf_name = file_names(v.member_id, year)
    name, media, data = (xlsx_name, XLSX_TYPE, found.xlsx()) if format == "xlsx" else (pdf_name, PDF_TYPE, found.pdf())
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                     "Cache-Control": "no-store"})


@router.post("/member/uploads/{upload_id}/withdraw")
def withdraw(request: Request, upload_id: int, v: Member, db: Db, csrf: Annotated[str, Form()] = "") -> Response:
    """Withdraw one of the member's uploads (as DELETE /uploads/{id}): its activities leave the record."""
    check_csrf(request, request.cookies.get(SESSION_COOKIE), csrf)
    found = db.get(UploadRow, upload_id)
    if found is None or found.member_id != v.member_id:
        raise PageError(404, f"There is no upload {upload_id} of yours. Pick one from the list on your page.",
                        "not_found")
    work_review.delete_upload(runtime_of(request), db, found, by=work_review.member_actor(v.member_id))
    return RedirectResponse("/member?notice=withdrawn#uploads", 303)
