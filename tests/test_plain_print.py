"""A text export printed as plain text (a word processor opening the .txt: no rules, cells only at
tab stops, long rows wrapped at the margin) reads back as the export itself: the same amounts and
the same performance records as parsing the export. The PDFs are printed by
tests/fixtures/render_plain_print.py from the seeds in ../shared/seeds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipelines.parse import parse_document
from tests.extraction_keys import meanings
from tests.fixtures.office_performance_pdfs import SEEDS, _signature
from tests.fixtures.performance_figures import SEED_FILES
from tests.fixtures.render_plain_print import render_plain_print


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    cache = {}

    def parse_both(seed: str):
        if seed not in cache:
            export = SEEDS / SEED_FILES[seed]
            pdf = tmp_path_factory.mktemp("plain_print") / f"seed_{seed}.pdf"
            pages = render_plain_print(export.read_text(encoding="utf-8"), pdf)
            from_pdf = parse_document(pdf)
            assert from_pdf.page_count == pages and from_pdf.status == "loaded"
            cache[seed] = from_pdf, parse_document(Path(export))
        return cache[seed]
    return parse_both


@pytest.mark.parametrize("seed", ["001", "002", "003"])   # final accounts; a budget whose tables wrap every row
def test_a_plain_text_print_gives_every_amount_of_its_export(printed, seed):
    from_pdf, from_export = printed(seed)
    assert meanings(from_export)                 # the export has the tables
    assert meanings(from_pdf) == meanings(from_export)
    assert any(issue.issue == "printed_as_plain_text" for issue in from_pdf.issues)


@pytest.mark.parametrize("seed", ["000", "004"])
def test_performance_records_printed_as_plain_text_are_those_of_the_export(printed, seed):
    from_pdf, from_export = printed(seed)
    projects, funding, indicators = _signature(from_export)
    assert indicators                            # 004: its scoring table; 000: scores in its text
    assert _signature(from_pdf) == (projects, funding, indicators)


@pytest.mark.parametrize("seed", ["002", "003"])   # 002: rows whose empty cells' tabs print as a blank line
def test_a_plain_text_print_of_many_project_tables_finds_every_project_and_funding_line(printed, seed):
    from_pdf, from_export = printed(seed)
    pdf_projects, pdf_funding, _ = _signature(from_pdf)
    export_projects, export_funding, _ = _signature(from_export)
    assert [p[0] for p in pdf_projects] == [p[0] for p in export_projects]
    assert Counter(f[:2] for f in pdf_funding) == Counter(f[:2] for f in export_funding)
