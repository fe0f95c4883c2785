"""ingest.work.sandbox: one file read in a forked child within memory and time bounds; the caller lives on."""
from __future__ import annotations

import faulthandler
import io
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from extractors.model import ExtractOptions, Upload
from ingest.settings import Settings
from ingest.store import find_or_create_upload
from ingest.work import jobs
import ingest.work.pipeline
from ingest.work.pipeline import FileResult
from ingest.work.runtime import open_runtime
from ingest.work.sandbox import Limits, batches_isolated, line_isolated
from mappers.matching import Matcher
import mappers.tables

from .makers import SAMPLES, _endless_page_pdf

OPTIONS = ExtractOptions()
QUICK = Limits(memory_bytes=512 << 20, seconds=2)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(None)


@pytest.fixture()
def sample() -> Upload:
    path = SAMPLES / "xlsx" / "cornerstone-title-block.xlsx"
    return Upload.from_bytes(path.read_bytes(), path.name)


def _isolated(upload: Upload, options: ExtractOptions, matcher: Matcher, limits: Limits | None,
              in_child: Callable[[], None] | None = None) -> FileResult:
    """What the worker gets from the child (sandbox.batches_isolated), gathered into one result."""
    with batches_isolated(upload, options, matcher, limits, in_child) as (result, batches):
        result.activities = [a for batch in batches for a in batch]
    return result


def _replace_reading(monkeypatch: pytest.MonkeyPatch, reading: Any) -> None:
    """What the pipeline does inside (`_batches`) replaced: the fork copies the patched module to the child."""
    monkeypatch.setattr(ingest.work.pipeline, "_batches", reading)


def test_the_child_gives_what_the_pipeline_gives(sample: Upload, matcher: Matcher) -> None:
    """The same activities, warnings and JSON line as the pipeline run in this process."""
    here = ingest.work.pipeline.run(sample, OPTIONS, matcher)
    there = _isolated(sample, OPTIONS, matcher, Limits())
    assert here.activities and [a.to_json() for a in there.activities] == [a.to_json() for a in here.activities]
    assert (there.extractor, there.media_type, there.layout, there.error) == (here.extractor, here.media_type,
                                                                             here.layout, here.error)
    assert [w.to_json() for w in there.warnings] == [w.to_json() for w in here.warnings]
    out = io.BytesIO()
    assert line_isolated(sample, OPTIONS, matcher, Limits(), out) is None
    assert out.getvalue() == here.dumps() + b"\n"


def test_a_refusal_comes_back_as_it_is(matcher: Matcher) -> None:
    upload = Upload.from_bytes(b'[{"title": "x"', "cut.json")
    out = io.BytesIO()
    error = line_isolated(upload, OPTIONS, matcher, QUICK, out)
    assert error is not None and error.code == "corrupt" and b'"code":"corrupt"' in out.getvalue()
    assert _isolated(upload, OPTIONS, matcher, QUICK).error == error


def test_a_file_that_never_ends_is_stopped_at_the_deadline(monkeypatch: pytest.MonkeyPatch, sample: Upload,
                                                           matcher: Matcher) -> None:
    """GIVEN a reading that loops for ever WHEN run with a 2 s limit THEN "timeout" after about 2 s, and the
    next file is read as usual."""
    def forever(*_: object) -> None:
        while True:
            pass

    _replace_reading(monkeypatch, forever)
    started = time.monotonic()
    out = io.BytesIO()
    error = line_isolated(sample, OPTIONS, matcher, QUICK, out)
    assert error is not None and error.code == "timeout" and "2 s" in error.message
    assert 2 <= time.monotonic() - started < 5
    assert out.getvalue().count(b"\n") == 1 and b'"activities":[]' in out.getvalue()
    monkeypatch.undo()
    assert _isolated(sample, OPTIONS, matcher, QUICK).activities


def test_memory_beyond_the_limit_is_too_large(monkeypatch: pytest.MonkeyPatch, sample: Upload,
                                              matcher: Matcher) -> None:
    def hoard(*_: object) -> None:
        kept = []
        while True:
            kept.append(bytearray(16 << 20))

    _replace_reading(monkeypatch, hoard)
    result = _isolated(sample, OPTIONS, matcher, Limits(memory_bytes=256 << 20, seconds=10))
    assert result.error is not None and result.error.code == "too_large" and not result.activities


@pytest.mark.parametrize(("how", "code"), [(signal.SIGABRT, "too_large"), (signal.SIGSEGV, "internal_error")],
                         ids=["abort (a native allocation failed)", "segfault"])
def test_a_child_that_dies_gives_an_error_not_a_crash(monkeypatch: pytest.MonkeyPatch, sample: Upload,
                                                      matcher: Matcher, how: int, code: str) -> None:
    def die(*_: object) -> None:
        faulthandler.disable()                   # pytest's would print the child's stack on the way
        os.kill(os.getpid(), how)

    _replace_reading(monkeypatch, die)
    result = _isolated(sample, OPTIONS, matcher, QUICK)
    assert result.error is not None and result.error.code == code
    assert result.filename == sample.filename and result.file_sha256 == sample.sha256


def test_without_limits_the_file_is_read_here(monkeypatch: pytest.MonkeyPatch, sample: Upload,
                                              matcher: Matcher) -> None:
    """`limits=None` (CPD_ISOLATE_FILES=false, `extract --in-process`) forks nothing."""
    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", no_fork)
    assert _isolated(sample, OPTIONS, matcher, None).activities
    assert line_isolated(sample, OPTIONS, matcher, None, io.BytesIO()) is None


def test_in_child_runs_in_the_child_only(sample: Upload, matcher: Matcher, tmp_path: Path) -> None:
    marker = tmp_path / "pid"

    def mark() -> None:
        marker.write_text(str(os.getpid()))

    _isolated(sample, OPTIONS, matcher, QUICK, in_child=mark)
    assert marker.read_text() != str(os.getpid())


def test_threads_may_read_files_at_once(sample: Upload, matcher: Matcher) -> None:
    """`serve` runs the work in threads; each thread forks its own child."""
    counts: list[int] = []

    def read() -> None:
        counts.append(len(_isolated(sample, OPTIONS, matcher, QUICK).activities))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(counts)) == 1 and counts[0] > 0 and len(counts) == 4


@pytest.fixture()
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    for name in list(os.environ):
        if name.startswith("CPD_"):
            monkeypatch.delenv(name)
    yield Settings(data_dir=tmp_path / "var", database_url=None, broker_url=None, blob_dir=None,
                   file_time_limit=2.0)


def test_the_worker_fails_a_hanging_file_and_serves_the_next(settings: Settings) -> None:
    """GIVEN a PDF whose one page never ends and a good CSV WHEN the worker processes both THEN the PDF's
    upload fails "timeout" after the file's time limit, and the CSV's is done with its activities."""
    runtime = open_runtime(settings)
    try:
        ids = []
        for name, data in (("endless.pdf", _endless_page_pdf()),
                           ("record.csv", (SAMPLES / "csv" / "linkedin-learning-plain.csv").read_bytes())):
            sha = runtime.blobs.put(data)
            with runtime.sessions() as session, session.begin():
                upload, _ = find_or_create_upload(session, member_id="m1", filename=name, sha256=sha,
                                                  size=len(data), media_type=None)
            ids.append(upload.id)
        started = time.monotonic()
        hanging = jobs.process(ids[0], runtime)
        assert (hanging.state, hanging.code) == ("failed", "timeout")
        assert time.monotonic() - started < 10
        good = jobs.process(ids[1], runtime)
        assert good.state == "done" and good.activities > 0
    finally:
        runtime.close()


def test_batches_from_the_child_are_what_the_pipeline_gives(sample: Upload, matcher: Matcher,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN rows read 3 at a time WHEN the child streams its batches THEN they come back in order, each of
    at most 3, together the pipeline's activities, with the result's facts and warnings."""
    monkeypatch.setattr(mappers.tables, "BATCH_ROWS", 3)   # the fork copies the patched module
    here = ingest.work.pipeline.run(sample, OPTIONS, matcher)
    with batches_isolated(sample, OPTIONS, matcher, Limits()) as (result, batches):
        got = list(batches)
    assert len(got) > 2 and all(0 < len(b) <= 3 for b in got)
    assert [a.to_json() for b in got for a in b] == [a.to_json() for a in here.activities]
    assert result.activities == [] and result.error is None
    assert (result.extractor, result.layout, [w.to_json() for w in result.warnings]) == (
        here.extractor, here.layout, [w.to_json() for w in here.warnings])


def test_a_child_stopped_half_way_gives_its_error_and_no_batches(sample: Upload, matcher: Matcher,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a reading that yields one batch and then never ends WHEN its time is up THEN timeout, nothing."""
    def first_then_forever(*_: object) -> Iterator[list[object]]:
        yield []
        while True:
            pass

    _replace_reading(monkeypatch, first_then_forever)
    with batches_isolated(sample, OPTIONS, matcher, QUICK) as (result, batches):
        assert result.error is not None and result.error.code == "timeout"
        assert list(batches) == []
