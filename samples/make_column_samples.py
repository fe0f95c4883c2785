"""Samples of records whose headings we do not know (issue 13): python samples/make_column_samples.py

Each imitates a real generator's style: a German LMS export (semicolon CSV, decimal commas, a 'Summe' line),
a Dutch member's own CPD diary kept in Excel (a title block, everyday headings, a month-only row, a
'Totaal' line), a log with no header row at all, a course catalogue (not a record), and a certificate
mail-merge list naming several learners. The expected files describe the extraction (tables, rows, planted
cells); tests/mappers/test_columns.py checks the activities the mappers read from them.
"""
from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from samples.make_samples import check, fixed_zip, save, table


def german_lms_export() -> None:
    rows = [
        "Teilnehmer:in;Lerneinheit;Veranstaltet von;Erledigt;Aufwand;Ergebnis",
        "Jana Köhler;Geldwäscheprävention: Jahresschulung 2025;Compliance Akademie GmbH;14.01.2025;1,5;abgeschlossen",
        "Jana Köhler;Erbschaftsteuer bei Familienstiftungen;Steuerakademie Süd;03.02.2025;3;abgeschlossen",
        "Jana Köhler;Datenschutz im Mandatsverhältnis;Compliance Akademie GmbH;19.02.2025;0,75;abgeschlossen",
        "Jana Köhler;Trusts im internationalen Nachlassrecht;STEP Deutschland;27.03.2025;2,5;abgeschlossen",
        "Jana Köhler;Interessenkonflikte erkennen und dokumentieren;Compliance Akademie GmbH;;1;in Bearbeitung",
        ";;;Summe;8,75;",
    ]
    data = ("\r\n".join(rows) + "\r\n").encode("utf-8")
    save("csv", "de-lms-export-unknown-headers.csv", data, {
        "note": "A German LMS export whose headings the vocabulary does not know (Lerneinheit, Veranstaltet von, "
                "Erledigt, Aufwand): semicolons, day-first dotted dates, hours with a decimal comma as text, an "
                "unfinished course, and a 'Summe' line under the hours.",
        "tables": [table("csv", 7, [
            check("line=1", ["Teilnehmer:in", "Lerneinheit", "Veranstaltet von", "Erledigt", "Aufwand", "Ergebnis"]),
            check("line=3", ["Jana Köhler", "Erbschaftsteuer bei Familienstiftungen", "Steuerakademie Süd",
                             "03.02.2025", "3", "abgeschlossen"]),
            check("line=7", ["", "", "", "Summe", "8,75", ""]),
        ])]})


def dutch_personal_diary() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "PE-dagboek"
    sheet.append(["Mijn PE-dagboek 2025"])
    sheet.append(["Naam: Sanne de Vries"])
    sheet.append([])
    sheet.append(["Wanneer", "Wat heb ik gedaan", "Wie organiseerde het", "Hoe lang"])
    sheet.append([dt.date(2025, 1, 16), "Webinar nieuwe Wwft-richtlijnen", "Koninklijke Beroepsorganisatie", "1,5"])
    sheet.append([dt.date(2025, 2, 4), "Cursus fiscale aspecten van trusts", "Fiscaal Instituut Nederland", 4])
    sheet.append([dt.date(2025, 2, 20), "Vakliteratuur gelezen over schenkbelasting", "Eigen studie", 2])
    sheet.append(["03/2025", "Intervisie met collega's over dossiervorming", "Kantoor Utrecht", 1.5])
    sheet.append([dt.date(2025, 4, 8), "Integriteit en beroepsethiek", "Koninklijke Beroepsorganisatie", "2,5"])
    sheet.append(["", "Totaal", "", 11.5])
    out = io.BytesIO()
    book.save(out)
    save("xlsx", "nl-personal-cpd-diary.xlsx", fixed_zip(out.getvalue()), {
        "note": "A Dutch member's own CPD diary in Excel: a title block naming her, everyday headings (Wanneer, "
                "Wat heb ik gedaan, Wie organiseerde het, Hoe lang) that no vocabulary holds, hours as numbers and "
                "as decimal-comma text, one row that gives only a month (03/2025), and a 'Totaal' line.",
        "tables": [table("PE-dagboek", 10, [
            check("sheet=PE-dagboek;row=4", ["Wanneer", "Wat heb ik gedaan", "Wie organiseerde het", "Hoe lang"]),
            check("sheet=PE-dagboek;row=8", ["03/2025", "Intervisie met collega's over dossiervorming",
                                             "Kantoor Utrecht", 1.5]),
            check("sheet=PE-dagboek;row=10", ["", "Totaal", "", 11.5]),
        ])]})


def headerless_log() -> None:
    rows = [
        "07/01/2025,Anti-money laundering refresher 2025,Compliance Essentials Ltd,1.5",
        "21/01/2025,Drafting discretionary trusts: common pitfalls,Kingsley Law Training,2",
        "13/02/2025,Court of Protection deputyship applications,STEP,1.25",
        "04/03/2025,Probate fees and the new thresholds,Kingsley Law Training,0.5",
        "26/03/2025,Confidentiality and data protection for trust practitioners,STEP,1",
    ]
    save("csv", "no-header-training-log.csv", ("\n".join(rows) + "\n").encode("utf-8"), {
        "note": "A training log exported with no header row: its data start on line 1 (date, course, provider, hours).",
        "tables": [table("csv", 5, [
            check("line=1", ["07/01/2025", "Anti-money laundering refresher 2025", "Compliance Essentials Ltd", "1.5"]),
        ])]})


def course_catalogue() -> None:
    rows = [
        "Course code,Course,Category,Provider,Length (hours)",
        "LD-101,Leadership essentials,Leadership,Brightwater Training,6",
        "CM-220,Anti-money laundering foundations,Compliance,Compliance Essentials Ltd,2",
        "TX-310,Trust taxation update,Technical,STEP,3",
        "SK-115,Effective negotiation skills,People skills,Brightwater Training,4",
    ]
    save("csv", "course-catalogue-not-a-record.csv", ("\n".join(rows) + "\n").encode("utf-8"), {
        "note": "An L&D course catalogue: courses, categories, providers and catalogue lengths, but no learner, date "
                "or completion, so it is not a record of learning.",
        "tables": [table("csv", 5, [check("line=2", ["LD-101", "Leadership essentials", "Leadership",
                                                      "Brightwater Training", "6"])])]})


def certificate_mail_merge() -> None:
    rows = [
        "FirstName,LastName,Email,CourseTitle,CompletionDate,CPDHours,CertificateNumber",
        "Aisha,Khan,aisha.khan@harbourtrust.example,Trustee duties refresher,2025-03-12,2,HT-2025-0141",
        "Tom,Reilly,tom.reilly@harbourtrust.example,Trustee duties refresher,2025-03-12,2,HT-2025-0142",
        "Mei,Lin,mei.lin@harbourtrust.example,Trustee duties refresher,2025-03-12,2,HT-2025-0143",
        "Aisha,Khan,aisha.khan@harbourtrust.example,Vulnerable clients in practice,2025-04-02,1.5,HT-2025-0188",
    ]
    save("csv", "certificate-mail-merge-several-learners.csv", ("\n".join(rows) + "\n").encode("utf-8"), {
        "note": "The data source of a certificate mail merge: one row per certificate, several learners, the same "
                "course for three of them.",
        "tables": [table("csv", 5, [check("line=3", ["Tom", "Reilly", "tom.reilly@harbourtrust.example",
                                                      "Trustee duties refresher", "2025-03-12", "2", "HT-2025-0142"])])]})


if __name__ == "__main__":
    for make in (german_lms_export, dutch_personal_diary, headerless_log, course_catalogue, certificate_mail_merge):
        make()
