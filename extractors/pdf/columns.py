"""Tables drawn with text only: columns inferred from where the words sit.

A header line with at least MIN_COLUMNS segments proposes the columns (one band per segment,
split halfway between neighbouring labels); the lines under it belong to the table while every
word falls inside one band and a change of band comes with a gap wider than a space. A line
filling a single column, or sitting closer to the line above than rows sit to each other, is
the wrapped continuation of the row above. A page that starts with lines fitting the bands of
the table left open on the previous page continues it (its repeated header was dropped as a
running line).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .fragments import Band, Fragment, FragmentRow
from .lines import TextLine

__all__ = ["text_fragments", "TOTAL_LINE"]

MIN_COLUMNS = 3
MIN_BODY_LINES = 2  # lines with two or more cells under a header before we call it a table
# A gap between two cells is at least this many times the text height (a space is ~0.25).
CELL_GAP_EM = 0.45
# A word may stick out of its band by this share of its width (right-aligned numbers, long labels).
STRAY_SHARE = 0.35
# A vertical gap above a line larger than this many line heights ends the table.
MAX_GAP_EM = 2.5
# Line pitches this much larger than the smallest mean that rows are padded apart...
PADDED_ROWS_RATIO = 1.35
# ...and then a line this close to the one above continues the row above.
CONTINUATION_RATIO = 1.15
# A line header repeated under the first one (two-line column labels) sits this close.
HEADER_SECOND_LINE_EM = 0.6
# A column label longer than this is a sentence, not a label.
MAX_LABEL_CHARS = 40
# How many lines under a header are looked at to place the column boundaries.
GUTTER_LINES = 80

TOTAL_LINE = re.compile(r"^\s*(?:grand\s+|sub-?\s*)?totals?\b", re.IGNORECASE)


def text_fragments(lines: Sequence[TextLine], open_bands: tuple[Band, ...] | None) -> list[Fragment]:
    """Text tables on one page; `lines` are the page's content lines, top to bottom."""
    fragments: list[Fragment] = []
    index = 0
    if open_bands and lines:
        body = _grow(lines, 0, open_bands, None)
        if body:
            fragments.append(_fragment(body, open_bands, None))
            index = len(body)
    while index < len(lines):
        line = lines[index]
        if len(line.segments) >= MIN_COLUMNS and _labels(line):
            found = _table_at(lines, index)
            if found is not None:
                fragment, used = found
                fragments.append(fragment)
                index += used
                continue
        index += 1
    return fragments


def _labels(line: TextLine) -> bool:
    """A header line names its columns: every segment holds a letter and none is a sentence."""
    texts = line.segment_texts()
    return all(any(ch.isalpha() for ch in text) and len(text) <= MAX_LABEL_CHARS for text in texts)


def _table_at(lines: Sequence[TextLine], index: int) -> tuple[Fragment, int] | None:
    header = lines[index]
    bands = _bands(header, _block_below(lines, index))
    start = index + 1
    header_cells = [" ".join(w.text for w in seg) for seg in header.segments]
    if start < len(lines) and _second_header_line(header, lines[start], bands):
        extra = _assign(lines[start], bands)
        if extra is not None:
            header_cells = [f"{a} {b}".strip() for a, b in zip(header_cells, extra)]
            start += 1
    body = _grow(lines, start, bands, lines[start - 1])
    if sum(1 for _, cells in body if sum(1 for c in cells if c) >= 2) < MIN_BODY_LINES:
        return None
    return _fragment(body, bands, (header, header_cells)), start - index + len(body)


def _block_below(lines: Sequence[TextLine], index: int) -> list[TextLine]:
    """The lines under the header up to the first wide vertical gap: where the gutters are looked for."""
    block: list[TextLine] = []
    above = lines[index]
    for line in lines[index + 1 : index + 1 + GUTTER_LINES]:
        if line.top - above.bottom > MAX_GAP_EM * above.height:
            break
        block.append(line)
        above = line
    return block


def _bands(header: TextLine, below: Sequence[TextLine]) -> tuple[Band, ...]:
    """One band per header segment, cut in the widest gutter the lines below leave between labels."""
    segs = header.segments
    spans = [(w.x0, w.x1) for line in below for w in line.words]
    cuts = [_gutter(prev[-1].x1, seg[0].x0, spans) for prev, seg in zip(segs, segs[1:])]
    lefts = [float("-inf"), *cuts]
    rights = [*cuts, float("inf")]
    return tuple(zip(lefts, rights))


def _gutter(left: float, right: float, spans: Sequence[tuple[float, float]]) -> float:
    """The x between two header labels that the fewest words cross, in the middle of the widest such run."""
    points = sorted({left, right, *(x for span in spans for x in span if left < x < right)})
    best: tuple[int, float, float] = (len(spans) + 1, 0.0, (left + right) / 2)
    for a, b in zip(points, points[1:]):
        middle = (a + b) / 2
        crossing = sum(1 for x0, x1 in spans if x0 < middle < x1)
        candidate = (crossing, -(b - a), middle)
        if candidate < best:
            best = candidate
    return best[2]


def _second_header_line(header: TextLine, line: TextLine, bands: tuple[Band, ...]) -> bool:
    if line.top - header.bottom > HEADER_SECOND_LINE_EM * header.height:
        return False
    if any(ch.isdigit() for ch in line.text):
        return False
    cells = _assign(line, bands)
    return cells is not None and len(line.segments) >= 1 and len(line.words) <= 2 * len(bands)


def _assign(line: TextLine, bands: tuple[Band, ...]) -> list[str] | None:
    """The line's words as one string per band, or None when the line does not sit in the bands."""
    cells: list[list[str]] = [[] for _ in bands]
    previous: tuple[int, float] | None = None
    for word in line.words:
        best, overlap = _best_band(word.x0, word.x1, bands)
        width = max(word.x1 - word.x0, 0.1)
        if width - overlap > STRAY_SHARE * width:
            return None
        if previous is not None and best != previous[0]:
            if best < previous[0] or word.x0 - previous[1] < CELL_GAP_EM * word.height:
                return None
        cells[best].append(word.text)
        previous = (best, word.x1)
    return [" ".join(words) for words in cells]


def _best_band(x0: float, x1: float, bands: tuple[Band, ...]) -> tuple[int, float]:
    best, best_overlap = 0, -1.0
    for i, (left, right) in enumerate(bands):
        overlap = min(x1, right) - max(x0, left)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best, max(best_overlap, 0.0)


def _grow(
    lines: Sequence[TextLine], start: int, bands: tuple[Band, ...], above: TextLine | None
) -> list[tuple[TextLine, list[str]]]:
    body: list[tuple[TextLine, list[str]]] = []
    for line in lines[start:]:
        if above is not None and line.top - above.bottom > MAX_GAP_EM * above.height:
            break
        if TOTAL_LINE.match(line.text):
            break
        cells = _assign(line, bands)
        if cells is None:
            break
        body.append((line, cells))
        above = line
    return body


def _fragment(
    body: list[tuple[TextLine, list[str]]], bands: tuple[Band, ...], header: tuple[TextLine, list[str]] | None
) -> Fragment:
    page = body[0][0].page if body else header[0].page if header else 0
    rows: list[FragmentRow] = []
    if header is not None:
        rows.append(FragmentRow(list(header[1]), page))
    pitches = [b[0].top - a[0].top for a, b in zip(body, body[1:])]
    smallest = min(pitches, default=0.0)
    padded = bool(pitches) and smallest > 0 and max(pitches) >= PADDED_ROWS_RATIO * smallest
    data_rows = 0
    for i, (line, cells) in enumerate(body):
        filled = sum(1 for cell in cells if cell)
        close = padded and i > 0 and pitches[i - 1] <= CONTINUATION_RATIO * smallest
        if filled <= 1 or close:
            if data_rows:
                _append(rows[-1], cells)
                continue
            rows.append(FragmentRow(cells, line.page, continues=True))
        else:
            rows.append(FragmentRow(cells, line.page))
        data_rows += 1
    top = header[0].top if header else body[0][0].top
    bottom = body[-1][0].bottom if body else top
    lefts = tuple(left if left != float("-inf") else body[0][0].x0 for left, _ in bands)
    return Fragment("text", page, top, bottom, lefts, rows, has_header=header is not None, bands=bands)


def _append(row: FragmentRow, cells: list[str]) -> None:
    for i, cell in enumerate(cells):
        if cell:
            row.cells[i] = f"{row.cells[i]} {cell}".strip()
