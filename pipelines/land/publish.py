"""Build the new warehouse beside the published one and swap it in atomically.

Analysts open the published file (FISCAL_DUCKDB_PATH) read-only. A refresh never writes that file:
under the warehouse write lock it copies it to `<db>.building`, lands documents and runs dbt there,
checkpoints it, and renames it over the published path (os.replace: atomic on one filesystem).

- A reader holding the old file keeps reading the old warehouse, complete and consistent, and
  neither blocks the refresh nor is blocked by it; a new connection sees the new warehouse.
- A refresh killed at any point leaves the published file exactly as it was. Its half-built
  `<db>.building` is discarded by the next refresh, which starts again from the published file.
- A refresh in which nothing changed copies nothing.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import duckdb

from pipelines.land import warehouse

log = logging.getLogger(__name__)

BUILD_SUFFIX = ".building"


def build_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + BUILD_SUFFIX)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def discard_build(db_path: Path) -> bool:
    """Delete a build left by a refresh that did not finish (killed, failed). True if there was one.

    The caller holds the write lock: no refresh is using it."""
    found = False
    for path in (build_path(db_path), _wal(build_path(db_path))):
        if path.exists():
            path.unlink()
            found = True
    if found:
        log.warning("discarded %s, left by a refresh that did not finish", build_path(db_path))
    return found


def has_build(db_path: Path) -> bool:
    return build_path(db_path).exists()


def start_build(db_path: Path) -> Path:
    """A fresh writable copy of the published warehouse (a new one when there is none yet), with the
    history schema dbt reads: dbt may build on it without landing. Landing itself is left as it is
    (the landing step brings its schema up to date when it writes)."""
    discard_build(db_path)
    target = build_path(db_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if db_path.exists():
        shutil.copyfile(db_path, target)
        if _wal(db_path).exists():  # only a crashed writer of an older version leaves one
            shutil.copyfile(_wal(db_path), _wal(target))
    with duckdb.connect(str(target)) as connection:
        warehouse.ensure_history(connection)
    return target


def publish(db_path: Path) -> None:
    """Checkpoint the build and rename it over the published warehouse (the caller holds the write lock)."""
    source = build_path(db_path)
    connection = duckdb.connect(str(source))
    try:
        connection.execute("CHECKPOINT")  # everything in the file itself: no write-ahead log to carry over
    finally:
        connection.close()
    if _wal(source).exists():
        raise RuntimeError(f"{source} still has a write-ahead log after CHECKPOINT; not published")
    _fsync(source)
    # The published file's own log (older versions only) describes the old file: it must not be
    # replayed onto the new one. Its contents are in the build, copied with it.
    _wal(db_path).unlink(missing_ok=True)
    os.replace(source, db_path)
    _fsync(db_path.parent)
    log.info("published %s", db_path)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
