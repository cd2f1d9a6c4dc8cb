"""The funds block of a performance table → funding records (one per funding line).

Columns come from the block's header rows (performance.yaml `funding_columns`), rows from their
label (`funding_lines`). Text exports drop empty cells, so a row may print fewer values than the
header names, or a “—” of a column the header does not name. The values are then placed by their
form: amounts and rates print decimals (600.00, 99.33), weights and scores are whole numbers or
“—”, and only the total line (年度资金总额) carries them. Of the placements that fit, the one that
drops the fewest “—”, puts the fewest “—” under amounts and leaves out the columns most often blank
(得分, then 分值, then 年初预算数) wins. A header that names 分值 but not 执行率 was cut by the export: 执行率 and 得分 follow 分值.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from itertools import chain, combinations

from pipelines.basics.amounts import PLACEHOLDERS
from pipelines.basics.text import compact
from pipelines.normalise.performance_records import FundingRecord
from pipelines.recognise.performance_tables import performance_spec

_TAIL_FIELDS = ("weight", "execution_rate", "score")
_BLANK_FIRST = ["score", "weight", "budget_initial", "budget_adjustment"]
PLACEHOLDER = "placeholder"


def number_of(text: str) -> Decimal | str | None:
    """A printed number (spaces inside it dropped, a trailing % ignored), PLACEHOLDER, or None."""
    value = re.sub(r"(?<=\d)[·•](?=\d)", ".", compact(text).replace(",", "")).rstrip("%")
    if value in PLACEHOLDERS:
        return PLACEHOLDER
    if not re.fullmatch(r"[+-]?\d+(\.\d*)?", value):  # “1970.”: an export that lost the decimals
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def funding_columns(texts: list[str]) -> list[str]:
    """The fields named by a funds header row, in order."""
    fields = []
    for text in texts:
        for rule in performance_spec()["funding_columns"]:
            if re.search(rule["match"], compact(text)):
                fields.append(rule["field"])
                if rule["field"] != "score" and compact(text).endswith("得分"):
                    fields.append("score")  # 执行率(%)得分: two header cells printed as one
                break
    return fields


def funding_line(texts: list[str]) -> tuple[int, str] | None:
    """Position of the row label and the funding line it names, if the row is a funding line."""
    for position, text in enumerate(texts):
        for rule in performance_spec()["funding_lines"]:
            if re.search(rule["match"], _label(text)):
                return position, rule["line"]
    return None


def _label(text: str) -> str:
    return re.sub(r"^[①②③④⑤⑥⑦⑧⑨\d]|^其中[:：]?", "", compact(text))


def read_funding_row(
    texts: list[str],
    fields: list[str],
    *,
    project_seq: int,
    table_id: int,
    source_table: str,
    page: int | None,
    row: int,
) -> FundingRecord | None:
    found = funding_line(texts)
    if found is None:
        return None
    position, line = found
    values = [(t, number_of(t)) for t in texts[position + 1 :]]
    values = [(t, v) for t, v in values if v is not None]
    fields = fields or ["budget_full_year"]
    if "weight" in fields and "execution_rate" not in fields and "score" not in fields:
        fields = fields + ["execution_rate", "score"]
    record = FundingRecord(
        project_seq, table_id, source_table, page, row, line, _label(texts[position]), " | ".join(t for t, _ in values)
    )
    decimals = []
    for field, (text, value) in _assign(fields, values, line):
        if value != PLACEHOLDER:
            setattr(record, field, value)
            if field not in _TAIL_FIELDS and field not in ("balance_rate",):
                decimals.append(_decimals(text))
    record.printed_decimals = max(decimals) if decimals else None
    return record if any(value != PLACEHOLDER for _, value in values) else None


def _assign(fields: list[str], values: list[tuple[str, object]], line: str) -> list[tuple[str, tuple[str, object]]]:
    placeholders = [i for i, (_, value) in enumerate(values) if value == PLACEHOLDER]
    surplus = max(0, len(values) - len(fields))
    best: tuple[tuple, list, list] | None = None
    for dropped in chain.from_iterable(combinations(placeholders, n) for n in range(surplus, len(placeholders) + 1)):
        kept_values = [v for i, v in enumerate(values) if i not in dropped]
        for kept in combinations(range(len(fields)), len(kept_values)):
            placed = [fields[i] for i in kept]
            left_out = [f for f in fields if f not in placed]
            misfits = sum(not _fits(field, text, value, line) for field, (text, value) in zip(placed, kept_values))
            dashed_amounts = sum(
                value == PLACEHOLDER and field not in _TAIL_FIELDS for field, (_, value) in zip(placed, kept_values)
            )
            rank = (
                misfits,
                len(dropped),
                dashed_amounts,
                sorted(_BLANK_FIRST.index(f) if f in _BLANK_FIRST else len(_BLANK_FIRST) for f in left_out),
            )
            if best is None or rank < best[0]:
                best = (rank, placed, kept_values)
    if best is None:  # more numbers than columns: the header's columns, in order
        return list(zip(fields, values))
    return list(zip(best[1], best[2]))


def _fits(field: str, text: str, value: object, line: str) -> bool:
    """Weights and scores are whole numbers or “—”, numbers on the total line only; amounts and rates
    print decimals; any column may print “—”."""
    if value == PLACEHOLDER:
        return True
    decimals = "." in compact(text)
    if field in ("weight", "score") and line != "total":
        return False
    if field == "weight":
        return not decimals
    if field == "score":
        return True
    return decimals


def _decimals(text: str) -> int:
    number = compact(text).rstrip("%")
    return len(number) - number.index(".") - 1 if "." in number else 0
