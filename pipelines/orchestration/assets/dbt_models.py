"""The dbt models (staging → intermediate → marts) as Dagster assets, dbt tests as asset checks.

Lineage: every dbt source on the `landing` schema maps to the `landing` asset, so the graph reads
raw_documents → landing → staging → … → marts. `dbt build` runs under the warehouse write lock,
only when dbt_build_state.decide_build() says something changed, on the copy the warehouse
resource hands out and publishes once the build has succeeded (WarehouseResource.build).
"""

import json
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from pipelines.orchestration import dbt_child, dbt_project
from pipelines.orchestration.constants import LANDING_KEY, LANDING_SCHEMA, WAREHOUSE_POOL
from pipelines.orchestration.dbt_build_state import clear_state, decide_build, landing_changed_in_run, record_build
from pipelines.orchestration.resources import WarehouseResource

ASSETS_NAME = "dbt_models"
KEEP_RUN_TARGETS = 5  # dagster-dbt gives each run its own target/<op>-<run>-<hash> folder
LANDING_WRITES = {LANDING_SCHEMA, "history"}  # the schemas the landing asset writes (pipelines/land/*.sql)


class FiscalDbtTranslator(DagsterDbtTranslator):
    """dbt sources on `landing` and `history` → the `landing` asset; models grouped by layer folder."""

    def __init__(self) -> None:
        # Five landing tables, one Dagster asset: allow several sources to share its key.
        super().__init__(DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if (
            dbt_resource_props["resource_type"] == "source"
            and {
                dbt_resource_props.get("source_name"),
                dbt_resource_props.get("schema"),
            }
            & LANDING_WRITES
        ):
            return LANDING_KEY
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn") or []
        # fqn = [project, folder, ..., name]; the first folder is the layer (staging, intermediate, marts)
        layer = fqn[1] if len(fqn) > 2 else "dbt"
        return re.sub(r"[^A-Za-z0-9_]", "_", layer)


# --- running dbt -----------------------------------------------------------------------------


def prune_run_targets(target_dir: Path, keep: int = KEEP_RUN_TARGETS) -> None:
    """Delete all but the newest `keep` per-run dbt target folders (about 1 MB each)."""
    runs = sorted(
        (p for p in target_dir.glob(f"{ASSETS_NAME}-*") if p.is_dir()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def stop(process: subprocess.Popen, timeout: float = 60) -> None:
    """Interrupt a dbt process that is still running (its events stopped being read) and wait for it."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def environment(**values: str) -> Iterator[None]:
    """Set environment variables for the dbt subprocess (DbtCliResource passes os.environ on)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def run_dbt_build(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, project: DbtProject, target: Path
) -> Iterator:
    """`dbt build` of the warehouse copy at `target`, its events streamed to Dagster."""
    if dbt_project.manifest_is_stale(project.project_dir):
        context.log.warning(
            "the dbt project changed after its manifest was parsed: reload the code location "
            "or run `python -m pipelines prepare` if dbt reports unknown nodes"
        )
    prune_run_targets(Path(project.project_dir) / project.target_path)
    # dbt writes the copy; analysts keep reading the published warehouse until it is swapped in.
    with environment(FISCAL_DUCKDB_PATH=str(target), **{dbt_child.PARENT_PID_VARIABLE: str(os.getpid())}):
        invocation = dbt.cli(["build"], context=context)
        try:
            yield from invocation.stream()
        finally:
            stop(invocation.process)  # never leave dbt writing once the lock is released


# --- the assets ---------------------------------------------------------------------------------


def build_dbt_assets(project: DbtProject) -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        dagster_dbt_translator=FiscalDbtTranslator(),
        pool=WAREHOUSE_POOL,
        name=ASSETS_NAME,
    )
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
        manifest = json.loads(Path(project.manifest_path).read_text())
        with warehouse.write_lock():
            landing_changed = landing_changed_in_run(context)
            decision = decide_build(landing_changed, Path(project.project_dir), manifest, warehouse.db_path())
            if not decision.build:
                context.log.info(f"dbt build skipped: {decision.reason}")
                return
            context.log.info(f"running dbt build: {decision.reason}")
            fingerprint = dbt_project.project_fingerprint(project.project_dir)  # of the code about to build
            with warehouse.build(after_landing=bool(landing_changed)) as target:
                yield from run_dbt_build(context, dbt, project, target)
                clear_state(warehouse.db_path())  # the old record must not outlive the warehouse it describes
            if not context.is_subset:
                record_build(warehouse.db_path(), fingerprint, context.run.run_id)

    return dbt_models
