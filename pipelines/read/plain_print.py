"""A text export printed as plain text (an office suite opening the .txt and printing it) → the
export's lines again, to be read as a text export.

Such a PDF has no rules and no tables: a tab-separated row prints as text at the tab stops, every
line starts at the left margin or at a stop, long lines wrap at the right margin. Printing keeps
enough to undo it (the geometry: pipelines/read/plain_print_layout.py): a cell starts at a stop after
a gap that is no space; a stop skipped is an empty cell; a line wrapped at the margin continues the
one above when what starts it could not have fitted there; a tab that found no stop left goes down
with its text, so a line at a stop may end the row above (how many tabs it left unseen: where its
text would have fitted, and how wide the rows like it are; figures alone there always do); a taller
gap between lines is a blank line, unless it is only a row's trailing tabs gone down to a line of
their own. A gap on a stop that may be a tab or not is left to the table around its row to decide
(pipelines/read/plain_print_tables.py).
"""

from __future__ import annotations

import re
from collections import Counter

from pipelines.read import plain_print_tables as tables
from pipelines.read.plain_print_layout import (
    MAY_BE_TABS, Layout, PrintedLine, blank_lines_between, cells, first_word_width, latin, layout_of, margin_of,
    next_line, one_word, printed_lines, stops_fitting, stops_left,
)

_SAMPLE_PAGES = 3       # pages that must look printed from a text file before all are read so
_FLUSH_SHARE = 0.8      # of their lines, starting at the left margin

_CODED_ROW = re.compile(r"\d{3,}\t")    # a row of a table of classified amounts: its code first
_MID_SENTENCE = set("、，,：；;“‘《（(")     # no cell ends so: a line ending so was wrapped


def may_be_plain_print(pages) -> bool:
    """Whether the first pages look printed from a text file: no rules or pictures, most lines flush
    with one left margin. A document printed otherwise is not read twice."""
    sample = printed_lines(pages[:_SAMPLE_PAGES])
    return bool(sample) and sum(abs(line.x0 - margin_of(sample)) < 1 for line in sample) >= _FLUSH_SHARE * len(sample)


def plain_print_text(pages) -> str | None:
    """The export text behind a plain-text print (pdfplumber pages, opened without Unicode
    normalisation), or None if it is not one."""
    if not may_be_plain_print(pages):
        return None                             # rules, pictures, or text set out (centred, indented)
    lines = printed_lines(pages)
    layout = layout_of(lines, pages)
    if layout is None:
        return None
    return "\n".join(_padded(tables.resolved(_export_lines(lines, layout))))


def _export_lines(lines: list[PrintedLine], layout: Layout) -> list[str]:
    texts = [cells(line, layout) for line in lines]
    for index in range(1, len(lines) - 1):      # between rows of tabs, a gap on a stop may be a tab too
        if _tabbed(texts[index - 1]) and any(_tabbed(t) for t in texts[index + 1:index + 3]) and not _tabbed(texts[index]):
            texts[index] = cells(lines[index], layout, tab_row=True)
    out: list[str] = []
    room: dict[int, int] = {}                   # a blank line → tab stops left on the line above it
    for index, line in enumerate(lines):
        joint = _joint(lines, texts, out, index, layout) if index else None
        if joint is not None:                   # in a row of tabs, a gap on a stop is a tab, even if space-wide
            out[-1] += joint + (cells(line, layout, tab_row=True) if "\t" in out[-1] else texts[index])
            continue
        blanks = blank_lines_between(lines[index - 1], line, layout) if index else 0
        if blanks:
            room[len(out)] = stops_left(lines[index - 1], layout)
        out += [""] * blanks
        out.append(texts[index])
    return _without_tab_overflow(out, room)


def _tabbed(text: str) -> bool:
    return "\t" in text or any(mark in text for mark in MAY_BE_TABS)


def _joint(lines: list[PrintedLine], texts: list[str], out: list[str], index: int, layout: Layout) -> str | None:
    """What joins line `index` to the row above it (nothing, a space, tabs), or None: it starts a row."""
    above, line, text, row = lines[index - 1], lines[index], texts[index], out[-1]
    stop = layout.stop_of(line.x0)
    wrapped = _continues(above, line, layout)
    if "</table>" in row:                       # the export's cells after an inline table, tabs gone down
        return "\t" * _tabs_possibly_left(above, line, layout)[0] if stop and next_line(above, line, layout) else wrapped
    if "\t" not in row:
        return wrapped
    if stop == 0 and wrapped is not None:
        return None if _CODED_ROW.match(text) or _own_row_at_margin(above, text, out, texts, index) else wrapped
    if stop and next_line(above, line, layout):
        return _joint_at_stop(lines, texts, out, index, wrapped is not None, layout)
    return wrapped


def _own_row_at_margin(above: PrintedLine, text: str, out: list[str], texts: list[str], index: int) -> bool:
    """A line at the margin under a row of tabs as wide as the rows around it already, that would make
    it wider than any of them: a row of its own, unless the row above stops mid-sentence."""
    if tables.width(text) < 3 or above.chars[-1]["text"] in _MID_SENTENCE or _in_tag(out[-1]):
        return False
    widths = _widths_around(out, texts, index)
    wider = widths + [tables.width(t) for t in out[-8:-1] if "\t" in t]
    return bool(widths) and tables.width(out[-1]) >= max(widths) and tables.width(out[-1] + text) > max(wider)


def _in_tag(row: str) -> bool:
    """The row stops inside markup of the export (“新增 <input” / “type="checkbox"/>”)."""
    return row.rfind("<") > row.rfind(">")


def _joint_at_stop(lines: list[PrintedLine], texts: list[str], out: list[str], index: int, wrapped: bool,
                   layout: Layout) -> str | None:
    """The tabs that join a line at a tab stop to the row of tabs above it (its end, wrapped), or None
    when it is the next row. `wrapped`: its first word could not have fitted on the line above."""
    above, line, row, text = lines[index - 1], lines[index], out[-1], texts[index]
    following = texts[index + 1] if index + 1 < len(texts) else ""
    widths = _widths_around(out, texts, index)
    if _between_coded_rows(row, following) or _figures_at_first_stop(line, text, layout):
        ends_row = True
    elif wrapped:
        ends_row = not _whole_row(row, text, widths, _table_width(out, texts, index))
    else:
        seen = _with_wrapped_lines(lines, texts, index, layout)
        after = "\t" * stops_left(above, layout) + seen
        ends_row = _completes_row(row, after, widths) or seen == text and _row_end(row, text, widths) and (
            layout.stop_of(line.x0) == 1 or tables.width(row + after) <= max(widths))   # tabs to it past the margin
    return "\t" * _tabs_left_above(above, line, out, text, layout) if ends_row else None


def _figures_at_first_stop(line: PrintedLine, text: str, layout: Layout) -> bool:
    """Figures alone at the first stop (“	14099.97	13.3600	10”): a row's last cells gone down, for
    a row of figures always has its label before them; not a table's column numbers (1, 2, 3 …)."""
    return layout.stop_of(line.x0) == 1 and tables.is_figures(text) and not tables.numbered_width([text])


def _with_wrapped_lines(lines: list[PrintedLine], texts: list[str], index: int, layout: Layout) -> str:
    """Line `index` with the lines wrapped from it at the margin: all of its row that is seen."""
    end = index + 1
    while end < len(lines) and layout.stop_of(lines[end].x0) == 0 \
            and _continues(lines[end - 1], lines[end], layout) is not None:
        end += 1
    return "".join(texts[index:end])


def _without_tab_overflow(out: list[str], room: dict[int, int]) -> list[str]:
    """Without the blank lines that are a row's trailing tabs: more empty cells than stops were left
    on its last line, so they went down to a line of their own, which prints as nothing."""
    kept, index = [], 0
    while index < len(out):
        if index in room:
            end = next((i for i in range(index, len(out)) if out[i]), len(out))
            above, below = out[index - 1], out[end] if end < len(out) else ""
            widest = tables.widest([*tables.run_above(out, index), above, *tables.run(out[end:])])
            if "\t" in below and (end - index > 1 and "\t" in above or widest - tables.width(above) > room[index]):
                index = end                     # exports never leave two blank lines between rows of tabs
                continue
        kept.append(out[index])
        index += 1
    return kept


def _widths_around(out: list[str], texts: list[str], index: int) -> list[int]:
    """Widths of the rows of tabs before the line being joined and after it."""
    preceding = next((t for t in reversed(out[:-1]) if t), "")
    following = texts[index + 1] if index + 1 < len(texts) else ""
    return [tables.width(t) for t in (preceding, following) if "\t" in t]


def _table_width(out: list[str], texts: list[str], index: int) -> int:
    """The widest row of tabs in the run around the line being joined: rows above (already joined)
    and lines below (pieces of rows, never wider than their row)."""
    return tables.widest([*tables.run_above(out, len(out) - 1), *tables.run(texts[index + 1:])])


def _cell_count(text: str) -> int:
    return sum(1 for cell in text.split("\t") if cell.strip())


def _whole_row(alone: str, after: str, widths: list[int], table_width: int) -> bool:
    """A row of tabs that ends at the margin but is as wide as the rows around it already, followed
    by a line of several cells that would make it wider than any row of its table: that line is the
    next row (“…得分” / “	年度资金总额	0.00…”), not the row's end (“…无偏” / “差”)."""
    return bool(widths) and _cell_count(after) >= 2 and tables.width(alone) >= max(3, min(widths) - 1) \
        and tables.width(alone + after) > table_width


def _completes_row(row: str, after: str, widths: list[int]) -> bool:
    """Neither line as wide as the widest row around them, the two joined are (the row after may be
    cut the same way)."""
    return bool(widths) and tables.width(row + after) == max(widths) > max(tables.width(row), tables.width(after))


def _between_coded_rows(row: str, following: str) -> bool:
    """A line at a tab stop between two rows that start with a code: the first one's wrapped end (a
    table too wide for the paper wraps every row)."""
    return bool(_CODED_ROW.match(row) and _CODED_ROW.match(following))


def _row_end(alone: str, after: str, widths: list[int]) -> bool:
    """One cell at a tab stop under a row narrower than the rows around it: the row's last cell, its
    tabs run past the margin (“…411.68” / “	7.70”)."""
    return bool(widths) and _cell_count(after) == 1 and tables.width(alone) < min(widths) and tables.width(after) < min(widths)


def _padded(texts: list[str]) -> list[str]:
    """Each run of tab rows as wide as its widest row: an export writes every cell of a row, and the
    empty ones at its end print as nothing. Rows of codes on after one blank line (a page break of
    the original) are as wide as the rows of codes before it."""
    out = list(texts)
    start, width = 0, 0
    while start < len(out):
        if not (start >= 2 and out[start - 1] == "" and _CODED_ROW.match(out[start - 2])
                and _CODED_ROW.match(out[start])):
            width = 0
        end = start
        while end < len(out) and "\t" in out[end]:
            end += 1
        while start > 0 and out[start - 1] and not out[start - 1].startswith("#") and "\t" not in out[start - 1] \
                and end > start:
            start -= 1                          # one-cell rows right above the run (their empty cells unseen)
        if end > start:
            width = max([width] + [tables.width(t) for t in out[start:end]])
            for index in range(start, end):
                out[index] += "\t" * (width - tables.width(out[index]))
        start = end + 1
    return out


def _continues(above: PrintedLine, line: PrintedLine, layout: Layout) -> str | None:
    """What joins `line` to the line above when it is that line wrapped at the right margin ('' or a
    tab), else None."""
    first = line.chars[0]
    word = first_word_width(line)
    stop = layout.stop_of(line.x0)
    if not next_line(above, line, layout):
        return None                             # a blank line between, or not the first line of its page
    if stop == 0:                               # a cell's text broken at the margin, maybe at a space
        if above.x1 + max(layout.spaces, default=0) + word <= layout.right + 0.05:
            return None
        if above.trailing_space:
            return " "
        last = above.chars[-1]["text"]
        if layout.prints_spaces and (above.x1 + min(layout.spaces, default=0) <= layout.right
                                     or not (last.isalnum() and first["text"].isalnum())):
            return ""                           # a space there would have printed; or a break at punctuation
        return " " if latin(above.chars[-1]) and latin(first) and not one_word(above) else ""
    if stop is not None and layout.next_stop(above.x1) + word > layout.right + 0.05:
        return ""                               # a tab and its text did not fit: they went on from the first stop
    if stop is None and any(abs(line.x0 - layout.margin - width) <= 0.3 and above.x1 + width > layout.right
                            for width in layout.spaces):
        return ""                               # the space after punctuation hung in the margin went down (its own)
    return None


def _tabs_left_above(above: PrintedLine, line: PrintedLine, out: list[str], after: str, layout: Layout) -> int:
    """How many tabs the line above ends with, unseen. A tab goes down with text that does not fit
    after it, the tabs of empty cells before it stay while there are stops: text at stop k > 1 below
    had all the stops left filled above it. Text at the first stop had at least as many as the stops
    where its first word would have fitted (else it would stand there), at most the stops left; of
    those, the count that makes the row as wide as most rows like it above (rows of codes under a row
    of codes), else as most rows above."""
    possible = _tabs_possibly_left(above, line, layout)
    row = out[-1]
    rows = tables.run_above(out, len(out) - 1)
    alike = Counter(tables.width(t) for t in rows if not _CODED_ROW.match(row) or _CODED_ROW.match(t))
    around = Counter(tables.width(t) for t in rows)
    joined = tables.width(row) + tables.width(after) - 1
    return max(possible, key=lambda tabs: (alike[joined + tabs], around[joined + tabs], -tabs))


def _tabs_possibly_left(above: PrintedLine, line: PrintedLine, layout: Layout) -> range:
    """The counts of tabs the line above may end with, unseen, the fewest first (`_tabs_left_above`)."""
    left = stops_left(above, layout)
    if layout.stop_of(line.x0) > 1:
        return range(left, left + 1)
    return range(min(left, stops_fitting(above, line, layout)), left + 1)
