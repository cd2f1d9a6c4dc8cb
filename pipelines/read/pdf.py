"""PDF (text layer) → pages → blocks → grids.

pypdfium2 reads every page's text first (about 40× faster than pdfplumber); only pages that look
like they hold a table go through pdfplumber's table finding. Each pdfplumber page is closed as
soon as it has been read, so memory stays flat on long documents.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pypdfium2

from pipelines.read.model import Cell, Grid, Page, RawDocument, TextLine
from pipelines.read.text import normalise

RULED = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
ALIGNED_TEXT = {"vertical_strategy": "text", "horizontal_strategy": "text"}

_AMOUNT_TOKEN = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d])|(?<![\d.])\d+\.\d{2}(?![\d])")
_TABLE_WORDS = re.compile(r"表|单位[:：]|合计|总计|栏次|科目编码")


class UnreadablePdf(Exception):
    """The file is not a PDF we can open (corrupt, encrypted, not a PDF)."""


def read_pdf(path: Path) -> RawDocument:
    page_texts = quick_page_texts(path)
    notes: list[str] = []
    pages: list[Page] = []
    try:
        pdf = pdfplumber.open(path, unicode_norm="NFKC")
    except Exception as error:  # pdfminer raises many types for broken files
        raise UnreadablePdf(f"pdfplumber cannot open the file: {type(error).__name__}: {error}") from error
    with pdf:
        for index, text in enumerate(page_texts):
            number = index + 1
            if not text.strip():
                if _has_images(pdf, index):
                    notes.append(f"page {number} has no text layer (scanned image); it was not read")
                pages.append(Page(number, []))
                continue
            if may_hold_table(text):
                pages.append(Page(number, _read_table_page(pdf.pages[index])))
                pdf.pages[index].close()
            else:
                pages.append(Page(number, [TextLine(normalise(line).strip()) for line in text.splitlines() if line.strip()]))
    return RawDocument(file_format="pdf", pages=pages, page_count=len(page_texts), notes=notes)


def quick_page_texts(path: Path) -> list[str]:
    try:
        document = pypdfium2.PdfDocument(str(path))
    except Exception as error:
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


def _has_images(pdf, index: int) -> bool:
    page = pdf.pages[index]
    try:
        return bool(page.images)
    finally:
        page.close()


def _read_table_page(page) -> list:
    page = page.dedupe_chars(tolerance=1, extra_attrs=())
    tables = [t for t in page.find_tables(RULED) if _is_real_table(t)]
    ruled = True
    if not tables and len(_AMOUNT_TOKEN.findall(page.extract_text() or "")) >= 5:
        tables = [t for t in page.find_tables(ALIGNED_TEXT) if _is_real_table(t)]
        ruled = False
    blocks: list = [_grid_of(table, ruled) for table in tables]
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    for line in outside.extract_text_lines(strip=True, return_chars=False):
        text = normalise(line["text"]).strip()
        if text:
            blocks.append(TextLine(text, top=line["top"]))
    blocks.sort(key=lambda block: block.top if block.top is not None else 0.0)
    return blocks


def _is_real_table(table) -> bool:
    rows = table.rows
    return len(rows) >= 1 and max((len(r.cells) for r in rows), default=0) >= 2


def _grid_of(table, ruled: bool) -> Grid:
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
    return Grid(rows=rows, top=table.bbox[1], ruled=ruled)


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
