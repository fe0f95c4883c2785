"""extractors.pdf page ranges: `read_pages` / `read_share` lay out part of a document, `join` places the parts in
page order, and the result is exactly what `extract` gives for the whole (tables stitched across the split,
headers on page 1 only, rows cut by the page break, totals at the end, running footers, labelled blocks, OCR'd
pages), with the document's page numbers.

Each page is laid out on its own, so a document read as single-page ranges (every page boundary a split at
once) places the same pages as any split: `_every_page_apart` checks every split point in one reading. Splits
into two and three ranges are read as such too, at every point for the small generated files.
"""
from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from extractors import pdf
from extractors.errors import UnreadableFile
from extractors.model import Extraction, ExtractOptions, Upload
from ingest.work.pipeline import FileResult, stream
from mappers.matching import Matcher

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "pdf"
SHARED = Path(os.environ.get("CPD_SHARED_DIR", ROOT.parent / "shared"))
OPTIONS = ExtractOptions()
FONT, BOLD = "Helvetica", "Helvetica-Bold"
_TOPICS = ("Trustee duties under the Trustee Act 2000", "Anti-money laundering annual update",
           "Relevant property trusts: ten-year charges with worked examples", "Data protection for administrators",
           "Estate administration with foreign assets and overseas probate", "Professional ethics and conflicts")
_PROVIDERS = ("Fernhill Academy", "Calder Law Seminars", "Larkspur Training", "Hollins & Reed LLP")


# --- generated statements, drawn as real generators draw them ------------------------------------------------

def _ruled_statement(rows: int, *, header_every_page: bool) -> bytes:
    """A ruled CPD statement drawn cell by cell (as report writers do): a title block on page 1, the header row on
    page 1 only or on every page, wrapped cells, the row at each page's foot cut by the break and finished
    overleaf, a "Page n of m" footer, and totals under the table on the last page."""
    data, pages = _draw_ruled(rows, header_every_page, 0)
    return _draw_ruled(rows, header_every_page, pages)[0]


def _draw_ruled(rows: int, header_every_page: bool, pages: int) -> tuple[bytes, int]:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, pageCompression=0)
    width, height = A4
    widths = (62, 150, 92, 62, 38, 130)
    lefts = [36.0 + sum(widths[:i]) for i in range(len(widths))]
    size, leading, pad = 8, 10, 3
    page = 1

    def draw(top: float, cells: Sequence[Sequence[str]], count: int, font: str = FONT) -> float:
        c.setFont(font, size)
        for left, lines in zip(lefts, cells):
            for k, text in enumerate(lines[:count]):
                c.drawString(left + pad, top - pad - size - k * leading, text)
        bottom = top - count * leading - 2 * pad
        c.line(lefts[0], top, lefts[-1] + widths[-1], top)
        c.line(lefts[0], bottom, lefts[-1] + widths[-1], bottom)
        for x in [*lefts, lefts[-1] + widths[-1]]:
            c.line(x, top, x, bottom)
        return bottom

    def wrap(cells: Sequence[str], font: str = FONT) -> list[list[str]]:
        return [simpleSplit(text, font, size, w - 2 * pad) or [""] for text, w in zip(cells, widths)]

    def start(first: bool) -> float:
        top = height - 40
        if first:
            c.setFont(BOLD, 14)
            c.drawString(36, top, "Continuing Professional Development Statement")
            c.setFont(FONT, 9)
            c.drawString(36, top - 18, "Member: Priya Raman")
            c.drawString(220, top - 18, "Membership no: 55102")
            top -= 36
        if first or header_every_page:
            top = draw(top, wrap(("Date", "Activity", "Provider", "Type", "Hours", "Learning outcome"), BOLD), 1, BOLD)
        return top

    def turn() -> float:
        nonlocal page
        c.setFont(FONT, 7)
        c.drawString(36, 30, f"Statement for Priya Raman - Page {page} of {pages}")
        c.showPage()
        page += 1
        return start(False)

    top, total = start(True), 0.0
    for i in range(rows):
        hours = 0.5 + (i % 6) * 0.25
        total += hours
        cells = wrap((f"{1 + i % 28:02d}/{1 + i % 12:02d}/2025", f"{_TOPICS[i % len(_TOPICS)]} (part {i + 1})",
                      _PROVIDERS[i % len(_PROVIDERS)], "Structured" if i % 3 else "Unstructured", f"{hours:g}",
                      "Reviewed the rules and updated the checklist for the trust files I manage."))
        need = max(len(cell) for cell in cells)
        fits = int((top - 60 - 2 * pad) // leading)
        if fits <= 0:
            top, fits = turn(), need
        if need > fits:                            # cut by the page break: the rest of the row continues overleaf
            draw(top, cells, fits)
            top = turn()
            top = draw(top, [cell[fits:] for cell in cells], need - fits)
        else:
            top = draw(top, cells, need)
    top = draw(top, wrap(("", "Total hours", "", "", f"{total:g}", "")), 1)
    c.setFont(FONT, 9)
    c.drawString(36, top - 20, f"Total hours this year: {total:g}")
    c.setFont(FONT, 7)
    c.drawString(36, 30, f"Statement for Priya Raman - Page {page} of {pages}")
    c.showPage()
    c.save()
    return buf.getvalue(), page


def _text_transcript(rows: int, *, header_every_page: bool) -> bytes:
    """An LMS transcript drawn with text only: a learner block, column labels (on page 1 only or on every page),
    titles wrapped onto a second line (one of them cut by a page break), a "Printed ... Page n" stamp, and a total
    line at the end."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, pageCompression=0)
    width, height = A4
    xs = (40, 300, 372, 440, 540)
    size, wrap_pitch, row_pitch = 9, 11, 26
    page = 1

    def head(first: bool) -> float:
        y = height - 50
        if first:
            c.setFont(BOLD, 13)
            c.drawString(40, y, "Northgate Learning - Learner transcript")
            c.setFont(FONT, size)
            c.drawString(40, y - 22, "Learner: Tomasz Nowak")
            c.drawString(220, y - 22, "E-mail: t.nowak@northgate.example")
            y -= 52
        if first or header_every_page:
            c.setFont(BOLD, size)
            for x, label in zip(xs[:4], ("Course title", "Delivery", "Status", "Completion date")):
                c.drawString(x, y, label)
            c.drawRightString(xs[4] + 14, y, "Hours")
            y -= row_pitch
        c.setFont(FONT, size)
        return y

    def foot() -> None:
        c.setFont(FONT, 7)
        c.drawString(40, 30, f"Printed 20/01/2026 10:42 by Tomasz Nowak - Page {page}")

    def turn() -> float:
        nonlocal page
        foot()
        c.showPage()
        page += 1
        return head(False)

    y, total, cut = head(True), 0.0, False
    for i in range(rows):
        hours = 0.25 * (1 + i % 8)
        total += hours
        title = f"{_TOPICS[i % len(_TOPICS)]} ({i + 1})"
        lines = simpleSplit(title, FONT, size, xs[1] - xs[0] - 14)
        if y - (len(lines) - 1) * wrap_pitch < 60 and (cut or len(lines) < 2):
            y = turn()
        c.drawString(xs[0], y, lines[0])
        for x, value in zip(xs[1:4], ("E-learning" if i % 2 else "Webinar", "Completed",
                                      f"{1 + i % 28} {('Jan', 'Mar', 'May', 'Jul')[i % 4]} 2025")):
            c.drawString(x, y, value)
        c.drawRightString(xs[4] + 14, y, f"{hours:g}")
        for extra in lines[1:]:
            if y - wrap_pitch < 60:                # the title's second line falls overleaf
                cut = True
                y = turn() + row_pitch - wrap_pitch
            y -= wrap_pitch
            c.setFont(FONT, size)
            c.drawString(xs[0], y, extra)
        y -= row_pitch
    if y < 80:
        y = turn()
    c.setFont(BOLD, size)
    c.drawString(xs[0], y, "Total")
    c.drawRightString(xs[4] + 14, y, f"{total:g}")
    foot()
    c.showPage()
    c.save()
    return buf.getvalue()


def _labelled_record(blocks: int) -> bytes:
    """A Word CPD record printed to PDF: "Activity: / Date: / Hours: / Reflection:" blocks flowing over pages,
    a block now and then split by the page break, and a running header on every page."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, pageCompression=0)
    width, height = A4
    page = 1

    def top_of_page() -> float:
        c.setFont(FONT, 8)
        c.drawString(40, height - 30, "CPD record 2025 - Alex Morgan")
        c.drawString(width - 90, 30, f"Page {page}")
        return height - 70

    y = top_of_page()
    for i in range(blocks):
        for label, value in (("Activity", f"{_TOPICS[i % len(_TOPICS)]} ({i + 1})"),
                             ("Date", f"{1 + i % 28:02d}/{1 + i % 12:02d}/2025"),
                             ("Hours", f"{1 + i % 3}"), ("Provider", _PROVIDERS[i % len(_PROVIDERS)]),
                             ("Reflection", "I applied the guidance to two client matters and noted the changes.")):
            if y < 60:
                c.showPage()
                page += 1
                y = top_of_page()
            c.setFont(FONT, 10)
            c.drawString(40, y, f"{label}: {value}")
            y -= 14
        y -= 20
    c.showPage()
    c.save()
    return buf.getvalue()


def _platypus_statement(rows: int, *, repeat_header: bool) -> bytes:
    """A statement laid out by reportlab's platypus (as the bench's, and many report tools): one Table flowing over
    pages, its header row repeated on each page or not, paragraphs wrapped in its cells."""
    style = getSampleStyleSheet()["BodyText"]
    style.fontSize, style.leading = 8, 10
    data: list[list[object]] = [["Date", "Activity", "Provider", "Type", "Hours", "Learning outcome"]]
    for i in range(rows):
        data.append([f"{1 + i % 28:02d}/{1 + i % 12:02d}/2025", Paragraph(f"{_TOPICS[i % len(_TOPICS)]} {i}", style),
                     Paragraph(_PROVIDERS[i % len(_PROVIDERS)], style), "Structured" if i % 3 else "Unstructured",
                     f"{1 + i % 4 * 0.25:g}", Paragraph("Updated the checklist for the trust files I manage.", style)])
    table = Table(data, colWidths=[58, 140, 80, 62, 36, 150], repeatRows=1 if repeat_header else 0)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1, topMargin=40, bottomMargin=40).build(
        [Paragraph("CPD statement - Name: Bench Member", style), table])
    return buf.getvalue()


# --- helpers ---------------------------------------------------------------------------------------------------

def _upload(data: bytes, name: str = "statement.pdf") -> Upload:
    return Upload.from_bytes(data, name)


def _split(upload: Upload, cuts: Sequence[int]) -> Extraction:
    """The document read as the ranges ending at each of `cuts` and at its end, each on its own, then joined."""
    bounds = [0, *cuts]
    ranges = [pdf.read_pages(upload, OPTIONS, first + 1, last) for first, last in zip(bounds, bounds[1:])]
    ranges.append(pdf.read_pages(upload, OPTIONS, bounds[-1] + 1))
    return pdf.join(upload, reversed(ranges))      # given in any order: placed in page order


def _every_page_apart(upload: Upload, count: int) -> Extraction:
    return _split(upload, list(range(1, count)))


def _activities(upload: Upload, extraction: Extraction) -> tuple[list[object], list[object]]:
    result = FileResult(upload.filename, upload.sha256)
    found = [a.to_json() for batch in stream(upload, OPTIONS, Matcher(None), result, lambda: extraction)
             for a in batch]
    assert result.error is None, result.error
    return found, [w.to_json() for w in result.warnings]


def _pages(upload: Upload) -> int:
    return pdf.read_pages(upload, OPTIONS, 1, 0).count


def _assert_same_at_every_split(upload: Upload, two_way: bool = True) -> Extraction:
    """Every page apart; then, with `two_way`, two ranges cut after each page and three ranges (each a whole
    reading of the document again: for the short generated ones, where it is cheap)."""
    whole = pdf.extract(upload, OPTIONS)
    count = _pages(upload)
    assert _every_page_apart(upload, count) == whole
    if not two_way:
        return whole
    for cut in range(1, count):
        assert _split(upload, [cut]) == whole, f"split after page {cut} of {count}"
    if count >= 3:
        assert _split(upload, [count // 3, 2 * count // 3]) == whole
    return whole


# --- generated statements ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("header_every_page", [False, True], ids=["header-on-page-1", "header-on-every-page"])
def test_ruled_statement_is_the_same_split_anywhere(header_every_page: bool) -> None:
    """GIVEN a ruled statement over several pages, rows cut by the page breaks and totals at the end WHEN read
    whole and as page ranges split at every page boundary THEN the same extraction and the same activities."""
    upload = _upload(_ruled_statement(70, header_every_page=header_every_page))
    whole = _assert_same_at_every_split(upload)
    assert whole.layout == "table" and len(whole.tables) == 1
    rows = whole.tables[0].rows
    pages = [row.location.page for row in rows]
    assert pages == sorted(pages) and pages[-1] == _pages(upload) >= 4      # the document's page numbers
    assert not any("Total" in " ".join(row.cells) for row in rows)
    assert _activities(upload, _split(upload, [2])) == _activities(upload, whole)
    assert len(_activities(upload, whole)[0]) == 70


@pytest.mark.parametrize("header_every_page", [False, True], ids=["header-on-page-1", "header-on-every-page"])
def test_text_transcript_is_the_same_split_anywhere(header_every_page: bool) -> None:
    """GIVEN a transcript drawn with text only, its labels on page 1 (or every page), a wrapped title cut by a page
    break, a printed stamp on each page and a total line WHEN split anywhere THEN the same as read whole."""
    upload = _upload(_text_transcript(60, header_every_page=header_every_page))
    whole = _assert_same_at_every_split(upload)
    assert whole.layout == "table" and sum(len(t.rows) for t in whole.tables) >= 60
    assert _activities(upload, _split(upload, [_pages(upload) // 2])) == _activities(upload, whole)


def test_labelled_blocks_are_the_same_split_anywhere() -> None:
    """GIVEN a record of "Label: value" blocks over several pages, some split by the page break WHEN split
    anywhere THEN the same records (located on the document's pages) as read whole."""
    upload = _upload(_labelled_record(40))
    whole = _assert_same_at_every_split(upload)
    assert whole.layout == "paragraph_blocks" and len(whole.records) == 40
    assert _activities(upload, _split(upload, [2])) == _activities(upload, whole)


@pytest.mark.parametrize("repeat_header", [True, False], ids=["repeat-rows", "header-once"])
def test_platypus_statement_is_the_same_split_anywhere(repeat_header: bool) -> None:
    """GIVEN a statement laid out by platypus over pages WHEN split anywhere THEN the same as read whole."""
    upload = _upload(_platypus_statement(90, repeat_header=repeat_header))
    whole = _assert_same_at_every_split(upload, two_way=False)
    assert whole.layout == "table" and sum(len(t.rows) for t in whole.tables) >= 90


# --- samples, corpus and real-world files -----------------------------------------------------------------------

SAMPLE_FILES = [SAMPLES / name for name in ("ruled-statement-multipage.pdf", "text-columns-transcript-two-pages.pdf",
                                            "statement-scanned-two-pages.pdf")]
CORPUS_FILES = [SHARED / "corpus" / name for name in ("body_cii_cpd_record.pdf", "body_cpd_log_fpdf.pdf",
                                                      "lms_transcript_print.pdf")]
REALWORLD_FILES = [SHARED / "realworld" / "pdfplumber-tests" / name for name in (
    "WARN-Report-for-7-1-2015-to-03-25-2016.pdf",   # one table of 634 rows over 16 pages
    "issue-67-example.pdf",                          # 22 pages of tables
    "issue-71-duplicate-chars-2.pdf",                # 20 pages, characters drawn twice
    "federal-register-2020-17221.pdf",               # 15 pages of prose and tables
    "pr-136-example.pdf")]


@pytest.mark.parametrize("path", SAMPLE_FILES + CORPUS_FILES, ids=lambda p: p.name)
def test_multipage_samples_are_the_same_split_anywhere(path: Path) -> None:
    """GIVEN the multi-page samples and corpus statements (one scanned, read by OCR) WHEN split at every page
    boundary THEN exactly what one reading of the whole gives."""
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    upload = _upload(path.read_bytes(), path.name)
    _assert_same_at_every_split(upload)


@pytest.mark.parametrize("path", REALWORLD_FILES, ids=lambda p: p.name)
def test_real_world_documents_are_the_same_split_anywhere(path: Path) -> None:
    """GIVEN real documents of 6 to 22 pages (a table running over all of them, overprinted text) WHEN read page
    by page apart (every boundary a cut at once; the two- and three-way cuts are the generated statements' and
    tests/service/test_pdf_parts.py's) THEN exactly what one reading of the whole gives."""
    if not path.is_file():
        pytest.skip(f"{path} is not here (set CPD_SHARED_DIR)")
    upload = _upload(path.read_bytes(), path.name)
    _assert_same_at_every_split(upload, two_way=False)


# --- ranges themselves ------------------------------------------------------------------------------------------

def test_ranges_keep_the_documents_page_numbers_and_shares_cover_it_once() -> None:
    """A range's pages carry the document's numbers; `share` cuts any count into contiguous ranges that cover it
    once (empty ranges where there are more parts than pages); `join` refuses ranges that leave a gap."""
    upload = _upload(_ruled_statement(40, header_every_page=True))
    count = _pages(upload)
    part = pdf.read_pages(upload, OPTIONS, 2, 3)
    assert (part.first, part.last, part.count) == (2, 3, count)
    assert [layout.number for layout in part.pages] == [2, 3]
    assert {row.location.page for row in pdf.join(upload, [pdf.read_pages(upload, OPTIONS, 1, 1), part,
                                                           pdf.read_pages(upload, OPTIONS, 4)]).tables[0].rows} \
        == set(range(1, count + 1))
    for total in (0, 1, 2, 7, 100):
        for parts in (1, 2, 3, 8):
            ranges = [pdf.share(total, index, parts) for index in range(parts)]
            assert [n for first, last in ranges for n in range(first, last + 1)] == list(range(1, total + 1))
    shares = [pdf.read_share(upload, OPTIONS, index, 3) for index in range(3)]
    assert pdf.join(upload, shares) == pdf.extract(upload, OPTIONS)
    with pytest.raises(ValueError, match="do not cover"):
        pdf.join(upload, [pdf.read_pages(upload, OPTIONS, 1, 1), pdf.read_pages(upload, OPTIONS, 3)])


def test_every_range_of_an_unreadable_file_fails_as_the_whole() -> None:
    """GIVEN a damaged or protected PDF WHEN any range of it is read THEN the error `extract` gives."""
    for name in ("encrypted.pdf", "truncated.pdf"):
        upload = _upload((SAMPLES / name).read_bytes(), name)
        with pytest.raises(UnreadableFile) as whole:
            pdf.extract(upload, OPTIONS)
        for first, last in ((1, 1), (2, None)):
            with pytest.raises(UnreadableFile) as part:
                pdf.read_pages(upload, OPTIONS, first, last)
            assert (part.value.code, part.value.message) == (whole.value.code, whole.value.message)


def test_a_range_checks_the_whole_documents_size() -> None:
    """GIVEN more pages with something on them than a file may have WHEN a short range of it is read THEN
    too_large, as for the whole (a range is no way round the bound)."""
    upload = _upload(_ruled_statement(40, header_every_page=True))
    small = ExtractOptions(max_pages=2)
    with pytest.raises(UnreadableFile) as whole:
        pdf.extract(upload, small)
    with pytest.raises(UnreadableFile) as part:
        pdf.read_pages(upload, small, 1, 1)
    assert whole.value.code == part.value.code == "too_large"
