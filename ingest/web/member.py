"""The member's page: upload, the uploads in words, what needs attention, the CPD year and its activities.

    GET  /member?year=YYYY               the page
    POST /member/uploads                 one or many files (field `files`); the page's script sends one per
                                         request with a progress bar; without the script the form sends all
    GET  /member/uploads/state           the uploads' states, polled by the page's script while one is read
    GET  /member/uploads/{id}/file       the original file
    GET  /member/export?year=&format=    the CPD record (xlsx) or its cover sheet (pdf)
    POST /member/uploads/{id}/withdraw   withdraw an upload (as DELETE /uploads/{id})
    POST /member/activities/{id}         the member's word on an activity (as PATCH .../activities/{id}):
                                         `action` confirm, edit, reflect, reject, restore, unreview, date
    POST /member/activities              an activity entered by hand (as POST /members/{id}/activities)

Each form carries the session's CSRF token (session.py); each answer shows only the signed-in member's data.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..api.deps import dispatcher_of, runtime_of, session, size_text
from ..api.review import ActivityIn, ActivityPatch
from ..api.uploads import MAX_FILENAME
from ..store import ActivityRow, BlobCorrupt, BlobMissing, ReviewError, UploadRow
from ..work import actions
from ..work import review as work_review
from ..year import cpd_year_of
from ..year.export import PDF_TYPE, XLSX_TYPE, MemberNotFound, file_names, year_export
from .chart import HEIGHT, WIDTH, month_chart
from .pages import render
from .session import SESSION_COOKIE, PageError, Visitor, check_csrf, member
from .views import (ACTIVITY_TYPES, REJECT_REASONS, default_year, member_attention, member_uploads, member_years,
                    upload_view, year_activities, year_label)

__all__ = ["router", "UPLOAD_PATH", "NOTICES"]

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
    context: dict[str, Any] = {
        "visitor": v, "csrf": v.csrf, "notice": NOTICES.get(notice or ""), "year": chosen,
        "year_label": year_label(chosen, start_month), "years": member_years(db, v.member_id, start_month, today),
        "year_labels": {y: year_label(y, start_month) for y in member_years(db, v.member_id, start_month, today)},
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


# ------------------------------------------------------------------------------------------------ the review
ACTIONS = ("confirm", "edit", "reflect", "reject", "restore", "unreview", "date")
_EDITED_FIELDS = ("title", "provider", "completed_on", "cpd_hours", "activity_type", "description")


Text = Annotated[str | None, Form(max_length=20_000)]


@router.post("/member/activities/{activity_id}")
def review(request: Request, activity_id: str, v: Member, db: Db, csrf: Text = None, action: Text = None,
           year: Text = None, reason: Text = None, reflection: Text = None, completed_on: Text = None,
           title: Text = None, provider: Text = None, cpd_hours: Text = None, activity_type: Text = None,
           description: Text = None) -> Response:
    """The member's word on one activity, from the page's forms (`action`: confirm, edit, reflect, reject,
    restore, unreview, date): the same checks and action as PATCH /members/{id}/activities/{activity_id}."""
    check_csrf(request, request.cookies.get(SESSION_COOKIE), csrf)
    if action not in ACTIONS:
        raise PageError(400, f"'{action}' is not something this form does; reload the page and use its buttons.",
                        "bad_action")
    sent = {"reason": reason, "reflection": reflection, "completed_on": completed_on, "title": title,
            "provider": provider, "cpd_hours": cpd_hours, "activity_type": activity_type, "description": description}
    fields = {k: value for k, value in sent.items() if value is not None}
    current = db.scalar(select(ActivityRow.data).where(ActivityRow.member_id == v.member_id,
                                                       ActivityRow.activity_id == activity_id))
    body = _patch_body(action, fields, current or {})
    if body is None:
        return _back(request, year, "unchanged", activity_id, current)
    try:
        patch = ActivityPatch.model_validate(body)
    except ValidationError as exc:
        raise PageError(400, "Not saved: " + "; ".join(_problem(e) for e in exc.errors()) + ". Go back, correct it "
                        "and save again.", "invalid") from exc
    restore = list(dict.fromkeys([*patch.restore, *patch.restored()]))
    try:
        data = work_review.review_activity(db, dispatcher_of(request), v.member_id, activity_id,
                                           by=work_review.member_actor(v.member_id), review=patch.review,
                                           reason=patch.reason, changes=patch.values(), restore=restore)
    except ReviewError as exc:
        db.rollback()
        status = {"no_such_activity": 404, "activity_gone": 409}.get(exc.code, 400)
        raise PageError(status, exc.message, exc.code) from exc
    return _back(request, year, _NOTICE_OF[action], activity_id, data)


_NOTICE_OF = {"confirm": "confirmed", "edit": "edited", "reflect": "reflected", "reject": "rejected",
              "restore": "confirmed", "unreview": "restored", "date": "edited"}


def _patch_body(action: str, fields: dict[str, str], current: dict[str, Any]) -> dict[str, Any] | None:
    """The PATCH body a form stands for (None: nothing to change)."""
    if action in ("confirm", "restore"):
        return {"review": "confirmed"}
    if action == "unreview":
        return {"review": "unreviewed"}
    if action == "reject":
        return {"review": "rejected", "reason": fields.get("reason") or None}
    if action == "reflect":
        text = fields.get("reflection", "").strip() or None
        return None if text == current.get("reflection") else {"reflection": text}
    if action == "date":
        return {"completed_on": fields.get("completed_on") or None}
    changes: dict[str, Any] = {}
    for name in _EDITED_FIELDS:
        if name not in fields:
            continue
        value: Any = fields[name].strip() or None
        if name == "cpd_hours" and value is not None:
            value = _number(value)
        if not _same(value, current.get(name)):
            changes[name] = value
    return changes or None


def _same(sent: Any, now: Any) -> bool:
    """Whether a form's value is the one already there (2 and 2.0 hours are the same)."""
    if isinstance(sent, float) and isinstance(now, (int, float)):
        return sent == float(now)
    return bool(sent == now)


def _number(text: str) -> float | str:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text  # the model says what is wrong with it


def _problem(error: Any) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
    return f"{where.replace('_', ' ')}: {error.get('msg')}" if where else str(error.get("msg"))


def _back(request: Request, year: str | None, notice: str, activity_id: str,
          data: dict[str, Any] | None) -> Response:
    """To the page again, on the year the activity now counts in (else the one the form was sent from)."""
    year = year or ""
    completed = (data or {}).get("completed_on")
    if completed:
        with contextlib.suppress(ValueError):
            year = str(cpd_year_of(dt.date.fromisoformat(completed), runtime_of(request).settings.year_start_month))
    query = f"year={year}&" if year.isdigit() else ""
    return RedirectResponse(f"/member?{query}notice={notice}#a-{activity_id}", 303)


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


@router.post("/member/activities")
def add(request: Request, v: Member, db: Db, csrf: Text = None, title: Text = None, provider: Text = None,
        completed_on: Text = None, cpd_hours: Text = None, activity_type: Text = None, description: Text = None,
        reflection: Text = None) -> Response:
    """An activity the member enters by hand (as POST /members/{id}/activities): marked `manual`."""
    check_csrf(request, request.cookies.get(SESSION_COOKIE), csrf)
    sent = {"title": title, "provider": provider, "completed_on": completed_on, "cpd_hours": cpd_hours,
            "activity_type": activity_type, "description": description, "reflection": reflection}
    body: dict[str, Any] = {k: (value or "").strip() or None for k, value in sent.items()}
    body = {k: value for k, value in body.items() if value is not None}
    if "cpd_hours" in body:
        body["cpd_hours"] = _number(body["cpd_hours"])
    try:
        entered = ActivityIn.model_validate(body)
    except ValidationError as exc:
        raise PageError(400, "Not added: " + "; ".join(_problem(e) for e in exc.errors()) + ". Go back, correct it "
                        "and add it again.", "invalid") from exc
    data = work_review.add_activity(db, dispatcher_of(request), v.member_id, entered.values(),
                                    by=work_review.member_actor(v.member_id))
    return _back(request, None, "added", str(data["activity_id"]), data)
