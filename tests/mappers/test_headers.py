"""Header vocabulary and header-row detection."""
from __future__ import annotations

import datetime as dt

import pytest

from mappers.headers import classify, find_header


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Course Title", "title"),
        ("Learning Item", "title"),
        ("CPD activity", "title"),
        ("Intitulé de la formation", "title"),
        ("Kurstitel", "title"),
        ("Completion Date", "completed_on"),
        ("Date Completed", "completed_on"),
        ("Abschlussdatum", "completed_on"),
        ("Time started", "started_on"),
        ("Duration (hrs)", "duration"),
        ("Dauer (Min.)", "duration"),
        ("Time Spent", "duration"),
        ("Seconds Viewed", "duration"),
        ("Total Hours", "duration"),
        ("Credit Hours", "credits"),
        ("CPE", "credits"),
        ("CPD Points", "credits"),
        ("Verifiable units", "credits"),
        ("Non-verifiable hours", "credits"),
        ("Structured Y/N", "verifiable"),
        ("Transcript Status", "status"),
        ("Percent Completed", "percent"),
        ("Training Provider", "provider"),
        ("Delivered by", "provider"),
        ("Delivery Method", "activity_type"),
        ("Certificate no.", "reference"),
        ("Training Object ID", "reference"),
        ("User Last Name", "learner_last"),
        ("Mitarbeiter/in", "learner"),
        ("Reflection / what I learned", "reflection"),
        ("Registration Date", "ignore"),
        ("Last Viewed Date", "ignore"),
        ("Estimated learning hours", "ignore"),
        ("Cost (£)", "ignore"),
    ],
)
def test_classify_names_real_headers(header: str, field: str) -> None:
    """Each header real systems write maps to its field."""
    match = classify(header)
    assert match is not None and match.field == field, (header, match)


def test_classify_leaves_prose_alone() -> None:
    """A sentence in a guidance sheet is not a column name."""
    assert classify("You must complete a minimum of 20 hours of CPD in each practice year.") is None


def test_header_found_below_a_title_block() -> None:
    """GIVEN a report title, run date and blank rows above the header WHEN searched THEN the header row is found."""
    rows = [
        ["Transcript Report", "", ""],
        ["Report run 14/01/2026 09:12", "", ""],
        ["", "", ""],
        ["Training Title", "Completion Date", "Training Hours"],
        ["Trusts and the Finance Act 2025", dt.date(2025, 3, 1), 1.5],
    ]
    header = find_header(rows)
    assert header is not None and header.first_row == header.last_row == 3
    assert header.fields == {"title", "completed_on", "duration"}


def test_two_row_header_is_merged() -> None:
    """GIVEN 'Hours' over 'Verifiable | Non-verifiable' THEN both columns are credited hours."""
    rows = [
        ["Date", "Activity", "Hours", "Hours"],
        ["", "", "Verifiable", "Non-verifiable"],
        [dt.date(2025, 1, 2), "Trust drafting", 1.0, ""],
    ]
    header = find_header(rows)
    assert header is not None and header.last_row == 1
    fields = [m.field if m else None for m in header.matches]
    assert fields == ["date", "title", "credits", "credits"]


def test_no_header_without_a_title_column() -> None:
    """A lookup table (Code, Delivery method) holds no activities."""
    assert find_header([["Code", "Delivery method"], ["ELRN", "E-learning module"]]) is None
