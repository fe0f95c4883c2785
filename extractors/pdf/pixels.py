"""Pages without a text layer, rendered for OCR.

A scanned statement or a certificate made from a picture (a template image with the name painted in) is a
page of one image and no characters; some design tools export text as outlines (one curve per glyph). Such a
page is rendered with PDFium (pypdfium2, the renderer pdfplumber itself uses) at the resolution of its
largest image, or 200 dpi for outlines, within a pixel budget; OCR scales it further by the text's height.
A page with neither (blank, or only a frame or a rule) is not rendered: it is empty.
"""
from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

from ..errors import UnreadableFile

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["PageImages", "MIN_GLYPH_CURVES"]

# Text drawn as outlines: at least this many curves on a page with no characters.
MIN_GLYPH_CURVES = 20
OUTLINE_SCALE = 200 / 72
MAX_SCALE = 300 / 72
MIN_SCALE = 1.0
MAX_PIXELS = 16_000_000


class PageImages:
    """Renders pages of one PDF (opened once, on the first page that needs it; closed on exit)."""

    def __init__(self, data: bytes, filename: str) -> None:
        self._data = data
        self._filename = filename
        self._document: Any = None

    def __enter__(self) -> PageImages:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None,
                 ) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None

    @staticmethod
    def worth_reading(page: Any) -> bool:
        """The page shows an image, or enough curves to be text drawn as outlines."""
        return bool(page.images) or len(page.curves) >= MIN_GLYPH_CURVES

    def render(self, page: Any, index: int) -> tuple[Image, float]:
        """Page `index` (from 0) as a grey image, and the points one of its pixels spans."""
        import pypdfium2

        scale = _scale(page)
        try:
            if self._document is None:
                self._document = pypdfium2.PdfDocument(self._data)
            bitmap = self._document[index].render(scale=scale, grayscale=True)
        except pypdfium2.PdfiumError as exc:
            raise UnreadableFile("corrupt", f"'{self._filename}': page {index + 1} is an image we could not draw "
                                            f"({exc}). Download or export the file again and upload the new copy."
                                 ) from exc
        return bitmap.to_pil(), 1.0 / scale


def _scale(page: Any) -> float:
    """Pixels per point: the largest image's own resolution on the page, within bounds."""
    shown = [image for image in page.images
             if float(image["x1"]) - float(image["x0"]) > 1 and (image.get("srcsize") or (0, 0))[0]]
    scale = OUTLINE_SCALE
    if shown:               # the largest picture on the page (a scan's page image, not a logo or a speck)
        largest = max(shown, key=lambda i: (float(i["x1"]) - float(i["x0"])) * (float(i["bottom"]) - float(i["top"])))
        scale = float(largest["srcsize"][0]) / (float(largest["x1"]) - float(largest["x0"]))
    scale = min(max(scale, MIN_SCALE), MAX_SCALE)
    area = float(page.width) * float(page.height)
    return float(min(scale, (MAX_PIXELS / max(area, 1.0)) ** 0.5))
