"""Step 1: read a document into pages → blocks (text lines, table grids).

Three wings: `pdf/` (the text layer), `ocr/` (pages that are only an image, called by the PDF
wing), `text_export.py` (.txt/.md/.html exports). Below them, shared by the wings: `model.py`
(the plain data they produce), `text.py`, `grids.py` (pdfplumber tables → grids) and `aligned.py`
(tables printed without rules).
"""

from __future__ import annotations

from pipelines.read.model import Cell, Grid, Page, RawDocument, TextLine
from pipelines.read.pdf import UnreadablePdf, read_pdf
from pipelines.read.text_export import read_text_export

TEXT_EXPORT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
SUPPORTED_SUFFIXES = {".pdf"} | TEXT_EXPORT_SUFFIXES


def read_document(data: bytes, suffix: str, aligned_pages: frozenset[int] | None = None) -> RawDocument:
    """The pages of a document's bytes as blocks; `suffix` ('.pdf', '.txt' …) says what they are.

    Bytes, not a path: what is read is exactly what was hashed, whatever happens to the file.
    `aligned_pages` (PDF only) reads just those pages, their tables from the alignment of their
    text whatever rules they have: the retry of a table whose ruled grid did not add up."""
    suffix = suffix.lower()
    if suffix == ".pdf":
        return read_pdf(data, aligned_pages)
    if aligned_pages is not None:
        raise ValueError("aligned_pages applies to PDFs only")
    if suffix in TEXT_EXPORT_SUFFIXES:
        return read_text_export(data, suffix.lstrip("."))
    raise ValueError(f"unsupported file type: {suffix}")


__all__ = [
    "Cell",
    "Grid",
    "Page",
    "RawDocument",
    "TextLine",
    "UnreadablePdf",
    "SUPPORTED_SUFFIXES",
    "read_document",
]
