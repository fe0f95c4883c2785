"""Receiving an upload (POST /uploads): the multipart form read as it arrives, its `file` part streamed into
the blob store while it is hashed, so memory per request stays near one chunk (FLUSH) whatever the file's size.

Starlette's own form parsing would first copy the file to a temporary file of its own, then our code read
it back into memory whole (12 concurrent 49 MB uploads raised the API's memory by 915 MB); here the bytes go
once from the socket to a temporary file in the blob folder, renamed into place by its sha256. python-multipart
(the parser Starlette itself uses) does the parsing, fed chunk by chunk.

A form must hold exactly one part named `file` with a file name; anything else is a 400 that says how to
upload. `UploadGate` bounds how many uploads one process receives at once (CPD_MAX_CONCURRENT_UPLOADS); past
it the answer is 503 with Retry-After, before a byte of the body is read. A client that stops sending its
body for CPD_BODY_IDLE_SECONDS gets 408 `upload_stalled` and gives its place back (a slow client must not hold one
of the few upload places for ever; `serve`'s header deadline does the same for the headers).
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ..store import BlobStore, BlobWriter, neutral_name
from ..work.pipeline import empty_file_message
from .deps import HOW_TO_UPLOAD, ApiError, too_large

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

__all__ = ["Received", "receive_file", "UploadGate", "FLUSH", "MAX_PARTS", "MAX_FILENAME", "gate_of"]

FLUSH = 1 << 20          # bytes of the file gathered before they are handed to the store (in a thread)
MAX_PARTS = 100          # parts in one form: a file and a few fields is what a client sends
_MAX_HEADERS = 16 * 1024  # bytes of headers in one part
MAX_FILENAME = 255  # the column's length, and the longest name most file systems allow


@dataclass(frozen=True, slots=True)
class Received:
    """The file part, stored: its name as sent, its declared media type, its sha256 and size."""

    filename: str
    media_type: str | None
    sha256: str
    size: int


def _bad_form(what: str) -> ApiError:
    return ApiError(400, "bad_multipart", f"The upload could not be read as a form ({what}). {HOW_TO_UPLOAD}.")


class _Form:
    """python-multipart's callbacks: which part is being read, and the file's bytes not yet stored."""

    def __init__(self) -> None:
        self.pending = bytearray()
        self.parts = self.header_bytes = 0
        self.filename: str | None = None
        self.media_type: str | None = None
        self.in_file = self.file_ended = False
        self.problem: ApiError | None = None
        self._field, self._value = bytearray(), bytearray()
        self._headers: dict[bytes, bytes] = {}

    def callbacks(self) -> MultipartCallbacks:
        return {"on_part_begin": self._begin, "on_header_field": self._header_field,
                "on_header_value": self._header_value, "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished, "on_part_data": self._data, "on_part_end": self._end}

    def _begin(self) -> None:
        self.parts += 1
        self.header_bytes = 0
        self._headers = {}
        if self.parts > MAX_PARTS and self.problem is None:
            self.problem = _bad_form(f"it has more than {MAX_PARTS} parts; send the file alone")

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._count(end - start)
        self._value += data[start:end]

    def _count(self, n: int) -> None:
        self.header_bytes += n
        if self.header_bytes > _MAX_HEADERS and self.problem is None:
            self.problem = _bad_form(f"a part's headers are over {_MAX_HEADERS:,} bytes")

    def _header_end(self) -> None:
        self._headers[bytes(self._field).lower()] = bytes(self._value)
        self._field.clear()
        self._value.clear()

    def _headers_finished(self) -> None:
        _kind, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        if options.get(b"name") != b"file":
            return  # another field: read past it (the body's size is bounded by the UploadLimit middleware)
        if self.filename is not None or self.file_ended:
            self.problem = self.problem or ApiError(400, "two_files", (
                "The form holds more than one part named 'file'; one upload takes one file. Send each file in a "
                "request of its own."))
            return
        if b"filename" not in options:
            self.problem = self.problem or _bad_form("its 'file' field holds text, not a file")
            return
        name = options[b"filename"].decode("utf-8", "replace") or "upload"
        if len(name) > MAX_FILENAME:
            self.problem = self.problem or ApiError(400, "bad_filename", (
                f"The file's name is {len(name):,} characters long; rename the file to at most {MAX_FILENAME} "
                "characters and upload it again."))
            return
        self.filename = name
        declared = self._headers.get(b"content-type", b"").decode("latin-1").strip()
        self.media_type = declared or None
        self.in_file = True

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self.in_file:
            self.pending += data[start:end]

    def _end(self) -> None:
        if self.in_file:
            self.in_file, self.file_ended = False, True


def _boundary(content_type: str | None) -> bytes:
    kind, options = parse_options_header(content_type or "")
    if kind != b"multipart/form-data":
        raise ApiError(400, "bad_multipart", f"The upload is not a form (Content-Type '{kind.decode('latin-1')}'). "
                       f"{HOW_TO_UPLOAD}.")
    boundary = options.get(b"boundary", b"")
    if not boundary:
        raise _bad_form("its Content-Type names no boundary")
    return boundary


async def receive_file(request: Request, blobs: BlobStore, limit: int, idle_seconds: float = 30.0) -> Received:
    """Read the request's form, storing its one `file` part in `blobs` as it arrives. ApiError for a form
    that is not one file (400), a file over `limit` bytes (413) or empty (400, as `extract` says it), a body
    that stalls for `idle_seconds` (408); StorageUnavailable when the store cannot take the bytes. Nothing is
    left in the store on any error."""
    form = _Form()
    parser = MultipartParser(_boundary(request.headers.get("content-type")), form.callbacks())
    writer: BlobWriter | None = None
    try:
        async for chunk in _arriving(request, idle_seconds, writer_size=lambda: writer.size if writer else 0):
            try:
                parser.write(chunk)
            except MultipartParseError as exc:
                raise _bad_form(str(exc) or exc.__class__.__name__) from exc
            if form.problem is not None:
                raise form.problem
            if (writer.size if writer else 0) + len(form.pending) > limit:
                raise too_large(limit)
            if len(form.pending) >= FLUSH:
                writer = await _flush(form, blobs, writer)
        parser.finalize()
        if form.problem is not None:
            raise form.problem
        if form.filename is None or not form.file_ended:
            raise _bad_form("there is no complete part named 'file'" if form.parts else "there is no part in it")
        if writer is None and not form.pending:
            raise ApiError(400, "empty_file", empty_file_message(neutral_name(form.filename)))
        writer = await _flush(form, blobs, writer)  # what is left (perhaps nothing)
        sha256 = await run_in_threadpool(writer.commit)
        return Received(form.filename, form.media_type, sha256, writer.size)
    except BaseException:
        if writer is not None:
            await run_in_threadpool(writer.abort)
        raise


async def _arriving(request: Request, idle_seconds: float, writer_size: Callable[[], int]) -> AsyncIterator[bytes]:
    """The body's chunks as they arrive; ApiError 408 when none comes for `idle_seconds`."""
    chunks = request.stream().__aiter__()
    while True:
        try:
            chunk = await asyncio.wait_for(chunks.__anext__(), timeout=idle_seconds)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise ApiError(408, "upload_stalled", (
                f"The upload stopped arriving: nothing came for {idle_seconds:.0f} seconds after "
                f"{writer_size():,} bytes of the file. Nothing was stored; check the connection and send the file "
                "again."), headers={"Connection": "close"}) from None
        yield chunk


async def _flush(form: _Form, blobs: BlobStore, writer: BlobWriter | None) -> BlobWriter:
    """Hand the pending bytes to the store (in a thread: disk and network never block the event loop)."""
    data = bytes(form.pending)
    form.pending.clear()
    return await run_in_threadpool(_write, blobs, writer, data)


def _write(blobs: BlobStore, writer: BlobWriter | None, data: bytes) -> BlobWriter:
    writer = writer or blobs.writer()
    if data:
        writer.write(data)
    return writer


class UploadGate:
    """How many uploads this process is receiving; past `limit`, 503 with Retry-After at once. The count
    only changes in the event loop's thread, so it needs no lock."""

    RETRY_AFTER = 10

    def __init__(self, limit: int) -> None:
        self.limit, self.active = limit, 0

    @contextmanager
    def slot(self) -> Iterator[None]:
        """A place for one upload for the duration of the block, or ApiError 503 `busy`."""
        if self.active >= self.limit:
            raise ApiError(503, "busy", (
                f"The service is receiving {self.active} uploads just now, as many as it takes at once. Nothing "
                f"was stored: send the file again in {self.RETRY_AFTER} seconds."),
                headers={"Retry-After": str(self.RETRY_AFTER)})
        self.active += 1
        try:
            yield
        finally:
            self.active -= 1


def gate_of(request: Request) -> UploadGate:
    """The app's bound on uploads received at once (made by create_app)."""
    return request.app.state.upload_gate  # type: ignore[no-any-return]
