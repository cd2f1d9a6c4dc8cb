"""The basic-expenditure table (公开06): (code, name, amount) groups printed side by side.

Each row is read left to right as a sequence of items — an economic code (split 类/款 columns are
joined), its name, then the amount slot right after the name — so that two or three groups, and
rows where a group is empty, read the same way. The closing row (人员经费合计 … 公用经费合计) gives
the category totals. 人员经费 are classes 301 and 303; everything else is 公用经费.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.basics.amounts import parse_amount
from pipelines.basics.text import clean_label, compact
from pipelines.normalise.codes import is_economic_code
from pipelines.normalise.records import AmountRecord, TableContext
from pipelines.read.model import Cell
from pipelines.recognise.headers import DataRow, TableBody
from pipelines.recognise.layouts import Layout

PERSONNEL_CLASSES = ("301", "303")
_SECTION_PART = re.compile(r"^\d{2}$")


@dataclass
class _Item:
    code: str
    name: str
    name_column: int
    amount_cell: Cell | None
    amount_column: int


def normalise_economic_groups(layout: Layout, body: TableBody, context: TableContext) -> list[AmountRecord]:
    base = {"fact_kind": layout.spec["fact_kind"], **layout.spec.get("dims", {})}
    closing = {compact(k): v for k, v in layout.spec["closing_rows"].items()}
    amount_label = _amount_label(body)
    records: list[AmountRecord] = []
    previous: list[tuple[_Item, AmountRecord | None]] = []
    for row in body.rows:
        items = _items_of(row.cells)
        if items:
            previous = []
            for item in items:
                record = None
                if item.amount_cell is not None:
                    category = "personnel" if item.code[:3] in PERSONNEL_CLASSES else "public"
                    record = context.amount(
                        item.amount_cell,
                        page=row.page,
                        row=row.number,
                        column=item.amount_column,
                        row_label=item.name,
                        column_label=_column_label(body, item.amount_column, amount_label),
                        dims={
                            **base,
                            "economic_code": item.code,
                            "economic_name": clean_label(item.name),
                            "category": category,
                        },
                    )
                    if record is not None:
                        records.append(record)
                previous.append((item, record))
            continue
        if _closing_row(row, closing, base, amount_label, context, records):
            continue
        _join_fragments(row, previous)
    return records


def _items_of(cells: list[Cell]) -> list[_Item]:
    items: list[_Item] = []
    index = 0
    while index < len(cells):
        text = compact(cells[index].text)
        if not is_economic_code(text):
            index += 1
            continue
        code, index = text, index + 1
        if len(code) == 3 and index < len(cells) and _SECTION_PART.match(compact(cells[index].text)):
            code, index = code + compact(cells[index].text), index + 1
        while index < len(cells) and not cells[index].text.strip():
            index += 1  # empty 款 column of a class row
        if index >= len(cells) or is_economic_code(compact(cells[index].text)):
            items.append(_Item(code, "", index, None, index))
            continue
        name_column = index
        amount_column = index + 1
        amount_cell = cells[amount_column] if amount_column < len(cells) else None
        items.append(_Item(code, cells[name_column].text, name_column, amount_cell, amount_column))
        index = amount_column + 1
    return items


def _closing_row(
    row: DataRow, closing: dict, base: dict, amount_label: str, context: TableContext, records: list[AmountRecord]
) -> bool:
    found = False
    cells = row.cells
    for index, cell in enumerate(cells):
        key = closing.get(compact(cell.text))
        if key is None:
            continue
        found = True
        for follow in range(index + 1, len(cells)):
            if compact(cells[follow].text) in closing:
                break
            if parse_amount(cells[follow].text).state in ("value", "placeholder"):
                category = {"personnel_total": "personnel", "public_total": "public"}.get(key)
                record = context.amount(
                    cells[follow],
                    page=row.page,
                    row=row.number,
                    column=follow,
                    row_label=cell.text,
                    column_label=amount_label,
                    dims={**base, "line_item": key, "category": category},
                )
                if record is not None:
                    records.append(record)
                break
    return found


def _join_fragments(row: DataRow, previous: list[tuple[_Item, AmountRecord | None]]) -> None:
    """A name cut by a page break: its tail arrives alone on the next row, in the same column."""
    for index, cell in enumerate(row.cells):
        text = clean_label(cell.text)
        if not text or parse_amount(text).state != "unparseable":
            continue
        owner = None
        for item, record in previous:
            if item.name_column <= index:
                owner = (item, record)
        if owner is None:
            continue
        item, record = owner
        item.name += text
        if record is not None:
            record.row_label += text
            record.economic_name = (record.economic_name or "") + text


def _column_label(body: TableBody, column: int, default: str) -> str:
    path = body.column_paths[column] if column < len(body.column_paths) else ""
    return path or default


def _amount_label(body: TableBody) -> str:
    for path in body.column_paths:
        last = path.split("/")[-1] if path else ""
        if re.search(r"金额|决算数|预算数", last):
            return path
    return "金额"
