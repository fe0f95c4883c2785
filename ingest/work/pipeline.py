"""The pure core: one file's bytes in, its normalised activities out. No database, no broker.

    run(Upload(bytes, name, sha256), options, matcher) -> FileResult
        detect (by content) -> extractor.extract -> mappers.read_activities -> matching -> FileResult

The file is its bytes and name (an `extractors.model.Upload`, hashed once by whoever made it); the
member's role is the `Matcher` built for it (ingest.work.matching). Storing the result is the caller's
business (ingest.work.jobs reads, stores, then links duplicates).

`stream` gives the activities a batch at a time: `cpd-evidence extract --json` serialises them so
(`write_line`), the worker stores them so; `run` gathers them all, for small files and tests. A file that cannot
be read still gets a result, with `error` set and no activities; only a bug in our code ends as
`internal_error`.
"""
from __future__ import annotations

import gc
import logging
import os
import struct
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

import orjson
from billiard.exceptions import SoftTimeLimitExceeded  # Celery's (celery.exceptions re-exports it); a small module

import extractors
from extractors.errors import IngestError
from extractors.model import Extraction, ExtractOptions, Issue, Upload
from mappers.activity import SCHEMA_VERSION, Activity, ActivityWarning
from mappers.matching import Matcher
from mappers.normalise import FileFacts
from mappers.tables import read_activities

from .matching import match_activities

__all__ = ["EXTRACTOR_VERSION", "SMALL_FILE_BYTES", "FileError", "FileResult", "collector_paused", "empty_file_message", "join_parts", "read_last", "run",
           "stream", "timed_out", "write_last", "write_line", "write_parts"]

log = logging.getLogger(__name__)

_SPOOL_BYTES = 1 << 20      # the serialised activities kept in memory before the spool moves to a temporary file
_COPY_BYTES = 1 << 20
_LAST_SIZE = struct.Struct("<Q")
# Bumped whenever a change can alter what a file yields; admins reprocess uploads read by an older one.
EXTRACTOR_VERSION = "1"


# Warnings that already tell the member why a file gave nothing: the generic one would only repeat them.
_SAYS_WHY_EMPTY = frozenset({"no_activities_found", "not_a_record", "not_a_learning_record", "definition_not_record",
                             "no_learning_claims", "not_awarded"})
# A file this small that runs out of time is not the member's to split: we look at it, and an admin reprocesses it.
SMALL_FILE_BYTES = 5 * 1024 * 1024


def timed_out(filename: str, seconds: float | None, size: int | None) -> FileError:
    """The `timeout` error, worded for the file: a small file is ours to look at; a big one may be split."""
    took = f"Reading '{filename}' took longer than {seconds:.0f} s, so it was stopped. " if seconds else \
        f"Reading '{filename}' took too long, so it was stopped. "
    if size is not None and size <= SMALL_FILE_BYTES:
        return FileError("timeout", took + "It is kept and we will look at it; an administrator can reprocess it, "
                                           "and you need not upload it again.")
    return FileError("timeout", took + "Split it into smaller files (for example one year each) and upload those, "
                                       "or ask an administrator to reprocess it.")


@dataclass(frozen=True, slots=True)
class FileError:
    """Why a file gave no activities: a stable snake_case `code` and a message a person can act on."""

    code: str
    message: str

    def to_json(self) -> dict[str, Any]:
        """The contract's `error` object."""
        return {"code": self.code, "message": self.message}


@dataclass(slots=True)
class FileResult:
    """What one file gave: its facts (name, sha256, media type, extractor, layout), its activities, its
    warnings, and its error when it could not be read (then no activities)."""

    filename: str
    file_sha256: str | None
    media_type: str | None = None
    extractor: str | None = None
    layout: str | None = None
    activities: list[Activity] = field(default_factory=list)
    warnings: list[ActivityWarning] = field(default_factory=list)
    error: FileError | None = None

    def to_json(self) -> dict[str, Any]:
        """The contract's per-file object (CONTRACT.md section 2)."""
        return {**self.head(), "activities": [a.to_json() for a in self.activities]}

    def dumps(self) -> bytes:
        """The same object as one line of JSON, written by orjson straight from the dataclasses
        (their field names are the contract's), about 8x faster than building dicts for json.dumps."""
        return orjson.dumps({**self.head(), "activities": self.activities})

    def write_line(self, out: IO[bytes]) -> None:
        """`dumps()` and a newline. For a result in memory (an error, a small file); a big file's line is
        written a batch at a time by the module's `write_line`."""
        out.write(self.dumps() + b"\n")

    def head(self) -> dict[str, Any]:
        """The per-file object without its activities."""
        return {
            "schema_version": SCHEMA_VERSION,
            "file": {
                "filename": self.filename, "file_sha256": self.file_sha256, "media_type": self.media_type,
                "extractor": self.extractor, "layout": self.layout,
            },
            "warnings": [w.to_json() for w in self.warnings],
            "error": self.error.to_json() if self.error else None,
        }


def run(upload: Upload, options: ExtractOptions, matcher: Matcher) -> FileResult:
    """Extract, normalise and match one file, every activity in memory. Never raises for bad input."""
    result = FileResult(upload.filename, upload.sha256)
    for batch in stream(upload, options, matcher, result):
        result.activities.extend(batch)
    return result


def stream(upload: Upload, options: ExtractOptions, matcher: Matcher, result: FileResult,
           read: Callable[[], Extraction] | None = None) -> Iterator[list[Activity]]:
    """The file's activities, matched, a batch at a time, never all at once; `result` gets the file's facts,
    and its warnings once the last batch is taken. Should the file fail part-way, `result.error` is set and
    no more batches come: drop those taken before. Never raises for bad input. `read` gives the file's
    Extraction where it was read elsewhere (a long PDF's page ranges read at once: ingest.work.sandbox);
    by default the detected extractor reads it here."""
    with _reading(upload, result):
        yield from _batches(upload, options, matcher, result, read)


def write_line(upload: Upload, options: ExtractOptions, matcher: Matcher, out: IO[bytes]) -> FileError | None:
    """The file's line of `extract --json` (CONTRACT.md section 2) to `out`, and its error if any.

    The activities are serialised a batch at a time into a spool (memory, then a temporary file past
    a few MB), so a 100,000-activity file never holds all its activities, nor its ~130 MB line, at once.
    """
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as parts:
        write_parts(upload, options, matcher, parts)
        return join_parts(parts, out)


def write_parts(upload: Upload, options: ExtractOptions, matcher: Matcher, out: IO[bytes],
                read: Callable[[], Extraction] | None = None) -> None:
    """What `join_parts` turns into the line: the activities' JSON, comma-separated, as they are read,
    then the rest of the result (file, warnings, error), known only at the end, and that part's length.
    Never raises for bad input; activities written before an error are dropped by `join_parts`. `read` as
    for `stream`."""
    result = FileResult(upload.filename, upload.sha256)
    separator = b""
    for batch in stream(upload, options, matcher, result, read):
        if batch:
            out.write(separator + orjson.dumps(batch)[1:-1])
            separator = b","
    write_last(out, orjson.dumps(result.head()))


def join_parts(parts: IO[bytes], out: IO[bytes]) -> FileError | None:
    """Write the contract's line from `write_parts`' output (a seekable file); return the file's error."""
    head, end = read_last(parts)
    found = orjson.loads(head)["error"]
    error = FileError(found["code"], found["message"]) if found else None
    out.write(head[:-1] + b',"activities":[')
    if error is None:
        parts.seek(0)
        remaining = end
        while remaining > 0:
            chunk = parts.read(min(remaining, _COPY_BYTES))
            out.write(chunk)
            remaining -= len(chunk)
    out.write(b"]}\n")
    return error


def write_last(out: IO[bytes], part: bytes) -> None:
    """The last part of a spooled answer, known only at the end (the result without its activities), then
    its length, so that `read_last` finds it from the end."""
    out.write(part + _LAST_SIZE.pack(len(part)))


def read_last(spool: IO[bytes]) -> tuple[bytes, int]:
    """The part `write_last` put at the end of a seekable spool, and the offset it starts at (where what came
    before it ends)."""
    end = spool.seek(0, os.SEEK_END) - _LAST_SIZE.size
    spool.seek(end)
    (size,) = _LAST_SIZE.unpack(spool.read(_LAST_SIZE.size))
    spool.seek(end - size)
    return spool.read(size), end - size


@contextmanager
def _reading(upload: Upload, result: FileResult) -> Iterator[None]:
    """Where a file's failure becomes its result's error, with no activities."""
    try:
        with collector_paused():
            yield
    except IngestError as exc:
        result.activities, result.error = [], FileError(exc.code, exc.message)
    except MemoryError:
        result.activities = []
        result.error = FileError("too_large", f"'{upload.filename}' needs more memory than a file may use here. "
                                 "Split the record into smaller files (for example one per year) and upload them.")
    except SoftTimeLimitExceeded:  # the worker's time limit (Celery's), not the file's fault nor a bug: the
        raise                      # caller says `timeout`
    except Exception:  # a bug in our code, not the member's file: say so, keep the process alive
        log.exception("internal error while reading %s (sha256 %s)", upload.filename, upload.sha256)
        result.activities = []
        result.error = FileError("internal_error", f"Something went wrong on our side while reading "
                                 f"'{upload.filename}'. The file is kept; an administrator can reprocess it.")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Reading a big file allocates millions of small acyclic objects (rows, cells, activities); the
    cyclic garbage collector would rescan them all again and again (1.4 s of 3.6 s on a 100,000-row
    transcript). Reference counting frees them as usual; cycles wait until the file is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _batches(upload: Upload, options: ExtractOptions, matcher: Matcher, result: FileResult,
             read: Callable[[], Extraction] | None) -> Iterator[list[Activity]]:
    """The file's activities, matched, a batch at a time; `result` gets the file's facts and warnings."""
    if upload.size > options.max_bytes:
        raise IngestError("too_large", (
            f"'{upload.filename}' is {upload.size / 1e6:.1f} MB; files may be at most "
            f"{options.max_bytes / 1e6:.0f} MB. Export a shorter period or split the record."))
    module = extractors.detect(upload)
    result.extractor = module.FORMAT
    result.media_type = module.MEDIA_TYPES[0]
    extraction = module.extract(upload, options) if read is None else read()
    result.media_type = extraction.media_type or result.media_type
    facts = FileFacts(upload.sha256, upload.filename, result.media_type, module.FORMAT, extraction.layout)
    reading = read_activities(extraction, facts, options.dayfirst)
    result.layout = reading.layout
    found = 0
    for activities in reading.batches:
        found += len(activities)
        yield match_activities(matcher, activities)
    # Issues found while the rows were read count too (extractors.model.Extraction).
    result.warnings = [_issue_warning(i) for i in extraction.issues] + reading.warnings
    if not found and not any(w.code in _SAYS_WHY_EMPTY for w in result.warnings):
        result.warnings.append(ActivityWarning("no_activities_found", None, (
            f"'{upload.filename}' was read, but nothing in it looks like a record of learning (no table with "
            "a course title column, no certificate). If it should hold activities, upload the learning "
            "system's export or the certificate itself.")))


def _issue_warning(issue: Issue) -> ActivityWarning:
    where = f"{issue.location.locator}: " if issue.location is not None else ""
    return ActivityWarning(issue.code, issue.field, where + issue.message)


def empty_file_message(filename: str) -> str:
    """What `extract` and the API both say of a file of 0 bytes (code `empty_file`): no format can be told
    from nothing, so neither reads it."""
    return f"'{filename}' is empty (0 bytes). Export the record again and send the new file."
