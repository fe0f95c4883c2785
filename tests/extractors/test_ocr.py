"""OCR's edges: empty pages, images with no text, damaged or oversized images, a machine without the
engine's data, the time budget, and the layout rules (sheets of certificates, kept and dropped words)."""
from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from extractors import image, pdf
from extractors.errors import UnreadableFile
from extractors.model import ExtractOptions, Upload
from extractors.ocr import _believed, _off_the_edges, engine
from extractors.ocr.layout import regions
from extractors.pdf.lines import Word

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _png(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _pdf(pages: int, draw: bool = False) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    for _ in range(pages):
        if draw:
            canvas.setFillColorRGB(0.2, 0.3, 0.8)
            canvas.rect(40, 40, 300, 200, fill=1)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_a_thousand_empty_pages_are_read_as_empty() -> None:
    """Pages with no text and no image are empty, not an error, and none is rendered for OCR."""
    found = pdf.extract(Upload.from_bytes(_pdf(1000), "blank.pdf"), ExtractOptions())
    assert found.prose == () and found.tables == () and found.issues == ()
    assert found.ocr is False


def test_pages_of_drawings_only_are_empty() -> None:
    """A frame or a coloured box is no text and no picture: the file is read, with nothing in it."""
    found = pdf.extract(Upload.from_bytes(_pdf(3, draw=True), "boxes.pdf"), ExtractOptions())
    assert found.prose == () and found.ocr is False


def test_pdf_of_pictures_without_text_is_refused() -> None:
    """Image-only pages whose pictures hold no text: no_text_layer, naming the file and what to do."""
    with pytest.raises(UnreadableFile) as caught:
        pdf.extract(Upload.from_bytes((SAMPLES / "pdf" / "scanned-image-only.pdf").read_bytes(), "scan.pdf"),
                    ExtractOptions())
    assert caught.value.code == "no_text_layer"
    assert "'scan.pdf'" in caught.value.message and "Upload a sharper scan" in caught.value.message


def test_photo_without_text_is_refused() -> None:
    """A picture with shapes and no words is refused, not read into noise."""
    picture = Image.new("RGB", (900, 600), (200, 220, 240))
    draw = ImageDraw.Draw(picture)
    for k in range(12):
        draw.ellipse((40 + 60 * k, 100 + 20 * (k % 3), 120 + 60 * k, 180 + 20 * (k % 3)), fill=(40 * (k % 6), 90, 60))
    with pytest.raises(UnreadableFile) as caught:
        image.extract(Upload.from_bytes(_png(picture), "holiday.png"), ExtractOptions())
    assert caught.value.code == "no_text_layer"


def test_truncated_image_is_corrupt() -> None:
    data = (SAMPLES / "image" / "cpd-statement-scan.png").read_bytes()
    with pytest.raises(UnreadableFile) as caught:
        image.extract(Upload.from_bytes(data[: len(data) // 3], "cut.png"), ExtractOptions())
    assert caught.value.code == "corrupt" and "'cut.png'" in caught.value.message


def test_image_declaring_a_huge_canvas_is_refused_before_decoding() -> None:
    """A PNG whose header claims 100,000 x 100,000 pixels is too_large, whatever its few bytes hold."""
    import struct
    import zlib

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + header
    data = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)) + b"\x00\x00\x00\x00IEND\xaeB`\x82")
    with pytest.raises(UnreadableFile) as caught:
        image.extract(Upload.from_bytes(data, "bomb.png"), ExtractOptions())
    assert caught.value.code == "too_large"


def test_engine_data_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without tesseract's English data an image fails with ocr_unavailable, naming the package."""
    monkeypatch.setattr(engine, "tessdata", lambda: None)
    data = (SAMPLES / "image" / "open-badge-credential.webp").read_bytes()
    with pytest.raises(UnreadableFile) as caught:
        image.extract(Upload.from_bytes(data, "badge.webp"), ExtractOptions())
    assert caught.value.code == "ocr_unavailable" and "tesseract-ocr-eng" in caught.value.message


def test_engine_data_is_installed_here() -> None:
    """The tests run with the real engine: the data the README's commands install is found."""
    folder = engine.tessdata()
    assert folder is not None and (folder / "eng.traineddata").is_file() and (folder / "osd.traineddata").is_file()


def test_page_left_without_time_is_reported_not_read() -> None:
    """GIVEN less time left than a page of OCR takes WHEN an image page comes THEN it is not started, and a
    file with nothing else read fails with a timeout that fits a small file."""
    reader = pdf.PageReader("late.png", time.monotonic() + 1.0, 50_000, 1)
    reader.read_image(Image.new("L", (100, 100), 255), 1.0, 1)
    with pytest.raises(UnreadableFile) as caught:
        reader.result()
    assert caught.value.code == "timeout" and "reprocess" in caught.value.message


def _block(left: float, top: float, lines: list[tuple[str, float]]) -> list[Word]:
    """Words of a certificate drawn from (left, top): each line's words with that line's height."""
    words = []
    y = top
    for text, size in lines:
        x = left
        for token in text.split():
            width = 0.5 * size * len(token)
            words.append(Word(x, x + width, y, y + size, token))
            x += width + 0.3 * size
        y += size * 2.2
    return words


CERTIFICATE = [("Certificate of attendance", 17), ("{name}", 16), ("has attended the course Ethics for Trustees", 8),
               ("taught by Dr N. Ashworth", 8), ("with date 16/05/2025", 8), ("and a duration of 3 hours.", 8),
               ("Course Director", 8)]


def test_sheet_of_four_certificates_comes_apart_in_reading_order() -> None:
    names = ["Chloe Adeyemi", "Tomasz Nowak", "Isla Fergusson", "Ravi Chandran"]
    words = []
    for index, name in enumerate(names):
        lines = [(text.format(name=name), size) for text, size in CERTIFICATE]
        words += _block(40 + 421 * (index % 2), 60 + 297 * (index // 2), lines)
    parts = regions(words, 842, 595)
    assert [" ".join(w.text for w in part[3:5]) for part in parts] == names


def test_one_certificate_with_two_signature_blocks_stays_whole() -> None:
    """White space inside one certificate (a large title above, two small signatures side by side below)
    is no gutter between copies."""
    words = _block(200, 80, [("CERTIFICATE OF RECOGNITION", 30), ("This Certificate Is Awarded To", 14),
                             ("Hannah Morales", 36), ("for outstanding contribution to the community", 12)])
    words += _block(120, 450, [("Juliana Silva", 14), ("Chief Executive", 10)])
    words += _block(560, 450, [("Murad Naser", 14), ("Head of Community", 10)])
    assert len(regions(words, 842, 595)) == 1


def _raw(text: str, confidence: float, top: int = 100, x0: int = 0) -> engine.RawWord:
    return engine.RawWord(x0, x0 + 10 * len(text), top, top + 30, top, top + 30, text, confidence)


def test_unsure_words_kept_only_beside_sure_ones() -> None:
    """A script-face name beside a clear word is kept; a crest's noise alone on its line is not; a number
    in a table row keeps its row, less a bracket closing nothing."""
    page = [_raw("Certificate", 96, 20), _raw("of", 95, 20, 150), _raw("completion", 96, 20, 200),
            _raw("John", 6, 100), _raw("Doe", 96, 100, 60),
            _raw("xk", 45, 300), _raw("*k&", 40, 300, 40),
            _raw("Trustee", 95, 400), _raw("2.5)", 48, 400, 700)]
    assert [w.text for w in _believed(page)] == ["Certificate", "of", "completion", "John", "Doe", "Trustee", "2.5"]


def test_light_text_on_a_dark_ground_is_read() -> None:
    """A 'black' certificate template (light letters on a dark ground) reads as well as dark on light."""
    from PIL import ImageFont

    picture = Image.new("RGB", (1200, 800), (28, 28, 30))
    draw = ImageDraw.Draw(picture)
    face = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    for row, words in enumerate(["CERTIFICATE OF RECOGNITION", "This certificate is awarded to", "Hannah Morales"]):
        draw.text((600, 200 + 120 * row), words, font=face, anchor="mm", fill=(225, 200, 140))
    found = image.extract(Upload.from_bytes(_png(picture), "black.png"), ExtractOptions())
    assert found.prose[0].lines == ("CERTIFICATE OF RECOGNITION", "This certificate is awarded to", "Hannah Morales")


def test_short_marks_along_the_edges_are_border() -> None:
    """A scalloped border reads as 'q', 'Gy', 'AAA' down the page's sides: dropped; a word or a figure inside
    the page is kept, and so is a long word near the edge."""
    page = [_raw("Gy", 60, 400, 8), _raw("AAA", 80, 900, 960), _raw("q", 90, 20, 500),
            _raw("2.0", 90, 500, 700), _raw("Certificate", 96, 30, 5)]
    assert [w.text for w in _off_the_edges(page, 1000, 1400)] == ["2.0", "Certificate"]
