"""Header rows → column labels → measures; everything below the header is a data row.

A header is the run of rows above the first row that carries data (an amount, a code, an ordinal
label). Its cells are read top to bottom per column, merged cells included, into a label path
such as `本年支出/基本支出`, which layouts.yaml maps to a measure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.basics.amounts import parse_amount
from pipelines.basics.text import clean_label, compact
from pipelines.basics.vocabulary import CLASSIFICATION_CODE, TOTAL_LABEL
from pipelines.read.model import Cell, Grid
from pipelines.recognise.tables import FoundTable

_ORDINAL_LABEL = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、．]\s*\D|[(（][一二三四五六七八九十\d]+[)）]|其中)")
_ROW_NUMBER_LABEL = re.compile(r"栏次|行次|^\*+$")  # Fujian marks the label columns of that row **


_SUB_MEASURE = re.compile(r"^其中[:：]?")
_SUBTOTAL_WORD = re.compile(r"^(小计|合计|金额)$")
_EDGE_TOLERANCE = 2.0  # points: rules of two pieces of one column drawn a hair apart


@dataclass
class DataRow:
    cells: list[Cell]
    page: int | None
    aligned: bool  # columns line up with the header's (ruled grid of the same width)
    number: int  # 1-based data row within the stitched table


@dataclass
class TableBody:
    header: list[list[Cell]]
    column_paths: list[str]
    rows: list[DataRow]
    width: int
    ruled: bool  # header columns are positions (ruled grid), not just an order


def read_body(table: FoundTable) -> TableBody:
    first = table.segments[0].grid
    header_count = 0
    while header_count < len(first.rows) and not carries_data(first.rows[header_count]):
        header_count += 1
    if header_count == len(first.rows):  # nothing but header (an empty template table)
        header_count = min(header_count, _header_depth_without_data(first))
    header = [row for row in first.rows[:header_count] if not _is_row_number_row(row)]
    header_texts = {compact(c.text) for row in header for c in row if c.text}
    rows: list[DataRow] = []
    edges = _column_edges(first) if first.ruled else None
    for index, segment in enumerate(table.segments):
        grid_rows = (
            segment.grid.rows[header_count:] if index == 0 else _drop_repeated_header(segment.grid.rows, header_texts)
        )
        aligned = segment.grid.ruled and first.ruled and segment.grid.width == first.width
        for cells in grid_rows:
            if _is_row_number_row(cells) or not any(c.text for c in cells):
                continue
            moved = None if aligned or not segment.grid.ruled or edges is None else _on_columns(cells, edges)
            rows.append(DataRow(moved or cells, segment.page, aligned or moved is not None, len(rows) + 1))
    return TableBody(header, column_paths(header, first), rows, first.width, first.ruled)


def _column_edges(grid: Grid) -> list[float | None] | None:
    """The left edge of each column of a ruled grid, from the cells that start in it (None for a
    column no cell starts in: it only ever continues a merged cell)."""
    lefts: list[float | None] = [None] * grid.width
    for row in grid.rows:
        for column, cell in enumerate(row):
            if lefts[column] is None and cell.covered_by is None and cell.bbox is not None:
                lefts[column] = cell.bbox[0]
    return lefts if any(left is not None for left in lefts) else None


def _on_columns(cells: list[Cell], edges: list[float | None]) -> list[Cell] | None:
    """A row of a piece ruled differently from the table's first (a page whose columns were drawn
    again, with other divisions) put on the first piece's columns by where its cells start. None
    when two cells would share a column or a cell has no position."""
    placed = [Cell("") for _ in edges]
    for cell in cells:
        if cell.covered_by is not None or not cell.text.strip():
            continue
        if cell.bbox is None:
            return None
        starts = [c for c, left in enumerate(edges) if left is not None and left <= cell.bbox[0] + _EDGE_TOLERANCE]
        column = max(starts, default=None)
        if column is None or placed[column].text:
            return None
        placed[column] = Cell(cell.text, cell.bbox, None, cell.page)
        for covered, left in enumerate(edges):  # the columns a merged cell spans stay covered by it
            if covered > column and left is not None and left < cell.bbox[2] - _EDGE_TOLERANCE:
                if placed[covered].text:
                    return None
                placed[covered] = Cell("", None, (0, column), cell.page)
    return placed


def carries_data(cells: list[Cell]) -> bool:
    texts = [c.text.strip() for c in cells if c.text.strip()]
    if not texts:
        return False
    if any(parse_amount(t).state == "value" and "." in t for t in texts):
        return True
    first = compact(texts[0])
    if CLASSIFICATION_CODE.match(first) or _ORDINAL_LABEL.match(first):
        return True
    if TOTAL_LABEL.match(first) and len(texts) > 1 and any(parse_amount(t).state != "unparseable" for t in texts[1:]):
        return True
    return any(compact(t) == "无" for t in texts)


def _header_depth_without_data(grid: Grid) -> int:
    """For a table with no data at all, the rows before the first code or total label."""
    for index, row in enumerate(grid.rows):
        texts = [compact(c.text) for c in row if c.text]
        if texts and (CLASSIFICATION_CODE.match(texts[0]) or _ORDINAL_LABEL.match(texts[0])):
            return index
        if texts and TOTAL_LABEL.match(texts[0]) and all(parse_amount(t).state != "unparseable" for t in texts[1:]):
            return index
    return len(grid.rows)


def _drop_repeated_header(rows: list[list[Cell]], header_texts: set[str]) -> list[list[Cell]]:
    start = 0
    while start < len(rows) and not carries_data(rows[start]):
        texts = [compact(c.text) for c in rows[start] if c.text]
        known = sum(1 for t in texts if t in header_texts)
        if texts and (known * 2 >= len(texts) or _is_row_number_row(rows[start])):
            start += 1
        else:
            break
    return rows[start:]


def _is_row_number_row(cells: list[Cell]) -> bool:
    """A 栏次 row: the label and the column numbers 1, 2, 3 … under the header."""
    texts = [compact(c.text) for c in cells if c.text]
    if not any(_ROW_NUMBER_LABEL.search(t) for t in texts):
        return False
    numbers = [t for t in texts if t.isdigit()]
    return bool(numbers) and not any("." in t and parse_amount(t).state == "value" for t in texts)


def column_paths(header: list[list[Cell]], grid: Grid) -> list[str]:
    """Per column, the header texts from top to bottom ('/'-joined), merged cells followed."""
    width = grid.width
    paths = []
    for c in range(width):
        parts: list[str] = []
        for r in range(len(header)):
            text = _header_text(header, r, c, grid.ruled)
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        paths.append("/".join(parts))
    return paths


def _header_text(header: list[list[Cell]], r: int, c: int, ruled: bool) -> str:
    row = header[r]
    if c >= len(row):
        return ""
    cell = row[c]
    if cell.covered_by is not None:
        owner_r, owner_c = cell.covered_by
        if owner_r < len(header) and owner_c < len(header[owner_r]):
            return clean_label(header[owner_r][owner_c].text)
        return ""
    if cell.text or ruled:
        return clean_label(cell.text)
    # Text exports lose merges: an empty header cell with sub-headers below it belongs to the
    # group label on its left (本年支出 over 小计 / 基本支出 / 项目支出).
    if not any(c < len(below) and below[c].text for below in header[r + 1 :]):
        return ""
    for left in range(c - 1, -1, -1):
        if row[left].text:
            return clean_label(row[left].text)
    return ""


def measure_of(path: str, rules: list[dict]) -> dict | None:
    """First rule matching the deepest header component that any rule matches.

    Two kinds of header words take their meaning from the column above them: a 小计 / 合计 / 金额
    under a group (项目支出 / 小计, 事业收入 / 金额) is the group's own measure, and a 其中 column (其中：基本建设资金支出) is a part of
    it, read by its own words only, never as the group."""
    parts = [compact(p) for p in path.split("/") if p]
    if parts and _SUB_MEASURE.match(parts[-1]):
        return _first_rule(_SUB_MEASURE.sub("", parts[-1]), rules)
    if len(parts) > 1 and _SUBTOTAL_WORD.match(parts[-1]):
        group = measure_of("/".join(parts[:-1]), rules)
        if group is not None:
            return group
    for part in reversed(parts):
        rule = _first_rule(part, rules)
        if rule is not None:
            return rule
    for start in range(len(parts) - 2, -1, -1):  # a header word wrapped over two rows (单位预留机动经 / 费)
        rule = _first_rule("".join(parts[start:]), rules)
        if rule is not None:
            return rule
    return None


def _first_rule(text: str, rules: list[dict]) -> dict | None:
    if not text:
        return None
    return next((rule for rule in rules if re.search(rule["match"], text)), None)


_ROW_HEADER_WORDS = re.compile(r"^(项目|科目|编码|名称|类|款|项)")


def text_measure_sequence(header: list[list[Cell]], rules: list[dict], low: int, high: int) -> list[tuple[dict, str]]:
    """Measures of a text-export header, in reading order.

    Exports keep the order of header labels but not their columns: a group label (本年支出) is
    followed by as many empty cells as it spans, and its sub-labels (小计, 基本支出, 项目支出) sit
    somewhere in the rows below. Each group takes that many sub-labels, in order.
    """
    if not header:
        return []
    top = header[0]
    below = [clean_label(row[c].text) for row in header[1:] for c in range(low, min(high, len(row))) if row[c].text]
    subs = [(label, measure_of(label, rules)) for label in below]
    subs = [(label, rule) for label, rule in subs if rule is not None]
    sequence: list[tuple[dict, str]] = []
    c = low
    end = min(high, len(top))
    while c < end:
        label = clean_label(top[c].text)
        span = 1
        while c + span < end and not top[c + span].text:
            span += 1
        c += span
        if not label:
            continue
        if span > 1 and subs and not _ROW_HEADER_WORDS.match(compact(label)):
            taken, subs = subs[:span], subs[span:]
            sequence += [(rule, f"{label}/{sub}") for sub, rule in taken]
            continue
        rule = measure_of(label, rules)
        if rule is not None:
            sequence.append((rule, label))
    return sequence
