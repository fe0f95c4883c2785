"""The cover sheet of a member's CPD record for a year, as one or two A4 pages of PDF (reportlab).

Member and year, the totals (each activity counted once), whether the ethics requirement is met, the
role's responsibilities covered and not covered, two small charts, and an index of the uploaded files
the record was built from with their sha256, so an auditor can match each file to what was read.
Text from members' files is escaped before it reaches reportlab's paragraph markup.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .chart import GAP, month_chart, responsibility_chart

__all__ = ["cover_bytes", "ethics_line"]

_STYLES = getSampleStyleSheet()
_BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontSize=9, leading=11.5)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=7.5, leading=9)
_MONO = ParagraphStyle("mono", parent=_SMALL, fontName="Courier", fontSize=6.5, leading=8)
_H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontSize=11.5, spaceBefore=8, spaceAfter=4)
_GRID = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#A6A6A6")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1F4E79")),
                    ("TEXTCOLOR", (0, 0), (-1, 0), colors.white), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"), ("FONTSIZE", (0, 0), (-1, -1), 8)])


def ethics_line(summary: dict[str, Any]) -> str:
    """The ethics requirement in one sentence: met or not, with the count."""
    ethics = summary["ethics"]
    count = len(ethics["activities"])
    state = "met" if ethics["met"] else "NOT met"
    return (f"Ethics requirement: {state} ({count} ethics-related "
            f"{'activity' if count == 1 else 'activities'}; {ethics['required']} required a year)")


def cover_bytes(summary: dict[str, Any], role_order: list[str] | None = None,
                appendix: Sequence[Flowable] = ()) -> bytes:
    """The cover sheet; `role_order`: the role's responsibility ids in its own order (for the chart);
    `appendix`: pages added after it (the audit pack's index of activities, ingest/audit/pack.py)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=14 * mm,
                                 bottomMargin=14 * mm, invariant=1, title=f"CPD record {summary['member_id']} "
                                 f"{summary['year']}: cover sheet", author="cpd-evidence")
    order = _role_order(summary, role_order or [])
    story = [*_heading(summary), *_totals(summary), _charts(summary, order), *_responsibilities(summary, order),
             *_sources(summary), *appendix]
    footer = f"CPD record of {summary['member_id']}, CPD year {summary['year']}: cover sheet"

    def _footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.grey)
        canvas.drawString(doc.leftMargin, 8 * mm, f"{footer}, page {doc.page}")
        canvas.drawRightString(A4[0] - doc.rightMargin, 8 * mm, "made by cpd-evidence from the member's uploads")

    document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _p(value: Any, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(str(value)), style)


def _heading(summary: dict[str, Any]) -> list[Flowable]:
    period, role = summary["period"], summary["role"]
    role_text = f"Role: {role.get('title') or role.get('id')}" if role else "Role: no role profile set"
    return [Paragraph("CPD record: cover sheet", _STYLES["Title"]),
            _p(f"Member: {summary['member_id']} \N{EM DASH} {role_text}"),
            _p(f"CPD year {summary['year']}: {_day(period['from'])} to {_day(period['to'])}"), Spacer(1, 4)]


def _day(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _totals(summary: dict[str, Any]) -> list[Flowable]:
    duplicates = summary["duplicates"]["count"]
    rows = [["Activities", "Total hours", "Verifiable hours", "Without hours", "Duplicates left out"],
            [str(summary["activities"]), f"{summary['hours']:g}", f"{summary['verifiable_hours']:g}",
             str(summary["activities_without_hours"]), str(duplicates)]]
    table = Table(rows, colWidths=[34 * mm] * 5)
    table.setStyle(_GRID)
    met = summary["ethics"]["met"]
    colour = "#2E7D32" if met else _hex(GAP)
    ethics = Paragraph(f'<font color="{colour}"><b>{escape(ethics_line(summary))}</b></font>', _BODY)
    attention = len(summary["attention"])
    note = _p(f"Total hours {summary['hours']:g}, each activity counted once. "
              f"{attention} {'activity needs' if attention == 1 else 'activities need'} the member's attention; "
              f"{summary['outside_year']['count']} found in the same files fall outside this year. "
              "Every activity is listed in the workbook that comes with this sheet.", _SMALL)
    return [table, Spacer(1, 5), ethics, Spacer(1, 3), *_balance(summary), note]


def _balance(summary: dict[str, Any]) -> list[Flowable]:
    """Hours by development area and the activities with a reflection (absent from older summaries)."""
    areas, reflection = summary.get("development_areas"), summary.get("reflection")
    if not areas or not reflection:
        return []
    names = list(areas)
    rows = [[*(name.capitalize() for name in names), "With a reflection"],
            [*(f"{areas[n]['hours']:g} h ({areas[n]['activities']})" for n in names),
             f"{reflection['activities']} of {reflection['of']}"]]
    table = Table(rows, colWidths=[34 * mm] * (len(names) + 1))
    table.setStyle(_GRID)
    return [_p("Development areas: hours (activities), and activities carrying the member's reflection", _SMALL),
            table, Spacer(1, 3)]


def _role_order(summary: dict[str, Any], role_order: list[str]) -> list[str]:
    """The responsibility ids in the role's own order (covered first where the order is not known)."""
    found = summary["responsibilities"]
    known = [item["id"] for item in (*found["covered"], *found["not_covered"])]
    return [rid for rid in role_order if rid in known] or known


def _charts(summary: dict[str, Any], order: list[str]) -> Flowable:
    hours = {item["id"]: item["hours"] for item in summary["responsibilities"]["covered"]}
    items = [(str(rid), float(hours.get(rid, 0.0))) for rid in order]
    table = Table([[month_chart(summary["hours_by_month"]), responsibility_chart(items)]],
                  colWidths=[87 * mm, 87 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 8)]))
    return table


def _responsibilities(summary: dict[str, Any], order: list[str]) -> list[Flowable]:
    responsibilities = summary["responsibilities"]
    if summary["role"] is None:
        return [Paragraph("Responsibilities", _H2), _p("No role profile is set, so there are no responsibilities "
                                                       "to cover. The member sets one with PUT /members/ID/role.")]
    items = {item["id"]: item for item in (*responsibilities["covered"], *responsibilities["not_covered"])}
    rows: list[list[Any]] = [["", "Responsibility", "Hours", "Served by"]]
    for item in (items[rid] for rid in order):
        rows.append([item["id"], _p(item["text"], _SMALL), f"{item.get('hours', 0):g}", _served_by(item)])
    table = Table(rows, colWidths=[12 * mm, 80 * mm, 13 * mm, 69 * mm], repeatRows=1)
    table.setStyle(_GRID)
    covered, gaps = len(responsibilities["covered"]), len(responsibilities["not_covered"])
    title = f"Responsibilities: {covered} covered, {gaps} not covered"
    return [Paragraph(escape(title), _H2), table]


def _served_by(item: dict[str, Any]) -> Paragraph:
    if not item.get("activities"):
        return Paragraph(f'<font color="{_hex(GAP)}">Not covered: a gap to plan for</font>', _SMALL)
    titles = "; ".join(a["title"] for a in item["activities"][:4])
    more = len(item["activities"]) - 4
    return _p(titles + (f"; and {more} more" if more > 0 else ""), _SMALL)


def _hex(colour: colors.Color) -> str:
    return "#" + str(colour.hexval())[2:]


def _sources(summary: dict[str, Any]) -> list[Flowable]:
    rows: list[list[Any]] = [["#", "Source file", "sha256", "Activities"]]
    for source in summary["sources"]:
        rows.append([str(source["upload_id"]), _p(source["filename"], _SMALL), _p(source["sha256"], _MONO),
                     str(source["activities"])])
    if len(rows) == 1:
        rows.append(["", _p("No uploaded file gave this year any activity.", _SMALL), "", ""])
    table = Table(rows, colWidths=[9 * mm, 52 * mm, 96 * mm, 17 * mm], repeatRows=1)
    table.setStyle(_GRID)
    return [Paragraph("Source files", _H2), table]
