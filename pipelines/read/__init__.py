"""Step 1: read a document into pages → blocks (text lines, table grids)."""

from __future__ import annotations

from pathlib import Path

from pipelines.read.model import Cell, Grid, Page, RawDocument, TextLine
from pipelines.read.pdf import UnreadablePdf, read_pdf
from pipelines.read.text_export import read_text_export

TEXT_EXPORT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
SUPPORTED_SUFFIXES = {".pdf"} | TEXT_EXPORT_SUFFIXES


def read_document(path: Path) -> RawDocument:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return read_pdf(path)
    if suffix in TEXT_EXPORT_SUFFIXES:
        return read_text_export(path)
    raise ValueError(f"unsupported file type: {suffix}")


__all__ = [
    "Cell", "Grid", "Page", "RawDocument", "TextLine", "UnreadablePdf",
    "SUPPORTED_SUFFIXES", "read_document",
]
