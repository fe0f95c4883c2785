"""The work behind the queue, called the same way by a Celery task, the in-process pool and the CLI.

    process(upload_id, runtime, owner)    (owner: the Celery task id, the same across retries)
      claim the upload (lease, attempts + 1, held by this process) -> someone else has it: skipped
      attempts above CPD_MAX_ATTEMPTS              -> failed "too_many_attempts"
      read the blob, pick the member's matcher, run the pure pipeline (in a child process: sandbox)
      store the activities in one transaction under the lease; the upload stays processing, `links_pending`
      the step after, outside the file's time limit: the member's duplicates found without their lock, then
        linked in one short transaction that also marks the upload done (year.detect_apart)
      a file that cannot be read: failed with its own error at once (its old rows' links mended)
      a claim of an upload with `links_pending` (an earlier run stopped after storing): the step after only

Transient trouble (database or blob folder away) raises `Transient` for the caller to retry later with
`backoff`; the lease and attempts in the database bound it. A file that cannot be read is not transient:
it fails at once with the extractor's error. Celery's soft time limit (SoftTimeLimitExceeded, wherever it
fires) fails the upload as `timeout`, or, once the file is stored, sends the linking step again on its own.
Anything else is a bug: logged with the upload id, and the upload fails with "internal_error" (an admin can
reprocess it once fixed).
"""
from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from extractors.model import Upload as FileUpload
from mappers.activity import Activity

from ..store import (FAILED, PROCESSING, BlobCorrupt, BlobMissing, LeaseLost, ReadResult, UploadRow, activity_count,
                     apply_reviews, display_name, finish_links, member_role, save_result, utcnow)
from ..year import detect, detect_apart
from . import leases
from .learners import mark_other_learners
from .matching import match_activities
from .pipeline import EXTRACTOR_VERSION, FileError, timed_out
from .runtime import Runtime
from .taught import member_exemplars
from .sandbox import batches_isolated, limits_from

__all__ = ["Transient", "Outcome", "process", "store_result", "backoff", "TRANSIENT_ERRORS"]

log = logging.getLogger(__name__)

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, PoolTimeout, BlobMissing, BlobCorrupt,
                                                      ConnectionError, TimeoutError)


_NOTE_ERRORS: tuple[type[BaseException], ...] = (DBAPIError, *TRANSIENT_ERRORS)


class Transient(Exception):
    """Infrastructure trouble; the same work may succeed later."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one run of `process` did with an upload, and how many activities it stored."""

    upload_id: int
    state: str               # done / failed / skipped (not ours to do) / lost (lease taken over)
    activities: int = 0
    code: str | None = None


def backoff(retries: int, base: float, cap: float) -> float:
    """Seconds before retry number `retries` (0-based): exponential, capped, with jitter."""
    return float(min(cap, base * 2 ** retries) * random.uniform(0.8, 1.2))


def process(upload_id: int, runtime: Runtime, owner: str | None = None) -> Outcome:
    """Process one upload once. Safe to call twice, concurrently, or after a crash."""
    owner = owner or uuid.uuid4().hex
    try:
        with runtime.sessions() as session, session.begin():
            upload = leases.claim(session, upload_id, owner, runtime.settings.lease_seconds)
    except TRANSIENT_ERRORS as exc:
        raise Transient(f"upload {upload_id}: cannot claim it now ({exc.__class__.__name__})") from exc
    if upload is None:
        return Outcome(upload_id, "skipped")
    if upload.attempts > runtime.settings.max_attempts:
        return _give_up(runtime, upload, owner)
    linking = upload.links_pending
    try:
        if linking:   # read and stored by an earlier run that stopped before its links: only the step after
            return _link(runtime, upload, owner, _stored(runtime, upload.id))
        return _read_and_save(runtime, upload, owner)
    except TRANSIENT_ERRORS as exc:
        _note(runtime, upload, owner, exc)
        raise Transient(f"upload {upload_id}: {exc}") from exc
    except LeaseLost:
        log.info("upload %s was taken over while %s read it; dropping this result", upload_id, owner)
        return Outcome(upload_id, "lost")
    except SoftTimeLimitExceeded as exc:  # Celery's soft time limit, whenever it fired: the file took too long
        if linking or _links_pending(runtime, upload.id):  # the file was read: its links get a task of their own
            _note(runtime, upload, owner, exc)
            raise Transient(f"upload {upload_id}: the time limit came while linking its duplicates; "
                            "linking them again, apart from the read") from exc
        return _fail(runtime, upload, owner, _timeout(upload, float(runtime.settings.task_soft_time_limit)))
    except Exception as exc:  # the task boundary: a bug
        log.exception("internal error while processing upload %s", upload_id)
        return _fail(runtime, upload, owner, _internal(upload, exc))


def store_result(session: Session, upload: UploadRow, result: ReadResult, *, lease_owner: str | None = None,
                 role_hash: str | None = None, batches: Iterable[Sequence[Activity]] | None = None) -> int:
    """Store what reading the upload gave (`store.save_result`: its activities replaced, its state set, under
    the lease of `lease_owner`; another learner's activities marked, ingest.work.learners), then link the
    member's duplicates, all in the caller's one transaction.
    Returns the number of activities stored."""
    member_id, upload_id = upload.member_id, upload.id
    batches = mark_other_learners(batches if batches is not None else (result.activities,),
                                  display_name(session, member_id))
    count = save_result(session, upload, result, extractor_version=EXTRACTOR_VERSION, lease_owner=lease_owner,
                        role_hash=role_hash, batches=batches)
    apply_reviews(session, member_id, upload_id)  # the member's word on these activities, kept from before
    detect(session, member_id, upload_id)  # links to the member's other uploads (on the member's values)
    return count


def _read_and_save(runtime: Runtime, upload: UploadRow, owner: str) -> Outcome:
    """Read the file (in the sandbox, within its limits) and store its activities; then the step after: link the
    member's duplicates. A file that cannot be read fails at once, its activities removed and links mended."""
    with runtime.sessions() as session:
        role = member_role(session, upload.member_id)
        taught = member_exemplars(session, upload.member_id, role.role)
    data = runtime.blobs.get(upload.sha256)  # checked against its sha256 there: not hashed again here
    options = runtime.settings.extract_options()
    # In a child process within the file's memory and time bounds; the child only reads, never the database.
    # Its activities come back a batch at a time, and are stored so.
    with batches_isolated(FileUpload(data, upload.filename, upload.sha256, upload.media_type), options,
                          runtime.matchers.get(role.role, role.role_hash, taught), limits_from(runtime.settings),
                          in_child=lambda: runtime.engine.dispose(close=False)) as (result, batches):
        with runtime.sessions() as session, session.begin():
            current = member_role(session, upload.member_id, lock=True)
            if current.role_hash != role.role_hash:  # the role changed while we read: match to the new one
                matcher = runtime.matchers.get(current.role, current.role_hash,
                                               member_exemplars(session, upload.member_id, current.role))
                batches = (match_activities(matcher, batch) for batch in batches)
            if result.error is not None:  # nothing stored: failed, and links to its old rows mended, at once
                store_result(session, upload, result, lease_owner=owner, role_hash=current.role_hash)
                _log_failure(upload.id, result.error)
                return Outcome(upload.id, "failed", 0, result.error.code)
            marked = mark_other_learners(batches, display_name(session, upload.member_id))
            count = save_result(session, upload, result, extractor_version=EXTRACTOR_VERSION, lease_owner=owner,
                                role_hash=current.role_hash, batches=marked, links_pending=True)
            apply_reviews(session, upload.member_id, upload.id)  # the member's word on these, kept from before
    return _link(runtime, upload, owner, count)


def _link(runtime: Runtime, upload: UploadRow, owner: str, count: int) -> Outcome:
    """The step after the read: the member's duplicates found without their lock and written, with the upload
    done, in one short transaction (`year.detect_apart`); still under this run's lease, so a crash here leaves
    `links_pending` for the next claim to do this step alone."""
    detect_apart(runtime.sessions, upload.member_id, upload.id,
                 finish=lambda session: finish_links(session, upload.id, owner))
    return Outcome(upload.id, "done", count)


def _stored(runtime: Runtime, upload_id: int) -> int:
    with runtime.sessions() as session:
        return activity_count(session, [upload_id]).get(upload_id, 0)


def _links_pending(runtime: Runtime, upload_id: int) -> bool:
    try:
        with runtime.sessions() as session:
            return bool(session.scalar(select(UploadRow.links_pending).where(UploadRow.id == upload_id)))
    except _NOTE_ERRORS:
        return False


def _give_up(runtime: Runtime, upload: UploadRow, owner: str) -> Outcome:
    last = upload.last_error or "the worker stopped (killed, out of memory or over its time limit) while reading it"
    error = FileError("too_many_attempts", (
        f"'{upload.filename}' was tried {upload.attempts - 1} times without finishing; the last problem: {last}. "
        "Fix the cause (or split the file if it is very large), then reprocess the upload."))
    return _fail(runtime, upload, owner, error)


def _fail(runtime: Runtime, upload: UploadRow, owner: str, error: FileError) -> Outcome:
    """Mark the upload failed without touching its activities (nothing new was read)."""
    try:
        with runtime.sessions() as session, session.begin():
            session.execute(update(UploadRow).where(
                UploadRow.id == upload.id, UploadRow.state == PROCESSING, UploadRow.lease_owner == owner).values(
                state=FAILED, error_code=error.code, error_message=error.message, lease_owner=None,
                lease_expires_at=None, finished_at=utcnow(), updated_at=utcnow()))
    except TRANSIENT_ERRORS as exc:  # the lease runs out and the sweeper brings it back
        raise Transient(f"upload {upload.id}: cannot record its failure now") from exc
    _log_failure(upload.id, error)
    return Outcome(upload.id, "failed", 0, error.code)


def _log_failure(upload_id: int, error: FileError) -> None:
    """One line for the operator, in `serve`'s log and the worker's alike: the upload, the code, the message
    (on one line, whatever the message holds), so failures show without the admin page."""
    message = " ".join(error.message.split())
    log.warning("upload %s failed: %s: %s", upload_id, error.code, message)


def _note(runtime: Runtime, upload: UploadRow, owner: str, exc: BaseException) -> None:
    try:
        with runtime.sessions() as session, session.begin():
            leases.note_transient(session, upload.id, owner, f"{exc.__class__.__name__}: {exc}")
    except _NOTE_ERRORS:
        log.warning("upload %s: could not record the transient error %r", upload.id, exc)


def _timeout(upload: UploadRow, limit: float | None) -> FileError:
    return timed_out(upload.filename, limit, upload.size)


def _internal(upload: UploadRow, exc: BaseException) -> FileError:
    return FileError("internal_error", (
        f"Something went wrong on our side while processing '{upload.filename}' ({exc.__class__.__name__}). "
        "The file is kept; an administrator can reprocess it once the problem is fixed."))
