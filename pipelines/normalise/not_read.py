"""Tables recognised by their title but not landed (shape ``not_read`` in layouts.yaml).

They are recognised so that their rows are never read as another table's (a 机关运行经费 table by
economic code would otherwise pass for a 支出预算表); their amounts are counted as not landed.
"""

from __future__ import annotations

from pipelines.normalise.records import AmountRecord, TableContext
from pipelines.recognise.headers import TableBody
from pipelines.recognise.layouts import Layout


def normalise_not_read(layout: Layout, body: TableBody, context: TableContext) -> list[AmountRecord]:
    if body.rows:
        context.warn("table_not_read", f"{context.source_table}: a {layout.kind} table is not landed yet", None)
    return []
