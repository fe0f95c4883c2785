"""JSON learning records: xAPI / cmi5 statements, credentials of the learning standards, LMS API responses.

What arrives: an LRS export (a statement array, an LRS page {"statements": [...], "more": ...}, one
statement, or JSON Lines with one statement a line); a badge, comprehensive learner record or digital
credential downloaded from a wallet or an issuer (Open Badges 2.0 and 3.0, CLR 2.0, Blockcerts, W3C
verifiable credentials in schema.org terms, European Learning Model JSON-LD, OpenAttestation / OpenCerts
wrapped documents); or an LMS's REST answer (Docebo-like {"data": {"user": ..., "items": [...]}}).
Standards are read by their specifications' meaning, each module stating the rules it chose with the
specification's words: `_xapi`, `_oa`, `_credentials` (which dispatches to `_badges`, `_vc`, `_elm`).
Anything else is read by its largest list of titled objects (`_lists`). A JSON file that holds none of
these, or a standard's file that records no learning (a definition, an endorsement, an ID card), is
read with an Issue and no records; that is not an error.

Bounds: the nesting depth is measured without recursion before `json.loads` sees the text (the C
parser recurses once per level); JSON must be UTF-8 (RFC 8259), and UTF-16 with a BOM is accepted
because Windows tools write it.
"""
from __future__ import annotations

import json
import re

from ..errors import UnreadableFile
from ..model import Extraction, ExtractOptions, Issue, Upload
from . import _badges, _credentials, _elm, _lists, _oa, _vc, _xapi
from ._types import Found, Json, Parsed

__all__ = ["FORMAT", "MEDIA_TYPES", "SUFFIXES", "MAX_DEPTH", "sniff", "extract"]

FORMAT = "json"
MEDIA_TYPES = ("application/json", "application/x-ndjson", "application/ld+json")
SUFFIXES = (".json", ".jsonl", ".ndjson", ".jsonld")
MAX_DEPTH = 1_000

_START = re.compile(rb'^(?:\xef\xbb\xbf)?\s*(?:\[\s*(?:[\[{"\]\-0-9]|true|false|null|$)|\{\s*(?:["}]|$))')
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def sniff(head: bytes, filename: str) -> bool:
    """'[' or '{' first (after a BOM and white space), followed by what JSON allows there."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = _utf16_head(head)
    return bool(_START.match(head[:4096]))


def _utf16_head(head: bytes) -> bytes:
    return head[:4096].decode("utf-16", errors="ignore").encode("utf-8")


def extract(upload: Upload, options: ExtractOptions) -> Extraction:
    text = _decode(upload.data, upload.filename)
    if _too_deep(text, MAX_DEPTH):
        raise _deep(upload.filename)
    parsed = _parse(text, upload.filename)
    for reader in (_xapi.read, _oa.read, _read_credentials, _lists.read):
        found = reader(parsed)
        if found is not None:
            layout, records, issues = found
            if len(records) > options.max_rows:
                raise UnreadableFile("too_many_rows", f"'{upload.filename}' holds {len(records):,} activities, more "
                                                      f"than the {options.max_rows:,} we read from one file. Export "
                                                      "it in parts.")
            if not records and not issues:
                issues = [_nothing(upload.filename, layout)]
            return Extraction(FORMAT, MEDIA_TYPES[0], layout, records=tuple(records), issues=tuple(issues))
    return Extraction(FORMAT, MEDIA_TYPES[0], None, issues=(_nothing(upload.filename, None),))


_CREDENTIAL_READERS: dict[str, _credentials.Reader] = {
    "clr": _badges.read_clr, "achievement": _badges.read_achievement, "assertion": _badges.read_assertion,
    "blockcerts": _badges.read_blockcerts, "elm": _elm.read_elm, "vc": _vc.read_vc,
}


def _read_credentials(parsed: Parsed) -> Found | None:
    return _credentials.read(parsed, _CREDENTIAL_READERS)


def _nothing(filename: str, layout: str | None) -> Issue:
    what = {"xapi": "xAPI statements", "credentials": "credentials"}.get(layout or "", "JSON")
    return Issue("no_activities_found", f"'{filename}' is {what} but holds nothing we read as a completed "
                 "learning activity (xAPI completed / passed / attended statements, awarded badges or "
                 "credentials, or a list of courses).")


def _decode(data: bytes, filename: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile("corrupt", f"'{filename}' starts as UTF-16 text but byte {exc.start} is not; "
                                            "export the file again as UTF-8 JSON.") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UnreadableFile("corrupt", f"'{filename}', line {line}, column {column}: byte "
                                        f"0x{data[exc.start]:02X} is not UTF-8, as JSON must be. Export the "
                                        "file again from its system as UTF-8 JSON.") from exc


def _too_deep(text: str, limit: int) -> bool:
    """Deeper than `limit` arrays/objects? Strings are blanked first: brackets inside them do not count."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for ch in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        depth += 1 if ch in "[{" else -1
        if depth > limit:
            return True
    return False


def _deep(filename: str) -> UnreadableFile:
    return UnreadableFile("too_deep", f"'{filename}' nests arrays or objects more than {MAX_DEPTH} levels "
                                      "deep, which no learning record does; it was not read.")


def _parse(text: str, filename: str) -> Parsed:
    """One JSON document, or JSON Lines (one value a line) when the first value is followed by more."""
    try:
        return Parsed(_loads(text, filename), lines=None)
    except json.JSONDecodeError as exc:
        if not exc.msg.startswith("Extra data") or "\n" not in text.strip():
            raise _corrupt(filename, exc, None) from exc
    values: list[Json] = []
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            values.append(_loads(line, filename))
        except json.JSONDecodeError as exc:
            raise _corrupt(filename, exc, number) from exc
        lines.append(number)
    return Parsed(values, lines=tuple(lines))


def _loads(text: str, filename: str) -> Json:
    try:
        value: Json = json.loads(text)
    except RecursionError as exc:
        raise _deep(filename) from exc
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            raise
        # Python refuses integers of more than 4,300 digits (a guard against quadratic conversion).
        raise UnreadableFile("corrupt", f"'{filename}' holds a number of thousands of digits, which no learning "
                                        "record does. The file may be damaged or edited by hand; export it again "
                                        "from its system.") from exc
    return value


def _corrupt(filename: str, exc: json.JSONDecodeError, line: int | None) -> UnreadableFile:
    where = f"line {line}, column {exc.colno}" if line is not None else f"line {exc.lineno}, column {exc.colno}"
    return UnreadableFile("corrupt", f"'{filename}', {where}: not valid JSON ({exc.msg}). The file may be cut "
                                     "off or edited by hand; export it again from its system.")
