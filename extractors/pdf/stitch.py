"""Fragments stitched into logical tables: one table over several pages, its repeated header
dropped, a row cut by a page break rejoined, totals lines left out."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Location, Row, Table
from .columns import TOTAL_LINE
from .fragments import Band, Fragment, FragmentRow

__all__ = ["TableBuilder"]

# Two fragments are the same table when their column edges agree within this many points.
COLUMN_TOLERANCE_PT = 6.0
# A column filled on this share of rows is one every row fills ("dense").
DENSE_SHARE = 0.9
# Context kept above a table: at most this many lines.
MAX_CONTEXT_LINES = 15

_SPACES = re.compile(r"\s+")


def _norm(cells: Sequence[str]) -> tuple[str, ...]:
    return tuple(_SPACES.sub(" ", cell).strip().casefold() for cell in cells)


@dataclass(slots=True)
class _Logical:
    kind: str
    columns: tuple[float, ...]
    bands: tuple[Band, ...]
    context: tuple[str, ...]
    header: tuple[str, ...] | None
    rows: list[FragmentRow] = field(default_factory=list)


class TableBuilder:
    """Receives each page's fragments in reading order and keeps the logical tables."""

    def __init__(self) -> None:
        self._tables: list[_Logical] = []
        self._open = False  # the last table may continue on the next fragment

    @property
    def open_text_bands(self) -> tuple[Band, ...] | None:
        if self._open and self._tables and self._tables[-1].kind == "text":
            return self._tables[-1].bands
        return None

    def interrupt(self) -> None:
        """Text that belongs to no table came after the last table: the next fragment starts anew."""
        self._open = False

    def add(self, fragment: Fragment, context: Sequence[str]) -> None:
        current = self._tables[-1] if self._tables else None
        if self._open and current is not None and self._continues(current, fragment):
            self._merge(current, fragment)
        else:
            self._start(fragment, context)
        self._open = True

    def tables(self) -> tuple[Table, ...]:
        out = []
        for number, logical in enumerate(self._tables, start=1):
            rows = tuple(
                Row(Location(page=row.page, table=number, row=index), tuple(row.cells))
                for index, row in enumerate(logical.rows, start=1)
            )
            header_rows = 1 if logical.header is not None else None
            out.append(Table(f"Table {number}", rows, logical.context, header_rows))
        return tuple(out)

    def _continues(self, current: _Logical, fragment: Fragment) -> bool:
        if fragment.kind != current.kind or len(fragment.columns) != len(current.columns):
            return False
        if fragment.kind == "text" and not fragment.has_header:
            return True  # built from the open table's own bands
        first = fragment.rows[0].cells if fragment.rows else []
        if current.header is not None and _norm(first) == current.header:
            return True
        return all(abs(a - b) <= COLUMN_TOLERANCE_PT for a, b in zip(fragment.columns, current.columns))

    def _start(self, fragment: Fragment, context: Sequence[str]) -> None:
        rows = [row for row in fragment.rows if not _is_total(row)]
        for row in rows:
            row.continues = False
        header = rows[0].cells if rows and (fragment.has_header or _looks_like_header(rows)) else None
        self._tables.append(
            _Logical(
                fragment.kind,
                fragment.columns,
                fragment.bands,
                tuple(context[-MAX_CONTEXT_LINES:]),
                _norm(header) if header is not None else None,
                rows,
            )
        )

    def _merge(self, current: _Logical, fragment: Fragment) -> None:
        rows = list(fragment.rows)
        while rows and current.header is not None and _norm(rows[0].cells) == current.header:
            rows.pop(0)
        if rows and current.rows and (rows[0].continues or _cut_row(current.rows, rows[0])):
            tail = rows.pop(0)
            for i, cell in enumerate(tail.cells[: len(current.rows[-1].cells)]):
                if cell:
                    current.rows[-1].cells[i] = f"{current.rows[-1].cells[i]} {cell}".strip()
        current.rows.extend(row for row in rows if not _is_total(row))


def _is_total(row: FragmentRow) -> bool:
    first = next((cell for cell in row.cells if cell), "")
    return bool(TOTAL_LINE.match(first)) and row.filled() * 2 <= len(row.cells) + 1


def _looks_like_header(rows: Sequence[FragmentRow]) -> bool:
    first = rows[0].cells
    if sum(1 for cell in first if cell) * 2 < len(first):
        return False
    if any(ch.isdigit() for cell in first for ch in cell):
        return False
    return any(ch.isdigit() for row in rows[1:] for cell in row.cells for ch in cell)


def _cut_row(previous: Sequence[FragmentRow], row: FragmentRow) -> bool:
    """A ruled row at the top of a page that misses most columns every other row fills."""
    if len(previous) < 3:
        return False
    width = len(row.cells)
    dense = [
        i for i in range(width)
        if sum(1 for r in previous if i < len(r.cells) and r.cells[i]) >= DENSE_SHARE * len(previous)
    ]
    missing = sum(1 for i in dense if not row.cells[i])
    return bool(dense) and missing * 2 >= len(dense)
