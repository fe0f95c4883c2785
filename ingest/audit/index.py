"""The audit pack's index: each activity of the year linked to its evidence file, its place in the file, why
it was mapped, and whose values it shows (extracted, member-edited, hand-entered); as CSV rows and as a
PDF page for the end of the cover sheet.

Whose values: the contract's `review` overlay (issue 15) says it. An activity whose `source.extractor` is
`manual` was entered by hand; one whose `review.state` is `edited` shows the member's values for the fields
in `review.changed`; any other shows what was read from the file. A `rejected` one counts nowhere and is
left out. Stores with no overlay yet (no `review` in any activity) show every activity as extracted.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph

from mappers.areas import area_of

from ..year.summary import Stored, Year

__all__ = ["IndexRow", "EXTRACTED", "MEMBER_EDITED", "HAND_ENTERED", "CSV_COLUMNS", "origin", "index_rows",
           "index_csv", "index_pages", "place"]

EXTRACTED, MEMBER_EDITED, HAND_ENTERED = "extracted", "member-edited", "hand-entered"
CSV_COLUMNS = ("activity_id", "title", "completed_on", "cpd_hours", "counted", "evidence_file", "file_sha256",
               "locator", "page", "sheet", "row", "responsibilities", "ethics", "development_area", "area_reason",
               "values", "edited_fields", "reflection")

_STYLES = getSampleStyleSheet()
_SMALL = ParagraphStyle("index-small", parent=_STYLES["BodyText"], fontSize=7, leading=8.5)
_TITLE = ParagraphStyle("index-title", parent=_STYLES["BodyText"], fontSize=8.5, leading=10.5, spaceBefore=5)
_H2 = ParagraphStyle("index-h2", parent=_STYLES["Heading2"], fontSize=11.5, spaceBefore=4, spaceAfter=4)


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One activity of the pack and where its evidence is."""

    activity_id: str
    title: str
    completed_on: str | None
    hours: float | None
    counted: str
    evidence_file: str | None
    file_sha256: str | None
    locator: str | None
    place: dict[str, str]
    responsibilities: str
    ethics: str
    area: str
    area_reason: str
    values: str
    edited: list[str]
    reflection: bool

    def csv_row(self) -> list[str]:
        return [self.activity_id, self.title, self.completed_on or "", "" if self.hours is None else f"{self.hours:g}",
                self.counted, self.evidence_file or "", self.file_sha256 or "", self.locator or "",
                self.place.get("page", ""), self.place.get("sheet", ""), self.place.get("row", ""),
                self.responsibilities, self.ethics, self.area, self.area_reason, self.values, ";".join(self.edited),
                "yes" if self.reflection else "no"]


def origin(data: dict[str, Any]) -> tuple[str, list[str]]:
    """Whose values the activity shows, and the fields the member changed (see the module's docstring)."""
    if (data.get("source") or {}).get("extractor") == "manual":
        return HAND_ENTERED, []
    review = data.get("review") or {}
    if review.get("state") == "edited":
        return MEMBER_EDITED, [str(f) for f in review.get("changed") or []]
    return EXTRACTED, []


def place(locator: str | None) -> dict[str, str]:
    """`sheet=Transcript;row=7` as {"sheet": "Transcript", "row": "7"}."""
    parts = (p.partition("=") for p in (locator or "").split(";") if "=" in p)
    return {key.strip(): value.strip() for key, _, value in parts}


def index_rows(year: Year, evidence: dict[int, str]) -> list[IndexRow]:
    """The year's rows (duplicates included and marked), each linked to its evidence file (upload id -> path
    in the pack); rejected activities left out."""
    found = []
    for row in year.rows:
        if (row.data.get("review") or {}).get("state") == "rejected":
            continue
        found.append(_index_row(row, evidence))
    return found


def _index_row(row: Stored, evidence: dict[int, str]) -> IndexRow:
    data, source = row.data, row.data.get("source") or {}
    values, edited = origin(data)
    area = area_of(data)
    responsibilities = "; ".join(f"{m['id']} ({m.get('score', 0):g}): {', '.join(m.get('terms') or []) or 'no terms'}"
                                 for m in data.get("responsibilities") or [])
    ethics = data.get("ethics") or {}
    topics = "; ".join(f"{t.get('label') or t['id']}: {', '.join(t.get('terms') or []) or 'no terms'}"
                       for t in ethics.get("topics") or [])
    counted = "yes" if row.duplicate_of is None else f"no: duplicate of {row.duplicate_of}"
    return IndexRow(row.activity_id, str(data["title"]), data.get("completed_on"), row.hours, counted,
                    evidence.get(row.upload_id) if row.upload_id is not None else None, source.get("file_sha256"), source.get("locator"),
                    place(source.get("locator")), responsibilities, topics, area.area, area.reason, values, edited,
                    bool((data.get("reflection") or "").strip()))


def index_csv(rows: list[IndexRow]) -> bytes:
    """The index as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([_cell(v) for v in row.csv_row()])
    return ("\ufeff" + buffer.getvalue()).encode()


def _cell(value: str) -> str:
    # a text cell a spreadsheet would run as a formula is quoted (as the workbook's cells are)
    return "'" + value if value.lstrip(" \n").startswith(("=", "+", "-", "@", "\t", "\r")) else value


def index_pages(rows: list[IndexRow]) -> list[Flowable]:
    """The index as the last pages of the cover sheet: each activity's title on a line of its own (full width,
    so a text search or extraction finds it whole), then its evidence, why it was mapped and whose values."""
    story: list[Flowable] = [
        PageBreak(), Paragraph("Index of activities and evidence", _H2),
        _p("Each activity of the record, the evidence file in this pack it was read from (evidence/...), its "
           "place in that file, why it was mapped to responsibilities and ethics, and whose values it shows: "
           "extracted from the file, edited by the member, or entered by hand.")]
    for number, row in enumerate(rows, start=1):
        hours = "" if row.hours is None else f", {row.hours:g} h"
        counted = "" if row.counted == "yes" else " [duplicate, not counted]"
        values = row.values + (f": {', '.join(row.edited)}" if row.edited else "")
        details = [f"Evidence: {row.evidence_file or 'no file'}, {row.locator or 'no place'}",
                   f"Responsibilities: {row.responsibilities}" if row.responsibilities else "",
                   f"Ethics: {row.ethics}" if row.ethics else "",
                   f"Area: {row.area} ({row.area_reason})", f"Values: {values}",
                   f"Reflection: {'yes' if row.reflection else 'none'}"]
        story.append(KeepTogether([
            Paragraph(f"<b>{number}.</b> {escape(row.title)}", _TITLE),
            _p(f"{row.completed_on or 'no date'}{hours}{counted}. " + ". ".join(d for d in details if d) + ".")]))
    return story


def _p(value: str) -> Paragraph:
    return Paragraph(escape(value).replace("\n", "<br/>"), _SMALL)
