"""How a Word paragraph looks: its text size and weight, whether it is centred, and where a text box stands.

A certificate made in Word sets the learner and the course in large centred runs, often inside text boxes or
shapes placed on the page (`wp:anchor` with offsets from the page or margin, holding `wps:txbx/w:txbxContent`;
older files a VML `v:textbox`). The reader of certificates weighs sizes the way it does on a PDF, so each line
gets a `LineStyle`:

- size: the size of most of the paragraph's characters; a run's own `w:sz` (half-points), else its character
  style's, else the paragraph style's (following `w:basedOn`), else the document defaults, else 11 pt;
- bold: most characters bold (`w:b` / `w:bCs` not set to false, on the run or its styles);
- place: body paragraphs flow down an A4 page (their tops are where they would stand, line after line), left
  or centred as `w:jc` says; a text box anchored on the page stands at its offsets (EMU, 12,700 to the point).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import LineStyle
from ._body import MC, W, paragraph_text

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["Looks", "Look"]

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PAGE_WIDTH_PT = 595.0
MARGIN_PT = 72.0
DEFAULT_SIZE_PT = 11.0
EMU_PER_PT = 12_700
LINE_SPACING = 1.3
# Average advance of a character, as a share of the text size: estimates a line's width where Word gives none.
CHAR_WIDTH_EM = 0.5
_V = f"{{{W}}}val"


@dataclass(frozen=True, slots=True)
class Look:
    size: float
    bold: bool
    centred: bool


def _on(element: etree._Element | None) -> bool | None:
    """A w:b-like toggle: None when absent, else its value (absent w:val means on)."""
    if element is None:
        return None
    return element.get(_V, "true").lower() not in ("0", "false", "off", "none")


def _half_points(element: etree._Element | None) -> float | None:
    if element is None:
        return None
    try:
        return int(element.get(_V, "")) / 2
    except ValueError:
        return None


class Looks:
    """Resolves sizes and weights through the document's styles, once per style."""

    def __init__(self, styles_root: etree._Element | None) -> None:
        self._styles: dict[str, etree._Element] = {}
        self._cache: dict[str, tuple[float | None, bool | None, bool | None]] = {}
        default = None
        if styles_root is not None:
            for style in styles_root.iter(f"{{{W}}}style"):
                self._styles[style.get(f"{{{W}}}styleId", "")] = style
            default = styles_root.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}sz")
        self.default_size = _half_points(default) or DEFAULT_SIZE_PT

    def _style(self, style_id: str, depth: int = 0) -> tuple[float | None, bool | None, bool | None]:
        """(size, bold, centred) a style gives, following its basedOn chain."""
        if style_id in self._cache or depth > 10:
            return self._cache.get(style_id, (None, None, None))
        style = self._styles.get(style_id)
        if style is None:
            return (None, None, None)
        size = _half_points(style.find(f"{{{W}}}rPr/{{{W}}}sz"))
        bold = _on(style.find(f"{{{W}}}rPr/{{{W}}}b"))
        jc = style.find(f"{{{W}}}pPr/{{{W}}}jc")
        centred = None if jc is None else jc.get(_V) in ("center", "centre")
        based = style.find(f"{{{W}}}basedOn")
        if based is not None:
            b_size, b_bold, b_centred = self._style(based.get(_V, ""), depth + 1)
            size, bold, centred = size or b_size, b_bold if bold is None else bold, b_centred if centred is None else centred
        self._cache[style_id] = (size, bold, centred)
        return size, bold, centred

    def look(self, p: etree._Element) -> Look:
        """The paragraph's look: the size and weight of most of its characters, and its alignment."""
        style_el = p.find(f"{{{W}}}pPr/{{{W}}}pStyle")
        p_size, p_bold, p_centred = self._style(style_el.get(_V, "") if style_el is not None else "Normal")
        jc = p.find(f"{{{W}}}pPr/{{{W}}}jc")
        centred = (jc.get(_V) in ("center", "centre")) if jc is not None else bool(p_centred)
        weights: dict[tuple[float, bool], int] = {}
        for run in _runs(p):
            text = "".join(t.text or "" for t in run.iter(f"{{{W}}}t"))
            if not text.strip():
                continue
            r_style = run.find(f"{{{W}}}rPr/{{{W}}}rStyle")
            c_size, c_bold, _ = self._style(r_style.get(_V, "")) if r_style is not None else (None, None, None)
            size = _half_points(run.find(f"{{{W}}}rPr/{{{W}}}sz")) or c_size or p_size or self.default_size
            bold = _on(run.find(f"{{{W}}}rPr/{{{W}}}b"))
            bold = bold if bold is not None else c_bold if c_bold is not None else bool(p_bold)
            weights[(size, bold)] = weights.get((size, bold), 0) + len(text.strip())
        if not weights:
            return Look(p_size or self.default_size, bool(p_bold), centred)
        (size, bold), _ = max(weights.items(), key=lambda kv: (kv[1], kv[0][0]))
        return Look(size, bold, centred)


def _runs(p: etree._Element) -> Iterator[etree._Element]:
    """The paragraph's runs, not those of text boxes inside it or of the VML fallback copy."""
    stack = list(p)
    while stack:
        node = stack.pop()
        tag = node.tag
        if not isinstance(tag, str) or tag in (f"{{{W}}}txbxContent", f"{{{MC}}}Fallback", f"{{{W}}}del"):
            continue
        if tag == f"{{{W}}}r":
            yield node
        else:
            stack.extend(node)


class Flow:
    """Places lines down the page as Word would lay them out, one after another."""

    def __init__(self) -> None:
        self.top = MARGIN_PT

    def place(self, text: str, look: Look, top: float | None = None, left: float | None = None,
              width: float | None = None) -> LineStyle:
        span = min(len(text) * look.size * CHAR_WIDTH_EM, PAGE_WIDTH_PT - 2 * MARGIN_PT)
        if left is not None:
            box = width or span
            x0 = left + (box - span) / 2 if look.centred else left
        else:
            x0 = (PAGE_WIDTH_PT - span) / 2 if look.centred else MARGIN_PT
        at = self.top if top is None else top
        if top is None:
            self.top += look.size * LINE_SPACING
        return LineStyle(size=look.size, bold=look.bold, top=round(at, 2), x0=round(x0, 2), x1=round(x0 + span, 2),
                         page_width=PAGE_WIDTH_PT)


def anchor_of(box: etree._Element) -> tuple[float | None, float | None, float | None]:
    """(top, left, width) in points of the anchored drawing that holds a text box, where Word gives offsets."""
    anchor = next((a for a in box.iterancestors(f"{{{WP}}}anchor")), None)
    if anchor is None:
        return None, None, None

    def offset(axis: str) -> float | None:
        found = anchor.find(f"{{{WP}}}position{axis}/{{{WP}}}posOffset")
        try:
            return int(found.text or "") / EMU_PER_PT if found is not None else None
        except ValueError:
            return None

    extent = anchor.find(f"{{{WP}}}extent")
    width = int(extent.get("cx", "0")) / EMU_PER_PT if extent is not None and extent.get("cx", "").isdigit() else None
    return offset("V"), offset("H"), width


def box_paragraphs(body: etree._Element) -> Iterator[tuple[etree._Element, etree._Element]]:
    """(text box, paragraph) for each paragraph of the body's text boxes, first copy only (see _body)."""
    for box in body.iter(f"{{{W}}}txbxContent"):
        if any(a.tag == f"{{{MC}}}Fallback" for a in box.iterancestors()):
            continue
        for p in box.iter(f"{{{W}}}p"):
            if paragraph_text(p).strip():
                yield box, p
