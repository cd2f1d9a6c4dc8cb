"""Side-by-side summary tables (公开01, 04): an income panel and an expenditure panel (in Jiangsu
also the expenditure by use beside the one by function).

Rows carry no codes: income rows are named sources, expenditure rows are function classes printed
by name (一、一般公共服务支出), both mapped through the row-label rules of layouts.yaml.
"""

from __future__ import annotations

import re
from functools import partial

from pipelines.basics.amounts import parse_amount
from pipelines.basics.text import clean_label, compact
from pipelines.normalise.codes import function_class_of, strip_ordinal
from pipelines.normalise.columns import dims_of, label_finished_by_next_row, place_values, records_of_row
from pipelines.normalise.records import AmountRecord, TableContext
from pipelines.recognise.headers import DataRow, TableBody
from pipelines.recognise.layouts import Layout, first_matching_rule, row_label_rules

_CARRYOVER_LINES = ("carryover", "year_end_carryover")
ROW_RULE_KEYS = ("match", "opens", "in_carryover", "function_class", "when_no_total")


def normalise_summary_panels(layout: Layout, body: TableBody, context: TableContext) -> list[AmountRecord]:
    records: list[AmountRecord] = []
    panels = _panels_found(body, layout.spec["panels"])
    taken: set[tuple[int, int]] = set()  # (row, column) of amounts a panel has read
    for number, (name, spec, (low, high)) in enumerate(panels):
        following = panels[number + 1][2] if number + 1 < len(panels) else None
        standard = _standard_rules(spec)
        label_rules = row_label_rules(spec["rows"])
        base = {"fact_kind": spec["fact_kind"], **spec.get("dims", {})}
        opened: str | None = None
        panel_records: list[tuple[AmountRecord, dict]] = []
        for position, row in enumerate(body.rows):
            found = _label_and_values(body.rows, position, (low, high), following, taken)
            if found is None:
                continue
            label_index, label, first, end = found
            rule, row_dims = _row_meaning(label, label_rules, opened)
            finished = label_finished_by_next_row(body.rows, position, label_index, high) if rule is None else None
            if finished is not None:
                rule, row_dims = _row_meaning(finished, label_rules, opened)
                label = finished if rule is not None else label
            if rule is None:
                if _has_amount(row, first, end):
                    context.warn(
                        "unknown_row_label",
                        f"{context.source_table} {name} row {row.number}: '{label}' not recognised",
                        row.page,
                    )
                continue
            opened = rule.get("opens", opened if "in_carryover" in rule else None)
            placed = place_values(row, first, end, body, spec["measures"], (low, end), standard)
            taken.update((row.number, cell.column) for cell in placed)
            row_records = records_of_row(context, row, placed, label, partial(_dims, base, row_dims))
            panel_records += [(record, rule) for record in row_records]
        _total_from_grand_total(panel_records)
        records += [record for record, _rule in panel_records]
    return records


def _dims(base: dict, row_dims: dict, measure: dict) -> dict:
    dims = {**base, **dims_of(measure), **row_dims}
    if measure.get("expenditure_type", "total") != "total":
        # a 总计 row split by type (基本 / 人员 / 公用 / 项目): the column says which
        dims["expenditure_type"] = measure["expenditure_type"]
    return dims


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


def _panels_found(body: TableBody, panels: dict) -> list[tuple[str, dict, tuple[int, int]]]:
    """Each panel with its column range, from the header cell that names it (收入 | 支出, or
    收入 | 支出 (功能分类 | 支出用途) over two header rows): a panel runs to the next one's start.
    An `optional` panel the header does not name is left out; when a required one is not named,
    the panels are taken to start at columns 0 and 2."""
    starts: dict[str, int] = {}
    for name, spec in panels.items():
        for row in body.header:
            found = next((i for i, cell in enumerate(row) if re.fullmatch(spec["header"], compact(cell.text))), None)
            if found is not None:
                starts[name] = found
                break
    required = [name for name, spec in panels.items() if not spec.get("optional")]
    if not all(name in starts for name in required):
        starts = dict(zip(required, [0, 2]))
    width = max(body.width, max((len(r.cells) for r in body.rows), default=0))
    ordered = sorted(starts.items(), key=lambda item: item[1])
    ends = [start for _, start in ordered[1:]] + [width]
    return [(name, panels[name], (start, end)) for (name, start), end in zip(ordered, ends)]


def _label_and_values(
    rows: list[DataRow],
    position: int,
    panel: tuple[int, int],
    following: tuple[int, int] | None,
    taken: set[tuple[int, int]],
) -> tuple[int, str, int, int] | None:
    """A panel row's label (its column and text) and the columns of its amounts (first, end).

    Two ways a ruled summary table splits what belongs together: a label merged across the next
    panel (当年支出小计 over 功能分类 and 支出用途) prints its amount in that panel, and a label
    wrapped over two lines (三、单位预留机动经 / 费) becomes two rows with the amount, centred
    between them, on a row of its own."""
    low, high = panel
    row = rows[position]
    index = _label_index(row, low, high)
    if index is not None:
        end = high
        if following is not None and _spans_into(row, index, following[0]) and not _has_amount(row, index + 1, high):
            end = following[1]
        return index, clean_label(row.cells[index].text), index + 1, end
    if not _has_amount(row, low, high) or any((row.number, c) in taken for c in range(low, high)):
        return None
    parts = [_label_alone(rows, p, low, high) for p in (position - 1, position + 1)]
    if parts[0] is None or parts[1] is None:
        return None
    return parts[0][0], parts[0][1] + parts[1][1], low, high


def _spans_into(row: DataRow, index: int, column: int) -> bool:
    """Whether the cell at `index` is merged across `column` (the next panel's first column)."""
    if column >= len(row.cells):
        return False
    owner = row.cells[column].covered_by
    return owner is not None and owner[1] == index


def _label_alone(rows: list[DataRow], position: int, low: int, high: int) -> tuple[int, str] | None:
    """The label of a row that prints a label and no amount in the panel."""
    if not 0 <= position < len(rows):
        return None
    index = _label_index(rows[position], low, high)
    if index is None or _has_amount(rows[position], low, high):
        return None
    return index, clean_label(rows[position].cells[index].text)


def _has_amount(row: DataRow, low: int, high: int) -> bool:
    return any(parse_amount(c.text).state == "value" for c in row.cells[low:high])


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
