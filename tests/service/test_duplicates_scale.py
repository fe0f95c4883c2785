"""Duplicate detection at scale (issue 18): a member with 20,000 activities uploads a second 20,000-row file of
similar titles, with default settings, through the real job (the file read in its child process).

The files are bench/bench_duplicates.py's: 135 days, titles alike from row to row ("Trust accounting part 17",
"... part 170"); the second writes each activity of the first a little differently, every other one a day later.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import select

from extractors.model import Upload as FileUpload
from ingest.store import ActivityRow, UploadRow
from ingest.work import jobs
from ingest.work.jobs import store_result
from ingest.work.pipeline import run
from ingest.work.runtime import Runtime

pytestmark = pytest.mark.slow

ROWS = 20_000


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "bench_duplicates.py"
    spec = importlib.util.spec_from_file_location("bench_duplicates", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_duplicates"] = module
    spec.loader.exec_module(module)
    return module


bench = _bench()


def _stored(runtime: Runtime, data: bytes, name: str) -> int:
    """The member's activities so far: an upload read here, in this process, and stored as a worker would."""
    upload_id = bench.store(runtime, data, name)
    result = run(FileUpload(data, name, "0" * 64, "text/csv"), runtime.settings.extract_options(),
                 runtime.matchers.get(None, None))
    assert result.error is None and len(result.activities) == ROWS
    with runtime.sessions() as s, s.begin():
        upload = s.get(UploadRow, upload_id)
        assert upload is not None
        assert store_result(s, upload, result) == ROWS
    return upload_id


def test_a_second_file_of_20000_similar_activities_is_done_with_its_duplicates_linked(runtime: Runtime) -> None:
    """GIVEN a member with 20,000 activities WHEN they upload a second 20,000-row file holding the same activities
    written differently THEN it ends done (default limits), each of its rows linked to the row of the first file it
    repeats (the same part number and topic), with a reason, and the first file's rows are never the duplicates."""
    first = _stored(runtime, bench.similar_csv(ROWS), "lms-transcript.csv")
    second = bench.store(runtime, bench.similar_csv(ROWS, again=True), "my-cpd-record.csv")
    outcome = jobs.process(second, runtime)
    assert (outcome.state, outcome.activities) == ("done", ROWS), outcome
    with runtime.sessions() as s:
        upload = s.get(UploadRow, second)
        assert upload is not None and upload.state == "done" and not upload.links_pending
        assert upload.lease_owner is None and upload.lease_holder is None
        rows = s.execute(select(ActivityRow.activity_id, ActivityRow.upload_id, ActivityRow.title,
                                ActivityRow.duplicate_of, ActivityRow.duplicate_reason)
                         .where(ActivityRow.member_id == bench.MEMBER)).all()
    titles = {r.activity_id: r.title for r in rows}
    assert not any(r.duplicate_of for r in rows if r.upload_id == first)
    again = [r for r in rows if r.upload_id == second]
    assert len(again) == ROWS and all(r.duplicate_of and r.duplicate_reason for r in again)
    for row in again:
        target = titles[row.duplicate_of]
        assert bench.title_part(target) == bench.title_part(row.title), (row.title, target)
    assert len({r.duplicate_of for r in again}) == ROWS  # one duplicate per first-read activity
