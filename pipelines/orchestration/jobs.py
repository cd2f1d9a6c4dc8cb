"""The refresh job and its nightly schedule."""

import dagster as dg

from pipelines.orchestration.assets.landing import LandingConfig
from pipelines.orchestration.constants import LANDING_KEY, REFRESH_JOB_NAME

__all__ = ["nightly_refresh", "refresh_job"]


def refresh_job(with_dbt: bool):
    """Everything: raw_documents → landing → dbt models, with the dbt tests as asset checks.

    With the dbt models in the job, landing leaves what it wrote for the dbt step, which builds on it
    and publishes landing and marts together; without them landing publishes itself.
    """
    return dg.define_asset_job(
        name=REFRESH_JOB_NAME,
        selection=dg.AssetSelection.all(),
        config=dg.RunConfig(ops={LANDING_KEY.to_python_identifier(): LandingConfig(publish=not with_dbt)}),
        description=("Discover raw documents, land the new ones in DuckDB, rebuild the dbt marts if landing changed."),
    )


nightly_refresh = dg.ScheduleDefinition(
    name="nightly_refresh",
    job_name=REFRESH_JOB_NAME,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Refresh the warehouse every night at 02:00 Beijing time.",
)
