"""Reading a CSV or a workbook loads no PDF, Word, HTML or OCR library.

The registry imports every extractor module for its `sniff`; pdfplumber/pdfminer, python-docx and
lxml.html are imported only inside the `extract` that needs them. Checked in a fresh interpreter, since
this test process has long since imported them all. lxml.etree itself may come in by another path
(openpyxl looks for it), so of lxml only lxml.html is checked.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = [REPO / "samples" / "csv" / "linkedin-learning-plain.csv",
           REPO / "samples" / "xlsx" / "cornerstone-title-block.xlsx"]
HEAVY = ("pdfplumber", "pdfminer", "docx", "lxml.html", "tesserocr", "pypdfium2", "pillow_heif", "extractors.ocr")

# Each file through the whole pipeline as `extract --json` runs it (matching included), then every module loaded.
SCRIPT = """
import io, json, sys
from pathlib import Path
from extractors.model import ExtractOptions, Upload
from ingest.work.pipeline import write_line
from mappers.matching import Matcher

read, matcher = {}, Matcher(None)
for path in sys.argv[1:]:
    upload = Upload.from_bytes(Path(path).read_bytes(), Path(path).name)
    out = io.BytesIO()
    write_line(upload, ExtractOptions(), matcher, out)
    line = json.loads(out.getvalue())
    read[upload.filename] = [line["file"]["extractor"], len(line["activities"])]
print(json.dumps({"read": read, "modules": sorted(sys.modules)}))
"""


def test_csv_and_xlsx_load_no_pdf_word_or_html_library() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, *map(str, SAMPLES)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert {name: fmt for name, (fmt, _) in found["read"].items()} == {
        "linkedin-learning-plain.csv": "csv", "cornerstone-title-block.xlsx": "xlsx"}
    assert all(rows > 0 for _, rows in found["read"].values()), found["read"]
    heavy = [m for m in found["modules"] if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == [], f"imported while reading a CSV and an XLSX: {heavy}"
