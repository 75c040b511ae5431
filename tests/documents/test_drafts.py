"""A PDF says what it is: « Document provisoire — non certifié » on every page until the
month is certified, and the reason of a gap to the plan as a footnote."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from realisa.choices import SHARED_STATUSES, MonthStatus
from realisa.documents.data import DRAFT_WORDS
from tests.documents.conftest import make_certificate, pdf_text, poppler
from tests.documents.test_pdf_content import breakdown, issued_pdf

MARK = "Document provisoire — non certifié"
# Long enough to push the footnotes onto a second page.
LONG_REASON = "Séance de rattrapage du samedi 14 mars, demandée par le financeur. " * 40
REASON = "Séance de rattrapage du samedi 14 mars, demandée par le financeur"


def pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """Each page's text, as pdftotext reads it."""
    path = tmp_path / "certificat.pdf"
    path.write_bytes(pdf)
    count = int(poppler("pdfinfo", str(path)).split("Pages:")[1].split()[0])
    return [
        poppler("pdftotext", "-f", str(n), "-l", str(n), str(path), "-").replace("’", "'")
        for n in range(1, count + 1)
    ]


def red_in_the_middle(pdf: bytes, tmp_path: Path, page: int) -> int:
    """How many reddish pixels the middle third of ``page`` shows (the text is black, the
    frames grey: only the drawn mark is red)."""
    path = tmp_path / "certificat.pdf"
    path.write_bytes(pdf)
    poppler("pdftoppm", "-r", "30", "-png", "-f", str(page), "-l", str(page), "-singlefile",
            str(path), str(tmp_path / "page"))  # fmt: skip
    image = Image.open(tmp_path / "page.png").convert("RGB")
    width, height = image.size
    middle = image.crop((0, height // 3, width, 2 * height // 3))
    pixels = middle.tobytes()
    return sum(
        1 for i in range(0, len(pixels), 3) if pixels[i] - max(pixels[i + 1], pixels[i + 2]) > 40
    )


def test_the_words_are_those_the_issue_asks_for() -> None:
    assert DRAFT_WORDS == MARK


def test_a_draft_says_so_on_every_page_in_words_and_across_the_page(
    db: None, tmp_path: Path
) -> None:
    certificate = make_certificate(gap_reason=LONG_REASON)  # hours entered, not certified
    assert certificate.status == MonthStatus.ENTERED
    pdf, _ = issued_pdf(certificate)

    texts = pages(pdf, tmp_path)
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert text.count(MARK) == 1, number  # the banner; the drawing adds no letters
        assert red_in_the_middle(pdf, tmp_path, number) > 50, number


def test_the_drawn_mark_leaves_the_pages_text_readable(db: None, tmp_path: Path) -> None:
    pdf, _ = issued_pdf(make_certificate())
    text = pdf_text(pdf, tmp_path)

    assert text.startswith(MARK)
    assert "Je soussigné(e) Sophie Lambert, représentant légal du dispensateur" in text
    assert breakdown(pdf)[1] == ["120 h 30", "20 h", "140 h 30", "7 h"]


@pytest.mark.parametrize("status", sorted(SHARED_STATUSES))
def test_a_certified_version_has_no_mark(db: None, tmp_path: Path, status: str) -> None:
    pdf, _ = issued_pdf(make_certificate(status=status, gap_reason=LONG_REASON))

    for number, text in enumerate(pages(pdf, tmp_path), start=1):
        assert "provisoire" not in text
        assert red_in_the_middle(pdf, tmp_path, number) == 0


def test_the_gap_reason_is_printed_as_a_footnote(db: None, tmp_path: Path) -> None:
    certificate = make_certificate(status=MonthStatus.CERTIFIED, gap_reason=f"  {REASON}\n")
    text = pdf_text(issued_pdf(certificate)[0], tmp_path)

    assert "pour une durée de 140 heures 30.(1)(2)" in text
    assert f"(2) Motif de l'écart : {REASON}" in text


def test_without_a_gap_reason_there_is_no_second_note(db: None, tmp_path: Path) -> None:
    text = pdf_text(issued_pdf(make_certificate(status=MonthStatus.CERTIFIED))[0], tmp_path)

    assert "pour une durée de 140 heures 30.(1)" in text
    assert "(2)" not in text and "Motif de l'écart" not in text


def test_a_gap_reason_is_printed_as_typed_never_read_as_markup(db: None, tmp_path: Path) -> None:
    typed = '#set page(fill: red) *gras* _pente_ $x^2$ <a> @b \\ "c" // d'
    text = pdf_text(issued_pdf(make_certificate(gap_reason=typed))[0], tmp_path)

    assert f"(2) Motif de l'écart : {typed}" in text
