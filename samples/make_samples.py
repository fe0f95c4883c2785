"""Write the tabular sample uploads (CSV, XLSX/XLSM, XLS, ODS, HTML) and their expected results.

    .venv/bin/pip install xlsxwriter xlwt msoffcrypto-tool     # dev-only writers (odfpy, openpyxl, pillow too)
    .venv/bin/python samples/make_samples.py

Run by hand; the files it writes are kept in the repository. Deterministic: fixed dates inside the
files, fixed zip timestamps, seeded "random" salts, so a re-run gives the same bytes. Every sample
NAME.EXT gets NAME.EXT.expected.json beside it, written here from the data written (never by
running an extractor):

    {"extractor": "xlsx",                      the module that must read it (detection by content)
     "note": "what the sample shows",
     "error": null | {"type": "UnreadableFile", "code": "corrupt"},
     "issues": ["encoding_guessed"],           issue codes, when there are any
     "context": ["..."],                       Extraction.context, when checked
     "tables": [{"name": "Transcript", "rows": 27, "header_rows": null, "context": [...],
                 "check": [{"locator": "sheet=Transcript;row=7", "cells": [...]}]}]}

`cells` lists a row's first cells as the extractor must yield them (any further cells are empty);
typed values are {"date": "2025-03-04"}, {"datetime": "2025-03-04T09:30:00"}, {"time": "12:00:00"}
and {"timedelta": seconds}. Everyone named here is invented; e-mail domains are .example.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import random
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2025, 1, 15, 9, 0, 0)
Expected = dict[str, Any]


# ---------------------------------------------------------------------------------------- helpers

def cell(value: object) -> object:
    """A cell as the expected file writes it."""
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()} if value.time() != dt.time(0) else {"date": value.date().isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"time": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"timedelta": value.total_seconds()}
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return value


def check(locator: str, cells: list[object]) -> dict[str, object]:
    return {"locator": locator, "cells": [cell(c) for c in cells]}


def table(name: str, rows: int, checks: list[dict[str, object]], header_rows: int | None = None,
          context: list[str] | None = None) -> dict[str, object]:
    found: dict[str, object] = {"name": name, "rows": rows, "header_rows": header_rows, "check": checks}
    if context is not None:
        found["context"] = context
    return found


def error(kind: str, code: str) -> dict[str, str]:
    return {"type": kind, "code": code}


def save(folder: str, name: str, data: bytes, expected: Expected) -> None:
    path = HERE / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    expected = {"extractor": folder, "error": None, **expected}
    (path.parent / f"{name}.expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n",
                                                       encoding="utf-8")
    print(f"{folder}/{name}: {len(data):,} bytes")


def fixed_zip(data: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """The same archive with fixed member timestamps and document dates (openpyxl, odfpy), parts replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = (replace or {}).get(info.filename, source.read(info))
            if info.filename in ("docProps/core.xml", "meta.xml"):
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", b"2025-01-15T09:00:00Z", body)
                body = re.sub(rb"odfpy/[\d.]+", b"odfpy", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 15, 9, 0, 0))
            fixed.compress_type, fixed.external_attr = info.compress_type, info.external_attr
            target.writestr(fixed, body)
    return out.getvalue()


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (v3, 512-byte sectors) holding these top-level streams.

    Streams are padded to 4,096 bytes so none lives in the mini stream. Enough for readers that list
    stream names (olefile); not a document any Office program would open.
    """
    end, free, fat_mark, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    bodies = [streams[n].ljust(4096, b"\0") for n in names]
    bodies = [b.ljust(math.ceil(len(b) / 512) * 512, b"\0") for b in bodies]
    dir_sectors = math.ceil((len(names) + 1) * 128 / 512)
    data_sectors = dir_sectors + sum(len(b) // 512 for b in bodies)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + data_sectors:
        fat_sectors += 1

    def chain(start: int, count: int) -> list[int]:
        return [start + i + 1 for i in range(count - 1)] + [end]

    fat = [fat_mark] * fat_sectors + chain(fat_sectors, dir_sectors)
    starts, position = [], fat_sectors + dir_sectors
    for body in bodies:
        starts.append(position)
        fat += chain(position, len(body) // 512)
        position += len(body) // 512
    fat += [free] * (fat_sectors * 128 - len(fat))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return struct.pack("<64sHBBIII16sIQQIQ", encoded.ljust(64, b"\0"), len(encoded), kind, 1 if kind else 0,
                           none, right, child, b"\0" * 16, 0, 0, 0, start, size)

    directory = entry("Root Entry", 5, none, 1 if names else none, end, 0)
    for i, (name, start) in enumerate(zip(names, starts), 1):
        directory += entry(name, 2, i + 1 if i < len(names) else none, none, start, len(streams[name].ljust(4096, b"\0")))
    directory = directory.ljust(dir_sectors * 512, b"\0")
    difat = list(range(fat_sectors)) + [free] * (109 - fat_sectors)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII109I", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16, 0x3E, 3,
                         0xFFFE, 9, 6, b"\0" * 6, 0, fat_sectors, fat_sectors, 0, 4096, end, 0, end, 0, *difat)
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(bodies)


def logo_png() -> bytes:
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (160, 48), (20, 60, 110))
    ImageDraw.Draw(image).rectangle((8, 8, 40, 40), fill=(240, 180, 40))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# ---------------------------------------------------------------------------------------- people

COURSES = [
    # title, type, provider, hours, status
    ("Anti-money laundering refresher 2025", "Online Class", "Compliance Essentials Ltd", 1.5, "Completed"),
    ("Trustee duties under the Trustee Act 2000", "Session", "Larkfield Academy", 3.0, "Completed"),
    ("Inheritance tax: ten-year and exit charges", "Online Class", "STEP", 2.0, "Completed"),
    ("Data protection for client-facing staff", "Online Class", "Larkfield Academy", 0.75, "Completed"),
    ("Vulnerable clients: recognising undue influence", "Session", "Kestrel Law Training", 2.5, "Completed"),
    ("Trust Registration Service: annual updates", "Material", "Larkfield Academy", 0.5, "Completed"),
    ("Sanctions screening essentials", "Online Class", "Compliance Essentials Ltd", 1.0, "In Progress"),
    ("Probate practice after the 2025 rule changes", "External Training", "Kestrel Law Training", 3.5, "Completed"),
    ("Conflicts of interest in family trusts", "Session", "STEP", 1.5, "Completed"),
    ("Excel for trust accounts", "Online Class", "Brightwater Training", 2.0, "Registered"),
    ("Capital gains tax for personal representatives", "Session", "CIOT", 2.25, "Completed"),
    ("Fire safety awareness", "Online Class", "Larkfield Academy", 0.25, "Withdrawn"),
]


def completed_on(i: int) -> dt.date:
    return dt.date(2025, 1, 7) + dt.timedelta(days=23 * i + (i * 7) % 5)


# ---------------------------------------------------------------------------------------- CSV

def csv_samples() -> None:
    header = ["User ID", "User Last Name", "User First Name", "Training Title", "Training Type", "Transcript Status",
              "Completed Date", "Training Hours", "Training Provider", "Training Description"]
    rows = []
    for i, (title, kind, provider, hours, status) in enumerate(COURSES):
        done = completed_on(i).strftime("%d/%m/%Y 14:%M") if status == "Completed" else ""
        description = "Short course."
        if i == 2:
            description = "Part 1: relevant property trusts, with worked examples.\r\nPart 2: exit charges, questions."
        if i == 4:
            description = 'Covers "red flags", capacity, and when to refer.'
        rows.append(["LTC00731", "Brennan", "Aoife", title, kind, status, done, str(hours), provider, description])
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows([header] + rows)
    data = b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
    # Line numbers: header 1, rows 2-4, row 3 (i=2) spans lines 4-5, so i=3 starts on line 6.
    save("csv", "cornerstone-utf8-bom.csv", data, {
        "note": "Cornerstone-style transcript: UTF-8 BOM, every field quoted, CRLF, a description with a comma "
                "and a line break inside quotes (the next record starts a line later), escaped quotes.",
        "tables": [table("csv", 13, [
            check("line=1", header),
            check("line=4", rows[2][:9] + ["Part 1: relevant property trusts, with worked examples.\r\n"
                                           "Part 2: exit charges, questions."]),
            check("line=6", rows[3]),
            check("line=7", rows[4]),
            check("line=14", rows[11]),
        ])]})

    header = ["First Name", "Last Name", "Email", "Content Title", "Content Type", "Content ID", "Seconds Viewed",
              "Percent Completed", "Completion Date"]
    rows = [["José", "Olmedo", "jose.olmedo@marlowefinch.example", title, "Course", str(1690000 + 37 * i),
             str(int(hours * 3600)), "100%" if status == "Completed" else "40%",
             completed_on(i).isoformat() if status == "Completed" else ""]
            for i, (title, _, _, hours, status) in enumerate(COURSES[:8])]
    text = "\n".join(",".join(f'"{v}"' if "," in v else v for v in r) for r in [header] + rows) + "\n"
    save("csv", "linkedin-learning-plain.csv", text.encode("utf-8"), {
        "note": "LinkedIn Learning-style activity report: UTF-8 without BOM, LF, an accented learner name.",
        "tables": [table("csv", 9, [check("line=1", header), check("line=2", rows[0]), check("line=9", rows[7])])]})

    header = ["Worker", "Learning Content", "Learning Type", "Completion Date", "Duration", "Provider"]
    rows = [["Łukasz Nowak", title, kind, completed_on(i).strftime("%d/%m/%Y"), f"{hours:g} h", provider]
            for i, (title, kind, provider, hours, _) in enumerate(COURSES[:6])]
    text = "\r\n".join("\t".join(r) for r in [header] + rows) + "\r\n"
    save("csv", "workday-unicode-text.tsv", b"\xff\xfe" + text.encode("utf-16-le"), {
        "note": "Workday-style report saved by Excel as 'Unicode Text': UTF-16 LE with BOM, tab-separated, CRLF, "
                "a name outside Windows-1252.",
        "media_type": "text/tab-separated-values",
        "tables": [table("csv", 7, [check("line=1", header), check("line=2", rows[0]), check("line=7", rows[5])])]})

    header = ["Date", "Course", "Provider", "Hours", "Cost (£)", "Attendee"]
    people = ["Renée Fontaine", "Søren Østergaard", "Begoña Ibáñez", "Anaïs Lefèvre"]
    titles = ["Offshore trusts – the settlements code", "Beneficiaries’ rights to information",
              "Probate fees and the £5,000 threshold", "Ethics for tax advisers: case studies",
              "Trustees’ investment duties – an update", "Capital gains tax for trustees"]
    rows = [[completed_on(i).strftime("%d/%m/%Y"), t, "Kestrel Law Training", f"{1 + i % 3}",
             f"£{1250 - 150 * i:,}.00", people[i % 4]] for i, t in enumerate(titles)]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header] + rows)
    save("csv", "training-log-cp1252.csv", out.getvalue().encode("cp1252"), {
        "note": "Team training log from a Windows tool in Windows-1252: £ 0xA3, en dash 0x96, curly apostrophe "
                "0x92, accented names; costs with thousands commas are quoted.",
        "issues": ["encoding_guessed"],
        "tables": [table("csv", 7, [check("line=1", header), check("line=2", rows[0]), check("line=3", rows[1]),
                                    check("line=4", rows[2]), check("line=5", rows[3])])]})

    rows = [[completed_on(i).strftime("%d/%m/%Y"), t, "Larkfield Academy", f"{1 + i % 2}", "", people[(i + 1) % 4]]
            for i, t in enumerate(titles[:4])]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r").writerows([header] + rows)
    save("csv", "mac-excel-mac-roman.csv", out.getvalue().encode("mac_roman"), {
        "note": "Excel for Mac 'CSV (Macintosh)': Mac Roman bytes (é 0x8E, ’ 0xD5, – 0xD0) and bare CR line ends.",
        "issues": ["encoding_guessed"],
        "tables": [table("csv", 5, [check("line=1", header), check("line=2", rows[0]), check("line=3", rows[1]),
                                    check("line=5", rows[3])])]})

    header = ["Datum", "Kurstitel", "Anbieter", "Typ", "Teilnehmer/in", "Dauer (h)", "CPD-Punkte", "Status"]
    rows = [[completed_on(i).strftime("%d.%m.%Y"), t, p, k, "Matthias Brunner", f"{h:g}".replace(".", ","),
             f"{h + 0.5:g}".replace(".", ","), "abgeschlossen"]
            for i, (t, k, p, h, _) in enumerate(COURSES[:7])]
    text = "\n".join(";".join(r) for r in [header] + rows) + "\n"
    save("csv", "semicolon-decimal-comma.csv", text.encode("utf-8"), {
        "note": "Continental export: ';' delimiter, decimal commas ('1,5') left as written for the mapper, dd.mm.yyyy.",
        "tables": [table("csv", 8, [check("line=1", header), check("line=2", rows[0]), check("line=5", rows[3])])]})

    header = ["EMPLOYEE_ID", "EMPLOYEE_NAME", "COURSE_TITLE", "CATEGORY", "END_DATE", "CREDIT_HOURS"]
    rows = [["E-20417", "Kwame Mensah", t, "Trusts, estates and tax", completed_on(i).isoformat(), f"{h:g}"]
            for i, (t, _, _, h, _) in enumerate(COURSES[:5])]
    text = "\n".join("|".join(r) for r in [header] + rows) + "\n"
    save("csv", "pipe-delimited.csv", text.encode("utf-8"), {
        "note": "HR system extract delimited by '|', with commas inside unquoted fields (so ',' must not win).",
        "tables": [table("csv", 6, [check("line=1", header), check("line=3", rows[1])])]})

    lines = ["Course completion report", "Generated: 14/01/2026 08:15 by Ingrid Solberg", "",
             "Username,Full name,Course,Enrolment date,Completion date,Status,Time spent"]
    rows = [["isolberg", "Ingrid Solberg", t, "02/01/2025", completed_on(i).strftime("%d/%m/%Y"), "Completed",
             f"{int(h)}h {int(h % 1 * 60)}m"] for i, (t, _, _, h, _) in enumerate(COURSES[:6])]
    lines += [",".join(r) for r in rows] + ["", "Total,,,,,,6 courses"]
    save("csv", "docebo-title-block.csv", ("\n".join(lines) + "\n").encode("utf-8"), {
        "note": "Docebo-style report: title lines and a blank line above the header, a blank line and a totals "
                "line below; blank lines are yielded as empty rows so line numbers stay physical.",
        "tables": [table("csv", 12, [check("line=1", ["Course completion report"]), check("line=3", []),
                                     check("line=4", lines[3].split(",")), check("line=5", rows[0]),
                                     check("line=12", ["Total", "", "", "", "", "", "6 courses"])])]})

    lines = ["sep=;", "Course;Completed;Hours", "Conflicts of interest in family trusts;12/03/2025;1,5",
             "Sanctions screening essentials;18/03/2025;1"]
    save("csv", "excel-sep-hint.csv", ("\r\n".join(lines) + "\r\n").encode("utf-8"), {
        "note": "Excel's 'sep=;' hint on line 1 names the delimiter and is not a record.",
        "tables": [table("csv", 3, [check("line=2", ["Course", "Completed", "Hours"]),
                                    check("line=3", lines[2].split(";"))])]})

    header = ["Course full name", "Course short name", "Full name", "Time completed", "Course summary"]
    rows = [
        ["Will drafting for blended families", "PR-WDBF-25", "Siobhan O'Neill", "Tuesday, 11 March 2025, 2:15 PM",
         'Covers "mirror wills",\nlife interest trusts and\nprotective trusts.'],
        ["Lasting powers of attorney in practice", "PR-LPAP-25", "Siobhan O'Neill", "Friday, 24 January 2025, 4:55 PM",
         "One line."],
        ["  Deputyship applications  ", "PR-DA-25", "Siobhan O'Neill", "", "Padded title; trimmed on output."],
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header] + rows)
    save("csv", "moodle-quoted-multiline.csv", out.getvalue().encode("utf-8"), {
        "note": "Moodle report-builder export: a quoted summary over three lines with escaped quotes and commas; "
                "the next record starts on line 5; padded cells are trimmed.",
        "tables": [table("csv", 4, [check("line=2", rows[0]), check("line=5", rows[1]), check("line=6", rows[2])])]})

    save("csv", "empty.csv", b"", {"note": "A 0-byte upload: no tables, and not an error.", "tables": []})


# ---------------------------------------------------------------------------------------- XLSX

def xlsx_samples() -> None:
    import xlsxwriter

    def workbook() -> tuple[Any, io.BytesIO]:
        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"in_memory": True})
        book.set_properties({"created": FIXED, "author": "Larkfield LMS", "company": "Larkfield Trust Company Ltd"})
        return book, out

    # Cornerstone-style: logo and title block, header on row 7, totals and a confidentiality line below.
    book, out = workbook()
    sheet = book.add_worksheet("Transcript")
    bold, date = book.add_format({"bold": True}), book.add_format({"num_format": "dd/mm/yyyy"})
    title = book.add_format({"bold": True, "font_size": 14})
    header = ["User ID", "User Full Name", "Training Title", "Training Type", "Transcript Status", "Completion Date",
              "Training Hours", "Training Provider", "Training Object ID"]
    sheet.insert_image("H1", "logo.png", {"image_data": io.BytesIO(logo_png())})
    sheet.merge_range("A1:I1", "Transcript Report", title)
    sheet.write("A2", "Larkfield Trust Company Ltd")
    sheet.write("A3", "Report run 14/01/2026 09:12 by Tomasz Wieczorek")
    sheet.write("A4", "Filters: Transcript Status = All; Completion Date = 01/01/2025 - 31/12/2025")
    sheet.write_row("A7", header, bold)
    rows = []
    for i, (t, kind, provider, hours, status) in enumerate(COURSES):
        done = dt.datetime.combine(completed_on(i), dt.time()) if status == "Completed" else None
        row = ["LTC00731", "Aoife Brennan", t, kind, status, done, hours, provider, f"ILT-{4400 + i * 13}"]
        sheet.write_row(7 + i, 0, row[:5])
        if done:
            sheet.write_datetime(7 + i, 5, done, date)
        sheet.write_row(7 + i, 6, row[6:])
        rows.append(row)
    sheet.write("A21", f"Total records: {len(COURSES)}")
    sheet.write("A23", "Confidential: for the named learner and their line manager only.")
    book.close()
    cornerstone = out.getvalue()
    save("xlsx", "cornerstone-title-block.xlsx", cornerstone, {
        "note": "Cornerstone-style transcript: logo, merged title row (kept as one value), title block, two blank "
                "rows, header on row 7, real Excel dates, a 'Total records' line and a confidentiality line.",
        "tables": [table("Transcript", 23, [
            check("sheet=Transcript;row=1", ["Transcript Report"]),
            check("sheet=Transcript;row=3", ["Report run 14/01/2026 09:12 by Tomasz Wieczorek"]),
            check("sheet=Transcript;row=5", []),
            check("sheet=Transcript;row=7", header),
            check("sheet=Transcript;row=8", rows[0]),
            check("sheet=Transcript;row=14", rows[6]),
            check("sheet=Transcript;row=21", [f"Total records: {len(COURSES)}"]),
        ])]})

    # SuccessFactors-style: two-row merged header, hidden column and rows, a filtered range, SUM with cached value.
    book, out = workbook()
    sheet = book.add_worksheet("Learning History")
    head = book.add_format({"bold": True, "align": "center"})
    sheet.write("A1", "Learning History")
    sheet.write("A2", "User: Kwame Mensah (77812)")
    sheet.merge_range("A4:B4", "Item", head)
    sheet.merge_range("C4:D4", "Dates", head)
    sheet.merge_range("E4:F4", "Hours", head)
    sheet.merge_range("G4:G5", "Status", head)
    sheet.write("H4", "Internal", head)
    second = ["Item ID", "Title", "Start", "Completion", "Total", "CPD"]
    sheet.write_row("A5", second, head)
    sheet.write("H5", "Cost centre", head)
    sheet.set_column("H:H", None, None, {"hidden": True})
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    rows = []
    for i, (t, _, _, hours, status) in enumerate(COURSES[:10]):
        start = dt.datetime.combine(completed_on(i) - dt.timedelta(days=3), dt.time())
        end = dt.datetime.combine(completed_on(i), dt.time())
        status = "COURSE-COMPLETE" if status == "Completed" else "IN-PROGRESS"
        cpd = 0.0 if "Fire" in t else hours
        r = 5 + i
        sheet.write(r, 0, f"SF-{7100 + i}")
        sheet.write(r, 1, t)
        sheet.write_datetime(r, 2, start, date)
        sheet.write_datetime(r, 3, end, date)
        sheet.write_row(r, 4, [hours, cpd, status, f"CC-{300 + i % 3}"])
        if status != "COURSE-COMPLETE":
            sheet.set_row(r, None, None, {"hidden": True})      # filtered out by the autofilter below
        rows.append([f"SF-{7100 + i}", t, start, end, hours, cpd, status, f"CC-{300 + i % 3}"])
    sheet.set_row(8, None, None, {"hidden": True})              # a row hidden by hand
    sheet.autofilter("A5:H15")
    sheet.filter_column("G", "x == COURSE-COMPLETE")
    total = sum(r[4] for r in rows)
    sheet.write("D17", "Total hours")
    sheet.write_formula("E17", "=SUM(E6:E15)", None, total)
    book.close()
    save("xlsx", "two-row-merged-header.xlsx", out.getvalue(), {
        "note": "SuccessFactors-style history: a two-row header with merged group cells ('Item', 'Dates', 'Hours' "
                "spread over their columns; 'Status' merged down), a hidden column, rows hidden by hand and by an "
                "autofilter (all still data), and a SUM formula whose cached value is read.",
        "tables": [table("Learning History", 17, [
            check("sheet=Learning History;row=1", ["Learning History"]),
            check("sheet=Learning History;row=4", ["Item", "Item", "Dates", "Dates", "Hours", "Hours", "Status",
                                                   "Internal"]),
            check("sheet=Learning History;row=5", second + ["", "Cost centre"]),
            check("sheet=Learning History;row=6", rows[0]),
            check("sheet=Learning History;row=9", rows[3]),
            check("sheet=Learning History;row=12", rows[6]),
            check("sheet=Learning History;row=17", ["", "", "", "Total hours", total]),
        ])]})

    # Dates and durations every way an export writes them.
    book, out = workbook()
    sheet = book.add_worksheet("Activity")
    formats = {name: book.add_format({"num_format": f}) for name, f in
               (("date", "dd/mm/yyyy"), ("stamp", "dd/mm/yyyy hh:mm"), ("hours", "[h]:mm"), ("clock", "hh:mm"))}
    header = ["Learning item", "Completed", "Started (serial)", "Assigned (text)", "Last access", "Time spent",
              "Session start"]
    sheet.write_row(0, 0, header)
    spent = [dt.timedelta(hours=1.5), dt.timedelta(minutes=45), dt.timedelta(hours=26, minutes=15),
             dt.timedelta(hours=3)]
    rows = []
    for i, (t, *_rest) in enumerate(COURSES[:4]):
        done = dt.datetime.combine(completed_on(i), dt.time())
        serial = (completed_on(i) - dt.date(1899, 12, 30)).days - 2
        stamp = dt.datetime.combine(completed_on(i), dt.time(16, 30))
        clock = dt.time(9, 0) if i % 2 else dt.time(12, 0)
        sheet.write(i + 1, 0, t)
        sheet.write_datetime(i + 1, 1, done, formats["date"])
        sheet.write_number(i + 1, 2, serial)
        sheet.write_string(i + 1, 3, (completed_on(i) - dt.timedelta(days=9)).strftime("%d/%m/%Y"))
        sheet.write_datetime(i + 1, 4, stamp, formats["stamp"])
        sheet.write_number(i + 1, 5, spent[i].total_seconds() / 86400, formats["hours"])
        sheet.write_number(i + 1, 6, (clock.hour * 60 + clock.minute) / 1440, formats["clock"])
        rows.append([t, done, float(serial), (completed_on(i) - dt.timedelta(days=9)).strftime("%d/%m/%Y"), stamp,
                     spent[i], clock])
    book.close()
    save("xlsx", "dates-and-durations.xlsx", out.getvalue(), {
        "note": "Dates as real Excel dates, as serial numbers in General format (left as numbers for the mapper), "
                "as text, a date-time; time spent as an [h]:mm duration (one over 24 hours) and a time of day.",
        "tables": [table("Activity", 5, [check("sheet=Activity;row=1", header)] +
                         [check(f"sheet=Activity;row={i + 2}", r) for i, r in enumerate(rows)])]})

    # One sheet per year, a notes sheet, a hidden lookup sheet, an empty sheet; 2025 starts at B3.
    book, out = workbook()
    header = ["Completed", "Course", "Provider", "Type", "Hours", "Mandatory?"]
    date = book.add_format({"num_format": "d mmm yyyy"})
    years: dict[int, list[list[object]]] = {}
    for year, offset in ((2023, (0, 0)), (2024, (0, 0)), (2025, (2, 1))):
        sheet = book.add_worksheet(str(year))
        top, left = offset
        sheet.write_row(top, left, header)
        years[year] = []
        for i, (t, kind, provider, hours, _) in enumerate(COURSES[year - 2023::3]):
            done = dt.datetime(year, 1 + i * 2, 9 + i)
            sheet.write_datetime(top + 1 + i, left, done, date)
            sheet.write_row(top + 1 + i, left + 1, [t, provider, kind, hours, "Y" if "AML" in t or "Fire" in t else "N"])
            years[year].append([done, t, provider, kind, hours, "Y" if "AML" in t or "Fire" in t else "N"])
    notes = book.add_worksheet("Notes")
    notes.write("A1", "Notes")
    notes.write("A2", "Exported from the firm's learning system by year. Mandatory courses repeat every year.")
    lookup = book.add_worksheet("Lookup")
    lookup.write_row("A1", ["Code", "Meaning"])
    lookup.write_row("A2", ["ELRN", "E-learning module"])
    lookup.hide()
    book.add_worksheet("Sheet6")
    book.close()
    save("xlsx", "multi-year-notes.xlsx", out.getvalue(), {
        "note": "Three year sheets (2025's table starts at B3, so its rows are 3.. and cells start at column B), a "
                "prose Notes sheet, a hidden Lookup sheet (read like any other) and an empty sheet (no table).",
        "tables": [
            table("2023", 5, [check("sheet=2023;row=1", header), check("sheet=2023;row=2", years[2023][0])]),
            table("2024", 5, [check("sheet=2024;row=5", years[2024][3])]),
            table("2025", 5, [check("sheet=2025;row=3", header), check("sheet=2025;row=4", years[2025][0]),
                              check("sheet=2025;row=7", years[2025][3])]),
            table("Notes", 2, [check("sheet=Notes;row=2", ["Exported from the firm's learning system by year. "
                                                           "Mandatory courses repeat every year."])]),
            table("Lookup", 2, [check("sheet=Lookup;row=2", ["ELRN", "E-learning module"])]),
        ]})

    # Macro-enabled workbook: a vbaProject.bin part that is never opened or run.
    book, out = workbook()
    sheet = book.add_worksheet("CPD")
    vba = compound_file({"PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nDocument=ThisWorkbook/&H00000000\r\n',
                         "MACRO_MARKER": b'Sub Workbook_Open()\r\n    Shell "calc.exe"\r\nEnd Sub\r\n'})
    book.add_vba_project(io.BytesIO(vba), is_stream=True)
    book.set_vba_name("ThisWorkbook")
    header = ["Date", "Activity", "Provider", "CPD hours"]
    sheet.write_row(0, 0, header)
    rows = []
    for i, (t, _, provider, hours, _) in enumerate(COURSES[:3]):
        done = dt.datetime.combine(completed_on(i), dt.time())
        sheet.write_datetime(i + 1, 0, done, book.add_format({"num_format": "dd/mm/yyyy"}))
        sheet.write_row(i + 1, 1, [t, provider, hours])
        rows.append([done, t, provider, hours])
    book.close()
    save("xlsx", "macro-enabled.xlsm", out.getvalue(), {
        "note": "An .xlsm with xl/vbaProject.bin (a Workbook_Open macro): values are read, the macro never runs.",
        "media_type": "application/vnd.ms-excel.sheet.macroEnabled.12",
        "tables": [table("CPD", 4, [check("sheet=CPD;row=1", header), check("sheet=CPD;row=4", rows[2])])]})

    # openpyxl writes differently (no cached formula values, its own XML); a merged note row stays one cell.
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Record of learning"
    ws["A1"] = "Record of learning 2025 – Ingrid Solberg"
    ws.merge_cells("A1:E1")
    header = ["Course", "Category", "Date completed", "Duration (mins)", "Grade"]
    ws.append([])
    ws.append(header)
    rows = []
    for i, (t, kind, _, hours, _) in enumerate(COURSES[:5]):
        row = [t, kind, dt.datetime.combine(completed_on(i), dt.time()), int(hours * 60), "Pass"]
        ws.append(row)
        ws.cell(row=4 + i, column=3).number_format = "dd/mm/yyyy"
        rows.append(row)
    ws.merge_cells("A9:E9")
    ws["A9"] = "Q2 2025"
    ws["A10"] = "Total"
    ws["D10"] = "=SUM(D4:D8)"
    wb.properties.creator = "Totara"
    buffer = io.BytesIO()
    wb.save(buffer)
    save("xlsx", "openpyxl-formula-no-cache.xlsx", fixed_zip(buffer.getvalue()), {
        "note": "Written by openpyxl: a merged title and a merged section row stay single values; a SUM formula "
                "saved without a cached value reads as empty.",
        "tables": [table("Record of learning", 10, [
            check("sheet=Record of learning;row=1", ["Record of learning 2025 – Ingrid Solberg"]),
            check("sheet=Record of learning;row=3", header),
            check("sheet=Record of learning;row=4", rows[0]),
            check("sheet=Record of learning;row=9", ["Q2 2025"]),
            check("sheet=Record of learning;row=10", ["Total", "", "", "", ""]),
        ])]})

    # Absurd numbers in date- and time-formatted cells: calamine cannot convert them (Python overflow,
    # or a Rust panic); those rows become Issues and the rest of the sheet is read.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Log"
    ws["B2"], ws["C2"], ws["D2"] = "Activity", "Date", "Time spent"
    values = [(dt.datetime(2025, 2, 3), 0.0625), (-1e308, 0.03125), (dt.datetime(2025, 2, 5), 1e12),
              (dt.datetime(2025, 2, 6), 0.125)]
    for i, (when, spent) in enumerate(values):
        ws.cell(row=3 + i, column=2, value=COURSES[i][0])
        ws.cell(row=3 + i, column=3, value=when).number_format = "hh:mm" if i == 1 else "dd/mm/yyyy"
        ws.cell(row=3 + i, column=4, value=spent).number_format = "[h]:mm"
    buffer = io.BytesIO()
    wb.save(buffer)
    save("xlsx", "absurd-date-values.xlsx", fixed_zip(buffer.getvalue()), {
        "note": "A -1e308 time of day (a Rust panic inside calamine) and a 1e12-day duration (a Python overflow): "
                "those two rows come out empty with an 'unreadable_row' issue each; every other row is read, "
                "numbered from row 2 where the sheet starts.",
        "issues": ["unreadable_row", "unreadable_row"],
        "tables": [table("Log", 5, [
            check("sheet=Log;row=2", ["Activity", "Date", "Time spent"]),
            check("sheet=Log;row=3", [COURSES[0][0], dt.date(2025, 2, 3), dt.timedelta(hours=1, minutes=30)]),
            check("sheet=Log;row=4", []),
            check("sheet=Log;row=5", []),
            check("sheet=Log;row=6", [COURSES[3][0], dt.date(2025, 2, 6), dt.timedelta(hours=3)]),
        ])]})

    xlsx_bad_samples(cornerstone)


def xlsx_bad_samples(good: bytes) -> None:
    save("xlsx", "truncated.xlsx", good[:len(good) * 2 // 5], {
        "note": "The first 40% of a workbook, as an interrupted download leaves it: no central directory.",
        "error": error("UnreadableFile", "corrupt")})

    sheet = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxml'
             b'formats.org/spreadsheetml/2006/main"><sheetData>' + b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t>'
             b'</is></c></row>' + b" " * 200_000 + b"</sheetData></worksheet>")
    save("xlsx", "zip-bomb.xlsx", declare_size(_minimal_xlsx(sheet), "xl/worksheets/sheet1.xml", 1_500_000_000), {
        "note": "A 3 KB workbook whose sheet declares 1.5 GB inflated (over 100:1): refused before anything inflates.",
        "error": error("UnreadableFile", "zip_bomb")})

    big = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxml'
           b'formats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is>'
           b'</c></row>' + b" " * 30_000_000 + b"</sheetData></worksheet>")
    save("xlsx", "zip-bomb-undeclared.xlsx", declare_size(_minimal_xlsx(big), "xl/worksheets/sheet1.xml", 20_000), {
        "note": "A sheet that declares 20 KB but inflates to 30 MB: caught while inflating, whatever the headers say.",
        "error": error("UnreadableFile", "zip_bomb")})

    xxe = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM '
           b'"file:///etc/passwd">]>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')
    save("xlsx", "xxe.xlsx", _minimal_xlsx(xxe), {
        "note": "A sheet with a DOCTYPE declaring an external entity: refused, never parsed.",
        "error": error("UnreadableFile", "xml_entities")})

    far = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxml'
           b'formats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Course</t>'
           b'</is></c></row><row r="1000000"><c r="ZZ1000000"><v>1</v></c></row></sheetData></worksheet>')
    save("xlsx", "stray-far-cell.xlsx", _minimal_xlsx(far), {
        "note": "Two cells, A1 and ZZ1000000: read densely that is 700 million cells (20 GB), so it is refused "
                "with a message saying to delete the stray cell.",
        "error": error("UnreadableFile", "too_large")})

    import msoffcrypto.method.container.ecma376_encrypted as container
    import msoffcrypto.method.ecma376_agile as agile
    from msoffcrypto.format.ooxml import OOXMLFile

    class Frozen(dt.datetime):                 # the container stamps its storages with now()
        @classmethod
        def now(cls, tz: Any = None) -> Frozen:
            return cls(2025, 1, 15, 9, 0, 0)

    seeded = random.Random(2025)
    originals = agile.secrets.token_bytes, container.datetime
    agile.secrets.token_bytes, container.datetime = (lambda n=32: seeded.randbytes(n)), Frozen
    try:
        out = io.BytesIO()
        OOXMLFile(io.BytesIO(good)).encrypt("VelvetCanary7", out)
    finally:
        agile.secrets.token_bytes, container.datetime = originals
    save("xlsx", "encrypted.xlsx", out.getvalue(), {
        "extractor": "xls",
        "note": "A password-protected workbook (password VelvetCanary7): an OLE2 file with EncryptionInfo and "
                "EncryptedPackage, so detection hands it to the xls module, which says how to remove the password.",
        "error": error("UnreadableFile", "encrypted")})


def _minimal_xlsx(sheet: bytes) -> bytes:
    parts = {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                               b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                               b'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
                               b'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
                               b'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
                               b'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                               b'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                       b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                       b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
                           b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                           b'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                                      b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
                                      b'"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
                                      b' Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 15, 9, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def declare_size(data: bytes, member: str, size: int) -> bytes:
    """Patch a member's uncompressed size in its local header and in the central directory."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    patched = bytearray(data)
    struct.pack_into("<I", patched, info.header_offset + 22, size)
    central = data.index(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(member)] != member.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", patched, central + 24, size)
    return bytes(patched)


# ---------------------------------------------------------------------------------------- XLS

def xls_samples() -> None:
    import xlwt
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Course completions")
    date = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    bold = xlwt.easyxf("font: bold on")
    sheet.write_merge(0, 0, 0, 5, "Moodle course completion report", bold)
    sheet.write(1, 0, "Learner: Ingrid Solberg (isolberg@larkfield.example)")
    sheet.write(3, 0, "Course", bold)
    sheet.write_merge(3, 3, 1, 2, "Dates", bold)
    sheet.write_merge(3, 3, 3, 4, "Time", bold)
    sheet.write(3, 5, "Status", bold)
    second = ["", "Started", "Completed", "Hours", "CPD hours", ""]
    for c, v in enumerate(second):
        if v:
            sheet.write(4, c, v, bold)
    rows = []
    for i, (t, _, _, hours, status) in enumerate(COURSES[:8]):
        start = dt.date.fromordinal(completed_on(i).toordinal() - 4)
        end = completed_on(i)
        sheet.write(5 + i, 0, t)
        sheet.write(5 + i, 1, start, date)
        sheet.write(5 + i, 2, end, date)
        sheet.write(5 + i, 3, hours)
        sheet.write(5 + i, 4, hours)
        sheet.write(5 + i, 5, status)
        rows.append([t, start, end, hours, hours, status])
    sheet.row(7).hidden = True
    sheet.write(14, 0, "Total")
    sheet.write(14, 3, xlwt.Formula("SUM(D6:D13)"))
    notes = book.add_sheet("Notes")
    notes.write(0, 0, "Exported from Moodle 4.1. Times are course lengths from the catalogue.")
    out = io.BytesIO()
    book.save(out)
    biff = out.getvalue()
    save("xls", "moodle-report-biff8.xls", biff, {
        "note": "A real BIFF8 workbook (written by xlwt): merged title (one value) and merged group headers "
                "('Dates', 'Time' spread over their columns), real dates, a hidden row, a formula without a cached "
                "value (empty), a Notes sheet.",
        "tables": [
            table("Course completions", 15, [
                check("sheet=Course completions;row=1", ["Moodle course completion report"]),
                check("sheet=Course completions;row=4", ["Course", "Dates", "Dates", "Time", "Time", "Status"]),
                check("sheet=Course completions;row=5", second),
                check("sheet=Course completions;row=6", rows[0]),
                check("sheet=Course completions;row=8", rows[2]),
                check("sheet=Course completions;row=15", ["Total"]),
            ]),
            table("Notes", 1, [check("sheet=Notes;row=1", ["Exported from Moodle 4.1. Times are course lengths from "
                                                           "the catalogue."])]),
        ]})

    word = compound_file({"WordDocument": struct.pack("<HH", 0xA5EC, 0x00C1) + b"\0" * 508,
                          "1Table": b"\0" * 512, "\x05SummaryInformation": b"\0" * 64})
    save("xls", "word-97-document.doc", word, {
        "note": "A Word 97-2003 .doc (OLE2 with a WordDocument stream): unsupported, with a message asking for .docx.",
        "error": error("UnsupportedFormat", "unsupported_format")})

    save("xls", "truncated.xls", biff[:1536], {
        "note": "The first 1.5 KB of a BIFF8 workbook: the compound file's sectors are missing.",
        "error": error("UnreadableFile", "corrupt")})


# ---------------------------------------------------------------------------------------- ODS

def ods_samples() -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    def text_cell(value: str, **kw: Any) -> Any:
        found = TableCell(valuetype="string", **kw)
        found.addElement(P(text=value))
        return found

    def date_cell(value: dt.date) -> Any:
        found = TableCell(valuetype="date", datevalue=value.isoformat())
        found.addElement(P(text=value.strftime("%d/%m/%Y")))
        return found

    def number_cell(value: float) -> Any:
        found = TableCell(valuetype="float", value=str(value))
        found.addElement(P(text=f"{value:g}"))
        return found

    def time_cell(minutes: int) -> Any:
        found = TableCell(valuetype="time", timevalue=f"PT{minutes // 60:02d}H{minutes % 60:02d}M00S")
        found.addElement(P(text=f"{minutes // 60:02d}:{minutes % 60:02d}"))
        return found

    def row(*cells: Any, repeat: int = 1) -> Any:
        found = TableRow(numberrowsrepeated=repeat) if repeat > 1 else TableRow()
        for c in cells:
            found.addElement(c)
        return found

    doc = OpenDocumentSpreadsheet()
    log = Table(name="CPD log")
    log.addElement(row(text_cell("CPD log 2025 – Søren Østergaard", numbercolumnsspanned=5),
                       *[CoveredTableCell() for _ in range(4)]))
    log.addElement(row(TableCell()))
    header = ["Date", "Activity", "Provider", "Time", "CPD hours"]
    log.addElement(row(*[text_cell(h) for h in header]))
    rows = []
    for i, (t, _, provider, hours, _) in enumerate(COURSES[:6]):
        minutes = int(hours * 60)
        log.addElement(row(date_cell(completed_on(i)), text_cell(t), text_cell(provider), time_cell(minutes),
                           number_cell(hours)))
        rows.append([completed_on(i), t, provider, dt.time(minutes // 60, minutes % 60), hours])
    log.addElement(row(TableCell(numbercolumnsrepeated=1024), repeat=1048567))   # as LibreOffice pads a sheet
    doc.spreadsheet.addElement(log)
    notes = Table(name="Notes")
    notes.addElement(row(text_cell("Self-directed reading is logged as unstructured CPD.")))
    doc.spreadsheet.addElement(notes)
    out = io.BytesIO()
    doc.write(out)
    ods = fixed_zip(out.getvalue())
    save("ods", "libreoffice-cpd-log.ods", ods, {
        "note": "A LibreOffice-style CPD log: a spanned title, a blank row, dates, times (PT01H30M00S) and numbers "
                "as typed values, the million padding rows LibreOffice writes (not counted), and a Notes sheet.",
        "tables": [
            table("CPD log", 9, [check("sheet=CPD log;row=1", ["CPD log 2025 – Søren Østergaard"]),
                                 check("sheet=CPD log;row=3", header), check("sheet=CPD log;row=4", rows[0]),
                                 check("sheet=CPD log;row=9", rows[5])]),
            table("Notes", 1, [check("sheet=Notes;row=1", ["Self-directed reading is logged as unstructured CPD."])]),
        ]})

    content = zipfile.ZipFile(io.BytesIO(ods)).read("content.xml")
    broken = content.replace(b"</table:table></office:spreadsheet>", b"</table:yable></office:spreadsheet>")
    save("ods", "mismatched-end-tag.ods", fixed_zip(ods, {"content.xml": broken}), {
        "note": "content.xml closes its last table with </table:yable>: calamine 0.9 loops for ever on this, so "
                "the XML is checked first and the file reported as damaged.",
        "error": error("UnreadableFile", "corrupt")})

    save("ods", "truncated.ods", ods[:len(ods) // 2], {
        "note": "Half an .ods file: no central directory.", "error": error("UnreadableFile", "corrupt")})

    doc = OpenDocumentSpreadsheet()
    bomb = Table(name="Sheet1")
    bomb.addElement(row(text_cell("x", numbercolumnsrepeated=1000), repeat=100_000))
    doc.spreadsheet.addElement(bomb)
    out = io.BytesIO()
    doc.write(out)
    save("ods", "repeated-cells-bomb.ods", fixed_zip(out.getvalue()), {
        "note": "One filled cell repeated 1,000 times across and 100,000 times down: 100 million cells from a few "
                "KB, refused before calamine expands them.",
        "error": error("UnreadableFile", "too_large")})


# ---------------------------------------------------------------------------------------- HTML

def html_samples() -> None:
    rows = []
    body = []
    for i, (t, kind, _, hours, status) in enumerate(COURSES[:8]):
        done = completed_on(i).strftime("%d/%m/%Y") if status == "Completed" else ""
        duration = f"{int(hours)} hours {int(hours % 1 * 60)} mins" if status == "Completed" else ""
        shown = t.replace("&", "&amp;")
        if i == 1:
            shown = "Trustee duties<br>under the Trustee Act 2000"
        if i == 5:
            shown = "Trust Registration Service: annual updates &amp; the trustees&#x27; role"
            t = "Trust Registration Service: annual updates & the trustees' role"
        if i == 1:
            t = "Trustee duties under the Trustee Act 2000"
        body.append(f"<tr><td>{shown}</td><td>{kind}</td><td>{status}</td><td>{done}</td><td>{duration}</td></tr>")
        rows.append([t, kind, status, done, duration])
    body.append('<tr><td>Mentoring a trainee</td><td colspan="2">Not recorded</td><td>&nbsp;</td><td></td></tr>')
    rows.append(["Mentoring a trainee", "Not recorded", "Not recorded", "", ""])
    page = f"""<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="ProgId" content="Excel.Sheet">
<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet><x:Name>Record of Learning</x:Name></x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]-->
<title>Record of Learning: Courses</title>
</head>
<body>
<h2>Record of Learning: Courses</h2>
<p>Learner: Aoife Brennan<br>Organisation: Larkfield Trust Company Ltd<br>Exported: 20/01/2026</p>
<table border="1">
<thead>
<tr><th>Course name</th><th>Course type</th><th>Progress</th><th>Date completed</th><th>Duration</th></tr>
</thead>
<tbody>
{chr(10).join(body)}
</tbody>
<tfoot>
<tr><td colspan="5"><b>Total: 9 courses</b></td></tr>
</tfoot>
</table>
</body>
</html>
"""
    save("html", "totara-record-of-learning.xls", page.encode("utf-8"), {
        "extractor": "html",
        "note": "Totara 'Record of Learning' saved as .xls that is really HTML: Excel namespaces, conditional "
                "comment, <thead>, <br> and entities in cells, a colspan repeated, a <tfoot> total kept as one cell, "
                "the learner in the paragraph above (context, one line per <br>).",
        "tables": [table("Table 1", 11, [
            check("table=1;row=1", ["Course name", "Course type", "Progress", "Date completed", "Duration"]),
            check("table=1;row=2", rows[0]), check("table=1;row=3", rows[1]), check("table=1;row=7", rows[5]),
            check("table=1;row=10", rows[8]), check("table=1;row=11", ["Total: 9 courses"]),
        ], header_rows=1, context=["Record of Learning: Courses", "Learner: Aoife Brennan",
                                   "Organisation: Larkfield Trust Company Ltd", "Exported: 20/01/2026"])]})

    page = """<!DOCTYPE html>
<html lang="en"><head><meta charset="windows-1252"><title>Docebo – learner report</title>
<style>td { padding: 2px }</style><script>var t = "<table><tr><td>not data</td></tr></table>";</script></head>
<body>
<h1>Learner report – Begoña Ibáñez</h1>
<div class="filters">Branch: Leeds<br/>Period: 2025</div>
<table class="summary"><caption>Summary</caption>
<tr><th>Courses</th><td>4</td></tr>
<tr><th>Fees</th><td>£1,480.00</td></tr>
<tr><th>Notes</th><td>Rated by the learner: <table><tr><td>Useful</td><td>4/5</td></tr></table> (survey)</td></tr>
</table>
<p>Course detail</p>
<table class="detail">
<thead><tr><th rowspan="2">Course</th><th colspan="2">Dates</th><th rowspan="2">Fee</th></tr>
<tr><th>Enrolled</th><th>Completed</th></tr></thead>
<tbody>
<tr><td>Trustees’ investment duties – an update</td><td>06/01/2025</td><td>13/01/2025</td><td>£450.00</td></tr>
<tr><td rowspan="2">Probate practice – two sessions</td><td>03/02/2025</td><td>04/02/2025</td><td>£380.00</td></tr>
<tr><td>10/02/2025</td><td>11/02/2025</td><td>£380.00</td></tr>
<tr><td>Data protection essentials</td><td>01/03/2025</td><td></td><td>£270.00</td></tr>
</tbody></table>
<p>Printed 20/01/2026 – page 1 of 1</p>
</body></html>
"""
    save("html", "docebo-report-cp1252.html", page.encode("cp1252"), {
        "note": "A Docebo-style learner report saved as HTML in Windows-1252 (meta charset): a summary table with "
                "a caption and a nested survey table (its own table 2; the outer cell keeps its own text), a detail "
                "table with a two-row <thead>, rowspan and colspan repeated, script text ignored, and text before "
                "and after the tables as context.",
        "context": ["Printed 20/01/2026 – page 1 of 1"],
        "tables": [
            table("Summary", 3, [check("table=1;row=2", ["Fees", "£1,480.00"]),
                                 check("table=1;row=3", ["Notes", "Rated by the learner: (survey)"])],
                  context=["Learner report – Begoña Ibáñez", "Branch: Leeds", "Period: 2025"]),
            table("Table 2", 1, [check("table=2;row=1", ["Useful", "4/5"])], context=[]),
            table("Table 3", 6, [
                check("table=3;row=1", ["Course", "Dates", "Dates", "Fee"]),
                check("table=3;row=2", ["Course", "Enrolled", "Completed", "Fee"]),
                check("table=3;row=3", ["Trustees’ investment duties – an update", "06/01/2025", "13/01/2025",
                                        "£450.00"]),
                check("table=3;row=5", ["Probate practice – two sessions", "10/02/2025", "11/02/2025", "£380.00"]),
                check("table=3;row=6", ["Data protection essentials", "01/03/2025", "", "£270.00"]),
            ], header_rows=2, context=["Course detail"]),
        ]})

    page = ("\ufeff\n\n   <!DOCTYPE html>\n<html><body><table>\n<tr><td>Activity</td><td>Hours</td></tr>\n"
            "<tr><td>  Reading: Lewin on Trusts, chapter 12  </td><td>1.5</td></tr>\n</table></body></html>\n")
    save("html", "bom-leading-whitespace.htm", page.encode("utf-8"), {
        "note": "UTF-8 BOM and blank lines before the doctype; no <thead>, so header_rows is null.",
        "tables": [table("Table 1", 2, [check("table=1;row=1", ["Activity", "Hours"]),
                                        check("table=1;row=2", ["Reading: Lewin on Trusts, chapter 12", "1.5"])],
                         context=[])]})

    page = ("<table border=1><tr><th>Employee</th><th>Course</th><th>Completed</th></tr>\n"
            "<tr><td>Kwame Mensah</td><td>Sanctions screening essentials</td><td>2025-03-18</td></tr>\n"
            "<tr><td>Kwame Mensah</td><td>Conflicts of interest in family trusts</td><td>2025-04-02</td></tr></table>")
    save("html", "bare-table-fragment.xls", page.encode("utf-8"), {
        "note": "An HR system's 'Excel' export that is only a <table> fragment, named .xls.",
        "tables": [table("Table 1", 3, [check("table=1;row=3", ["Kwame Mensah", "Conflicts of interest in family "
                                                                                "trusts", "2025-04-02"])])]})

    page = """<!DOCTYPE html><html><head><title>Certificate</title></head><body>
<h1>Certificate of attendance</h1>
<p>This is to certify that <b>Renée Fontaine</b><br>attended <i>Vulnerable clients: recognising undue influence</i></p>
<div>on 12 March 2025 (2.5 CPD hours)</div>
</body></html>
"""
    save("html", "certificate-no-tables.html", page.encode("utf-8"), {
        "note": "An HTML certificate with no table: no tables, its text as the extraction's context.",
        "context": ["Certificate of attendance", "This is to certify that Renée Fontaine",
                    "attended Vulnerable clients: recognising undue influence", "on 12 March 2025 (2.5 CPD hours)"],
        "tables": []})


MAKERS: list[Callable[[], None]] = [csv_samples, xlsx_samples, xls_samples, ods_samples, html_samples]

if __name__ == "__main__":
    for make in MAKERS:
        make()
