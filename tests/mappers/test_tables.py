"""Tables -> activities: header detection, skipped rows, competing columns, dates, learners."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import pytest

import mappers.tables
from extractors.model import CellValue, Extraction, Location, RawRecord, Row, RowSource, Table
from mappers.activity import Activity
from mappers.normalise import FileFacts
from mappers.tables import read_activities

FACTS = FileFacts("ab" * 32, "record.xlsx", "application/test", "test", None)


def _table(rows: Sequence[Sequence[CellValue]], context: tuple[str, ...] = ()) -> Table:
    return Table("Sheet1", tuple(Row(Location(sheet="Sheet1", row=i + 1), tuple(r)) for i, r in enumerate(rows)), context)


def _read(*tables: Table, dayfirst: bool | None = None) -> list[Activity]:
    reading = read_activities(Extraction("test", "application/test", tables=tables), FACTS, dayfirst)
    return [activity for batch in reading.batches for activity in batch]


def test_title_block_totals_and_sign_off_are_not_activities() -> None:
    """GIVEN a title block, a quarter heading, a totals row and a signature line WHEN read THEN only the courses come out."""
    rows = [
        ["Training record 2025", "", "", ""],
        ["Name: Rajesh Patel", "", "", ""],
        ["", "", "", ""],
        ["Date", "Course title", "Provider", "Duration (hrs)"],
        ["Q1 2025", "", "", ""],
        [dt.date(2025, 1, 7), "CGT on residential property: 60-day reporting", "Meridian Tax Academy", 1.0],
        [dt.date(2025, 2, 3), "Ethics for tax advisers", "CIOT", 1.5],
        ["", "Total hours", "", 2.5],
        ["Signed by line manager: ____________", "", "", ""],
    ]
    acts = _read(_table(rows))
    assert [a.title for a in acts] == ["CGT on residential property: 60-day reporting", "Ethics for tax advisers"]
    first = acts[0]
    assert first.learner == "Rajesh Patel"
    assert first.completed_on == dt.date(2025, 1, 7) and first.started_on is None
    assert first.duration_minutes == 60 and first.cpd_hours == 1.0
    assert first.source.locator == "sheet=Sheet1;row=6"
    assert first.status == "completed"


def test_repeated_header_and_note_rows_are_skipped() -> None:
    rows = [
        ["Course", "Completed", "Hours"],
        ["Trust accounts", "12/03/2025", "2"],
        ["Course", "Completed", "Hours"],
        ["Note: hours are catalogue lengths", "Note: hours are catalogue lengths", "Note: hours are catalogue lengths"],
        ["Probate update", "13/03/2025", "1"],
    ]
    acts = _read(_table(rows))
    assert [a.title for a in acts] == ["Trust accounts", "Probate update"]
    assert acts[0].completed_on == dt.date(2025, 3, 12)


def test_credited_hours_win_over_time_spent() -> None:
    """GIVEN 'Total Hours' and 'CPD Hours' that differ THEN duration is the time, cpd_hours the credit."""
    rows = [
        ["Title", "Completion Date", "Completion Status", "Total Hours", "CPD Hours"],
        ["Hybrid working: staying connected", "27/10/2025 18:30 GMT", "COURSE-COMPLETE", 0.33, 0.0],
    ]
    (act,) = _read(_table(rows))
    assert act.duration_minutes == 20
    assert act.cpd_hours == 0.0
    assert act.credits is not None and act.credits.unit == "hours"


def test_verifiable_and_non_verifiable_columns() -> None:
    rows = [
        ["Date", "CPD activity", "Provider", "Verifiable hours", "Non-verifiable hours"],
        [dt.date(2024, 11, 4), "Mentoring a trainee solicitor", "", "", 1.5],
        [dt.date(2024, 11, 11), "Drafting discretionary trusts", "Kingsley Law Training", 2.0, ""],
    ]
    mentoring, drafting = _read(_table(rows))
    assert (mentoring.verifiable, mentoring.cpd_hours, mentoring.provider) == (False, 1.5, None)
    assert (drafting.verifiable, drafting.cpd_hours) == (True, 2.0)


def test_not_completed_rows_keep_their_status_and_no_completion_date() -> None:
    rows = [
        ["Course", "Status", "Date", "Hours"],
        ["Trusts and the Finance Act 2025", "Registered", "21/08/2025", 1.5],
        ["Resilience and wellbeing", "In Progress", "", 0.5],
        ["Sanctions compliance", "Withdrawn", "", 1.25],
    ]
    acts = _read(_table(rows))
    assert [a.status for a in acts] == ["not_started", "in_progress", "withdrawn"]
    assert all(a.completed_on is None and a.cpd_hours is None for a in acts)


def test_percent_beats_a_yes_no_flag() -> None:
    rows = [
        ["Course full name", "Completed", "Progress (%)"],
        ["Will drafting for blended families", "No", "40"],
        ["UK GDPR essentials", "No", "0"],
        ["Lasting powers of attorney", "Yes", "100"],
    ]
    assert [a.status for a in _read(_table(rows))] == ["in_progress", "not_started", "completed"]


def test_month_first_proven_by_the_file() -> None:
    """A day above 12 in the second place proves month-first for every date of the file, without warnings."""
    rows = [
        ["Course Title", "Completion Date", "Credits Earned"],
        ["Estate Settlement Fundamentals", "02/13/2025", "2"],
        ["Conflicts of Interest for Fiduciaries", "03/04/2025", "1"],
    ]
    first, second = _read(_table(rows))
    assert second.completed_on == dt.date(2025, 3, 4)
    assert not second.warnings and first.cpd_hours == 2.0 and first.duration_minutes is None


def test_unproven_order_is_read_day_first_with_a_warning() -> None:
    rows = [["Webinar", "Date", "Duration (min)"], ["Special Needs Trusts", "04/02/2025", 75]]
    (act,) = _read(_table(rows))
    assert act.completed_on == dt.date(2025, 2, 4)
    assert [w.code for w in act.warnings] == ["date_order_assumed"]
    (us,) = _read(_table(rows), dayfirst=False)
    assert us.completed_on == dt.date(2025, 4, 2) and not us.warnings


def test_learner_from_name_columns_and_context() -> None:
    rows = [
        ["User Last Name", "User First Name", "Training Title", "Completed Date"],
        ["Hughes", "Eleanor", "Handling beneficiary complaints", "12/02/2024 10:15"],
    ]
    (act,) = _read(_table(rows))
    assert act.learner == "Eleanor Hughes"
    (ctx,) = _read(_table([["Course name", "Date completed"], ["Trust deeds", "24/02/2025"]],
                          context=("Learner: Grace Adeyemi",)))
    assert ctx.learner == "Grace Adeyemi"


def test_summary_and_lookup_sheets_yield_nothing() -> None:
    summary = _table([["Category", "Activities", "Hours"], ["Technical", 12.0, 36.5], ["Total", 32.0, 67.24]])
    lookup = _table([["Code", "Delivery method"], ["ELRN", "E-learning module"]])
    guidance = _table([["How to complete this record"], ["You must complete 20 hours of CPD each year."]])
    assert _read(summary, lookup, guidance) == []


def test_description_column_names_the_activity_when_there_is_no_title() -> None:
    rows = [["Date", "Description", "Hours", "Type"], ["05/03/2025", "Read STEP Journal article on trust registers", "0.5", "Reading"]]
    (act,) = _read(_table(rows))
    assert act.title.startswith("Read STEP Journal") and act.activity_type == "reading"


def test_activity_ids_are_stable_and_distinct() -> None:
    rows = [["Course", "Hours"], ["A course", 1], ["Another course", 2]]
    first = [a.activity_id for a in _read(_table(rows))]
    assert first == [a.activity_id for a in _read(_table(rows))]
    assert len(set(first)) == 2


def test_records_use_contract_labels_and_units() -> None:
    """Labelled records (xAPI, certificates) map by label; seconds and ISO durations are read."""
    records = (
        RawRecord(Location(statement=1), {"title": "Trust basics", "completed_on": "2025-03-02T23:30:00-02:00",
                                          "duration": "PT1H30M", "learner": "Ruth Campbell"}),
        RawRecord(Location(pointer="/data/items/0"), {"course_name": "IHT update", "status": "completed",
                                                      "duration_seconds": 5400, "date_complete": "2025-03-01"}),
    )
    (xapi, lms), = read_activities(Extraction("test", "application/json", records=records), FACTS, None).batches
    assert xapi.completed_on == dt.date(2025, 3, 3)
    assert (xapi.duration_minutes, xapi.cpd_hours, xapi.learner) == (90, 1.5, "Ruth Campbell")
    assert lms.title == "IHT update" and lms.duration_minutes == 90
    assert xapi.source.locator == "statement=1"


class _Generated(RowSource):
    """A 5,000-row transcript made afresh on each pass, counting the passes and the rows made."""

    def __init__(self, dates: bool) -> None:
        self.dates, self.passes, self.made = dates, 0, 0

    def __iter__(self) -> Iterator[Row]:
        self.passes += 1
        yield Row(Location(sheet="T", row=1), ("Course", "Hours", "Completed") if self.dates else ("Course", "Hours"))
        for n in range(2, 5_002):
            self.made += 1
            day = f"{n % 28 + 1:02d}/03/2025"
            yield Row(Location(sheet="T", row=n), (f"Trust law part {n}", "1.5", day) if self.dates else
                      (f"Trust law part {n}", "1.5"))


def test_a_big_table_is_read_in_passes_and_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN rows read from their source on each pass WHEN read THEN the header from the first rows, the date
    order from one pass, the activities in file order from another, never more than a batch at once."""
    monkeypatch.setattr(mappers.tables, "BATCH_ROWS", 700)
    rows = _Generated(dates=True)
    reading = read_activities(Extraction("test", "application/test", tables=(Table("T", rows),)), FACTS, None)
    assert rows.passes == 2   # the first rows, then the date columns (13/03/2025 proves day-first)
    sizes, titles, warned = [], [], 0
    for batch in reading.batches:
        sizes.append(len(batch))
        titles += [a.title for a in batch]
        warned += sum(1 for a in batch for w in a.warnings if w.code == "date_order_assumed")
        # the first rows (at most 241) and the date pass, then only as far as this batch
        assert rows.made <= 241 + 5_000 + 700 * len(sizes)
    assert rows.passes == 3 and max(sizes) == 700 and sum(sizes) == 5_000
    assert titles == [f"Trust law part {n}" for n in range(2, 5_002)]
    assert warned == 0


def test_no_date_column_means_no_pass_for_dates() -> None:
    rows = _Generated(dates=False)
    reading = read_activities(Extraction("test", "application/test", tables=(Table("T", rows),)), FACTS, None)
    assert rows.passes == 1
    assert sum(len(b) for b in reading.batches) == 5_000 and rows.passes == 2


def test_a_row_whose_title_has_no_letters_is_left_out_with_a_warning() -> None:
    """GIVEN a row with hours and a date but '=1+1' computed to 2 as its title THEN no activity, and a
    warning that names the row; a bare number heading a section (nothing else on the row) stays quiet."""
    table = _table([["Course", "Hours", "Completed"], ["Trust law", "1.5", "12/03/2025"], ["2", "2", "13/03/2025"],
                    ["2025", "", ""], ["Probate", "1", "14/03/2025"], ["Ethics", "1", "15/03/2025"]])
    reading = read_activities(Extraction("test", "application/test", tables=(table,)), FACTS, None)
    assert [a.title for batch in reading.batches for a in batch] == ["Trust law", "Probate", "Ethics"]
    (warning,) = reading.warnings
    assert warning.code == "title_without_letters" and warning.message.startswith("sheet=Sheet1;row=3: '2'")


def test_worded_durations_in_a_plain_table_cell() -> None:
    """GIVEN a log whose time column says 'half a day', 'a full day' or 'three hours' WHEN read THEN days are read
    at seven hours with a warning naming that assumption, and exact worded hours need none."""
    rows = [["Date", "Course", "Time spent"],
            ["03/02/2025", "Trust registration service workshop", "half a day"],
            ["10/03/2025", "Annual trust conference", "a full day"],
            ["14/03/2025", "Reading on the register of beneficial owners", "three hours"],
            ["18/03/2025", "Webinar on cross-border estates", "une demi-journée"]]
    acts = _read(_table(rows))
    assert [a.duration_minutes for a in acts] == [210, 420, 180, 210]
    assert [a.cpd_hours for a in acts] == [3.5, 7.0, 3.0, 3.5]
    assert [[w.code for w in a.warnings if w.field == "duration_minutes"] for a in acts] == [
        ["duration_assumed"], ["duration_assumed"], [], ["duration_assumed"]]
    assert "'half a day' was read as 3.5 hours" in acts[0].warnings[-1].message
    assert "Time spent" in acts[0].warnings[-1].message


def test_worded_durations_make_a_column_of_time_by_content() -> None:
    """Headings nobody uses: a column of 'half a day' / '2 hours' is still the time spent."""
    rows = [["Wann", "Was", "Wie viel"],
            ["03.02.2025", "Workshop zum Transparenzregister", "ein halber Tag"],
            ["10.03.2025", "Jahrestagung des Stiftungsrechts", "zwei Tage"],
            ["14.03.2025", "Fachliteratur zur Geldwäsche", "2 Stunden"]]
    acts = _read(_table(rows))
    assert [a.duration_minutes for a in acts] == [210, 840, 120]


@pytest.mark.parametrize("line, learner", [
    ("Naam: Sanne de Vries", "Sanne de Vries"),
    ("Nom : Camille Martin", "Camille Martin"),
    ("Name: Fiona MacLeod", "Fiona MacLeod"),
    ("Nombre: Lucía Fernández García", "Lucía Fernández García"),
    ("Teilnehmer: Jana Köhler", "Jana Köhler"),
    ("Deltager: Mette Hansen", "Mette Hansen"),          # Danish: a label no list here holds
    ("Uczestnik: Anna Kowalska", "Anna Kowalska"),       # Polish
])
def test_learner_labels_in_any_language(line: str, learner: str) -> None:
    """A title block's labelled name is the learner's: a known label with any name, an unknown one with a
    value shaped like a person's name."""
    (act,) = _read(_table([["Course name", "Date completed"], ["Trust deeds", "24/02/2025"]],
                          context=("CPD diary 2025", line)))
    assert act.learner == learner


@pytest.mark.parametrize("line", [
    "Trainer: Mark Ellis", "Referent: Thomas Weber", "Formateur : Paul Girard", "Manager: Susan Cole",
    "Thema: Erbschaftsteuer Grundlagen", "Anbieter: Compliance Akademie GmbH", "Printed: 24 February 2025",
])
def test_labels_naming_someone_else_or_something_else_give_no_learner(line: str) -> None:
    (act,) = _read(_table([["Course name", "Date completed"], ["Trust deeds", "24/02/2025"]], context=(line,)))
    assert act.learner is None


def test_a_label_and_a_name_in_two_cells_above_the_table() -> None:
    rows = [["Teilnehmer", "Jana Köhler", ""], ["", "", ""], ["Kurs", "Datum", "Stunden"],
            ["Geldwäscheprävention 2025", "14.01.2025", "1,5"]]
    (act,) = _read(_table(rows))
    assert act.learner == "Jana Köhler"
