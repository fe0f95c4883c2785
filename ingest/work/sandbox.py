"""Read one file in a forked child process, so a hostile file fails its own upload and nothing more.

    batches_isolated(upload, options, matcher, limits, in_child=None)    (the worker; extract's table view)
        -> with: (FileResult without activities, its activities a batch at a time)
    line_isolated(upload, options, matcher, limits, out) -> error or None    (`extract --json`: the line to `out`)

`limits=None` runs the pipeline in this process instead (for debugging: a debugger, a profiler).

A long PDF (at least `MIN_PART_PAGES` pages for each of two or more parts, up to `Limits.pdf_parts`) is read
by several children at once, one contiguous page range each (extractors.pdf.read_share): each within the
file's memory bound, with a time budget of `Limits.seconds` plus its own pages' share; the parent copies their
answers as they come, and the first part to fail (unreadable, out of time, out of memory, crashed) fails the
file with that part's error, as one child reading the whole would, and the other parts are killed at once.
Once every part is done, one more child places the pages in order (extractors.pdf.join: the same tables,
records and text as one reading of the whole) and runs the rest of the pipeline as for any file, within what
is left of the file's time. `extract_pdf` does the same for a bare Extraction (the bench, tests).

The time a file may take grows with its size (`Limits.for_upload`: rows, PDF pages, unpacked megabytes, counted
in milliseconds before the child starts) up to `Limits.max_seconds`; a file whose size alone asks for more than
twice that is refused before reading (`too_large`, with its size and how to split it), rather than stopped at
an arbitrary row by `timeout`.

The child is forked, not spawned: modules, spaCy and the matcher are already loaded and shared copy-on-write,
so a file costs a few milliseconds of start-up. The child sets its own bounds (address space: what it
inherited plus `Limits.memory_bytes`; CPU seconds as a backstop; death with its parent), runs the pipeline,
writes its answer down a pipe and leaves by `os._exit`: no atexit handlers, no finalisers, no flushed
buffers, so nothing the parent owns (database connections, the broker's socket, stdout) is touched from the
child. `in_child` runs first in the child, e.g. to drop an engine's inherited pool without closing its
connections. The parent copies the pipe into a spool (memory, then a temporary file) until the deadline, then
SIGKILLs the child; only a child that finished well is believed.

What comes back: for `extract --json`, the line's parts, which orjson writes in the child a batch at a time
(ingest.work.pipeline.write_parts), so the parent only joins bytes. For the worker, each batch of activities
pickled as plain field tuples (100,000 activities load in 0.2 s, where default dataclass pickling takes
1.9 s; the collector is paused while loading, as in the pipeline itself), then the result without them.
"""
from __future__ import annotations

import contextlib
import copyreg
import ctypes
import dataclasses
import fcntl
import gc
import io
import logging
import math
import operator
import os
import pickle
import re
import resource
import select
import signal
import struct
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, BinaryIO

import extractors
from extractors.errors import IngestError, UnreadableFile
from extractors.model import Extraction, ExtractOptions, Issue, LineStyle, TextBlock, Upload
from extractors.pdf.certificate import PageText
from extractors.pdf.fragments import Fragment, FragmentRow
from extractors.pdf.layout import PageLayout, PageRange
from extractors.pdf.lines import TextLine, Word
from mappers import activity
from mappers.matching import Matcher

from .pipeline import (FileError, timed_out, FileResult, collector_paused, join_parts, read_last, run, stream, write_last,
                       write_line, write_parts)

if TYPE_CHECKING:     # pydantic's settings cost ~0.1 s to import; `extract` needs none
    from ..settings import Settings

__all__ = ["Limits", "limits_from", "batches_isolated", "line_isolated", "extract_pdf", "pdf_parts", "MIN_PART_PAGES",
           "cpu_count"]

log = logging.getLogger(__name__)


# What a file's size adds to its time, per unit of work, measured generously (2 to 5 times this machine's
# time on a busy day) so that no file is stopped for being big: a row of a table (CSV, HTML, XML, JSON lines;
# ~0.1 ms each, read, normalised and matched), a PDF page (~0.2 s with its tables) and a megabyte of a
# packed file's unpacked content (XLSX, ODS, DOCX: ~35 MB unpacked for 100,000 rows).
ROW_SECONDS = 0.25e-3
PAGE_SECONDS = 0.5
UNPACKED_MB_SECONDS = 1.0
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
# A PDF is read in parallel parts only where each part gets at least this many pages (a part's fixed cost, opening
# and checking the document, is that of a page or two).
MIN_PART_PAGES = 8


def cpu_count() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class Limits:
    """What one file may cost: address space beyond what the child inherits, and wall-clock seconds: `seconds`
    for any file, plus the time its size asks for (rows, pages, unpacked megabytes) up to `max_seconds`."""

    memory_bytes: int = 1 << 30
    seconds: float = 25.0
    max_seconds: float = 90.0
    pdf_parts: int = field(default_factory=cpu_count)   # children reading one long PDF's page ranges at once

    def for_upload(self, upload: Upload) -> Limits:
        """These limits with `seconds` grown for this file's size, never beyond `max_seconds`."""
        wanted = self.seconds + _size_seconds(upload.data)
        return dataclasses.replace(self, seconds=max(self.seconds, min(wanted, self.max_seconds)))

    def for_part(self, upload: Upload, parts: int) -> Limits:
        """These limits for one of `parts` page ranges of a PDF read at once: `seconds` grown for its share of
        the pages, as `for_upload` grows them for the whole, never beyond `max_seconds`."""
        _, pages, _ = _work_units(upload.data)
        wanted = self.seconds + math.ceil(pages / max(parts, 1)) * PAGE_SECONDS
        return dataclasses.replace(self, seconds=max(self.seconds, min(wanted, self.max_seconds)))

    def too_big(self, upload: Upload) -> FileError | None:
        """The error for a file whose size alone asks for more than twice `max_seconds` (it would only be
        stopped part-way), saying how big it is and how to split it; None for any other file."""
        units = _work_units(upload.data)
        needed = self.seconds + _seconds(units)
        if needed <= 2 * self.max_seconds:
            return None
        rows, pages, unpacked_mb = units
        room = self.max_seconds - self.seconds          # what a file's size may add to its time
        if pages * PAGE_SECONDS >= max(rows * ROW_SECONDS, unpacked_mb * UNPACKED_MB_SECONDS):
            size, part = f"{pages:,} pages", f"files of at most {max(1, int(room / PAGE_SECONDS)):,} pages"
        elif rows * ROW_SECONDS >= unpacked_mb * UNPACKED_MB_SECONDS:
            most = max(1000, int(room / ROW_SECONDS) // 1000 * 1000)
            size, part = f"about {rows:,} rows", f"files of at most {most:,} rows"
        else:
            size, part = f"{unpacked_mb:,.0f} MB of content once unpacked", \
                f"{math.ceil(unpacked_mb * UNPACKED_MB_SECONDS / room)} or more files"
        return FileError("too_large", (
            f"'{upload.filename}' is too big to read here: it holds {size}, more than one file may hold to be read "
            f"within {self.max_seconds:.0f} s. Split it into {part} (for example one per year or per quarter) "
            "and upload each."))


def limits_from(settings: Settings) -> Limits | None:
    """The settings' bounds; None (read in this process) where CPD_ISOLATE_FILES=false, for debugging."""
    if not settings.isolate_files:
        return None
    # A big file's time stays inside Celery's soft limit, with a fifth of it left to store the activities.
    most = min(settings.file_time_limit_max, 0.8 * settings.task_soft_time_limit)
    return Limits(settings.file_memory_bytes, settings.file_time_limit, max(settings.file_time_limit, most),
                  settings.pdf_parallel or cpu_count())


def _work_units(data: bytes) -> tuple[int, int, float]:
    """A cheap count of what reading the file costs: lines, PDF pages, and a packed file's unpacked megabytes
    (from its zip directory, nothing unpacked). Milliseconds for a 50 MB file."""
    if data.startswith(b"%PDF"):
        return 0, len(_PAGE.findall(data)), 0.0
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                # a part that would inflate like a zip bomb is not counted: the reader refuses it as `zip_bomb`,
                # which says more than `too_large`
                return 0, 0, sum(i.file_size for i in archive.infolist() if not _bomb_like(i)) / 1e6
        except (zipfile.BadZipFile, OSError, ValueError):   # damaged: the extractor will say so, quickly
            return 0, 0, len(data) / 1e6
    return data.count(b"\n"), 0, 0.0


def _bomb_like(info: zipfile.ZipInfo) -> bool:
    from extractors.zipcheck import MAX_RATIO, RATIO_FLOOR

    return info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1)


def _seconds(units: tuple[int, int, float]) -> float:
    rows, pages, unpacked_mb = units
    return rows * ROW_SECONDS + pages * PAGE_SECONDS + unpacked_mb * UNPACKED_MB_SECONDS


def _size_seconds(data: bytes) -> float:
    return _seconds(_work_units(data))


_OUT_OF_MEMORY = 3                 # the child's exit status when it ran out of memory outside the pipeline
_FAILED = 4                        # ... when anything else went wrong there (logged on stderr)
_MEMORY_SIGNALS = (signal.SIGABRT, signal.SIGKILL)   # Rust and C++ abort when an allocation fails; the OOM killer
_PIPE_BYTES = 1 << 20
_FRAME = struct.Struct("<Q")        # the length of the batch that follows
_SPOOL_BYTES = 1 << 20             # the line's parts held in memory before the spool moves to a temporary file
_PR_SET_PDEATHSIG = 1

Work = Callable[[BinaryIO], None]
Read = Callable[[], Extraction]    # the file's Extraction, placed from its parts (see the module docstring)


@contextmanager
def batches_isolated(upload: Upload, options: ExtractOptions, matcher: Matcher, limits: Limits | None,
                     in_child: Callable[[], None] | None = None,
                     ) -> Iterator[tuple[FileResult, Iterator[list[activity.Activity]]]]:
    """`ingest.work.pipeline.stream` in a child process within `limits`: the file's result (facts, warnings, error;
    no activities) and its activities a batch at a time. The child pickles each batch down the pipe as it is
    read, the parent spools them (memory, then a temporary file), so neither holds a big file's activities
    at once. A long PDF's pages are read by several children first (see the module docstring). Never raises
    for the file's sake."""
    if limits is None:
        whole = run(upload, options, matcher)
        batches, whole.activities = [whole.activities], []
        yield whole, iter(batches)
        return

    refused = limits.too_big(upload)
    if refused is not None:
        yield FileResult(upload.filename, upload.sha256, error=refused), iter(())
        return
    with _parts_read(upload, options, limits, in_child) as (failed_part, read, limits, deadline):
        if failed_part is not None:
            yield failed_part, iter(())
            return

        def work(pipe: BinaryIO) -> None:
            result = FileResult(upload.filename, upload.sha256)
            for batch in stream(upload, options, matcher, result, read):
                if batch:
                    _write_framed(pipe, _dumps(batch))
            write_last(pipe, _dumps(result))

        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
            failed = _in_child(work, spool, limits, in_child, upload, deadline)
            if failed is not None:
                yield FileResult(upload.filename, upload.sha256, error=failed), iter(())
                return
            last, end = read_last(spool)
            with collector_paused():
                result: FileResult = pickle.loads(last)
            yield result, iter(()) if result.error else _read_framed(spool, end)


def _dumps(value: object) -> bytes:
    """Pickled with the plain-tuple reducers below (9x quicker to load than dataclasses' default)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.dump(value)
    return out.getvalue()


def _write_framed(out: BinaryIO, data: bytes) -> None:
    out.write(_FRAME.pack(len(data)))
    out.write(data)


def _read_framed(spool: IO[bytes], end: int) -> Iterator[list[activity.Activity]]:
    spool.seek(0)
    while spool.tell() < end:
        (size,) = _FRAME.unpack(spool.read(_FRAME.size))
        data = spool.read(size)
        with collector_paused():
            batch: list[activity.Activity] = pickle.loads(data)
        yield batch


def line_isolated(upload: Upload, options: ExtractOptions, matcher: Matcher, limits: Limits | None,
                  out: BinaryIO) -> FileError | None:
    """Write the file's JSON line (the contract's, newline included) to `out`; return its error, if any.

    The child streams its parts (ingest.work.pipeline.write_parts) into a spool here, which becomes the line
    only once the child has finished well: a child stopped half-way leaves no half line. A long PDF's pages
    are read by several children first (see the module docstring)."""
    if limits is None:
        return write_line(upload, options, matcher, out)

    refused = limits.too_big(upload)
    if refused is not None:
        FileResult(upload.filename, upload.sha256, error=refused).write_line(out)
        return refused
    with _parts_read(upload, options, limits, None) as (failed_part, read, limits, deadline):
        if failed_part is not None:
            failed_part.write_line(out)
            return failed_part.error

        def work(pipe: BinaryIO) -> None:
            write_parts(upload, options, matcher, pipe, read)

        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as parts:
            failed = _in_child(work, parts, limits, None, upload, deadline)
            if failed is None:
                return join_parts(parts, out)
    FileResult(upload.filename, upload.sha256, error=failed).write_line(out)
    return failed


def extract_pdf(upload: Upload, options: ExtractOptions, limits: Limits,
                in_child: Callable[[], None] | None = None) -> Extraction:
    """A PDF's Extraction read as the worker reads a long one: its page ranges read by `pdf_parts` children at
    once (one child for a short PDF), within `limits` as for the file, and placed in order in this process (for
    the bench and tests; the worker places them in a child). Raises UnreadableFile with the file's error."""
    with _ranges_read(upload, options, pdf_parts(upload, options, limits), limits, in_child) as (failed, read):
        if failed is not None and failed.error is not None:
            raise UnreadableFile(failed.error.code, failed.error.message)
        return read()


def pdf_parts(upload: Upload, options: ExtractOptions, limits: Limits) -> int:
    """How many children read this file's page ranges at once: 1 for anything but a PDF with `MIN_PART_PAGES`
    pages or more for each of two parts (pages counted as for its time, before reading), else as many as
    `limits.pdf_parts` allows."""
    if limits.pdf_parts < 2 or upload.size > options.max_bytes:
        return 1
    try:
        if extractors.detect(upload).FORMAT != "pdf":
            return 1
    except IngestError:
        return 1
    return max(1, min(limits.pdf_parts, _work_units(upload.data)[1] // MIN_PART_PAGES))


@contextmanager
def _parts_read(upload: Upload, options: ExtractOptions, limits: Limits, prepare: Callable[[], None] | None,
                ) -> Iterator[tuple[FileResult | None, Read | None, Limits, float | None]]:
    """For a long PDF (`pdf_parts`), its page ranges read by children at once: the file's result with the first
    failing part's error, or what places them (valid inside the block); then the file's limits
    (`Limits.for_upload`) and the deadline they set from the start, for the rest of the file. For any other file:
    no error, nothing read, the file's limits and no deadline yet."""
    parts = pdf_parts(upload, options, limits)
    file_limits = limits.for_upload(upload)
    if parts < 2:
        yield None, None, file_limits, None
        return
    deadline = time.monotonic() + file_limits.seconds
    with _ranges_read(upload, options, parts, limits, prepare) as (failed, read):
        yield failed, (None if failed is not None else read), file_limits, deadline


@contextmanager
def _ranges_read(upload: Upload, options: ExtractOptions, parts: int, limits: Limits,
                 prepare: Callable[[], None] | None) -> Iterator[tuple[FileResult | None, Read]]:
    """The document's `parts` page ranges read by as many children at once (`Limits.for_part`), each into a spool
    of its own: the file's result with the first failing part's error, or None; and what places the ranges in
    order (valid inside the block)."""
    with contextlib.ExitStack() as stack:
        spools = [stack.enter_context(tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)) for _ in range(parts)]
        failed = _read_parts(upload, options, limits.for_part(upload, parts), prepare, spools)
        yield failed, lambda: _join(upload, spools)


_PART_READ = b"P"      # a part's answer: its PageRange, pickled
_PART_FAILED = b"E"    # ... or the file's error, as the extractor raised it


def _read_parts(upload: Upload, options: ExtractOptions, limits: Limits, prepare: Callable[[], None] | None,
                spools: Sequence[IO[bytes]]) -> FileResult | None:
    """Each of the document's page ranges (extractors.pdf.read_share) read in its own child into its spool, all
    at once; None, or the file's result with the error of the first part that failed (the others then killed),
    as one child reading the whole would give it: with the file's format where the extractor told the error,
    without where the child did not finish."""
    parts = len(spools)
    told: list[FileError] = []

    def check(answer: IO[bytes]) -> FileError | None:
        error = _part_error(answer)
        if error is not None:
            told.append(error)
        return error

    def reader(index: int) -> Work:
        def work(pipe: BinaryIO) -> None:
            from extractors import pdf

            try:
                answer = _PART_READ + _dumps(pdf.read_share(upload, options, index, parts))
            except IngestError as exc:
                answer = _PART_FAILED + _dumps(FileError(exc.code, exc.message))
            pipe.write(answer)
        return work

    failed = _in_children([(reader(index), spool) for index, spool in enumerate(spools)], limits, prepare, upload,
                          check)
    if failed is None:
        return None
    result = FileResult(upload.filename, upload.sha256, error=failed)
    if failed in told:
        from extractors import pdf

        result.extractor, result.media_type = pdf.FORMAT, pdf.MEDIA_TYPES[0]
    return result


def _part_error(answer: IO[bytes]) -> FileError | None:
    answer.seek(0)
    if answer.read(1) != _PART_FAILED:
        return None
    error: FileError = pickle.loads(answer.read())
    return error


def _join(upload: Upload, spools: Sequence[IO[bytes]]) -> Extraction:
    """The parts' page ranges placed in order: the document's Extraction."""
    from extractors import pdf

    ranges: list[PageRange] = []
    for spool in spools:
        spool.seek(len(_PART_READ))
        with collector_paused():
            ranges.append(pickle.loads(spool.read()))
    return pdf.join(upload, ranges)


def _in_child(work: Work, answer: IO[bytes], limits: Limits, prepare: Callable[[], None] | None,
              upload: Upload, deadline: float | None = None) -> FileError | None:
    """Run `work` in a forked child, copying all it writes to `answer`; the error saying why the child
    did not finish, or None. The child has `limits.seconds` from now, or until `deadline` where given."""
    return _in_children([(work, answer)], limits, prepare, upload, deadline=deadline)


@dataclass(slots=True)
class _Child:
    pid: int
    pipe: int                          # the read end of the child's pipe
    answer: IO[bytes]
    reaped: bool = False


def _in_children(jobs: list[tuple[Work, IO[bytes]]], limits: Limits, prepare: Callable[[], None] | None,
                 upload: Upload, check: Callable[[IO[bytes]], FileError | None] | None = None,
                 deadline: float | None = None) -> FileError | None:
    """Run each job's `work` in its own forked child, all at once, copying what each writes to its answer, until
    every child has finished well (None) or one has not: the error saying why (or `check`'s, of a finished
    child's answer), the other children killed. Each child has `limits`, and `limits.seconds` from now (or
    until `deadline`)."""
    filename = upload.filename
    if deadline is None:
        deadline = time.monotonic() + limits.seconds
    children: list[_Child] = []
    try:
        for work, answer in jobs:
            started = _fork(work, limits, prepare)
            if started is None:
                return _our_side(filename)
            children.append(_Child(*started, answer))
        running = {child.pipe: child for child in children}
        while running:
            done = _read_answer(running, deadline)
            if done is None:                       # past the deadline
                return _judge(False, 0, limits, upload)
            status = os.waitpid(done.pid, 0)[1]
            done.reaped = True
            failed = _judge(True, status, limits, upload) or (check(done.answer) if check else None)
            if failed is not None:
                return failed
        return None
    finally:                                       # done; or failed, past the deadline or interrupted (Ctrl-C,
        for child in children:                     # Celery's time limit): take the children still there down
            os.close(child.pipe)
            if not child.reaped:
                os.kill(child.pid, signal.SIGKILL)
                os.waitpid(child.pid, 0)


def _read_answer(running: dict[int, _Child], deadline: float) -> _Child | None:
    """Copy what the running children write to their answers until one of them closes its end of the pipe: that
    child, taken out of `running`; None when the deadline passed first."""
    while True:
        remaining = deadline - time.monotonic()
        ready = select.select(list(running), [], [], remaining)[0] if remaining > 0 else []
        if not ready:
            return None
        for pipe in ready:
            child = running[pipe]
            chunk = os.read(pipe, _PIPE_BYTES)
            if not chunk:
                del running[pipe]
                return child
            child.answer.write(chunk)


def _fork(work: Work, limits: Limits, prepare: Callable[[], None] | None) -> tuple[int, int] | None:
    """A child running `work` into a pipe: its pid and the pipe's read end; None (logged) when the system has no
    pipe or process to give."""
    try:
        readable, writable = os.pipe()
    except OSError:                               # out of file descriptors: no file could be read now
        log.exception("no pipe for a child process")
        return None
    try:
        pid = os.fork()
    except OSError:                               # out of processes or memory
        os.close(readable)
        os.close(writable)
        log.exception("no child process for a file")
        return None
    if pid == 0:                                  # the child: never returns
        os.close(readable)
        _child(work, writable, limits, prepare)
    os.close(writable)
    try:
        fcntl.fcntl(readable, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_BYTES)
    except OSError:                               # not Linux, or over the system's pipe size: the default will do
        pass
    return pid, readable


def _child(work: Work, pipe: int, limits: Limits, prepare: Callable[[], None] | None) -> None:
    """Bounds, the work streamed into the pipe, and exit status 0 only once all of it is written."""
    status = _FAILED
    try:
        gc.disable()                              # nothing here outlives the file; spare the parent's pages too
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _bound(limits)
        if prepare is not None:
            prepare()
        with open(pipe, "wb", buffering=_PIPE_BYTES, closefd=False) as out:
            work(out)
        status = 0
    except MemoryError:
        status = _OUT_OF_MEMORY
    except BaseException:                         # the child's boundary: say what, and leave
        try:
            log.exception("reading a file in a child process failed")
        finally:
            status = _FAILED
    finally:
        os._exit(status)


def _bound(limits: Limits) -> None:
    """Address space: what the child starts with plus the file's share, within any inherited hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = _address_space() + limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (wanted if soft == resource.RLIM_INFINITY else min(wanted, soft), hard))
    # A backstop should the parent not be there to kill it: CPU seconds, and death with the parent (Linux).
    seconds = int(limits.seconds) + 5
    cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if cpu_hard == resource.RLIM_INFINITY or cpu_hard >= seconds + 2:
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 2))
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _address_space() -> int:
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _judge(finished: bool, status: int, limits: Limits, upload: Upload) -> FileError | None:
    filename = upload.filename
    if finished and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return None
    if not finished or (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU):
        return timed_out(filename, limits.seconds, upload.size)
    if (os.WIFEXITED(status) and os.WEXITSTATUS(status) == _OUT_OF_MEMORY) or (
            os.WIFSIGNALED(status) and os.WTERMSIG(status) in _MEMORY_SIGNALS):
        return FileError("too_large", f"Reading '{filename}' needs more than the {limits.memory_bytes >> 20:,} MiB of "
                                      "memory one file may use. Split the record into smaller files (for example one "
                                      "per year) and upload each.")
    how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit status {os.WEXITSTATUS(status)}"
    log.error("the child process reading '%s' ended without an answer (%s)", filename, how)
    return _our_side(filename)


def _our_side(filename: str) -> FileError:
    return FileError("internal_error", f"Something went wrong on our side while reading '{filename}' (the "
                                       "reader stopped unexpectedly). The file is kept; an administrator can "
                                       "reprocess it.")


# --- the worker's way back: FileResult as plain field tuples ------------------------------------------

def _tuple_reducer(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    """Rebuilt by calling the class with its fields in order (every class here has two or more)."""
    fields = operator.attrgetter(*[f.name for f in dataclasses.fields(cls)])
    return lambda obj: (cls, fields(obj))


_REDUCERS = copyreg.dispatch_table.copy()
_REDUCERS.update({cls: _tuple_reducer(cls) for cls in (
    FileResult, FileError, activity.Activity, activity.Source, activity.ActivityWarning, activity.Credits,
    activity.ResponsibilityMatch, activity.EthicsTopicMatch, activity.Ethics,
    # a long PDF's pages, laid out by the parts (a text-heavy page's words load 3x quicker so)
    PageRange, PageLayout, PageText, TextLine, Word, Fragment, FragmentRow, Issue, TextBlock, LineStyle)})
