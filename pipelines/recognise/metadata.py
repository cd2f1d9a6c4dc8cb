"""Document metadata from the cover and titles: kind, fiscal year, entity, region.

Only what is printed is taken; anything not found stays None and is reported as an issue.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipelines.basics.text import compact
from pipelines.read.model import RawDocument, TextLine
from pipelines.recognise.layouts import title_span
from pipelines.recognise.tables import FoundTable

_KINDS = [
    (re.compile(r"部门决算"), "department_final_account"),
    (re.compile(r"单位决算"), "unit_final_account"),
    (re.compile(r"部门预算"), "department_budget"),
    (re.compile(r"单位预算"), "unit_budget"),
    (re.compile(r"绩效评价|绩效自评|部门评价报告"), "performance_evaluation"),
]
_YEAR = re.compile(r"(20\d{2})年度?")
_ENTITY_BEFORE_KIND = re.compile(
    r"^(?:(?:20\d{2})年度?)?(?P<entity>.+?)(?:(?:20\d{2})年度?)?(?:区级|市级|县级)?(?:部门|单位)(?:决算|预算)"
)
_COVER_ENTITY_LABEL = re.compile(r"^(?:预算单位|预算主管部门|编制单位|编制部门)[:：](?P<entity>.+)$")
_ENTITY_LABEL = re.compile(r"^(?:预算单位|预算主管部门|编制单位|编制部门|部门|单位)[:：](?P<entity>.+)$")
# An evaluation report names its body before what it evaluates: “泉州市工业和信息化局2019年度部门整体绩效评价”
_ENTITY_BEFORE_EVALUATION = re.compile(
    r"^(?:20\d{2}年度?)?(?P<entity>[\u4e00-\u9fff()]{1,12}?(?:省|市|县|区|州)[\u4e00-\u9fff()]{1,20}?"
    r"(?:局|委员会|办公室|中心|厅)(?:\(本级\))?)(?:关于)?(?:20\d{2}年度?)?[\u4e00-\u9fff]{0,12}?(?:绩效|评价)"
)
_REGION = re.compile(
    r"^(?P<region>(?:[^省市区县局]{2,7}省)?(?:[^省市区县局]{1,7}(?:市|自治州|地区|盟))?(?:[^省市区县局]{1,7}(?:区|县|旗))?)"
)
_BODY_SUFFIX = re.compile(r"(局|委员会|委|办公室|办|院|厅|处|中心|站|所|会|队|馆|社|部|署|本级\)|街道|政府|镇|乡)$")
_COVER_LINES = 25
_ENDS_COVER = re.compile(r"^目录$|^第一部分")
_PAGE_NUMBER = re.compile(r"^[-—–]?\d{1,3}[-—–]?$|^第\d{1,3}页(共\d+页)?$")
# the party prefix of a body's name (中共江苏省委办公厅) is not part of its region
_PARTY_PREFIX = re.compile(r"^(中共|中国共产党)")
# 部门：… printed in a table's caption (tables-only files have no cover)
_CAPTION_ENTITY = re.compile(r"(?:预算单位|预算部门|编制单位|编制部门|部门)[:：](?P<entity>[^:：]+?)(?:单位[:：]|$)")
_TITLE_YEAR = re.compile(r"^(?:20\d{2}年度?)?(?P<entity>.*?)(?:20\d{2}年度?)?(?:部门|单位)?$")
_FAMILY_KIND = {"budget": "department_budget", "final_account": "department_final_account"}


@dataclass
class DocumentMetadata:
    doc_type: str | None
    fiscal_year: int | None
    entity_name: str | None
    region: str | None


def document_metadata(document: RawDocument, tables: list[FoundTable] = ()) -> DocumentMetadata:
    """Kind, year and entity from the cover, else from the part headings and the tables' own titles
    and captions (a file of tables alone has no cover)."""
    lines = [compact(b.text) for page in document.pages for b in page.blocks if isinstance(b, TextLine)]
    cover = _cover(lines)
    cover_text = "".join(cover)
    doc_type = _doc_type(cover_text) or _doc_type_by_titles(lines) or _doc_type_by_tables(tables)
    year = _YEAR.search(cover_text)
    captions = [compact(line) for table in tables for line in table.lines]
    fiscal_year = int(year.group(1)) if year else _most_common_year(lines + captions)
    entity = _entity(cover_text, lines, document) or _entity_from_tables(tables, captions)
    return DocumentMetadata(doc_type, fiscal_year, entity, _region(entity))


def _cover(lines: list[str]) -> list[str]:
    cover = []
    for line in lines[:_COVER_LINES]:
        if _ENDS_COVER.search(line):
            break
        if not _PAGE_NUMBER.match(line):  # “-1-” would be glued to the name that follows
            cover.append(line)
    return cover


def _doc_type(text: str) -> str | None:
    for pattern, kind in _KINDS:
        if pattern.search(text):
            return kind
    return None


def _doc_type_by_titles(lines: list[str]) -> str | None:
    """No kind on the cover: the kind named in the part headings (2024年度单位决算表), if one."""
    counts = Counter(kind for line in lines if len(line) <= 40 for pattern, kind in _KINDS if pattern.search(line))
    if not counts:
        return None
    (kind, count), *rest = counts.most_common()
    return kind if not rest or rest[0][1] < count else None


def _doc_type_by_tables(tables: list[FoundTable]) -> str | None:
    """No kind named anywhere (a file of the tables alone): the family of its tables. Such files are
    published by departments (部门预算公开表), so the department kind."""
    families = Counter(table.layout.family for table in tables if table.layout.family in _FAMILY_KIND)
    if len(families) != 1:
        return None
    return _FAMILY_KIND[next(iter(families))]


def _entity_from_tables(tables: list[FoundTable], captions: list[str]) -> str | None:
    """The body named in the tables' captions (部门：江苏省政协办公厅), else before their titles
    (2018年度江苏省高级人民法院收支预算总表), when the tables agree."""
    named = Counter(_entity_before_junk(m.group("entity")) for line in captions if (m := _CAPTION_ENTITY.search(line)))
    for table in tables:
        text = table.printed_title
        span = title_span(text)
        if span is not None:
            before = _TITLE_YEAR.match(text[: span[0]]).group("entity")
            if len(before) >= 4 and _BODY_SUFFIX.search(before):
                named[before] += 1
    named.pop("", None)
    if not named:
        return None
    (entity, count), *rest = named.most_common()
    return entity if count >= 2 and (not rest or rest[0][1] < count) else None


def _most_common_year(lines: list[str]) -> int | None:
    years = Counter(int(m.group(1)) for line in lines if len(line) <= 40 for m in _YEAR.finditer(line))
    return years.most_common(1)[0][0] if years else None


def _entity(cover_text: str, lines: list[str], document: RawDocument) -> str | None:
    for line in _cover(lines):  # 预算单位：… on a budget cover names the body itself
        labelled = _COVER_ENTITY_LABEL.match(line)
        if labelled:
            return _entity_before_junk(labelled.group("entity"))
    match = _ENTITY_BEFORE_KIND.search(cover_text)
    if match and len(match.group("entity")) >= 4 and not re.search(r"\d{4}", match.group("entity")):
        entity = match.group("entity")
        # “晋江市工信部门预算”: 部门 belongs to a name that does not end in a body (局, 委员会 …)
        kind_word = cover_text[match.end("entity") : match.end()]
        if kind_word.startswith("部门") and not entity.endswith("部门") and not _BODY_SUFFIX.search(entity):
            entity += "部门"
        return entity
    if _doc_type(cover_text) == "performance_evaluation" or _doc_type_by_titles(lines) == "performance_evaluation":
        for line in lines[:500]:
            evaluated = _ENTITY_BEFORE_EVALUATION.match(line)
            if evaluated:
                return evaluated.group("entity")
    for line in lines[:200]:
        labelled = _ENTITY_LABEL.match(line)
        if labelled:
            entity = _entity_before_junk(labelled.group("entity"))
            if entity and entity not in ("万元", "元"):
                return entity
    return None


def _entity_before_junk(text: str) -> str:
    """'福州市工业和信息化局(本级)2024年度单位:万元' → '福州市工业和信息化局(本级)'."""
    return re.split(r"\d{4}年|单位[:：]|公开", text)[0]


def _region(entity: str | None) -> str | None:
    if not entity:
        return None
    region = _REGION.match(_PARTY_PREFIX.sub("", entity)).group("region")
    return region or None


_NAME_KINDS = [*_KINDS, (re.compile(r"预算"), "department_budget"), (re.compile(r"决算"), "department_final_account")]
_NAME_ENTITY_END = re.compile(r"20\d{2}|\d{2}年|部门|单位|预算|决算|公开|绩效")


def metadata_from_file_name(name: str) -> DocumentMetadata:
    """What a file's name says, the last resort for a document that prints neither cover nor titles
    naming itself: “江苏省委办公厅2017年预算公开表格.pdf” → a budget, 2017, 江苏省委办公厅."""
    stem = compact(re.sub(r"\.[A-Za-z]{2,4}$", "", name.rsplit("/", 1)[-1]))
    kind = next((kind for pattern, kind in _NAME_KINDS if pattern.search(stem)), None)
    year = _YEAR.search(stem) or re.search(r"(?<!\d)(20\d{2})(?!\d)", stem)
    entity = _NAME_ENTITY_END.split(stem, maxsplit=1)[0]
    if len(entity) < 4 or not _BODY_SUFFIX.search(entity):
        entity = None
    return DocumentMetadata(kind, int(year.group(1)) if year else None, entity, _region(entity))
