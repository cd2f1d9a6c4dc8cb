"""The funds block of a performance table → funding records (one per funding line).

Columns come from the block's header rows (performance.yaml `funding_columns`), rows from their
label (`funding_lines`). Text exports drop empty cells, so a row may print fewer values than the
header names: the weight column (分值, printed “—” on every line but the total) anchors the values,
the amounts before it are right-aligned (the first, 年初预算数, is the one left blank) and the rates
and scores after it left-aligned.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pipelines.normalise.amounts import PLACEHOLDERS
from pipelines.normalise.performance_records import FundingRecord
from pipelines.read.text import compact
from pipelines.recognise.performance_tables import performance_spec

_TAIL_FIELDS = ("weight", "execution_rate", "score")
PLACEHOLDER = "placeholder"


def number_of(text: str) -> Decimal | str | None:
    """A printed number (spaces inside it dropped, a trailing % ignored), PLACEHOLDER, or None."""
    value = compact(text).replace(",", "").rstrip("%")
    if value in PLACEHOLDERS:
        return PLACEHOLDER
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", value):
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


def read_funding_row(texts: list[str], fields: list[str], *, project_seq: int, table_id: int, source_table: str,
                     page: int | None, row: int) -> FundingRecord | None:
    found = funding_line(texts)
    if found is None:
        return None
    position, line = found
    values = [(t, number_of(t)) for t in texts[position + 1:]]
    values = [(t, v) for t, v in values if v is not None]
    fields = fields or ["budget_full_year"]
    record = FundingRecord(project_seq, table_id, source_table, page, row, line, _label(texts[position]),
                           " | ".join(t for t, _ in values))
    decimals = []
    for field, (text, value) in _assign(fields, values):
        if value != PLACEHOLDER:
            setattr(record, field, value)
            if field not in _TAIL_FIELDS and field not in ("balance_rate",):
                decimals.append(_decimals(text))
    record.printed_decimals = max(decimals) if decimals else None
    return record


def _assign(fields: list[str], values: list[tuple[str, object]]) -> list[tuple[str, tuple[str, object]]]:
    if len(values) >= len(fields) or "weight" not in fields:
        return list(zip(fields, values))
    split = fields.index("weight")
    head, tail = fields[:split], fields[split:]
    anchor = next((i for i, (_, v) in enumerate(values) if v == PLACEHOLDER), None)
    if anchor is None:
        anchor = max(0, len(values) - len(tail))
    before, after = values[:anchor], values[anchor:]
    return list(zip(head[len(head) - len(before):], before)) + list(zip(tail, after))


def _decimals(text: str) -> int:
    number = compact(text).rstrip("%")
    return len(number) - number.index(".") - 1 if "." in number else 0
