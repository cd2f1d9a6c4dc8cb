"""Tables printed in column parts side by side: a spreadsheet too wide for the paper.

Excel (and WPS 表格) prints such a sheet down, then over: every page of the first columns, then
every page of the next columns, cut at the same rows. The pieces of one table then follow each
other like pages of a table continued downwards, but a later column part holds the *same rows* as
the first: it either repeats the code and name columns (print titles) or has no label column at
all, only amounts. A piece is the start of a column part when

- it repeats the leading label columns of the table's first piece row for row (with a code or
  a total among them), or
- it has no label anywhere (no code, no 合计/总计, no row whose first cell is text) and amounts, or
  as many rows as the first piece (a part whose columns are all blank).

The first part ends at the first such piece; every later part must have as many pieces, start with
such a piece, and each piece must have the rows of the matching piece of the first part. Then the parts are joined row by row into one grid per page cut (repeated label
columns dropped). Each cell keeps the page it was printed on. Anything else is left as it was.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipelines.read.model import Cell, Grid
from pipelines.read.text import compact

_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_TOTAL = re.compile(r"^(合计|总计)$")
_HEADER_ROWS_CUT = 3


def stitch_column_parts(segments: list) -> list:
    """The segments of one table with its column parts joined (segments: recognise.tables.Segment)."""
    if len(segments) < 2:
        return segments
    first = segments[0].grid
    count = next((i for i in range(1, len(segments)) if starts_column_part(segments[i].grid, first)), None)
    if count is None or len(segments) % count:
        return segments
    parts = [segments[start:start + count] for start in range(0, len(segments), count)]
    if not all(starts_column_part(part[0].grid, first) for part in parts[1:]):
        return segments
    if not all(_same_rows(part[j].grid, parts[0][j].grid) for part in parts for j in range(count)):
        return segments
    skips = [0] + [_equal_leading_columns(part[0].grid, first) for part in parts[1:]]
    return [replace(parts[0][j], grid=_side_by_side([part[j] for part in parts], skips)) for j in range(count)]


def _same_rows(grid: Grid, first: Grid) -> bool:
    """As many rows as `first`, or fewer header rows: a header cell over the label columns of the
    first part (项目) is cut off, and a part's header then has fewer ruled rows."""
    return 0 <= len(first.rows) - len(grid.rows) <= _HEADER_ROWS_CUT


def starts_column_part(grid: Grid, first: Grid) -> bool:
    return _repeated_labels(grid, first) > 0 or (_without_labels(grid) and _same_rows(grid, first))


def _repeated_labels(grid: Grid, first: Grid) -> int:
    """How many leading columns of `grid` repeat the labels of `first`, row for row (0 if not a repeat)."""
    count = _equal_leading_columns(grid, first)
    labels = [compact(row[c].text) for row in grid.rows for c in range(min(count, len(row)))]
    if not any(_CODE.match(text) or _TOTAL.match(text) for text in labels):
        return 0
    return count


def _equal_leading_columns(grid: Grid, first: Grid) -> int:
    if len(grid.rows) != len(first.rows):
        return 0
    count = 0
    while count < min(grid.width, first.width) - 1:
        column = [(row[count].text if count < len(row) else "", other[count].text if count < len(other) else "")
                  for row, other in zip(grid.rows, first.rows, strict=True)]
        if any(compact(a) != compact(b) for a, b in column):
            break
        count += 1
    return count


def _without_labels(grid: Grid) -> bool:
    """Amounts (or as many rows as the first piece, all blank), and not one row label: a column
    part printed without the code and name columns."""
    amounts = rows_of_text = 0
    for row in grid.rows:
        texts = [compact(cell.text) for cell in row if cell.covered_by is None and cell.text.strip()]
        if any(_CODE.match(t) or _TOTAL.match(t) for t in texts):
            return False
        values = [t for t in texts if _state(t) == "value" and "." in t]
        if values and _state(texts[0]) not in ("value", "placeholder"):
            return False                 # a row label before the amounts
        rows_of_text += bool(texts) and not values
        amounts += len(values)
    return rows_of_text <= _HEADER_ROWS_CUT   # more rows of text alone than a header has: labelled rows


def _state(text: str) -> str:
    from pipelines.normalise.amounts import parse_amount   # normalise imports recognise: import it late
    return parse_amount(text).state


def _side_by_side(pieces: list, skips: list[int]) -> Grid:
    """One grid of the pieces printed for the same rows, left to right, minus repeated label columns."""
    base = pieces[0].grid
    rows = [[_on_page(cell, pieces[0].page) for cell in row] + [Cell("")] * (base.width - len(row)) for row in base.rows]
    for piece, skip in zip(pieces[1:], skips[1:], strict=True):
        offset = len(rows[0]) - skip
        missing = len(base.rows) - len(piece.grid.rows)      # header rows cut off above this part
        width = piece.grid.width - skip
        for r in range(missing):
            rows[r] += [Cell("")] * width
        for r, row in enumerate(piece.grid.rows):
            cells = [_shifted(_on_page(cell, piece.page), offset, skip, missing) for cell in row[skip:]]
            rows[r + missing] += cells + [Cell("")] * (width - len(cells))
    return Grid(rows=rows, top=base.top, ruled=base.ruled, method=base.method)


def _on_page(cell: Cell, page: int | None) -> Cell:
    return cell if cell.page is not None else replace(cell, page=page)


def _shifted(cell: Cell, offset: int, skip: int, down: int) -> Cell:
    """A merged cell's owner moved with the cells it was appended to (none if it was dropped)."""
    if cell.covered_by is None:
        return cell
    row, column = cell.covered_by
    return replace(cell, covered_by=(row + down, column + offset) if column >= skip else None)
