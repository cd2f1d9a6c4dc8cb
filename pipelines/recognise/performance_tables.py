"""Find the performance tables of a document (performance.yaml): one per project or department.

A title — a text line, or the first cell of a grid row (exports often put it inside the table) —
opens a table; every grid row until the next title or running text belongs to it, so a table
continued over pages (with or without a repeated header) stays one table. Rows keep their page and
the position of their first printed cell, which a misaligned text export needs to place a label.
A title cut by a page break (“绩效自评” / “公开表”, one cell on each page) opens its table too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from pipelines.basics.text import clean_label, compact
from pipelines.read.model import Grid, RawDocument

PERFORMANCE_FILE = Path(__file__).with_name("performance.yaml")
_RUNNING_TEXT_LENGTH = 45
_MAX_TITLE_LENGTH = 60
_TOC_ENTRY = re.compile(r"(\.{3,}|…{2,}|·{3,})|\s\d{1,3}$")
_QUOTES = re.compile(r"[“”\"'‘’「」《》]")


@dataclass(frozen=True)
class PerformanceKind:
    kind: str
    scope: str
    shape: str
    default_fields: tuple[str, ...]
    nominal_total_weight: int | None


@dataclass
class PerformanceRow:
    texts: list[str]  # cell texts, cleaned; '' for an empty or covered cell
    page: int | None
    aligned: bool  # from a ruled grid (HTML, PDF rules): positions are columns
    spans: list[tuple[float, float] | None] | None = None  # each cell's x0, x1 on a PDF page (a covered
    # cell: its merged cell's)


@dataclass
class PerformanceTable:
    kind: PerformanceKind
    printed_title: str
    page: int | None
    rows: list[PerformanceRow] = field(default_factory=list)


@lru_cache(maxsize=1)
def performance_spec() -> dict:
    return yaml.safe_load(PERFORMANCE_FILE.read_text(encoding="utf-8"))


def performance_title(text: str) -> PerformanceKind | None:
    """The kind of performance table a line announces (longest title match), if any."""
    line = _QUOTES.sub("", compact(text))
    if not line or len(line) > _MAX_TITLE_LENGTH or _TOC_ENTRY.search(text.strip()) or "详见" in line:
        return None
    best: tuple[int, str] | None = None
    for kind, spec in performance_spec()["kinds"].items():
        for pattern in spec["titles"]:
            for found in re.finditer(pattern, line):
                length = found.end() - found.start()
                if best is None or length > best[0]:
                    best = (length, kind)
    if best is None:
        return None
    spec = performance_spec()["kinds"][best[1]]
    return PerformanceKind(
        best[1], spec["scope"], spec["shape"], tuple(spec["default_fields"]), spec.get("nominal_total_weight")
    )


Span = tuple[float, float]


def _spans(grid: Grid, cells) -> list[Span | None]:
    """Each cell's x0, x1 — a covered cell's from the cell that covers it."""
    spans = []
    for cell in cells:
        if cell.covered_by is not None:
            row, column = cell.covered_by
            cell = grid.rows[row][column]
        spans.append((cell.bbox[0], cell.bbox[2]) if cell.bbox else None)
    return spans


def _title_cut_by_page_break(table: PerformanceTable | None, printed: list[str], page: int | None):
    """(kind, [title]) where this one-cell row ends a title begun by the table's last row, on the page before."""
    if table is None or not table.rows or len(printed) != 1 or page is None:
        return None
    last = table.rows[-1]
    before = [t for t in last.texts if t]
    if len(before) != 1 or last.page in (None, page):
        return None
    title = before[0] + printed[0]
    kind = performance_title(title)
    return (kind, [title]) if kind is not None else None


def find_performance_tables(document: RawDocument) -> list[PerformanceTable]:
    tables: list[PerformanceTable] = []
    current: PerformanceTable | None = None

    def open_table(kind: PerformanceKind, title: str, page: int | None) -> None:
        nonlocal current
        current = PerformanceTable(kind, _QUOTES.sub("", compact(title)), page)
        tables.append(current)

    for page in document.pages:
        for block in page.blocks:
            if isinstance(block, Grid):
                for cells in block.rows:
                    texts = [clean_label(c.text) if c.covered_by is None else "" for c in cells]
                    printed = [t for t in texts if t]
                    if not printed:
                        continue
                    kind = performance_title(printed[0]) if len(printed) <= 2 else None
                    cut = _title_cut_by_page_break(current, printed, page.number) if kind is None else None
                    if cut is not None:
                        current.rows.pop()  # the title's first part, read as a row
                        kind, printed = cut
                    if kind is not None:
                        open_table(kind, printed[0], page.number)
                    elif current is not None:
                        current.rows.append(PerformanceRow(texts, page.number, block.ruled, _spans(block, cells)))
                continue
            kind = performance_title(block.text)
            if kind is not None:
                open_table(kind, block.text, page.number)
            elif current is not None and len(compact(block.text)) > _RUNNING_TEXT_LENGTH:
                current = None
    return [t for t in tables if t.rows]
