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
from pipelines.recognise.content import layout_by_content, may_be_title
from pipelines.recognise.layouts import Layout, match_title
from pipelines.recognise.stitch import starts_column_part, stitch_column_parts

_TABLE_NUMBER = re.compile(r"公开\s*0?(\d{1,2})\s*表")
_NUMBER_BEFORE_TITLE = re.compile(r"^公开\d{1,2}表[:：]?")
_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元)(?![\u4e00-\u9fff])")
_QUOTES = re.compile(r"[“”\"'‘’「」]")
_TOC_ENTRY = re.compile(r"(\.{3,}|…{2,}|·{3,})|\s\d{1,3}$")
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、．]|[(（][一二三四五六七八九十\d]+[)）])")
# what a caption row joins to the title: 部门：… 单位：万元 (kept as the table's lines, not its title)
_AFTER_TITLE = re.compile(r"(?:预算单位|预算部门|编制单位|编制部门|部门|单位|金额单位)[:：]")
_CLOSERS = re.compile(r"^注[:：\s\d]|^第[一二三四五六七八九十]+部分|情况说明|名词解释")
_MAX_TITLE_LENGTH = 40
# a sentence that names a table (…应与《收支预算总表》收入数一致。) is not its title
_SENTENCE = re.compile(r"[。；;]$|《[^》]+》")
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
    lines: list[str] = field(default_factory=list)  # its title, number and unit lines as printed

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
    if _SENTENCE.search(compact(line)):
        return None
    text = _QUOTES.sub("", compact(line))
    text = _ORDINAL.sub("", text)
    if len(text) > _MAX_TITLE_LENGTH:
        return None
    return match_title(text)


def find_tables(document: RawDocument) -> list[FoundTable]:
    tables: list[FoundTable] = []
    current: FoundTable | None = None
    pending_number: str | None = None  # a 公开NN表 line printed above the title it numbers
    previous_line = ""  # the line before, which may hold the first half of a wrapped title
    unknown_title: tuple[str, int | None] | None = None  # a title no layout knows, and its page

    def close() -> None:
        nonlocal current
        if current is not None and current.segments:
            tables.append(current)
        current = None

    def read_line(line: str, page: int | None) -> None:
        nonlocal current, pending_number, previous_line, unknown_title
        if not _QUOTES.sub("", compact(line)):
            return  # quotation marks printed on a line of their own (“ ” above a wrapped title)
        before, previous_line = previous_line, line
        layout = title_of(line)
        wrapped = title_of(before + line) if before and title_of(before) is None else None
        if wrapped is not None and wrapped != layout:
            # a title wrapped over two lines: “公开09表：…三公经费、会议费、培训费” / “支出预算表”, “…支出预” / “算表”
            layout, line = wrapped, before + line
        if layout is not None:
            close()
            current = FoundTable(layout, _printed_title(line), page, table_number=pending_number)
            pending_number, previous_line, unknown_title = None, "", None
            _read_table_line(current, line)
            return
        number = _TABLE_NUMBER.search(compact(line))
        if number is not None and (current is None or current.segments):
            # after a table's grid, a number line numbers the next title
            pending_number = f"公开{int(number.group(1)):02d}表"
            return
        if number is None and _TOC_ENTRY.search(line.strip()) is None and not _SENTENCE.search(compact(line)):
            title = _printed_title(line)
            if may_be_title(title):
                unknown_title = (title, page)  # another table, if its grid says which (or a running head)
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
                for piece in split_at_titles(block):
                    captions, grid = split_caption(piece)
                    for line in captions:
                        read_line(line, page.number)
                    if unknown_title is not None and grid is not None:
                        by_content = layout_by_content(unknown_title[0], grid)
                        if by_content is not None and not (current is not None and _repeats_header(grid, current)):
                            close()
                            current = FoundTable(by_content, unknown_title[0], unknown_title[1] or page.number)
                        unknown_title = None
                    if current is not None and grid is not None:
                        current.segments.append(Segment(grid, page.number))
                    if grid is not None:
                        previous_line = ""  # a title does not wrap around a grid
                continue
            read_line(block.text, page.number)
    close()
    tables = _with_column_parts_joined(tables)
    for table in tables:
        table.segments = stitch_column_parts(table.segments)
    return tables


def _repeats_header(grid: Grid, table: FoundTable) -> bool:
    """Whether a grid starts with the header of the table's first piece (a continuation page)."""
    if not table.segments:
        return False
    first = [compact(cell.text) for cell in table.segments[0].grid.rows[0] if cell.text.strip()]
    return any([compact(cell.text) for cell in row if cell.text.strip()] == first for row in grid.rows[:3])


def _printed_title(line: str) -> str:
    """The title without the table number before it or the 部门：/ 单位： a caption row joins to it."""
    text = _QUOTES.sub("", compact(_ORDINAL.sub("", line.strip())))
    text = _NUMBER_BEFORE_TITLE.sub("", text)
    return _AFTER_TITLE.split(text, maxsplit=1)[0] or text


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


def split_at_titles(grid: Grid) -> list[Grid]:
    """A grid cut before each row that holds nothing but a table's title: a spreadsheet ruled as one
    sheet prints the end of one table, the next one's title and the next table in one grid."""
    cuts = [
        index
        for index, row in enumerate(grid.rows)
        if index > 0 and len(_owners(row)) == 1 and title_of(_row_text(row)) is not None
    ]
    bounds = [0, *cuts, len(grid.rows)]
    return [_rows_of(grid, start, end) for start, end in zip(bounds, bounds[1:])]


def _rows_of(grid: Grid, start: int, end: int) -> Grid:
    if (start, end) == (0, len(grid.rows)):
        return grid
    rows = [[_shifted(cell, start) for cell in row] for row in grid.rows[start:end]]
    return Grid(rows=rows, top=grid.top, ruled=grid.ruled, method=grid.method)


def _owners(row: list[Cell]) -> list[Cell]:
    return [cell for cell in row if cell.covered_by is None and cell.text.strip()]


def _row_text(row: list[Cell]) -> str:
    return " ".join(" ".join(cell.text.split()) for cell in _owners(row))


def _across(row: list[Cell], width: int) -> bool:
    """One cell across the whole row (the others covered by it)."""
    owners = _owners(row)
    return width > 1 and len(owners) == 1 and all(cell is owners[0] or cell.covered_by is not None for cell in row)


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
        if not _owners(row):
            captions.append(None)  # an empty row of the caption area (kept only above a caption)
            continue
        text = _row_text(row)
        across = _across(row, grid.width)
        if across and not _is_caption(text):
            text = _caption_lines(_owners(row)[0].text) or text
        caption = _is_caption(text)
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
    return lines, _rows_of(grid, count, len(grid.rows))


def _is_caption(text: str) -> bool:
    return title_of(text) is not None or bool(_TABLE_NUMBER.search(compact(text)) or _UNIT.search(compact(text)))


def _caption_lines(text: str) -> str:
    """The caption lines at the top of a cell that frames the whole table (its rules drawn around
    the title and the table together): the cell's text holds the caption, then the table again."""
    lines = []
    for line in text.split("\n"):
        if not _is_caption(line):
            break
        lines.append(line.strip())
    return " ".join(lines)


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
    if number and not table.segments:
        table.table_number = f"公开{int(number.group(1)):02d}表"
        found = True
    unit = _UNIT.search(compact(text))
    if unit and table.printed_unit is None:
        table.printed_unit = unit.group(1)
        found = True
    if found or not table.lines:
        table.lines.append(text)
    return found
