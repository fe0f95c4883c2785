"""Tables drawn with ruling lines or cell borders, as pdfplumber's table finder sees them."""
from __future__ import annotations

import re
from typing import Any

from .fragments import Fragment, FragmentRow

__all__ = ["ruled_fragments", "clean_cell"]

# A "table" of fewer rows or columns is a frame, a box around a paragraph or a signature line.
MIN_ROWS = 2
MIN_COLUMNS = 2
# Share of cells that must hold text: a page border found as a big empty grid is not a table.
MIN_FILLED_SHARE = 0.25

_HYPHEN_BREAK = re.compile(r"(?<=\w)-\n(?=\w)")
_SPACES = re.compile(r"\s+")


def clean_cell(value: object) -> str:
    """A cell's text on one line: wrapped lines joined with a space, a hyphen at a break kept."""
    if value is None:
        return ""
    text = _HYPHEN_BREAK.sub("-", str(value))
    return _SPACES.sub(" ", text).strip()


def ruled_fragments(page: Any, page_number: int) -> list[Fragment]:
    """The page's ruled tables, each as a fragment; frames and empty grids are left out."""
    fragments = []
    for table in page.find_tables():
        rows = [[clean_cell(cell) for cell in row] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        width = max((len(row) for row in rows), default=0)
        cells = sum(len(row) for row in rows)
        filled = sum(1 for row in rows for cell in row if cell)
        if len(rows) < MIN_ROWS or width < MIN_COLUMNS or filled < MIN_FILLED_SHARE * cells:
            continue
        x0, top, _, bottom = table.bbox
        fragments.append(
            Fragment(
                kind="ruled",
                page=page_number,
                top=float(top),
                bottom=float(bottom),
                columns=_column_lefts(table, float(x0)),
                rows=[FragmentRow(row + [""] * (width - len(row)), page_number) for row in rows],
            )
        )
    return fragments


def _column_lefts(table: Any, x0: float) -> tuple[float, ...]:
    lefts: set[float] = set()
    for row in table.rows:
        for cell in row.cells:
            if cell is not None:
                lefts.add(round(float(cell[0]), 1))
    return tuple(sorted(lefts)) or (x0,)
