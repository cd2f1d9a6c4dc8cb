"""The performance side through the whole pipeline (`python -m pipelines refresh` on the five seeds):
indicators, funds and projects in the marts, their reconciliation, and no personal data anywhere.
Expectations come from figures transcribed by hand (tests/fixtures/performance_figures.py) and from
the seed files themselves (the names and phone numbers to look for)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.fixtures import performance_figures as figures
from tests.test_warehouse import _refresh

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
_PHONE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d{9}|0\d{2,3}-\d{7,8})(?![0-9A-Za-z])")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("performance")
    raw = root / "raw"
    raw.mkdir()
    for name in figures.SEED_FILES.values():
        if not (SEEDS / name).exists():
            pytest.fail(f"missing {SEEDS / name}: ../shared must sit beside the repository")
        shutil.copy(SEEDS / name, raw / name)
    db = root / "fiscal.duckdb"
    run = _refresh(raw, db)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return db


def _query(db: Path, sql: str, params=()):
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


def _document_id(db: Path, seed: str) -> str:
    return _query(db, "SELECT document_id FROM marts.dim_document WHERE source_file = ?", [figures.SEED_FILES[seed]])[
        0
    ][0]


@pytest.mark.parametrize(
    "seed, rows",
    [
        ("001", [(l1, l2, l3, w, s) for l1, l2, l3, _, _, w, s in figures.INDICATORS_001]),
        ("004", [(l1, l2, l3, w, s) for l1, l2, l3, w, _, s in figures.INDICATORS_004]),
        ("000", figures.INDICATORS_000),
    ],
)
def test_every_indicator_is_in_the_marts_once(warehouse, seed, rows):
    in_marts = Counter(
        _query(
            warehouse,
            """
        SELECT level1, level2, level3, weight, score FROM marts.fct_performance_indicator WHERE document_id = ?""",
            [_document_id(warehouse, seed)],
        )
    )
    assert in_marts == Counter((l1, l2, l3, float(w), float(s)) for l1, l2, l3, w, s in rows)


def test_every_indicator_of_the_transcribed_003_projects_is_in_the_marts(warehouse):
    document_id = _document_id(warehouse, "003")
    for name, expected in figures.PROJECTS_003.items():
        rows = _query(
            warehouse,
            """
            SELECT level1, level2, level3, replace(target_text, ' ', ''), actual_text, weight, score, stage, scope
            FROM marts.fct_performance_indicator WHERE document_id = ? AND project_name = ? ORDER BY indicator_seq""",
            [document_id, name],
        )
        assert rows == [
            (l1, l2, l3, t, a, float(w), float(s), "final_account", "project")
            for l1, l2, l3, t, a, w, s in expected["indicators"]
        ]


def test_funds_are_in_the_marts_with_their_rates(warehouse):
    document_id = _document_id(warehouse, "001")
    rows = {
        line: values
        for line, *values in _query(
            warehouse,
            f"""
        SELECT funding_line, {", ".join(figures.FUNDS_001_COLUMNS)} FROM marts.fct_project_funding WHERE document_id = ?""",
            [document_id],
        )
    }
    assert rows == {line: [Decimal(v) for v in values] for line, values in figures.FUNDS_001.items()}
    document_id = _document_id(warehouse, "003")
    for name, expected in figures.PROJECTS_003.items():
        ((full_year, executed, rate),) = _query(
            warehouse,
            """
            SELECT budget_full_year, executed, execution_rate FROM marts.dim_project WHERE document_id = ? AND project_name = ?""",
            [document_id, name],
        )
        assert (full_year, executed, rate) == tuple(
            Decimal(v) for v in (expected["funds_total"][1], expected["funds_total"][2], expected["funds_total"][4])
        )


def test_weights_and_scores_reconcile_per_project(warehouse):
    statuses = {
        (seed, check, subject): status
        for seed, check, subject, status in _query(
            warehouse,
            """
        SELECT substr(d.source_file, 1, 3), r.check_name, r.subject, r.status
        FROM marts.rpt_reconciliation r JOIN marts.dim_document d USING (document_id)
        WHERE r.check_name IN ('indicator_weights_sum_to_total', 'indicator_scores_sum_to_total', 'level1_weights_sum_to_subtotal')""",
        )
    }
    for seed, project, _totals, rows, level1_weights, weight_at in (
        (
            "001",
            "招商和政务网安全维护等专项",
            figures.TOTALS_001,
            figures.INDICATORS_001,
            figures.LEVEL1_WEIGHTS_001,
            5,
        ),
        ("004", "部门整体", figures.TOTALS_004, figures.INDICATORS_004, figures.LEVEL1_WEIGHTS_004, 3),
    ):
        assert statuses[(seed, "indicator_weights_sum_to_total", project)] == "pass"
        assert statuses[(seed, "indicator_scores_sum_to_total", project)] == "pass"
        for level1, printed in level1_weights.items():
            added = sum(row[weight_at] for row in rows if row[0] == level1)
            expected = "pass" if added == printed else "fail"  # 004 prints 管理效率 42 over weights adding to 44
            assert statuses[(seed, "level1_weights_sum_to_subtotal", f"{project} {level1}")] == expected, level1
    for name in figures.PROJECTS_003:
        assert statuses[("003", "indicator_scores_sum_to_total", name)] == "pass"
        assert statuses[("003", "indicator_weights_sum_to_total", name)] == "pass"


def test_execution_rates_are_checked_against_the_amounts(warehouse):
    rows = _query(
        warehouse,
        """
        SELECT r.subject, r.expected, r.status FROM marts.rpt_reconciliation r
        WHERE r.document_id = ? AND r.check_name = 'funding_execution_rate'""",
        [_document_id(warehouse, "003")],
    )
    by_subject = {subject: (expected, status) for subject, expected, status in rows}
    # 198.67 / 200.00 = 99.335 %, printed 99.33: within the printing precision
    assert by_subject["2023福州优品消费节活动市级资金(2023结转) total"] == (Decimal("99.33"), "rounding")
    assert by_subject["24年中央中小企业发展专项资金 total"] == (Decimal("100.00"), "pass")
    lines = _query(
        warehouse,
        """
        SELECT DISTINCT status FROM marts.rpt_reconciliation
        WHERE document_id = ? AND check_family_is_funds""".replace(
            "check_family_is_funds", "check_name IN ('funding_lines_sum', 'funding_balance_rate')"
        ),
        [_document_id(warehouse, "001")],
    )
    assert lines == [("pass",)]  # 财政资金小计 = 中央 + 省级 + 地方, 合计 = 小计 + 其他, 结余率 = ⑦ / ⑤


def test_nothing_is_counted_twice_and_every_fact_belongs_to_a_project(warehouse):
    for table, key in (
        ("fct_performance_indicator", "fact_id"),
        ("fct_project_funding", "fact_id"),
        ("dim_project", "project_key"),
    ):
        ((rows, distinct),) = _query(warehouse, f"SELECT count(*), count(DISTINCT {key}) FROM marts.{table}")
        assert rows == distinct and rows > 0, table
        if table != "dim_project":
            assert _query(
                warehouse,
                f"""
                SELECT count(*) FROM marts.{table} f LEFT JOIN marts.dim_project p USING (project_key)
                WHERE p.project_key IS NULL""",
            ) == [(0,)]
    ((projects, indicators),) = _query(warehouse, "SELECT count(*), sum(indicator_count) FROM marts.dim_project")
    assert indicators == _query(warehouse, "SELECT count(*) FROM marts.fct_performance_indicator")[0][0]
    assert projects >= figures.PROJECT_COUNT_003 + figures.BUDGET_TABLE_COUNT_002 + 1 + 1 + 1


def test_no_personal_name_or_phone_number_reaches_the_marts(warehouse):
    names, phones = set(), set()
    for name in figures.SEED_FILES.values():
        text = (SEEDS / name).read_text(encoding="utf-8")
        names |= set(re.findall(r"(?:项目负责人|签发人|联系人)\W*([\u4e00-\u9fff]{2,4})", text))
        phones |= set(re.findall(r"联系电话\W*(\d{7,12})", text))
    assert names and phones, "the seeds print a 项目负责人 and phone numbers"
    columns = _query(
        warehouse,
        """
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'marts' AND data_type = 'VARCHAR'""",
    )
    for table, column in columns:
        values = [
            v
            for (v,) in _query(warehouse, f'SELECT DISTINCT "{column}" FROM marts.{table} WHERE "{column}" IS NOT NULL')
        ]
        for value in values:
            assert not any(n in value for n in names | phones), (table, column, value)
            assert not _PHONE.search(value), (table, column, value)


def test_each_scored_row_is_its_weight_less_its_deduction(warehouse):
    """004's 评分表 prints 分值, 扣分 and 得分 on every row: each row is checked, and the transcribed
    figures say which pass (all of them: the document's rows are consistent)."""
    statuses = Counter(
        status
        for (status,) in _query(
            warehouse,
            """
        SELECT status FROM marts.rpt_reconciliation
        WHERE document_id = ? AND check_name = 'indicator_score_is_weight_less_deduction'""",
            [_document_id(warehouse, "004")],
        )
    )
    expected = Counter("pass" if w - (d or 0) == s else "fail" for _, _, _, w, d, s in figures.INDICATORS_004)
    assert statuses == expected


def test_every_failing_performance_check_is_explained(warehouse):
    unexplained = _query(
        warehouse,
        """
        SELECT substr(d.source_file, 1, 3), r.check_name, r.subject FROM marts.rpt_reconciliation r
        JOIN marts.dim_document d USING (document_id)
        WHERE r.status = 'fail' AND r.explanation IS NULL
          AND (r.check_name LIKE 'indicator%' OR r.check_name LIKE 'level%' OR r.check_name LIKE 'funding%')""",
    )
    assert unexplained == []


def test_first_level_subtotals_written_in_the_text_are_checked_and_the_contradiction_is_loud(warehouse):
    rows = {
        subject: (expected, actual, status, explanation)
        for subject, expected, actual, status, explanation in _query(
            warehouse,
            """SELECT subject, expected, actual, status, explanation FROM marts.rpt_reconciliation
                      WHERE document_id = ? AND check_name = 'level1_scores_sum_to_subtotal'""",
            [_document_id(warehouse, "000")],
        )
    }
    added = {
        level1: sum(Decimal(s) for l1, _, _, _, s in figures.INDICATORS_000 if l1 == level1)
        for level1, *_ in figures.SUBTOTALS_000
    }
    assert set(rows) == {f"部门整体 {level1} ({where})" for level1, where, _, _ in figures.SUBTOTALS_000}
    for level1, where, _, score in figures.SUBTOTALS_000:
        expected, actual, status, explanation = rows[f"部门整体 {level1} ({where})"]
        assert (expected, actual) == (Decimal(score), added[level1])
        assert status == ("pass" if Decimal(score) == added[level1] else "fail")
        assert (explanation is not None) == (status == "fail")
