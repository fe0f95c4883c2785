"""Excel workbooks (.xlsx, .xlsm): one Table per sheet, every row with its real Excel row number.

What LMS and CPD spreadsheets look like: a title block (report name, learner, run date, a logo)
above the header, blank rows, two-row headers with merged group cells, hidden rows and columns,
filtered ranges, totals rows with SUM formulas, several sheets and a notes sheet. We read every
sheet (hidden ones too) and every row (hidden and filtered rows are data) as python-calamine gives
them: dates and datetimes for date-formatted cells, timedeltas for [h]:mm durations, the cached
value of a formula ("" where the file kept none), numbers as floats, empty cells as "". Macros are
never run: calamine does not execute anything, and the VBA part is never opened.

What we change: strings are trimmed and stripped of NUL; a merged cell's value is spread across
the columns it spans when its row holds other values too (a group header such as "Dates" over
"Started | Completed"); a merged title or note row keeps its one value. The mapper decides which
row is the header and what each column means.

Before calamine sees the file: the zip is checked (extractors.zipcheck), and each sheet's extent
is estimated from its XML, because calamine holds a sheet as a dense grid: two stray cells at A1
and ZZ1000000 would need 20 GB. calamine converts cells in Rust; an absurd number in a date or
duration cell raises OverflowError there or panics, so such a row becomes an Issue, not a crash. A
Rust panic also prints its message and a backtrace straight to the process's stderr (file descriptor 2,
below Python), which would reach the member's terminal and the service log as if something had crashed;
calamine is therefore only called with fd 2 led into a spool (`_quiet_panics`), and whatever else was
written there meanwhile is passed on.
"""
from __future__ import annotations

import io
import os
import re
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO
from itertools import islice

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, PasswordError

from .errors import UnreadableFile, UnsupportedFormat
from .model import CellValue, Extraction, ExtractOptions, Issue, Location, Row, RowSource, Table, Upload
from .zipcheck import check_zip

__all__ = ["FORMAT", "MEDIA_TYPES", "SUFFIXES", "MAX_CELLS", "sniff", "extract", "open_workbook", "read_sheets"]

FORMAT = "xlsx"
MEDIA_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel.sheet.macroEnabled.12",
)
SUFFIXES = (".xlsx", ".xlsm")
MAX_CELLS = 10_000_000               # rows x columns of one sheet's grid; ~300 MB inside calamine

_SHEET_PART = re.compile(r"xl/(?:work|macro|dialog)sheets/[^/]+\.xml")
# Rows that hold cells (not self-closing) by their r="N"; cells that hold something, in columns of
# two or three letters (AA and beyond), by their reference. Both patterns start with a literal, so
# the scan runs at memchr speed (~0.03 s each over the 70 MB sheet of a 100,000-row workbook).
_ROW_NUMBERS = re.compile(rb"row [^>]*?\br=\"(\d+)\"[^>]*(?<!/)>")
_WIDE_CELLS = re.compile(rb" r=\"([A-Z]{2,3})(\d+)\"[^>]*(?<!/)>")
_ALL_CELLS = re.compile(rb" r=\"[A-Z]{1,3}(\d+)\"")
# A cell with a value: its reference, then (within the element) a <v> holding text or an inline string.
_HELD_CELL = re.compile(rb"<c\b[^>]*?\br=\"([A-Z]{1,3})(\d+)\"[^>]*(?<!/)>(?:(?!</c>).){0,4096}?(?:<v>[^<]|<is\b)", re.S)

Merge = tuple[tuple[int, int], tuple[int, int]]


def sniff(head: bytes, filename: str) -> bool:
    """A zip whose local headers name xl/ parts (they carry names in clear); not a .docx or .ods."""
    if not head.startswith(b"PK\x03\x04"):
        return False
    if head[30:38] == b"mimetype" or (b"word/" in head and b"xl/workbook" not in head):
        return False
    if b"xl/" in head:
        return True
    # A big first part (a thumbnail) can push every xl/ name past the head; then the name decides.
    return filename.casefold().endswith(SUFFIXES) and b"word/" not in head and b"ppt/" not in head


def extract(upload: Upload, options: ExtractOptions) -> Extraction:
    what = f"'{upload.filename}'"
    if upload.size > options.max_bytes:
        raise UnreadableFile("too_large", f"{what} is {upload.size:,} bytes, more than the {options.max_bytes:,} "
                                          "we read. Split the workbook into smaller files.")
    extent = _SheetExtent()
    archive = check_zip(upload.data, options, what, extent)
    names = {name.casefold() for name in archive.namelist()}
    if "xl/workbook.bin" in names:
        raise UnsupportedFormat(f"{what} is an Excel binary workbook (.xlsb). Open it in Excel, save it as "
                                "an Excel Workbook (.xlsx) and upload that.")
    if "xl/workbook.xml" not in names:
        raise UnreadableFile("corrupt", f"{what} is a zip file but not an Excel workbook (it has no "
                                        "xl/workbook.xml). Export the record again as .xlsx and upload that.")
    extent.check(archive, options, what)
    book = open_workbook(upload.data, what)
    media_type = MEDIA_TYPES[1] if "xl/vbaproject.bin" in names else MEDIA_TYPES[0]
    tables, issues = read_sheets(book, options, what)
    return Extraction(format=FORMAT, media_type=media_type, tables=tables, issues=issues)


def open_workbook(data: bytes, what: str) -> CalamineWorkbook:
    """The workbook as calamine opens it (also for .ods and .xls); its failures as UnreadableFile."""
    try:
        with _quiet_panics():
            return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError as exc:
        raise UnreadableFile("encrypted", f"{what} is password-protected; remove the password "
                                          "(File > Info > Protect Workbook) and upload it again.") from exc
    except BaseException as exc:               # CalamineError, or a Rust panic (see _panicked)
        if not isinstance(exc, CalamineError) and not _panicked(exc):
            raise
        raise UnreadableFile("corrupt", f"{what} looks damaged and could not be opened ({exc}). "
                                        "Open it, save it again and upload the new file.") from exc


def read_sheets(book: CalamineWorkbook, options: ExtractOptions, what: str) -> tuple[tuple[Table, ...], list[Issue]]:
    """One Table per sheet that holds cells, in workbook order (also used for .ods and .xls).

    The rows are converted to Python values on each pass over them (`_SheetRows`); the issues list
    grows as rows that cannot be converted are met.
    """
    tables: list[Table] = []
    issues: list[Issue] = []
    total = 0
    for name in book.sheet_names:
        try:
            with _quiet_panics():
                sheet = book.get_sheet_by_name(name)
        except BaseException as exc:           # CalamineError, or a Rust panic (see _panicked)
            if not isinstance(exc, CalamineError) and not _panicked(exc):
                raise
            raise UnreadableFile("corrupt", f"{what}: sheet '{name}' looks damaged and could not be read ({exc}). "
                                            "Open the file, save it again and upload the new copy.") from exc
        if sheet.start is None:                # an empty sheet or a chart sheet
            continue
        if sheet.height * sheet.width > MAX_CELLS:
            raise _too_large(what, name, sheet.height, sheet.width)
        total += sheet.height
        if total > options.max_rows:
            raise _too_many_rows(what, options.max_rows)
        tables.append(Table(name=name, rows=_SheetRows(sheet, name, issues)))
    return tuple(tables), issues


class _SheetRows(RowSource):
    """A sheet's rows, each with its Excel row number, converted by calamine on each pass over them.

    calamine holds the sheet in Rust (~75 MB for 100,000 x 13 cells); converting a row costs little,
    so the Python values of the whole sheet (another ~90 MB) never exist at once.
    """

    def __init__(self, sheet: CalamineSheet, name: str, issues: list[Issue]) -> None:
        self._sheet, self._name, self._issues = sheet, name, issues
        self._start: tuple[int, int] = sheet.start or (0, 0)
        self._merges: dict[int, list[Merge]] = {}
        for merge in sheet.merged_cell_ranges or ():
            self._merges.setdefault(merge[0][0], []).append(merge)
        self._unreadable: set[int] = set()

    def __iter__(self) -> Iterator[Row]:
        name = self._name
        for number, cells in self._cells():
            yield Row(Location(sheet=name, row=number), _clean(cells))

    def distinct(self, keys: Sequence[int], skip: int) -> set[CellValue]:
        """The pass of the date-order proof: only the cells at `keys` are cleaned, and no Row is made."""
        found: set[CellValue] = set()
        for _, cells in islice(self._cells(), skip, None):
            found.update(_clean_cell(cells[k]) for k in keys if k < len(cells))
        return found

    def _cells(self) -> Iterator[tuple[int, list[CellValue]]]:
        """(Excel row number, the row's cells as converted, merged values spread), from the sheet's first row."""
        first, height = self._start[0], self._sheet.height
        rows: Iterator[list[CellValue]] = self._sheet.iter_rows()  # type: ignore[assignment]  # CellValue-typed
        # (from the sheet's first row, and from its first used column)
        numbers = iter(range(1, first + height + 1))
        while chunk := self._converted(rows, list(islice(numbers, _CHUNK_ROWS))):
            for number, cells in chunk:
                if number > first:
                    merges = self._merges.get(number - 1)
                    if merges:
                        _spread_merged(cells, merges, self._start[1])
                    yield number, cells

    def _converted(self, rows: Iterator[list[CellValue]], numbers: Sequence[int]) -> list[tuple[int, list[CellValue]]]:
        """The next rows as calamine converts them, a chunk at a time with its panics kept off stderr."""
        out: list[tuple[int, list[CellValue]]] = []
        with _quiet_panics():
            for number in numbers:
                try:
                    cells: list[CellValue] = next(rows)
                except StopIteration:
                    break
                except BaseException as exc:      # see _out_of_range
                    if not _out_of_range(exc):
                        raise
                    cells = []
                    self._unreadable_row(number, exc)
                out.append((number, cells))
        return out

    def _unreadable_row(self, number: int, exc: BaseException) -> None:
        if number not in self._unreadable:    # once, however many passes meet it
            self._unreadable.add(number)
            self._issues.append(Issue(
                "unreadable_row", f"Sheet '{self._name}', row {number}: a date or duration is far outside the "
                                  f"calendar ({exc}); the row was left out. Correct the date or time in that row "
                                  "and upload the file again.", Location(sheet=self._name, row=number)))


_CHUNK_ROWS = 512          # rows converted per spell of stderr led aside
_PANIC_START = re.compile(rb"^thread '[^\n]*panicked at ")
_quiet_lock = threading.Lock()
_quiet_depth = 0
_quiet_saved = -1
_quiet_spool: IO[bytes] | None = None


@contextmanager
def _quiet_panics() -> Iterator[None]:
    """File descriptor 2 led into a spool for the time of the block (nested and threaded calls share one),
    then restored; what was written there, less Rust panic reports, is written to the real stderr."""
    global _quiet_depth, _quiet_saved, _quiet_spool
    with _quiet_lock:
        if _quiet_depth == 0:
            sys.stderr.flush()
            spool = tempfile.TemporaryFile()
            _quiet_saved = os.dup(2)
            os.dup2(spool.fileno(), 2)
            _quiet_spool = spool
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0 and _quiet_spool is not None:
                sys.stderr.flush()
                os.dup2(_quiet_saved, 2)
                os.close(_quiet_saved)
                _quiet_spool.seek(0)
                rest = _without_panics(_quiet_spool.read())
                _quiet_spool.close()
                _quiet_spool = None
                if rest:
                    os.write(2, rest)


def _without_panics(text: bytes) -> bytes:
    """stderr output less Rust panic reports: from "thread '...' panicked at" to the "note: ..." line that
    ends the report (or to the end)."""
    kept: list[bytes] = []
    inside = False
    for line in text.splitlines(keepends=True):
        if _PANIC_START.match(line):
            while kept and not kept[-1].strip():     # the blank line pyo3 writes before a report
                kept.pop()
            inside = True
        elif inside and line.startswith(b"note: "):
            inside = False
            continue
        if not inside:
            kept.append(line)
    return b"".join(kept)


def _panicked(exc: BaseException) -> bool:
    """A Rust panic inside calamine reaches Python as pyo3's PanicException, which derives from
    BaseException (not Exception) and cannot be imported by name."""
    return type(exc).__name__ == "PanicException"


def _out_of_range(exc: BaseException) -> bool:
    """calamine turns date-formatted cells into Python values in Rust: an absurd number there (-1e308 in
    an hh:mm cell, 1e12 days in [h]:mm) raises OverflowError or panics."""
    return isinstance(exc, (OverflowError, ValueError)) or _panicked(exc)


def _clean(cells: list[CellValue]) -> tuple[CellValue, ...]:
    return tuple([(c.replace("\x00", "") if "\x00" in c else c).strip() if type(c) is str else c for c in cells])


def _clean_cell(cell: CellValue) -> CellValue:
    return (cell.replace("\x00", "") if "\x00" in cell else cell).strip() if type(cell) is str else cell


def _spread_merged(row: list[CellValue], merges: Sequence[Merge], first_column: int) -> None:
    """Copy a merged cell's value into the columns it spans, when its row holds other values too."""
    for (_, left), (_, right) in merges:
        j, k = left - first_column, right - first_column
        if k <= j or not 0 <= j < len(row):
            continue
        value = row[j]
        if value == "" or (all(v == "" for v in row[:j]) and all(v == "" for v in row[k + 1:])):
            continue
        row[j + 1:k + 1] = [value] * (min(k, len(row) - 1) - j)


class _SheetExtent:
    """How many rows and columns each sheet part spans, read from its XML as check_zip inflates it.

    Each piece is cut after its last "<" (XML allows no "<" inside a tag) and the rest carried to
    the next, so no tag is split between two scans.
    """

    def __init__(self) -> None:
        self.height: dict[str, int] = {}
        self.width: dict[str, int] = {}
        self._part = ""
        self._carry = b""

    def __call__(self, name: str, piece: bytes) -> None:
        if not _SHEET_PART.fullmatch(name.casefold()):
            return
        if name != self._part:
            self._part, self._carry = name, b""
            self.height[name], self.width[name] = 0, 26
        cut = piece.rfind(b"<")
        window, self._carry = self._carry + piece[:max(cut, 0)], piece[max(cut, 0):]
        if cut < 0:
            window, self._carry = b"", self._carry + window
        rows = _ROW_NUMBERS.findall(window)
        if rows:
            self.height[name] = max(self.height[name], *map(int, rows))
        cells = set(_WIDE_CELLS.findall(window))
        if cells:
            self.width[name] = max(self.width[name], *(_column_number(letters) for letters, _ in cells))
            self.height[name] = max(self.height[name], *(int(number) for _, number in cells))

    def check(self, archive: zipfile.ZipFile, options: ExtractOptions, what: str) -> None:
        """Refuse a sheet whose grid would be too big, before calamine allocates it.

        The quick estimate counts every row and cell element; writers also emit empty ones to the sheet's
        edge (formatted rows, whole formatted columns, a dimension of A1:XFD1048576) that calamine skips.
        Only when the estimate is over a bound are the cells that hold a value counted, as calamine does.
        """
        for name, height in self.height.items():
            width = self.width[name]
            if height == 0:      # a writer that leaves out row numbers: find them in the cell references
                numbers = _ALL_CELLS.findall(archive.read(name))
                height = max(map(int, numbers), default=0)
            if height * width > MAX_CELLS or height > options.max_rows:
                height, width = _held_extent(archive.read(name))
            if height * width > MAX_CELLS:       # first: its message points at stray far cells
                raise _too_large(what, name, height, width)
            if height > options.max_rows:
                raise _too_many_rows(what, options.max_rows)


def _held_extent(xml: bytes) -> tuple[int, int]:
    """The last row and column of the cells that hold a value (a <v> with text, an inline string), as
    calamine builds its grid: empty and formatted-only cells do not count."""
    height = width = 0
    for match in _HELD_CELL.finditer(xml):
        height = max(height, int(match[2]))
        width = max(width, _column_number(match[1]))
    return height, width


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _too_large(what: str, where: str, height: int, width: int) -> UnreadableFile:
    return UnreadableFile("too_large", f"{what}: '{where}' spans {height:,} rows by {width:,} columns, more than "
                                       f"the {MAX_CELLS:,} cells we read. Delete stray cells far below or to the "
                                       "right of the table (or split the sheet), save and upload it again.")


def _too_many_rows(what: str, limit: int) -> UnreadableFile:
    return UnreadableFile("too_many_rows", f"{what} has more than {limit:,} rows, more than we read from one "
                                           "file. Split it into smaller files and upload each.")
