"""One performance table → its project, funding lines and indicators.

The table is read top to bottom as blocks: the project header (项目名称, 主管部门 …), the funds
block, the overall goal, the indicator header and rows, and the totals (总分 / 合计, 等次). Which
block a row starts is decided by its labels (performance.yaml); rows in between belong to the
block above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

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
from pipelines.normalise.project_funding import (
    funding_columns,
    funding_line,
    number_of,
    read_funding_row,
)
from pipelines.normalise.records import Issue
from pipelines.basics.text import compact
from pipelines.recognise.performance_tables import (
    PerformanceTable,
    performance_spec,
)
from pipelines.normalise.page_breaks import joined_over_page_break

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


def normalise_performance_table(table: PerformanceTable, table_id: int, project_seq: int) -> PerformanceResult:
    spec = performance_spec()
    kind = table.kind
    project = ProjectRecord(project_seq, table_id, kind.kind, kind.scope, table.printed_title, table.page, None, None,
                            nominal_total_weight=Decimal(kind.nominal_total_weight) if kind.nominal_total_weight else None)
    result = PerformanceResult(project)
    reader = IndicatorReader(kind, project_seq, table_id, table.printed_title)
    mode: str | None = "indicators" if kind.shape == "scored_levels" else None
    fund_fields: list[str] = []
    carried_fields: list[str] = []
    columns = IndicatorColumns(list(kind.default_fields))
    previous_was_fund_header = False
    in_indicator_header = False         # the header rows just read: the next header-only row continues them
    for number, row in enumerate(table.rows, start=1):
        texts = _header_cut_by_page_break(table.rows[number - 2] if number > 1 else None, row) or row.texts
        cut = _label_cut_by_page_break(table.rows, number, (spec["grade_label"], spec["closing_label"]))
        if cut is not None:             # “自评” / “得分等次”, “单位” / “已有的…措施”: the first part read nothing
            texts = cut
            reader.records = [r for r in reader.records if r.source_row != number - 1]
        printed = [t for t in texts if t]
        first = compact(printed[0])
        if re.match(spec["year_line"], first):
            continue
        if _read_header_fields(project, texts, number):
            continue
        if _ends_project_name(project, table.rows, number):
            project.project_name += compact(printed[0])
            continue
        if mode != "funds" or funding_line(texts) is None:
            if re.search(spec["grade_label"], first):
                project.grade = compact(printed[-1]) if len(printed) > 1 else None
                continue
            if re.search(spec["total_label"], first) and mode == "indicators":
                _read_totals(project, printed[1:], number)
                mode = None                 # what follows the total is not an indicator
                continue
        if re.search(spec["closing_label"], first):
            mode = None
            continue
        if any(re.search(spec["indicator_header"], compact(t)) for t in printed):
            mode, in_indicator_header = "indicators", True
            columns = indicator_columns(texts, kind)
            continue
        is_fund_header = mode != "indicators" and any(re.search(spec["funding_header"], compact(t)) for t in printed)
        if previous_was_fund_header and not is_fund_header and _continues_fund_header(texts, printed):
            # its columns come before 分值 and 得分 carried from a first header row
            carried = [f for f in fund_fields if f in carried_fields]
            fund_fields = [f for f in fund_fields if f not in carried] + funding_columns(printed) + carried
            continue
        if is_fund_header and (funding_line(texts) is not None or not any(isinstance(number_of(t), Decimal) for t in printed)):
            found = funding_columns(printed)
            carried_fields = []
            if previous_was_fund_header:     # a header of two rows: 分值 and 得分 named only in the first
                carried_fields = [f for f in fund_fields if f in ("weight", "score") and f not in found]
                found += carried_fields
            fund_fields, mode, previous_was_fund_header = found, "funds", True
            if funding_line(texts) is None:
                continue
        else:
            previous_was_fund_header = False
        if re.search(spec["goal_header"], first):
            mode = "goals"
            rest = [t for t in printed[1:] if not _GOAL_LABELS.match(compact(t))]
            if rest:
                project.goal_text = rest[0]
            continue
        if mode == "indicators" and is_header_continuation(texts) and not reader.completes_levels(texts):
            if in_indicator_header or not reader.records:
                columns = indicator_columns(texts, kind, extend=columns)
            continue                        # a header repeated after a page break is no indicator
        in_indicator_header = False
        if mode == "funds":
            record = read_funding_row(texts, fund_fields, project_seq=project_seq, table_id=table_id,
                                      source_table=table.printed_title, page=row.page, row=number)
            if record is not None:
                result.funding.append(record)
            elif funding_line(texts) is None and (len(printed) > 1 or number_of(printed[0]) is None):
                result.issues.append(Issue("warning", "unread_funding_row",
                                           f"{table.printed_title} row {number}: '{' | '.join(printed)[:80]}'", table_id, row.page))
        elif mode == "goals":
            texts_of_goal = [t for t in printed if not _GOAL_LABELS.match(compact(t))]
            if texts_of_goal and project.goal_text is None:
                project.goal_text = texts_of_goal[0]
                project.goal_result_text = texts_of_goal[-1] if len(texts_of_goal) > 1 else None
        elif mode == "indicators":
            reader.read(texts, columns, row.page, number, row.spans)
    result.indicators = reader.finished()
    for page, number, fragment in reader.stray_fragments:
        result.issues.append(Issue("warning", "stray_indicator_fragment",
                                   f"{table.printed_title} row {number}: '{fragment}' is a piece of a level name, not of the indicator above; not read",
                                   table_id, page))
    if project.project_name is None and kind.scope == "department":
        project.project_name = "部门整体"
    if not result.indicators:
        result.issues.append(Issue("warning", "no_indicators", f"{table.printed_title}: no indicator row read", table_id, table.page))
    return result


def _continues_fund_header(texts: list[str], printed: list[str]) -> bool:
    """A row right under a funds header that names funding columns only (“分值 / 得分”, “支出实现率…”):
    the header's end, cut off as a row of its own (a plain-text print wraps a row too wide for the paper)."""
    return funding_line(texts) is None and all(funding_columns([t]) for t in printed)


def _label_cut_by_page_break(rows, number: int, labels: tuple[str, ...]) -> list[str] | None:
    """This row joined to the one before, where a page break cut a block's label (自评 / 得分等次)."""
    if number < 2 or rows[number - 2].page in (None, rows[number - 1].page):
        return None
    above, row = rows[number - 2], rows[number - 1]
    joined = joined_over_page_break(above.texts, above.spans, row.texts, row.spans)
    first_of = [next((compact(t) for t in texts if t), "") for texts in (joined, above.texts, row.texts)]
    if any(re.search(label, first_of[0]) and not any(re.search(label, f) for f in first_of[1:]) for label in labels):
        return joined
    return None


def _ends_project_name(project: ProjectRecord, rows, number: int) -> bool:
    """A one-cell row on the page after the 项目名称 row, before any other block: the name's end,
    wrapped over the page break (“福州市产业链大脑APP” / “项目”)."""
    if project.project_name is None or project.source_row != number - 1:
        return False
    row, above = rows[number - 1], rows[number - 2]
    printed = [t for t in row.texts if t]
    return (len(printed) == 1 and above.page not in (None, row.page) and _header_rule(printed[0]) is None
            and number_of(printed[0]) is None and funding_line(row.texts) is None)


def _header_cut_by_page_break(previous, row) -> list[str] | None:
    """A header whose cells a page break cut (indicators: “绩效内” / “容”; funds: “年初” / “预算数”):
    the two rows joined cell by cell, where neither part alone is the header, or joined a funds
    header names more columns."""
    if previous is None or previous.page in (None, row.page):
        return None
    joined = joined_over_page_break(previous.texts, previous.spans, row.texts, row.spans)
    if joined == previous.texts:
        return None
    for header in (performance_spec()["indicator_header"], performance_spec()["funding_header"]):
        if not any(re.search(header, compact(t)) for t in previous.texts + row.texts) and any(
                re.search(header, compact(t)) for t in joined):
            return joined                   # neither part names the header, joined they do
    funds = performance_spec()["funding_header"]
    if any(re.search(funds, compact(t)) for t in previous.texts) and funding_line(previous.texts) is None \
            and funding_line(row.texts) is None \
            and len(funding_columns([t for t in joined if t])) > len(funding_columns([t for t in previous.texts if t])):
        return joined                       # a funds header whose cut cells (全年执行 / 数) name more columns
    return None


def _read_header_fields(project: ProjectRecord, texts: list[str], number: int) -> bool:
    """项目名称 / 主管部门 / … label-value pairs of the header block; personal data is skipped."""
    found = False
    skip_next = False
    for position, text in enumerate(texts):
        if not text:
            continue
        if skip_next:
            skip_next = False
            if _header_rule(text) is None:
                continue
        rule = _header_rule(text)
        if rule is None:
            continue
        found = True
        if rule.get("skip"):
            skip_next = True
            continue
        label_end = re.match(rule["match"], compact(text)).end()
        value = compact(text)[label_end:].lstrip(":：")
        if not value:
            value = next((t for t in texts[position + 1:] if t and _header_rule(t) is None), "")
        value = _checked_option(value) if _CHECKBOX.search(value) else compact(value)
        if value and getattr(project, rule["field"]) is None:
            setattr(project, rule["field"], value)
            if rule["field"] == "project_name":
                project.source_row = number
    return found


def _header_rule(text: str) -> dict | None:
    for rule in performance_spec()["header_fields"]:
        if re.search(rule["match"], compact(text)):
            return rule
    return None


def _checked_option(value: str) -> str:
    """'延续<input checked…>新增<input…>' → '延续': the ticked option of a checkbox line."""
    found = _CHECKED.search(value)
    if not found:
        return ""
    option = found.group(1) or found.group(2) or ""
    return compact(re.sub(r"<[^>]+>|[□☑✓✔√■]", "", option))


def _read_totals(project: ProjectRecord, texts: list[str], number: int) -> None:
    values = [v for v in (number_of(t) for t in texts) if isinstance(v, Decimal)]
    if len(values) >= 2:
        project.printed_total_weight, project.printed_total_score = values[0], values[-1]
    elif values:
        project.printed_total_score = values[0]
    project.total_source_row = number
