"""The OCR wing: pages without a text layer (scans) read by tesseract into the same blocks."""

from __future__ import annotations

from pipelines.read.ocr.engine import tesseract_ready
from pipelines.read.ocr.page import scanned_page_blocks

__all__ = ["scanned_page_blocks", "tesseract_ready"]
