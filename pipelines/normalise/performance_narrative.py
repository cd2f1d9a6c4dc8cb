"""Scores written in the text of an evaluation report, and its special-funds table printed as text.

Some reports (seed 000) print no indicator table: each indicator's score is a sentence
(“（1）“三公经费支出额”得 10 分（满分 10 分）”), nested by numbering: （一） first level, 1. second,
（1） third. The patterns live in performance.yaml (`narrative`). An item that no deeper item
follows is an indicator of its own (a second-level “时效指标”, a first-level “服务对象满意度”); an
item with children only gives its children their level names and subtotal weight.

The first-level subtotals are kept as written — in their heading and, where a closing sentence
restates them (“产出指标满分 60 分，得 50 分”), there too — to be checked against the indicators.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pipelines.basics.text import compact
from pipelines.normalise.performance import PerformanceResult
from pipelines.normalise.performance_records import (
    FundingRecord,
    IndicatorRecord,
    ProjectRecord,
    SubtotalRecord,
)
from pipelines.read.model import RawDocument, TextLine
from pipelines.recognise.performance_tables import performance_spec


def narrative_performance(
    document: RawDocument, first_table_id: int, first_project_seq: int
) -> list[PerformanceResult]:
    spec = performance_spec()["narrative"]
    lines = [b.text for page in document.pages for b in page.blocks if isinstance(b, TextLine)]
    results = []
    scores = _scores(lines, spec, first_table_id, first_project_seq)
    if scores is not None:
        results.append(scores)
    funds = _special_funds(lines, spec, first_table_id + len(results), first_project_seq + len(results))
    return results + funds


def _scores(lines: list[str], spec: dict, table_id: int, project_seq: int) -> PerformanceResult | None:
    text = "".join(compact(line) for line in lines)
    start = re.search(spec["section_start"], text)
    if not start:
        return None
    end = re.search(spec["section_end"], text[start.end() :])
    section = text[start.end() : start.end() + end.start()] if end else text[start.end() :]
    items = []
    for rule in spec["levels"]:
        for found in re.finditer(rule["pattern"], section):
            items.append(
                (
                    found.start(),
                    rule["level"],
                    found.group("name"),
                    Decimal(found.group("weight")),
                    Decimal(found.group("score")),
                )
            )
    items.sort()
    if not items:
        return None
    project = ProjectRecord(
        project_seq,
        table_id,
        "narrative_scores",
        "department",
        spec["title"],
        None,
        None,
        "部门整体",
        nominal_total_weight=Decimal(100),
    )
    total = re.search(spec["total_score"], text[start.start() :])
    grade = re.search(spec["grade"], text[start.start() :])
    project.printed_total_score = Decimal(total.group("score")) if total else None
    project.grade = grade.group("grade") if grade else None
    result = PerformanceResult(project)
    names: list[str | None] = [None, None, None]
    weights: list[Decimal | None] = [None, None]
    for index, (_, level, name, weight, score) in enumerate(items):
        names[level - 1] = name
        names[level:] = [None] * (3 - level)
        if level < 3:
            weights[level - 1] = weight
            weights[level:] = [None] * (2 - level)
        if level == 1:
            result.subtotals.append(
                SubtotalRecord(project_seq, table_id, spec["title"], None, index + 1, name, "heading", weight, score)
            )
        has_children = index + 1 < len(items) and items[index + 1][1] > level
        if has_children:
            continue
        result.indicators.append(
            IndicatorRecord(
                project_seq,
                table_id,
                spec["title"],
                None,
                index + 1,
                len(result.indicators) + 1,
                *names,
                level1_weight=weights[0] if level > 1 else None,
                level2_weight=weights[1] if level > 2 else None,
                weight=weight,
                score=score,
            )
        )
    headings = [s.level1 for s in result.subtotals]
    for found in re.finditer(spec["level1_summary"], text[start.start() :]):
        result.subtotals.append(
            SubtotalRecord(
                project_seq,
                table_id,
                spec["title"],
                None,
                len(items) + len(result.subtotals) + 1,
                _heading_named(found.group("name"), headings),
                "summary",
                Decimal(found.group("weight")),
                Decimal(found.group("score")),
            )
        )
    return result


def _heading_named(name: str, headings: list[str]) -> str:
    """The first level a summary names, as its heading names it (满意度指标 → 服务对象满意度)."""
    stem = name.removesuffix("指标")
    return next((h for h in headings if h == name), None) or next(
        (h for h in headings if stem in h or h.removesuffix("指标") in name), name
    )


def _special_funds(lines: list[str], spec: dict, table_id: int, project_seq: int) -> list[PerformanceResult]:
    """专项名称 年初预算数 实际支出额 年末结转结余, one line per 专项 and a 合计 line: one project each."""
    results: list[PerformanceResult] = []
    reading = False
    for number, line in enumerate(lines, start=1):
        if compact(line).startswith(spec["funds_header"]):
            reading = True
            continue
        if not reading:
            continue
        found = re.match(spec["funds_row"], " ".join(line.split()))
        if not found:
            if results and len(compact(line)) > 20:
                break
            continue
        name = compact(found.group("name"))
        seq = project_seq + len(results)
        project = ProjectRecord(
            seq,
            table_id,
            "special_funds",
            "project" if name != "合计" else "department",
            spec["funds_title"],
            None,
            number,
            name,
        )
        record = FundingRecord(
            seq,
            table_id,
            spec["funds_title"],
            None,
            number,
            "total",
            name,
            " | ".join(found.group(g) for g in ("budget", "executed", "balance")),
        )
        for field, group in zip(spec["funds_fields"], ("budget", "executed", "balance")):
            setattr(record, field, Decimal(found.group(group)))
        record.printed_decimals = max(len(found.group(g).partition(".")[2]) for g in ("budget", "executed", "balance"))
        results.append(PerformanceResult(project, [record]))
        if name == "合计":
            break
    return results
