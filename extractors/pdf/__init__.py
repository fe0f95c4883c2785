"""PDF statements, transcripts and certificates.

What CPD PDFs look like in the wild: a professional body's CPD record or an LMS "print my
transcript" page holding one activity table that runs over several pages (ruled, or drawn with
text only), a title block above it naming the member, running headers and "Page 1 of 3" footers,
totals under it; or a certificate of completion / attendance written as prose.

What we read: one `Table` per logical table (pages stitched, see `stitch`), rows located
`page=P;table=T;row=R`; in a PDF with no table, repeated "Label: value" blocks (a Word record or form
printed to PDF) as records located `page=P;line=L`, else each page's text as a `TextBlock` with each line's
size and place (the mappers decide whether it is a certificate). A page with no text but an image (a scan, a
photo, a certificate drawn as a picture) or text drawn as outlines is rendered and read by OCR
(`extractors.ocr`) into the same words and lines; a page with nothing on it is empty, not an error. What we
skip on purpose: form fields, annotations, and table search on pages too dense to search safely.

pdfplumber and pdfminer are imported on first use, inside `extract`: a process that only reads CSV
or spreadsheets never loads them.
"""
from __future__ import annotations

import io
import re
import signal
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from ..docx import _blocks as labelled   # "Label: value" records, found the same way as in Word
from ..errors import UnreadableFile
from ..model import Extraction, ExtractOptions, Issue, Location, RawRecord, TextBlock, Upload
from .certificate import certificate_block
from .columns import text_fragments
from .fragments import Fragment
from .layout import PageLayout, PageRange
from .lines import RunningLines, TextLine, Word, group_lines, is_page_furniture
from .pixels import PageImages
from .ruled import ruled_fragments
from .stitch import TableBuilder
from .streams import check_streams

if TYPE_CHECKING:
    from PIL.Image import Image

    from ..ocr import Scan

__all__ = ["FORMAT", "MEDIA_TYPES", "SUFFIXES", "sniff", "extract", "read_pages", "read_share", "share", "join",
           "PageLayout", "PageRange", "PageReader", "timeout_error"]

FORMAT = "pdf"
MEDIA_TYPES = ("application/pdf",)
SUFFIXES = (".pdf",)

# Wall-clock budget for one document, checked between pages and between steps on a page.
TIME_LIMIT_S = 20.0
# A page that never returns (pdfminer looping on self-referencing resources) is stopped by an alarm
# this long after the budget, where a timer is ours to set (the main thread, no alarm pending).
HARD_TIME_LIMIT_S = TIME_LIMIT_S + 2.0
# pdfplumber's table finder is super-linear in the ruling edges; past this we read the page as text.
MAX_TABLE_EDGES = 2_500
# A page with more characters than this is not a CPD record (or is hostile): we skip it.
MAX_PAGE_CHARS = 60_000
# Title-block lines kept for the document's context.
MAX_CONTEXT_LINES = 15
# Running headers and footers are looked for in this top and bottom share of the page.
RUNNING_ZONE = 0.3
# A gap above a line wider than this many line heights ends a paragraph (a labelled answer's continuation).
PARAGRAPH_GAP_EM = 1.2
# Labelled records read from text only when the pattern repeats: one labelled block is a certificate's job.
MIN_LABELLED_BLOCKS = 2
# OCR of a page takes one to three seconds; a page is not started with less than this left of the budget.
OCR_PAGE_SECONDS = 3.0
# A file this small (pages, bytes) that runs out of time is not the member's to split: we look at it.
SMALL_FILE_PAGES = 5
SMALL_FILE_BYTES = 5 * 1024 * 1024


def sniff(head: bytes, filename: str) -> bool:
    return b"%PDF-" in head[:1024]


def extract(upload: Upload, options: ExtractOptions) -> Extraction:
    """The whole document, each page laid out and placed in turn; nothing of a page is kept once placed."""
    def read(pdf: Any, deadline: float) -> Extraction:
        pages, blank = _checked_pages(pdf, upload, options)
        reader = PageReader(upload.filename, deadline, len(upload.data), len(pages))
        for layout in _lay_out(pages, blank, range(1, len(pages) + 1), reader, upload):
            reader.add(layout)
        return reader.result()

    return _opened(upload, options, read)


def read_pages(upload: Upload, options: ExtractOptions, first: int = 1, last: int | None = None) -> PageRange:
    """Pages `first` to `last` (the document's numbers, from 1; default: to the end) laid out, each on its own,
    for `join` to place in order with the document's other ranges; a range past the end holds no page.

    The whole document is checked as `extract` checks it (streams, page count, pages with something on them),
    so every range of a file `extract` refuses is refused with the same error; the time budget is the range's
    own. Raises UnreadableFile as `extract` does."""
    return _read_range(upload, options, lambda count: (first, count if last is None else min(last, count)))


def read_share(upload: Upload, options: ExtractOptions, index: int, parts: int) -> PageRange:
    """The `index`-th (from 0) of `parts` contiguous page ranges of the document (see `share`), laid out as by
    `read_pages`: for a reader that knows how many parts it wants but not how many pages the document has."""
    return _read_range(upload, options, lambda count: share(count, index, parts))


def share(count: int, index: int, parts: int) -> tuple[int, int]:
    """Pages (first, last) of the `index`-th (from 0) of `parts` contiguous ranges of `count` pages, as equal as
    whole pages allow; (first, first - 1), holding none, when there are fewer pages than parts."""
    if not 0 <= index < parts:
        raise ValueError(f"part {index} of {parts} does not exist")
    return index * count // parts + 1, (index + 1) * count // parts


def join(upload: Upload, ranges: Iterable[PageRange]) -> Extraction:
    """The document's Extraction from its page ranges laid out apart (`read_pages`, `read_share`), placed in
    page order: the same tables, records, text, context and issues, with the document's page numbers, as
    `extract` gives for the whole. The ranges must cover the document's pages, each once."""
    ordered = sorted(ranges, key=lambda r: r.first)
    if not ordered:
        raise ValueError("no page range to join")
    count, size = ordered[0].count, ordered[0].size
    expected = 1
    for part in ordered:
        if part.count != count or part.first != expected or part.last < part.first - 1:
            raise ValueError(f"page ranges do not cover the {count} pages once: {[(r.first, r.last) for r in ordered]}")
        expected = part.last + 1
    if expected != count + 1:
        raise ValueError(f"page ranges end at page {expected - 1} of {count}")
    reader = PageReader(upload.filename, time.monotonic() + TIME_LIMIT_S, size, count)
    for part in ordered:
        for layout in part.pages:
            reader.add(layout)
    return reader.result()


_T = TypeVar("_T")


def _opened(upload: Upload, options: ExtractOptions, read: Callable[[Any, float], _T]) -> _T:
    """`read(pdf, deadline)` on the opened document, its failures told as UnreadableFile."""
    import pdfplumber  # imported on first use (see the module docstring)
    from pdfplumber.utils.exceptions import PdfminerException

    if not upload.data.strip():
        raise UnreadableFile("empty", f"'{upload.filename}' is empty. Upload the file again.")
    started = time.monotonic()   # the budget counts the stream check too: it is part of reading the document
    check_streams(upload.data, options, upload.filename)
    deadline = started + TIME_LIMIT_S
    try:
        with _alarm(max(1.0, started + HARD_TIME_LIMIT_S - time.monotonic())), \
                pdfplumber.open(io.BytesIO(upload.data)) as pdf:
            return read(pdf, deadline)
    except _Expired as exc:
        raise timeout_error(upload.filename, None, None, len(upload.data)) from exc
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc.__cause__
        raise _translate(cause or exc, upload.filename) from exc
    except _pdfminer_errors() as exc:
        raise _translate(exc, upload.filename) from exc


def _read_range(upload: Upload, options: ExtractOptions, bounds: Callable[[int], tuple[int, int]]) -> PageRange:
    def read(pdf: Any, deadline: float) -> PageRange:
        pages, blank = _checked_pages(pdf, upload, options)
        first, last = bounds(len(pages))
        first = max(first, 1)
        reader = PageReader(upload.filename, deadline, len(upload.data), len(pages))
        numbers = range(first, max(last, first - 1) + 1)
        laid_out = tuple(layout.detach() for layout in _lay_out(pages, blank, numbers, reader, upload))
        return PageRange(first, numbers.stop - 1, len(pages), len(upload.data), laid_out)

    return _opened(upload, options, read)


def _parse_errors() -> tuple[type[BaseException], ...]:
    """pdfminer reports malformed input with its own exceptions and, deeper in, with these built-ins."""
    from pdfminer.psparser import PSException  # imported on first use (see the module docstring)

    return (PSException, struct.error, zlib.error, RecursionError, ValueError, KeyError, IndexError, TypeError,
            AssertionError, UnicodeDecodeError)


def _pdfminer_errors() -> tuple[type[BaseException], ...]:
    """Everything pdfminer and pdfplumber raise for a file they cannot read."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect  # imported on first use
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import MalformedPDFException

    return (PDFPasswordIncorrect, PDFEncryptionError, PDFSyntaxError, MalformedPDFException, *_parse_errors())


class _Expired(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` inside pdfminer swallows it."""


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        yield
        return

    def _expire(signum: int, frame: object) -> None:
        raise _Expired()

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _translate(exc: BaseException, filename: str) -> UnreadableFile:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect  # imported on first use

    if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)):
        return UnreadableFile(
            "encrypted",
            f"'{filename}' is password-protected. Upload a copy without a password "
            "(open it and print or save it again as PDF without protection).",
        )
    if isinstance(exc, RecursionError):
        return UnreadableFile("too_deep", f"'{filename}' nests its objects too deeply to read safely.")
    if isinstance(exc, MemoryError):
        return UnreadableFile("too_large", f"'{filename}' needs more memory than one file may use. Upload the CPD "
                                           "record alone, or split the file.")
    return UnreadableFile(
        "corrupt",
        f"'{filename}' is damaged or not a complete PDF ({type(exc).__name__}). "
        "Download or export it again and upload the new copy.",
    )


def timeout_error(filename: str, page: int | None, pages: int | None, size: int) -> UnreadableFile:
    """`timeout`, told as fits the file: a small one is ours to look at, a long one may be split."""
    if size <= SMALL_FILE_BYTES and (pages is None or pages <= SMALL_FILE_PAGES):
        return UnreadableFile("timeout", f"'{filename}' could not be read in time. It is kept and we will look at "
                                         "it; an administrator can reprocess it, and you need not upload it again.")
    where = f" (stopped at page {page} of {pages})" if page and pages else ""
    return UnreadableFile("timeout", f"'{filename}' took too long to read{where}. Split it into smaller files (for "
                                     "example one year each) and upload those, or ask an administrator to reprocess it.")


def _checked_pages(pdf: Any, upload: Upload, options: ExtractOptions) -> tuple[Sequence[Any], list[bool]]:
    """The document's pages and which are blank, once it is known not to be too large. Bounds limit the work
    done, not what the file declares: blank pages cost next to nothing and count for nothing (thousands of them
    are a file with nothing in it), and the file is refused as too large only past `max_pages` pages that hold
    something; the time budget bounds the rest."""
    filename = upload.filename
    pages = pdf.pages
    if not pages:
        raise UnreadableFile("corrupt", f"'{filename}' has no pages. Export or download it again.")
    if _page_count(pdf) > options.max_pages and not _starts_blank(pdf):
        raise UnreadableFile("too_large", f"'{filename}' has more than {options.max_pages} pages. Upload the CPD "
                                          "record alone or split the file.")   # told by the page tree alone
    blank = [_blank(page.page_obj.attrs) for page in pages]    # a few bytes a page: before any is laid out
    if len(blank) - sum(blank) > options.max_pages:
        raise UnreadableFile("too_large", f"'{filename}' has more than {options.max_pages} pages with something on "
                                          "them. Upload the CPD record alone or split the file.")
    return pages, blank


def _lay_out(pages: Sequence[Any], blank: Sequence[bool], numbers: range, reader: PageReader, upload: Upload,
             ) -> Iterator[PageLayout]:
    """Pages `numbers` laid out in order, each closed once the consumer has taken its layout."""
    with PageImages(upload.data, upload.filename) as images:
        for number in numbers:
            page = pages[number - 1]
            try:
                if blank[number - 1]:
                    reader._check_time(number)
                    yield PageLayout(number)
                else:
                    yield reader.lay_out(page, number, images)
            finally:
                page.close()


_BLANK_STREAM_BYTES = 4_096   # a blank page's content stream is a few bytes (ReportLab: 'BT /F1 12 Tf ET')
# Operators that put something on a page: text shown, an image or form drawn, a path painted, a shading.
_MARKS = re.compile(rb"(?<![\w/])(?:Tj|TJ|'|\"|Do|BI|f\*?|F|S|s|B\*?|b\*?|sh)(?![\w])")


def _page_count(pdf: Any) -> int:
    from pdfminer.pdftypes import resolve1  # imported on first use (see the module docstring)

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
        return int(count) if isinstance(count, int) else -1
    except _parse_errors():
        return -1


def _starts_blank(pdf: Any) -> bool:
    """Whether the first pages of a document declaring more than it may have are all blank (thousands of empty
    pages: read, and found empty); pages with something on them from the start refuse it at once."""
    from itertools import islice

    from pdfminer.pdfpage import PDFPage

    try:
        return all(_blank(page.attrs) for page in islice(PDFPage.create_pages(pdf.doc), _FIRST_PAGES))
    except Exception:  # noqa: BLE001 - a page tree this broken is refused as declared
        return False


_FIRST_PAGES = 20


def _blank(attrs: dict[str, Any]) -> bool:
    """A page whose content streams show nothing (no text, image, path or shading), told from its few bytes
    without laying the page out; anything larger or unreadable is read as usual."""
    from pdfminer.pdftypes import PDFStream, resolve1

    try:
        contents = resolve1(attrs.get("Contents"))
        streams = [resolve1(c) for c in contents] if isinstance(contents, list) else [contents]
        data = b""
        for stream in streams:
            if stream is None:
                continue
            if not isinstance(stream, PDFStream) or int(stream.attrs.get("Length", 0) or 0) > _BLANK_STREAM_BYTES:
                return False
            data += stream.get_data()
            if len(data) > _BLANK_STREAM_BYTES:
                return False
    except Exception:  # noqa: BLE001 - whatever a damaged page raises here, the usual reading says it better
        return False
    return _MARKS.search(data) is None


class PageReader:
    """Reads pages one at a time, keeping only text and rows, never pdfplumber objects: a PDF's pages
    (`read_page`) or pages read by OCR (`read_image`, `read_scan`, for image-only pages and image uploads).

    Each page is first laid out on its own (`lay_out`: the costly part, needing nothing but the page), then
    placed after the pages before it (`add`: running lines, tables continued, the title block). A document's
    page ranges may be laid out by other readers, in other processes, and placed here in order (`join`)."""

    def __init__(self, filename: str, deadline: float, size: int = 0, pages: int | None = None) -> None:
        self.filename = filename
        self.deadline = deadline
        self.size = size
        self.pages = pages
        self.builder = TableBuilder()
        self.running = RunningLines()
        self.pending: list[TextLine] = []  # content lines since the last table
        self.prose: list[TextBlock] = []
        self.labelled: list[tuple[int, int, str | None]] = []   # pages without tables: (page, line, text)
        self.issues: list[Issue] = []
        self.context: tuple[str, ...] = ()
        self.pages_with_text = 0
        self.pages_as_images = 0          # pages whose text had to be read from pixels
        self.pages_read_by_ocr = 0        # of those, pages where OCR found words
        self.ocr_left_out: list[int] = []  # and pages not read for want of time

    def _check_time(self, page: int) -> None:
        if time.monotonic() > self.deadline:
            raise timeout_error(self.filename, page, self.pages, self.size)

    def read_page(self, page: Any, number: int, images: PageImages | None = None) -> None:
        """Page `number` of the document, laid out and placed after the pages read before it."""
        self.add(self.lay_out(page, number, images))

    def lay_out(self, page: Any, number: int, images: PageImages | None = None) -> PageLayout:
        """Page `number` (an open pdfplumber page) laid out on its own: nothing placed before it is used or
        changed. The layout holds the page until `detach`ed; `add` places it."""
        self._check_time(number)
        layout = PageLayout(number, float(page.height), float(page.width), page=page)
        chars = len(page.chars)
        if chars == 0:
            if images is not None and PageImages.worth_reading(page):
                layout.as_image = True
                if self._time_for_ocr():
                    image, points_per_pixel = images.render(page, number - 1)
                    self._scan(self._ocr(image, points_per_pixel), number, layout)
                else:
                    layout.left_out = True
            return layout
        layout.with_text = True
        if chars > MAX_PAGE_CHARS:
            layout.issues.append(_issue(number, "page_too_dense",
                                        f"page {number} holds {chars} characters; it was not read."))
            return layout
        layout.fragments = self._ruled(page, number, layout.issues)
        self._check_time(number)
        layout.lines = self._lines(page, number, layout.fragments)
        self._check_time(number)
        return layout

    def read_image(self, image: Image, points_per_pixel: float, number: int) -> None:
        """A page given as pixels (an image upload's frame), read by OCR as a page of the document."""
        layout = PageLayout(number, as_image=True)
        if self._time_for_ocr():
            self._scan(self._ocr(image, points_per_pixel), number, layout)
        else:
            layout.left_out = True
        self.add(layout)

    def _time_for_ocr(self) -> bool:
        return self.deadline - time.monotonic() >= OCR_PAGE_SECONDS

    def _ocr(self, image: Image, points_per_pixel: float) -> Scan:
        from ..ocr import check_engine, read_image  # OCR's libraries load only for a page that needs them

        check_engine(self.filename)
        return read_image(image, points_per_pixel, self.deadline)

    def read_scan(self, scan: Scan, number: int) -> None:
        """A page read by OCR: its words as lines, then tables or certificates as on any page. Several
        copies of one document tiled on the page (a sheet of certificates) give one text block each."""
        layout = PageLayout(number)
        self._scan(scan, number, layout)
        self.add(layout)

    def _scan(self, scan: Scan, number: int, layout: PageLayout) -> None:
        """The OCR'd page's words laid out into `layout`: its lines, or a block for each of several regions."""
        from ..ocr.layout import regions, styled_segments

        self._check_time(number)
        if not scan.words:
            return
        layout.with_text = layout.ocr = True
        layout.height, layout.width = scan.height, scan.width
        parts = regions(scan.words, scan.width, scan.height)
        if len(parts) == 1:
            layout.lines = _ocr_lines(parts[0], number, scan.height)
            return
        for index, part in enumerate(parts, start=1):
            left, top = min(w.x0 for w in part), min(w.top for w in part)
            texts, styles = styled_segments(_ocr_lines(part, number, scan.height), left, top,
                                            max(w.x1 for w in part) - left)
            layout.blocks.append(TextBlock(Location(page=number, paragraph=index), texts, styles))

    def add(self, layout: PageLayout) -> None:
        """Place a laid-out page after the pages placed before it (pages are placed in document order)."""
        self.issues.extend(layout.issues)
        self.pages_as_images += layout.as_image
        if layout.left_out:
            self.ocr_left_out.append(layout.number)
        self.pages_with_text += layout.with_text
        self.pages_read_by_ocr += layout.ocr
        self.prose.extend(layout.blocks)
        if layout.lines is not None:
            self._read_lines(layout.lines, list(layout.fragments), layout, layout.height, layout.width)

    def _read_lines(self, lines: list[TextLine], fragments: list[Fragment], layout: PageLayout, height: float,
                    width: float) -> None:
        number = layout.number
        content = [line for line in lines if not self.running.is_repeat(line)]
        # Text seen before (a title block repeated lower down) does not end the table left open.
        repeated = {id(line) for line in content if self.running.seen(line)}
        self._drop_pending_footers(lines)
        self.running.remember(
            line for line in lines if line.top < height * RUNNING_ZONE or line.bottom > height * (1 - RUNNING_ZONE)
        )
        fresh = [line for line in content if id(line) not in repeated]
        text = text_fragments(fresh, self.builder.open_text_bands if not self.pending else None)
        fragments.extend(text)
        if number == 1 or not self.context:
            first_top = min((f.top for f in fragments), default=float("inf"))
            self.context = tuple(_segments(line for line in content if line.bottom <= first_top))[:MAX_CONTEXT_LINES]
        self._walk(content, fragments, repeated)
        if not fragments:
            self._certificate(content, layout, width)

    def _ruled(self, page: Any, number: int, issues: list[Issue]) -> list[Fragment]:
        objects = page.objects
        edges = sum(len(objects.get(kind, ())) for kind in ("line", "rect", "curve"))
        if edges > MAX_TABLE_EDGES:
            issues.append(_issue(number, "table_search_skipped", f"page {number} has {edges} drawn lines; read as "
                                                                  "text only."))
            return []
        return ruled_fragments(page, number)

    def _lines(self, page: Any, number: int, fragments: Sequence[Fragment]) -> list[TextLine]:
        height = float(page.height)
        boxes = [(f.top - 1, f.bottom + 1) for f in fragments]
        words = [
            w for w in page.extract_words()
            if not any(top <= (w["top"] + w["bottom"]) / 2 <= bottom for top, bottom in boxes)
        ]
        return [line for line in group_lines(words, number) if not is_page_furniture(line, height)]

    def _drop_pending_footers(self, lines: Sequence[TextLine]) -> None:
        """Lines left under a table on the previous page that recur here are footers, not text."""
        here = RunningLines()
        here.remember(lines)
        self.pending = [line for line in self.pending if not here.is_repeat(line)]

    def _walk(self, content: Sequence[TextLine], fragments: list[Fragment], repeated: set[int]) -> None:
        inside = {id(line) for f in fragments if f.kind == "text" for line in content if f.top <= line.top <= f.bottom}
        items: list[tuple[float, TextLine | Fragment]] = [(f.top, f) for f in fragments]
        items += [(line.top, line) for line in content if id(line) not in inside]
        for _, item in sorted(items, key=lambda pair: pair[0]):
            if isinstance(item, Fragment):
                self.builder.add(item, tuple(_segments(self.pending)))
                self.pending = []
            else:
                if id(item) not in repeated:
                    self.pending.append(item)
                    self.builder.interrupt()

    def _certificate(self, content: Sequence[TextLine], layout: PageLayout, width: float) -> None:
        """A page without a table: its text, with each line's size and place, may be a certificate; the mappers
        read it. Its "Label: value" lines may also be a record's blocks (a Word record printed). A PDF page's
        characters give sizes and weights; a page read by OCR has them from its word boxes."""
        number = layout.number
        if not layout.ocr:
            block = certificate_block(layout.text_of(), content, number)
        else:
            from ..ocr.layout import styled_segments

            lines, styles = styled_segments(content, 0.0, 0.0, width)
            block = TextBlock(Location(page=number), lines, styles) if lines else None
        if block is not None:
            self.prose.append(block)
        self.labelled.extend(_labelled_lines(content, number))

    def result(self, format: str = FORMAT, media_type: str = MEDIA_TYPES[0]) -> Extraction:
        """What was read; a file with pages of pixels but no word read from them is refused."""
        if self.pages_with_text == 0 and self.pages_as_images:
            raise self._unread()
        if self.ocr_left_out:
            pages = ", ".join(map(str, self.ocr_left_out[:10])) + (" ..." if len(self.ocr_left_out) > 10 else "")
            self.issues.append(Issue("ocr_skipped", f"pages {pages} are images and were not read in the time a "
                                                    "file has; upload them as a separate file."))
        tables = self.builder.tables()
        records = () if tables else self._records()
        layout = "table" if tables else "paragraph_blocks" if records else "text"
        return Extraction(
            format=format,
            media_type=media_type,
            layout=layout,
            tables=tables,
            records=records,
            prose=() if tables or records else tuple(self.prose),
            context=self.context,
            issues=tuple(self.issues),
            ocr=self.pages_read_by_ocr > 0,
        )

    def _unread(self) -> UnreadableFile:
        if self.ocr_left_out:
            return timeout_error(self.filename, self.ocr_left_out[0], self.pages, self.size)
        return UnreadableFile(
            "no_text_layer",
            f"'{self.filename}' holds its pages as images, and no text could be read from them (too blurred or "
            "too small, no text, or a script other than the Latin alphabet). Upload a sharper scan or photo, or "
            "the original export from the learning system or the body's CPD record.",
        )


    def _records(self) -> tuple[RawRecord, ...]:
        """Activities written as repeated labelled blocks ("Activity: / Date: / Hours: / Reflection:")."""
        blocks = labelled.blocks_in_lines(self.labelled)
        if len(blocks) < MIN_LABELLED_BLOCKS:
            return ()
        return tuple(labelled.to_record(b, Location(page=b.paragraph, line=b.line)) for b in blocks)


def _issue(number: int, code: str, message: str) -> Issue:
    return Issue(code, message, Location(page=number))


def _labelled_lines(content: Sequence[TextLine], page: int) -> Iterator[tuple[int, int, str | None]]:
    """A page's lines for the labelled-block finder: a wide gap is a paragraph break (None), and a question
    set apart from its answer ("What did you learn?      The new rules...") reads as 'question: answer'."""
    previous: TextLine | None = None
    for number, line in enumerate(content, start=1):
        if previous is not None and line.top - previous.bottom > PARAGRAPH_GAP_EM * previous.height:
            yield page, number, None
        segments = line.segment_texts()
        if len(segments) >= 2 and segments[0].rstrip().endswith("?"):   # question and answer side by side
            yield page, number, f"{segments[0]}: {' '.join(segments[1:])}"
        else:
            yield page, number, " ".join(segments)
        previous = line


def _segments(lines: Iterator[TextLine] | Sequence[TextLine]) -> Iterator[str]:
    for line in lines:
        yield from line.segment_texts()


def _ocr_lines(words: Sequence[Word], number: int, height: float) -> list[TextLine]:
    boxes = ({"x0": w.x0, "x1": w.x1, "top": w.top, "bottom": w.bottom, "text": w.text} for w in words)
    return [line for line in group_lines(boxes, number) if not is_page_furniture(line, height)]
