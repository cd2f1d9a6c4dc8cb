"""A corpus of realistic, distinct final-account PDFs for the benchmark.

Every document is one of the two sample final accounts (tests/fixtures) with
- other figures: every amount multiplied by a whole number 1–9, so sums printed in the document still
  add up exactly (a document's own 尾数 rounding differences are scaled with it);
- another entity (region × department × subordinate unit, unique per document index) and fiscal year
  on the cover and above every table;
- another layout: 万元 or 元, one code column or 类/款/项 columns, rows per page, header repeated on
  continuation pages or not, long names wrapped or not, the rule style of Word, WPS or a plain producer.

Everything is chosen from the document index with a seeded `random.Random`, so a corpus is byte-for-byte
the same from run to run and every document has its own bytes (sha256), hence its own document_id.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import multiprocessing
import random
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tests.fixtures.final_account_figures import FUZHOU_2024, QUANZHOU_2020
from tests.fixtures.final_account_model import (
    CodeTable,
    Document,
    EconomicTable,
    PanelTable,
    Row,
    ThreePublicTable,
)
from tests.fixtures.render_pdf import render_document

BASES = (QUANZHOU_2020, FUZHOU_2024)
REGIONS = (
    "泉州市鲤城区",
    "泉州市丰泽区",
    "泉州市洛江区",
    "福州市",
    "福州市鼓楼区",
    "福州市台江区",
    "福州市仓山区",
    "厦门市",
    "厦门市思明区",
    "厦门市湖里区",
    "漳州市",
    "漳州市芗城区",
    "莆田市",
    "莆田市荔城区",
    "三明市",
    "三明市沙县区",
    "南平市",
    "南平市建阳区",
    "龙岩市",
    "龙岩市新罗区",
    "宁德市",
    "宁德市蕉城区",
    "上海市普陀区",
    "上海市徐汇区",
    "上海市静安区",
)
DEPARTMENTS = (
    "工业和信息化局",
    "教育局",
    "财政局",
    "卫生健康委员会",
    "交通运输局",
    "自然资源局",
    "文化和旅游局",
    "民政局",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "农业农村局",
    "商务局",
    "市场监督管理局",
    "生态环境局",
    "水利局",
    "应急管理局",
    "统计局",
    "审计局",
    "司法局",
    "科学技术局",
)
SUBUNITS = (
    "",
    "机关服务中心",
    "信息中心",
    "综合执法大队",
    "档案馆",
    "培训中心",
    "事务中心",
    "发展研究中心",
    "监测站",
    "服务站",
)
YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
_SUPPORTS_RULE_STYLE = "rule_style" in inspect.signature(render_document).parameters


def variant(index: int) -> tuple[Document, dict]:
    """Document number `index` of the corpus: (figures, render options). Deterministic, unique per index."""
    rng = random.Random(index)
    base = BASES[index % len(BASES)]
    names = len(REGIONS) * len(DEPARTMENTS)
    k = index // len(BASES)  # the k-th document drawn from this base
    region, department = REGIONS[k % len(REGIONS)], DEPARTMENTS[(k // len(REGIONS)) % len(DEPARTMENTS)]
    round_ = k // names  # once every region × department is used, their subordinate units follow
    subunit = SUBUNITS[round_ % len(SUBUNITS)] + (str(round_ // len(SUBUNITS)) if round_ >= len(SUBUNITS) else "")
    entity = region + department + subunit + ("（本级）" if base.doc_kind == "单位决算" else "")
    year = YEARS[k % len(YEARS)]
    factor = 1 + rng.randrange(9)
    tables = tuple(_scaled(dataclasses.replace(t, entity_printed=None), factor) for t in base.tables)
    doc = Document(f"bench_{index:05d}", entity, year, base.doc_kind, tables)
    options = dict(
        unit=rng.choice(("万元", "元")),
        split_codes=rng.random() < 0.5,
        rows_per_page=rng.choice((None, None, 18, 12, 8)),
        repeat_header_on_continuation=rng.random() < 0.7,
        wrap_long_names=rng.choice((None, None, 12)),
    )
    if _SUPPORTS_RULE_STYLE:
        options["rule_style"] = rng.choice(("lines", "lines", "thin_rects", "long_segments"))
    return doc, options


def _scaled_text(text: str, factor: int) -> str:
    if factor == 1 or not text:
        return text
    try:
        value = Decimal(text)
    except InvalidOperation:  # 无, -, — and other placeholders
        return text
    return f"{value * factor:.2f}"


def _scaled_row(row: Row | None, factor: int) -> Row | None:
    if row is None:
        return None
    return dataclasses.replace(row, amounts=tuple(_scaled_text(a, factor) for a in row.amounts))


def _scaled(table, factor: int):
    if isinstance(table, (CodeTable, ThreePublicTable)):
        return dataclasses.replace(table, rows=tuple(_scaled_row(r, factor) for r in table.rows))
    if isinstance(table, PanelTable):
        return dataclasses.replace(
            table, rows=tuple(tuple(_scaled_row(r, factor) for r in pair) for pair in table.rows)
        )
    if isinstance(table, EconomicTable):
        return dataclasses.replace(
            table,
            rows=tuple(tuple(_scaled_row(r, factor) for r in cells) for cells in table.rows),
            personnel_total=_scaled_text(table.personnel_total, factor),
            public_total=_scaled_text(table.public_total, factor),
        )
    raise TypeError(type(table))


def _render_one(task: tuple[int, str]) -> tuple[str, int]:
    index, folder = task
    doc, options = variant(index)
    path = Path(folder) / f"{doc.key}_{doc.year}.pdf"
    rendered = render_document(doc, path, **options)
    return str(path), rendered.page_count


def generate(count: int, folder: Path, workers: int = 1) -> list[tuple[Path, int]]:
    """Render documents 0 … count-1 into `folder`; return (path, page count) of each."""
    folder.mkdir(parents=True, exist_ok=True)
    tasks = [(i, str(folder)) for i in range(count)]
    if workers > 1 and count >= 50:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            done = list(pool.map(_render_one, tasks, chunksize=16))
    else:
        done = [_render_one(t) for t in tasks]
    return [(Path(p), pages) for p, pages in done]


def long_document(path: Path, min_pages: int = 400) -> int:
    """One document of at least `min_pages` pages: the tables of the 福州 sample printed again and
    again (as a consolidated account prints the same tables for each of its units), pages filled."""
    base = FUZHOU_2024
    per_set = render_document(base, path).page_count - 1  # pages without the cover
    copies = math.ceil((min_pages - 1) / per_set)
    while True:
        doc = dataclasses.replace(base, key="bench_long", tables=base.tables * copies)
        pages = render_document(doc, path).page_count
        if pages >= min_pages:
            return pages
        copies += 1


def replicate(sources: list[Path], folder: Path, count: int) -> list[tuple[Path, Path]]:
    """`count` distinct files made from `sources` in turn: the same PDF with a comment line appended
    after %%EOF (readers ignore it), so the bytes, hence the document_id, differ. Returns (copy, source)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        source = sources[i % len(sources)]
        target = folder / f"replica_{i:05d}_{source.name}"
        target.write_bytes(source.read_bytes() + f"%bench-replica-{i}\n".encode())
        out.append((target, source))
    return out
