"""Text from members' files, made safe to put in a spreadsheet cell.

A cell whose text starts with =, +, - or @ (or a tab or carriage return before one) is read by Excel,
LibreOffice and Google Sheets as a formula: "=HYPERLINK(...)" in a course title would run when the
CPD record is opened ("CSV / formula injection", OWASP). The OWASP advice we follow: prefix such text with
a single quote, so it is shown as written and never evaluated. openpyxl itself would store a string
starting with "=" as a formula, so every text cell goes through `neutralise` first.
"""
from __future__ import annotations

__all__ = ["FORMULA_TRIGGERS", "neutralise"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """`text` with a leading single quote when a spreadsheet would take it for a formula; else unchanged.

    Leading spaces and line feeds do not protect a formula in every application, so they are looked past.
    """
    if text.startswith(FORMULA_TRIGGERS) or text.lstrip(" \n").startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text
