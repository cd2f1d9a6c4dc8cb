"""Real PDFs of other provinces and producers (../shared/real-provinces), through pdfplumber.

Jiangsu's provincial departments print their budget tables on a grid whose every rule is a double
line (three grid columns per printed column), with figures centred across the rules, and publish the
fiscal-appropriation tables by function and by economic class on their own. 西南大学 (a central-level
department) prints its 财政拨款支出预算表 with the table's own total under the header 财政拨款支出.
Expected figures are transcribed from the printed pages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pypdfium2
import pytest

from pipelines.parse import parse_document

PROVINCES = Path(__file__).resolve().parents[1].parent / "shared" / "real-provinces"
COURT_2018 = PROVINCES / "jiangsu-provincial" / "省法院2018年度部门预算公开.pdf"
AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d])|(?<![\d.,])\d+\.\d{2}(?![\d])")
SWU_2023_BUDGET = PROVINCES / "southwest-university" / "20_swu_2023_department_budget__download.jsp.pdf"


def _parsed(path: Path):
    if not path.exists():
        pytest.fail(f"real PDF missing: {path} (../shared must sit beside the repository)")
    return parse_document(path)


@pytest.fixture(scope="module")
def court():
    return _parsed(COURT_2018)


@pytest.fixture(scope="module")
def university():
    return _parsed(SWU_2023_BUDGET)


def _facts(document, table_kind: str, code_field: str = "function_code") -> dict[tuple, Decimal]:
    facts: dict[tuple, Decimal] = {}
    for a in document.amounts:
        if a.table_kind == table_kind and a.value_state == "value":
            key = (getattr(a, code_field), a.expenditure_type)
            assert key not in facts, f"{table_kind}: two amounts for {key}"
            facts[key] = a.amount
    return facts


def test_jiangsu_fiscal_appropriation_expenditure_by_function(court):
    facts = _facts(court, "bg_fiscal_expenditure")
    assert {a.fund_source for a in court.amounts if a.table_kind == "bg_fiscal_expenditure"} == {"fiscal_appropriation"}
    assert facts[(None, "total")] == Decimal("33172.15")
    assert facts[("204", "total")] == Decimal("26200.88")
    assert facts[("2040501", "total")] == Decimal("14857.61")
    assert facts[("2210202", "total")] == Decimal("3318.25")
    assert len(facts) == 18  # 合计 and the 17 code rows, one 金额 each


def test_jiangsu_fiscal_appropriation_basic_expenditure_by_economic_class(court):
    facts = _facts(court, "bg_fiscal_basic_economic", "economic_code")
    assert facts[(None, "basic")] == Decimal("18570.82")
    assert facts[("301", "basic")] == Decimal("13747.87")
    assert facts[("30101", "basic")] == Decimal("2679.68")
    assert facts[("30309", "basic")] == Decimal("1.92")


@pytest.mark.parametrize(
    ("table_kind", "code_field"),
    [
        ("bg_fiscal_expenditure", "function_code"),
        ("bg_general_budget_expenditure", "function_code"),
        ("bg_fiscal_basic_economic", "economic_code"),
        ("bg_basic_economic", "economic_code"),
        ("bg_institution_running_costs", "economic_code"),
    ],
)
def test_jiangsu_tables_add_up_from_their_printed_rows(court, table_kind, code_field):
    facts = _facts(court, table_kind, code_field)
    assert facts, f"{table_kind} not read"
    children: dict[tuple, Decimal] = defaultdict(Decimal)
    for (code, measure), value in facts.items():
        if code is None:
            continue
        parent = None if len(code) == 3 else code[:3] if len(code) == 5 else code[:5]
        children[(parent, measure)] += value
    for key, total in children.items():
        if key in facts:
            assert facts[key] == total, f"{table_kind} {key}: printed {facts[key]}, its rows add up to {total}"


def test_jiangsu_institution_running_costs_by_economic_class(court):
    facts = _facts(court, "bg_institution_running_costs", "economic_code")
    assert set(facts) >= {(None, "institution_running_costs"), ("302", "institution_running_costs")}
    assert (
        facts[(None, "institution_running_costs")] == facts[("302", "institution_running_costs")] == Decimal("3407.38")
    )
    assert facts[("30201", "institution_running_costs")] == Decimal("350.00")
    assert {a.fund_source for a in court.amounts if a.table_kind == "bg_institution_running_costs"} == {
        "general_public_budget"
    }


def test_jiangsu_three_public_with_meeting_and_training_costs(court):
    """合计 | “三公”经费 (小计, 因公出国（境）费, 公务用车 (小计, 购置费, 运行维护费), 公务接待费) | 会议费 |
    培训费: the 合计 adds 会议费 and 培训费 to the 三公, so it is not the 三公 total."""
    items = {
        a.three_public_item: a.amount
        for a in court.amounts
        if a.table_kind == "bg_three_public" and a.value_state == "value"
    }
    assert items == {
        "grand_total": Decimal("2558.26"),
        "total": Decimal("620.75"),
        "overseas_travel": Decimal("170.00"),
        "vehicles": Decimal("266.80"),
        "vehicle_operation": Decimal("266.80"),
        "official_reception": Decimal("183.95"),
        "meetings": Decimal("271.26"),
        "training": Decimal("1666.25"),
    }


def test_tables_of_other_subjects_are_recognised_and_not_read_as_expenditure(court):
    kinds = [t.table_kind for t in court.tables]
    assert "bg_institution_running_costs" in kinds and "bg_government_procurement" in kinds
    procurement = {t.table_id for t in court.tables if t.table_kind == "bg_government_procurement"}
    assert not [a for a in court.amounts if a.table_id in procurement]
    assert any(i.issue == "table_not_read" for i in court.issues)


def test_a_column_the_layout_does_not_name_is_never_given_to_its_neighbour(university):
    """财政拨款支出 | 基本支出 | 项目支出: a row printing 828.72 twice is total and basic, not basic and
    project (the amount under an unnamed header must not be moved to the next named column)."""
    facts = _facts(university, "bg_fiscal_expenditure")
    assert facts[("2060201", "total")] == facts[("2060201", "basic")] == Decimal("828.72")
    assert ("2060201", "project") not in facts
    assert facts[("2059999", "total")] == facts[("2059999", "project")] == Decimal("637.08")
    assert ("2059999", "basic") not in facts
    assert facts[(None, "total")] == Decimal("230876.38")


def test_a_document_reports_how_many_printed_amounts_it_did_not_land(court):
    """The 政府采购预算表 is recognised but not read: the amounts of the pages that hold it alone are
    printed and not landed, and the document's counts (rpt_ingestion) say so."""
    pages_of = defaultdict(set)
    for t in court.tables:
        for page in range(t.first_page, t.last_page + 1):
            pages_of[page].add(t.table_kind)
    procurement_only = [page for page, kinds in pages_of.items() if kinds == {"bg_government_procurement"}]
    assert procurement_only
    document = pypdfium2.PdfDocument(str(COURT_2018))
    try:
        unread = sum(len(AMOUNT.findall(document[p - 1].get_textpage().get_text_range())) for p in procurement_only)
    finally:
        document.close()
    landed = sum(1 for a in court.amounts if a.value_state == "value")
    assert court.landed_printed_count == landed
    assert court.printed_amount_count - court.landed_printed_count >= unread > 0


def test_a_part_printed_in_a_column_of_its_own_is_never_its_group(university):
    """收入预算表: 事业收入 | 其中：教育收费. The 其中 column is a part of 事业收入, not 事业收入 itself: it
    is not landed (and said so once), and 事业收入 keeps its own amount."""
    business = {
        a.function_code: a.amount
        for a in university.amounts
        if a.table_kind == "bg_income" and a.income_source == "business" and a.value_state == "value"
    }
    assert business["205"] == Decimal("122342.73")  # not the 74,162.23 of 教育收费
    assert [i.message for i in university.issues if i.issue == "sub_measure_not_landed"] == [
        "西南大学收入预算表: column '事业收入/其中:教育收费' is a part of its group, not landed"
    ]


def test_jiangsu_income_by_source_printed_as_rows_of_names(court):
    """收入预算总表 without codes: 收入总计, then groups (一般公共预算资金 | 小计 …) whose name is printed in
    the middle of their merged cell; a group's 小计 is the group's amount."""
    income = {
        (a.income_source, a.line_item): a.amount
        for a in court.amounts
        if a.table_kind == "bg_income" and a.value_state == "value"
    }
    assert income == {
        ("grand_total", "grand_total"): Decimal("33172.15"),
        ("general_public_budget", "total"): Decimal("33172.15"),
    }
