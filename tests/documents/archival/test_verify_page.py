"""The public verification page checks as ``realisa-verify`` does, and reads the signed
hours from a photo of the QR code: a PNG of the page, turned and shrunk as a phone
takes it."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from realisa.certificates.models import Certificate
from realisa.documents.services import latest_version
from tests.conftest import World
from tests.documents.conftest import poppler
from tests.online.test_sealed_versions import certify, pdf_of

pytestmark = pytest.mark.django_db
VERIFY = reverse("documents:verify")


def photo_of(pdf: bytes, tmp_path: Path) -> bytes:
    """The first page drawn at 150 dpi, turned by 12° and shrunk to 80 %: a phone's photo."""
    (tmp_path / "certificat.pdf").write_bytes(pdf)
    poppler("pdftoppm", "-r", "150", "-png", "-singlefile", "certificat.pdf", "page", cwd=tmp_path)
    page = Image.open(tmp_path / "page.png").convert("RGB")
    page = page.rotate(12, expand=True, fillcolor="white")
    page = page.resize((int(page.width * 0.8), int(page.height * 0.8)))
    out = io.BytesIO()
    page.save(out, format="PNG")
    return out.getvalue()


def posted(client: Client, **files: SimpleUploadedFile) -> str:
    response = client.post(VERIFY, files)
    return html.unescape(response.content.decode())


def test_a_photo_of_the_qr_code_shows_the_signed_hours(
    client: Client, ready: World, entered: Certificate, tmp_path: Path
) -> None:
    certified = certify(ready, entered)

    page = posted(
        client, photo=SimpleUploadedFile("photo.png", photo_of(pdf_of(certified), tmp_path))
    )

    assert "Le code QR est signé par le sceau du portail" in page
    version = latest_version(certified)
    assert version is not None
    assert f"ces informations sont celles du certificat {version.reference}" in page
    centre = f"<dt>Présence en centre</dt><dd>{certified.centre_minutes // 60} h"
    assert centre in page
    assert "<dt>Document</dt><dd>certifié</dd>" in page


def test_a_pdf_is_checked_as_realisa_verify_does(
    client: Client, ready: World, entered: Certificate
) -> None:
    certified = certify(ready, entered)

    page = posted(client, file=SimpleUploadedFile("certificat.pdf", pdf_of(certified)))

    assert "Contrôles du document" in page
    assert "<strong>Conforme :</strong> Sceau valide, reconnu, couvrant tout le document" in page
    assert "<strong>Conforme :</strong> Marqué PDF/A-3b." in page
    assert "<strong>Conforme :</strong> Code QR signé par le sceau" in page
    assert "Échec" not in page


def test_a_photo_without_a_qr_code_says_how_to_take_one(client: Client, db: None) -> None:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(out, format="JPEG")

    page = posted(client, photo=SimpleUploadedFile("photo.jpg", out.getvalue()))

    assert "Aucun code QR de certificat lisible sur cette image" in page


def test_a_file_that_is_no_image_is_refused_by_its_content(client: Client, db: None) -> None:
    page = posted(client, photo=SimpleUploadedFile("photo.png", b"%PDF-1.7 pas une image"))

    assert "Ce fichier n'est pas une image lisible." in page
