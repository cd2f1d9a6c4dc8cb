"""Budgets (部门预算 / 单位预算): every printed amount of seed 002 lands with the right unit, code,
measure and value, from the text export as it is and from PDFs drawn from its figures.

Expectations come from tests/fixtures/budget_data_jinjiang_2019.py (the seed's figures, transcribed
table by table), never from the parser.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.parse import parse_document
from pipelines.recognise.entities import normalise_entity
from tests.fixtures.budget_data_jinjiang_2019 import DOCUMENT as JINJIANG_2019
from tests.fixtures.budget_model import BUDGET_KEYS, expected_budget_amounts
from tests.fixtures.render_budget import render_budget

SEED_002 = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "002_7ecefe3468064f3a.txt"
KEYS = ("source_row",) + BUDGET_KEYS


def _expected(document) -> Counter:
    return Counter(
        tuple(record.get(k) for k in KEYS) + (record["amount"],) for record in expected_budget_amounts(document)
    )


def _landed(parsed) -> Counter:
    return Counter(tuple(getattr(a, k) for k in KEYS) + (a.amount,) for a in parsed.amounts if a.value_state == "value")


def _assert_same(expected: Counter, landed: Counter) -> None:
    missing = expected - landed
    unexpected = landed - expected
    assert not missing and not unexpected, (
        f"missing {len(missing)}: {sorted(missing, key=str)[:8]}\nunexpected {len(unexpected)}: {sorted(unexpected, key=str)[:8]}"
    )


def _normalised(counter: Counter) -> Counter:
    """Amounts compared as numbers (8121.56 万元 = 81,215,600.00 元 / 10000)."""
    return Counter({key[:-1] + (Decimal(key[-1]).normalize(),): n for key, n in counter.items()})


def test_seed_002_every_budget_amount_lands_with_its_unit_code_and_measure():
    if not SEED_002.exists():
        pytest.fail(f"missing {SEED_002}: ../shared must sit beside the repository")
    parsed = parse_document(SEED_002)
    assert parsed.status == "loaded"
    assert (parsed.doc_type, parsed.fiscal_year, parsed.printed_unit) == ("department_budget", 2019, "万元")
    _assert_same(_normalised(_expected(JINJIANG_2019)), _normalised(_landed(parsed)))
    assert not [i for i in parsed.issues if i.issue in ("unknown_row_label", "unlabelled_column", "unparseable_amount")]


@pytest.mark.parametrize("unit, rows_per_page", [("万元", None), ("元", 12)])
def test_budget_pdf_drawn_from_seed_002_lands_every_amount(tmp_path, unit, rows_per_page):
    pdf = tmp_path / f"jinjiang_{unit}.pdf"
    render_budget(JINJIANG_2019, pdf, unit=unit, rows_per_page=rows_per_page)
    parsed = parse_document(pdf)
    assert parsed.status == "loaded"
    assert (parsed.doc_type, parsed.fiscal_year, parsed.entity_name) == (
        "department_budget",
        2019,
        JINJIANG_2019.entity,
    )
    _assert_same(_normalised(_expected(JINJIANG_2019)), _normalised(_landed(parsed)))
    assert {a.printed_unit for a in parsed.amounts} == {unit}


def test_department_level_expenditure_is_printed_once_per_measure():
    """The department total (no unit, no code) of all funds is one printing per table, 8,599.56."""
    parsed = parse_document(SEED_002)
    totals = [
        a
        for a in parsed.amounts
        if a.fact_kind == "expenditure_function"
        and a.function_code is None
        and a.unit_code is None
        and a.expenditure_type == "total"
        and a.fund_source == "all"
    ]
    assert {a.amount for a in totals} == {Decimal("8599.56")}
    unit_rows = [
        a
        for a in parsed.amounts
        if a.table_kind == "bg_expenditure"
        and a.unit_code
        and a.expenditure_type == "total"
        and a.fund_source == "all"
        and a.column_label == "总计"
    ]
    assert sum(a.amount for a in unit_rows) == Decimal("8599.56")


@pytest.mark.parametrize(
    "printed, doc_type, other, other_type, level",
    [
        ("晋江市工信部门", "department_budget", "晋江市工业和信息化局", "department_final_account", "department"),
        ("福州市工业和信息化局（本级）", "unit_final_account", "福州市工业和信息化局(本级)", "unit_budget", "unit"),
        ("上海市普陀区司法局", "unit_budget", "上海市普陀区司法局", "unit_final_account", "unit"),
        # the names the Jiangsu party office prints on its text part, its 2017 tables and its 2018 tables
        ("江苏省委办公厅", "department_budget", "中国共产党江苏省委员会办公厅", "department_budget", "department"),
        ("中共江苏省委办公厅", "department_budget", "中国共产党江苏省委员会办公厅", "department_budget", "department"),
        (
            "江苏省政协办公厅",
            "department_budget",
            "中国人民政治协商会议江苏省委员会办公厅",
            "department_budget",
            "department",
        ),
        (
            "江苏省人大常委会办公厅",
            "department_budget",
            "江苏省人民代表大会常务委员会办公厅",
            "department_budget",
            "department",
        ),
    ],
)
def test_entity_names_of_one_body_share_a_key(printed, doc_type, other, other_type, level):
    first, second = normalise_entity(printed, doc_type), normalise_entity(other, other_type)
    assert first.key == second.key
    assert first.level == second.level == level


def test_entity_keys_keep_different_bodies_apart():
    names = [
        "晋江市工业和信息化局",
        "晋江市数字晋江建设办公室",
        "上海市普陀区财政局",
        "上海市普陀区司法局",
        "江苏省委办公厅",
        "江苏省政协办公厅",
        "江苏省人大常委会办公厅",
        "泉州市发展和改革委员会",
    ]
    assert len({normalise_entity(n, "department_budget").key for n in names}) == len(names)
    assert normalise_entity("晋江市工信部门", "department_budget").level == "department"
