"""Printed targets and actuals (“≥1场”, “=100%”, “≤ 200 万元”, “$\\geq 85\\%$”, “不低于90%”) →
operator, number and unit; qualitative text keeps only its text (number None).

An indicator is achieved when actual and target are both numbers, an operator is printed and the
units agree. A bare actual number (the 实际完成值 column usually prints no unit) is read in the
target's unit; an actual printed with a different unit is not compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.basics.text import normalise

_LATEX = [
    (re.compile(r"\\geqslant|\\geq|\\ge(?![a-z])"), "≥"),
    (re.compile(r"\\leqslant|\\leq|\\le(?![a-z])"), "≤"),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\\times"), "×"),
    (re.compile(r"\\text\{([^}]*)\}|\\mathrm\{([^}]*)\}"), r"\1\2"),
    (re.compile(r"[${}]"), ""),
]
# Longest words first: 大于等于 must not be read as 大于.
_OPERATORS = [
    (">=", r"≥|>=|=>|大于或等于|大于等于|不低于|不少于|不小于|至少"),
    ("<=", r"≤|<=|=<|小于或等于|小于等于|不高于|不超过|不多于|不大于|至多|控制在"),
    (">", r">|大于|超过|高于|多于"),
    ("<", r"<|小于|低于|少于"),
    ("=", r"=|＝|等于|达到"),
]
_SUFFIX_OPERATORS = [(">=", r"(?:及)?以上$"), ("<=", r"(?:及)?以(?:内|下)$")]
_NUMBER = r"(?P<number>[+-]?\d+(?:\.\d+)?)"
_TARGET = re.compile(
    rf"^(?P<prefix>[^\d≥≤<>=]{{0,16}}?)\s*(?P<operator>{'|'.join(p for _, p in _OPERATORS)})?\s*{_NUMBER}\s*"
    r"(?P<unit>[^\d\s]{0,8}?)\s*(?P<suffix>(?:及)?以(?:上|内|下))?$"
)
_WORD_OPERATOR = {pattern: op for op, pattern in _OPERATORS}


@dataclass(frozen=True)
class Target:
    operator: str | None
    value: float | None
    unit: str | None


def plain_text(text: str | None) -> str:
    """Printed text with LaTeX operators as symbols and every space between digits removed."""
    text = normalise(text or "").strip()
    for pattern, replacement in _LATEX:
        text = pattern.sub(replacement, text)
    text = re.sub(r"(?<=\d)\s+(?=[\d.])|(?<=\.)\s+(?=\d)", "", text)
    return " ".join(text.split())


def parse_target(text: str | None) -> Target:
    clean = plain_text(text)
    match = _TARGET.match(clean)
    if not clean or not match or re.search(r"\d", match.group("unit") or ""):
        return Target(None, None, None)
    operator = _operator_of(match.group("operator"))
    suffix = match.group("suffix")
    if suffix:
        operator = (
            operator if operator not in (None, "=") else next(op for op, p in _SUFFIX_OPERATORS if re.search(p, suffix))
        )
    unit = (match.group("unit") or "").strip() or None
    return Target(operator, float(match.group("number")), unit)


def _operator_of(word: str | None) -> str | None:
    if not word:
        return None
    for op, pattern in _OPERATORS:
        if re.fullmatch(pattern, word):
            return op
    return None


def achieved(target: Target, actual: Target) -> bool | None:
    if target.value is None or actual.value is None or target.operator is None:
        return None
    if actual.unit is not None and target.unit is not None and actual.unit != target.unit:
        return None
    value, goal = actual.value, target.value
    return {">=": value >= goal, "<=": value <= goal, ">": value > goal, "<": value < goal, "=": value == goal}[
        target.operator
    ]
