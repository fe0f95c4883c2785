"""Two small bar charts for the cover sheet, drawn with reportlab.graphics (vector, no image library):
hours by month of the CPD year, and hours by responsibility of the member's role (gaps shown as 0).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

__all__ = ["BAR", "GAP", "month_chart", "responsibility_chart"]

BAR = colors.HexColor("#2E75B6")
GAP = colors.HexColor("#C00000")
_FONT = "Helvetica"


def _titled(width: float, height: float, title: str) -> Drawing:
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 10, title, fontName="Helvetica-Bold", fontSize=9, fillColor=colors.black))
    return drawing


def _axis_top(values: Sequence[float]) -> float:
    top = max([0.0, *values])
    return 1.0 if top <= 0 else float(int(top) + 1)


def month_chart(hours_by_month: Sequence[dict[str, Any]], width: float = 250, height: float = 138) -> Drawing:
    """Bars of the hours counted in each month, the year's first month first."""
    drawing = _titled(width, height, "Hours by month")
    values = [float(m["hours"]) for m in hours_by_month]
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 28, 22, width - 36, height - 42
    chart.data = [values]
    chart.categoryAxis.categoryNames = [dt.date.fromisoformat(m["month"] + "-01").strftime("%b")
                                        for m in hours_by_month]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = _FONT, 6.5
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, _axis_top(values)
    chart.valueAxis.valueStep = max(1.0, round(_axis_top(values) / 5))
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = _FONT, 6.5
    chart.bars[0].fillColor, chart.bars[0].strokeColor = BAR, BAR
    chart.barWidth, chart.groupSpacing = 6, 3
    drawing.add(chart)
    return drawing


def responsibility_chart(items: Sequence[tuple[str, float]], width: float = 250, height: float = 138) -> Drawing:
    """Horizontal bars of the hours serving each responsibility (id, hours), in the role's order; a
    responsibility with none is labelled in red."""
    drawing = _titled(width, height, "Hours by responsibility")
    if not items:
        drawing.add(String(0, height / 2, "No role profile set: no responsibilities to chart.", fontName=_FONT,
                           fontSize=8, fillColor=colors.grey))
        return drawing
    ordered = list(reversed(items))  # the chart draws its first category at the bottom
    values = [hours for _, hours in ordered]
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 34, 18, width - 44, height - 36
    chart.data = [values]
    chart.categoryAxis.categoryNames = [label for label, _ in ordered]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = _FONT, 6.5
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, _axis_top(values)
    chart.valueAxis.valueStep = max(1.0, round(_axis_top(values) / 5))
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = _FONT, 6.5
    chart.bars[0].fillColor, chart.bars[0].strokeColor = BAR, BAR
    for index, hours in enumerate(values):
        if hours <= 0:
            chart.categoryAxis.labels[index].fillColor = GAP
    drawing.add(chart)
    return drawing
