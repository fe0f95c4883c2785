"""OpenDocument spreadsheets (.ods, from LibreOffice or Google Sheets): one Table per sheet.

Read like .xlsx (see extractors.xlsx.read_sheets): python-calamine gives dates, times, numbers and
text; rows keep their real row numbers. calamine reports no merged ranges for ODS, so spanned cells
keep their one value. A password-protected .ods names its encryption in META-INF/manifest.xml.

Two guards run before calamine sees content.xml. calamine can loop for ever on malformed XML there,
so expat reads it first. And ODS compresses repetition itself: one <table:table-row
table:number-rows-repeated="1048571"> is a million rows, and calamine expands repeated cells into a
dense grid (10 million cells take it about 1.2 GB), so each sheet's grid is estimated from those
attributes; the blank rows and columns LibreOffice repeats to the sheet's edge are not counted, as
calamine does not keep them either.
"""
from __future__ import annotations

import re
from xml.parsers import expat

from .errors import UnreadableFile
from .model import Extraction, ExtractOptions, Upload
from .xlsx import MAX_CELLS, open_workbook, read_sheets
from .zipcheck import check_zip

__all__ = ["FORMAT", "MEDIA_TYPES", "SUFFIXES", "sniff", "extract"]

FORMAT = "ods"
MEDIA_TYPES = ("application/vnd.oasis.opendocument.spreadsheet",)
SUFFIXES = (".ods",)

_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
_TABLE = re.compile(rb"<table:table(?=[\s>])[^>]*>")
_ROW = re.compile(rb"<table:table-row\b([^>]*?)(/?)>")
_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')


def sniff(head: bytes, filename: str) -> bool:
    """A zip whose first part is the uncompressed "mimetype" naming an OpenDocument spreadsheet."""
    return head.startswith(b"PK\x03\x04") and head[30:30 + len(_MIMETYPE)] == _MIMETYPE


def extract(upload: Upload, options: ExtractOptions) -> Extraction:
    what = f"'{upload.filename}'"
    if upload.size > options.max_bytes:
        raise UnreadableFile("too_large", f"{what} is {upload.size:,} bytes, more than the {options.max_bytes:,} "
                                          "we read. Split the spreadsheet into smaller files.")
    archive = check_zip(upload.data, options, what)
    names = set(archive.namelist())
    if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read("META-INF/manifest.xml"):
        raise UnreadableFile("encrypted", f"{what} is password-protected; open it, remove the password "
                                          "(File > Properties > Security, or save without one) and upload it again.")
    if "content.xml" not in names:
        raise UnreadableFile("corrupt", f"{what} is a zip file but not a spreadsheet (it has no content.xml). "
                                        "Export the record again as .ods or .xlsx and upload that.")
    content = archive.read("content.xml")
    _check_well_formed(content, what)
    _check_grid(content, options, what)
    tables, issues = read_sheets(open_workbook(upload.data, what), options, what)
    return Extraction(format=FORMAT, media_type=MEDIA_TYPES[0], tables=tables, issues=issues)


def _check_well_formed(content: bytes, what: str) -> None:
    """calamine can loop for ever on a mismatched end tag in content.xml, so expat (C speed, no tree,
    no entity expansion: check_zip already refused any DTD) reads it first."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(content, True)
    except expat.ExpatError as exc:
        raise UnreadableFile("corrupt", f"{what} looks damaged: its content is not well-formed XML ({exc}). "
                                        "Open it, save it again and upload the new file.") from exc


def _check_grid(content: bytes, options: ExtractOptions, what: str) -> None:
    """Refuse a sheet whose rows times columns (repeats expanded) exceed what we read."""
    for sheet in _TABLE.split(content)[1:]:
        height = width = last = 0
        for row in _ROW.finditer(sheet):
            repeat = _repeat(_ROWS_REPEATED, row.group(1))
            body = b"" if row.group(2) else sheet[row.end():sheet.find(b"</table:table-row>", row.end())]
            row_width = _filled_width(body)
            height += repeat
            if row_width:
                last, width = height, max(width, row_width)
        if last > options.max_rows:
            raise UnreadableFile("too_many_rows", f"{what} has more than {options.max_rows:,} rows, more than we "
                                                  "read from one file. Split it into smaller files and upload each.")
        if last * width > MAX_CELLS:
            raise UnreadableFile("too_large", f"{what}: a sheet spans {last:,} rows by {width:,} columns, more than "
                                              f"the {MAX_CELLS:,} cells we read. Delete stray cells far below or to "
                                              "the right of the table (or split the sheet), save and upload it again.")


def _filled_width(body: bytes) -> int:
    """Columns up to the last cell that holds something (a value type or text)."""
    column = filled = 0
    if b"office:value-type" not in body and b"<text:" not in body:
        return 0
    if b"columns-repeated" not in body:
        return body.count(b"<table:table-cell") + body.count(b"<table:covered-table-cell")
    for cell in _CELL.finditer(body):
        column += _repeat(_COLUMNS_REPEATED, cell.group(1))
        if not cell.group(2) or b"value-type" in cell.group(1):
            filled = column
    return filled


def _repeat(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    return int(found.group(1)) if found else 1
