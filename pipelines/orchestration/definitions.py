"""The Dagster code location: `dagster dev -w workspace.yaml` (or `-m pipelines.orchestration.definitions`).

Loading these definitions never opens the warehouse. The dbt assets come from the dbt manifest:
under `dagster dev` it is re-parsed here when stale; elsewhere `python -m pipelines prepare` makes
it (the CLI, the Makefile and the tests call it first). Without a dbt project or a manifest the
code location still loads, with only raw_documents and landing, and says so in a warning.
"""

import logging
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import using_dagster_dev

from pipelines.orchestration import dbt_project
from pipelines.orchestration.assets.dbt_models import build_dbt_assets
from pipelines.orchestration.assets.landing import landing
from pipelines.orchestration.assets.raw_documents import raw_documents
from pipelines.orchestration.jobs import nightly_refresh, refresh_job
from pipelines.orchestration.resources import WarehouseResource, dbt_cli_resource, dbt_project_handle
from pipelines.orchestration.sensors import raw_folder_sensor

log = logging.getLogger(__name__)


def build_definitions(dbt_project_dir: Path | str | None = None) -> dg.Definitions:
    assets: list = [raw_documents, landing]
    resources: dict = {"warehouse": WarehouseResource()}
    project = _dbt_project(dbt_project.project_dir(dbt_project_dir))
    if project is not None:
        assets.append(build_dbt_assets(project))
        resources["dbt"] = dbt_cli_resource(project)

    return dg.Definitions(
        assets=assets,
        jobs=[refresh_job(with_dbt=project is not None)],
        schedules=[nightly_refresh],
        sensors=[raw_folder_sensor],
        resources=resources,
    )


def _dbt_project(project_dir: Path) -> DbtProject | None:
    """The dbt project to build assets from; None (and a warning) without a project or a manifest."""
    if not dbt_project.is_dbt_project(project_dir):
        log.warning("no dbt project at %s: the dbt models are not loaded", project_dir)
        return None
    if using_dagster_dev():
        dbt_project.prepare_manifest(project_dir)
    if not dbt_project.manifest_path(project_dir).is_file():
        log.warning(
            "no dbt manifest at %s: the dbt models are not loaded (run `python -m pipelines prepare`)",
            dbt_project.manifest_path(project_dir),
        )
        return None
    if dbt_project.manifest_is_stale(project_dir):
        log.warning("the dbt manifest is older than the dbt project: run `python -m pipelines prepare`")
    return dbt_project_handle(project_dir)


defs = build_definitions()
