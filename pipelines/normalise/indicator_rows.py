"""What one indicator row prints: an indicator (its level labels and values), pieces of the row
above, or nothing. Decided from the row and what has been read above it, without reading it into
anything: IndicatorReader does that.

Values are taken from the right of the printed cells (score, weight, actual, target …) and what is
left are labels: column positions are not trusted, because text exports drop empty cells and
office suites print such exports with cells shifted, or split one cell into several.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.basics.text import compact
from pipelines.normalise.indicator_cells import (
    DESCRIPTION_FIELDS,
    LEVEL_FIELDS,
    RULE_LINE,
    is_frame,
    is_number,
    joined_descriptions,
    labels_then_descriptions,
    level_name,
    score_cell_dropped,
    score_left_blank,
)
from pipelines.normalise.performance_records import IndicatorRecord
from pipelines.recognise.performance_tables import performance_spec

_SCORE_AND_NOTE = re.compile(r"^(\d+(?:\.\d+)?)\s+([^\d\s].*)$")


@dataclass(frozen=True)
class IndicatorCells:
    """A row that prints an indicator, or only the levels of an empty template line.

    `labels` are the 一级, 二级 and 三级 labels the row prints, None where it prints none (the
    level is carried from above); `values` are the value columns by field name.
    """

    labels: list[str | None]
    values: dict[str, str]


@dataclass(frozen=True)
class Fragments:
    """Cells that end the cells of the row above (split by a page break, or wrapped), and the end
    of its 偏差原因 where the row prints one."""

    texts: list[str]
    note: str | None = None


def completes_levels(previous: IndicatorRecord | None, texts: list[str]) -> bool:
    """Every printed cell ends a level name of the previous record (“效益” + “指标”)."""
    vocabulary = performance_spec()["level_names"]
    fragments = [compact(t) for t in texts if t]
    return (
        previous is not None
        and bool(fragments)
        and all(
            any(getattr(previous, n) and getattr(previous, n) + f in vocabulary for n in LEVEL_FIELDS[:2])
            for f in fragments
        )
    )


def classify_indicator_row(
    texts: list[str],
    fields: list[str],
    spans: list | None,
    carried_level1: str | None,
    previous: IndicatorRecord | None,
) -> IndicatorCells | Fragments | None:
    """The row's indicator cells, the fragments it holds of the row above, or None (frames only).

    `fields` are the value columns the header named, `spans` the row's cells on a PDF page,
    `carried_level1` the first level of the rows above and `previous` the last record read.
    """
    tokens = [t for t in texts if t and not RULE_LINE.match(compact(t))]
    if completes_levels(previous, tokens):
        return Fragments(tokens)  # “指标” under “效益” / “社会效益”: not a frame label
    while tokens and is_frame(tokens[0]):
        tokens.pop(0)
    if not tokens:
        return None
    if "score" in fields:
        return _scored_row(tokens, list(fields), texts, spans, carried_level1)
    ordinal = next((i for i, t in enumerate(tokens) if re.match(performance_spec()["ordinal_label"], compact(t))), None)
    if ordinal is not None:
        return _numbered_target_row(tokens, ordinal, fields, carried_level1)
    labels = tokens[: max(1, len(tokens) - len(fields))]
    return _placed_labels(labels, dict(zip(fields, tokens[len(labels) :])), carried_level1)


def _scored_row(
    tokens: list[str], fields: list[str], texts: list[str], spans: list | None, carried_level1: str | None
) -> IndicatorCells | Fragments:
    """A row of a self-evaluation: its last numbers are weight and score (a note may follow them);
    a row that does not end so holds pieces of the row above."""
    values: dict[str, str] = {}
    glued = _SCORE_AND_NOTE.match(tokens[-1])
    if glued and len(tokens) >= 2 and is_number(tokens[-2]):
        tokens[-1:] = [glued.group(1), glued.group(2)]  # “2.5 省领导…”: score and note in one cell
    if len(tokens) >= 2 and not is_number(tokens[-1]) and is_number(tokens[-2]):
        values["deviation_note"] = tokens.pop()
        if score_left_blank(texts, spans):
            fields = fields[: fields.index("score")]
            tokens.append("")
    if len(tokens) < 2 or not (is_number(tokens[-1]) or not tokens[-1]) or not is_number(tokens[-2]):
        return Fragments(tokens, values.get("deviation_note"))
    if not tokens[-1]:
        tokens.pop()  # the blank score cell
    described = [f for f in fields if f in DESCRIPTION_FIELDS]
    if score_cell_dropped(tokens, fields[len(described) :]):
        fields = [f for f in fields if f != "score"]
    for name in reversed(fields[len(described) :] if described else fields):
        if len(tokens) <= 1:
            break
        values[name] = tokens.pop()
    labels = tokens
    if described:
        labels, descriptions = labels_then_descriptions(tokens)
        values.update(joined_descriptions(described, descriptions))
    return _placed_labels(labels, values, carried_level1)


def _numbered_target_row(
    tokens: list[str], ordinal: int, fields: list[str], carried_level1: str | None
) -> IndicatorCells:
    """A budget target row: levels, 目标N, the indicator and its targets."""
    labels, rest = tokens[:ordinal], tokens[ordinal + 1 :]
    labels = [t for t in labels if not is_frame(t)][-2:]
    if not rest:  # an empty template line: only its levels count
        return IndicatorCells([None] * (2 - len(labels)) + labels + [None], {})
    labels.append(rest[0])
    return _placed_labels(labels, dict(zip(fields, rest[1:])), carried_level1)


def _placed_labels(labels: list[str], values: dict[str, str], carried_level1: str | None) -> IndicatorCells:
    """The labels printed, placed at their levels: the lowest printed is the indicator."""
    labels = [t for t in labels if not is_frame(t)][-3:]
    if len(labels) == 2 and level_name(labels[0])[0] in performance_spec()["first_level_names"]:
        # a first level and the indicator, no second level printed
        same_block = level_name(labels[0])[0] == carried_level1
        return IndicatorCells(([None, None] if same_block else [labels[0], None]) + labels[1:], values)
    return IndicatorCells([None] * (3 - len(labels)) + labels, values)
