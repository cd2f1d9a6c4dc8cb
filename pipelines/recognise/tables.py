"""Find the tables of a document by their titles, and stitch the pieces continued over pages.

A title line opens a table; the lines that follow give its number (公开05表) and currency unit
(单位：万元); every grid until the table's note (注：…), the next title or running text belongs to
it, so a table continued on the next page — with or without a repeated header — stays one table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.read.model import Grid, RawDocument, TextLine
from pipelines.read.text import compact
from pipelines.recognise.layouts import Layout, match_title

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

    for page in document.pages:
        for block in page.blocks:
            if isinstance(block, Grid):
                if current is not None:
                    current.segments.append(Segment(block, page.number))
                continue
            line = block.text
            layout = title_of(line)
            if layout is not None:
                close()
                current = FoundTable(layout, _QUOTES.sub("", compact(_ORDINAL.sub("", line.strip()))), page.number)
                _read_table_line(current, line)
                continue
            if current is None:
                continue
            if _CLOSERS.search(compact(line)):
                if current.segments:
                    current.notes.append(line)
                close()
            elif len(compact(line)) > _RUNNING_TEXT_LENGTH and not _read_table_line(current, line):
                close()
            else:
                _read_table_line(current, line)
    close()
    return tables


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
