"""Label/value pairs from a table laid out as a form, or None for a table of rows.

Forms seen in the wild (bodies' "Plan / Act / Reflect" and "Plan / Do / Review / Reflect" records,
revalidation logs, firms' CPD templates in Word or printed to PDF):

    | What did you do?   | STEP Annual Conference     |      labels down the left, one answer beside each
    | When?              | 17-18 June 2025            |
    | How long?          | Two days                   |

    | Date | 12/03/2025 | Hours | 2 |                          label/value pairs across a row

    | What did you learn?                             |      a question spanning the table, its answer
    | The new registration rules for trusts...        |      in the row below

A row whose cells are all labels is a column header: a table that starts with one is a table of rows, not
a form. Headings inside the form ("Activity 3", "Reflect") are neither pairs nor rows and count for
nothing. Word repeats a merged cell's text in each grid column it covers, so repeated neighbours are one cell.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

from extractors.model import CellValue, Location, Table

from ..dates import read_date
from .labels import IGNORE, PLAN, is_field_name, label_field, looks_like_label

__all__ = ["Pair", "answer", "form_pairs", "is_plan_table", "MAX_FORM_ROWS"]

MAX_FORM_ROWS = 80        # a form table holds a few activities; a longer table is a record of rows
MIN_PAIR_ROWS = 2
PAIR_SHARE = 0.6          # of the rows that are not headings, this share at least hold label/value pairs
_MAX_DATE_TEXT = 40       # a date answer is short; longer text holding a date is a sentence
MIN_FIELDS = 2            # distinct fields named by the labels (a lone "Notes | ..." box is no form)


@dataclass(frozen=True, slots=True)
class Pair:
    """One answer on a form: its label as written, the field the label names (None: unknown), the value."""

    label: str
    field: str | None
    value: CellValue
    location: Location


def answer(label: str, value: CellValue, location: Location) -> Pair:
    """A label and its answer. A label that would name the title but whose answer is plainly a date is a date's
    label ("Date of course: 19 June 2025" holds the word "course"; its answer says what it is)."""
    field = label_field(label)
    if field == "title" and isinstance(value, str) and len(value) <= _MAX_DATE_TEXT \
            and any(ch.isdigit() for ch in value) and read_date(value).value is not None:
        field = "date"
    return Pair(label.strip(), field, value, location)


def form_pairs(table: Table) -> list[Pair] | None:
    """The table's label/value pairs in reading order, or None when the table is not laid out as a form."""
    if not isinstance(table.rows, Sequence):
        return None    # read from the file in passes (CSV, spreadsheets): a sheet of rows, never a Word form
    rows = list(islice(table.rows, MAX_FORM_ROWS + 1))
    if not rows or len(rows) > MAX_FORM_ROWS:
        return None
    filled = [_filled(row.cells) for row in rows]
    if len(filled[0]) >= 2 and all(_is_field_name(c) for c in filled[0]):
        return None    # a column header: a table of rows
    pairs: list[Pair] = []
    pair_rows = other_rows = 0
    index = 0
    while index < len(rows):
        cells, location = filled[index], rows[index].location
        found = _row_pairs(cells, location)
        if found:
            pairs.extend(found)
            pair_rows += 1
        elif len(cells) == 1 and index + 1 < len(rows) and _stacked(cells[0], filled[index + 1]):
            pairs.append(answer(str(cells[0]), filled[index + 1][0], location))
            pair_rows += 1
            index += 1
        elif len(cells) > 1:
            other_rows += 1
        index += 1
    # Distinct fields named; a plan's labels all ask about learning to come, each a question of its own.
    fields = {p.label if p.field == PLAN else p.field for p in pairs if p.field not in (None, IGNORE)}
    if pair_rows < MIN_PAIR_ROWS or pair_rows < PAIR_SHARE * (pair_rows + other_rows) or len(fields) < MIN_FIELDS:
        return None
    return pairs


# Columns that would make a plan's table a record of learning done.
_DONE_FIELDS = frozenset({"title", "reflection", "duration", "credits", "completed_on", "started_on", "status"})


def is_plan_table(table: Table) -> bool:
    """A development plan laid out in columns ("Development need | How will I meet it? | Target date"):
    its header's labels ask about learning to come, none about learning done."""
    if not isinstance(table.rows, Sequence) or not table.rows:
        return False
    header = [c for c in _filled(table.rows[0].cells) if isinstance(c, str)]
    if len(header) < 2 or not all(looks_like_label(c) for c in header):
        return False
    fields = [label_field(c) for c in header]
    return fields.count(PLAN) * 2 >= len(fields) and not _DONE_FIELDS.intersection(f for f in fields if f)


def _filled(cells: Sequence[CellValue]) -> list[CellValue]:
    """The row's filled cells, a merged cell's repeats counted once."""
    out: list[CellValue] = []
    for cell in cells:
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        if out and cell == out[-1]:
            continue
        out.append(cell)
    return out


def _is_label(cell: CellValue) -> bool:
    return isinstance(cell, str) and looks_like_label(cell)


def _is_field_name(cell: CellValue) -> bool:
    return isinstance(cell, str) and is_field_name(cell)


def _row_pairs(cells: Sequence[CellValue], location: Location) -> list[Pair]:
    """`Label | value`, or `Label | value | Label | value ...` across the row."""
    if len(cells) < 2 or len(cells) % 2:
        return []
    labels = cells[0::2]
    if not all(_is_label(c) for c in labels):
        return []
    if len(cells) > 2 and all(_is_field_name(c) for c in cells):
        return []      # every cell a field name: a header row ("Type | Webinar" is an answer)
    return [answer(str(label), value, location) for label, value in zip(labels, cells[1::2])]


def _stacked(cell: CellValue, below: Sequence[CellValue]) -> bool:
    """A question alone on its row, its answer alone on the next."""
    return _is_label(cell) and len(below) == 1 and not _is_label(below[0])
