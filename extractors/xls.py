"""Legacy Excel workbooks (.xls, BIFF8 inside an OLE2 compound file): one Table per sheet.

Read like .xlsx (extractors.xlsx.read_sheets) with python-calamine: dates for date-formatted
cells, merged group headers spread over their columns, real row numbers. xlrd reads the file only
where calamine cannot; it knows no merged ranges without formatting, so there spans keep one value.

Every OLE2 file comes here, because its magic bytes are all that detection sees, and not all of
them are workbooks: a password-protected .xlsx or .docx is an OLE2 file holding "EncryptionInfo"
and "EncryptedPackage" streams, and a Word 97-2003 .doc holds "WordDocument". Those get the
error that tells the person what to do. (An HTML table saved as .xls is not OLE2: see extractors.html.)
"""
from __future__ import annotations

import datetime as dt
import io
import struct
from collections.abc import Iterator

import olefile
import xlrd
from .errors import UnreadableFile, UnsupportedFormat
from .model import CellValue, Extraction, ExtractOptions, Location, Row, Table, Upload
from .xlsx import MAX_CELLS, open_workbook, read_sheets

__all__ = ["FORMAT", "MEDIA_TYPES", "SUFFIXES", "sniff", "extract"]

FORMAT = "xls"
MEDIA_TYPES = ("application/vnd.ms-excel",)
SUFFIXES = (".xls",)
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(head: bytes, filename: str) -> bool:
    """Any OLE2 compound file (see the module docstring for why not only workbooks)."""
    return head.startswith(OLE2_MAGIC)


def extract(upload: Upload, options: ExtractOptions) -> Extraction:
    what = f"'{upload.filename}'"
    if upload.size > options.max_bytes:
        raise UnreadableFile("too_large", f"{what} is {upload.size:,} bytes, more than the {options.max_bytes:,} "
                                          "we read. Split the workbook into smaller files.")
    streams, workbook = _streams(upload.data, what)
    if {"encryptioninfo", "encryptedpackage"} <= streams:
        raise _encrypted(what)
    if workbook is None:
        raise _not_a_workbook(what, streams)
    _check_records(workbook, options, what)
    try:
        book = open_workbook(upload.data, what)
    except UnreadableFile as exc:
        if exc.code != "corrupt":
            raise
        return Extraction(format=FORMAT, media_type=MEDIA_TYPES[0], tables=_read_with_xlrd(upload.data, options, what))
    tables, issues = read_sheets(book, options, what)
    return Extraction(format=FORMAT, media_type=MEDIA_TYPES[0], tables=tables, issues=issues)


def _streams(data: bytes, what: str) -> tuple[set[str], bytes | None]:
    """Lower-cased names of the compound file's top-level streams and storages, and the workbook stream."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            names = {entry[0].casefold() for entry in ole.listdir(streams=True, storages=True)}
            for name in ("Workbook", "Book"):
                if ole.exists(name) and ole.get_type(name) == olefile.STGTY_STREAM:
                    if ole.get_size(name) > len(data):
                        raise ValueError(f"stream {name} is larger than the file")
                    return names, bytes(ole.openstream(name).read())
            return names, None
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError... on damaged files
        raise UnreadableFile("corrupt", f"{what} looks cut off or damaged (its Office file structure cannot be "
                                        "read). Download or export it again and upload the new file.") from exc


def _check_records(stream: bytes, options: ExtractOptions, what: str) -> None:
    """Refuse the BIFF records that make calamine allocate without bound (the process then aborts;
    no exception is raised): a DIMENSIONS record whose ranges are reversed or beyond BIFF's, an SST that
    claims more strings than the stream could hold, and cells spread over too big a grid.
    Sheets are walked from their BOUNDSHEET offsets, as calamine walks them."""
    sheets = []
    for kind, at, size in _records(stream, 0):
        if kind == 0x0085 and size >= 4:                                     # BOUNDSHEET: where a sheet starts
            sheets.append(struct.unpack_from("<I", stream, at)[0])
        elif kind == 0x00FC and size >= 8:                                   # SST: shared strings
            unique = struct.unpack_from("<i", stream, at + 4)[0]
            if not 0 <= unique <= len(stream) // 3:
                raise _damaged(what, "its table of shared strings")
    total = 0
    for start in sheets:
        top, bottom, left, right = _sheet_extent(stream, start, what)
        if bottom >= 0:
            total += bottom - top + 1
            if total > options.max_rows:
                raise UnreadableFile("too_many_rows", f"{what} has more than {options.max_rows:,} rows, more than "
                                                      "we read from one file. Split it and upload each part.")
            if (bottom - top + 1) * (right - left + 1) > MAX_CELLS:
                raise _too_big(what, bottom - top + 1, right - left + 1)


def _sheet_extent(stream: bytes, start: int, what: str) -> tuple[int, int, int, int]:
    """First and last row and column holding a cell, checking DIMENSIONS on the way (one tight loop:
    a 65,536-row sheet has a million records)."""
    top = left = 1 << 32
    bottom = right = -1
    position, end = start, len(stream)
    while position + 4 <= end:
        kind, size = _HEADER(stream, position)
        if kind == 0x000A or position + 4 + size > end:
            break
        if kind in _CELL_RECORDS and size >= 4:
            row, col = _HEADER(stream, position + 4)
            if kind == 0x00BD and size >= 6:                                 # MULRK: columns col..last
                col = max(col, _HEADER(stream, position + size)[1])
            if row < top:
                top = row
            if row > bottom:
                bottom = row
            if col < left:
                left = col
            if col > right:
                right = col
        elif kind == 0x0200 and size in (10, 14):                            # DIMENSIONS
            first_row, last_row, first_col, last_col = struct.unpack_from(
                "<HHHH" if size == 10 else "<IIHH", stream, position + 4)
            if last_row > 65_536 or last_col > 256 or (last_row and last_col and (
                    first_row >= last_row or first_col >= last_col)):        # beyond what BIFF can hold
                raise _damaged(what, "the size it gives a sheet")
            # A declared size up to the whole sheet (65,536 x 256) is only a claim: calamine builds its
            # grid from the cells, whose extent is checked by the caller.
        position += 4 + size
    return top, bottom, left, right


def _too_big(what: str, height: int, width: int) -> UnreadableFile:
    return UnreadableFile("too_large", f"{what} holds a sheet of {height:,} rows by {width:,} columns, more than "
                                       f"the {MAX_CELLS:,} cells we read. Delete stray cells far below or to the "
                                       "right of the table (or split the sheet), save and upload it again.")


_CELL_RECORDS = frozenset((0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00BD, 0x0006))
_HEADER = struct.Struct("<HH").unpack_from


def _records(stream: bytes, start: int) -> Iterator[tuple[int, int, int]]:
    """(type, data offset, data size) of each BIFF record from `start` to its EOF record."""
    position, end = start, len(stream)
    while position + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, position)
        if kind == 0x000A or position + 4 + size > end:
            return
        yield kind, position + 4, size
        position += 4 + size


def _damaged(what: str, part: str) -> UnreadableFile:
    return UnreadableFile("corrupt", f"{what} looks damaged ({part} is impossible), so it was not opened. "
                                     "Open it in Excel, save it again (as .xlsx if you can) and upload that.")


def _encrypted(what: str) -> UnreadableFile:
    return UnreadableFile("encrypted", f"{what} is password-protected; remove the password (File > Info > "
                                       "Protect, then clear the password), save it and upload it again.")


def _not_a_workbook(what: str, streams: set[str]) -> UnsupportedFormat:
    if "worddocument" in streams:
        return UnsupportedFormat(f"{what} is a Word 97-2003 document (.doc), which we do not read. Open it in "
                                 "Word, save it as a Word Document (.docx) or PDF, and upload that.")
    if "powerpoint document" in streams:
        return UnsupportedFormat(f"{what} is a PowerPoint presentation, which we do not read. Save it as PDF "
                                 "and upload that.")
    return UnsupportedFormat(f"{what} is an Office file but not an Excel workbook. Export the record as "
                             ".xlsx, .csv or PDF and upload that.")


def _read_with_xlrd(data: bytes, options: ExtractOptions, what: str) -> tuple[Table, ...]:
    """The same tables through xlrd, for the few BIFF files calamine refuses."""
    try:
        book = xlrd.open_workbook(file_contents=data)      # parses every sheet here, inside the try
    except Exception as exc:  # xlrd raises XLRDError, struct.error, AssertionError... on damaged files
        if "encrypted" in str(exc):
            raise _encrypted(what) from exc
        raise UnreadableFile("corrupt", f"{what} looks damaged and could not be opened ({exc}). Open it in "
                                        "Excel, save it again (as .xlsx if you can) and upload that.") from exc
    tables, total = [], 0
    for sheet in book.sheets():
        if sheet.nrows * sheet.ncols > MAX_CELLS or total + sheet.nrows > options.max_rows:
            raise UnreadableFile("too_large", f"{what}: sheet '{sheet.name}' is larger than we read. "
                                              "Split it into smaller files and upload each.")
        total += sheet.nrows
        grid = [[_xlrd_value(sheet.cell(r, c), book.datemode) for c in range(sheet.ncols)] for r in range(sheet.nrows)]
        filled = [r for r, cells in enumerate(grid) if any(v != "" for v in cells)]
        if not filled:
            continue
        left = min(next(c for c, v in enumerate(grid[r]) if v != "") for r in filled)
        rows = tuple(Row(Location(sheet=sheet.name, row=r + 1), tuple(grid[r][left:]))
                     for r in range(filled[0], filled[-1] + 1))
        tables.append(Table(name=sheet.name, rows=rows))
    return tuple(tables)


def _xlrd_value(cell: xlrd.sheet.Cell, datemode: int) -> CellValue:
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return str(cell.value).replace("\x00", "").strip()
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return float(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            stamp: dt.datetime = xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return float(cell.value)
        if cell.value < 1:
            return stamp.time()
        return stamp.date() if stamp.time() == dt.time(0) else stamp
    return ""                            # empty, blank, and error cells (#N/A, #DIV/0!)
