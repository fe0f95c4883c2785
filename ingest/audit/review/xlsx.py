"""The review as a workbook: a sheet per measure, each row a figure, this year and (when it exists) the year
before side by side. No member is named: the figures are counts and shares across members."""
from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from .figures import Figures
from .findings import findings

__all__ = ["review_workbook", "SHEETS"]

SHEETS = ("Summary", "Hours", "Ethics", "Responsibilities", "Development areas", "Reflection", "Verification",
          "Member confirmation", "Failing sources", "Outcomes", "Findings")
_HEADER = PatternFill("solid", fgColor="1F4E79")


def _rows(f: Figures | None) -> dict[str, list[tuple[str, Any]]]:
    if f is None:
        return {}
    return {
        "Summary": [("CPD year", f.year), ("Scope", f.scope), ("Members", f.members), ("Activities", f.activities)],
        "Hours": [(k, f.hours[k]) for k in ("median", "q1", "q3", "min", "max", "mean")]
                 + [(f"members {b['band']} h", b["members"]) for b in f.hours["bands"]],
        "Ethics": [("members meeting the requirement", f.ethics["met"]), ("members", f.ethics["members"]),
                   ("share", f.ethics["share"])],
        "Responsibilities": [("members with a role", f.coverage["members_with_role"]),
                             ("mean share covered", f.coverage["mean_share"]),
                             ("members covering all", f.coverage["all_covered"]),
                             ("share covering all", f.coverage["all_covered_share"])],
        "Development areas": [row for area, item in f.areas.items() for row in (
            (f"{area} hours", item["hours"]), (f"{area} activities", item["activities"]),
            (f"{area} share of hours", item["share_of_hours"]))],
        "Reflection": [("activities with a reflection", f.reflection["with_reflection"]),
                       ("activities", f.reflection["activities"]), ("share", f.reflection["share"])],
        "Verification": [(k.replace("_", " "), v) for k, v in f.verification.items()],
        "Member confirmation": [(k, v) for k, v in f.confirmation.items()],
        "Failing sources": [(f"{s['kind']} failed of uploads", f"{s['failed']} of {s['uploads']}") for s in f.sources],
        "Outcomes": [("requests", f.outcomes["requests"])]
                    + [(f"state {k}", v) for k, v in f.outcomes["by_state"].items()]
                    + [("appeals", f.outcomes["appeals"]), ("upheld", f.outcomes["upheld"]),
                       ("overturned", f.outcomes["overturned"])],
    }


def review_workbook(f: Figures) -> bytes:
    """The workbook's bytes (the sheets of SHEETS, in that order)."""
    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook always has its first sheet
    book.remove(first)
    now, before = _rows(f), _rows(f.previous)
    for name in SHEETS[:-1]:
        sheet = book.create_sheet(name)
        sheet.append(["Figure", f"CPD year {f.year}", f"CPD year {f.year - 1}" if f.previous else ""])
        previous = dict(before.get(name, []))
        for label, value in now[name]:
            sheet.append([label, value, previous.get(label)])
        _style(sheet)
    sheet = book.create_sheet("Findings")
    sheet.append(["Kind", "Finding"])
    for kind, lines in findings(f).items():
        for line in lines:
            sheet.append([kind, line])
    _style(sheet)
    book.properties.creator, book.properties.title = "cpd-evidence", f"Thematic review of CPD year {f.year}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _style(sheet: Any) -> None:
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), _HEADER
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 20
    sheet.column_dimensions["C"].width = 20
    sheet.freeze_panes = "A2"
