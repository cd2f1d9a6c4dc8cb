"""The text of a scanned table's cells, read again cell by cell, and the text lines around the
tables, read again line by line.

The page's OCR words inside a cell are its first reading. On a whole page, words of neighbouring
cells run into each other once the rules between them are erased: header words wrapped over two
or three lines (上级补助收 | 入事业收入), amounts of narrow columns (363.95 | 55.43 read 555.43).
So every cell is read again on its own, all cells of a kind in one tesseract call: the cells' text
lines, cut out of the image, are stacked one under another with white between them on a sheet,
and each line read goes back to the cell it came from. Header and name cells are read by the
Chinese model (a reading made of known words is kept over one that is not: 合计 read 是计), cells
of columns of numbers by the digits model (only an amount, or a code in a column of codes, is a
reading).

The lines around a table (its title, 公开NN表, 部门 and 单位) are what name it, and a title is
printed large and bold, which tesseract reads worst on a whole page (it drops or garbles it). They
are cut out of the image as bands of ink between blank pixel rows, each scaled to body-text size,
and read on a sheet the same way.
"""

from __future__ import annotations

import re

import numpy as np
from pdfplumber.table import Table
from PIL import Image

import pipelines.read.ocr.engine as ocr_engine
from pipelines.read.ocr.lexicon import corrected, is_known

_DATA = re.compile(r"^\(?-?[\d,]+\.\d{2}\)?$|^\d{3,12}$")  # an amount or a code (of a class, of a unit): a body row
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+[、.]|\d+[、.]|[(（][一二三四五六七八九十\d]+[)）])\s*")
_AMOUNT = re.compile(r"^\(?-?[\d,]+\.\d{2}\)?$")
_CODE = re.compile(r"^\d{3,12}$")
_DIGITS = "0123456789.,-()"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_INSET = 3  # pixels cut off each side of a cell: what is left of its rules
_GAP = 40  # pixels of white between stacked cells
_MARGIN = 20
# scales a sheet is read at, the next only for cells with ink that the one before read nothing in
# (at full size tesseract drops whole lines of a sheet, at three quarters it reads them)
_SHEET_SCALES = (0.75, 1.0, 0.5)
_SMALLER = 26  # pixels: a line of a cell printed smaller than body text (5.5 pt in a wide table) …
_SMALL_LINE = 40  # … is scaled up to this height
_LINE_PIXELS = 30  # the height a text line is scaled to before it is read (9 pt at 300 dpi ≈ 37)
_THINNEST_LINE = 8  # pixels: a thinner band of ink is a speck or what is left of a rule


class OcrTable(Table):
    """A table of cells enclosed by scanned rules, on an OCR page (its words and cleaned image)."""

    def extract(self, **_options) -> list[list[str | None]]:
        boxes = [row.cells for row in self.rows]
        texts = [[None if box is None else cell_text(self.page.crop(box).words) for box in row] for row in boxes]
        if self.page.image is None:
            return texts
        header = next((r for r, row in enumerate(texts) if any(_DATA.match(t or "") for t in row)), len(texts))
        words = [(r, c) for r in range(header) for c, box in enumerate(boxes[r]) if box is not None]
        body = [(r, c) for r in range(header, len(texts)) for c, box in enumerate(boxes[r]) if box is not None]
        kinds = {c: _kind_of_column(texts[header:], c) for _, c in body}
        words += [(r, c) for r, c in body if kinds[c] is None]  # names: of units, of rows
        numbers = [(r, c) for r, c in body if kinds[c]]
        for (r, c), text in zip(words, read_cells(self.page.image, [boxes[r][c] for r, c in words])):
            if text is not None and (_known(text) or not _known(texts[r][c] or "")):  # (合计 read 是计)
                texts[r][c] = text
        for (r, c), text in zip(numbers, read_cells(self.page.image, [boxes[r][c] for r, c in numbers], True)):
            if text is not None and (text == "" or _AMOUNT.match(text) or kinds[c].match(text)):
                texts[r][c] = text
        return texts


def _known(label: str) -> bool:
    """A label made of known words once its ordinal (二十三、) is set aside, and nothing else."""
    return is_known(_ORDINAL.sub("", label)) and not re.search(r"[A-Za-z]", label)


def _kind_of_column(body: list[list[str | None]], column: int) -> re.Pattern | None:
    """What most of the column's filled cells are, amounts or codes (None: names). The digits
    model reads a name as digits too, so only a column of numbers is read by it, and a code only
    in a column of codes (4.41 read 441 is no amount); an amount (its decimal point) anywhere."""
    filled = [row[column] for row in body if column < len(row) and row[column]]
    for kind in (_AMOUNT, _CODE):
        if sum(1 for text in filled if kind.match(text)) * 2 > len(filled):
            return kind
    return None


def cell_text(words: list[dict]) -> str:
    """The words of a cell, each text line left to right, lines top to bottom."""
    lines = sorted(text_lines(words), key=lambda line: min(w["top"] for w in line))
    return "\n".join(" ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])) for line in lines)


def read_cells(image: np.ndarray, boxes: list[tuple], numbers: bool = False) -> list[str | None]:
    """The text of each cell (box in PDF points), read by one tesseract call over the cells' text
    lines stacked; None where nothing could be read in a cell with ink. With `numbers`, by the
    digits model, and only an amount or a code is a reading (the page's reading of these cells runs
    neighbouring amounts together: 363.95 | 55.43 read 555.43)."""
    points = ocr_engine.POINTS_PER_PIXEL
    cells = [
        image[
            round(top / points) + _INSET : round(bottom / points) - _INSET,
            round(x0 / points) + _INSET : round(x1 / points) - _INSET,
        ]
        for x0, top, x1, bottom in boxes
    ]
    pieces = [
        [_trimmed(cell)]
        if numbers
        else [
            _scaled(_trimmed(cell[top:end]), _SMALL_LINE / (end - top) if end - top < _SMALLER else 1.0)
            for top, end in _bands(cell < 160)
        ]
        for cell in cells
    ]
    crops = [crop for cell in pieces for crop in cell if crop.size]
    read = iter(_read_crops(crops, numbers))
    texts: list[str | None] = []
    for cell in pieces:
        lines = [next(read) for crop in cell if crop.size]
        if not lines:
            texts.append("")
        elif numbers:
            texts.append(lines[0])
        elif not any(lines):
            texts.append(None)
        else:
            lines = [line for line in lines if line]
            whole = corrected("".join(lines))  # a header word wrapped: 财政拨款收 / 入
            texts.append(whole if whole != "".join(lines) or is_known(whole) else "\n".join(map(corrected, lines)))
    return texts


def _read_crops(crops: list[np.ndarray], numbers: bool) -> list[str | None]:
    """Each crop's reading, at the sheet scales in turn for those not read yet (None if none)."""
    texts: list[str | None] = [None] * len(crops)
    language, options = ("eng", ["-c", f"tessedit_char_whitelist={_DIGITS}"]) if numbers else ("chi_sim", [])
    for scale in _SHEET_SCALES:
        unread = [i for i, text in enumerate(texts) if text is None]
        if not unread:
            break
        for i, text in zip(unread, _read_sheet([crops[i] for i in unread], scale, language, options)):
            if text and (not numbers or _DATA.match(text)):
                texts[i] = text
    return texts


def read_lines(image: np.ndarray, tables: list[tuple], bottom: float) -> list[tuple[float, str]]:
    """(top in points, text) of each text line of the image outside the tables' boxes and above
    `bottom` (points), read again one band of ink at a time."""
    points = ocr_engine.POINTS_PER_PIXEL
    ink = image < 160
    for x0, top, x1, bottom_ in tables:
        ink[round(top / points) : round(bottom_ / points) + 1, round(x0 / points) : round(x1 / points) + 1] = False
    ink[round(bottom / points) :] = False
    crops, tops = [], []
    for top, end in _bands(ink):
        columns = np.nonzero(ink[top:end].any(axis=0))[0]
        crop = image[max(0, top - 4) : end + 4, max(0, columns[0] - 4) : columns[-1] + 5]
        crops.append(_scaled(crop, _LINE_PIXELS / (end - top)))
        tops.append(top * points)
    if not crops:
        return []
    return [(top, text) for top, text in zip(tops, _read_sheet(crops, 1.0)) if text]


def _bands(ink: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) rows of each band of ink between blank rows: the text lines of an image."""
    bands, start = [], None
    for y, inked in enumerate(np.append(ink.any(axis=1), False)):
        if inked and start is None:
            start = y
        elif not inked and start is not None:
            if y - start >= _THINNEST_LINE:
                bands.append((start, y))
            start = None
    return bands


def _scaled(crop: np.ndarray, scale: float) -> np.ndarray:
    if abs(scale - 1.0) < 0.05:
        return crop
    picture = Image.fromarray(crop)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    return np.asarray(picture.resize(size, Image.LANCZOS))


def _read_sheet(crops: list[np.ndarray], scale: float, language: str = "chi_sim", options: list[str] = ()) -> list[str]:
    """The text of each crop (one line each), read by tesseract with the crops stacked on a sheet."""
    width = max(c.shape[1] for c in crops) + 2 * _MARGIN
    height = sum(c.shape[0] + _GAP for c in crops) + _GAP
    sheet = np.full((height, width), 255, dtype=np.uint8)
    spans, y = [], _GAP
    for crop in crops:
        sheet[y : y + crop.shape[0], _MARGIN : _MARGIN + crop.shape[1]] = crop
        spans.append((y, y + crop.shape[0]))
        y += crop.shape[0] + _GAP
    words = ocr_engine.words(sheet, language, list(options), scale, "6")
    points = ocr_engine.POINTS_PER_PIXEL
    texts = []
    for start, end in spans:
        mine = [w for w in words if start - _GAP / 2 <= (w["top"] + w["bottom"]) / 2 / points <= end + _GAP / 2]
        texts.append(corrected(_joined_text(sorted(mine, key=lambda w: w["x0"]))))
    return texts


def _joined_text(words: list[dict]) -> str:
    """Words of one line: Chinese runs on without spaces, anything else keeps one."""
    text = ""
    for word in words:
        cjk = text and _CJK.match(text[-1]) and _CJK.match(word["text"][0])
        text += word["text"] if not text or cjk else " " + word["text"]
    return text


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
