"""Whether the refresh run needs `dbt build`, and the record that lets it decide.

`dbt build` is skipped when landing was materialised earlier in the same run and reported
``landing_changed=False``, and the warehouse still holds what the last complete build made from
the same landing data with the same dbt code. The record of that build is a small JSON file
beside the DuckDB file (``<db>.dbt_state.json``): removed before every build, written after a
complete successful one with the dbt project's fingerprint and a fingerprint of the landing
schema. That covers the cases a bare "marts exist" test would get wrong: a build that failed or
was killed after landing had changed (the next run's landing reports no change, yet the marts are
stale), and an edited dbt model with unchanged data. A run that materialises dbt models without
landing (say, from the UI) always builds.
"""

import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb

from pipelines.orchestration import dbt_project
from pipelines.orchestration.constants import LANDING_CHANGED, LANDING_KEY, LANDING_SCHEMA

STATE_SUFFIX = ".dbt_state.json"


@dataclass(frozen=True)
class BuildDecision:
    build: bool
    reason: str


def state_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + STATE_SUFFIX)


def read_state(db_path: Path) -> dict | None:
    try:
        return json.loads(state_path(db_path).read_text())
    except (OSError, ValueError):
        return None


def write_state(db_path: Path, state: dict) -> None:
    path = state_path(db_path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True))
    os.replace(tmp, path)


def clear_state(db_path: Path) -> None:
    state_path(db_path).unlink(missing_ok=True)


def record_build(db_path: Path, project_fingerprint: str, run_id: str) -> None:
    """The record of a complete build, just published: what dbt code built it from which landing."""
    _, landing_fingerprint = inspect_warehouse(db_path)
    write_state(
        db_path,
        {
            "dbt_project_fingerprint": project_fingerprint,
            "landing_fingerprint": landing_fingerprint,
            "run_id": run_id,
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        },
    )


def model_relations(manifest: Mapping[str, Any]) -> set[tuple[str, str]]:
    """(schema, name) of every relation dbt materialises (models, seeds, snapshots; not ephemeral)."""
    relations = set()
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") not in ("model", "seed", "snapshot"):
            continue
        if (node.get("config") or {}).get("materialized") == "ephemeral":
            continue
        relations.add((node["schema"].lower(), (node.get("alias") or node["name"]).lower()))
    return relations


def inspect_warehouse(db_path: Path) -> tuple[set[tuple[str, str]], str | None]:
    """Relations present in the warehouse, and a fingerprint of the landing schema (None if absent).

    Opens the file read-only; the caller holds the write lock, so nobody is writing it.
    """
    if not db_path.exists():
        return set(), None
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        present = {
            (schema.lower(), name.lower())
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_catalog = current_database()"
            ).fetchall()
        }
        landing_tables = sorted(name for schema, name in present if schema == LANDING_SCHEMA)
        if "documents" not in landing_tables:
            return present, None
        digest = hashlib.sha256()
        for row in con.execute(f"select * from {LANDING_SCHEMA}.documents order by all").fetchall():
            digest.update(repr(row).encode())
        for name in landing_tables:
            (count,) = con.execute(f'select count(*) from {LANDING_SCHEMA}."{name}"').fetchone()
            digest.update(f"{name}:{count}".encode())
        return present, digest.hexdigest()
    finally:
        con.close()


def landing_changed_in_run(context: dg.AssetExecutionContext) -> bool | None:
    """landing_changed reported by the `landing` materialisation of this run; None if there was none."""
    event = context.instance.get_latest_materialization_event(LANDING_KEY)
    if event is None or event.run_id != context.run.run_id or event.asset_materialization is None:
        return None
    value = event.asset_materialization.metadata.get(LANDING_CHANGED)
    return None if value is None else bool(value.value)


def decide_build(
    landing_changed: bool | None, project_dir: Path, manifest: Mapping[str, Any], db_path: Path
) -> BuildDecision:
    """Whether to run `dbt build` (the caller holds the warehouse write lock)."""
    if landing_changed is None:
        return BuildDecision(True, "landing was not materialised in this run")
    if landing_changed:
        return BuildDecision(True, "landing changed")
    state = read_state(db_path)
    if state is None:
        return BuildDecision(True, "no record of a complete dbt build of this warehouse")
    if state.get("dbt_project_fingerprint") != dbt_project.project_fingerprint(project_dir):
        return BuildDecision(True, "the dbt project changed since the last build")
    present, landing_fp = inspect_warehouse(db_path)
    if landing_fp is None or state.get("landing_fingerprint") != landing_fp:
        return BuildDecision(True, "landing differs from what the last build read")
    missing = sorted(model_relations(manifest) - present)
    if missing:
        shown = ", ".join(f"{s}.{n}" for s, n in missing[:3])
        return BuildDecision(True, f"{len(missing)} dbt relations missing ({shown})")
    return BuildDecision(False, "landing unchanged and the marts are up to date")
