"""Dagster orchestration: definitions, the raw-folder sensor, the warehouse lock, build-or-skip of dbt.

Real parts only: every run lands real documents with pipelines.land.ingest (copies of the seed text
exports in ../shared/seeds) and builds the real dbt project (settings.DBT_PROJECT_DIR; a copy of it
only where a test edits dbt code). One module-scoped warehouse is refreshed twice (the second time
with nothing changed) and shared; a test that changes something works on a private copy of it.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

import pipelines
from pipelines import EXTRACTOR_VERSION, settings
from pipelines.land.lock import WarehouseLockTimeout, warehouse_write_lock
from pipelines.orchestration import dbt_build_state, dbt_project
from pipelines.orchestration.constants import WAREHOUSE_POOL
from pipelines.orchestration.resources import WarehouseResource
from pipelines.parsed_document import sha256_of

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
SEED_001 = SEEDS / "001_18c6c01e7d2ff3ee.txt"  # 泉州市鲤城区工业和信息化局 2020 年度部门决算
SEED_003 = SEEDS / "003_2875b1c47b4453f7.txt"  # 福州市工业和信息化局（本级）2024 年度单位决算
# A page that is not a fiscal document: ingest() lands it as rejected, with this reason.
NOT_A_FISCAL_DOCUMENT = "<html><body><h1>会议通知</h1><p>请各科室于周五前报送材料。</p></body></html>\n"
REJECTION_REASON = "no supported table found"

RAW_DOCUMENTS = dg.AssetKey("raw_documents")
LANDING = dg.AssetKey("landing")
INGESTION = {RAW_DOCUMENTS, LANDING}
DIM_DOCUMENT = dg.AssetKey(["marts", "dim_document"])
FCT_INCOME = dg.AssetKey(["marts", "fct_income"])
WAREHOUSE_SCHEMAS = ("landing", "staging", "intermediate", "marts")


def seed(path: Path) -> Path:
    if not path.is_file():
        pytest.fail(f"seed missing: {path} (../shared must sit beside the repository)")
    return path


def copy_dbt_project(dest: Path, *, with_manifest: bool = False) -> Path:
    """A copy of the real dbt project's own files, for a test that edits it (with its current manifest, as
    `prepare` left it, when asked)."""
    shutil.copytree(
        settings.DBT_PROJECT_DIR, dest, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", "__pycache__")
    )
    assert dbt_project.project_fingerprint(dest) == dbt_project.project_fingerprint(settings.DBT_PROJECT_DIR)
    if with_manifest:
        (dest / "target").mkdir()
        shutil.copy2(dbt_project.manifest_path(), dbt_project.manifest_path(dest))  # mtime kept: current
    return dest


@pytest.fixture(scope="module")
def real_manifest() -> dict:
    """The real dbt project's manifest (`python -m pipelines prepare`): dbt parse only when stale."""
    assert dbt_project.is_dbt_project(), f"no dbt project at {settings.DBT_PROJECT_DIR}"
    return json.loads(dbt_project.prepare_manifest().read_text())


# --- running the refresh job --------------------------------------------------------------------


@dataclass
class Run:
    result: dg.ExecuteInProcessResult
    messages: list[str]  # the run's log messages

    def failures(self) -> str:
        return "\n".join(
            f"{e.step_key}: {e.step_failure_data.error.to_string() if e.step_failure_data else ''}"
            for e in self.result.get_step_failure_events()
        )

    def landing_metadata(self) -> dict:
        (event,) = [e for e in self.result.get_asset_materialization_events() if e.asset_key == LANDING]
        return {k: v.value for k, v in event.materialization.metadata.items()}

    def dbt_materialized(self) -> set[dg.AssetKey]:
        return {e.asset_key for e in self.result.get_asset_materialization_events()} - INGESTION

    def said(self, prefix: str) -> bool:
        return any(m.startswith(prefix) for m in self.messages)


def run_refresh(job: dg.JobDefinition, raw: Path, db: Path) -> Run:
    """The refresh job in process, with FISCAL_RAW_DIR / FISCAL_DUCKDB_PATH as the schedule would see them."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FISCAL_RAW_DIR", str(raw))
        env.setenv("FISCAL_DUCKDB_PATH", str(db))
        env.delenv("FISCAL_CACHE_DIR", raising=False)
        assert (settings.raw_dir(), settings.duckdb_path()) == (raw.resolve(), db.resolve())
        with dg.DagsterInstance.ephemeral() as instance:
            result = job.execute_in_process(instance=instance, raise_on_error=False)
            messages = [e.user_message for e in instance.all_logs(result.run_id) if e.user_message]
    return Run(result, messages)


def warehouse_contents(db: Path) -> dict[str, list[dict]]:
    """Every row of every table of the warehouse (landing, seeds, intermediate, marts), in a fixed order."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in (?, ?, ?, ?) order by all",
            list(WAREHOUSE_SCHEMAS),
        ).fetchall()
        contents = {}
        for schema, table in tables:
            cursor = con.execute(f'select * from "{schema}"."{table}" order by all')
            columns = [d[0] for d in cursor.description]
            contents[f"{schema}.{table}"] = [dict(zip(columns, row)) for row in cursor.fetchall()]
        return contents
    finally:
        con.close()


@dataclass
class Refreshed:
    raw: Path
    db: Path
    dbt_keys: set[dg.AssetKey]
    check_keys: set[dg.AssetCheckKey]
    first: Run
    after_first: dict[str, list[dict]]
    state_after_first: dict | None
    second: Run
    after_second: dict[str, list[dict]]
    state_after_second: dict | None

    def copy_to(self, dest: Path) -> tuple[Path, Path]:
        """A private copy of the refreshed raw folder and warehouse folder (DuckDB file, build record,
        parse cache), for a test that goes on changing them: (raw, db)."""
        shutil.copytree(self.raw, dest / "raw")
        shutil.copytree(self.db.parent, dest / "warehouse", ignore=shutil.ignore_patterns("*.lock"))
        return dest / "raw", dest / "warehouse" / self.db.name


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory, real_manifest) -> Refreshed:
    """Seed 001 and a non-fiscal page, refreshed twice by the real job: lands and builds, then nothing to do.

    Tests only read it; a test that changes things works on `copy_to()`.
    """
    from pipelines.orchestration.definitions import build_definitions

    root = tmp_path_factory.mktemp("refresh")
    raw, db = root / "raw", root / "warehouse" / "fiscal.duckdb"
    (raw / "fujian").mkdir(parents=True)
    shutil.copy(seed(SEED_001), raw / "fujian" / SEED_001.name)
    (raw / "notice.html").write_text(NOT_A_FISCAL_DOCUMENT, encoding="utf-8")

    defs = build_definitions()  # the real dbt project, as the code location builds it
    graph = defs.resolve_asset_graph()
    job = defs.resolve_job_def("refresh_warehouse")

    first = run_refresh(job, raw, db)
    after_first = warehouse_contents(db) if db.exists() else {}
    state_after_first = dbt_build_state.read_state(db)
    second = run_refresh(job, raw, db)
    after_second = warehouse_contents(db) if db.exists() else {}
    return Refreshed(
        raw=raw,
        db=db,
        dbt_keys=graph.get_all_asset_keys() - INGESTION,
        check_keys=set(graph.asset_check_keys),
        first=first,
        after_first=after_first,
        state_after_first=state_after_first,
        second=second,
        after_second=after_second,
        state_after_second=dbt_build_state.read_state(db),
    )


def assert_extraction_code_unchanged(refreshed: Refreshed) -> None:
    """A refresh with nothing changed also needs the extraction code unchanged while the tests ran.

    EXTRACTOR_VERSION hashes the extraction sources at import, and every process started later (a parse
    worker, the CLI) hashes them again: documents landed by another extractor are due a re-parse.
    """
    landed = {d["extractor_version"] for d in refreshed.after_first["landing.documents"]}
    assert landed == {EXTRACTOR_VERSION} == {pipelines._extractor_version()}, (
        f"the extraction code changed while these tests ran (landed by {landed}, this process has "
        f"{EXTRACTOR_VERSION}, the sources now hash to {pipelines._extractor_version()}): run them again"
    )


# --- definitions -------------------------------------------------------------------------------


def test_definitions_load(real_manifest):
    """The code location of workspace.yaml: job, nightly schedule, sensor, and the real dbt models."""
    from pipelines.orchestration.definitions import defs

    job = defs.resolve_job_def("refresh_warehouse")
    assert job is not None
    schedule = defs.resolve_schedule_def("nightly_refresh")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Shanghai"
    assert schedule.job_name == "refresh_warehouse"
    sensor = defs.resolve_sensor_def("raw_folder_sensor")
    assert sensor.job_name == "refresh_warehouse"
    assert sensor.minimum_interval_seconds == 30

    graph = defs.resolve_asset_graph()
    assert graph.get(LANDING).parent_keys == {RAW_DOCUMENTS}
    assert graph.get(LANDING).pools == {WAREHOUSE_POOL}
    dbt_keys = graph.get_all_asset_keys() - INGESTION
    nodes = real_manifest["nodes"].values()
    # every model and seed of the real project is an asset, every dbt test on one of them a check
    assert len(dbt_keys) == sum(1 for n in nodes if n["resource_type"] in ("model", "seed"))
    assert any(LANDING in graph.get(key).parent_keys for key in dbt_keys), "dbt sources map to `landing`"
    tests = [n for n in nodes if n["resource_type"] == "test" and n.get("attached_node")]
    assert len(graph.asset_check_keys) == len(tests)
    assert graph.asset_check_keys


def test_dbt_models_lineage_and_checks(real_manifest):
    from pipelines.orchestration.definitions import build_definitions

    defs = build_definitions(settings.DBT_PROJECT_DIR)
    graph = defs.resolve_asset_graph()
    staging = {k for k in graph.get_all_asset_keys() if k.path[-1].startswith("stg_landing__")}
    assert {k.path[-1] for k in staging} == {
        "stg_landing__documents",
        "stg_landing__document_files",
        "stg_landing__source_tables",
        "stg_landing__amounts",
        "stg_landing__extraction_issues",
        "stg_landing__projects",
        "stg_landing__project_funding",
        "stg_landing__indicators",
        "stg_landing__level_subtotals",
    }
    for key in staging:  # the landing sources are one asset: `landing`
        assert graph.get(key).parent_keys == {LANDING}, key
        assert graph.get(key).group_name == "staging"
    # landing also writes history.documents_seen (when each document was first landed)
    history = dg.AssetKey(["staging", "stg_history__documents_seen"])
    assert graph.get(history).parent_keys == {LANDING}
    assert {k for k in graph.get_all_asset_keys() if LANDING in graph.get(k).parent_keys} == staging | {history}

    # raw_documents → landing → stg_landing__documents → int_documents_enriched → dim_document
    stg_documents = dg.AssetKey(["staging", "stg_landing__documents"])
    enriched = dg.AssetKey(["intermediate", "int_documents_enriched"])
    assert graph.get(LANDING).parent_keys == {RAW_DOCUMENTS}
    assert stg_documents in graph.get(enriched).parent_keys
    assert graph.get(DIM_DOCUMENT).parent_keys == {enriched}
    assert graph.get(enriched).group_name == "intermediate"
    assert graph.get(DIM_DOCUMENT).group_name == "marts"
    assert graph.get(dg.AssetKey(["staging", "source_table_priority"])).group_name == "seeds"
    outside_pool = [k for k in graph.get_all_asset_keys() - {RAW_DOCUMENTS} if graph.get(k).pools != {WAREHOUSE_POOL}]
    assert not outside_pool, "every asset that writes the warehouse is in its one-writer pool"

    checks = {(k.asset_key, k.name) for k in graph.asset_check_keys}
    assert (DIM_DOCUMENT, "unique_dim_document_document_id") in checks
    assert (DIM_DOCUMENT, "not_null_dim_document_document_id") in checks
    assert (FCT_INCOME, "not_null_fct_income_amount") in checks
    # the refresh job runs everything, checks included
    job = defs.resolve_job_def("refresh_warehouse")
    assert job.asset_layer.asset_graph.asset_check_keys == graph.asset_check_keys
    assert job.asset_layer.asset_graph.get_all_asset_keys() == graph.get_all_asset_keys()


def test_definitions_load_without_a_manifest(tmp_path):
    from pipelines.orchestration.definitions import build_definitions

    project = copy_dbt_project(tmp_path / "dbt_project")  # never parsed
    defs = build_definitions(project)
    assert defs.resolve_asset_graph().get_all_asset_keys() == {RAW_DOCUMENTS, LANDING}
    assert defs.resolve_job_def("refresh_warehouse") is not None
    assert not (project / "target").exists()


def test_prepare_manifest_is_lazy(real_manifest):
    manifest = dbt_project.prepare_manifest()
    written = manifest.stat().st_mtime_ns
    assert not dbt_project.manifest_is_stale()
    assert dbt_project.prepare_manifest() == manifest
    assert manifest.stat().st_mtime_ns == written  # current: dbt parse not run again
    # an edit makes it stale and `prepare` parses again: see test_prepare_is_lazy_and_an_edited_dbt_model_…


# --- the raw-folder sensor ---------------------------------------------------------------------


def settle(path: Path, age: float = 60.0) -> None:
    """Give a file an mtime in the past, as if it was copied a while ago."""
    when = time.time() - age
    os.utime(path, (when, when))


def tick(raw_dir: Path, cursor: str | None) -> dg.SensorResult:
    from pipelines.orchestration.sensors import raw_folder_sensor

    context = dg.build_sensor_context(cursor=cursor, resources={"warehouse": WarehouseResource(raw_dir=str(raw_dir))})
    result = raw_folder_sensor(context)
    assert isinstance(result, dg.SensorResult)
    return result


def test_sensor_requests_a_run_when_the_raw_folder_changes(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()

    first = tick(raw, None)  # empty folder: nothing to do, remember it
    assert not first.run_requests and first.cursor

    doc = raw / "fujian" / "2020年度部门决算.txt"
    doc.parent.mkdir()
    shutil.copy(seed(SEED_001), doc)
    settle(doc)
    added = tick(raw, first.cursor)
    assert len(added.run_requests) == 1
    assert added.run_requests[0].run_key == added.cursor != first.cursor

    again = tick(raw, added.cursor)
    assert not again.run_requests and again.cursor in (None, added.cursor)

    (raw / "notes.docx").write_bytes(b"PK\x03\x04 not a document type")  # ignored
    settle(raw / "notes.docx")
    assert not tick(raw, added.cursor).run_requests

    doc.write_bytes(seed(SEED_003).read_bytes())  # changed content
    settle(doc, age=30)
    changed = tick(raw, added.cursor)
    assert len(changed.run_requests) == 1 and changed.cursor != added.cursor

    settle(doc, age=20)  # same size, new mtime
    touched = tick(raw, changed.cursor)
    assert len(touched.run_requests) == 1 and touched.cursor != changed.cursor

    doc.unlink()
    removed = tick(raw, touched.cursor)
    assert len(removed.run_requests) == 1


def test_sensor_waits_while_a_file_is_being_written(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(seed(SEED_001), raw / SEED_001.name)
    settle(raw / SEED_001.name)
    cursor = tick(raw, None).cursor
    data = seed(SEED_003).read_bytes()
    (raw / SEED_003.name).write_bytes(data[: len(data) // 2])  # still copying: mtime now
    busy = tick(raw, cursor)
    assert not busy.run_requests and busy.cursor in (None, cursor)
    with open(raw / SEED_003.name, "ab") as copying:
        copying.write(data[len(data) // 2 :])
    settle(raw / SEED_003.name)
    assert len(tick(raw, cursor).run_requests) == 1


def test_sensor_never_reads_documents_or_the_warehouse(tmp_path, monkeypatch):
    from pipelines.orchestration import sensors

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(seed(SEED_001), raw / SEED_001.name)
    settle(raw / SEED_001.name)
    real_open, real_io_open, real_os_open = open, io.open, os.open

    def guard(file) -> None:
        assert not str(file).startswith(str(raw)), f"sensor opened {file}"

    def guarded_open(file, *args, **kwargs):
        guard(file)
        return real_open(file, *args, **kwargs)

    def guarded_io_open(file, *args, **kwargs):  # what pathlib's read_bytes / open use
        guard(file)
        return real_io_open(file, *args, **kwargs)

    def guarded_os_open(path, *args, **kwargs):
        guard(path)
        return real_os_open(path, *args, **kwargs)

    def no_duckdb(*args, **kwargs):
        raise AssertionError("sensor opened DuckDB")

    monkeypatch.setattr("builtins.open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_io_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    monkeypatch.setattr(duckdb, "connect", no_duckdb)
    assert sensors.fingerprint_raw_folder(raw).file_count == 1
    assert tick(raw, None).run_requests


# --- the warehouse write lock ------------------------------------------------------------------

HOLDER = """
import sys, time
from pipelines.land.lock import warehouse_write_lock
db, log, hold = sys.argv[1], sys.argv[2], float(sys.argv[3])
with warehouse_write_lock(db, timeout=60):
    start = time.time()
    with open(log + ".ready", "w"):
        pass
    time.sleep(hold)
    end = time.time()
with open(log, "w") as f:
    f.write(f"{start} {end}")
"""


def _holder(db: Path, log: Path, hold: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(log), str(hold)], cwd=REPO)


def test_lock_serialises_two_writer_processes(tmp_path):
    db = tmp_path / "fiscal.duckdb"
    procs = [_holder(db, tmp_path / f"w{i}.log", 0.8) for i in range(2)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    (s1, e1), (s2, e2) = sorted(tuple(map(float, (tmp_path / f"w{i}.log").read_text().split())) for i in range(2))
    assert e1 <= s2, "the second writer started before the first released the lock"
    assert (tmp_path / "fiscal.duckdb.lock").exists()


def test_lock_times_out_and_is_reentrant(tmp_path):
    db = tmp_path / "fiscal.duckdb"
    log = tmp_path / "holder.log"
    proc = _holder(db, log, 3.0)
    try:
        deadline = time.time() + 30
        while not Path(str(log) + ".ready").exists():
            assert time.time() < deadline and proc.poll() is None
            time.sleep(0.05)
        started = time.monotonic()
        with pytest.raises(WarehouseLockTimeout), warehouse_write_lock(db, timeout=0.5):
            pass
        assert 0.4 < time.monotonic() - started < 2.5
    finally:
        assert proc.wait(timeout=60) == 0
    with warehouse_write_lock(db, timeout=1), warehouse_write_lock(db, timeout=1):  # same thread: no deadlock
        pass


# --- the job end to end: dbt build only when something changed --------------------------------


def test_first_refresh_lands_the_documents_and_builds_the_marts(refreshed):
    first = refreshed.first
    assert first.result.success, first.failures()

    metadata = first.landing_metadata()
    assert metadata["landing_changed"] is True
    assert (metadata["documents_loaded"], metadata["documents_rejected"], metadata["documents_removed"]) == (1, 1, 0)
    assert (metadata["documents_parsed"], metadata["documents_from_cache"]) == (2, 0)
    assert REJECTION_REASON in metadata["documents"]
    assert metadata["warehouse"] == str(refreshed.db)

    assert first.said("running dbt build: landing changed")
    assert first.dbt_materialized() == refreshed.dbt_keys  # every model and seed
    evaluations = first.result.get_asset_check_evaluations()
    assert {e.asset_check_key for e in evaluations} == refreshed.check_keys  # every dbt test ran
    assert [e.asset_check_key for e in evaluations if not e.passed] == []

    contents = refreshed.after_first
    assert sorted((d["source_file"], d["status"], d["rejection_reason"]) for d in contents["marts.dim_document"]) == [
        (f"fujian/{SEED_001.name}", "loaded", None),
        ("notice.html", "rejected", REJECTION_REASON),
    ]
    for fact in ("fct_income", "fct_expenditure_function", "fct_expenditure_economic", "fct_three_public"):
        assert {r["document_id"] for r in contents[f"marts.{fact}"]} == {sha256_of(SEED_001)}, fact
    assert refreshed.state_after_first["dbt_project_fingerprint"] == dbt_project.project_fingerprint()


def test_second_refresh_with_nothing_changed_skips_dbt_and_changes_no_row(refreshed):
    assert_extraction_code_unchanged(refreshed)
    second = refreshed.second
    assert second.result.success, second.failures()

    metadata = second.landing_metadata()
    assert metadata["landing_changed"] is False
    assert (metadata["documents_parsed"], metadata["documents_from_cache"]) == (0, 2)  # the parse cache
    assert second.said("dbt build skipped: landing unchanged and the marts are up to date")
    assert not second.dbt_materialized()
    assert not second.result.get_asset_check_evaluations()

    marts = {name for name in refreshed.after_first if name.startswith("marts.")}
    assert {"marts.dim_document", "marts.fct_income", "marts.rpt_reconciliation"} <= marts
    assert refreshed.after_second.keys() == refreshed.after_first.keys()
    for name in refreshed.after_first:  # every row of every table, marts first of all
        assert refreshed.after_second[name] == refreshed.after_first[name], name
    assert refreshed.state_after_second == refreshed.state_after_first


def test_a_new_document_is_landed_and_built(refreshed, tmp_path):
    from pipelines.orchestration.definitions import build_definitions

    raw, db = refreshed.copy_to(tmp_path)
    shutil.copy(seed(SEED_003), raw / "fujian" / SEED_003.name)
    run = run_refresh(build_definitions().resolve_job_def("refresh_warehouse"), raw, db)
    assert run.result.success, run.failures()

    metadata = run.landing_metadata()
    assert metadata["landing_changed"] is True
    assert (metadata["documents_loaded"], metadata["documents_rejected"]) == (2, 1)
    assert (metadata["documents_parsed"], metadata["documents_from_cache"]) == (1, 2)
    assert run.said("running dbt build: landing changed")
    assert run.dbt_materialized() == refreshed.dbt_keys
    evaluations = run.result.get_asset_check_evaluations()
    assert {e.asset_check_key for e in evaluations} == refreshed.check_keys
    assert [e.asset_check_key for e in evaluations if not e.passed and e.severity != dg.AssetCheckSeverity.WARN] == []
    # warn-level checks report findings about the documents: seed 003's export garbles some of its
    # 绩效自评表 (digits split over cells, a first-level cell lost), which the performance checks report
    assert {e.asset_check_key.name for e in evaluations if not e.passed} <= {
        "not_null_fct_performance_indicator_level1",
        "not_accepted_values_rpt_reconciliation_status__fail",
    }

    contents = warehouse_contents(db)
    assert {r["document_id"] for r in contents["marts.fct_income"]} == {sha256_of(SEED_001), sha256_of(SEED_003)}
    assert sorted((d["source_file"], d["status"]) for d in contents["marts.dim_document"]) == [
        (f"fujian/{SEED_001.name}", "loaded"),
        (f"fujian/{SEED_003.name}", "loaded"),
        ("notice.html", "rejected"),
    ]
    for name, rows in refreshed.after_first.items():  # the seeds: rebuilt, unchanged
        if name.startswith("staging."):
            assert contents[name] == rows, name


def test_prepare_is_lazy_and_an_edited_dbt_model_is_reparsed_and_rebuilt(refreshed, tmp_path):
    """dbt code changed, data not: `prepare` re-parses the edited project and the refresh builds."""
    from pipelines.orchestration.definitions import build_definitions

    assert_extraction_code_unchanged(refreshed)
    raw, db = refreshed.copy_to(tmp_path)
    project = copy_dbt_project(tmp_path / "dbt_project", with_manifest=True)

    manifest = dbt_project.prepare_manifest(project)
    assert manifest == dbt_project.manifest_path(project)
    written = manifest.stat().st_mtime_ns
    assert dbt_project.prepare_manifest(project).stat().st_mtime_ns == written  # current: not re-parsed

    model = project / "models" / "marts" / "dim_document.sql"
    original = model.read_text()
    edited = original.replace(
        "        extractor_version\n", "        extractor_version,\n        'edited' as build_note\n"
    )
    assert edited != original
    time.sleep(0.01)
    model.write_text(edited)
    assert dbt_project.manifest_is_stale(project)
    with pytest.MonkeyPatch.context() as env:  # as `python -m pipelines refresh` prepares: for this warehouse
        env.setenv("FISCAL_DUCKDB_PATH", str(db))
        dbt_project.prepare_manifest(project)
    assert not dbt_project.manifest_is_stale(project)
    node = json.loads(manifest.read_text())["nodes"]["model.fiscal_warehouse.dim_document"]
    assert "build_note" in node["raw_code"] and node["original_file_path"] == "models/marts/dim_document.sql"

    run = run_refresh(build_definitions(project).resolve_job_def("refresh_warehouse"), raw, db)
    assert run.result.success, run.failures()
    assert run.landing_metadata()["landing_changed"] is False
    assert run.said("running dbt build: the dbt project changed since the last build")
    assert run.dbt_materialized() == refreshed.dbt_keys
    assert {r["build_note"] for r in warehouse_contents(db)["marts.dim_document"]} == {"edited"}
    assert dbt_build_state.read_state(db)["dbt_project_fingerprint"] == dbt_project.project_fingerprint(project)


# --- the command line --------------------------------------------------------------------------


def test_cli_refresh(refreshed, tmp_path):
    """`python -m pipelines refresh` in a fresh process, on a warehouse whose last dbt build did not complete."""
    assert_extraction_code_unchanged(refreshed)  # the fresh process must see the extractor the refresh used
    raw, db = refreshed.copy_to(tmp_path)
    dbt_build_state.state_path(db).unlink()  # the record of the last complete build is gone (killed half-way)
    env = {**os.environ, "FISCAL_RAW_DIR": str(raw), "FISCAL_DUCKDB_PATH": str(db)}
    env.pop("DAGSTER_HOME", None)
    env.pop("FISCAL_CACHE_DIR", None)
    cmd = [sys.executable, "-m", "pipelines", "refresh"]

    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[-1] == f"Warehouse: {db}"
    assert any(line.startswith("Run ") and line.endswith(": succeeded") for line in lines)
    # landing unchanged, yet dbt builds: nothing says the marts are complete
    assert "Landing: 1 loaded, 1 rejected, 0 removed; 0 parsed, 2 from cache; changed: False" in lines
    assert "running dbt build: no record of a complete dbt build" in done.stdout + done.stderr
    built, checks = len(refreshed.dbt_keys), len(refreshed.check_keys)
    assert f"dbt: {built} models/seeds built; tests: {checks} passed, 0 failed" in lines
    assert "Documents: 1 loaded, 1 rejected" in lines
    income_facts = len(refreshed.after_first["marts.fct_income"])
    assert income_facts > 0 and any(line.split() == ["fct_income", f"{income_facts:,}"] for line in lines)
    assert dbt_build_state.read_state(db) is not None
    assert warehouse_contents(db) == refreshed.after_first  # the same data, rebuilt


def test_a_missing_raw_folder_fails_the_run_and_lands_nothing(refreshed, tmp_path, monkeypatch, capsys):
    from pipelines.__main__ import main
    from pipelines.orchestration.definitions import build_definitions

    missing = tmp_path / "not-mounted"  # FISCAL_RAW_DIR mistyped, or a share that is not mounted
    job = build_definitions().resolve_job_def("refresh_warehouse")
    run = run_refresh(job, missing, tmp_path / "new" / "fiscal.duckdb")
    assert not run.result.success
    assert not run.result.get_asset_materialization_events()
    assert not (tmp_path / "new").exists()  # no warehouse, no parse cache, no lock file

    # an existing warehouse, through the command line (in this process): exit 1, nothing landed or deleted
    _, db = refreshed.copy_to(tmp_path / "copy")
    monkeypatch.setenv("FISCAL_RAW_DIR", str(missing))
    monkeypatch.setenv("FISCAL_DUCKDB_PATH", str(db))
    monkeypatch.delenv("FISCAL_CACHE_DIR", raising=False)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert main(["refresh"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == f"Warehouse: {db}"
    assert any(line.startswith("Run ") and line.endswith(": FAILED") for line in lines)
    assert any(line.startswith("FAILED step") and f"{missing} does not exist" in line for line in lines)
    assert warehouse_contents(db) == refreshed.after_second
