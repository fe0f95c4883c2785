"""What one page contributes to a table: a fragment of rows, later stitched across pages."""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FragmentRow", "Fragment", "Band"]

# A column's horizontal extent on the page: (left, right); the outer columns are open-ended.
Band = tuple[float, float]


@dataclass(slots=True)
class FragmentRow:
    cells: list[str]
    page: int
    # True when the row is the tail of the previous page's last row (cut by the page break).
    continues: bool = False

    def filled(self) -> int:
        return sum(1 for cell in self.cells if cell)


@dataclass(slots=True)
class Fragment:
    kind: str  # "ruled" (grid lines) or "text" (columns inferred from word positions)
    page: int
    top: float
    bottom: float
    columns: tuple[float, ...]  # left edge of each column
    rows: list[FragmentRow] = field(default_factory=list)
    has_header: bool = False  # the first row is the column header (known from the layout)
    bands: tuple[Band, ...] = ()  # text tables: where each column's words fall
