#!/usr/bin/env python3
"""Write the CPD record forms of samples/docx/ and samples/pdf/ and their expected files.

Forms as professional bodies and firms publish them: a "Plan / Act / Reflect" record (a development plan
with no dates, then one key/value table per activity answering "What did you do?", "When?", "How long?",
"What did you learn?"), a firm's log giving label/value pairs across each row, a "Plan / Do / Review /
Reflect" record printed to PDF with ruled tables, and the same kind of form in French and German. Members
fill them in their own words: "Half a day", "17-18 June 2025", "drei Stunden".

Each expected file holds what the extractor must yield (in the form tests/extractors/test_docx.py and
test_pdf.py read) and, under "activities", what the mappers must make of it (tests/mappers/test_forms.py),
both written from what this script planted, never from the code's output. Deterministic (fixed document
dates, fixed zip timestamps, reportlab's invariant mode). Every person and firm is invented.

    .venv/bin/pip install -e '.[samples]'
    .venv/bin/python samples/make_form_samples.py
"""
from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from make_doc_samples import _expected_rows, _new_document, _save, _table
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

HERE = Path(__file__).resolve().parent
Expected = dict[str, Any]
Rows = list[list[str]]


def _activity(title: str, *, started: str | None = None, completed: str | None, minutes: int | None,
              provider: str | None = None, kind: str | None = None, learner: str | None = None,
              reflection: tuple[str, ...] = (), warnings: tuple[str, ...] = (), locator: str) -> Expected:
    """What the mappers must read for one planted activity (reflection: marker phrases it must contain)."""
    return {"locator": locator, "title": title, "provider": provider, "activity_type": kind, "started_on": started,
            "completed_on": completed, "duration_minutes": minutes, "learner": learner,
            "reflection_contains": list(reflection), "warnings": list(warnings)}


# -- Word: Plan / Act / Reflect ----------------------------------------------------------------------------
PAR_LEARNER = "Amelia Okonjo"
PAR_ACTIVITIES = (
    ("MARKER-PAR-1 STEP Annual Conference 2025: trusts, estates and the registration service", "Conference",
     "STEP", "17-18 June 2025", "12 hours",
     "MARKER-PAR-LEARN-1 The new trust registration deadlines and the excluded property rules.",
     "MARKER-PAR-APPLY-1 I will check our registration diary for every trust I administer."),
    ("MARKER-PAR-2 Facilitating difficult conversations with beneficiaries", "Workshop",
     "Fairlight Trust Company (in-house)", "9 September 2025", "Half a day",
     "MARKER-PAR-LEARN-2 How to open a meeting and keep to the trustees' decision.",
     "MARKER-PAR-APPLY-2 I will prepare an agenda for the next family meeting."),
    ("MARKER-PAR-3 Trust accounts and tax returns for lay trustees", "Course", "Kingsley Law Training",
     "14/10/2025", "Three hours",
     "MARKER-PAR-LEARN-3 The SA900 pages and the rate applicable to trusts.",
     "MARKER-PAR-APPLY-3 I will use the checklist on this year's returns."),
    ("MARKER-PAR-4 Ethics: conflicts of interest in family trusts", "Webinar", "STEP", "3 December 2025",
     "45 minutes",
     "MARKER-PAR-LEARN-4 When a trustee's personal interest must be declared.",
     "MARKER-PAR-APPLY-4 I will raise conflicts at the start of each trustee meeting."),
)


def plan_act_reflect() -> tuple[bytes, Expected]:
    document = _new_document()
    document.add_heading("CPD record 2025: Plan, Act, Reflect", level=1)
    details = [["Name", PAR_LEARNER], ["Membership number", "60418"], ["Employer", "Fairlight Trust Company"]]
    _table(document, details)
    document.add_heading("1. Plan: my development needs", level=2)
    document.add_paragraph("List what you need to learn this year and how you will meet each need.")
    plan = [["Development need", "How will I meet it?", "Target date", "Priority"],
            ["Keep up with trust registration changes", "Attend the STEP conference; read the TRS guidance",
             "June 2025", "High"],
            ["Chairing meetings with beneficiaries", "In-house workshop", "September 2025", "Medium"]]
    _table(document, plan)
    document.add_heading("2. Act and reflect: record of activities", level=2)
    document.add_paragraph("Complete one table for each activity.")
    tables: list[Expected] = [
        {"name": "Table 1", "rows": _expected_rows(1, details), "context": ["CPD record 2025: Plan, Act, Reflect"]},
        {"name": "Table 2", "rows": _expected_rows(2, plan), "context": ["1. Plan: my development needs"]},
    ]
    activities = []
    for number, (title, kind, provider, when, length, learned, apply) in enumerate(PAR_ACTIVITIES, start=1):
        document.add_heading(f"Activity {number}", level=3)
        rows = [["What did you do?", title], ["Type of activity", kind], ["Who provided it?", provider],
                ["When?", when], ["How long?", length], ["What did you learn?", learned],
                ["How will you apply it?", apply]]
        _table(document, rows)
        tables.append({"name": f"Table {number + 2}", "rows": _expected_rows(number + 2, rows),
                       "context": [f"Activity {number}"]})
    document.add_paragraph("Declaration: I confirm that this record is accurate.")
    document.add_paragraph("Signed: A. Okonjo")
    activities = [
        _activity(PAR_ACTIVITIES[0][0], started="2025-06-17", completed="2025-06-18", minutes=720, provider="STEP",
                  kind="conference", learner=PAR_LEARNER, reflection=("MARKER-PAR-LEARN-1", "MARKER-PAR-APPLY-1"),
                  locator="table=3;row=1"),
        _activity(PAR_ACTIVITIES[1][0], completed="2025-09-09", minutes=210, provider=PAR_ACTIVITIES[1][2],
                  kind="workshop", learner=PAR_LEARNER, reflection=("MARKER-PAR-LEARN-2", "MARKER-PAR-APPLY-2"),
                  warnings=("duration_assumed",), locator="table=4;row=1"),
        _activity(PAR_ACTIVITIES[2][0], completed="2025-10-14", minutes=180, provider=PAR_ACTIVITIES[2][2],
                  kind=None, learner=PAR_LEARNER, reflection=("MARKER-PAR-LEARN-3", "MARKER-PAR-APPLY-3"),
                  locator="table=5;row=1"),
        _activity(PAR_ACTIVITIES[3][0], completed="2025-12-03", minutes=45, provider="STEP", kind="webinar",
                  learner=PAR_LEARNER, reflection=("MARKER-PAR-LEARN-4", "MARKER-PAR-APPLY-4"),
                  locator="table=6;row=1"),
    ]
    return _save(document), {"layout": "tables", "tables": tables, "records": [], "issues": [],
                             "activities": activities}


# -- Word: label/value pairs across each row ---------------------------------------------------------------
ACROSS_LEARNER = "Rhys Pemberton"
ACROSS = (
    ("MARKER-ROW-1 Sanctions screening for trust clients", "04/03/2025", "2", "Harbour Academy", "Webinar",
     "MARKER-ROW-OUT-1 Screening at onboarding and at every distribution."),
    ("MARKER-ROW-2 Private Client Forum 2025", "3-4 April 2025", "10", "Calder Law Seminars", "Conference",
     "MARKER-ROW-OUT-2 Two days of case law updates on trustee powers."),
    ("MARKER-ROW-3 Reading: Trusts & Trustees journal", "22/05/2025", "two and a half hours", "Self-directed",
     "Reading", "MARKER-ROW-OUT-3 Notes on three articles filed."),
)


def pairs_across_rows() -> tuple[bytes, Expected]:
    document = _new_document()
    document.add_heading("Training and CPD log", level=1)
    document.add_paragraph(f"Employee: {ACROSS_LEARNER}")
    tables = []
    for number, (title, when, hours, provider, kind, outcome) in enumerate(ACROSS, start=1):
        rows = [["Activity", title, title, title], ["Date", when, "Hours", hours],
                ["Provider", provider, "Type", kind], ["Learning outcome", outcome, outcome, outcome]]
        table = _table(document, [["Activity", title, "", ""], ["Date", when, "Hours", hours],
                                  ["Provider", provider, "Type", kind], ["Learning outcome", outcome, "", ""]])
        for r in (0, 3):
            merged = table.cell(r, 1).merge(table.cell(r, 3))
            merged.text = rows[r][1]
        document.add_paragraph("")
        tables.append({"name": f"Table {number}", "rows": _expected_rows(number, rows), "context": []})
    activities = [
        _activity(ACROSS[0][0], completed="2025-03-04", minutes=120, provider="Harbour Academy", kind="webinar",
                  learner=ACROSS_LEARNER, reflection=("MARKER-ROW-OUT-1",), locator="table=1;row=1"),
        _activity(ACROSS[1][0], started="2025-04-03", completed="2025-04-04", minutes=600,
                  provider="Calder Law Seminars", kind="conference", learner=ACROSS_LEARNER,
                  reflection=("MARKER-ROW-OUT-2",), locator="table=2;row=1"),
        _activity(ACROSS[2][0], completed="2025-05-22", minutes=150, provider="Self-directed", kind="reading",
                  learner=ACROSS_LEARNER, reflection=("MARKER-ROW-OUT-3",), locator="table=3;row=1"),
    ]
    return _save(document), {"layout": "tables", "tables": tables, "records": [], "issues": [],
                             "context": [f"Employee: {ACROSS_LEARNER}"], "activities": activities}


# -- Word: the same kind of form in French and in German ---------------------------------------------------
def _two_column_form(heading: str, name_line: str, plan: Rows | None, labels: tuple[str, ...],
                     answers: tuple[tuple[str, ...], ...], activity_word: str) -> tuple[bytes, list[Expected]]:
    document = _new_document()
    document.add_heading(heading, level=1)
    document.add_paragraph(name_line)
    tables: list[Expected] = []
    if plan is not None:
        _table(document, plan)
        tables.append({"name": "Table 1", "rows": _expected_rows(1, plan), "context": []})
    for number, values in enumerate(answers, start=1):
        document.add_heading(f"{activity_word} {number}", level=2)
        rows = [[label, value] for label, value in zip(labels, values)]
        _table(document, rows)
        index = len(tables) + 1
        tables.append({"name": f"Table {index}", "rows": _expected_rows(index, rows),
                       "context": [f"{activity_word} {number}"]})
    return _save(document), tables


FR_LABELS = ("Qu'avez-vous fait ?", "Organisme", "Date(s)", "Durée", "Qu'avez-vous appris ?",
             "Comment allez-vous l'appliquer ?")
FR_ANSWERS = (
    ("MARKER-FR-1 Colloque annuel de droit patrimonial", "Cercle de droit patrimonial", "12-13 mars 2025",
     "deux jours", "MARKER-FR-APPRIS-1 La réserve héréditaire et les biens à l'étranger.",
     "MARKER-FR-APPLI-1 Je reverrai deux dossiers de succession internationale."),
    ("MARKER-FR-2 Atelier : entretien avec les héritiers", "Institut Rhône Patrimoine", "8 avril 2025",
     "une demi-journée", "MARKER-FR-APPRIS-2 Préparer et conduire un entretien difficile.",
     "MARKER-FR-APPLI-2 Je préparerai un ordre du jour pour chaque rendez-vous."),
    ("MARKER-FR-3 Webinaire : lutte contre le blanchiment", "Formalis Conformité", "20/05/2025", "trois heures",
     "MARKER-FR-APPRIS-3 Les nouveaux signaux d'alerte.", "MARKER-FR-APPLI-3 Je mettrai à jour notre grille."),
)


def french_form() -> tuple[bytes, Expected]:
    learner = "Camille Lefort"
    data, tables = _two_column_form("Relevé de formation continue 2025", f"Nom : {learner}", None, FR_LABELS,
                                    FR_ANSWERS, "Activité")
    activities = [
        _activity(FR_ANSWERS[0][0], started="2025-03-12", completed="2025-03-13", minutes=840,
                  provider=FR_ANSWERS[0][1], learner=learner, reflection=("MARKER-FR-APPRIS-1", "MARKER-FR-APPLI-1"),
                  warnings=("duration_assumed",), locator="table=1;row=1"),
        _activity(FR_ANSWERS[1][0], completed="2025-04-08", minutes=210, provider=FR_ANSWERS[1][1], learner=learner,
                  reflection=("MARKER-FR-APPRIS-2",), warnings=("duration_assumed",), locator="table=2;row=1"),
        _activity(FR_ANSWERS[2][0], completed="2025-05-20", minutes=180, provider=FR_ANSWERS[2][1], learner=learner,
                  reflection=("MARKER-FR-APPRIS-3",), locator="table=3;row=1"),
    ]
    return data, {"layout": "tables", "tables": tables, "records": [], "issues": [],
                  "context": [f"Nom : {learner}"], "activities": activities}


DE_PLAN = [["Entwicklungsbedarf", "Neue Regeln zum Transparenzregister"],
           ["Geplante Maßnahme", "Tagung besuchen, Merkblatt lesen"], ["Zieldatum", "30.06.2025"]]
DE_LABELS = ("Was haben Sie gemacht?", "Anbieter", "Wann?", "Wie lange?", "Was haben Sie gelernt?",
             "Wie werden Sie das Gelernte anwenden?")
DE_ANSWERS = (
    ("MARKER-DE-1 Jahrestagung Erbrecht 2025", "Erbrechtsforum Süd", "17.–18. Juni 2025", "12 Stunden",
     "MARKER-DE-GELERNT-1 Die Pflichtteilsreform und ihre Folgen.", "MARKER-DE-ANWENDEN-1 Ich prüfe drei Mandate."),
    ("MARKER-DE-2 Seminar Stiftungsrecht", "Akademie Kessler", "2. September 2025", "ein halber Tag",
     "MARKER-DE-GELERNT-2 Satzungsänderungen nach der Reform.", "MARKER-DE-ANWENDEN-2 Ich aktualisiere die Muster."),
    ("MARKER-DE-3 Webinar Geldwäscheprävention", "Compliance Kolleg", "14.10.2025", "drei Stunden",
     "MARKER-DE-GELERNT-3 Risikoanalyse für Treuhänder.", "MARKER-DE-ANWENDEN-3 Ich ergänze unsere Checkliste."),
)


def german_form() -> tuple[bytes, Expected]:
    learner = "Jonas Weber"
    data, tables = _two_column_form("Fortbildungsnachweis 2025", f"Name: {learner}", DE_PLAN, DE_LABELS, DE_ANSWERS,
                                    "Maßnahme")
    activities = [
        _activity(DE_ANSWERS[0][0], started="2025-06-17", completed="2025-06-18", minutes=720,
                  provider=DE_ANSWERS[0][1], learner=learner,
                  reflection=("MARKER-DE-GELERNT-1", "MARKER-DE-ANWENDEN-1"), locator="table=2;row=1"),
        _activity(DE_ANSWERS[1][0], completed="2025-09-02", minutes=210, provider=DE_ANSWERS[1][1], learner=learner,
                  reflection=("MARKER-DE-GELERNT-2",), warnings=("duration_assumed",), locator="table=3;row=1"),
        _activity(DE_ANSWERS[2][0], completed="2025-10-14", minutes=180, provider=DE_ANSWERS[2][1], learner=learner,
                  reflection=("MARKER-DE-GELERNT-3",), locator="table=4;row=1"),
    ]
    return data, {"layout": "tables", "tables": tables, "records": [], "issues": [],
                  "context": [f"Name: {learner}"], "activities": activities}


# -- Word: reflective accounts written as questions and answers in paragraphs ------------------------------
REFLECTIVE_LEARNER = "Grace Holloway"
REFLECTIVE = (
    ("MARKER-RA-1 Safeguarding adults at risk: annual refresher", "12 February 2025", "An hour and a half",
     ("MARKER-RA-LEARN-1 How financial abuse shows in a client's instructions.",),
     ("MARKER-RA-CHANGE-1 I now ask who else is present when instructions are given.",)),
    ("MARKER-RA-2 Mentoring a trainee trust administrator", "Tuesday 6 and Wednesday 7 May 2025", "two days",
     ("MARKER-RA-LEARN-2 Explaining a trust deed line by line.", "Giving feedback the same day works best."),
     ("MARKER-RA-CHANGE-2 I keep a shared list of the trainee's questions.",)),
)
REFLECTIVE_QUESTIONS = ("What was the activity?", "When did it take place?", "How long did it take?",
                        "What did you learn from it?", "How did you change or improve your practice as a result?")


def reflective_paragraphs() -> tuple[bytes, Expected]:
    document = _new_document()
    document.add_heading("Reflective accounts 2025", level=1)          # paragraph 1
    document.add_paragraph(f"Name: {REFLECTIVE_LEARNER}")               # 2
    index, records, activities = 2, [], []
    for number, (title, when, length, learned, change) in enumerate(REFLECTIVE, start=1):
        document.add_heading(f"Reflective account {number}", level=2)
        index += 1
        start = index + 1
        fields: Expected = {}
        for question, answer in zip(REFLECTIVE_QUESTIONS, (title, when, length, learned, change)):
            document.add_paragraph(question).runs[0].bold = True
            index += 1
            paragraphs = answer if isinstance(answer, tuple) else (answer,)
            for paragraph in paragraphs:
                document.add_paragraph(paragraph)
                index += 1
            fields[question] = " ".join(paragraphs)
        document.add_paragraph("")
        index += 1
        records.append({"locator": f"paragraph={start}", "fields": fields})
    activities = [
        _activity(REFLECTIVE[0][0], completed="2025-02-12", minutes=90, learner=REFLECTIVE_LEARNER,
                  reflection=("MARKER-RA-LEARN-1", "MARKER-RA-CHANGE-1"), locator=records[0]["locator"]),
        _activity(REFLECTIVE[1][0], started="2025-05-06", completed="2025-05-07", minutes=840,
                  learner=REFLECTIVE_LEARNER, reflection=("MARKER-RA-LEARN-2", "MARKER-RA-CHANGE-2"),
                  warnings=("duration_assumed",), locator=records[1]["locator"]),
    ]
    return _save(document), {"layout": "paragraph_blocks", "tables": [], "records": records, "issues": [],
                             "context": [f"Name: {REFLECTIVE_LEARNER}"], "activities": activities}


# -- PDF: Plan / Do / Review / Reflect, ruled key/value tables ------------------------------------------
PDF_LEARNER = "Hannah Lister"
PDF_PLAN = (("Development need", "Confidence with cross-border estates"),
            ("Planned activity", "Conference session and a reading programme"), ("Target date", "31/07/2025"))
PDF_RECORDS = (
    (("Activity", "MARKER-PDF-1 Cross-border estates and the EU Succession Regulation"), ("Date(s)", "24/02/2025"),
     ("Time spent", "2 hours"), ("Provider", "Calder Law Seminars"),
     ("What did you learn?", "MARKER-PDF-LEARN-1 Habitual residence decides the applicable law unless the "
                             "deceased chose the law of their nationality in the will."),
     ("How will you apply it?", "MARKER-PDF-APPLY-1 I will ask about choice of law at every will review.")),
    (("Activity", "MARKER-PDF-2 Trust Registration Service masterclass"), ("Date(s)", "5-6 March 2025"),
     ("Time spent", "a full day"), ("Provider", "Fernhill Academy"),
     ("What did you learn?", "MARKER-PDF-LEARN-2 Which trusts must register and the deadlines for changes."),
     ("How will you apply it?", "MARKER-PDF-APPLY-2 I will audit our register entries this quarter.")),
    (("Activity", "MARKER-PDF-3 Reading: Private Client Quarterly"), ("Date(s)", "18/03/2025"),
     ("Time spent", "90 minutes"), ("Provider", "Private Client Quarterly"),
     ("What did you learn?", "MARKER-PDF-LEARN-3 Recent cases on undue influence."),
     ("How will you apply it?", "MARKER-PDF-APPLY-3 I will note the cases in our precedent bank.")),
)
PDF_LABEL_WIDTH, PDF_VALUE_WIDTH, PDF_LEFT = 150.0, 330.0, 60.0


def _ruled_pairs(canvas: Canvas, top: float, rows: tuple[tuple[str, str], ...]) -> float:
    """Two ruled columns, labels in bold on the left; returns the y under the table."""
    size, leading, pad = 9.0, 11.0, 4.0
    y = top
    right = PDF_LEFT + PDF_LABEL_WIDTH + PDF_VALUE_WIDTH
    canvas.line(PDF_LEFT, y, right, y)
    for label, value in rows:
        lines = simpleSplit(value, "Helvetica", size, PDF_VALUE_WIDTH - 2 * pad)
        height = max(1, len(lines)) * leading + 2 * pad
        canvas.setFont("Helvetica-Bold", size)
        canvas.drawString(PDF_LEFT + pad, y - pad - size, label)
        canvas.setFont("Helvetica", size)
        for i, line in enumerate(lines):
            canvas.drawString(PDF_LEFT + PDF_LABEL_WIDTH + pad, y - pad - size - i * leading, line)
        for x in (PDF_LEFT, PDF_LEFT + PDF_LABEL_WIDTH, right):
            canvas.line(x, y, x, y - height)
        y -= height
        canvas.line(PDF_LEFT, y, right, y)
    return y


def pdf_form() -> tuple[bytes, Expected]:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(PDF_LEFT, 790, "CPD record 2025: Plan / Do / Review / Reflect")
    canvas.setFont("Helvetica", 10)
    canvas.drawString(PDF_LEFT, 772, f"Member: {PDF_LEARNER}")
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(PDF_LEFT, 748, "Plan")
    y = _ruled_pairs(canvas, 740, PDF_PLAN)
    tables = [_pdf_table(1, 1, PDF_PLAN, "Plan")]
    for number, rows in enumerate(PDF_RECORDS, start=1):
        if y < 260:
            canvas.showPage()
            y = 800
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(PDF_LEFT, y - 22, f"Do, review and reflect: activity {number}")
        page = canvas.getPageNumber()
        y = _ruled_pairs(canvas, y - 30, rows)
        tables.append(_pdf_table(page, number + 1, rows, f"Do, review and reflect: activity {number}"))
    canvas.showPage()
    canvas.save()
    activities = [
        _activity(PDF_RECORDS[0][0][1], completed="2025-02-24", minutes=120, provider="Calder Law Seminars",
                  learner=PDF_LEARNER, reflection=("MARKER-PDF-LEARN-1", "MARKER-PDF-APPLY-1"),
                  locator=tables[1]["rows"][0]["locator"]),
        _activity(PDF_RECORDS[1][0][1], started="2025-03-05", completed="2025-03-06", minutes=420,
                  provider="Fernhill Academy", learner=PDF_LEARNER, reflection=("MARKER-PDF-LEARN-2",),
                  warnings=("duration_assumed",), locator=tables[2]["rows"][0]["locator"]),
        _activity(PDF_RECORDS[2][0][1], completed="2025-03-18", minutes=90, provider="Private Client Quarterly",
                  learner=PDF_LEARNER, reflection=("MARKER-PDF-LEARN-3",),
                  locator=tables[3]["rows"][0]["locator"]),
    ]
    return buffer.getvalue(), {"error": None, "layout": "table", "tables": tables,
                               "activities": activities}


def _pdf_table(page: int, number: int, rows: tuple[tuple[str, str], ...], heading: str) -> Expected:
    """The extractor's view of a ruled two-column table: every row as drawn, and a header row only by the
    stitcher's rule (a first row without figures above rows with figures); a form has none of its own."""
    figures = [any(ch.isdigit() for ch in label + value) for label, value in rows]
    return {"header_rows": 1 if not figures[0] and any(figures[1:]) else None, "context_contains": [heading],
            "rows": [{"locator": f"page={page};table={number};row={i}", "cells": [label, value]}
                     for i, (label, value) in enumerate(rows, start=1)]}


# -- PDF: labelled blocks typed in Word and printed (no tables) -------------------------------------------
BLOCKS_LEARNER = "Owen Marsh"
BLOCKS = (
    ("MARKER-TXT-1 Contentious trusts conference", "17 and 18 June 2025", "a full day", "Calder Law Seminars",
     ("MARKER-TXT-LEARN-1 Claims under the Inheritance Act and how", "trustees should respond to letters before action.")),
    ("MARKER-TXT-2 Charity trustees: reporting duties", "20/08/2025", "three hours", "Fernhill Academy",
     ("MARKER-TXT-LEARN-2 The annual return and serious incident reports.",)),
    ("MARKER-TXT-3 Sanctions screening for trust clients", "03/09/2025", "45 minutes", "Larkspur Training",
     ("MARKER-TXT-LEARN-3 Screening at every distribution.",)),
)


def pdf_labelled_blocks() -> tuple[bytes, Expected]:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(PDF_LEFT, 790, "My CPD record 2025")
    canvas.setFont("Helvetica", 10)
    canvas.drawString(PDF_LEFT, 772, f"Name: {BLOCKS_LEARNER}")
    y, line = 740.0, 3        # the page's lines so far: title, name
    records, activities = [], []
    for title, when, length, provider, learned in BLOCKS:
        first = line
        for label, value in (("Activity", title), ("Date(s)", when), ("Time spent", length), ("Provider", provider)):
            canvas.drawString(PDF_LEFT, y, f"{label}: {value}")
            y, line = y - 14, line + 1
        canvas.drawString(PDF_LEFT, y, "What did you learn?")          # the question set apart from its answer
        for i, text in enumerate(learned):
            canvas.drawString(PDF_LEFT + 150, y, text)
            y, line = y - 14, line + 1
        y -= 16                                                       # a paragraph's gap between activities
        records.append({"locator": f"page=1;line={first}", "fields": {
            "title": title, "Date(s)": when, "duration": length, "provider": provider,
            "What did you learn?": " ".join(learned)}})
    canvas.showPage()
    canvas.save()
    expected_dates = (("2025-06-17", "2025-06-18"), (None, "2025-08-20"), (None, "2025-09-03"))
    minutes = (420, 180, 45)
    for (title, _, _, provider, learned), (start, end), length, record in zip(BLOCKS, expected_dates, minutes, records):
        activities.append(_activity(title, started=start, completed=end, minutes=length, provider=provider,
                                    learner=BLOCKS_LEARNER, reflection=(learned[0].split()[0],),
                                    warnings=("duration_assumed",) if length == 420 else (),
                                    locator=record["locator"]))
    return buffer.getvalue(), {"error": None, "layout": "paragraph_blocks", "tables": [], "records": [],
                               "blocks": records, "activities": activities}


DOCX: dict[str, Callable[[], tuple[bytes, Expected]]] = {
    "form-plan-act-reflect.docx": plan_act_reflect,
    "form-pairs-across-rows.docx": pairs_across_rows,
    "form-releve-formation-fr.docx": french_form,
    "form-fortbildungsnachweis-de.docx": german_form,
    "form-reflective-accounts-paragraphs.docx": reflective_paragraphs,
}
PDF: dict[str, Callable[[], tuple[bytes, Expected]]] = {
    "form-plan-do-review-reflect-ruled": pdf_form,
    "form-labelled-blocks-printed": pdf_labelled_blocks,
}


def main() -> None:
    for name, make in DOCX.items():
        data, expected = make()
        (HERE / "docx" / name).write_bytes(data)
        (HERE / "docx" / f"{name}.expected.json").write_text(
            json.dumps({"file": name, **expected}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"docx/{name}: {len(data)} bytes")
    for stem, make in PDF.items():
        data, expected = make()
        (HERE / "pdf" / f"{stem}.pdf").write_bytes(data)
        (HERE / "pdf" / f"{stem}.expected.json").write_text(
            json.dumps({"file": f"{stem}.pdf", **expected}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"pdf/{stem}.pdf: {len(data)} bytes")


if __name__ == "__main__":
    main()
