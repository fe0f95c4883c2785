"""OpenDocument spreadsheets: the samples, then the repeated-cell guard and sniffing."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from extractors import ods
from extractors.errors import UnreadableFile
from extractors.model import Extraction, ExtractOptions, Upload

SAMPLE_FOLDER = "ods"
MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def test_sample(sample: Path, check_sample: Callable[[Path], Extraction | None]) -> None:
    """Each sample extracts to the tables, rows and cells (or the error) its .expected.json names."""
    check_sample(sample)


def spreadsheet(rows: str, manifest_extra: str = "") -> bytes:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="S">{rows}</table:table></office:spreadsheet>'
               '</office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                f'"{MIMETYPE.decode()}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type='
                f'"text/xml">{manifest_extra}</manifest:file-entry></manifest:manifest>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def cell(text: str, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="string"{repeated}><text:p>{text}</text:p></table:table-cell>'


def row(cells: str, repeat: int = 1) -> str:
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{repeated}>{cells}</table:table-row>"


def extract(data: bytes, **options: int) -> Extraction:
    return ods.extract(Upload.from_bytes(data, "log.ods"), ExtractOptions(**options)).loaded()


def test_repeated_rows_and_cells_are_expanded_as_calamine_does() -> None:
    found = extract(spreadsheet(row(cell("Title") + cell("x", 2)) + row(cell("same"), 3)))
    assert [r.cells for r in found.tables[0].rows] == [("Title", "x", "x"), ("same", "", ""), ("same", "", ""),
                                                       ("same", "", "")]


def test_padding_rows_and_columns_are_not_counted() -> None:
    padding = row('<table:table-cell table:number-columns-repeated="16384"/>', 1_048_000)
    found = extract(spreadsheet(row(cell("Title")) + padding))
    assert len(found.tables[0].rows) == 1


@pytest.mark.parametrize("rows, code", [
    (row(cell("x", 5_000), 5_000), "too_large"),
    (row('<table:table-cell table:number-columns-repeated="1024"/>', 1_048_000) + row(cell("far")), "too_many_rows"),
    (row('<table:table-cell table:number-columns-repeated="16000"/>' + cell("wide"), 1000), "too_large"),
])
def test_grids_too_big_are_refused_before_calamine(rows: str, code: str) -> None:
    with pytest.raises(UnreadableFile) as raised:
        extract(spreadsheet(rows))
    assert raised.value.code == code


def test_password_protected() -> None:
    data = spreadsheet(row(cell("x")), '<manifest:encryption-data manifest:checksum-type="SHA1"/>')
    with pytest.raises(UnreadableFile) as raised:
        extract(data)
    assert raised.value.code == "encrypted"


@pytest.mark.parametrize("head, expected", [
    (b"PK\x03\x04" + b"\0" * 26 + b"mimetype" + MIMETYPE, True),
    (b"PK\x03\x04" + b"\0" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.text", False),
    (b"PK\x03\x04" + b"\0" * 26 + b"[Content_Types].xml", False),
    (b"mimetype" + MIMETYPE, False),
])
def test_sniff(head: bytes, expected: bool) -> None:
    assert ods.sniff(head, "x.ods") is expected
