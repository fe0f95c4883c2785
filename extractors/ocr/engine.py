"""Tesseract, through tesserocr: one engine per process, its trained data found on this machine.

Why Tesseract: its English model ships as a Debian package (`tesseract-ocr-eng`, 4 MB, with `tesseract-ocr-osd`
for page orientation), so nothing is downloaded when a file is read; it gives every word with its box and a
confidence, which is the form the PDF reader's lines and tables are built from; and it reads a certificate page
in about a second on one core here. tesserocr calls its C++ API in-process (its wheel carries libtesseract), so
a page costs no process start and the model is loaded once per child. RapidOCR (a PyPI wheel with its ONNX
models) was tried too: it reads small text well but took 5-20 s a page here and runs English words together.

The data is looked for where Debian, Homebrew and the tesseract sources put it, after $TESSDATA_PREFIX.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["LANGUAGE", "INSTALL_HINT", "RawWord", "Layout", "tessdata", "recognise", "reread", "layout",
           "orientation"]

LANGUAGE = "eng"
INSTALL_HINT = "apt-get install tesseract-ocr-eng tesseract-ocr-osd"
_PLACES = (
    "/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata",
    "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata", "/usr/share/tesseract/tessdata",
)
# Sauvola's local threshold (tesseract >= 5): reads text under uneven light (a photo) where one global
# threshold (Otsu) turns a shadowed corner black.
# A text line taller than this many times one of its words' ink is no line of text.
MAX_LINE_TO_WORD = 3
_SAUVOLA = "2"
_OTSU = "0"


@dataclass(frozen=True, slots=True)
class RawWord:
    """A word as the engine read it, in the image's pixels; `line_top` / `line_bottom` are its text line's
    (from the line's top, as tall as its font)."""

    x0: int
    x1: int
    top: int
    bottom: int
    line_top: int
    line_bottom: int
    text: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Layout:
    """What layout analysis alone (no recognition) says of an image: its text lines' median height in
    pixels (0 where none), the angle its text leans by in degrees anti-clockwise, and its small print's
    line height."""

    line_height: float
    skew_degrees: float
    small_line_height: float = 0.0      # the lower quartile: the page's small print


def tessdata() -> Path | None:
    """The folder holding the English model, or None where tesseract's data is not installed."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    candidates = ([prefix, os.path.join(prefix, "tessdata")] if prefix else []) + list(_PLACES)
    for place in candidates:
        if (Path(place) / f"{LANGUAGE}.traineddata").is_file():
            return Path(place)
    return None


@cache
def _engine(language: str) -> Any:
    """One tesseract per process and language (tesserocr is imported on first use: it loads libtesseract)."""
    import tesserocr

    folder = tessdata()
    if folder is None:
        raise FileNotFoundError(f"tesseract's {LANGUAGE}.traineddata")
    if language == "osd":
        return tesserocr.PyTessBaseAPI(path=str(folder), lang="osd", psm=tesserocr.PSM.OSD_ONLY)
    api = tesserocr.PyTessBaseAPI(path=str(folder), lang=language, psm=tesserocr.PSM.AUTO,
                                  oem=tesserocr.OEM.LSTM_ONLY)
    api.SetVariable("debug_file", os.devnull)   # no "Estimating resolution" chatter on stderr
    return api


def recognise(image: Image, dpi: int, timeout_ms: int, uneven_light: bool) -> list[RawWord]:
    """Every word tesseract finds in `image` (8-bit grey), with its box and confidence (0-100)."""
    import tesserocr

    api = _engine(LANGUAGE)
    api.SetVariable("thresholding_method", _SAUVOLA if uneven_light else _OTSU)
    api.SetImage(image)
    api.SetSourceResolution(dpi)
    if not api.Recognize(timeout=max(timeout_ms, 1)):
        return []
    words: list[RawWord] = []
    line: tuple[int, int, int, int] | None = None
    for item in tesserocr.iterate_level(api.GetIterator(), tesserocr.RIL.WORD):
        if item.IsAtBeginningOf(tesserocr.RIL.TEXTLINE) or line is None:
            line = _line_box(item, tesserocr.RIL.TEXTLINE) or line
        box = item.BoundingBox(tesserocr.RIL.WORD)
        text = _text(item, tesserocr.RIL.WORD)
        if box is None or line is None or not text.strip():
            continue
        top, bottom = line[1], line[3]
        if bottom - top > MAX_LINE_TO_WORD * max(box[3] - box[1], 1):
            top, bottom = box[1], box[3]        # a "line" run together with a border or a picture: the word's own
        words.append(RawWord(box[0], box[2], box[1], box[3], top, bottom, text.strip(),
                             float(item.Confidence(tesserocr.RIL.WORD))))
    return words


def reread(image: Image, words: list[RawWord], below: float, most: int) -> list[RawWord]:
    """`words` with each one read less surely than `below` read again on its own (a padded crop, tesseract
    told it is one word), keeping the surer reading: a lone figure in a table cell ("1.5") is often misread
    as part of a page, and read right alone. At most `most` words are read again."""
    import tesserocr

    doubtful = sorted((i for i, w in enumerate(words) if w.confidence < below), key=lambda i: words[i].confidence)
    if not doubtful:
        return words
    api = _engine(LANGUAGE)
    better = list(words)
    api.SetPageSegMode(tesserocr.PSM.SINGLE_WORD)
    try:
        for index in doubtful[:most]:
            word = words[index]
            pad = max((word.line_bottom - word.line_top) // 3, 4)
            api.SetImage(image.crop((max(word.x0 - pad, 0), max(word.top - pad, 0),
                                     min(word.x1 + pad, image.width), min(word.bottom + pad, image.height))))
            text = api.GetUTF8Text().strip()
            confidence = float(api.MeanTextConf())
            if text and " " not in text and confidence > word.confidence:
                better[index] = RawWord(word.x0, word.x1, word.top, word.bottom, word.line_top, word.line_bottom,
                                        text, confidence)
    finally:
        api.SetPageSegMode(tesserocr.PSM.AUTO)
    return better


def _line_box(item: Any, level: int) -> tuple[int, int, int, int] | None:
    """The text line's box, as tall as its font: tesseract's row height (ascender to descender, what a PDF
    calls the font size) where the ink is shorter ("Accredited certificate" has no descender)."""
    box = item.BoundingBox(level)
    if box is None:
        return None
    try:
        row = float(item.RowAttributes()["row_height"])
    except (RuntimeError, KeyError, TypeError):
        row = 0.0
    return box[0], box[1], box[2], max(box[3], box[1] + int(round(row)))


def _text(item: Any, level: int) -> str:
    try:
        return str(item.GetUTF8Text(level))
    except RuntimeError:                # tesserocr's way of saying "an empty word": a mark with no text
        return ""


def layout(image: Image) -> Layout:
    """Text lines' median height and the page's skew, from tesseract's layout analysis (a tenth of a second)."""
    import tesserocr

    api = _engine(LANGUAGE)
    api.SetVariable("thresholding_method", _OTSU)
    api.SetImage(image)
    found = api.AnalyseLayout()
    heights: list[int] = []
    skews: list[float] = []
    if found is not None:
        for item in tesserocr.iterate_level(found, tesserocr.RIL.TEXTLINE):
            box = item.BoundingBox(tesserocr.RIL.TEXTLINE)
            if box is not None and box[3] - box[1] > 3:
                heights.append(box[3] - box[1])
            if item.IsAtBeginningOf(tesserocr.RIL.BLOCK):
                skews.append(math.degrees(item.Orientation()[3]))
    heights.sort()
    skews.sort()
    return Layout(float(heights[len(heights) // 2]) if heights else 0.0,
                  skews[len(skews) // 2] if skews else 0.0,
                  float(heights[len(heights) // 4]) if heights else 0.0)


def orientation(image: Image) -> tuple[int, float]:
    """Degrees clockwise the page must turn to stand upright (0, 90, 180, 270), and tesseract's confidence;
    (0, 0.0) where the orientation data is missing or the page has too little text to tell."""
    folder = tessdata()
    if folder is None or not (folder / "osd.traineddata").is_file():
        return 0, 0.0
    api = _engine("osd")
    api.SetImage(image)
    found = api.DetectOrientationScript()
    if not found:
        return 0, 0.0
    return int(found["orient_deg"]) % 360, float(found["orient_conf"])
