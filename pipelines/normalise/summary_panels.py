"""Side-by-side summary tables (公开01, 04): an income panel and an expenditure panel.

Rows carry no codes: income rows are named sources, expenditure rows are function classes printed
by name (一、一般公共服务支出), both mapped through the row-label rules of layouts.yaml.
"""

from __future__ import annotations

import re

from pipelines.basics.amounts import parse_amount
from pipelines.basics.text import clean_label, compact
from pipelines.normalise.codes import function_class_of, strip_ordinal
from pipelines.normalise.columns import dims_of, label_finished_by_next_row, place_values
from pipelines.normalise.records import AmountRecord, TableContext
from pipelines.recognise.headers import DataRow, TableBody
from pipelines.recognise.layouts import Layout, first_matching_rule, row_label_rules

_CARRYOVER_LINES = ("carryover", "year_end_carryover")
ROW_RULE_KEYS = ("match", "opens", "in_carryover", "function_class", "when_no_total")


def normalise_summary_panels(layout: Layout, body: TableBody, context: TableContext) -> list[AmountRecord]:
    panels = layout.spec["panels"]
    ranges = _panel_ranges(body, [spec["header"] for spec in panels.values()])
    records: list[AmountRecord] = []
    for (name, spec), (low, high) in zip(panels.items(), ranges):
        standard = _standard_rules(spec)
        label_rules = row_label_rules(spec["rows"])
        base = {"fact_kind": spec["fact_kind"], **spec.get("dims", {})}
        opened: str | None = None
        panel_records: list[tuple[AmountRecord, dict]] = []
        for position, row in enumerate(body.rows):
            label_index = _label_index(row, low, high)
            if label_index is None:
                continue
            label = clean_label(row.cells[label_index].text)
            rule, row_dims = _row_meaning(label, label_rules, opened)
            finished = label_finished_by_next_row(body.rows, position, label_index, high) if rule is None else None
            if finished is not None:
                rule, row_dims = _row_meaning(finished, label_rules, opened)
                label = finished if rule is not None else label
            if rule is None:
                if any(parse_amount(c.text).state == "value" for c in row.cells[label_index + 1 : high]):
                    context.warn(
                        "unknown_row_label",
                        f"{context.source_table} {name} row {row.number}: '{label}' not recognised",
                        row.page,
                    )
                continue
            opened = rule.get("opens", opened if "in_carryover" in rule else None)
            for placed in place_values(row, label_index + 1, high, body, spec["measures"], (low, high), standard):
                if placed.rule is None or placed.rule.get("ignore"):
                    if placed.rule is None and parse_amount(placed.cell.text).state == "value":
                        context.warn(
                            "unlabelled_column",
                            f"{context.source_table} row {row.number}: amount '{placed.cell.text}' under no known column",
                            row.page,
                        )
                    continue
                dims = {**base, **dims_of(placed.rule), **row_dims}
                if placed.rule.get("expenditure_type", "total") != "total":
                    # a 总计 row split by type (基本 / 人员 / 公用 / 项目): the column says which
                    dims["expenditure_type"] = placed.rule["expenditure_type"]
                record = context.amount(
                    placed.cell,
                    page=row.page,
                    row=row.number,
                    column=placed.column,
                    row_label=label,
                    column_label=placed.label,
                    dims=dims,
                )
                if record is not None:
                    panel_records.append((record, rule))
        _total_from_grand_total(panel_records)
        records += [record for record, _rule in panel_records]
    return records


def _total_from_grand_total(panel_records: list[tuple[AmountRecord, dict]]) -> None:
    """A panel that prints no year total (本年收入合计) has its 总计 as the year's total (budgets):
    a record of a `when_no_total` row takes those dimensions unless that would repeat a fact
    another row of the panel prints."""
    if any(record.line_item in _CARRYOVER_LINES for record, _rule in panel_records):
        return  # 总计 then includes carry-over: it is not the year's total
    printed = {_fact(record) for record, rule in panel_records if "when_no_total" not in rule}
    for record, rule in panel_records:
        total_dims = rule.get("when_no_total")
        if total_dims and _fact(record, total_dims) not in printed:
            for name, value in total_dims.items():
                setattr(record, name, value)


def _fact(record: AmountRecord, changes: dict | None = None) -> tuple:
    values = {**vars(record), **(changes or {})}
    return tuple(
        values[k]
        for k in ("fact_kind", "function_code", "line_item", "income_source", "expenditure_type", "fund_source")
    )


def _row_meaning(label: str, rules: list[dict], opened: str | None) -> tuple[dict | None, dict]:
    text = strip_ordinal(label)
    rule = first_matching_rule(rules, text)
    if rule is not None:
        if opened and "in_carryover" in rule:
            return rule, dict(rule["in_carryover"])
        return rule, {k: v for k, v in rule.items() if k not in ROW_RULE_KEYS}
    if any(r.get("function_class") for r in rules):
        code, _approximate = function_class_of(text)
        if code:
            return {"function_class": True}, {"function_code": code, "function_name": text}
    return None, {}


def _panel_ranges(body: TableBody, headers: list[str]) -> list[tuple[int, int]]:
    """Column range of each panel, from the header row that names them (收入 | 支出; patterns)."""
    starts: list[int] | None = None
    for row in body.header:
        texts = [compact(c.text) for c in row]
        found = [next((i for i, text in enumerate(texts) if re.fullmatch(h, text)), None) for h in headers]
        if all(f is not None for f in found):
            starts = found
            break
    if starts is None:
        starts = [0, 2][: len(headers)]
    ends = starts[1:] + [max(body.width, max((len(r.cells) for r in body.rows), default=0))]
    return list(zip(starts, ends))


def _label_index(row: DataRow, low: int, high: int) -> int | None:
    for index in range(low, min(high, len(row.cells))):
        text = row.cells[index].text.strip()
        if text and parse_amount(text).state == "unparseable":
            return index
    return None


def _standard_rules(spec: dict) -> list[dict] | None:
    names = spec.get("standard_measures")
    if not names:
        return None
    by_value = {value: rule for rule in spec["measures"] for value in rule.values()}
    return [by_value[name] for name in names]
