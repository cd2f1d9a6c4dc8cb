"""Performance tables drawn as a real PDF (reportlab, ruled, merged level cells, a first level printed
one character per line, tables continued over pages with the header repeated) read back through
pdfplumber: every indicator and funds figure that drew them comes back, with its page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.normalise.targets import parse_target
from pipelines.parse import parse_document
from tests.fixtures.performance_figures import PROJECT_001_AS_PUBLIC_TABLE, PROJECTS_003
from tests.fixtures.render_performance_pdf import render_performance

LAYOUTS = {
    "one_page": (PROJECTS_003, 30),
    "continued": (PROJECTS_003, 12),
    "wrapped_cells": (PROJECT_001_AS_PUBLIC_TABLE, 30),  # long names and targets wrap inside their cells
    "rows_cut_by_page_breaks": (PROJECTS_003, 12),  # a name ends on the next page, ruled anew
    "levels_cut_by_page_breaks": (PROJECTS_003, 12),  # … and its first level and actual
    "loose_lines": (PROJECT_001_AS_PUBLIC_TABLE, 30),  # names wrapped around amounts centred beside them
}


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def drawn(request, tmp_path_factory):
    projects, rows_per_page = LAYOUTS[request.param]
    path = tmp_path_factory.mktemp("performance_pdf") / "projects.pdf"
    pages = render_performance(
        projects,
        path,
        rows_per_page=rows_per_page,
        cut_rows=request.param.endswith("cut_by_page_breaks"),
        cut_levels=request.param == "levels_cut_by_page_breaks",
        loose=request.param == "loose_lines",
    )
    parsed = parse_document(path)
    assert parsed.page_count == pages
    return projects, parsed


def _money(text: str):
    return Decimal(text) if text else None


def test_every_project_indicator_and_fund_comes_back(drawn):
    projects, document = drawn
    assert [p.project_name for p in document.projects] == list(projects)
    for project in document.projects:
        expected = projects[project.project_name]
        rows = [i for i in document.indicators if i.project_seq == project.project_seq]
        assert [(r.level1, r.level2, r.level3, r.actual_text, r.weight, r.score) for r in rows] == [
            (l1, l2, l3, actual, Decimal(w), Decimal(s)) for l1, l2, l3, _, actual, w, s in expected["indicators"]
        ]
        assert [parse_target(r.target_text) for r in rows] == [parse_target(e[3]) for e in expected["indicators"]]
        assert all(r.source_page is not None and r.source_page > 1 for r in rows)
        (total,) = [f for f in document.funding if f.project_seq == project.project_seq and f.funding_line == "total"]
        assert (
            total.budget_initial,
            total.budget_full_year,
            total.executed,
            total.weight,
            total.execution_rate,
            total.score,
        ) == tuple(_money(v) for v in expected["funds_total"])
        assert project.printed_total_score == Decimal(expected["total_score"])
        department = expected.get("department", "福州市工业和信息化局")
        assert (project.department, project.implementing_unit) == (department, department)


def test_the_document_is_a_loaded_performance_evaluation(drawn):
    _, document = drawn
    assert document.status == "loaded" and document.doc_type == "performance_evaluation"
    assert document.fiscal_year == 2024
