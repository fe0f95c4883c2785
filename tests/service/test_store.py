"""The blob store, the schema's migrations and storing a result (`store_result`: `store.save_result`, then the
duplicates), against a real SQLite database."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from extractors.model import ExtractOptions, Upload as FileUpload
from ingest.settings import Settings
from ingest.store import (ActivityRow, Base, BlobCorrupt, BlobMissing, LeaseLost, LocalBlobs, UploadRow,
                          find_or_create_upload)
from ingest.store.db import make_engine, migrate
from ingest.work import leases
from ingest.work.jobs import store_result
from ingest.work.pipeline import FileError, FileResult, run
from ingest.work.runtime import Runtime
from ingest.year import cpd_year_bounds, cpd_year_of
from mappers.activity import Activity, Source
from mappers.matching import Matcher

from .conftest import GOOD_CSV


def _activity(sha: str, n: int, title: str = "Course") -> Activity:
    source = Source(sha, "f.csv", "text/csv", "csv", None, f"line={n}")
    return Activity(activity_id=f"{sha[:8]}-{n}", title=f"{title} {n}", source=source)


def _result(sha: str, count: int) -> FileResult:
    return FileResult("f.csv", sha, "text/csv", "csv", activities=[_activity(sha, n) for n in range(count)])


def _new_upload(runtime: Runtime, member: str = "m1", data: bytes = GOOD_CSV) -> UploadRow:
    sha = runtime.blobs.put(data)
    with runtime.sessions() as s, s.begin():
        upload, _ = find_or_create_upload(s, member_id=member, filename="f.csv", sha256=sha, size=len(data),
                                          media_type="text/csv")
    return upload


def _count(runtime: Runtime, **where: object) -> int:
    with runtime.sessions() as s:
        query = select(func.count()).select_from(ActivityRow)
        for key, value in where.items():
            query = query.where(getattr(ActivityRow, key) == value)
        return int(s.scalar(query) or 0)


def test_blob_roundtrip_is_by_content_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    """A blob is named by its sha256, stored once, read back whole, and no temporary file is left."""
    blobs = LocalBlobs(tmp_path / "blobs")
    sha = blobs.put(b"hello")
    assert sha == hashlib.sha256(b"hello").hexdigest()
    assert blobs.put(b"hello") == sha and blobs.get(sha) == b"hello" and blobs.exists(sha)
    assert [p.name for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == [sha]


def test_blob_missing_and_corrupt_are_told_apart(tmp_path: Path) -> None:
    blobs = LocalBlobs(tmp_path)
    with pytest.raises(BlobMissing, match="not in the blob folder"):
        blobs.get("0" * 64)
    sha = blobs.put(b"original")
    blobs.path(sha).write_bytes(b"changed")
    with pytest.raises(BlobCorrupt):
        blobs.get(sha)


def test_migrations_build_the_models_schema_and_run_twice(settings: Settings) -> None:
    """`upgrade head` on an empty SQLite gives exactly the models' schema; a second run changes nothing."""
    engine = make_engine(settings)
    migrate(engine)
    migrate(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
        assert diff == []
        assert {"members", "uploads", "activities", "tokens", "alembic_version"} <= set(inspect(connection).get_table_names())
    engine.dispose()


def test_same_bytes_same_member_is_one_upload(runtime: Runtime) -> None:
    first, second, other = _new_upload(runtime), _new_upload(runtime), _new_upload(runtime, member="m2")
    assert first.id == second.id and other.id != first.id


def test_save_result_replaces_and_never_duplicates(runtime: Runtime) -> None:
    """GIVEN an upload saved once WHEN the same result is saved again, or a shorter one THEN the upload holds
    exactly the latest result's activities."""
    upload = _new_upload(runtime)
    for count in (3, 3, 2):
        with runtime.sessions() as s, s.begin():
            assert store_result(s, upload, _result(upload.sha256, count)) == count
        assert _count(runtime, upload_id=upload.id) == count
    with runtime.sessions() as s:
        stored = s.get(UploadRow, upload.id)
        assert stored is not None and stored.state == "done" and stored.extractor_version


def test_save_result_takes_an_activity_over_from_another_upload_of_the_member(runtime: Runtime) -> None:
    """Activity ids are unique per member: a second upload yielding the same id moves it, not copies it."""
    first, second = _new_upload(runtime), _new_upload(runtime, data=b"other bytes")
    with runtime.sessions() as s, s.begin():
        store_result(s, first, _result(first.sha256, 2))
        store_result(s, second, _result(first.sha256, 1))
    assert _count(runtime, member_id="m1") == 2
    assert _count(runtime, upload_id=second.id) == 1


def test_failed_result_records_the_error_and_drops_activities(runtime: Runtime) -> None:
    upload = _new_upload(runtime)
    with runtime.sessions() as s, s.begin():
        store_result(s, upload, _result(upload.sha256, 2))
    failed = FileResult("f.csv", upload.sha256, error=FileError("corrupt", "The file is damaged."))
    with runtime.sessions() as s, s.begin():
        store_result(s, upload, failed)
    with runtime.sessions() as s:
        stored = s.get(UploadRow, upload.id)
        assert stored is not None and (stored.state, stored.error_code) == ("failed", "corrupt")
    assert _count(runtime, upload_id=upload.id) == 0


def test_save_result_under_a_lost_lease_changes_nothing(runtime: Runtime) -> None:
    """GIVEN a worker's claim WHEN an admin requeues the upload meanwhile THEN that worker's save is refused."""
    upload = _new_upload(runtime)
    with runtime.sessions() as s, s.begin():
        assert leases.claim(s, upload.id, "worker-a", 60) is not None
    with runtime.sessions() as s, s.begin():
        leases.requeue(s, [upload.id])
    with pytest.raises(LeaseLost), runtime.sessions() as s, s.begin():
        store_result(s, upload, _result(upload.sha256, 2), lease_owner="worker-a")
    assert _count(runtime, upload_id=upload.id) == 0


def test_pipeline_result_stores_the_contract_json(runtime: Runtime) -> None:
    """The stored `data` is the pipeline's activity JSON, field for field; the columns mirror it."""
    upload = _new_upload(runtime)
    result = run(FileUpload.from_bytes(GOOD_CSV, "f.csv"), ExtractOptions(), Matcher(None))
    assert result.error is None and len(result.activities) == 5
    with runtime.sessions() as s, s.begin():
        store_result(s, upload, result)
    with runtime.sessions() as s:
        rows = {r.activity_id: r for r in s.scalars(select(ActivityRow))}
    for activity in result.activities:
        row = rows[activity.activity_id]
        assert row.data == activity.to_json()
        assert (row.title, row.status, row.cpd_hours) == (activity.title, activity.status, activity.cpd_hours)
        assert row.completed_on == activity.completed_on and row.ethics_related == activity.ethics.related


@pytest.mark.parametrize(("start_month", "day", "year"), [(4, "2024-04-01", 2024), (4, "2025-03-31", 2024),
                                                           (1, "2025-03-31", 2025), (9, "2024-08-31", 2023)])
def test_cpd_year(start_month: int, day: str, year: int) -> None:
    import datetime as dt

    assert cpd_year_of(dt.date.fromisoformat(day), start_month) == year
    start, end = cpd_year_bounds(year, start_month)
    assert start <= dt.date.fromisoformat(day) < end
