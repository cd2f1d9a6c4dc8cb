"""Reliability: hostile input, parse limits, revisions, crashes, readers and two refreshes at once.

Generated files only (tests/fixtures/render_pdf.py). One warehouse lives through a short history,
each step run as the nightly job runs (`python -m pipelines refresh` in its own process):

1. a folder with a final account, an encrypted PDF, a PDF that is not a fiscal disclosure and a
   400-page report is refreshed;
2. a corrected re-publication of the final account arrives; a refresh is killed while dbt builds:
   the published warehouse must be exactly as it was;
3. two refreshes start at once (the sensor and the schedule) while an analyst holds a read-only
   connection and another opens new connections all along: both refreshes exit 0, their writes do
   not overlap, the analyst's connection keeps the old warehouse, every new connection sees either
   the old or the new warehouse, never something between, and the correction supersedes the original.

The parse limits are tested on the landing asset alone (no dbt), with limits that obviously trip.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

from pipelines.land import cache, publish
from pipelines.orchestration.assets.landing import landing
from pipelines.orchestration.assets.raw_documents import raw_documents
from pipelines.orchestration.resources import WarehouseResource
from pipelines.parse import parse_document
from pipelines.parsed_document import sha256_of
from tests.fixtures.final_account_figures import (
    DOCUMENTS,
    expected_amounts,
    with_amount,
)
from tests.fixtures.render_pdf import FONT, render_document

REPO = Path(__file__).resolve().parents[1]
QUANZHOU = DOCUMENTS["quanzhou_licheng_gongxin_2020"]
FUZHOU = DOCUMENTS["fuzhou_gongxin_benji_2024"]
FACT_TABLES = ("fct_income", "fct_expenditure_function", "fct_expenditure_economic", "fct_three_public")
PRIMARY_TABLES = ("公开02表", "公开03表", "公开05表", "公开06表", "公开07表")
LONG_REPORT_PAGES = 400
# The first publication printed 2011301 行政运行 in 公开05表 as 116.91; the correction prints 161.91.
MISPRINTED, CORRECTED = "116.91", "161.91"
ENCRYPTED_REASON = "encrypted PDF: it cannot be opened without its password"
NOT_FISCAL_REASON = "no supported table found"


# --- generated documents ---------------------------------------------------------------------------


def write_notice(path: Path) -> None:
    """A PDF that is not a fiscal disclosure: a two-page meeting notice."""
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    for page in range(2):
        canvas.setFont(FONT, 12)
        canvas.drawString(60, 760, "关于召开季度工作会议的通知")
        canvas.drawString(60, 730, f"请各科室负责人于周五上午九时到三楼会议室参会（第{page + 1}页）。")
        canvas.showPage()
    canvas.save()


def write_long_report(path: Path) -> None:
    """The 福州 final account followed by an annex of plain prose: 400 pages in all."""
    tables_only = render_document(FUZHOU, path).page_count
    rendered = render_document(FUZHOU, path, annex_pages=LONG_REPORT_PAGES - tables_only)
    assert rendered.page_count == LONG_REPORT_PAGES


def write_encrypted(path: Path) -> None:
    """The 泉州 final account, openable only with its password."""
    render_document(QUANZHOU, path, encrypt=StandardEncryption("secret", ownerPassword="owner"))


# --- running and reading the warehouse ------------------------------------------------------------


def refresh_command(raw: Path, db: Path, **extra_env: str) -> tuple[list[str], dict]:
    env = {**os.environ, "FISCAL_RAW_DIR": str(raw), "FISCAL_DUCKDB_PATH": str(db), **extra_env}
    for name in ("DAGSTER_HOME", "FISCAL_CACHE_DIR", "FISCAL_PARSE_TIMEOUT_SECONDS", "FISCAL_PARSE_MEMORY_MB"):
        if name not in extra_env:
            env.pop(name, None)
    return [sys.executable, "-m", "pipelines", "refresh"], env


def refresh(raw: Path, db: Path) -> subprocess.CompletedProcess:
    command, env = refresh_command(raw, db)
    done = subprocess.run(command, check=False, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def query(db: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


def fingerprint(db: Path) -> dict[str, str]:
    """A hash of every row of every landing and marts table."""
    out = {}
    with duckdb.connect(str(db), read_only=True) as connection:
        tables = connection.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema IN ('landing', 'marts') ORDER BY ALL"
        ).fetchall()
        for schema, table in tables:
            rows = connection.execute(f'SELECT * FROM "{schema}"."{table}"').fetchall()
            out[f"{schema}.{table}"] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
    return out


def write_lock_window(output: str) -> tuple[float, float]:
    (match,) = re.findall(r"Write lock: waited [\d.]+ s, held from ([\d.]+) to ([\d.]+)", output)
    return float(match[0]), float(match[1])


# What an analyst sees: the current documents and a total over each fact table (one consistent state).
SNAPSHOT_SQL = """
    SELECT (SELECT string_agg(document_id || ':' || status || ':' || is_current::varchar, ',' ORDER BY document_id)
            FROM marts.dim_document) AS documents,
           (SELECT count(*) || '/' || coalesce(sum(amount), 0) FROM marts.fct_income) AS income,
           (SELECT count(*) || '/' || coalesce(sum(amount), 0) FROM marts.fct_expenditure_function) AS expenditure,
           (SELECT string_agg(DISTINCT document_id, ',' ORDER BY document_id) FROM marts.fct_expenditure_function) AS fact_documents
"""

# Holds one read-only connection from before the refreshes until told to stop, querying it all along.
HOLDER = """
import json, os, sys, time
import duckdb
db, ready, stop, out, sql = sys.argv[1:6]
connection = duckdb.connect(db, read_only=True)
seen = [connection.execute(sql).fetchone()]
open(ready, "w").close()
while not os.path.exists(stop):
    seen.append(connection.execute(sql).fetchone())
    time.sleep(0.2)
seen.append(connection.execute(sql).fetchone())
json.dump(sorted(set(map(tuple, seen))), open(out, "w"))
"""

# Opens a new read-only connection again and again until told to stop, as analysts arriving at 02:00 do.
ARRIVALS = """
import json, os, sys, time
import duckdb
db, ready, stop, out, sql = sys.argv[1:6]
seen, refused = [], []
open(ready, "w").close()
while not os.path.exists(stop):
    try:
        with duckdb.connect(db, read_only=True) as connection:
            seen.append(connection.execute(sql).fetchone())
    except duckdb.Error as error:
        refused.append(str(error))
    time.sleep(0.1)
json.dump({"seen": sorted(set(map(tuple, seen))), "count": len(seen), "refused": refused}, open(out, "w"))
"""


def start_reader(script: str, db: Path, folder: Path, name: str) -> tuple[subprocess.Popen, Path, Path]:
    ready, stop, out = folder / f"{name}.ready", folder / "readers.stop", folder / f"{name}.json"
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(db), str(ready), str(stop), str(out), SNAPSHOT_SQL], cwd=REPO
    )
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert process.poll() is None and time.monotonic() < deadline, f"{name} did not start"
        time.sleep(0.05)
    return process, stop, out


def dbt_is_building(refresh_pid: int) -> bool:
    """A `dbt build` process runs in the refresh's process group."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            if (
                os.getpgid(int(entry.name)) == refresh_pid
                and any(p.endswith(b"dbt") for p in command)
                and b"build" in command
            ):
                return True
        except (OSError, ProcessLookupError):
            continue
    return False


# --- the history of one warehouse -------------------------------------------------------------------


@dataclasses.dataclass
class History:
    raw: Path
    db: Path
    first: subprocess.CompletedProcess
    after_first: dict[str, str]
    snapshot_first: tuple
    killed_returncode: int
    after_kill: dict[str, str]
    build_left_by_kill: bool
    dbt_outlived_kill: bool
    concurrent: list[subprocess.CompletedProcess]
    held_connection_saw: list[list]
    arrivals: dict
    snapshot_last: tuple
    ids: dict[str, str]


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> History:
    root = tmp_path_factory.mktemp("reliability")
    raw, db = root / "raw", root / "warehouse" / "fiscal.duckdb"
    (raw / "published").mkdir(parents=True)
    render_document(
        with_amount(QUANZHOU, "公开05表", "2011301", 0, MISPRINTED), raw / "published" / "quanzhou_2020.pdf"
    )
    write_encrypted(raw / "encrypted.pdf")
    write_notice(raw / "notice.pdf")
    write_long_report(raw / "fuzhou_2024_long_report.pdf")

    first = refresh(raw, db)
    after_first = fingerprint(db)
    (snapshot_first,) = query(db, SNAPSHOT_SQL)

    # the corrected re-publication arrives; this refresh is killed while dbt builds
    render_document(QUANZHOU, raw / "published" / "quanzhou_2020_corrected.pdf")
    command, env = refresh_command(raw, db)
    killed = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 300
        while not (publish.has_build(db) and dbt_is_building(killed.pid)):
            assert killed.poll() is None, "the refresh finished before it could be killed"
            assert time.monotonic() < deadline, "dbt never started"
            time.sleep(0.1)
    finally:
        if killed.poll() is None:
            os.kill(killed.pid, signal.SIGKILL)  # the refresh's own process only: its dbt must die with it
        killed_returncode = killed.wait(timeout=60)
    deadline = time.monotonic() + 30
    while dbt_is_building(killed.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    dbt_outlived_kill = dbt_is_building(killed.pid)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(killed.pid, signal.SIGKILL)  # whatever outlived it must not disturb the tests that follow
    build_left_by_kill = publish.has_build(db)
    after_kill = fingerprint(db)

    # two refreshes at once, while analysts read
    holder, stop, held_out = start_reader(HOLDER, db, root, "holder")
    arrivals, _, arrivals_out = start_reader(ARRIVALS, db, root, "arrivals")
    try:
        # output to files, not pipes: a refresh blocked on a full pipe nobody reads would hold the lock
        logs = [(root / f"concurrent_{i}.out", root / f"concurrent_{i}.err") for i in range(2)]
        processes = []
        for out_path, err_path in logs:
            with out_path.open("w") as out, err_path.open("w") as err:
                processes.append(subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=err, text=True))
        for process in processes:
            process.wait(timeout=600)
    finally:
        stop.touch()
        assert holder.wait(timeout=60) == 0 and arrivals.wait(timeout=60) == 0
    concurrent = [
        subprocess.CompletedProcess(p.args, p.returncode, out.read_text(), err.read_text())
        for p, (out, err) in zip(processes, logs)
    ]
    (snapshot_last,) = query(db, SNAPSHOT_SQL)
    ids = {
        name: sha256_of(raw / name)
        for name in (
            "published/quanzhou_2020.pdf",
            "published/quanzhou_2020_corrected.pdf",
            "encrypted.pdf",
            "notice.pdf",
            "fuzhou_2024_long_report.pdf",
        )
    }
    return History(
        raw,
        db,
        first,
        after_first,
        snapshot_first,
        killed_returncode,
        after_kill,
        build_left_by_kill,
        dbt_outlived_kill,
        concurrent,
        json.loads(held_out.read_text()),
        json.loads(arrivals_out.read_text()),
        snapshot_last,
        ids,
    )


def documents(history: History) -> dict[str, dict]:
    with duckdb.connect(str(history.db), read_only=True) as connection:
        cursor = connection.execute("SELECT * FROM marts.dim_document")
        columns = [c[0] for c in cursor.description]
        return {row[0]: dict(zip(columns, row)) for row in cursor.fetchall()}


def test_bad_documents_are_rejected_with_a_reason_and_the_run_goes_on(history):
    docs = documents(history)
    encrypted, notice = docs[history.ids["encrypted.pdf"]], docs[history.ids["notice.pdf"]]
    assert (encrypted["status"], encrypted["rejection_reason"]) == ("rejected", ENCRYPTED_REASON)
    assert (notice["status"], notice["rejection_reason"]) == ("rejected", NOT_FISCAL_REASON)
    # in the run's log, and in the landing asset's metadata (the CLI prints its counts)
    log = history.first.stdout + history.first.stderr
    assert f"rejected encrypted.pdf: {ENCRYPTED_REASON}" in log
    assert f"rejected notice.pdf: {NOT_FISCAL_REASON}" in log
    assert "Landing: 2 loaded, 2 rejected, 0 removed; 4 parsed, 0 from cache; changed: True" in history.first.stdout
    # nothing of a rejected document reaches a fact table
    for table in FACT_TABLES:
        in_facts = {d for (d,) in query(history.db, f"SELECT DISTINCT document_id FROM marts.{table}")}
        assert in_facts <= {d for d, row in docs.items() if row["is_current"]}, table


def test_a_400_page_report_is_loaded_with_every_amount(history):
    document_id = history.ids["fuzhou_2024_long_report.pdf"]
    long_report = documents(history)[document_id]
    assert (long_report["status"], long_report["page_count"], long_report["table_count"]) == ("loaded", 400, 9)
    in_marts = Counter()
    for table in FACT_TABLES:
        for source_table, amount in query(
            history.db, f"SELECT source_table, amount FROM marts.{table} WHERE document_id = ?", [document_id]
        ):
            if source_table in PRIMARY_TABLES:
                in_marts[(source_table, amount)] += 1
    expected = Counter(
        (r["table"], r["amount"].quantize(Decimal("0.000001")))
        for r in expected_amounts(FUZHOU)
        if r["table"] in PRIMARY_TABLES
    )
    assert in_marts == expected


def test_rpt_ingestion_reports_each_document(history):
    rows = query(
        history.db,
        """
        SELECT source_file, status, rejection_reason, is_current, page_count, table_count, fact_count, parse_seconds
        FROM marts.rpt_ingestion ORDER BY source_file""",
    )
    by_file = {r[0]: r[1:] for r in rows}
    assert set(by_file) == set(history.ids)
    assert by_file["encrypted.pdf"][:3] == ("rejected", ENCRYPTED_REASON, False)
    assert by_file["notice.pdf"][:3] == ("rejected", NOT_FISCAL_REASON, False)
    assert by_file["fuzhou_2024_long_report.pdf"][:5] == ("loaded", None, True, 400, 9)
    assert by_file["published/quanzhou_2020.pdf"][2] is False and by_file["published/quanzhou_2020.pdf"][5] == 0
    assert by_file["published/quanzhou_2020_corrected.pdf"][2] is True
    assert by_file["published/quanzhou_2020_corrected.pdf"][5] > 0
    assert all(r[6] is not None and r[6] >= 0 for r in by_file.values())  # seconds spent parsing
    printed = dict(
        query(
            history.db,
            """SELECT source_file, [amounts_printed_on_table_pages, amounts_landed_of_printed, landed_share]
               FROM marts.rpt_ingestion""",
        )
    )
    corrected, landed, share = printed["published/quanzhou_2020_corrected.pdf"]
    assert corrected >= landed > 0 and float(share) == round(landed / corrected, 4)
    long_report, long_landed, _ = printed["fuzhou_2024_long_report.pdf"]
    assert long_report >= long_landed > 0
    assert printed["encrypted.pdf"] == printed["notice.pdf"] == [None, None, None]  # rejected: nothing counted


def test_a_corrected_republication_supersedes_the_original(history):
    original, corrected = (
        history.ids["published/quanzhou_2020.pdf"],
        history.ids["published/quanzhou_2020_corrected.pdf"],
    )
    docs = documents(history)
    assert (docs[original]["is_current"], docs[original]["superseded_by"], docs[original]["revision_number"]) == (
        False,
        corrected,
        1,
    )
    assert (docs[corrected]["is_current"], docs[corrected]["superseded_by"], docs[corrected]["revision_number"]) == (
        True,
        None,
        2,
    )
    assert docs[original]["first_seen_at"] < docs[corrected]["first_seen_at"]
    for table in FACT_TABLES:  # facts of the entity come from the correction only
        (found,) = query(
            history.db, f"SELECT list(DISTINCT document_id) FROM marts.{table} WHERE entity_name = ?", [QUANZHOU.entity]
        )
        assert found[0] == [corrected], table
    printed = query(
        history.db,
        """
        SELECT amount FROM marts.fct_expenditure_function
        WHERE entity_name = ? AND source_table = '公开05表' AND function_code = '2011301' AND expenditure_type = 'total'""",
        [QUANZHOU.entity],
    )
    assert printed == [(Decimal(CORRECTED),)]
    # the misprint made the original fail its checks; the correction reconciles
    assert query(history.db, "SELECT count(*) FROM marts.rpt_reconciliation WHERE status = 'fail'") == [(0,)]
    before = {r[0] for r in query(history.db, "SELECT document_id FROM marts.rpt_reconciliation")}
    assert original not in before


def test_a_refresh_killed_mid_way_leaves_the_warehouse_as_it_was_and_the_next_run_completes(history):
    assert history.killed_returncode == -signal.SIGKILL
    assert history.build_left_by_kill  # it was building beside the published file
    assert not history.dbt_outlived_kill  # no orphan dbt goes on writing without the write lock
    assert history.after_kill == history.after_first  # every row of landing and marts unchanged
    assert not publish.has_build(history.db)  # the next run discarded the stale build...
    assert any(p.returncode == 0 and "changed: True" in p.stdout for p in history.concurrent)  # ...and completed
    assert history.snapshot_last != history.snapshot_first


def test_two_refreshes_at_once_never_write_at_the_same_time(history):
    first, second = history.concurrent
    assert (first.returncode, second.returncode) == (0, 0), first.stderr[-2000:] + second.stderr[-2000:]
    earlier, later = sorted(write_lock_window(p.stdout) for p in history.concurrent)
    assert earlier[1] <= later[0], "the second refresh wrote while the first was writing"
    outcomes = sorted(
        next(line for line in p.stdout.splitlines() if line.startswith("Landing:")) for p in history.concurrent
    )
    assert outcomes == [
        # the killed refresh had parsed the correction (parse cache); the first to get the lock lands it
        "Landing: 3 loaded, 2 rejected, 0 removed; 0 parsed, 5 from cache; changed: False",  # the one that waited
        "Landing: 3 loaded, 2 rejected, 0 removed; 0 parsed, 5 from cache; changed: True",
    ]
    assert sum("dbt: build skipped: landing unchanged" in p.stdout for p in history.concurrent) == 1


def test_readers_neither_block_the_refresh_nor_see_a_half_built_warehouse(history):
    # the connection held all along saw the warehouse as it was before, and only that
    assert history.held_connection_saw == [list(history.snapshot_first)]
    # every new connection opened during the refreshes saw the old or the new warehouse, whole
    assert history.arrivals["count"] > 0 and not history.arrivals["refused"]
    assert {tuple(s) for s in history.arrivals["seen"]} <= {tuple(history.snapshot_first), tuple(history.snapshot_last)}
    # and after the refresh a new connection sees the correction
    assert history.ids["published/quanzhou_2020_corrected.pdf"] in history.snapshot_last[3]


# --- parse limits: the landing asset alone ---------------------------------------------------------


def materialize_landing(raw: Path, db: Path, monkeypatch, **limits: str) -> dg.ExecuteInProcessResult:
    for name in ("FISCAL_PARSE_TIMEOUT_SECONDS", "FISCAL_PARSE_MEMORY_MB"):
        monkeypatch.delenv(name, raising=False)
    for name, value in limits.items():
        monkeypatch.setenv(name, value)
    resources = {"warehouse": WarehouseResource(raw_dir=str(raw), duckdb_path=str(db), workers=1)}
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize([raw_documents, landing], resources=resources, instance=instance)
    assert result.success
    return result


def landing_documents(result: dg.ExecuteInProcessResult) -> dict[str, dict]:
    """Per document, from the landing asset's metadata."""
    (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey("landing")]
    metadata = event.materialization.metadata
    documents = {d["source_file"]: d for d in metadata["documents_json"].value}
    assert metadata["rejections"].value == {
        name: d["rejection_reason"] for name, d in documents.items() if d["status"] == "rejected"
    }
    assert metadata["parse_seconds"].value.keys() == documents.keys()
    return documents


def test_a_document_over_the_parse_limits_is_rejected_and_the_run_goes_on(tmp_path, monkeypatch):
    raw, db = tmp_path / "raw", tmp_path / "warehouse" / "fiscal.duckdb"
    raw.mkdir()
    render_document(QUANZHOU, raw / "parsed_before.pdf")
    write_long_report(raw / "long_report.pdf")
    # parsed by an earlier run: in the parse cache, so no limit applies to it now
    cache.store(db.parent / "parsed", parse_document(raw / "parsed_before.pdf"))

    # limits no parse of a 400-page document can meet
    timed_out = landing_documents(materialize_landing(raw, db, monkeypatch, FISCAL_PARSE_TIMEOUT_SECONDS="0.01"))
    assert (timed_out["long_report.pdf"]["status"], timed_out["long_report.pdf"]["rejection_reason"]) == (
        "rejected",
        "parse exceeded 0.01 s time limit",
    )
    assert timed_out["long_report.pdf"]["seconds"] >= 0.01
    assert (timed_out["parsed_before.pdf"]["status"], timed_out["parsed_before.pdf"]["parse"]) == ("loaded", "cached")
    # landing alone in the run: it published what it landed itself, nothing is left beside it
    assert query(db, "SELECT source_file, status, rejection_reason FROM landing.documents ORDER BY 1") == [
        ("long_report.pdf", "rejected", "parse exceeded 0.01 s time limit"),
        ("parsed_before.pdf", "loaded", None),
    ]
    assert not publish.has_build(db)

    out_of_memory = landing_documents(materialize_landing(raw, db, monkeypatch, FISCAL_PARSE_MEMORY_MB="64"))
    assert out_of_memory["long_report.pdf"]["status"] == "rejected"
    assert out_of_memory["long_report.pdf"]["rejection_reason"].startswith("parse exceeded 64 MB memory limit")
    assert out_of_memory["parsed_before.pdf"]["status"] == "loaded"

    # the same limits again: nothing to retry, nothing written
    again = materialize_landing(raw, db, monkeypatch, FISCAL_PARSE_MEMORY_MB="64")
    assert landing_documents(again)["long_report.pdf"]["parse"] == "cached"
    # a limit rejection is not cached: with the default limits the document is parsed and loaded
    lifted = landing_documents(materialize_landing(raw, db, monkeypatch))
    assert (lifted["long_report.pdf"]["status"], lifted["long_report.pdf"]["parse"]) == ("loaded", "parsed")
    assert query(db, "SELECT page_count, table_count FROM landing.documents WHERE source_file = 'long_report.pdf'") == [
        (LONG_REPORT_PAGES, 9)
    ]


# --- Dagster's run queue: the sensor and the schedule fire together -------------------------------


def test_dagster_launches_one_refresh_at_a_time(tmp_path):
    """With the project's dagster.yaml, the run queue (QueuedRunCoordinator, the daemon's dequeue rule for
    pools of run granularity) launches one of two refresh runs requested together and holds the other
    until the first has finished. Dagster's own counter decides, as its daemon does on each tick."""
    from dagster._core.events import DagsterEvent, DagsterEventType
    from dagster._core.op_concurrency_limits_counter import (
        GlobalOpConcurrencyLimitsCounter,
    )
    from dagster._core.run_coordinator import QueuedRunCoordinator
    from dagster._core.storage.dagster_run import DagsterRunStatus, RunsFilter

    from pipelines.orchestration.constants import WAREHOUSE_POOL
    from pipelines.orchestration.definitions import build_definitions

    shutil.copy(REPO / "dagster.yaml", tmp_path / "dagster.yaml")
    job = build_definitions().resolve_job_def("refresh_warehouse")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert isinstance(instance.run_coordinator, QueuedRunCoordinator)
        pool_config = instance.get_concurrency_config().pool_config
        instance.event_log_storage.initialize_concurrency_limit_to_default(WAREHOUSE_POOL)  # the daemon's first tick
        from_sensor, from_schedule = (
            instance.create_run_for_job(job, status=DagsterRunStatus.NOT_STARTED) for _ in range(2)
        )
        assert from_sensor.run_op_concurrency.all_pools == {WAREHOUSE_POOL}

        def queue_tick(candidates) -> list[str]:
            """The run ids one dequeue pass launches, in order."""
            counter = GlobalOpConcurrencyLimitsCounter(
                instance,
                candidates,
                instance.get_run_records(RunsFilter(statuses=[DagsterRunStatus.STARTED])),
                concurrency_keys=instance.event_log_storage.get_concurrency_keys(),
                pool_limits=instance.event_log_storage.get_pool_limits(),
                pool_granularity=pool_config.pool_granularity,
            )
            launched = []
            for run in candidates:
                if not counter.is_blocked(run):
                    counter.update_counters_with_launched_item(run)
                    launched.append(run.run_id)
            return launched

        assert queue_tick([from_sensor, from_schedule]) == [from_sensor.run_id]  # both requested at once
        instance.report_dagster_event(
            DagsterEvent(DagsterEventType.RUN_START.value, job_name=job.name), from_sensor.run_id
        )
        assert queue_tick([from_schedule]) == []  # held while one runs
        instance.report_dagster_event(
            DagsterEvent(DagsterEventType.RUN_SUCCESS.value, job_name=job.name), from_sensor.run_id
        )
        assert queue_tick([from_schedule]) == [from_schedule.run_id]  # then launched


def test_when_landing_first_saw_a_document_outlives_its_removal(tmp_path):
    """A revision removed from the raw folder and put back later is still the earlier one."""
    from pipelines.land.ingest import ingest

    raw, db, parsed = tmp_path / "raw", tmp_path / "fiscal.duckdb", tmp_path / "parsed"
    raw.mkdir()
    render_document(QUANZHOU, raw / "quanzhou_2020.pdf")
    ingest(raw, db, parsed)
    first_seen = query(db, "SELECT document_id, first_seen_at FROM history.documents_seen")
    assert len(first_seen) == 1

    (raw / "quanzhou_2020.pdf").rename(tmp_path / "aside.pdf")
    assert ingest(raw, db, parsed, allow_emptying=True).removed_document_ids == [first_seen[0][0]]
    assert query(db, "SELECT count(*) FROM landing.documents") == [(0,)]
    (tmp_path / "aside.pdf").rename(raw / "quanzhou_2020.pdf")
    assert ingest(raw, db, parsed).landing_changed
    assert query(db, "SELECT document_id, first_seen_at FROM history.documents_seen") == first_seen
