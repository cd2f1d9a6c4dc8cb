"""The text of a scanned table's cells: the page's OCR words inside each cell, its header read again.

The words of a ruled table come from OCR of the whole page, which is right for the body (codes,
names, amounts on one line each). Header cells hold short words wrapped over two or three lines,
packed close to the next cell's words: read on the page, they run into each other (上级补助收 |
入事业收入). Each header cell is read again on its own, all of them in one tesseract call: the
cells, cut out of the image, are stacked one under another with white between them, and each text
line read goes back to the cell it came from.
"""

from __future__ import annotations

import re

import numpy as np
from pdfplumber.table import Table

from pipelines.read import ocr_engine
from pipelines.read.ocr_lexicon import corrected

_DATA = re.compile(r"^\(?-?[\d,]+\.\d{2}\)?$|^\d{3}(?:\d{2}){0,2}$")   # an amount or a code: a body row
_INSET = 3                  # pixels cut off each side of a cell: what is left of its rules
_GAP = 40                   # pixels of white between stacked cells
_MARGIN = 20
# scales a sheet is read at, the next only for cells with ink that the one before read nothing in
# (at full size tesseract drops whole lines of a sheet, at three quarters it reads them)
_SHEET_SCALES = (0.75, 1.0, 0.5)


class OcrTable(Table):
    """A table of cells enclosed by scanned rules, on an OCR page (its words and cleaned image)."""

    def extract(self, **_options) -> list[list[str | None]]:
        boxes = [row.cells for row in self.rows]
        texts = [[None if box is None else cell_text(self.page.crop(box).words) for box in row] for row in boxes]
        header = next((r for r, row in enumerate(texts) if any(_DATA.match(t or "") for t in row)), len(texts))
        cells = [(r, c) for r in range(header) for c, box in enumerate(boxes[r]) if box is not None]
        if cells and self.page.image is not None:
            for (r, c), text in zip(cells, read_cells(self.page.image, [boxes[r][c] for r, c in cells])):
                texts[r][c] = text
        return texts


def cell_text(words: list[dict]) -> str:
    """The words of a cell, each text line left to right, lines top to bottom."""
    lines = sorted(text_lines(words), key=lambda line: min(w["top"] for w in line))
    return "\n".join(" ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])) for line in lines)


def read_cells(image: np.ndarray, boxes: list[tuple]) -> list[str]:
    """The text of each cell (box in PDF points), read by one tesseract call over the cells stacked."""
    points = ocr_engine.POINTS_PER_PIXEL
    crops = [_trimmed(image[round(top / points) + _INSET:round(bottom / points) - _INSET,
                            round(x0 / points) + _INSET:round(x1 / points) - _INSET])
             for x0, top, x1, bottom in boxes]
    texts = [""] * len(crops)
    for scale in _SHEET_SCALES:
        unread = [i for i, crop in enumerate(crops) if crop.size and not texts[i]]
        if not unread:
            break
        for i, text in zip(unread, _read_sheet([crops[i] for i in unread], scale)):
            texts[i] = text
    return texts


def _read_sheet(crops: list[np.ndarray], scale: float) -> list[str]:
    width = max(c.shape[1] for c in crops) + 2 * _MARGIN
    height = sum(c.shape[0] + _GAP for c in crops) + _GAP
    sheet = np.full((height, width), 255, dtype=np.uint8)
    spans, y = [], _GAP
    for crop in crops:
        sheet[y:y + crop.shape[0], _MARGIN:_MARGIN + crop.shape[1]] = crop
        spans.append((y, y + crop.shape[0]))
        y += crop.shape[0] + _GAP
    words = ocr_engine.words(sheet, "chi_sim", [], scale, "6")
    points = ocr_engine.POINTS_PER_PIXEL
    texts = []
    for start, end in spans:
        mine = [w for w in words if start - _GAP / 2 <= (w["top"] + w["bottom"]) / 2 / points <= end + _GAP / 2]
        lines = sorted(text_lines(mine), key=lambda line: min(w["top"] for w in line))
        texts.append("\n".join(corrected("".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])))
                                for line in lines))
    return texts


def _trimmed(crop: np.ndarray) -> np.ndarray:
    """The crop cut down to its ink (with a little white around); an empty cell stays one pixel high."""
    ink = np.nonzero((crop < 160).any(axis=1))[0]
    if ink.size == 0 or crop.shape[1] == 0:
        return crop[:0, :0]
    columns = np.nonzero((crop < 160).any(axis=0))[0]
    top, bottom = max(0, ink[0] - 4), ink[-1] + 5
    left, right = max(0, columns[0] - 4), columns[-1] + 5
    return crop[top:bottom, left:right]


def same_text_line(a: dict, b: dict) -> bool:
    """Heights overlapping by half the smaller one: one text line, not the wrapped lines of a cell."""
    overlap = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return overlap >= 0.5 * min(a["bottom"] - a["top"], b["bottom"] - b["top"])


def text_lines(words: list[dict]) -> list[list[dict]]:
    """Words of a row (which may hold the wrapped lines of a cell) split into text lines."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: w["top"]):
        home = next((line for line in lines if same_text_line(line[0], word)), None)
        if home is None:
            lines.append([word])
        else:
            home.append(word)
    return lines
