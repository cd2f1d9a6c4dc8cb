"""Tables printed without rules: rows from text lines, columns from how the text lines up.

A spreadsheet printed without borders (or a word-processor table with its borders switched off)
leaves only aligned text. pdfplumber's `text` strategy fuses such columns, so the grid is rebuilt
here the way a reader sees it:

- words are grouped into lines (characters spread across a cell joined, an amount printed flush
  against the next column's code cut off); title, 公开NN表, 单位/部门, 注 and page-number lines
  separate one table from the next and are left to the caller, who reads them as text lines;
- a table is a run of lines holding at least two data lines (an amount, a code or an ordinal first);
  the lines above its first data line are its header; body lines closer together than rows are
  the wrapped lines of one row (a word processor centres a row's one-line cells beside a name of
  three lines, so the name's first line stands alone above the amounts);
- columns come from the body: amounts are right-aligned, so their right edges cluster; codes and
  names are left-aligned, so their left edges cluster. A header over a column that is blank all
  the way down (a source that prints no 0.00) adds that column;
- every word goes to the column its centre falls in; the header becomes one row whose cells hold
  each column's header words top to bottom (wrapped header lines joined);
- a continuation page keeps the columns of the page before (blank columns keep their place) and
  takes as header only a repeat of the first page's header (its lines, or lines made of the header
  characters of the columns they stand in).

The grid is positional (`ruled=True`): its columns line up from header to data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.basics.amounts import parse_amount
from pipelines.read.model import Cell, Grid
from pipelines.basics.text import normalise
from pipelines.basics.vocabulary import CLASSIFICATION_CODE, NAMED_TOTAL

_CAPTION = re.compile(
    r"^[(（]?续表[)）]?$|表$|公开\s*\d+\s*表|^(金额)?单位\s*[:：]|^(部门|单位|编制单位|预算单位)\s*[:：]|^\d{4}\s*年度?$|^注\s*[:：\d]")
_NEW_TABLE = re.compile(r"表$|公开\s*\d+\s*表")
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、．]\s*\D|[(（][一二三四五六七八九十\d]+[)）])")
_PAGE_NUMBER = re.compile(r"^[-—–－]?\s*\d{1,3}\s*[-—–－]?$|^第\s*\d+\s*页")
_HEADER_WORDS = re.compile(r"项目|科目|编码|合计|决算数|预算数|金额|名称|栏次|行次")
_GLUED = re.compile(r"^(-?\d[\d,]*\.\d{2})(\d{3,}.*|[\u4e00-\u9fff].*)$")
_SPREAD = 1.6              # gap between spread-out characters, in character heights
_UNEVEN_GAP = 0.5          # character heights wider than the narrowest gap of a spread-out run: a cell edge
_CLUSTER_GAP = 4.0          # points between aligned edges of one column
_LONG_WORD = 32             # characters: a word this long is running text, not a cell
_MAX_LINE_GAP = 3.0         # line pitches: a wider gap ends a table
_REPEATED_HEADER_CHARACTERS = 0.8  # share of a line's characters found in the first page's header: a repeat
_COLUMN_GAP = 8.0           # points: columns are set apart by more than a space between words
_FLUSH = 1.0               # points two columns may touch by (a right-aligned amount against a name)
_CELL_LINE_GAP = 0.6        # of the usual gap between rows: a closer line is a wrapped line of the same row


@dataclass
class _Line:
    words: list[dict]

    @property
    def top(self) -> float:
        return min(w["top"] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w["bottom"] for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in sorted(self.words, key=lambda w: w["x0"]))


@dataclass(frozen=True)
class Columns:
    """The columns of an unruled table, carried on to its continuation pages."""

    boundaries: tuple[float, ...]       # x between neighbouring columns
    header: frozenset[str]              # its header lines (spaces removed), to recognise a repeat
    header_characters: tuple[frozenset[str], ...]   # the characters of the header, column by column
    text_columns: frozenset[int]                    # columns of codes and names, not of amounts


def aligned_grids(page, carried: Columns | None) -> tuple[list[tuple[Grid, tuple]], Columns | None]:
    """Grids of an unruled table page with their bounding boxes, and the columns to carry on.

    `carried` are the columns of the last table on the page before (None if there is none). The
    caller reads the text outside the boxes as text lines, as it does around ruled tables.
    """
    words = []
    for word in page.extract_words(x_tolerance=1, y_tolerance=3, keep_blank_chars=False, return_chars=True):
        word["text"] = normalise(word["text"]).strip()
        if word["text"]:
            words += _split_glued(word)
    lines = lines_of(_join_spaced_out(words))
    grids: list[tuple[Grid, tuple]] = []
    run: list[_Line] = []
    last_columns = carried

    def flush() -> None:
        nonlocal last_columns
        if not run:
            return
        grid, columns = _table(run, last_columns)
        if grid is not None:
            words = [w for line in run for w in line.words]
            grids.append((grid, (min(w["x0"] for w in words), min(w["top"] for w in words),
                                 max(w["x1"] for w in words), max(w["bottom"] for w in words))))
            last_columns = columns
        run.clear()

    pitch = _pitch(lines)
    for line in lines:
        caption = line.text.replace(" ", "")
        # a bare number is a page number at the foot of the page only (307 alone: a code of a column part)
        if _CAPTION.search(caption) or (_PAGE_NUMBER.match(line.text) and (not caption.isdigit() or line is lines[-1])):
            flush()
            if _NEW_TABLE.search(caption):
                last_columns = None             # a new table: nothing carries over
            continue
        if run and line.top - run[-1].bottom > _MAX_LINE_GAP * pitch and any(map(is_data_line, run)) and not (
                _amounts_only(line) and all(_amounts_only(above) for above in run if is_data_line(above))):
            flush()                             # (a header waits for its rows however far below, and a
                                                # column part of amounts alone for its next amount)
        run.append(line)
    flush()
    return grids, last_columns


def _split_glued(word: dict) -> list[dict]:
    """An amount printed flush against the next column's code or name (“358.84302” = 358.84 | 302,
    “709.66一、一般公共服务支出” = 709.66 | 一、…: a word processor's cells without padding)."""
    glued = _GLUED.match(word["text"])
    chars = word.get("chars") or []
    if not glued or len(chars) != len(word["text"]):
        return [word]
    cut = len(glued.group(1))
    left, right = chars[:cut], chars[cut:]
    return [dict(word, text=glued.group(1), x1=left[-1]["x1"]), dict(word, text=glued.group(2), x0=right[0]["x0"])]


def _join_spaced_out(words: list[dict]) -> list[dict]:
    """Characters spread across a cell (justified CJK: “因 公 出 国 ( 境 ) 费 用”) are one word."""
    runs: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        last = runs[-1][-1] if runs else None
        if (last is not None and _single(word) and _single(last) and abs(word["top"] - last["top"]) <= 1
                and 0 <= word["x0"] - last["x1"] <= _SPREAD * (word["bottom"] - word["top"])):
            runs[-1].append(word)
        else:
            runs.append([word])
    return [_joined(part) for run in runs for part in _evenly_spaced_parts(run)]


def _evenly_spaced_parts(run: list[dict]) -> list[list[dict]]:
    """Justified characters are evenly spaced; a wider gap among them is the edge of a cell (the
    last character of one header, “公用支|出”, then the characters of the next, “对事业单位”)."""
    if len(run) < 3:
        return [run]
    gaps = [b["x0"] - a["x1"] for a, b in zip(run, run[1:])]
    wide = min(gaps) + _UNEVEN_GAP * (run[0]["bottom"] - run[0]["top"])
    parts = [[run[0]]]
    for gap, word in zip(gaps, run[1:]):
        if gap > wide:
            parts.append([word])
        else:
            parts[-1].append(word)
    return parts


def _joined(part: list[dict]) -> dict:
    if len(part) == 1:
        return dict(part[0])
    return dict(part[0], text="".join(w["text"] for w in part), x1=part[-1]["x1"],
                bottom=max(w["bottom"] for w in part))


def _single(word: dict) -> bool:
    return len(word["text"]) == 1 and not word["text"].isdigit()


def lines_of(words: list[dict]) -> list[_Line]:
    """Words whose heights overlap are one line: a cell wrapped onto two lines and a one-line
    cell centred beside it (name | code, amount) chain into one row."""
    lines: list[_Line] = []
    bottom = float("-inf")
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and word["top"] < bottom - 1:
            lines[-1].words.append(word)
            bottom = max(bottom, word["bottom"])
        else:
            lines.append(_Line([word]))
            bottom = word["bottom"]
    return lines


def _wrapped_lines_joined(lines: list[_Line]) -> list[_Line]:
    """Body lines closer together than rows are, one with amounts and one without: the wrapped lines
    of one row's cells. A word processor centres one-line cells beside a cell of three lines, so the
    first line of a wrapped name stands alone above its row's amounts; it is joined to that row, not
    to the row above. (Two lines of amounts are two rows; two lines of text alone may be a header.)"""
    gaps = sorted(b.top - a.bottom for a, b in zip(lines, lines[1:]))
    if len(gaps) < 3:
        return lines
    row_gap = gaps[3 * len(gaps) // 4]           # most gaps are between rows, not inside them
    joined = [lines[0]]
    for line in lines[1:]:
        close = line.top - joined[-1].bottom < _CELL_LINE_GAP * row_gap
        if close and _has_amounts(line) != _has_amounts(joined[-1]):   # a row's amounts and its name's other lines
            joined[-1] = _Line(joined[-1].words + line.words)
        else:
            joined.append(line)
    return joined


def _has_amounts(line: _Line) -> bool:
    return any(_is_amount(w["text"]) and parse_amount(w["text"]).state in ("value", "placeholder") for w in line.words)


def _pitch(lines: list[_Line]) -> float:
    gaps = sorted(b.top - a.top for a, b in zip(lines, lines[1:]) if b.top > a.top)
    return gaps[len(gaps) // 2] if gaps else 12.0


def _is_amount(text: str) -> bool:
    """A printed amount (with decimals or thousands separators) or a placeholder (—, 无)."""
    parsed = parse_amount(text)
    return parsed.state == "placeholder" or (parsed.state == "value" and ("." in text or "," in text))


def _is_whole(text: str) -> bool:
    """A whole number printed without decimals (a spreadsheet's General format: 0, 200)."""
    return text.isdigit() and len(text) <= 12


def _amounts_only(line: _Line) -> bool:
    return all(_is_amount(w["text"]) for w in line.words)


def is_data_line(line: _Line) -> bool:
    """A line that is a table row rather than header: an amount, or a code, ordinal or 合计 first."""
    ordered = sorted(line.words, key=lambda w: w["x0"])
    if any(_is_amount(w["text"]) and parse_amount(w["text"]).state == "value" for w in ordered):
        return True
    if CLASSIFICATION_CODE.match(ordered[0]["text"]) or _ORDINAL.match(ordered[0]["text"]):
        return True
    if NAMED_TOTAL.match(ordered[0]["text"]) and all(parse_amount(w["text"]).state != "unparseable" for w in ordered[1:]):
        return True                             # 合计 alone, or with amounts printed without decimals
    return len(ordered) >= 2 and any(parse_amount(w["text"]).state == "placeholder" for w in ordered)


def _table(lines: list[_Line], carried: Columns | None) -> tuple[Grid | None, Columns | None]:
    data = [i for i, line in enumerate(lines) if is_data_line(line)]
    if not data:
        return None, None
    first, own_header = data[0], False
    if carried is not None:
        # A continuation: a repeat of the header, or a header of its own (a column part's: 公用经费 /
        # 科目名称 / 金额), is header; other rows without amounts are rows (the end of a broken row).
        repeats = [_repeats_header(line, carried) for line in lines[:data[0]]]
        first = max((i + 1 for i, line in enumerate(lines[:data[0]])
                     if repeats[i] or _HEADER_WORDS.search(_compact(line.text))), default=0)
        own_header = not all(repeats[:first])
    header_lines, body = lines[:first], _wrapped_lines_joined(lines[first:])
    header_words = [w for line in header_lines for w in line.words]
    if len(data) < 2 and carried is None and not any(_HEADER_WORDS.search(w["text"]) for w in header_words):
        return None, None
    long_lines = sum(1 for line in lines if any(len(w["text"]) > _LONG_WORD for w in line.words))
    several = [lines[i] for i in data if len(lines[i].words) > 1]
    spaced = sum(1 for line in several if _widest_gap(line) >= _COLUMN_GAP)
    if long_lines * 5 > len(lines) or spaced * 2 < len(several):
        return None, None                       # running text with amounts in it, not columns
    intervals = _column_intervals(body)
    if not intervals:
        return None, None
    if carried is not None and not own_header and _fits(intervals, carried):
        columns = carried                       # the same table going on: keep its columns
    else:
        laid_out = _with_header_only_columns(intervals, header_words) if header_words else intervals
        boundaries = _boundaries(laid_out)
        columns = Columns(tuple(boundaries), frozenset(_compact(line.text) for line in header_lines),
                          _characters_by_column(header_words, boundaries),
                          frozenset(i for i, column in enumerate(laid_out) if not column.amounts))
    boundaries = list(columns.boundaries)
    width = len(boundaries) + 1
    if width == 1 and not any(_HEADER_WORDS.search(w["text"]) for w in header_words) and not (
            (header_words and len(body) >= 2 or carried is not None)
            and all(_is_amount(w["text"]) for line in body for w in line.words)):
        return None, None                       # one column of lines: a list, not a table (amounts
                                                # under a header are the one filled column of a column part)
    rows: list[list[Cell]] = []
    if header_words:
        rows.append(_row(sorted(header_words, key=lambda w: (w["top"], w["x0"])), boundaries, width))
    rows += [_row(sorted(line.words, key=lambda w: (w["top"], w["x0"])), boundaries, width) for line in body]
    return Grid(rows=rows, top=lines[0].top, ruled=True, method="pdf_aligned"), columns


@dataclass
class _Column:
    x0: float
    x1: float
    amounts: bool          # right-aligned amounts (True) or left-aligned codes and names


def _widest_gap(line: _Line) -> float:
    ordered = sorted(line.words, key=lambda w: w["x0"])
    return max((b["x0"] - a["x1"] for a, b in zip(ordered, ordered[1:])), default=0.0)


def _column_intervals(body: list[_Line]) -> list[_Column]:
    """Columns of the body: amounts clustered by right edge, codes and names by left edge.

    Right-aligned amounts line up exactly, so one amount makes a column; left edges of text need
    two words to make one, unless the word opens its line (the row label of a short table): a
    centred label (合计) then falls inside its column instead of making another.
    """
    openers = {id(min(line.words, key=lambda w: w["x0"])) for line in body}
    words = [w for line in body for w in line.words]
    right_aligned = {id(w) for w in words if _is_amount(w["text"]) or (id(w) not in openers and _is_whole(w["text"]))}
    amounts = [w for w in words if id(w) in right_aligned]
    texts = [w for w in words if id(w) not in right_aligned]
    if len(body) <= 2:
        openers = {id(w) for w in texts}        # too few rows to tell aligned text from centred
    clusters = _clusters(amounts, "x1", True) + _clusters(texts, "x0", False, openers)
    clusters.sort(key=lambda c: c.x0)
    merged: list[_Column] = []
    for column in clusters:
        if merged and column.x0 < merged[-1].x1 - _FLUSH:      # (an amount flush against a name: two columns)
            merged[-1].x1 = max(merged[-1].x1, column.x1)
            merged[-1].amounts = merged[-1].amounts and column.amounts
        else:
            merged.append(column)
    return merged


def _clusters(words: list[dict], edge: str, amounts: bool, openers: set[int] | None = None) -> list[_Column]:
    clusters: list[list[dict]] = []
    for word in sorted(words, key=lambda w: w[edge]):
        if clusters and word[edge] - clusters[-1][-1][edge] <= _CLUSTER_GAP:
            clusters[-1].append(word)
        else:
            clusters.append([word])
    return [_Column(min(w["x0"] for w in c), max(w["x1"] for w in c), amounts) for c in clusters
            if amounts or len(c) >= 2 or (openers and any(id(w) in openers for w in c))]


def _with_header_only_columns(columns: list[_Column], header_words: list[dict]) -> list[_Column]:
    """Amount columns blank all the way down still have their header over them.

    Header words centred on one x are one cell (wrapped lines): a stack. Between two amount columns
    (and right of the last one), look at the stacks that overlap neither neighbour and have no other
    header word below them in that gap (a word with one below is a group label, 本年支出 over 基本支出):
    the one nearest the right-hand column is its header, centred left of its right-aligned amounts;
    each other one heads a column of its own. Stacks next to code and name columns are their headers,
    centred in wide cells. Column numbers (栏次 1 2 3) are left out.
    """
    words = [w for w in header_words if not w["text"].isdigit()]
    stacks: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["x0"] + w["x1"]) / 2):
        centre = (word["x0"] + word["x1"]) / 2
        if stacks and abs(centre - (stacks[-1][-1]["x0"] + stacks[-1][-1]["x1"]) / 2) <= _CLUSTER_GAP:
            stacks[-1].append(word)
        else:
            stacks.append([word])
    spans = [(min(w["x0"] for w in st), max(w["x1"] for w in st), min(w["top"] for w in st), max(w["bottom"] for w in st))
             for st in stacks]
    added: list[_Column] = []
    for index, left in enumerate(columns):
        if not left.amounts:
            continue
        right = columns[index + 1] if index + 1 < len(columns) else None
        if right is not None and not right.amounts:
            continue
        limit = right.x1 if right is not None else float("inf")
        in_gap = [span for span in spans if left.x1 < (span[0] + span[1]) / 2 <= limit and span[0] >= left.x1]
        leaves = [span for span in in_gap if not any(other[2] >= span[3] - 1 for other in in_gap if other is not span)]
        free = [span for span in leaves if not any(span[0] < c.x1 and span[1] > c.x0 for c in columns if c is not right)]
        if right is not None:
            free = [span for span in free[:-1] if span[1] <= right.x0]   # the nearest heads `right`
        added += [_Column(span[0], span[1], True) for span in free]
    if columns and all(c.amounts for c in columns):
        # a column part of amounts alone (a sheet printed in parts): blank columns left of its first
        # filled one have headers too; the nearest of them heads the filled column
        first = columns[0]
        before = sorted((span for span in spans if (span[0] + span[1]) / 2 <= first.x1 and span[1] <= first.x1),
                        key=lambda span: span[0])
        leaves = [span for span in before if not any(other[2] >= span[3] - 1 for other in before if other is not span)]
        added += [_Column(span[0], span[1], True) for span in leaves[:-1] if span[1] <= first.x0]
    return sorted(columns + added, key=lambda c: c.x0)


def _boundaries(columns: list[_Column]) -> list[float]:
    return [(left.x1 + right.x0) / 2 for left, right in zip(columns, columns[1:])]


def _fits(columns: list[_Column], carried: Columns) -> bool:
    """Every column of the body lies inside one column of the carried layout, amounts not inside a
    column of names (a column part of amounts alone printed where the part before had names)."""
    boundaries = list(carried.boundaries)
    return all(_column(c.x0 + 1, boundaries) == _column(c.x1 - 1, boundaries)
               and not (c.amounts and _column(c.x0 + 1, boundaries) in carried.text_columns) for c in columns)


def _repeats_header(line: _Line, columns: Columns) -> bool:
    """A line of the first page's header, as printed again on a continuation page: the same line, or
    one made of its characters (group labels left out, words spaced out or re-wrapped, OCR's misreads)
    each found in the header of the columns it is printed in. (The tail of a row cut by the page
    break, “预算”, is made of header characters too, but not of its column's.)"""
    if _compact(line.text) in columns.header:
        return True
    found = total = 0
    for word in line.words:
        characters = _compact(word["text"])
        printed = _header_characters(columns, word)
        found += sum(1 for c in characters if c in printed)
        total += len(characters)
    return found >= _REPEATED_HEADER_CHARACTERS * total


def _characters_by_column(header_words: list[dict], boundaries: list[float]) -> tuple[frozenset[str], ...]:
    by_column: list[set[str]] = [set() for _ in range(len(boundaries) + 1)]
    for word in header_words:
        for column in range(_column(word["x0"] + 1, boundaries), _column(word["x1"] - 1, boundaries) + 1):
            by_column[column].update(_compact(word["text"]))
    return tuple(frozenset(c) for c in by_column)


def _header_characters(columns: Columns, word: dict) -> set[str]:
    boundaries = list(columns.boundaries)
    spanned = range(_column(word["x0"] + 1, boundaries), _column(word["x1"] - 1, boundaries) + 1)
    return set().union(*(columns.header_characters[c] for c in spanned))


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _column(x: float, boundaries: list[float]) -> int:
    return sum(1 for b in boundaries if x > b)


def _row(words: list[dict], boundaries: list[float], width: int) -> list[Cell]:
    cells: list[list[dict]] = [[] for _ in range(width)]
    for word in words:
        cells[_column((word["x0"] + word["x1"]) / 2, boundaries)].append(word)
    row = []
    for members in cells:
        if not members:
            row.append(Cell(""))
            continue
        text = " ".join(w["text"] for line in lines_of(members) for w in sorted(line.words, key=lambda w: w["x0"]))
        bbox = (min(w["x0"] for w in members), min(w["top"] for w in members),
                max(w["x1"] for w in members), max(w["bottom"] for w in members))
        row.append(Cell(text, bbox=tuple(round(v, 1) for v in bbox)))
    return row
