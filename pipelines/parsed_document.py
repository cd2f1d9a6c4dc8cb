"""The parse contract: what parsing one document produces, and its JSON.

A `ParsedDocument` is plain data keyed by the document's content hash (`document_id`) and the
extractor version: the parse cache stores it as JSON, workers send it back to the one landing writer,
and landing turns its records into rows. Nothing here parses; `parse.py` fills it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from pipelines import EXTRACTOR_VERSION
from pipelines.normalise.performance_records import FundingRecord, IndicatorRecord, ProjectRecord, SubtotalRecord
from pipelines.normalise.records import AmountRecord, Issue

# A rejection that says nothing about the bytes (the file changed or went while the run read it):
# never cached, and tried again on the next run.
FILE_CHANGED = "the file changed while the run read it"


def sha256_of(path: Path) -> str:
    """A document's identity: the SHA-256 of its bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_of_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_transient_rejection(reason: str | None) -> bool:
    return bool(reason) and reason.startswith(FILE_CHANGED)


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
    entity_key: str | None = None
    entity_level: str | None = None
    # amounts the pages of its fiscal tables print in their text layer (None: not known, a text
    # export or a scan), and how many of them landed
    printed_amount_count: int | None = None
    landed_printed_count: int | None = None
    seconds: float = 0.0
    tables: list[ParsedTable] = field(default_factory=list)
    amounts: list[AmountRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    projects: list[ProjectRecord] = field(default_factory=list)
    funding: list[FundingRecord] = field(default_factory=list)
    indicators: list[IndicatorRecord] = field(default_factory=list)
    subtotals: list[SubtotalRecord] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, default=_json_default, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ParsedDocument:
        data = json.loads(text)
        data["tables"] = [ParsedTable(**t) for t in data["tables"]]
        data["amounts"] = [
            AmountRecord(**{**a, "amount": None if a["amount"] is None else Decimal(a["amount"])})
            for a in data["amounts"]
        ]
        data["issues"] = [Issue(**i) for i in data["issues"]]
        for name, record in (
            ("projects", ProjectRecord),
            ("funding", FundingRecord),
            ("indicators", IndicatorRecord),
            ("subtotals", SubtotalRecord),
        ):
            data[name] = [record_from_dict(record, r) for r in data.get(name, [])]
        return cls(**data)


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def landing_row(record) -> dict:
    """The record as a landing row: Decimal values as exact strings (cast to DECIMAL by the insert)."""
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in dataclasses.asdict(record).items()}


def record_from_dict(cls, data: dict):
    """A record read back from JSON: Decimal fields were written as strings."""
    values = {}
    for spec in dataclasses.fields(cls):
        value = data.get(spec.name)
        if value is not None and "Decimal" in str(spec.type):
            value = Decimal(value)
        values[spec.name] = value
    return cls(**values)
