"""Images and image-only PDFs read by OCR, against samples/image/ and the OCR samples of samples/pdf/.

Each sample (made by samples/make_image_samples.py) plants marker strings that the OCR text must hold,
a layout (one text block per certificate, or a table with its header and every title in order), and the
activities the whole pipeline gives for it, each carrying the `ocr` warning and a lowered confidence.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import extractors
from extractors import image, pdf
from extractors.model import Extraction, ExtractOptions, Upload
from ingest.work.pipeline import run
from mappers.matching import Matcher

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
IMAGES = sorted(p for p in (SAMPLES / "image").iterdir() if not p.name.endswith(".expected.json"))
PDF_SCANS = sorted(p for p in (SAMPLES / "pdf").glob("*.pdf")
                   if json.loads(p.with_suffix(".expected.json").read_text("utf-8")).get("ocr"))
ALL = IMAGES + PDF_SCANS


def _expected(path: Path) -> dict[str, Any]:
    beside = path.with_name(path.name + ".expected.json")
    found: dict[str, Any] = json.loads((beside if beside.exists() else path.with_suffix(".expected.json"))
                                       .read_text("utf-8"))
    return found


def _upload(path: Path) -> Upload:
    return Upload.from_bytes(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def extracted() -> dict[str, Extraction]:
    """Every sample read once for the module (OCR takes about a second a page)."""
    return {p.name: extractors.detect(_upload(p)).extract(_upload(p), ExtractOptions()).loaded() for p in ALL}


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(None)


def _text(found: Extraction) -> str:
    lines = [line for block in found.prose for line in block.lines]
    lines += [str(cell) for table in found.tables for row in table.rows for cell in row.cells]
    lines += [line for table in found.tables for line in table.context]
    return "\n".join(lines)


def test_samples_cover_the_ways_certificates_arrive() -> None:
    """At least 8 certificate images (screenshot, photo, low-resolution scan, JPEG, TIFF, WEBP, an image-only
    PDF) and 2 scanned statements."""
    kinds = {_expected(p)["media_type"] for p in ALL}
    assert {"image/png", "image/jpeg", "image/tiff", "image/webp", "image/heic", "application/pdf"} <= kinds
    certificates = [p for p in ALL if _expected(p)["layout"] == "text"]
    statements = [p for p in ALL if _expected(p)["layout"] == "table"]
    assert len(certificates) >= 8 and len(statements) >= 2


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_detected_by_content(path: Path) -> None:
    """Images are told by their magic bytes whatever their name; image-only PDFs stay with the PDF reader."""
    module = extractors.detect(Upload.from_bytes(path.read_bytes(), "upload.bin"))
    assert module is (pdf if path.suffix == ".pdf" else image)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_markers_read(path: Path, extracted: dict[str, Extraction]) -> None:
    """The planted strings are in the OCR text, and the result says it came from pixels."""
    found, want = extracted[path.name], _expected(path)
    assert found.ocr is True
    assert found.media_type == want["media_type"]
    text = _text(found)
    for marker in want["markers"]:
        assert marker in text, f"{marker!r} not in:\n{text}"


@pytest.mark.parametrize("path", [p for p in ALL if _expected(p)["layout"] == "text"], ids=lambda p: p.name)
def test_certificates_give_text_blocks_with_styles(path: Path, extracted: dict[str, Extraction]) -> None:
    """One text block per certificate on the page, each line with its LineStyle (the title and the learner
    stand larger than the body text)."""
    found, want = extracted[path.name], _expected(path)
    assert found.layout == "text" and not found.tables
    assert len(found.prose) == want["blocks"]
    for block in found.prose:
        assert len(block.styles) == len(block.lines)
        assert all(0 <= s.x0 < s.x1 <= s.page_width + 1 and s.size > 0 for s in block.styles)
    learner = next((a["learner"] for a in want.get("gold", want.get("activities", [])) if a.get("learner")), None)
    if learner:
        sizes = {line: style.size for block in found.prose for line, style in zip(block.lines, block.styles)}
        body = sorted(sizes.values())[len(sizes) // 2]
        assert any(learner in line and size > body for line, size in sizes.items())


@pytest.mark.parametrize("path", [p for p in ALL if _expected(p)["layout"] == "table"], ids=lambda p: p.name)
def test_scanned_statements_give_one_table(path: Path, extracted: dict[str, Extraction]) -> None:
    """A scanned statement is one table (pages stitched), its header first, then every row in order."""
    found, want = extracted[path.name], _expected(path)["table"]
    assert found.layout == "table" and len(found.tables) == 1
    rows = list(found.tables[0].rows)
    assert [str(c) for c in rows[0].cells] == want["header"]
    assert [str(r.cells[1]) for r in rows[1:]] == want["titles"]


@pytest.mark.parametrize("path", [p for p in ALL if "activities" in _expected(p)], ids=lambda p: p.name)
def test_activities_carry_the_ocr_warning(path: Path, matcher: Matcher) -> None:
    """Through the whole pipeline: the planted activities, each warned 'read from an image' and less sure."""
    result = run(_upload(path), ExtractOptions(), matcher)
    want = _expected(path)["activities"]
    assert result.error is None
    assert len(result.activities) == len(want)
    for got, planted in zip(result.activities, want):
        shown = got.to_json()
        for key, value in planted.items():
            assert shown[key] == value, (key, shown[key], value)
        assert {"code": "ocr", "field": None, "message": "read from an image; please check"} in shown["warnings"]
        assert shown["confidence"] <= 0.7
