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
    for path in body.column_paths:
        item = None
        for part in reversed([p for p in path.split("/") if p]):
            item = _item_of(part, item_rules)
            if item:
                break
        measure = measure_of(path, layout.spec["measures"])
        columns.append((item, measure, path))
    for row in body.rows:
        for index, cell in enumerate(row.cells):
            item, measure, path = columns[index] if index < len(columns) else (None, None, "")
            if item is None or measure is None or measure.get("ignore"):
                if parse_amount(cell.text).state == "value":
                    context.warn(
                        "unlabelled_column",
                        f"{context.source_table} row {row.number}: amount '{cell.text}' under no known column",
                        row.page,
                    )
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
