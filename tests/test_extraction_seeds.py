"""The real seeds (text exports of Fujian final accounts), through the real text-export reader.

Expectations are the figures transcribed from the seeds into tests/fixtures, not the parser's
output. Where the export itself lost a printed cell, the figure cannot come back; those places are
listed here with the reason, and everything else must match exactly.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipelines.parse import parse_document
from tests.extraction_keys import key_of_expected, key_of_record
from tests.fixtures.final_account_figures import DOCUMENTS, expected_amounts

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
SEED_FILES = {
    "quanzhou_licheng_gongxin_2020": "001_18c6c01e7d2ff3ee.txt",
    "fuzhou_gongxin_benji_2024": "003_2875b1c47b4453f7.txt",
}
# (table_kind, row identity, measure): cells the text export does not contain at all.
LOST_IN_EXPORT = {
    "fuzhou_gongxin_benji_2024": {
        ("fa_expenditure", "total", "subsidy_to_affiliated"),  # 合计 row prints 5 of 6 amounts
        # 合计 row prints 6 of 7 amounts: one of four 0.00 cells is gone; the zeros read alike,
        # so the one left unfilled is the last of the run.
        ("fa_income", "total", "affiliated_remittance"),
    },
}


def _seed(key: str) -> Path:
    path = SEEDS / SEED_FILES[key]
    if not path.exists():
        pytest.fail(f"seed missing: {path} (../shared must sit beside the repository)")
    return path


@pytest.mark.parametrize("key", sorted(SEED_FILES))
def test_seed_metadata_comes_from_the_cover(key):
    parsed = parse_document(_seed(key))
    document = DOCUMENTS[key]
    assert (parsed.status, parsed.doc_type, parsed.fiscal_year) == ("loaded", document.doc_type, document.year)
    assert parsed.entity_name.replace("(", "（").replace(")", "）") == document.entity
    assert parsed.page_count is None
    amount_tables = [t for t in parsed.tables if t.table_kind.startswith("fa_")]  # not the 绩效 annexes
    assert {t.table_number for t in amount_tables} == {f"公开0{n}表" for n in range(1, 10)}


@pytest.mark.parametrize("key", sorted(SEED_FILES))
def test_seed_amounts_of_tables_02_03_05_06_07_are_all_there(key):
    parsed = parse_document(_seed(key))
    judged = {"fa_income", "fa_expenditure", "fa_general_budget_expenditure", "fa_basic_economic", "fa_three_public"}
    expected = Counter(k for k in map(key_of_expected, expected_amounts(DOCUMENTS[key])) if k[0] in judged)
    got = Counter(k for k in (key_of_record(a) for a in parsed.amounts if a.value_state == "value") if k[0] in judged)

    invented = got - expected
    missing = expected - got
    lost = LOST_IN_EXPORT.get(key, set())
    assert invented == Counter()
    assert {k[:3] for k in missing} == lost


@pytest.mark.parametrize("key", sorted(SEED_FILES))
def test_seed_summary_and_empty_tables(key):
    parsed = parse_document(_seed(key))
    expected = Counter(
        k
        for k in map(key_of_expected, expected_amounts(DOCUMENTS[key]))
        if k[0] in ("fa_summary", "fa_government_fund", "fa_state_capital") and k[1] is not None
    )
    got = Counter(
        k
        for k in (key_of_record(a) for a in parsed.amounts if a.value_state == "value")
        if k[0] in ("fa_summary", "fa_government_fund", "fa_state_capital")
    )
    assert got == expected


def test_seed_001_empty_tables_say_so():
    parsed = parse_document(_seed("quanzhou_licheng_gongxin_2020"))
    empty = {t.table_number for t in parsed.tables if t.is_empty}
    assert empty == {"公开08表", "公开09表"}
    placeholders = [a for a in parsed.amounts if a.value_state == "placeholder"]
    assert {a.table_kind for a in placeholders} == {"fa_government_fund", "fa_state_capital"}
    assert all(a.amount is None for a in placeholders)
