"""PDF statements, transcripts and certificates.

What CPD PDFs look like in the wild: a professional body's CPD record or an LMS "print my
transcript" page holding one activity table that runs over several pages (ruled, or drawn with
text only), a title block above it naming the member, running headers and "Page 1 of 3" footers,
totals under it; or a certificate of completion / attendance written as prose.

What we read: one `Table` per logical table (pages stitched, see `stitch`), rows located
`page=P;table=T;row=R`; in a PDF with no table, repeated "Label: value" blocks (a Word record or form
printed to PDF) as records located `page=P;line=L`, else each page's text as a `TextBlock` (the mappers
decide whether it is a certificate). What we skip on purpose: images (no OCR; a PDF with no text at all is refused),
form fields, annotations, and table search on pages too dense to search safely.

pdfplumber and pdfminer are imported on first use, inside `extract`: a process that only reads CSV
or spreadsheets never loads them.
"""
from __future__ import annotations

import io
import signal
import struct
import threading
import time
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..docx import _blocks as labelled   # "Label: value" records, found the same way as in Word
from ..errors import UnreadableFile
from ..model import Extraction, ExtractOptions, Issue, Location, RawRecord, TextBlock, Upload
from .certificate import certificate_block
from .columns import text_fragments
from .fragments import Fragment
from .lines import RunningLines, TextLine, group_lines, is_page_furniture
from .ruled import ruled_fragments
from .stitch import TableBuilder
from .streams import check_streams

__all__ = ["FORMAT", "MEDIA_TYPES", "SUFFIXES", "sniff", "extract"]

FORMAT = "pdf"
MEDIA_TYPES = ("application/pdf",)
SUFFIXES = (".pdf",)

# Wall-clock budget for one document, checked between pages and between steps on a page.
TIME_LIMIT_S = 20.0
# A page that never returns (pdfminer looping on self-referencing resources) is stopped by an alarm
# this long after the budget, where a timer is ours to set (the main thread, no alarm pending).
HARD_TIME_LIMIT_S = TIME_LIMIT_S + 5.0
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


def sniff(head: bytes, filename: str) -> bool:
    return b"%PDF-" in head[:1024]


def extract(upload: Upload, options: ExtractOptions) -> Extraction:
    import pdfplumber  # imported on first use (see the module docstring)
    from pdfplumber.utils.exceptions import PdfminerException

    if not upload.data.strip():
        raise UnreadableFile("empty", f"'{upload.filename}' is empty. Upload the file again.")
    check_streams(upload.data, options, upload.filename)
    deadline = time.monotonic() + TIME_LIMIT_S
    try:
        with _alarm(HARD_TIME_LIMIT_S), pdfplumber.open(io.BytesIO(upload.data)) as pdf:
            return _read(pdf, upload.filename, options, deadline)
    except _Expired as exc:
        raise UnreadableFile(
            "timeout", f"'{upload.filename}' took too long to read. Upload the CPD record alone, exported from its system."
        ) from exc
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc.__cause__
        raise _translate(cause or exc, upload.filename) from exc
    except _pdfminer_errors() as exc:
        raise _translate(exc, upload.filename) from exc


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


def _page_count(pdf: Any) -> int:
    from pdfminer.pdftypes import resolve1  # imported on first use (see the module docstring)

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
        return int(count) if isinstance(count, int) else -1
    except _parse_errors():
        return -1


def _read(pdf: Any, filename: str, options: ExtractOptions, deadline: float) -> Extraction:
    declared = _page_count(pdf)
    if declared > options.max_pages or len(pdf.pages) > options.max_pages:
        raise UnreadableFile(
            "too_large",
            f"'{filename}' has more than {options.max_pages} pages. Upload the CPD record alone or split the file.",
        )
    if not pdf.pages:
        raise UnreadableFile("corrupt", f"'{filename}' has no pages. Export or download it again.")
    reader = _DocumentReader(filename, deadline)
    for number, page in enumerate(pdf.pages, start=1):
        try:
            reader.read_page(page, number)
        finally:
            page.close()
    return reader.result()


class _DocumentReader:
    """Reads pages one at a time, keeping only text and rows, never pdfplumber objects."""

    def __init__(self, filename: str, deadline: float) -> None:
        self.filename = filename
        self.deadline = deadline
        self.builder = TableBuilder()
        self.running = RunningLines()
        self.pending: list[TextLine] = []  # content lines since the last table
        self.prose: list[TextBlock] = []
        self.labelled: list[tuple[int, int, str | None]] = []   # pages without tables: (page, line, text)
        self.issues: list[Issue] = []
        self.context: tuple[str, ...] = ()
        self.pages_with_text = 0

    def _check_time(self, page: int) -> None:
        if time.monotonic() > self.deadline:
            raise UnreadableFile(
                "timeout",
                f"'{self.filename}' took too long to read (stopped at page {page}). "
                "Upload the CPD record alone, exported from its system.",
            )

    def read_page(self, page: Any, number: int) -> None:
        self._check_time(number)
        chars = len(page.chars)
        if chars == 0:
            return
        self.pages_with_text += 1
        if chars > MAX_PAGE_CHARS:
            self._skip(number, "page_too_dense", f"page {number} holds {chars} characters; it was not read.")
            return
        fragments = self._ruled(page, number)
        self._check_time(number)
        lines = self._lines(page, number, fragments)
        self._check_time(number)
        content = [line for line in lines if not self.running.is_repeat(line)]
        # Text seen before (a title block repeated lower down) does not end the table left open.
        repeated = {id(line) for line in content if self.running.seen(line)}
        self._drop_pending_footers(lines)
        height = float(page.height)
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
            self._certificate(page, content, number)

    def _skip(self, number: int, code: str, message: str) -> None:
        self.issues.append(Issue(code, message, Location(page=number)))

    def _ruled(self, page: Any, number: int) -> list[Fragment]:
        objects = page.objects
        edges = sum(len(objects.get(kind, ())) for kind in ("line", "rect", "curve"))
        if edges > MAX_TABLE_EDGES:
            self._skip(number, "table_search_skipped", f"page {number} has {edges} drawn lines; read as text only.")
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

    def _certificate(self, page: Any, content: Sequence[TextLine], number: int) -> None:
        """A page without a table: its text, with each line's size and place, may be a certificate; the mappers
        read it. Its "Label: value" lines may also be a record's blocks (a Word record printed)."""
        block = certificate_block(page, content, number)
        if block is not None:
            self.prose.append(block)
        self.labelled.extend(_labelled_lines(content, number))

    def result(self) -> Extraction:
        if self.pages_with_text == 0:
            raise UnreadableFile(
                "no_text_layer",
                f"'{self.filename}' has no text we can read (it looks scanned); upload the original export "
                "from the learning system or the body's CPD record.",
            )
        tables = self.builder.tables()
        records = () if tables else self._records()
        layout = "table" if tables else "paragraph_blocks" if records else "text"
        return Extraction(
            format=FORMAT,
            media_type=MEDIA_TYPES[0],
            layout=layout,
            tables=tables,
            records=records,
            prose=() if tables or records else tuple(self.prose),
            context=self.context,
            issues=tuple(self.issues),
        )


    def _records(self) -> tuple[RawRecord, ...]:
        """Activities written as repeated labelled blocks ("Activity: / Date: / Hours: / Reflection:")."""
        blocks = labelled.blocks_in_lines(self.labelled)
        if len(blocks) < MIN_LABELLED_BLOCKS:
            return ()
        return tuple(labelled.to_record(b, Location(page=b.paragraph, line=b.line)) for b in blocks)


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
