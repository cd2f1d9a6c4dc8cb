"""Names the assets, the job, the dbt build state and the CLI summary share."""

import dagster as dg

RAW_DOCUMENTS_KEY = dg.AssetKey("raw_documents")
LANDING_KEY = dg.AssetKey("landing")
INGESTION_KEYS = frozenset({RAW_DOCUMENTS_KEY, LANDING_KEY})  # every other asset is a dbt model or seed
INGESTION_GROUP = "ingestion"

# Metadata key of the landing materialisation: the dbt asset reads it to decide whether to build.
LANDING_CHANGED = "landing_changed"

# The DuckDB schema pipelines/land writes (and the dbt sources read).
LANDING_SCHEMA = "landing"

# Every asset that writes the DuckDB file is in this pool; dagster.yaml limits it to one run at a time.
WAREHOUSE_POOL = "fiscal_warehouse"

REFRESH_JOB_NAME = "refresh_warehouse"
