"""Uploads: a member's POST, anyone's GET of what they may see, and the admins' list and reprocessing.

POST /uploads stores the bytes (blob first), then the row, commits, and only then sends the id to the
workers (ingest.work.actions.upload); if the broker is away the upload stays queued and the sweeper sends
it later.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from pydantic import BaseModel, model_validator
from sqlalchemy.orm import Session

from ..store import ADMIN, MEMBER, Principal, State, UploadRow, activity_count
from ..work import actions
from .deps import ApiError, admin, dispatcher_of, principal, runtime_of, session, too_large
from .paging import decode_cursor, encode_cursor

__all__ = ["router", "ReprocessIn", "MAX_FILENAME"]

router = APIRouter()
_READ_CHUNK = 1024 * 1024
MAX_FILENAME = 255  # the column's length, and the longest name most file systems allow


@router.post("/uploads", status_code=202, tags=["uploads"],
             responses={200: {"description": "These bytes were uploaded before: the same upload"},
                        413: {"description": "The file is over CPD_MAX_UPLOAD_BYTES"}})
def create_upload(request: Request, response: Response, file: Annotated[UploadFile, File()],
                  who: Annotated[Principal, Depends(principal)],
                  db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Upload one CPD record (multipart field `file`); it is read by a worker (poll GET /uploads/{id})."""
    if who.kind != MEMBER or who.member_id is None:
        raise ApiError(403, "members_only", "Only a member's token can upload; uploads belong to a member.")
    filename = _filename(file)
    data = _read_limited(request, file)
    accepted = actions.upload(runtime_of(request), db, dispatcher_of(request), member_id=who.member_id,
                              filename=filename, data=data, media_type=file.content_type)
    if not accepted.created:
        response.status_code = 200
        return _json(db, accepted.upload)
    return actions.upload_json(accepted.upload, 0)


def _filename(file: UploadFile) -> str:
    """The name as the member's computer gave it: kept only as a name (the bytes are stored by hash)."""
    name = file.filename or "upload"
    if len(name) > MAX_FILENAME:
        raise ApiError(400, "bad_filename", f"The file's name is {len(name):,} characters long; rename the file "
                       f"to at most {MAX_FILENAME} characters and upload it again.")
    return name


def _read_limited(request: Request, file: UploadFile) -> bytes:
    limit = runtime_of(request).settings.max_upload_bytes
    parts, size = [], 0
    while chunk := file.file.read(_READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        parts.append(chunk)
    if size == 0:
        raise ApiError(400, "empty_file", f"'{file.filename}' is empty (0 bytes). Check the export and upload it again.")
    return b"".join(parts)


def _json(db: Session, upload: UploadRow) -> dict[str, Any]:
    return actions.upload_json(upload, activity_count(db, [upload.id]).get(upload.id, 0))


@router.get("/uploads/{upload_id}", tags=["uploads"])
def get_upload(upload_id: int, who: Annotated[Principal, Depends(principal)],
               db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """An upload's state, its error if it failed, and how many activities it gave."""
    if who.kind not in (ADMIN, MEMBER):
        raise ApiError(403, "forbidden", "This token may not read uploads; use the member's or an admin's.")
    upload = db.get(UploadRow, upload_id)
    if upload is None or not (who.kind == ADMIN or who.is_member(upload.member_id)):
        raise ApiError(404, "not_found", f"There is no upload {upload_id} of yours. Check the id from POST /uploads.")
    return _json(db, upload)


@router.get("/admin/uploads", tags=["admin"])
def list_uploads(_who: Annotated[Principal, Depends(admin)], db: Annotated[Session, Depends(session)],
                 state: Annotated[State | None, Query()] = None,
                 member: str | None = None, cursor: str | None = None,
                 limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """Uploads, oldest first, optionally in one state or of one member; paged by `next`."""
    page, counts, more = actions.uploads_page(db, after=decode_cursor(cursor), limit=limit, state=state,
                                              member_id=member)
    return {"items": [actions.upload_json(u, counts.get(u.id, 0)) for u in page],
            "next": encode_cursor(page[-1].id) if more else None}


@router.post("/admin/uploads/{upload_id}/reprocess", status_code=202, tags=["admin"])
def reprocess_one(upload_id: int, request: Request, _who: Annotated[Principal, Depends(admin)],
                  db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Read the upload again with the current extractor; its activities are replaced, never duplicated."""
    if not actions.reprocess(db, ids=[upload_id]):
        raise ApiError(404, "not_found", f"There is no upload {upload_id}. List them with GET /admin/uploads.")
    actions.send(dispatcher_of(request), upload_id, reprocess=True)
    upload = db.get(UploadRow, upload_id, populate_existing=True)
    if upload is None:  # deleted meanwhile
        raise ApiError(404, "not_found", f"Upload {upload_id} is gone.")
    return _json(db, upload)


class ReprocessIn(BaseModel):  # the body of POST /admin/reprocess (no docstring: it would enter the OpenAPI)
    state: State | None = None
    older_than: str | None = None

    @model_validator(mode="after")
    def _one(self) -> ReprocessIn:
        if (self.state is None) == (self.older_than is None):
            raise ValueError('give exactly one of {"state": "failed"} or {"older_than": "VERSION"}')
        return self


@router.post("/admin/reprocess", status_code=202, tags=["admin"])
def reprocess_many(body: ReprocessIn, request: Request, _who: Annotated[Principal, Depends(admin)],
                   db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Reprocess every upload in a state, or read by an extractor older than a version (own queue)."""
    ids = actions.reprocess(db, state=body.state, older_than=body.older_than)
    for upload_id in ids:
        actions.send(dispatcher_of(request), upload_id, reprocess=True)
    return {"queued": len(ids), "ids": ids}
