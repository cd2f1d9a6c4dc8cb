"""The refresh job and its nightly schedule."""

import dagster as dg

REFRESH_JOB_NAME = "refresh_warehouse"

# Everything: raw_documents → landing → dbt models, with the dbt tests as asset checks.
refresh_warehouse = dg.define_asset_job(
    name=REFRESH_JOB_NAME,
    selection=dg.AssetSelection.all(),
    description="Discover raw documents, land the new ones in DuckDB, rebuild the dbt marts if landing changed.",
)

nightly_refresh = dg.ScheduleDefinition(
    name="nightly_refresh",
    job=refresh_warehouse,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Refresh the warehouse every night at 02:00 Beijing time.",
)
