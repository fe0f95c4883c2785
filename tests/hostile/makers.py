"""Hostile files, made in a few seconds: each is bytes from a small function, named for its test id.

`HOSTILE` maps a file name to (maker, expected error code or None where the file must be read without
error). Valid files to cut or wrap come from samples/; everything else is written here by hand: zip
archives member by member (so sizes can lie and a bomb costs no compression time), PDFs object by
object (3,000 pages in a few milliseconds), XML with DTDs, deep JSON, a 200,000-row CSV.
"""
from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
EXTENSIONS = (".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods", ".html", ".pdf", ".docx", ".docm", ".doc",
              ".json", ".jsonl", ".txt")
MIB = 1 << 20


def sample(path: str) -> bytes:
    return (SAMPLES / path).read_bytes()


def random_bytes(size: int, seed: int) -> bytes:
    """Seeded noise that starts with a NUL, so no text format can claim it."""
    return b"\x00" + random.Random(seed).randbytes(size - 1)


# --- zip archives, member by member ---------------------------------------------------------------

class Member:
    """One zip member as stored: `body` already compressed (method 8) or stored (method 0).
    `size` and `crc` are what the headers declare, true unless a test sets them to lie."""

    def __init__(self, name: str, data: bytes = b"", *, body: bytes | None = None, size: int | None = None,
                 crc: int | None = None, method: int = zipfile.ZIP_DEFLATED) -> None:
        self.name, self.method = name.encode(), method
        if body is None:
            body = _deflate(data) if method == zipfile.ZIP_DEFLATED else data
        self.body = body
        self.size = len(data) if size is None else size
        self.crc = zlib.crc32(data) if crc is None else crc


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def zip_bytes(members: list[Member]) -> bytes:
    out, directory = io.BytesIO(), io.BytesIO()
    for m in members:
        offset = out.tell()
        sizes = (m.crc, len(m.body), m.size)
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, m.method, 0, 0, *sizes, len(m.name), 0))
        out.write(m.name + m.body)
        directory.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, m.method, 0, 0, *sizes,
                                    len(m.name), 0, 0, 0, 0, 0, offset))
        directory.write(m.name)
    start, length = out.tell(), directory.tell()
    out.write(directory.getvalue())
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), length, start, 0))
    return out.getvalue()


def members_of(data: bytes) -> list[Member]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [Member(info.filename, archive.read(info), method=info.compress_type) for info in archive.infolist()]


def with_part(base: bytes, name: str, member: Member) -> bytes:
    """`base` with the member called `name` replaced by `member` (or added)."""
    kept = [m for m in members_of(base) if m.name != name.encode()]
    return zip_bytes(kept + [member])


def deflate_bomb(inflated: int, raw: bool = True, unit: bytes = b" ") -> bytes:
    """A deflate stream (zlib-wrapped unless `raw`) of `inflated` bytes of `unit` repeated, about 1 KB per
    MiB: one compressed MiB repeated (a full flush resets the compressor, so every repeat is the same
    bytes). A zlib stream's check value covers only the first two MiB: it is wrong, as in a bomb."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    chunk = unit * (MIB // len(unit))
    first = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    return first + again * (inflated // MIB - 1) + packer.flush()


XLSX = "xlsx/cornerstone-title-block.xlsx"
DOCX = "docx/cpd-log-details-two-tables-merged-note.docx"
ODS = "ods/libreoffice-cpd-log.ods"
SHEET = "xl/worksheets/sheet1.xml"
DOCUMENT = "word/document.xml"

BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10)) + b"]>\n")
XXE = b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
XXE_UTF16 = XXE.replace(b'?xml version="1.0"', b'?xml version="1.0" encoding="UTF-16"')


def _in_part(path: str, part: str, content: bytes) -> bytes:
    """The sample at `path` with its part `part` replaced by `content`."""
    return with_part(sample(path), part, Member(part, content))


def _sheet_with(prolog: bytes, reference: bytes) -> bytes:
    return (prolog + b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>Course</t></is></c><c r="B1" t="inlineStr"><is><t>'
            + reference + b"</t></is></c></row></sheetData></worksheet>")


def _document_with(prolog: bytes, reference: bytes) -> bytes:
    return (prolog + b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            b"<w:p><w:r><w:t>" + reference + b"</w:t></w:r></w:p></w:body></w:document>")


def _part_renamed(base: bytes, old: str, new: str, content: bytes) -> bytes:
    """The main part moved to a name without .xml, with [Content_Types].xml and the relationship following."""
    out = []
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == old:
                data, info.filename = content, new
            elif info.filename.endswith(".rels") or info.filename == "[Content_Types].xml":
                data = data.replace(old.rsplit("/", 1)[1].encode(), new.rsplit("/", 1)[1].encode())
            out.append(Member(info.filename, data))
    return zip_bytes(out)


def _many_members(base: bytes, count: int) -> bytes:
    extra = [Member(f"customXml/item{i}.bin", b"", method=zipfile.ZIP_STORED) for i in range(count)]
    return zip_bytes(members_of(base) + extra)


def _declared_small(base: bytes, part: str) -> bytes:
    """A part whose headers declare 1 KB but whose deflate stream runs on to 64 MiB: Python's zipfile
    stops at the declared size, a Rust or C reader may not."""
    body = deflate_bomb(64 * MIB)
    return with_part(base, part, Member(part, body=body, size=1024, crc=0))


def _declared_huge(base: bytes, part: str) -> bytes:
    """A part declaring 600 MiB from 8 MiB (a ratio of 75, under the bomb ratio): over the inflate budget."""
    return with_part(base, part, Member(part, body=random.Random(7).randbytes(8 * MIB), size=600 * MIB, crc=0))


def _ratio(base: bytes, part: str) -> bytes:
    """A part that truly inflates to 300 MiB of spaces from about 300 KB."""
    return with_part(base, part, Member(part, body=deflate_bomb(300 * MIB), size=300 * MIB, crc=0))


# --- PDFs, object by object --------------------------------------------------------------------------

def pdf_bytes(objects: list[bytes]) -> bytes:
    """Objects 1..n (object 1 the catalog) with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def pdf_pages(contents: list[bytes], *, shared: bool = False) -> bytes:
    """One page per content stream (or every page the first stream, `shared`), Helvetica as F1."""
    pages = len(contents)
    first_page = 4
    first_content = first_page + pages
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, b" ".join(b"%d 0 R" % (first_page + i)
                                                                              for i in range(pages))),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i in range(pages):
        content = first_content if shared else first_content + i
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % content)
    objects.extend(_stream(c) for c in (contents[:1] if shared else contents))
    return pdf_bytes(objects)


def _text(line: str) -> bytes:
    return b"BT /F1 10 Tf 20 100 Td (%s) Tj ET" % line.encode("latin-1")


def _flate_page_pdf(content: bytes) -> bytes:
    return pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
                      b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream"])


def _flate_bomb_pdf() -> bytes:
    """A page whose content stream inflates to 600 MiB of spaces (from about 600 KB)."""
    return _flate_page_pdf(deflate_bomb(600 * MIB, raw=False))


def _endless_page_pdf() -> bytes:
    """One page of 64 MiB of "q Q" (save and restore the graphics state) from 64 KB: nothing to show, and
    more operators than a reader gets through in the time a file has."""
    return _flate_page_pdf(deflate_bomb(64 * MIB, raw=False, unit=b"q Q\n"))


def _self_drawing_pdf() -> bytes:
    """A form XObject that draws itself: a reader that follows it without a limit never ends."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Count 1 /Kids [4 0 R] >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources 6 0 R /Contents 5 0 R >>",
               _stream(_text("start") + b" /X0 Do"),
               b"<< /Font << /F1 3 0 R >> /XObject << /X0 7 0 R >> >>",
               _stream(_text("again") + b" /X0 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 200 200] "
                                                    b"/Resources 6 0 R ")]
    return pdf_bytes(objects)


def _graphics_only_pdf() -> bytes:
    return pdf_pages([b"0 0 1 rg 10 10 180 180 re f"] * 3)


# --- text formats --------------------------------------------------------------------------------------

CSV_HEADER = "Course title,Provider,Completion date,Hours\n"


def big_csv(rows: int) -> bytes:
    topics = ("Trust registration update", "Anti-money laundering refresher", "Ethics in practice",
              "Inheritance tax on gifts", "Data protection essentials")
    lines = [CSV_HEADER] + [f"{topics[i % 5]}: part {i % 40},Fernhill Academy,{1 + i % 28:02d}/{1 + i % 12:02d}/2025,"
                            "1.5\n" for i in range(rows)]
    return "".join(lines).encode()


def _invalid_utf8_csv() -> bytes:
    text = CSV_HEADER + "Ethics in practice,Fernhill Academy,12/03/2025,2\nTrusts \xa3 gifts,Larkspur,14/03/2025,1\n"
    return text.encode("utf-8").replace(b"\xc2\xa3", b"\xa3\xff")        # a lone 0xA3 and 0xFF: not UTF-8


def _open_quote_csv() -> bytes:
    return (CSV_HEADER + 'Ethics,"Fernhill' + " x" * 200_000 + ",12/03/2025,2\n").encode()


def _deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _deep_jsonl() -> bytes:
    return b'{"verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}}\n' + _deep_json(100_000) + b"\n"


def _huge_number_json() -> bytes:
    return b'[{"title": "Ethics in practice", "completed": "2025-03-12", "hours": ' + b"9" * 100_000 + b"}]"


def _html_with(prolog: bytes, reference: bytes) -> bytes:
    return (prolog + b"<html><body><table><tr><th>Course</th><th>Completed</th></tr><tr><td>" + reference
            + b"</td><td>12/03/2025</td></tr></table></body></html>")


def _colspan_bomb_html() -> bytes:
    row = b"<tr>" + b'<td colspan="1000">x</td>' * 1000 + b"</tr>\n"
    return b"<html><body><table>" + row * 60 + b"</table></body></html>"


def _deep_html() -> bytes:
    return b"<html><body>" + b"<div>" * 100_000 + b"Ethics" + b"</div>" * 100_000 + b"</body></html>"


def truncated(path: str, share: float = 0.4) -> Callable[[], bytes]:
    def make() -> bytes:
        data = sample(path)
        return data[:int(len(data) * share)]
    return make


def with_magic(magic: bytes, seed: int) -> Callable[[], bytes]:
    return lambda: magic + random_bytes(64 * 1024, seed)[1:]


Maker = Callable[[], bytes]

HOSTILE: dict[str, tuple[Maker, str | None]] = {}
for _n, _ext in enumerate(EXTENSIONS):
    HOSTILE[f"empty{_ext}"] = (lambda: b"", "empty_file")
    HOSTILE[f"random{_ext}"] = ((lambda seed: lambda: random_bytes(64 * 1024, seed))(_n), "unsupported_format")

HOSTILE.update({
    # the right first bytes, then noise
    "zip-magic-noise.xlsx": (with_magic(b"PK\x03\x04", 1), "corrupt"),
    "zip-magic-noise.docx": (with_magic(b"PK\x03\x04", 2), "corrupt"),
    "ole2-magic-noise.xls": (with_magic(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 3), "corrupt"),
    "ole2-magic-noise.doc": (with_magic(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 4), "corrupt"),
    "pdf-magic-noise.pdf": (with_magic(b"%PDF-1.7\n", 5), "corrupt"),
    # cut off part-way (an interrupted download)
    "truncated.xlsx": (truncated(XLSX), "corrupt"),
    "truncated.xlsm": (truncated("xlsx/macro-enabled.xlsm"), "corrupt"),
    "truncated.xls": (truncated("xls/moodle-report-biff8.xls"), "corrupt"),
    "truncated.ods": (truncated(ODS), "corrupt"),
    "truncated.docx": (truncated(DOCX), "corrupt"),
    "truncated.pdf": (truncated("pdf/ruled-statement-multipage.pdf"), "corrupt"),
    "truncated.json": (truncated("json/lms-enrolments-docebo-like.json"), "corrupt"),
    "truncated.jsonl": (truncated("json/xapi-statements.jsonl", 0.5), "corrupt"),
    "truncated.html": (truncated("html/totara-record-of-learning.xls", 0.6), None),
    "truncated.csv": (truncated("csv/linkedin-learning-plain.csv", 0.6), None),
    # zip bombs
    "bomb-ratio.xlsx": (lambda: _ratio(sample(XLSX), SHEET), "zip_bomb"),
    "bomb-ratio.docx": (lambda: _ratio(sample(DOCX), DOCUMENT), "zip_bomb"),
    "bomb-many-members.xlsx": (lambda: _many_members(sample(XLSX), 20_000), "zip_bomb"),
    "bomb-many-members.docx": (lambda: _many_members(sample(DOCX), 20_000), "zip_bomb"),
    "bomb-declared-small.xlsx": (lambda: _declared_small(sample(XLSX), SHEET), "zip_bomb"),
    "bomb-declared-small.docx": (lambda: _declared_small(sample(DOCX), DOCUMENT), "zip_bomb"),
    "bomb-huge-inflated.xlsx": (lambda: _declared_huge(sample(XLSX), SHEET), "too_large"),
    "bomb-huge-inflated.docx": (lambda: _declared_huge(sample(DOCX), DOCUMENT), "too_large"),
    "bomb-flate-stream.pdf": (_flate_bomb_pdf, "zip_bomb"),
    # entity expansion and external entities
    "billion-laughs.xlsx": (lambda: _in_part(XLSX, SHEET, _sheet_with(BILLION_LAUGHS, b"&lol9;")), "xml_entities"),
    "billion-laughs.docx": (lambda: _in_part(DOCX, DOCUMENT, _document_with(BILLION_LAUGHS, b"&lol9;")),
                            "xml_entities"),
    "billion-laughs.ods": (lambda: _in_part(ODS, "content.xml", BILLION_LAUGHS + b"<r/>"), "xml_entities"),
    "billion-laughs.html": (lambda: _html_with(BILLION_LAUGHS.replace(b"lolz", b"html"), b"&lol9;"), "xml_entities"),
    "xxe-passwd.xlsx": (lambda: _in_part(XLSX, SHEET, _sheet_with(XXE, b"&xxe;")), "xml_entities"),
    "xxe-passwd.docx": (lambda: _in_part(DOCX, DOCUMENT, _document_with(XXE, b"&xxe;")), "xml_entities"),
    "xxe-passwd.html": (lambda: _html_with(XXE.replace(b"DOCTYPE r", b"DOCTYPE html"), b"&xxe;"), "xml_entities"),
    "xxe-utf16-part.xlsx": (lambda: _in_part(XLSX, SHEET, _sheet_with(XXE_UTF16, b"&xxe;").decode().encode("utf-16")),
                            "xml_entities"),
    "xxe-part-not-named-xml.docx": (lambda: _part_renamed(sample(DOCX), DOCUMENT, "word/main.dat",
                                                          _document_with(XXE, b"&xxe;")), "xml_entities"),
    # password-protected (made by samples/make_*.py with msoffcrypto-tool and reportlab, which CI lacks); a
    # protected Office file is an OLE2 "EncryptedPackage" whatever it holds, so the workbook named .docx
    # is what a protected document looks like from outside
    "encrypted.xlsx": (lambda: sample("xlsx/encrypted.xlsx"), "encrypted"),
    "encrypted.docx": (lambda: sample("xlsx/encrypted.xlsx"), "encrypted"),
    "encrypted.pdf": (lambda: sample("pdf/encrypted.pdf"), "encrypted"),
    # PDFs over the limits
    "pages-3000.pdf": (lambda: pdf_pages([_text("CPD page")] * 3000, shared=True), "too_large"),
    "graphics-only.pdf": (_graphics_only_pdf, None),        # no text and no picture: empty, not an error
    "endless-page.pdf": (_endless_page_pdf, "timeout"),
    "self-drawing-form.pdf": (_self_drawing_pdf, None),
    # JSON
    "nested-100000-deep.json": (lambda: _deep_json(100_000), "too_deep"),
    "nested-100000-deep.jsonl": (_deep_jsonl, "too_deep"),
    "invalid-utf8.json": (lambda: b'[{"title": "Ethics \xff\xfe in practice"}]', "corrupt"),
    "huge-number.json": (_huge_number_json, "corrupt"),
    # CSV and HTML
    "invalid-utf8.csv": (_invalid_utf8_csv, None),
    "open-quote.csv": (_open_quote_csv, "corrupt"),
    "rows-200000.csv": (lambda: big_csv(200_000), None),
    "rows-600000.csv": (lambda: big_csv(600_000), "too_many_rows"),
    "colspan-bomb.html": (_colspan_bomb_html, "too_large"),
    "nested-100000-deep.html": (_deep_html, None),
})
