"""Text lines of one PDF page: words grouped by baseline, split into segments at wide gaps.

A segment is a run of words whose gaps look like spaces; a wider gap separates two segments
("Learner: Aisha Rahman      Department: Trust Administration", or two cells of a table drawn
with text only). Page furniture (page numbers, "Printed on ..." stamps in the margins, lines
repeated at the same place on every page) is recognised here so that tables and title blocks
are read without it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Word", "TextLine", "group_lines", "is_page_furniture", "RunningLines"]

# A gap wider than this many times the text height ends a segment (a normal space is ~0.25).
SEGMENT_GAP_EM = 0.6
# Words whose tops differ by less than this share a line (fraction of the word height).
SAME_LINE_EM = 0.4
# Page margins, as a fraction of the page height, where running headers and footers live.
MARGIN_FRACTION = 0.1
# Two lines repeated on two pages are "the same place" within this many points.
RUNNING_TOLERANCE_PT = 4.0

_PAGE_NUMBER = re.compile(
    r"\bpage\s*\d+\s*(?:of|/|von|de|sur)\s*\d+\b|^\s*(?:page\s*)?[-–]?\s*\d{1,4}\s*[-–]?\s*$|^\s*\d+\s*/\s*\d+\s*$",
    re.IGNORECASE,
)
_MARGIN_STAMP = re.compile(
    r"^\s*(?:printed|generated|produced|exported|downloaded|run)\b|\bprinted (?:on|from|by|at)\b"
    r"|^\s*(?:confidential|strictly confidential)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Word:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass(frozen=True, slots=True)
class TextLine:
    page: int
    words: tuple[Word, ...]
    segments: tuple[tuple[Word, ...], ...] = field(default=())

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def height(self) -> float:
        return max(w.height for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def segment_texts(self) -> tuple[str, ...]:
        return tuple(" ".join(w.text for w in seg) for seg in self.segments)


def _segments(words: Sequence[Word]) -> tuple[tuple[Word, ...], ...]:
    out: list[list[Word]] = [[words[0]]]
    for prev, word in zip(words, words[1:]):
        if word.x0 - prev.x1 > SEGMENT_GAP_EM * max(prev.height, word.height):
            out.append([word])
        else:
            out[-1].append(word)
    return tuple(tuple(seg) for seg in out)


def group_lines(raw_words: Iterable[dict[str, Any]], page_number: int) -> list[TextLine]:
    """pdfplumber's `extract_words` output as lines, top to bottom, words left to right."""
    words = sorted(
        (Word(float(w["x0"]), float(w["x1"]), float(w["top"]), float(w["bottom"]), str(w["text"])) for w in raw_words),
        key=lambda w: (w.top, w.x0),
    )
    groups: list[list[Word]] = []
    for word in words:
        if groups and abs(word.top - groups[-1][0].top) <= SAME_LINE_EM * groups[-1][0].height:
            groups[-1].append(word)
        else:
            groups.append([word])
    lines = []
    for group in groups:
        ordered = tuple(sorted(group, key=lambda w: w.x0))
        lines.append(TextLine(page_number, ordered, _segments(ordered)))
    return lines


def is_page_furniture(line: TextLine, page_height: float) -> bool:
    """A page number anywhere, or a print stamp in the top or bottom margin."""
    text = line.text
    if _PAGE_NUMBER.search(text) and len(text) < 120:
        return True
    in_margin = line.bottom < page_height * MARGIN_FRACTION or line.top > page_height * (1 - MARGIN_FRACTION)
    return in_margin and bool(_MARGIN_STAMP.search(text))


class RunningLines:
    """Remembers each page's lines so later pages can drop the ones repeated at the same place."""

    def __init__(self) -> None:
        self._seen: dict[str, list[float]] = {}

    def is_repeat(self, line: TextLine) -> bool:
        return any(abs(top - line.top) <= RUNNING_TOLERANCE_PT for top in self._seen.get(line.text, ()))

    def seen(self, line: TextLine) -> bool:
        """The same text was in an earlier page's header or footer zone, wherever it stood."""
        return line.text in self._seen

    def remember(self, lines: Iterable[TextLine]) -> None:
        for line in lines:
            tops = self._seen.setdefault(line.text, [])
            if len(tops) < 4:
                tops.append(line.top)
