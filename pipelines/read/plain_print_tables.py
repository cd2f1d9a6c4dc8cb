"""What the rows of a plain-text print (pipelines/read/plain_print.py) tell about their table: how
wide it is, what kind of cell each column holds; and, by them, which gaps that may be tabs are tabs.

A row is a line of the export's text with its cells between tabs; its width is its count of cells up
to the last one printed (the empty cells at its end print as nothing).
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations

from pipelines.read.plain_print_layout import MAY_BE_TABS

_FIGURE = re.compile(r"[+-]?[\d,]+(\.\d+)?%?|[—–-]{1,2}")
_RUN = 40               # rows of tabs looked at on each side of a row
_MOST_MARKS = 6         # gaps that may be tabs in one row tried in every combination; the likeliest beyond


def width(text: str) -> int:
    return len(text.rstrip("\t").split("\t"))


def widest(rows: list[str]) -> int:
    """How wide the table these rows (or pieces of rows) belong to is at least: its widest row, or its
    column-number row."""
    return max([width(t) for t in rows] + [numbered_width(rows)])


def numbered_width(pieces: list[str]) -> int:
    """The width of a table's column-number row (栏次: 1, 2, 3 … under its headers), its pieces
    joined while the numbers go on; 0 if there is none."""
    found = last = 0
    for piece in pieces:
        cells = piece.split("\t")
        numbers = [int(c) for c in cells if c.strip().isdigit()]
        if not numbers or numbers != list(range(last + 1, last + 1 + len(numbers))) or len(numbers) < 3 and not last:
            if last:
                return found
            continue
        found = len(cells) if not last else found + len(cells) - 1
        last = numbers[-1]
    return found


def run(texts):
    """Rows of tabs up to the first line without one."""
    for count, text in enumerate(texts):
        if "\t" not in text or count >= _RUN:
            return
        yield text


def run_above(texts: list[str], index: int) -> list[str]:
    """The rows of tabs right above `index`, in order."""
    return list(run(reversed(texts[:index])))[::-1]


def is_figures(text: str) -> bool:
    """Cells of figures only (“14099.97	13.3600	10”)."""
    figures = [cell.replace(" ", "") for cell in text.split("\t") if cell.strip()]
    return bool(figures) and all(_FIGURE.fullmatch(f) for f in figures)


def resolved(texts: list[str]) -> list[str]:
    """Each row's gaps that may be tabs (MAY_BE_TABS) read as tabs or as what they are otherwise (a
    space, nothing): whichever makes the row as wide as a sure row next to it (rows above resolved
    already, rows below without such gaps), else as wide as most sure rows of its table (rows alike
    may all print their figures one tab interval apart: “10.25 10.25”), else puts figures under
    figures and words under words; then the fewest tabs, the likeliest. Never wider than the table."""
    out = list(texts)
    for index, text in enumerate(texts):
        marks = sorted((order, position) for position, char in enumerate(text)
                       for order, mark in enumerate(MAY_BE_TABS) if char == mark)
        if not marks:
            continue
        rows = _sure([*run_above(out, index), *run(texts[index + 1:])])
        kinds = _column_kinds(rows)
        table_width = widest(rows) if rows else None
        beside = {width(t) for t in _sure(out[index - 1:index] + texts[index + 1:index + 2])}
        common = {w for w, n in Counter(width(t) for t in rows).most_common(1) if n > 1}
        options = []
        for count in range(min(len(marks), _MOST_MARKS) + 1):
            for chosen in combinations(marks[:_MOST_MARKS], count):
                row = _with_tabs(text, {position for _, position in chosen})
                if table_width is None or width(row) <= table_width or not chosen:
                    rank = (width(row) not in beside, width(row) not in common, _misplaced(row, kinds), count,
                            sum(o for o, _ in chosen))
                    options.append((rank, row))
        out[index] = min(options)[1]
    return out


def _with_tabs(text: str, as_tabs: set[int]) -> str:
    return "".join("\t" if position in as_tabs else MAY_BE_TABS.get(char, char) for position, char in enumerate(text))


def _sure(rows: list[str]) -> list[str]:
    return [t for t in rows if "\t" in t and not any(mark in t for mark in MAY_BE_TABS)]


def _kind(cell: str) -> str | None:
    cell = cell.strip()
    return None if not cell else "figure" if _FIGURE.fullmatch(cell) else "words"     # “99.33 10”: two cells


def _column_kinds(rows: list[str]) -> list[str | None]:
    """The kind most cells of each column are (figure, words), None where no cell is printed."""
    columns: list[Counter] = []
    for row in rows:
        for column, cell in enumerate(row.split("\t")):
            while len(columns) <= column:
                columns.append(Counter())
            if _kind(cell):
                columns[column][_kind(cell)] += 1
    return [c.most_common(1)[0][0] if c else None for c in columns]


def _misplaced(row: str, kinds: list[str | None]) -> int:
    """Cells of the row unlike their column (a figure under words, words under figures)."""
    return sum(1 for column, cell in enumerate(row.split("\t"))
               if _kind(cell) and column < len(kinds) and kinds[column] and kinds[column] != _kind(cell))
