"""Pixels made ready for the engine: grey, upright, level, flattened, and at a size tesseract reads well.

What members send: screenshots (clean, often with a transparent or dark background), phone photos of a
printed certificate (the paper on a desk, at an angle, turned, one corner in shadow), scans at 100-150 dpi,
faxes as multi-page TIFF. Tesseract reads best with text lines 25-40 pixels tall on an upright, level page:
small text is scaled up and very large text down (it only costs time), a page on its side is turned, a leaning
one levelled, and a sheet of paper photographed in perspective is pulled back to a rectangle.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import engine

if TYPE_CHECKING:
    from PIL.Image import Image, Resampling

__all__ = ["Prepared", "prepare", "to_grey", "MAX_PIXELS"]

# Pixels handed to the engine at most (a 300 dpi A4 page is 8.7 million); more only costs time.
MAX_PIXELS = 16_000_000
WORK_PIXELS = 2_500_000
OSD_PIXELS = 1_000_000
# Text lines this tall (median, pixels) read best; smaller ones are scaled up, at most UPSCALE_MAX times.
GOOD_LINE_PX = 34.0
SMALL_LINE_PX = 28.0
LARGE_LINE_PX = 90.0
UPSCALE_MAX = 2.5
# Leans under this many degrees are left alone (tesseract copes, and resampling blurs).
MIN_SKEW_DEGREES = 0.4
MAX_SKEW_DEGREES = 20.0
# An orientation is believed at this OSD confidence and up.
MIN_ORIENTATION_CONFIDENCE = 1.5
# Background brightness differing by more than this across the page (0-255) is uneven light.
UNEVEN_LIGHT = 40
# Ink is this much darker than the paper; a run of ink longer than RULE_LINES good text lines is a rule.
INK_CONTRAST = 60
RULE_LINES = 5.0


@dataclass(frozen=True, slots=True)
class Prepared:
    """The image the engine reads, and how many of the original's pixels one of its pixels spans."""

    image: Image
    scale: float            # prepared pixels per original pixel
    turned: int             # degrees the page was turned to stand upright
    uneven_light: bool


def to_grey(image: Image) -> Image:
    """8-bit grey on white: a transparent background (screenshots, PNG exports) becomes white, not black."""
    from PIL import Image as PILImage

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat.alpha_composite(rgba)
        image = flat
    return image if image.mode == "L" else image.convert("L")


def prepare(image: Image, turn: int = 0) -> Prepared:
    """Grey, within MAX_PIXELS, flattened (photos), turned `turn` degrees anti-clockwise, levelled and scaled
    for the engine."""
    from .flatten import flatten

    grey = to_grey(image)
    scale = min(1.0, (MAX_PIXELS / max(grey.width * grey.height, 1)) ** 0.5)
    if scale < 1.0:
        grey = grey.resize((max(int(grey.width * scale), 1), max(int(grey.height * scale), 1)), _lanczos())
    grey = flatten(grey)
    if _paper(grey) < 128:              # light text on a dark ground (a "black" template): made dark on light
        from PIL import ImageOps

        grey = ImageOps.invert(grey)
    if turn:
        grey = grey.rotate(turn, expand=True, fillcolor=_paper(grey))
    # The layout is judged on a copy of at most WORK_PIXELS: it needs shapes, not detail.
    reduction = _reduction(grey, WORK_PIXELS)
    work = grey.reduce(reduction) if reduction > 1 else grey
    found = engine.layout(work)
    grey, factor = _level_and_scale(grey, found.line_height * reduction, found.small_line_height * reduction,
                                    found.skew_degrees)
    line_height = found.line_height * reduction * factor or GOOD_LINE_PX
    return Prepared(_erase_rules(grey, line_height), scale * factor, turn, _uneven(work))


def upright_turn(image: Image) -> int:
    """Degrees anti-clockwise that stand the page upright (90, 180, 270), where tesseract's orientation check
    is sure; 0 otherwise. Asked only of a page whose upright reading gave no text (it costs a quarter second)."""
    degrees, confidence = engine.orientation(_at_most(to_grey(image), OSD_PIXELS))
    return degrees if degrees and confidence >= MIN_ORIENTATION_CONFIDENCE else 0


def _reduction(grey: Image, most: int) -> int:
    return max(1, math.ceil(math.sqrt(grey.width * grey.height / most)))


def _at_most(grey: Image, most: int) -> Image:
    reduction = _reduction(grey, most)
    return grey.reduce(reduction) if reduction > 1 else grey


def _level_and_scale(grey: Image, line_height: float, small_line_height: float, skew_degrees: float,
                     ) -> tuple[Image, float]:
    """Levelled, and scaled so most text lines are GOOD_LINE_PX tall: up where they are small, down where
    they are LARGE_LINE_PX (a page rendered from a huge picture), never so far that the small print falls
    under SMALL_LINE_PX."""
    factor = 1.0
    if 0 < line_height < SMALL_LINE_PX:
        factor = min(UPSCALE_MAX, GOOD_LINE_PX / line_height)
    elif line_height > LARGE_LINE_PX:
        factor = max(0.35, GOOD_LINE_PX * 1.5 / line_height, SMALL_LINE_PX / max(small_line_height, 1.0))
    factor = min(factor, (MAX_PIXELS / max(grey.width * grey.height, 1)) ** 0.5)
    if MIN_SKEW_DEGREES <= abs(skew_degrees) <= MAX_SKEW_DEGREES:
        # tesseract's angle turns the text anti-clockwise to level; PIL's rotate turns anti-clockwise too
        grey = grey.rotate(skew_degrees, resample=_bicubic(), expand=True, fillcolor=_paper(grey))
    if abs(factor - 1.0) > 0.05:
        grey = grey.resize((max(int(grey.width * factor), 1), max(int(grey.height * factor), 1)), _lanczos())
        return grey, factor
    return grey, 1.0


def _erase_rules(grey: Image, line_height: float) -> Image:
    """Ruled lines (a statement's table rules, a certificate's frame, signature lines) painted out in the
    paper's shade: tesseract reads a rule that touches the letters above it as part of them, and joins the
    rows either side of it into one line. A rule is a dark run longer than RULE_LINES text lines; no letter
    is that wide. Only on light paper."""
    import numpy as np

    paper = _paper(grey)
    if paper < 128:
        return grey
    pixels = np.asarray(grey)
    dark = pixels < paper - INK_CONTRAST
    length = int(RULE_LINES * max(line_height, GOOD_LINE_PX))
    rules = (_rule_rows(dark, length) | _rule_rows(dark.T, length).T) & dark
    if not rules.any():
        return grey
    rules[1:, :] |= rules[:-1, :]               # and the rules' soft edges
    rules[:-1, :] |= rules[1:, :]
    rules[:, 1:] |= rules[:, :-1]
    rules[:, :-1] |= rules[:, 1:]
    cleaned = pixels.copy()
    cleaned[rules] = paper
    from PIL import Image as PILImage

    return PILImage.fromarray(cleaned, "L")


def _thicker(dark: Any) -> Any:
    """`dark` grown a pixel up and down: a rule a little off level steps a pixel now and then, and its run
    goes on across the step."""
    grown = dark.copy()
    grown[1:, :] |= dark[:-1, :]
    grown[:-1, :] |= dark[1:, :]
    return grown


def _rule_rows(dark: Any, length: int) -> Any:
    """The pixels of horizontal rules: runs looked for only in the rows with that much ink at all."""
    import numpy as np

    grown = _thicker(dark)
    rows = np.flatnonzero(grown.sum(axis=1) >= length)
    found = np.zeros_like(dark)
    if len(rows):
        found[rows] = _runs(grown[rows], length)
    return found


def _runs(dark: Any, length: int) -> Any:
    """The pixels of `dark` inside a horizontal run of at least `length` dark pixels."""
    import numpy as np

    height, width = dark.shape
    if width <= length:
        return np.zeros_like(dark)
    counts = np.zeros((height, width + 1), dtype=np.int32)
    np.cumsum(dark, axis=1, out=counts[:, 1:])
    starts = (counts[:, length:] - counts[:, :-length]) == length      # a full run begins here
    marks = np.zeros((height, width + 1), dtype=np.int32)
    np.cumsum(np.pad(starts, ((0, 0), (0, length - 1))), axis=1, out=marks[:, 1:])
    return (marks[:, 1:] - np.pad(marks, ((0, 0), (length, 0)))[:, 1:width + 1]) > 0


def _paper(grey: Image) -> int:
    """The page's background shade: the brightest common grey (a dark certificate keeps its dark ground)."""
    histogram = grey.histogram()
    return max(range(256), key=lambda level: histogram[level])


def _uneven(grey: Image) -> bool:
    """The background (the brightest part of each of 8x8 tiles) differs across the page: a photo's light."""
    from PIL import ImageFilter

    tiles = grey.resize((64, 64), _box()).filter(ImageFilter.MaxFilter(7)).resize((8, 8), _box())
    low, high = tiles.getextrema()
    return isinstance(low, int) and isinstance(high, int) and high - low > UNEVEN_LIGHT


def _lanczos() -> Resampling:
    from PIL.Image import Resampling

    return Resampling.LANCZOS


def _bicubic() -> Resampling:
    from PIL.Image import Resampling

    return Resampling.BICUBIC


def _box() -> Resampling:
    from PIL.Image import Resampling

    return Resampling.BOX
