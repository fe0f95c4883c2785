"""The PDF stream check: bounded in size and in time, and never a loop without progress.

A zlib stream that inflates past one read step (1 MiB of output) and ends inside the chunk being read,
with more of the file after it, once left zlib's `unconsumed_tail` as it was forever: the check spun until
the file's time ran out (issue 12; the real LaTeX certificate in realworld-records did so).
"""
from __future__ import annotations

import zlib

import pytest

from extractors import pdf
from extractors.errors import UnreadableFile
from extractors.model import ExtractOptions, Upload
from extractors.pdf.streams import check_streams

MIB = 1 << 20


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 0 obj, 2 0 obj, ...) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _certificate_with_big_stream(inflated: int) -> bytes:
    """One page of text, and beside it a Flate image stream that inflates to `inflated` bytes of grey and
    ends inside a read chunk, with the page's objects after it (as pdfTeX writes an embedded picture)."""
    side = int(inflated ** 0.5)
    picture = zlib.compress(bytes(range(256)) * (side * side // 256), 6)
    text = b"BT /F1 14 Tf 72 720 Td (Certificate of Participation) Tj 0 -20 Td (This is to confirm that Alice) Tj ET"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [4 0 R] >>",
        _stream(picture, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                         b"/BitsPerComponent 8 /Filter /FlateDecode " % (side, side)),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
        b"/Resources << /Font << /F1 6 0 R >> >> >>",
        _stream(text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def test_stream_ending_inside_a_chunk_is_measured_to_its_end() -> None:
    """GIVEN a 3 MiB stream that ends inside a read chunk with the file going on after it WHEN the check runs
    with a budget just under its size THEN it counts the stream (refusing it) rather than spinning."""
    data = _certificate_with_big_stream(3 * MIB)
    with pytest.raises(UnreadableFile) as caught:
        check_streams(data, ExtractOptions(max_inflated_bytes=2 * MIB), "big.pdf")
    assert caught.value.code == "too_large"
    check_streams(data, ExtractOptions(), "big.pdf")


def test_pdf_with_such_a_stream_is_read() -> None:
    """The whole PDF is read: its page's text comes back as a text block."""
    data = _certificate_with_big_stream(3 * MIB)
    found = pdf.extract(Upload.from_bytes(data, "participation.pdf"), ExtractOptions())
    assert not found.ocr
    assert any("Certificate of Participation" in line for block in found.prose for line in block.lines)


def test_stream_followed_by_garbage_is_measured() -> None:
    """Bytes after a stream's end that are no deflate data end the count at the stream's own end."""
    body = zlib.compress(b"q Q\n" * (MIB // 2))
    data = b"%PDF-1.4\n1 0 obj\n<< /Length 9 >>\nstream\n" + body + b"\nendstream\nendobj\n" + b"\xff" * 3 * MIB
    with pytest.raises(UnreadableFile) as caught:
        check_streams(data, ExtractOptions(max_inflated_bytes=MIB), "x.pdf")
    assert caught.value.code == "too_large"
    check_streams(data, ExtractOptions(max_inflated_bytes=3 * MIB), "x.pdf")



def test_timeout_message_fits_a_small_file() -> None:
    """A one-page file that runs out of time is ours to look at; a long one may be split."""
    small = pdf.timeout_error("certificate.pdf", 1, 1, 120_000)
    assert small.code == "timeout"
    assert "look at" in small.message and "reprocess" in small.message
    assert "alone" not in small.message and "Split" not in small.message
    long = pdf.timeout_error("transcript.pdf", 140, 600, 9_000_000)
    assert "Split" in long.message and "page 140 of 600" in long.message
