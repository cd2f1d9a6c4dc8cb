"""“三公”经费 tables (公开07): items as rows (项目 | 行次 | 决算数), or as columns with 预算数 and
决算数 under each item (Shanghai)."""

from __future__ import annotations

import re

from pipelines.basics.amounts import parse_amount
from pipelines.basics.text import clean_label, compact
from pipelines.normalise.codes import strip_ordinal
from pipelines.normalise.columns import dims_of, label_finished_by_next_row, place_values
from pipelines.normalise.records import AmountRecord, TableContext
from pipelines.recognise.headers import DataRow, TableBody, measure_of
from pipelines.recognise.layouts import Layout, first_matching_rule, row_label_rules

_SUBTOTAL = re.compile(r"^(小计|合计)$")
# printed beside the three items in one table (三公经费、会议费、培训费预算表); its 合计 then adds them in
_BESIDE_THE_THREE = {"meetings", "training"}


def normalise_items(layout: Layout, body: TableBody, context: TableContext) -> list[AmountRecord]:
    item_rules = row_label_rules(layout.spec["rows"])
    base = {"fact_kind": layout.spec["fact_kind"], **layout.spec.get("dims", {})}
    labelled_rows = [(row, index) for row in body.rows if (index := _label_index(row)) is not None]
    if any(_item_of(clean_label(row.cells[index].text), item_rules) for row, index in labelled_rows):
        return _items_as_rows(layout, body, context, item_rules, base)
    return _items_as_columns(layout, body, context, item_rules, base)


def _items_as_rows(layout, body, context, item_rules, base) -> list[AmountRecord]:
    records = []
    for position, row in enumerate(body.rows):
        index = _label_index(row)
        if index is None:
            continue
        label = clean_label(row.cells[index].text)
        item = _item_of(label, item_rules)
        finished = label_finished_by_next_row(body.rows, position, index) if item is None else None
        if finished is not None and _item_of(finished, item_rules) is not None:
            label, item = finished, _item_of(finished, item_rules)
        if item is None:
            if any(parse_amount(c.text).state == "value" for c in row.cells[index + 1 :]):
                context.warn(
                    "unknown_row_label", f"{context.source_table} row {row.number}: '{label}' not recognised", row.page
                )
            continue
        for placed in place_values(row, index + 1, len(row.cells), body, layout.spec["measures"]):
            if placed.rule is None or placed.rule.get("ignore"):
                continue
            record = context.amount(
                placed.cell,
                page=row.page,
                row=row.number,
                column=placed.column,
                row_label=label,
                column_label=placed.label,
                dims={**base, **dims_of(placed.rule), "three_public_item": item},
            )
            if record is not None:
                records.append(record)
    return records


def _items_as_columns(layout, body, context, item_rules, base) -> list[AmountRecord]:
    records = []
    columns = []
    paths = [[p for p in path.split("/") if p] for path in body.column_paths]
    beside = {_item_of_path(parts, item_rules) for parts in paths} & _BESIDE_THE_THREE
    # a header of items alone (合计 | 因公出国（境）费 | …) prints the table's own measure
    has_measures = any(measure_of(path, layout.spec["measures"]) for path in body.column_paths if "/" in path)
    for path, parts in zip(body.column_paths, paths):
        item = _item_of_path(parts, item_rules)
        if item == "total" and beside and len(parts) == 1:
            item = "grand_total"  # 合计 of 三公 + 会议费 + 培训费, not the 三公's own
        measure = measure_of(path, layout.spec["measures"]) if has_measures or item is None else {}
        columns.append((item, measure, path))
    for row in body.rows:
        for index, cell in enumerate(row.cells):
            item, measure, path = columns[index] if index < len(columns) else (None, None, "")
            if measure is not None and measure.get("ignore"):
                continue  # 行次: row numbers
            if item is None or measure is None:
                context.not_placed(cell.text, row.number, row.page, path)
                continue
            record = context.amount(
                cell,
                page=row.page,
                row=row.number,
                column=index,
                row_label="",
                column_label=path,
                dims={**base, **dims_of(measure), "three_public_item": item},
            )
            if record is not None:
                records.append(record)
    return records


def _item_of_path(parts: list[str], rules: list[dict]) -> str | None:
    """The item of a column from its header path. A 小计 / 合计 under an item is that item's total
    (under “三公”经费 the 三公's, under 公务用车… the vehicles'); a name the header wrapped over
    lines (因公出 / 国（境） / 费) is read whole."""
    if len(parts) > 1 and _SUBTOTAL.match(compact(parts[-1])):
        group = _item_of_path(parts[:-1], rules)
        if group is not None:
            return group
    for start in range(len(parts) - 1, -1, -1):
        item = _item_of("".join(parts[start:]), rules)
        if item is not None:
            return item
    return None


def _label_index(row: DataRow) -> int | None:
    for index, cell in enumerate(row.cells):
        text = cell.text.strip()
        if text and parse_amount(text).state == "unparseable":
            return index
    return None


def _item_of(label: str, rules: list[dict]) -> str | None:
    text = re.sub(r"[“”\"']", "", strip_ordinal(compact(label)))
    rule = first_matching_rule(rules, text)
    return rule["three_public_item"] if rule else None
