"""The PDF text-layer wing: pages with text read by pypdfium2 and pdfplumber (scans go to OCR)."""

from __future__ import annotations

from pipelines.read.pdf.document import UnreadablePdf, read_pdf

__all__ = ["UnreadablePdf", "read_pdf"]
