"""The real Shanghai PDFs in ../shared/real, through pdfplumber.

Expectations are computed from the PDF independently of the parser: pypdfium2's plain page text
gives every printed amount on a table page (the parser must land each one), and the printed
hierarchy must add up (类 = Σ款, 款 = Σ项, total = Σ类) in every measure column.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pypdfium2
import pytest

from pipelines.parse import parse_document

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real"
FINAL_ACCOUNT = REAL / "上海市普陀区财政局2024年度部门决算.pdf"
TEMPLATE = REAL / "部门决算模板2024.pdf"
AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d])|(?<![\d.,])\d+\.\d{2}(?![\d])")


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"real PDF missing: {path} (../shared must sit beside the repository)")
    return path


@pytest.fixture(scope="module")
def final_account():
    return parse_document(_require(FINAL_ACCOUNT))


def test_metadata_and_tables_are_recognised_by_title(final_account):
    assert (final_account.status, final_account.doc_type, final_account.fiscal_year) == (
        "loaded",
        "department_final_account",
        2024,
    )
    assert final_account.entity_name == "上海市普陀区财政局"
    assert final_account.region == "上海市普陀区"
    assert final_account.page_count == 25
    assert [t.table_kind for t in final_account.tables] == [
        "fa_summary",
        "fa_income",
        "fa_expenditure",
        "fa_fiscal_summary",
        "fa_general_budget_expenditure",
        "fa_basic_economic",
        "fa_three_public",
        "fa_government_fund",
        "fa_state_capital",
    ]
    assert {t.table_kind for t in final_account.tables if t.is_empty} == {"fa_government_fund", "fa_state_capital"}


def test_every_amount_printed_on_a_table_page_is_landed(final_account):
    document = pypdfium2.PdfDocument(str(FINAL_ACCOUNT))
    try:
        printed = Counter()
        for table in final_account.tables:
            for page in range(table.first_page, table.last_page + 1):
                text = document[page - 1].get_textpage().get_text_range()
                printed[page] = len(AMOUNT.findall(text))
    finally:
        document.close()
    landed = Counter(a.source_page for a in final_account.amounts if a.value_state == "value")
    assert landed == printed
    # what the document reports of itself (rpt_ingestion): all of them printed, all of them landed
    assert final_account.printed_amount_count == final_account.landed_printed_count == sum(printed.values())


def test_printed_hierarchy_adds_up_in_every_measure(final_account):
    columns: dict[tuple, dict[str, Decimal]] = defaultdict(dict)
    for a in final_account.amounts:
        if a.value_state == "value" and a.table_kind in (
            "fa_income",
            "fa_expenditure",
            "fa_general_budget_expenditure",
        ):
            columns[(a.table_kind, a.income_source or a.expenditure_type)][a.function_code or "total"] = a.amount
    checked = 0
    for column, values in columns.items():
        for code, value in values.items():
            children = [
                c
                for c in values
                if c != "total" and (len(c) == 3 if code == "total" else len(c) == len(code) + 2 and c.startswith(code))
            ]
            if children:
                checked += 1
                assert abs(sum(values[c] for c in children) - value) <= Decimal("0.005") * (len(children) + 1), (
                    column,
                    code,
                )
    assert checked >= 30


def test_personnel_and_public_totals_equal_basic_expenditure(final_account):
    by_item = {
        a.line_item: a.amount for a in final_account.amounts if a.table_kind == "fa_basic_economic" and a.line_item
    }
    basic_total = next(
        a.amount
        for a in final_account.amounts
        if a.table_kind == "fa_general_budget_expenditure" and a.line_item == "total" and a.expenditure_type == "basic"
    )
    assert by_item["personnel_total"] + by_item["public_total"] == basic_total


def test_empty_template_loads_as_a_document_without_amounts():
    parsed = parse_document(_require(TEMPLATE))
    assert parsed.status == "loaded"
    assert parsed.doc_type == "department_final_account" and parsed.fiscal_year == 2024
    assert len(parsed.tables) == 9
    assert [a for a in parsed.amounts if a.value_state == "value"] == []
    assert not [i for i in parsed.issues if i.severity == "error"]


BUDGETS = {
    "上海市普陀区司法局2026年部门预算.pdf": "department_budget",
    "上海市普陀区司法局2026年单位预算.pdf": "unit_budget",
}
FUNCTION_BUDGET_TABLES = ("bg_income", "bg_expenditure", "bg_general_budget_expenditure")
# amounts as budgets print them: decimals, or thousands separators, or a lone 0 (codes are neither)
PRINTED_AMOUNT = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|0)(?![\d.,])")


def printed_amounts(page_text: str) -> list[str]:
    return PRINTED_AMOUNT.findall(page_text)


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_budget_documents_use_the_same_recognition(name):
    parsed = parse_document(_require(REAL / name))
    assert (parsed.status, parsed.doc_type, parsed.fiscal_year) == ("loaded", BUDGETS[name], 2026)
    assert parsed.entity_name == "上海市普陀区司法局"
    assert parsed.printed_unit == "元"
    kinds = {t.table_kind for t in parsed.tables}
    assert {
        "bg_summary",
        "bg_income",
        "bg_expenditure",
        "bg_fiscal_summary",
        "bg_general_budget_expenditure",
        "bg_three_public",
    } <= kinds
    assert {a.amount_basis for a in parsed.amounts} == {"budget"}

    document = pypdfium2.PdfDocument(str(REAL / name))
    try:
        for table in (t for t in parsed.tables if t.table_kind in FUNCTION_BUDGET_TABLES):
            for page in range(table.first_page, table.last_page + 1):
                printed = printed_amounts(document[page - 1].get_textpage().get_text_range())
                landed = [a for a in parsed.amounts if a.source_page == page and a.value_state == "value"]
                assert len(landed) == len(printed), (table.printed_title, page)
                # 元 printed with 2 decimals is stored exactly in 万元
                assert sorted(a.amount * 10000 for a in landed) == sorted(Decimal(p.replace(",", "")) for p in printed)
    finally:
        document.close()
