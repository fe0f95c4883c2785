"""Open a zip-based upload (XLSX, XLSM, ODS, DOCX) only after proving it safe to unpack.

    check_zip(data, options, what, inspect=None) -> zipfile.ZipFile
        `what` names the file in messages, e.g. "'transcript.xlsx'". `inspect(name, piece)`, if given,
        is fed each member's inflated bytes in order, in pieces of at most 1 MiB, so a caller can
        scan parts without inflating them a second time.
        Raises UnreadableFile with code "corrupt", "encrypted", "zip_bomb", "too_large" or "xml_entities".

Why every member is inflated here once, and not only its declared size trusted: Python's zipfile
stops at the size the central directory declares, but other readers (python-calamine's Rust zip
crate) may inflate a deflate stream to its end. So each member is inflated with zlib, bounded by
its declared size (whose sum was checked against the budget), and must end exactly there, with the
CRC-32 it declares (zipfile checks it on every later read, and would raise its own error there).
That costs about 0.1 s for the 70 MB of XML in a 100,000-row workbook.

A DTD has no place in Office Open XML or OpenDocument (both forbid it); it is how external-entity
and entity-expansion attacks arrive, so any "<!DOCTYPE" in an XML part refuses the file. A part is
XML by its name (.xml, .rels, .vml) or by its first bytes ("<"): the package's content types, not
the name, tell python-docx which parts to parse, so a main document renamed "word/main.dat" is XML too
(and an SVG image with a DTD, which no Office program writes, is refused with the rest).
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

from .errors import UnreadableFile
from .model import ExtractOptions

__all__ = ["check_zip", "MAX_MEMBERS", "MAX_RATIO"]

MAX_MEMBERS = 10_000                 # real workbooks hold tens of parts, documents with images hundreds
MAX_RATIO = 100                      # XML deflates 10-30:1; deflate reaches ~1000:1 only on runs of one byte
RATIO_FLOOR = 1024 * 1024            # small parts may compress well; only the ratio of big ones counts
_CHUNK = 1 << 20
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_UTF8_NAME = 0x800
_UNSUPPORTED_FLAGS = 0x20 | 0x40     # patched data, strong encryption: zipfile refuses them on read
_DOCTYPES = tuple(mark.encode(enc) for mark in ("<!DOCTYPE", "<!doctype") for enc in ("ascii", "utf-16-le", "utf-16-be"))
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_XML_STARTS = (b"<", b"\xef\xbb\xbf<", b"\xff\xfe<", b"\xfe\xff\x00<", b"\x00<")   # UTF-8, -16 LE/BE


Inspect = Callable[[str, bytes], None]


def check_zip(data: bytes, options: ExtractOptions, what: str, inspect: Inspect | None = None) -> zipfile.ZipFile:
    """The archive, once its parts are proven to inflate within bounds and carry no DTD."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise UnreadableFile("corrupt", f"{what} looks cut off or damaged (it is not a complete zip archive). "
                                        "Download or export it again and upload the new file.") from exc
    _check_declared(infos, options, what)
    for info in infos:
        _inflate(data, info, what, inspect)
    return archive


def _check_declared(infos: list[zipfile.ZipInfo], options: ExtractOptions, what: str) -> None:
    if len(infos) > MAX_MEMBERS:
        raise UnreadableFile("zip_bomb", f"{what} holds {len(infos):,} parts, more than any real document "
                                         f"({MAX_MEMBERS:,}); it was not opened.")
    if any(info.flag_bits & 0x1 for info in infos):
        raise UnreadableFile("encrypted", f"{what} has password-protected parts. Remove the password, "
                                          "save it again and upload it.")
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnreadableFile("zip_bomb", f"{what}: part '{info.filename}' would inflate to {info.file_size:,} bytes "
                                             f"from {info.compress_size:,} (a zip bomb); the file was not opened.")
    total = sum(info.file_size for info in infos)
    if total > options.max_inflated_bytes:
        raise UnreadableFile("too_large", f"{what} unpacks to {total:,} bytes, more than the "
                                          f"{options.max_inflated_bytes:,} we read. Split it into smaller files.")


def _inflate(data: bytes, info: zipfile.ZipInfo, what: str, inspect: Inspect | None) -> None:
    """Inflate one member without keeping it: it must end at its declared size and hold no DTD.

    The declared sizes were checked against the budget, so a member held to its own bounds the total.
    """
    body = _member_bytes(data, info, what)
    xml = info.filename.casefold().endswith(_XML_SUFFIXES)
    if info.compress_type == zipfile.ZIP_STORED:
        size, crc = len(body), zlib.crc32(body)
        doctype = (xml or _looks_xml(bytes(body[:64]))) and _has_doctype(bytes(body))
        if inspect is not None:
            inspect(info.filename, bytes(body))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        size, crc, doctype = _deflated_size(body, info, xml, what, inspect)
    else:
        raise UnreadableFile("corrupt", f"{what}: part '{info.filename}' uses a compression method we cannot read. "
                                        "Open it and save it again in its usual format, then upload that.")
    if size > info.file_size:
        raise UnreadableFile("zip_bomb", f"{what}: part '{info.filename}' inflates beyond the {info.file_size:,} bytes "
                                         "it declares (a zip bomb); the file was not opened.")
    if size != info.file_size or crc != info.CRC:
        raise UnreadableFile("corrupt", f"{what}: part '{info.filename}' is damaged (its size or checksum does not "
                                        "match). Download or export it again and upload the new file.")
    if doctype:
        raise UnreadableFile("xml_entities", f"{what}: part '{info.filename}' declares a DTD (<!DOCTYPE>), which "
                                             "spreadsheet and word processors never write and which can hide entity "
                                             "attacks; the file was not read. Save it again from its program.")


def _member_bytes(data: bytes, info: zipfile.ZipInfo, what: str) -> memoryview:
    start = info.header_offset
    header = data[start:start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise UnreadableFile("corrupt", f"{what}: part '{info.filename}' is missing or damaged. "
                                        "Download or export the file again and upload the new copy.")
    fields = _LOCAL_HEADER.unpack(header)
    name = _local_name(data[start + _LOCAL_HEADER.size:start + _LOCAL_HEADER.size + fields[9]], fields[2])
    if name != info.orig_filename or info.flag_bits & _UNSUPPORTED_FLAGS:     # zipfile refuses these on read
        raise UnreadableFile("corrupt", f"{what}: part '{info.filename}' is damaged (its headers disagree). "
                                        "Download or export the file again and upload the new copy.")
    begin = start + _LOCAL_HEADER.size + fields[9] + fields[10]
    if begin + info.compress_size > len(data):
        raise UnreadableFile("corrupt", f"{what} looks cut off part-way through '{info.filename}'. "
                                        "Download or export it again and upload the new file.")
    return memoryview(data)[begin:begin + info.compress_size]


def _local_name(raw: bytes, flags: int) -> str | None:
    try:
        return raw.decode("utf-8" if flags & _UTF8_NAME else "cp437")
    except UnicodeDecodeError:
        return None


def _deflated_size(body: memoryview, info: zipfile.ZipInfo, xml: bool, what: str,
                   inspect: Inspect | None) -> tuple[int, int, bool]:
    """Inflate in bounded steps, stopping once past the declared size: the size, the CRC-32 and whether a
    DTD was seen."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    name, size, crc, doctype, tail, first = info.filename, 0, 0, False, b"", True
    try:
        for offset in range(0, len(body), _CHUNK):
            pending: bytes | memoryview = body[offset:offset + _CHUNK]
            while pending:
                out = inflater.decompress(pending, _CHUNK)
                size += len(out)
                if size > info.file_size:
                    return size, crc, doctype
                crc = zlib.crc32(out, crc)
                if first and out:
                    xml, first = xml or _looks_xml(out[:64]), False
                if xml and not doctype:
                    doctype = _has_doctype(tail + out)
                    tail = out[-32:]
                if inspect is not None and out:
                    inspect(name, out)
                pending = inflater.unconsumed_tail
        out = inflater.flush()
        size += len(out)
        crc = zlib.crc32(out, crc)
        if inspect is not None and out and size <= info.file_size:
            inspect(name, out)
    except zlib.error as exc:
        raise UnreadableFile("corrupt", f"{what}: part '{name}' is damaged ({exc}). "
                                        "Download or export the file again and upload the new copy.") from exc
    if not inflater.eof:
        raise UnreadableFile("corrupt", f"{what} looks cut off part-way through '{name}'. "
                                        "Download or export it again and upload the new file.")
    return size, crc, doctype


def _looks_xml(head: bytes) -> bool:
    return head.lstrip(b" \t\r\n").startswith(_XML_STARTS)


def _has_doctype(window: bytes) -> bool:
    # "!" is rare in XML outside "<!" markup, and one memchr over it is nearly free.
    return b"!" in window and any(mark in window for mark in _DOCTYPES)
