"""The operations the API and the command line both offer, each written once.

    upload(runtime, session, work, ...)      the bytes stored (blob first), the upload row, commit, then sent
    record_upload(session, work, ...)        the same for bytes the caller streamed into the blob store
    reprocess(session, ids | state | older)  uploads queued again (attempts back to 0), commit; then `send` each
    set_role(session, work, member, role)    the member's role profile stored, commit, then their activities
                                              re-matched (by `work.remap`)
    uploads_page(session, ...)               uploads, oldest first, as the contract's upload JSON
    token_json(token)                        a token as the admins see it (never its secret)
    year_summary(session, member, year, settings)   the member's CPD year (ingest.year.summary)

The export of a year is ingest.year.export's `year_export`, which both call as it is. Each action commits
before anything is sent to the workers, so a worker never looks for a row that is not there yet; a failure to
send loses nothing (the upload stays queued and a sweeper sends it again).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..settings import Settings
from ..store import QUEUED, TokenRow, UploadRow, activity_count, find_or_create_upload, token_state
from ..store import set_role as store_role
from ..year import member_summary
from . import leases
from .dispatch import Dispatcher
from .pipeline import EXTRACTOR_VERSION
from .runtime import Runtime

__all__ = ["Accepted", "BadVersion", "check_version", "upload", "record_upload", "send", "reprocess", "set_role", "uploads_page", "upload_json", "token_json",
           "year_summary"]

log = logging.getLogger(__name__)
_REQUEUE_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Accepted:
    """An upload as `upload` left it: `created` False when the member had uploaded these bytes before; `sent`
    False when it could not be handed to the workers now (it stays queued)."""

    upload: UploadRow
    created: bool
    sent: bool


def upload(runtime: Runtime, session: Session, work: Dispatcher, *, member_id: str, filename: str, data: bytes,
           media_type: str | None, send_queued: bool = False) -> Accepted:
    """Store the bytes (blob first: safe before anything refers to them), then the member's upload row, commit,
    then send it to the workers. Bytes the member uploaded before give that upload, sent again only with
    `send_queued` while it is still queued (the CLI reads it now; the API leaves it to the sweeper)."""
    sha256 = runtime.blobs.put(data)
    accepted = record_upload(session, work, member_id=member_id, filename=filename, sha256=sha256, size=len(data),
                             media_type=media_type, send_queued=send_queued)
    if not runtime.blobs.exists(sha256):  # withdrawn by its last other uploader between our put and commit
        runtime.blobs.put(data)
    return accepted


def record_upload(session: Session, work: Dispatcher, *, member_id: str, filename: str, sha256: str, size: int,
                  media_type: str | None, send_queued: bool = False) -> Accepted:
    """The member's upload row for bytes already in the blob store (the API streams them there itself),
    commit, then send it to the workers; as `upload` does after storing the bytes."""
    found, created = find_or_create_upload(session, member_id=member_id, filename=filename, sha256=sha256,
                                           size=size, media_type=media_type)
    session.commit()
    sent = False
    if created or (send_queued and found.state == QUEUED):
        sent = send(work, found.id, reprocess=False)
    return Accepted(found, created, sent)


def send(work: Dispatcher, upload_id: int, *, reprocess: bool) -> bool:
    """Wake a worker for a committed upload; False (logged) when that cannot be done now, which loses nothing:
    the upload stays queued and the sweeper sends it."""
    try:
        (work.reprocess if reprocess else work.upload)(upload_id)
    except Exception as exc:
        log.warning("upload %s is stored but could not be sent to the workers now (%s: %s); the sweeper will "
                    "send it", upload_id, exc.__class__.__name__, exc)
        return False
    return True


def reprocess(session: Session, *, ids: Sequence[int] | None = None, state: str | None = None,
              older_than: str | None = None) -> list[int]:
    """Queue again the uploads `ids`, or every upload in `state`, or read by an extractor older than
    `older_than` (`BadVersion` unless check_version takes it): attempts back to 0, errors cleared; commit. Returns the ids found, to `send` each
    (`reprocess=True`: the reprocess queue, so a bulk run never starves members' uploads)."""
    if older_than is not None:
        check_version(older_than)
    chosen = list(ids) if ids is not None else leases.select_for_reprocess(session, state=state, older_than=older_than)
    found = [upload_id for start in range(0, len(chosen), _REQUEUE_CHUNK)
             for upload_id in leases.requeue(session, chosen[start:start + _REQUEUE_CHUNK])]
    session.commit()
    return found


class BadVersion(ValueError):
    """An `older_than` that is no extractor version (the message says what is taken)."""


_VERSION = re.compile(r"\d{1,6}(?:\.\d{1,6}){0,3}")


def check_version(version: str) -> None:
    """`BadVersion` unless `version` is an extractor version (numbers and dots, as "1" or "1.2") no newer than
    the current one: a version above it would reprocess every upload without anyone meaning to."""
    current = EXTRACTOR_VERSION
    if not _VERSION.fullmatch(version):
        shown = version if len(version) <= 40 else version[:40] + f"... ({len(version):,} characters)"
        raise BadVersion(f"'{shown}' is not an extractor version; give numbers separated by dots, such as "
                         f"{current} (the current one)")
    if leases.version_key(version) > leases.version_key(current):
        raise BadVersion(f"there is no extractor version {version} yet; the current one is {current}. Uploads read "
                         f"by an older one are found with {current}; to read one upload again, reprocess it by id")


def set_role(session: Session, work: Dispatcher, member_id: str, role: dict[str, Any]) -> bool:
    """Store the member's role profile (checked JSON: ingest.work.roles), commit, then have their stored
    activities matched to it again; False (logged) when that could not be started now. The role is stored
    either way, and activities read from now on match it."""
    store_role(session, member_id, role)
    session.commit()
    try:
        work.remap(member_id)
    except Exception as exc:
        log.warning("member %s: could not send the remap now (%s: %s)", member_id, exc.__class__.__name__, exc)
        return False
    return True


def uploads_page(session: Session, *, after: int = 0, limit: int = 100, state: str | None = None,
                 member_id: str | None = None) -> tuple[list[UploadRow], dict[int, int], bool]:
    """Up to `limit` uploads with an id above `after`, oldest first, optionally in one state or of one member;
    their activity counts; and whether more follow."""
    query = select(UploadRow).where(UploadRow.id > after).order_by(UploadRow.id).limit(limit + 1)
    if state is not None:
        query = query.where(UploadRow.state == state)
    if member_id is not None:
        query = query.where(UploadRow.member_id == member_id)
    found = list(session.scalars(query))
    page = found[:limit]
    return page, activity_count(session, [u.id for u in page]), len(found) > limit


def upload_json(upload: UploadRow, activities: int) -> dict[str, Any]:
    """An upload as GET /uploads/{id} and `cpd-evidence uploads --json` show it (CONTRACT.md section 3)."""
    error = {"code": upload.error_code, "message": upload.error_message} if upload.error_code else None
    return {
        "id": upload.id, "state": upload.state, "error": error, "activity_count": activities,
        "member_id": upload.member_id, "filename": upload.filename, "sha256": upload.sha256,
        "media_type": upload.media_type, "size": upload.size, "extractor": upload.extractor,
        "extractor_version": upload.extractor_version, "attempts": upload.attempts,
        "last_error": upload.last_error, "warnings": upload.warnings or [],
        "created_at": _iso(upload.created_at), "updated_at": _iso(upload.updated_at),
        "finished_at": _iso(upload.finished_at),
    }


def token_json(token: TokenRow) -> dict[str, Any]:
    """A token as GET /admin/tokens and `cpd-evidence token list --json` show it: never the token itself (only
    its hash is kept) and not the hash either."""
    return {"id": token.id, "kind": token.kind, "member_id": token.member_id, "state": token_state(token),
            "created_at": _iso(token.created_at), "expires_at": _iso(token.expires_at),
            "revoked_at": _iso(token.revoked_at), "last_used_at": _iso(token.last_used_at)}


def _iso(value: Any) -> str | None:
    return value.isoformat() + "Z" if value is not None else None


def year_summary(session: Session, member_id: str, year: int, settings: Settings) -> dict[str, Any]:
    """The member's CPD year (GET /members/{id}/summary, `cpd-evidence summary`), with the settings' start
    month and ethics requirement."""
    return member_summary(session, member_id, year, settings.year_start_month, settings.ethics_activities_required)
