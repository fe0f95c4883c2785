"""Images: certificates and statements as screenshots, phone photos and scans.

What members upload in the wild: a PNG screenshot of a course platform's certificate page, a JPEG taken
with a phone of a printed certificate (often turned by the camera's EXIF orientation rather than in the
pixels, in HEIC from an iPhone), a scanner's TIFF (several pages in one file, fax-compressed) or PNG, a
WEBP saved from a browser. Their text is only pixels: every page is read by OCR (`extractors.ocr`) into
words with boxes, then by the PDF reader's page logic (`extractors.pdf.PageReader`), so a scanned statement
gives tables and a certificate a text block, as a born-digital file would.

Bounds: frames over MAX_PIXELS are refused before they are decoded (a small file can declare a huge
canvas), at most options.max_pages frames are read, and OCR shares the PDF reader's time budget.
Pillow (and pillow-heif for HEIC, where installed) are imported on first use.
"""
from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .errors import UnreadableFile
from .model import Extraction, ExtractOptions, Upload
from .pdf import TIME_LIMIT_S, PageReader

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["FORMAT", "MEDIA_TYPES", "SUFFIXES", "MAX_PIXELS", "sniff", "extract"]

FORMAT = "image"
MEDIA_TYPES = ("image/png", "image/jpeg", "image/tiff", "image/webp", "image/heic", "image/gif", "image/bmp")
SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".heic", ".heif", ".gif", ".bmp")
# A phone's photo is 12-48 million pixels; a 600 dpi A4 scan 35 million. More is not a page.
MAX_PIXELS = 60_000_000
# An image with no size of its own is taken as a page whose longer side is A4's (297 mm = 842 pt).
PAGE_LONG_SIDE_PT = 842.0
# A resolution the file states is believed when it makes a page 4 to 17 inches long (a receipt to A3).
PAGE_INCHES = (4.0, 17.0)
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")


def _kind(head: bytes) -> str | None:
    """The media type the first bytes announce, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:2] == b"BM" and len(head) >= 26 and head[14:15] in (b"\x0c", b"\x28", b"\x38", b"\x40", b"\x6c", b"\x7c"):
        return "image/bmp"
    return None


def sniff(head: bytes, filename: str) -> bool:
    return _kind(head) is not None


def extract(upload: Upload, options: ExtractOptions) -> Extraction:
    from .ocr import check_engine

    media_type = _kind(upload.data[:64]) or MEDIA_TYPES[0]
    check_engine(upload.filename)
    reader = PageReader(upload.filename, time.monotonic() + TIME_LIMIT_S, len(upload.data))
    for number, (frame, points_per_pixel) in enumerate(_frames(upload, media_type, options), start=1):
        reader.read_image(frame, points_per_pixel, number)
    return reader.result(FORMAT, media_type)


def _frames(upload: Upload, media_type: str, options: ExtractOptions) -> Iterator[tuple[Image, float]]:
    """Each page of the image, upright as the camera meant it, with the points one pixel spans."""
    from PIL import Image as PILImage, ImageOps, ImageSequence, UnidentifiedImageError

    if media_type == "image/heic":
        _register_heif(upload.filename)
    try:
        with PILImage.open(io.BytesIO(upload.data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise _too_large(upload.filename, image.width, image.height)
            for index, frame in enumerate(ImageSequence.Iterator(image)):
                if index >= options.max_pages:
                    raise UnreadableFile("too_large", f"'{upload.filename}' has more than {options.max_pages} "
                                                      "pages. Upload the record in smaller files.")
                if frame.width * frame.height > MAX_PIXELS:
                    raise _too_large(upload.filename, frame.width, frame.height)
                page = ImageOps.exif_transpose(frame) or frame
                page.load()
                yield page, _points_per_pixel(page)
    except PILImage.DecompressionBombError as exc:
        raise UnreadableFile("too_large", f"'{upload.filename}' declares an image far larger than a page "
                                          f"({exc}). Upload a smaller photo or scan of it.") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise UnreadableFile("corrupt", f"'{upload.filename}' is damaged or not a complete image "
                                        f"({type(exc).__name__}). Save or export it again and upload the new copy."
                             ) from exc


def _points_per_pixel(image: Image) -> float:
    """The page's scale: from the resolution the file states where that makes a page, else A4's long side."""
    dpi = image.info.get("dpi")
    long_side = max(image.width, image.height)
    if isinstance(dpi, tuple) and dpi and isinstance(dpi[0], (int, float)) and dpi[0] > 0:
        inches = long_side / float(dpi[0])
        if PAGE_INCHES[0] <= inches <= PAGE_INCHES[1]:
            return 72.0 / float(dpi[0])
    return PAGE_LONG_SIDE_PT / max(long_side, 1)


def _too_large(filename: str, width: int, height: int) -> UnreadableFile:
    return UnreadableFile("too_large", f"'{filename}' is an image of {width} x {height} pixels, more than we read "
                                       f"({MAX_PIXELS // 1_000_000} million). Upload a smaller photo or scan of it.")


def _register_heif(filename: str) -> None:
    try:
        from pillow_heif import register_heif_opener
    except ImportError as exc:
        raise UnreadableFile("unsupported_format", f"'{filename}' is a HEIC photo, which this server cannot open. "
                                                   "Save it as JPEG or PNG and upload that.") from exc
    register_heif_opener()
