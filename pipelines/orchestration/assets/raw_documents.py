"""The documents under the raw folder: what the warehouse is built from."""

import hashlib
from collections import Counter

import dagster as dg

from pipelines.land import ingest as land
from pipelines.orchestration.constants import INGESTION_GROUP, RAW_DOCUMENTS_KEY
from pipelines.orchestration.resources import WarehouseResource


@dg.asset(
    key=RAW_DOCUMENTS_KEY,
    group_name=INGESTION_GROUP,
    kinds={"python", "file"},
    description="Every .pdf/.txt/.md/.html under the raw folder, with its sha256 (the document id).",
)
def raw_documents(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    raw_dir = warehouse.raw_path()
    if not raw_dir.is_dir():
        raise dg.Failure(f"raw folder {raw_dir} does not exist (FISCAL_RAW_DIR)")
    files = land.discover_documents(raw_dir)

    formats = Counter(f.relative_path.rsplit(".", 1)[-1].lower() for f in files)
    distinct = sorted({f.sha256 for f in files})
    rows = "\n".join(f"| {f.relative_path.replace('|', '/')} | {f.byte_size:,} | `{f.sha256[:12]}` |" for f in files)
    version = hashlib.sha256("\n".join(f"{f.relative_path}\t{f.sha256}" for f in files).encode()).hexdigest()
    context.log.info(f"{len(files)} files, {len(distinct)} distinct documents under {raw_dir}")

    return dg.MaterializeResult(
        data_version=dg.DataVersion(version),
        metadata={
            "raw_dir": dg.MetadataValue.path(str(raw_dir)),
            "file_count": len(files),
            "distinct_documents": len(distinct),
            "duplicate_files": len(files) - len(distinct),
            "total_bytes": sum(f.byte_size for f in files),
            "files_by_format": dg.MetadataValue.json(dict(sorted(formats.items()))),
            "files": dg.MetadataValue.md(
                "| file | bytes | sha256 |\n|---|---:|---|\n" + rows if files else "_no documents_"
            ),
        },
    )
