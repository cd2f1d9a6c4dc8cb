"""The records a parsed document is made of: one per landed amount, table and issue."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from pipelines.basics.amounts import parse_amount, to_wanyuan
from pipelines.basics.text import clean_label
from pipelines.read.model import Cell

DIMENSIONS = (
    "fact_kind",
    "function_code",
    "function_name",
    "economic_code",
    "economic_name",
    "line_item",
    "income_source",
    "expenditure_type",
    "fund_source",
    "category",
    "three_public_item",
    "amount_basis",
    "unit_code",
    "unit_name",
)


@dataclass
class AmountRecord:
    table_id: int
    table_kind: str
    source_table: str
    source_page: int | None
    source_row: int
    source_column: int
    row_label: str
    column_label: str
    raw_text: str
    amount: Decimal | None
    value_state: str
    printed_decimals: int | None
    printed_unit: str
    bbox: str | None
    extraction_method: str = (
        "pdf_ruled"  # how its grid was read (Grid.method): pdf_ruled, pdf_aligned, ocr, text_export
    )
    fact_kind: str | None = None
    function_code: str | None = None
    function_name: str | None = None
    economic_code: str | None = None
    economic_name: str | None = None
    line_item: str | None = None
    income_source: str | None = None
    expenditure_type: str | None = None
    fund_source: str | None = None
    category: str | None = None
    three_public_item: str | None = None
    amount_basis: str = "actual"
    unit_code: str | None = None
    unit_name: str | None = None

    def as_row(self) -> dict:
        return asdict(self)


UNNAMED_COLUMN = "unlabelled_column"
SUB_MEASURE_NOT_LANDED = "sub_measure_not_landed"
_SUB_MEASURE = re.compile(r"^其中")


@dataclass
class Issue:
    severity: str  # 'error' | 'warning' | 'info'
    issue: str  # short key
    message: str
    table_id: int | None = None
    source_page: int | None = None


@dataclass
class TableContext:
    """What every amount of one table shares."""

    table_id: int
    table_kind: str
    source_table: str
    printed_unit: str
    issues: list[Issue] = field(default_factory=list)

    def warn(self, issue: str, message: str, page: int | None = None, severity: str = "warning") -> None:
        self.issues.append(Issue(severity, issue, message, self.table_id, page))

    def not_placed(self, text: str, row: int, page: int | None, column_label: str) -> None:
        """An amount that no measure of the layout takes. Under a 其中 column it is a part of its
        group that the warehouse does not hold (said once per column); anywhere else the header does
        not name its column, and the table is not landed (`UNNAMED_COLUMN`)."""
        if parse_amount(text).state != "value":
            return
        last = column_label.rsplit("/", 1)[-1]
        if _SUB_MEASURE.match(last):
            message = f"{self.source_table}: column '{column_label}' is a part of its group, not landed"
            if not any(i.issue == SUB_MEASURE_NOT_LANDED and i.message == message for i in self.issues):
                self.warn(SUB_MEASURE_NOT_LANDED, message, page, "info")
            return
        self.warn(UNNAMED_COLUMN, f"{self.source_table} row {row}: amount '{text}' under no known column", page)

    def amount(
        self, cell: Cell, *, page: int | None, row: int, column: int, row_label: str, column_label: str, dims: dict
    ) -> AmountRecord | None:
        """An amount record for a cell; None for a blank cell, an issue for an unreadable one."""
        parsed = parse_amount(cell.text)
        if parsed.state == "blank":
            return None
        if parsed.state == "unparseable":
            self.warn(
                "unparseable_amount",
                f"{self.source_table} row {row} ({row_label}) column {column_label}: '{cell.text}' is not an amount",
                page,
                "error",
            )
            return None
        value = to_wanyuan(parsed.value, self.printed_unit) if parsed.value is not None else None
        known = {k: v for k, v in dims.items() if k in DIMENSIONS and v is not None}
        return AmountRecord(
            table_id=self.table_id,
            table_kind=self.table_kind,
            source_table=self.source_table,
            source_page=cell.page if cell.page is not None else page,
            source_row=row,
            source_column=column + 1,
            row_label=clean_label(row_label),
            column_label=column_label,
            raw_text=cell.text.strip(),
            amount=value,
            value_state=parsed.state,
            printed_decimals=_decimals(cell.text) if value is not None else None,
            printed_unit=self.printed_unit,
            bbox=",".join(f"{v:g}" for v in cell.bbox) if cell.bbox else None,
            **known,
        )


def _decimals(text: str) -> int:
    """Digits printed after the decimal point: the precision a total was rounded to."""
    number = text.strip().rstrip(")）")
    return len(number) - number.rindex(".") - 1 if "." in number else 0
