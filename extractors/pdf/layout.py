"""What one page gives when read on its own, before anything it shares with the pages around it is decided.

Reading a PDF page costs in two very unequal steps. Laying it out (pdfplumber's characters and words, the
ruled table finder, OCR of a page of pixels) is nearly all of the time and needs nothing but the page. Placing
what it holds in the document (running headers and footers dropped by comparison with earlier pages, text
tables continued from the previous page, a table's rows stitched to the one left open, the title block, the
"Label: value" blocks, a certificate's lines) is cheap and needs every earlier page, in order.

`PageLayout` is the first step's result: plain data (lines, fragments, characters, counts), never a pdfplumber
object once `detach`ed, so that pages laid out in other processes (a long document's page ranges read in
parallel) can be placed in order afterwards, giving exactly what one reading of the whole would give.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Issue, TextBlock
from .certificate import PageText, page_text
from .fragments import Fragment
from .lines import TextLine

__all__ = ["PageLayout", "PageRange"]


@dataclass(slots=True)
class PageLayout:
    """One page laid out: its lines and ruled tables (None for a page with no text read), with what its
    reading found along the way (issues, whether it held text, was an image, was read by OCR)."""

    number: int                          # the page's number in its document, from 1
    height: float = 0.0
    width: float = 0.0
    lines: list[TextLine] | None = None  # content lines, page furniture dropped (PDF text, or OCR'd words)
    fragments: list[Fragment] = field(default_factory=list)  # ruled tables
    ocr: bool = False                    # the lines were read from pixels
    blocks: list[TextBlock] = field(default_factory=list)    # an OCR'd sheet of several documents, one block each
    issues: list[Issue] = field(default_factory=list)
    with_text: bool = False              # the page holds text (characters, or words OCR read)
    as_image: bool = False               # the page's text had to be read from pixels
    left_out: bool = False               # ... and was not, for want of time
    page: Any = None                     # the open pdfplumber page, while it is open (see `text_of`)
    text: PageText | None = None         # what a certificate reading needs of it, once detached

    def certificate_candidate(self) -> bool:
        """A page of PDF text without ruled tables: its lines may be read as a certificate."""
        return self.lines is not None and not self.ocr and not self.fragments

    def text_of(self) -> PageText:
        """The page's `PageText`, from the open page or as detached."""
        if self.text is None:
            if self.page is None:
                raise ValueError(f"page {self.number} was closed before its text was taken")
            self.text = page_text(self.page, self.number)
        return self.text

    def detach(self) -> PageLayout:
        """This layout with no pdfplumber object left in it (its PageText taken where it may be needed), to be
        kept after the page is closed or sent to another process."""
        if self.page is not None:
            if self.certificate_candidate():
                self.text_of()
            self.page = None
        return self


@dataclass(frozen=True, slots=True)
class PageRange:
    """Pages `first` to `last` (the document's numbers, from 1; `last` < `first` when the range holds none) of
    a document of `count` pages, each laid out on its own: what `extractors.pdf.join` places in order."""

    first: int
    last: int
    count: int
    size: int                            # the document's bytes (for the wording of a timeout)
    pages: tuple[PageLayout, ...]
