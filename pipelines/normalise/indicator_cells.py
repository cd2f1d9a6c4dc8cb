"""What the cells of an indicator row hold: the header's value columns, frame labels, numbers,
level names with their printed subtotal, description pieces, and the marks an export leaves
(a score cell dropped, a score's last decimal wrapped onto the next line, a line of dashes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from pipelines.basics.text import compact
from pipelines.normalise.performance_records import IndicatorRecord
from pipelines.normalise.project_funding import number_of
from pipelines.normalise.targets import achieved, parse_target, plain_text
from pipelines.recognise.performance_tables import PerformanceKind, performance_spec

LEVEL_FIELDS = ("level1", "level2", "level3")
DESCRIPTION_FIELDS = ("explanation", "criterion")
TEXT_FIELDS = ("explanation", "criterion", "target_text", "actual_text")
_LEVEL_WEIGHT = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]$")
RULE_LINE = re.compile(r"^[-—_=–]{3,}$")  # a line of dashes some exports end a table with


@dataclass
class IndicatorColumns:
    """What the indicator header names: the value fields, in order."""

    values: list[str]
    defaulted: bool = False  # the header named no value column (yet): the template's columns
    named: tuple[str, ...] = ()  # the value columns its rows named, before any template's


def indicator_columns(
    texts: list[str], kind: PerformanceKind, extend: IndicatorColumns | None = None
) -> IndicatorColumns:
    """The value columns a header row names; with `extend`, those of the header rows above it too (a
    header printed over two rows: “…指标解释 / 评分标准 / 绩效目标值” then “实际完成值 / 指标分值 / 自评得分”)."""
    fields = [f for t in texts if t for f in _column_fields(t)]
    named = [f for f in fields if f not in LEVEL_FIELDS and f != "deviation_note"]
    if extend is not None:
        named = list(extend.named) + [f for f in named if f not in extend.named]
    values = list(named)
    defaulted = not values
    if defaulted:
        values = list(kind.default_fields)
    elif kind.shape == "columns" and "score" in kind.default_fields:
        if not {"weight", "score"} <= set(values):
            values = list(kind.default_fields)  # a header cut into fragments (实际 / 指标 / 自评)
    elif kind.default_fields:
        order = list(kind.default_fields)
        values = sorted(dict.fromkeys(values), key=lambda f: order.index(f) if f in order else len(order))
    return IndicatorColumns(values, defaulted, tuple(named))


def is_header_continuation(texts: list[str]) -> bool:
    printed = [t for t in texts if t]
    return bool(printed) and all(
        _column_fields(t) or is_frame(t) or compact(t) in ("当年度目标", "实施期目标") for t in printed
    )


def _column_fields(text: str) -> list[str]:
    """The fields a header cell names: one, or several header cells printed as one
    (“实施期目标绩效目标值”, “当年度目标绩效标准半年目标值”), in their order."""
    single = _column_field(text)
    if single:
        return [single]
    label = compact(text)
    found = []
    for rule in performance_spec()["indicator_columns"]:
        bare = rule["match"].strip("^$")
        if rule["field"] and "|" not in bare:
            found += [(m.start(), rule["field"]) for m in re.finditer(bare, label)]
    return list(dict.fromkeys(f for _, f in sorted(found)))


def _column_field(text: str) -> str | None:
    for rule in performance_spec()["indicator_columns"]:
        if re.search(rule["match"], compact(text)):
            return rule["field"]
    return None


def is_frame(text: str) -> bool:
    return compact(text) in performance_spec()["frame_labels"]


def score_left_blank(texts: list[str], spans: list | None = None) -> bool:
    """A deviation note after an empty cell after two numbers (actual, weight): the score was left blank.

    Three numbers before the gap are actual, weight and score: the gap is then only a stray cell.
    On a PDF page a position covered by the cell before it (a column ruled only in another table
    of the page) is no cell.
    """
    if spans is not None and len(spans) == len(texts):
        texts = [t for i, t in enumerate(texts) if i == 0 or spans[i] is None or spans[i] != spans[i - 1]]
    printed = [i for i, t in enumerate(texts) if t]
    if len(printed) < 3:
        return False
    note, before = printed[-1], printed[-2]
    numbers = 0
    for index in reversed(printed[:-1]):
        if not is_number(texts[index]):
            break
        numbers += 1
    return note - before == 2 and numbers == 2


def is_number(text: str) -> bool:
    return isinstance(number_of(text), Decimal)


def is_placed(texts: list[str], spans: list | None) -> bool:
    return spans is not None and len(spans) == len(texts) and all(c is not None for t, c in zip(texts, spans) if t)


def score_cell_dropped(tokens: list[str], value_fields: list[str]) -> bool:
    """A row whose score cell the export dropped: the cell read as 实际完成值 holds a target (“≤9.9万元”)
    and the one read as 年度指标值 the indicator's name."""
    if not {"target_text", "actual_text", "score"} <= set(value_fields):
        return False
    from_right = len(value_fields) - value_fields.index("actual_text")
    if len(tokens) <= from_right:
        return False
    as_actual, as_target = parse_target(tokens[-from_right]), parse_target(tokens[-from_right - 1])
    return as_actual.operator is not None and as_target.operator is None and as_target.value is None


def wraps_score(record: IndicatorRecord, digits: str) -> bool:
    """“4” under a score printed “4.9”: the last decimal of 4.94, wrapped onto the next line."""
    if not digits.isdigit() or record.score is None or "." not in str(record.score):
        return False
    if len(str(record.score).partition(".")[2] + digits) > 2:
        return False  # scores print at most two decimals
    return record.weight is None or Decimal(f"{record.score}{digits}") <= record.weight


def labels_then_descriptions(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Level names, then the indicator's name, then its description cells (指标解释, 评分标准), which
    an office suite may print split into several cells."""
    vocabulary = performance_spec()["level_names"]
    index = 0
    while (
        index < len(tokens) - 1
        and index < 2
        and (level_name(tokens[index])[0] in vocabulary or level_name(tokens[index])[0].endswith("指标"))
    ):
        index += 1
    return tokens[: index + 1], tokens[index + 1 :]


def joined_descriptions(fields: list[str], pieces: list[str]) -> dict[str, str]:
    """Description pieces onto their fields: one each from the left, the rest joined to the last."""
    if not pieces:
        return {}
    head = dict(zip(fields[:-1], pieces[: len(fields) - 1]))
    tail = pieces[len(fields) - 1 :]
    if tail:
        head[fields[len(head)]] = "".join(tail)
    return head


def parse_targets_of(record: IndicatorRecord) -> None:
    target, actual = parse_target(record.target_text), parse_target(record.actual_text)
    record.target_operator, record.target_value, record.target_unit = target.operator, target.value, target.unit
    record.actual_value, record.actual_unit, record.achieved = actual.value, actual.unit, achieved(target, actual)


def level_name(label: str) -> tuple[str, Decimal | None]:
    """'产出指标(50分)' → ('产出指标', 50); names split one character per line are joined."""
    text = compact(plain_text(label))
    weight = _LEVEL_WEIGHT.search(text)
    if weight:
        return text[: weight.start()], Decimal(weight.group(1))
    return text, None


def decimal_of(text: str | None) -> Decimal | None:
    value = number_of(text or "")
    return value if isinstance(value, Decimal) else None
