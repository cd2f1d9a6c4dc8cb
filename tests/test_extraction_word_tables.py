"""Word-processor tables without column rules, against the figures that drew them.

The layout traps of tests/fixtures/render_word_tables.py: names wrapped over three lines with the
row's code and amounts centred beside the middle one, header characters set one by one, rows
broken across pages, and (with rules between rows only) amounts touching the next column's names. Every amount must come back with its code (and unit), measure and value.
"""

from __future__ import annotations

from collections import Counter

import pytest

from pipelines.parse import parse_document
from tests.extraction_keys import key_of_expected, key_of_record
from tests.fixtures.budget_data_jinjiang_2019 import DOCUMENT as JINJIANG_2019
from tests.fixtures.budget_model import BUDGET_KEYS, expected_budget_amounts
from tests.fixtures.final_account_figures import DOCUMENTS, expected_amounts
from tests.fixtures.render_word_tables import Style, render_word_tables


def _final_account_amounts(document, parsed) -> tuple[Counter, Counter]:
    expected = Counter(k for k in map(key_of_expected, expected_amounts(document)) if k[1] is not None)
    return expected, Counter(key_of_record(a) for a in parsed.amounts if a.value_state == "value")


def _budget_amounts(document, parsed) -> tuple[Counter, Counter]:
    expected = Counter(
        tuple(r.get(k) for k in BUDGET_KEYS) + (r["amount"].normalize(),) for r in expected_budget_amounts(document)
    )
    landed = Counter(
        tuple(getattr(a, k) for k in BUDGET_KEYS) + (a.amount.normalize(),)
        for a in parsed.amounts
        if a.value_state == "value"
    )
    return expected, landed


CASES = {
    **{key: (document, _final_account_amounts) for key, document in DOCUMENTS.items()},
    "jinjiang_gongxin_2019": (JINJIANG_2019, _budget_amounts),
}


STYLES = {
    "no_rules": Style(),
    # rules between rows only, and amounts against the right edge of their cells, touching the next column's names
    "row_rules_flush_amounts": Style(flush_amounts=True, rules=True),
}


# None: each page as full as it goes; 23 lines a page: more page breaks, rows broken across them
@pytest.mark.parametrize("lines_per_page", [None, 23])
@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("document_key", sorted(CASES))
def test_word_processor_tables_without_column_rules_give_every_amount(tmp_path, document_key, style, lines_per_page):
    document, amounts = CASES[document_key]
    pdf = tmp_path / f"{document_key}.pdf"
    render_word_tables(document, pdf, name_chars=6, lines_per_page=lines_per_page, style=STYLES[style])
    parsed = parse_document(pdf)
    assert parsed.status == "loaded", parsed.rejection_reason
    expected, landed = amounts(document, parsed)
    missing, invented = expected - landed, landed - expected
    assert not missing and not invented, (
        f"missing {sum(missing.values())}: {sorted(missing, key=str)[:6]}\n"
        f"invented {sum(invented.values())}: {sorted(invented, key=str)[:6]}"
    )


def test_the_fixture_breaks_rows_and_wraps_names_over_three_lines(tmp_path):
    """The traps are in the PDFs the test above reads."""
    for lines_per_page in (None, 23):
        drawn = render_word_tables(JINJIANG_2019, tmp_path / f"{lines_per_page}.pdf", lines_per_page=lines_per_page)
        assert drawn.rows_of_three_lines > 10
        assert drawn.rows_broken > 0
