"""The DOCX extractor against samples/docx/ (made by samples/make_doc_samples.py)."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mappers.certificates import read_certificates
from hypothesis import given
from hypothesis import strategies as st

from extractors import detect, docx
from extractors.errors import IngestError, UnreadableFile
from extractors.model import ExtractOptions, Upload

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "docx"
CASES = sorted(p for p in SAMPLES.iterdir() if not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_sample(path: Path, planted: Callable[[Path], Any]) -> None:
    """Each sample yields its planted tables, records and issues, or raises its planted error."""
    sample = planted(path)
    upload, expected = sample.upload, sample.expected
    assert docx.sniff(upload.data[:8192], upload.filename)
    if sample.raises(docx):
        return
    found = docx.extract(upload, ExtractOptions())
    assert found.format == "docx"
    assert found.layout == expected["layout"]
    assert [t.name for t in found.tables] == [t["name"] for t in expected["tables"]]
    for table, want in zip(found.tables, expected["tables"]):
        assert [(r.location.locator, list(r.cells)) for r in table.rows] == [(r["locator"], r["cells"]) for r in want["rows"]]
        assert set(want["context"]) <= set(table.context)
    if "certificate" in expected:
        (record,) = read_certificates(found.prose)
        assert record.location.locator == expected["certificate"]["locator"]
        assert set(expected["certificate"]["values_contain"]) <= {str(v) for v in record.fields.values()}
    else:
        assert [(r.location.locator, r.fields) for r in found.records] == [
            (r["locator"], r["fields"]) for r in expected["records"]]
    assert [i.code for i in found.issues] == expected.get("issues", [])
    assert set(expected.get("context", [])) <= set(found.context)


def test_detect_picks_docx_for_every_readable_sample() -> None:
    """Detection by content sends every sample (.docm included) to the DOCX extractor."""
    for path in CASES:
        if path.name != "truncated.docx":
            assert detect(Upload.from_bytes(path.read_bytes(), "upload.bin")) is docx


def test_workbook_zip_is_not_docx() -> None:
    """A zip with xl/ parts is a workbook, whatever its name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert not docx.sniff(buffer.getvalue(), "record.docx")


def test_limits_rows() -> None:
    """More table rows than ExtractOptions.max_rows is too_many_rows, not a partial read."""
    upload = Upload.from_bytes((SAMPLES / "step-style-landscape-free-text-times.docx").read_bytes(), "times.docx")
    with pytest.raises(UnreadableFile) as caught:
        docx.extract(upload, ExtractOptions(max_rows=2))
    assert caught.value.code == "too_many_rows"


def test_inflated_size_bound() -> None:
    """A document that would inflate past max_inflated_bytes is refused as a zip bomb."""
    upload = Upload.from_bytes((SAMPLES / "cpd-plan-prose-no-activities.docx").read_bytes(), "plan.docx")
    with pytest.raises(UnreadableFile) as caught:
        docx.extract(upload, ExtractOptions(max_inflated_bytes=10_000))
    assert caught.value.code in ("zip_bomb", "too_large")


@given(st.binary(max_size=300))
def test_sniff_never_raises(head: bytes) -> None:
    """sniff answers for any bytes, also a PK header followed by rubbish."""
    assert docx.sniff(b"PK\x03\x04" + head, "x.docx") in (True, False)
    assert docx.sniff(head, "x.docx") in (True, False)


@given(st.binary(min_size=4, max_size=400))
def test_extract_rubbish_raises_only_our_errors(tail: bytes) -> None:
    """Garbage after a zip header gives an IngestError, never a library exception."""
    with pytest.raises(IngestError):
        docx.extract(Upload.from_bytes(b"PK\x03\x04" + tail, "x.docx"), ExtractOptions())
