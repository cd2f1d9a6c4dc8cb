"""Text exports as LibreOffice Writer prints them (tests/fixtures/writer_plain_prints.py: the .txt
converted as it is, on A4, on Letter, and with other fonts) read back as the exports themselves:
every amount with all it means, every project, funding line and indicator. The expectation is the
parse of the export (tested against the printed figures in test_extraction_seeds and
test_performance_seeds); nothing here knows how the print looks."""

from __future__ import annotations

from collections import Counter

import pdfplumber
import pytest

from pipelines.parse import parse_document
from tests.extraction_keys import meanings
from tests.fixtures.office_performance_pdfs import _signature
from tests.fixtures.performance_figures import SEED_FILES
from tests.fixtures.writer_plain_prints import EXPECTED_FONTS, PAPER_WIDTH, SEEDS, SETUPS, print_seeds


@pytest.fixture(scope="module", params=list(SETUPS))
def printed(request, tmp_path_factory):
    """(set-up, seed → PDF, seed → (parsed print, parsed export)), parsed when first asked for."""
    setup = request.param
    pdfs = print_seeds(tmp_path_factory.mktemp(f"writer_{setup}"), setup)
    parsed: dict[str, tuple] = {}

    def parse(seed: str):
        if seed not in parsed:
            parsed[seed] = parse_document(pdfs[seed]), parse_document(SEEDS / SEED_FILES[seed])
        return parsed[seed]
    return setup, pdfs, parse


def test_writer_prints_in_the_set_up_asked_for(printed):
    setup, pdfs, _ = printed
    with pdfplumber.open(pdfs["003"]) as pdf:
        assert float(pdf.pages[0].width) == pytest.approx(PAPER_WIDTH[SETUPS[setup]], abs=0.5)
        fonts = {char["fontname"].split("+")[-1] for page in pdf.pages[:3] for char in page.chars}
    assert {font for font in fonts if any(font.startswith(f) for f in EXPECTED_FONTS[setup])}
    assert all(any(font.startswith(f) for f in EXPECTED_FONTS[setup]) for font in fonts), fonts


@pytest.mark.parametrize("seed", ["001", "002", "003"])
def test_every_amount_of_a_writer_print_means_what_it_means_in_the_export(printed, seed):
    _, _, parse = printed
    from_pdf, from_export = parse(seed)
    assert any(issue.issue == "printed_as_plain_text" for issue in from_pdf.issues)
    assert meanings(from_export)
    assert meanings(from_pdf) == meanings(from_export)


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_every_performance_record_of_a_writer_print_is_that_of_the_export(printed, seed):
    _, _, parse = printed
    from_pdf, from_export = parse(seed)
    projects, funding, indicators = _signature(from_export)
    assert indicators
    got_projects, got_funding, got_indicators = _signature(from_pdf)
    assert got_projects == projects
    assert Counter(got_funding) == Counter(funding)
    assert Counter(got_indicators) == Counter(indicators)
