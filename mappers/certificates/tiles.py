"""Several certificates on one page: a sheet of attendance certificates printed four to a page, one per learner.

The sign is a repeated structure: the same heading ('Certificate of attendance') two or more times. Where the
layout is known, each line goes to the certificate whose heading stands in its column, the boundary between two
certificates of a column lying at the widest vertical gap between their headings (a letterhead above the next
heading belongs to it). Where it is not, a certificate begins at each heading.
"""
from __future__ import annotations

import re
from collections import Counter

from .page import Line
from .vocabulary import fold, vocabulary

__all__ = ["split", "heading_like"]

# Heading-like lines: the document types, or a short line with a certificate word in it.
_CERT_WORD = re.compile(r"\b(?:certif\w*|attest\w*|bescheinig\w*|zertifikat\w*|teilnahme\w*|constancia|diploma|"
                        r"award)\b", re.IGNORECASE)
MAX_HEADING_WORDS = 8


def _anchors(lines: list[Line]) -> list[Line]:
    """The lines of the most repeated heading, when one repeats."""
    keys = Counter(fold(line.text) for line in lines if heading_like(line.text))
    if not keys:
        return []
    key, count = keys.most_common(1)[0]
    return [line for line in lines if fold(line.text) == key] if count >= 2 else []


def heading_like(text: str) -> bool:
    """A short line naming a certificate: a document type, or a certificate word in eight words or fewer."""
    folded = fold(text)
    return (folded in vocabulary().document_types or bool(_CERT_WORD.search(text))) and \
        len(folded.split()) <= MAX_HEADING_WORDS


def _centre(line: Line) -> float:
    return (line.style.x0 + line.style.x1) / 2 if line.style is not None else 0.0


def _top(line: Line) -> float:
    return line.style.top if line.style is not None else 0.0


def _columns(anchors: list[Line]) -> list[list[Line]]:
    width = max((a.style.page_width for a in anchors if a.style is not None), default=0.0) or 600.0
    columns: list[list[Line]] = []
    for anchor in sorted(anchors, key=_centre):
        if columns and abs(_centre(anchor) - _centre(columns[-1][-1])) < 0.15 * width:
            columns[-1].append(anchor)
        else:
            columns.append([anchor])
    return [sorted(column, key=_top) for column in columns]


def _boundaries(column: list[Line], members: list[Line]) -> list[float]:
    """For each heading after the first, the top where its certificate begins (the widest gap above it)."""
    out = []
    for prev, anchor in zip(column, column[1:]):
        tops = sorted({_top(m) for m in members if _top(prev) < _top(m) < _top(anchor)} | {_top(anchor)})
        gaps = [(b - a, b) for a, b in zip([_top(prev), *tops], tops)]
        out.append(max(gaps)[1] if gaps else _top(anchor))
    return out


def _by_layout(lines: list[Line], anchors: list[Line]) -> list[list[Line]]:
    columns = _columns(anchors)
    centres = [sum(_centre(a) for a in column) / len(column) for column in columns]
    tiles: dict[int, list[Line]] = {a.number: [] for a in anchors}
    members: list[list[Line]] = [[] for _ in columns]
    for line in lines:
        members[min(range(len(columns)), key=lambda i: abs(_centre(line) - centres[i]))].append(line)
    for column, found in zip(columns, members):
        bounds = _boundaries(column, found)
        for line in found:
            tiles[column[sum(1 for b in bounds if _top(line) >= b - 0.5)].number].append(line)
    ordered = sorted(anchors, key=lambda a: (round(_top(a) / 20), _centre(a)))
    return [sorted(tiles[a.number], key=lambda line: (_top(line), _centre(line))) for a in ordered if tiles[a.number]]


def _in_order(lines: list[Line], anchors: list[Line]) -> list[list[Line]]:
    starts = {a.number for a in anchors}
    tiles: list[list[Line]] = []
    for line in lines:
        if line.number in starts or not tiles:
            tiles.append([])
        tiles[-1].append(line)
    return tiles


def split(lines: list[Line]) -> list[list[Line]]:
    """The certificates on the page, each as its lines in reading order; one where nothing repeats."""
    anchors = _anchors(lines)
    if len(anchors) < 2:
        return [lines]
    if all(line.style is not None for line in lines):
        return _by_layout(lines, anchors)
    return _in_order(lines, anchors)
