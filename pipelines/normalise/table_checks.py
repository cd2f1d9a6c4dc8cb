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

from pipelines.normalise.records import AmountRecord, Issue

_HALF_STEP = {"万元": Decimal("0.005"), "元": Decimal("0.00005")}  # in 万元, for 2 printed decimals


@dataclass(frozen=True)
class TableScore:
    failing: int  # hierarchy sums that do not hold, plus cells that are not amounts
    holding: int  # hierarchy sums that hold
    values: int  # amounts read

    def better_than(self, other: TableScore) -> bool:
        return (self.failing, -self.holding, -self.values) < (other.failing, -other.holding, -other.values)


def score_table(records: list[AmountRecord], issues: list[Issue]) -> TableScore:
    failing = sum(1 for issue in issues if issue.issue == "unparseable_amount")
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
