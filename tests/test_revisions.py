"""A degraded revision does not supersede silently.

The real final account in raw/ lands one night; the next night a truncated copy of it arrives (its
first 11 of 16 pages: a download cut short that still parses, with the cover, so entity, fiscal year
and kind are those of the original, but it reads far fewer amounts). As a later revision of the same
document it would supersede the original; it reads less than revision_min_amount_share (0.9) of the
original's amounts, so the original stays current and the run says so: a `revision_reads_less` fail
in rpt_reconciliation naming both documents, not_current_reason in dim_document, a line in the log.
(A genuine correction still supersedes: test_reliability.test_a_corrected_republication_supersedes_the_original.)
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pypdfium2 as pdfium
import pytest

from pipelines.land import ingest
from pipelines.land.limits import ParseLimits
from pipelines.parse import parse_document
from pipelines.parsed_document import sha256_of

REPO = Path(__file__).resolve().parents[1]
FINAL_ACCOUNT = REPO / "raw" / "quanzhou_licheng_gongxin_2020_department_final_account.pdf"
KEPT_PAGES = 11  # 公开01–05表: 公开06–09表 are lost
FACT_TABLES = ("fct_income", "fct_expenditure_function", "fct_expenditure_economic", "fct_three_public")


def write_first_pages(source: Path, target: Path, pages: int) -> None:
    """A valid PDF of the first `pages` pages of `source` (a truncated copy that still opens)."""
    original, copy = pdfium.PdfDocument(str(source)), pdfium.PdfDocument.new()
    try:
        copy.import_pages(original, list(range(pages)))
        copy.save(str(target))
    finally:
        copy.close()
        original.close()


@dataclasses.dataclass
class Nights:
    db: Path
    good: str
    truncated: str
    good_amounts: int
    truncated_amounts: int
    refresh: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def nights(tmp_path_factory) -> Nights:
    root = tmp_path_factory.mktemp("revisions")
    raw, db = root / "raw", root / "warehouse" / "fiscal.duckdb"
    raw.mkdir()
    good = raw / "quanzhou_2020.pdf"
    shutil.copyfile(FINAL_ACCOUNT, good)
    # the first night: landing alone is enough to record when the original was first seen
    ingest.ingest(raw, db, db.parent / "parsed", workers=1, limits=ParseLimits(None, None))

    truncated = raw / "quanzhou_2020_redownload.pdf"
    write_first_pages(good, truncated, KEPT_PAGES)
    parsed_good, parsed_truncated = parse_document(good), parse_document(truncated)
    # the copy is a revision of the original (same entity, year, kind) that reads much less
    same = ("status", "doc_type", "fiscal_year", "entity_key")
    assert [getattr(parsed_truncated, f) for f in same] == [getattr(parsed_good, f) for f in same]
    assert 0 < len(parsed_truncated.amounts) < 0.9 * len(parsed_good.amounts)

    # the next night, as the nightly job runs
    env = {**os.environ, "FISCAL_RAW_DIR": str(raw), "FISCAL_DUCKDB_PATH": str(db)}
    for name in ("DAGSTER_HOME", "FISCAL_CACHE_DIR"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "pipelines", "refresh"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return Nights(
        db, sha256_of(good), sha256_of(truncated), len(parsed_good.amounts), len(parsed_truncated.amounts), done
    )


def query(nights: Nights, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(nights.db), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


def test_the_original_stays_current_and_the_truncated_copy_says_why_not(nights):
    rows = query(
        nights,
        """SELECT document_id, is_current, superseded_by, not_current_reason, reads_less_than, revision_number,
                  amount_count
           FROM marts.dim_document ORDER BY revision_number""",
    )
    assert rows == [
        (nights.good, True, None, None, None, 1, nights.good_amounts),
        (
            nights.truncated,
            False,
            None,
            "reads_less_than_earlier_revision",
            nights.good,
            2,
            nights.truncated_amounts,
        ),
    ]
    for table in FACT_TABLES:  # the facts are the original's, all of them
        assert query(nights, f"SELECT DISTINCT document_id FROM marts.{table}") == [(nights.good,)], table
    assert query(nights, "SELECT count(DISTINCT source_table) FROM marts.fct_three_public") == [(1,)]  # 公开07表


def test_the_held_back_revision_is_a_fail_that_names_both_documents(nights):
    failing = query(
        nights,
        """SELECT document_id, check_name, subject, expected, actual, status
           FROM marts.rpt_reconciliation WHERE status <> 'pass' AND status <> 'rounding'""",
    )
    ((document_id, check_name, subject, expected, actual, status),) = [r for r in failing if r[5] == "fail"]
    assert (document_id, check_name, status) == (nights.truncated, "revision_reads_less", "fail")
    assert (expected, actual) == (nights.good_amounts, nights.truncated_amounts)
    assert nights.good in subject and nights.truncated in subject
    assert f"reads {nights.truncated_amounts} amounts" in subject and f"the {nights.good_amounts} of" in subject
    assert query(nights, "SELECT check_family FROM marts.dim_reconciliation_check WHERE check_name = ?", [check_name])
    # and the run says it, beside the warning of the reconciliation test
    output = nights.refresh.stdout
    assert (
        f"Revision held back: quanzhou_2020_redownload.pdf reads {nights.truncated_amounts} amounts, "
        f"quanzhou_2020.pdf {nights.good_amounts}; quanzhou_2020_redownload.pdf does not supersede it"
    ) in output
    assert "not_accepted_values_rpt_reconciliation_status__fail" in output
    assert query(
        nights, "SELECT not_current_reason, checks_fail FROM marts.rpt_ingestion WHERE document_id = ?", [document_id]
    ) == [("reads_less_than_earlier_revision", 1)]
