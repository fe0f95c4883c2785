"""Where a scanned page holds several documents, and how each line of a text block stands on its page.

Certificate generators print a batch several to a sheet (a 2x2 grid of certificates on one image, one per
learner) and members photograph or scan those sheets. Between the copies run wide empty gutters across the
whole sheet, and the copies on either side of one look alike: the same template's words, the same largest
text. A page is cut along such gutters only (recursively, so grids come apart), never along the white space
inside one certificate, whose parts differ (a large title above, small signatures below).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import LineStyle
from ..pdf.lines import TextLine, Word

__all__ = ["regions", "styled_segments"]

# A gutter is at least this share of the page across, and this many text heights.
GUTTER_SHARE = 0.04
GUTTER_HEIGHTS = 2.5
MIN_WORDS = 8
MIN_LINES = 3
# Two parts are copies of one template when they are alike in size and share this much vocabulary.
MIN_SHARED_WORDS = 0.3
MIN_WORD_RATIO = 0.35
MIN_SIZE_RATIO = 0.7
MAX_DEPTH = 4
_VOCABULARY = re.compile(r"[^\W\d_]{3,}")


def regions(words: Sequence[Word], width: float, height: float) -> list[list[Word]]:
    """The page's words as one list per document on it (one list where it holds one), in reading order."""
    return _cut(list(words), MAX_DEPTH)


def _cut(words: list[Word], depth: int) -> list[list[Word]]:
    if depth == 0 or len(words) < 2 * MIN_WORDS:
        return [words]
    for vertical in (False, True):          # rows first: a grid comes apart in reading order
        split = _split(words, vertical)
        if split is not None:
            first, second = split
            return _cut(first, depth - 1) + _cut(second, depth - 1)
    return [words]


def _split(words: list[Word], vertical: bool) -> tuple[list[Word], list[Word]] | None:
    """The widest gutter across all of `words` (a vertical one splits left from right) whose two sides look
    like copies of one document, as (before, after); None where there is none."""
    spans = sorted((w.x0, w.x1) if vertical else (w.top, w.bottom) for w in words)
    low, high = spans[0][0], max(end for _, end in spans)
    text_height = sorted(w.height for w in words)[len(words) // 2]
    least = max(GUTTER_SHARE * (high - low), GUTTER_HEIGHTS * text_height)
    gaps: list[tuple[float, float]] = []
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start - reach >= least:
            gaps.append((start - reach, (start + reach) / 2))
        reach = max(reach, end)
    for _, at in sorted(gaps, reverse=True):
        before = [w for w in words if ((w.x0 + w.x1) / 2 if vertical else (w.top + w.bottom) / 2) < at]
        after = [w for w in words if ((w.x0 + w.x1) / 2 if vertical else (w.top + w.bottom) / 2) >= at]
        if _alike(before, after):
            return before, after
    return None


def _alike(first: list[Word], second: list[Word]) -> bool:
    if min(len(first), len(second)) < MIN_WORDS or min(len(first), len(second)) / max(len(first), len(second)) < MIN_WORD_RATIO:
        return False
    if min(_lines(first), _lines(second)) < MIN_LINES:
        return False
    big_first, big_second = _large(first), _large(second)
    if min(big_first, big_second) / max(big_first, big_second) < MIN_SIZE_RATIO:
        return False
    one, two = _vocabulary(first), _vocabulary(second)
    return bool(one and two) and len(one & two) / min(len(one), len(two)) >= MIN_SHARED_WORDS


def _large(words: list[Word]) -> float:
    """The size of the large text (the 90th percentile of word heights: one misread scribble is not a title)."""
    heights = sorted(w.height for w in words)
    return heights[int(0.9 * (len(heights) - 1))]


def _lines(words: list[Word]) -> int:
    return len({round(w.top / max(w.height, 1.0)) for w in words})


def _vocabulary(words: list[Word]) -> set[str]:
    return {m.group().casefold() for w in words for m in _VOCABULARY.finditer(w.text)}


def styled_segments(lines: Sequence[TextLine], left: float, top: float, width: float,
                    ) -> tuple[tuple[str, ...], tuple[LineStyle, ...]]:
    """Each line's segments as a TextBlock's lines, each with its LineStyle: size is the words' height (the
    text line's box for OCR, the font size for a PDF), positions from (`left`, `top`) of a `width` page."""
    texts: list[str] = []
    styles: list[LineStyle] = []
    for line in lines:
        for segment in line.segments:
            texts.append(" ".join(w.text for w in segment))
            styles.append(LineStyle(size=round(max(w.height for w in segment), 2),
                                    top=round(min(w.top for w in segment) - top, 2),
                                    x0=round(segment[0].x0 - left, 2), x1=round(segment[-1].x1 - left, 2),
                                    page_width=round(width, 2)))
    return tuple(texts), tuple(styles)
