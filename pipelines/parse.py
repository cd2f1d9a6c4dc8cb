"""Parse one document: read → recognise → normalise, into plain records.

Pure and per document: no database, no shared state, the same bytes always give the same
records. This is the unit that runs in parallel (and could run on a distributed executor).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

from pipelines.basics.text import compact
from pipelines.normalise import NORMALISERS
from pipelines.normalise.performance import (
    PerformanceResult,
    normalise_performance_table,
)
from pipelines.normalise.performance_narrative import narrative_performance
from pipelines.normalise.records import UNNAMED_COLUMN, AmountRecord, Issue, TableContext
from pipelines.normalise.table_checks import rows_missing_their_total, score_table
from pipelines.parsed_document import FILE_CHANGED, ParsedDocument, ParsedTable, sha256_of_bytes
from pipelines.read import UnreadablePdf, read_document
from pipelines.recognise.content import is_by_content
from pipelines.recognise.entities import normalise_entity
from pipelines.recognise.headers import read_body
from pipelines.recognise.metadata import document_metadata
from pipelines.recognise.performance_tables import (
    PerformanceTable,
    find_performance_tables,
)
from pipelines.recognise.tables import FoundTable, find_tables

_EMPTY_NOTE = re.compile(r"无|没有|未发生|不涉及")
TABLE_NOT_LANDED = "table_not_landed"
# kinds whose text part is published apart from its tables
_BUDGET_KINDS = ("department_budget", "unit_budget")
_NARRATIVE_PART_KINDS = ("department_budget", "unit_budget", "department_final_account", "unit_final_account")


def parse_document(path: Path, document_id: str | None = None) -> ParsedDocument:
    """The document at `path`, read once into memory and parsed from those bytes.

    `document_id` is the hash the caller took of the file earlier: when the bytes read now have
    another one (the file was replaced or removed in between), the parse is a rejection that says
    so and is tried again on the next run, never a parse of other bytes under that id."""
    started = time.perf_counter()
    file_format = path.suffix.lower().lstrip(".")
    try:
        data = path.read_bytes()
    except OSError as error:
        if document_id is None:
            raise
        parsed = _rejected(
            document_id, file_format, 0, f"{FILE_CHANGED}: it could not be read again ({error.strerror or error})"
        )
    else:
        parsed = _parsed_bytes(data, path.suffix, document_id)
    parsed.seconds = round(time.perf_counter() - started, 3)
    return parsed


def _parsed_bytes(data: bytes, suffix: str, document_id: str | None) -> ParsedDocument:
    file_format = suffix.lower().lstrip(".")
    hashed = sha256_of_bytes(data)
    if document_id is not None and hashed != document_id:
        return _rejected(document_id, file_format, len(data), f"{FILE_CHANGED}: its bytes now hash to {hashed[:12]}…")
    try:
        return _parse(data, suffix, hashed)
    except UnreadablePdf as error:
        return _rejected(hashed, file_format, len(data), str(error))
    except Exception as error:  # one hostile file must not stop the run
        return _rejected(hashed, file_format, len(data), f"extraction failed: {_error_name(error)}: {error}")


def _error_name(error: BaseException) -> str:
    """The error's type; MemoryError when running out of memory caused it (pdfminer wraps it in its own
    exception), so that the memory limit is recognised as the limit and not as the document."""
    seen = error
    while seen is not None:
        if isinstance(seen, MemoryError) or any(isinstance(arg, MemoryError) for arg in seen.args):
            return "MemoryError"
        seen = seen.__cause__ or seen.__context__
    return type(error).__name__


def _rejected(document_id: str, file_format: str, byte_size: int, reason: str) -> ParsedDocument:
    # one printable line: a library's message may quote the damaged bytes themselves (a NUL, escapes)
    reason = "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in " ".join(reason.split())
    )
    reason = reason[:300]
    return ParsedDocument(document_id, file_format, byte_size, None, None, None, None, None, None, "rejected", reason)


def _parse(data: bytes, suffix: str, document_id: str) -> ParsedDocument:
    byte_size = len(data)
    if byte_size == 0:
        return _rejected(document_id, suffix.lower().lstrip("."), 0, "empty file")
    raw = read_document(data, suffix)
    found = find_tables(raw)
    metadata = document_metadata(raw, found)
    units = Counter(t.printed_unit for t in found if t.printed_unit)
    document_unit = units.most_common(1)[0][0] if units else None
    parsed = ParsedDocument(
        document_id=document_id,
        file_format=raw.file_format,
        byte_size=byte_size,
        page_count=raw.page_count,
        doc_type=metadata.doc_type,
        fiscal_year=metadata.fiscal_year,
        entity_name=metadata.entity_name,
        region=metadata.region,
        printed_unit=document_unit,
        status="loaded",
        rejection_reason=None,
    )
    entity = normalise_entity(metadata.entity_name, metadata.doc_type)
    if entity is not None:
        parsed.entity_key, parsed.entity_level = entity.key, entity.level
    parsed.issues += [Issue("warning", "unread_page", note) for note in raw.notes]
    for field_name, issue in (
        ("doc_type", "unknown_doc_type"),
        ("fiscal_year", "unknown_fiscal_year"),
        ("entity_name", "unknown_entity"),
    ):
        if getattr(metadata, field_name) is None:
            parsed.issues.append(Issue("warning", issue, f"{field_name} could not be read from the cover or titles"))
    results = [_read_table(table_id, table, document_unit) for table_id, table in enumerate(found, start=1)]
    if raw.file_format == "pdf":
        results = _retried_from_alignment(data, found, results, document_unit)
    basis = "budget" if metadata.doc_type in _BUDGET_KINDS else "actual"
    results = [_of_the_document_stage(table, *result, basis) for table, result in zip(found, results)]
    results = [_unless_columns_unsure(*result) for result in results]
    for table, records, issues in results:
        parsed.tables.append(table)
        parsed.amounts += records
        parsed.issues += issues
    parsed.printed_amount_count, parsed.landed_printed_count = _printed_and_landed(raw, parsed)
    for table in find_performance_tables(raw):
        _add_performance_table(parsed, table)
    if not parsed.projects and parsed.doc_type == "performance_evaluation":
        for result in narrative_performance(raw, len(parsed.tables) + 1, 1):
            _add_performance_result(parsed, result, result.project.source_table, None, None, 0)
    if not parsed.tables and parsed.doc_type in _NARRATIVE_PART_KINDS and raw.pages:
        # a 部门预算 whose tables are published as a file of their own (…公开表): its text part
        parsed.issues.append(
            Issue(
                "warning", "no_tables", "the document prints no table (its tables may be published as a separate file)"
            )
        )
    elif not parsed.tables:
        parsed.status = "rejected"
        parsed.rejection_reason = "no supported table found" if raw.pages else "document has no pages"
        parsed.amounts = []
    return parsed


def _printed_and_landed(raw, parsed: ParsedDocument) -> tuple[int | None, int | None]:
    """Amounts printed on the pages of the document's fiscal tables (their text layer, not the
    table reading) and how many landed there: where the two differ, the reading lost amounts."""
    pages = {
        page
        for table in parsed.tables
        if table.first_page is not None
        for page in range(table.first_page, (table.last_page or table.first_page) + 1)
    }
    counts = [page.printed_amounts for page in raw.pages if page.number in pages]
    if not pages or any(count is None for count in counts):
        return None, None
    landed = Counter(a.source_page for a in parsed.amounts if a.value_state == "value" and a.source_page in pages)
    printed = {page.number: page.printed_amounts for page in raw.pages if page.number in pages}
    return sum(printed.values()), sum(min(landed[page], printed[page]) for page in pages)


def _add_performance_table(parsed: ParsedDocument, table: PerformanceTable) -> None:
    """A project (or the department) with its funds and indicators; also a source table of its own."""
    result = normalise_performance_table(table, len(parsed.tables) + 1, project_seq=len(parsed.projects) + 1)
    pages = [r.page for r in table.rows if r.page is not None]
    _add_performance_result(
        parsed,
        result,
        table.printed_title,
        min(pages) if pages else None,
        max(pages) if pages else None,
        len(table.rows),
    )


def _add_performance_result(
    parsed: ParsedDocument,
    result: PerformanceResult,
    title: str,
    first_page: int | None,
    last_page: int | None,
    row_count: int,
) -> None:
    parsed.issues += result.issues
    if not result.indicators and not result.funding:
        return
    if all(t.table_id != result.project.table_id for t in parsed.tables):  # 专项 lines share one table
        parsed.tables.append(
            ParsedTable(
                table_id=result.project.table_id,
                table_kind=result.project.table_kind,
                table_number=None,
                source_table=title,
                printed_title=title,
                printed_unit="万元",
                first_page=first_page,
                last_page=last_page,
                is_empty=False,
                row_count=row_count or len(result.indicators) + len(result.funding),
            )
        )
    parsed.projects.append(result.project)
    parsed.funding += result.funding
    parsed.indicators += result.indicators
    parsed.subtotals += result.subtotals


def _read_table(
    table_id: int, table: FoundTable, document_unit: str | None
) -> tuple[ParsedTable, list[AmountRecord], list[Issue]]:
    unit = table.printed_unit or document_unit
    issues = []
    if unit is None:
        unit = "万元"
        issues.append(
            Issue(
                "warning", "unit_not_printed", f"{table.source_table}: no 单位 line; read as 万元", table_id, table.page
            )
        )
    context = TableContext(table_id, table.kind, table.source_table, unit)
    body = read_body(table)
    records = NORMALISERS[table.layout.shape](table.layout, body, context)
    methods = {s.page: s.grid.method for s in table.segments}
    for record in records:
        record.extraction_method = methods.get(record.source_page, table.segments[0].grid.method)
    pages = [s.page for s in table.segments if s.page is not None]
    values = [r for r in records if r.value_state == "value"]
    mentions_none = any(_EMPTY_NOTE.search(compact(n)) for n in table.notes) or any(
        compact(c.text) == "无" for row in body.rows for c in row.cells
    )
    parsed_table = ParsedTable(
        table_id=table_id,
        table_kind=table.kind,
        table_number=table.table_number,
        source_table=table.source_table,
        printed_title=table.printed_title,
        printed_unit=unit,
        first_page=min(pages) if pages else None,
        last_page=max(pages) if pages else None,
        is_empty=not values and mentions_none,
        row_count=len(body.rows),
    )
    return parsed_table, records, issues + context.issues


def _of_the_document_stage(
    found: FoundTable, table: ParsedTable, records: list[AmountRecord], issues: list[Issue], basis: str
) -> tuple[ParsedTable, list[AmountRecord], list[Issue]]:
    """A table recognised by its content prints the document's own stage: 预算数 in a budget, 决算数 in
    a final account. It is said to have been recognised so."""
    if not is_by_content(found.layout):
        return table, records, issues
    for record in records:
        record.amount_basis = basis
    fund = found.layout.spec["dims"].get("fund_source", "all")
    note = Issue(
        "info",
        "recognised_by_content",
        f"{table.printed_title}: a title no layout knows, read by its codes and header as {found.kind} (fund {fund})",
        table.table_id,
        table.first_page,
    )
    return table, records, [*issues, note]


def _unless_columns_unsure(
    table: ParsedTable, records: list[AmountRecord], issues: list[Issue]
) -> tuple[ParsedTable, list[AmountRecord], list[Issue]]:
    """A table whose columns cannot all be named lands nothing: amounts under a column its header
    does not name, or rows whose first amount adds up the others while the header names no total
    (a total column lost: every amount would take its right neighbour's measure). What its other
    columns mean cannot be trusted either. It stays a recognised table, with an error that says why."""
    unnamed = [i for i in issues if i.issue == UNNAMED_COLUMN]
    shifted = rows_missing_their_total(records)
    if not unnamed and len(shifted) < 2:
        return table, records, issues
    if unnamed:
        pages = sorted({i.source_page for i in unnamed if i.source_page is not None})
        where = f" (page {', '.join(map(str, pages))})" if pages else ""
        reason = f"{len(unnamed)} amounts under columns its header does not name{where}"
    else:
        pages = []
        reason = (
            f"in rows {', '.join(map(str, shifted[:5]))}{' …' if len(shifted) > 5 else ''} the first amount is the sum "
            "of the others but the header names no total: a header column is missing"
        )
    message = f"{table.source_table}: {reason}; none of its {len(records)} amounts is landed"
    error = Issue("error", TABLE_NOT_LANDED, message, table.table_id, pages[0] if pages else table.first_page)
    return table, [], [*issues, error]


def _retried_from_alignment(data: bytes, found: list[FoundTable], results: list, document_unit: str | None) -> list:
    """Tables read from their rules whose amounts do not add up, read again from text alignment.

    A rule left out between two columns, or a decorative line, makes a ruled grid that is wrong
    while looking fine. Such a table fails its own hierarchy sums (or has cells that are not
    amounts); its pages are read once more ignoring the rules, and the reading whose amounts hold
    together better is kept. The amounts say which one it was (extraction_method)."""
    scores = [score_table(records, issues) for _, records, issues in results]
    retry = [
        i
        for i, score in enumerate(scores)
        if score.failing and any(s.grid.method == "pdf_ruled" for s in found[i].segments)
    ]
    if not retry:
        return results
    pages = frozenset(s.page for i in retry for s in found[i].segments if s.page is not None)
    again = {_table_key(t): t for t in find_tables(read_document(data, ".pdf", aligned_pages=pages))}
    results = list(results)
    for i in retry:
        table_id, name = results[i][0].table_id, found[i].source_table
        other = again.get(_table_key(found[i]))
        retried = _read_table(table_id, other, document_unit) if other is not None else None
        score = score_table(retried[1], retried[2]) if retried is not None else None
        if score is not None and score.better_than(scores[i]):
            results[i] = retried
            message = f"{name}: its ruled grid failed {scores[i].failing} checks; read from text alignment instead ({score.failing} failing)"
        else:
            message = f"{name}: its ruled grid failed {scores[i].failing} checks; text alignment did no better, ruled grid kept"
        results[i][2].append(Issue("info", "strategy_retry", message, table_id, found[i].page))
    return results


def _table_key(table: FoundTable) -> tuple:
    return table.kind, table.source_table, table.page
