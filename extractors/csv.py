"""CSV and TSV exports: one Table named "csv", every row with the physical line it starts on.

What LMS exports look like: UTF-8 with or without a byte order mark, UTF-16 "Unicode text" from
Excel (tab-separated), Windows-1252 from older Windows tools (£ is 0xA3, the en dash 0x96, the
curly apostrophe 0x92), Mac Roman from Excel for Mac; commas, semicolons (continental Excel, with
decimal commas: "1,5"), tabs or pipes; quoted fields with delimiters and line breaks inside; CRLF,
LF or bare CR line ends; sometimes Excel's "sep=;" hint on the first line.

We yield each record's fields as trimmed strings, NULs removed, blank lines as empty rows; decimal
commas and dates stay as written (the mapper reads them). The delimiter is chosen by which
candidate gives the most records with the same number of fields (quotes respected); csv.Sniffer
is not used, it guesses wrong on short files and decimal commas.
"""
from __future__ import annotations

import codecs
import csv as _csv
import io
import itertools
import operator
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from charset_normalizer import from_bytes

from .errors import UnreadableFile
from .model import CellValue, Extraction, ExtractOptions, Issue, Location, Row, RowSource, Table, Upload

if TYPE_CHECKING:
    from _csv import Reader as _Reader

__all__ = ["FORMAT", "MEDIA_TYPES", "SUFFIXES", "sniff", "extract", "encoding_of", "choose_delimiter"]

FORMAT = "csv"
MEDIA_TYPES = ("text/csv", "text/tab-separated-values")
SUFFIXES = (".csv", ".tsv", ".txt")
DELIMITERS = (",", ";", "\t", "|")
SNIFF_CHARS = 65_536
SNIFF_RECORDS = 50
_CHUNK_BYTES = 1 << 20

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_NAMES = {"cp1252": "Windows-1252", "mac_roman": "Mac Roman", "latin-1": "Latin-1"}
# Characters that Western European text uses outside ASCII; a wrong 8-bit code page shows others.
_PLAUSIBLE = set("£€–—‘’“”…•°«»½¼¾·©®™§×")
_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_UNLIKELY = set("ÐðÞþÕÒÓÔŽžŸšƒˆ˜‰‹›‡¸‚¯˘˙˚˝˛ˇ∂∑∏π∫ªºΩ√≈∆◊ı")


def sniff(head: bytes, filename: str) -> bool:
    """Text that is not markup or JSON, and reads as delimited records (or is named .csv/.tsv/.txt)."""
    text = _decode_head(head)
    if text is None:
        return False
    start = text.lstrip()[:1]
    if not start:
        return True                     # an empty file: no tables, not an error
    if start in "<{[" or text.startswith("%PDF"):
        return False
    lines = text[:SNIFF_CHARS]
    if len(head) >= 4096:               # the head was cut: drop its last, partial line
        lines = lines[:max(lines.rfind("\n"), lines.rfind("\r"), 0)]
    _, agree, fields = _score_delimiters(lines)
    return (agree >= 2 and fields >= 2) or filename.casefold().endswith(SUFFIXES)


def extract(upload: Upload, options: ExtractOptions) -> Extraction:
    what = f"'{upload.filename}'"
    if upload.size > options.max_bytes:
        raise UnreadableFile("too_large", f"{what} is {upload.size:,} bytes, more than the {options.max_bytes:,} "
                                          "we read. Split it into smaller files.")
    encoding, note = encoding_of(upload.data)
    issues: tuple[Issue, ...] = ()
    if note:
        issues = (Issue("encoding_guessed", f"{what} {note}. If accented letters or symbols look wrong, "
                                            "export it again as 'CSV UTF-8' and upload that."),)
    texts = _texts(upload.data, encoding)
    head = ""
    for text in texts:
        head += text
        if len(head) >= SNIFF_CHARS:
            break
    if not head.strip() and not any(t.strip() for t in texts):
        return Extraction(format=FORMAT, media_type=MEDIA_TYPES[0], issues=issues)
    delimiter, skip = _excel_hint(head)
    if delimiter is None:
        delimiter = choose_delimiter(head[:SNIFF_CHARS])
    rows = _Records(upload.data, encoding, delimiter, skip, options.max_rows, what)
    media_type = MEDIA_TYPES[1] if delimiter == "\t" else MEDIA_TYPES[0]
    return Extraction(format=FORMAT, media_type=media_type, tables=(Table(name="csv", rows=rows),), issues=issues)


class _Records(RowSource):
    """The file's records, decoded and parsed again on each pass, a megabyte at a time: a pass over
    100,000 lines takes ~0.3 s, where holding them as rows would take ~100 MB, and even the decoded
    text as one string as much memory again as the file."""

    def __init__(self, data: bytes, encoding: str, delimiter: str, skip: int, max_rows: int, what: str) -> None:
        self._data, self._encoding, self._delimiter = data, encoding, delimiter
        self._skip, self._max_rows, self._what = skip, max_rows, what

    def __iter__(self) -> Iterator[Row]:
        """Each record as a Row: its fields trimmed, the line it starts on as its location."""
        strip = str.strip
        reader = self._reader()
        skip, limit = self._skip, self._max_rows
        start = skip + 1
        try:
            for count, record in enumerate(reader, start=1):
                if count > limit:
                    raise self._too_many_rows()
                yield Row(Location(line=start), tuple(map(strip, record)))
                start = skip + reader.line_num + 1
        except _csv.Error as exc:
            raise self._corrupt(start, exc) from exc

    def distinct(self, keys: Sequence[int], skip: int) -> set[CellValue]:
        """The pass of the date-order proof: the records as parsed, no Row made (a field the csv module cannot
        read is reported at the line its record starts on, as `__iter__` reports it)."""
        found: set[CellValue] = set()
        width = max(keys, default=-1) + 1
        pick = operator.itemgetter(*keys) if len(keys) > 1 else (lambda record: (record[keys[0]],))
        reader = self._reader()
        read = 0           # lines read up to the end of the last record: the next one starts after them
        try:
            for count, record in enumerate(reader, start=1):
                if count > self._max_rows:
                    raise self._too_many_rows()
                read = reader.line_num
                if count <= skip:
                    continue
                if len(record) >= width:
                    found.update(pick(record))
                else:
                    found.update(record[key] for key in keys if key < len(record))
        except _csv.Error as exc:
            raise self._corrupt(self._skip + read + 1, exc) from exc
        return found

    def _reader(self) -> _Reader:
        lines = _lines(_texts(self._data, self._encoding))
        for _ in range(self._skip):
            next(lines, None)
        return _csv.reader(lines, delimiter=self._delimiter, strict=False)

    def _too_many_rows(self) -> UnreadableFile:
        return UnreadableFile("too_many_rows", f"{self._what} has more than {self._max_rows:,} rows, more than we "
                                               "read from one file. Split it into smaller files and upload each.")

    def _corrupt(self, line: int, exc: _csv.Error) -> UnreadableFile:
        return UnreadableFile("corrupt", f"{self._what}, line {line}: a field is too long to be real ({exc}); a "
                                         "quote is probably left open. Check that line, export the file again "
                                         "and upload it.")


def _texts(data: bytes, encoding: str) -> Iterator[str]:
    """The text a megabyte at a time (undecodable bytes as \ufffd, NULs removed)."""
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK_BYTES):
        text = decoder.decode(view[start:start + _CHUNK_BYTES], start + _CHUNK_BYTES >= len(data))
        yield text.replace("\x00", "") if "\x00" in text else text


def _lines(texts: Iterable[str]) -> Iterator[str]:
    """Lines as the csv module wants them: ends kept, and only CR, LF and CRLF end a line (str.splitlines
    would also end one at form feeds and Unicode separators, inside fields). The last line of each piece
    waits for the next: it may be cut, or end in a CR whose LF comes next."""
    carry = ""
    for text in texts:
        lines = _PHYSICAL_LINE.findall(carry + text if carry else text)
        carry = lines.pop() if lines else ""
        yield from lines
    if carry:
        yield carry


def encoding_of(data: bytes) -> tuple[str, str | None]:
    """The codec to read `data` with, and a note for the person where it had to be guessed (no BOM, not UTF-8)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, None
    utf16 = _utf16_without_bom(data[:4096])
    if utf16:
        return utf16, None
    if _is_utf8(data):
        return "utf-8", None
    wrong = non_ascii = 0
    for text in _texts(data, "utf-8"):
        wrong += text.count("\ufffd")
        non_ascii += len(text) - len(text.encode("ascii", "ignore"))
    if wrong * 20 < non_ascii - wrong:   # UTF-8 with a few stray bytes
        return "utf-8", f"is UTF-8 except for {wrong} stray byte(s), shown as \ufffd"
    encoding = _eight_bit(data)
    return encoding, f"is not UTF-8; it was read as {_NAMES.get(encoding, encoding)}"


def _is_utf8(data: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK_BYTES):
            decoder.decode(view[start:start + _CHUNK_BYTES], start + _CHUNK_BYTES >= len(data))
    except UnicodeDecodeError:
        return False
    return True


def _eight_bit(data: bytes) -> str:
    """Windows-1252 or Mac Roman, whichever reads more like Western European text (judged on the first
    megabyte, which holds far more than the 2,000 characters looked at)."""
    head = data[:_CHUNK_BYTES]
    # 0x81, 0x8D, 0x8F, 0x90, 0x9D are not in cp1252
    windows = "cp1252" if all(b not in data for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")) else "latin-1"
    ours, theirs = _plausibility(head.decode(windows)), _plausibility(head.decode("mac_roman"))
    best, score = (windows, ours) if ours >= theirs else ("mac_roman", theirs)
    if score < -6:                      # neither reads as Western text: ask charset-normalizer
        match = from_bytes(data).best()
        if match is not None and match.encoding:
            return match.encoding
    return best


def _plausibility(text: str) -> int:
    """Score the first non-ASCII characters: Western letters and punctuation up, mojibake down.

    In Western European text an accented letter mostly sits among ASCII letters ("Müller"); runs of
    them ("Èìÿ") are another alphabet read through the wrong code page.
    """
    score = 0
    for found in itertools.islice(_NON_ASCII.finditer(text), 2000):
        ch, at = found.group(), found.start()
        before = text[at - 1] if at else " "
        if ch in _PLAUSIBLE:
            score += 1
        elif ch in _UNLIKELY or unicodedata.category(ch).startswith("C"):
            score -= 3
        elif ch.isalpha():
            after = text[at + 1:at + 2]
            if ord(before) > 127 and before.isalpha() and after.isalpha() and ord(after[0]) > 127:
                score -= 2
            else:
                score += -2 if ch.isupper() and before.islower() else 1
        else:
            score -= 1
    return score


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 without a BOM shows as a NUL beside nearly every ASCII character."""
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _decode_head(head: bytes) -> str | None:
    """The head as text, or None where it looks binary."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return codecs.getincrementaldecoder(encoding)("replace").decode(head)
    utf16 = _utf16_without_bom(head)
    if utf16:
        return codecs.getincrementaldecoder(utf16)("replace").decode(head)
    if b"\x00" in head:
        return None
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:4096] if ch < " " and ch not in "\t\r\n\f")
    return None if controls > len(text[:4096]) // 100 else text


def _excel_hint(text: str) -> tuple[str | None, int]:
    """Excel's "sep=;" first line names the delimiter; that line is not a record."""
    first = text[:8].partition("\n")[0].rstrip("\r")
    if len(first) == 5 and first.casefold().startswith("sep=") and first[4] in DELIMITERS:
        return first[4], 1
    return None, 0


def choose_delimiter(sample: str) -> str:
    """The delimiter giving the most records with one same field count (then the most fields)."""
    return _score_delimiters(sample)[0]


def _score_delimiters(sample: str) -> tuple[str, int, int]:
    """(delimiter, records agreeing on one field count, that count). On a tie, the delimiter whose fields
    hold fewer stray quote marks wins: splitting on the wrong one leaves quotes inside the fields."""
    best = (",", 0, 1)
    best_rank = (0, 1, 0)
    for delimiter in DELIMITERS:
        if delimiter not in sample:
            continue
        counts: dict[int, int] = {}
        stray = 0
        reader = _csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
        try:
            for number, record in enumerate(reader):
                if number >= SNIFF_RECORDS:
                    break
                if len(record) > 1:
                    counts[len(record)] = counts.get(len(record), 0) + 1
                    stray += sum(field.count('"') for field in record)
        except _csv.Error:
            continue
        if counts:
            fields, agree = max(counts.items(), key=lambda item: (item[1], item[0]))
            if (agree, fields, -stray) > best_rank:
                best, best_rank = (delimiter, agree, fields), (agree, fields, -stray)
    return best
