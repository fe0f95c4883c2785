"""The member's CPD record for a year as a workbook: a row per activity, the totals, the files it came from.

    Sheet "CPD record"        one row per completed activity of the year, by date; a duplicate (the same
                              activity read from another upload) is greyed, says which row it repeats and
                              is left out of the totals; the totals row last
    Sheet "Responsibilities"  each responsibility of the member's role, the hours and activities serving it
    Sheet "Sources"           each uploaded file the year's activities came from, with its sha256

Every text cell goes through `safety.neutralise` (no formula runs when the record is opened) and loses
the control characters the xlsx format cannot hold.
"""
from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ..summary import Stored, Year
from .safety import neutralise

__all__ = ["COLUMNS", "workbook_bytes"]

# (header, width in characters)
COLUMNS = (("Date", 12), ("Activity", 48), ("Provider", 24), ("Type", 13), ("Hours", 8), ("Verifiable", 11),
           ("Responsibilities served", 40), ("Ethics", 22), ("Reflection", 48), ("Source file", 30),
           ("Place in file", 24), ("Counted", 40))
_CELL_MAX = 32767  # characters Excel keeps in a cell
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_GREY = Font(color="808080", italic=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def text(value: Any) -> str | None:
    """A cell's text: neutralised, printable, within Excel's length; None for nothing."""
    if value is None or value == "":
        return None
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value))[:_CELL_MAX])


def workbook_bytes(year: Year, summary: dict[str, Any]) -> bytes:
    """The workbook's bytes: the record, the responsibilities and the sources sheets."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "CPD record"
    _record(sheet, year, summary)
    _responsibilities(book.create_sheet("Responsibilities"), summary, year)
    _sources(book.create_sheet("Sources"), summary)
    book.properties.creator = "cpd-evidence"
    book.properties.title = f"CPD record {year.member_id} {year.year}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header(sheet: Worksheet, columns: tuple[tuple[str, int], ...]) -> None:
    sheet.append([name for name, _ in columns])
    for index, (_, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"


def _record(sheet: Worksheet, year: Year, summary: dict[str, Any]) -> None:
    _header(sheet, COLUMNS)
    groups = {g.row.activity_id: g for g in year.counted}
    numbers = {row.activity_id: number for number, row in enumerate(year.rows, start=2)}
    for number, row in enumerate(year.rows, start=2):
        group = groups.get(row.activity_id)  # a counted row shows the hours counted for it
        counted = _counted_note(row, numbers)
        sheet.append(_cells(row, group.hours if group is not None else row.hours, counted))
        for cell in sheet[number]:
            cell.alignment = _WRAP
            if row.duplicate_of is not None:
                cell.font = _GREY
        sheet.cell(row=number, column=1).number_format = "yyyy-mm-dd"
    _totals(sheet, len(year.rows) + 2, summary)
    sheet.auto_filter.ref = f"A1:{sheet.cell(row=1, column=len(COLUMNS)).column_letter}{len(year.rows) + 1}"


def _cells(row: Stored, hours: float | None, counted: str) -> list[Any]:
    data, source = row.data, row.data.get("source") or {}
    ethics = data.get("ethics") or {}
    topics = ", ".join(t.get("label") or t.get("id") for t in ethics.get("topics", []))
    served = "\n".join(f"{m['id']}: {_short(m.get('text'))}" for m in data.get("responsibilities", []))
    verifiable = {True: "Yes", False: "No", None: ""}.get(data.get("verifiable"), "")
    return [row.completed_on, text(data["title"]), text(data.get("provider")),
            text((data.get("activity_type") or "").replace("_", " ")), hours, text(verifiable), text(served),
            text(("Yes: " + topics if topics else "Yes") if ethics.get("related") else ""),
            text(data.get("reflection")),
            text(source.get("filename")), text(source.get("locator")), text(counted)]


def _counted_note(row: Stored, first_row: dict[str, int]) -> str:
    if row.duplicate_of is None:
        return "Yes"
    where = first_row.get(row.duplicate_of)
    place = f"row {where}" if where else f"activity {row.duplicate_of} (outside this year)"
    return f"No: the same activity as {place}. {row.data.get('duplicate_reason') or ''}".strip()


def _short(value: Any, limit: int = 60) -> str:
    words = str(value or "")
    return words if len(words) <= limit else words[:limit - 1].rstrip() + "…"


def _totals(sheet: Worksheet, number: int, summary: dict[str, Any]) -> None:
    ethics = summary["ethics"]
    label = f"Total: {summary['activities']} activities, each counted once"
    if summary["duplicates"]["count"]:
        label += f" ({summary['duplicates']['count']} duplicate rows left out)"
    sheet.cell(row=number, column=2, value=text(label))
    sheet.cell(row=number, column=5, value=summary["hours"])
    sheet.cell(row=number, column=6, value=text(f"{summary['verifiable_hours']:g} h verifiable"))
    sheet.cell(row=number, column=8, value=text(f"Ethics requirement {'met' if ethics['met'] else 'NOT met'}: "
                                                f"{len(ethics['activities'])} ethics-related ({ethics['required']} "
                                                "required)"))
    for cell in sheet[number]:
        cell.font, cell.fill, cell.alignment = Font(bold=True), _TOTAL_FILL, _WRAP


def _responsibilities(sheet: Worksheet, summary: dict[str, Any], year: Year) -> None:
    """The role's responsibilities in its own order, each with its hours and activities, or marked a gap."""
    _header(sheet, (("Responsibility", 10), ("Text", 60), ("Hours", 8), ("Activities", 70)))
    found = summary["responsibilities"]
    items = {item["id"]: item for item in (*found["covered"], *found["not_covered"])}
    for rid in [r["id"] for r in (year.role or {}).get("responsibilities", []) if r["id"] in items]:
        item = items[rid]
        titles = "\n".join(f"{a['completed_on'] or ''} {a['title']}" for a in item.get("activities", []))
        sheet.append([text(item["id"]), text(item["text"]), item.get("hours", 0),
                      text(titles or "None this year: a gap to plan for")])
    if summary["role"] is None:
        sheet.append([None, text("No role profile is set, so no responsibilities to show.")])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP


def _sources(sheet: Worksheet, summary: dict[str, Any]) -> None:
    _header(sheet, (("Upload", 8), ("File", 40), ("sha256", 68), ("Read as", 10), ("Activities this year", 12)))
    for source in summary["sources"]:
        sheet.append([source["upload_id"], text(source["filename"]), text(source["sha256"]),
                      text(source["extractor"]), source["activities"]])
