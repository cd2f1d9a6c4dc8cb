"""Parse results on disk, immutable and keyed by content hash and extractor version.

A document is parsed once per extractor version: the next run (or another machine sharing the
folder) reads the cached result instead of the PDF.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipelines import EXTRACTOR_VERSION
from pipelines.parsed_document import ParsedDocument, is_transient_rejection


def cache_path(cache_dir: Path, document_id: str, version: str = EXTRACTOR_VERSION) -> Path:
    return cache_dir / f"{document_id}-{version}.json"


def is_cached(cache_dir: Path, document_id: str) -> bool:
    return cache_path(cache_dir, document_id).exists()


def load_cached(cache_dir: Path, document_id: str) -> ParsedDocument | None:
    path = cache_path(cache_dir, document_id)
    if not path.exists():
        return None
    try:
        return ParsedDocument.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, TypeError, KeyError):
        return None  # a damaged cache entry is parsed again


def store(cache_dir: Path, parsed: ParsedDocument) -> None:
    """Write atomically: a crash never leaves a half-written entry behind. A rejection that says
    nothing about the bytes (the file changed while it was read) is not kept."""
    if is_transient_rejection(parsed.rejection_reason):
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_path(cache_dir, parsed.document_id, parsed.extractor_version)
    handle, temporary = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(parsed.to_json())
    os.replace(temporary, target)
