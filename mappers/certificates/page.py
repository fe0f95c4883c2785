"""A certificate's lines as the reader weighs them: text cleaned of the ways real PDFs draw it, with its layout.

Real certificates draw the same text more than once (a text layer over an image of itself, fake bold by
overprinting two or three times), space the letters of a heading apart ("C E R T I F I C A T E"), and put
everything in centred lines of very different sizes. `page_lines` undoes the first two and keeps each
line's style (extractors.model.LineStyle) beside its text; `Page` answers what the field readers ask of
the layout: how prominent a line is, which lines stand above, below or beside another.
"""
from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from extractors.model import LineStyle

__all__ = ["Line", "Page", "page_lines"]

# Lines whose tops differ by less than this share a row (points; OCR boxes wobble).
SAME_ROW_PT = 4.0
# Segments of one row closer than this many text heights are one line (OCR splits tracked headings apart).
JOIN_GAP_EM = 1.2
# A line counts as large when its text is this much taller than the page's body text.
LARGE_RATIO = 1.25

_SPACES = re.compile(r"[ \t\xa0\u2002-\u200b]+")
_YEAR_ALONE = re.compile(r"^(?:19|20)\d\d\s*[.,]?$")
_ENDS_DAY_MONTH = re.compile(r"\b\d{1,2}(?:st|nd|rd|th|er|\.)?\s+[^\W\d_]{3,}\.?,?$|\b[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?$")
_LETTER_RUN = re.compile(r"(?<!\S)(?:[^\W\d_]|\d)(?: (?:[^\W\d_]|\d)){2,}(?!\S)")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the page: 0-based `number` in the block as given, the cleaned text, its style if known."""

    number: int
    text: str
    style: LineStyle | None = None

    @property
    def size(self) -> float:
        return self.style.size if self.style is not None else 0.0

    @property
    def bold(self) -> bool:
        return self.style.bold if self.style is not None else False


def _unspace(text: str) -> str:
    """'C E R T I F I C A T E   O F   C O M P L E T I O N' -> 'CERTIFICATE OF COMPLETION'.

    Wider gaps (two spaces or more) separate the words; a run of single letters between them is one word.
    """
    if not _LETTER_RUN.search(text):
        return _SPACES.sub(" ", text).strip()
    words = [part.replace(" ", "") if len(part) >= 3 and all(len(w) == 1 for w in part.split())
             else _LETTER_RUN.sub(lambda m: m.group(0).replace(" ", ""), part) for part in re.split(r"\s{2,}", text)]
    return _SPACES.sub(" ", " ".join(words)).strip()


def _undouble(text: str) -> str:
    """'CCeerrttiiffiiccaattee' (each letter overprinted twice, read as two) -> 'Certificate'."""
    words = text.split()
    doubled = [w for w in words if len(w) >= 4 and len(w) % 2 == 0 and all(w[i] == w[i + 1] for i in range(0, len(w), 2))]
    if not words or len(doubled) * 2 <= len(words):
        return text
    return " ".join(w[::2] if w in doubled else w for w in words)


def _same_place(a: Line, b: Line) -> bool:
    if a.style is None or b.style is None:
        return True
    return abs(a.style.top - b.style.top) <= SAME_ROW_PT and abs(a.style.x0 - b.style.x0) <= SAME_ROW_PT * 3


def page_lines(lines: Sequence[str], styles: Sequence[LineStyle] = ()) -> list[Line]:
    """The block's lines cleaned: spaced letters joined, overprinted letters undoubled, text drawn twice once."""
    known = len(styles) == len(lines)
    out: list[Line] = []
    for number, raw in enumerate(lines):
        text = _undouble(_unspace(raw.replace("\x00", "")))
        if not text:
            continue
        line = Line(number, text, styles[number] if known else None)
        if out and _YEAR_ALONE.match(text) and _ENDS_DAY_MONTH.search(out[-1].text):
            out[-1] = Line(out[-1].number, f"{out[-1].text} {text}", out[-1].style)   # a date wrapped before its year
            continue
        if any(seen.text == text and _same_place(seen, line) for seen in out[-3:]):
            continue   # a second text layer, or an overprint read as its own line
        if out and _one_row(out[-1], line):
            out[-1] = _joined(out[-1], line)   # words of one heading set far apart ('THIS   CERTIFIES   THAT')
            continue
        out.append(line)
    return out


def _one_row(a: Line, b: Line) -> bool:
    """b continues a on its row: same top and size, and the gap between them narrower than the text is tall."""
    if a.style is None or b.style is None or a.size <= 0:
        return False
    sa, sb = a.style, b.style
    return (abs(sa.top - sb.top) <= 0.25 * a.size and abs(a.size - b.size) <= 0.1 * a.size
            and 0 <= sb.x0 - sa.x1 <= JOIN_GAP_EM * a.size)


def _joined(a: Line, b: Line) -> Line:
    sa, sb = a.style or LineStyle(a.size), b.style or LineStyle(b.size)
    style = LineStyle(sa.size, sa.bold and sb.bold, min(sa.top, sb.top), sa.x0, sb.x1, sa.page_width)
    return Line(a.number, f"{a.text} {b.text}", style)


@dataclass(frozen=True)
class Page:
    """The lines of one certificate and what the layout says of them."""

    lines: tuple[Line, ...]

    @cached_property
    def styled(self) -> bool:
        return bool(self.lines) and all(line.style is not None and line.size > 0 for line in self.lines)

    @cached_property
    def body_size(self) -> float:
        """The size of the page's running text: the median of its lines' sizes, weighted by their length."""
        if not self.styled:
            return 0.0
        sizes = [line.size for line in self.lines for _ in range(max(1, len(line.text) // 10))]
        return statistics.median(sizes)

    @cached_property
    def size_ranks(self) -> dict[float, int]:
        """Each distinct size's rank, 0 for the largest."""
        return {size: rank for rank, size in enumerate(sorted({line.size for line in self.lines}, reverse=True))}

    def prominence(self, line: Line) -> float:
        """0 for body text; up to 2 for the largest line, more for bold; 0 where the layout is unknown."""
        if not self.styled or self.body_size <= 0:
            return 0.0
        ratio = line.size / self.body_size
        score = min(max(ratio - 1.0, 0.0) * 2.0, 2.0)
        if self.size_ranks.get(line.size, 9) <= 1 and ratio >= LARGE_RATIO:
            score += 0.5
        if line.bold and ratio >= 1.0:
            score += 0.3
        return score

    def is_large(self, line: Line) -> bool:
        return self.styled and line.size >= self.body_size * LARGE_RATIO

    def index(self, line: Line) -> int:
        return self.lines.index(line)

    def neighbours(self, line: Line) -> list[Line]:
        """Lines that may hold a label's value: the next and previous lines in reading order, and where the
        layout is known, the lines of the row beside it and the nearest lines straight above and below."""
        at = self.index(line)
        near = [self.lines[i] for i in (at + 1, at - 1) if 0 <= i < len(self.lines)]
        if not self.styled or line.style is None:
            return near
        style = line.style
        beside = [o for o in self.lines if o is not line and o.style is not None
                  and abs(o.style.top - style.top) <= SAME_ROW_PT and o.style.x0 >= style.x1 - 1]
        column = [o for o in self.lines if o is not line and o.style is not None and _overlap(o.style, style)
                  and abs(o.style.top - style.top) > SAME_ROW_PT]
        below = sorted((o for o in column if o.style is not None and o.style.top > style.top),
                       key=lambda o: o.style.top if o.style else 0.0)[:1]
        above = sorted((o for o in column if o.style is not None and o.style.top < style.top),
                       key=lambda o: -(o.style.top if o.style else 0.0))[:1]
        ordered = [*sorted(beside, key=lambda o: o.style.x0 if o.style else 0.0)[:1], *below, *above, *near]
        return list(dict.fromkeys(ordered))

    def following(self, line: Line, count: int = 1) -> list[Line]:
        at = self.index(line)
        return list(self.lines[at + 1:at + 1 + count])

    def preceding(self, line: Line) -> Line | None:
        at = self.index(line)
        return self.lines[at - 1] if at > 0 else None

    def near_top(self, line: Line) -> bool:
        """In the top fifth of the page (or among the first three lines where the layout is unknown)."""
        style = line.style
        if self.styled and style is not None:
            tops = [o.style.top for o in self.lines if o.style is not None]
            low, high = min(tops), max(tops)
            return high > low and (style.top - low) / (high - low) <= 0.2
        return self.index(line) < 3


def _overlap(a: LineStyle, b: LineStyle) -> bool:
    """The two lines share some of their horizontal extent (a label above or below its value)."""
    if a.x1 <= a.x0 or b.x1 <= b.x0:
        return False
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0.3 * min(a.x1 - a.x0, b.x1 - b.x0)
