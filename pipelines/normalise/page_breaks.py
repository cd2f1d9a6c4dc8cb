"""A row of a 绩效 table cut by a page break: which cell above each cell of the second part joins.

An office suite may rule the next page's columns anew, so the cells of the two parts are matched by
where they stand on the page (their spans), not by their position in the row.
"""

from __future__ import annotations

from pipelines.recognise.performance_tables import Span


def joined_over_page_break(
    before: list[str], before_spans: list[Span | None] | None, after: list[str], after_spans: list[Span | None] | None
) -> list[str]:
    """The two parts of a row cut by a page break, cell by cell. On PDF pages each cell of the second
    part goes onto the cell above it (an office suite may rule the next page's columns anew): the
    one whose width holds its centre — an empty one too, the column of a merged cell — else the
    nearest printed one. Elsewhere the cells join by their position in the row."""
    slots = [i for i, span in enumerate(before_spans or []) if span is not None]
    printed = [i for i in slots if before[i]]
    placed = after_spans is not None and all(s is not None for t, s in zip(after, after_spans) if t)
    if not (printed and placed):
        return [a + b for a, b in zip(before, after)] if len(before) == len(after) else list(before)
    joined = list(before)
    for text, span in zip(after, after_spans):
        if text:
            joined[cell_above(before_spans, slots, printed, span, after_spans)] += text
    return joined


def cell_above(
    spans: list[Span | None],
    slots: list[int],
    printed: list[int],
    span: Span,
    row_spans: list[Span | None] | None = None,
) -> int:
    """The cell of `slots` whose width holds the centre of `span`, else the nearest of `printed`.

    Where `span` lies across cells above and its row (`row_spans`) is ruled into as many cells as
    the row above but at other places — a table of its own, or a page that ruled the columns
    anew — its n-th cell is the n-th cell above."""
    if row_spans is not None and not _mostly_inside(span, [spans[i] for i in slots]):
        above, below = _distinct([spans[i] for i in slots]), _distinct(row_spans)
        if len(above) == len(below):
            wanted = above[below.index(_rounded(span))]
            return next(i for i in slots if _rounded(spans[i]) == wanted)
    centre = (span[0] + span[1]) / 2
    holding = [i for i in slots if spans[i][0] <= centre <= spans[i][1]]
    if holding:
        return holding[0]
    return min(printed, key=lambda i: abs((spans[i][0] + spans[i][1]) / 2 - centre))


def _mostly_inside(span: Span, cells: list[Span]) -> bool:
    width = max(span[1] - span[0], 1e-6)
    return any(min(span[1], c[1]) - max(span[0], c[0]) >= 0.8 * width for c in cells)


def _rounded(span: Span) -> tuple[int, int]:
    return round(span[0]), round(span[1])


def _distinct(spans: list[Span | None]) -> list[tuple[int, int]]:
    """The cells of a row, left to right: covered cells share their merged cell's span."""
    return sorted({_rounded(s) for s in spans if s is not None})
