"""The audit-ready CPD record: the workbook (openpyxl reads it back), the cover sheet (pdfplumber reads its
text, pypdfium2 renders it), the neutraliser, the API call and the command. Real files, real pipeline."""
from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from ingest.api import create_app
from ingest.cli import app
from ingest.settings import get_settings
from ingest.store import create_token
from ingest.work.runtime import Runtime
from ingest.year.export import YearExport, file_names, write_files, year_export
from ingest.year.export.safety import neutralise
from ingest.year.export.xlsx import COLUMNS

from .year_samples import TRANSCRIPT, certificate_pdf, transcript_and_record, upload

MEMBER = "hannah"
FORMULA = '=HYPERLINK("http://evil.example/x","Trust law update")'
HOSTILE = ('Title,Provider,Completion Date,Hours,Reflection\n'
           '"=HYPERLINK(""http://evil.example/x"",""Trust law update"")",STEP,12/05/2025,1,"@SUM(1+1)"\n'
           '"+cmd|\' /C calc\'!A0",-Provider,13/05/2025,1,"-2+3"\n'
           '<b>Bold & <font name=x>,A&B <i>,14/05/2025,1,"\tTabbed"\n').encode()
HOSTILE_NAME = "<b>lms</b> & <font name=x>export.csv"  # markup in a file name: shown as written on the cover


@pytest.fixture()
def year(runtime: Runtime) -> Runtime:
    transcript_and_record(runtime, MEMBER)
    upload(runtime, MEMBER, certificate_pdf(), "certificate.pdf")
    upload(runtime, MEMBER, HOSTILE, HOSTILE_NAME)
    return runtime


@pytest.fixture()
def export(year: Runtime) -> YearExport:
    with year.sessions() as s:
        return year_export(s, MEMBER, 2025, year.settings)


@pytest.mark.parametrize(("text", "expected"), [
    ("=1+2", "'=1+2"), ("+44 20 7946 0000", "'+44 20 7946 0000"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=cmd", "'\t=cmd"), ("\r=cmd", "'\r=cmd"), (" =1+1", "' =1+1"), ("\n@x", "'\n@x"),
    ("Trust law update", "Trust law update"), ("", ""), ("Ethics - a refresher", "Ethics - a refresher"),
    ("'=already quoted", "'=already quoted")])
def test_neutralise(text: str, expected: str) -> None:
    assert neutralise(text) == expected


def test_workbook_rows_totals_and_layout(export: YearExport) -> None:
    """A header, a row per completed activity of the year (duplicates greyed and marked), a totals row equal to
    the summary's; frozen header, set widths, and the responsibilities and sources sheets."""
    book = load_workbook(io.BytesIO(export.xlsx()))
    assert book.sheetnames == ["CPD record", "Responsibilities", "Sources"]
    sheet = book["CPD record"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [name for name, _ in COLUMNS]
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["B"].width == 48
    summary = export.summary
    body, totals = rows[1:-1], rows[-1]
    assert len(body) == summary["activities"] + summary["duplicates"]["count"]
    counted = [r for r in body if r[11] == "Yes"]
    assert len(counted) == summary["activities"]
    assert sum(r[4] or 0 for r in counted) == pytest.approx(summary["hours"]) == totals[4]
    assert str(totals[1]).startswith(f"Total: {summary['activities']} activities, each counted once")
    marked = [r for r in body if str(r[11]).startswith("No: the same activity as row ")]
    assert len(marked) == summary["duplicates"]["count"] == 3  # two in the record, one certificate
    assert all(sheet.cell(row=n, column=2).font.i for n in range(2, len(body) + 2)
               if str(sheet.cell(row=n, column=12).value).startswith("No:"))
    sources = list(book["Sources"].iter_rows(values_only=True))[1:]
    assert {s[1] for s in sources} == {s["filename"] for s in summary["sources"]}


def test_workbook_neutralises_formula_like_text(export: YearExport) -> None:
    """Cell text that would run as a formula is written as a string with a leading quote; no cell is a formula."""
    sheet = load_workbook(io.BytesIO(export.xlsx()))["CPD record"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert "'" + FORMULA in values and FORMULA not in values
    assert {"'+cmd|' /C calc'!A0", "'-Provider", "'-2+3", "'@SUM(1+1)"} <= values
    title = next(c for c in cells if c.value == "'" + FORMULA)
    assert title.data_type == "s" and title.column == 2


def test_cover_sheet_text_holds_the_totals_ethics_and_sources(export: YearExport) -> None:
    summary = export.summary
    with pdfplumber.open(io.BytesIO(export.pdf())) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert f"Member: {MEMBER}" in text and "CPD year 2025: 1 April 2025 to 31 March 2026" in text
    assert f"Total hours {summary['hours']:g}" in text and str(summary["activities"]) in text
    assert "Ethics requirement: met (" in text
    assert "Responsibilities: " in text and "Not covered: a gap to plan for" in text
    assert HOSTILE_NAME in text  # listed as text, never read as markup
    for source in summary["sources"]:
        assert source["filename"] in text and source["sha256"] in text.replace("\n", "")


def test_cover_sheet_says_when_the_ethics_requirement_is_not_met(runtime: Runtime) -> None:
    upload(runtime, "sam", TRANSCRIPT.read_bytes(), TRANSCRIPT.name)
    with runtime.sessions() as s:
        found = year_export(s, "sam", 2030, runtime.settings)
    with pdfplumber.open(io.BytesIO(found.pdf())) as pdf:
        text = pdf.pages[0].extract_text() or ""
    assert "Ethics requirement: NOT met (0 ethics-related activities; 1 required a year)" in text
    assert "Role: no role profile set" in text
    assert list(load_workbook(io.BytesIO(found.xlsx()))["CPD record"].iter_rows(values_only=True))[1][1] \
        == "Total: 0 activities, each counted once"


def test_cover_sheet_renders_with_its_charts(export: YearExport, tmp_path: Path) -> None:
    """Rendered to PNG, the first page is far from blank and has the charts' blue and the text's black."""
    page = pypdfium2.PdfDocument(export.pdf())[0]
    image = page.render(scale=1.0).to_pil().convert("RGB")
    image.save(tmp_path / "cover.png")
    counts = image.getcolors(maxcolors=1 << 24) or []
    inked = sum(n for n, (r, g, b) in counts if r + g + b < 720) / (image.width * image.height)
    colours = {(r // 32, g // 32, b // 32) for _, (r, g, b) in counts}
    assert inked > 0.04 and len(colours) >= 3
    assert any(abs(r - 0x2E) < 24 and abs(g - 0x75) < 24 and abs(b - 0xB6) < 24 for _, (r, g, b) in counts)


def test_file_names_are_safe_for_any_member_id() -> None:
    assert file_names("M-1001", 2025) == ("cpd-record-M-1001-2025.xlsx", "cover-sheet-M-1001-2025.pdf")
    xlsx, pdf = file_names("../a:b/c", 2024)
    assert "/" not in xlsx + pdf and ":" not in xlsx and xlsx.startswith("cpd-record-")


def test_write_files(export: YearExport, tmp_path: Path) -> None:
    paths = write_files(export, tmp_path / "out")
    assert [p.name for p in paths] == ["cpd-record-hannah-2025.xlsx", "cover-sheet-hannah-2025.pdf"]
    assert all(p.stat().st_size > 1000 for p in paths) and not list((tmp_path / "out").glob("*.part"))


@pytest.fixture()
def client(year: Runtime) -> Iterator[tuple[TestClient, dict[str, str]]]:
    with year.sessions() as s, s.begin():
        tokens = {"hannah": create_token(s, "member", MEMBER), "portal": create_token(s, "portal"),
                  "bob": create_token(s, "member", "bob"), "admin": create_token(s, "admin")}
    with TestClient(create_app(year.settings, runtime=year, dispatcher="inline")) as http:
        yield http, tokens


def _get(client: tuple[TestClient, dict[str, str]], who: str, member: str = MEMBER, **params: Any) -> Any:
    http, tokens = client
    return http.get(f"/members/{member}/export", params={"year": 2025, **params},
                    headers={"Authorization": f"Bearer {tokens[who]}"})


def test_api_export_for_the_member_and_the_portal(client: tuple[TestClient, dict[str, str]]) -> None:
    xlsx = _get(client, "hannah")
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="cpd-record-hannah-2025.xlsx"' in xlsx.headers["content-disposition"]
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "CPD record"
    pdf = _get(client, "portal", format="pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert 'filename="cover-sheet-hannah-2025.pdf"' in pdf.headers["content-disposition"]


@pytest.mark.parametrize(("who", "member", "params", "status", "code"), [
    ("bob", MEMBER, {}, 403, "forbidden"), ("admin", MEMBER, {}, 403, "forbidden"),
    ("portal", "nobody", {}, 404, "no_such_member"), ("hannah", MEMBER, {"format": "docx"}, 422, "invalid_request"),
    ("hannah", MEMBER, {"year": 99999}, 422, "invalid_request")])
def test_api_export_refusals(client: tuple[TestClient, dict[str, str]], who: str, member: str,
                             params: dict[str, Any], status: int, code: str) -> None:
    answer = _get(client, who, member, **params)
    assert answer.status_code == status and answer.json()["error"]["code"] == code


def test_cli_export_writes_both_files(year: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPD_DATA_DIR", str(year.settings.data_dir))
    get_settings.cache_clear()
    try:
        done = CliRunner().invoke(app, ["export", "--member", MEMBER, "--year", "2025", "--out", str(tmp_path)])
        missing = CliRunner().invoke(app, ["export", "--member", "nobody", "--year", "2025", "--out", str(tmp_path)])
    finally:
        get_settings.cache_clear()
    assert done.exit_code == 0, done.output
    assert [Path(line).name for line in done.stdout.split()] == ["cpd-record-hannah-2025.xlsx",
                                                                 "cover-sheet-hannah-2025.pdf"]
    assert missing.exit_code == 2 and "There is no member 'nobody'" in missing.output
