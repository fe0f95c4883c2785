"""The PDF extractor against samples/pdf/: each sample's planted tables, records or error."""
from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import pytest

from mappers.certificates import read_certificates

from extractors import pdf
from extractors.errors import UnreadableFile
from extractors.model import Extraction, ExtractOptions, Table, Upload

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "pdf"
PDFS = sorted(SAMPLES.glob("*.pdf"))
# Image-only PDFs read by OCR have their own tests and expected form (tests/extractors/test_image.py).
PDFS = [p for p in PDFS if not json.loads(p.with_suffix(".expected.json").read_text("utf-8")).get("ocr")]
GOOD = [p for p in PDFS if json.loads(p.with_suffix(".expected.json").read_text("utf-8"))["error"] is None]
BAD = [p for p in PDFS if p not in GOOD]


def _expected(path: Path) -> dict[str, Any]:
    return json.loads(path.with_suffix(".expected.json").read_text("utf-8"))  # type: ignore[no-any-return]


def _extract(path: Path, options: ExtractOptions | None = None) -> Extraction:
    return pdf.extract(Upload.from_bytes(path.read_bytes(), path.name), options or ExtractOptions())


def _rows_by_title(table: Table, column: int) -> dict[str, tuple[str, ...]]:
    return {str(row.cells[column]): tuple(str(c) for c in row.cells) for row in table.rows[table.header_rows or 0:]}


def test_samples_exist() -> None:
    """The generator's samples are checked in: tables, certificates, a plan and bad input."""
    assert len(GOOD) >= 5 and len(BAD) >= 3


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_sample_tables(path: Path) -> None:
    """One table per logical table: header once, every planted title once, in order, nothing else."""
    expected, result = _expected(path), _extract(path)
    assert result.format == "pdf" and result.media_type == "application/pdf"
    assert result.layout == expected["layout"]
    assert len(result.tables) == len(expected["tables"])
    for table, want in zip(result.tables, expected["tables"]):
        if "rows" in want:   # a form's key/value table (samples/make_form_samples.py): every row as drawn
            assert table.header_rows == want["header_rows"]
            assert [(r.location.locator, list(r.cells)) for r in table.rows] == [
                (r["locator"], r["cells"]) for r in want["rows"]]
            assert set(want["context_contains"]) <= set(table.context)
            continue
        assert table.header_rows == 1
        assert [str(c) for c in table.rows[0].cells] == want["header"]
        titles = [str(row.cells[want["title_column"]]) for row in table.rows[1:]]
        assert titles == want["titles"]
        for needle in want["context_contains"]:
            assert needle in table.context


@pytest.mark.parametrize("path", [p for p in GOOD if _expected(p)["tables"] and "title_column" in _expected(p)["tables"][0]],
                         ids=lambda p: p.stem)
def test_sample_locators_and_joined_rows(path: Path) -> None:
    """Rows keep page=P;table=T;row=R of their first line; a row cut by a page break is whole again."""
    want = _expected(path)["tables"][0]
    table = _extract(path).tables[0]
    column = want["title_column"]
    located = {str(row.cells[column]): row.location.locator for row in table.rows}
    for title, locator in want["locators"].items():
        assert located[title] == locator
    rows = _rows_by_title(table, column)
    for title, cells in want["row_cells"].items():
        assert rows[title] == tuple(cells)


@pytest.mark.parametrize("path", [p for p in GOOD if not _expected(p)["tables"]], ids=lambda p: p.stem)
def test_sample_records(path: Path) -> None:
    """A page without a table is text; read as a certificate it gives one record with the planted fields,
    and a plan in prose gives none."""
    expected, result = _expected(path), _extract(path)
    records = read_certificates(result.prose)
    assert len(records) == len(expected["records"])
    for record, want in zip(records, expected["records"]):
        assert record.location.locator == want["locator"]
        for key, value in want["fields"].items():
            assert record.fields.get(key) == value, key
        assert want["fields"]["title"] in record.evidence


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_samples_raise(path: Path) -> None:
    """Encrypted, image-only and truncated PDFs raise UnreadableFile with their code and a message."""
    want = _expected(path)["error"]
    with pytest.raises(UnreadableFile) as caught:
        _extract(path)
    assert type(caught.value).__name__ == want["type"]
    assert caught.value.code == want["code"]
    assert path.name in caught.value.message


def test_encrypted_message_asks_for_unprotected_copy() -> None:
    with pytest.raises(UnreadableFile) as caught:
        _extract(SAMPLES / "encrypted.pdf")
    assert "without a password" in caught.value.message


def test_too_many_pages() -> None:
    """A PDF of more than options.max_pages pages with something on them is refused before any page is read."""
    with pytest.raises(UnreadableFile) as caught:
        _extract(SAMPLES / "ruled-statement-multipage.pdf", ExtractOptions(max_pages=1))
    assert caught.value.code == "too_large"


def test_empty_bytes() -> None:
    with pytest.raises(UnreadableFile) as caught:
        pdf.extract(Upload.from_bytes(b"", "empty.pdf"), ExtractOptions())
    assert caught.value.code == "empty"


def test_not_a_pdf() -> None:
    """Bytes that are no PDF at all are 'corrupt', with pdfminer's error translated."""
    with pytest.raises(UnreadableFile) as caught:
        pdf.extract(Upload.from_bytes(b"PK\x03\x04 not a pdf", "x.pdf"), ExtractOptions())
    assert caught.value.code == "corrupt"


def test_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The wall-clock limit per document is enforced between pages."""
    monkeypatch.setattr(pdf, "TIME_LIMIT_S", -1.0)
    with pytest.raises(UnreadableFile) as caught:
        _extract(SAMPLES / "ruled-statement-multipage.pdf")
    assert caught.value.code == "timeout"


def test_sniff() -> None:
    assert pdf.sniff(b"%PDF-1.7\n...", "x.bin")
    assert not pdf.sniff(b"PK\x03\x04", "x.pdf")
    assert pdf.FORMAT == "pdf" and pdf.MEDIA_TYPES == ("application/pdf",) and ".pdf" in pdf.SUFFIXES


def test_footers_and_totals_are_not_rows() -> None:
    """'Page 1 of 2', 'Printed ...' and 'Total hours' never appear in a table row."""
    for path in GOOD:
        for table in _extract(path).tables:
            for row in table.rows:
                text = " ".join(str(c) for c in row.cells)
                assert "Page " not in text and "Printed" not in text and not text.startswith("Total")


def test_samples_are_current(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checked-in samples are what the generator writes today."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("make_pdf_samples", SAMPLES.parent / "make_pdf_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_pdf_samples", module)
    spec.loader.exec_module(module)   # reportlab, which it needs, is a dependency (the cover sheet)
    assert module.main(["--check"]) == 0


def test_hard_timeout_stops_a_page_that_never_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a page whose parsing hangs WHEN the alarm fires THEN the document fails with 'timeout'.

    The alarm is given a whole second: the page's work before the hang must never outlast it, even on a
    loaded machine, or the alarm would fire there instead (0.2 s made this test fail now and then)."""
    import time

    def hang(*args: object) -> list[object]:
        time.sleep(30)
        return []

    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0, "an earlier test left an interval timer running"
    monkeypatch.setattr(pdf, "HARD_TIME_LIMIT_S", 1.0)
    monkeypatch.setattr(pdf, "ruled_fragments", hang)
    with pytest.raises(UnreadableFile) as caught:
        _extract(SAMPLES / "ruled-statement-multipage.pdf")
    assert caught.value.code == "timeout"
