"""XLSX/XLSM extraction and the shared zip checks: the samples, then workbooks built in tmp_path."""
from __future__ import annotations

import datetime as dt
import io
import os
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from extractors import xlsx, zipcheck
from extractors.errors import UnreadableFile, UnsupportedFormat
from extractors.model import CellValue, Extraction, ExtractOptions, Location, Upload
from samples.make_samples import declare_size

SAMPLE_FOLDER = "xlsx"


def test_sample(sample: Path, check_sample: Callable[[Path], Extraction | None]) -> None:
    """Each sample extracts to the tables, rows and cells (or the error) its .expected.json names."""
    check_sample(sample)


def workbook_bytes(build: Callable[[Workbook], None]) -> bytes:
    book = Workbook()
    build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def extract(data: bytes, name: str = "upload.xlsx", **options: int) -> Extraction:
    return xlsx.extract(Upload.from_bytes(data, name), ExtractOptions(**options)).loaded()


def zip_of(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


def raises(code: str, call: Callable[[], object]) -> UnreadableFile:
    with pytest.raises(UnreadableFile) as raised:
        call()
    assert raised.value.code == code, raised.value.message
    return raised.value


# ----------------------------------------------------------------------------- sheets and cells

def test_rows_keep_real_excel_row_numbers_when_the_sheet_starts_lower() -> None:
    """Calamine drops leading empty rows and columns; locators still say the real row."""
    def build(book: Workbook) -> None:
        sheet = book.active
        sheet.title = "Detail"
        sheet["C4"] = "Title"
        sheet["D4"] = "Hours"
        sheet["C5"] = "  Trusts  "
        sheet["D5"] = 1.5
    found = extract(workbook_bytes(build))
    assert [(r.location.locator, r.cells) for r in found.tables[0].rows] == [
        ("sheet=Detail;row=4", ("Title", "Hours")), ("sheet=Detail;row=5", ("Trusts", 1.5))]


def test_typed_values() -> None:
    """Dates, date-times, durations, times, booleans and numbers come typed; formulas without a cache empty."""
    def build(book: Workbook) -> None:
        sheet = book.active
        sheet.append([dt.datetime(2025, 3, 4), dt.datetime(2025, 3, 4, 9, 30), 0.0625, 0.5, True, "=A1+1", 3])
        sheet["A1"].number_format = "dd/mm/yyyy"
        sheet["B1"].number_format = "dd/mm/yyyy hh:mm"
        sheet["C1"].number_format = "[h]:mm"
        sheet["D1"].number_format = "hh:mm"
    cells = extract(workbook_bytes(build)).tables[0].rows[0].cells
    assert cells == (dt.date(2025, 3, 4), dt.datetime(2025, 3, 4, 9, 30), dt.timedelta(hours=1, minutes=30),
                     dt.time(12, 0), True, "", 3.0)


@pytest.mark.parametrize("row, merges, expected", [
    (["Item", "", "Dates", "", "Status"], [((3, 0), (3, 1)), ((3, 2), (3, 3))],
     ["Item", "Item", "Dates", "Dates", "Status"]),
    (["Training record 2025", "", "", "", ""], [((3, 0), (3, 4))], ["Training record 2025", "", "", "", ""]),
    (["Q1 2025", "", ""], [((3, 0), (3, 2))], ["Q1 2025", "", ""]),
    (["A", "", "B"], [((3, 1), (3, 2))], ["A", "", "B"]),
    (["Course", "Dates", ""], [((3, 1), (5, 9))], ["Course", "Dates", "Dates"]),
    (["Course", "Dates"], [((2, 1), (2, 3)), ((40, 0), (40, 3))], ["Course", "Dates"]),
])
def test_merged_header_cells_spread_only_beside_other_values(row: list[CellValue], merges: list[
        tuple[tuple[int, int], tuple[int, int]]], expected: list[CellValue]) -> None:
    """A merged group header fills its columns; a merged title or section row keeps its one value."""
    grid = [row]
    xlsx._spread_merged(grid[0], [m for m in merges if m[0][0] == 3], 0)   # the merges starting on the row's line
    assert grid == [expected]


def test_hidden_sheets_rows_and_columns_are_read() -> None:
    def build(book: Workbook) -> None:
        sheet = book.active
        sheet.append(["Title", "Secret"])
        sheet.append(["Hidden row", "x"])
        sheet.row_dimensions[2].hidden = True
        sheet.column_dimensions["B"].hidden = True
        other = book.create_sheet("Lookup")
        other["A1"] = "ELRN"
        other.sheet_state = "veryHidden"
    found = extract(workbook_bytes(build))
    assert [t.name for t in found.tables] == ["Sheet", "Lookup"]
    assert found.tables[0].rows[1].cells == ("Hidden row", "x")


def test_empty_workbook_has_no_tables() -> None:
    assert extract(workbook_bytes(lambda book: None)).tables == ()


def test_too_many_rows_is_refused_before_reading() -> None:
    def build(book: Workbook) -> None:
        for i in range(30):
            book.active.append([f"row {i}"])
    raises("too_many_rows", lambda: extract(workbook_bytes(build), max_rows=20))


def test_sheet_without_row_numbers_is_still_measured() -> None:
    """A writer that leaves out <row r=...> still cannot slip a far cell past the extent check."""
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
             b'<row><c r="Z900000"><v>1</v></c></row></sheetData></worksheet>')
    data = minimal_workbook(sheet)
    raises("too_large", lambda: extract(data))


def minimal_workbook(sheet: bytes) -> bytes:
    return zip_of({
        "_rels/.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                               b'officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "xl/workbook.xml": b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="'
                           b'http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
                           b'name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                      b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
                                      b'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"'
                                      b'/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    })


def test_minimal_workbook_reads() -> None:
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2">'
             b'<c r="B2" t="inlineStr"><is><t>Course</t></is></c><c r="AB2"><v>2</v></c></row></sheetData></worksheet>')
    rows = extract(minimal_workbook(sheet)).tables[0].rows
    assert rows[0].location.locator == "sheet=S;row=2"
    assert rows[0].cells[0] == "Course" and rows[0].cells[-1] == 2.0 and len(rows[0].cells) == 27


def test_zip_that_is_not_a_workbook() -> None:
    raises("corrupt", lambda: extract(zip_of({"readme.txt": b"hello"})))


def test_xlsb_is_unsupported_with_advice() -> None:
    with pytest.raises(UnsupportedFormat) as raised:
        extract(zip_of({"xl/workbook.bin": b"\0" * 10}), "report.xlsb")
    assert ".xlsx" in raised.value.message


def test_not_a_zip_at_all() -> None:
    raises("corrupt", lambda: extract(b"PK\x03\x04 not really a zip", "x.xlsx"))


@pytest.mark.parametrize("head, name, expected", [
    (b"PK\x03\x04" + b"\0" * 26 + b"[Content_Types].xml....xl/workbook.xml", "a.pdf", True),
    (b"PK\x03\x04" + b"\0" * 26 + b"docProps/app.xml....xl/theme/theme1.xml", "a", True),
    (b"PK\x03\x04" + b"\0" * 26 + b"[Content_Types].xml....word/document.xml", "a.xlsx", False),
    (b"PK\x03\x04" + b"\0" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet", "a.xlsx", False),
    (b"PK\x03\x04" + b"\0" * 26 + b"docProps/thumbnail.jpeg" + b"\xff" * 100, "a.xlsx", True),
    (b"PK\x03\x04" + b"\0" * 26 + b"docProps/thumbnail.jpeg" + b"\xff" * 100, "a.zip", False),
    (b"Title,Hours\n", "a.xlsx", False),
])
def test_sniff(head: bytes, name: str, expected: bool) -> None:
    assert xlsx.sniff(head, name) is expected


# ----------------------------------------------------------------------------- zip checks

def test_check_zip_passes_every_inflated_byte_to_inspect() -> None:
    seen: dict[str, bytes] = {}
    body = b"<a>" + random.Random(7).randbytes(3_000_000) + b"</a>"
    data = zip_of({"a.xml": body, "b.bin": b"\x01\x02"})
    zipcheck.check_zip(data, ExtractOptions(), "'t.zip'", lambda name, piece: seen.update({name: seen.get(name, b"") + piece}))
    assert seen == {"a.xml": body, "b.bin": b"\x01\x02"}


def test_member_inflating_past_its_declared_size() -> None:
    """A member that declares little and inflates to a lot is a zip bomb, whatever the headers say."""
    data = declare_size(zip_of({"xl/worksheets/sheet1.xml": b" " * 5_000_000}), "xl/worksheets/sheet1.xml", 1000)
    raises("zip_bomb", lambda: zipcheck.check_zip(data, ExtractOptions(), "'bomb.xlsx'"))


def test_declared_ratio_over_100() -> None:
    data = declare_size(zip_of({"x.xml": b"<a/>"}), "x.xml", 200_000_000)
    raises("zip_bomb", lambda: zipcheck.check_zip(data, ExtractOptions(), "'bomb.xlsx'"))


def test_declared_total_over_the_budget() -> None:
    data = zip_of({"a.bin": bytes(range(256)) * 4000})
    raises("too_large", lambda: zipcheck.check_zip(data, ExtractOptions(max_inflated_bytes=100_000), "'big.xlsx'"))


def test_member_shorter_than_declared() -> None:
    data = declare_size(zip_of({"a.xml": b"<a>" + b"y" * 1000 + b"</a>"}), "a.xml", 2000)
    raises("corrupt", lambda: zipcheck.check_zip(data, ExtractOptions(), "'cut.xlsx'"))


def test_truncated_member_data() -> None:
    data = zip_of({"a.xml": bytes(range(256)) * 400})
    cut = bytearray(data)
    cut[60:2000] = b"\0" * 1940                  # garbage in the deflate stream, directory intact
    with pytest.raises(UnreadableFile) as raised:
        zipcheck.check_zip(bytes(cut), ExtractOptions(), "'cut.xlsx'")
    assert raised.value.code in ("corrupt", "zip_bomb")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_doctype_in_any_xml_part(encoding: str, method: int) -> None:
    part = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'.encode(encoding)
    data = zip_of({"xl/sharedStrings.xml": part}, method)
    raises("xml_entities", lambda: zipcheck.check_zip(data, ExtractOptions(), "'xxe.xlsx'"))


def test_exclamation_marks_alone_are_fine() -> None:
    data = zip_of({"xl/sharedStrings.xml": b"<sst><si><t>Well done! 'Sheet 2'!A1</t></si></sst>"})
    zipcheck.check_zip(data, ExtractOptions(), "'ok.xlsx'")


def test_too_many_members(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zipcheck, "MAX_MEMBERS", 5)
    raises("zip_bomb", lambda: zipcheck.check_zip(zip_of({f"p{i}.xml": b"<a/>" for i in range(6)}),
                                                   ExtractOptions(), "'many.xlsx'"))


def test_encrypted_zip_members() -> None:
    data = bytearray(zip_of({"a.xml": b"<a/>"}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("a.xml")
    data[info.header_offset + 6] |= 1
    central = bytes(data).index(b"PK\x01\x02")
    data[central + 8] |= 1
    raises("encrypted", lambda: zipcheck.check_zip(bytes(data), ExtractOptions(), "'locked.xlsx'"))


def test_a_row_calamine_cannot_convert_is_left_out_with_one_issue_however_often_it_is_read() -> None:
    """GIVEN 1e12 days in an [h]:mm cell WHEN the sheet's rows are read twice (the mappers read in passes)
    THEN that row is empty both times, the others are whole, and the issue is listed once."""
    def build(book: Workbook) -> None:
        sheet = book.active
        sheet.title = "Log"
        sheet.append(["Course", "Completed", "Hours"])
        sheet.append(["Trusts", 45000, 1.5])
        sheet.append(["Broken", 1e12, 2])
        sheet.append(["Probate", 45010, 1])
        sheet["B2"].number_format = sheet["B4"].number_format = "dd/mm/yyyy"
        sheet["B3"].number_format = "[h]:mm"

    found = xlsx.extract(Upload.from_bytes(workbook_bytes(build), "log.xlsx"), ExtractOptions())
    passes = [[(r.location.row, r.cells) for r in found.tables[0].rows] for _ in range(2)]
    assert passes[0] == passes[1] == [(1, ("Course", "Completed", "Hours")), (2, ("Trusts", dt.date(2023, 3, 15), 1.5)),
                                      (3, ()), (4, ("Probate", dt.date(2023, 3, 25), 1.0))]
    assert [(i.code, i.location) for i in found.issues] == [("unreadable_row", Location(sheet="Log", row=3))]


# ----------------------------------------------------------------------------- bounds: what is held, not declared

def _edge_rows(data: bytes, extra: bytes) -> bytes:
    """The workbook with its sheet's dimension set to the whole sheet and `extra` rows added at its end."""
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {}
    for name in source.namelist():
        body = source.read(name)
        if name.startswith("xl/worksheets/sheet"):
            body = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', body)
            body = body.replace(b"</sheetData>", extra + b"</sheetData>")
        parts[name] = body
    return zip_of(parts)


@pytest.mark.parametrize("extra", [
    b'<row r="1048576" spans="1:16384" s="1" customFormat="1"><c r="XFD1048576" s="1"></c></row>',
    b'<row r="1048576"><c r="XFD1048576" t="s"><v></v></c></row>',
    b"".join(b'<row r="%d" s="1" customFormat="1"></row>' % r for r in range(4, 200_000)),
])
def test_a_sheet_declared_to_its_last_cell_but_holding_a_few_rows_is_read(extra: bytes) -> None:
    """GIVEN a dimension of A1:XFD1048576 and formatted-only rows or cells to the sheet's edge (what Excel
    writes for whole formatted rows and columns) THEN the few rows that hold values are read."""
    def build(book: Workbook) -> None:
        sheet = book.active
        sheet.title = "Log"
        sheet.append(["Course", "Completed", "Hours"])
        sheet.append(["Trust law update", dt.date(2025, 1, 3), 1.5])
    found = extract(_edge_rows(workbook_bytes(build), extra))
    (table,) = found.tables
    assert [row.cells for row in table.rows] == [("Course", "Completed", "Hours"),
                                                ("Trust law update", dt.date(2025, 1, 3), 1.5)]


def test_a_value_in_the_sheets_last_cell_is_still_refused() -> None:
    """An inline string at XFD1048576 is a cell calamine would build a 17-billion-cell grid for."""
    def build(book: Workbook) -> None:
        book.active.append(["Course", "Hours"])
    data = _edge_rows(workbook_bytes(build),
                      b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t></t></is></c></row>')
    raises("too_large", lambda: extract(data))


def test_values_calamine_cannot_convert_leave_no_panic_on_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    """GIVEN absurd date and duration values (a Rust panic inside calamine) WHEN read THEN each such row is an
    'unreadable_row' issue and nothing of the panic reaches stderr; other stderr output still does."""
    data = (Path(__file__).resolve().parents[2] / "samples" / "xlsx" / "absurd-date-values.xlsx").read_bytes()
    found = extract(data)
    assert [i.code for i in found.issues] == ["unreadable_row", "unreadable_row"]
    err = capfd.readouterr().err
    assert "panicked" not in err and "backtrace" not in err
    with xlsx._quiet_panics():
        os.write(2, b"a line that is not a panic\n")
    assert capfd.readouterr().err == "a line that is not a panic\n"
