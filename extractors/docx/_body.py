"""Walk a WordprocessingML body in reading order: paragraphs and table grids, straight from the XML.

Why not python-docx's own iterators: `Document.iter_inner_content()` and `Paragraph.text` skip content
controls (`w:sdt`, what most firms' CPD templates are built from), and `_Row.cells` follows a vertical
merge upwards by recursion, one frame per merged row. Here the package is still opened by python-docx;
only the walk is ours.

Word facts used here:
- `w:sdt`/`w:sdtContent` and `w:customXml` wrap blocks, rows, cells and runs without changing them;
- a horizontally merged cell is one `w:tc` with `w:gridSpan`; its text is repeated in each grid column
  it covers (as python-docx does), so every row keeps the table's grid;
- a vertically merged cell continues (`w:vMerge` without "restart") the cell above: its text repeats;
- `w:gridBefore`/`w:gridAfter` leave grid columns empty at a row's start or end;
- deleted text is `w:delText`, never `w:t`, so tracked deletions drop out by themselves;
- a text box (`w:txbxContent`) holds its own paragraphs; Word writes it twice (`mc:Choice` and
  `mc:Fallback`), so only the first copy is read.

lxml is named here for annotations only; the elements come from python-docx, imported by `extract`.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["Para", "Grid", "walk", "paragraph_text", "paragraph_elements"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC = f"{{{W}}}p", f"{{{W}}}tbl", f"{{{W}}}tr", f"{{{W}}}tc"
_WRAPPERS = {f"{{{W}}}sdt", f"{{{W}}}sdtContent", f"{{{W}}}customXml", f"{{{W}}}smartTag"}
_VAL = f"{{{W}}}val"
_TEXT_MARKS = {f"{{{W}}}tab": "\t", f"{{{W}}}br": "\n", f"{{{W}}}cr": "\n", f"{{{W}}}noBreakHyphen": "-"}
_SKIP_INSIDE = {f"{{{W}}}txbxContent", f"{{{W}}}sdtPr", f"{{{MC}}}Fallback", f"{{{W}}}del", f"{{{W}}}moveFrom"}


@dataclass(frozen=True, slots=True)
class Para:
    """A body paragraph: its 1-based index among the body's paragraphs, its text and style name."""

    index: int
    text: str
    style: str


@dataclass(frozen=True, slots=True)
class Grid:
    """A table as a grid of cell texts; `number` is 1-based in document order (nested ones included)."""

    number: int
    rows: tuple[tuple[int, tuple[str, ...]], ...]   # (1-based row number, cells)


def _children(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Children with `tag`, looking through content-control and custom-XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _blocks(element: etree._Element) -> Iterator[etree._Element]:
    for child in element:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def paragraph_text(p: etree._Element) -> str:
    """The visible text of one paragraph: runs, hyperlinks, fields' results, inline content controls."""
    parts: list[str] = []
    stack = list(reversed(list(p)))
    while stack:
        node = stack.pop()
        tag = node.tag
        if not isinstance(tag, str) or tag in _SKIP_INSIDE:
            continue
        if tag == f"{{{W}}}t":
            parts.append(node.text or "")
        elif tag in _TEXT_MARKS:
            if tag != f"{{{W}}}br" or node.get(f"{{{W}}}type") in (None, "textWrapping"):
                parts.append(_TEXT_MARKS[tag])
        else:
            stack.extend(reversed(list(node)))
    return "".join(parts)


def _style(p: etree._Element, names: dict[str, str]) -> str:
    found = p.find(f"{{{W}}}pPr/{{{W}}}pStyle")
    style_id = found.get(_VAL, "") if found is not None else ""
    return names.get(style_id, style_id)


def _cell_text(tc: etree._Element) -> str:
    """A cell's paragraphs joined with newlines; blank paragraphs and nested tables left out."""
    texts = (paragraph_text(p).strip() for p in _blocks(tc) if p.tag == _P)
    return "\n".join(t for t in texts if t)


def _int_attr(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return max(int(element.get(_VAL, default)), 0)
    except ValueError:
        return default


def _grid_rows(tbl: etree._Element, max_cells: int) -> Iterator[tuple[int, tuple[str, ...]]]:
    above: dict[int, str] = {}                   # grid column -> text of the cell last seen there
    for number, tr in enumerate(_children(tbl, _TR), start=1):
        cells: list[str] = [""] * _int_attr(tr.find(f"{{{W}}}trPr/{{{W}}}gridBefore"), 0)
        for tc in _children(tr, _TC):
            props = tc.find(f"{{{W}}}tcPr")
            span = min(_int_attr(None if props is None else props.find(f"{{{W}}}gridSpan"), 1) or 1, max_cells)
            merge = None if props is None else props.find(f"{{{W}}}vMerge")
            if merge is not None and merge.get(_VAL, "continue") == "continue":
                text = above.get(len(cells), "")
            else:
                text = _cell_text(tc)
            for _ in range(span):
                above[len(cells)] = text
                cells.append(text)
            if len(cells) >= max_cells:
                break
        yield number, tuple(cells[:max_cells])


def walk(body: etree._Element, style_names: dict[str, str], max_cells: int = 200) -> Iterator[Para | Grid]:
    """Body paragraphs and tables in reading order; a nested table follows the table that holds it."""
    paragraphs = 0
    tables = 0
    pending: list[etree._Element] = list(reversed(list(_blocks(body))))
    while pending:
        element = pending.pop()
        if element.tag == _P:
            paragraphs += 1
            yield Para(paragraphs, paragraph_text(element), _style(element, style_names))
            continue
        tables += 1
        yield Grid(tables, tuple(_grid_rows(element, max_cells)))
        nested = [t for t in element.iter(_TBL) if t is not element and _owner_table(t) is element]
        pending.extend(reversed(nested))


def _owner_table(tbl: etree._Element) -> etree._Element | None:
    parent = tbl.getparent()
    while parent is not None and parent.tag != _TBL:
        parent = parent.getparent()
    return parent


def paragraph_elements(body: etree._Element) -> list[etree._Element]:
    """The body's own paragraphs (not those in tables or text boxes), in the order `walk` numbers them."""
    return [element for element in _blocks(body) if element.tag == _P]
