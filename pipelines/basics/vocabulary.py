"""Words and codes every table of the national templates prints, matched on compacted text.

政府收支分类科目 codes: 功能分类 类 (3 digits), 款 (5), 项 (7); 经济分类 301, 30101 have the same
shapes. A table's total line is 总计, or 合计 alone or qualified by what it totals (本年收入合计,
人员经费合计); a named subtotal (基本支出合计) ends the same way.
"""

from __future__ import annotations

import re

CLASSIFICATION_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")

_TOTAL = r"(?:合计|总计)"
# the qualifiers the national templates put before a table's own total line
_TOTAL_QUALIFIERS = r"(?:本年收入|本年支出|收入|支出|人员经费|公用经费)"

GRAND_TOTAL = re.compile(rf"^{_TOTAL}$")
TOTAL_LABEL = re.compile(rf"^(?:{_TOTAL_QUALIFIERS}?合计|总计)$")
# any name followed by 合计/总计 (人员经费合计, 项目支出合计): a total row, whatever it totals
NAMED_TOTAL = re.compile(rf"^(?:[\u4e00-\u9fff]{{2,8}})?{_TOTAL}$")
