"""A long PDF read on page ranges by several children at once (ingest.work.sandbox): the worker (batches_isolated,
and `ingest.work.jobs.process` against SQLite) and `cpd-evidence extract --json` (line_isolated) give what one child
reading the whole gives; the upload is done only once every part is; any part's failure (unreadable, crashed, out
of time, out of memory) fails the file with that part's error and the other parts are stopped."""
from __future__ import annotations

import faulthandler
import io
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from sqlalchemy import select

import extractors.pdf
from extractors import pdf
from extractors.errors import UnreadableFile
from extractors.model import ExtractOptions, Upload
from ingest.store import ActivityRow, find_or_create_upload
from ingest.work import jobs, sandbox
from ingest.work.pipeline import FileResult
from ingest.work.runtime import Runtime, open_runtime
from ingest.work.sandbox import MIN_PART_PAGES, Limits, batches_isolated, extract_pdf, limits_from, line_isolated, pdf_parts
from mappers.matching import Matcher

from .conftest import GOOD_CSV, make_settings

OPTIONS = ExtractOptions()
MATCHER = Matcher(None)
SCANNED = Path(__file__).resolve().parents[2] / "samples" / "pdf" / "statement-scanned-two-pages.pdf"
ROWS = 480                 # about 18 pages


def _statement(rows: int) -> bytes:
    """A statement as platypus lays one out (one table over the pages, its header row repeated, wrapped cells)."""
    style = getSampleStyleSheet()["BodyText"]
    style.fontSize, style.leading = 8, 10
    data: list[list[object]] = [["Date", "Activity", "Provider", "Type", "Hours", "Learning outcome"]]
    for i in range(rows):
        data.append([f"{1 + i % 28:02d}/{1 + i % 12:02d}/2025", Paragraph(f"Trust law update, session {i + 1}", style),
                     Paragraph("Fernhill Academy", style), "Structured" if i % 3 else "Unstructured",
                     f"{1 + i % 4 * 0.25:g}", Paragraph("Updated the checklist for the trust files I manage.", style)])
    table = Table(data, colWidths=[58, 140, 80, 62, 36, 150], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1, topMargin=40, bottomMargin=40).build(
        [Paragraph("CPD statement - Name: Alex Morgan", style), table])
    return buf.getvalue()


@pytest.fixture(scope="module")
def long_pdf() -> Upload:
    """Long enough for two parts of MIN_PART_PAGES pages each."""
    upload = Upload.from_bytes(_statement(ROWS), "statement-long.pdf")
    assert pdf.read_pages(upload, OPTIONS, 1, 0).count >= 2 * MIN_PART_PAGES
    return upload


@pytest.fixture()
def short_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of one page are allowed (the children are forked: they see this too)."""
    monkeypatch.setattr(sandbox, "MIN_PART_PAGES", 1)


def _isolated(upload: Upload, limits: Limits) -> FileResult:
    with batches_isolated(upload, OPTIONS, MATCHER, limits) as (result, batches):
        result.activities = [a for batch in batches for a in batch]
    return result


def _line(upload: Upload, limits: Limits) -> bytes:
    out = io.BytesIO()
    line_isolated(upload, OPTIONS, MATCHER, limits, out)
    return out.getvalue()


# --- when a file is split ----------------------------------------------------------------------------------------

def test_only_a_long_pdf_is_split_and_never_past_the_setting(long_pdf: Upload) -> None:
    """Parts for a PDF of MIN_PART_PAGES pages or more for each, as many as the setting allows; 1 disables;
    a short PDF, another format, or a file over the size limit is read in one child."""
    assert pdf_parts(long_pdf, OPTIONS, Limits(pdf_parts=2)) == 2
    assert pdf_parts(long_pdf, OPTIONS, Limits(pdf_parts=8)) == 2        # MIN_PART_PAGES pages each at least
    assert pdf_parts(long_pdf, OPTIONS, Limits(pdf_parts=1)) == 1
    assert pdf_parts(Upload.from_bytes(_statement(40), "short.pdf"), OPTIONS, Limits(pdf_parts=2)) == 1
    assert pdf_parts(Upload.from_bytes(GOOD_CSV, "record.csv"), OPTIONS, Limits(pdf_parts=2)) == 1
    assert pdf_parts(long_pdf, ExtractOptions(max_bytes=1000), Limits(pdf_parts=2)) == 1


def test_a_part_has_the_time_of_its_pages_and_the_settings_set_the_parts(long_pdf: Upload) -> None:
    """A part's time grows with its share of the pages as a whole file's does with all of them; CPD_PDF_PARALLEL
    sets the parts (default: the CPUs)."""
    limits = Limits(seconds=10, max_seconds=1000)
    pages = len(sandbox._PAGE.findall(long_pdf.data))
    assert limits.for_part(long_pdf, 2).seconds == pytest.approx(10 + -(-pages // 2) * sandbox.PAGE_SECONDS)
    assert limits.for_part(long_pdf, 1).seconds == limits.for_upload(long_pdf).seconds
    settings = make_settings(Path("/nonexistent"), pdf_parallel=3)
    assert limits_from(settings) is not None and limits_from(settings).pdf_parts == 3   # type: ignore[union-attr]
    default = limits_from(make_settings(Path("/nonexistent")))
    assert default is not None and default.pdf_parts == sandbox.cpu_count()


# --- the same answer ---------------------------------------------------------------------------------------------

def test_the_worker_gets_the_same_result_from_parts(long_pdf: Upload) -> None:
    """GIVEN a long PDF WHEN read by the worker's sandbox on two page ranges THEN the same activities, in page
    order, and warnings as one child reading the whole."""
    whole = _isolated(long_pdf, Limits(pdf_parts=1))
    parts = _isolated(long_pdf, Limits(pdf_parts=2))
    assert parts.error is None and whole.error is None
    assert parts.to_json() == whole.to_json()
    assert len(parts.activities) == ROWS
    pages = [int(a.source.locator.split(";")[0].removeprefix("page=")) for a in parts.activities]
    assert pages == sorted(pages) and pages[-1] > MIN_PART_PAGES


def test_extract_json_gets_the_same_line_from_parts(long_pdf: Upload) -> None:
    """GIVEN a long PDF WHEN `extract --json` reads it on two and on three page ranges THEN the very line one
    child reading the whole writes."""
    whole = _line(long_pdf, Limits(pdf_parts=1))
    assert b'"error":null' in whole
    assert _line(long_pdf, Limits(pdf_parts=2)) == whole


def test_three_parts_give_the_same_line(long_pdf: Upload, short_parts: None) -> None:
    assert _line(long_pdf, Limits(pdf_parts=3)) == _line(long_pdf, Limits(pdf_parts=1))


def test_a_scan_read_by_ocr_on_page_ranges_is_the_same(short_parts: None) -> None:
    """GIVEN a scanned statement (pages of pixels, read by OCR) WHEN each page is read by its own child THEN the
    same extraction as one reading of the whole."""
    upload = Upload.from_bytes(SCANNED.read_bytes(), SCANNED.name)
    assert pdf_parts(upload, OPTIONS, Limits(pdf_parts=2)) == 2
    whole = pdf.extract(upload, OPTIONS)
    assert whole.ocr and extract_pdf(upload, OPTIONS, Limits(pdf_parts=2)) == whole


# --- a part that fails fails the file ------------------------------------------------------------------------------

def _fail_second_part(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, how: str) -> Path:
    """Part 1 fails as `how` says; part 0 waits a minute then leaves a mark, which it never does if it is stopped
    when part 1 fails."""
    mark = tmp_path / "part-0-finished"
    real = extractors.pdf.read_share

    def read_share(upload: Upload, options: ExtractOptions, index: int, parts: int) -> pdf.PageRange:
        if index == 0:
            time.sleep(60)
            mark.write_text("finished")
            return real(upload, options, index, parts)
        if how == "unreadable":
            raise UnreadableFile("corrupt", f"'{upload.filename}' is damaged on page 12.")
        if how == "crash":
            faulthandler.disable()                   # pytest's would print the child's stack on the way
            os.kill(os.getpid(), signal.SIGSEGV)
        if how == "memory":
            hoard = [bytearray(64 << 20) for _ in range(64)]
            return hoard  # type: ignore[return-value]
        time.sleep(60)                          # "timeout": past the part's deadline
        return real(upload, options, index, parts)

    monkeypatch.setattr(extractors.pdf, "read_share", read_share)
    return mark


FAILURES = {"unreadable": "corrupt", "crash": "internal_error", "timeout": "timeout", "memory": "too_large"}


def _limits(how: str) -> Limits:
    """A few seconds for a part that would take a minute (not so few that the file is refused as too big)."""
    if how == "timeout":
        return Limits(memory_bytes=256 << 20, seconds=1, max_seconds=5, pdf_parts=2)
    return Limits(memory_bytes=256 << 20, seconds=30, max_seconds=30, pdf_parts=2)


@pytest.mark.parametrize("how", FAILURES)
def test_a_part_that_fails_fails_the_file_and_stops_the_others(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                              long_pdf: Upload, how: str) -> None:
    """GIVEN the second page range unreadable, crashing, out of time or out of memory WHEN the worker reads the file
    THEN the file fails with that part's error, no activities, and the first part was stopped, not waited for."""
    mark = _fail_second_part(monkeypatch, tmp_path, how)
    result = _isolated(long_pdf, _limits(how))
    assert result.error is not None and result.error.code == FAILURES[how], result.error
    assert result.activities == []
    if how == "unreadable":
        assert result.error.message == "'statement-long.pdf' is damaged on page 12."
    assert not mark.exists()


@pytest.mark.parametrize("how", ["unreadable", "timeout"])
def test_a_part_that_fails_fails_the_extract_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, long_pdf: Upload,
                                                 how: str) -> None:
    """The same for `extract --json`: one line with the part's error and no activities."""
    mark = _fail_second_part(monkeypatch, tmp_path, how)
    out = io.BytesIO()
    error = line_isolated(long_pdf, OPTIONS, MATCHER, _limits(how), out)
    assert error is not None and error.code == FAILURES[how]
    assert out.getvalue().count(b"\n") == 1 and out.getvalue().endswith(b'"activities":[]}\n')
    assert not mark.exists()


def test_a_file_every_part_of_which_is_unreadable_fails_as_one_child_would(long_pdf: Upload) -> None:
    """GIVEN a long PDF cut short WHEN read on parts THEN the error one child reading it gives."""
    cut = Upload.from_bytes(long_pdf.data[: len(long_pdf.data) * 2 // 3], "statement-cut.pdf")
    assert pdf_parts(cut, OPTIONS, Limits(pdf_parts=2)) == 2
    whole = _isolated(cut, Limits(pdf_parts=1))
    parts = _isolated(cut, Limits(pdf_parts=2))
    assert parts.to_json() == whole.to_json()


# --- the worker, against SQLite ------------------------------------------------------------------------------------

@pytest.fixture()
def split_runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = open_runtime(make_settings(tmp_path, pdf_parallel=2))
    yield rt
    rt.close()


def _upload(runtime: Runtime, upload: Upload, member: str) -> int:
    sha = runtime.blobs.put(upload.data)
    with runtime.sessions() as s, s.begin():
        row, _ = find_or_create_upload(s, member_id=member, filename=upload.filename, sha256=sha,
                                       size=len(upload.data), media_type=None)
    return row.id


def _stored(runtime: Runtime, upload_id: int) -> list[tuple[str, str]]:
    with runtime.sessions() as s:
        rows = s.scalars(select(ActivityRow).where(ActivityRow.upload_id == upload_id).order_by(ActivityRow.id))
        return [(row.activity_id, row.title) for row in rows]


def test_the_worker_stores_a_long_pdfs_activities_once_in_page_order(split_runtime: Runtime, long_pdf: Upload) -> None:
    """GIVEN a long PDF uploaded and CPD_PDF_PARALLEL=2 WHEN jobs.process reads it THEN it is done once every part is,
    its activities stored once each, in the document's order, the same as a worker reading it whole stores."""
    assert split_runtime.settings.pdf_parallel == 2
    upload_id = _upload(split_runtime, long_pdf, "m1")
    outcome = jobs.process(upload_id, split_runtime)
    rows = ROWS
    assert (outcome.state, outcome.activities) == ("done", rows)
    stored = _stored(split_runtime, upload_id)
    assert [title for _, title in stored] == [f"Trust law update, session {i + 1}" for i in range(rows)]
    assert len({activity_id for activity_id, _ in stored}) == rows
    # the same as one child reading the whole (the activity ids are the file's and the rows' own)
    whole = _isolated(long_pdf, Limits(pdf_parts=1))
    assert [a.activity_id for a in whole.activities] == [activity_id for activity_id, _ in stored]
