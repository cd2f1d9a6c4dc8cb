"""Fiscal disclosure warehouse: Chinese 预算/决算/绩效 documents → DuckDB → dbt marts."""

from __future__ import annotations

import hashlib
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_EXTRACTION_SOURCES = ("basics", "read", "recognise", "normalise", "parse.py", "parsed_document.py")


def _extractor_version() -> str:
    """Changes whenever the extraction code or its layout data change, so cached parses of an
    older extractor are never reused (same bytes + same version ⇒ same records)."""
    digest = hashlib.sha256()
    for name in _EXTRACTION_SOURCES:
        root = _PACKAGE / name
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.suffix in (".py", ".yaml") and path.is_file():
                digest.update(path.relative_to(_PACKAGE).as_posix().encode())
                digest.update(path.read_bytes())
    return f"1.{digest.hexdigest()[:12]}"


EXTRACTOR_VERSION = _extractor_version()
