"""Every upload rule, with real bad files: only the content counts, never the name."""

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from realisa.demo.files import logo_png, one_page_pdf
from realisa.lib.uploads import ImageField, PdfField, check_image, check_pdf, check_pdf_or_image
from tests.identity import files

PNG = logo_png("CH", "#1d3a8a")
PDF = one_page_pdf("Extrait KBIS")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("programme.pdf", files.executable(), "Ce fichier n'est pas un PDF."),
        ("protege.pdf", files.encrypted_pdf(), "Ce PDF est protégé par un mot de passe"),
        ("vide.pdf", b"", "Le fichier est vide."),
        ("enorme.pdf", files.eleven_megabytes(), "dépasse la taille maximale de 10 Mo"),
        ("abime.pdf", b"%PDF-1.4\nrien de plus", "Ce PDF est illisible ou endommagé."),
        ("logo.pdf", PNG, "Ce fichier n'est pas un PDF."),
    ],
)
def test_a_bad_pdf_is_refused_with_its_reason(name: str, content: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_pdf(files.upload(name, content, "application/pdf"))
    assert message in refused.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", files.SVG_WITH_SCRIPT, "Ce fichier n'est pas une image PNG ou JPEG."),
        ("logo.png", files.SVG_WITH_SCRIPT, "Ce fichier n'est pas une image PNG ou JPEG."),
        ("logo.gif", files.gif(), "Ce fichier n'est pas une image PNG ou JPEG."),
        ("logo.png", files.executable(), "Ce fichier n'est pas une image PNG ou JPEG."),
        ("bombe.png", files.pixel_bomb(), "trop grande (plus de 25 millions de pixels)"),
        ("bombe2.png", files.header_bomb(), "trop grande (plus de 25 millions de pixels)"),
        ("coupe.png", PNG[:300], "Cette image est illisible ou endommagée."),
        ("pixels.png", files.corrupt_idat(), "Cette image est illisible ou endommagée."),
        ("coupe.jpg", files.truncated_jpeg(), "Cette image est illisible ou endommagée."),
        ("vide.png", b"", "Le fichier est vide."),
        ("enorme.png", b"\x89PNG\r\n\x1a\n" + bytes(11 * 1024 * 1024), "10 Mo"),
    ],
)
def test_a_bad_image_is_refused_with_its_reason(name: str, content: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_image(files.upload(name, content, "image/png"))
    assert message in refused.value.messages[0]


@pytest.mark.parametrize(
    ("check", "content", "suffix"),
    [
        (check_pdf, PDF, ".pdf"),
        (check_image, PNG, ".png"),
        (check_image, files.jpeg(), ".jpg"),
        (check_pdf_or_image, PDF, ".pdf"),
        (check_pdf_or_image, files.jpeg(), ".jpg"),
    ],
)
def test_a_good_file_passes_and_its_content_gives_its_suffix(
    check: Callable[[object], str], content: bytes, suffix: str
) -> None:
    uploaded = files.upload("nimporte.quoi", content)
    assert check(uploaded) == suffix
    assert uploaded.read() == content  # the check rewinds the file for whoever saves it


def test_a_scan_that_is_neither_pdf_nor_image_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        check_pdf_or_image(files.upload("scan.pdf", files.executable()))
    assert refused.value.messages == ["Ce fichier n'est ni un PDF ni une image PNG ou JPEG."]


def test_the_size_cap_is_a_setting(settings) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        check_pdf(files.upload("kbis.pdf", PDF + b"%" + bytes(1024 * 1024)))
    assert refused.value.messages == ["Le fichier dépasse la taille maximale de 1 Mo."]


def test_a_field_renames_the_upload_to_what_its_content_is() -> None:
    cleaned = ImageField().clean(files.upload("logo.html", PNG, "text/html"))
    assert cleaned.name == "logo.png"
    assert PdfField().clean(files.upload("kbis", PDF)).name == "kbis.pdf"
