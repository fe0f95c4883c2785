#!/usr/bin/env python3
"""Write the DOCX and JSON samples (samples/docx/, samples/json/) and their <name>.expected.json.

Deterministic: fixed core-properties dates, zip members rewritten with a fixed timestamp, and no
randomness, so a re-run with the same python-docx and zlib gives the same bytes. Each expected file
is written from what this script planted (titles, locators, error codes), never from extractor output.
All people, firms and ids are invented; e-mail domains are .example.

    .venv/bin/python samples/make_doc_samples.py
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2025, 1, 1, 9, 0, 0)
Expected = dict[str, Any]


# -- helpers ----------------------------------------------------------------------------------------
def _stable_zip(data: bytes) -> bytes:
    """The same members in the same order, each stamped 1980-01-01, so the bytes do not depend on the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _new_document() -> Any:
    document = docx.Document()
    props = document.core_properties
    props.author = "cpd-evidence samples"
    props.last_modified_by = "cpd-evidence samples"
    props.created = props.modified = props.last_printed = FIXED
    props.revision = 1
    return document


def _save(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


def _replace_members(data: bytes, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, replace.get(info.filename, src.read(info.filename)))
        for name, blob in (add or {}).items():
            fixed = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, blob, compresslevel=9)
    return out.getvalue()


def _table(document: Any, rows: list[list[str]], style: str = "Table Grid") -> Any:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = style
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            first, *more = value.split("\n\n")
            cell.text = first
            for paragraph in more:
                cell.add_paragraph(paragraph)
    return table


def _expected_rows(number: int, rows: list[list[str]]) -> list[dict[str, Any]]:
    return [{"locator": f"table={number};row={i}", "cells": [c.replace("\n\n", "\n") for c in cells]}
            for i, cells in enumerate(rows, start=1)]


# -- DOCX samples -----------------------------------------------------------------------------------
def cpd_log_two_tables() -> tuple[bytes, Expected]:
    document = _new_document()
    document.add_heading("CPD log", level=1)
    details = [["Name", "Priya Venkataraman"], ["Membership no.", "STEP 40917"], ["Employer", "Larkspur Fiduciary Ltd"]]
    _table(document, details)
    document.add_heading("2024", level=2)
    first = [["Date", "Course", "Provider", "Hours", "Structured?"],
             ["15/02/2024", "MARKER-2024-A Trust accounts in practice", "Fenwick Learning", "1.5", "Yes"],
             ["09/10/2024", "MARKER-2024-B Reading: trustee exemption clauses", "Self-directed", "1", "No"]]
    _table(document, first)
    document.add_heading("2025", level=2)
    document.add_paragraph("Columns re-ordered this year.")
    second = [["Course", "Date", "Hours", "Provider", "Structured?"],
              ["MARKER-2025-A Sanctions screening for trustees", "4 March 2025", "0.75", "Fenwick Learning", "Yes"],
              ["NOTE", "", "", "", ""],
              ["MARKER-2025-B Estate accounts workshop", "21/11/2025", "3", "Orchard Law Training",
               "Yes"]]
    table = _table(document, second)
    note = "April to June: no CPD recorded (secondment)"
    merged = table.rows[2].cells[0].merge(table.rows[2].cells[4])
    merged.text = note
    second[2] = [note] * 5
    expected = {"layout": "tables", "tables": [
        {"name": "Table 1", "rows": _expected_rows(1, details), "context": ["CPD log"]},
        {"name": "Table 2", "rows": _expected_rows(2, first),
         "context": ["Name: Priya Venkataraman", "2024"]},
        {"name": "Table 3", "rows": _expected_rows(3, second),
         "context": ["Name: Priya Venkataraman", "2025", "Columns re-ordered this year."]},
    ], "records": [], "issues": []}
    return _save(document), expected


def step_landscape() -> tuple[bytes, Expected]:
    document = _new_document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading("STEP CPD record – 2025", level=1)
    document.add_paragraph("Member: Gwen Ashdown TEP\tMembership number: 55120\tFirm: Ashdown & Pike LLP")
    rows = [["Date", "Activity", "Provider", "Type", "Structured (Y/N)", "Time", "Ethics (Y/N)", "Notes / reflection"],
            ["14/01/2025", "MARKER-STEP-1 Digital assets on death", "STEP", "Webinar", "Y", "1 hr 30 mins", "N",
             "Covered access to online accounts.\n\nAction: update our will questionnaire."],
            ["11–12/06/2025", "MARKER-STEP-2 Private client conference", "STEP", "Conference", "Y", "2 hours 15 mins",
             "N", "Two days of plenary sessions."],
            ["03/09/2025", "MARKER-STEP-3 Mentoring a trainee", "", "Mentoring", "N", "45 mins", "N", ""]]
    _table(document, rows)
    document.add_paragraph("Declaration: I confirm that the above is a true record of my CPD for 2025.")
    expected = {"layout": "tables", "tables": [
        {"name": "Table 1", "rows": _expected_rows(1, rows),
         "context": ["Member: Gwen Ashdown TEP", "Membership number: 55120", "Firm: Ashdown & Pike LLP"]}],
        "records": [], "issues": []}
    return _save(document), expected


def labelled_blocks() -> tuple[bytes, Expected]:
    document = _new_document()
    document.add_heading("CPD record 2025", level=1)        # paragraph 1
    document.add_paragraph("Name: Tobias Wren")             # 2
    document.add_paragraph("")                              # 3
    blocks = [
        {"Activity": "MARKER-BLOCK-1 Trustee Act 2000 investment duties", "Date": "12 March 2025",
         "Hours": "1.5", "Provider": "Quayside Academy",
         "Reflection": ["Reviewed the standard investment criteria.", "I will revisit two portfolios."]},
        {"Activity": "MARKER-BLOCK-2 AML refresher 2025", "Date": "02/04/2025", "Hours": "1",
         "Provider": "Compliance Hub", "Reflection": ["Source of wealth checks."]},
        {"Activity": "MARKER-BLOCK-3 Reading: Trusts & Trustees journal", "Date": "May 2025", "Hours": "0.5",
         "Provider": "", "Reflection": ["Notes filed."]},
    ]
    records = []
    index = 3
    for block in blocks:
        start = index + 1
        for label in ("Activity", "Date", "Hours", "Provider"):
            document.add_paragraph(f"{label}: {block[label]}")
            index += 1
        reflection = block["Reflection"]
        document.add_paragraph(f"Reflection: {reflection[0]}")
        index += 1
        for more in reflection[1:]:
            document.add_paragraph(more)
            index += 1
        document.add_paragraph("")
        index += 1
        records.append({"locator": f"paragraph={start}", "fields": {
            "title": block["Activity"], "Date": block["Date"], "Hours": block["Hours"],
            "provider": block["Provider"], "reflection": "\n".join(reflection)}})
    # A declaration after the last record is not part of it; nor is prose after a blank paragraph.
    document.add_paragraph("I keep evidence of each activity in my CPD folder.")
    document.add_paragraph("Declaration: I confirm this record is accurate.")
    document.add_paragraph("Signed: T. Wren")
    return _save(document), {"layout": "paragraph_blocks", "tables": [], "records": records, "issues": [],
                             "context": ["Name: Tobias Wren"]}


def certificate() -> tuple[bytes, Expected]:
    document = _new_document()
    lines = ["Northgate Institute of Trust Practice", "Certificate of attendance", "This certifies that",
             "Marta Kowalczyk", "attended the seminar", "MARKER-CERT Trust disputes and the courts",
             "Held in Leeds on 14 May 2025", "This seminar qualifies for 3 hours of structured CPD.",
             "Certificate no. NITP-25-0042"]
    for line in lines:
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    return _save(document), {"layout": "text", "tables": [], "certificate": {
        "locator": "paragraph=1", "values_contain": ["MARKER-CERT Trust disputes and the courts"]},
        "context": lines[:3]}


def plan_prose() -> tuple[bytes, Expected]:
    document = _new_document()
    document.add_heading("Personal development plan 2026", level=1)
    document.add_paragraph("Name: Idris Fairweather    Role: Trust manager")
    document.add_heading("What I plan to do", level=2)
    document.add_paragraph("I intend to attend a conference on international trusts in 2026 and to read the "
                           "journal each quarter. Nothing has been completed yet.")
    document.add_paragraph("Objective 1: explain the excluded property rules to clients.", style="List Bullet")
    document.add_paragraph("Objective 2: complete a coaching course.", style="List Bullet")
    return _save(document), {"layout": "text", "tables": [], "records": [], "issues": []}


def nested_and_controls() -> tuple[bytes, Expected]:
    """A nested table inside a cell, a row wrapped in a content control, and a vertical merge."""
    document = _new_document()
    document.add_paragraph("Name: Ola Brightwell")
    rows = [["Date", "Activity", "Provider", "Hours"],
            ["05/02/2025", "MARKER-NEST-1 Charity trustee duties", "Fenwick Learning", "2"],
            ["05/02/2025", "MARKER-NEST-2 Gift Aid for trustees", "Fenwick Learning", "1"],
            ["10/03/2025", "MARKER-NEST-3 Sessions list", "", "3"]]
    table = _table(document, rows)
    # Date column merged vertically over rows 2-3: the continued cell repeats the text above.
    table.cell(1, 0).merge(table.cell(2, 0)).text = "05/02/2025"
    inner_rows = [["Session", "Minutes"], ["MARKER-INNER-1 Morning session", "90"]]
    inner = table.cell(3, 1).add_table(rows=2, cols=2)
    for r, values in enumerate(inner_rows):
        for c, value in enumerate(values):
            inner.cell(r, c).text = value
    # Wrap the last row in a content control (w:sdt/w:sdtContent), as templates do.
    tr = table.rows[3]._tr
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    sdt = tr.makeelement(f"{{{W}}}sdt", {})
    content = sdt.makeelement(f"{{{W}}}sdtContent", {})
    tr.addprevious(sdt)
    sdt.append(content)
    content.append(tr)
    expected = {"layout": "tables", "tables": [
        {"name": "Table 1", "rows": _expected_rows(1, rows), "context": ["Name: Ola Brightwell"]},
        {"name": "Table 2", "rows": _expected_rows(2, inner_rows), "context": []}],
        "records": [], "issues": []}
    return _save(document), expected


def thumbnail_first() -> tuple[bytes, Expected]:
    """Some tools write a thumbnail before word/: no word/ name in the first 8 KB, only the content types."""
    data, expected = step_landscape()
    noise = b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(400))   # 12.8 KB, incompressible
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = ["[Content_Types].xml", "docProps/thumbnail.jpeg"] + [
            n for n in src.namelist() if n not in ("[Content_Types].xml", "docProps/thumbnail.jpeg")]
        for name in names:
            fixed = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_STORED if name.endswith(".jpeg") else zipfile.ZIP_DEFLATED
            dst.writestr(fixed, noise if name.endswith(".jpeg") else src.read(name))
    return out.getvalue(), expected


def docm() -> tuple[bytes, Expected]:
    data, _ = step_landscape()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml")
    types = types.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
    types = types.replace(b"application/vnd.openxmlformats-officedocument.ms-word.document.macroEnabled.main+xml",
                          b"application/vnd.ms-word.document.macroEnabled.main+xml")
    data = _replace_members(data, {"[Content_Types].xml": types}, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(508)})
    return data, {"error": {"type": "UnsupportedFormat", "code": "unsupported_format", "message_contains": ".docx"}}


def xxe() -> tuple[bytes, Expected]:
    data, _ = step_landscape()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml")
    head, rest = body.split(b"?>", 1)
    hostile = (head + b'?>\n<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
               + rest.replace(b"MARKER-STEP-1 Digital assets on death", b"&secret;"))
    return _replace_members(data, {"word/document.xml": hostile}), {
        "error": {"type": "UnreadableFile", "code": "xml_entities"}}


def zip_bomb() -> tuple[bytes, Expected]:
    data, _ = plan_prose()
    return _replace_members(data, {}, {"word/media/padding.bin": bytes(100 * 1024 * 1024)}), {
        "error": {"type": "UnreadableFile", "code": "zip_bomb"}}


def truncated() -> tuple[bytes, Expected]:
    data, _ = step_landscape()
    return data[: len(data) * 2 // 3], {"error": {"type": "UnreadableFile", "code": "corrupt"}}


DOCX = {
    "cpd-log-details-two-tables-merged-note.docx": cpd_log_two_tables,
    "step-style-landscape-free-text-times.docx": step_landscape,
    "labelled-paragraph-blocks.docx": labelled_blocks,
    "certificate-of-attendance-centred.docx": certificate,
    "cpd-plan-prose-no-activities.docx": plan_prose,
    "nested-table-content-control-vmerge.docx": nested_and_controls,
    "thumbnail-before-word-parts.docx": thumbnail_first,
    "macro-enabled.docm": docm,
    "xxe-doctype-entity.docx": xxe,
    "zip-bomb.docx": zip_bomb,
    "truncated.docx": truncated,
}


# -- JSON samples -----------------------------------------------------------------------------------
ADL = "http://adlnet.gov/expapi/verbs/"
ACT = "http://adlnet.gov/expapi/activities/"
BASE = "https://learn.quayside.example/xapi/activities/"
ACTOR = {"objectType": "Agent", "name": "Femi Adeyemi", "mbox": "mailto:femi.adeyemi@quayside.example"}


def _statement(n: int, verb: str, slug: str, name: Any, when: str, kind: str = "course",
               duration: str | None = None, actor: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    verb_id = verb if verb.startswith("http") else ADL + verb
    statement: dict[str, Any] = {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "actor": actor or ACTOR,
        "verb": {"id": verb_id, "display": {"en-US": verb_id.rsplit("/", 1)[-1]}},
        "object": {"objectType": "Activity", "id": BASE + slug, "definition": {
            "name": name if isinstance(name, dict) else {"en-GB": name},
            "description": {"en-GB": f"about {slug}"},
            "type": kind if kind.startswith("http") else ACT + kind}},
        "timestamp": when,
        "context": {"platform": "Quayside Learning Hub"},
        **extra,
    }
    if duration is not None:
        statement["result"] = {"completion": True, "duration": duration}
    return statement


def _dump(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def xapi_array() -> tuple[bytes, Expected]:
    s = [
        _statement(1, "launched", "trust-accounts", "MARKER-X-1 Trust accounts", "2025-03-01T09:00:00Z"),
        _statement(2, "completed", "trust-accounts", "MARKER-X-1 Trust accounts", "2025-03-01T10:30:00Z",
                   duration="PT1H30M"),
        _statement(3, "passed", "aml-quiz", "MARKER-X-2 AML quiz", "2025-03-05T23:30:00-02:00", "assessment"),
        _statement(4, "completed", "aml-quiz", "MARKER-X-2 AML quiz", "2025-03-06T09:00:00Z", "assessment",
                   duration="PT20M"),
        _statement(5, "attended", "team-meeting", "MARKER-X-3 Team technical meeting", "2025-04-02T15:00:00Z",
                   "meeting", duration="PT1H"),
        _statement(6, "http://id.tincanapi.com/verb/viewed", "video", "MARKER-NOT-1 Video", "2025-04-03T10:00:00Z",
                   "media"),
        _statement(7, "initialized", "webinar-gifts", "MARKER-NOT-2 Gifts webinar", "2025-04-04T10:00:00Z",
                   "http://id.tincanapi.com/activitytype/webinar"),
        _statement(8, "experienced", "page", "MARKER-NOT-3 Page", "2025-04-05T10:00:00Z", "module"),
        _statement(9, "answered", "question-1", "MARKER-NOT-4 Question", "2025-04-05T10:01:00Z", "cmi.interaction"),
        _statement(10, "progressed", "progress", "MARKER-NOT-5 Progress", "2025-04-05T10:02:00Z"),
        _statement(11, "registered", "booked", "MARKER-NOT-6 Booked", "2025-04-05T10:03:00Z"),
        _statement(12, "completed", "voided-course", "MARKER-VOIDED-1 Completed in error", "2025-04-06T10:00:00Z",
                   duration="PT1H"),
        {"id": "00000000-0000-4000-8000-000000000013", "actor": ACTOR,
         "verb": {"id": ADL + "voided", "display": {"en-US": "voided"}},
         "object": {"objectType": "StatementRef", "id": "00000000-0000-4000-8000-000000000012"},
         "timestamp": "2025-04-06T11:00:00Z"},
        _statement(14, "https://w3id.org/xapi/adl/verbs/completed", "flagged", "MARKER-VOIDED-2 Flagged voided",
                   "2025-04-07T10:00:00Z", voided=True),
        _statement(15, "http://activitystrea.ms/schema/1.0/attend", "webinar-tax",
                   "MARKER-X-4 Tax webinar", "2025-04-08T23:30:00+00:00",
                   "http://id.tincanapi.com/activitytype/webinar", duration="PT45M"),
    ]
    records = [
        {"locator": "statement=2", "fields": {"title": "MARKER-X-1 Trust accounts", "status": "completed",
                                               "completed_on": "2025-03-01T10:30:00Z", "duration": "PT1H30M",
                                               "learner": "Femi Adeyemi"}, "absent": ["activity_type", "provider", "reference"]},
        # passed (earlier, 2025-03-06T01:30Z) and completed of one object are one activity: the first by time
        {"locator": "statement=3", "fields": {"title": "MARKER-X-2 AML quiz", "completed_on": "2025-03-05T23:30:00-02:00",
                                               "duration": "PT20M", "activity_type": "assessment"}},
        {"locator": "statement=5", "fields": {"title": "MARKER-X-3 Team technical meeting", "activity_type": "meeting",
                                               "duration": "PT1H"}},
        {"locator": "statement=15", "fields": {"title": "MARKER-X-4 Tax webinar", "activity_type": "webinar",
                                                "completed_on": "2025-04-08T23:30:00+00:00"}},
    ]
    return _dump(s), {"layout": "xapi", "records": records, "issues": [], "not_titles": [
        "MARKER-NOT-1 Video", "MARKER-NOT-2 Gifts webinar", "MARKER-NOT-3 Page", "MARKER-NOT-4 Question",
        "MARKER-NOT-5 Progress", "MARKER-NOT-6 Booked", "MARKER-VOIDED-1 Completed in error",
        "MARKER-VOIDED-2 Flagged voided"]}


def xapi_lrs_page() -> tuple[bytes, Expected]:
    actor = {"objectType": "Agent", "account": {"homePage": "https://learn.quayside.example", "name": "u40213"}}
    s = [
        _statement(1, "attended", "budget", {"fr-FR": "[FR] Budget", "en-US": "MARKER-L-1 Budget briefing"},
                   "2025-11-27T12:00:00Z", "http://id.tincanapi.com/activitytype/webinar", "PT4500S", actor=actor),
        _statement(2, "launched", "probate", {"fr-FR": "[FR] Probate", "en-US": "MARKER-NOT-L Probate"},
                   "2025-11-20T12:00:00Z", actor=actor),
        _statement(3, "completed", "probate", {"fr-FR": "[FR] Succession", "en-US": "MARKER-L-2 Probate update"},
                   "2025-11-20T13:00:00Z", duration="PT1.5H", actor=actor),
    ]
    s[2]["object"]["definition"]["description"] = {"fr-FR": "[FR] desc", "en-US": "MARKER-L-DESC English"}
    page = {"statements": s, "more": "/xapi/statements?more=0001"}
    return _dump(page), {"layout": "xapi", "issues": [], "records": [
        {"locator": "statement=1", "fields": {"title": "MARKER-L-1 Budget briefing", "learner": "u40213",
                                               "duration": "PT4500S", "activity_type": "webinar"}},
        {"locator": "statement=3", "fields": {"title": "MARKER-L-2 Probate update", "duration": "PT1.5H",
                                               "description": "MARKER-L-DESC English"}}],
        "not_titles": ["MARKER-NOT-L Probate"]}


def xapi_single() -> tuple[bytes, Expected]:
    actor = {"objectType": "Agent", "mbox": "mailto:june.okoro@quayside.example"}
    s = _statement(1, "passed", "ethics-exam", "MARKER-S-1 Ethics exam", "2025-05-09T08:00:00+01:00",
                   "assessment", "PT45M", actor=actor)
    return _dump(s), {"layout": "xapi", "issues": [], "records": [
        {"locator": "statement=1", "fields": {"title": "MARKER-S-1 Ethics exam", "learner": "june.okoro@quayside.example",
                                               "completed_on": "2025-05-09T08:00:00+01:00", "activity_type": "assessment"}}]}


def xapi_lines() -> tuple[bytes, Expected]:
    s = [_statement(1, "completed", "gdpr", "MARKER-J-1 UK GDPR essentials", "2025-06-01T10:00:00Z", duration="PT30M"),
         _statement(2, "experienced", "slide", "MARKER-NOT-J Slide", "2025-06-01T10:05:00Z", "module"),
         _statement(3, "attended", "conference", "MARKER-J-2 Annual conference", "2025-06-12T17:00:00Z",
                    "http://activitystrea.ms/schema/1.0/event", "PT6H")]
    text = json.dumps(s[0]) + "\n" + json.dumps(s[1]) + "\n\n" + json.dumps(s[2]) + "\n"
    return text.encode("utf-8"), {"layout": "xapi", "issues": [], "records": [
        {"locator": "statement=1;line=1", "fields": {"title": "MARKER-J-1 UK GDPR essentials", "duration": "PT30M"}},
        {"locator": "statement=3;line=4", "fields": {"title": "MARKER-J-2 Annual conference", "activity_type": "event"}}],
        "not_titles": ["MARKER-NOT-J Slide"]}


def docebo() -> tuple[bytes, Expected]:
    items = [
        {"course_id": 11, "course_code": "QS-TAX-01", "course_name": "MARKER-D-1 IHT on trusts", "course_type": "elearning",
         "enrollment_status": "completed", "enrollment_date": "2025-01-06 09:00:00",
         "date_first_access": "2025-01-10 10:00:00", "date_complete": "2025-01-10 11:30:00", "total_time": 5400,
         "credits": 1.5, "score": 90},
        {"course_id": 12, "course_code": "QS-AML-02", "course_name": "MARKER-D-2 AML refresher", "course_type": "webinar",
         "enrollment_status": "in_progress", "enrollment_date": "2025-02-01 09:00:00",
         "date_first_access": "2025-02-03 10:00:00", "date_complete": None, "total_time": 1200,
         "credits": None, "score": None},
        {"course_id": 13, "course_code": "QS-CLS-03", "course_name": "MARKER-D-3 Classroom: trust deeds",
         "course_type": "classroom", "enrollment_status": "subscribed", "enrollment_date": "2025-03-01 09:00:00",
         "date_first_access": None, "date_complete": None, "total_time": 0, "credits": None, "score": None},
    ]
    doc = {"data": {"user": {"user_id": 501, "username": "hlindqvist", "fullname": "Hanna Lindqvist",
                             "email": "hanna.lindqvist@quayside.example"},
                    "items": items, "count": 3, "has_more_data": False}}
    records = [{"locator": f"pointer=/data/items/{i}", "fields": {
        "title": item["course_name"], "reference": item["course_code"], "activity_type": item["course_type"],
        "status": item["enrollment_status"], "started_on": item["date_first_access"],
        "completed_on": item["date_complete"], "duration_seconds": item["total_time"], "credits": item["credits"],
        "learner": "Hanna Lindqvist", "enrollment_date": item["enrollment_date"]}} for i, item in enumerate(items)]
    return _dump(doc), {"layout": "lms_api", "issues": [], "records": records}


CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
ISSUER = {"id": "https://badges.northgate.example/issuers/1", "type": ["Profile"], "name": "Northgate Institute"}


def _achievement_credential(n: int, name: str, kind: str = "Course", awarded: str | None = "2025-05-20T00:00:00Z",
                            **subject: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": CONTEXTS, "id": f"urn:uuid:00000000-0000-4000-9000-{n:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": ISSUER, "name": name,
        "credentialSubject": {"type": ["AchievementSubject"], "identifier": [
            {"type": "IdentityObject", "hashed": False, "identityHash": "Rosa Delgado", "identityType": "name"}],
            "achievement": {"id": f"https://badges.northgate.example/achievements/{n}", "type": ["Achievement"],
                            "name": name, "description": f"{name}: what it covered", "achievementType": kind,
                            "humanCode": f"NGI-{n:03d}", "creditsAvailable": 2,
                            "criteria": {"narrative": "Attend and pass the assessment."}},
            **subject},
    }
    if awarded is not None:
        credential["validFrom"] = awarded
        credential["awardedDate"] = awarded
    return credential


def open_badge() -> tuple[bytes, Expected]:
    credential = _achievement_credential(1, "MARKER-B-1 Trust disputes masterclass", "Assessment",
                                         activityEndDate="2025-05-14T00:00:00Z", creditsEarned=1.5)
    return _dump(credential), {"layout": "credentials", "issues": [], "records": [
        {"locator": "pointer=/credentialSubject/achievement", "fields": {
            "title": "MARKER-B-1 Trust disputes masterclass", "provider": "Northgate Institute",
            "learner": "Rosa Delgado", "completed_on": "2025-05-14T00:00:00Z", "credits": 1.5,
            "credits_unit": "credits", "reference": "NGI-001", "activity_type": "Assessment"}}]}


def clr() -> tuple[bytes, Expected]:
    awarded = [_achievement_credential(2, "MARKER-C-1 Trust accounts certificate", creditsEarned=3),
               _achievement_credential(3, "MARKER-C-2 Ethics for trustees", awarded="2025-07-01T00:00:00Z"),
               _achievement_credential(4, "MARKER-NOT-C Membership 2025", "Membership"),
               _achievement_credential(5, "MARKER-NOT-C2 Not yet awarded", awarded=None)]
    listed_only = {"id": "https://badges.northgate.example/achievements/9", "type": ["Achievement"],
                   "name": "MARKER-NOT-C3 Listed, never awarded", "achievementType": "Course"}
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"],
           "id": "urn:uuid:00000000-0000-4000-9000-000000000100", "type": ["VerifiableCredential", "ClrCredential"],
           "issuer": ISSUER, "name": "Comprehensive learner record", "validFrom": "2025-08-01T00:00:00Z",
           "credentialSubject": {"type": ["ClrSubject"], "verifiableCredential": awarded,
                                 "achievement": [c["credentialSubject"]["achievement"] for c in awarded] + [listed_only]}}
    base = "pointer=/credentialSubject/verifiableCredential/{}/credentialSubject/achievement"
    return _dump(doc), {"layout": "credentials", "issues": [], "records": [
        {"locator": base.format(0), "fields": {"title": "MARKER-C-1 Trust accounts certificate", "credits": 3,
                                                "completed_on": "2025-05-20T00:00:00Z", "reference": "NGI-002"},
         "absent": ["activity_type"]},
        {"locator": base.format(1), "fields": {"title": "MARKER-C-2 Ethics for trustees", "credits": 2,
                                                "completed_on": "2025-07-01T00:00:00Z", "provider": "Northgate Institute"}}],
        "not_titles": ["MARKER-NOT-C Membership 2025", "MARKER-NOT-C2 Not yet awarded", "MARKER-NOT-C3 Listed, never awarded"]}


def too_deep() -> tuple[bytes, Expected]:
    return b"[" * 100_000 + b"]" * 100_000, {"error": {"type": "UnreadableFile", "code": "too_deep"}}


def invalid_utf8() -> tuple[bytes, Expected]:
    data = '{\n  "items": [\n    {"course_name": "Caf\u00e9 ETHICS"}\n  ]\n}\n'.encode("cp1252")
    return data, {"error": {"type": "UnreadableFile", "code": "corrupt", "message_contains": "line 3"}}


def truncated_json() -> tuple[bytes, Expected]:
    data, _ = docebo()
    return data[:700], {"error": {"type": "UnreadableFile", "code": "corrupt", "message_contains": "line"}}


def nothing_recognisable() -> tuple[bytes, Expected]:
    return _dump({"version": 3, "settings": {"theme": "dark", "pages": [1, 2, 3]}}), {
        "layout": None, "records": [], "issues": ["no_activities_found"]}


JSON = {
    "xapi-array-mixed-verbs-voided.json": xapi_array,
    "xapi-lrs-page-language-maps.json": xapi_lrs_page,
    "xapi-single-statement.json": xapi_single,
    "xapi-statements.jsonl": xapi_lines,
    "lms-enrolments-docebo-like.json": docebo,
    "open-badges-3-credential.json": open_badge,
    "clr-2-two-awarded-one-not-membership.json": clr,
    "nested-100000-deep.json": too_deep,
    "invalid-utf8.json": invalid_utf8,
    "truncated.json": truncated_json,
    "nothing-recognisable.json": nothing_recognisable,
}


def main() -> None:
    for folder, makers in (("docx", DOCX), ("json", JSON)):
        out = HERE / folder
        out.mkdir(exist_ok=True)
        for name, make in makers.items():
            data, expected = make()
            (out / name).write_bytes(data)
            expected = {"file": name, **expected}
            (out / f"{name}.expected.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n",
                                                      encoding="utf-8")
            print(f"{folder}/{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
