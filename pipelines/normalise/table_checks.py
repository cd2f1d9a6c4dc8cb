"""How well a table's amounts hold together, computed in Python right after normalising.

The reading strategy (rules or text alignment) is chosen per page from what the page contains; this
score says whether the choice worked. A wrong grid shows as amounts that no longer add up (a column
read into its neighbour, a cell cut in two) or as cells that are not amounts at all. The same
hierarchy checks as the warehouse's reconciliation, on one table: in every column, each 类 = Σ 款
and 款 = Σ 项 (function codes), each 301 = Σ 301xx (economic codes), within the printing precision.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from pipelines.normalise.records import UNNAMED_COLUMN, AmountRecord, Issue

_HALF_STEP = {"万元": Decimal("0.005"), "元": Decimal("0.00005")}  # in 万元, for 2 printed decimals


@dataclass(frozen=True)
class TableScore:
    failing: int  # hierarchy sums that do not hold, plus cells that are not amounts
    holding: int  # hierarchy sums that hold
    values: int  # amounts read

    def better_than(self, other: TableScore) -> bool:
        return (self.failing, -self.holding, -self.values) < (other.failing, -other.holding, -other.values)


def score_table(records: list[AmountRecord], issues: list[Issue]) -> TableScore:
    # cells that are not amounts, and amounts under a column the header does not name
    failing = sum(1 for issue in issues if issue.issue in ("unparseable_amount", UNNAMED_COLUMN))
    holding = 0
    for ok in _hierarchy_checks(records):
        holding += ok
        failing += not ok
    return TableScore(failing, holding, sum(1 for r in records if r.value_state == "value"))


def _hierarchy_checks(records: list[AmountRecord]):
    """True / False for each parent code whose children are printed in the same column."""
    columns: dict[tuple, dict[str, list[AmountRecord]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        code = record.function_code or record.economic_code
        if record.value_state == "value" and code:
            columns[(record.source_column, record.category)][code].append(record)
    for by_code in columns.values():
        for code, parents in by_code.items():
            children = [
                r
                for child, found in by_code.items()
                if len(child) == len(code) + 2 and child.startswith(code)
                for r in found
            ]
            if len(parents) != 1 or not children:
                continue
            total = sum(r.amount for r in children)
            tolerance = (len(children) + 1) * max(_HALF_STEP.get(r.printed_unit, Decimal("0.005")) for r in children)
            yield abs(total - parents[0].amount) <= tolerance


# A measure whose column prints the sum of these others (a row identity of the templates): a row
# whose first amount adds up its others is then read right.
_PARTS_OF = {
    "basic": {"personnel", "public", "personal_welfare_subsidy", "recurrent_subsidy_to_institutions"},
    "project": {"recurring_special_business", "department_special_funds", "earmarked_special"},
    "fiscal_appropriation": {"general_public_budget", "government_fund", "state_capital"},
}
_TOTALS = {"total", "grand_total"}


def rows_missing_their_total(records: list[AmountRecord]) -> list[int]:
    """Rows whose first amount is the sum of the others although the header names no total for
    it: the header lost its total column (合计 / 本年收入合计 cut off or merged away), and every amount
    has taken the measure of the column to its right. Only rows of three amounts or more count."""
    rows: dict[tuple, list[AmountRecord]] = defaultdict(list)
    for record in records:
        if record.value_state == "value" and record.fact_kind in ("income", "expenditure_function"):
            rows[(record.source_page, record.source_row)].append(record)
    found = []
    for (_, number), printed in rows.items():
        printed.sort(key=lambda r: r.source_column)
        measures = [r.expenditure_type if r.fact_kind == "expenditure_function" else r.income_source for r in printed]
        if len(printed) < 3 or _TOTALS & set(measures) or set(measures[1:]) <= _PARTS_OF.get(measures[0], set()):
            continue
        rest = sum(r.amount for r in printed[1:])
        tolerance = len(printed) * max(_HALF_STEP.get(r.printed_unit, Decimal("0.005")) for r in printed)
        if printed[0].amount != 0 and abs(printed[0].amount - rest) <= tolerance:
            found.append(number)
    return sorted(found)
