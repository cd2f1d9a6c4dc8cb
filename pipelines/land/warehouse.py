"""DuckDB landing: one transaction per document, delete-then-insert by document_id."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.parsed_document import ParsedDocument, landing_row

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
HISTORY_SQL = Path(__file__).with_name("history.sql")
LANDING_TABLES = (
    "documents",
    "document_files",
    "source_tables",
    "amounts",
    "extraction_issues",
    "projects",
    "project_funding",
    "indicators",
    "level_subtotals",
)
_PERFORMANCE_TABLES = (
    ("projects", "projects"),
    ("project_funding", "funding"),
    ("indicators", "indicators"),
    ("level_subtotals", "subtotals"),
)


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(db_path))
    _create_landing(connection)
    ensure_history(connection)
    return connection


def _create_landing(connection) -> None:
    """Create the landing schema. A landing whose tables differ from schema.sql's (built by another
    version) is dropped and built again: it only holds what the raw folder and the parse cache give back."""
    if _landing_columns(connection) and not _landing_is_current(connection):
        connection.execute("DROP SCHEMA landing CASCADE")
    connection.execute(SCHEMA_SQL.read_text(encoding="utf-8"))


def _landing_is_current(connection) -> bool:
    present = _landing_columns(connection)
    return all(present.get(table) == columns for table, columns in _schema_columns().items())


def ensure_history(connection) -> None:
    """The history schema (history.sql): created if missing, never changed otherwise."""
    connection.execute(HISTORY_SQL.read_text(encoding="utf-8"))


def read_landed(db_path: Path) -> tuple[dict, dict]:
    """landed_state and landed_summaries of the warehouse at db_path, read-only.

    Empty when there is no landing, or one whose tables differ from schema.sql's: then every
    document is due to be landed again, into a landing schema brought up to date.
    """
    if not db_path.exists():
        return {}, {}
    connection = duckdb.connect(str(db_path), read_only=True)
    try:
        if not _landing_is_current(connection):
            return {}, {}
        return landed_state(connection), landed_summaries(connection)
    finally:
        connection.close()


def _landing_columns(connection) -> dict[str, list[tuple[str, str]]]:
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in connection.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'landing' ORDER BY table_name, ordinal_position"
    ).fetchall():
        columns.setdefault(table, []).append((column, data_type))
    return columns


_SCHEMA_COLUMNS: dict[str, list[tuple[str, str]]] = {}


def _schema_columns() -> dict[str, list[tuple[str, str]]]:
    """The landing tables schema.sql makes (in an in-memory database, once)."""
    if not _SCHEMA_COLUMNS:
        with duckdb.connect() as scratch:
            scratch.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
            _SCHEMA_COLUMNS.update(_landing_columns(scratch))
    return _SCHEMA_COLUMNS


def landed_state(connection) -> dict[str, tuple[str, tuple[str, ...]]]:
    """document_id → (extractor_version, sorted file names) of what landing holds now."""
    versions = dict(connection.execute("SELECT document_id, extractor_version FROM landing.documents").fetchall())
    files: dict[str, list[str]] = {}
    for document_id, source_file in connection.execute(
        "SELECT document_id, source_file FROM landing.document_files ORDER BY source_file"
    ).fetchall():
        files.setdefault(document_id, []).append(source_file)
    return {d: (v, tuple(files.get(d, ()))) for d, v in versions.items()}


def landed_summaries(connection) -> dict[str, dict]:
    """What a run reports of a document it did not need to land again, read from landing."""
    rows = connection.execute("""
        SELECT d.document_id, d.source_file, d.status, d.rejection_reason, d.doc_type, d.fiscal_year,
               d.entity_name, d.page_count, d.table_count, d.amount_count,
               (SELECT count(*) FROM landing.extraction_issues i WHERE i.document_id = d.document_id),
               coalesce(d.parse_seconds, 0)
        FROM landing.documents d""").fetchall()
    fields = (
        "document_id",
        "source_file",
        "status",
        "rejection_reason",
        "doc_type",
        "fiscal_year",
        "entity_name",
        "page_count",
        "table_count",
        "amount_count",
        "issue_count",
        "seconds",
    )
    return {row[0]: dict(zip(fields, row)) for row in rows}


def land_document(
    connection,
    parsed: ParsedDocument,
    files: list[tuple[str, int]],
    seen_at: datetime | None = None,
    file_modified_at: datetime | None = None,
) -> None:
    """Replace everything landing holds for this document, in one transaction.

    The first time landing holds these bytes, history.documents_seen records it (seen_at, the files'
    modification time): what decides which of two revisions of a document is the later one.
    """
    connection.begin()
    try:
        if seen_at is not None:
            connection.execute(
                "INSERT OR IGNORE INTO history.documents_seen VALUES (?, ?, ?)",
                [parsed.document_id, seen_at, file_modified_at],
            )
        _delete(connection, parsed.document_id)
        _insert(connection, "documents", [_document_row(parsed, files)])
        _insert(
            connection,
            "document_files",
            [{"document_id": parsed.document_id, "source_file": name, "byte_size": size} for name, size in files],
        )
        if parsed.status == "loaded":
            _insert(
                connection, "source_tables", [{"document_id": parsed.document_id, **vars(t)} for t in parsed.tables]
            )
            _insert(connection, "amounts", [_amount_row(parsed, a) for a in parsed.amounts])
            for table, attribute in _PERFORMANCE_TABLES:
                _insert(connection, table, [_record_row(parsed, r) for r in getattr(parsed, attribute)])
        _insert(
            connection, "extraction_issues", [{"document_id": parsed.document_id, **vars(i)} for i in parsed.issues]
        )
        connection.commit()
    except Exception:
        connection.rollback()
        raise


def remove_documents(connection, document_ids: list[str]) -> None:
    if not document_ids:
        return
    connection.begin()
    try:
        for document_id in document_ids:
            _delete(connection, document_id)
        connection.commit()
    except Exception:
        connection.rollback()
        raise


def _delete(connection, document_id: str) -> None:
    for table in LANDING_TABLES:
        connection.execute(f"DELETE FROM landing.{table} WHERE document_id = ?", [document_id])


def _document_row(parsed: ParsedDocument, files: list[tuple[str, int]]) -> dict:
    return {
        "document_id": parsed.document_id,
        "source_file": files[0][0],
        "file_format": parsed.file_format,
        "byte_size": parsed.byte_size,
        "page_count": parsed.page_count,
        "doc_type": parsed.doc_type,
        "fiscal_year": parsed.fiscal_year,
        "entity_name": parsed.entity_name,
        "entity_key": parsed.entity_key,
        "entity_level": parsed.entity_level,
        "region": parsed.region,
        "printed_unit": parsed.printed_unit,
        "status": parsed.status,
        "rejection_reason": parsed.rejection_reason,
        "extractor_version": parsed.extractor_version,
        "table_count": len(parsed.tables) if parsed.status == "loaded" else 0,
        "amount_count": len(parsed.amounts) if parsed.status == "loaded" else 0,
        "printed_amount_count": parsed.printed_amount_count if parsed.status == "loaded" else None,
        "landed_printed_count": parsed.landed_printed_count if parsed.status == "loaded" else None,
        "parse_seconds": parsed.seconds,
    }


def _amount_row(parsed: ParsedDocument, amount) -> dict:
    row = dict(vars(amount))
    row["amount"] = None if amount.amount is None else str(amount.amount)
    return {"document_id": parsed.document_id, **row, "extractor_version": parsed.extractor_version}


def _record_row(parsed: ParsedDocument, record) -> dict:
    return {"document_id": parsed.document_id, **landing_row(record), "extractor_version": parsed.extractor_version}


def _insert(connection, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    columns, types = _columns(connection, table)
    frame = pd.DataFrame([[row.get(c) for c in columns] for row in rows], columns=columns, dtype=object)
    connection.register("incoming", frame)
    try:
        select = ", ".join(f'CAST(incoming."{c}" AS {types[c]})' for c in columns)
        connection.execute(f"INSERT INTO landing.{table} ({', '.join(columns)}) SELECT {select} FROM incoming")
    finally:
        connection.unregister("incoming")


_COLUMNS: dict[str, tuple[list[str], dict[str, str]]] = {}


def _columns(connection, table: str) -> tuple[list[str], dict[str, str]]:
    """Column names and types of a landing table (fixed by schema.sql, so read once)."""
    if table not in _COLUMNS:
        found = connection.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'landing' AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
        _COLUMNS[table] = ([name for name, _ in found], dict(found))
    return _COLUMNS[table]
