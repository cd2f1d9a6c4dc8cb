"""A sensor that requests a refresh when the raw folder changes.

It looks only at file names, sizes and modification times (one stat per file): it never reads a
document and never opens the DuckDB warehouse, so it is cheap enough to run every 30 seconds.
"""

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipelines.land.ingest import readable_path
from pipelines.orchestration.constants import REFRESH_JOB_NAME
from pipelines.orchestration.resources import WarehouseResource
from pipelines.read import SUPPORTED_SUFFIXES as DOCUMENT_SUFFIXES

# A file modified this recently may still be being copied: wait for the next tick.
SETTLE_SECONDS = 5.0


@dataclass(frozen=True)
class FolderFingerprint:
    digest: str
    file_count: int
    newest_mtime: float | None  # seconds since the epoch


def fingerprint_raw_folder(raw_dir: Path) -> FolderFingerprint:
    """sha256 of (relative path, size, mtime) of every document file under raw_dir, recursively."""
    entries = []
    newest = None
    for dirpath, dirnames, filenames in os.walk(raw_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in DOCUMENT_SUFFIXES:
                continue
            path = os.path.join(dirpath, name)
            try:
                stat = os.stat(path)
            except FileNotFoundError:  # removed while we were walking
                continue
            entries.append(f"{readable_path(Path(path).relative_to(raw_dir))}\t{stat.st_size}\t{stat.st_mtime_ns}")
            newest = stat.st_mtime if newest is None else max(newest, stat.st_mtime)
    entries.sort()
    digest = hashlib.sha256("\n".join(entries).encode()).hexdigest()
    return FolderFingerprint(digest, len(entries), newest)


@dg.sensor(
    job_name=REFRESH_JOB_NAME,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests a warehouse refresh when a document is added, changed or removed under the raw folder.",
)
def raw_folder_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource) -> dg.SensorResult:
    raw_dir = warehouse.raw_path()
    if not raw_dir.is_dir():
        return dg.SensorResult(skip_reason=f"raw folder {raw_dir} does not exist")

    fingerprint = fingerprint_raw_folder(raw_dir)
    if fingerprint.digest == context.cursor:
        return dg.SensorResult(skip_reason="raw folder unchanged")
    if fingerprint.newest_mtime is not None and time.time() - fingerprint.newest_mtime < SETTLE_SECONDS:
        # cursor untouched: the change is seen again, settled, on the next tick
        return dg.SensorResult(skip_reason="raw folder is being written to; waiting for it to settle")
    if context.cursor is None and fingerprint.file_count == 0:
        return dg.SensorResult(skip_reason=f"no documents under {raw_dir}", cursor=fingerprint.digest)

    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=fingerprint.digest,
                tags={"fiscal/raw_files": str(fingerprint.file_count)},
            )
        ],
        cursor=fingerprint.digest,
    )
