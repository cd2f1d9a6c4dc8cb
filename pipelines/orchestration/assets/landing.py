"""The DuckDB `landing` schema, written by pipelines.land.ingest (one transaction per document)."""

import time
from collections import Counter

import dagster as dg

from pipelines.land import ingest as land
from pipelines.land import publish
from pipelines.land.lock import warehouse_write_lock
from pipelines.orchestration.assets.raw_documents import GROUP, raw_documents
from pipelines.orchestration.resources import WAREHOUSE_POOL, WarehouseResource

LANDING_KEY = dg.AssetKey("landing")
LANDING_CHANGED = "landing_changed"  # metadata key read by the dbt asset
DBT_STEP = "dbt_models"  # the op of the dbt assets: when it runs after landing, it publishes the build


def _cell(value: object) -> str:
    if value is None:
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


def documents_markdown(report: land.IngestReport) -> str:
    if not report.documents:
        return "_no documents_"
    header = (
        "| source file | status | rejection reason | doc type | year | pages | tables | amounts "
        "| issues | seconds | parse |\n|---|---|---|---|---:|---:|---:|---:|---:|---:|---|\n"
    )
    return header + "\n".join(
        "| "
        + " | ".join(
            _cell(v)
            for v in (
                d.source_file,
                d.status,
                d.rejection_reason,
                d.doc_type,
                d.fiscal_year,
                d.page_count,
                d.table_count,
                d.amount_count,
                d.issue_count,
                f"{d.seconds:.2f}",
                "parsed" if d.parsed else "cached",
            )
        )
        + " |"
        for d in report.documents
    )


def documents_json(report: land.IngestReport) -> list[dict]:
    return [
        {
            "document_id": d.document_id,
            "source_file": d.source_file,
            "status": d.status,
            "rejection_reason": d.rejection_reason,
            "doc_type": d.doc_type,
            "fiscal_year": d.fiscal_year,
            "entity_name": d.entity_name,
            "pages": d.page_count,
            "tables": d.table_count,
            "amounts": d.amount_count,
            "issues": d.issue_count,
            "seconds": round(d.seconds, 3),
            "parse": "parsed" if d.parsed else "cached",
        }
        for d in report.documents
    ]


def landing_metadata(report: land.IngestReport, seconds: float) -> dict[str, object]:
    status = Counter(d.status for d in report.documents)
    return {
        LANDING_CHANGED: report.landing_changed,
        "documents_loaded": status.get("loaded", 0),
        "documents_rejected": status.get("rejected", 0),
        "documents_removed": len(report.removed_document_ids),
        "documents_parsed": sum(1 for d in report.documents if d.parsed),
        "documents_from_cache": sum(1 for d in report.documents if not d.parsed),
        "amounts": sum(d.amount_count for d in report.documents),
        "seconds": round(seconds, 2),
        "warehouse": dg.MetadataValue.path(str(report.db_path)),
        "documents": dg.MetadataValue.md(documents_markdown(report)),
        "documents_json": dg.MetadataValue.json(documents_json(report)),
        # why each rejected document was rejected, and how long each document's parse took
        "rejections": dg.MetadataValue.json(
            {d.source_file: d.rejection_reason for d in report.documents if d.status == "rejected"}),
        "parse_seconds": dg.MetadataValue.json({d.source_file: round(d.seconds, 3) for d in report.documents}),
    }


@dg.asset(
    key=LANDING_KEY,
    deps=[raw_documents],
    group_name=GROUP,
    pool=WAREHOUSE_POOL,
    kinds={"python", "duckdb"},
    description=(
        "DuckDB schema `landing`: documents, document_files, source_tables, amounts, "
        "extraction_issues. New documents are parsed (parse cache keyed by sha256), vanished ones deleted."
    ),
)
def landing(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    raw_dir = warehouse.raw_path()
    if not raw_dir.is_dir():
        # an empty raw folder empties landing; a missing one is a mistake (FISCAL_RAW_DIR, a mount)
        raise dg.Failure(f"raw folder {raw_dir} does not exist: nothing landed, nothing deleted")
    db_path = warehouse.db_path()
    started = time.monotonic()
    with warehouse_write_lock(db_path):
        if publish.discard_build(db_path):
            context.log.warning(f"discarded {publish.build_path(db_path)}, left by a refresh that did not finish")
        # What changes is written to a copy beside the published warehouse (pipelines/land/publish.py).
        report = land.ingest(raw_dir, db_path, warehouse.cache_path(), workers=warehouse.workers,
                             write_to=lambda: publish.start_build(db_path))
        if report.landing_changed and not _dbt_runs_after(context):
            publish.publish(db_path)
    metadata = landing_metadata(report, time.monotonic() - started)
    context.log.info(
        f"landed {metadata['documents_loaded']} documents, rejected {metadata['documents_rejected']}, "
        f"removed {metadata['documents_removed']}; landing changed: {report.landing_changed}"
    )
    for document in report.documents:
        if document.status == "rejected":
            context.log.warning(f"rejected {document.source_file}: {document.rejection_reason}")
    return dg.MaterializeResult(metadata=metadata)


def _dbt_runs_after(context: dg.AssetExecutionContext) -> bool:
    """Whether the dbt step follows in this run (it then builds on the copy and publishes it)."""
    if DBT_STEP not in {node.name for node in context.job_def.graph.nodes}:
        return False
    steps = context.run.step_keys_to_execute
    return steps is None or DBT_STEP in steps
