"""Dagster orchestration: definitions, the raw-folder sensor, the warehouse lock, build-or-skip of dbt.

The end-to-end tests use a small dbt project written to a temporary folder and a stand-in for
pipelines.land.ingest (below), so that they test the orchestration, not the extraction.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines import settings
from pipelines.land import ingest as land
from pipelines.land.lock import WarehouseLockTimeout, warehouse_write_lock
from pipelines.orchestration import dbt_project
from pipelines.orchestration.resources import WAREHOUSE_POOL, WarehouseResource

REPO = Path(__file__).resolve().parent.parent
LANDING = dg.AssetKey("landing")

# --- a small dbt project, shaped like the real one ---------------------------------------------

DBT_FILES = {
    "dbt_project.yml": """
        name: fiscal_test
        version: "0.1.0"
        config-version: 2
        profile: fiscal_test
        models:
          fiscal_test:
            staging: {+schema: staging, +materialized: view}
            marts: {+schema: marts, +materialized: table}
    """,
    "profiles.yml": """
        fiscal_test:
          target: default
          outputs:
            default:
              type: duckdb
              path: "{{ env_var('FISCAL_DUCKDB_PATH') }}"
              threads: 1
    """,
    "macros/generate_schema_name.sql": """
        {% macro generate_schema_name(custom_schema_name, node) -%}
          {{ custom_schema_name if custom_schema_name is not none else target.schema }}
        {%- endmacro %}
    """,
    "models/staging/sources.yml": """
        version: 2
        sources:
          - name: landing
            schema: landing
            tables: [{name: documents}, {name: amounts}]
    """,
    "models/staging/stg_documents.sql": "select * from {{ source('landing', 'documents') }}",
    "models/staging/stg_amounts.sql": "select * from {{ source('landing', 'amounts') }}",
    "models/marts/dim_document.sql": "select document_id, source_file, status from {{ ref('stg_documents') }}",
    "models/marts/fct_income.sql": """
        select a.document_id, a.amount
        from {{ ref('stg_amounts') }} a join {{ ref('stg_documents') }} d using (document_id)
        where d.status = 'loaded'
    """,
    "models/marts/schema.yml": """
        version: 2
        models:
          - name: dim_document
            columns:
              - name: document_id
                data_tests: [unique, not_null]
          - name: fct_income
            columns:
              - name: amount
                data_tests: [not_null]
    """,
}


def write_dbt_project(root: Path) -> Path:
    for name, text in DBT_FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).strip() + "\n")
    return root


@pytest.fixture(scope="session")
def small_dbt_project(tmp_path_factory) -> Path:
    root = write_dbt_project(tmp_path_factory.mktemp("dbt_project"))
    assert dbt_project.prepare_manifest(root) == root / "target" / "manifest.json"
    return root


# --- a stand-in for pipelines.land.ingest ------------------------------------------------------


def fake_discover(raw_dir: Path) -> list[land.SourceFile]:
    files = []
    for path in sorted(Path(raw_dir).rglob("*")):
        if path.is_file() and path.suffix.lower() in {".pdf", ".txt", ".md", ".html"}:
            data = path.read_bytes()
            files.append(
                land.SourceFile(path, path.relative_to(raw_dir).as_posix(), hashlib.sha256(data).hexdigest(), len(data))
            )
    return files


def fake_ingest(raw_dir: Path, db_path: Path, cache_dir: Path, workers: int | None = None) -> land.IngestReport:
    """Lands each file as one document with one amount; `.html` files are rejected."""
    if os.environ.get("FAKE_INGEST_FAIL"):
        raise RuntimeError("ingest failed on purpose")
    report = land.IngestReport(raw_dir=Path(raw_dir), db_path=Path(db_path))
    files = {f.sha256: f for f in reversed(fake_discover(raw_dir))}
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    with warehouse_write_lock(db_path):
        con = duckdb.connect(str(db_path))
        try:
            con.execute("create schema if not exists landing")
            con.execute(
                "create table if not exists landing.documents "
                "(document_id varchar, source_file varchar, status varchar, rejection_reason varchar)"
            )
            con.execute("create table if not exists landing.amounts (document_id varchar, amount decimal(20,6))")
            have = {row[0] for row in con.execute("select document_id from landing.documents").fetchall()}
            for gone in sorted(have - set(files)):
                con.execute("delete from landing.documents where document_id = ?", [gone])
                con.execute("delete from landing.amounts where document_id = ?", [gone])
                report.removed_document_ids.append(gone)
            for doc_id, f in sorted(files.items()):
                rejected = f.relative_path.endswith(".html")
                reason = "not a fiscal document" if rejected else None
                if doc_id not in have:
                    con.execute(
                        "insert into landing.documents values (?, ?, ?, ?)",
                        [doc_id, f.relative_path, "rejected" if rejected else "loaded", reason],
                    )
                    if not rejected:
                        con.execute("insert into landing.amounts values (?, 12.5)", [doc_id])
                report.documents.append(
                    land.DocumentReport(
                        document_id=doc_id, source_file=f.relative_path,
                        status="rejected" if rejected else "loaded", rejection_reason=reason,
                        doc_type=None, fiscal_year=None, entity_name=None, page_count=None,
                        table_count=0, amount_count=0 if rejected else 1, issue_count=0,
                        parsed=doc_id not in have, seconds=0.01,
                    )
                )
            report.landing_changed = bool(report.removed_document_ids) or any(d.parsed for d in report.documents)
        finally:
            con.close()
    return report


def install_fake_ingest() -> None:
    land.discover_documents = fake_discover
    land.ingest = fake_ingest


@pytest.fixture
def fake_land(monkeypatch):
    monkeypatch.setattr(land, "discover_documents", fake_discover)
    monkeypatch.setattr(land, "ingest", fake_ingest)


# --- definitions -------------------------------------------------------------------------------


def test_definitions_load():
    """The code location of workspace.yaml: job, nightly schedule, sensor; dbt models when prepared."""
    if dbt_project.is_dbt_project():
        dbt_project.prepare_manifest()
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
    assert graph.get(LANDING).parent_keys == {dg.AssetKey("raw_documents")}
    assert graph.get(LANDING).pools == {WAREHOUSE_POOL}
    if dbt_project.is_dbt_project():
        dbt_keys = graph.get_all_asset_keys() - {LANDING, dg.AssetKey("raw_documents")}
        assert dbt_keys, "the dbt models are Dagster assets"
        assert any(LANDING in graph.get(key).parent_keys for key in dbt_keys), "dbt sources map to `landing`"
        manifest = json.loads(dbt_project.manifest_path().read_text())
        if any(n["resource_type"] == "test" and n.get("attached_node") for n in manifest["nodes"].values()):
            assert graph.asset_check_keys, "dbt tests are Dagster asset checks"


def test_dbt_models_lineage_and_checks(small_dbt_project):
    from pipelines.orchestration.definitions import build_definitions

    defs = build_definitions(small_dbt_project)
    graph = defs.resolve_asset_graph()
    stg_documents = dg.AssetKey(["staging", "stg_documents"])
    dim_document = dg.AssetKey(["marts", "dim_document"])
    assert graph.get(stg_documents).parent_keys == {LANDING}
    assert graph.get(dim_document).parent_keys == {stg_documents}
    assert graph.get(dim_document).group_name == "marts"
    assert graph.get(dim_document).pools == {WAREHOUSE_POOL}
    checks = {(k.asset_key, k.name) for k in graph.asset_check_keys}
    assert (dim_document, "unique_dim_document_document_id") in checks
    assert (dim_document, "not_null_dim_document_document_id") in checks
    assert (dg.AssetKey(["marts", "fct_income"]), "not_null_fct_income_amount") in checks
    # the refresh job runs everything, checks included
    job = defs.resolve_job_def("refresh_warehouse")
    assert job.asset_layer.asset_graph.asset_check_keys == graph.asset_check_keys


def test_definitions_load_without_a_manifest(tmp_path):
    from pipelines.orchestration.definitions import build_definitions

    project = write_dbt_project(tmp_path / "dbt")  # never parsed
    defs = build_definitions(project)
    assert defs.resolve_asset_graph().get_all_asset_keys() == {dg.AssetKey("raw_documents"), LANDING}
    assert defs.resolve_job_def("refresh_warehouse") is not None
    assert not (project / "target").exists()


def test_prepare_manifest_is_lazy_and_follows_edits(tmp_path):
    project = write_dbt_project(tmp_path / "dbt")
    manifest = dbt_project.prepare_manifest(project)
    first = manifest.stat().st_mtime_ns
    assert dbt_project.prepare_manifest(project).stat().st_mtime_ns == first  # current: not re-parsed
    time.sleep(0.01)
    (project / "models/marts/extra.sql").write_text("select 1 as one\n")
    assert dbt_project.manifest_is_stale(project)
    dbt_project.prepare_manifest(project)
    assert "model.fiscal_test.extra" in json.loads(manifest.read_text())["nodes"]


# --- the raw-folder sensor ---------------------------------------------------------------------


def settle(path: Path, age: float = 60.0) -> None:
    """Give a file an mtime in the past, as if it was copied a while ago."""
    when = time.time() - age
    os.utime(path, (when, when))


def tick(raw_dir: Path, cursor: str | None) -> dg.SensorResult:
    from pipelines.orchestration.sensors import raw_folder_sensor

    context = dg.build_sensor_context(
        cursor=cursor, resources={"warehouse": WarehouseResource(raw_dir=str(raw_dir))}
    )
    result = raw_folder_sensor(context)
    assert isinstance(result, dg.SensorResult)
    return result


def test_sensor_requests_a_run_when_the_raw_folder_changes(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()

    first = tick(raw, None)  # empty folder: nothing to do, remember it
    assert not first.run_requests and first.cursor

    doc = raw / "a" / "2024年度部门决算.pdf"
    doc.parent.mkdir()
    doc.write_bytes(b"%PDF-1.4 one")
    settle(doc)
    added = tick(raw, first.cursor)
    assert len(added.run_requests) == 1
    assert added.run_requests[0].run_key == added.cursor != first.cursor

    again = tick(raw, added.cursor)
    assert not again.run_requests and again.cursor in (None, added.cursor)

    (raw / "notes.docx").write_bytes(b"not a document")  # not a document type: ignored
    settle(raw / "notes.docx")
    assert not tick(raw, added.cursor).run_requests

    doc.write_bytes(b"%PDF-1.4 one, corrected")  # changed content
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
    (raw / "old.txt").write_text("old")
    settle(raw / "old.txt")
    cursor = tick(raw, None).cursor
    (raw / "new.txt").write_text("still copying")  # mtime: now
    busy = tick(raw, cursor)
    assert not busy.run_requests and busy.cursor in (None, cursor)
    settle(raw / "new.txt")
    assert len(tick(raw, cursor).run_requests) == 1


def test_sensor_never_reads_documents_or_the_warehouse(tmp_path, monkeypatch):
    from pipelines.orchestration import sensors

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.pdf").write_bytes(b"x")
    settle(raw / "a.pdf")
    real_open = open

    def guarded_open(file, *args, **kwargs):
        assert not str(file).startswith(str(raw)), f"sensor opened {file}"
        return real_open(file, *args, **kwargs)

    def no_duckdb(*args, **kwargs):
        raise AssertionError("sensor opened DuckDB")

    monkeypatch.setattr("builtins.open", guarded_open)
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
    (s1, e1), (s2, e2) = sorted(
        tuple(map(float, (tmp_path / f"w{i}.log").read_text().split())) for i in range(2)
    )
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
        with pytest.raises(WarehouseLockTimeout):
            with warehouse_write_lock(db, timeout=0.5):
                pass
        assert 0.4 < time.monotonic() - started < 2.5
    finally:
        assert proc.wait(timeout=60) == 0
    with warehouse_write_lock(db, timeout=1):
        with warehouse_write_lock(db, timeout=1):  # same thread: no deadlock
            pass


# --- the job end to end: dbt build only when something changed --------------------------------


def _dbt_materialized(result) -> set[dg.AssetKey]:
    ingestion = {dg.AssetKey("raw_documents"), LANDING}
    return {e.asset_key for e in result.get_asset_materialization_events()} - ingestion


def _landing_changed(result) -> bool:
    (event,) = [e for e in result.get_asset_materialization_events() if e.asset_key == LANDING]
    return event.materialization.metadata["landing_changed"].value


def test_refresh_job_builds_dbt_only_when_something_changed(tmp_path, small_dbt_project, fake_land, monkeypatch):
    from pipelines.orchestration.definitions import build_definitions

    raw, db = tmp_path / "raw", tmp_path / "warehouse" / "fiscal.duckdb"
    raw.mkdir()
    (raw / "a.txt").write_text("document a")
    (raw / "bad.html").write_text("<p>no tables</p>")
    monkeypatch.setenv("FISCAL_RAW_DIR", str(raw))
    monkeypatch.setenv("FISCAL_DUCKDB_PATH", str(db))
    assert settings.duckdb_path() == db

    job = build_definitions(small_dbt_project).resolve_job_def("refresh_warehouse")

    def run():
        with dg.DagsterInstance.ephemeral() as instance:
            result = job.execute_in_process(instance=instance, raise_on_error=False)
        assert result.success
        return result

    first = run()
    assert _landing_changed(first)
    assert dg.AssetKey(["marts", "dim_document"]) in _dbt_materialized(first)
    evaluations = first.get_asset_check_evaluations()
    assert len(evaluations) == 3 and all(e.passed for e in evaluations)
    landing_md = [e for e in first.get_asset_materialization_events() if e.asset_key == LANDING][0]
    metadata = landing_md.materialization.metadata
    assert metadata["documents_loaded"].value == 1 and metadata["documents_rejected"].value == 1
    assert "not a fiscal document" in metadata["documents"].value
    assert metadata["warehouse"].value == str(db)

    second = run()  # nothing changed: no dbt build
    assert not _landing_changed(second)
    assert not _dbt_materialized(second)
    assert not second.get_asset_check_evaluations()

    (raw / "b.md").write_text("document b")  # new document: build
    third = run()
    assert _landing_changed(third) and _dbt_materialized(third)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from marts.fct_income").fetchone() == (2,)
    con.close()

    model = small_dbt_project / "models/marts/dim_document.sql"
    original = model.read_text()
    try:  # dbt code changed, data not: build
        model.write_text(original.replace("status", "status, 1 as version"))
        dbt_project.prepare_manifest(small_dbt_project)
        fourth = run()
        assert not _landing_changed(fourth) and _dbt_materialized(fourth)
    finally:
        model.write_text(original)
        dbt_project.prepare_manifest(small_dbt_project)

    (db.parent / "fiscal.duckdb.dbt_state.json").unlink()  # no record of a complete build: build
    assert _dbt_materialized(run())


RUNNER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import pipelines.settings
pipelines.settings.DBT_PROJECT_DIR = Path(sys.argv[2])
import test_orchestration
test_orchestration.install_fake_ingest()
from pipelines.__main__ import main
sys.exit(main(["refresh"]))
"""


def test_cli_refresh(tmp_path, small_dbt_project):
    raw, db = tmp_path / "raw", tmp_path / "out" / "fiscal.duckdb"
    raw.mkdir()
    (raw / "a.txt").write_text("document a")
    env = {
        **os.environ,
        "FISCAL_RAW_DIR": str(raw),
        "FISCAL_DUCKDB_PATH": str(db),
        "PYTHONPATH": str(REPO),
    }
    env.pop("DAGSTER_HOME", None)
    cmd = [sys.executable, "-c", RUNNER, str(Path(__file__).parent), str(small_dbt_project)]

    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[-1] == f"Warehouse: {db}"
    assert "Documents: 1 loaded, 0 rejected" in lines
    assert any(line.split() == ["fct_income", "1"] for line in lines)

    failed = subprocess.run(
        cmd, cwd=REPO, env={**env, "FAKE_INGEST_FAIL": "1"}, capture_output=True, text=True, timeout=300
    )
    assert failed.returncode == 1
    assert failed.stdout.strip().splitlines()[-1] == f"Warehouse: {db}"
    assert "ingest failed on purpose" in failed.stdout


def test_a_missing_raw_folder_fails_the_run_and_lands_nothing(tmp_path, fake_land, monkeypatch):
    from pipelines.orchestration.definitions import build_definitions

    monkeypatch.setenv("FISCAL_RAW_DIR", str(tmp_path / "not-mounted"))
    monkeypatch.setenv("FISCAL_DUCKDB_PATH", str(tmp_path / "fiscal.duckdb"))
    job = build_definitions(tmp_path / "no-dbt-project").resolve_job_def("refresh_warehouse")
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success
    assert not result.get_asset_materialization_events()
    assert not (tmp_path / "fiscal.duckdb").exists()
