"""PDF (text layer) → pages → blocks → grids.

pypdfium2 reads every page's text first (about 40× faster than pdfplumber); only pages that look
like they hold a table go through pdfplumber's table finding. Each pdfplumber page is closed as
soon as it has been read, so memory stays flat on long documents.

Producers draw rules differently, and the `lines` strategy sees them all (stroked lines, WPS's long
segments, Word 2010's thin filled rectangles: it uses rectangle edges). What it cannot see is added
or repaired: outer verticals a word processor left out (`rules.py`), body rows with no rule
between them, which come out as one tall row (`read/grids.py`), and tables printed without any
rules, rebuilt from the alignment of their text (`read/aligned.py`). Every page is read the way it is
shown upright (`orientation.py`: /Rotate, content drawn turned a quarter).
"""

from __future__ import annotations

import io
import re

import pdfplumber
import pypdfium2

from pipelines.basics.text import normalise
from pipelines.read.aligned import Columns, aligned_grids
from pipelines.read.grids import grid_of, is_real_table
from pipelines.read.model import Grid, Page, RawDocument, TextLine
from pipelines.read.ocr import scanned_page_blocks
from pipelines.read.pdf.damage import page_tree_reason, unreadable_page_reason, unreadable_reason
from pipelines.read.pdf.orientation import upright
from pipelines.read.pdf.rules import open_ends, open_sides

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
_TABLE_WORDS = re.compile(
    r"表|单位[:：]|合计|总计|栏次|科目编码|指标|得分|[≥≤]"
)  # 指标 …: performance tables continued


class UnreadablePdf(Exception):
    """The file is not a PDF we can open (corrupt, encrypted, not a PDF)."""


def read_pdf(data: bytes, aligned_pages: frozenset[int] | None = None) -> RawDocument:
    """The document's pages as blocks. With `aligned_pages`, only those pages (1-based) are read, and
    their tables from the alignment of their text whatever rules they have (the retry of a table
    whose ruled grid did not add up)."""
    page_texts = quick_page_texts(data)
    notes: list[str] = []
    pages: list[Page] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data), unicode_norm="NFKC")
    except Exception as error:  # pdfminer raises many types for broken files
        raise UnreadablePdf(f"pdfplumber cannot open the file: {type(error).__name__}: {error}") from error
    with pdf:
        if len(pdf.pages) != len(page_texts):
            raise UnreadablePdf(page_tree_reason(len(page_texts), len(pdf.pages)))
        columns: Columns | None = None  # of the last unruled table, for its continuation
        after_table = False
        for index, text in enumerate(page_texts):
            number = index + 1
            printed = len(_AMOUNT_TOKEN.findall(text)) if text.strip() else None
            if aligned_pages is not None and number not in aligned_pages:
                pages.append(Page(number, [], printed))
                continue
            if not text.strip():
                blocks = []
                if _has_images(pdf, index):
                    blocks, columns = scanned_page_blocks(data, index, columns, notes)
                pages.append(Page(number, blocks))
                continue
            if may_hold_table(text) or (after_table and len(text) < _SHORT_PAGE) or aligned_pages:
                blocks, columns = _read_table_page(upright(pdf.pages[index]), columns, after_table, bool(aligned_pages))
                pages.append(Page(number, blocks, printed))
                pdf.pages[index].close()
                after_table = any(isinstance(block, Grid) for block in blocks)
            else:
                columns, after_table = None, False
                lines = [TextLine(normalise(line).strip()) for line in text.splitlines() if line.strip()]
                pages.append(Page(number, lines, printed))
    return RawDocument(file_format="pdf", pages=pages, page_count=len(page_texts), notes=notes)


def quick_page_texts(data: bytes) -> list[str]:
    try:
        document = pypdfium2.PdfDocument(data)
    except Exception as error:
        raise UnreadablePdf(unreadable_reason(data)) from error
    try:
        texts = []
        for index in range(len(document)):
            try:
                page = document[index]
            except pypdfium2.PdfiumError as error:  # a damaged page object: the document is not what it says
                raise UnreadablePdf(unreadable_page_reason(index + 1, len(document), error)) from error
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


def _read_table_page(
    page, columns: Columns | None, after_table: bool = False, aligned: bool = False
) -> tuple[list, Columns | None]:
    """Blocks of a page that may hold a table, and the columns of its last unruled table (if any).

    Rules first when the page has any; text alignment when it has none (or when `aligned` says so)."""
    page = without_duplicate_chars(page)
    found = []
    if not aligned:
        settings = {
            **RULED,
            "explicit_vertical_lines": open_sides(page.edges),
            "explicit_horizontal_lines": open_ends(page.edges),
        }
        found = [(grid_of(t, page), t.bbox) for t in page.find_tables(settings) if is_real_table(t, after_table)]
    columns_after = None
    if not found and (aligned or _may_hold_unruled_table(page.extract_text() or "", columns is not None)):
        found, columns_after = aligned_grids(page, columns)  # a table printed without rules
    blocks: list = [grid for grid, _ in found]
    outside = page
    for _, bbox in found:
        outside = outside.outside_bbox(bbox, strict=False)  # text may run past the page edge
    for line in outside.extract_text_lines(strip=True, return_chars=False):
        text = normalise(line["text"]).strip()
        if text:
            blocks.append(TextLine(text, top=line["top"]))
    blocks.sort(key=lambda block: block.top if block.top is not None else 0.0)
    return blocks, columns_after
