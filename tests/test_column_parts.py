"""Pieces of a table printed side by side (column parts) and pages drawn turned: the small cases
the office suites print that the generated documents do not (tests/test_extraction_generated_pdfs.py
runs the whole pipeline on those)."""

from __future__ import annotations

import pdfplumber
import pypdfium2
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from pipelines.read.model import Cell, Grid
from pipelines.read.pdf.orientation import upright
from pipelines.read.pdf.rules import open_sides
from pipelines.recognise.stitch import stitch_column_parts
from pipelines.recognise.tables import Segment
from tests.fixtures.render_pdf import FONT

ROW = 16.0


def _grid(rows: list[list[str]], tops: list[float], x0: float = 40.0) -> Grid:
    """A ruled grid whose row r spans tops[r]..tops[r + 1] (the last one ROW high)."""
    bottoms = tops[1:] + [tops[-1] + ROW]
    return Grid(
        rows=[
            [Cell(text, bbox=(x0 + 60 * c, top, x0 + 60 * (c + 1), bottom)) for c, text in enumerate(row)]
            for row, top, bottom in zip(rows, tops, bottoms)
        ]
    )


def test_a_part_whose_header_is_ruled_in_two_rows_and_whose_closing_row_is_cut_off_is_joined_by_height():
    first = _grid([["单位编码", "科目编码"], ["", "合计"], ["321001", "2010499"], [""]], [100, 132, 148, 164])
    first.rows[3] = [Cell("人员经费合计", bbox=(40, 164, 160, 180))]
    second = _grid(
        [["总计", "项目支出"], ["", "一般公共预算"], ["8599.56", "7865.00"], ["20.00", "20.00"]], [100, 116, 132, 148]
    )  # header in two rows, the closing row cut off
    joined = stitch_column_parts([Segment(first, 5), Segment(second, 6)])

    assert len(joined) == 1
    rows = [[cell.text for cell in row] for row in joined[0].grid.rows]
    assert rows[0][2:] == ["总计", "项目支出\n一般公共预算"]
    assert rows[1][2:] == ["8599.56", "7865.00"] and rows[2][2:] == ["20.00", "20.00"]
    assert rows[3][0] == "人员经费合计" and rows[3][2:] == ["", ""]
    assert [cell.page for cell in joined[0].grid.rows[1]] == [5, 5, 6, 6]


def test_pieces_continued_downwards_at_other_heights_are_not_joined_side_by_side():
    first = _grid([["科目编码", "金额"], ["201", "1.00"], ["202", "2.00"]], [100, 116, 132])
    below = _grid([["科目编码", "金额"], ["203", "3.00"], ["204", "4.00"]], [60, 76, 92])  # no title: higher up
    segments = [Segment(first, 1), Segment(below, 2)]

    assert stitch_column_parts(segments) == segments


def test_a_row_a_page_cut_left_open_on_one_side_is_ruled_as_far_as_the_other_side():
    def h(top):
        return {"orientation": "h", "top": top, "bottom": top, "x0": 40, "x1": 340}

    def v(x, top, bottom):
        return {"orientation": "v", "top": top, "bottom": bottom, "x0": x, "x1": x}

    rows = [h(top) for top in (100, 120, 140, 160, 180)]
    inner = [v(140, 100, 160), v(240, 100, 160)]
    # the closing row (160..180) is a merged cell that began on the page before: no left rule there
    sides = open_sides(rows + inner + [v(40, 100, 160), v(340, 100, 180)])

    assert [(s["x0"], s["top"], s["bottom"]) for s in sides] == [(40, 100, 180)]


def test_content_drawn_turned_either_way_without_rotate_is_read_upright(tmp_path):
    path = tmp_path / "turned.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    width, height = A4
    for angle in (90, -90):  # drawn turned left (reads upwards), then turned right
        canvas.saveState()
        canvas.translate(width, 0) if angle == 90 else canvas.translate(0, height)
        canvas.rotate(angle)
        canvas.setFont(FONT, 12)
        canvas.drawString(60, 100, "收入决算表 合计 842.14")
        canvas.drawString(60, 80, "一般公共服务支出 419.38")
        canvas.restoreState()
        canvas.showPage()
    canvas.save()

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            shown = upright(page)
            lines = [line["text"] for line in shown.extract_text_lines()]
            assert (shown.width, shown.height) == (page.height, page.width)
            assert lines == ["收入决算表 合计 842.14", "一般公共服务支出 419.38"]


def test_upright_content_on_pages_that_rotate_shows_turned_is_read_upright(tmp_path):
    drawn, turned = tmp_path / "drawn.pdf", tmp_path / "turned.pdf"
    canvas = Canvas(str(drawn), pagesize=A4)
    for _ in range(2):
        canvas.setFont(FONT, 12)
        canvas.drawString(-30, 700, "收入决算表 合计 842.14")  # a title printed past the page edge
        canvas.drawString(60, 680, "一般公共服务支出 419.38")
        canvas.showPage()
    canvas.save()
    document = pypdfium2.PdfDocument(str(drawn))
    for index, rotation in enumerate((90, 270)):  # as a viewer saves pages turned by hand
        document[index].set_rotation(rotation)
    document.save(str(turned))
    document.close()

    with pdfplumber.open(turned) as pdf:
        for page in pdf.pages:
            lines = [line["text"] for line in upright(page).extract_text_lines()]
            assert lines == ["收入决算表 合计 842.14", "一般公共服务支出 419.38"]
