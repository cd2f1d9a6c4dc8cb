"""Words → text lines, and which lines are data: the first step of reading a table printed without rules.

Characters spread across a cell are joined, an amount printed flush against the next column's code
is cut off, and the wrapped lines of one cell are told from separate rows by their pitch. A data
line begins with an amount, a code, an ordinal or a total (`is_data_line`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.basics.amounts import parse_amount
from pipelines.basics.vocabulary import CLASSIFICATION_CODE, NAMED_TOTAL

_GLUED = re.compile(r"^(-?\d[\d,]*\.\d{2})(\d{3,}.*|[\u4e00-\u9fff].*)$")
_SPREAD = 1.6  # gap between spread-out characters, in character heights
_UNEVEN_GAP = 0.5  # character heights wider than the narrowest gap of a spread-out run: a cell edge
_CELL_LINE_GAP = 0.6  # of the usual gap between rows: a closer line is a wrapped line of the same row
_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、．]\s*\D|[(（][一二三四五六七八九十\d]+[)）])")


@dataclass
class Line:
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


def split_glued(word: dict) -> list[dict]:
    """An amount printed flush against the next column's code or name (“358.84302” = 358.84 | 302,
    “709.66一、一般公共服务支出” = 709.66 | 一、…: a word processor's cells without padding)."""
    glued = _GLUED.match(word["text"])
    chars = word.get("chars") or []
    if not glued or len(chars) != len(word["text"]):
        return [word]
    cut = len(glued.group(1))
    left, right = chars[:cut], chars[cut:]
    return [dict(word, text=glued.group(1), x1=left[-1]["x1"]), dict(word, text=glued.group(2), x0=right[0]["x0"])]


def join_spaced_out(words: list[dict]) -> list[dict]:
    """Characters spread across a cell (justified CJK: “因 公 出 国 ( 境 ) 费 用”) are one word."""
    runs: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and _single(word)
            and _single(last)
            and abs(word["top"] - last["top"]) <= 1
            and 0 <= word["x0"] - last["x1"] <= _SPREAD * (word["bottom"] - word["top"])
        ):
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
    return dict(
        part[0], text="".join(w["text"] for w in part), x1=part[-1]["x1"], bottom=max(w["bottom"] for w in part)
    )


def _single(word: dict) -> bool:
    return len(word["text"]) == 1 and not word["text"].isdigit()


def lines_of(words: list[dict]) -> list[Line]:
    """Words whose heights overlap are one line: a cell wrapped onto two lines and a one-line
    cell centred beside it (name | code, amount) chain into one row."""
    lines: list[Line] = []
    bottom = float("-inf")
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and word["top"] < bottom - 1:
            lines[-1].words.append(word)
            bottom = max(bottom, word["bottom"])
        else:
            lines.append(Line([word]))
            bottom = word["bottom"]
    return lines


def wrapped_lines_joined(lines: list[Line]) -> list[Line]:
    """Body lines closer together than rows are, one with amounts and one without: the wrapped lines
    of one row's cells. A word processor centres one-line cells beside a cell of three lines, so the
    first line of a wrapped name stands alone above its row's amounts; it is joined to that row, not
    to the row above. (Two lines of amounts are two rows; two lines of text alone may be a header.)"""
    gaps = sorted(b.top - a.bottom for a, b in zip(lines, lines[1:]))
    if len(gaps) < 3:
        return lines
    row_gap = gaps[3 * len(gaps) // 4]  # most gaps are between rows, not inside them
    joined = [lines[0]]
    for line in lines[1:]:
        close = line.top - joined[-1].bottom < _CELL_LINE_GAP * row_gap
        if close and _has_amounts(line) != _has_amounts(joined[-1]):  # a row's amounts and its name's other lines
            joined[-1] = Line(joined[-1].words + line.words)
        else:
            joined.append(line)
    return joined


def _has_amounts(line: Line) -> bool:
    return any(is_amount(w["text"]) and parse_amount(w["text"]).state in ("value", "placeholder") for w in line.words)


def line_pitch(lines: list[Line]) -> float:
    gaps = sorted(b.top - a.top for a, b in zip(lines, lines[1:]) if b.top > a.top)
    return gaps[len(gaps) // 2] if gaps else 12.0


def is_amount(text: str) -> bool:
    """A printed amount (with decimals or thousands separators) or a placeholder (—, 无)."""
    parsed = parse_amount(text)
    return parsed.state == "placeholder" or (parsed.state == "value" and ("." in text or "," in text))


def is_whole(text: str) -> bool:
    """A whole number printed without decimals (a spreadsheet's General format: 0, 200)."""
    return text.isdigit() and len(text) <= 12


def amounts_only(line: Line) -> bool:
    return all(is_amount(w["text"]) for w in line.words)


def is_data_line(line: Line) -> bool:
    """A line that is a table row rather than header: an amount, or a code, ordinal or 合计 first."""
    ordered = sorted(line.words, key=lambda w: w["x0"])
    if any(is_amount(w["text"]) and parse_amount(w["text"]).state == "value" for w in ordered):
        return True
    if CLASSIFICATION_CODE.match(ordered[0]["text"]) or _ORDINAL.match(ordered[0]["text"]):
        return True
    if NAMED_TOTAL.match(ordered[0]["text"]) and all(
        parse_amount(w["text"]).state != "unparseable" for w in ordered[1:]
    ):
        return True  # 合计 alone, or with amounts printed without decimals
    return len(ordered) >= 2 and any(parse_amount(w["text"]).state == "placeholder" for w in ordered)
