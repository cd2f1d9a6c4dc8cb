"""Rows of a 绩效 table that are parts of another row: cut by a page break, or wrapped onto a row of
their own. Each test looks at the rows as printed and says whether (and how) they join."""

from __future__ import annotations

import re

from pipelines.basics.text import compact
from pipelines.normalise.page_breaks import joined_over_page_break
from pipelines.normalise.performance_records import ProjectRecord
from pipelines.normalise.project_funding import funding_columns, funding_line, number_of
from pipelines.recognise.performance_tables import performance_spec


def header_rule(text: str) -> dict | None:
    for rule in performance_spec()["header_fields"]:
        if re.search(rule["match"], compact(text)):
            return rule
    return None


def continues_fund_header(texts: list[str], printed: list[str]) -> bool:
    """A row right under a funds header that names funding columns only (“分值 / 得分”, “支出实现率…”):
    the header's end, cut off as a row of its own (a plain-text print wraps a row too wide for the paper)."""
    return funding_line(texts) is None and all(funding_columns([t]) for t in printed)


def label_cut_by_page_break(rows, number: int, labels: tuple[str, ...]) -> list[str] | None:
    """This row joined to the one before, where a page break cut a block's label (自评 / 得分等次)."""
    if number < 2 or rows[number - 2].page in (None, rows[number - 1].page):
        return None
    above, row = rows[number - 2], rows[number - 1]
    joined = joined_over_page_break(above.texts, above.spans, row.texts, row.spans)
    first_of = [next((compact(t) for t in texts if t), "") for texts in (joined, above.texts, row.texts)]
    if any(re.search(label, first_of[0]) and not any(re.search(label, f) for f in first_of[1:]) for label in labels):
        return joined
    return None


def ends_project_name(project: ProjectRecord, rows, number: int) -> bool:
    """A one-cell row on the page after the 项目名称 row, before any other block: the name's end,
    wrapped over the page break (“福州市产业链大脑APP” / “项目”)."""
    if project.project_name is None or project.source_row != number - 1:
        return False
    row, above = rows[number - 1], rows[number - 2]
    printed = [t for t in row.texts if t]
    return (
        len(printed) == 1
        and above.page not in (None, row.page)
        and header_rule(printed[0]) is None
        and number_of(printed[0]) is None
        and funding_line(row.texts) is None
    )


def header_cut_by_page_break(previous, row) -> list[str] | None:
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
            re.search(header, compact(t)) for t in joined
        ):
            return joined  # neither part names the header, joined they do
    funds = performance_spec()["funding_header"]
    if (
        any(re.search(funds, compact(t)) for t in previous.texts)
        and funding_line(previous.texts) is None
        and funding_line(row.texts) is None
        and len(funding_columns([t for t in joined if t])) > len(funding_columns([t for t in previous.texts if t]))
    ):
        return joined  # a funds header whose cut cells (全年执行 / 数) name more columns
    return None
