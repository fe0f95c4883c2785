"""Tables and labelled records -> activities.

For each table: find the header (title blocks, logos and blank rows above it are skipped), decide
which column is which field, then read every row below it; totals, blank rows, repeated headers,
section headings ("Q1 2025") and note rows are not activities. Tables without a header that names
a title and one more field (guidance sheets, lookup tables, summaries) yield nothing.

A table's rows are taken in passes, so a big one is never held whole (extractors.model.Table): its
first rows for the header and the columns' meaning, its date columns to prove the file's date order,
then every row, a batch at a time, into activities.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice

from extractors.model import CellValue, Extraction, RawRecord, Row, Table, distinct_cells

from .activity import Activity, ActivityWarning
from .dates import date_order, read_date
from .forms import FormRecord, form_activities, read_forms
from .durations import duration_unit, read_number
from .headers import MAX_HEADER_SCAN, Header, classify, find_header, fold
from .learner import learner_from_lines
from .normalise import Column, FileFacts, Plan, credit_unit
from .values import read_status, read_text

__all__ = ["Reading", "read_activities"]

DATE_FIELDS = ("completed_on", "started_on", "date")
BATCH_ROWS = 2_000           # rows made into activities at a time: a few MB, whatever the file's size
SAMPLE_ROWS = 200            # rows below the header looked at to judge a column (units, dates or statuses)
_RECORD_FIELDS = frozenset({
    "title", "provider", "activity_type", "status", "percent", "started_on", "completed_on", "date",
    "duration", "credits", "verifiable", "description", "reflection", "learner", "learner_first",
    "learner_last", "email", "reference",
})
_RECORD_UNITS = {"duration_seconds": "seconds", "duration_minutes": "minutes", "duration_hours": "hours"}


@dataclass(slots=True)
class _TablePlan:
    table: Table
    header: Header
    columns: list[Column]
    learner: str | None
    warnings: list[ActivityWarning]


@dataclass(frozen=True, slots=True)
class Reading:
    """What the mappers read from one extraction: the activities in file order, a batch at a time,
    read as `batches` is iterated (once), and the warnings about the file as a whole (complete once
    the batches are: rows left out are found as they are read)."""

    batches: Iterator[list[Activity]]
    warnings: list[ActivityWarning]
    layout: str | None


def read_activities(extraction: Extraction, facts: FileFacts, dayfirst: bool | None) -> Reading:
    """Plan every table and read the date order; the rows themselves are read as the batches are taken."""
    forms = read_forms(extraction)    # tables laid out as forms and labelled blocks (mappers.forms)
    plans = [p for p in (_plan_table(t) for t in forms.tables) if p is not None]
    from .prose import read_certificates

    # spaCy rule matching: imported only for files whose text may be a certificate
    # A form's text is its answers, not a certificate (a Word form keeps both, see extractors.docx).
    certificates = read_certificates(extraction.prose) if extraction.prose and not forms.found else []
    records = (*forms.records, *certificates)
    layout = "certificate" if certificates else extraction.layout
    file_learner = (next((p.learner for p in plans if p.learner), None) or forms.learner
                    or learner_from_lines(extraction.context))
    facts = replace(_date_facts(facts, plans, (*records, *forms.raw), dayfirst), layout=layout)
    warnings = [w for tp in plans for w in tp.warnings]
    return Reading(_batches(plans, records, facts, file_learner, warnings, forms.found), warnings, layout)


def _batches(plans: Sequence[_TablePlan], records: Sequence[RawRecord], facts: FileFacts,
             file_learner: str | None, warnings: list[ActivityWarning], forms: Sequence[FormRecord] = ()
             ) -> Iterator[list[Activity]]:
    for tp in plans:
        plan = Plan(tp.columns, replace(facts, learner=tp.learner or file_learner))
        body = _body(tp, plan.width)
        while batch := list(islice(body, BATCH_ROWS)):
            yield plan.build(batch)
        warnings.extend(plan.left_out)
    if forms:
        yield form_activities(forms, replace(facts, learner=file_learner))
    if records:
        yield _read_records(records, replace(facts, learner=file_learner))


def _read_records(records: Sequence[RawRecord], facts: FileFacts) -> list[Activity]:
    """Records of one shape (the same labels) read as the rows of one table, in file order."""
    shapes: dict[tuple[str, ...], list[tuple[int, Row]]] = {}
    for order, record in enumerate(records):
        shapes.setdefault(tuple(record.fields), []).append((order, Row(record.location, tuple(record.fields.values()))))
    found: list[tuple[int, Activity]] = []
    for labels, rows in shapes.items():
        plan = Plan(_record_columns(labels, records[rows[0][0]].fields), facts)
        kept = plan.build([row for _, row in rows])
        by_locator = {a.source.locator: a for a in kept}
        found.extend((order, by_locator[row.location.locator]) for order, row in rows
                     if row.location.locator in by_locator)
    return [act for _, act in sorted(found, key=lambda pair: pair[0])]


def _body(tp: _TablePlan, width: int) -> Iterator[Row]:
    """The rows below the header, as wide as the plan reads, repeated header rows left out."""
    header_texts = [fold(t) for t in tp.header.texts]
    title_at = next(c.key for c in tp.columns if c.field == "title")
    title_header = tp.header.texts[title_at].casefold()
    for row in islice(tp.table.rows, tp.header.last_row + 1, None):
        cells = row.cells
        if len(cells) < width:  # short CSV lines, ragged HTML rows
            row = Row(row.location, (*cells, *(None,) * (width - len(cells))))
        title_cell = row.cells[title_at]
        if (isinstance(title_cell, str) and title_cell.strip().casefold() == title_header
                and _is_header_repeat(row.cells, header_texts)):
            continue
        yield row


def _is_header_repeat(cells: Sequence[CellValue], header_texts: Sequence[str]) -> bool:
    same = 0
    for cell, text in zip(cells, header_texts):
        if text and isinstance(cell, str) and fold(cell) == text:
            same += 1
    return same >= 2


def _plan_table(table: Table) -> _TablePlan | None:
    rows = [r.cells for r in islice(table.rows, MAX_HEADER_SCAN + 1 + SAMPLE_ROWS)]
    header = find_header(rows, table.header_rows)
    if header is None:
        return None
    body = rows[header.last_row + 1:header.last_row + 1 + SAMPLE_ROWS]
    warnings: list[ActivityWarning] = []
    columns = [_column(i, text, m.field, body, table.name, warnings)
               for i, (text, m) in enumerate(zip(header.texts, header.matches)) if m is not None]
    columns = _promote_description(c for c in columns if c.field != "ignore")
    if not _titles_are_text(columns, body):
        return None
    preamble = [_row_text(r) for r in rows[:header.first_row]]
    learner = learner_from_lines([*table.context, *preamble])
    return _TablePlan(table, header, columns, learner, warnings)


def _column(index: int, header: str, field: str, body: Sequence[Sequence[CellValue]], where: str,
            warnings: list[ActivityWarning]) -> Column:
    values = [r[index] for r in body if index < len(r) and r[index] not in (None, "")]
    if field == "status" and _dates_outnumber_statuses(values):
        field = "completed_on"
    if field == "duration":
        unit = duration_unit(header)
        if unit is None and (unit := _guess_unit(values)) is not None:
            warnings.append(ActivityWarning("duration_unit_assumed", "duration_minutes", (
                f"Table '{where}', column '{header}' does not say its unit; its figures were read as {unit}. "
                "Check the durations, or add the unit to the column heading and upload the file again.")))
        return Column(index, field, header, unit)
    if field == "credits":
        words = fold(header)
        verifiable = False if ("non" in words.split() or "unstructured" in words or "nonverifiable" in words) else (
            True if ("verifiable" in words or "structured" in words) else None)
        return Column(index, field, header, credit_unit(header), verifiable)
    return Column(index, field, header)


def _promote_description(columns: Iterable[Column]) -> list[Column]:
    """A CPD log headed 'Date | Description | Hours' names each activity in its description column."""
    out = list(columns)
    if not any(c.field == "title" for c in out):
        for i, col in enumerate(out):
            if col.field == "description":
                out[i] = replace(col, field="title")
                break
    return out


def _is_date_like(value: str | int | float) -> bool:
    if isinstance(value, str):
        return any(c.isdigit() for c in value) and read_date(value).value is not None
    return value > 1000 and read_date(value).value is not None  # Excel serials, epochs; not 0-100 %


def _dates_outnumber_statuses(values: Sequence[CellValue]) -> bool:
    """A 'Completed' column of dates is the completion date; of Yes/No or words, a status."""
    dates = sum(1 for v in values if isinstance(v, dt.date) or (
        isinstance(v, (str, int, float)) and not isinstance(v, bool) and _is_date_like(v)))
    statuses = sum(1 for v in values if not isinstance(v, (int, float)) and read_status(v).status is not None)
    return dates > statuses


def _guess_unit(values: Sequence[CellValue]) -> str | None:
    """A bare 'Duration' column of plain numbers: hours if they look like hours, minutes if like minutes."""
    numbers = [n for n in (read_number(v) for v in values if not isinstance(v, dt.timedelta)) if n is not None]
    if not numbers:
        return None
    if max(numbers) <= 12:
        return "hours"
    if all(n.is_integer() for n in numbers) and min(numbers) >= 5:
        return "minutes"
    return None


def _titles_are_text(columns: Sequence[Column], body: Sequence[Sequence[CellValue]]) -> bool:
    """A summary table's 'Activities' column holds counts, not titles."""
    title = next((c for c in columns if c.field == "title"), None)
    if title is None or not isinstance(title.key, int):
        return False
    values = [r[title.key] for r in body if title.key < len(r) and read_text(r[title.key]) is not None]
    if not values:
        return True
    texts = sum(1 for v in values if isinstance(v, str) and any(ch.isalpha() for ch in v))
    return texts * 2 >= len(values)


def _row_text(cells: Sequence[CellValue]) -> str:
    return " ".join(t for t in (read_text(c) for c in cells) if t)


def _record_columns(labels: Sequence[str], fields: dict[str, CellValue]) -> list[Column]:
    """Columns for records with these labels: the contract's field names as they are, others by vocabulary."""
    columns = []
    for i, label in enumerate(labels):
        if label in _RECORD_UNITS:
            columns.append(Column(i, "duration", label, _RECORD_UNITS[label]))
        elif label == "cpd_hours":
            columns.append(Column(i, "credits", label, "hours"))
        elif label == "credits":
            unit = read_text(fields.get("credits_unit")) or "credits"
            columns.append(Column(i, "credits", label, unit.lower()))
        elif label in _RECORD_FIELDS:
            columns.append(Column(i, label, label, duration_unit(label) if label == "duration" else None))
        else:
            match = classify(label)
            if match is not None and match.field != "ignore":
                columns.append(_column_for_label(i, label, match.field))
    return columns


def _column_for_label(index: int, label: str, field: str) -> Column:
    if field == "duration":
        return Column(index, field, label, duration_unit(label))
    if field == "credits":
        return Column(index, field, label, credit_unit(label))
    return Column(index, field, label)


def _date_facts(facts: FileFacts, plans: Sequence[_TablePlan], records: Sequence[RawRecord],
                dayfirst: bool | None) -> FileFacts:
    """Day-first unless the file proves otherwise or the person said so; a proof in any date column counts."""
    values: set[str] = set()  # only text can prove an order, and dates repeat down a column
    for tp in plans:
        keys = [c.key for c in tp.columns if c.field in DATE_FIELDS]
        if keys:   # a pass over the table's rows, keeping only the distinct texts of its date columns
            cells = distinct_cells(tp.table.rows, keys, tp.header.last_row + 1)
            values.update(v for v in cells if isinstance(v, str))
    for record in records:
        values.update(v for k, v in record.fields.items() if k in DATE_FIELDS and isinstance(v, str))
    proven = date_order(values)
    if proven is not None:
        return replace(facts, dayfirst=proven, order_assumed=False)
    if dayfirst is not None:
        return replace(facts, dayfirst=dayfirst, order_assumed=False)
    return replace(facts, dayfirst=True, order_assumed=True)

