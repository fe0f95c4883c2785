"""A sheet of paper photographed at an angle, pulled back to a rectangle.

A phone photo shows the certificate as a bright four-sided shape on a darker desk, its edges converging
(perspective) and turned. On a heavily blurred, small copy the sheet is one bright region: it is found by
filling from the brightest point near the middle, its corners are the region's extreme points along the
diagonals, and the photo is warped so that those corners become a rectangle's. Nothing is done when the
paper fills the frame (a scan, a screenshot), when the region is not solid (a dark certificate, whose bright
parts are its letters) or when the shape is already an upright rectangle.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["flatten"]

_SIDE = 160                  # pixels of the small copy's longer side
_MIN_SHARE, _MAX_SHARE = 0.2, 0.93   # of the frame the sheet must cover to be a sheet on a desk
_SOLID = 0.9                 # of the corners' quadrilateral the bright region must fill
_UPRIGHT_DEGREES = 2.5       # edges within this of level / plumb: nothing to correct (a frame, a border)

Point = tuple[float, float]


def flatten(grey: Image) -> Image:
    """`grey` with the photographed sheet warped to a rectangle, or `grey` itself where there is none."""
    corners = _sheet_corners(grey)
    if corners is None:
        return grey
    return _warp(grey, corners)


def _sheet_corners(grey: Image) -> tuple[Point, Point, Point, Point] | None:
    import numpy as np
    from PIL import ImageFilter
    from PIL.Image import Resampling

    ratio = _SIDE / max(grey.size)
    reduced = grey.reduce(max(1, int(1 / ratio)))
    small = reduced.resize((max(int(grey.width * ratio), 8), max(int(grey.height * ratio), 8)), Resampling.BOX)
    pixels = np.asarray(small.filter(ImageFilter.GaussianBlur(3)), dtype=np.uint8)
    mask = pixels > _otsu(pixels)
    height, width = mask.shape
    seed = _seed(pixels, mask)
    if seed is None:
        return None
    ys, xs = np.nonzero(_region(mask, seed))
    share = len(xs) / float(width * height)
    if not _MIN_SHARE <= share <= _MAX_SHARE:
        return None
    s, d = xs + ys, xs - ys
    quad = [(xs[s.argmin()], ys[s.argmin()]), (xs[d.argmax()], ys[d.argmax()]),
            (xs[s.argmax()], ys[s.argmax()]), (xs[d.argmin()], ys[d.argmin()])]
    area = _area(quad)
    if area <= 0 or len(xs) / area < _SOLID or _upright(quad):
        return None
    tl, tr, br, bl = ((float(x) / ratio, float(y) / ratio) for x, y in quad)
    return tl, tr, br, bl


def _otsu(pixels: object) -> int:
    import numpy as np

    values = np.asarray(pixels).ravel()
    counts = np.bincount(values, minlength=256).astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(counts)
    mean = np.cumsum(counts * levels)
    total, grand = weight[-1], mean[-1]
    between = (grand * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1e-9)
    return int(between.argmax())


def _seed(pixels: object, mask: object) -> tuple[int, int] | None:
    """The brightest point of the middle ninth of the frame, if it is bright."""
    import numpy as np

    grid, bright = np.asarray(pixels), np.asarray(mask)
    h, w = grid.shape
    middle = grid[h // 3: 2 * h // 3, w // 3: 2 * w // 3]
    y, x = np.unravel_index(int(middle.argmax()), middle.shape)
    y, x = int(y) + h // 3, int(x) + w // 3
    return (x, y) if bright[y, x] else None


def _region(mask: Any, seed: tuple[int, int]) -> Any:
    """The pixels of `mask` joined to `seed` (4-connected), grown a ring at a time until it stops."""
    import numpy as np

    region = np.zeros_like(mask)
    region[seed[1], seed[0]] = True
    for _ in range(sum(mask.shape) * 2):
        grown = region.copy()
        grown[1:, :] |= region[:-1, :]
        grown[:-1, :] |= region[1:, :]
        grown[:, 1:] |= region[:, :-1]
        grown[:, :-1] |= region[:, 1:]
        grown &= mask
        if np.array_equal(grown, region):
            break
        region = grown
    return region


def _area(quad: list[tuple[int, int]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(quad, quad[1:] + quad[:1]))) / 2.0


def _upright(quad: list[tuple[int, int]]) -> bool:
    """Every edge within _UPRIGHT_DEGREES of level or plumb (on the small copy, so a pixel is ~0.2 degree)."""
    for (x0, y0), (x1, y1) in zip(quad, quad[1:] + quad[:1]):
        angle = math.degrees(math.atan2(abs(y1 - y0), abs(x1 - x0)))
        if min(angle, 90.0 - angle) > _UPRIGHT_DEGREES:
            return False
    return True


def _warp(grey: Image, corners: tuple[Point, Point, Point, Point]) -> Image:
    import numpy as np
    from PIL import Image as PILImage

    tl, tr, br, bl = corners
    width = int(max(math.dist(tl, tr), math.dist(bl, br)))
    height = int(max(math.dist(tl, bl), math.dist(tr, br)))
    target = [(0.0, 0.0), (float(width), 0.0), (float(width), float(height)), (0.0, float(height))]
    # PIL's PERSPECTIVE maps each output pixel (x, y) to the input (ax+by+c, dx+ey+f) / (gx+hy+1).
    rows, values = [], []
    for (x, y), (u, v) in zip(target, corners):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    coefficients = np.linalg.solve(np.array(rows, dtype=np.float64), np.array(values, dtype=np.float64))
    return grey.transform((width, height), PILImage.Transform.PERSPECTIVE, tuple(float(c) for c in coefficients),
                          PILImage.Resampling.BICUBIC, fillcolor=255)
