"""Forms: one key/value table or labelled block per activity, read through the mappers.

The samples (samples/make_form_samples.py) are Word and PDF forms as bodies publish them; each expected
file lists the activities planted in it. The unit cases below build the tables by hand.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from extractors import detect
from extractors.model import CellValue, Extraction, ExtractOptions, Location, RawRecord, Row, Table, Upload
from mappers.activity import Activity
from mappers.dates import read_date
from mappers.forms import label_field, read_forms
from mappers.normalise import FileFacts
from mappers.tables import read_activities

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
FORMS = sorted(p for folder in ("docx", "pdf") for p in (SAMPLES / folder).glob("form-*")
               if not p.name.endswith(".json"))
FACTS = FileFacts("cd" * 32, "form.docx", "application/test", "test", None)


def _expected(path: Path) -> dict[str, Any]:
    beside = path.with_name(path.name + ".expected.json")
    if not beside.exists():
        beside = path.with_suffix(".expected.json")
    found: dict[str, Any] = json.loads(beside.read_text("utf-8"))
    return found


def _activities(extraction: Extraction, name: str = "form.docx") -> list[Activity]:
    facts = FileFacts("cd" * 32, name, extraction.media_type, extraction.format, extraction.layout)
    reading = read_activities(extraction, facts, None)
    return [activity for batch in reading.batches for activity in batch]


def test_form_samples_exist() -> None:
    """Word forms in English, French and German and a PDF form are checked in."""
    assert {p.suffix for p in FORMS} == {".docx", ".pdf"} and len(FORMS) >= 5


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_form_sample_activities(path: Path) -> None:
    """Each planted activity comes out once, in order, with its dates, minutes, provider, learner, the
    answers it reflects and the warnings its reading rests on; the plan and the details give none."""
    upload = Upload.from_bytes(path.read_bytes(), path.name)
    extraction = detect(upload).extract(upload, ExtractOptions())
    found = _activities(extraction, path.name)
    want = _expected(path)["activities"]
    assert [a.source.locator for a in found] == [w["locator"] for w in want]
    for act, planted in zip(found, want):
        assert act.title == planted["title"]
        assert act.provider == planted["provider"]
        assert act.activity_type == planted["activity_type"]
        assert (act.started_on.isoformat() if act.started_on else None) == planted["started_on"]
        assert (act.completed_on.isoformat() if act.completed_on else None) == planted["completed_on"]
        assert act.duration_minutes == planted["duration_minutes"]
        assert act.learner == planted["learner"]
        for marker in planted["reflection_contains"]:
            assert act.reflection is not None and marker in act.reflection
        assert sorted(w.code for w in act.warnings) == sorted(planted["warnings"])


@pytest.mark.parametrize("path", [p for p in FORMS if "blocks" in _expected(p)], ids=lambda p: p.name)
def test_labelled_blocks_in_pdf_text(path: Path) -> None:
    """A PDF whose text repeats 'Label: value' blocks gives one record per block, located by page and line;
    a question set apart from its answer is a label too."""
    upload = Upload.from_bytes(path.read_bytes(), path.name)
    extraction = detect(upload).extract(upload, ExtractOptions())
    assert extraction.layout == "paragraph_blocks" and not extraction.prose
    assert [(r.location.locator, r.fields) for r in extraction.records] == [
        (b["locator"], b["fields"]) for b in _expected(path)["blocks"]]


def test_half_a_day_names_its_assumption() -> None:
    """'Half a day' is 210 minutes, and the warning says a day was taken as 7 hours and half a day as 3.5."""
    (act,) = _read_form([["What did you do?", "Trustee decision-making workshop"], ["When?", "9 September 2025"],
                         ["How long?", "Half a day"]])
    assert act.duration_minutes == 210 and act.cpd_hours == 3.5
    (warning,) = act.warnings
    assert warning.code == "duration_assumed" and "7 hours" in warning.message and "3.5 hours" in warning.message


# -- tables by hand ---------------------------------------------------------------------------------------
def _table(rows: Sequence[Sequence[CellValue]], number: int = 1, context: tuple[str, ...] = ()) -> Table:
    return Table(f"Table {number}", tuple(Row(Location(table=number, row=i), tuple(r))
                                          for i, r in enumerate(rows, start=1)), context)


def _read_form(*forms: Sequence[Sequence[CellValue]]) -> list[Activity]:
    tables = tuple(_table(rows, n) for n, rows in enumerate(forms, start=1))
    return _activities(Extraction("docx", "application/test", "tables", tables=tables))


def test_plan_then_activities() -> None:
    """GIVEN a plan as key/value answers and as columns, then two activity boxes WHEN read THEN two activities."""
    plan_box = [["Development need", "Understand the new registration rules"],
                ["Planned action", "Attend a webinar and read the guidance"], ["Target date", "30/06/2025"]]
    plan_columns = [["Learning need", "How will I address it?", "Target date"],
                    ["Chairing meetings", "In-house workshop", "September 2025"]]
    first = [["Activity", "Registration rules webinar"], ["Date", "12/03/2025"], ["Hours", "1.5"]]
    second = [["Activity", "Chairing meetings workshop"], ["Date", "02/09/2025"], ["Hours", "3"]]
    plans = Extraction("docx", "application/test", "tables", tables=(_table(plan_box, 1), _table(plan_columns, 2)))
    assert read_forms(plans).tables == () and read_forms(plans).found == ()   # nothing left for the column mapper
    acts = _read_form(plan_box, plan_columns, first, second)
    assert [(a.title, a.completed_on and a.completed_on.isoformat(), a.duration_minutes) for a in acts] == [
        ("Registration rules webinar", "2025-03-12", 90), ("Chairing meetings workshop", "2025-09-02", 180)]


def test_pairs_across_a_row() -> None:
    """'Date | 12/03/2025 | Hours | 2' gives two answers; the title row's merged cells count once."""
    (act,) = _read_form([["Activity", "Trust accounts refresher", "Trust accounts refresher", "Trust accounts refresher"],
                         ["Date", "12/03/2025", "Hours", "2"], ["Provider", "Fenwick Learning", "Type", "Webinar"]])
    assert (act.title, act.completed_on and act.completed_on.isoformat(), act.duration_minutes, act.provider,
            act.activity_type) == ("Trust accounts refresher", "2025-03-12", 120, "Fenwick Learning", "webinar")


def test_a_question_above_its_answer() -> None:
    """A question alone on its row is answered by the row below."""
    (act,) = _read_form([["What was the activity?"], ["Sanctions screening masterclass"], ["When?"], ["4 June 2025"],
                         ["What did you learn?"], ["Screen at every distribution, not only at onboarding."]])
    assert act.title == "Sanctions screening masterclass"
    assert act.completed_on is not None and act.completed_on.isoformat() == "2025-06-04"
    assert act.reflection == "Screen at every distribution, not only at onboarding."


def test_activities_in_one_table_split_where_labels_repeat() -> None:
    """A table holding every activity (PDF tables stitched together) gives one activity per repeated label set."""
    acts = _read_form([["What did you do?", "Probate update"], ["When?", "3 March 2025"], ["How long?", "2 hours"],
                       ["What did you do?", "Deputyship basics"], ["When?", "17/03/2025"], ["How long?", "90 minutes"]])
    assert [(a.title, a.source.locator, a.duration_minutes) for a in acts] == [
        ("Probate update", "table=1;row=1", 120), ("Deputyship basics", "table=1;row=4", 90)]


def test_a_table_of_rows_is_not_a_form() -> None:
    """A two-column log with a header row is read as rows, one activity each."""
    acts = _read_form([["Course", "Date"], ["Trust accounts refresher", "12/03/2025"],
                       ["Ethics for trustees", "19/03/2025"]])
    assert [a.title for a in acts] == ["Trust accounts refresher", "Ethics for trustees"]
    assert all(a.source.layout == "tables" for a in acts)


def test_details_and_summary_boxes_give_nothing_but_the_name() -> None:
    """A details box names the member of the form's activities; a summary box of totals is no activity."""
    details = [["Name", "Nadia Haddad"], ["Membership number", "STEP 40211"], ["CPD year", "2025"]]
    summary = [["Verifiable units required", "21"], ["Verifiable units recorded", "37.5"]]
    form = [["What did you do?", "Charity trustees: reporting duties"], ["When?", "20/08/2025"],
            ["How long?", "1 hour"]]
    (act,) = _read_form(details, summary, form)
    assert act.learner == "Nadia Haddad" and act.source.locator == "table=3;row=1"


def test_answers_known_by_their_content() -> None:
    """An answer under a label nobody knows is a date or a duration when it plainly is one; a 'When?' that
    holds a length of time is the duration."""
    (act,) = _read_form([["What did you do?", "Reading: Private Client Quarterly"], ["Completed (tick)", "18/03/2025"],
                         ["When?", "two and a half hours"]])
    assert act.completed_on is not None and act.completed_on.isoformat() == "2025-03-18"
    assert act.duration_minutes == 150 and not act.warnings


def test_a_bare_figure_says_which_unit_was_assumed() -> None:
    """'How long? | 2' is two hours, with a warning that no unit was written."""
    (act,) = _read_form([["What did you do?", "Court of Protection basics"], ["When?", "17 September 2025"],
                         ["How long?", "2"]])
    assert act.duration_minutes == 120
    assert [w.code for w in act.warnings] == ["duration_unit_assumed"]


def test_a_box_with_no_learning_done_is_no_activity() -> None:
    """A title with no date, no time and no reflection (a planned course) gives nothing and no error."""
    reading = read_activities(Extraction("docx", "application/test", "tables", tables=(
        _table([["Activity", "Leadership programme"], ["Planned activity", "Apply in spring"],
                ["Priority", "High"]]),)), FACTS, None)
    assert [a for batch in reading.batches for a in batch] == [] and reading.warnings == []


def test_labelled_blocks_use_the_form_vocabulary() -> None:
    """A labelled paragraph block asking questions is read like a form box (Word and PDF text)."""
    record = RawRecord(Location(paragraph=4), {"What did you do?": "AML refresher 2025", "When?": "02/04/2025",
                                               "How long?": "three hours", "What did you learn?": "Source of wealth."})
    (act,) = _activities(Extraction("docx", "application/test", "paragraph_blocks", records=(record,)))
    assert (act.title, act.duration_minutes, act.reflection) == ("AML refresher 2025", 180, "Source of wealth.")
    assert act.completed_on is not None and act.completed_on.isoformat() == "2025-04-02"


LABELS = [
    ("What did you do?", "title"), ("What was the activity?", "title"), ("Qu'avez-vous fait ?", "title"),
    ("Was haben Sie gemacht?", "title"), ("¿Qué actividad realizó?", "title"),
    ("Who provided it?", "provider"), ("Organisme", "provider"), ("Anbieter", "provider"), ("Proveedor", "provider"),
    ("When?", "date"), ("Date(s)", "date"), ("Quand ?", "date"), ("Wann?", "date"), ("¿Cuándo?", "date"),
    ("How long?", "duration"), ("Time spent", "duration"), ("Durée", "duration"), ("Wie lange?", "duration"),
    ("¿Cuánto tiempo?", "duration"),
    ("What did you learn?", "reflection"), ("How will you apply it?", "reflection"),
    ("Qu'avez-vous appris ?", "reflection"), ("Comment allez-vous l'appliquer ?", "reflection"),
    ("Was haben Sie gelernt?", "reflection"), ("Wie werden Sie das Gelernte anwenden?", "reflection"),
    ("¿Qué ha aprendido?", "reflection"), ("¿Cómo lo aplicará?", "reflection"),
    ("Start date", "started_on"), ("End date", "completed_on"),
    ("Development need", "plan"), ("Target date", "plan"), ("What will you do?", "plan"),
    ("Entwicklungsbedarf", "plan"), ("Objectif", "plan"), ("Necesidad formativa", "plan"),
]


@pytest.mark.parametrize(("label", "field"), LABELS, ids=[label for label, _ in LABELS])
def test_label_vocabulary(label: str, field: str) -> None:
    """Form labels are known by what they ask, in English, French, German and Spanish."""
    assert label_field(label) == field


RANGES = [
    ("17-18 June 2025", "2025-06-17", "2025-06-18"), ("17 June – 18 June 2025", "2025-06-17", "2025-06-18"),
    ("17/06/2025 to 18/06/2025", "2025-06-17", "2025-06-18"), ("17 and 18 June 2025", "2025-06-17", "2025-06-18"),
    ("17th-18th June 2025", "2025-06-17", "2025-06-18"), ("Mon 17 – Tue 18 June 2025", "2025-06-17", "2025-06-18"),
    ("June 17-18, 2025", "2025-06-17", "2025-06-18"), ("June 30 – July 1, 2025", "2025-06-30", "2025-07-01"),
    ("17 et 18 juin 2025", "2025-06-17", "2025-06-18"), ("17. und 18. Juni 2025", "2025-06-17", "2025-06-18"),
    ("17 y 18 de junio de 2025", "2025-06-17", "2025-06-18"), ("17/06/25-18/06/25", "2025-06-17", "2025-06-18"),
]


@pytest.mark.parametrize(("text", "start", "end"), RANGES, ids=[t for t, _, _ in RANGES])
def test_two_day_dates_as_forms_write_them(text: str, start: str, end: str) -> None:
    """Two days written loosely read as the range they name (mappers.dates), never as another year."""
    reading = read_date(text)
    assert (reading.start and reading.start.isoformat(), reading.value and reading.value.isoformat()) == (start, end)


def test_a_details_answer_under_an_unknown_label_names_the_member_when_it_is_a_name() -> None:
    """learner_named: a label no list holds ('Deelnemer', 'Uczestnik') with a person's name as its answer names
    the member; one naming someone else ('Trainer') or holding no name does not."""
    from mappers.forms.pairs import Pair
    from mappers.forms.records import learner_named

    at = Location(table=1, row=1)
    assert learner_named([Pair("Deelnemer", None, "Sanne de Vries", at)]) == "Sanne de Vries"
    assert learner_named([Pair("Uczestnik", None, "Anna Kowalska", at)]) == "Anna Kowalska"
    assert learner_named([Pair("Trainer", None, "Mark Ellis", at)]) is None
    assert learner_named([Pair("Kantoor", None, "Harbour Trust Company", at)]) is None
