"""Which measure each amount of a row belongs to.

Ruled grids keep their columns from header to data, so a cell's column names its measure. Text
exports (and pieces whose column count differs from the header's) do not: their amounts are read
in order against the header's measure sequence, the way a person reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipelines.basics.amounts import parse_amount
from pipelines.basics.text import clean_label
from pipelines.normalise.records import AmountRecord, TableContext
from pipelines.read.model import Cell
from pipelines.recognise.headers import DataRow, TableBody, measure_of, text_measure_sequence

MEASURE_KEYS = ("match", "ignore", "beside_carryover")
_CARRYOVER_SOURCES = ("carryover", "non_fiscal_surplus_used")


@dataclass
class Placed:
    column: int  # index of the cell in its row
    cell: Cell
    rule: dict | None  # None: no header names this column
    label: str  # header path of the column


def rules_for_table(paths: list[str], rules: list[dict]) -> list[dict]:
    """The measure rules as this table means them: a total printed beside 上年结转 / 使用非财政拨款结余
    columns includes them, so its rule takes its `beside_carryover` dimensions."""
    found = [measure_of(path, rules) for path in paths if path]
    if not any(rule and rule.get("income_source") in _CARRYOVER_SOURCES for rule in found):
        return rules
    return [{**rule, **rule["beside_carryover"]} if "beside_carryover" in rule else rule for rule in rules]


def rules_by_column(paths: list[str], rules: list[dict]) -> list[dict | None]:
    return [measure_of(path, rules) if path else None for path in paths]


def place_values(
    row: DataRow,
    start: int,
    end: int,
    body: TableBody,
    rules: list[dict],
    header_range: tuple[int, int] | None = None,
    standard: list[dict] | None = None,
) -> list[Placed]:
    """Cells row.cells[start:end] paired with the measure rule of their column.

    header_range limits the header columns whose measures an unaligned row is read against (one
    panel of a side-by-side table); standard is the template's sequence, used only when a row
    prints more amounts than the header names.
    """
    cells = row.cells[start:end]
    column_rules = rules_by_column(body.column_paths, rules)
    if row.aligned:
        placed = []
        for offset, cell in enumerate(cells):
            column = start + offset
            rule = column_rules[column] if column < len(column_rules) else None
            placed.append(
                Placed(column, cell, rule, body.column_paths[column] if column < len(body.column_paths) else "")
            )
        return [_under_its_header(p, column_rules, body) for p in placed]
    low, high = header_range or (0, body.width)
    if body.ruled:
        sequence = [
            (column_rules[c], body.column_paths[c])
            for c in range(low, min(high, len(column_rules)))
            if column_rules[c] is not None
        ]
    else:
        sequence = text_measure_sequence(body.header, rules, low, high)
    indexed = list(enumerate(cells, start))
    if len(indexed) > len(sequence):
        while indexed and len(indexed) > len(sequence) and not indexed[0][1].text.strip():
            indexed.pop(0)
    if standard and len(indexed) == len(standard) and len(standard) > len(sequence):
        sequence = [(rule, rule.get("match", "")) for rule in standard]
    while indexed and len(indexed) > len(sequence) and not indexed[-1][1].text.strip():
        indexed.pop()
    slots: list = _restore_dropped_blanks(indexed, len(sequence) - len(indexed))
    placed = []
    for position, slot in enumerate(slots):
        if slot is None:
            continue
        column, cell = slot
        rule, label = sequence[position] if position < len(sequence) else (None, "")
        placed.append(Placed(column, cell, rule, label))
    return placed


def _under_its_header(placed: Placed, column_rules: list[dict | None], body: TableBody) -> Placed:
    """An amount in a merged cell whose first grid column has no header of its own (rules drawn as
    double lines make three grid columns of each printed one, and the body's cells span all three):
    its measure is that of the one named header column the cell spans."""
    if placed.rule is not None or placed.cell.bbox is None or not _holds_amount(placed.cell):
        return placed
    x0, _, x1, _ = placed.cell.bbox
    spanned = []
    for column, rule in enumerate(column_rules):
        extent = _header_extent(body, column)
        if rule is not None and extent is not None:
            overlap = min(x1, extent[1]) - max(x0, extent[0])
            if overlap > 0.5 * (extent[1] - extent[0]):
                spanned.append(column)
    if len(spanned) != 1:
        return placed
    column = spanned[0]
    return Placed(placed.column, placed.cell, column_rules[column], body.column_paths[column])


def _header_extent(body: TableBody, column: int) -> tuple[float, float] | None:
    """The x range of the header cell that names a column (its deepest header row)."""
    for row in reversed(body.header):
        if column < len(row) and row[column].covered_by is None and row[column].bbox and row[column].text.strip():
            return row[column].bbox[0], row[column].bbox[2]
    return None


def _holds_amount(cell: Cell) -> bool:
    return parse_amount(cell.text).state in ("value", "placeholder")


def _restore_dropped_blanks(indexed: list, missing: int) -> list:
    """Exports drop a cell from a run of empty (or 0.00) cells. When a row ends with a non-zero
    amount, the run that lost it is an interior one, so the amounts after that run belong to the
    last columns; a run of zeros reads the same whichever of its cells was lost."""
    if missing <= 0 or not indexed or _is_nothing(indexed[-1][1]):
        return list(indexed)
    runs: list[tuple[int, int]] = []  # (start, length) of interior empty-or-zero runs
    position = 0
    while position < len(indexed):
        if _is_nothing(indexed[position][1]):
            start = position
            while position < len(indexed) and _is_nothing(indexed[position][1]):
                position += 1
            if start > 0:
                runs.append((start, position - start))
        else:
            position += 1
    if not runs:
        return list(indexed)
    start, length = max(runs, key=lambda run: (run[1], run[0]))
    end = start + length
    return list(indexed[:end]) + [None] * missing + list(indexed[end:])


def _is_nothing(cell: Cell) -> bool:
    parsed = parse_amount(cell.text)
    return parsed.state == "blank" or (parsed.state == "value" and parsed.value == 0)


def label_finished_by_next_row(
    rows: list[DataRow], position: int, label_index: int, high: int | None = None
) -> str | None:
    """The label of rows[position] finished by the next row, when a page break cut the row in two
    (word processors let a row break across pages): the rest of the label arrives alone in the same
    column of the next row, without amounts (“二、政府性基金” | … then “预算”). Callers use it only
    for a label they do not recognise, and keep it only if the finished label is recognised."""
    if position + 1 >= len(rows):
        return None
    cells, following = rows[position].cells, rows[position + 1].cells
    if label_index >= len(following) or len(following) != len(cells):
        return None
    rest = following[label_index].text.strip()
    if not rest or parse_amount(rest).state != "unparseable":
        return None
    if any(parse_amount(c.text).state in ("value", "placeholder") for c in following[label_index + 1 : high]):
        return None
    return clean_label(f"{cells[label_index].text}\n{rest}")


def records_of_row(
    context: TableContext, row: DataRow, placed: list[Placed], label: str, dims_for: Callable[[dict], dict]
) -> list[AmountRecord]:
    """The amount records of a row's placed cells, each with the dimensions `dims_for` gives its column's
    rule; an amount no rule takes is reported (context.not_placed), an ignored column (行次) skipped."""
    records = []
    for cell in placed:
        if cell.rule is None:
            context.not_placed(cell.cell.text, row.number, row.page, cell.label)
            continue
        if cell.rule.get("ignore"):
            continue
        record = context.amount(
            cell.cell,
            page=row.page,
            row=row.number,
            column=cell.column,
            row_label=label,
            column_label=cell.label,
            dims=dims_for(cell.rule),
        )
        if record is not None:
            records.append(record)
    return records


def dims_of(rule: dict) -> dict:
    return {k: v for k, v in rule.items() if k not in MEASURE_KEYS}
