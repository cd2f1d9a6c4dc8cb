"""A text export printed as plain text (an office suite opening the .txt and printing it) → the
export's lines again, to be read as a text export.

Such a PDF has no rules and no tables: a tab-separated row prints as text at the tab stops, every
line starts at the left margin or at a stop, long lines wrap at the right margin. Printing keeps
enough to undo it: a cell starts at a stop after a gap that is no space; a stop skipped is an empty
cell; a line wrapped at the margin continues the one above when what starts it could not have
fitted there; a taller gap between lines is a blank line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_ON_STOP = 0.3          # points: a character this close to a tab stop starts there
_SPACE = 0.15           # points: a gap this close to a space's width is a space
_LINE = 2.0             # points: characters whose tops are this close are on one line
_MIN_INTERVAL = 15.0    # points between tab stops at least (word processors: 0.74 or 1.25 cm)
_SAMPLE_PAGES = 3       # pages that must look printed from a text file before all are read so
_FLUSH_SHARE = 0.8      # of their lines, starting at the left margin
_MIN_LINES = 20         # fewer lines than this tell nothing about how a document was printed
_ALIGNED_SHARE = 0.95   # of the line starts, at the margin or on a tab stop
_TABBED_SHARE = 0.15    # of the lines, cut at tab stops (prints of the seeds: 0.2 to 0.7)


_CODED_ROW = re.compile(r"\d{3,}\t")    # a row of a table of classified amounts: its code first
_OPENING = set("（《“‘「『【〔([")
_MID_SENTENCE = set("、，,：；;“‘《（(")     # no cell ends so: a line ending so was wrapped
_CLOSING = set("，。、；：？！）》”’」』】〕,.;:?!)]%")


@dataclass
class _Line:
    page: int
    top: float
    chars: list[dict]

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]


@dataclass
class _Layout:
    margin: float
    right: float
    interval: float
    pitch: float
    top: float
    spaces: tuple[float, ...] = ()     # widths of a space (western, CJK)
    autospace: float | None = None     # the gap an office suite sets between CJK and western text

    def stop_of(self, x: float) -> int | None:
        """Which tab stop x is on (0: the margin), or None."""
        steps = (x - self.margin) / self.interval
        index = round(steps)
        return index if index >= 0 and abs(steps - index) * self.interval <= _ON_STOP else None

    def next_stop(self, x: float) -> float:
        """Where a tab typed at x goes: the first stop after it."""
        index = int((x - self.margin) / self.interval) + 1
        return self.margin + index * self.interval

    def is_space(self, gap: float) -> bool:
        return self.is_autospace(gap) or any(abs(gap - n * width) <= _SPACE for width in self.spaces for n in (1, 2, 3))

    def is_autospace(self, gap: float) -> bool:
        return self.autospace is not None and abs(gap - self.autospace) <= _SPACE


def plain_print_text(pages) -> str | None:
    """The export text behind a plain-text print (pdfplumber pages), or None if it is not one.

    The first pages decide: a document printed otherwise is not read twice."""
    sample = _lines(pages[:_SAMPLE_PAGES])
    if not sample or sum(abs(line.x0 - _margin(sample)) < 1 for line in sample) < _FLUSH_SHARE * len(sample):
        return None                             # rules, pictures, or text set out (centred, indented)
    lines = _lines(pages)
    layout = _layout(lines, pages)
    if layout is None:
        return None
    return "\n".join(_padded(_export_lines(lines, layout)))


def _lines(pages) -> list[_Line]:
    lines: list[_Line] = []
    for number, page in enumerate(pages, start=1):
        if page.rects or page.lines or page.curves or page.images:
            return []                           # rules or pictures: printed from a layout, not a text file
        chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: (round(c["top"]), c["x0"]))
        current: list[dict] = []
        for char in chars:
            if current and abs(char["top"] - current[0]["top"]) > _LINE:
                lines.append(_Line(number, current[0]["top"], sorted(current, key=lambda c: c["x0"])))
                current = []
            current.append(char)
        if current:
            lines.append(_Line(number, current[0]["top"], sorted(current, key=lambda c: c["x0"])))
    return lines


def _layout(lines: list[_Line], pages) -> _Layout | None:
    """Margin, tab interval, line pitch and space widths of a plain-text print; None if the lines are
    not printed at tab stops from one margin."""
    if len(lines) < _MIN_LINES:
        return None
    margin = _margin(lines)
    indents = sorted(line.x0 - margin for line in lines if line.x0 - margin >= _MIN_INTERVAL)
    if not indents:
        return None
    interval = _refined(_tab_interval(lines, margin, indents[0]), indents)
    aligned = sum(1 for line in lines if _near_multiple(line.x0 - margin, interval))
    if aligned < _ALIGNED_SHARE * len(lines):
        return None
    pitches = Counter(round(b.top - a.top, 1) for a, b in zip(lines, lines[1:]) if a.page == b.page and b.top > a.top)
    if not pitches:
        return None
    pitch = pitches.most_common(1)[0][0]
    top = min(line.top for line in lines)
    layout = _Layout(margin, float(pages[0].width) - margin, interval, pitch, top)
    # spaces: the commonest gaps that do not end on a tab stop; a narrow one between CJK and western
    # characters is no space but the suite's spacing of the two scripts
    off_stop = Counter(round(b["x0"] - a["x1"], 1) for line in lines for a, b in zip(line.chars, line.chars[1:])
                       if b["x0"] - a["x1"] > 1 and layout.stop_of(b["x0"]) is None)
    common = [gap for gap, n in off_stop.most_common(4) if n >= 0.05 * sum(off_stop.values())]
    layout.spaces = tuple(sorted((g for g in common if g >= 4), reverse=True)[:2])
    layout.autospace = next((g for g in common if g < 4), None)
    tabbed = sum(1 for line in lines if any(_is_tab(a, b, layout) for a, b in zip(line.chars, line.chars[1:])))
    return layout if tabbed >= _TABBED_SHARE * len(lines) else None


def _margin(lines: list[_Line]) -> float:
    return Counter(round(line.x0, 1) for line in lines).most_common(1)[0][0]


def _tab_interval(lines: list[_Line], margin: float, smallest_indent: float) -> float:
    """The distance between tab stops: the smallest indent, or a fraction of it where the text after
    wide gaps starts on those stops (no line starts at the first stop)."""
    starts = [b["x0"] - margin for line in lines for a, b in zip(line.chars, line.chars[1:]) if b["x0"] - a["x1"] > 8]
    for parts in (1, 2, 3, 4):
        interval = smallest_indent / parts
        if interval < _MIN_INTERVAL:
            break
        if starts and sum(_near_multiple(x, interval) for x in starts) >= 0.9 * len(starts):
            return interval
    return smallest_indent


def _refined(interval: float, indents: list[float]) -> float:
    """The interval fitted to every indent, the deepest weighing most: print rounds positions."""
    fitted = [(x, round(x / interval)) for x in indents if _near_multiple(x, interval, 1.0)]
    return sum(x * k for x, k in fitted) / sum(k * k for _, k in fitted) if fitted else interval


def _near_multiple(x: float, interval: float, tolerance: float = 2 * _ON_STOP) -> bool:
    return abs(x / interval - round(x / interval)) * interval <= tolerance


def _is_tab(a: dict, b: dict, layout: _Layout, in_tab_row: bool = False) -> bool:
    """A gap that ends on a tab stop and is no space; in a row with other tabs, one as wide as a space too
    (a tab is far likelier there than a space that happens to end on a stop)."""
    gap = b["x0"] - a["x1"]
    if gap <= 0.05 or layout.stop_of(b["x0"]) is None:
        return False
    if layout.is_autospace(gap) and a["text"].isalnum() and b["text"].isalnum():
        return False                            # the suite spaces CJK from letters and digits only
    return in_tab_row or not layout.is_space(gap)


def _export_lines(lines: list[_Line], layout: _Layout) -> list[str]:
    texts = [_cells(line, layout) for line in lines]
    for index in range(1, len(lines) - 1):      # between rows of tabs, a gap on a stop is a tab too
        if "\t" in texts[index - 1] and "\t" in texts[index + 1] and "\t" not in texts[index]:
            texts[index] = _cells(lines[index], layout, tab_row=True)
    out: list[str] = []
    room: dict[int, int] = {}                   # a blank line → tab stops left on the line above it
    for index, line in enumerate(lines):
        text, stop = texts[index], layout.stop_of(line.x0)
        joint = _continues(lines[index - 1], line, layout) if index else None
        if index and "</table>" in out[-1] and _next_line(lines[index - 1], line, layout):
            if stop:                            # the export's cells after an inline table, tabs gone down
                joint = "\t" * _stops_left(lines[index - 1], layout)
        elif joint is not None and stop == 0 and _CODED_ROW.match(text) and "\t" in out[-1]:
            joint = None                        # a row at the margin starting with a code, under a row of tabs
        if joint is not None and stop == 0 and "\t" in out[-1] and "</table>" not in out[-1] \
                and _width(text) >= 3:
            widths = _widths_around(out, texts, index)
            wider = widths + [_width(t) for t in out[-8:-1] if "\t" in t]
            if widths and _width(out[-1]) >= max(widths) and _width(out[-1] + text) > max(wider) \
                    and lines[index - 1].chars[-1]["text"] not in _MID_SENTENCE:
                joint = None                    # a row of its own at the margin, under a row already whole
        if index and stop and "\t" in out[-1] and "</table>" not in out[-1] \
                and _next_line(lines[index - 1], line, layout):
            joint = _joint_at_stop(lines[index - 1], line, out, texts, index, joint is not None, layout)
        if joint is not None:
            if "\t" in out[-1]:                  # a gap on a stop in a row of tabs is a tab, even if space-wide
                text = _cells(line, layout, tab_row=True)
            out[-1] += joint + text
            continue
        blanks = _blank_lines_between(lines[index - 1], line, layout) if index else 0
        if blanks:
            room[len(out)] = _stops_left(lines[index - 1], layout)
        out += [""] * blanks
        out.append(text)
    return _without_tab_overflow(out, room)


def _joint_at_stop(above: _Line, line: _Line, out: list[str], texts: list[str], index: int, wrapped: bool,
                   layout: _Layout) -> str | None:
    """The tabs that join a line at a tab stop to the row of tabs above it (its end, wrapped), or None
    when it is the next row. `wrapped`: its first word could not have fitted on the line above."""
    row, text = out[-1], texts[index]
    following = texts[index + 1] if index + 1 < len(texts) else ""
    widths = _widths_around(out, texts, index)
    if _between_coded_rows(row, following):
        ends_row = True
    elif wrapped:
        ends_row = not _whole_row(row, text, widths, _table_width(out, texts, index))
    else:
        ends_row = _row_end(row, text, widths) or _completes_row(row, "\t" * _stops_left(above, layout) + text, widths)
    return "\t" * _tabs_left_above(above, line, out, text, layout) if ends_row else None


def _without_tab_overflow(out: list[str], room: dict[int, int]) -> list[str]:
    """Without the blank lines that are a row's trailing tabs: more empty cells than stops were left
    on its last line, so they went down to a line of their own, which prints as nothing."""
    kept, index = [], 0
    while index < len(out):
        if index in room:
            end = next((i for i in range(index, len(out)) if out[i]), len(out))
            above, below = out[index - 1], out[end] if end < len(out) else ""
            widest = max(_width(t) for t in [*_run(reversed(out[:index])), *_run(out[end:]), above])
            if "\t" in below and (end - index > 1 and "\t" in above or widest - _width(above) > room[index]):
                index = end                     # exports never leave two blank lines between rows of tabs
                continue
        kept.append(out[index])
        index += 1
    return kept


def _widths_around(out: list[str], texts: list[str], index: int) -> list[int]:
    """Widths of the rows of tabs before the line being joined and after it."""
    preceding = next((t for t in reversed(out[:-1]) if t), "")
    following = texts[index + 1] if index + 1 < len(texts) else ""
    return [_width(t) for t in (preceding, following) if "\t" in t]


def _table_width(out: list[str], texts: list[str], index: int) -> int:
    """The widest row of tabs in the run around the line being joined: rows above (already joined)
    and lines below (pieces of rows, never wider than their row)."""
    above = list(_run(reversed(out[:-1])))
    below = list(_run(texts[index + 1:]))
    return max((_width(t) for t in above + below), default=0)


def _run(texts):
    """Rows of tabs up to the first line without one."""
    for count, text in enumerate(texts):
        if "\t" not in text or count >= 40:
            return
        yield text


def _cell_count(text: str) -> int:
    return sum(1 for cell in text.split("\t") if cell.strip())


def _whole_row(alone: str, after: str, widths: list[int], table_width: int) -> bool:
    """A row of tabs that ends at the margin but is as wide as the rows around it already, followed
    by a line of several cells that would make it wider than any row of its table: that line is the
    next row (“…得分” / “	年度资金总额	0.00…”), not the row's end (“…无偏” / “差”)."""
    return bool(widths) and _cell_count(after) >= 2 and _width(alone) >= max(3, min(widths) - 1) \
        and _width(alone + after) > table_width


def _completes_row(row: str, after: str, widths: list[int]) -> bool:
    """Neither line as wide as the widest row around them, the two joined are (the row after may be
    cut the same way)."""
    return bool(widths) and _width(row + after) == max(widths) > max(_width(row), _width(after))


def _between_coded_rows(row: str, following: str) -> bool:
    """A line at a tab stop between two rows that start with a code: the first one's wrapped end (a
    table too wide for the paper wraps every row)."""
    return bool(_CODED_ROW.match(row) and _CODED_ROW.match(following))


def _row_end(alone: str, after: str, widths: list[int]) -> bool:
    """One cell at a tab stop under a row narrower than the rows around it: the row's last cell, its
    tabs run past the margin (“…411.68” / “	7.70”)."""
    return bool(widths) and _cell_count(after) == 1 and _width(alone) < min(widths) and _width(after) < min(widths)


def _padded(texts: list[str]) -> list[str]:
    """Each run of tab rows as wide as its widest row: an export writes every cell of a row, and the
    empty ones at its end print as nothing."""
    out = list(texts)
    start = 0
    while start < len(out):
        end = start
        while end < len(out) and "\t" in out[end]:
            end += 1
        while start > 0 and out[start - 1] and not out[start - 1].startswith("#") and "\t" not in out[start - 1] \
                and end > start:
            start -= 1                          # one-cell rows right above the run (their empty cells unseen)
        if end > start:
            width = max(_width(t) for t in out[start:end])
            for index in range(start, end):
                out[index] += "\t" * (width - _width(out[index]))
        start = end + 1
    return out


def _width(text: str) -> int:
    return len(text.rstrip("\t").split("\t"))


def _cells(line: _Line, layout: _Layout, tab_row: bool = False) -> str:
    """The line's text with its tabs: leading stops, then a tab per stop reached after a gap."""
    stop = layout.stop_of(line.x0)
    text = "\t" * stop if stop is not None else " " * _spaces_in(line.x0 - layout.margin, layout)
    tab_row = tab_row or _has_tabs(line, layout)
    for before, char in zip([None, *line.chars], line.chars):
        if before is not None:
            gap = char["x0"] - before["x1"]
            if _is_tab(before, char, layout, tab_row) and not _in_math(text):
                text += "\t" * _tabs_between(before["x1"], char["x0"], layout)
            elif gap > 1 and not layout.is_autospace(gap):
                text += " " * max(1, _spaces_in(gap, layout))
        text += char["text"]
    return text


def _in_math(text: str) -> bool:
    """Inside a LaTeX formula of the last cell (“$\\geq 40\\%$”): its spaces are no tabs."""
    cell = text.rsplit("\t", 1)[-1]
    return "$" in cell and cell.rsplit("$", 1)[1][:1] not in ("", " ")   # the last $ opens one


def _tabs_between(x1: float, x0: float, layout: _Layout) -> int:
    stop = layout.next_stop(x1 + 0.01)
    tabs = 1
    while stop < x0 - _ON_STOP:
        stop += layout.interval
        tabs += 1
    return tabs


def _spaces_in(gap: float, layout: _Layout) -> int:
    width = min(layout.spaces, key=lambda w: min(abs(gap - n * w) for n in (1, 2, 3)), default=gap)
    return round(gap / width)


def _continues(above: _Line, line: _Line, layout: _Layout) -> str | None:
    """What joins `line` to the line above when it is that line wrapped at the right margin ('' or a
    tab), else None."""
    first = line.chars[0]
    word = _first_word_width(line)
    stop = layout.stop_of(line.x0)
    if not _next_line(above, line, layout):
        return None                             # a blank line between, or not the first line of its page
    if stop == 0:                               # a cell's text broken at the margin, maybe at a space
        if above.x1 + max(layout.spaces, default=0) + word <= layout.right + 0.05:
            return None
        return " " if _latin(above.chars[-1]) and _latin(first) and not _one_word(above) else ""
    if stop is not None and layout.next_stop(above.x1) + word > layout.right + 0.05:
        return ""                               # a tab and its text did not fit: they went on from the first stop
    return None


def _tabs_left_above(above: _Line, line: _Line, out: list[str], after: str, layout: _Layout) -> int:
    """How many tabs the line above ends with, unseen. A tab goes down with text that does not fit
    after it, the tabs of empty cells before it stay while there are stops: text at stop k > 1 below
    had all the stops left filled above it. Text at the first stop had at least as many as the stops
    where its first word would have fitted (else it would stand there), at most the stops left; of
    those, the count that makes the row as wide as most rows like it above."""
    left = _stops_left(above, layout)
    if layout.stop_of(line.x0) > 1:
        return left
    fewest = min(left, _stops_fitting(above, line, layout))
    row = out[-1]
    alike = Counter(_width(t) for t in _run(reversed(out[:-1])) if not _CODED_ROW.match(row) or _CODED_ROW.match(t))
    joined = _width(row) + _width(after) - 1
    return max(range(fewest, left + 1), key=lambda tabs: (alike[joined + tabs], -tabs))


def _stops_fitting(above: _Line, line: _Line, layout: _Layout) -> int:
    """The stops after the end of `above` at which the first word of `line` would have fitted."""
    count, stop = 0, layout.next_stop(above.x1 + 0.01)
    while stop + _first_word_width(line) <= layout.right + 0.05:
        count, stop = count + 1, stop + layout.interval
    return count


def _stops_left(line: _Line, layout: _Layout) -> int:
    """Tab stops between the end of a line and the right margin."""
    count, stop = 0, layout.next_stop(line.x1 + 0.01)
    while stop <= layout.right + 0.05:
        count, stop = count + 1, stop + layout.interval
    return count


def _one_word(line: _Line) -> bool:
    """A line of one western word, with nowhere to wrap: cut where the margin fell, not at a space."""
    return all(_latin(c) for c in line.chars) and all(b["x0"] - a["x1"] < 0.5 for a, b in zip(line.chars, line.chars[1:]))


def _next_line(above: _Line, line: _Line, layout: _Layout) -> bool:
    """The line right under `above`: no blank line between, or the first line of the next page."""
    if line.page == above.page:
        return line.top - above.top < 1.5 * layout.pitch
    return line.top - layout.top < 0.5 * layout.pitch


def _has_tabs(line: _Line, layout: _Layout) -> bool:
    return bool(layout.stop_of(line.x0)) or any(_is_tab(a, b, layout) for a, b in zip(line.chars, line.chars[1:]))


def _first_word_width(line: _Line) -> float:
    """What had to move down together: a western word, or a CJK character with an opening bracket
    before it and the closing punctuation after it (neither may stand alone at a line's end / start)."""
    chars = line.chars
    end = 0
    if _latin(chars[0]):
        while end + 1 < len(chars) and _latin(chars[end + 1]) and chars[end + 1]["x0"] - chars[end]["x1"] < 0.5:
            end += 1
    elif chars[0]["text"] in _OPENING and len(chars) > 1:
        end = 1
    while end + 1 < len(chars) and chars[end + 1]["text"] in _CLOSING:
        end += 1
    while not _latin(chars[0]) and end + 1 < len(chars) and _latin(chars[end + 1]) \
            and chars[end + 1]["x0"] - chars[end]["x1"] < 0.5:
        end += 1                                # western text glued to the character goes with it
    return chars[end]["x1"] - chars[0]["x0"]


def _latin(char: dict) -> bool:
    return char["text"].isascii()


def _blank_lines_between(above: _Line, line: _Line, layout: _Layout) -> int:
    if line.page != above.page:
        return max(0, round((line.top - layout.top) / layout.pitch))
    return max(0, round((line.top - above.top) / layout.pitch) - 1)


def _code_like(char: dict) -> bool:
    return char["text"].isascii() and char["text"].isalnum()
