"""ingest.work.sandbox.Limits: a file's time grows with its size (rows, pages, unpacked megabytes) within a
maximum; a file whose size alone asks for far more is refused before it is read, saying how to split it."""
from __future__ import annotations

import csv
import io

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors.model import ExtractOptions, Upload
from ingest.settings import Settings
from ingest.work.sandbox import ROW_SECONDS, Limits, batches_isolated, limits_from, line_isolated
from mappers.matching import Matcher

from .makers import sample


def _transcript(rows: int) -> Upload:
    """An LMS transcript: a header and `rows` completions, each with its own title."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Training Title", "Completion Date", "Training Hours", "Transcript Status"])
    for i in range(rows):
        writer.writerow([f"Trust registration service update, cohort {i}", "12/03/2025", "1.5", "Completed"])
    return Upload.from_bytes(out.getvalue().encode(), f"transcript-{rows}.csv")


def _statement(pages: int) -> Upload:
    buf = io.BytesIO()
    page = canvas.Canvas(buf, pagesize=A4)
    for n in range(pages):
        page.drawString(72, 770, f"CPD statement, page {n + 1}: 12/03/2025 Trust registration service 1.5 hours")
        page.showPage()
    page.save()
    return Upload.from_bytes(buf.getvalue(), f"statement-{pages}.pdf")


def test_a_bigger_file_may_take_longer_up_to_the_maximum() -> None:
    """GIVEN the default limits (25 s, at most 90 s) THEN a one-row file keeps about 25 s, 100,000 rows get
    their lines' share on top, and 400,000 rows stop at 90 s."""
    limits = Limits()
    assert limits.for_upload(_transcript(1)).seconds == pytest.approx(limits.seconds, abs=0.01)
    grown = limits.for_upload(_transcript(100_000)).seconds
    assert grown == pytest.approx(limits.seconds + 100_001 * ROW_SECONDS)
    assert limits.for_upload(_transcript(400_000)).seconds == limits.max_seconds


def test_pages_and_packed_content_count_too() -> None:
    """A PDF's pages and an XLSX's unpacked content add to its time; a small certificate's barely."""
    limits = Limits(seconds=10, max_seconds=1000)
    assert limits.for_upload(_statement(40)).seconds == pytest.approx(10 + 40 * 0.5)
    workbook = Upload.from_bytes(sample("xlsx/cornerstone-title-block.xlsx"), "cornerstone-title-block.xlsx")
    assert 10 < limits.for_upload(workbook).seconds < 11


def test_a_file_too_big_for_the_maximum_is_refused_with_how_to_split_it() -> None:
    """GIVEN limits of 1 s growing to 2 s WHEN a 20,000-row CSV (5 s of rows) is read, as `extract --json`
    and as the worker read it THEN too_large before any reading, naming its rows and the rows a file may hold."""
    limits = Limits(seconds=1, max_seconds=2)
    upload = _transcript(20_000)
    out = io.BytesIO()
    error = line_isolated(upload, ExtractOptions(), Matcher(None), limits, out)
    assert error is not None and error.code == "too_large"
    assert "about 20,001 rows" in error.message and "at most 4,000 rows" in error.message
    assert b'"too_large"' in out.getvalue() and b'"activities":[]' in out.getvalue()
    with batches_isolated(upload, ExtractOptions(), Matcher(None), limits) as (result, batches):
        assert result.error == error and list(batches) == []


def test_a_long_pdf_is_refused_by_its_pages() -> None:
    """GIVEN limits of 1 s growing to 2 s WHEN a 12-page statement (6 s of pages) is read THEN too_large, in pages."""
    error = Limits(seconds=1, max_seconds=2).too_big(_statement(12))
    assert error is not None and "12 pages" in error.message and "at most 2 pages" in error.message


def test_a_big_file_within_the_maximum_is_read_whole() -> None:
    """GIVEN limits of 20 s growing to 60 s WHEN a 1,000-row CSV is read THEN every row is an activity."""
    out = io.BytesIO()
    assert line_isolated(_transcript(1_000), ExtractOptions(), Matcher(None), Limits(seconds=20, max_seconds=60),
                         out) is None
    assert out.getvalue().count(b'"activity_id"') == 1_000


def test_the_settings_keep_a_big_file_inside_celerys_soft_limit() -> None:
    """CPD_FILE_TIME_LIMIT_MAX is capped at four fifths of CPD_TASK_SOFT_TIME_LIMIT, never below CPD_FILE_TIME_LIMIT."""
    limits = limits_from(Settings(file_time_limit=25, file_time_limit_max=500, task_soft_time_limit=100,
                                  task_time_limit=130))
    assert limits is not None and (limits.seconds, limits.max_seconds) == (25, 80)
    limits = limits_from(Settings(file_time_limit=30, task_soft_time_limit=20, task_time_limit=130))
    assert limits is not None and limits.max_seconds == 30
