"""Tables printed in column parts side by side: a spreadsheet too wide for the paper.

Excel (and WPS 表格, LibreOffice Calc) prints such a sheet down, then over: every page of the first
columns, then every page of the next columns, cut at the same rows. The pieces of one table then
follow each other like pages of a table continued downwards, but a later column part holds the
*same rows* as the first, printed at the same heights on the page. A piece is the start of a column
part when its rows line up with those of the table's first piece and

- it repeats the leading label columns of the first piece row for row (with a code or a total
  among them: print titles), or
- it has no label anywhere (no code, no 合计/总计, no row whose first cell is text): only amounts,
  or nothing at all (a part whose columns are all blank), or
- it has a header of other columns than the first piece's header at the same height (a cut that
  falls anywhere, even inside a column group, each part with its own codes and names).

Rows line up when every row of the piece that holds text lies at the height of a row of the first
piece, one body row to one body row (header rows of a part may be ruled finer or coarser, and a
row whose merged cell was cut off by the page edge may be missing). Unruled tables print no blank
rows: there a body row where the first piece has none gets a row of its own at its height. Grids
without positions line up row for row, a part missing at most a few header rows at the top. The
grids of one table on one page are one piece (an unruled table is cut where blank rows leave a gap).

The first part ends at the first such piece; every later part must have as many pieces, start with
such a piece, and each piece must line up with the matching piece of the first part. (Printed over,
then down, the other page order, the pieces after the first that start column parts are the other
parts of the first rows, and each later page cut has as many.) Then the parts are joined row by row
into one grid per page cut (repeated label columns dropped). Each cell keeps
the page it was printed on. Anything else is left as it was.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipelines.basics.amounts import parse_amount
from pipelines.basics.text import compact
from pipelines.basics.vocabulary import CLASSIFICATION_CODE, GRAND_TOTAL
from pipelines.read.model import Cell, Grid

_COLUMN_NUMBERS = re.compile(r"^(栏次|行次)$")  # a header row of column numbers (1 2 3 …)
_HEADER_ROWS_CUT = 3
_HEIGHT_TOLERANCE = 1.5  # points: the same sheet row printed on two pages


def stitch_column_parts(segments: list) -> list:
    """The segments of one table with its column parts joined (segments: recognise.tables.Segment)."""
    pieces = _one_per_page(segments)
    if len(pieces) < 2:
        return segments
    joined = _joined_parts(pieces)
    return segments if joined is None else joined


def _joined_parts(segments: list) -> list | None:
    """One grid per page cut, or None when the pieces are not column parts."""
    cuts = _down_then_over(segments) or _over_then_down(segments)
    if cuts is None:
        return None
    maps = [[row_map(piece.grid, cut[0].grid) for piece in cut] for cut in cuts]
    if any(m is None for cut_maps in maps for m in cut_maps):
        return None
    joined = []
    for cut, cut_maps in zip(cuts, maps, strict=True):  # the label columns a piece repeats are left out
        dropped = [set()] + [
            _repeated_columns(piece.grid, cut[0].grid, m) for piece, m in zip(cut[1:], cut_maps[1:], strict=True)
        ]
        joined.append(replace(cut[0], grid=_side_by_side(cut, cut_maps, dropped)))
    return joined


def _down_then_over(segments: list) -> list[list] | None:
    """The pieces of each page cut, printed down then over (every page of the first part first)."""
    first = segments[0].grid
    count = next((i for i in range(1, len(segments)) if starts_column_part(segments[i].grid, first)), None)
    if count is None or len(segments) % count:
        return None
    parts = [segments[start : start + count] for start in range(0, len(segments), count)]
    if not all(starts_column_part(part[0].grid, first) for part in parts[1:]):
        return None
    return [[part[j] for part in parts] for j in range(count)]


def _over_then_down(segments: list) -> list[list] | None:
    """The pieces of each page cut, printed over then down (every part of the first rows first)."""
    first = segments[0].grid
    width = next((i for i in range(1, len(segments)) if not starts_column_part(segments[i].grid, first)), len(segments))
    if width < 2 or len(segments) % width:
        return None
    cuts = [segments[start : start + width] for start in range(0, len(segments), width)]
    if not all(starts_column_part(piece.grid, cut[0].grid) for cut in cuts for piece in cut[1:]):
        return None
    return cuts


def _one_per_page(segments: list) -> list:
    """The pieces of a table, the grids it has on one page as one (an unruled table is cut where
    blank rows leave a gap, or before its closing row)."""
    pieces: list = []
    for segment in segments:
        last = pieces[-1] if pieces else None
        if last is not None and last.page == segment.page and segment.page is not None:
            pieces[-1] = replace(last, grid=_stacked(last.grid, segment.grid))
        else:
            pieces.append(segment)
    return pieces


def _stacked(upper: Grid, lower: Grid) -> Grid:
    """Two grids of one page as one, `lower` below `upper`."""
    width = max(upper.width, lower.width)
    rows = [row + [Cell("")] * (width - len(row)) for row in upper.rows]
    for row in lower.rows:
        cells = [
            cell
            if cell.covered_by is None
            else replace(cell, covered_by=(cell.covered_by[0] + len(upper.rows), cell.covered_by[1]))
            for cell in row
        ]
        rows.append(cells + [Cell("")] * (width - len(cells)))
    return Grid(rows=rows, top=upper.top, ruled=upper.ruled, method=upper.method)


def starts_column_part(grid: Grid, first: Grid) -> bool:
    rows = row_map(grid, first)
    if rows is None:
        return False
    by_height = _placed(grid) and _placed(first)  # another header is a sign only where rows line up by height
    return (
        _repeated_labels(grid, first, rows) > 0
        or _without_labels(grid)
        or (by_height and _other_header(grid, first, rows))
    )


def _placed(grid: Grid) -> bool:
    """Whether every row of the grid that holds text has a place on the page."""
    return all(span or not _has_text(row) for span, row in zip(_row_spans(grid), grid.rows, strict=True))


def row_map(grid: Grid, first: Grid) -> list | None:
    """For each row of `grid`, the row of `first` printed at the same height (None for a row without
    text that matches none); None when the rows do not line up. Unruled tables print no blank rows:
    a body row where the first piece has none is placed by its height (its top and bottom)."""
    if not (_placed(grid) and _placed(first)):
        return _row_map_by_count(grid, first)
    spans, first_spans = _row_spans(grid), _row_spans(first)
    rows: list = []
    header, first_header = _header_rows(grid), _header_rows(first, totals=True)
    unruled = grid.method != "pdf_ruled" and first.method != "pdf_ruled"
    for r, (span, row) in enumerate(zip(spans, grid.rows, strict=True)):
        match = _same_height(span, first_spans) if span else None
        if (
            match is not None
            and r >= header
            and match < first_header
            and _has_text(first.rows[match])
            and not _has_amount(first.rows[match])
        ):
            match = None  # a body row does not lie at the height of header words
        if match is None and span and r < header:  # a header row that took in a line above the table
            match = _overlapping(span, first_spans[:first_header])
        if match is None and _has_text(row):
            if not (unruled and r >= header):
                return None
            match = span
        rows.append(match)
    placed = [r for r in rows if isinstance(r, int)]
    body_placed = [r for r, row in zip(rows[header:], grid.rows[header:], strict=True) if _has_text(row)]
    if placed != sorted(placed) or not placed or (body_placed and not any(isinstance(r, int) for r in body_placed)):
        return None
    body = [r for r, row in zip(rows, grid.rows, strict=True) if isinstance(r, int) and _has_amount(row)]
    if len(body) != len(set(body)):
        return None
    return rows


def _row_map_by_count(grid: Grid, first: Grid) -> list[int | None] | None:
    """Row for row, a part missing at most a few header rows at the top (a header cell over the
    label columns of the first part, such as 项目, cut off with them)."""
    missing = len(first.rows) - len(grid.rows)
    if not 0 <= missing <= _HEADER_ROWS_CUT:
        return None
    return [r + missing for r in range(len(grid.rows))]


def _row_spans(grid: Grid) -> list[tuple[float, float] | None]:
    """Top and bottom of each row: of its ruled cells, or of the text of an unruled row (a ruled
    cell merged down over the rows below reaches lower than its row)."""
    bottom = min if grid.method == "pdf_ruled" else max
    spans = []
    for row in grid.rows:
        boxes = [cell.bbox for cell in row if cell.covered_by is None and cell.bbox]
        spans.append((min(b[1] for b in boxes), bottom(b[3] for b in boxes)) if boxes else None)
    return spans


def _same_height(span: tuple[float, float], spans: list) -> int | None:
    """The row among `spans` printed at the height of `span`: one lies within the other (a header
    row may be ruled in two on one page and in one on the other)."""
    for r, other in enumerate(spans):
        if other is not None and (_within(span, other) or _within(other, span)):
            return r
    return None


def _overlapping(span: tuple[float, float], spans: list) -> int | None:
    overlaps = [(min(span[1], other[1]) - max(span[0], other[0]), r) for r, other in enumerate(spans) if other]
    best = max(overlaps, default=(0.0, None))
    return best[1] if best[0] > 0 else None


def _within(inner: tuple[float, float], outer: tuple[float, float]) -> bool:
    return inner[0] >= outer[0] - _HEIGHT_TOLERANCE and inner[1] <= outer[1] + _HEIGHT_TOLERANCE


def _has_text(row: list[Cell]) -> bool:
    return any(cell.text.strip() for cell in row if cell.covered_by is None)


def _has_amount(row: list[Cell]) -> bool:
    return any(_state(compact(cell.text)) == "value" for cell in row if cell.covered_by is None and cell.text.strip())


def _other_header(grid: Grid, first: Grid, rows: list[int | None]) -> bool:
    """The piece starts with header rows that print other labels than the first piece's rows at
    the same height: other columns of the same rows."""
    header = list(range(_header_rows(grid)))
    if not header or any(rows[r] is None for r in header if _has_text(grid.rows[r])):
        return False
    mine = [compact(cell.text) for r in header for cell in grid.rows[r] if cell.covered_by is None]
    theirs = [
        compact(cell.text)
        for r in sorted({rows[r] for r in header if rows[r] is not None})
        for cell in first.rows[r]
        if cell.covered_by is None
    ]
    return [t for t in mine if t] != [t for t in theirs if t]


def _repeated_labels(grid: Grid, first: Grid, rows: list) -> int:
    """How many columns of `grid` repeat the labels of `first`, row for row (0 if not a repeat)."""
    columns = _repeated_columns(grid, first, rows)
    labels = [compact(_text(row, c)) for row in grid.rows for c in columns]
    if not any(CLASSIFICATION_CODE.match(text) or GRAND_TOTAL.match(text) for text in labels):
        return 0
    return len(columns)


def _header_rows(grid: Grid, totals: bool = False) -> int:
    """How many rows the piece's header has: the rows above its first code or amount (or 合计/总计
    with `totals`: the first part prints the labels of rows whose amounts are all in later parts,
    while 总计 may head an amount column)."""

    def starts_body(row: list[Cell]) -> bool:
        texts = [compact(cell.text) for cell in row]
        if any(_COLUMN_NUMBERS.match(t) for t in texts):
            return False
        return _has_amount(row) or any(CLASSIFICATION_CODE.match(t) or (totals and GRAND_TOTAL.match(t)) for t in texts)

    return next((r for r, row in enumerate(grid.rows) if starts_body(row)), len(grid.rows))


def _repeated_columns(grid: Grid, first: Grid, rows: list) -> set[int]:
    """The columns of `grid` that print a label column of `first` again (print titles): the same
    codes or names in every body row (in one of its label columns); the header of a part may be ruled or laid out differently, so
    body rows are compared, and a label's header read as a column of its own beside its cell (no
    body text under it, header words of the first's label columns) goes with it. All the columns of
    a part whose amount columns are all blank, printed as labels alone."""
    body = _header_rows(grid)
    pairs = [(row, first.rows[r]) for row, r in zip(grid.rows[body:], rows[body:], strict=True) if isinstance(r, int)]
    if not pairs:
        return set()
    theirs = {c: [compact(_text(other, c)) for _, other in pairs] for c in range(first.width)}
    labels = {c for c, texts in theirs.items() if any(texts) and not any(_is_decimal(t) for t in texts)}
    repeated: set[int] = set()
    for c in range(grid.width):  # row by row: the reader may place a label a column over on one page
        mine = [compact(_text(row, c)) for row, _ in pairs]
        if any(mine) and all(not text or any(theirs[d][i] == text for d in labels) for i, text in enumerate(mine)):
            repeated.add(c)
    if repeated:
        words = "".join(
            compact(_text(row, c)) for row in first.rows[: _header_rows(first, totals=True)] for c in sorted(labels)
        )
        for c in range(grid.width):
            header = "".join(compact(_text(row, c)) for row in grid.rows[:body])
            if c not in repeated and header and header in words and not any(compact(_text(row, c)) for row, _ in pairs):
                repeated.add(c)
    return repeated


def _is_decimal(text: str) -> bool:
    return "." in text and _state(text) == "value"


def _text(row: list[Cell], column: int) -> str:
    return row[column].text if column < len(row) else ""


def _without_labels(grid: Grid) -> bool:
    """Amounts only (or nothing at all), not one row label: a column part printed without the code
    and name columns."""
    rows_of_text = 0
    for row in grid.rows:
        texts = [compact(cell.text) for cell in row if cell.covered_by is None and cell.text.strip()]
        if any(CLASSIFICATION_CODE.match(t) or GRAND_TOTAL.match(t) for t in texts):
            return False
        values = [t for t in texts if _state(t) == "value" and "." in t]
        if values and _state(texts[0]) not in ("value", "placeholder"):
            return False  # a row label before the amounts
        rows_of_text += bool(texts) and not values
    return rows_of_text <= _HEADER_ROWS_CUT  # more rows of text alone than a header has: labelled rows


def _state(text: str) -> str:
    return parse_amount(text).state


def _side_by_side(pieces: list, maps: list[list], dropped: list[set[int]]) -> Grid:
    """One grid of the pieces printed for the same rows, left to right, minus repeated label columns.
    Rows of a piece that lie in one row of the first (a header ruled finer) are joined into it; rows
    the first piece does not print get a row of their own at their height."""
    base = pieces[0].grid
    rows = [
        [_on_page(cell, pieces[0].page) for cell in row] + [Cell("")] * (base.width - len(row)) for row in base.rows
    ]
    spans = _row_spans(base)
    index = list(range(len(rows)))  # where each row of the first piece is now
    for piece, rows_of, drop in zip(pieces[1:], maps[1:], dropped[1:], strict=True):
        for span in (entry for entry in rows_of if isinstance(entry, tuple)):
            if _same_height(span, spans) is None:
                at = next((i for i, other in enumerate(spans) if other and other[0] > span[0]), len(rows))
                rows, spans = _with_row(rows, at), spans[:at] + [span] + spans[at:]
                index = [i + 1 if i >= at else i for i in index]
        targets = [index[e] if isinstance(e, int) else _same_height(e, spans) if e else None for e in rows_of]
        kept = [c for c in range(piece.grid.width) if c not in drop]
        moved = {c: len(rows[0]) + i for i, c in enumerate(kept)}  # new column of each kept column
        width = len(kept)
        joined: list[list[list[Cell]]] = [[] for _ in rows]
        for r, row in enumerate(piece.grid.rows):
            if targets[r] is not None:
                cells = [_shifted(_on_page(_text_cell(row, c), piece.page), moved, targets) for c in kept]
                joined[targets[r]].append(cells + [Cell("")] * (width - len(cells)))
        for r, stack in enumerate(joined):
            rows[r] += [_joined([line[c] for line in stack]) for c in range(width)] if stack else [Cell("")] * width
    return Grid(rows=rows, top=base.top, ruled=base.ruled, method=base.method)


def _with_row(rows: list[list[Cell]], at: int) -> list[list[Cell]]:
    """`rows` with a blank row inserted at `at`, merges re-pointed."""

    def down(cell: Cell) -> Cell:
        if cell.covered_by is None or cell.covered_by[0] < at:
            return cell
        return replace(cell, covered_by=(cell.covered_by[0] + 1, cell.covered_by[1]))

    moved = [[down(cell) for cell in row] for row in rows]
    return moved[:at] + [[Cell("") for _ in rows[0]]] + moved[at:]


def _joined(cells: list[Cell]) -> Cell:
    """Cells of one column from rows printed within one row of the first part: their text as one cell."""
    owners = [cell for cell in cells if cell.covered_by is None]
    if not owners:
        return cells[0]
    if len(owners) == 1:
        return owners[0]
    return replace(owners[0], text="\n".join(cell.text for cell in owners if cell.text))


def _on_page(cell: Cell, page: int | None) -> Cell:
    return cell if cell.page is not None else replace(cell, page=page)


def _text_cell(row: list[Cell], column: int) -> Cell:
    return row[column] if column < len(row) else Cell("")


def _shifted(cell: Cell, columns: dict[int, int], rows_of: list[int | None]) -> Cell:
    """A merged cell's owner moved with the cells it was appended to (none if it was dropped)."""
    if cell.covered_by is None:
        return cell
    row, column = cell.covered_by
    moved = rows_of[row] if row < len(rows_of) else None
    return replace(cell, covered_by=(moved, columns[column]) if column in columns and moved is not None else None)
