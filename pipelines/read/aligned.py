"""Tables printed without rules: rows from text lines, columns from how the text lines up.

A spreadsheet printed without borders (or a word-processor table with its borders switched off)
leaves only aligned text. pdfplumber's `text` strategy fuses such columns, so the grid is rebuilt
here the way a reader sees it:

- words are grouped into lines (`text_lines.py`: characters spread across a cell joined, an amount
  printed flush against the next column's code cut off); title, 公开NN表, 单位/部门, 注 and page-number lines
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

from pipelines.basics.text import normalise
from pipelines.read.model import Cell, Grid
from pipelines.read.text_lines import (
    Line,
    amounts_only,
    is_amount,
    is_data_line,
    is_whole,
    join_spaced_out,
    line_pitch,
    lines_of,
    split_glued,
    wrapped_lines_joined,
)

_CAPTION = re.compile(
    r"^[(（]?续表[)）]?$|表$|公开\s*\d+\s*表|^(金额)?单位\s*[:：]|^(部门|单位|编制单位|预算单位)\s*[:：]|^\d{4}\s*年度?$|^注\s*[:：\d]"
)
_NEW_TABLE = re.compile(r"表$|公开\s*\d+\s*表")
_PAGE_NUMBER = re.compile(r"^[-—–－]?\s*\d{1,3}\s*[-—–－]?$|^第\s*\d+\s*页")
_HEADER_WORDS = re.compile(r"项目|科目|编码|合计|决算数|预算数|金额|名称|栏次|行次")
_CLUSTER_GAP = 4.0  # points between aligned edges of one column
_LONG_WORD = 32  # characters: a word this long is running text, not a cell
_MAX_LINE_GAP = 3.0  # line pitches: a wider gap ends a table
_REPEATED_HEADER_CHARACTERS = 0.8  # share of a line's characters found in the first page's header: a repeat
_COLUMN_GAP = 8.0  # points: columns are set apart by more than a space between words
_FLUSH = 1.0  # points two columns may touch by (a right-aligned amount against a name)


@dataclass(frozen=True)
class Columns:
    """The columns of an unruled table, carried on to its continuation pages."""

    boundaries: tuple[float, ...]  # x between neighbouring columns
    header: frozenset[str]  # its header lines (spaces removed), to recognise a repeat
    header_characters: tuple[frozenset[str], ...]  # the characters of the header, column by column
    text_columns: frozenset[int]  # columns of codes and names, not of amounts


def aligned_grids(page, carried: Columns | None) -> tuple[list[tuple[Grid, tuple]], Columns | None]:
    """Grids of an unruled table page with their bounding boxes, and the columns to carry on.

    `carried` are the columns of the last table on the page before (None if there is none). The
    caller reads the text outside the boxes as text lines, as it does around ruled tables.
    """
    words = []
    for word in page.extract_words(x_tolerance=1, y_tolerance=3, keep_blank_chars=False, return_chars=True):
        word["text"] = normalise(word["text"]).strip()
        if word["text"]:
            words += split_glued(word)
    lines = lines_of(join_spaced_out(words))
    grids: list[tuple[Grid, tuple]] = []
    run: list[Line] = []
    last_columns = carried

    def flush() -> None:
        nonlocal last_columns
        if not run:
            return
        grid, columns = _table(run, last_columns)
        if grid is not None:
            words = [w for line in run for w in line.words]
            grids.append(
                (
                    grid,
                    (
                        min(w["x0"] for w in words),
                        min(w["top"] for w in words),
                        max(w["x1"] for w in words),
                        max(w["bottom"] for w in words),
                    ),
                )
            )
            last_columns = columns
        run.clear()

    pitch = line_pitch(lines)
    for line in lines:
        caption = line.text.replace(" ", "")
        # a bare number is a page number at the foot of the page only (307 alone: a code of a column part)
        if _CAPTION.search(caption) or (_PAGE_NUMBER.match(line.text) and (not caption.isdigit() or line is lines[-1])):
            flush()
            if _NEW_TABLE.search(caption):
                last_columns = None  # a new table: nothing carries over
            continue
        if (
            run
            and line.top - run[-1].bottom > _MAX_LINE_GAP * pitch
            and any(map(is_data_line, run))
            and not (amounts_only(line) and all(amounts_only(above) for above in run if is_data_line(above)))
        ):
            flush()  # (a header waits for its rows however far below, and a
            # column part of amounts alone for its next amount)
        run.append(line)
    flush()
    return grids, last_columns


def _table(lines: list[Line], carried: Columns | None) -> tuple[Grid | None, Columns | None]:
    data = [i for i, line in enumerate(lines) if is_data_line(line)]
    if not data:
        return None, None
    first, own_header = data[0], False
    if carried is not None:
        # A continuation: a repeat of the header, or a header of its own (a column part's: 公用经费 /
        # 科目名称 / 金额), is header; other rows without amounts are rows (the end of a broken row).
        repeats = [_repeats_header(line, carried) for line in lines[: data[0]]]
        first = max(
            (
                i + 1
                for i, line in enumerate(lines[: data[0]])
                if repeats[i] or _HEADER_WORDS.search(_compact(line.text))
            ),
            default=0,
        )
        own_header = not all(repeats[:first])
    header_lines, body = lines[:first], wrapped_lines_joined(lines[first:])
    header_words = [w for line in header_lines for w in line.words]
    if len(data) < 2 and carried is None and not any(_HEADER_WORDS.search(w["text"]) for w in header_words):
        return None, None
    long_lines = sum(1 for line in lines if any(len(w["text"]) > _LONG_WORD for w in line.words))
    several = [lines[i] for i in data if len(lines[i].words) > 1]
    spaced = sum(1 for line in several if _widest_gap(line) >= _COLUMN_GAP)
    if long_lines * 5 > len(lines) or spaced * 2 < len(several):
        return None, None  # running text with amounts in it, not columns
    intervals = _column_intervals(body)
    if not intervals:
        return None, None
    if carried is not None and not own_header and _fits(intervals, carried):
        columns = carried  # the same table going on: keep its columns
    else:
        laid_out = _with_header_only_columns(intervals, header_words) if header_words else intervals
        boundaries = _boundaries(laid_out)
        columns = Columns(
            tuple(boundaries),
            frozenset(_compact(line.text) for line in header_lines),
            _characters_by_column(header_words, boundaries),
            frozenset(i for i, column in enumerate(laid_out) if not column.amounts),
        )
    boundaries = list(columns.boundaries)
    width = len(boundaries) + 1
    if (
        width == 1
        and not any(_HEADER_WORDS.search(w["text"]) for w in header_words)
        and not (
            (header_words and len(body) >= 2 or carried is not None)
            and all(is_amount(w["text"]) for line in body for w in line.words)
        )
    ):
        return None, None  # one column of lines: a list, not a table (amounts
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
    amounts: bool  # right-aligned amounts (True) or left-aligned codes and names


def _widest_gap(line: Line) -> float:
    ordered = sorted(line.words, key=lambda w: w["x0"])
    return max((b["x0"] - a["x1"] for a, b in zip(ordered, ordered[1:])), default=0.0)


def _column_intervals(body: list[Line]) -> list[_Column]:
    """Columns of the body: amounts clustered by right edge, codes and names by left edge.

    Right-aligned amounts line up exactly, so one amount makes a column; left edges of text need
    two words to make one, unless the word opens its line (the row label of a short table): a
    centred label (合计) then falls inside its column instead of making another.
    """
    openers = {id(min(line.words, key=lambda w: w["x0"])) for line in body}
    words = [w for line in body for w in line.words]
    right_aligned = {id(w) for w in words if is_amount(w["text"]) or (id(w) not in openers and is_whole(w["text"]))}
    amounts = [w for w in words if id(w) in right_aligned]
    texts = [w for w in words if id(w) not in right_aligned]
    if len(body) <= 2:
        openers = {id(w) for w in texts}  # too few rows to tell aligned text from centred
    clusters = _clusters(amounts, "x1", True) + _clusters(texts, "x0", False, openers)
    clusters.sort(key=lambda c: c.x0)
    merged: list[_Column] = []
    for column in clusters:
        if merged and column.x0 < merged[-1].x1 - _FLUSH:  # (an amount flush against a name: two columns)
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
    return [
        _Column(min(w["x0"] for w in c), max(w["x1"] for w in c), amounts)
        for c in clusters
        if amounts or len(c) >= 2 or (openers and any(id(w) in openers for w in c))
    ]


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
    spans = [
        (min(w["x0"] for w in st), max(w["x1"] for w in st), min(w["top"] for w in st), max(w["bottom"] for w in st))
        for st in stacks
    ]
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
        free = [
            span for span in leaves if not any(span[0] < c.x1 and span[1] > c.x0 for c in columns if c is not right)
        ]
        if right is not None:
            free = [span for span in free[:-1] if span[1] <= right.x0]  # the nearest heads `right`
        added += [_Column(span[0], span[1], True) for span in free]
    if columns and all(c.amounts for c in columns):
        # a column part of amounts alone (a sheet printed in parts): blank columns left of its first
        # filled one have headers too; the nearest of them heads the filled column
        first = columns[0]
        before = sorted(
            (span for span in spans if (span[0] + span[1]) / 2 <= first.x1 and span[1] <= first.x1),
            key=lambda span: span[0],
        )
        leaves = [span for span in before if not any(other[2] >= span[3] - 1 for other in before if other is not span)]
        added += [_Column(span[0], span[1], True) for span in leaves[:-1] if span[1] <= first.x0]
    return sorted(columns + added, key=lambda c: c.x0)


def _boundaries(columns: list[_Column]) -> list[float]:
    return [(left.x1 + right.x0) / 2 for left, right in zip(columns, columns[1:])]


def _fits(columns: list[_Column], carried: Columns) -> bool:
    """Every column of the body lies inside one column of the carried layout, amounts not inside a
    column of names (a column part of amounts alone printed where the part before had names)."""
    boundaries = list(carried.boundaries)
    return all(
        _column(c.x0 + 1, boundaries) == _column(c.x1 - 1, boundaries)
        and not (c.amounts and _column(c.x0 + 1, boundaries) in carried.text_columns)
        for c in columns
    )


def _repeats_header(line: Line, columns: Columns) -> bool:
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
        bbox = (
            min(w["x0"] for w in members),
            min(w["top"] for w in members),
            max(w["x1"] for w in members),
            max(w["bottom"] for w in members),
        )
        row.append(Cell(text, bbox=tuple(round(v, 1) for v in bbox)))
    return row
