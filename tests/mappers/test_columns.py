"""Columns known by their content (issue 13): records whose headings we do not know, read from sample files."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import extractors
from extractors.model import CellValue, ExtractOptions, Upload
from mappers.activity import Activity, ActivityWarning
from mappers.columns import find_header, judge_columns, time_unit
from mappers.normalise import FileFacts, is_total_label
from mappers.tables import read_activities

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _read(relative: str) -> tuple[list[Activity], list[ActivityWarning]]:
    path = SAMPLES / relative
    upload = Upload.from_bytes(path.read_bytes(), path.name)
    module = extractors.detect(upload)
    extraction = module.extract(upload, ExtractOptions())
    facts = FileFacts(upload.sha256, upload.filename, module.MEDIA_TYPES[0], module.FORMAT, extraction.layout)
    reading = read_activities(extraction, facts, None)
    activities = [a for batch in reading.batches for a in batch]
    return activities, reading.warnings


def test_german_export_with_unknown_headings_is_read_by_content() -> None:
    """GIVEN a German LMS export headed in words no vocabulary holds WHEN read THEN dates, decimal-comma hours,
    providers and statuses come from the cells, the 'Summe' line is no activity, and a warning names the columns."""
    acts, warnings = _read("csv/de-lms-export-unknown-headers.csv")
    assert [a.title for a in acts][:2] == ["Geldwäscheprävention: Jahresschulung 2025",
                                          "Erbschaftsteuer bei Familienstiftungen"]
    assert len(acts) == 5
    first = acts[0]
    assert (first.completed_on, first.duration_minutes, first.cpd_hours) == (dt.date(2025, 1, 14), 90, 1.5)
    assert first.provider == "Compliance Akademie GmbH" and first.learner == "Jana Köhler"
    assert acts[4].status == "in_progress" and acts[4].completed_on is None
    (judged,) = [w for w in warnings if w.code == "columns_judged_by_content"]
    assert "'Erledigt' as date" in judged.message and "'Aufwand' as time spent" in judged.message


def test_personal_diary_in_everyday_dutch_words() -> None:
    """GIVEN a member's own diary (Wanneer | Wat heb ik gedaan | Wie organiseerde het | Hoe lang) with a 'Totaal'
    line and a row that gives only a month THEN every entry is read, the month-only row has no date and a
    warning, and the total is no activity."""
    acts, _ = _read("xlsx/nl-personal-cpd-diary.xlsx")
    assert [a.title for a in acts] == [
        "Webinar nieuwe Wwft-richtlijnen", "Cursus fiscale aspecten van trusts",
        "Vakliteratuur gelezen over schenkbelasting", "Intervisie met collega's over dossiervorming",
        "Integriteit en beroepsethiek"]
    assert [a.cpd_hours for a in acts] == [1.5, 4.0, 2.0, 1.5, 2.5]
    assert acts[0].provider == "Koninklijke Beroepsorganisatie"
    month_only = acts[3]
    assert month_only.completed_on is None
    assert [w.code for w in month_only.warnings] == ["month_only"]
    assert acts[4].completed_on == dt.date(2025, 4, 8)


def test_a_log_with_no_header_row_is_read_from_its_first_line() -> None:
    acts, warnings = _read("csv/no-header-training-log.csv")
    assert len(acts) == 5
    assert acts[0].title == "Anti-money laundering refresher 2025"
    assert (acts[0].completed_on, acts[0].cpd_hours, acts[0].provider) == (
        dt.date(2025, 1, 7), 1.5, "Compliance Essentials Ltd")
    assert acts[0].source.locator == "line=1"
    assert any(w.code == "columns_judged_by_content" for w in warnings)


def test_a_course_catalogue_is_not_a_record() -> None:
    """Courses with codes, categories and lengths but no learner, date or completion: no activities, and a
    warning that says why."""
    acts, warnings = _read("csv/course-catalogue-not-a-record.csv")
    assert acts == []
    assert [w.code for w in warnings] == ["not_a_record"]
    assert "catalogue" in warnings[0].message


def test_a_mail_merge_list_keeps_each_learner() -> None:
    acts, _ = _read("csv/certificate-mail-merge-several-learners.csv")
    assert [a.learner for a in acts] == ["Aisha Khan", "Tom Reilly", "Mei Lin", "Aisha Khan"]
    assert [a.reference for a in acts][:2] == ["HT-2025-0141", "HT-2025-0142"]
    assert all(a.cpd_hours in (2.0, 1.5) and a.duration_minutes is None for a in acts)
    assert all([w.code for w in a.warnings] == ["several_learners"] for a in acts)
    assert "Tom Reilly's" in acts[1].warnings[0].message


def test_a_file_of_one_learner_carries_no_learner_warning() -> None:
    acts, _ = _read("csv/de-lms-export-unknown-headers.csv")
    assert {a.learner for a in acts} == {"Jana Köhler"}
    assert not any(w.code == "several_learners" for a in acts for w in a.warnings)


def test_an_upload_naming_courses_only_by_code_gives_the_code_as_title() -> None:
    """A completion upload (username, courseshortname, completiondate, grade, custom fields): the short name
    is the title, with a warning; a custom field's text is not the title, a grade is not hours."""
    rows: list[list[CellValue]] = [
        ["username", "courseshortname", "courseidnumber", "completiondate", "grade", "customfield_notes"],
        ["learner7", "AML-2025", "17", "2025-03-04", "85", "Most excellent course of the very highest standard"],
    ]
    from extractors.model import Extraction, Location, Row, Table
    table = Table("csv", tuple(Row(Location(line=i + 1), tuple(r)) for i, r in enumerate(rows)))
    facts = FileFacts("ab" * 32, "upload.csv", "text/csv", "csv", None)
    reading = read_activities(Extraction("csv", "text/csv", tables=(table,)), facts, None)
    (act,) = [a for batch in reading.batches for a in batch]
    assert act.title == "AML-2025" and act.completed_on == dt.date(2025, 3, 4)
    assert act.cpd_hours is None and act.duration_minutes is None
    assert [w.code for w in reading.warnings] == ["title_is_code"]


@pytest.mark.parametrize("label", ["Summe", "Gesamt", "Totaal", "Totale", "Total", "Zwischensumme", "Insgesamt"])
def test_totals_lines_in_other_languages(label: str) -> None:
    assert is_total_label(label)


def test_dates_without_headings_are_told_apart_by_status_and_order() -> None:
    """GIVEN enrolment, start, completion and last-viewed dates under unknown headings THEN the completion is the
    date filled where the status says done, the start the latest date never after it, the others left out."""
    header = find_header([["Aa", "Bb", "Cc", "Dd", "Ee", "Ff"],
                          ["Trust law", "01/02/2025", "03/02/2025", "05/02/2025", "06/02/2025", "Completed"]])
    assert header is not None and header.first_row == 0
    body: list[list[CellValue]] = [
        ["Trust law update", "01/02/2025", "03/02/2025", "05/02/2025", "06/02/2025", "Completed"],
        ["Probate practice", "02/02/2025", "04/02/2025", "", "07/02/2025", "In progress"],
        ["Ethics for advisers", "03/03/2025", "10/03/2025", "12/03/2025", "12/03/2025", "Completed"],
        ["Charity trusts", "04/03/2025", "", "", "", "Not started"],
    ]
    fields = [j.field for j in judge_columns(header, body)]
    assert fields == ["title", "ignore", "started_on", "completed_on", "ignore", "status"]


@pytest.mark.parametrize("figures, unit", [
    ((1.5, 0.25, 3.0, 7.0), "hours"), ((45.0, 120.0, 90.0, 405.0), "minutes"),
    ((6438.0, 3260.0, 0.0, 4056.0), "seconds"), ((1.0, 2.0, 3.0, 4.0), None), ((1.5, 2.5, 4.0), "hours"),
    ((1.0, 2.0, 1.5, 4.5), "hours"),      # the last figure sums those above it: a totals line, not a time
])
def test_bare_figures_are_read_as_times_by_their_size(figures: tuple[float, ...], unit: str | None) -> None:
    assert time_unit(figures) == unit


def test_the_header_row_is_found_by_the_kinds_of_the_cells() -> None:
    """A title block, then a row of words above dates and figures: that row is the header, whatever its words."""
    rows: list[list[CellValue]] = [["Mijn PE-dagboek", "", ""], ["", "", ""], ["Wanneer", "Wat", "Hoe lang"],
                                   [dt.date(2025, 1, 3), "Trust law", 1.5], [dt.date(2025, 2, 3), "Probate", 2.0]]
    header = find_header(rows)
    assert header is not None and (header.first_row, header.last_row) == (2, 2)
    assert header.texts == ("Wanneer", "Wat", "Hoe lang")
