"""Compressed streams inflated within a budget before pdfminer sees the file.

pdfminer inflates a FlateDecode stream whole (`zlib.decompress`, no limit) when it reads a page, an
object stream or a form, and byte by byte (quadratic) when the stream's check value is wrong: a few
hundred KB of deflate make gigabytes. So every stream in the file that starts as zlib data is
inflated here first, in bounded steps and without keeping the output, and the file is refused when
one stream unpacks past MAX_STREAM_BYTES or all of them past the options' inflate budget.

Each stream is followed from its "stream" keyword to the end of its deflate data, not to the next
"endstream" (a stored deflate block may hold that word). Streams of an encrypted PDF are inflated
only after decryption, inside pdfminer; the child process's memory bound (ingest.work.sandbox) holds there.

The check is bounded in time as well as in size: every step of the inflate loop either consumes input or
produces output, or the loop ends (zlib keeps `unconsumed_tail` as it was once the stream has ended, so
"until the tail is empty" never ends when a stream stops inside a chunk with more bytes after it), and the
whole check stops with `timeout` past CHECK_TIME_LIMIT_S (zlib inflates some hundreds of MB a second, so an
honest file is checked in well under a second).
"""
from __future__ import annotations

import re
import time
import zlib

from ..errors import UnreadableFile
from ..model import ExtractOptions

__all__ = ["MAX_STREAM_BYTES", "CHECK_TIME_LIMIT_S", "check_streams"]

MAX_STREAM_BYTES = 128 * 1024 * 1024   # a page's content is kilobytes; an 8-megapixel RGB image 24 MiB
# Seconds the whole check may take; the inflate budget (500 MiB) takes about one on this kind of machine.
CHECK_TIME_LIMIT_S = 5.0
_CHUNK = 1 << 20
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")


def check_streams(data: bytes, options: ExtractOptions, filename: str) -> None:
    """Raise UnreadableFile ("zip_bomb", "too_large") for a stream or streams that unpack too far, and
    ("timeout") when the check itself takes longer than CHECK_TIME_LIMIT_S."""
    total = 0
    deadline = time.monotonic() + CHECK_TIME_LIMIT_S
    for found in _STREAM.finditer(data):
        start = found.end()
        if not _zlib_header(data[start:start + 2]):
            continue                    # not Flate (an image, a font, another filter) or encrypted
        size = _inflated_size(data, start, min(MAX_STREAM_BYTES, options.max_inflated_bytes - total) + 1, deadline)
        if size < 0:
            raise UnreadableFile("timeout", f"'{filename}' could not be checked in time (its compressed parts take "
                                            "too long to unpack), so it was not read. It is kept: it will be looked "
                                            "at, and an administrator can reprocess it.")
        if size > MAX_STREAM_BYTES:
            raise UnreadableFile("zip_bomb", f"'{filename}' holds a compressed part that unpacks to more than "
                                             f"{MAX_STREAM_BYTES // (1 << 20)} MiB (a decompression bomb); it was not "
                                             "read. Print it to a new PDF, or upload the record from its system.")
        total += size
        if total > options.max_inflated_bytes:
            raise UnreadableFile("too_large", f"'{filename}' unpacks to more than the {options.max_inflated_bytes:,} "
                                              "bytes we read from one file. Upload the CPD record alone, or split it.")


def _zlib_header(head: bytes) -> bool:
    return len(head) == 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0


def _inflated_size(data: bytes, start: int, limit: int, deadline: float) -> int:
    """Bytes the zlib stream at `start` unpacks to, counted up to `limit`; damaged data ends the count, and
    -1 says the deadline passed first."""
    inflater = zlib.decompressobj()
    view = memoryview(data)
    size = 0
    try:
        for offset in range(start, len(data), _CHUNK):
            pending: bytes | memoryview = view[offset:offset + _CHUNK]
            while pending and size < limit and not inflater.eof:
                produced = len(inflater.decompress(pending, _CHUNK))
                tail = inflater.unconsumed_tail
                if not produced and len(tail) >= len(pending):
                    return size             # no progress: zlib wants nothing more of this data
                size += produced
                pending = tail
                if time.monotonic() > deadline:
                    return -1
            if inflater.eof or size >= limit:
                break
    except zlib.error:
        pass
    return size
