"""Tables keyed by code rows (公开02, 03, 05, 08, 09; budget function and economic tables): one
record per printed amount."""

from __future__ import annotations

import re
from functools import partial

from pipelines.basics.amounts import is_decimal_amount, parse_amount
from pipelines.basics.text import clean_label, compact
from pipelines.basics.vocabulary import TOTAL_LABEL
from pipelines.normalise.codes import function_code_from, is_function_code_part, is_header_word, strip_ordinal
from pipelines.normalise.columns import dims_of, place_values, records_of_row, rules_for_table
from pipelines.normalise.economic_groups import PERSONNEL_CLASSES
from pipelines.normalise.records import AmountRecord, TableContext
from pipelines.recognise.headers import DataRow, TableBody
from pipelines.recognise.layouts import Layout, first_matching_rule, row_label_rules

_FILLER = re.compile(r"^[.…·。]+$")
_SUBTOTAL = re.compile(r"^(小计|合计)$")
_ROW_RULE_KEYS = ("match", "when_no_total", "opens", "in_carryover", "function_class")
_CODE_HEADER = re.compile(r"编码|代码|科目|类")


def normalise_function_rows(layout: Layout, body: TableBody, context: TableContext) -> list[AmountRecord]:
    rules = rules_for_table(body.column_paths, layout.spec["measures"])
    base = {"fact_kind": layout.spec["fact_kind"], **layout.spec.get("dims", {})}
    key_columns = _key_columns(layout, body)
    first_column = max(key_columns.values(), default=-1) + 1
    # after unit columns, codes only where the header says so (收入预算总表 by unit has none, and
    # a spreadsheet's whole-number amount would otherwise pass for one)
    coded = not key_columns or _CODE_HEADER.search(compact(_path(body, first_column)))
    records: list[AmountRecord] = []
    previous: list[AmountRecord] = []
    # a table of one line of figures under its header (Jiangsu's 支出预算总表: 合计 | 基本支出 | …)
    # prints the totals alone, without code or label
    totals_only = (
        len(body.rows) == 1
        and not key_columns
        and not _label_at_or_before(body.rows[0], body.width)
        and any(parse_amount(c.text).state == "value" for c in body.rows[0].cells)
    )
    # a table of the same title keyed by names instead of codes: read by its lines' names
    by_names = "label_rows" in layout.spec and not any(_code_and_label(r, first_column)[0] for r in body.rows)
    label_rows = _LabelRows(row_label_rules(layout.spec["label_rows"]), body.rows) if by_names else None
    for row in body.rows:
        keys = _row_keys(row, key_columns)
        code, label_index = _code_and_label(row, first_column) if coded else (None, first_column - 1)
        if totals_only:
            code, label_index = None, -1
        if code is None and label_rows is not None and not keys:
            meaning = label_rows.meaning(row)
            if meaning is not None:
                name, dims, name_column = meaning
                row_dims = {"function_code": None, "function_name": None, "line_item": "total", **dims}
                placed = place_values(row, name_column + 1, len(row.cells), body, rules)
                records += records_of_row(context, row, placed, name, partial(_record_dims, base, row_dims))
                continue
        label = _label_at_or_before(row, label_index)
        has_values = any(parse_amount(c.text).state in ("value", "placeholder") for c in row.cells[label_index + 1 :])
        if code is None and _FILLER.match(compact(label)):
            continue  # template rows of dots (… …)
        if code is None and not totals_only and not TOTAL_LABEL.match(compact(label)) and not keys.get("unit_code"):
            if not has_values and label and previous:
                _extend_names(previous, row, key_columns, first_column)  # a name wrapped onto its own row / page
            elif has_values:
                context.warn(
                    "unknown_row_label",
                    f"{context.source_table} row {row.number}: '{label}' has amounts but no code",
                    row.page,
                )
            continue
        row_dims = {**_row_dims(layout, code, label), **keys}
        placed = place_values(row, label_index + 1, len(row.cells), body, rules)
        previous = records_of_row(context, row, placed, label, partial(_record_dims, base, row_dims))
        records += previous
    return records


class _LabelRows:
    """Rows keyed by the names of their lines instead of codes (Jiangsu's 收入预算总表: 一般公共预算资金
    | 小计, then | 公共财政拨款(补助)资金 …): a group's name in the first label column, the names of its
    lines in the next, 小计 for the group's own total. A group's name is printed in the middle of its
    merged cell, so a 小计 row without one takes the name printed next below it."""

    def __init__(self, rules: list[dict], rows: list[DataRow]) -> None:
        self.rules = rules
        labelled = {row.number: _labels_before_amounts(row) for row in rows}
        columns = [texts[0][0] for texts in labelled.values() if len(texts) >= 2]
        group_column = min(columns) if columns else None
        self.lines: dict[int, tuple[str, str, int]] = {}
        split = []
        for row in rows:
            texts = labelled[row.number]
            if not texts:
                continue
            group = next((t for i, t in texts if group_column is not None and i <= group_column), "")
            line = next((t for i, t in texts if group_column is None or i > group_column), "")
            split.append((row.number, group, line, texts[-1][0]))
        current = ""
        for position, (number, group, line, label_column) in enumerate(split):
            if not group and _SUBTOTAL.match(compact(line)):
                group = next(
                    (g for _, g, later, _ in split[position + 1 :] if g or _SUBTOTAL.match(compact(later))), ""
                )
            current = group or current
            self.lines[number] = (current if (group or line) else "", line, label_column)

    def meaning(self, row: DataRow) -> tuple[str, dict, int] | None:
        if row.number not in self.lines:
            return None
        group, line, label_column = self.lines[row.number]
        name = group if not line or _SUBTOTAL.match(compact(line)) else line
        rule = first_matching_rule(self.rules, strip_ordinal(name))
        if rule is None:
            return None
        dims = {k: v for k, v in rule.items() if k not in _ROW_RULE_KEYS}
        return "/".join(t for t in (group, line) if t), dims, label_column


def _labels_before_amounts(row: DataRow) -> list[tuple[int, str]]:
    first_amount = next((i for i, c in enumerate(row.cells) if is_decimal_amount(c.text)), len(row.cells))
    return [(i, clean_label(c.text)) for i, c in enumerate(row.cells[:first_amount]) if _is_label(c.text)]


def _record_dims(base: dict, row_dims: dict, measure: dict) -> dict:
    return {**base, **dims_of(measure), **row_dims}


def _is_label(text: str) -> bool:
    return bool(text.strip()) and parse_amount(text).state == "unparseable"


def _row_dims(layout: Layout, code: str | None, label: str) -> dict:
    """A code row keys by its 功能分类 code, or by its 经济分类 code in economic tables
    (`code_field: economic`, whose category follows the class); a row without code is the total."""
    if layout.spec.get("code_field") == "economic":
        category = None if code is None else ("personnel" if code[:3] in PERSONNEL_CLASSES else "public")
        return {
            "economic_code": code,
            "economic_name": label if code else None,
            "category": category,
            "line_item": None if code else "total",
        }
    return {"function_code": code, "function_name": label if code else None, "line_item": None if code else "total"}


def _path(body: TableBody, index: int) -> str:
    return body.column_paths[index] if index < len(body.column_paths) else ""


def _key_columns(layout: Layout, body: TableBody) -> dict[str, int]:
    """Columns that key rows besides the code (`key_columns`: 单位编码, 单位名称 of tables split by unit)."""
    found: dict[str, int] = {}
    for name, pattern in layout.spec.get("key_columns", {}).items():
        for index, path in enumerate(body.column_paths):
            if path and re.search(pattern, compact(path.split("/")[0])):
                found[name] = index
                break
    return found


def _row_keys(row: DataRow, key_columns: dict[str, int]) -> dict[str, str]:
    keys = {}
    for name, index in key_columns.items():
        text = clean_label(row.cells[index].text) if index < len(row.cells) else ""
        if text and not TOTAL_LABEL.match(compact(text)):
            keys[name] = compact(text) if name == "unit_code" else text
    return keys


def _label_at_or_before(row: DataRow, index: int) -> str:
    """The row's label: its label cell, or the nearest text to its left (a total row prints 合计
    under 单位名称 and leaves the name column blank)."""
    for cell in reversed(row.cells[: index + 1]):
        text = clean_label(cell.text)
        if text and parse_amount(text).state == "unparseable":
            return text
    return ""


def _code_and_label(row: DataRow, start: int = 0) -> tuple[str | None, int]:
    """The row's function code (split parts combined) and the index of its label cell."""
    parts: list[str] = []
    index = start
    cells = row.cells
    while index < len(cells):
        text = cells[index].text.strip()
        if not text or is_header_word(text):
            index += 1
            continue
        if is_function_code_part(text) and not is_decimal_amount(text) and len(parts) < 3:
            parts.append(text)
            index += 1
            continue
        break
    code = function_code_from(parts) if parts else None
    if code is None and parts:
        index = _index_of(cells, parts[0])  # digits that are not a code: amounts of an unnamed row
    if index >= len(cells) or is_decimal_amount(cells[index].text):
        index = max(0, index - 1)
    return code, index


def _index_of(cells, text: str) -> int:
    for index, cell in enumerate(cells):
        if cell.text.strip() == text:
            return index
    return 0


def _extend_names(records: list[AmountRecord], row: DataRow, key_columns: dict[str, int], first_column: int) -> None:
    """The rest of the names of the row above, cut off by a page break or wrapped onto a row of their
    own: the unit name's in its column, the code's name in the first text cell after the keys."""
    unit_name = _cell_text(row, key_columns.get("unit_name"))
    name = next((clean_label(c.text) for c in row.cells[first_column:] if c.text.strip()), "")
    for record in records:
        if unit_name and record.unit_name is not None:
            record.unit_name += unit_name
        if name:
            record.row_label += name
            if record.function_name is not None:
                record.function_name += name
            elif record.economic_name is not None:
                record.economic_name += name


def _cell_text(row: DataRow, index: int | None) -> str:
    return clean_label(row.cells[index].text) if index is not None and index < len(row.cells) else ""
