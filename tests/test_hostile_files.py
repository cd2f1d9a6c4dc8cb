"""What the raw folder does while a refresh reads it: names that are not UTF-8, links out of it,
files replaced, removed or vanishing between hashing and parsing, memory running out in pdfminer.

Each test reproduces the defect on real sample PDFs (raw/) through landing (`ingest`) or the parse."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from pdfplumber.utils.exceptions import PdfminerException
from reportlab.lib.pdfencrypt import StandardEncryption

from pipelines import parse
from pipelines.land import cache, ingest
from pipelines.land.ingest import discover_documents
from pipelines.land.limits import ParseLimits
from pipelines.parse import parse_document
from pipelines.parsed_document import FILE_CHANGED, sha256_of
from pipelines.read.text_export import decoded_export
from tests.fixtures.hostile_folder import no_pages_pdf, notice_pdf

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "raw"
BUDGET = RAW / "jinjiang_gongxin_2019_department_budget.pdf"
FINAL_ACCOUNT = RAW / "quanzhou_licheng_gongxin_2020_department_final_account.pdf"
NO_LIMITS = ParseLimits(None, None)


def landed(db: Path) -> dict[str, tuple]:
    with duckdb.connect(str(db), read_only=True) as connection:
        rows = connection.execute(
            """SELECT f.source_file, d.status, d.rejection_reason, d.document_id,
                      (SELECT count(*) FROM landing.amounts a WHERE a.document_id = d.document_id)
               FROM landing.document_files f JOIN landing.documents d USING (document_id)"""
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def run(raw: Path, tmp_path: Path, **options) -> ingest.IngestReport:
    return ingest.ingest(
        raw, tmp_path / "warehouse.duckdb", tmp_path / "parsed", workers=1, limits=NO_LIMITS, **options
    )


def test_a_name_that_is_not_utf8_lands_under_a_readable_name_and_the_others_land(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    gbk_name = "晋江市2019年部门预算.pdf".encode("gbk")
    shutil.copyfile(BUDGET, os.path.join(os.fsencode(raw), gbk_name))
    shutil.copyfile(FINAL_ACCOUNT, raw / FINAL_ACCOUNT.name)
    shutil.copyfile(FINAL_ACCOUNT, os.path.join(os.fsencode(raw), b"copy-\xff.pdf"))  # no encoding at all

    run(raw, tmp_path)

    documents = landed(tmp_path / "warehouse.duckdb")
    assert set(documents) == {"晋江市2019年部门预算.pdf", FINAL_ACCOUNT.name, "copy-\\xff.pdf"}
    assert documents["晋江市2019年部门预算.pdf"][:2] == ("loaded", None)
    assert documents["晋江市2019年部门预算.pdf"][3] == len(parse_document(BUDGET).amounts) > 0
    assert documents["copy-\\xff.pdf"][2] == documents[FINAL_ACCOUNT.name][2] == sha256_of(FINAL_ACCOUNT)


def test_links_that_leave_the_raw_folder_are_not_followed(tmp_path, caplog):
    raw, outside = tmp_path / "raw", tmp_path / "elsewhere"
    raw.mkdir()
    outside.mkdir()
    shutil.copyfile(BUDGET, outside / "budget.pdf")
    (outside / "notice.html").write_text("<p>2024年度部门决算</p>", encoding="utf-8")
    shutil.copyfile(FINAL_ACCOUNT, raw / FINAL_ACCOUNT.name)
    (raw / "passwd.pdf").symlink_to("/etc/passwd")
    (raw / "budget.pdf").symlink_to(outside / "budget.pdf")
    (raw / "notice.html").symlink_to(outside / "notice.html")
    (raw / "inside.pdf").symlink_to(raw / FINAL_ACCOUNT.name)  # a link inside the folder is read

    assert [f.relative_path for f in discover_documents(raw)] == ["inside.pdf", FINAL_ACCOUNT.name]
    for name in ("passwd.pdf", "budget.pdf", "notice.html"):
        assert any(name in r.message and "outside the raw folder" in r.message for r in caplog.records), name


def test_a_file_that_vanishes_while_the_folder_is_hashed_is_skipped(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(BUDGET, raw / "a_budget.pdf")
    shutil.copyfile(FINAL_ACCOUNT, raw / "b_final_account.pdf")
    real_sha256_of = ingest.sha256_of

    def removed_just_before(path: Path) -> str:
        if path.name == "a_budget.pdf":
            path.unlink()
        return real_sha256_of(path)

    monkeypatch.setattr(ingest, "sha256_of", removed_just_before)
    report = run(raw, tmp_path)

    assert [(d.source_file, d.status) for d in report.documents] == [("b_final_account.pdf", "loaded")]


def test_a_file_replaced_after_it_was_hashed_never_lands_the_other_bytes_under_its_id(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    document = raw / "final_account.pdf"
    shutil.copyfile(FINAL_ACCOUNT, document)
    listed = discover_documents(raw)  # hashed as the final account …
    shutil.copyfile(BUDGET, document)  # … then replaced before its parse
    monkeypatch.setattr(ingest, "discover_documents", lambda _raw: listed)

    run(raw, tmp_path)

    status, reason, document_id, amounts = landed(tmp_path / "warehouse.duckdb")["final_account.pdf"]
    assert (status, document_id, amounts) == ("rejected", sha256_of(FINAL_ACCOUNT), 0)
    assert reason.startswith(FILE_CHANGED)
    assert not cache.is_cached(tmp_path / "parsed", sha256_of(FINAL_ACCOUNT))

    # the original bytes back: the same document id is parsed again, not left rejected
    shutil.copyfile(FINAL_ACCOUNT, document)
    monkeypatch.undo()
    run(raw, tmp_path)
    status, reason, document_id, amounts = landed(tmp_path / "warehouse.duckdb")["final_account.pdf"]
    assert (status, reason, document_id) == ("loaded", None, sha256_of(FINAL_ACCOUNT))
    assert amounts == len(parse_document(FINAL_ACCOUNT).amounts) > 0


def test_a_file_removed_before_its_parse_says_so(tmp_path):
    gone = tmp_path / "gone.pdf"
    shutil.copyfile(FINAL_ACCOUNT, gone)
    document_id = sha256_of(gone)
    gone.unlink()

    parsed = parse_document(gone, document_id)

    assert (parsed.status, parsed.document_id) == ("rejected", document_id)
    assert parsed.rejection_reason.startswith(FILE_CHANGED) and "No such file" in parsed.rejection_reason


def test_memory_running_out_inside_pdfminer_is_reported_as_memory(monkeypatch):
    def exhausted(*_args, **_kwargs):
        try:
            raise MemoryError
        except MemoryError as error:
            raise PdfminerException(error) from error

    monkeypatch.setattr(parse, "read_document", exhausted)
    parsed = parse_document(FINAL_ACCOUNT)

    # the worker recognises this reason as its memory limit (pipelines/land/workers.py)
    assert parsed.rejection_reason.startswith("extraction failed: MemoryError")


@pytest.mark.parametrize("name", ["晋江市2019年部门预算.pdf", "plain.pdf"])
def test_readable_path_keeps_utf8_names_as_they_are(name):
    assert ingest.readable_path(Path("folder") / name) == f"folder/{name}"


def test_an_empty_raw_folder_does_not_empty_the_warehouse_unless_asked(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(FINAL_ACCOUNT, raw / FINAL_ACCOUNT.name)
    run(raw, tmp_path)
    (raw / FINAL_ACCOUNT.name).unlink()  # an unmounted share looks like this

    with pytest.raises(ingest.WouldEmptyWarehouse, match="FISCAL_ALLOW_EMPTY_RAW"):
        run(raw, tmp_path)
    assert set(landed(tmp_path / "warehouse.duckdb")) == {FINAL_ACCOUNT.name}

    report = run(raw, tmp_path, allow_emptying=True)
    assert report.removed_document_ids == [sha256_of(FINAL_ACCOUNT)]
    assert landed(tmp_path / "warehouse.duckdb") == {}


def test_a_parse_worker_dies_with_the_process_that_started_it(tmp_path):
    """kill -9 of a refresh must not leave a busy parse worker running past its limits."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import sys, time\n"
        "from pathlib import Path\n"
        "from pipelines.land.limits import ParseLimits\n"
        "import pipelines.land.workers as workers\n"
        "if __name__ == '__main__':\n"
        "    context = workers.multiprocessing.get_context('spawn')\n"
        "    worker = workers._start(context, ParseLimits(None, None))\n"
        "    worker.connection.poll(60)\n"
        "    workers._await_ready(worker)\n"
        "    worker.connection.send(('0' * 64, Path(sys.argv[1])))\n"  # busy: reading a pipe nobody writes
        "    print(worker.process.pid, flush=True)\n"
        "    time.sleep(60)\n",
        encoding="utf-8",
    )
    never_written = tmp_path / "never_written.pdf"
    os.mkfifo(never_written)
    parent = subprocess.Popen(
        [sys.executable, str(script), str(never_written)], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    worker_pid = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    for _ in range(100):
        if not _alive(worker_pid):
            break
        time.sleep(0.05)
    assert not _alive(worker_pid)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_rejection_reason_depends_on_the_document_alone(tmp_path):
    """pdfium reports the error code an earlier document left when it fails to open one without setting
    its own: a PDF without pages, read after an encrypted one, was called encrypted."""
    encrypted, no_pages = tmp_path / "encrypted.pdf", tmp_path / "no_pages.pdf"
    encrypted.write_bytes(notice_pdf(StandardEncryption("secret", ownerPassword="owner")))
    no_pages.write_bytes(no_pages_pdf())
    alone = parse_document(no_pages).rejection_reason
    assert parse_document(encrypted).rejection_reason == "encrypted PDF: it cannot be opened without its password"
    assert parse_document(no_pages).rejection_reason == alone == "document has no pages"


@pytest.mark.parametrize(
    "encoded",
    [
        "一般公共预算财政拨款支出决算表".encode("gb18030"),
        "一般公共预算财政拨款支出决算表".encode("utf-16"),
        "一般公共预算财政拨款支出决算表".encode("utf-8-sig"),
        '<meta charset="gbk"><p>一般公共预算财政拨款支出决算表</p>'.encode("gbk"),
    ],
)
def test_a_text_export_is_read_in_the_encoding_it_was_saved_in(encoded):
    assert "一般公共预算财政拨款支出决算表" in decoded_export(encoded)


# Made from raw/quanzhou_licheng_gongxin_2020_department_final_account.pdf with pikepdf: encrypted
# with AES-256 (R6) under an owner password and an empty user password, copying not allowed — the way
# many publishers protect their PDFs. No password is needed to open it.
OWNER_PASSWORD_ONLY = REPO / "tests" / "fixtures" / "encrypted" / "quanzhou_2020_owner_password_aes256.pdf"


def test_a_pdf_protected_by_an_owner_password_only_reads_as_the_original():
    protected, original = parse_document(OWNER_PASSWORD_ONLY), parse_document(FINAL_ACCOUNT)
    assert protected.status == "loaded" and protected.document_id != original.document_id
    assert (protected.doc_type, protected.fiscal_year, protected.entity_name) == (
        original.doc_type,
        original.fiscal_year,
        original.entity_name,
    )
    assert [(a.table_kind, a.source_row, a.source_column, a.amount) for a in protected.amounts] == [
        (a.table_kind, a.source_row, a.source_column, a.amount) for a in original.amounts
    ]


def test_a_page_tree_the_two_readers_count_differently_is_a_damaged_pdf(tmp_path):
    """One bit flipped in the budget's page tree: pdfium counts 11 pages, pdfminer 10. It used to fail as
    `extraction failed: IndexError`; it is a damaged PDF, and says so."""
    mutated = bytearray(BUDGET.read_bytes())
    rng = random.Random(15)  # the hostile folder's mutant 15 (tests/fixtures/hostile_folder.py)
    for _ in range(4):
        mutated[rng.randrange(len(mutated))] ^= 1 << rng.randrange(8)
    path = tmp_path / "page_tree_mutant.pdf"
    path.write_bytes(bytes(mutated))
    parsed = parse_document(path)
    assert parsed.status == "rejected"
    assert parsed.rejection_reason.startswith("not a readable PDF: damaged, its page tree gives 11 pages")
