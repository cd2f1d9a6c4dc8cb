"""Why a file with a .pdf name cannot be read, in words a person can act on.

pdfium says "Data format error" for every file it cannot open: HTML saved as .pdf (an error page
of a download), a download cut short, a file damaged in the middle. The reason a rejection gives
should tell them apart, so the bytes are looked at: no PDF header at all, a header but no
end-of-file marker (cut short), a page tree without pages, an encrypted file, or a PDF that is
damaged inside. pdfium's own error code is not quoted: when it fails to open a file without setting
one, the code left by an earlier document of the same process is reported (a PDF without pages was
called "encrypted" after an encrypted one), and a reason must depend on the document alone.
"""

from __future__ import annotations

import re

_HEADER = b"%PDF-"
_END = b"%%EOF"
_HEADER_WINDOW = 1024  # readers accept a header a little after the start (junk before it)
_END_WINDOW = 2048  # and an end marker followed by a little trailing junk
_ENCRYPT = re.compile(rb"/Encrypt\b")  # the trailer names its security handler
_NO_PAGES = re.compile(rb"/Count\s*0\b")
_PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")

# (leading bytes, what the file is): the usual things that end up named .pdf
_SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx / .xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an Office 97 document (.doc / .xls)"),
    (b"Rar!", "a RAR archive"),
    (b"\x1f\x8b", "a gzip archive"),
)


def unreadable_reason(data: bytes) -> str:
    """The reason for a PDF that pdfium cannot open."""
    if _HEADER not in data[:_HEADER_WINDOW]:
        return f"not a readable PDF: not a PDF at all, the file is {_looks_like(data)}"
    if _ENCRYPT.search(data):
        return "encrypted PDF: it cannot be opened without its password"
    if _END not in data[-_END_WINDOW:]:
        return "not a readable PDF: truncated, the file ends before its end-of-file marker"
    if _NO_PAGES.search(data) and not _PAGE.search(data):
        return "document has no pages"
    return "not a readable PDF: damaged, pdfium cannot open it"


def unreadable_page_reason(number: int, page_count: int, error: Exception) -> str:
    """The reason for a PDF that opens but one of whose pages does not (a damaged page object)."""
    return f"not a readable PDF: damaged, page {number} of {page_count} cannot be read ({error})"


def page_tree_reason(pdfium_pages: int, pdfminer_pages: int) -> str:
    """The two PDF readers found different numbers of pages: the page tree is damaged."""
    return (
        f"not a readable PDF: damaged, its page tree gives {pdfium_pages} pages to one reader "
        f"and {pdfminer_pages} to the other"
    )


def _looks_like(data: bytes) -> str:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head:
        return "an HTML page"
    if head.startswith(b"<?xml"):
        return "an XML file"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < 4090:  # not only a character cut at the end of the window
            return "binary data of an unknown kind"
    return "plain text"
