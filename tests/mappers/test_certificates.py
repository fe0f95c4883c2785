"""The certificate reader (mappers.certificates) on the lines an extractor or OCR gives, with and without layout.

The real certificates of ../shared/realworld-records that are images (cert_labeler_*.png, cert_pdfme_*.png,
cert_assistancecert_*.pdf) are given here as the lines and boxes OCR reads on them, in the reading order OCR
gives (row by row across the page): the reader's answer must be what a person reads there.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.model import LineStyle, Location, TextBlock
from mappers.certificates import read_certificate, read_certificates
from mappers.certificates.page import page_lines

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "pdf"
WITH_LINES = [p for p in sorted(SAMPLES.glob("*.expected.json")) if "lines" in json.loads(p.read_text("utf-8"))]


@pytest.mark.parametrize("path", WITH_LINES, ids=lambda p: p.name.split(".")[0])
def test_sample_lines(path: Path) -> None:
    """The text planted in each sample PDF reads as its planted record, or as no certificate."""
    expected = json.loads(path.read_text("utf-8"))
    fields = read_certificate(expected["lines"])
    if not expected["records"]:
        assert fields is None
        return
    assert fields is not None
    for key, value in expected["records"][0]["fields"].items():
        assert fields.get(key) == value, key


CASES = {
    "one-paragraph": (
        ['This is to certify that Jane Smith attended the webinar "Trust Accounts Masterclass" delivered by '
         "Brightwater Training on 12/03/2025. Duration: 1 hour 30 minutes. 1.5 hours of structured CPD. "
         "Ref: BWT-99812"],
        {"title": "Trust Accounts Masterclass", "learner": "Jane Smith", "provider": "Brightwater Training",
         "completed_on": "12/03/2025", "duration": "1 hour 30 minutes", "cpd_hours": "1.5",
         "reference": "BWT-99812", "verifiable": "structured", "activity_type": "webinar"},
    ),
    "conference-range": (
        ["STEP", "Certificate of attendance", "This certifies that", "Nadia Haddad", "attended the conference",
         "STEP Caribbean Conference 2025", "Montego Bay, Jamaica, 18–19 May 2025",
         "The programme qualifies for 9 hours of structured CPD.", "Certificate no. STEP-CC25-0198"],
        {"title": "STEP Caribbean Conference 2025", "learner": "Nadia Haddad", "provider": "STEP",
         "started_on": "18 May 2025", "completed_on": "19 May 2025", "cpd_hours": "9",
         "reference": "STEP-CC25-0198", "verifiable": "structured", "activity_type": "conference"},
    ),
    "issue-date-only-after": (
        ["Certificate of Completion", "We confirm that Tom Baker successfully completed the e-learning course",
         "Anti-money laundering essentials", "on 4 June 2025 (2 CPD points).", "Issued 5 June 2025"],
        {"title": "Anti-money laundering essentials", "learner": "Tom Baker", "completed_on": "4 June 2025",
         "credits": "2", "credits_unit": "points", "activity_type": "online course"},
    ),
    "hereby-granted-earned-cpe": (
        ["Certificate of Completion", "This certificate is hereby granted to", "ROBERTA LANG",
         "for successfully completing", "Ethics for Tax Practitioners (2025)", "Recommended CPE credit: 4.0",
         "Delivery method: Group Live", "Date: October 2, 2025"],
        {"title": "Ethics for Tax Practitioners (2025)", "learner": "ROBERTA LANG", "credits": "4.0",
         "credits_unit": "cpe", "activity_type": "classroom", "completed_on": "October 2, 2025"},
    ),
    "congratulations-only-large-title": (
        ["Congratulations, Priya Shah", "Digital Assets in Estates", "Completed 03/04/2025", "45 min"],
        {"title": "Digital Assets in Estates", "learner": "Priya Shah", "completed_on": "03/04/2025",
         "duration": "45 min"},
    ),
    "certifies-that-has-earned": (
        ["Trustwise Academy certifies that Omar Haddad has earned 2 CPD hours for the webinar",
         "“Discretionary Trusts and Letters of Wishes”", "held on 14 May 2025"],
        {"title": "Discretionary Trusts and Letters of Wishes", "learner": "Omar Haddad", "provider": "Trustwise Academy",
         "cpd_hours": "2", "completed_on": "14 May 2025"},
    ),
    "french-a-suivi": (
        ["Attestation de présence", "Nous attestons que Monsieur Paul Girard", "a suivi le séminaire",
         "Fiscalité des trusts en France", "le 12 mars 2025, d'une durée de 3 heures."],
        {"title": "Fiscalité des trusts en France", "learner": "Paul Girard", "completed_on": "12 mars 2025",
         "duration": "3 heures", "activity_type": "séminaire"},
    ),
    "spanish-ha-completado": (
        ["Certificado", "Se certifica que Ana María López ha completado el curso", "Planificación sucesoria",
         "con una duración de 10 horas", "Fecha: 5 de mayo de 2025"],
        {"title": "Planificación sucesoria", "learner": "Ana María López", "completed_on": "5 de mayo de 2025",
         "duration": "10 horas"},
    ),
    "course-above-completed-by": (
        ["Certificate of Completion", "Congratulations, Jane Doe", "Excel Essential Training",
         "Course completed by Jane Doe", "Jun 03, 2025 at 10:45AM UTC • 1 hour 25 minutes", "Top skills covered",
         "Microsoft Excel", "Certificate Id: AbCdEf123XyZ"],
        {"title": "Excel Essential Training", "learner": "Jane Doe", "completed_on": "Jun 03, 2025",
         "duration": "1 hour 25 minutes", "reference": "AbCdEf123XyZ"},
    ),
    "badge-issued-by-label-above": (
        ["AWS Certified Cloud Practitioner", "Issued by", "Amazon Web Services Training and Certification",
         "Issued to", "Jane Doe", "Issued on: March 3, 2025", "Expires on: March 3, 2028"],
        {"title": "AWS Certified Cloud Practitioner", "learner": "Jane Doe",
         "provider": "Amazon Web Services Training and Certification", "completed_on": None},
    ),
    "german-verb-last": (
        ["Zertifikat", "Hiermit wird bestätigt, dass", "Max Mustermann", "am Seminar", "„Erbschaftsteuer aktuell 2025“",
         "am 12.05.2025 erfolgreich teilgenommen hat.", "Dauer: 4 Stunden"],
        {"title": "Erbschaftsteuer aktuell 2025", "learner": "Max Mustermann", "completed_on": "12.05.2025",
         "duration": "4 Stunden"},
    ),
    "phrase-left-open-verified": (
        ["VERIFIED CERTIFICATE of Achievement", "This is to certify that", "JANE DOE",
         "successfully completed and received a passing grade in", "CS50x: Introduction to Computer Science",
         "a course of study offered by HarvardX, an online learning initiative of Harvard University.",
         "Issued June 3, 2025", "Valid Certificate ID 0123456789abcdef0123456789abcdef"],
        {"title": "CS50x: Introduction to Computer Science", "learner": "JANE DOE", "provider": "HarvardX",
         "completed_on": None, "reference": "0123456789abcdef0123456789abcdef"},
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name: str) -> None:
    lines, want = CASES[name]
    fields = read_certificate(lines)
    assert fields is not None
    for key, value in want.items():
        assert fields.get(key) == value, key


@pytest.mark.parametrize(
    "lines",
    [
        ["Personal development plan 2026", "I intend to attend the STEP Annual Conference in June 2026.",
         "Objective 2: complete a coaching skills course before April 2026.",
         "Nothing has been completed against this plan yet."],
        ["Minutes of the trustees' meeting held on 3 March 2025", "Attended: J. Smith, K. Patel"],
        ["Our certificate programme will be completed by 2026."],
        ["Certificate of Appreciation", "presented to", "Ruth Abernethy", "for participating as a speaker in",
         "Trusts Day 2025", "14 March 2025"],
        ["You are invited", "to attend the webinar", "Probate Update 2026", "on 12 February 2026", "1.5 CPD hours"],
        ["Registration confirmed", "Thank you for registering, Owen Price", "Event: Probate Practice Update",
         "Date: 18 March 2026"],
        [],
    ],
    ids=["plan", "minutes", "future", "appreciation", "invitation", "registration", "empty"],
)
def test_not_certificates(lines: list[str]) -> None:
    assert read_certificate(lines) is None


def test_issue_and_expiry_dates_are_not_the_activity_date() -> None:
    fields = read_certificate([
        "Certificate of Attendance", "This is to certify that", "Ana Lima", "attended the seminar",
        "Cross-border estates", "Date of issue: 3 May 2025", "Date of event: 1 May 2025", "Valid until 1 May 2027",
    ])
    assert fields is not None and fields["completed_on"] == "1 May 2025"


def test_issue_date_alone_is_no_completion_date() -> None:
    fields = read_certificate(["AML Practitioner Badge", "ISSUED TO", "Kofi Asante", "DATE ISSUED", "EXPIRES",
                               "Mar 3, 2025", "Mar 3, 2028"])
    assert fields is not None and fields["learner"] == "Kofi Asante" and "completed_on" not in fields


def test_placeholder_name_is_no_learner() -> None:
    fields = read_certificate(["Certificate of Completion", "This is to certify that", "Your Name",
                               "has completed the course", "Wills and Probate Basics", "Date: 3 June 2025"])
    assert fields is not None and fields["title"] == "Wills and Probate Basics" and "learner" not in fields


def test_letter_spaced_and_overprinted_text_is_read_once() -> None:
    """Letters set apart, letters read twice, a line drawn twice at one place: each is one clean line."""
    style = LineStyle(20, True, 50, 100, 400, 600)
    lines = page_lines(["C E R T I F I C A T E   O F   C O M P L E T I O N", "CCeerrttiiffiiccaattee", "Jane Doe",
                        "Jane Doe"], [style, style, LineStyle(24, False, 90, 200, 300, 600),
                                      LineStyle(24, False, 90.5, 200.3, 300, 600)])
    assert [line.text for line in lines] == ["CERTIFICATE OF COMPLETION", "Certificate", "Jane Doe"]


def test_programme_components_are_one_activity_events_listed_are_several() -> None:
    programme = read_certificates([TextBlock(Location(page=1), (
        "Certificate of Achievement", "This is to certify that", "Sofia Lindqvist", "has completed the programme",
        "Professional Certificate in Trust Administration", "comprising the following modules:",
        "• Module 1: The Law of Trusts", "• Module 2: Trust Accounts and Tax", "Completed on 30 November 2025"))])
    events = read_certificates([TextBlock(Location(page=1), (
        "Certificate of Participation", "This is to confirm that Alice Johnson attended the co-located events held "
        "1–3 October 2025 in Freiburg, comprising:", "• The Community Face-to-face Meeting",
        "• The Final Conference", "Date of issue: 3rd October 2025"))])
    assert [r.fields["title"] for r in programme] == ["Professional Certificate in Trust Administration"]
    assert [r.fields["title"] for r in events] == ["The Community Face-to-face Meeting", "The Final Conference"]
    assert [r.fields.get("activity_type") for r in events] == ["meeting", "conference"]
    assert {r.fields["started_on"] for r in events} == {"1 October 2025"}
    assert {r.location.locator for r in events} == {"page=1;line=3", "page=1;line=4"}


def _tiled(lines: list[tuple[str, float, float]], people: list[dict[str, str]], width: float) -> TextBlock:
    """Certificates laid out two by two, their lines in the order OCR reads a page: row by row, left to right."""
    found = []
    for n, fill in enumerate(people):
        left, top = (0.05 + 0.5 * (n % 2)) * width, 60 + (n // 2) * width * 0.35
        for text, size, dy in lines:
            filled = text.format(**fill)
            span = 0.5 * size * len(filled)
            centre = left + 0.2 * width
            found.append((top + dy, centre - span / 2, filled,
                          LineStyle(size, False, top + dy, centre - span / 2, centre + span / 2, width)))
    found.sort(key=lambda item: (round(item[0]), item[1]))
    return TextBlock(Location(page=1), tuple(f[2] for f in found), tuple(f[3] for f in found))


def test_tiled_attendance_certificates_ocr() -> None:
    """cert_labeler_attendance_hogwarts.png: four certificates on one image, one activity per learner."""
    lines = [("Certificate of attendance", 40, 0), ("{name}", 38, 65),
             ("has attended the class Potions (year 1992-1993)", 14, 130), ("taught by Professor S. Snape", 14, 176),
             ("with date 23/06/1993", 14, 222), ("and a duration of 200 hour(s).", 14, 268), ("Signed by:", 14, 314),
             ("A.P.W.B. Dumbledore", 14, 425), ("School Headmaster", 14, 445)]
    names = ["Harry Potter", "Neville Longbottom", "Hermione Granger", "Ginny Weasley"]
    records = read_certificates([_tiled(lines, [{"name": n} for n in names], 2000)])
    assert [r.fields["learner"] for r in records] == names
    for record in records:
        assert record.fields["title"] == "Potions (year 1992-1993)"
        assert record.fields["completed_on"] == "23/06/1993" and record.fields["duration"] == "200 hour"
    assert len({r.location.locator for r in records}) == 4


def test_tiled_participation_certificates_ocr() -> None:
    """cert_labeler_participation_hogwarts.png: the contribution's title is the title; the house is no name."""
    lines = [("MINISTRY OF MAGIC", 9, -100), ("Certificate of participation", 26, 0), ("{name}", 24, 38),
             ("{house}", 13, 58), ("has participated in the online seminar", 13, 92),
             ("organized by Hogwarts School of Magic and Wizardry", 13, 123), ("with the {kind}:", 13, 153),
             ("{t1}", 24, 180), ("{t2}", 24, 200), ("on date {date}.", 13, 228), ("Signed by:", 13, 258),
             ("A.P.W.B. Dumbledore", 13, 334), ("School Headmaster", 13, 349)]
    people = [
        {"name": "Severus Snape", "house": "Slytherin", "kind": "oral communication",
         "t1": "Advanced potions with more than six plants", "t2": "", "date": "01/01/1993"},
        {"name": "Alastor Moody", "house": "Gryffindor", "kind": "poster",
         "t1": "Distentangling the three unforgivable curses", "t2": "", "date": "01/01/1995"},
        {"name": "Minerva McGonagall", "house": "Gryffindor", "kind": "poster",
         "t1": "From cat to ape: transformations in the XX century", "t2": "", "date": "01/01/1994"},
        {"name": "Rubeus Hagrid", "house": "Gryffindor", "kind": "oral communication",
         "t1": "Why is your hyppogryph not flying? Insights on flight", "t2": "efficiency", "date": "01/01/1996"},
    ]
    block = _tiled(lines, people, 1500)
    kept = [i for i, text in enumerate(block.lines) if text]
    block = TextBlock(block.location, tuple(block.lines[i] for i in kept), tuple(block.styles[i] for i in kept))
    records = read_certificates([block])
    assert [r.fields["learner"] for r in records] == [p["name"] for p in people]
    assert [r.fields["title"] for r in records] == [
        "Advanced potions with more than six plants", "Distentangling the three unforgivable curses",
        "From cat to ape: transformations in the XX century",
        "Why is your hyppogryph not flying? Insights on flight efficiency"]
    assert {r.fields["provider"] for r in records} == {"Hogwarts School of Magic and Wizardry"}
    assert [r.fields["completed_on"] for r in records] == [p["date"] for p in people]


def test_recognition_naming_nothing_is_no_activity_ocr() -> None:
    """cert_pdfme_recognition_lorem_ipsum.png: an award to a person for nothing named is no learning."""
    lines = ("CERTIFICATE", "OF RECOGNITION", "ThisCertificate Is Awarded To", "Hannah Morales",
             "Lorem Ipsum is simply dummy text of the printing and typesetting industry.",
             "Lorem Ipsum has been the industry's standard dummy text", "Juliana Silva", "Murad Naser",
             "Chief Executive", "Head of Community")
    assert read_certificates([TextBlock(Location(page=1), lines)]) == []


def test_date_label_below_its_value_ocr() -> None:
    """cert_assistancecert_john_doe.pdf (image only): 'DATE' stands under its date; the director signs."""
    lines = ("CERTIFICATE", "LOREM IPSUM", "bcbc", "THIS CERTIFIES THAT", "John Doe",
             "Has successfully completed the training program requirement for", "VISITOR", "28 NOVEMBER 2019",
             "MRS. SALOME", "DATE", "DIRECTOR")
    (record,) = read_certificates([TextBlock(Location(page=1), lines)])
    assert record.fields["title"] == "VISITOR" and record.fields["learner"] == "John Doe"
    assert record.fields["completed_on"] == "28 NOVEMBER 2019"
