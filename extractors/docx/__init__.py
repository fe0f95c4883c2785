"""Word documents (.docx): CPD records kept as tables, as labelled paragraphs, or as a certificate.

What members upload: a body's or a firm's CPD record template (a details table, then one activity
table per year, columns in any order, merged note rows), records written as repeated labelled
paragraphs ("Activity: / Date: / Hours: / Reflection:", or a form's questions each followed by its answer),
bodies' forms giving one label/value table per activity, and certificates of attendance laid out as
centred paragraphs. Every table is yielded (the mappers decide which hold activities); repeated
labelled blocks become records; a document with neither yields its text as one `TextBlock`, which
the mappers may read as a certificate.

Refused on purpose: macro-enabled documents (.docm, UnsupportedFormat: save as .docx), any XML part
with a DTD (ECMA-376 forbids DTDs, and python-docx would quietly hand back an XXE document's text),
zip bombs. Legacy binary .doc and password-protected .docx are OLE2 files, sniffed by `xls`.

python-docx (and lxml with it) is imported on first use, inside `extract`: a process that only reads
CSV or spreadsheets never loads it.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import UnreadableFile, UnsupportedFormat
from ..model import Extraction, ExtractOptions, Issue, LineStyle, Location, Row, Table, TextBlock, Upload
from ..zipcheck import check_zip
from . import _blocks
from ._body import Grid, Para, paragraph_elements, paragraph_text, walk
from ._looks import Flow, Look, Looks, anchor_of, box_paragraphs

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from lxml import etree

__all__ = ["FORMAT", "MEDIA_TYPES", "SUFFIXES", "sniff", "extract"]

FORMAT = "docx"
MEDIA_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)
SUFFIXES = (".docx",)
MAX_CONTEXT_LINES = 40
MIN_FORM_ROWS = 2    # label/value rows that make a table a form's answers (see _pairs_down)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SAVE_AS = "Open it in Word and save it as a .docx file (File > Save As > Word Document), then upload that file."


def sniff(head: bytes, filename: str) -> bool:
    """A zip with word/ parts (a workbook has xl/, an ODF file a mimetype).

    Word writes [Content_Types].xml and word/document.xml first; other tools may put a thumbnail or
    custom XML first, so when no word/ name is in the head, the content types (if there) decide, and
    without them the name (so a damaged .docx is told it is damaged, not that it is of no known format).
    """
    if not head.startswith(b"PK\x03\x04"):
        return False
    members = _members(head)
    if any(name.startswith(b"xl/") for name, _, _ in members):
        return False
    if any(name.startswith(b"word/") for name, _, _ in members):
        return True
    types = next(((method, body) for name, method, body in members if name == b"[Content_Types].xml"), None)
    if types is not None:
        return b"wordprocessingml.document" in _inflate_head(*types)
    named = filename.casefold().endswith((".docx", ".docm"))
    return named and not any(name.startswith(b"ppt/") for name, _, _ in members)


def _members(head: bytes) -> list[tuple[bytes, int, bytes]]:
    """(name, compression method, compressed bytes within the head) of each local header in the head."""
    found = []
    at = 0
    while 0 <= at <= len(head) - 30:
        method = int.from_bytes(head[at + 8:at + 10], "little")
        size = int.from_bytes(head[at + 18:at + 22], "little")
        name_len = int.from_bytes(head[at + 26:at + 28], "little")
        extra_len = int.from_bytes(head[at + 28:at + 30], "little")
        start = at + 30 + name_len + extra_len
        found.append((head[at + 30:at + 30 + name_len], method, head[start:start + size]))
        at = head.find(b"PK\x03\x04", at + 30 + name_len)
    return found


def _inflate_head(method: int, body: bytes) -> bytes:
    if method == zipfile.ZIP_STORED:
        return body
    try:
        return zlib.decompressobj(-zlib.MAX_WBITS).decompress(body, 1 << 16)
    except zlib.error:
        return b""


def extract(upload: Upload, options: ExtractOptions) -> Extraction:
    import docx as python_docx  # imported on first use (see the module docstring)
    from docx.opc.exceptions import OpcError
    from lxml import etree

    # Member count, inflated size, ratio and DTDs (ECMA-376 forbids them; python-docx would quietly
    # hand back an XXE document's text) are checked before python-docx parses any part.
    with check_zip(upload.data, options, f"'{upload.filename}'") as archive:
        _refuse_macros_and_templates(archive, upload.filename)
    try:
        document = python_docx.Document(io.BytesIO(upload.data))
        styles = {s.style_id: s.name or s.style_id for s in document.styles}
    except (OpcError, KeyError, ValueError, zipfile.BadZipFile, etree.LxmlError) as exc:
        raise UnreadableFile("corrupt", f"'{upload.filename}' could not be opened as a Word document ({exc}). "
                                        "Open it in Word, save it again as .docx and upload that.") from exc
    body = document.element.body      # None for a document without <w:body>: nothing to read
    items = list(walk(body, styles)) if body is not None else []
    _check_rows(items, options, upload.filename)
    header = _header_lines(document)
    blocks = _blocks.activity_blocks(items)
    records = [_blocks.to_record(b) for b in blocks]
    tables = _tables(items, header)
    layout = "paragraph_blocks" if records else "tables" if tables else None
    prose: list[TextBlock] = []
    if not records and not any(_holds_rows(t) for t in tables):
        prose = _prose(items, header, body, Looks(document.styles.element))
        if prose and not any(_pairs_down(t) for t in tables):
            tables, layout = [], "text"
    used = {b.paragraph for b in blocks}
    issues = []
    if not records and not tables and not prose:
        issues.append(Issue("no_activities_found", f"'{upload.filename}' holds no table, no labelled activity "
                            "paragraphs and no certificate, so no activities were read from it."))
    return Extraction(FORMAT, MEDIA_TYPES[0], layout, tuple(tables), tuple(records), tuple(prose),
                      tuple(_title_block(items, header, used)), tuple(issues))


def _refuse_macros_and_templates(archive: zipfile.ZipFile, filename: str) -> None:
    names = archive.namelist()
    try:
        types = archive.read("[Content_Types].xml")
    except KeyError as exc:
        raise UnreadableFile("corrupt", f"'{filename}' is a zip file without [Content_Types].xml, so not a "
                                        "Word document. " + _SAVE_AS) from exc
    if any(n.casefold().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in types:
        raise UnsupportedFormat(f"'{filename}' is a macro-enabled Word document (.docm), which we do not open. "
                                + _SAVE_AS)
    if b"wordprocessingml.template.main" in types:
        raise UnsupportedFormat(f"'{filename}' is a Word template (.dotx), not a document. " + _SAVE_AS)


def _check_rows(items: Sequence[Para | Grid], options: ExtractOptions, filename: str) -> None:
    rows = sum(len(i.rows) for i in items if isinstance(i, Grid))
    if rows > options.max_rows:
        raise UnreadableFile("too_many_rows", f"'{filename}' has {rows:,} table rows, more than the "
                                              f"{options.max_rows:,} we read from one file. Split the record into "
                                              "smaller documents.")


def _tables(items: Sequence[Para | Grid], header: list[str]) -> list[Table]:
    tables = []
    before: list[str] = list(header)
    for item in items:
        if isinstance(item, Grid):
            rows = tuple(Row(Location(table=item.number, row=n), cells)
                         for n, cells in item.rows if any(c.strip() for c in cells))
            if rows:
                tables.append(Table(f"Table {item.number}", rows, _capped(before)))
        before.extend(_blocks.context_lines(item))
    return tables


def _capped(lines: list[str]) -> tuple[str, ...]:
    if len(lines) <= MAX_CONTEXT_LINES:
        return tuple(lines)
    half = MAX_CONTEXT_LINES // 2
    return tuple(lines[:half] + lines[-half:])


def _holds_rows(table: Table) -> bool:
    """A table that could hold activities: some row with three or more filled, distinct cells."""
    return any(len({c for c in row.cells if isinstance(c, str) and c.strip()}) >= 3 for row in table.rows)


def _pairs_down(table: Table) -> bool:
    """A table of two-cell rows (labels down the left, values beside them): a form's answers, or a
    certificate laid out in a table. Both the table and the text are kept; the mappers tell which."""
    pairs = sum(1 for row in table.rows if len({c for c in row.cells if isinstance(c, str) and c.strip()}) == 2)
    return pairs >= MIN_FORM_ROWS


def _title_block(items: Sequence[Para | Grid], header: list[str], used: set[int]) -> list[str]:
    """The page header and the text before the first table or activity block."""
    lines = list(header)
    for item in items:
        if isinstance(item, Grid) or item.index in used:
            break
        lines.extend(_blocks.split_line(item.text))
    return list(_capped(lines))


def _header_lines(document: WordDocument) -> list[str]:
    lines: list[str] = []
    for section in document.sections:
        if section.header.is_linked_to_previous:
            continue
        for p in section.header._element.iter(f"{{{_W}}}p"):
            lines.extend(_blocks.split_line(paragraph_text(p)))
    return list(dict.fromkeys(lines))


def _prose(items: Sequence[Para | Grid], header: list[str], body: etree._Element | None, looks: Looks) -> list[TextBlock]:
    """The document's text as one block (paragraphs, text boxes, a layout table), each line with its size,
    weight and place: it may be a certificate, which the mappers decide."""
    flow = Flow()
    plain = Look(looks.default_size, False, False)
    lines: list[str] = []
    styles: list[LineStyle] = []

    def add(texts: Sequence[str], look: Look, top: float | None = None, left: float | None = None,
            width: float | None = None) -> None:
        for n, text in enumerate(texts):
            lines.append(text)
            styles.append(flow.place(text, look, None if top is None else top + n * look.size * 1.3, left, width))

    add(header, Look(looks.default_size * 0.9, False, True))
    elements = paragraph_elements(body) if body is not None else []
    first: int | None = None
    for item in items:
        found = _blocks.context_lines(item)
        if found and first is None and isinstance(item, Para):
            first = item.index
        is_para = isinstance(item, Para) and 0 < item.index <= len(elements)
        add(found, looks.look(elements[item.index - 1]) if isinstance(item, Para) and is_para else plain)
    below: dict[int, float] = {}     # a text box's next line: its paragraphs stand one under another
    for box, p in box_paragraphs(body) if body is not None else ():
        top, left, width = anchor_of(box)
        look = looks.look(p)
        texts = [t.strip() for t in paragraph_text(p).split("\n") if t.strip()]
        if top is not None:
            top = below.get(id(box), top)
            below[id(box)] = top + len(texts) * look.size * 1.3
        add(texts, look, top, left, width)
    if not lines:
        return []
    return [TextBlock(Location(paragraph=first or 1), tuple(lines), tuple(styles))]
