"""Uploads: a member's POST, anyone's GET of what they may see, and the admins' list and reprocessing.

POST /uploads streams the bytes into the blob store as they arrive (receive.py), then stores the row,
commits, and only then sends the id to the workers (ingest.work.actions.record_upload); if the broker is away
the upload stays queued and the sweeper sends it later.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, model_validator
from starlette.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from ..store import ADMIN, MEMBER, Principal, State, UploadRow, activity_count
from ..work import actions
from .deps import ApiError, admin, bearer, dispatcher_of, identify, principal, runtime_of, session
from .receive import MAX_FILENAME, Received, gate_of, receive_file
from .paging import decode_cursor, encode_cursor

__all__ = ["router", "ReprocessIn", "MAX_FILENAME"]

router = APIRouter()


_FORM_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "The CPD record, one file"}}}}}}}


@router.post("/uploads", status_code=202, tags=["uploads"], openapi_extra=_FORM_BODY,
             responses={200: {"description": "These bytes were uploaded before: the same upload"},
                        400: {"description": "Not a form with one file (`bad_multipart`, `two_files`, "
                                             "`empty_file`, `bad_filename`)"},
                        408: {"description": "`upload_stalled`: the body stopped arriving for CPD_BODY_IDLE_SECONDS; "
                                             "nothing stored"},
                        413: {"description": "The file is over CPD_MAX_UPLOAD_BYTES"},
                        503: {"description": "`busy` (CPD_MAX_CONCURRENT_UPLOADS uploads being received) or "
                                             "`storage_unavailable`; nothing stored: send it again after Retry-After"}})
async def create_upload(request: Request, response: Response,
                        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> dict[str, Any]:
    """Upload one CPD record (multipart field `file`); it is read by a worker (poll GET /uploads/{id}).
    The file is streamed to the blob store as it arrives; no database connection is held meanwhile."""
    runtime = runtime_of(request)
    who = await run_in_threadpool(identify, runtime, credentials)
    if who.kind != MEMBER or who.member_id is None:
        raise ApiError(403, "members_only", "Only a member's token can upload; uploads belong to a member.")
    with gate_of(request).slot():
        received = await receive_file(request, runtime.blobs, runtime.settings.max_upload_bytes,
                                      runtime.settings.body_idle_seconds)
    return await run_in_threadpool(_record, request, response, who.member_id, received)


def _record(request: Request, response: Response, member_id: str, received: Received) -> dict[str, Any]:
    """The upload row for the stored bytes, committed, then sent (a short session of its own)."""
    with runtime_of(request).sessions() as db:
        accepted = actions.record_upload(db, dispatcher_of(request), member_id=member_id,
                                         filename=received.filename, sha256=received.sha256, size=received.size,
                                         media_type=received.media_type)
        if not accepted.created:
            response.status_code = 200
            return _json(db, accepted.upload)
        return actions.upload_json(accepted.upload, 0)


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
    try:
        ids = actions.reprocess(db, state=body.state, older_than=body.older_than)
    except actions.BadVersion as exc:
        raise ApiError(400, "bad_version", f"older_than: {exc}.") from exc
    for upload_id in ids:
        actions.send(dispatcher_of(request), upload_id, reprocess=True)
    return {"queued": len(ids), "ids": ids}
