"""Discover documents, parse the new ones in parallel, land them in DuckDB.

1. discover: every supported file under the raw folder, hashed (sha256 = document_id); the same
   bytes under several names are one document.
2. under the warehouse write lock: documents whose landing rows are current are left alone (their
   cached parse is not even read); the others come from the parse cache or are parsed in worker
   processes within the parse limits (workers.py, limits.py), one document per task, and each lands
   in one transaction as soon as it is there;
3. documents whose bytes left the raw folder are deleted.
When nothing is to change, nothing is written (not even a copy of the warehouse).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipelines import EXTRACTOR_VERSION
from pipelines.land import cache, warehouse
from pipelines.land.file_name_metadata import with_file_name_metadata
from pipelines.land.limits import ParseLimits
from pipelines.land.lock import warehouse_write_lock
from pipelines.land.workers import parse_in_workers
from pipelines.parse import parse_document
from pipelines.parsed_document import ParsedDocument, is_transient_rejection, sha256_of
from pipelines.read import SUPPORTED_SUFFIXES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    relative_path: str  # relative to the raw folder, '/'-separated
    sha256: str
    byte_size: int
    modified: float  # st_mtime, seconds since the epoch


@dataclass
class DocumentReport:
    document_id: str
    source_file: str
    status: str  # 'loaded' | 'rejected'
    rejection_reason: str | None
    doc_type: str | None
    fiscal_year: int | None
    entity_name: str | None
    page_count: int | None
    table_count: int
    amount_count: int
    issue_count: int
    parsed: bool  # False when the cached parse was reused
    seconds: float


@dataclass
class IngestReport:
    raw_dir: Path
    db_path: Path
    documents: list[DocumentReport] = field(default_factory=list)
    removed_document_ids: list[str] = field(default_factory=list)
    landing_changed: bool = False  # False when nothing was inserted or deleted
    written_path: Path | None = None  # the file landing wrote (None: nothing to write)


def discover_documents(raw_dir: Path) -> list[SourceFile]:
    """Every .pdf/.txt/.md/.html under raw_dir (recursively), hashed, sorted by relative path.

    Hidden files and folders are left out; so are links that lead out of the raw folder (a link
    to /etc/passwd is no document) and files that go away while they are hashed, each with a
    warning that says why."""
    root = raw_dir.resolve()
    found = []
    for path in sorted(raw_dir.rglob("*")):
        relative = path.relative_to(raw_dir)
        if path.suffix.lower() not in SUPPORTED_SUFFIXES or any(part.startswith(".") for part in relative.parts):
            continue
        name = readable_path(relative)
        try:
            target = path.resolve(strict=True)
            if not target.is_relative_to(root):
                log.warning("%s: not read: a link to %s, outside the raw folder", name, readable_path(target))
                continue
            if not target.is_file():
                log.warning("%s: not read: not a regular file", name)
                continue
            stat = target.stat()
            digest = sha256_of(target)
        except OSError as error:  # gone (or unreadable) between listing and hashing
            log.warning("%s: not read: %s", name, error.strerror or error)
            continue
        except RuntimeError:  # Python 3.11's resolve() raises this, not OSError, for a link that leads to itself
            log.warning("%s: not read: a link that leads back to itself (symlink loop)", name)
            continue
        found.append(SourceFile(target, name, digest, stat.st_size, stat.st_mtime))
    return found


def readable_path(path: Path) -> str:
    """A path as text that can be stored and printed, '/'-separated. A name that is not UTF-8 (a
    Windows zip unpacked here leaves names in GBK) is decoded as GB18030, else its bytes are escaped."""
    raw = os.fsencode(path.as_posix())
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")


class WouldEmptyWarehouse(RuntimeError):
    """The raw folder holds no document while the warehouse holds some: an unmounted share or a
    wrong FISCAL_RAW_DIR looks exactly like this, so it is refused unless emptying is asked for."""


def ingest(
    raw_dir: Path,
    db_path: Path,
    cache_dir: Path,
    workers: int | None = None,
    limits: ParseLimits | None = None,
    write_to: Callable[[], Path] | None = None,
    allow_emptying: bool = False,
) -> IngestReport:
    """Parse what is new (worker processes, one document per task), land it, delete what disappeared.

    What landing holds is read from db_path (read-only). Only when something is to change is a
    writable file asked for: write_to() (the landing asset passes publish.start_build, a copy
    beside the published warehouse), by default db_path itself. Never raises for a bad document:
    it is landed as status='rejected' with a reason. Raises WouldEmptyWarehouse when the raw folder
    holds nothing and the warehouse something, unless `allow_emptying`.
    """
    limits = limits or ParseLimits.from_environment()
    report = IngestReport(raw_dir=raw_dir, db_path=db_path)
    files = discover_documents(raw_dir)
    by_document: dict[str, list[SourceFile]] = {}
    for source in files:
        by_document.setdefault(source.sha256, []).append(source)

    with warehouse_write_lock(db_path):
        landed, summaries = warehouse.read_landed(db_path)
        if landed and not by_document and not allow_emptying:
            raise WouldEmptyWarehouse(
                f"{raw_dir} holds no document, and the warehouse {len(landed)}: refusing to delete them all "
                "(an unmounted folder looks like this). Set FISCAL_ALLOW_EMPTY_RAW=1 to empty the warehouse."
            )
        stale: dict[str, list[SourceFile]] = {}
        for document_id, sources in by_document.items():
            current = landed.get(document_id) == (EXTRACTOR_VERSION, tuple(s.relative_path for s in sources))
            reason = summaries[document_id]["rejection_reason"] if current else None
            if current and not limits.is_stale_rejection(reason) and not is_transient_rejection(reason):
                # Unchanged: reported from landing, its cached parse is not even read.
                report.documents.append(DocumentReport(**summaries[document_id], parsed=False))
            else:
                stale[document_id] = sources
        removed = sorted(set(landed) - set(by_document))
        if stale or removed:
            report.written_path = write_to() if write_to else db_path
            _write(report, stale, removed, cache_dir, workers, limits)
    report.documents.sort(key=lambda document: document.source_file)
    for document in report.documents:
        level = logging.WARNING if document.status == "rejected" else logging.INFO
        log.log(
            level,
            "%s: %s%s (%.2f s)",
            document.source_file,
            document.status,
            f" ({document.rejection_reason})" if document.rejection_reason else "",
            document.seconds,
        )
    return report


def _write(
    report: IngestReport,
    stale: dict[str, list[SourceFile]],
    removed: list[str],
    cache_dir: Path,
    workers: int | None,
    limits: ParseLimits,
) -> None:
    """Land the stale documents into report.written_path (each as soon as its parse is there, while
    the workers parse the next) and delete the removed ones."""
    seen_at = datetime.now(UTC).replace(tzinfo=None)
    connection = warehouse.connect(report.written_path)
    try:
        for parsed, parsed_now in _parses(stale, cache_dir, workers, limits):
            sources = stale[parsed.document_id]
            document = with_file_name_metadata(parsed, [s.relative_path for s in sources])
            modified = datetime.fromtimestamp(min(s.modified for s in sources), UTC).replace(tzinfo=None)
            warehouse.land_document(
                connection,
                document,
                [(s.relative_path, s.byte_size) for s in sources],
                seen_at=seen_at,
                file_modified_at=modified,
            )
            report.documents.append(_report(document, sources[0].relative_path, parsed_now))
        warehouse.remove_documents(connection, removed)
        report.removed_document_ids = removed
        report.landing_changed = True
        connection.execute("CHECKPOINT")
    finally:
        connection.close()


def _parses(
    stale: dict[str, list[SourceFile]], cache_dir: Path, workers: int | None, limits: ParseLimits
) -> Iterator[tuple[ParsedDocument, bool]]:
    """(parse, parsed now?) of every stale document: cached parses first, then new parses as they
    complete, each cached on arrival (unless rejected for a limit). Largest files first, so the
    workers do not end on a long one."""
    todo: list[tuple[str, Path]] = []
    for document_id, sources in sorted(stale.items(), key=lambda item: -item[1][0].byte_size):
        cached = cache.load_cached(cache_dir, document_id)
        if cached is not None:
            yield cached, False
        else:
            todo.append((document_id, sources[0].path))
    if not todo:
        return
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    started = time.perf_counter()
    if workers == 1 and limits.timeout_seconds is None and limits.memory_mb is None:
        results = ((parse_document(path, document_id), True) for document_id, path in todo)  # e.g. a profiler
    else:  # even one worker is a process of its own: the limits need a process that can be stopped
        results = parse_in_workers(todo, workers, limits)
    for result, cacheable in results:
        if cacheable:
            cache.store(cache_dir, result)
        yield result, True
    log.info("parsed %d document(s) with %d worker(s) in %.1fs", len(todo), workers, time.perf_counter() - started)


def _report(document: ParsedDocument, source_file: str, parsed_now: bool) -> DocumentReport:
    loaded = document.status == "loaded"
    return DocumentReport(
        document_id=document.document_id,
        source_file=source_file,
        status=document.status,
        rejection_reason=document.rejection_reason,
        doc_type=document.doc_type,
        fiscal_year=document.fiscal_year,
        entity_name=document.entity_name,
        page_count=document.page_count,
        table_count=len(document.tables) if loaded else 0,
        amount_count=len(document.amounts) if loaded else 0,
        issue_count=len(document.issues),
        parsed=parsed_now,
        seconds=document.seconds,
    )
