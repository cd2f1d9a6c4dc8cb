"""The few lines `python -m pipelines refresh` prints after the run."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.orchestration.constants import INGESTION_KEYS, LANDING_CHANGED, LANDING_KEY


def _metadata_value(entry) -> object:
    return getattr(entry, "value", entry)


def run_lines(result, instance) -> list[str]:
    """What the run did: landing counts, dbt built or skipped, dbt test results, failures."""
    lines = []
    landing = [m for m in result.get_asset_materialization_events() if m.asset_key == LANDING_KEY]
    if landing:
        md = {k: _metadata_value(v) for k, v in landing[-1].materialization.metadata.items()}
        lines.append(
            f"Landing: {md.get('documents_loaded', 0)} loaded, {md.get('documents_rejected', 0)} rejected, "
            f"{md.get('documents_removed', 0)} removed; {md.get('documents_parsed', 0)} parsed, "
            f"{md.get('documents_from_cache', 0)} from cache; changed: {md.get(LANDING_CHANGED)}"
        )

    dbt_materialized = [m for m in result.get_asset_materialization_events() if m.asset_key not in INGESTION_KEYS]
    checks = result.get_asset_check_evaluations()
    skipped = [
        entry.user_message
        for entry in instance.all_logs(result.run_id)
        if entry.user_message and entry.user_message.startswith("dbt build skipped")
    ]
    if skipped:
        lines.append(skipped[-1].replace("dbt build skipped", "dbt: build skipped"))
    elif dbt_materialized or checks:
        failed = [c for c in checks if not c.passed and c.severity == dg.AssetCheckSeverity.ERROR]
        warned = [c for c in checks if not c.passed and c.severity != dg.AssetCheckSeverity.ERROR]
        lines.append(
            f"dbt: {len(dbt_materialized)} models/seeds built; tests: "
            f"{len(checks) - len(failed) - len(warned)} passed, {len(failed)} failed"
            + (f", {len(warned)} warned" if warned else "")
        )
        for check in failed[:10]:
            lines.append(f"  failed test: {check.asset_key.to_user_string()} {check.check_name}")
        for check in warned[:10]:
            # severity warn: e.g. a document that does not reconcile (see marts.rpt_reconciliation)
            lines.append(f"  warning: {check.asset_key.to_user_string()} {check.check_name}")

    if not result.success:
        for event in result.get_step_failure_events():
            error = event.step_failure_data.error if event.step_failure_data else None
            while error is not None and error.cause is not None:  # the user code's own error
                error = error.cause
            message = " ".join(error.message.split()) if error else ""
            lines.append(f"FAILED step {event.step_key}: {message[:400]}")
    return lines


def warehouse_lines(db_path: Path) -> list[str]:
    """Documents, facts per mart and reconciliation statuses, read from the warehouse read-only."""
    if not db_path.exists():
        return ["(no warehouse file yet)"]
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:  # e.g. another process is writing it right now
        return [f"(warehouse not readable now: {exc})"]
    lines = []
    try:
        tables = {
            (schema, name)
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_catalog = current_database()"
            ).fetchall()
        }
        if ("landing", "documents") in tables:
            status = dict(con.execute("select status, count(*) from landing.documents group by 1").fetchall())
            lines.append(f"Documents: {status.get('loaded', 0)} loaded, {status.get('rejected', 0)} rejected")
        marts = sorted(name for schema, name in tables if schema == "marts")
        if marts:
            lines.append("Marts (rows):")
            width = max(len(name) for name in marts)
            for name in marts:
                (count,) = con.execute(f'select count(*) from marts."{name}"').fetchone()
                lines.append(f"  {name:<{width}}  {count:>10,}")
        if ("marts", "rpt_reconciliation") in tables:
            status = Counter(
                dict(con.execute("select status, count(*) from marts.rpt_reconciliation group by 1").fetchall())
            )
            order = ["pass", "rounding", "fail", "insufficient_data"]
            shown = [s for s in order if s in status] + sorted(set(status) - set(order), key=str)
            lines.append("Reconciliation: " + (", ".join(f"{s} {status[s]}" for s in shown) if shown else "no checks"))
        lines += _held_back_lines(con, tables)
    except duckdb.Error as exc:
        lines.append(f"(could not summarise the warehouse: {exc})")
    finally:
        con.close()
    return lines


def _held_back_lines(con, tables) -> list[str]:
    """One line per revision held back for reading much less than an earlier one: a corrupted copy
    that still parses would otherwise replace a good document, so the run says so, not only a mart."""
    if ("marts", "dim_document") not in tables:
        return []
    columns = {c for (c,) in con.execute("select column_name from (describe marts.dim_document)").fetchall()}
    if "reads_less_than" not in columns:  # a warehouse built before the column existed
        return []
    rows = con.execute(
        """select later.source_file, later.amount_count, earlier.source_file, earlier.amount_count
           from marts.dim_document later join marts.dim_document earlier on later.reads_less_than = earlier.document_id
           order by later.source_file"""
    ).fetchall()
    return [
        f"Revision held back: {later} reads {count} amounts, {earlier} {earlier_count}; {later} does not supersede it"
        for later, count, earlier, earlier_count in rows
    ]
