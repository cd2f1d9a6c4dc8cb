"""Scanned documents: pages without a text layer, read by OCR, through the whole pipeline into the marts.

The scan is a whole generated final account (cover and all nine tables: the dense two-line header
of 02, the side-by-side panels of 01 and 04, the three column groups of 06) whose pages were turned
into images. What OCR reads must either be right or be caught: every amount in the marts is
compared with the figures that drew it, and each one that differs must sit under a check that did
not pass. Every OCR amount says so in its provenance. A landscape table scanned sideways (the page
stored portrait, nothing in the PDF saying it is turned) is read upright.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from PIL import Image

from pipelines.parse import parse_document
from pipelines.read.ocr import tesseract_ready
from tests.extraction_keys import key_of_expected, key_of_record
from tests.fixtures.final_account_figures import DOCUMENTS, expected_amounts
from tests.fixtures.render_variants import only_tables, scanned

DOCUMENT = DOCUMENTS["quanzhou_licheng_gongxin_2020"]
SCANNED_TABLES = tuple(t.number for t in DOCUMENT.tables)
# a landscape table of a dense two-line header, scanned sideways
SIDEWAYS = only_tables(DOCUMENT, ("公开02表",))
# the target of issue 5: at least 98% of the amounts of a scan right, every wrong one caught
MIN_SHARE_RIGHT = 0.98
# mart → the column that names its row
FACT_TABLES = {
    "fct_income": "function_code",
    "fct_expenditure_function": "function_code",
    "fct_expenditure_economic": "economic_code",
    "fct_three_public": "item",
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    missing = tesseract_ready()
    if missing:
        pytest.fail(f"OCR is part of the set-up (make setup): {missing}")
    root = tmp_path_factory.mktemp("scans")
    raw = root / "raw"
    raw.mkdir()
    scanned(DOCUMENT, raw / "scanned.pdf")
    db = root / "fiscal.duckdb"
    env = {**os.environ, "FISCAL_RAW_DIR": str(raw), "FISCAL_DUCKDB_PATH": str(db)}
    done = subprocess.run(
        [sys.executable, "-m", "pipelines", "refresh"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        cwd=Path(__file__).resolve().parents[1],
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return db


def _query(db: Path, sql: str):
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_scanned_amounts_are_mostly_right_and_every_wrong_one_is_caught(warehouse):
    amounts = []
    for table, identity in FACT_TABLES.items():
        amounts += _query(
            warehouse,
            f"""
            SELECT source_table, table_id, source_column, {identity}, amount, extraction_method FROM marts.{table}""",
        )
    expected = Counter((r["table"], r["amount"].quantize(Decimal("0.000001"))) for r in expected_amounts(DOCUMENT))
    read = _query(
        warehouse, "SELECT source_table, amount, extraction_method FROM landing.amounts WHERE value_state = 'value'"
    )
    landed = Counter((a[0], a[4]) for a in amounts)

    assert {a[2] for a in read} == {"ocr"} and {a[5] for a in amounts} == {"ocr"}
    # every amount read (the summary tables' rows land in the marts only where no other table has them)
    right = sum((Counter((t, amount) for t, amount, _ in read) & expected).values())
    assert right >= MIN_SHARE_RIGHT * sum(expected.values()), (right, sum(expected.values()))
    wrong = landed - expected
    not_passed = _query(
        warehouse,
        """
        SELECT table_id, source_column, subject FROM marts.rpt_reconciliation
        WHERE status IN ('fail', 'insufficient_data')""",
    )
    for source_table, table_id, column, code, amount, _ in amounts:
        if (source_table, amount) not in wrong:
            continue
        parents = {code, code[:-2] if code and code[:-2].isdigit() else code, "total"}
        assert any(t == table_id and c == column and any(p and p in s for p in parents) for t, c, s in not_passed), (
            f"{source_table} {code} {amount} is wrong and no check caught it"
        )


def test_the_scan_is_recognised_as_the_document_it_is(warehouse):
    tables = {t for (t,) in _query(warehouse, "SELECT source_table FROM landing.source_tables")}
    assert tables == set(SCANNED_TABLES)
    ((doc_type, year, entity),) = _query(warehouse, "SELECT doc_type, fiscal_year, entity_name FROM marts.dim_document")
    assert (doc_type, year, entity) == (DOCUMENT.doc_type, DOCUMENT.year, DOCUMENT.entity)


def test_a_table_scanned_sideways_is_read_upright(tmp_path):
    path = tmp_path / "sideways.pdf"
    scanned(SIDEWAYS, path, sideways=True)

    parsed = parse_document(path)

    expected = Counter(k for k in map(key_of_expected, expected_amounts(SIDEWAYS)) if k[1] is not None)
    read = Counter(key_of_record(a) for a in parsed.amounts if a.value_state == "value")
    assert sum((expected & read).values()) >= MIN_SHARE_RIGHT * sum(expected.values()), (
        expected - read,
        read - expected,
    )
    assert {a.extraction_method for a in parsed.amounts} == {"ocr"}


def test_a_scanned_page_that_cannot_be_read_is_reported(tmp_path):
    path = tmp_path / "blank_scan.pdf"
    Image.new("L", (1240, 1754), 255).save(path, "PDF", resolution=150.0)

    parsed = parse_document(path)

    assert parsed.status == "rejected"
    unread = [i for i in parsed.issues if i.issue == "unread_page"]
    assert unread and "page 1" in unread[0].message
