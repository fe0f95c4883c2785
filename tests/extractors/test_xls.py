"""Legacy .xls (BIFF8 in OLE2) and the other OLE2 files detection hands to the xls module."""
from __future__ import annotations

import io
import struct
from collections.abc import Callable
from pathlib import Path

import olefile
import pytest

from extractors import xls
from extractors.errors import UnreadableFile, UnsupportedFormat
from extractors.model import Extraction, ExtractOptions, Upload

SAMPLE_FOLDER = "xls"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
BIFF_SAMPLE = SAMPLES / "xls" / "moodle-report-biff8.xls"


def test_sample(sample: Path, check_sample: Callable[[Path], Extraction | None]) -> None:
    """Each sample extracts to the tables, rows and cells (or the error) its .expected.json names."""
    check_sample(sample)


def test_xlrd_fallback_reads_what_calamine_reads() -> None:
    """The xlrd path (used only when calamine refuses a file) gives the same cells, bar merged spreading."""
    data = BIFF_SAMPLE.read_bytes()
    by_calamine = xls.extract(Upload.from_bytes(data, "r.xls"), ExtractOptions()).loaded().tables
    by_xlrd = xls._read_with_xlrd(data, ExtractOptions(), "'r.xls'")
    assert [t.name for t in by_xlrd] == [t.name for t in by_calamine]
    for ours, theirs in zip(by_xlrd, by_calamine):
        assert [r.location for r in ours.rows] == [r.location for r in theirs.rows]
        for a, b in zip(ours.rows, theirs.rows):
            if a.location.row != 4:                  # the merged group header row: calamine spreads it
                assert a.cells == b.cells


def test_calamine_failure_falls_back_to_xlrd(monkeypatch: pytest.MonkeyPatch) -> None:
    from python_calamine import CalamineError, CalamineWorkbook

    def refuse(*args: object, **kwargs: object) -> None:
        raise CalamineError("simulated")
    monkeypatch.setattr(CalamineWorkbook, "from_filelike", refuse)
    found = xls.extract(Upload.from_bytes(BIFF_SAMPLE.read_bytes(), "r.xls"), ExtractOptions()).loaded()
    assert found.tables[0].rows[0].cells[0] == "Moodle course completion report"


def patched_record(kind: int, offset: int, value: bytes, nth: int = 0) -> bytes:
    """The BIFF sample with bytes of its nth record of this type overwritten (the stream is contiguous)."""
    data = BIFF_SAMPLE.read_bytes()
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        stream = ole.openstream("Workbook").read()
    base, position, seen = data.index(stream[:512]), 0, 0
    while position + 4 <= len(stream):
        found, size = struct.unpack_from("<HH", stream, position)
        if found == kind:
            if seen == nth:
                at = base + position + 4 + offset
                return data[:at] + value + data[at + len(value):]
            seen += 1
        position += 4 + size
    raise AssertionError(f"no record {kind:#x}")


@pytest.mark.parametrize("kind, offset, value", [
    (0x0200, 8, struct.pack("<H", 235)),            # DIMENSIONS: first column after the last one
    (0x0200, 4, struct.pack("<I", 0xFFFFFFFF)),     # DIMENSIONS: four billion rows
    (0x00FC, 4, struct.pack("<i", 0x7FFFFFFF)),     # SST: two billion strings
    (0x00FC, 4, struct.pack("<i", -1)),
])
def test_records_that_would_abort_calamine_are_refused(kind: int, offset: int, value: bytes) -> None:
    """calamine reserves memory from these fields and the process aborts; we refuse them first."""
    data = patched_record(kind, offset, value)
    with pytest.raises(UnreadableFile) as raised:
        xls.extract(Upload.from_bytes(data, "r.xls"), ExtractOptions()).loaded()
    assert raised.value.code == "corrupt"


def test_cells_spread_over_a_huge_grid_are_refused() -> None:
    """A cell moved to the sheet's far corner would make calamine build 16 million cells."""
    data = patched_record(0x00FD, 0, struct.pack("<HH", 65535, 255))      # the first LABELSST cell
    with pytest.raises(UnreadableFile) as raised:
        xls.extract(Upload.from_bytes(data, "r.xls"), ExtractOptions()).loaded()
    assert raised.value.code == "too_large"


def test_garbage_after_the_magic_is_corrupt() -> None:
    data = xls.OLE2_MAGIC + b"\x00" * 600
    with pytest.raises(UnreadableFile) as raised:
        xls.extract(Upload.from_bytes(data, "x.xls"), ExtractOptions()).loaded()
    assert raised.value.code == "corrupt"


def test_too_many_rows() -> None:
    with pytest.raises(UnreadableFile) as raised:
        xls.extract(Upload.from_bytes(BIFF_SAMPLE.read_bytes(), "r.xls"), ExtractOptions(max_rows=10)).loaded()
    assert raised.value.code == "too_many_rows"


def test_doc_message_asks_for_docx() -> None:
    data = (SAMPLES / "xls" / "word-97-document.doc").read_bytes()
    with pytest.raises(UnsupportedFormat) as raised:
        xls.extract(Upload.from_bytes(data, "minutes.doc"), ExtractOptions()).loaded()
    assert ".docx" in raised.value.message


def test_encrypted_message_says_how_to_remove_the_password() -> None:
    data = (SAMPLES / "xlsx" / "encrypted.xlsx").read_bytes()
    with pytest.raises(UnreadableFile) as raised:
        xls.extract(Upload.from_bytes(data, "locked.xlsx"), ExtractOptions()).loaded()
    assert raised.value.code == "encrypted" and "password" in raised.value.message


@pytest.mark.parametrize("head, expected", [
    (xls.OLE2_MAGIC + b"\x00" * 100, True),
    (b"PK\x03\x04", False),
    (b"<html>", False),
    (b"", False),
])
def test_sniff(head: bytes, expected: bool) -> None:
    assert xls.sniff(head, "x.xls") is expected


def test_a_sheet_declared_as_the_whole_biff_grid_is_read() -> None:
    """A DIMENSIONS record of 65,536 rows by 256 columns is a claim; the sheet's cells are what is read."""
    data = patched_record(0x0200, 0, struct.pack("<IIHH", 0, 65_536, 0, 256))
    found = xls.extract(Upload.from_bytes(data, "r.xls"), ExtractOptions()).loaded()
    assert found.tables[0].rows[0].cells[0] == "Moodle course completion report"
