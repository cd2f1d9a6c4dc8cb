"""One performance table → its project, funding lines and indicators.

The table is read top to bottom as blocks: the project header (项目名称, 主管部门 …), the funds
block, the overall goal, the indicator header and rows, and the totals (总分 / 合计, 等次). Which
block a row starts is decided by its labels (performance.yaml); rows in between belong to the
block above. `classify_row` tells a row's kind from the row and the reading's state alone; each
kind has a reader of its own (`_READERS`), the only code that changes the records or the state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum, auto

from pipelines.basics.text import compact
from pipelines.normalise.indicators import (
    IndicatorColumns,
    IndicatorReader,
    indicator_columns,
    is_header_continuation,
)
from pipelines.normalise.performance_records import (
    FundingRecord,
    IndicatorRecord,
    ProjectRecord,
    SubtotalRecord,
)
from pipelines.normalise.performance_rows import (
    continues_fund_header,
    ends_project_name,
    header_cut_by_page_break,
    header_rule,
    label_cut_by_page_break,
)
from pipelines.normalise.project_funding import (
    funding_columns,
    funding_line,
    number_of,
    read_funding_row,
)
from pipelines.normalise.records import Issue
from pipelines.recognise.performance_tables import (
    PerformanceTable,
    performance_spec,
)

_CHECKBOX = re.compile(r"<input|[☑✓✔√■□]")
_CHECKED = re.compile(r"([^<>\s/\"=]+?)\s*(?:<input\s*checked[^>]*>|[☑✓✔√■])|[☑✓✔√■]\s*([^<>\s□]+)")
_GOAL_LABELS = re.compile(r"^(预期目标|实际完成情况|绩效目标实际完成情况|目标实际完成情况)$")


@dataclass
class PerformanceResult:
    project: ProjectRecord
    funding: list[FundingRecord] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    subtotals: list[SubtotalRecord] = field(default_factory=list)


class RowKind(Enum):
    YEAR_LINE = auto()  # (2024年度) under the title
    HEADER_FIELDS = auto()  # 项目名称 / 主管部门 … label-value pairs
    PROJECT_NAME_END = auto()  # the project name wrapped over a page break
    GRADE = auto()  # 自评得分等次
    TOTALS = auto()  # 总分 / 合计 after the indicators
    CLOSING = auto()  # 单位已有的制度、措施: the table's end
    INDICATOR_HEADER = auto()
    INDICATOR_HEADER_REPEATED = auto()  # after a page break, or the header's second row
    FUNDS_HEADER = auto()
    FUNDS_HEADER_END = auto()  # the header's last columns, wrapped onto a row of their own
    GOAL_HEADER = auto()  # 年度总体目标
    FUNDS_ROW = auto()
    GOAL_ROW = auto()
    INDICATOR_ROW = auto()
    BETWEEN_BLOCKS = auto()  # a row of no block: read into nothing


# a row of these kinds leaves the funds header open: the next row may still end it
_READ_PAST_A_FUNDS_HEADER = {
    RowKind.YEAR_LINE,
    RowKind.HEADER_FIELDS,
    RowKind.PROJECT_NAME_END,
    RowKind.GRADE,
    RowKind.TOTALS,
    RowKind.CLOSING,
    RowKind.INDICATOR_HEADER,
    RowKind.FUNDS_HEADER_END,
}
_BLOCK_ROWS = {
    "funds": RowKind.FUNDS_ROW,
    "goals": RowKind.GOAL_ROW,
    "indicators": RowKind.INDICATOR_ROW,
    None: RowKind.BETWEEN_BLOCKS,
}


@dataclass(frozen=True)
class TableRow:
    """A row of the table as read: `texts` may be joined to the row above, over a page break."""

    number: int
    texts: list[str]
    printed: list[str]  # its texts less the empty cells
    first: str  # the first printed, compacted
    page: int | None
    spans: list | None


@dataclass
class TableState:
    """Where the reading of a table stands: the block its rows belong to and what its headers named."""

    block: str | None  # "funds", "goals", "indicators", or None outside them
    columns: IndicatorColumns
    fund_fields: list[str] = field(default_factory=list)
    carried_fund_fields: list[str] = field(default_factory=list)  # 分值 / 得分 named only by the header's first row
    after_funds_header: bool = False  # the row before (past year lines, totals …) was a funds header
    in_indicator_header: bool = False  # the header rows just read: the next header-only row continues them


@dataclass
class TableReading:
    """One table being read: what it makes so far and where the reading stands."""

    table: PerformanceTable
    table_id: int
    project: ProjectRecord
    result: PerformanceResult
    reader: IndicatorReader
    state: TableState


def normalise_performance_table(table: PerformanceTable, table_id: int, project_seq: int) -> PerformanceResult:
    kind = table.kind
    project = ProjectRecord(
        project_seq,
        table_id,
        kind.kind,
        kind.scope,
        table.printed_title,
        table.page,
        None,
        None,
        nominal_total_weight=Decimal(kind.nominal_total_weight) if kind.nominal_total_weight else None,
    )
    state = TableState(
        "indicators" if kind.shape == "scored_levels" else None, IndicatorColumns(list(kind.default_fields))
    )
    reading = TableReading(
        table,
        table_id,
        project,
        PerformanceResult(project),
        IndicatorReader(kind, project_seq, table_id, table.printed_title),
        state,
    )
    for number in range(1, len(table.rows) + 1):
        row = _row_as_read(reading, number)
        kinds = classify_row(row, state, project, table.rows, reading.reader)
        for row_kind in kinds:
            _READERS[row_kind](reading, row)
        _remember_headers(state, kinds)
    return _finished(reading)


def _remember_headers(state: TableState, kinds: tuple[RowKind, ...]) -> None:
    """Whether the row just read was a header row: a header printed over two rows names columns in
    both. Set after the row's readers, which read the value the row before left."""
    if kinds[0] is RowKind.FUNDS_HEADER:
        state.after_funds_header = True
    elif kinds[0] not in _READ_PAST_A_FUNDS_HEADER:
        state.after_funds_header = False
    if kinds[0] is RowKind.INDICATOR_HEADER:
        state.in_indicator_header = True
    elif kinds[-1] in _BLOCK_ROWS.values():
        state.in_indicator_header = False


def _row_as_read(reading: TableReading, number: int) -> TableRow:
    """The row, joined to the one above where a page break cut a header or a block's label."""
    rows = reading.table.rows
    row = rows[number - 1]
    texts = header_cut_by_page_break(rows[number - 2] if number > 1 else None, row) or row.texts
    spec = performance_spec()
    cut = label_cut_by_page_break(rows, number, (spec["grade_label"], spec["closing_label"]))
    if cut is not None:  # “自评” / “得分等次”, “单位” / “已有的…措施”: the first part read nothing
        texts = cut
        reading.reader.forget_row(number - 1)
    printed = [t for t in texts if t]
    return TableRow(number, texts, printed, compact(printed[0]), row.page, row.spans)


def classify_row(
    row: TableRow, state: TableState, project: ProjectRecord, rows, reader: IndicatorReader
) -> tuple[RowKind, ...]:
    """What a row is, in the order it is read as such: one kind, or a funds header that prints a
    funding line (or the goal) and is read as that too. Reads nothing into the records."""
    spec = performance_spec()
    texts, printed, first = row.texts, row.printed, row.first
    if re.match(spec["year_line"], first):
        return (RowKind.YEAR_LINE,)
    if any(header_rule(t) is not None for t in texts if t):
        return (RowKind.HEADER_FIELDS,)
    if ends_project_name(project, rows, row.number):
        return (RowKind.PROJECT_NAME_END,)
    line = funding_line(texts)
    if state.block != "funds" or line is None:  # in the funds block, a 合计 line is a funding line
        if re.search(spec["grade_label"], first):
            return (RowKind.GRADE,)
        if re.search(spec["total_label"], first) and state.block == "indicators":
            return (RowKind.TOTALS,)
    if re.search(spec["closing_label"], first):
        return (RowKind.CLOSING,)
    if any(re.search(spec["indicator_header"], compact(t)) for t in printed):
        return (RowKind.INDICATOR_HEADER,)
    is_funds_header = state.block != "indicators" and any(
        re.search(spec["funding_header"], compact(t)) for t in printed
    )
    if state.after_funds_header and not is_funds_header and continues_fund_header(texts, printed):
        return (RowKind.FUNDS_HEADER_END,)
    if is_funds_header and (line is not None or not any(isinstance(number_of(t), Decimal) for t in printed)):
        return (RowKind.FUNDS_HEADER,) if line is None else (RowKind.FUNDS_HEADER, _kind_in_block(row, "funds", reader))
    return (_kind_in_block(row, state.block, reader),)


def _kind_in_block(row: TableRow, block: str | None, reader: IndicatorReader) -> RowKind:
    if re.search(performance_spec()["goal_header"], row.first):
        return RowKind.GOAL_HEADER
    if block == "indicators" and is_header_continuation(row.texts) and not reader.completes_levels(row.texts):
        return RowKind.INDICATOR_HEADER_REPEATED
    return _BLOCK_ROWS[block]


def _skip(reading: TableReading, row: TableRow) -> None:
    """A row that holds nothing to keep."""


def _read_header(reading: TableReading, row: TableRow) -> None:
    """项目名称 / 主管部门 / … label-value pairs of the header block; personal data is skipped."""
    project, texts = reading.project, row.texts
    skip_next = False
    for position, text in enumerate(texts):
        if not text:
            continue
        if skip_next:
            skip_next = False
            if header_rule(text) is None:
                continue
        rule = header_rule(text)
        if rule is None:
            continue
        if rule.get("skip"):
            skip_next = True
            continue
        label_end = re.match(rule["match"], compact(text)).end()
        value = compact(text)[label_end:].lstrip(":：")
        if not value:
            value = next((t for t in texts[position + 1 :] if t and header_rule(t) is None), "")
        value = _checked_option(value) if _CHECKBOX.search(value) else compact(value)
        if value and getattr(project, rule["field"]) is None:
            setattr(project, rule["field"], value)
            if rule["field"] == "project_name":
                project.source_row = row.number


def _checked_option(value: str) -> str:
    """'延续<input checked…>新增<input…>' → '延续': the ticked option of a checkbox line."""
    found = _CHECKED.search(value)
    if not found:
        return ""
    option = found.group(1) or found.group(2) or ""
    return compact(re.sub(r"<[^>]+>|[□☑✓✔√■]", "", option))


def _read_project_name_end(reading: TableReading, row: TableRow) -> None:
    reading.project.project_name += row.first


def _read_grade(reading: TableReading, row: TableRow) -> None:
    reading.project.grade = compact(row.printed[-1]) if len(row.printed) > 1 else None


def _read_totals(reading: TableReading, row: TableRow) -> None:
    project = reading.project
    values = [v for v in (number_of(t) for t in row.printed[1:]) if isinstance(v, Decimal)]
    if len(values) >= 2:
        project.printed_total_weight, project.printed_total_score = values[0], values[-1]
    elif values:
        project.printed_total_score = values[0]
    project.total_source_row = row.number
    reading.state.block = None  # what follows the total is not an indicator


def _close(reading: TableReading, row: TableRow) -> None:
    reading.state.block = None


def _read_indicator_header(reading: TableReading, row: TableRow) -> None:
    reading.state.block = "indicators"
    reading.state.columns = indicator_columns(row.texts, reading.table.kind)


def _read_indicator_header_repeated(reading: TableReading, row: TableRow) -> None:
    state = reading.state
    if state.in_indicator_header or not reading.reader.records:
        state.columns = indicator_columns(row.texts, reading.table.kind, extend=state.columns)
    # else a header repeated after a page break: it names nothing new


def _read_funds_header(reading: TableReading, row: TableRow) -> None:
    state = reading.state
    found = funding_columns(row.printed)
    state.carried_fund_fields = []
    if state.after_funds_header:  # a header of two rows: 分值 and 得分 named only in the first
        state.carried_fund_fields = [f for f in state.fund_fields if f in ("weight", "score") and f not in found]
        found += state.carried_fund_fields
    state.fund_fields, state.block = found, "funds"


def _read_funds_header_end(reading: TableReading, row: TableRow) -> None:
    """Its columns come before 分值 and 得分 carried from a first header row."""
    state = reading.state
    carried = [f for f in state.fund_fields if f in state.carried_fund_fields]
    state.fund_fields = [f for f in state.fund_fields if f not in carried] + funding_columns(row.printed) + carried


def _read_funds_row(reading: TableReading, row: TableRow) -> None:
    table, printed = reading.table, row.printed
    record = read_funding_row(
        row.texts,
        reading.state.fund_fields,
        project_seq=reading.project.project_seq,
        table_id=reading.table_id,
        source_table=table.printed_title,
        page=row.page,
        row=row.number,
    )
    if record is not None:
        reading.result.funding.append(record)
    elif funding_line(row.texts) is None and (len(printed) > 1 or number_of(printed[0]) is None):
        reading.result.issues.append(
            Issue(
                "warning",
                "unread_funding_row",
                f"{table.printed_title} row {row.number}: '{' | '.join(printed)[:80]}'",
                reading.table_id,
                row.page,
            )
        )


def _read_goal_header(reading: TableReading, row: TableRow) -> None:
    reading.state.block = "goals"
    rest = [t for t in row.printed[1:] if not _GOAL_LABELS.match(compact(t))]
    if rest:
        reading.project.goal_text = rest[0]


def _read_goal_row(reading: TableReading, row: TableRow) -> None:
    project = reading.project
    texts_of_goal = [t for t in row.printed if not _GOAL_LABELS.match(compact(t))]
    if texts_of_goal and project.goal_text is None:
        project.goal_text = texts_of_goal[0]
        project.goal_result_text = texts_of_goal[-1] if len(texts_of_goal) > 1 else None


def _read_indicator_row(reading: TableReading, row: TableRow) -> None:
    reading.reader.read(row.texts, reading.state.columns, row.page, row.number, row.spans)


_READERS = {
    RowKind.YEAR_LINE: _skip,
    RowKind.BETWEEN_BLOCKS: _skip,
    RowKind.HEADER_FIELDS: _read_header,
    RowKind.PROJECT_NAME_END: _read_project_name_end,
    RowKind.FUNDS_HEADER: _read_funds_header,
    RowKind.FUNDS_HEADER_END: _read_funds_header_end,
    RowKind.FUNDS_ROW: _read_funds_row,
    RowKind.GOAL_HEADER: _read_goal_header,
    RowKind.GOAL_ROW: _read_goal_row,
    RowKind.INDICATOR_HEADER: _read_indicator_header,
    RowKind.INDICATOR_HEADER_REPEATED: _read_indicator_header_repeated,
    RowKind.INDICATOR_ROW: _read_indicator_row,
    RowKind.TOTALS: _read_totals,
    RowKind.GRADE: _read_grade,
    RowKind.CLOSING: _close,
}


def _finished(reading: TableReading) -> PerformanceResult:
    """The indicators read, and the warnings about what the table left unread."""
    table, project, result, reader = reading.table, reading.project, reading.result, reading.reader
    result.indicators = reader.finished()
    for page, number, fragment in reader.stray_fragments:
        result.issues.append(
            Issue(
                "warning",
                "stray_indicator_fragment",
                f"{table.printed_title} row {number}: '{fragment}' is a piece of a level name, not of the indicator above; not read",
                reading.table_id,
                page,
            )
        )
    if project.project_name is None and table.kind.scope == "department":
        project.project_name = "部门整体"
    if not result.indicators:
        result.issues.append(
            Issue(
                "warning",
                "no_indicators",
                f"{table.printed_title}: no indicator row read",
                reading.table_id,
                table.page,
            )
        )
    return result
