"""The DuckDB `landing` schema, written by pipelines.land.ingest (one transaction per document)."""

import time
from collections import Counter

import dagster as dg

from pipelines.land import ingest as land
from pipelines.orchestration.constants import (
    INGESTION_GROUP,
    LANDING_CHANGED,
    LANDING_KEY,
    RAW_DOCUMENTS_KEY,
    WAREHOUSE_POOL,
)
from pipelines.orchestration.resources import WarehouseResource


class LandingConfig(dg.Config):
    """publish: swap what landing wrote in at once. The refresh job sets it false when it holds the
    dbt models: its dbt step builds on the same copy and publishes landing and marts together, so a
    reader never sees new documents beside old marts."""

    publish: bool = True


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
            {d.source_file: d.rejection_reason for d in report.documents if d.status == "rejected"}
        ),
        "parse_seconds": dg.MetadataValue.json({d.source_file: round(d.seconds, 3) for d in report.documents}),
    }


def log_landing(log: dg.DagsterLogManager, report: land.IngestReport, metadata: dict[str, object]) -> None:
    log.info(
        f"landed {metadata['documents_loaded']} documents, rejected {metadata['documents_rejected']}, "
        f"removed {metadata['documents_removed']}; landing changed: {report.landing_changed}"
    )
    for document in report.documents:
        if document.status == "rejected":
            log.warning(f"rejected {document.source_file}: {document.rejection_reason}")


@dg.asset(
    key=LANDING_KEY,
    deps=[RAW_DOCUMENTS_KEY],
    group_name=INGESTION_GROUP,
    pool=WAREHOUSE_POOL,
    kinds={"python", "duckdb"},
    description=(
        "DuckDB schema `landing`: documents, document_files, source_tables, amounts, "
        "extraction_issues. New documents are parsed (parse cache keyed by sha256), vanished ones deleted."
    ),
)
def landing(
    context: dg.AssetExecutionContext, config: LandingConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    started = time.monotonic()
    report = warehouse.land(publish_now=config.publish)
    metadata = landing_metadata(report, time.monotonic() - started)
    log_landing(context.log, report, metadata)
    return dg.MaterializeResult(metadata=metadata)
