"""Dagster resources: the warehouse (where it lives, and the one way to write it), and the dbt CLI."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject

from pipelines import settings
from pipelines.land import ingest, publish
from pipelines.land.lock import warehouse_write_lock
from pipelines.orchestration import dbt_project

__all__ = ["WarehouseResource", "dbt_cli_resource", "dbt_project_handle"]

log = dg.get_dagster_logger(__name__)


class WarehouseResource(dg.ConfigurableResource):
    """Raw folder, DuckDB file and parse cache, and every write of the DuckDB file.

    A write holds the warehouse write lock (pipelines/land/lock.py) and goes to a copy beside the
    published file, swapped in only once complete (pipelines/land/publish.py): `land()` for the
    landing step, `build()` for the dbt step. Nothing here runs when the resource is set up: the
    sensor uses it too, and must neither wait for the lock nor touch the warehouse.

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

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the warehouse write lock (reentrant in one thread: the CLI holds it for its whole run)."""
        with warehouse_write_lock(self.db_path()):
            yield

    def land(self, *, publish_now: bool = True) -> ingest.IngestReport:
        """Land the documents of the raw folder: parse what is new, delete what has gone.

        What changes is written to a fresh copy of the warehouse. `publish_now` swaps it in at once;
        without it the copy waits for `build(after_landing=True)` in the same run.
        """
        raw_dir = self.raw_path()
        if not raw_dir.is_dir():
            # a missing raw folder is a mistake (FISCAL_RAW_DIR, a mount); so is an empty one, unless asked for
            raise dg.Failure(f"raw folder {raw_dir} does not exist: nothing landed, nothing deleted")
        db_path = self.db_path()
        with self.write_lock():
            self.discard_unfinished()
            try:
                report = ingest.ingest(
                    raw_dir,
                    db_path,
                    self.cache_path(),
                    workers=self.workers,
                    write_to=lambda: publish.start_build(db_path),
                    allow_emptying=settings.allow_empty_raw(),
                )
            except ingest.WouldEmptyWarehouse as error:
                raise dg.Failure(str(error)) from error
            if report.landing_changed:
                if publish_now:
                    publish.publish(db_path)
                else:
                    log.info(f"landing written to {publish.build_path(db_path)}, left for the dbt step to publish")
        return report

    @contextmanager
    def build(self, *, after_landing: bool) -> Iterator[Path]:
        """A writable copy of the warehouse for the block to build, published when the block completes.

        `after_landing`: go on with the copy this run's landing left unpublished, if there is one;
        otherwise start from the published warehouse. A block that raises leaves its copy
        unpublished, for the next writer to discard.
        """
        db_path = self.db_path()
        with self.write_lock():
            if not (after_landing and publish.has_build(db_path)):
                publish.start_build(db_path)
            yield publish.build_path(db_path)
            publish.publish(db_path)

    def discard_unfinished(self) -> bool:
        """Delete the copy a refresh that did not finish (killed, failed) left. True if there was one."""
        db_path = self.db_path()
        with self.write_lock():
            if not publish.discard_build(db_path):
                return False
        log.warning(f"discarded {publish.build_path(db_path)}, left by a refresh that did not finish")
        return True


def dbt_project_handle(path: Path | str | None = None) -> DbtProject:
    root = dbt_project.project_dir(path)
    return DbtProject(project_dir=root, profiles_dir=root)


def dbt_cli_resource(project: DbtProject) -> DbtCliResource:
    return DbtCliResource(
        project_dir=project,
        profiles_dir=str(project.profiles_dir),
        dbt_executable=dbt_project.dbt_executable(),
    )
