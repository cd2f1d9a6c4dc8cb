"""The geometry of a plain-text print (pipelines/read/plain_print.py): its lines of characters, and
the layout they were set in: left margin, tab interval, line pitch, the widths of a space.

A word processor printing a .txt sets every line from the left margin, a tab at the next stop, and
wraps long lines at the right margin; everything here is measured from the characters, nothing is
assumed about the paper, the font or the suite.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

_ON_STOP = 0.3          # points: a character this close to a tab stop starts there
_SPACE = 0.15           # points: a gap this close to a space's width is a space
_EXACT = 0.05           # points: a gap this close to it is one for sure
_LINE = 2.0             # points: characters whose tops are this close are on one line
_MIN_INTERVAL = 15.0    # points between tab stops at least (word processors: 0.74 or 1.25 cm)
_MIN_LINES = 20         # fewer lines than this tell nothing about how a document was printed
_ALIGNED_SHARE = 0.95   # of the line starts, at the margin or on a tab stop
_TABBED_SHARE = 0.15    # of the lines, cut at tab stops (prints of the seeds: 0.2 to 0.7)

# a gap on a tab stop in a row of tabs that may be a tab or not, marked for the table around the row to
# decide (plain_print_tables.resolved); the likeliest tabs first
TAB_OR_HAIR = "\x1d"     # a hair: a tab that found its stop right there, or the rounding of positions
TAB_OR_SPACE = "\x1f"    # as wide as a space
TAB_OR_NONE = "\x1e"     # as wide as the suite's spacing between CJK and western text
MAY_BE_TABS = {TAB_OR_HAIR: "", TAB_OR_SPACE: " ", TAB_OR_NONE: ""}     # → what each is if not a tab

_OPENING = set("（《“‘「『【〔([")
_CLOSING = set("，。、；：？！）》”’」』】〕,.;:?!)]%")


@dataclass
class PrintedLine:
    page: int
    top: float
    chars: list[dict]
    trailing_space: bool = False        # a space printed after its last character: it wrapped at that space

    @property
    def x0(self) -> float:
        return self.chars[0]["x0"]

    @property
    def x1(self) -> float:
        return self.chars[-1]["x1"]


@dataclass
class Layout:
    margin: float
    right: float
    interval: float
    pitch: float
    top: float
    spaces: tuple[float, ...] = ()     # widths of a space (western, CJK)
    autospace: float | None = None     # the gap an office suite sets between CJK and western text
    prints_spaces: bool = False        # spaces are characters of the PDF: a line wrapped at one ends with it
    hair: float = _EXACT               # a gap narrower than this may be the rounding of positions, no tab

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


def printed_lines(pages) -> list[PrintedLine]:
    lines: list[PrintedLine] = []
    for number, page in enumerate(pages, start=1):
        if page.rects or page.lines or page.curves or page.images:
            return []                           # rules or pictures: printed from a layout, not a text file
        chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: (round(c["top"]), c["x0"]))
        start = len(lines)
        current: list[dict] = []
        for char in chars:
            if current and abs(char["top"] - current[0]["top"]) > _LINE:
                lines.append(PrintedLine(number, current[0]["top"], sorted(current, key=lambda c: c["x0"])))
                current = []
            current.append(char)
        if current:
            lines.append(PrintedLine(number, current[0]["top"], sorted(current, key=lambda c: c["x0"])))
        _mark_trailing_spaces(lines[start:], [c for c in page.chars if c["text"] == " "])
    return lines


def _mark_trailing_spaces(lines: list[PrintedLine], spaces: list[dict]) -> None:
    """Some suites print spaces as characters, a line's last one too (where it wrapped at a space)."""
    for space in spaces:
        line = min(lines, key=lambda line: abs(line.top - space["top"]), default=None)
        if line is not None and abs(line.top - space["top"]) <= _LINE and space["x0"] >= line.x1 - 0.5:
            line.trailing_space = True


def layout_of(lines: list[PrintedLine], pages) -> Layout | None:
    """Margin, tab interval, line pitch and space widths of a plain-text print; None if the lines are
    not printed at tab stops from one margin."""
    if len(lines) < _MIN_LINES:
        return None
    margin = margin_of(lines)
    indents = sorted(line.x0 - margin for line in lines if line.x0 - margin >= _MIN_INTERVAL)
    if not indents:
        return None
    interval = _refined(_tab_interval(lines, margin, indents[0]), indents)
    aligned = sum(1 for line in lines if _near_multiple(line.x0 - margin, interval))
    if aligned < _ALIGNED_SHARE * len(lines):
        return None
    pitch = _pitch([b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and b.top > a.top])
    if pitch is None:
        return None
    top = min(line.top for line in lines)
    layout = Layout(margin, float(pages[0].width) - margin, interval, pitch, top,
                    prints_spaces=any(line.trailing_space for line in lines))
    # spaces: the commonest gaps that do not end on a tab stop; a narrow one between CJK and western
    # characters is no space but the suite's spacing of the two scripts
    off_stop = Counter(round(b["x0"] - a["x1"], 1) for line in lines for a, b in zip(line.chars, line.chars[1:])
                       if b["x0"] - a["x1"] > 1 and layout.stop_of(b["x0"]) is None)
    common = [gap for gap, n in off_stop.most_common(4) if n >= 0.05 * sum(off_stop.values())]
    layout.spaces = tuple(sorted((g for g in common if g >= 4), reverse=True)[:2])
    layout.autospace = next((g for g in common if g < 4), None)
    layout.hair = _hair(lines, layout)
    tabbed = sum(1 for line in lines if any(is_tab(a, b, layout) for a, b in zip(line.chars, line.chars[1:])))
    return layout if tabbed >= _TABBED_SHARE * len(lines) else None


def _pitch(distances: list[float]) -> float | None:
    """The distance between lines: the commonest (positions round either way: 11.6 and 11.7 are one),
    or half of it where that is common too (a document with as many blank lines as lines)."""
    groups: list[list[float]] = []
    for distance in sorted(distances):
        if groups and distance - groups[-1][-1] <= 0.15:
            groups[-1].append(distance)
        else:
            groups.append([distance])
    if not groups:
        return None
    common = max(groups, key=len)
    pitch = sum(common) / len(common)
    half = [g for g in groups if abs(sum(g) / len(g) - pitch / 2) <= 0.03 * pitch and len(g) >= 0.2 * len(common)]
    return sum(half[0]) / len(half[0]) if half else pitch


def _hair(lines: list[PrintedLine], layout: Layout) -> float:
    """Positions are rounded: a font 6.02 wide leaves gaps of up to ~0.1 between characters that touch.
    Twice the widest such gap (all but the rarest), off the tab stops."""
    jitter = sorted(abs(b["x0"] - a["x1"]) for line in lines for a, b in zip(line.chars, line.chars[1:])
                    if abs(b["x0"] - a["x1"]) < 0.5 and layout.stop_of(b["x0"]) is None)
    return _EXACT + 2 * jitter[int(0.999 * len(jitter))] if jitter else _EXACT


def margin_of(lines: list[PrintedLine]) -> float:
    return Counter(round(line.x0, 1) for line in lines).most_common(1)[0][0]


def _tab_interval(lines: list[PrintedLine], margin: float, smallest_indent: float) -> float:
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


def is_tab(a: dict, b: dict, layout: Layout, in_tab_row: bool = False) -> bool:
    return tab_at(a, b, layout, in_tab_row) == "\t"


def tab_at(a: dict, b: dict, layout: Layout, in_tab_row: bool = False) -> str | None:
    """Whether the gap between two characters is a tab: "\t" if it ends on a tab stop and is no space
    (in a row with other tabs: unless exactly one space wide, for the font sets every space alike);
    None if it is no tab. In a row of tabs, a gap on a stop that may be either is TAB_OR_HAIR,
    TAB_OR_SPACE (“不得分。	≥350台”) or TAB_OR_NONE (the suite's spacing of CJK and western text:
    “合理性	3”), for the row's width to decide."""
    gap = b["x0"] - a["x1"]
    if gap <= 0.05 or layout.stop_of(b["x0"]) is None:
        return None
    if gap < layout.hair:
        return TAB_OR_HAIR if in_tab_row else None
    if layout.is_autospace(gap) and _across_scripts(a["text"], b["text"]):
        return TAB_OR_NONE if in_tab_row else None
    if not in_tab_row:
        return None if layout.is_space(gap) else "\t"
    return TAB_OR_SPACE if any(abs(gap - width) <= _EXACT for width in layout.spaces) else "\t"


def _across_scripts(a: str, b: str) -> bool:
    """A western letter or digit next to a CJK character (not “②年”: ② is no western digit)."""
    return a.isalnum() and b.isalnum() and a.isascii() != b.isascii()


def cells(line: PrintedLine, layout: Layout, tab_row: bool = False) -> str:
    """The line's text with its tabs: leading stops, then a tab per stop reached after a gap."""
    stop = layout.stop_of(line.x0)
    text = "\t" * stop if stop is not None else " " * _spaces_in(line.x0 - layout.margin, layout)
    tab_row = tab_row or _has_tabs(line, layout)
    for before, char in zip([None, *line.chars], line.chars):
        if before is not None:
            gap = char["x0"] - before["x1"]
            tab = tab_at(before, char, layout, tab_row) if not _in_math(text) else None
            if tab == "\t":
                text += "\t" * _tabs_between(before["x1"], char["x0"], layout)
            elif tab:
                text += tab
            elif gap > 1 and not layout.is_autospace(gap):
                text += " " * max(1, _spaces_in(gap, layout))
        text += char["text"]
    return text


def _in_math(text: str) -> bool:
    """Inside a LaTeX formula of the last cell (“$\\geq 40\\%$”): its spaces are no tabs."""
    cell = text.rsplit("\t", 1)[-1]
    after = cell.rsplit("$", 1)[-1][:1]
    return "$" in cell and after != "" and not after.isspace()     # the last $ opens one (marks are spaces)


def _tabs_between(x1: float, x0: float, layout: Layout) -> int:
    stop = layout.next_stop(x1 + 0.01)
    tabs = 1
    while stop < x0 - _ON_STOP:
        stop += layout.interval
        tabs += 1
    return tabs


def _spaces_in(gap: float, layout: Layout) -> int:
    width = min(layout.spaces, key=lambda w: min(abs(gap - n * w) for n in (1, 2, 3)), default=gap)
    return round(gap / width)


def stops_fitting(above: PrintedLine, line: PrintedLine, layout: Layout) -> int:
    """The stops after the end of `above` at which the first word of `line` would have fitted."""
    count, stop = 0, layout.next_stop(above.x1 + 0.01)
    while stop + first_word_width(line) <= layout.right + 0.05:
        count, stop = count + 1, stop + layout.interval
    return count


def stops_left(line: PrintedLine, layout: Layout) -> int:
    """Tab stops between the end of a line and the right margin."""
    count, stop = 0, layout.next_stop(line.x1 + 0.01)
    while stop <= layout.right + 0.05:
        count, stop = count + 1, stop + layout.interval
    return count


def one_word(line: PrintedLine) -> bool:
    """A line of one western word, with nowhere to wrap: cut where the margin fell, not at a space."""
    return all(latin(c) for c in line.chars) and all(b["x0"] - a["x1"] < 0.5 for a, b in zip(line.chars, line.chars[1:]))


def next_line(above: PrintedLine, line: PrintedLine, layout: Layout) -> bool:
    """The line right under `above`: no blank line between, or the first line of the next page."""
    if line.page == above.page:
        return line.top - above.top < 1.5 * layout.pitch
    return line.top - layout.top < 0.5 * layout.pitch


def _has_tabs(line: PrintedLine, layout: Layout) -> bool:
    return bool(layout.stop_of(line.x0)) or any(is_tab(a, b, layout) for a, b in zip(line.chars, line.chars[1:]))


def first_word_width(line: PrintedLine) -> float:
    """What had to move down together: a western word, or a CJK character with an opening bracket
    before it and the closing punctuation after it (neither may stand alone at a line's end / start)."""
    chars = line.chars
    end = 0
    if latin(chars[0]):
        while end + 1 < len(chars) and latin(chars[end + 1]) and chars[end + 1]["x0"] - chars[end]["x1"] < 0.5:
            end += 1
    elif chars[0]["text"] in _OPENING and len(chars) > 1:
        end = 1
    while end + 1 < len(chars) and chars[end + 1]["text"] in _CLOSING:
        end += 1
    while not latin(chars[0]) and end + 1 < len(chars) and latin(chars[end + 1]) \
            and chars[end + 1]["x0"] - chars[end]["x1"] < 0.5:
        end += 1                                # western text glued to the character goes with it
    return chars[end]["x1"] - chars[0]["x0"]


def latin(char: dict) -> bool:
    return char["text"].isascii()


def blank_lines_between(above: PrintedLine, line: PrintedLine, layout: Layout) -> int:
    if line.page != above.page:
        return max(0, round((line.top - layout.top) / layout.pitch))
    return max(0, round((line.top - above.top) / layout.pitch) - 1)
