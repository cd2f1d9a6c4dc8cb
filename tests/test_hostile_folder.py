"""A refresh of a folder holding every kind of hostile input (tests/fixtures/hostile_folder.py).

Landing runs over the folder once as the nightly refresh's landing does (`ingest`), while the
folder changes under it: a file is replaced and another one grows (a copy still being written)
after they were hashed, one is removed before its parse, one vanishes while it is hashed. Then the
nightly job runs over the folder as it has settled (`python -m pipelines refresh`). Both runs
are compared with a clean run over the good documents alone:

- every good document lands exactly as in the clean run (every landing row), under whatever name,
  and its marts facts are the clean run's;
- every bad input is rejected, or left out with a warning, for its true reason;
- nothing stops the run, nothing of a bad input reaches a fact table.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.land import ingest
from pipelines.land.limits import ParseLimits
from pipelines.land.warehouse import LANDING_TABLES
from pipelines.parse import parse_document
from pipelines.parsed_document import sha256_of
from tests.fixtures import hostile_folder as hostile
from tests.fixtures.hostile_folder import CHANGED, GOOD, Good, Ignored, Mutant, Rejected, Same, Skipped

REPO = Path(__file__).resolve().parents[1]
LIMITS = ParseLimits(120, hostile.MEMORY_MB)
GOOD_IDS = {key: sha256_of(path) for key, path in GOOD.items()}
# columns that say when or under which name, not what was read
NOT_CONTENT = {"source_file", "parse_seconds"}
FACT_MARTS = (
    "fct_income",
    "fct_expenditure_function",
    "fct_expenditure_economic",
    "fct_three_public",
    "dim_project",
    "fct_project_funding",
    "fct_performance_indicator",
    "rpt_reconciliation",
)


def refresh(raw: Path, db: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "FISCAL_RAW_DIR": str(raw),
        "FISCAL_DUCKDB_PATH": str(db),
        "FISCAL_PARSE_TIMEOUT_SECONDS": str(LIMITS.timeout_seconds),
        "FISCAL_PARSE_MEMORY_MB": str(LIMITS.memory_mb),
    }
    for name in ("DAGSTER_HOME", "FISCAL_CACHE_DIR", "FISCAL_ALLOW_EMPTY_RAW"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "pipelines", "refresh"], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def rows(db: Path, table: str, document_ids) -> list[tuple]:
    """The rows of `table` of these documents, without the columns that are no content, sorted."""
    with duckdb.connect(str(db), read_only=True) as connection:
        columns = [c for (c,) in connection.execute(f"SELECT column_name FROM (DESCRIBE {table})").fetchall()]
        keep = ", ".join(f'"{c}"' for c in columns if c not in NOT_CONTENT)
        found = connection.execute(
            f"SELECT {keep} FROM {table} WHERE document_id IN (SELECT unnest(?))", [sorted(document_ids)]
        ).fetchall()
    return sorted(found, key=repr)


def landed_files(db: Path) -> dict[str, dict]:
    with duckdb.connect(str(db), read_only=True) as connection:
        cursor = connection.execute(
            "SELECT f.source_file, d.* EXCLUDE (source_file) FROM landing.document_files f JOIN landing.documents d USING (document_id)"
        )
        names = [c[0] for c in cursor.description]
        return {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}


class Changes:
    """What the folder does while landing reads it: applied right after the folder was listed
    (and, for the vanishing file, while it is hashed), so that each happens at a known moment."""

    def __init__(self, raw: Path):
        self.raw = raw
        budget, unit_final_account = (GOOD[k].read_bytes() for k in ("budget_jinjiang", "unit_final_account_fuzhou"))
        evaluation = GOOD["self_evaluation_quanzhou"].read_bytes()
        (raw / "changing").mkdir()
        self.write("replaced.pdf", budget + b"\n% an earlier download\n")
        self.write("growing.pdf", unit_final_account[: len(unit_final_account) // 2])
        self.write("removed.pdf", evaluation + b"\n% removed before its parse\n")
        self.write("vanishing.pdf", evaluation + b"\n% gone while hashed\n")
        self.listed_ids = {
            name: sha256_of(raw / "changing" / name) for name in ("replaced.pdf", "growing.pdf", "removed.pdf")
        }

    def write(self, name: str, data: bytes) -> None:
        (self.raw / "changing" / name).write_bytes(data)
        os.utime(self.raw / "changing" / name, (hostile.OLD, hostile.OLD))

    def discover(self, real):
        def listed_then_changed(raw_dir):
            found = real(raw_dir)
            shutil.copyfile(GOOD["final_account_quanzhou"], self.raw / "changing" / "replaced.pdf")
            self.write("growing.pdf", GOOD["unit_final_account_fuzhou"].read_bytes())
            (self.raw / "changing" / "removed.pdf").unlink()
            return found

        return listed_then_changed

    def hash(self, real):
        def vanishing(path):
            if path.name == "vanishing.pdf":
                path.unlink()
            return real(path)

        return vanishing


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    for path in GOOD.values():
        if not path.exists():
            pytest.fail(f"missing {path} (../shared must sit beside the repository)")
    root = tmp_path_factory.mktemp("hostile")
    clean_raw, clean_db = root / "clean" / "raw", root / "clean" / "warehouse" / "fiscal.duckdb"
    hostile.clean_folder(clean_raw)
    clean = refresh(clean_raw, clean_db)

    raw, db = root / "hostile" / "raw", root / "hostile" / "warehouse" / "fiscal.duckdb"
    expect = hostile.hostile_folder(raw, root / "hostile" / "outside")
    changes = Changes(raw)
    warnings: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: warnings.append(record.getMessage())
    logger = logging.getLogger(ingest.__name__)
    logger.addHandler(handler)
    patch = pytest.MonkeyPatch()
    patch.setattr(ingest, "discover_documents", changes.discover(ingest.discover_documents))
    patch.setattr(ingest, "sha256_of", changes.hash(ingest.sha256_of))
    try:
        report = ingest.ingest(raw, db, db.parent / "parsed", workers=2, limits=LIMITS)
    finally:
        patch.undo()
        logger.removeHandler(handler)
    first = {
        "files": landed_files(db),
        "good": {t: rows(db, f"landing.{t}", GOOD_IDS.values()) for t in LANDING_TABLES if t != "document_files"},
    }
    settled = refresh(raw, db)
    return {
        "clean_db": clean_db,
        "clean": clean,
        "db": db,
        "raw": raw,
        "expect": expect,
        "changes": changes,
        "warnings": warnings,
        "report": report,
        "first": first,
        "settled": settled,
    }


def test_every_good_document_lands_exactly_as_in_a_clean_run(runs):
    files = runs["first"]["files"]
    for name, expectation in runs["expect"].items():
        if isinstance(expectation, Good):
            assert files[name]["document_id"] == GOOD_IDS[expectation.key], name
            assert files[name]["status"] == "loaded", (name, files[name]["rejection_reason"])
    for table, found in runs["first"]["good"].items():
        assert found == rows(runs["clean_db"], f"landing.{table}", GOOD_IDS.values()), table
    # the copies, the hard link and the link inside the folder are one document
    final_account = [n for n, f in files.items() if f["document_id"] == GOOD_IDS["final_account_quanzhou"]]
    assert sorted(final_account) == [
        "copy 1.pdf",
        "final account.pdf",
        "hard link.pdf",
        "link inside.pdf",
        "备份/副本.pdf",
    ]


def test_the_same_report_in_another_encoding_reads_the_same(runs):
    files, db = runs["first"]["files"], runs["db"]
    for name, expectation in runs["expect"].items():
        if isinstance(expectation, Same):
            variant, original = files[name]["document_id"], GOOD_IDS[expectation.key]
            assert files[name]["status"] == "loaded", (name, files[name]["rejection_reason"])
            for table in ("indicators", "projects", "level_subtotals", "amounts"):
                strip = lambda found: sorted((r[1:] for r in found), key=repr)  # noqa: E731 (document_id first)
                assert strip(rows(db, f"landing.{table}", [variant])) == strip(
                    rows(db, f"landing.{table}", [original])
                ), (name, table)


def test_every_bad_input_is_rejected_for_its_true_reason(runs):
    files = runs["first"]["files"]
    for name, expectation in runs["expect"].items():
        if isinstance(expectation, Rejected):
            assert name in files, name
            assert (files[name]["status"], files[name]["rejection_reason"][: len(expectation.reason)]) == (
                "rejected",
                expectation.reason,
            ), name
        elif isinstance(expectation, Mutant):
            alone = parse_document(runs["raw"] / name)
            landed = files[name]
            assert (landed["status"], landed["rejection_reason"], landed["amount_count"]) == (
                alone.status,
                alone.rejection_reason,
                len(alone.amounts),
            ), name
            if alone.status == "rejected":
                assert alone.rejection_reason.startswith(hostile.MUTANT_REASONS), (name, alone.rejection_reason)
                assert alone.rejection_reason.isprintable(), name
            else:  # a mutation the readers get over: the document it came from
                source = parse_document(GOOD[expectation.source])
                assert (landed["doc_type"], landed["fiscal_year"], landed["entity_key"]) == (
                    source.doc_type,
                    source.fiscal_year,
                    source.entity_key,
                ), name
    mutants = [files[n]["status"] for n, e in runs["expect"].items() if isinstance(e, Mutant)]
    assert "rejected" in mutants and "loaded" in mutants  # the seeds give both outcomes


def test_inputs_that_are_no_documents_are_left_out_with_a_warning(runs):
    files, warnings = runs["first"]["files"], runs["warnings"]
    for name, expectation in runs["expect"].items():
        if isinstance(expectation, Skipped | Ignored):
            assert name not in files, name
            said = [w for w in warnings if w.startswith(f"{name}: not read")]
            if isinstance(expectation, Skipped):
                assert said and expectation.reason in said[0], (name, said)
            else:
                assert not said, name
    assert not [f for f in files if f.startswith(("back_to_raw", ".")) or "/." in f]


def test_files_changed_while_the_run_reads_them_are_retried_never_landed_as_other_bytes(runs):
    files, changes = runs["first"]["files"], runs["changes"]
    for name in ("replaced.pdf", "growing.pdf", "removed.pdf"):
        landed = files[f"changing/{name}"]
        assert (landed["document_id"], landed["status"]) == (changes.listed_ids[name], "rejected"), name
        assert landed["rejection_reason"].startswith(CHANGED), name
    assert "could not be read again" in files["changing/removed.pdf"]["rejection_reason"]
    assert "changing/vanishing.pdf" not in files
    assert any(w.startswith("changing/vanishing.pdf: not read: No such file") for w in runs["warnings"])
    # the next run reads the folder as it settled: the replaced and the grown files are good documents now
    with duckdb.connect(str(runs["db"]), read_only=True) as connection:
        settled = dict(connection.execute("SELECT source_file, document_id FROM landing.document_files").fetchall())
    assert settled["changing/replaced.pdf"] == GOOD_IDS["final_account_quanzhou"]
    assert settled["changing/growing.pdf"] == GOOD_IDS["unit_final_account_fuzhou"]
    assert "changing/removed.pdf" not in settled
    assert not set(changes.listed_ids.values()) & set(settled.values())  # the bytes hashed then are gone


def test_the_marts_hold_the_good_documents_as_a_clean_run_does(runs):
    db, clean_db = runs["db"], runs["clean_db"]
    for mart in FACT_MARTS:
        assert rows(db, f"marts.{mart}", GOOD_IDS.values()) == rows(clean_db, f"marts.{mart}", GOOD_IDS.values()), mart
    with duckdb.connect(str(db), read_only=True) as connection:
        current = dict(connection.execute("SELECT document_id, is_current FROM marts.dim_document").fetchall())
        in_facts = {
            d
            for mart in FACT_MARTS
            for (d,) in connection.execute(f"SELECT DISTINCT document_id FROM marts.{mart}").fetchall()
        }
        execution = connection.execute("SELECT * FROM marts.fct_budget_execution ORDER BY ALL").fetchall()
    with duckdb.connect(str(clean_db), read_only=True) as connection:
        clean_execution = connection.execute("SELECT * FROM marts.fct_budget_execution ORDER BY ALL").fetchall()
    assert all(current[d] for d in GOOD_IDS.values())
    assert in_facts == set(GOOD_IDS.values())  # nothing of a bad input reaches a fact table
    assert execution == clean_execution


def test_neither_run_fails(runs):
    assert runs["report"].landing_changed
    assert "Landing:" in runs["settled"].stdout and "FAILED" not in runs["settled"].stdout
    assert "failed test" not in runs["settled"].stdout
