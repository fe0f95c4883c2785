"""Upload states in the database, which is the source of truth; the broker only wakes workers.

    claim       queued (or processing with its lease run out, or held by this same owner: a retry or a
                redelivery of the same message) -> processing, attempts + 1, lease for LEASE_SECONDS, held
                by this process (`holder()`: host, pid and the pid's start time)
    sweep       processing with the lease run out, or held by a process of this host that is no longer
                alive (killed, or the server before its restart) -> queued; queued and not picked up for
                REQUEUE_AFTER_SECONDS -> sent again. Returns the ids to send.
    requeue     an admin's reprocess: any state -> queued, attempts back to 0

Every transition is one UPDATE with its precondition in the WHERE clause (compare-and-set), so two
workers, two sweepers or a worker and an admin never both win.
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import re
import socket
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from ..store import PROCESSING, QUEUED, UploadRow, utcnow

__all__ = ["claim", "sweep", "requeue", "select_for_reprocess", "version_key", "note_transient", "holder",
           "holder_alive"]


@functools.cache
def _host() -> str:
    return socket.gethostname()[:180]


def _started(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot, /proc/PID/stat), so that a pid used again by a later
    process (a container's server restarted with the same pid) is not taken for the holder; None if unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[19].decode() if len(fields) > 19 else None


def holder() -> str:
    """This process, as a lease's holder: "host:pid:start"."""
    pid = os.getpid()
    return f"{_host()}:{pid}:{_started(pid) or ''}"


def holder_alive(value: str) -> bool:
    """False only when `value` names a process of this host that is gone (or another process now has its pid);
    a holder on another host, or one that cannot be told, is taken as alive (its lease runs out instead)."""
    parts = value.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != _host() or not parts[1].isdigit():
        return True
    pid, started = int(parts[1]), parts[2]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:   # another user's process: alive
        pass
    now = _started(pid)
    return not (started and now and now != started)


def claim(session: Session, upload_id: int, owner: str, lease_seconds: int) -> UploadRow | None:
    """Take the upload for `owner`, or None when it is done, failed, or held by another live worker."""
    now = utcnow()
    claimable = or_(
        UploadRow.state == QUEUED,
        and_(UploadRow.state == PROCESSING, or_(UploadRow.lease_expires_at < now, UploadRow.lease_owner == owner)),
    )
    taken = session.execute(update(UploadRow).where(UploadRow.id == upload_id, claimable).values(
        state=PROCESSING, lease_owner=owner, lease_holder=holder(),
        lease_expires_at=now + dt.timedelta(seconds=lease_seconds),
        attempts=UploadRow.attempts + 1, started_at=now, updated_at=now,
    ).execution_options(synchronize_session=False))
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return session.get(UploadRow, upload_id, populate_existing=True)


def note_transient(session: Session, upload_id: int, owner: str, message: str) -> None:
    """Keep the latest transient failure on the upload, for the admin and the final error message."""
    session.execute(update(UploadRow).where(UploadRow.id == upload_id, UploadRow.lease_owner == owner).values(
        last_error=message[:2000], updated_at=utcnow()).execution_options(synchronize_session=False))


def sweep(session: Session, requeue_after_seconds: int, limit: int = 1000, queued: bool = True) -> list[int]:
    """Uploads to send to the workers again: leases run out, and (with `queued`) queued ones nobody picked up."""
    now = utcnow()
    expired = session.execute(select(UploadRow.id, UploadRow.lease_expires_at).where(
        UploadRow.state == PROCESSING, UploadRow.lease_expires_at < now).limit(limit)).all()
    stale_before = now - dt.timedelta(seconds=requeue_after_seconds)
    stale = session.execute(select(UploadRow.id, UploadRow.enqueued_at).where(
        UploadRow.state == QUEUED, or_(UploadRow.enqueued_at.is_(None), UploadRow.enqueued_at < stale_before)
    ).limit(limit)).all() if queued else []
    ids = []
    for upload_id, lease in expired:
        if _cas(session, upload_id, PROCESSING, UploadRow.lease_expires_at, lease, now, state=QUEUED, lease_owner=None,
                lease_expires_at=None, lease_holder=None):
            ids.append(upload_id)
    ours = session.execute(select(UploadRow.id, UploadRow.lease_holder).where(
        UploadRow.state == PROCESSING, UploadRow.lease_expires_at >= now,
        UploadRow.lease_holder.startswith(f"{_host()}:", autoescape=True)).limit(limit)).all()
    for upload_id, held_by in ours:   # held by a process of this host that is gone: back at once
        if held_by is not None and not holder_alive(held_by) and _cas(session, upload_id, PROCESSING, UploadRow.lease_holder, held_by, now,
                                              state=QUEUED, lease_owner=None, lease_expires_at=None, lease_holder=None):
            ids.append(upload_id)
    for upload_id, enqueued in stale:
        if _cas(session, upload_id, QUEUED, UploadRow.enqueued_at, enqueued, now):
            ids.append(upload_id)
    return ids


def _cas(session: Session, upload_id: int, in_state: str, column: Any, seen: dt.datetime | str | None,
         now: dt.datetime, **values: object) -> bool:
    """Set `values` (and enqueued_at) only if the row is still as it was read: state and `column` unchanged."""
    same = column.is_(None) if seen is None else column == seen
    done = session.execute(update(UploadRow).where(UploadRow.id == upload_id, UploadRow.state == in_state, same).values(
        enqueued_at=now, updated_at=now, **values).execution_options(synchronize_session=False))
    return bool(done.rowcount == 1)  # type: ignore[attr-defined]


def requeue(session: Session, upload_ids: Sequence[int]) -> list[int]:
    """Queue the uploads again from scratch (an admin's reprocess); a worker holding one loses its lease."""
    now = utcnow()
    found = list(session.scalars(select(UploadRow.id).where(UploadRow.id.in_(list(upload_ids)))))
    if found:
        session.execute(update(UploadRow).where(UploadRow.id.in_(found)).values(
            state=QUEUED, attempts=0, lease_owner=None, lease_expires_at=None, lease_holder=None, links_pending=False,
            error_code=None, error_message=None,
            last_error=None, enqueued_at=now, updated_at=now).execution_options(synchronize_session=False))
    return found


def select_for_reprocess(session: Session, *, state: str | None = None, older_than: str | None = None) -> list[int]:
    """Ids of the uploads in `state`, or read by an extractor version older than `older_than`."""
    query = select(UploadRow.id).order_by(UploadRow.id)
    if state is not None:
        query = query.where(UploadRow.state == state)
    if older_than is not None:
        versions = session.scalars(select(UploadRow.extractor_version).distinct()).all()
        older = [v for v in versions if v is not None and version_key(v) < version_key(older_than)]
        query = query.where(UploadRow.extractor_version.in_(older))
    return list(session.scalars(query))


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Order versions as people mean them: "2" < "10", "1.2" < "1.10"."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-+]", version) if p)
