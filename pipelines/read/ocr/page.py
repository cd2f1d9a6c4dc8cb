"""Pages without a text layer (scans): tesseract word boxes → the same blocks as a text page.

The page is rendered with pypdfium2 at 300 dpi, and turned upright first when it was scanned
sideways (tesseract's orientation detection, asked only when the page looks turned). Its table
rules are found in the image and erased (`rules.py`): OCR reads them as strings of 一 and |, and
they glue neighbouring words together.

Two tesseract passes over the cleaned page: `chi_sim` for the words, and `eng` restricted to the
characters of amounts for the numbers (the Chinese model confuses 6 with 0 and drops decimal
points). A number of the second pass replaces whatever the first pass read in its place.

A ruled table becomes a grid of the cells its rules enclose, as pdfplumber reads a text-layer
table; its cells are then read again one by one (`cells.py`). A table printed without rules
is rebuilt by the aligned-text reader from where its words sit, as for an unruled text-layer table.

OCR is not trusted: every grid it yields is marked `method = 'ocr'`, which every amount carries
into the warehouse, and reconciliation decides whether its figures hold together. A page that
cannot be OCRed (no tesseract, no words) is reported by the caller, never skipped silently.
"""

from __future__ import annotations

import re

import numpy as np

import pipelines.read.ocr.engine as ocr_engine
from pipelines.basics.text import clean_label
from pipelines.basics.vocabulary import CLASSIFICATION_CODE
from pipelines.read.aligned import Columns, aligned_grids
from pipelines.read.grids import grid_of, is_real_table
from pipelines.read.model import TextLine
from pipelines.read.ocr.cells import OcrTable, read_lines, same_text_line, text_lines
from pipelines.read.ocr.engine import OcrUnavailable, tesseract_ready
from pipelines.read.ocr.lexicon import corrected, is_known
from pipelines.read.ocr.rules import Rules, ruled_tables, rules_of, without_rules
from pipelines.read.text_lines import lines_of

_POINTS = ocr_engine.POINTS_PER_PIXEL
_NUMBER = re.compile(r"^[\d,.()\-]*\d[\d,.()\-]*$")
# what the digits pass is trusted with: amounts printed with two decimals (a comma misread for the point)
_AMOUNT = re.compile(r"^\(?-?\d{1,3}(?:,\d{3})*[.,]\d{2}\)?$|^\(?-?\d+[.,]\d{2}\)?$")
_DIGITS = "0123456789.,-()"
_GLUED = re.compile(r"^(\d[\d,]*\.\d{2})(\d{3,})$")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
# (scale, page segmentation, tried only while the best mean confidence so far is below this)
_READINGS = ((1.0, "6", 101.0), (1.0, "4", 82.0), (1 / 3, "6", 60.0))
_LARGE_TEXT = 14.0  # points: a page whose words are mostly this tall (a cover) is read scaled down
_BODY_TEXT = 9.0  # points: the text height tesseract reads best at 300 dpi
_TALLEST_BOX = 1.6  # times the median word height
_UNSURE = 50.0  # word confidence below which an unknown word is read again on its own
_REREAD_SCALES = (2.0, 1.5, 0.75)
_SHORT_LABEL = 4  # characters: the labels worth reading again (合计, 小计, 行次); names are keyed by code
_SIDEWAYS_CONFIDENCE = 50.0  # mean word confidence of a page of text below which its orientation is checked
_INK_TO_FONT = 0.25  # of an OCR box's height, added above and below: the box of the character
_FOOTER = 0.04  # the bottom of the page holds page numbers, which OCR misreads into rows


class OcrPage:
    """What the table readers ask of a page, answered from OCR words (PDF points, top-down): the
    aligned-text reader its words, the ruled reader its rules and the words inside a box."""

    def __init__(
        self,
        words: list[dict],
        width: float,
        height: float,
        rules: Rules | None = None,
        image: np.ndarray | None = None,
    ):
        self.words = words
        self.width, self.height = width, height
        self.rules = rules
        self.image = image  # without its rules, to read a cell again

    def extract_words(self, **_options) -> list[dict]:
        return [dict(w) for w in self.words]

    def crop(self, bbox: tuple, **_options) -> OcrPage:
        """The words inside `bbox`; asked for them (to split a ruled row holding several rows), it
        gives them a text layer's height: OCR boxes hug the ink, a character's box is a font size
        tall, and rows are told from wrapped lines by their distance in those heights."""
        inside = OcrPage([w for w in self.words if _within(w, bbox)], self.width, self.height, image=self.image)
        inside.extract_words = lambda **_: [
            dict(
                w,
                top=w["top"] - _INK_TO_FONT * (w["bottom"] - w["top"]),
                bottom=w["bottom"] + _INK_TO_FONT * (w["bottom"] - w["top"]),
            )
            for w in inside.words
        ]
        return inside


def ocr_page(data: bytes, index: int) -> OcrPage:
    """OCR one page (0-based) of a PDF."""
    image, width, height = ocr_engine.render_page(data, index)
    rules = rules_of(image, _POINTS)
    if rules.look_sideways():
        image, width, height, rules = _upright(image, width, height, rules)
    cleaned = without_rules(image, rules)
    confidence, words = _best_words(cleaned)
    if confidence < _SIDEWAYS_CONFIDENCE and not rules.edges:  # text alone, perhaps turned
        turned = _upright(image, width, height, rules)
        if turned[0] is not image:
            image, width, height, rules = turned
            cleaned = without_rules(image, rules)
            confidence, words = _best_words(cleaned)
    walls = rules.walls()
    words = _cut_at_walls(words, walls)
    numbers = [
        w
        for w in _cut_at_walls(ocr_engine.words(cleaned, "eng", ["-c", f"tessedit_char_whitelist={_DIGITS}"]), walls)
        if _AMOUNT.match(w["text"]) or CLASSIFICATION_CODE.match(w["text"])
    ]
    merged = [w for w in _merged(words, numbers, walls) if w["top"] < height * (1 - _FOOTER)]
    merged = _codes_read_again(cleaned, _clamped(merged))
    for word in merged:
        word["text"] = corrected(word["text"])
        if (
            word.get("conf", 100.0) < _UNSURE
            and len(word["text"]) <= _SHORT_LABEL
            and not _NUMBER.match(word["text"])
            and not is_known(word["text"])
        ):
            word["text"] = _read_again(cleaned, word)
        word.pop("conf", None)
    return OcrPage(merged, width, height, rules, cleaned)


def _upright(image: np.ndarray, width: float, height: float, rules: Rules) -> tuple:
    """The page turned upright when tesseract finds it is not (a landscape table scanned sideways,
    with no /Rotate to say so), and its size and rules as turned; else all of it as it was."""
    degrees = ocr_engine.turn_upright(without_rules(image, rules))
    if not degrees:
        return image, width, height, rules
    turned = np.ascontiguousarray(np.rot90(image, -degrees // 90))  # (np.rot90 turns anticlockwise)
    if degrees % 180:
        width, height = height, width
    return turned, width, height, rules_of(turned, _POINTS)


def _clamped(words: list[dict]) -> list[dict]:
    """Boxes no taller than the text around them: a box tesseract stretched over two lines (a stray
    mark above a word) would chain two table rows into one."""
    heights = sorted(w["bottom"] - w["top"] for w in words)
    if not heights:
        return words
    limit = _TALLEST_BOX * heights[len(heights) // 2]
    for word in words:
        if word["bottom"] - word["top"] > limit:
            middle = (word["top"] + word["bottom"]) / 2
            word.update(top=middle - limit / 2, bottom=middle + limit / 2)
    return words


def _codes_read_again(image: np.ndarray, words: list[dict]) -> list[dict]:
    """A code whose first digits OCR took for a Chinese character (215 read as 由 | 5): an unsure
    short word right beside a number is read again together with it, by the digits model."""
    gone: set[int] = set()
    for word in words:
        if word.get("conf", 100.0) >= _UNSURE or len(word["text"]) > 2 or _NUMBER.match(word["text"]):
            continue
        height = word["bottom"] - word["top"]
        beside = [
            n
            for n in words
            if id(n) not in gone
            and n is not word
            and _NUMBER.match(n["text"])
            and same_text_line(word, n)
            and -1 <= n["x0"] - word["x1"] <= height
        ]
        if not beside:
            continue
        union = dict(
            word,
            x1=beside[0]["x1"],
            top=min(word["top"], beside[0]["top"]),
            bottom=max(word["bottom"], beside[0]["bottom"]),
        )
        reading = "".join(
            w["text"]
            for w in ocr_engine.words(
                _crop(image, union), "eng", ["-c", f"tessedit_char_whitelist={_DIGITS}"], 1.0, "7"
            )
        )
        if CLASSIFICATION_CODE.match(reading):
            word.update(union, text=reading, conf=100.0)
            gone.add(id(beside[0]))
    return [w for w in words if id(w) not in gone]


def _crop(image: np.ndarray, word: dict) -> np.ndarray:
    pad = 3 / _POINTS
    return image[
        max(0, round(word["top"] / _POINTS - pad)) : round(word["bottom"] / _POINTS + pad),
        max(0, round(word["x0"] / _POINTS - pad)) : round(word["x1"] / _POINTS + pad),
    ]


def _read_again(image: np.ndarray, word: dict) -> str:
    """A word tesseract was unsure of, read alone at other scales; the first reading that is a
    known word (合计 misread as 生计 on the page) replaces it, else it stays as read."""
    crop = _crop(image, word)
    for scale in _REREAD_SCALES:
        reading = corrected("".join(w["text"] for w in ocr_engine.words(crop, "chi_sim", [], scale, "7")))
        if is_known(reading):
            return reading
    return word["text"]


def _best_words(image: np.ndarray) -> tuple[float, list[dict]]:
    """The Chinese pass, read again another way while tesseract is unsure of it.

    Text lines of very different sizes and wide gaps (a small table under a large title) read
    better as a column of lines (layout 4) than as one block (6), and unclear print at another
    scale; the reading tesseract is surest of (mean word confidence) is kept. A page of large print
    (a cover) is read scaled down to body-text size. Returns the mean confidence and the words.
    """
    best: tuple[float, list[dict]] | None = None
    for scale, layout, below in _READINGS:
        if best is not None and best[0] >= below:
            continue
        words = ocr_engine.words(image, "chi_sim", [], scale, layout)
        confidence = sum(w["conf"] for w in words) / len(words) if words else 0.0
        if best is None or confidence > best[0]:
            best = (confidence, words)
        heights = sorted(w["bottom"] - w["top"] for w in words)
        if scale == 1.0 and heights and heights[len(heights) // 2] > _LARGE_TEXT:
            return 100.0, ocr_engine.words(image, "chi_sim", [], _BODY_TEXT / heights[len(heights) // 2], layout)
    return best if best else (0.0, [])


def scanned_page_blocks(
    data: bytes, index: int, columns: Columns | None, notes: list[str]
) -> tuple[list, Columns | None]:
    """Blocks of a page that is only an image, by OCR; a page OCR cannot read becomes a note."""
    number = index + 1
    missing = tesseract_ready()
    if missing:
        notes.append(f"page {number} has no text layer (scanned image) and cannot be OCRed: {missing}")
        return [], None
    try:
        page = ocr_page(data, index)
    except OcrUnavailable as error:
        notes.append(f"page {number} has no text layer (scanned image) and OCR failed: {error}")
        return [], None
    if not page.words:
        notes.append(f"page {number} has no text layer (scanned image) and OCR found no text on it")
        return [], None
    found, columns_after = _ruled_grids(page), None
    if not found:
        found, columns_after = aligned_grids(page, columns)  # a table printed without rules
    for grid, _ in found:
        grid.method = "ocr"
    inside = [bbox for _, bbox in found]
    blocks: list = [grid for grid, _ in found]
    blocks += [
        TextLine(corrected(clean_label(text)), top=top)
        for top, text in read_lines(page.image, inside, page.height * (1 - _FOOTER))
    ]
    blocks.sort(key=lambda block: block.top if block.top is not None else 0.0)
    return blocks, columns_after


def _ruled_grids(page: OcrPage) -> list[tuple]:
    """Grids of the tables the page's rules enclose, read as the text-layer reader reads a ruled table."""
    tables = [t for t in ruled_tables(page.rules, page) if is_real_table(t)] if page.rules else []
    return [(grid_of(OcrTable(page, t.cells), page), t.bbox) for t in tables]


def _within(word: dict, bbox: tuple) -> bool:
    x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _merged(words: list[dict], numbers: list[dict], walls: list[dict]) -> list[dict]:
    """Words of the Chinese pass, numbers of the digits pass in their place, neighbours joined.

    An amount of the digits pass wins unless it lies on a name (two Chinese characters and no
    digit); a code only over a word without Chinese in it (the digits pass reads Chinese
    characters as digits too: 二、外交支出 as 00.33)."""
    trusted = [
        n
        for n in numbers
        if not (_on_name if _AMOUNT.match(n["text"]) else _on_chinese)([w["text"] for w in words if _overlap(w, n)])
    ]
    kept = [piece for w in words if not any(_overlap(w, n) for n in trusted) for piece in _unglued(w)]
    out = kept + [dict(n, text=_repaired_number(n["text"])) for n in trusted]
    return _joined(out, walls)


def _on_name(texts: list[str]) -> bool:
    return len(_HAS_CJK.findall("".join(texts))) >= 2 and not any(re.search(r"\d", t) for t in texts)


def _on_chinese(texts: list[str]) -> bool:
    return any(_HAS_CJK.search(t) for t in texts)


def _unglued(word: dict) -> list[dict]:
    """An amount read flush against the next column's code (3.49399 = 3.49 | 399), cut in two; the
    box is shared out by characters."""
    glued = _GLUED.match(word["text"])
    if not glued:
        return [word]
    cut = word["x0"] + (word["x1"] - word["x0"]) * len(glued.group(1)) / len(word["text"])
    return [dict(word, text=glued.group(1), x1=cut), dict(word, text=glued.group(2), x0=cut)]


def _cut_at_walls(words: list[dict], walls: list[dict]) -> list[dict]:
    """A word read across a column rule (two cells' text run together once the rule is erased), cut
    at the rule; the box is shared out by characters."""
    out = []
    for word in words:
        crossing = next((wall for wall in walls if _crosses(wall, word)), None)
        if crossing is None or len(word["text"]) < 2:
            out.append(word)
            continue
        x = crossing["x0"]
        share = (x - word["x0"]) / (word["x1"] - word["x0"])
        cut = min(len(word["text"]) - 1, max(1, round(len(word["text"]) * share)))
        left = dict(word, text=word["text"][:cut].strip(), x1=x - 0.5)
        right = dict(word, text=word["text"][cut:].strip(), x0=x + 0.5)
        out += [w for w in _cut_at_walls([left, right], walls) if w["text"]]
    return out


def _crosses(wall: dict, word: dict) -> bool:
    middle = (word["top"] + word["bottom"]) / 2
    return word["x0"] + 1 < wall["x0"] < word["x1"] - 1 and wall["top"] <= middle <= wall["bottom"]


def _wall_between(left: dict, right: dict, walls: list[dict]) -> bool:
    middle = (left["top"] + left["bottom"]) / 2
    return any(
        left["x1"] - 1 <= wall["x0"] <= right["x0"] + 1 and wall["top"] <= middle <= wall["bottom"] for wall in walls
    )


def _overlap(a: dict, b: dict) -> bool:
    width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    if width <= 0 or height <= 0:
        return False
    smaller = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]), (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
    return width * height >= 0.3 * smaller


def _repaired_number(text: str) -> str:
    """A decimal comma read for the point (3,00 → 3.00): thousands groups have three digits."""
    return re.sub(r",(\d{2})$", r".\1", text)


def _joined(words: list[dict], walls: list[dict]) -> list[dict]:
    """Characters of one name that OCR returned as separate words become one word again.

    Chinese has no spaces, so OCR splits a name wherever it likes; split names would otherwise
    look like columns to the aligned reader. Words on one line closer than a character height are
    one word; numbers are never joined (neighbouring amounts stand further apart than that).
    """
    joined: list[dict] = []
    for line in lines_of([{k: v for k, v in w.items() if k != "line"} for w in words]):
        for text_line in text_lines(line.words):
            joined += _joined_line(text_line, walls)
    return joined


def _joined_line(words: list[dict], walls: list[dict]) -> list[dict]:
    joined: list[dict] = []
    last = None
    for word in sorted(words, key=lambda w: w["x0"]):
        reach = 1.5 * min(word["bottom"] - word["top"], 12.0)
        if (
            last is not None
            and not _NUMBER.match(word["text"])
            and not _NUMBER.match(last["text"])
            and word["x0"] - last["x1"] <= reach  # (tesseract's boxes may overlap)
            and not _wall_between(last, word, walls)
        ):
            last.update(
                text=last["text"] + word["text"],
                x1=max(last["x1"], word["x1"]),
                top=min(last["top"], word["top"]),
                bottom=max(last["bottom"], word["bottom"]),
                conf=min(last.get("conf", 100.0), word.get("conf", 100.0)),
            )
        else:
            last = dict(word)
            joined.append(last)
    return joined
