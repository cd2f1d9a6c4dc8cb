"""Text normalisation, amounts, codes and HTML tables: the pieces every reader and table shares."""

from __future__ import annotations

from decimal import Decimal

import pdfplumber
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from pipelines.basics.amounts import parse_amount, to_wanyuan
from pipelines.basics.text import clean_label, normalise
from pipelines.normalise import NORMALISERS
from pipelines.normalise.codes import function_class_of, function_code_from
from pipelines.normalise.records import TableContext
from pipelines.read.model import Page, RawDocument, TextLine
from pipelines.read.pdf.document import without_duplicate_chars
from pipelines.read.pdf.rules import open_sides
from pipelines.read.text_export import blocks_of, html_table_grid
from pipelines.recognise.headers import read_body
from pipelines.recognise.tables import find_tables, split_caption, title_of


def test_kangxi_radicals_full_width_and_radical_supplement_are_folded():
    assert normalise("⼀般公共预算财政拨款⽀出") == "一般公共预算财政拨款支出"
    assert normalise("２０２４年度") == "2024年度"
    assert normalise("部⻔决算") == "部门决算"


def test_labels_join_wrapped_fragments_and_justified_spacing():
    assert clean_label("因 公 出 国 ( 境 ) 费\n用") == "因公出国(境)费用"
    assert clean_label("机关事业单位基本养老保险\n缴费支出") == "机关事业单位基本养老保险缴费支出"
    assert clean_label("IT  Service 运维") == "IT Service 运维"


@pytest.mark.parametrize(
    "text, state, value",
    [
        ("7,096,600.00", "value", Decimal("7096600.00")),
        ("0.00", "value", Decimal("0.00")),
        ("(12.50)", "value", Decimal("-12.50")),
        ("－3.20", "value", Decimal("-3.20")),
        ("１２３．４５", "value", Decimal("123.45")),
        ("", "blank", None),
        ("无", "placeholder", None),
        ("—", "placeholder", None),
        ("-", "placeholder", None),
        ("12.3.4", "unparseable", None),
        ("合计", "unparseable", None),
    ],
)
def test_amounts_keep_blank_placeholder_and_value_apart(text, state, value):
    parsed = parse_amount(text)
    assert (parsed.state, parsed.value) == (state, value)


def test_yuan_converts_exactly_to_wanyuan():
    assert to_wanyuan(Decimal("7096600.01"), "元") == Decimal("709.660001")
    assert to_wanyuan(Decimal("709.66"), "万元") == Decimal("709.660000")


def test_split_code_columns_combine():
    assert function_code_from(["201", "06", "01"]) == "2010601"
    assert function_code_from(["201", "06"]) == "20106"
    assert function_code_from(["2010601"]) == "2010601"
    assert function_code_from(["201", "", ""]) == "201"
    assert function_code_from(["12.50"]) is None


def test_class_names_map_to_codes_including_printed_variants():
    assert function_class_of("十四、资源勘探工业信息等支出") == ("215", False)
    assert function_class_of("十四、资源勘探信息等支出") == ("215", False)
    code, approximate = function_class_of("二十六、抗议特别国债安排的支出")
    assert (code, approximate) == ("234", True)


def test_most_specific_title_wins():
    assert title_of("一般公共预算财政拨款支出决算表").kind == "fa_general_budget_expenditure"
    assert title_of("支出决算表").kind == "fa_expenditure"
    assert title_of("财政拨款收入支出决算总表").kind == "fa_fiscal_summary"
    assert title_of("收入支出决算总表").kind == "fa_summary"
    assert title_of("财政拨款“三公”经费支出决算表").kind == "fa_three_public"
    assert title_of("一、收入支出决算总表 .....\t11") is None
    assert title_of("二、一般公共预算财政拨款支出决算情况说明") is None


def test_html_table_spans_are_placed_and_covered_cells_point_at_their_owner():
    grid = html_table_grid(
        "<table><tr><th colspan='3'>项目</th><th rowspan='2'>合计</th></tr>"
        "<tr><td>类</td><td>款</td><td>项</td></tr>"
        "<tr><td>201</td><td>06</td><td>01</td><td>1.00</td></tr></table>"
    )
    assert [[c.text for c in row] for row in grid.rows] == [
        ["项目", "", "", "合计"],
        ["类", "款", "项", ""],
        ["201", "06", "01", "1.00"],
    ]
    assert grid.rows[0][1].covered_by == (0, 0)
    assert grid.rows[1][3].covered_by == (0, 3)


def test_text_exports_split_into_lines_and_tab_grids_with_markup_removed():
    blocks = blocks_of("## 收入决算表\n\n**单位：万元**\n项目\t合计\n<b>合计</b>\t1.00\n\n注：说明")
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["TextLine", "TextLine", "Grid", "TextLine"]
    assert blocks[0].text == "收入决算表"
    assert [[c.text for c in row] for row in blocks[2].rows] == [["项目", "合计"], ["合计", "1.00"]]


def test_caption_rows_drawn_inside_the_rules_are_read_as_lines():
    grid = html_table_grid(
        "<table><tr><td colspan='3'>收入决算表</td></tr><tr><td colspan='3'>公开02表</td></tr>"
        "<tr><td>单位：某局</td><td>2024年度</td><td>单位：万元</td></tr>"
        "<tr><td rowspan='2'>项目</td><td colspan='2'>本年收入</td></tr>"
        "<tr><td>合计</td><td>其他收入</td></tr>"
        "<tr><td>201</td><td>1.00</td><td>0.00</td></tr></table>"
    )
    captions, rest = split_caption(grid)
    assert captions == ["收入决算表", "公开02表", "单位：某局 2024年度 单位：万元"]
    assert [[c.text for c in row] for row in rest.rows] == [
        ["项目", "本年收入", ""],
        ["", "合计", "其他收入"],
        ["201", "1.00", "0.00"],
    ]
    assert rest.rows[0][2].covered_by == (0, 1) and rest.rows[1][0].covered_by == (0, 0)
    assert split_caption(rest) == ([], rest)


def test_tables_open_on_the_left_and_right_get_their_outer_rules():
    def h(top, x0, x1):
        return {"orientation": "h", "top": top, "bottom": top, "x0": x0, "x1": x1}

    def v(x, top, bottom):
        return {"orientation": "v", "top": top, "bottom": bottom, "x0": x, "x1": x}

    rows = [h(top, x0, x0 + 100) for top in (100, 120, 140, 160) for x0 in (40, 140, 240)]
    inner = [v(140, 100, 160), v(240, 100, 160)]
    sides = open_sides(rows + inner)
    assert [(s["x0"], s["top"], s["bottom"]) for s in sides] == [(40, 100, 160), (340, 100, 160)]
    assert open_sides(rows + inner + [v(40, 100, 160), v(340, 100, 160)]) == []
    assert open_sides(rows) == []  # rows ruled, no columns: not a grid to close


def test_a_row_cut_by_a_page_break_is_finished_by_the_next_page():
    header = "<tr><td colspan='2'>收入</td><td colspan='2'>支出</td></tr><tr><td>项目</td><td>金额</td><td>项目</td><td>合计</td></tr>"
    first = html_table_grid(
        f"<table>{header}<tr><td>一、一般公共预算</td><td>9.00</td><td>一、一般公共服务支出</td><td>9.00</td></tr>"
        "<tr><td>二、政府性基金</td><td>1.00</td><td>本年支出合计</td><td>9.00</td></tr></table>"
    )
    rest = html_table_grid(
        f"<table>{header}<tr><td>预算</td><td></td><td></td><td></td></tr>"
        "<tr><td>年初结转和结余</td><td></td><td>年末结转和结余</td><td></td></tr></table>"
    )
    document = RawDocument("pdf", [Page(1, [TextLine("财政拨款收入支出决算总表"), first]), Page(2, [rest])], 2)
    [table] = find_tables(document)
    context = TableContext(1, table.kind, "公开04表", "万元")
    records = NORMALISERS[table.layout.shape](table.layout, read_body(table), context)
    income = {(r.row_label, r.income_source): r.raw_text for r in records if r.fact_kind == "income"}
    assert income == {
        ("一、一般公共预算", "general_public_budget"): "9.00",
        ("二、政府性基金预算", "government_fund"): "1.00",
    }
    assert not [i for i in context.issues if i.issue == "unknown_row_label"]


def test_glyphs_drawn_twice_are_read_once(tmp_path):
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "fake_bold.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 12)
    for offset in (0, 0.3):  # fake bold: the same text drawn twice, shifted
        pdf.drawString(100 + offset, 700, "支出决算表 12.50")
    pdf.drawString(100, 650, "合计 12.50")
    pdf.save()
    with pdfplumber.open(path) as document:
        page = without_duplicate_chars(document.pages[0])
        assert page.extract_text().splitlines() == ["支出决算表 12.50", "合计 12.50"]
