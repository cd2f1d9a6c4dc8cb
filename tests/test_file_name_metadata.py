"""The file's name as the last resort for a document's kind, year and entity (land/file_name_metadata.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.land.file_name_metadata import with_file_name_metadata
from pipelines.parse import parse_document
from pipelines.recognise.metadata import metadata_from_file_name

SEED_001 = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "001_18c6c01e7d2ff3ee.txt"


@pytest.mark.parametrize(
    ("name", "kind", "year", "entity"),
    [
        ("jiangsu-provincial/江苏省委办公厅2017年预算公开表格.pdf", "department_budget", 2017, "江苏省委办公厅"),
        ("江苏省人大办公厅2017年度预算公开.pdf", "department_budget", 2017, "江苏省人大办公厅"),
        ("上海市普陀区财政局2024年度部门决算.pdf", "department_final_account", 2024, "上海市普陀区财政局"),
        ("2017年度部门预算公开表.pdf", "department_budget", 2017, None),  # no body named
        ("notice.pdf", None, None, None),
    ],
)
def test_what_a_file_name_says(name, kind, year, entity):
    named = metadata_from_file_name(name)
    assert (named.doc_type, named.fiscal_year, named.entity_name) == (kind, year, entity)


def test_a_document_that_does_not_name_itself_takes_its_entity_from_its_file_name(tmp_path):
    """Seed 001 with its cover and every 部门： line removed: its tables are read, but nothing it prints
    names the body. Landed under its published file name, it is that body's, and says why."""
    lines = SEED_001.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not any(word in line for word in ("泉州", "鲤城", "信息化局"))]
    anonymous = tmp_path / "anonymous.txt"
    anonymous.write_text("\n".join(kept), encoding="utf-8")
    parsed = parse_document(anonymous)
    assert parsed.status == "loaded" and parsed.entity_name is None and parsed.amounts

    landed = with_file_name_metadata(parsed, ["fujian/泉州市鲤城区工业和信息化局2020年度部门决算.txt"])

    assert landed.entity_name == "泉州市鲤城区工业和信息化局"
    assert (landed.entity_key, landed.region) == ("泉州市鲤城区工业和信息化", "泉州市鲤城区")
    assert landed.amounts == parsed.amounts and parsed.entity_name is None  # the parse itself is unchanged
    assert not [i for i in landed.issues if i.issue == "unknown_entity"]
    [note] = [i for i in landed.issues if i.issue == "metadata_from_file_name"]
    assert "泉州市鲤城区工业和信息化局" in note.message
    assert with_file_name_metadata(parse_document(SEED_001), ["whatever.txt"]).entity_name != "whatever"
