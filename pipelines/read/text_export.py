"""Text exports of PDFs (.txt / .md / .html) → the same pages → blocks → grids as the PDF reader.

What exports contain: tab-separated table rows, HTML `<table>` markup (colspan/rowspan), markdown
headings and bold (`#`, `**`, `<b>`), and blank lines where the PDF had page breaks. An export has
no page numbers, so everything lands on one page numbered None.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from pipelines.basics.text import normalise
from pipelines.read.model import Cell, Grid, Page, RawDocument, TextLine

_MARKUP = re.compile(r"</?(b|strong|i|em|span|p|br|div|font|u)\b[^>]*>", re.IGNORECASE)
_MARKDOWN_EMPHASIS = re.compile(r"\*\*|__")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_TABLE = re.compile(r"<table\b.*?</table>", re.IGNORECASE | re.DOTALL)


def read_text_export(data: bytes, file_format: str) -> RawDocument:
    text = decoded_export(data)
    return RawDocument(file_format=file_format, pages=[Page(None, blocks_of(text))], page_count=None)


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]*charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)|encoding=["']([A-Za-z0-9_-]+)""", re.I
)
# a declared GB2312 / GBK page often holds characters only GB18030 has: read with the superset
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030"}


def decoded_export(data: bytes) -> str:
    """An export's text, whatever encoding it was saved in. Exports of Chinese documents come in
    UTF-8, in GBK / GB18030 (Windows, older sites; HTML saying so in a meta charset) and in UTF-16
    with a byte-order mark (Notepad's "Unicode"); read as UTF-8, the others are noise and the
    document would be rejected as holding no table. A byte-order mark wins, then UTF-8 if the bytes
    are valid UTF-8, then the charset an HTML page declares, then GB18030; else UTF-8 with the
    undecodable bytes replaced."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    candidates = ["utf-8"]
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        name = (declared.group(1) or declared.group(2)).decode("ascii").lower()
        candidates.append(_SUPERSETS.get(name, name))
    candidates.append("gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):  # LookupError: a charset Python does not know
            continue
    return data.decode("utf-8", errors="replace")


def blocks_of(text: str) -> list:
    """Split an export into text lines and grids, in reading order."""
    blocks: list = []
    rows: list[list[Cell]] = []

    def close_grid() -> None:
        if rows:
            blocks.append(Grid(rows=[list(r) for r in rows], ruled=False, method="text_export"))
            rows.clear()

    for line in _split_out_html_tables(normalise(text)):
        if isinstance(line, Grid):
            close_grid()
            blocks.append(line)
            continue
        if "\t" in line:
            rows.append([Cell(_strip_markup(c)) for c in line.split("\t")])
            continue
        close_grid()
        clean = _strip_markup(_HEADING.sub("", line))
        if clean:
            blocks.append(TextLine(clean))
    close_grid()
    return blocks


def _strip_markup(text: str) -> str:
    text = _MARKUP.sub("", text)
    text = _MARKDOWN_EMPHASIS.sub("", text)
    return text.replace("&nbsp;", " ").strip()


def _split_out_html_tables(text: str):
    """Lines of the export, with each HTML table (which may share a line with text) as one Grid."""
    position = 0
    for match in _TABLE.finditer(text):
        yield from text[position : match.start()].splitlines()
        yield html_table_grid(match.group(0))
        position = match.end()
    yield from text[position:].splitlines()


def html_table_grid(markup: str) -> Grid:
    parser = _TableParser()
    parser.feed(markup)
    return Grid(rows=_expand_spans(parser.rows), ruled=True, method="text_export")


class _TableParser(HTMLParser):
    """Collects rows of (text, colspan, rowspan) from one <table>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, int, int]]] = []
        self._cell: list[str] | None = None
        self._spans = (1, 1)

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            attributes = dict(attrs)
            self._cell = []
            self._spans = (_int(attributes.get("colspan")), _int(attributes.get("rowspan")))
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            if not self.rows:
                self.rows.append([])
            self.rows[-1].append(("".join(self._cell).strip(), *self._spans))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _int(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _expand_spans(rows: list[list[tuple[str, int, int]]]) -> list[list[Cell]]:
    """Place spanning cells on a rectangle; covered positions point at their owner."""
    placed: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in placed:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    owner = dr == 0 and dc == 0
                    placed[(r + dr, c + dc)] = Cell(text if owner else "", covered_by=None if owner else (r, c))
            c += colspan
    if not placed:
        return []
    height = max(r for r, _ in placed) + 1
    width = max(c for _, c in placed) + 1
    return [[placed.get((r, c), Cell("")) for c in range(width)] for r in range(height)]
