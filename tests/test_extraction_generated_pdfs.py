"""Generated final-account PDFs, in the layouts real producers use, against the figures that drew them.

Every printed amount must come back with the right code, measure and value: nothing dropped,
nothing invented. A row with no code and no name cannot be keyed; it must be reported instead.
"""

from __future__ import annotations

from collections import Counter

import pytest

from pipelines.parse import parse_document
from tests.extraction_keys import key_of_expected, key_of_record
from tests.fixtures.final_account_figures import DOCUMENTS, expected_amounts
from tests.fixtures.render_pdf import render_document

VARIANTS = {
    "one_code_column_repeated_header": dict(split_codes=False, repeat_header_on_continuation=True, rows_per_page=18),
    "split_codes_no_repeated_header": dict(split_codes=True, repeat_header_on_continuation=False, rows_per_page=12),
    "yuan_with_thousands_separators": dict(unit="元", split_codes=True, rows_per_page=20),
    "wrapped_names_short_pages": dict(wrap_long_names=6, rows_per_page=7, repeat_header_on_continuation=False),
    # Word 2010: no line objects, every cell border a thin filled rectangle
    "word2010_thin_rect_rules": dict(rule_style="thin_rects", split_codes=True, rows_per_page=20),
    # WPS: borders joined into long line segments across the table, broken only at merged cells
    "wps_long_line_segments": dict(rule_style="long_segments", repeat_header_on_continuation=False, rows_per_page=16),
    # word-processor tables without left and right outer borders
    "thin_rects_open_sides": dict(rule_style="thin_rects", open_sides=True, split_codes=True, rows_per_page=15),
    # columns ruled, body rows not: pdfplumber sees one tall row per page
    "column_rules_only": dict(body_row_rules=False, split_codes=True, rows_per_page=14, wrap_long_names=8),
    # a spreadsheet printed without borders: only the alignment of the text is left
    "no_rules_wrapped_names_yuan": dict(
        rule_style="none", unit="元", wrap_long_names=6, rows_per_page=14, repeat_header_on_continuation=False
    ),
    # landscape tables on portrait paper, content turned and the page shown turned back (/Rotate 90)
    "rotated_landscape_pages": dict(rotated_landscape=True, split_codes=True, rows_per_page=15),
    "rotated_landscape_no_rules": dict(
        rotated_landscape=True, rule_style="none", rows_per_page=15, repeat_header_on_continuation=False
    ),
    # a spreadsheet too wide for the paper, printed in column parts down then over, with the code and
    # name columns repeated on each part (print titles) or only on the first
    "column_parts_repeated_labels": dict(amount_columns_per_page=3, split_codes=True, rows_per_page=12),
    "column_parts_amounts_only": dict(amount_columns_per_page=2, repeat_row_labels=False, rule_style="thin_rects"),
    # the same without any rules (only the height of each printed row ties the parts together), and
    # with the title printed above every part, as a spreadsheet prints its title rows
    "column_parts_no_rules": dict(amount_columns_per_page=3, rule_style="none", split_codes=True, rows_per_page=12),
    "column_parts_titled_economic_cut_in_groups": dict(
        amount_columns_per_page=3,
        economic_columns_per_page=4,
        title_on_every_part=True,
        rule_style="long_segments",
        split_codes=True,
        rows_per_page=14,
    ),
    # the other page order: the first rows' page of every part, then the next rows' pages
    "column_parts_over_then_down": dict(
        amount_columns_per_page=3, over_then_down=True, split_codes=True, rows_per_page=10, rule_style="thin_rects"
    ),
    # the economic table (three groups of code | name | amount) in column parts, a group per part
    "economic_table_in_column_parts": dict(economic_columns_per_page=3, rule_style="thin_rects"),
    # the same without rules, a group per part and cut inside the groups (a part of amounts alone,
    # its header centred far from them; a total row whose label and amount fall in different parts)
    "economic_table_in_column_parts_no_rules": dict(economic_columns_per_page=3, rule_style="none"),
    "economic_table_cut_in_groups_no_rules": dict(economic_columns_per_page=4, rule_style="none"),
    # landscape content drawn turned on portrait pages without /Rotate: only the text matrix is turned
    "rotated_content_without_rotate": dict(rotated_landscape="without_rotate", split_codes=True, rows_per_page=15),
    # rules that give a wrong grid: the rule between two amount columns left out, ledger lines at the
    # decimal point; the tables must be read again from the alignment of their text
    "misleading_missing_column_rule": dict(misleading_rules="missing_column_rule", rows_per_page=16),
    # continuation pages print （续表） and a header that differs a little from the first page's
    "varied_continuation_header": dict(varied_continuation_header=True, split_codes=True, rows_per_page=12),
    "varied_continuation_header_no_rules": dict(varied_continuation_header=True, rule_style="none", rows_per_page=10),
    "misleading_ledger_lines": dict(misleading_rules="ledger_lines", split_codes=True, rule_style="long_segments"),
}


def _compare(parsed, document):
    expected_rows = expected_amounts(document)
    keyed = [r for r in expected_rows if key_of_expected(r)[1] is not None]
    unkeyed = [r for r in expected_rows if key_of_expected(r)[1] is None]
    expected = Counter(key_of_expected(r) for r in keyed)
    got = Counter(key_of_record(a) for a in parsed.amounts if a.value_state == "value")
    return expected, got, unkeyed


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("document_key", sorted(DOCUMENTS))
def test_every_amount_comes_back_with_code_measure_and_value(tmp_path, document_key, variant):
    document = DOCUMENTS[document_key]
    path = tmp_path / f"{document_key}.pdf"
    render_document(document, path, **VARIANTS[variant])

    parsed = parse_document(path)

    assert parsed.status == "loaded"
    assert parsed.doc_type == document.doc_type
    assert parsed.fiscal_year == document.year
    assert parsed.entity_name.replace("(", "（").replace(")", "）") == document.entity
    expected, got, unkeyed = _compare(parsed, document)
    assert expected - got == Counter(), "amounts dropped or mislabelled"
    assert got - expected == Counter(), "amounts invented or mislabelled"
    unlabelled_reports = [i for i in parsed.issues if i.issue == "unknown_row_label"]
    assert len(unlabelled_reports) >= len({(r["table"], r["row_number"]) for r in unkeyed})


def test_yuan_documents_are_stored_in_wanyuan(tmp_path):
    document = DOCUMENTS["quanzhou_licheng_gongxin_2020"]
    path = tmp_path / "yuan.pdf"
    render_document(document, path, unit="元")

    parsed = parse_document(path)

    totals = [
        a
        for a in parsed.amounts
        if a.table_kind == "fa_expenditure" and a.line_item == "total" and a.expenditure_type == "total"
    ]
    assert [a.raw_text for a in totals] == ["8,421,400.00"]
    assert [str(a.amount) for a in totals] == ["842.140000"]
    assert {a.printed_unit for a in parsed.amounts} == {"元"}


def test_template_without_amounts_loads_every_table_and_no_amount(tmp_path):
    document = DOCUMENTS["fuzhou_gongxin_benji_2024"]
    path = tmp_path / "template.pdf"
    render_document(document, path, template=True)

    parsed = parse_document(path)

    assert parsed.status == "loaded"
    assert len(parsed.tables) == 9
    assert [a for a in parsed.amounts if a.value_state == "value"] == []


def test_every_amount_keeps_its_provenance(tmp_path):
    document = DOCUMENTS["fuzhou_gongxin_benji_2024"]
    path = tmp_path / "provenance.pdf"
    rendered = render_document(document, path, split_codes=True, rows_per_page=12, repeat_header_on_continuation=False)

    parsed = parse_document(path)

    tables = {t.table_id: t for t in parsed.tables}
    for amount in parsed.amounts:
        first, last = rendered.table_pages[tables[amount.table_id].table_number]
        assert first <= amount.source_page <= last
        assert amount.bbox and amount.source_row >= 1 and amount.source_column >= 1 and amount.raw_text


def test_column_parts_keep_the_page_each_amount_was_printed_on(tmp_path):
    document = DOCUMENTS["quanzhou_licheng_gongxin_2020"]
    path = tmp_path / "parts.pdf"
    rendered = render_document(document, path, amount_columns_per_page=3, repeat_row_labels=False)

    parsed = parse_document(path)

    first_part_pages = set(rendered.row_pages["公开02表"])
    income = [a for a in parsed.amounts if a.table_kind == "fa_income" and a.value_state == "value"]
    later = [a for a in income if a.income_source == "other"]  # 02's last column: the last part
    assert later and all(a.source_page not in first_part_pages for a in later)
    assert all(a.source_page in first_part_pages for a in income if a.income_source == "total")
    last = rendered.table_pages["公开02表"][1]
    assert all(a.source_page <= last for a in income)


@pytest.mark.parametrize("misleading", ["missing_column_rule", "ledger_lines"])
def test_a_ruled_grid_that_does_not_add_up_is_read_again_from_text_alignment(tmp_path, misleading):
    document = DOCUMENTS["fuzhou_gongxin_benji_2024"]
    path = tmp_path / "misleading.pdf"
    render_document(document, path, misleading_rules=misleading)

    parsed = parse_document(path)

    code_tables = {"fa_income", "fa_expenditure", "fa_general_budget_expenditure"}
    retried = {t.table_id for t in parsed.tables if t.table_kind in code_tables}
    reported = {i.table_id for i in parsed.issues if i.issue == "strategy_retry" and "instead" in i.message}
    assert retried <= reported
    assert {a.extraction_method for a in parsed.amounts if a.table_kind in code_tables} == {"pdf_aligned"}
    assert {a.extraction_method for a in parsed.amounts if a.table_kind in ("fa_summary", "fa_three_public")} == {
        "pdf_ruled"
    }


def test_a_ruled_grid_that_adds_up_is_not_read_again(tmp_path):
    path = tmp_path / "plain.pdf"
    render_document(DOCUMENTS["fuzhou_gongxin_benji_2024"], path, split_codes=True)

    parsed = parse_document(path)

    assert not [i for i in parsed.issues if i.issue == "strategy_retry"]
    assert {a.extraction_method for a in parsed.amounts} == {"pdf_ruled"}
