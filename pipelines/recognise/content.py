"""Tables recognised by what they contain, when no layout knows their title.

Every province prints the same table kinds over the same national classifications, under titles of
its own. A table whose title ends in 表 but matches no layout is still read when its rows are keyed
by classification codes and its header speaks of measures: the codes say function or economic class
(2xx, or 3xx / 5xx), the header's words say income or expenditure, the title's words say the fund
(layouts.yaml `content_title_words`). The stage (预算 or 决算) is the document's (parse.py).
"""

from __future__ import annotations

import re

from pipelines.basics.text import compact
from pipelines.read.model import Grid
from pipelines.recognise.layouts import Layout, content_title_words, layouts

_FUNCTION_CODE = re.compile(r"^2\d{2}(\d{2}){0,2}$")
_ECONOMIC_CODE = re.compile(r"^[35]\d{2}(\d{2})?$")
_MEASURE_WORDS = re.compile(r"金额|合计|小计|总计|预算数|决算数|基本支出|项目支出|收入")
_INCOME_WORDS = re.compile(r"财政拨款收入|上级补助收入|事业收入|经营收入|其他收入|本年收入|收入合计")
_NOT_A_TITLE = re.compile(r"^(续表|附表|续)")
_MIN_CODE_ROWS = 2


def may_be_title(text: str) -> bool:
    """A short line ending in 表 (the way every table title ends) that may name a table."""
    return 4 <= len(text) <= 40 and text.endswith("表") and not _NOT_A_TITLE.match(text)


def layout_by_content(title: str, grid: Grid) -> Layout | None:
    """The layout of a table titled `title` whose first piece is `grid`, from its codes and header
    words; None when its rows are not keyed by codes or its header names no measure."""
    function_rows = economic_rows = 0
    header: list[str] = []
    for row in grid.rows:
        first = next((compact(cell.text) for cell in row[:3] if cell.text.strip()), "")
        if _FUNCTION_CODE.match(first):
            function_rows += 1
        elif _ECONOMIC_CODE.match(first):
            economic_rows += 1
        elif not function_rows and not economic_rows:
            header += [compact(cell.text) for cell in row if cell.text.strip()]
    header_text = "".join(header)
    if max(function_rows, economic_rows) < _MIN_CODE_ROWS or not _MEASURE_WORDS.search(header_text):
        return None
    if economic_rows > function_rows:
        kind = "expenditure_by_economic_class"
    elif _INCOME_WORDS.search(header_text) or ("收入" in title and "支出" not in title):
        kind = "income_by_function"
    else:
        kind = "expenditure_by_function"
    return _with_title_words(layouts()[kind], title)


def _with_title_words(layout: Layout, title: str) -> Layout:
    dims = dict(layout.spec.get("dims", {}))
    measures = layout.spec["measures"]
    for rule in content_title_words():
        if not re.search(rule["match"], title):
            continue
        if "fund_source" in rule and dims.get("fund_source") == "all":
            dims["fund_source"] = rule["fund_source"]
        if "total_is" in rule and layout.spec["fact_kind"] != "income":
            measures = [
                {**m, "expenditure_type": rule["total_is"]} if m.get("expenditure_type") == "total" else m
                for m in measures
            ]
    spec = {**layout.spec, "dims": dims, "measures": measures}
    return Layout(layout.kind, layout.family, None, (), spec)


def is_by_content(layout: Layout) -> bool:
    return layout.family == "by_content"
