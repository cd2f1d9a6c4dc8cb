"""The intermediate form every reader produces: pages → blocks → table grids.

Plain data only, so that a parsed document can be cached, sent between processes and tested
without a PDF library.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    text: str  # normalised text ('' for an empty cell)
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom (PDF points)
    covered_by: tuple[int, int] | None = None  # (row, col) of the merged cell that covers this one
    page: int | None = None  # set when a grid joins pieces printed on different pages (column parts)


@dataclass
class TextLine:
    text: str
    top: float | None = None  # position on the page, to order lines and tables


@dataclass
class Grid:
    """A table as printed on one page: a rectangle of cells.

    Ruled grids (from PDF rules or HTML) know their merges: a covered cell is empty and points at
    the cell that covers it, and columns line up from header to data. Tab-separated text exports
    know neither, so their rows are read by order rather than by column position.
    """

    rows: list[list[Cell]]
    top: float | None = None
    ruled: bool = True  # drawn with rules (True) or recovered from aligned text / tabs
    # how the grid was read: 'pdf_ruled' (text layer, rules), 'pdf_aligned' (text layer, alignment),
    # 'ocr' (a scanned page), 'text_export' (tabs or HTML of a text export)
    method: str = "pdf_ruled"

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = TextLine | Grid


@dataclass
class Page:
    number: int | None  # 1-based PDF page; None for text exports
    blocks: list[Block] = field(default_factory=list)
    # amounts (figures with two decimals) in the page's own text layer, counted apart from any
    # table reading: what the page prints, to compare with what lands. None without a text layer.
    printed_amounts: int | None = None


@dataclass
class RawDocument:
    file_format: str  # 'pdf' | 'txt' | 'md' | 'html'
    pages: list[Page]
    page_count: int | None  # PDF pages; None for text exports
    notes: list[str] = field(default_factory=list)  # reader-level warnings (e.g. page without text layer)
