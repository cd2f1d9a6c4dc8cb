"""Dagster resources: where the warehouse lives, and the dbt CLI."""

from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject

from pipelines import settings
from pipelines.orchestration import dbt_project

# Every asset that writes the DuckDB file is in this pool; dagster.yaml limits it to one run at a time.
WAREHOUSE_POOL = "fiscal_warehouse"


class WarehouseResource(dg.ConfigurableResource):
    """Raw folder, DuckDB file and parse cache.

    Unset fields follow pipelines.settings (FISCAL_RAW_DIR, FISCAL_DUCKDB_PATH, FISCAL_CACHE_DIR),
    read when a run or sensor tick uses them, not when the definitions are loaded.
    """

    raw_dir: str | None = None
    duckdb_path: str | None = None
    cache_dir: str | None = None
    workers: int | None = None

    def raw_path(self) -> Path:
        return Path(self.raw_dir).resolve() if self.raw_dir else settings.raw_dir()

    def db_path(self) -> Path:
        return Path(self.duckdb_path).resolve() if self.duckdb_path else settings.duckdb_path()

    def cache_path(self) -> Path:
        if self.cache_dir:
            return Path(self.cache_dir).resolve()
        if self.duckdb_path:
            return self.db_path().parent / "parsed"
        return settings.cache_dir()


def dbt_project_handle(path: Path | str | None = None) -> DbtProject:
    root = dbt_project.project_dir(path)
    return DbtProject(project_dir=root, profiles_dir=root)


def dbt_cli_resource(project: DbtProject) -> DbtCliResource:
    return DbtCliResource(
        project_dir=project,
        profiles_dir=str(project.profiles_dir),
        dbt_executable=dbt_project.dbt_executable(),
    )
