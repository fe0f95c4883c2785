"""The review as a PDF (reportlab): the key figures, charts (hours by band, development areas, outcomes of
audits), and the short text of trends, strengths and areas for improvement. No member is named."""
from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .figures import Figures
from .findings import findings, percent

__all__ = ["review_pdf"]

_STYLES = getSampleStyleSheet()
_BODY = ParagraphStyle("review-body", parent=_STYLES["BodyText"], fontSize=9, leading=11.5)
_H2 = ParagraphStyle("review-h2", parent=_STYLES["Heading2"], fontSize=12, spaceBefore=8, spaceAfter=3)
_BAR, _PREVIOUS = colors.HexColor("#2E75B6"), colors.HexColor("#A6A6A6")
_GRID = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#A6A6A6")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1F4E79")),
                    ("TEXTCOLOR", (0, 0), (-1, 0), colors.white), ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("FONTSIZE", (0, 0), (-1, -1), 8.5)])


def review_pdf(f: Figures) -> bytes:
    """The review's PDF bytes."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=14 * mm,
                                 bottomMargin=14 * mm, invariant=1, author="cpd-evidence",
                                 title=f"Thematic review of CPD year {f.year}")
    text = findings(f)
    story: list[Flowable] = [
        Paragraph(f"Thematic review of CPD year {f.year}", _STYLES["Title"]),
        _p(f"Across {f.members} {f.scope} and their {f.activities} activities (each counted once). No member is "
           "named: every figure is a count or share across members."
           + (f" Grey bars and the last column: CPD year {f.previous.year}." if f.previous else "")),
        Spacer(1, 4), _key_figures(f), Spacer(1, 6), _charts(f)]
    for title, key in (("Trends", "trends"), ("Strengths", "strengths"), ("Areas for improvement", "improvements")):
        story += [Paragraph(title, _H2)] + [_p("\N{BULLET} " + line) for line in text[key] or ["None found."]]
    document.build(story)
    return buffer.getvalue()


def _p(text: str) -> Paragraph:
    return Paragraph(escape(text), _BODY)


def _key_figures(f: Figures) -> Table:
    before = f.previous

    def row(label: str, now: Any, then: Any) -> list[str]:
        return [label, str(now), str(then) if before is not None else ""]

    def hours(x: Figures) -> str:
        return f"{x.hours['median']:g} (Q1 {x.hours['q1']:g}, Q3 {x.hours['q3']:g})"

    rows = [["Figure", f"{f.year}", f"{before.year}" if before else ""],
            row("Members reviewed", f.members, before.members if before else ""),
            row("Median hours (quartiles)", hours(f), hours(before) if before else ""),
            row("Meeting the ethics requirement", percent(f.ethics["share"]),
                percent(before.ethics["share"]) if before else ""),
            row("Responsibilities covered (mean)", percent(f.coverage["mean_share"]),
                percent(before.coverage["mean_share"]) if before else ""),
            row("Activities with a reflection", percent(f.reflection["share"]),
                percent(before.reflection["share"]) if before else ""),
            row("Verifiable / self-reported", f"{percent(f.verification['verifiable_share'])} / "
                f"{percent(f.verification['self_reported_share'])}",
                f"{percent(before.verification['verifiable_share'])} / "
                f"{percent(before.verification['self_reported_share'])}" if before else ""),
            row("Confirmed by members", percent(f.confirmation["share"]),
                percent(before.confirmation["share"]) if before else ""),
            row("Audits / appeals", f"{f.outcomes['requests']} / {f.outcomes['appeals']}",
                f"{before.outcomes['requests']} / {before.outcomes['appeals']}" if before else "")]
    table = Table(rows, colWidths=[70 * mm, 52 * mm, 52 * mm])
    table.setStyle(_GRID)
    return table


def _bars(title: str, labels: Sequence[str], now: Sequence[float], then: Sequence[float] | None) -> Drawing:
    width, height = 170.0, 150.0
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, title, fontName="Helvetica-Bold", fontSize=9))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 26, 30, width - 30, height - 50
    chart.data = [list(now)] + ([list(then)] if then is not None else [])
    top = max([1.0, *now, *(then or [])])
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top * 1.1
    chart.valueAxis.labels.fontSize = 6.5
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontSize, chart.categoryAxis.labels.angle = 6.5, 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.bars[0].fillColor = _BAR
    if then is not None:
        chart.bars[1].fillColor = _PREVIOUS
    drawing.add(chart)
    return drawing


def _charts(f: Figures) -> Table:
    before = f.previous
    bands = [b["band"] for b in f.hours["bands"]]
    areas = list(f.areas)
    states = sorted(set(f.outcomes["by_state"]) | set(before.outcomes["by_state"] if before else ()))
    charts = [
        _bars("Members by hours a year", bands, [b["members"] for b in f.hours["bands"]],
              [b["members"] for b in before.hours["bands"]] if before else None),
        _bars("Hours by development area", areas, [f.areas[a]["hours"] for a in areas],
              [before.areas[a]["hours"] for a in areas] if before else None),
        _bars("Audits by state", states or ["none"], [f.outcomes["by_state"].get(s, 0) for s in states] or [0],
              [before.outcomes["by_state"].get(s, 0) for s in states] or [0] if before else None)]
    table = Table([charts], colWidths=[60 * mm] * 3)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table
