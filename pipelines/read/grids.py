"""pdfplumber tables → grids of cells, for text-layer pages and OCRed pages alike.

A pdfplumber `Table` (found from a page's rules, or built by the OCR reader from the rules in an
image) becomes a `Grid`: each cell's text and box, merged cells pointing at the cell that covers
them. Body rows printed with no rule between them come out of pdfplumber as one tall row; they are
split back into rows along the table's columns (`split_stacked_rows`).

`page` is anything that answers `crop(bbox).extract_words()` the way a pdfplumber page does (the
OCR reader's page does too).
"""

from __future__ import annotations

import re

from pipelines.basics.text import normalise
from pipelines.read.model import Cell, Grid
from pipelines.read.text_lines import is_data_line, lines_of


def is_real_table(table, after_table: bool = False) -> bool:
    """Two columns at least; on the page after a table, also one column of several rows (the last
    column part of a table printed in parts side by side)."""
    rows = table.rows
    width = max((len(r.cells) for r in rows), default=0)
    return len(rows) >= 1 and (width >= 2 or (after_table and width == 1 and len(rows) >= 2))


def grid_of(table, page) -> Grid:
    texts = table.extract()
    boxes = [row.cells for row in table.rows]
    height = len(texts)
    width = max(len(r) for r in texts)
    column_x = _column_edges(boxes, width, table.bbox)
    row_y = _row_edges(boxes, table.bbox)
    rows: list[list[Cell]] = []
    for r in range(height):
        row = []
        for c in range(width):
            text = texts[r][c] if c < len(texts[r]) else None
            box = boxes[r][c] if c < len(boxes[r]) else None
            if box is None:
                row.append(Cell("", covered_by=_owner(boxes, r, c, column_x, row_y)))
            else:
                row.append(Cell(normalise(text or "").strip(), bbox=tuple(round(v, 1) for v in box)))
        rows.append(row)
    return Grid(rows=split_stacked_rows(rows, page, column_x), top=table.bbox[1], ruled=True)


_ROW_PITCH = 1.45  # text heights between the lines of separate rows (wrapped lines: ~1.2)
_STACKED = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}$|^\d{3}(?:\d{2}){0,2}$")


def _is_stacked(row: list[Cell]) -> bool:
    """A ruled row whose cells each hold a column of amounts or codes: body rows with no rule
    between them, which pdfplumber reads as one tall row ("210\n210\n211" | "799.88\n154.78")."""
    stacked = [sum(1 for line in cell.text.splitlines() if _STACKED.match(line.strip())) for cell in row]
    amounts = [
        sum(1 for line in cell.text.splitlines() if "." in line and _STACKED.match(line.strip())) for cell in row
    ]
    return max(amounts, default=0) >= 2 or sum(1 for n in stacked if n >= 2) >= 2


def split_stacked_rows(rows: list[list[Cell]], page, column_x: list[tuple[float, float]]) -> list[list[Cell]]:
    """Each text line of a stacked row becomes a row of its own, cut along the table's columns
    (not the row's own cells: with no rule below it, a merged cell of the closing row merges the
    whole stack)."""
    pieces: list[list[list[Cell]]] = []
    for row in rows:
        lines = _stacked_lines(row, page)
        if lines is None:
            pieces.append([row])
            continue
        pieces.append([[_piece(x0, x1, line.words) for x0, x1 in column_x] for line in lines])
    start, count = [], 0
    for piece in pieces:
        start.append(count)
        count += len(piece)
    out: list[list[Cell]] = []
    for r, piece in enumerate(pieces):
        for offset, row in enumerate(piece):
            out.append([_repointed(cell, start, r, offset) for cell in row])
    return out


def _stacked_lines(row: list[Cell], page) -> list | None:
    """The text lines of a ruled row that holds several body rows, or None for an ordinary row.

    Stacked for sure: a cell with two amounts, or two cells with two codes or amounts each; every
    line is then a row (a wrapped name's second line becomes a fragment the normalisers join). Else
    a row with an amount holds several rows where its lines are as far apart as rows are (≥ 1.45
    text heights); lines closer than that are the wrapped lines of one cell."""
    if not any("\n" in cell.text for cell in row):
        return None
    sure = _is_stacked(row)
    if not sure and not any(_STACKED.match(cell.text.strip()) and "." in cell.text for cell in row):
        return None
    boxes = [cell.bbox for cell in row if cell.bbox]
    # the row's own height and cells: a cell merged down over the rows below (一级指标 spanning its
    # indicators) brings neither their lines nor its own text, centred on the whole span, in
    bottom = min(b[3] for b in boxes)
    merged_down = [b for b in boxes if b[3] > bottom + 1]
    area = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), bottom)
    words = [
        w
        for w in page.crop(area, strict=False).extract_words(x_tolerance=1, y_tolerance=3, keep_blank_chars=False)
        if not any(b[0] <= (w["x0"] + w["x1"]) / 2 <= b[2] for b in merged_down)
    ]
    for word in words:
        word["text"] = normalise(word["text"]).strip()
    lines = lines_of([w for w in words if w["text"]])
    if len(lines) < 2:
        return None
    if sure:
        return lines
    if _amounts_centred(row, words, area):
        return None  # one row: its amounts centred beside text wrapped above and below them
    heights = sorted(w["bottom"] - w["top"] for line in lines for w in line.words)
    pitch = _ROW_PITCH * heights[len(heights) // 2]
    text_pitch = max(pitch, _text_row_pitch(lines))
    rows: list = [lines[0]]
    for above, line in zip(lines, lines[1:]):
        if line.top - above.top >= (pitch if is_data_line(line) else text_pitch):
            rows.append(line)
        else:  # a wrapped line of the row above
            rows[-1] = type(line)(rows[-1].words + line.words)
    if len(rows) >= 2 and any(map(is_data_line, rows)):
        return rows
    return None


def _amounts_centred(row: list[Cell], words: list[dict], area: tuple) -> bool:
    """Every cell with an amount prints one line, centred in the ruled row, as office suites centre
    a cell beside a wrapped one: the row is one body row, not several stacked."""
    amounts = [cell for cell in row if cell.bbox and _STACKED.match(cell.text.strip()) and "." in cell.text]
    middle = (area[1] + area[3]) / 2
    tolerance = 0.15 * (area[3] - area[1])
    for cell in amounts:
        mine = [w for w in words if cell.bbox[0] <= (w["x0"] + w["x1"]) / 2 <= cell.bbox[2]]
        if len(mine) != 1 or abs((mine[0]["top"] + mine[0]["bottom"]) / 2 - middle) > tolerance:
            return False
    return bool(amounts)


def _text_row_pitch(lines: list) -> float:
    """How far below the line above a line of text alone must be to be a row of its own: most of
    the smallest distance between two lines with amounts (rows for sure). Office suites space the
    wrapped lines of CJK names wider than 1.45 text heights, though still closer than rows."""
    data_tops = [line.top for line in lines if is_data_line(line)]
    gaps = [below - above for above, below in zip(data_tops, data_tops[1:]) if below - above > 0]
    return 0.8 * min(gaps) if gaps else 0.0


def _piece(x0: float, x1: float, words: list[dict]) -> Cell:
    mine = sorted((w for w in words if x0 <= (w["x0"] + w["x1"]) / 2 < x1), key=lambda w: (w["top"], w["x0"]))
    if not mine:
        return Cell("")
    box = (
        min(w["x0"] for w in mine),
        min(w["top"] for w in mine),
        max(w["x1"] for w in mine),
        max(w["bottom"] for w in mine),
    )
    return Cell(" ".join(w["text"] for w in mine), bbox=tuple(round(v, 1) for v in box))


def _repointed(cell: Cell, start: list[int], r: int, offset: int) -> Cell:
    """Merges re-pointed after rows were split: an owner in the same split row is on the same piece."""
    if cell.covered_by is None:
        return cell
    owner_r, owner_c = cell.covered_by
    return Cell(cell.text, cell.bbox, (start[r] + offset if owner_r == r else start[owner_r], owner_c))


def _column_edges(boxes, width, bbox) -> list[tuple[float, float]]:
    starts: list[float | None] = [None] * width
    for row in boxes:
        for c, box in enumerate(row):
            if box is not None and starts[c] is None:
                starts[c] = box[0]
    edges = []
    for c in range(width):
        x0 = starts[c] if starts[c] is not None else (edges[-1][1] if edges else bbox[0])
        x1 = next((s for s in starts[c + 1 :] if s is not None), bbox[2])
        edges.append((x0, x1))
    return edges


def _row_edges(boxes, bbox) -> list[tuple[float, float]]:
    tops = [min((b[1] for b in row if b is not None), default=None) for row in boxes]
    edges = []
    for r, top in enumerate(tops):
        y0 = top if top is not None else (edges[-1][1] if edges else bbox[1])
        y1 = next((t for t in tops[r + 1 :] if t is not None), bbox[3])
        edges.append((y0, y1))
    return edges


def _owner(boxes, r, c, column_x, row_y) -> tuple[int, int] | None:
    """The merged cell whose box contains the centre of covered position (r, c)."""
    x = (column_x[c][0] + column_x[c][1]) / 2
    y = (row_y[r][0] + row_y[r][1]) / 2
    for rr in range(r, -1, -1):
        for cc in range(c, -1, -1):
            box = boxes[rr][cc] if cc < len(boxes[rr]) else None
            if box is not None and box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                return (rr, cc)
    return None
