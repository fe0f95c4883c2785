"""OCR: text that is only pixels (image uploads, image-only PDF pages) read into words with their boxes.

The words come out in the PDF reader's form (`extractors.pdf.lines.Word`, in points from the page's top
left), so the same line grouping, table finding and certificate blocks serve scans and born-digital files.
Every word of one text line shares that line's top and bottom (tesseract's line box): a line is never split
by a word without ascenders, and its height is the text's size.

The engine is Tesseract (see `engine` for why), run inside the caller's process: extractors run in a
child per file with time and memory bounds, and each page's recognition is given what is left of the
document's time. Its data comes from the machine (Debian's `tesseract-ocr-eng`); where it is missing, an
image cannot be read and the file fails with `ocr_unavailable`, telling an administrator what to install.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..errors import UnreadableFile
from ..pdf.lines import Word
from . import engine
from .prepare import Prepared, prepare, upright_turn

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["Scan", "read_image", "check_engine", "MIN_CONFIDENCE"]

# Words tesseract is less sure of than this (0-100) are dropped: on a photo or a logo they are noise.
MIN_CONFIDENCE = 70.0
# A word of one letter or digit needs this much ("4" from a crest); a lone symbol ("&", "-") is kept only
# level with a sure word, where a line of text holds it.
MIN_CONFIDENCE_SHORT = 70.0
# Words read less surely than SURE_CONFIDENCE are read again alone, at most this many a page.
MAX_REREAD = 40
# A line with a word this sure is text: its plain words are kept whatever their confidence.
SURE_CONFIDENCE = 85.0
# Words of three characters or fewer this near the page's edge (share of its width or height) are border.
EDGE_SHARE = 0.05
# A page is text when it holds this many sure words of three letters or more.
MIN_SURE_WORDS = 3
_WORDLIKE = re.compile(r"[^\W\d_]{3,}")
_SYMBOL = re.compile(r"[&+\-–—•·/|@#%€£$]")
_STRAY_BRACKET = re.compile(r"[^(]*\d[)]")
_PLAIN_WORD = re.compile(r"[^\W\d_]{3,}[.,;:]?|[(]?\d+(?:[.,:/-]\d+)*[).,;:]?|[A-Z]\.")


@dataclass(frozen=True, slots=True)
class Scan:
    """What OCR read on one page: its words (points, from the top left of the upright page) and its size."""

    words: tuple[Word, ...]
    width: float
    height: float
    seconds: float = 0.0


def check_engine(filename: str) -> None:
    """Raise UnreadableFile ("ocr_unavailable") where tesseract or its English data is not installed."""
    try:
        import tesserocr  # noqa: F401  (its wheel carries libtesseract)
    except ImportError as exc:
        raise _unavailable(filename, "the tesserocr package is missing: pip install tesserocr") from exc
    if engine.tessdata() is None:
        raise _unavailable(filename, f"tesseract's English data is missing: {engine.INSTALL_HINT}")


def _unavailable(filename: str, what: str) -> UnreadableFile:
    return UnreadableFile("ocr_unavailable", f"'{filename}' holds its text as an image, and reading images is not "
                                             f"set up on this server ({what}). The file is kept; an administrator "
                                             "can reprocess it once that is installed.")


def read_image(image: Image, points_per_pixel: float, deadline: float) -> Scan:
    """The words on one page image; `points_per_pixel` sets the page's scale (1/scale of a PDF render).

    The page is read as it stands first; only where that gives no text is its orientation asked (a page
    scanned on its side or upside down) and, if it is turned, read again upright."""
    started = time.monotonic()
    prepared = prepare(image)
    found = _recognise(prepared, points_per_pixel, deadline)
    if not _is_text(found) and deadline - time.monotonic() > 1.0:
        turn = upright_turn(image)
        if turn:
            prepared = prepare(image, turn)
            found = _recognise(prepared, points_per_pixel, deadline)
    unit = points_per_pixel / prepared.scale
    kept = _off_the_edges(_believed(found), prepared.image.width, prepared.image.height) if _is_text(found) else []
    words = tuple(Word(w.x0 * unit, w.x1 * unit, w.line_top * unit, w.line_bottom * unit, w.text) for w in kept)
    return Scan(words, prepared.image.width * unit, prepared.image.height * unit, time.monotonic() - started)


def _recognise(prepared: Prepared, points_per_pixel: float, deadline: float) -> list[engine.RawWord]:
    dpi = int(min(max(72.0 * prepared.scale / points_per_pixel, 70.0), 1200.0))   # the prepared image's
    budget_ms = int((deadline - time.monotonic()) * 1000)
    if budget_ms <= 0:
        return []
    found = engine.recognise(prepared.image, dpi, budget_ms, prepared.uneven_light)
    if found and deadline - time.monotonic() > 1.0:
        found = engine.reread(prepared.image, found, SURE_CONFIDENCE, MAX_REREAD)
    return found


def _is_text(found: list[engine.RawWord]) -> bool:
    """The page holds words tesseract reads surely: a photo, a pattern or a script it has no model for
    (Chinese read with the English model) gives shapes it is unsure of."""
    return sum(1 for w in found if w.confidence >= SURE_CONFIDENCE and _WORDLIKE.search(w.text)) >= MIN_SURE_WORDS


def _believed(found: list[engine.RawWord]) -> list[engine.RawWord]:
    """The words to keep: those tesseract is sure enough of, and plain words and numbers level with a word it
    is sure of (a name in a script face beside a clear one, a table's figure in the row of its title, read
    right at a low confidence). A bracket closing nothing after a number is a misread rule or speck."""
    sure = [(w.line_top, w.line_bottom) for w in found if w.confidence >= SURE_CONFIDENCE]
    kept = []
    for word in found:
        if _sure_enough(word) or ((_PLAIN_WORD.fullmatch(word.text) or _SYMBOL.fullmatch(word.text))
                                  and _level_with(word, sure)):
            text = word.text[:-1] if _STRAY_BRACKET.fullmatch(word.text) else word.text
            kept.append(replace(word, text=text) if text != word.text else word)
    return kept


def _off_the_edges(words: list[engine.RawWord], width: int, height: int) -> list[engine.RawWord]:
    """Without the short "words" along the page's edges: a certificate's scalloped or patterned border reads
    as letters ("q", "Gy", "AAA"), and no real text of three characters or fewer stands there alone."""
    band_x, band_y = EDGE_SHARE * width, EDGE_SHARE * height
    return [w for w in words if len(w.text) > 3 or (
        w.x0 > band_x and w.x1 < width - band_x and w.top > band_y and w.bottom < height - band_y)]


def _level_with(word: engine.RawWord, spans: list[tuple[int, int]]) -> bool:
    height = max(word.line_bottom - word.line_top, 1)
    return any(min(bottom, word.line_bottom) - max(top, word.line_top) >= height / 2 for top, bottom in spans)


def _sure_enough(word: engine.RawWord) -> bool:
    alnum = sum(ch.isalnum() for ch in word.text)
    if alnum >= 2:
        return word.confidence >= MIN_CONFIDENCE
    return word.confidence >= MIN_CONFIDENCE_SHORT and alnum == 1
