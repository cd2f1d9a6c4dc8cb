"""A table whose title no layout knows is read by what it contains (recognise/content.py).

Each test takes a real seed and gives one of its tables a title of another province's wording, one
that no layout lists; the table must then be read by its codes and header words, with the fund its
title names and the document's own stage, to exactly the amounts its known title gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.parse import parse_document

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

# seed, the title as printed, a title no layout knows, the kind the known title gives
RETITLED = {
    "final account 03": ("001_18c6c01e7d2ff3ee.txt", "支出决算表", "部门支出情况表", "fa_expenditure"),
    "budget 05": (
        "002_7ecefe3468064f3a.txt",
        "一般公共预算拨款支出预算表",
        "一般公共预算安排的支出表",
        "bg_general_budget_expenditure",
    ),
}


def _facts(document, table_kind: str) -> list[tuple]:
    return sorted(
        tuple(
            str(v) for v in (a.function_code, a.line_item, a.expenditure_type, a.fund_source, a.amount_basis, a.amount)
        )
        for a in document.amounts
        if a.table_kind == table_kind
    )


@pytest.mark.parametrize("case", sorted(RETITLED))
def test_a_table_titled_in_words_no_layout_knows_is_read_by_its_content(tmp_path, case):
    seed, printed, unknown, known_kind = RETITLED[case]
    path = SEEDS / seed
    if not path.exists():
        pytest.fail(f"seed missing: {path} (../shared must sit beside the repository)")
    text = path.read_text(encoding="utf-8")
    assert f"、{printed}" in text
    retitled = tmp_path / seed
    retitled.write_text(text.replace(f"、{printed}", f"、{unknown}").replace(f"## {printed}", f"## {unknown}"), "utf-8")

    original, read = parse_document(path), parse_document(retitled)

    [table] = [t for t in read.tables if t.printed_title.endswith(unknown)]
    assert table.table_kind == "expenditure_by_function"
    assert _facts(read, "expenditure_by_function") == _facts(original, known_kind) != []
    assert not [a for a in read.amounts if a.table_kind == known_kind]
    assert any(i.issue == "recognised_by_content" and i.table_id == table.table_id for i in read.issues)


def test_lines_ending_in_biao_that_title_no_coded_table_open_nothing():
    """Short lines ending in 表 that no layout knows occur in real documents (contents entries, part
    headings such as 2019年度部门预算表): in the seeds none of them opens a table."""
    for seed in ("001_18c6c01e7d2ff3ee.txt", "002_7ecefe3468064f3a.txt", "003_2875b1c47b4453f7.txt"):
        document = parse_document(SEEDS / seed)
        assert not [t for t in document.tables if t.table_kind.endswith(("_by_function", "_by_economic_class"))]
