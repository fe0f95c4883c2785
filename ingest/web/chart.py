"""The year's hours by month as an SVG bar chart, laid out here so the page needs no script to draw it.

The template draws what `month_chart` lays out: one bar per month of the CPD year, the hours on top of each
bar that has any, the month below, and a few grid lines. The same figures go in a table beside it, for
screen readers and for anyone who would rather read numbers.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Bar", "Chart", "month_chart", "WIDTH", "HEIGHT"]

WIDTH, HEIGHT = 640, 240        # the SVG's viewBox; it scales to the page's width
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 8, 18, 28   # room for the axis labels


@dataclass(frozen=True, slots=True)
class Bar:
    """One month: where its bar stands, its hours and its labels."""

    x: float
    y: float
    width: float
    height: float
    hours: float
    label: str        # "Apr"
    name: str         # "April 2024"


@dataclass(frozen=True, slots=True)
class Chart:
    """The bars, the horizontal grid lines (y, label) and the total, ready for the template."""

    bars: list[Bar]
    grid: list[tuple[float, str]]
    total: float
    top: float        # the hours the chart's top stands for

    @property
    def description(self) -> str:
        busy = [b for b in self.bars if b.hours]
        if not busy:
            return "No hours recorded in any month of this CPD year."
        best = max(busy, key=lambda b: b.hours)
        return (f"Hours of CPD by month: {_hours(self.total)} in all, over {len(busy)} of 12 months; "
                f"the most in {best.name} ({_hours(best.hours)}).")


def month_chart(hours_by_month: Sequence[dict[str, Any]]) -> Chart:
    """Lay out the summary's `hours_by_month` ([{"month": "YYYY-MM", "hours"}], twelve of them)."""
    values = [float(m.get("hours") or 0) for m in hours_by_month]
    top = _nice_top(max(values, default=0.0))
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    slot = plot_w / max(len(values), 1)
    bars = []
    for i, (month, hours) in enumerate(zip(hours_by_month, values)):
        day = dt.date.fromisoformat(f"{month['month']}-01")
        height = plot_h * hours / top if top else 0.0
        bars.append(Bar(x=round(_LEFT + i * slot + slot * 0.15, 1), y=round(_TOP + plot_h - height, 1),
                        width=round(slot * 0.7, 1), height=round(height, 1), hours=round(hours, 2),
                        label=day.strftime("%b"), name=day.strftime("%B %Y")))
    steps = 4
    grid = [(round(_TOP + plot_h - plot_h * k / steps, 1), _number(top * k / steps)) for k in range(steps + 1)]
    return Chart(bars, grid, round(sum(values), 2), top)


def _nice_top(peak: float) -> float:
    """A round figure at or above `peak` that splits into four even steps (4, 8, 20, 40...)."""
    if peak <= 0:
        return 4.0
    magnitude = 10 ** math.floor(math.log10(peak))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude * 4 >= peak:
            return float(step * magnitude * 4)
    return float(40 * magnitude)


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _hours(value: float) -> str:
    return f"{_number(round(value, 1))} hour{'' if value == 1 else 's'}"
