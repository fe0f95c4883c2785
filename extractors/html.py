"""HTML tables: report pages saved from an LMS, and Excel's "HTML saved as .xls" trick.

Totara/Moodle "Record of Learning", Docebo and many HR systems export "Excel" files that are HTML:
an <html xmlns:x="urn:schemas-microsoft-com:office:excel"> page with one <table>, a <thead> of
column names, <br> inside cells, entities (&amp; &#x27;), colspan and rowspan, and a <tfoot>
totals row; a heading and a "Learner: ... <br> Organisation: ..." paragraph above the table.

One Table per <table>, nested tables separately (the outer cell keeps only its own text), rows
in reading order (thead, body, tfoot). Cell text is what a browser shows: <br> and block elements
become spaces, runs of white space one space. A cell spanning several columns or rows repeats its
text in each, except a row that is one cell across the table (a note or totals line), which stays
one cell. <thead> rows set Table.header_rows. Text outside tables (<h1>-<h6>, <p>, <div>, bare
text) before a table becomes its context, one line per block or <br>; text after the last table
is the extraction's context.

lxml's HTML parser fetches nothing from the network and knows only HTML's own entities; a page that
declares its own (a DTD internal subset, "<!DOCTYPE html [<!ENTITY ...>]>": billion laughs, external
entities) is no report and is refused before parsing. Spans repeat a cell's text, so a few bytes
(colspan="1000") make a thousand cells: the cells of all tables together are bounded (MAX_CELLS).

lxml.html is imported on first use, inside `extract`: a process that only reads CSV or spreadsheets
never loads it.
"""
from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

from .errors import UnreadableFile
from .model import Extraction, ExtractOptions, Location, Row, Table, Upload

if TYPE_CHECKING:
    import lxml.html

__all__ = ["FORMAT", "MEDIA_TYPES", "SUFFIXES", "sniff", "extract"]

FORMAT = "html"
MEDIA_TYPES = ("text/html",)
SUFFIXES = (".html", ".htm", ".xls")
MAX_COLSPAN = 1_000                  # the limits HTML itself sets
MAX_ROWSPAN = 65_534
MAX_CELLS = 2_000_000                # a 100,000-row, 13-column report is 1.3 million

_START = re.compile(r"(?:<\?xml[^>]*>\s*|<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|table|title|style)\b",
                    re.S)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DTD_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[", re.I)
_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "caption", "address", "blockquote", "pre")
_LINE, _BLOCK, _MARK = "\u2028", "\u2029", "\ue000"    # <br>, block edges, a removed table (private use)
# Control characters a browser does not show (and lxml refuses in text we set).
_UNSHOWN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPACES = re.compile(rf"(?:\s|{_MARK}\d+{_MARK})+")
_LINES = re.compile(f"[{_LINE}{_BLOCK}]")


def sniff(head: bytes, filename: str) -> bool:
    """Markup that opens as an HTML page or table (BOM and leading space allowed)."""
    text = _head_text(head).lstrip().lower()
    if _START.match(text):
        return True
    return 'xmlns:x="urn:schemas-microsoft-com:office:excel"' in text and "<html" in text


def extract(upload: Upload, options: ExtractOptions) -> Extraction:
    import lxml.html  # imported on first use (see the module docstring)
    from lxml import etree

    what = f"'{upload.filename}'"
    if upload.size > options.max_bytes:
        raise UnreadableFile("too_large", f"{what} is {upload.size:,} bytes, more than the {options.max_bytes:,} "
                                          "we read. Split it into smaller files.")
    text = _UNSHOWN.sub("", _XML_DECLARATION.sub("", _decode(upload.data))).replace(_MARK, "")
    if not text.strip():
        return Extraction(format=FORMAT, media_type=MEDIA_TYPES[0])
    if _DTD_SUBSET.search(text):
        raise UnreadableFile("xml_entities", f"{what} declares its own entities (a <!DOCTYPE ... [ ... ]> block), "
                                             "which report pages never do and which can hide entity attacks; it was "
                                             "not read. Export the report again from its system and upload that.")
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise UnreadableFile("corrupt", f"{what} could not be read as HTML ({exc}). Export the report again "
                                        "(as .xlsx or .csv if offered) and upload that.") from exc
    for element in root.iter("script", "style", "noscript", "template"):
        for node in element.iter():            # emptied, not dropped: lxml's drop_tree re-joins text
            node.text = None
            if node is not element:
                node.tail = None
    _mark_breaks(root)
    found = _tables(root, options, what)
    bodies = root.findall(".//body")
    pieces = "".join((bodies[0] if bodies else root).itertext()).split(_MARK)
    contexts = {int(number): _lines(before) for before, number in zip(pieces[0::2], pieces[1::2])}
    tables = tuple(Table(t.name, t.rows, contexts.get(number, ()), t.header_rows) for number, t in found)
    return Extraction(format=FORMAT, media_type=MEDIA_TYPES[0], tables=tables, context=_lines(pieces[-1]))


def _tables(root: lxml.html.HtmlElement, options: ExtractOptions, what: str) -> list[tuple[int, Table]]:
    """Every table, innermost first replaced by a marker, so an outer cell keeps only its own text."""
    from lxml import etree  # loaded already by extract, which parsed `root`

    found = list(root.iter("table"))
    tables: list[tuple[int, Table]] = []
    total = cells = 0
    for number in range(len(found), 0, -1):
        table = found[number - 1]
        caption, header, rows = _sections(table)
        grid = _grid(header + rows, MAX_CELLS - cells, what)
        total += len(grid)
        cells += sum(map(len, grid))
        if total > options.max_rows:
            raise UnreadableFile("too_many_rows", f"{what} has more than {options.max_rows:,} table rows, more "
                                                  "than we read from one file. Split it and upload each part.")
        if grid:
            located = tuple(Row(Location(table=number, row=i), tuple(cells)) for i, cells in enumerate(grid, 1))
            tables.append((number, Table(caption or f"Table {number}", located, header_rows=len(header) or None)))
        marker = etree.Element("span")
        marker.text, marker.tail = f"{_MARK}{number}{_MARK}", _shown(table.tail)
        parent = table.getparent()
        if parent is not None:
            parent.replace(table, marker)
    return tables[::-1]


def _sections(table: lxml.html.HtmlElement) -> tuple[str, list[lxml.html.HtmlElement], list[lxml.html.HtmlElement]]:
    """Caption, header rows (<thead>), and the other rows in reading order (body, then <tfoot>)."""
    caption = ""
    header: list[lxml.html.HtmlElement] = []
    body: list[lxml.html.HtmlElement] = []
    footer: list[lxml.html.HtmlElement] = []
    for child in table:
        if child.tag == "caption":
            caption = _cell_text(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows = [tr for tr in child if tr.tag == "tr"]
            {"thead": header, "tbody": body, "tfoot": footer}[child.tag].extend(rows)
        elif child.tag == "tr":
            body.append(child)
    return caption, header, body + footer


def _grid(rows: list[lxml.html.HtmlElement], limit: int, what: str) -> list[list[str]]:
    """Cell texts, spans repeated; `carried` holds rowspans from above: column -> (rows left, text)."""
    grid: list[list[str]] = []
    carried: dict[int, tuple[int, str]] = {}
    for tr in rows:
        cells = [cell for cell in tr if cell.tag in ("td", "th")]
        alone = len(cells) == 1 and not carried          # one cell across the table: keep it one cell
        out: list[str] = []
        for cell in cells:
            while len(out) in carried:
                out.append(_take(carried, len(out)))
            text = _cell_text(cell)
            down = _span(cell, "rowspan", MAX_ROWSPAN)
            for _ in range(1 if alone else _span(cell, "colspan", MAX_COLSPAN)):
                if down > 1:
                    carried[len(out)] = (down - 1, text)
                out.append(text)
        for column in sorted(c for c in carried if c >= len(out)):
            out.extend([""] * (column - len(out)))
            out.append(_take(carried, column))
        grid.append(out)
        limit -= len(out)
        if limit < 0:
            raise UnreadableFile("too_large", f"{what} has tables of more than {MAX_CELLS:,} cells (a cell counts once "
                                              "for each column it spans), more than we read from one file. Split it "
                                              "and upload each part.")
    return grid


def _take(carried: dict[int, tuple[int, str]], column: int) -> str:
    left, text = carried.pop(column)
    if left > 1:
        carried[column] = (left - 1, text)
    return text


def _span(cell: lxml.html.HtmlElement, name: str, limit: int) -> int:
    digits = re.match(r"\s*(\d+)", cell.get(name) or "")
    return min(max(int(digits.group(1)), 1), limit) if digits else 1


def _cell_text(cell: lxml.html.HtmlElement) -> str:
    return _SPACES.sub(" ", _shown("".join(cell.itertext()))).strip()


def _mark_breaks(root: lxml.html.HtmlElement) -> None:
    """Put a line mark after each <br> and a block mark around each block, for cells and context."""
    for br in root.iter("br"):
        br.tail = _LINE + _shown(br.tail)
    for block in root.iter(*_BLOCKS):
        block.text = _BLOCK + _shown(block.text)
        block.tail = _BLOCK + _shown(block.tail)


def _shown(text: str | None) -> str:
    """Text without what a browser does not show (entities like &#1; put control characters back)."""
    return _UNSHOWN.sub("", text) if text else ""


def _lines(text: str) -> tuple[str, ...]:
    lines = (_SPACES.sub(" ", _shown(line)).strip() for line in _LINES.split(text))
    return tuple(line for line in lines if line)


def _decode(data: bytes) -> str:
    """BOM first, then the page's own <meta charset>, then UTF-8, then Windows-1252."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    declared = _CHARSET.search(data[:4096])
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def _head_text(head: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):2048].decode(encoding, errors="ignore")
    return head[:2048].decode("latin-1")
