"""Command line: `python -m pipelines refresh` and `python -m pipelines prepare`.

refresh  runs the Dagster job `refresh_warehouse` (the one the nightly schedule runs) in this
         process, then prints a summary; the last line says where the warehouse is. Exits
         non-zero only when the run failed (a rejected document is not a failure).
prepare  writes the dbt manifest (`dbt parse`) the Dagster definitions are built from, if it is
         missing or older than the dbt project. Reads no data.

Inputs and output follow FISCAL_RAW_DIR, FISCAL_DUCKDB_PATH and FISCAL_CACHE_DIR (pipelines/settings.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def _prepare(force: bool = False) -> Path | None:
    from pipelines.orchestration import dbt_project

    return dbt_project.prepare_manifest(force=force)


def cmd_prepare(args: argparse.Namespace) -> int:
    from pipelines.orchestration import dbt_project

    try:
        manifest = _prepare(force=args.force)
    except dbt_project.DbtPrepareError as exc:
        print(exc, file=sys.stderr)
        return 1
    if manifest is None:
        print(f"No dbt project at {dbt_project.project_dir()} yet: nothing to prepare.")
    else:
        print(f"dbt manifest: {manifest}")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    if args.raw_dir:
        os.environ["FISCAL_RAW_DIR"] = str(Path(args.raw_dir).resolve())
    if args.duckdb_path:
        os.environ["FISCAL_DUCKDB_PATH"] = str(Path(args.duckdb_path).resolve())

    from pipelines.orchestration import dbt_project

    try:
        _prepare()
    except dbt_project.DbtPrepareError as exc:
        print(exc, file=sys.stderr)
        return 1

    # imported only now: the definitions load the dbt manifest prepared just above, and the
    # settings read the environment set from the arguments
    import dagster as dg

    from pipelines import settings
    from pipelines.land.lock import warehouse_write_lock
    from pipelines.orchestration import summary
    from pipelines.orchestration.constants import REFRESH_JOB_NAME
    from pipelines.orchestration.definitions import defs

    db_path = settings.duckdb_path()
    job = defs.resolve_job_def(REFRESH_JOB_NAME)
    # With DAGSTER_HOME set, the run is recorded there (and shows in `dagster dev` using it).
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    asked = time.time()
    # One refresh at a time, for the whole run: a second one (another shell, cron) waits here. The
    # steps take the same lock again (reentrant: the in-process executor runs them in this thread).
    with instance, warehouse_write_lock(db_path):
        acquired = time.time()
        result = job.execute_in_process(
            instance=instance,
            run_config={"loggers": {"console": {"config": {"log_level": args.log_level}}}},
            tags={"fiscal/trigger": "cli"},
            raise_on_error=False,
        )
        released = time.time()
        lines = summary.run_lines(result, instance)

    print()
    print(f"Run {result.run_id}: {'succeeded' if result.success else 'FAILED'}")
    lines.append(f"Write lock: waited {acquired - asked:.1f} s, held from {acquired:.3f} to {released:.3f} (epoch s)")
    for line in lines + summary.warehouse_lines(db_path):
        print(line)
    print(f"Warehouse: {db_path}")
    return 0 if result.success else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    refresh = commands.add_parser("refresh", help="run the refresh_warehouse job in this process")
    refresh.add_argument("--raw-dir", help="raw folder (default: $FISCAL_RAW_DIR or raw/)")
    refresh.add_argument(
        "--duckdb-path", help="warehouse file (default: $FISCAL_DUCKDB_PATH or warehouse/fiscal.duckdb)"
    )
    refresh.add_argument(
        "--log-level",
        default="INFO",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="Dagster console log level (default INFO)",
    )
    refresh.set_defaults(func=cmd_refresh)

    prepare = commands.add_parser("prepare", help="write the dbt manifest (dbt parse) if it is stale")
    prepare.add_argument("--force", action="store_true", help="parse even when the manifest looks current")
    prepare.set_defaults(func=cmd_prepare)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
