"""The records of the performance side of a document: projects, their funds, their indicators.

A project is one performance table (or the department as a whole); `project_seq` numbers them
within the document and links funding and indicator rows to their project. Personal data printed
in a project header (项目负责人, 联系电话) has no field here: it is never kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass
class ProjectRecord:
    project_seq: int
    table_id: int
    table_kind: str
    scope: str  # 'project' | 'department'
    source_table: str
    source_page: int | None
    source_row: int | None
    project_name: str | None
    department: str | None = None
    implementing_unit: str | None = None
    budget_code: str | None = None
    function_subject: str | None = None
    category: str | None = None
    continuity: str | None = None
    period: str | None = None
    goal_text: str | None = None
    goal_result_text: str | None = None
    nominal_total_weight: Decimal | None = None  # the template's total (绩效目标总分 100 分)
    printed_total_weight: Decimal | None = None
    printed_total_score: Decimal | None = None
    total_source_row: int | None = None
    grade: str | None = None


@dataclass
class FundingRecord:
    project_seq: int
    table_id: int
    source_table: str
    source_page: int | None
    source_row: int
    funding_line: str
    row_label: str
    raw_text: str
    budget_initial: Decimal | None = None
    budget_adjustment: Decimal | None = None
    budget_full_year: Decimal | None = None
    budget_period: Decimal | None = None
    disbursed: Decimal | None = None
    received: Decimal | None = None
    executed: Decimal | None = None
    balance: Decimal | None = None
    unit_balance: Decimal | None = None
    balance_rate: Decimal | None = None
    execution_rate: Decimal | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    printed_decimals: int | None = None


@dataclass
class IndicatorRecord:
    project_seq: int
    table_id: int
    source_table: str
    source_page: int | None
    source_row: int
    indicator_seq: int
    level1: str | None
    level2: str | None
    level3: str | None
    level1_weight: Decimal | None = None
    level2_weight: Decimal | None = None
    explanation: str | None = None
    criterion: str | None = None
    target_text: str | None = None
    actual_text: str | None = None
    period_target_text: str | None = None
    half_year_target_text: str | None = None
    full_year_target_text: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    deduction: Decimal | None = None
    deviation_note: str | None = None
    target_operator: str | None = None
    target_value: float | None = None
    target_unit: str | None = None
    actual_value: float | None = None
    actual_unit: str | None = None
    achieved: bool | None = None


@dataclass
class SubtotalRecord:
    """A first-level subtotal written in a report's text (“产出指标得 58 分（共 60 分）”), where it is
    printed: `heading` (the level's own heading) or `summary` (a closing sentence restating all levels)."""

    project_seq: int
    table_id: int
    source_table: str
    source_page: int | None
    source_row: int
    level1: str
    printed_in: str
    weight: Decimal | None = None
    score: Decimal | None = None
