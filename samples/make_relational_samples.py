"""Workbooks that are small relational exports (issue 13): python samples/make_relational_samples.py

A learning system's report saved as several sheets: a records sheet whose rows are completions naming the
course and the person by id, and lookup sheets giving each id's title, provider and name. Each imitates a
real generator: a Moodle report exported with one sheet per table (openpyxl, Moodle's own column names), a
Cornerstone transcript report with Transcript / Training / Users sheets (xlsxwriter, GUID training ids, one
id missing from the Training sheet), and a German Totara export whose courses name their provider by id in a
fourth sheet (openpyxl, a report title block above the records). The expected files describe the
extraction (sheets, rows, planted cells); tests/mappers/test_joins.py checks the activities read from them.
"""
from __future__ import annotations

import datetime as dt
import io

import xlsxwriter
from openpyxl import Workbook

from samples.make_samples import check, fixed_zip, save, table


def moodle_completions() -> None:
    book = Workbook()
    completions = book.active
    completions.title = "course_completions"
    completions.append(["id", "userid", "course", "timeenrolled", "timecompleted", "reaggregate"])
    rows = [(101, 7, 12, dt.date(2025, 1, 6), dt.date(2025, 1, 20)),
            (102, 7, 15, dt.date(2025, 1, 6), dt.date(2025, 2, 11)),
            (103, 7, 18, dt.date(2025, 2, 3), dt.date(2025, 3, 4)),
            (104, 7, 21, dt.date(2025, 3, 10), None)]
    for rid, user, course, enrolled, done in rows:
        completions.append([rid, user, course, enrolled, done, 0])
    courses = book.create_sheet("course")
    courses.append(["id", "shortname", "fullname", "category", "summary"])
    courses.append([12, "AML-25", "Anti-money laundering: annual refresher 2025", "Compliance",
                    "The firm's yearly AML update: new typologies and reporting duties."])
    courses.append([15, "TRUST-TAX", "Taxation of discretionary trusts", "Technical",
                    "Income tax, CGT and IHT charges on discretionary trusts."])
    courses.append([18, "ETH-01", "Professional ethics for trust practitioners", "Ethics",
                    "Conflicts of interest, confidentiality and the STEP code."])
    courses.append([21, "GDPR-B", "Data protection basics", "Compliance", "UK GDPR for client files."])
    courses.append([30, "LEAD-1", "Leading a small team", "People skills", "Delegation and feedback."])
    users = book.create_sheet("user")
    users.append(["id", "username", "firstname", "lastname", "email", "institution"])
    users.append([7, "ohughes", "Olivia", "Hughes", "olivia.hughes@harbourtrust.example", "Harbour Trust Company"])
    users.append([9, "rpatel", "Ravi", "Patel", "ravi.patel@harbourtrust.example", "Harbour Trust Company"])
    out = io.BytesIO()
    book.save(out)
    save("xlsx", "moodle-relational-export.xlsx", fixed_zip(out.getvalue()), {
        "note": "A Moodle report exported one sheet per table: course_completions names the user and the course by "
                "id (Moodle's own column names), 'course' and 'user' give each id's names. One course is not yet "
                "completed; one course and one user are named by no completion.",
        "tables": [
            table("course_completions", 5, [
                check("sheet=course_completions;row=1",
                      ["id", "userid", "course", "timeenrolled", "timecompleted", "reaggregate"]),
                check("sheet=course_completions;row=3", [102, 7, 15, dt.date(2025, 1, 6), dt.date(2025, 2, 11), 0]),
            ]),
            table("course", 6, [check("sheet=course;row=2", [
                12, "AML-25", "Anti-money laundering: annual refresher 2025", "Compliance",
                "The firm's yearly AML update: new typologies and reporting duties."])]),
            table("user", 3, [check("sheet=user;row=2", [
                7, "ohughes", "Olivia", "Hughes", "olivia.hughes@harbourtrust.example", "Harbour Trust Company"])]),
        ]})


CORNERSTONE_TRAINING = (
    ("5b1c2f0e-7a43-4d1e-9b0c-1f2a3b4c5d01", "Anti-Bribery and Corruption 2025", "Online Class",
     "Cornerstone Content Anytime", 1.0),
    ("5b1c2f0e-7a43-4d1e-9b0c-1f2a3b4c5d02", "Trust Accounting: Year-End Reporting", "Instructor Led",
     "STEP Education", 3.5),
    ("5b1c2f0e-7a43-4d1e-9b0c-1f2a3b4c5d03", "Client Due Diligence for Fiduciaries", "Online Class",
     "Compliance Essentials Ltd", 1.5),
)
CORNERSTONE_USERS = (("HTC-00412", "Priya Shah", "priya.shah@harbourtrust.example", "Fiduciary Services"),
                     ("HTC-00587", "Daniel Okafor", "daniel.okafor@harbourtrust.example", "Fiduciary Services"))


def cornerstone_transcript() -> None:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"created": dt.datetime(2025, 1, 15, 9, 0, 0), "author": "Cornerstone OnDemand"})
    dates = book.add_format({"num_format": "mm/dd/yyyy"})
    bold = book.add_format({"bold": True})
    transcript = book.add_worksheet("Transcript")
    transcript.write_row(0, 0, ["User ID", "LO ID", "Registered Date", "Completed Date", "Transcript Status"], bold)
    training_ids = [t[0] for t in CORNERSTONE_TRAINING]
    rows = [("HTC-00412", training_ids[0], dt.date(2025, 1, 8), dt.date(2025, 1, 9), "Completed"),
            ("HTC-00412", training_ids[1], dt.date(2025, 2, 3), dt.date(2025, 2, 14), "Completed"),
            ("HTC-00587", training_ids[0], dt.date(2025, 1, 8), dt.date(2025, 1, 22), "Completed"),
            ("HTC-00412", training_ids[2], dt.date(2025, 3, 1), None, "In Progress"),
            ("HTC-00587", "5b1c2f0e-7a43-4d1e-9b0c-1f2a3b4c5d99", dt.date(2025, 3, 2), dt.date(2025, 3, 5),
             "Completed")]
    for r, (user, lo, registered, done, status) in enumerate(rows, start=1):
        transcript.write(r, 0, user)
        transcript.write(r, 1, lo)
        transcript.write_datetime(r, 2, dt.datetime.combine(registered, dt.time()), dates)
        if done is not None:
            transcript.write_datetime(r, 3, dt.datetime.combine(done, dt.time()), dates)
        transcript.write(r, 4, status)
    training = book.add_worksheet("Training")
    training.write_row(0, 0, ["LO ID", "Training Title", "Training Type", "Training Provider", "Training Hours"], bold)
    for r, item in enumerate(CORNERSTONE_TRAINING, start=1):
        training.write_row(r, 0, item)
    users = book.add_worksheet("Users")
    users.write_row(0, 0, ["User ID", "User Full Name", "User Email", "Division"], bold)
    for r, item in enumerate(CORNERSTONE_USERS, start=1):
        users.write_row(r, 0, item)
    book.close()
    save("xlsx", "cornerstone-transcript-relational.xlsx", fixed_zip(out.getvalue()), {
        "note": "A Cornerstone transcript report saved as three sheets: Transcript rows name the user and the "
                "learning object by id (GUIDs), Training and Users give their titles, providers, hours and names. "
                "Two learners; one row names a learning object the Training sheet lacks.",
        "tables": [
            table("Transcript", 6, [
                check("sheet=Transcript;row=1",
                      ["User ID", "LO ID", "Registered Date", "Completed Date", "Transcript Status"]),
                check("sheet=Transcript;row=3", ["HTC-00412", training_ids[1], dt.datetime(2025, 2, 3),
                                                 dt.datetime(2025, 2, 14), "Completed"]),
            ]),
            table("Training", 4, [check("sheet=Training;row=3", list(CORNERSTONE_TRAINING[1]))]),
            table("Users", 3, [check("sheet=Users;row=2", list(CORNERSTONE_USERS[0]))]),
        ]})


def totara_german() -> None:
    book = Workbook()
    done = book.active
    done.title = "Abschlüsse"
    done.append(["Bericht: Kursabschlüsse 2025"])
    done.append(["Erstellt am 15.01.2026"])
    done.append([])
    done.append(["Benutzer-Nr.", "Kurs-Nr.", "Abgeschlossen am", "Status"])
    done.append(["B-1042", "K-311", "14.01.2025", "abgeschlossen"])
    done.append(["B-1042", "K-318", "03.02.2025", "abgeschlossen"])
    done.append(["B-1042", "K-325", "27.03.2025", "abgeschlossen"])
    courses = book.create_sheet("Kurse")
    courses.append(["Kurs-Nr.", "Kursname", "Anbieter-Nr.", "Dauer (Std.)"])
    courses.append(["K-311", "Geldwäscheprävention: Jahresschulung 2025", "A-01", 1.5])
    courses.append(["K-318", "Erbschaftsteuer bei Familienstiftungen", "A-02", 3])
    courses.append(["K-325", "Trusts im internationalen Nachlassrecht", "A-03", 2.5])
    providers = book.create_sheet("Anbieter")
    providers.append(["Anbieter-Nr.", "Bezeichnung", "Ort"])
    providers.append(["A-01", "Compliance Akademie GmbH", "Frankfurt am Main"])
    providers.append(["A-02", "Steuerakademie Süd e.V.", "München"])
    providers.append(["A-03", "STEP Deutschland", "Berlin"])
    people = book.create_sheet("Benutzer")
    people.append(["Benutzer-Nr.", "Vorname", "Nachname", "Abteilung"])
    people.append(["B-1042", "Jana", "Köhler", "Stiftungsverwaltung"])
    out = io.BytesIO()
    book.save(out)
    save("xlsx", "totara-de-relational-export.xlsx", fixed_zip(out.getvalue()), {
        "note": "A German Totara export as four sheets: Abschlüsse (a report title block, then completions naming "
                "person and course by number), Kurse (course names, lengths and a provider number), Anbieter (the "
                "providers) and Benutzer (the person).",
        "tables": [
            table("Abschlüsse", 7, [
                check("sheet=Abschlüsse;row=4", ["Benutzer-Nr.", "Kurs-Nr.", "Abgeschlossen am", "Status"]),
                check("sheet=Abschlüsse;row=6", ["B-1042", "K-318", "03.02.2025", "abgeschlossen"]),
            ]),
            table("Kurse", 4, [check("sheet=Kurse;row=3",
                                     ["K-318", "Erbschaftsteuer bei Familienstiftungen", "A-02", 3])]),
            table("Anbieter", 4, [check("sheet=Anbieter;row=4", ["A-03", "STEP Deutschland", "Berlin"])]),
            table("Benutzer", 2, [check("sheet=Benutzer;row=2", ["B-1042", "Jana", "Köhler", "Stiftungsverwaltung"])]),
        ]})


if __name__ == "__main__":
    for make in (moodle_completions, cornerstone_transcript, totara_german):
        make()
