"""Statuses, activity types, verifiable flags and title-block learners."""
from __future__ import annotations

import pytest

from mappers.learner import learner_from_lines
from mappers.values import read_activity_type, read_prose, read_status, read_text, read_verifiable


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("Completed", "completed"), ("COURSE-COMPLETE", "completed"), ("Attended", "completed"),
        ("Pass", "completed"), ("100%", "completed"), ("Abgeschlossen", "completed"),
        ("In Progress", "in_progress"), ("40%", "in_progress"), ("In Bearbeitung", "in_progress"),
        ("Registered", "not_started"), ("Booked", "not_started"), ("subscribed", "not_started"),
        ("0%", "not_started"), ("Nicht begonnen", "not_started"),
        ("Not yet started", "not_started"), ("Completed - passed", "completed"),
        ("Withdrawn", "withdrawn"), ("Failed", "failed"), (100, "completed"), (40, "in_progress"),
    ],
)
def test_status_words(value: object, status: str) -> None:
    """Each status as records write it reads as the contract's status."""
    assert read_status(value).status == status  # type: ignore[arg-type]


def test_status_word_beats_yes_no() -> None:
    """A status word is stronger evidence than a yes/no flag, a percentage in between."""
    assert read_status("Completed").strength > read_status("40%").strength > read_status("No").strength


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("Online Class", "e_learning"), ("ELRN", "e_learning"), ("Session", "course"), ("ILT", "course"),
        ("VILT", "webinar"), ("Webinaire", "webinar"), ("Séminaire", "seminar"), ("Atelier", "workshop"),
        ("CONF", "conference"), ("Material", "reading"), ("Presenting", "teaching"), ("Self-Study", "self_study"),
        ("External Training", None), ("Blended", None), ("Course", None),
    ],
)
def test_activity_types(value: str, kind: str | None) -> None:
    """Labels that say what kind of learning map; labels that do not stay None."""
    assert read_activity_type(value) == kind


@pytest.mark.parametrize(("value", "flag"), [("Structured", True), ("Unstructured", False), ("Y", True),
                                             ("N", False), ("maybe", None), ("", None)])
def test_verifiable(value: str, flag: bool | None) -> None:
    assert read_verifiable(value) is flag


@pytest.mark.parametrize("value", ["", "  ", "-", "–", "—", "n/a", None])
def test_empty_cells_are_none(value: object) -> None:
    """A dash or blank cell is no value, never an empty string."""
    assert read_text(value) is None  # type: ignore[arg-type]


def test_read_text_normalises_whitespace_and_integral_floats() -> None:
    assert read_text("  Trustee investment duties\nunder the\tAct ") == "Trustee investment duties under the Act"
    assert read_text(1690049.0) == "1690049"


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        (["Law Society of Scotland – CPD record", "Name: Fiona MacLeod"], "Fiona MacLeod"),
        (["Learning History", "User: Chloe Martin (77812)"], "Chloe Martin"),
        (["Prepared for: James Whitfield"], "James Whitfield"),
        (["Nom : Hélène Marchand"], "Hélène Marchand"),
        (["Learner: Grace Adeyemi\nOrganisation: Harbour Trust Company Ltd"], "Grace Adeyemi"),
        (["Employee no: 10482", "Report run 14/01/2026 by Eleanor Hughes"], None),
    ],
)
def test_learner_from_title_block(lines: list[str], name: str | None) -> None:
    """Only a labelled line names the learner; ids in brackets are dropped."""
    assert learner_from_lines(lines) == name


def test_reflections_keep_their_paragraphs() -> None:
    """Two paragraphs stay two (one newline between); spaces inside a line are tidied."""
    two = "Useful refresher on powers of appointment.\n\n  I have   changed our checklist as a result.  "
    assert read_prose(two) == "Useful refresher on powers of appointment.\nI have changed our checklist as a result."
    assert read_prose("Part 1: complaints.\r\nPart 2: questions.") == "Part 1: complaints.\nPart 2: questions."
    assert read_prose("  one   line ") == "one line"
    assert read_prose(" — ") is None
