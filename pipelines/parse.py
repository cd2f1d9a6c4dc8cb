"""Parse one document: read → recognise → normalise, into plain records.

Pure and per document: no database, no shared state, the same bytes always give the same
records. This is the unit that runs in parallel (and could run on a distributed executor).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from pipelines import EXTRACTOR_VERSION
from pipelines.normalise import NORMALISERS
from pipelines.normalise.performance import (
    PerformanceResult,
    normalise_performance_table,
)
from pipelines.normalise.performance_narrative import narrative_performance
from pipelines.normalise.performance_records import (
    FundingRecord,
    IndicatorRecord,
    ProjectRecord,
    record_from_dict,
)
from pipelines.normalise.records import AmountRecord, Issue, TableContext
from pipelines.read import UnreadablePdf, read_document
from pipelines.read.text import compact
from pipelines.recognise.headers import read_body
from pipelines.recognise.metadata import document_metadata
from pipelines.recognise.performance_tables import (
    PerformanceTable,
    find_performance_tables,
)
from pipelines.recognise.tables import FoundTable, find_tables

_EMPTY_NOTE = re.compile(r"无|没有|未发生|不涉及")


@dataclass
class ParsedTable:
    table_id: int
    table_kind: str
    table_number: str | None
    source_table: str
    printed_title: str
    printed_unit: str
    first_page: int | None
    last_page: int | None
    is_empty: bool
    row_count: int


@dataclass
class ParsedDocument:
    document_id: str
    file_format: str
    byte_size: int
    page_count: int | None
    doc_type: str | None
    fiscal_year: int | None
    entity_name: str | None
    region: str | None
    printed_unit: str | None
    status: str
    rejection_reason: str | None
    extractor_version: str = EXTRACTOR_VERSION
    seconds: float = 0.0
    tables: list[ParsedTable] = field(default_factory=list)
    amounts: list[AmountRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    projects: list[ProjectRecord] = field(default_factory=list)
    funding: list[FundingRecord] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, default=_json_default, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ParsedDocument:
        data = json.loads(text)
        data["tables"] = [ParsedTable(**t) for t in data["tables"]]
        data["amounts"] = [AmountRecord(**{**a, "amount": None if a["amount"] is None else Decimal(a["amount"])}) for a in data["amounts"]]
        data["issues"] = [Issue(**i) for i in data["issues"]]
        for name, record in (("projects", ProjectRecord), ("funding", FundingRecord), ("indicators", IndicatorRecord)):
            data[name] = [record_from_dict(record, r) for r in data.get(name, [])]
        return cls(**data)


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_document(path: Path, document_id: str | None = None) -> ParsedDocument:
    started = time.perf_counter()
    document_id = document_id or sha256_of(path)
    byte_size = path.stat().st_size
    file_format = path.suffix.lower().lstrip(".")
    try:
        parsed = _parse(path, document_id, byte_size)
    except UnreadablePdf as error:
        parsed = _rejected(document_id, file_format, byte_size, str(error))
    except Exception as error:  # one hostile file must not stop the run
        parsed = _rejected(document_id, file_format, byte_size, f"extraction failed: {type(error).__name__}: {error}")
    parsed.seconds = round(time.perf_counter() - started, 3)
    return parsed


def _rejected(document_id: str, file_format: str, byte_size: int, reason: str) -> ParsedDocument:
    reason = " ".join(reason.split())[:300]
    return ParsedDocument(document_id, file_format, byte_size, None, None, None, None, None, None, "rejected", reason)


def _parse(path: Path, document_id: str, byte_size: int) -> ParsedDocument:
    if byte_size == 0:
        return _rejected(document_id, path.suffix.lower().lstrip("."), 0, "empty file")
    raw = read_document(path)
    metadata = document_metadata(raw)
    found = find_tables(raw)
    units = Counter(t.printed_unit for t in found if t.printed_unit)
    document_unit = units.most_common(1)[0][0] if units else None
    parsed = ParsedDocument(
        document_id=document_id, file_format=raw.file_format, byte_size=byte_size, page_count=raw.page_count,
        doc_type=metadata.doc_type, fiscal_year=metadata.fiscal_year, entity_name=metadata.entity_name,
        region=metadata.region, printed_unit=document_unit, status="loaded", rejection_reason=None,
    )
    parsed.issues += [Issue("warning", "unread_page", note) for note in raw.notes]
    for field_name, issue in (("doc_type", "unknown_doc_type"), ("fiscal_year", "unknown_fiscal_year"), ("entity_name", "unknown_entity")):
        if getattr(metadata, field_name) is None:
            parsed.issues.append(Issue("warning", issue, f"{field_name} could not be read from the cover or titles"))
    for table_id, table in enumerate(found, start=1):
        _add_table(parsed, table_id, table, document_unit)
    for table in find_performance_tables(raw):
        _add_performance_table(parsed, table)
    if not parsed.projects and parsed.doc_type == "performance_evaluation":
        for result in narrative_performance(raw, len(parsed.tables) + 1, 1):
            _add_performance_result(parsed, result, result.project.source_table, None, None, 0)
    if not parsed.tables:
        parsed.status = "rejected"
        parsed.rejection_reason = "no supported table found" if raw.pages else "document has no pages"
        parsed.amounts = []
    return parsed


def _add_performance_table(parsed: ParsedDocument, table: PerformanceTable) -> None:
    """A project (or the department) with its funds and indicators; also a source table of its own."""
    result = normalise_performance_table(table, len(parsed.tables) + 1, project_seq=len(parsed.projects) + 1)
    pages = [r.page for r in table.rows if r.page is not None]
    _add_performance_result(parsed, result, table.printed_title, min(pages) if pages else None,
                            max(pages) if pages else None, len(table.rows))


def _add_performance_result(parsed: ParsedDocument, result: PerformanceResult, title: str,
                            first_page: int | None, last_page: int | None, row_count: int) -> None:
    parsed.issues += result.issues
    if not result.indicators and not result.funding:
        return
    if all(t.table_id != result.project.table_id for t in parsed.tables):   # 专项 lines share one table
        parsed.tables.append(ParsedTable(
            table_id=result.project.table_id, table_kind=result.project.table_kind, table_number=None,
            source_table=title, printed_title=title, printed_unit="万元", first_page=first_page, last_page=last_page,
            is_empty=False, row_count=row_count or len(result.indicators) + len(result.funding),
        ))
    parsed.projects.append(result.project)
    parsed.funding += result.funding
    parsed.indicators += result.indicators


def _add_table(parsed: ParsedDocument, table_id: int, table: FoundTable, document_unit: str | None) -> None:
    unit = table.printed_unit or document_unit
    if unit is None:
        unit = "万元"
        parsed.issues.append(Issue("warning", "unit_not_printed", f"{table.source_table}: no 单位 line; read as 万元", table_id, table.page))
    context = TableContext(table_id, table.kind, table.source_table, unit)
    body = read_body(table)
    records = NORMALISERS[table.layout.shape](table.layout, body, context)
    pages = [s.page for s in table.segments if s.page is not None]
    values = [r for r in records if r.value_state == "value"]
    mentions_none = any(_EMPTY_NOTE.search(compact(n)) for n in table.notes) or any(
        compact(c.text) == "无" for row in body.rows for c in row.cells)
    parsed.tables.append(ParsedTable(
        table_id=table_id, table_kind=table.kind, table_number=table.table_number, source_table=table.source_table,
        printed_title=table.printed_title, printed_unit=unit, first_page=min(pages) if pages else None,
        last_page=max(pages) if pages else None, is_empty=not values and mentions_none, row_count=len(body.rows),
    ))
    parsed.amounts += records
    parsed.issues += context.issues
