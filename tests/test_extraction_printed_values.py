"""Negative amounts and placeholders as publishers print them, read back from generated PDFs."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from pipelines.parse import parse_document
from tests.extraction_keys import key_of_expected, key_of_record
from tests.fixtures.final_account_figures import DOCUMENTS, expected_amounts
from tests.fixtures.render_pdf import render_document

# 03's row 2011350: a refund printed as a negative total and basic amount, then every placeholder
CHANGED_ROW = ("2011350", ("-202.04", "-202.04", "—", "-", "无", ""))


def _with_negatives_and_placeholders(document):
    code, amounts = CHANGED_ROW
    tables = []
    for table in document.tables:
        if table.number == "公开03表":
            rows = tuple(dataclasses.replace(r, amounts=amounts) if r.function_code == code else r for r in table.rows)
            table = dataclasses.replace(table, rows=rows)
        tables.append(table)
    return dataclasses.replace(document, tables=tuple(tables))


@pytest.mark.parametrize("negatives", ["minus", "parentheses", "full_width_minus"])
@pytest.mark.parametrize("unit, rule_style", [("万元", "lines"), ("元", "lines"), ("元", "none")])
def test_negative_amounts_and_placeholders_come_back(tmp_path, negatives, unit, rule_style):
    document = _with_negatives_and_placeholders(DOCUMENTS["quanzhou_licheng_gongxin_2020"])
    path = tmp_path / "negatives.pdf"
    render_document(document, path, unit=unit, negatives=negatives, rule_style=rule_style, rows_per_page=15)

    parsed = parse_document(path)

    expected = Counter(key_of_expected(r) for r in expected_amounts(document) if key_of_expected(r)[1] is not None)
    got = Counter(key_of_record(a) for a in parsed.amounts if a.value_state == "value")
    assert got == expected
    placeholders = [a for a in parsed.amounts if a.value_state == "placeholder" and a.function_code == CHANGED_ROW[0]]
    assert sorted(a.raw_text for a in placeholders) == sorted(["—", "-", "无"])
    negative = [
        a for a in parsed.amounts if a.function_code == CHANGED_ROW[0] and a.amount is not None and a.amount < 0
    ]
    assert len(negative) == 2 and all(a.table_kind == "fa_expenditure" for a in negative)
