"""The task function `ingest.work.jobs.process` called directly against SQLite: claim, lease, attempts,
sweeper, idempotency, and files that cannot be read. No broker, no eager mode."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from extractors.model import ExtractOptions, Upload as FileUpload
from ingest.store import ActivityRow, UploadRow, find_or_create_upload, set_role, utcnow
from ingest.work import jobs, leases
from ingest.work.dispatch import InlineDispatcher, PoolDispatcher, Sweeper
from ingest.work.pipeline import run
from ingest.work.remap import remap
from ingest.work.roles import load_role_json
from ingest.work.runtime import Runtime, open_runtime
from mappers.matching import Matcher
import mappers.tables

from .conftest import GOOD_CSV, RANDOM_BYTES, make_settings, truncated_xlsx


def _upload(runtime: Runtime, data: bytes = GOOD_CSV, name: str = "record.csv", member: str = "m1") -> int:
    sha = runtime.blobs.put(data)
    with runtime.sessions() as s, s.begin():
        upload, _ = find_or_create_upload(s, member_id=member, filename=name, sha256=sha, size=len(data),
                                          media_type=None)
    return upload.id


def _get(runtime: Runtime, upload_id: int) -> UploadRow:
    with runtime.sessions() as s:
        upload = s.get(UploadRow, upload_id)
        assert upload is not None
        return upload


def _activity_ids(runtime: Runtime, member: str = "m1") -> list[str]:
    with runtime.sessions() as s:
        return sorted(s.scalars(select(ActivityRow.activity_id).where(ActivityRow.member_id == member)))


def test_process_reads_the_file_and_stores_its_activities(runtime: Runtime) -> None:
    upload_id = _upload(runtime)
    outcome = jobs.process(upload_id, runtime)
    upload = _get(runtime, upload_id)
    assert (outcome.state, outcome.activities) == ("done", 5)
    assert (upload.state, upload.attempts, upload.lease_owner, upload.error_code) == ("done", 1, None, None)
    assert upload.extractor == "csv" and upload.extractor_version
    assert len(_activity_ids(runtime)) == 5


def test_process_twice_is_idempotent(runtime: Runtime) -> None:
    """GIVEN a processed upload WHEN it is run again (a duplicate message) THEN it is skipped; WHEN it is
    requeued and run again THEN the same activity ids come back, no more."""
    upload_id = _upload(runtime)
    jobs.process(upload_id, runtime)
    first = _activity_ids(runtime)
    assert jobs.process(upload_id, runtime).state == "skipped"
    with runtime.sessions() as s, s.begin():
        leases.requeue(s, [upload_id])
    assert jobs.process(upload_id, runtime).state == "done"
    assert _activity_ids(runtime) == first


@pytest.mark.parametrize("data", [RANDOM_BYTES, truncated_xlsx()], ids=["random-bytes", "truncated-xlsx"])
def test_unreadable_file_fails_at_once_with_the_extractors_error(runtime: Runtime, data: bytes) -> None:
    name = "record.xlsx"
    expected = run(FileUpload.from_bytes(data, name), ExtractOptions(), Matcher(None)).error
    assert expected is not None
    upload_id = _upload(runtime, data, name)
    outcome = jobs.process(upload_id, runtime)
    upload = _get(runtime, upload_id)
    assert (outcome.state, upload.state, upload.attempts) == ("failed", "failed", 1)
    assert (upload.error_code, upload.error_message) == (expected.code, expected.message)
    assert jobs.process(upload_id, runtime).state == "skipped"  # never retried by itself


def test_a_live_lease_keeps_other_workers_out_and_an_expired_one_does_not(runtime: Runtime) -> None:
    upload_id = _upload(runtime)
    with runtime.sessions() as s, s.begin():
        assert leases.claim(s, upload_id, "dead-worker", 60) is not None
    assert jobs.process(upload_id, runtime, owner="other").state == "skipped"
    with runtime.sessions() as s, s.begin():
        s.execute(update(UploadRow).values(lease_expires_at=utcnow() - dt.timedelta(seconds=1)))
    outcome = jobs.process(upload_id, runtime, owner="other")
    assert outcome.state == "done" and _get(runtime, upload_id).attempts == 2


def test_concurrent_deliveries_process_an_upload_once(runtime: Runtime) -> None:
    """Four workers handed the same upload at once: one reads it, the others find it taken or done."""
    from concurrent.futures import ThreadPoolExecutor

    upload_id = _upload(runtime)
    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(lambda n: jobs.process(upload_id, runtime, f"worker-{n}"), range(4)))
    assert sorted(o.state for o in outcomes) == ["done", "skipped", "skipped", "skipped"]
    assert _get(runtime, upload_id).attempts == 1 and len(_activity_ids(runtime)) == 5


def test_the_same_owner_may_take_its_upload_back(runtime: Runtime) -> None:
    """A Celery retry or redelivery keeps the task id: it resumes its own live lease at once."""
    upload_id = _upload(runtime)
    with runtime.sessions() as s, s.begin():
        leases.claim(s, upload_id, "task-1", 60)
    assert jobs.process(upload_id, runtime, owner="task-1").state == "done"


def test_too_many_attempts_fails_the_upload(runtime: Runtime) -> None:
    """GIVEN an upload claimed max_attempts times by workers that died THEN the next claim fails it."""
    upload_id = _upload(runtime)
    with runtime.sessions() as s, s.begin():
        s.execute(update(UploadRow).values(attempts=runtime.settings.max_attempts))
    outcome = jobs.process(upload_id, runtime)
    upload = _get(runtime, upload_id)
    assert (outcome.state, upload.state, upload.error_code) == ("failed", "failed", "too_many_attempts")
    assert "reprocess" in (upload.error_message or "")


def test_missing_blob_is_transient_then_too_many_attempts_then_reprocess_succeeds(runtime: Runtime) -> None:
    upload_id = _upload(runtime)
    blob = runtime.blobs.path(_get(runtime, upload_id).sha256)  # type: ignore[attr-defined]
    saved = blob.read_bytes()
    blob.unlink()
    for _ in range(runtime.settings.max_attempts):
        with pytest.raises(jobs.Transient):
            jobs.process(upload_id, runtime, owner="task-1")
    assert "BlobMissing" in (_get(runtime, upload_id).last_error or "")
    outcome = jobs.process(upload_id, runtime, owner="task-1")
    upload = _get(runtime, upload_id)
    assert (outcome.state, upload.error_code) == ("failed", "too_many_attempts")
    assert "not in the blob folder" in (upload.error_message or "")
    blob.write_bytes(saved)
    with runtime.sessions() as s, s.begin():
        leases.requeue(s, [upload_id])
    assert jobs.process(upload_id, runtime).state == "done" and len(_activity_ids(runtime)) == 5


def test_inline_retries_keep_their_claim_then_give_up(runtime: Runtime) -> None:
    """The in-process dispatcher retries a transient failure under the same owner, so each retry resumes
    its own lease, and ends in "too_many_attempts" rather than waiting for the lease to run out."""
    upload_id = _upload(runtime)
    runtime.blobs.path(_get(runtime, upload_id).sha256).unlink()  # type: ignore[attr-defined]
    work = InlineDispatcher(runtime)
    work.upload(upload_id)
    assert work.outcomes[upload_id].code == "too_many_attempts"
    assert _get(runtime, upload_id).attempts == runtime.settings.max_attempts + 1


def test_database_away_is_transient(tmp_path: Path, runtime: Runtime) -> None:
    """A database that cannot be opened raises Transient (retried), not a failed upload."""
    upload_id = _upload(runtime)
    away = open_runtime(make_settings(tmp_path, database_url=f"sqlite:///{tmp_path}/no/such/dir/db.sqlite3"),
                        run_migrations=False)
    with pytest.raises(jobs.Transient):
        jobs.process(upload_id, away)
    assert _get(runtime, upload_id).state == "queued"


def test_sweeper_requeues_expired_leases_and_forgotten_queued_uploads_once(runtime: Runtime) -> None:
    expired, fresh, forgotten = _upload(runtime), _upload(runtime, b"a,b\n1,2\n"), _upload(runtime, b"x\n1\n")
    long_ago = utcnow() - dt.timedelta(hours=1)
    with runtime.sessions() as s, s.begin():
        leases.claim(s, expired, "dead", 60)
        s.execute(update(UploadRow).where(UploadRow.id == expired).values(lease_expires_at=long_ago))
        s.execute(update(UploadRow).where(UploadRow.id == forgotten).values(enqueued_at=long_ago))
    sent: list[int] = []
    sweeper = Sweeper(runtime, sent.append)
    assert sorted(sweeper.sweep_once()) == sorted([expired, forgotten])
    assert sweeper.sweep_once() == []  # sent once, not at every sweep
    assert _get(runtime, expired).state == "queued" and _get(runtime, fresh).state == "queued"
    assert jobs.process(expired, runtime).state == "done"


@pytest.mark.parametrize("backlog", [3, 0, None, "broker away"])
def test_sweeper_leaves_queued_uploads_in_line_while_the_queue_holds_some(runtime: Runtime,
                                                                          backlog: int | str | None) -> None:
    """GIVEN an upload queued an hour ago and one whose lease ran out WHEN messages wait in the queue THEN only
    the lease is re-sent (the queued one is in line, not lost); when the queue is empty or cannot be asked,
    both are."""
    expired, waiting = _upload(runtime), _upload(runtime, b"a,b\n1,2\n")
    long_ago = utcnow() - dt.timedelta(hours=1)
    with runtime.sessions() as s, s.begin():
        leases.claim(s, expired, "dead", 60)
        s.execute(update(UploadRow).where(UploadRow.id == expired).values(lease_expires_at=long_ago))
        s.execute(update(UploadRow).where(UploadRow.id == waiting).values(enqueued_at=long_ago))

    def length() -> int | None:
        if backlog == "broker away":
            raise ConnectionError("broker away")
        return backlog if not isinstance(backlog, str) else None

    sent: list[int] = []
    Sweeper(runtime, sent.append, backlog=length).sweep_once()
    assert sorted(sent) == ([expired] if backlog == 3 else sorted([expired, waiting]))


def test_remap_matches_stored_activities_to_the_new_role(runtime: Runtime) -> None:
    upload_id = _upload(runtime)
    jobs.process(upload_id, runtime)
    with runtime.sessions() as s:
        before = [d["responsibilities"] for d in s.scalars(select(ActivityRow.data))]
    assert all(r == [] for r in before)
    with runtime.sessions() as s, s.begin():
        set_role(s, "m1", load_role_json("trust-administrator"))
    assert remap("m1", runtime) == 5
    with runtime.sessions() as s:
        after = [d["responsibilities"] for d in s.scalars(select(ActivityRow.data))]
    assert any(after) and remap("m1", runtime) == 0  # nothing left to do


def test_pool_dispatcher_picks_up_what_was_queued_before_it_started(settings: object, runtime: Runtime) -> None:
    """The in-process pool of `serve`: its first sweep reads uploads left queued by a previous run."""
    upload_id = _upload(runtime)
    pool = PoolDispatcher(runtime)
    try:
        deadline = time.monotonic() + 60
        while _get(runtime, upload_id).state != "done" and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        pool.close()
    assert _get(runtime, upload_id).state == "done"
    with runtime.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ActivityRow)) == 5


def test_a_file_read_in_many_batches_is_stored_whole_and_rematched(runtime: Runtime,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN rows read 2 at a time and the member's role changed while the file was read WHEN processed
    THEN every activity is stored once, matched to the new role."""
    monkeypatch.setattr(mappers.tables, "BATCH_ROWS", 2)
    upload_id = _upload(runtime)                # read with no role; the member has one by the time it is saved
    real = jobs.member_role

    def role_changed(session: Any, member_id: str, *, lock: bool = False) -> Any:
        if lock:  # read under the lock, just before the activities are stored: the role changed meanwhile
            set_role(session, member_id, load_role_json("trust-administrator"))
        return real(session, member_id, lock=lock)

    monkeypatch.setattr(jobs, "member_role", role_changed)
    outcome = jobs.process(upload_id, runtime)
    assert (outcome.state, outcome.activities) == ("done", 5)
    with runtime.sessions() as s:
        stored = list(s.scalars(select(ActivityRow.data)))
    assert len(stored) == 5 and any(d["responsibilities"] for d in stored)
