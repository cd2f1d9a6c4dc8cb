"""Comparable keys for amounts: one from the figures that drew a PDF, one from the parser's records.

The figures name a column by its measure and a row by its code or item; the parser resolves the
same amount into landing dimensions. Both are reduced to (table kind, row identity, measure, amount).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from pipelines.normalise.records import AmountRecord

ROW_IDENTITY = ("function_code", "economic_code", "three_public_item", "line_item", "income_source")


def key_of_expected(row: dict) -> tuple:
    identity = next((row[k] for k in ROW_IDENTITY if row.get(k)), None)
    return (row["table_kind"], identity, row["measure"], Decimal(row["amount"]).quantize(Decimal("0.000001")))


def key_of_record(record: AmountRecord) -> tuple:
    return (record.table_kind, _identity(record), _measure(record), record.amount)


def _identity(record: AmountRecord) -> str | None:
    if record.table_kind in ("fa_summary", "fa_fiscal_summary") and record.fact_kind == "income":
        # source rows are document-level totals of one source; the figures name them by source
        if record.line_item == "total" and record.income_source not in ("total", "fiscal_appropriation"):
            return record.income_source
        return record.line_item or record.income_source
    return next((getattr(record, k) for k in ROW_IDENTITY if getattr(record, k)), None)


def _measure(record: AmountRecord) -> str:
    kind = record.table_kind
    if kind == "fa_income":
        return record.income_source
    if kind == "fa_fiscal_summary" and record.fact_kind == "expenditure_function":
        return "total" if record.fund_source == "fiscal_appropriation" else record.fund_source
    if kind in ("fa_government_fund", "fa_state_capital") and record.fact_kind == "income":
        return "income"
    if kind in ("fa_expenditure", "fa_general_budget_expenditure", "fa_government_fund", "fa_state_capital"):
        return record.expenditure_type
    return "amount"


# what an amount means, all of it: its table, row, column (measure, fund source) and unit; not where it stands
MEANING = (
    "table_kind",
    "source_table",
    "fact_kind",
    "function_code",
    "economic_code",
    "line_item",
    "income_source",
    "expenditure_type",
    "fund_source",
    "category",
    "three_public_item",
    "amount_basis",
    "unit_code",
    "amount",
)


def meanings(document) -> Counter:
    """The meaning of every amount a parsed document holds (a print and its export must agree)."""
    return Counter(tuple(getattr(a, field) for field in MEANING) for a in document.amounts if a.value_state == "value")
