"""Workbooks that are small relational exports (issue 13): a records sheet naming courses and people by id,
read by joining the sheets that give each id's title, provider and name (mappers.joins)."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook

import extractors
from extractors.model import ExtractOptions, Location, Row, Table, Upload
from mappers.activity import Activity, ActivityWarning
from mappers.joins import join_tables
from mappers.normalise import FileFacts
from mappers.tables import read_activities

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _read_bytes(data: bytes, name: str) -> tuple[list[Activity], list[ActivityWarning]]:
    upload = Upload.from_bytes(data, name)
    module = extractors.detect(upload)
    extraction = module.extract(upload, ExtractOptions())
    facts = FileFacts(upload.sha256, upload.filename, module.MEDIA_TYPES[0], module.FORMAT, extraction.layout)
    reading = read_activities(extraction, facts, None)
    activities = [a for batch in reading.batches for a in batch]
    return activities, reading.warnings


def _read(relative: str) -> tuple[list[Activity], list[ActivityWarning]]:
    path = SAMPLES / relative
    return _read_bytes(path.read_bytes(), path.name)


def test_moodle_tables_are_joined_into_completions() -> None:
    """GIVEN Moodle's course_completions naming user and course by id, with 'course' and 'user' sheets WHEN read
    THEN each completion has its course's full name and the user's name, the unfinished one no completion date,
    and the lookup sheets give no activities of their own."""
    acts, warnings = _read("xlsx/moodle-relational-export.xlsx")
    assert [a.title for a in acts] == [
        "Anti-money laundering: annual refresher 2025", "Taxation of discretionary trusts",
        "Professional ethics for trust practitioners", "Data protection basics"]
    assert [a.completed_on for a in acts] == [dt.date(2025, 1, 20), dt.date(2025, 2, 11), dt.date(2025, 3, 4), None]
    assert {a.learner for a in acts} == {"Olivia Hughes"}
    assert all(a.source.locator.startswith("sheet=course_completions;row=") for a in acts)
    assert "Leading a small team" not in {a.title for a in acts}
    (joined,) = [w for w in warnings if w.code == "sheets_joined"]
    assert "'course'" in joined.message and "'user'" in joined.message
    assert not any(w.code == "not_a_record" for w in warnings)


def test_cornerstone_transcript_takes_titles_providers_and_hours_from_training() -> None:
    """GUID training ids, two learners, and one id the Training sheet lacks."""
    acts, warnings = _read("xlsx/cornerstone-transcript-relational.xlsx")
    by_title = {a.title: a for a in acts}
    accounting = by_title["Trust Accounting: Year-End Reporting"]
    assert (accounting.provider, accounting.completed_on, accounting.cpd_hours, accounting.learner) == (
        "STEP Education", dt.date(2025, 2, 14), 3.5, "Priya Shah")
    bribery = [a for a in acts if a.title == "Anti-Bribery and Corruption 2025"]
    assert sorted(str(a.learner) for a in bribery) == ["Daniel Okafor", "Priya Shah"]
    assert by_title["Client Due Diligence for Fiduciaries"].status == "in_progress"
    assert all(any(w.code == "several_learners" for w in a.warnings) for a in acts)
    (missing,) = [w for w in warnings if w.code == "id_not_found"]
    assert "5b1c2f0e-7a43-4d1e-9b0c-1f2a3b4c5d99" in missing.message and "'Training'" in missing.message


def test_totara_courses_name_their_provider_in_a_third_sheet() -> None:
    """German headings, a report title block above the completions, and the provider joined through the course."""
    acts, _ = _read("xlsx/totara-de-relational-export.xlsx")
    assert [(a.title, a.provider, a.completed_on, a.cpd_hours) for a in acts] == [
        ("Geldwäscheprävention: Jahresschulung 2025", "Compliance Akademie GmbH", dt.date(2025, 1, 14), 1.5),
        ("Erbschaftsteuer bei Familienstiftungen", "Steuerakademie Süd e.V.", dt.date(2025, 2, 3), 3.0),
        ("Trusts im internationalen Nachlassrecht", "STEP Deutschland", dt.date(2025, 3, 27), 2.5)]
    assert {a.learner for a in acts} == {"Jana Köhler"}
    assert not any(w.code == "several_learners" for a in acts for w in a.warnings)


def _table(name: str, rows: list[list[object]]) -> Table:
    return Table(name, tuple(Row(Location(sheet=name, row=i + 1), tuple(r)) for i, r in enumerate(rows)))  # type: ignore[arg-type]


def test_sheets_that_share_no_ids_are_left_as_they_are() -> None:
    """Two sheets of their own (a log and a list of hours by month): nothing joined, no warning."""
    log = _table("Log", [["Date", "Course", "Hours"], [dt.date(2025, 1, 3), "Trust law update", 2],
                         [dt.date(2025, 2, 3), "AML refresher", 1]])
    months = _table("Months", [["Month", "Hours"], ["January", 2], ["February", 1]])
    joined = join_tables([log, months])
    assert joined.tables == (log, months) and joined.warnings == ()


def test_hours_that_happen_to_equal_ids_are_not_joined() -> None:
    """A column headed as a quantity is never taken for ids, even when its figures are ids of another sheet."""
    log = _table("Log", [["Date", "Course", "Hours"], [dt.date(2025, 1, 3), "Trust law update", 1],
                         [dt.date(2025, 2, 3), "AML refresher", 2]])
    people = _table("People", [["No", "Name"], [1, "Olivia Hughes"], [2, "Ravi Patel"]])
    assert join_tables([log, people]).tables == (log, people)


def test_a_records_sheet_whose_own_row_numbers_equal_user_ids_joins_on_the_user_column() -> None:
    """Completions numbered 1-3 and users numbered 1-3: the column headed for the users, whose ids repeat, wins."""
    book = Workbook()
    done = book.active
    done.title = "Completions"
    done.append(["No", "Learner ID", "Course", "Completed on"])
    done.append([1, 2, "C-7", dt.date(2025, 5, 2)])
    done.append([2, 2, "C-8", dt.date(2025, 6, 9)])
    done.append([3, 2, "C-9", dt.date(2025, 7, 1)])
    users = book.create_sheet("Learners")
    users.append(["Id", "Name"])
    users.append([1, "Olivia Hughes"])
    users.append([2, "Ravi Patel"])
    users.append([3, "Mei Lin"])
    courses = book.create_sheet("Courses")
    courses.append(["Code", "Course title", "Hours"])
    courses.append(["C-7", "Pensions and trusts", 2])
    courses.append(["C-8", "Charity trustees' duties", 1.5])
    courses.append(["C-9", "Powers of attorney in practice", 1])
    out = io.BytesIO()
    book.save(out)
    acts, _ = _read_bytes(out.getvalue(), "relational.xlsx")
    assert [(a.title, a.learner, a.cpd_hours) for a in acts] == [
        ("Pensions and trusts", "Ravi Patel", 2.0), ("Charity trustees' duties", "Ravi Patel", 1.5),
        ("Powers of attorney in practice", "Ravi Patel", 1.0)]
