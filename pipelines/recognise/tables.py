"""Find the tables of a document by their titles, and stitch the pieces continued over pages.

A title line opens a table; the lines that follow give its number (公开05表) and currency unit
(单位：万元); every grid until the table's note (注：…), the next title or running text belongs to
it, so a table continued on the next page — with or without a repeated header — stays one table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.basics.text import compact
from pipelines.read.model import Cell, Grid, RawDocument, TextLine
from pipelines.recognise.layouts import Layout, match_title
from pipelines.recognise.stitch import starts_column_part, stitch_column_parts

_TABLE_NUMBER = re.compile(r"公开\s*0?(\d{1,2})\s*表")
_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元)(?![\u4e00-\u9fff])")
_QUOTES = re.compile(r"[“”\"'‘’「」]")
_TOC_ENTRY = re.compile(r"(\.{3,}|…{2,}|·{3,})|\s\d{1,3}$")
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、．]|[(（][一二三四五六七八九十\d]+[)）])")
_CLOSERS = re.compile(r"^注[:：\s\d]|^第[一二三四五六七八九十]+部分|情况说明|名词解释")
_MAX_TITLE_LENGTH = 40
_RUNNING_TEXT_LENGTH = 45


@dataclass
class Segment:
    grid: Grid
    page: int | None


@dataclass
class FoundTable:
    layout: Layout
    printed_title: str
    page: int | None
    table_number: str | None = None
    printed_unit: str | None = None
    segments: list[Segment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.layout.kind

    @property
    def source_table(self) -> str:
        return self.table_number or self.printed_title


def title_of(line: str) -> Layout | None:
    """The table a line announces, if it is a table title (not a TOC entry or running text)."""
    if _TOC_ENTRY.search(line.strip()):
        return None
    text = _QUOTES.sub("", compact(line))
    text = _ORDINAL.sub("", text)
    if len(text) > _MAX_TITLE_LENGTH:
        return None
    return match_title(text)


def find_tables(document: RawDocument) -> list[FoundTable]:
    tables: list[FoundTable] = []
    current: FoundTable | None = None

    def close() -> None:
        nonlocal current
        if current is not None and current.segments:
            tables.append(current)
        current = None

    def read_line(line: str, page: int | None) -> None:
        nonlocal current
        layout = title_of(line)
        if layout is not None:
            close()
            current = FoundTable(layout, _QUOTES.sub("", compact(_ORDINAL.sub("", line.strip()))), page)
            _read_table_line(current, line)
            return
        if current is None:
            return
        if _CLOSERS.search(compact(line)):
            if current.segments:
                current.notes.append(line)
            close()
        elif len(compact(line)) > _RUNNING_TEXT_LENGTH and not _read_table_line(current, line):
            close()
        else:
            _read_table_line(current, line)

    for page in document.pages:
        for block in page.blocks:
            if isinstance(block, Grid):
                captions, grid = split_caption(block)
                for line in captions:
                    read_line(line, page.number)
                if current is not None and grid is not None:
                    current.segments.append(Segment(grid, page.number))
                continue
            read_line(block.text, page.number)
    close()
    tables = _with_column_parts_joined(tables)
    for table in tables:
        table.segments = stitch_column_parts(table.segments)
    return tables


def _with_column_parts_joined(tables: list[FoundTable]) -> list[FoundTable]:
    """A spreadsheet prints a title centred across the sheet on every column part: the part then
    looks like a new table of the same title. It is the same table when its first piece is a
    column part of the other's first piece (recognise/stitch.py)."""
    joined: list[FoundTable] = []
    for table in tables:
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.kind == table.kind
            and last.printed_title == table.printed_title
            and starts_column_part(table.segments[0].grid, last.segments[0].grid)
        ):
            last.segments += table.segments
            last.table_number = last.table_number or table.table_number
            last.printed_unit = last.printed_unit or table.printed_unit
            last.notes += table.notes
        else:
            joined.append(table)
    return joined


def split_caption(grid: Grid) -> tuple[list[str], Grid | None]:
    """Caption rows drawn inside a table's rules, and the table without them.

    A spreadsheet printed with grid lines (or a title typed into the first rows of a ruled table)
    puts the title, 公开NN表 and 单位：万元 into cells above the header. Leading rows that hold such a
    line, and rows of one cell across the whole width above them, are read as text lines instead; a
    row across the table with none of these below it is a header (财政拨款“三公”经费 over its items).
    """
    captions: list[str | None] = []
    count = 0
    for row in grid.rows:
        owners = [cell for cell in row if cell.covered_by is None and cell.text.strip()]
        if not owners:
            captions.append(None)  # an empty row of the caption area (kept only above a caption)
            continue
        text = " ".join(" ".join(cell.text.split()) for cell in owners)
        across = (
            grid.width > 1
            and len(owners) == 1
            and all(cell is owners[0] or cell.covered_by is not None for cell in row)
        )
        caption = title_of(text) is not None or bool(_TABLE_NUMBER.search(compact(text)) or _UNIT.search(compact(text)))
        if not (across or caption):
            break
        captions.append(text)
        if caption:
            count = len(captions)  # a row across the table is a caption only above one of these
    lines = [text for text in captions[:count] if text]
    if not count:
        return [], grid
    if count == len(grid.rows):
        return lines, None
    rows = [[_shifted(cell, count) for cell in row] for row in grid.rows[count:]]
    return lines, Grid(rows=rows, top=grid.top, ruled=grid.ruled, method=grid.method)


def _shifted(cell: Cell, removed: int) -> Cell:
    """A cell of a grid whose first `removed` rows were taken away: merges re-pointed."""
    if cell.covered_by is None:
        return cell
    row, column = cell.covered_by
    return Cell(cell.text, cell.bbox, (row - removed, column) if row >= removed else None)


def _read_table_line(table: FoundTable, line: TextLine | str) -> bool:
    """Table number and currency unit from a line under (or inside) the title."""
    text = line.text if isinstance(line, TextLine) else line
    found = False
    number = _TABLE_NUMBER.search(compact(text))
    if number:
        table.table_number = f"公开{int(number.group(1)):02d}表"
        found = True
    unit = _UNIT.search(compact(text))
    if unit and table.printed_unit is None:
        table.printed_unit = unit.group(1)
        found = True
    return found
