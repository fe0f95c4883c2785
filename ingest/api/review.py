"""The member's review over HTTP (CONTRACT.md section 3): their own uploads (list, original file, withdraw) and
their word on each activity (confirm, edit, reject, reflection, responsibilities, ethics; one entered by hand).
Thin: each route checks the caller and the body, then calls ingest.work.review.

    GET    /uploads                                         the member's own, newest first
    GET    /uploads/{id}/file                               its member, an admin
    DELETE /uploads/{id}                                    its member
    PATCH  /members/{member_id}/activities/{activity_id}    that member
    POST   /members/{member_id}/activities                  that member
    GET    /admin/exemplars?pending=true                    admin: titles members taught the matcher
    POST   /admin/exemplars/approve                         admin: they count for every member from now on
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy.orm import Session

from mappers.activity import ACTIVITY_TYPES, STATUSES

from ..store import ADMIN, EDITABLE, MEMBER, BlobCorrupt, BlobMissing, Principal, ReviewError, UploadRow, exemplar_json
from ..work import actions, review
from .deps import ApiError, admin, dispatcher_of, principal, runtime_of, session
from .paging import decode_cursor, encode_cursor

__all__ = ["router", "ActivityPatch", "ActivityIn", "EthicsIn", "CreditsIn", "ApproveIn"]

router = APIRouter()
ActivityType = Literal[ACTIVITY_TYPES]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
Field_ = Literal[EDITABLE]  # type: ignore[valid-type]
_STATUS = {"no_such_activity": 404, "activity_gone": 409}
_TEXT = 10_000


class CreditsIn(BaseModel):  # the record's own figure (no docstring: it would enter the OpenAPI)
    model_config = ConfigDict(extra="forbid")
    value: float = Field(ge=0, le=100_000)
    unit: str = Field(min_length=1, max_length=40)


class EthicsIn(BaseModel):  # the member's ethics call: related or not, and the topics (ids) it serves
    model_config = ConfigDict(extra="forbid")
    related: bool
    topics: list[str] = Field(default_factory=list, max_length=20)


class _Fields(BaseModel):
    """The contract's editable fields (section 1); responsibilities as ids of the member's role, ethics as
    {"related", "topics": [topic ids]}."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, min_length=1, max_length=1000)
    provider: str | None = Field(default=None, max_length=500)
    activity_type: ActivityType | None = None
    status: Status | None = None
    started_on: dt.date | None = None
    completed_on: dt.date | None = None
    duration_minutes: int | None = Field(default=None, ge=0, le=1_000_000)
    cpd_hours: float | None = Field(default=None, ge=0, le=10_000)
    credits: CreditsIn | None = None
    verifiable: bool | None = None
    description: str | None = Field(default=None, max_length=_TEXT)
    reflection: str | None = Field(default=None, max_length=_TEXT)
    learner: str | None = Field(default=None, max_length=500)
    reference: str | None = Field(default=None, max_length=500)
    responsibilities: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(default=None,
                                                                                             max_length=100)
    ethics: EthicsIn | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> _Fields:
        if self.started_on and self.completed_on and self.started_on > self.completed_on:
            raise ValueError(f"started_on {self.started_on} is after completed_on {self.completed_on}")
        if "title" in self.model_fields_set and self.title is None:
            raise ValueError("title cannot be empty; give the activity's name")
        if "status" in self.model_fields_set and self.status is None:
            raise ValueError(f"status cannot be null; give one of {', '.join(STATUSES)}")
        return self

    def values(self) -> dict[str, Any]:
        """The fields sent, as the contract's JSON (dates as ISO text); null responsibilities or ethics left out
        (they mean: back to what was matched)."""
        sent = self.model_dump(mode="json", include=self.model_fields_set & set(EDITABLE))
        return {k: v for k, v in sent.items() if not (k in ("responsibilities", "ethics") and v is None)}

    def restored(self) -> list[str]:
        return [k for k in ("responsibilities", "ethics") if k in self.model_fields_set and getattr(self, k) is None]


class ActivityPatch(_Fields):
    """The body of PATCH .../activities/{activity_id}: any editable field (null clears it; null responsibilities
    or ethics go back to what was matched), and/or `review`: "confirmed", "rejected" (with `reason`) or
    "unreviewed" (forget the member's word), and/or `restore`: fields given back to what was read."""

    review: Literal["confirmed", "rejected", "unreviewed"] | None = None
    reason: Literal["not_mine", "not_learning"] | None = None
    restore: list[Field_] = Field(default_factory=list, max_length=len(EDITABLE))

    @field_validator("reason", mode="before")
    @classmethod
    def _spelled(cls, value: Any) -> Any:  # "not mine", "Not-learning" as well as not_mine
        return value.strip().lower().replace(" ", "_").replace("-", "_") if isinstance(value, str) else value

    @model_validator(mode="after")
    def _coherent(self) -> ActivityPatch:
        fields = set(self.model_fields_set) - {"review", "reason", "restore"}
        if self.review == "unreviewed" and (fields or self.restore):
            raise ValueError('"review": "unreviewed" forgets everything you said; send it alone')
        if self.reason is not None and self.review != "rejected":
            raise ValueError('a reason goes with "review": "rejected"')
        if not fields and not self.restore and self.review is None:
            raise ValueError('nothing to change: send a field, "review" or "restore"')
        return self


class ActivityIn(_Fields):
    """The body of POST /members/{id}/activities: an activity entered by hand; `title` is needed, `status`
    is completed unless given."""

    @model_validator(mode="after")
    def _titled(self) -> ActivityIn:
        if not self.title:
            raise ValueError("title is needed: the activity's name")
        return self


def _owner(member_id: str, who: Principal) -> None:
    if not who.is_member(member_id):
        raise ApiError(403, "forbidden", "Only the member may review their activities, with their own token.")


def _apply(db: Session, change: Any) -> dict[str, Any]:
    try:
        result: dict[str, Any] = change()
    except ReviewError as exc:
        db.rollback()
        raise ApiError(_STATUS.get(exc.code, 422), exc.code, exc.message) from exc
    return result


@router.patch("/members/{member_id}/activities/{activity_id}", tags=["review"])
def patch_activity(member_id: str, activity_id: str, body: ActivityPatch, request: Request,
                   who: Annotated[Principal, Depends(principal)],
                   db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """The member's word on an activity: confirm it, set fields, reject it ("not_mine" / "not_learning"), add a
    reflection, set or clear responsibilities and the ethics call. Kept apart from what was read: it survives
    reprocessing and role changes. Returns the activity with its `review`."""
    _owner(member_id, who)
    restore = list(dict.fromkeys([*body.restore, *body.restored()]))
    return _apply(db, lambda: review.review_activity(
        db, dispatcher_of(request), member_id, activity_id, by=review.member_actor(member_id), review=body.review,
        reason=body.reason, changes=body.values(), restore=restore))


@router.post("/members/{member_id}/activities", status_code=201, tags=["review"])
def post_activity(member_id: str, body: ActivityIn, request: Request, who: Annotated[Principal, Depends(principal)],
                  db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """An activity entered by hand (no upload): `source.extractor` is "manual". Its responsibilities and ethics
    are matched to the member's role unless given."""
    _owner(member_id, who)
    values = body.values()
    mine: dict[str, Any] = {k: values.pop(k) for k in ("responsibilities", "ethics") if k in values}
    return _apply(db, lambda: review.add_activity(db, dispatcher_of(request), member_id, values,
                                                  by=review.member_actor(member_id), member_values=mine))


@router.get("/uploads", tags=["uploads"])
def my_uploads(who: Annotated[Principal, Depends(principal)], db: Annotated[Session, Depends(session)],
               cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """The member's own uploads, newest first, each with its state, error and activity count; paged by `next`."""
    if who.kind != MEMBER or who.member_id is None:
        raise ApiError(403, "members_only", "This lists a member's own uploads; use a member's token (an admin "
                       "lists everyone's with GET /admin/uploads).")
    after = decode_cursor(cursor)
    page, counts, next_before = review.my_uploads(db, who.member_id, before=after or None, limit=limit)
    return {"items": [actions.upload_json(u, counts.get(u.id, 0)) for u in page],
            "next": encode_cursor(next_before) if next_before is not None else None}


def _visible(db: Session, upload_id: int, who: Principal, *, admins: bool) -> UploadRow:
    upload = db.get(UploadRow, upload_id)
    if upload is None or not ((admins and who.kind == ADMIN) or who.is_member(upload.member_id)):
        raise ApiError(404, "not_found", f"There is no upload {upload_id} of yours. List yours with GET /uploads.")
    return upload


@router.get("/uploads/{upload_id}/file", tags=["uploads"], response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}, "description": "The original bytes."}})
def upload_file(upload_id: int, request: Request, who: Annotated[Principal, Depends(principal)],
                db: Annotated[Session, Depends(session)]) -> Response:
    """The uploaded file as it was sent: its bytes, name and media type (its member, or an admin)."""
    upload = _visible(db, upload_id, who, admins=True)
    try:
        data = review.upload_bytes(runtime_of(request), upload)
    except (BlobMissing, BlobCorrupt) as exc:
        raise ApiError(503, "file_unavailable", str(exc)) from exc
    ascii_name = upload.filename.encode("ascii", "replace").decode().replace('"', "'").replace("\\", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(upload.filename, safe='')}"
    return Response(data, media_type=upload.media_type or "application/octet-stream",
                    headers={"Content-Disposition": disposition, "Cache-Control": "no-store",
                             "X-Content-Type-Options": "nosniff"})


@router.delete("/uploads/{upload_id}", status_code=204, tags=["uploads"], response_class=Response)
def delete_upload(upload_id: int, request: Request, who: Annotated[Principal, Depends(principal)],
                  db: Annotated[Session, Depends(session)]) -> Response:
    """Withdraw one of your uploads: its activities and your corrections of them leave your record (the audit
    log keeps that you did); the stored file goes once no upload refers to it."""
    if who.kind != MEMBER:
        raise ApiError(403, "members_only", "Only the member who uploaded a file may withdraw it, with their token.")
    upload = _visible(db, upload_id, who, admins=False)
    review.delete_upload(runtime_of(request), db, upload, by=review.member_actor(upload.member_id))
    return Response(status_code=204)


class ApproveIn(BaseModel):  # the body of POST /admin/exemplars/approve: the exemplars' ids
    model_config = ConfigDict(extra="forbid")
    ids: list[Annotated[int, Field(ge=1, le=2**62)]] = Field(min_length=1, max_length=1000)


@router.get("/admin/exemplars", tags=["admin"])
def list_exemplars(_who: Annotated[Principal, Depends(admin)], db: Annotated[Session, Depends(session)],
                   pending: bool | None = None, cursor: str | None = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """Titles members confirmed a responsibility or ethics topic for (each member's own count for their files
    at once); `pending=true`: those waiting for an admin's approval to count for every member."""
    page, next_after = review.exemplars_page(db, pending=pending, after=decode_cursor(cursor), limit=limit)
    return {"items": [exemplar_json(r) for r in page],
            "next": encode_cursor(next_after) if next_after is not None else None}


@router.post("/admin/exemplars/approve", tags=["admin"])
def approve_exemplars(body: ApproveIn, who: Annotated[Principal, Depends(admin)],
                      db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Approve exemplars: from now on they teach the matcher for every member's files (audit-logged)."""
    found = review.approve(db, body.ids, by="admin")
    missing = sorted(set(body.ids) - set(found))
    if not found:
        raise ApiError(404, "not_found", f"There are no exemplars {', '.join(map(str, missing))}. List them with "
                       "GET /admin/exemplars?pending=true.")
    return {"approved": found, "not_found": missing}
