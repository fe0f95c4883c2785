"""Value types shared by every extractor and read by the mappers.

An extractor turns an `Upload` into an `Extraction`: tables (rows of cells, each row with its
`Location`), labelled records (JSON formats, certificates) and `Issue`s. It knows its format and
nothing of the schema's meaning; the mappers decide which column is the title or the date.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import NamedTuple, Union

__all__ = [
    "neutral_name",
    "CellValue",
    "Upload",
    "ExtractOptions",
    "Location",
    "Row",
    "RowSource",
    "distinct_cells",
    "Table",
    "RawRecord",
    "LineStyle",
    "TextBlock",
    "Issue",
    "Extraction",
]

# What a cell may hold once read: spreadsheets give typed values (calamine and openpyxl turn
# date-formatted cells into dates and [h]:mm cells into timedeltas); text formats give str.
CellValue = Union[str, int, float, bool, dt.date, dt.datetime, dt.time, dt.timedelta, None]


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file: its bytes and what the uploader told us about it."""

    data: bytes
    filename: str
    sha256: str
    declared_media_type: str | None = None

    @classmethod
    def from_bytes(cls, data: bytes, filename: str, declared_media_type: str | None = None) -> Upload:
        return cls(data, filename, hashlib.sha256(data).hexdigest(), declared_media_type)

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    """Bounds and reading choices; built once from settings, never read from the environment here."""

    max_bytes: int = 50 * 1024 * 1024
    # A real bound within a file's memory (1 GiB): 500,000 rows become activities in about 7 s and 750 MB;
    # a million narrow rows (20 MB of CSV) would run out of memory first.
    max_rows: int = 500_000
    max_inflated_bytes: int = 500 * 1024 * 1024
    max_pages: int = 2_000
    # None: decide per column from the data (day-first unless proven otherwise); True / False: forced.
    dayfirst: bool | None = None


class Location(NamedTuple):
    """Where in the file a row, cell or block was found; `locator` renders the contract's string.

    A named tuple rather than a frozen dataclass like its neighbours: one is made for every row of every
    file, and a tuple is built three times faster (0.3 against 0.9 microseconds).
    """

    sheet: str | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    paragraph: int | None = None
    statement: int | None = None
    line: int | None = None
    pointer: str | None = None

    @property
    def locator(self) -> str:
        # Written out rather than looped over the fields: it runs once per row of every file.
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet={self.sheet}")
        if self.page is not None:
            parts.append(f"page={self.page}")
        if self.table is not None:
            parts.append(f"table={self.table}")
        if self.row is not None:
            parts.append(f"row={self.row}")
        if self.paragraph is not None:
            parts.append(f"paragraph={self.paragraph}")
        if self.statement is not None:
            parts.append(f"statement={self.statement}")
        if self.line is not None:
            parts.append(f"line={self.line}")
        if self.pointer is not None:
            parts.append(f"pointer={self.pointer}")
        return ";".join(parts)


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a table as found: cells left to right, and where the row is."""

    location: Location
    cells: tuple[CellValue, ...]


class RowSource(ABC):
    """A table's rows read from the file anew on each pass (see Table), never all held at once."""

    @abstractmethod
    def __iter__(self) -> Iterator[Row]:
        """Every row, from the first."""

    def distinct(self, keys: Sequence[int], skip: int) -> set[CellValue]:
        """See `distinct_cells`; a source may make the pass cheaper by not building rows."""
        return _distinct(self, keys, skip)


def distinct_cells(rows: Iterable[Row], keys: Sequence[int], skip: int) -> set[CellValue]:
    """The distinct values in the columns `keys` of the rows after the first `skip`: a pass where only a
    few columns matter (the mappers' date-order proof)."""
    return rows.distinct(keys, skip) if isinstance(rows, RowSource) else _distinct(rows, keys, skip)


def _distinct(rows: Iterable[Row], keys: Sequence[int], skip: int) -> set[CellValue]:
    found: set[CellValue] = set()
    for row in islice(rows, skip, None):
        cells = row.cells
        found.update(cells[k] for k in keys if k < len(cells))
    return found


@dataclass(frozen=True, slots=True)
class Table:
    """A grid of cells: a sheet, an HTML or PDF table, or a CSV file.

    `rows` can be iterated again and again, each time from the first row: a tuple where the extractor
    built the table in memory (PDF, Word, HTML), or an object that reads the rows from the file anew on
    each pass (CSV, spreadsheets), so a 100,000-row table is never held whole; the mappers take what
    they need in passes (the header, the date columns, then the rows in batches).
    `context` holds the text found around the table (a title block above it, an HTML paragraph,
    a document heading) in reading order; the mappers look there for the learner's name.
    `header_rows` is set when the format itself marks the header (HTML <thead>); otherwise the
    mappers find it.
    """

    name: str
    rows: Iterable[Row]
    context: tuple[str, ...] = ()
    header_rows: int | None = None


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One activity as a labelled record (JSON formats, certificates): label -> value as found."""

    location: Location
    fields: dict[str, CellValue]
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class LineStyle:
    """How one line of a TextBlock stands on its page, where the format says (PDF words, Word runs, OCR boxes).

    On a real certificate the title and the learner are the largest lines and labels stand in small capitals
    beside or above their values; the mappers weigh that evidence, never the extractor.
    """

    size: float          # text height in points (PDF font size, Word run size; OCR: the word boxes' height)
    bold: bool = False
    top: float = 0.0     # from the top of the page, points
    x0: float = 0.0
    x1: float = 0.0
    page_width: float = 0.0


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Running text that may record one activity (a certificate), as lines in reading order.

    Extractors only find it; the mappers decide whether it is a certificate and what it says.
    `styles`, when given, runs parallel to `lines` (one LineStyle per line); empty where the format
    has no layout (plain text).
    """

    location: Location
    lines: tuple[str, ...]
    styles: tuple[LineStyle, ...] = ()


@dataclass(frozen=True, slots=True)
class Issue:
    """Something a person should know about part of a file that was still read."""

    code: str
    message: str
    location: Location | None = None
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """What one extractor found in one file.

    `issues` may grow while rows read from the file are iterated (a spreadsheet row that cannot be
    converted); read it once the tables' rows are consumed.
    """

    format: str
    media_type: str
    layout: str | None = None
    tables: tuple[Table, ...] = ()
    records: tuple[RawRecord, ...] = ()
    prose: tuple[TextBlock, ...] = ()
    context: tuple[str, ...] = field(default=())
    issues: Sequence[Issue] = ()
    # True when some text was read from pixels (OCR): every activity then carries an `ocr` warning.
    ocr: bool = False

    def loaded(self) -> Extraction:
        """The same, every table's rows read into a tuple (so a problem met while reading them is raised or
        listed now): for small files, tests and tools, never for the pipeline."""
        tables = tuple(Table(t.name, tuple(t.rows), t.context, t.header_rows) for t in self.tables)
        return Extraction(self.format, self.media_type, self.layout, tables, self.records, self.prose,
                          self.context, tuple(self.issues), self.ocr)


# Characters that change how the text around them is shown: bidirectional embeddings, overrides and isolates
# ("record.csv\u202egpj.exe" shows as "record.csvexe.jpg"), and the marks that steer them.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def neutral_name(name: str) -> str:
    """A file name as it is kept and shown: control characters (line breaks, escapes, NUL) and direction
    overrides each replaced by U+FFFD, so a name shows what it is and never reorders or breaks a listing."""
    return "".join("\ufffd" if (ord(c) < 32 or 127 <= ord(c) < 160 or c in _BIDI) else c for c in name)
