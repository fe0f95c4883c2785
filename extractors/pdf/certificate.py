"""A page without a table as a TextBlock with its layout: the lines a certificate reader weighs.

Each line of the block is a segment of a text line (see `lines`), with a `LineStyle`: the median size of its
characters, bold where most of them are in a font whose name says Bold / Black / Heavy / Semibold / Demi, its top
and horizontal extent, and the page's width. Real certificates need three repairs first:

- text drawn more than once (a text layer over its own image, fake bold by overprinting two or three times):
  when many characters sit on top of an identical one, the page's characters are de-duplicated
  (pdfplumber's `dedupe_chars`) and its words read again;
- headings with their letters spaced apart ("C E R T I F I C A T E"): a segment's text is rebuilt from its
  characters, with a space where one is drawn or where a gap is wider than the segment's usual letter gap;
- words of one heading set far apart by tracking ("CERTIFICATE   OF   COMPLETION"): segments of one row closer
  than a line's height and of one size are one line.
"""
from __future__ import annotations

import bisect
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import LineStyle, Location, TextBlock
from .lines import TextLine, Word, group_lines, is_page_furniture

__all__ = ["PageText", "page_text", "certificate_block"]

# A page is overprinted when this share of its characters sit on an identical one.
OVERPRINT_SHARE = 0.15
# Two characters are "the same place" within this many points.
OVERPRINT_TOLERANCE_PT = 1.5
# Segments of one row closer than this many line heights (and of one size) are one line.
JOIN_GAP_EM = 1.0
# A gap between two letters wider than the segment's usual one by this share of the text size is a space.
WORD_GAP_EM = 0.2
_BOLD = re.compile(r"bold|black|heavy|semibold|demi|extrabold|ultrabold", re.IGNORECASE)


# What a certificate reading needs of a character (pdfplumber's dicts carry some twenty keys).
_CHAR_KEYS = ("text", "x0", "x1", "top", "bottom", "size", "fontname")


@dataclass(frozen=True, slots=True)
class PageText:
    """What a certificate reading needs of one page, taken while the page is open, so that the page's lines
    can be weighed later (or in another process): its width, its characters (de-duplicated where it is
    overprinted), and an overprinted page's lines read again from the de-duplicated characters."""

    width: float
    chars: tuple[dict[str, Any], ...]
    reread: tuple[TextLine, ...] | None = None


def page_text(page: Any, number: int) -> PageText:
    """The `PageText` of an open pdfplumber page (page `number` of its document)."""
    chars = page.chars
    reread = None
    if _overprinted(chars):
        page = page.dedupe_chars(tolerance=OVERPRINT_TOLERANCE_PT)
        chars = page.chars
        height = float(page.height)
        reread = tuple(line for line in group_lines(page.extract_words(), number) if not is_page_furniture(line, height))
    return PageText(float(page.width), tuple({key: ch[key] for key in _CHAR_KEYS if key in ch} for ch in chars),
                    reread)


def certificate_block(page: PageText, content: Sequence[TextLine], number: int) -> TextBlock | None:
    """The page's content lines as one TextBlock with a LineStyle per line; None when it holds no text."""
    if page.reread is not None:
        content = _reread(page.reread, content)
    width = page.width
    index = _Chars(page.chars)
    texts: list[str] = []
    styles: list[LineStyle] = []
    for line in content:
        near = index.between(line.top - 1.0, line.bottom + 1.0)
        for segment in _joined_segments(line, near):
            text = _segment_text(segment, near)
            if text:
                texts.append(text)
                styles.append(_style(segment, near, width))
    return TextBlock(Location(page=number), tuple(texts), tuple(styles)) if texts else None


class _Chars:
    """The page's characters sorted by their middle's height, so that a line finds its own by bisection."""

    def __init__(self, chars: Sequence[dict[str, Any]]) -> None:
        self.chars = sorted(chars, key=_middle)
        self.middles = [_middle(ch) for ch in self.chars]

    def between(self, top: float, bottom: float) -> list[dict[str, Any]]:
        return self.chars[bisect.bisect_left(self.middles, top):bisect.bisect_right(self.middles, bottom)]


def _middle(ch: dict[str, Any]) -> float:
    return (float(ch["top"]) + float(ch["bottom"])) / 2


def _overprinted(chars: Sequence[dict[str, Any]]) -> bool:
    if not chars:
        return False
    seen: set[tuple[str, int, int]] = set()
    repeats = 0
    for ch in chars:
        key = (str(ch.get("text", "")), round(float(ch["x0"]) / OVERPRINT_TOLERANCE_PT),
               round(float(ch["top"]) / OVERPRINT_TOLERANCE_PT))
        if key in seen:
            repeats += 1
        seen.add(key)
    return repeats >= OVERPRINT_SHARE * len(chars)


def _reread(lines: Sequence[TextLine], content: Sequence[TextLine]) -> list[TextLine]:
    """The de-duplicated page's lines, where the first reading kept a line at that height (furniture stays out)."""
    tops = [line.top for line in content]
    return [line for line in lines if any(abs(line.top - top) <= 2.0 for top in tops)]


def _joined_segments(line: TextLine, chars: Sequence[dict[str, Any]]) -> list[tuple[Word, ...]]:
    out: list[list[Word]] = []
    for segment in line.segments:
        if out:
            prev = out[-1]
            gap = segment[0].x0 - prev[-1].x1
            height = max(w.height for w in (*prev, *segment))
            if gap <= JOIN_GAP_EM * height and abs(_size(prev, chars) - _size(segment, chars)) < 0.5:
                prev.extend(segment)
                continue
        out.append(list(segment))
    return [tuple(seg) for seg in out]


def _segment_text(words: Sequence[Word], chars: Sequence[dict[str, Any]]) -> str:
    """The segment's text rebuilt from its characters, left to right: a space where the PDF draws one, or where
    the gap is wider than the segment's usual gap between letters by a fifth of the text size. Tracked headings
    ("C E R T I F I C A T E", letters set apart by character spacing) so read as words, not as letters."""
    inside = sorted(_inside(words, chars, keep_spaces=True), key=lambda ch: float(ch["x0"]))
    if not inside:
        return " ".join(w.text for w in words).strip()
    letters = [ch for ch in inside if str(ch.get("text", "")).strip()]
    gaps = [float(b["x0"]) - float(a["x1"]) for a, b in zip(letters, letters[1:])]
    usual = statistics.median(gaps) if gaps else 0.0
    out = [str(inside[0].get("text", ""))]
    for prev, ch in zip(inside, inside[1:]):
        text = str(ch.get("text", ""))
        size = float(ch.get("size", 0.0)) or (float(ch["bottom"]) - float(ch["top"]))
        if text.strip() and str(prev.get("text", "")).strip() and \
                float(ch["x0"]) - float(prev["x1"]) > max(usual, 0.0) + WORD_GAP_EM * size:
            out.append(" ")
        out.append(text)
    return " ".join("".join(out).split())


def _inside(words: Sequence[Word], chars: Sequence[dict[str, Any]], keep_spaces: bool = False) -> list[dict[str, Any]]:
    x0, x1 = words[0].x0 - 0.5, words[-1].x1 + 0.5
    top, bottom = min(w.top for w in words) - 0.5, max(w.bottom for w in words) + 0.5
    return [ch for ch in chars if x0 <= (float(ch["x0"]) + float(ch["x1"])) / 2 <= x1
            and top <= (float(ch["top"]) + float(ch["bottom"])) / 2 <= bottom
            and (keep_spaces or str(ch.get("text", "")).strip())]


def _size(words: Sequence[Word], chars: Sequence[dict[str, Any]]) -> float:
    inside = _inside(words, chars)
    if not inside:
        return max(w.height for w in words)
    return float(statistics.median(float(ch.get("size", 0.0)) for ch in inside))


def _style(words: Sequence[Word], chars: Sequence[dict[str, Any]], width: float) -> LineStyle:
    inside = _inside(words, chars)
    bold = sum(1 for ch in inside if _BOLD.search(str(ch.get("fontname", "")))) * 2 > len(inside) if inside else False
    return LineStyle(size=round(_size(words, chars), 2), bold=bold, top=round(min(w.top for w in words), 2),
                     x0=round(words[0].x0, 2), x1=round(words[-1].x1, 2), page_width=round(width, 2))
