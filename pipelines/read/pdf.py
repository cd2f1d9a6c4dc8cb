"""PDF (text layer) → pages → blocks → grids.

pypdfium2 reads every page's text first (about 40× faster than pdfplumber); only pages that look
like they hold a table go through pdfplumber's table finding. Each pdfplumber page is closed as
soon as it has been read, so memory stays flat on long documents.

Producers draw rules differently, and the `lines` strategy sees them all (stroked lines, WPS's long
segments, Word 2010's thin filled rectangles: it uses rectangle edges). What it cannot see is added
or repaired here: outer verticals a word processor left out (`open_sides`), body rows with no rule
between them, which come out as one tall row (`_split_stacked_rows`), and tables printed without any
rules, rebuilt from the alignment of their text (`aligned.py`). Every page is read the way it is
shown upright (`orientation.py`: /Rotate, content drawn turned a quarter).
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pypdfium2

from pipelines.read import ocr
from pipelines.read.aligned import Columns, aligned_grids, is_data_line, lines_of
from pipelines.read.model import Cell, Grid, Page, RawDocument, TextLine
from pipelines.read.orientation import upright
from pipelines.read.plain_print import may_be_plain_print, plain_print_text
from pipelines.read.text_export import blocks_of
from pipelines.read.text import normalise

RULED = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    # columns of tables stacked on one page are ruled a few points apart: snapped together, a cell's
    # first character can land in the cell before it (“=100% 1” | “00”)
    "snap_x_tolerance": 1.5,
    "snap_y_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}

_AMOUNT_TOKEN = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d])|(?<![\d.])\d+\.\d{2}(?![\d])")
# amounts, even when printed flush against the next column's code (358.84302); not 4.2026
_DECIMALS = re.compile(r"(?<![\d.])\d+(?:,\d{3})*\.\d{2}(?=\d{3}|(?![\d]))")
_HEADER_SIGNS = re.compile(r"栏\s*次|科目\s*编码|科目\s*名称|决\s*算\s*数|预\s*算\s*数")
# a short page after a table page may be a part of the table whose columns are all blank
_SHORT_PAGE = 1500
_TABLE_WORDS = re.compile(r"表|单位[:：]|合计|总计|栏次|科目编码|指标|得分|[≥≤]")   # 指标 …: performance tables continued


class UnreadablePdf(Exception):
    """The file is not a PDF we can open (corrupt, encrypted, not a PDF)."""


def read_pdf(path: Path, aligned_pages: frozenset[int] | None = None) -> RawDocument:
    """The document's pages as blocks. With `aligned_pages`, only those pages (1-based) are read, and
    their tables from the alignment of their text whatever rules they have (the retry of a table
    whose ruled grid did not add up)."""
    page_texts = quick_page_texts(path)
    notes: list[str] = []
    pages: list[Page] = []
    try:
        pdf = pdfplumber.open(path, unicode_norm="NFKC")
    except Exception as error:  # pdfminer raises many types for broken files
        raise UnreadablePdf(f"pdfplumber cannot open the file: {type(error).__name__}: {error}") from error
    with pdf:
        export = _plain_print_export(path) if aligned_pages is None and may_be_plain_print(pdf.pages) else None
        if export is not None:                  # a text export printed as plain text: read as that export
            return RawDocument(file_format="pdf", pages=[Page(None, blocks_of(export))],
                               page_count=len(page_texts), printed_as_text=True)
        columns: Columns | None = None         # of the last unruled table, for its continuation
        after_table = False
        for index, text in enumerate(page_texts):
            number = index + 1
            if aligned_pages is not None and number not in aligned_pages:
                pages.append(Page(number, []))
                continue
            if not text.strip():
                blocks = []
                if _has_images(pdf, index):
                    blocks, columns = ocr.scanned_page_blocks(path, index, columns, notes)
                pages.append(Page(number, blocks))
                continue
            if may_hold_table(text) or (after_table and len(text) < _SHORT_PAGE) or aligned_pages:
                blocks, columns = _read_table_page(upright(pdf.pages[index]), columns, after_table, bool(aligned_pages))
                pages.append(Page(number, blocks))
                pdf.pages[index].close()
                after_table = any(isinstance(block, Grid) for block in blocks)
            else:
                columns, after_table = None, False
                pages.append(Page(number, [TextLine(normalise(line).strip()) for line in text.splitlines() if line.strip()]))
    return RawDocument(file_format="pdf", pages=pages, page_count=len(page_texts), notes=notes)


def _plain_print_export(path: Path) -> str | None:
    """The export behind a plain-text print; its characters as printed, for NFKC would make a “②”
    printed in a CJK font a western “2”, and the space a suite sets between the scripts a tab."""
    with pdfplumber.open(path) as pdf:
        return plain_print_text(pdf.pages)


def quick_page_texts(path: Path) -> list[str]:
    try:
        document = pypdfium2.PdfDocument(str(path))
    except Exception as error:
        if "password" in str(error).lower():
            raise UnreadablePdf("encrypted PDF: it cannot be opened without its password") from error
        raise UnreadablePdf(f"not a readable PDF: {error}") from error
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def may_hold_table(text: str) -> bool:
    """Cheap test on pypdfium2 text: amounts, or the words that table pages carry."""
    return len(_AMOUNT_TOKEN.findall(text)) >= 2 or (len(text) < 2500 and bool(_TABLE_WORDS.search(text)))


def _may_hold_unruled_table(text: str, continues: bool) -> bool:
    """Amounts enough for a table, a table's own header words, or a table going on from the page before."""
    amounts = len(_DECIMALS.findall(text))
    return amounts >= 5 or bool(_HEADER_SIGNS.search(text)) or (continues and amounts >= 1)


def _has_images(pdf, index: int) -> bool:
    page = pdf.pages[index]
    try:
        return bool(page.images)
    finally:
        page.close()


def without_duplicate_chars(page):
    """The page without the second copy of glyphs drawn twice (fake bold, a copy in a second font).

    Same text within a point of the same place is one character. One pass over a grid of
    rounded positions; pdfplumber's own dedupe_chars does the same but sorts in quadratic time,
    which made it the largest cost on top of bare table finding.
    """
    seen: set[tuple[str, int, int]] = set()
    duplicates: set[int] = set()
    for char in page.chars:
        x, y = round(char["x0"]), round(char["top"])
        if any((char["text"], x + dx, y + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            duplicates.add(id(char))
        else:
            seen.add((char["text"], x, y))
    if not duplicates:
        return page
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) not in duplicates)


def _read_table_page(page, columns: Columns | None, after_table: bool = False,
                     aligned: bool = False) -> tuple[list, Columns | None]:
    """Blocks of a page that may hold a table, and the columns of its last unruled table (if any).

    Rules first when the page has any; text alignment when it has none (or when `aligned` says so)."""
    page = without_duplicate_chars(page)
    found = []
    if not aligned:
        sides = open_sides(page.edges)
        settings = {**RULED, "explicit_vertical_lines": sides} if sides else RULED
        found = [(_grid_of(t, page), t.bbox) for t in page.find_tables(settings) if _is_real_table(t, after_table)]
    columns_after = None
    if not found and (aligned or _may_hold_unruled_table(page.extract_text() or "", columns is not None)):
        found, columns_after = aligned_grids(page, columns)     # a table printed without rules
    blocks: list = [grid for grid, _ in found]
    outside = page
    for _, bbox in found:
        outside = outside.outside_bbox(bbox, strict=False)   # text may run past the page edge
    for line in outside.extract_text_lines(strip=True, return_chars=False):
        text = normalise(line["text"]).strip()
        if text:
            blocks.append(TextLine(text, top=line["top"]))
    blocks.sort(key=lambda block: block.top if block.top is not None else 0.0)
    return blocks, columns_after


_RULE_MIN_LENGTH = 10      # shorter horizontal edges are the ends of thin rectangles, not rules
_ROW_GAP = 80              # rules further apart than this belong to different tables
_SIDE_COVERAGE = 0.5       # a side with less of its height ruled is an open side


def open_sides(edges: list[dict]) -> list[dict]:
    """Vertical rules to close tables drawn without left or right borders.

    Word processors often leave a table's outer verticals out: rows are ruled across the whole
    width and the columns are divided inside, but pdfplumber only makes cells between two verticals,
    so the first and last columns would be lost. For each stack of horizontal rules with column
    rules inside it, a side whose x has (almost) no vertical rule gets one, from the first rule of
    the stack to the last. Tables ruled on every side get nothing.
    """
    horizontal = _rule_runs([e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] >= _RULE_MIN_LENGTH])
    vertical = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] >= 3]
    stacks: list[dict] = []
    for edge in horizontal:
        for stack in stacks:
            overlap = min(stack["x1"], edge["x1"]) - max(stack["x0"], edge["x0"])
            if edge["top"] - stack["bottom"] <= _ROW_GAP and overlap >= 0.5 * min(edge["x1"] - edge["x0"], stack["x1"] - stack["x0"]):
                stack.update(x0=min(stack["x0"], edge["x0"]), x1=max(stack["x1"], edge["x1"]), bottom=edge["top"])
                stack["rules"].add(round(edge["top"]))
                break
        else:
            stacks.append({"x0": edge["x0"], "x1": edge["x1"], "top": edge["top"], "bottom": edge["top"], "rules": {round(edge["top"])}})
    added = []
    for stack in stacks:
        top, bottom = stack["top"], stack["bottom"]
        if len(stack["rules"]) < 3 or bottom - top < 10:
            continue
        inside = [e for e in vertical if stack["x0"] + 3 < e["x0"] < stack["x1"] - 3 and e["top"] < bottom and e["bottom"] > top]
        if not inside:
            continue           # rows ruled but no columns: nothing to close
        sides = {x: [e for e in vertical if abs(e["x0"] - x) <= 3] for x in (stack["x0"], stack["x1"])}
        for x, other in ((stack["x0"], stack["x1"]), (stack["x1"], stack["x0"])):
            ruled = sum(max(0.0, min(e["bottom"], bottom) - max(e["top"], top)) for e in sides[x])
            if ruled < _SIDE_COVERAGE * (bottom - top):
                added.append(_vertical(x, top, bottom))
            else:   # a row whose merged cell a page cut left open on one side: ruled as far as the other side
                added += [_vertical(x, max(e["top"], top), min(e["bottom"], bottom)) for e in sides[other]
                          if not _covered(sides[x], e["top"], e["bottom"])]
    return added


def _vertical(x: float, top: float, bottom: float) -> dict:
    return {"object_type": "line", "x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top}


def _covered(edges: list[dict], top: float, bottom: float) -> bool:
    """Whether `edges` (at one x) rule all of top..bottom, give or take a point at each end."""
    reach = top + 1
    for edge in sorted(edges, key=lambda e: e["top"]):
        if edge["top"] <= reach:
            reach = max(reach, edge["bottom"])
    return reach >= bottom - 1


def _rule_runs(horizontal: list[dict]) -> list[dict]:
    """Horizontal edges at one height that touch, joined: a rule drawn cell by cell is one rule."""
    runs: list[dict] = []
    for edge in sorted(horizontal, key=lambda e: (round(e["top"]), e["x0"])):
        last = runs[-1] if runs else None
        if last is not None and abs(last["top"] - edge["top"]) <= 1 and edge["x0"] <= last["x1"] + 3:
            last["x1"] = max(last["x1"], edge["x1"])
        else:
            runs.append({"top": edge["top"], "x0": edge["x0"], "x1": edge["x1"]})
    return sorted(runs, key=lambda e: (e["top"], e["x0"]))


def _is_real_table(table, after_table: bool = False) -> bool:
    """Two columns at least; on the page after a table, also one column of several rows (the last
    column part of a table printed in parts side by side)."""
    rows = table.rows
    width = max((len(r.cells) for r in rows), default=0)
    return len(rows) >= 1 and (width >= 2 or (after_table and width == 1 and len(rows) >= 2))


def _grid_of(table, page) -> Grid:
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
    return Grid(rows=_split_stacked_rows(rows, page, column_x), top=table.bbox[1], ruled=True)


_ROW_PITCH = 1.45          # text heights between the lines of separate rows (wrapped lines: ~1.2)
_STACKED = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}$|^\d{3}(?:\d{2}){0,2}$")


def _is_stacked(row: list[Cell]) -> bool:
    """A ruled row whose cells each hold a column of amounts or codes: body rows with no rule
    between them, which pdfplumber reads as one tall row ("210\n210\n211" | "799.88\n154.78")."""
    stacked = [sum(1 for line in cell.text.splitlines() if _STACKED.match(line.strip())) for cell in row]
    amounts = [sum(1 for line in cell.text.splitlines() if "." in line and _STACKED.match(line.strip())) for cell in row]
    return max(amounts, default=0) >= 2 or sum(1 for n in stacked if n >= 2) >= 2


def _split_stacked_rows(rows: list[list[Cell]], page, column_x: list[tuple[float, float]]) -> list[list[Cell]]:
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
    words = [w for w in page.crop(area, strict=False).extract_words(x_tolerance=1, y_tolerance=3, keep_blank_chars=False)
             if not any(b[0] <= (w["x0"] + w["x1"]) / 2 <= b[2] for b in merged_down)]
    for word in words:
        word["text"] = normalise(word["text"]).strip()
    lines = lines_of([w for w in words if w["text"]])
    if len(lines) < 2:
        return None
    if sure:
        return lines
    if _amounts_centred(row, words, area):
        return None                             # one row: its amounts centred beside text wrapped above and below them
    heights = sorted(w["bottom"] - w["top"] for line in lines for w in line.words)
    pitch = _ROW_PITCH * heights[len(heights) // 2]
    text_pitch = max(pitch, _text_row_pitch(lines))
    rows: list = [lines[0]]
    for above, line in zip(lines, lines[1:]):
        if line.top - above.top >= (pitch if is_data_line(line) else text_pitch):
            rows.append(line)
        else:                                   # a wrapped line of the row above
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
    box = (min(w["x0"] for w in mine), min(w["top"] for w in mine), max(w["x1"] for w in mine), max(w["bottom"] for w in mine))
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
        x1 = next((s for s in starts[c + 1:] if s is not None), bbox[2])
        edges.append((x0, x1))
    return edges


def _row_edges(boxes, bbox) -> list[tuple[float, float]]:
    tops = [min((b[1] for b in row if b is not None), default=None) for row in boxes]
    edges = []
    for r, top in enumerate(tops):
        y0 = top if top is not None else (edges[-1][1] if edges else bbox[1])
        y1 = next((t for t in tops[r + 1:] if t is not None), bbox[3])
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
